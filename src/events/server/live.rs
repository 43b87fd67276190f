//! The per-event broadcast hub (server only). Every change is committed first and announced
//! after: the announcement is the event's [`LiveState`], pushed to every WebSocket of the event
//! (console, desk, projector, phones), which then fetch their details anew. With PostgreSQL the
//! announcement travels through `NOTIFY`, so every instance serving the event hears it; a socket
//! gets the current state whenever it (re)connects, so a dropped network or a restarted server
//! loses nothing.

use super::events::{counts, event_row, EventRow};
use super::registrations::registration_by_token;
use crate::db::{now_secs, Backend, Db};
use crate::domain::event::EventStatus;
use crate::domain::live::RoundClock;
use crate::error::AppError;
use crate::events::{LiveRound, LiveState};
use crate::guard::Caller;
use crate::state::AppState;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
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
use crate::domain::live::{HEARTBEAT_TEXT, REQUESTS_TEXT};
/// Marks an announcement meant for some phones only: the registrations (ids, or `*` for all)
/// whose meeting requests changed. It travels like a state, so every instance delivers it.
const REQUESTS_PREFIX: &str = "#anfragen ";
/// A socket from which nothing (not even the browser's automatic pong) arrived for this long is
/// closed: its phone is gone.
const IDLE_TIMEOUT: Duration = Duration::from_secs(75);
/// Screens send nothing but pongs and closes.
const MESSAGE_BYTES_MAX: usize = 1024;
const SOCKET_BUFFER_BYTES: usize = 4 * 1024;
/// Open sockets per client address: a brokerage day puts 2,000 phones behind one venue address.
const SOCKETS_PER_ADDRESS: usize = 2_500;
const SOCKETS_PER_EVENT: usize = 5_000;
const SOCKETS_TOTAL: usize = 10_000;

#[derive(Clone)]
pub struct Hub {
    events: Arc<Mutex<HashMap<String, broadcast::Sender<Arc<str>>>>>,
    sockets: Arc<Mutex<OpenSockets>>,
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
            sockets: Default::default(),
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

