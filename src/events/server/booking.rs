//! Bookable slots (server only): participants request meetings with each other, the other side
//! accepts or declines, and the organisers place every accepted meeting into the earliest free
//! slot and table with `domain::schedule` ("schedule all"), keeping the break policy.

use super::events::{event_row, EventRow};
use super::registrations::{registration_by_token, PersonRow};
use crate::db::{now_secs, unique_conflict, Db};
use crate::domain::event::{slot_time, EventFormat, EventStatus};
use crate::domain::schedule::{schedule_all as place_all, Booking, Calendar, Grid};
use crate::domain::tables::TableLookup;
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::events::{Booked, MeetingRequest, RequestStatus, SlotPlace, SlotPlan};
use std::collections::HashMap;

/// An event whose slots can be booked now: bookable, open or live.
async fn bookable_event(db: &Db, slug: &str) -> Result<EventRow, AppError> {
    let event = event_row(db, slug, true).await?;
    if event.record.format != EventFormat::Slots {
        return Err(AppError::Conflict(Problem::NotBookable));
    }
    if !matches!(event.status, EventStatus::Open | EventStatus::Live) {
        return Err(AppError::Conflict(Problem::RegistrationClosed));
    }
    Ok(event)
}

fn place(
    event: &EventRow,
    tables: &TableLookup,
    slot: Option<i64>,
    table: Option<i64>,
) -> Option<SlotPlace> {
    let (slot, table) = (slot? as u32, table? as u32);
    let record = &event.record;
    Some(SlotPlace {
        slot,
        time: slot_time(&record.starts_at, record.round_minutes, slot)?,
        table: tables.place(table),
    })
}

/// The two sides of a meeting request (registration ids): whose phones hear of a change to it.
pub type Sides = [i64; 2];

/// The owner of a personal link asks another registrant of the event for a meeting.
pub async fn request(db: &Db, slug: &str, token: &str, other: i64) -> Result<Sides, AppError> {
    let event = bookable_event(db, slug).await?;
    let me = registration_by_token(db, &event, token).await?;
    let known: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE id = $1 AND event_id = $2 AND consent = 1",
    )
    .bind(other)
    .bind(event.id)
    .fetch_one(&db.pool)
    .await?;
    if known == 0 || other == me.id {
        return Err(AppError::NotFound);
    }
    let either_way: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM meeting_requests WHERE (from_registration = $1 AND to_registration = $2) \
           OR (from_registration = $2 AND to_registration = $1)",
    )
    .bind(me.id)
    .bind(other)
    .fetch_one(&db.pool)
    .await?;
    if either_way > 0 {
        return Err(AppError::Conflict(Problem::AlreadyRequested));
    }
    sqlx::query(
        "INSERT INTO meeting_requests (event_id, from_registration, to_registration, status, created_at) \
         VALUES ($1, $2, $3, 'offen', $4)",
    )
    .bind(event.id)
    .bind(me.id)
    .bind(other)
    .bind(now_secs())
    .execute(&db.pool)
    .await
    .map_err(unique_conflict(Problem::AlreadyRequested))?;
    Ok([me.id, other])
}

/// The recipient accepts or declines an open request.
pub async fn answer(
    db: &Db,
    slug: &str,
    token: &str,
    request: i64,
    accept: bool,
) -> Result<Sides, AppError> {
    let event = bookable_event(db, slug).await?;
    let me = registration_by_token(db, &event, token).await?;
    let status = if accept {
        RequestStatus::Accepted
    } else {
        RequestStatus::Declined
    };
    let sender: Option<i64> = sqlx::query_scalar(
        "UPDATE meeting_requests SET status = $1, decided_at = $2 \
         WHERE id = $3 AND to_registration = $4 AND event_id = $5 AND status = 'offen' \
         RETURNING from_registration",
    )
    .bind(status.code())
    .bind(now_secs())
    .bind(request)
    .bind(me.id)
    .bind(event.id)
    .fetch_optional(&db.pool)
    .await?;
    let sender = sender.ok_or(AppError::NotFound)?;
    Ok([sender, me.id])
}

/// The sender takes back a request the other side has not answered yet.
pub async fn withdraw(db: &Db, slug: &str, token: &str, request: i64) -> Result<Sides, AppError> {
    let event = bookable_event(db, slug).await?;
    let me = registration_by_token(db, &event, token).await?;
    let recipient: Option<i64> = sqlx::query_scalar(
        "DELETE FROM meeting_requests \
         WHERE id = $1 AND from_registration = $2 AND event_id = $3 AND status = 'offen' \
         RETURNING to_registration",
    )
    .bind(request)
    .bind(me.id)
    .bind(event.id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(recipient) = recipient else {
        // Answered a moment ago, or not the viewer's to take back.
        let answered: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM meeting_requests \
             WHERE id = $1 AND from_registration = $2 AND event_id = $3",
        )
        .bind(request)
        .bind(me.id)
        .bind(event.id)
        .fetch_one(&db.pool)
        .await?;
        return Err(if answered > 0 {
            AppError::Conflict(Problem::RequestAnswered)
        } else {
            AppError::NotFound
        });
    };
    Ok([me.id, recipient])
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    from_registration: i64,
    to_registration: i64,
    status: String,
    slot: Option<i64>,
    table_number: Option<i64>,
}

async fn requests_of(db: &Db, event_id: i64) -> Result<Vec<RequestRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, from_registration, to_registration, status, slot, table_number \
         FROM meeting_requests WHERE event_id = $1 ORDER BY COALESCE(decided_at, created_at), id",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?)
}

