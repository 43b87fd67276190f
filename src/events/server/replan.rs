//! The evening planned anew by itself (server only): after a check-in, a departure or a seat
//! change, an event whose organisers planned the evening ahead has its remaining rounds planned
//! again a moment later. A burst at the door (dozens of check-ins a minute) costs one plan per
//! quiet moment, not one per person; rounds that started or are locked stay as they are.
//!
//! The schedule lives in this instance's memory, but the plan itself is guarded by the event's
//! plan version in the database: when two instances re-plan at once, one writes and the other
//! computes again from what was written.

use super::live::Hub;
use super::rounds::{plan, plans_ahead, PlanScope};
use crate::db::Db;
use crate::domain::validation::Problem;
use crate::error::AppError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long the room stays quiet before the plan follows it.
const QUIET: Duration = Duration::from_secs(2);
/// Attempts when another planner wrote first, and the pause between them.
const ATTEMPTS: usize = 3;
const RETRY_AFTER: Duration = Duration::from_millis(500);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Turn {
    /// A re-plan will start after the quiet moment.
    Waiting,
    /// A re-plan runs; `again` when the room changed meanwhile.
    Running { again: bool },
}

#[derive(Clone)]
pub struct Replanner {
    db: Db,
    hub: Hub,
    turns: Arc<Mutex<HashMap<String, Turn>>>,
}

impl Replanner {
    pub fn new(db: Db, hub: Hub) -> Replanner {
        Replanner {
            db,
            hub,
            turns: Default::default(),
        }
    }

    /// The room of `slug` changed: plan its evening anew soon, if the organisers planned ahead.
    pub fn room_changed(&self, slug: &str) {
        let mut turns = self.turns.lock().unwrap_or_else(|p| p.into_inner());
        match turns.get_mut(slug) {
            Some(Turn::Waiting) => {}
            Some(Turn::Running { again }) => *again = true,
            None => {
                turns.insert(slug.to_owned(), Turn::Waiting);
                tokio::spawn(self.clone().run(slug.to_owned()));
            }
        }
    }

    async fn run(self, slug: String) {
        // Should a plan panic, the event is not left "running" for good.
        let _forget = Forget(self.clone(), slug.clone());
        loop {
            tokio::time::sleep(QUIET).await;
            self.turns
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(slug.clone(), Turn::Running { again: false });
            if let Err(error) = self.replan(&slug).await {
                tracing::error!(%error, slug, "automatic re-plan failed");
            }
            let mut turns = self.turns.lock().unwrap_or_else(|p| p.into_inner());
            if turns.get(&slug) == Some(&Turn::Running { again: true }) {
                turns.insert(slug.clone(), Turn::Waiting);
            } else {
                turns.remove(&slug);
                return;
            }
        }
    }

    async fn replan(&self, slug: &str) -> Result<(), AppError> {
        if !plans_ahead(&self.db, slug).await? {
            return Ok(());
        }
        for _ in 0..ATTEMPTS {
            match plan(&self.db, slug, PlanScope::Evening).await {
                Ok(_) => {
                    self.hub.announce(&self.db, slug).await;
                    return Ok(());
                }
                Err(AppError::Conflict(Problem::PlanChangedMeanwhile)) => {
                    tokio::time::sleep(RETRY_AFTER).await;
                }
                // Nothing left to plan (all started or locked), or the event ended meanwhile.
                Err(AppError::Conflict(_)) => return Ok(()),
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }
}

/// Removes an event's turn when its task ends, however it ends.
struct Forget(Replanner, String);

impl Drop for Forget {
    fn drop(&mut self) {
        let mut turns = self.0.turns.lock().unwrap_or_else(|p| p.into_inner());
        if matches!(turns.get(&self.1), Some(Turn::Running { .. })) {
            turns.remove(&self.1);
        }
    }
}
