//! Events and matchmaking: kickoffs, registrations, rounds.

pub mod api;
pub mod pages;

use crate::domain::event::EventStatus;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventSummary {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub venue: String,
    /// Local date and time, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    pub status: EventStatus,
    pub registrations: i64,
    pub checked_in: i64,
}
