//! The per-event broadcast hub (server only). Every change is committed first and announced
//! after: the announcement is the event's [`LiveState`], pushed to every WebSocket of the event
//! (console, desk, projector, phones), which then fetch their details anew. With PostgreSQL the
//! announcement travels through `NOTIFY`, so every instance serving the event hears it; a socket
//! gets the current state whenever it (re)connects, so a dropped network or a restarted server
//! loses nothing.

use super::server::{counts, event_row};
use super::{LiveRound, LiveState};
use crate::db::{now_secs, Backend, Db};
use crate::domain::event::EventStatus;
use crate::domain::live::RoundClock;
use crate::error::AppError;
use crate::server::AppState;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// The PostgreSQL channel that carries `slug \n state-json` between instances.
const CHANNEL: &str = "tandem_live";
/// Announcements a slow socket may fall behind before it gets a fresh state instead.
const BACKLOG: usize = 16;
/// A socket hears something at least this often, so browsers notice a dead connection.
pub const HEARTBEAT: Duration = Duration::from_secs(20);
pub const HEARTBEAT_TEXT: &str = "ping";

#[derive(Clone)]
pub struct Hub {
    events: Arc<Mutex<HashMap<String, broadcast::Sender<Arc<str>>>>>,
    /// True once this instance hears announcements (at once on SQLite; with PostgreSQL once
    /// `LISTEN` runs).
    listening: watch::Receiver<bool>,
}

impl Hub {
    /// The hub of this instance; with PostgreSQL it starts listening for every instance's
    /// announcements (reconnecting by itself).
    pub fn start(db: &Db, database_url: &str) -> Hub {
        let (listening_tx, listening) = watch::channel(db.backend == Backend::Sqlite);
        let hub = Hub {
            events: Default::default(),
            listening,
        };
        if db.backend == Backend::Postgres {
            tokio::spawn(listen(
                hub.clone(),
                db.clone(),
                database_url.to_owned(),
                listening_tx,
            ));
        }
        hub
    }

    /// Waits until this instance hears announcements (tests and start-up checks).
    pub async fn ready(&self) {
        let mut listening = self.listening.clone();
        let _ = listening.wait_for(|ready| *ready).await;
    }

    pub fn subscribe(&self, slug: &str) -> broadcast::Receiver<Arc<str>> {
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        events
            .entry(slug.to_owned())
            .or_insert_with(|| broadcast::channel(BACKLOG).0)
            .subscribe()
    }

    /// Hands a state to this instance's sockets of the event; forgets events nobody watches.
    fn deliver(&self, slug: &str, state: Arc<str>) {
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(sender) = events.get(slug) {
            if sender.send(state).is_err() {
                events.remove(slug);
            }
        }
    }

    fn watched(&self) -> Vec<String> {
        let events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        events.keys().cloned().collect()
    }

    /// Tells every screen of the event (on every instance) its current state. Called after a
    /// change is committed; a failure is logged, not returned: the change stands, and screens
    /// catch up on their next announcement or reconnect.
    pub async fn announce(&self, db: &Db, slug: &str) {
        if let Err(error) = self.try_announce(db, slug).await {
            tracing::error!(%error, slug, "live announcement failed");
        }
    }

    async fn try_announce(&self, db: &Db, slug: &str) -> Result<(), AppError> {
        let state =
            serde_json::to_string(&snapshot(db, slug).await?).map_err(|_| AppError::Internal)?;
        match db.backend {
            Backend::Sqlite => self.deliver(slug, state.into()),
            Backend::Postgres => {
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(format!("{slug}\n{state}"))
                    .execute(&db.pool)
                    .await?;
            }
        }
        Ok(())
    }
}

/// Forwards every instance's announcements to this instance's sockets. After a lost connection
/// it listens again and sends each watched event its current state, since announcements made
/// in between are gone.
async fn listen(hub: Hub, db: Db, url: String, listening: watch::Sender<bool>) {
    use sqlx::postgres::PgListener;
    let mut first = true;
    loop {
        let connected = async {
            let mut listener = PgListener::connect(&url).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        }
        .await;
        let mut listener = match connected {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for live announcements; retrying");
                tokio::time::sleep(Duration::from_secs(2)).await;
                continue;
            }
        };
        let _ = listening.send(true);
        if !first {
            resync(&hub, &db).await;
        }
        first = false;
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => {
                    if let Some((slug, state)) = notification.payload().split_once('\n') {
                        hub.deliver(slug, state.into());
                    }
                }
                // The connection was lost (and is re-established by `try_recv`): resynchronise.
                Ok(None) => resync(&hub, &db).await,
                Err(error) => {
                    tracing::warn!(%error, "live announcements interrupted; listening again");
                    break;
                }
            }
        }
    }
}