async fn people_by_id(db: &Db, event_id: i64) -> Result<HashMap<i64, PersonRow>, AppError> {
    let people: Vec<PersonRow> = sqlx::query_as(
        "SELECT id, person_name, organisation, kind, offers, seeks FROM registrations \
         WHERE event_id = $1",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(people.into_iter().map(|p| (p.id, p)).collect())
}

/// The requests registration `id` sent or received, booked ones in time order first.
pub(super) async fn my_requests(
    db: &Db,
    event: &EventRow,
    id: i64,
) -> Result<Vec<MeetingRequest>, AppError> {
    if event.record.format != EventFormat::Slots {
        return Ok(Vec::new());
    }
    let people = people_by_id(db, event.id).await?;
    let tables = event.record.tables.lookup();
    let mut mine: Vec<MeetingRequest> = requests_of(db, event.id)
        .await?
        .into_iter()
        .filter(|r| r.from_registration == id || r.to_registration == id)
        .filter_map(|r| {
            let incoming = r.to_registration == id;
            let other = if incoming {
                r.from_registration
            } else {
                r.to_registration
            };
            Some(MeetingRequest {
                id: r.id,
                incoming,
                other: people.get(&other)?.clone().seated(),
                status: RequestStatus::from_code(&r.status)?,
                place: place(event, &tables, r.slot, r.table_number),
            })
        })
        .collect();
    mine.sort_by_key(|r| (r.place.as_ref().map_or(u32::MAX, |p| p.slot), r.id));
    Ok(mine)
}

/// Ids of the people with a request between them and registration `id`, either way.
pub(super) async fn requested_with(db: &Db, event_id: i64, id: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT CASE WHEN from_registration = $2 THEN to_registration ELSE from_registration END \
         FROM meeting_requests WHERE event_id = $1 AND (from_registration = $2 OR to_registration = $2)",
    )
    .bind(event_id)
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

/// Places the accepted, unplaced meetings into slots and tables where both people are free and
/// the break policy holds: as many as it can, the earliest first (see
/// `domain::schedule::schedule_all`); returns how many were placed and how many found no place.
/// Meetings placed before stay where they are.
pub async fn schedule_all(db: &Db, slug: &str) -> Result<(usize, usize), AppError> {
    let event = bookable_event(db, slug).await?;
    let record = &event.record;
    let accepted: Vec<RequestRow> = requests_of(db, event.id)
        .await?
        .into_iter()
        .filter(|r| r.status == RequestStatus::Accepted.code())
        .collect();
    let mut index: HashMap<i64, u32> = HashMap::new();
    for r in &accepted {
        for person in [r.from_registration, r.to_registration] {
            let next = index.len() as u32;
            index.entry(person).or_insert(next);
        }
    }
    let mut calendar = Calendar::new(
        Grid {
            slots: record.rounds,
            tables: record.tables.total(),
            max_in_a_row: record.break_after,
        },
        index.len(),
    );
    let mut open = Vec::new();
    let mut pairs = Vec::new();
    for r in &accepted {
        let (a, b) = (index[&r.from_registration], index[&r.to_registration]);
        match (r.slot, r.table_number) {
            (Some(slot), Some(table)) => calendar.enter(
                a,
                b,
                Booking {
                    slot: slot as u32,
                    table: table as u32,
                },
            ),
            _ => {
                open.push(r.id);
                pairs.push((a, b));
            }
        }
    }
    // About a second of search for a BIO-Europe-sized day: off the threads that serve requests
    // and sockets.
    let placed = tokio::task::spawn_blocking(move || place_all(&mut calendar, &pairs))
        .await
        .map_err(|_| AppError::Internal)?;
    let mut tx = db.begin_write().await?;
    let mut count = 0;
    for (id, booking) in open.iter().zip(&placed) {
        let Some(booking) = booking else {
            continue;
        };
        sqlx::query(
            "UPDATE meeting_requests SET slot = $1, table_number = $2 \
             WHERE id = $3 AND slot IS NULL AND status = 'angenommen'",
        )
        .bind(i64::from(booking.slot))
        .bind(i64::from(booking.table))
        .bind(id)
        .execute(&mut *tx)
        .await
        // Someone else scheduled at the same moment and took the place.
        .map_err(unique_conflict(Problem::RoundPlannedMeanwhile))?;
        count += 1;
    }
    tx.commit().await?;
    Ok((count, open.len() - count))
}

/// The organisers' view: counts and every booked meeting in time and table order.
pub(super) async fn slot_plan(db: &Db, event: &EventRow) -> Result<SlotPlan, AppError> {
    let people = people_by_id(db, event.id).await?;
    let tables = event.record.tables.lookup();
    let requests = requests_of(db, event.id).await?;
    let count = |status: RequestStatus, placed: Option<bool>| {
        requests
            .iter()
            .filter(|r| r.status == status.code())
            .filter(|r| placed.is_none_or(|placed| r.slot.is_some() == placed))
            .count() as i64
    };
    let mut booked: Vec<Booked> = requests
        .iter()
        .filter_map(|r| {
            Some(Booked {
                place: place(event, &tables, r.slot, r.table_number)?,
                people: [
                    people.get(&r.from_registration)?.clone().seated(),
                    people.get(&r.to_registration)?.clone().seated(),
                ],
            })
        })
        .collect();
    booked.sort_by_key(|b| (b.place.slot, b.place.table.number));
    Ok(SlotPlan {
        open: count(RequestStatus::Open, None),
        declined: count(RequestStatus::Declined, None),
        waiting: count(RequestStatus::Accepted, Some(false)),
        booked,
    })
}