    /// A place for one more socket from `address` on event `slug`, or `None` at a cap.
    fn open_socket(&self, address: &str, slug: &str) -> Option<SocketPlace> {
        let mut open = self.sockets.lock().unwrap_or_else(|p| p.into_inner());
        open.admit(address, slug).then(|| SocketPlace {
            sockets: self.sockets.clone(),
            address: address.to_owned(),
            slug: slug.to_owned(),
        })
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

    /// Tells the phones of registrations `who` (everyone's with `None`) that their meeting
    /// requests changed, so only they read them again. Logged, not returned, like
    /// [`Hub::announce`].
    pub async fn requests_changed(&self, db: &Db, slug: &str, who: Option<&[i64]>) {
        let ids = match who {
            Some(ids) => ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
            None => "*".to_owned(),
        };
        if let Err(error) = self.send(db, slug, format!("{REQUESTS_PREFIX}{ids}")).await {
            tracing::error!(%error, slug, "request announcement failed");
        }
    }

    async fn try_announce(&self, db: &Db, slug: &str) -> Result<(), AppError> {
        let state =
            serde_json::to_string(&snapshot(db, slug).await?).map_err(|_| AppError::Internal)?;
        self.send(db, slug, state).await
    }

    async fn send(&self, db: &Db, slug: &str, state: String) -> Result<(), AppError> {
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

/// How many sockets are open, per client address and per event.
#[derive(Default)]
struct OpenSockets {
    total: usize,
    by_address: HashMap<String, usize>,
    by_event: HashMap<String, usize>,
}

/// One open socket's share of the counts, given back when the socket ends.
struct SocketPlace {
    sockets: Arc<Mutex<OpenSockets>>,
    address: String,
    slug: String,
}

impl Drop for SocketPlace {
    fn drop(&mut self) {
        let mut open = self.sockets.lock().unwrap_or_else(|p| p.into_inner());
        open.release(&self.address, &self.slug);
    }
}

impl OpenSockets {
    /// Counts one more socket, unless a cap is reached.
    fn admit(&mut self, address: &str, slug: &str) -> bool {
        let full = self.total >= SOCKETS_TOTAL
            || self
                .by_address
                .get(address)
                .is_some_and(|&n| n >= SOCKETS_PER_ADDRESS)
            || self
                .by_event
                .get(slug)
                .is_some_and(|&n| n >= SOCKETS_PER_EVENT);
        if !full {
            self.total += 1;
            *self.by_address.entry(address.to_owned()).or_default() += 1;
            *self.by_event.entry(slug.to_owned()).or_default() += 1;
        }
        !full
    }

    fn release(&mut self, address: &str, slug: &str) {
        self.total = self.total.saturating_sub(1);
        for (counts, key) in [(&mut self.by_address, address), (&mut self.by_event, slug)] {
            if let Some(n) = counts.get_mut(key) {
                *n -= 1;
                if *n == 0 {
                    counts.remove(key);
                }
            }
        }
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
        // Word of changed requests may have been missed too: every phone reads its own again.
        hub.deliver(&slug, format!("{REQUESTS_PREFIX}*").into());
    }
}

async fn state_json(db: &Db, slug: &str) -> Option<String> {
    serde_json::to_string(&snapshot(db, slug).await.ok()?).ok()
}

#[derive(Clone, sqlx::FromRow)]
pub(super) struct RoundRow {
    pub(super) id: i64,
    pub(super) number: i64,
    pub(super) started_at: Option<i64>,
    pub(super) paused_at: Option<i64>,
    pub(super) paused_secs: i64,
    pub(super) ended_at: Option<i64>,
    pub(super) minutes: i64,
    pub(super) seating: i64,
    pub(super) locked: i64,
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
        "SELECT id, number, started_at, paused_at, paused_secs, ended_at, minutes, seating, locked \
         FROM rounds WHERE event_id = $1 ORDER BY number DESC",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?)
}

/// The round the room is at: the first that has not ended (running, paused, or next to start
/// while later ones are planned ahead), or the last one once all have ended.
pub(super) fn current_of(rounds: Vec<RoundRow>) -> Option<RoundRow> {
    let mut rounds = rounds;
    rounds.sort_by_key(|round| round.number);
    match rounds.iter().position(|round| round.ended_at.is_none()) {
        Some(at) => Some(rounds.swap_remove(at)),
        None => rounds.pop(),
    }
}

pub(super) async fn current_round(db: &Db, event_id: i64) -> Result<Option<RoundRow>, AppError> {
    Ok(current_of(rounds_of(db, event_id).await?))
}

pub async fn snapshot(db: &Db, slug: &str) -> Result<LiveState, AppError> {
    let event = event_row(db, slug, true).await?;
    let rounds = rounds_of(db, event.id).await?;
    snapshot_of(db, &event, rounds).await
}

/// [`snapshot`] of an event already read, with its rounds (`rounds_of`), for pages that need
/// both.
pub(super) async fn snapshot_of(
    db: &Db,
    event: &EventRow,
    rounds: Vec<RoundRow>,
) -> Result<LiveState, AppError> {
    let (registered, present, _) = counts(db, event.id).await?;
    let (bookings,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) + COUNT(decided_at) + COUNT(slot) FROM meeting_requests WHERE event_id = $1",
    )
    .bind(event.id)
    .fetch_one(&db.pool)
    .await?;
    Ok(LiveState {
        status: event.status,
        registered,
        present,
        bookings,
        rounds_total: event.record.rounds,
        round: current_of(rounds).map(|round| round.live(now_secs())),
    })
}

/// `GET /live/veranstaltungen/{slug}` (WebSocket): the event's state now and after every change.
/// Open to anyone for events that are not drafts (and to organisers for drafts): it carries counts
/// and the clock, no names.
/// Only pages of this site may open one (browsers always send `Origin` here), and each address
/// and event has a cap, so a script opening thousands is refused while the room stays connected.
pub async fn socket(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<SocketQuery>,
    headers: HeaderMap,
    caller: Option<Extension<Caller>>,
    upgrade: WebSocketUpgrade,
) -> Response {
    if !crate::security::is_same_site(&headers, state.config.public_origin()) {
        return StatusCode::FORBIDDEN.into_response();
    }
    if slug.len() > 200 {
        return StatusCode::NOT_FOUND.into_response();
    }
    // Organisers follow their console and desk before the event opens; nobody else sees a draft.
    let organiser = caller
        .as_ref()
        .is_some_and(|Extension(c)| crate::guard::ORGANIZERS.allows(c.role()));
    let address = caller.map(|Extension(c)| c.ip).unwrap_or_default();
    let Some(place) = state.part::<Hub>().open_socket(&address, &slug) else {
        tracing::warn!(%address, slug, "live socket refused: too many open");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "10")],
        )
            .into_response();
    };
    match snapshot(&state.db, &slug).await {
        Ok(live) if live.status != EventStatus::Draft || organiser => {
            let me = match query.ich.as_deref() {
                Some(token) => registration_of(&state.db, &slug, token).await,
                None => None,
            };
            upgrade
                .max_message_size(MESSAGE_BYTES_MAX)
                .max_frame_size(MESSAGE_BYTES_MAX)
                // 128 KiB each by default: 2,500 phones would hold 600 MiB of buffers for a few KiB
                // of state.
                .read_buffer_size(SOCKET_BUFFER_BYTES)
                .write_buffer_size(SOCKET_BUFFER_BYTES)
                .on_upgrade(move |socket| async move {
                    serve_socket(socket, state, slug, me).await;
                    drop(place);
                })
        }
        Ok(_) | Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "live socket refused");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The query of a live socket: a phone's personal link token, so it hears of its own meeting