/// Sends every event this instance watches its current state.
async fn resync(hub: &Hub, db: &Db) {
    for slug in hub.watched() {
        if let Some(state) = state_json(db, &slug).await {
            hub.deliver(&slug, state.into());
        }
    }
}

async fn state_json(db: &Db, slug: &str) -> Option<String> {
    serde_json::to_string(&snapshot(db, slug).await.ok()?).ok()
}

#[derive(sqlx::FromRow)]
pub(super) struct RoundRow {
    pub(super) id: i64,
    pub(super) number: i64,
    pub(super) started_at: Option<i64>,
    pub(super) paused_at: Option<i64>,
    pub(super) paused_secs: i64,
    pub(super) ended_at: Option<i64>,
    pub(super) minutes: i64,
    pub(super) seating: i64,
}

impl RoundRow {
    pub(super) fn clock(&self) -> RoundClock {
        RoundClock {
            started_at: self.started_at,
            paused_at: self.paused_at,
            paused_secs: self.paused_secs,
            ended_at: self.ended_at,
        }
    }

    pub(super) fn live(&self, now: i64) -> LiveRound {
        let clock = self.clock();
        LiveRound {
            number: self.number as u32,
            phase: clock.phase(),
            minutes: self.minutes as u32,
            remaining_secs: clock.remaining_secs(self.minutes as u32, now),
            seating: self.seating as u32,
        }
    }
}

/// The event's rounds, newest first.
pub(super) async fn rounds_of(db: &Db, event_id: i64) -> Result<Vec<RoundRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, number, started_at, paused_at, paused_secs, ended_at, minutes, seating FROM rounds \
         WHERE event_id = $1 ORDER BY number DESC",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?)
}

/// The event's latest round, if any.
pub(super) async fn latest_round(db: &Db, event_id: i64) -> Result<Option<RoundRow>, AppError> {
    Ok(rounds_of(db, event_id).await?.into_iter().next())
}

pub async fn snapshot(db: &Db, slug: &str) -> Result<LiveState, AppError> {
    let event = event_row(db, slug, true).await?;
    let (registered, present, _) = counts(db, event.id).await?;
    Ok(LiveState {
        status: event.status()?,
        registered,
        present,
        rounds_total: event.record().rounds,
        round: latest_round(db, event.id)
            .await?
            .map(|round| round.live(now_secs())),
    })
}

/// `GET /live/veranstaltungen/{slug}` (WebSocket): the event's state now and after every change.
/// Open to anyone for events that are not drafts: it carries counts and the clock, no names.
pub async fn socket(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    upgrade: WebSocketUpgrade,
) -> Response {
    match snapshot(&state.db, &slug).await {
        Ok(live) if live.status != EventStatus::Draft => {
            upgrade.on_upgrade(move |socket| serve_socket(socket, state, slug))
        }
        Ok(_) | Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "live socket refused");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn serve_socket(mut socket: WebSocket, state: AppState, slug: String) {
    // Subscribe before reading the state, so no announcement falls in between.
    let mut announcements = state.live.subscribe(&slug);
    let Some(first) = state_json(&state.db, &slug).await else {
        return;
    };
    if socket.send(Message::Text(first.into())).await.is_err() {
        return;
    }
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.tick().await;
    loop {
        let outgoing = tokio::select! {
            announcement = announcements.recv() => match announcement {
                Ok(state) => Some(state.to_string()),
                // Fell behind: the latest state says it all.
                Err(broadcast::error::RecvError::Lagged(_)) => state_json(&state.db, &slug).await,
                Err(broadcast::error::RecvError::Closed) => break,
            },
            _ = heartbeat.tick() => Some(HEARTBEAT_TEXT.to_owned()),
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => None,
            },
        };
        if let Some(text) = outgoing {
            if socket.send(Message::Text(text.into())).await.is_err() {
                break;
            }
        }
    }
}