/// requests.
#[derive(serde::Deserialize)]
pub struct SocketQuery {
    ich: Option<String>,
}

/// The registration a personal link's token belongs to, if it is one of this event's.
async fn registration_of(db: &Db, slug: &str, token: &str) -> Option<i64> {
    if token.len() > 200 {
        return None;
    }
    let event = event_row(db, slug, true).await.ok()?;
    registration_by_token(db, &event, token)
        .await
        .ok()
        .map(|row| row.id)
}

/// Whether an announcement of changed requests (`ids`, or `*`) concerns registration `me`.
fn concerns(ids: &str, me: Option<i64>) -> bool {
    let Some(me) = me else {
        return false;
    };
    ids == "*" || ids.split(',').any(|id| id.parse() == Ok(me))
}

async fn serve_socket(mut socket: WebSocket, state: AppState, slug: String, me: Option<i64>) {
    // Subscribe before reading the state, so no announcement falls in between.
    let mut announcements = state.part::<Hub>().subscribe(&slug);
    let Some(first) = state_json(&state.db, &slug).await else {
        return;
    };
    if socket.send(Message::Text(first.into())).await.is_err() {
        return;
    }
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.tick().await;
    let mut heard = tokio::time::Instant::now();
    loop {
        let outgoing = tokio::select! {
            announcement = announcements.recv() => match announcement {
                Ok(text) => match text.strip_prefix(REQUESTS_PREFIX) {
                    Some(ids) => concerns(ids, me).then(|| REQUESTS_TEXT.to_owned()),
                    None => Some(text.to_string()),
                },
                // Fell behind: the latest state says it all, and a phone reads its requests
                // again in case one of the missed announcements was for it.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    if me.is_some() && socket.send(Message::Text(REQUESTS_TEXT.into())).await.is_err() {
                        break;
                    }
                    state_json(&state.db, &slug).await
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            _ = heartbeat.tick() => {
                if heard.elapsed() > IDLE_TIMEOUT {
                    break;
                }
                // Browsers answer a ping by themselves; the text keeps older screens content.
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    break;
                }
                Some(HEARTBEAT_TEXT.to_owned())
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {
                    heard = tokio::time::Instant::now();
                    None
                }
            },
        };
        if let Some(text) = outgoing {
            if socket.send(Message::Text(text.into())).await.is_err() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(number: i64, started_at: Option<i64>, ended_at: Option<i64>) -> RoundRow {
        RoundRow {
            id: number,
            number,
            started_at,
            paused_at: None,
            paused_secs: 0,
            ended_at,
            minutes: 8,
            seating: 0,
            locked: 0,
        }
    }

    #[test]
    fn the_current_round_is_the_first_not_ended() {
        let number = |rounds: Vec<RoundRow>| current_of(rounds).map(|r| r.number);
        assert_eq!(number(Vec::new()), None);
        // Newest first, as `rounds_of` reads them: round 2 runs, 3 and 4 are planned ahead.
        let evening = vec![
            round(4, None, None),
            round(3, None, None),
            round(2, Some(20), None),
            round(1, Some(10), Some(15)),
        ];
        assert_eq!(number(evening), Some(2));
        let ahead = vec![round(2, None, None), round(1, Some(10), Some(15))];
        assert_eq!(number(ahead), Some(2), "the next to start");
        let done = vec![round(2, Some(20), Some(25)), round(1, Some(10), Some(15))];
        assert_eq!(number(done), Some(2), "the last once all ended");
    }

    #[test]
    fn sockets_are_capped_per_address_and_event_and_places_come_back() {
        let mut open = OpenSockets::default();
        for _ in 0..SOCKETS_PER_ADDRESS {
            assert!(open.admit("203.0.113.1", "kickoff"));
        }
        assert!(
            !open.admit("203.0.113.1", "kickoff"),
            "one address has its share"
        );
        assert!(
            open.admit("198.51.100.1", "kickoff"),
            "another address still gets in"
        );
        open.release("203.0.113.1", "kickoff");
        assert!(
            open.admit("203.0.113.1", "kickoff"),
            "a closed socket frees its place"
        );
        for n in 0..SOCKETS_PER_EVENT {
            open.admit(&format!("10.0.{}.{}", n / 250, n % 250), "brokerage");
        }
        assert!(
            !open.admit("192.0.2.1", "brokerage"),
            "the event has its share"
        );
        assert!(open.admit("192.0.2.1", "kickoff"));
    }
}
