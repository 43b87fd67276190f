//! Matchmaking rounds in the database (server only): a round is planned from the people in the
//! room with `domain::matching` and stored in one transaction; the organisers run its clock,
//! swap seats and seat latecomers; the console, the projector and each participant's page read
//! it back.

use super::events::{event_row, EventRow};
use super::live::{latest_round, RoundRow};
use super::registrations::{event_people, EventPeople, PersonRow};
use crate::db::{now_secs, unique_conflict, Db};
use crate::domain::event::{EventFormat, EventStatus};
use crate::domain::live::{RoundCommand, RoundPhase};
use crate::domain::matching::{plan_round, OddPolicy, Round, RoundSetup, Table};
use crate::domain::meeting::Wish;
use crate::domain::scoring::Pool;
use crate::domain::validation::Problem;
use crate::error::AppError;
use sqlx::{Any, Transaction};
use std::collections::HashSet;

/// A live event and its latest round that is not over yet: what seat changes work on.
pub(super) async fn live_event(db: &Db, slug: &str) -> Result<EventRow, AppError> {
    let event = event_row(db, slug, true).await?;
    if event.status != EventStatus::Live {
        return Err(AppError::Conflict(Problem::EventNotLive));
    }
    if event.record.format == EventFormat::Slots {
        return Err(AppError::Conflict(Problem::SlotsEvent));
    }
    Ok(event)
}

pub(super) async fn open_round(db: &Db, event: &EventRow) -> Result<RoundRow, AppError> {
    let round = latest_round(db, event.id)
        .await?
        .ok_or(AppError::Conflict(Problem::NoRound))?;
    if round.clock().phase() == RoundPhase::Ended {
        return Err(AppError::Conflict(Problem::RoundStepInvalid));
    }
    Ok(round)
}

/// The people in the room as a scoring pool with every wish, every meeting of the event so far
/// (but those of `skip_round`) and how often each has rested.
pub(super) struct Room {
    pub(super) people: Vec<PersonRow>,
    pub(super) pool: Pool,
    pub(super) byes: Vec<u32>,
}

pub(super) async fn load_room(
    db: &Db,
    event: &EventRow,
    skip_round: Option<i64>,
) -> Result<Room, AppError> {
    let event_id = event.id;
    let EventPeople {
        people, mut pool, ..
    } = event_people(db, event, true).await?;
    let index_of = |id: i64| people.iter().position(|p| p.id == id).map(|i| i as u32);
    let skip = skip_round.unwrap_or(0);
    let wishes: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT w.from_registration, w.to_registration, w.wish FROM wishes w \
         JOIN registrations r ON r.id = w.from_registration WHERE r.event_id = $1",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    for (from, to, wish) in wishes {
        if let (Some(a), Some(b), Some(wish)) =
            (index_of(from), index_of(to), Wish::from_code(&wish))
        {
            pool.wish(a, b, wish);
        }
    }
    let met: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT a.registration_id, b.registration_id FROM meeting_people a \
         JOIN meeting_people b ON b.meeting_id = a.meeting_id AND a.registration_id < b.registration_id \
         JOIN meetings m ON m.id = a.meeting_id JOIN rounds r ON r.id = m.round_id \
         WHERE r.event_id = $1 AND r.id <> $2",
    )
    .bind(event_id)
    .bind(skip)
    .fetch_all(&db.pool)
    .await?;
    for (a, b) in met.into_iter().chain(met_in_series(db, event).await?) {
        if let (Some(a), Some(b)) = (index_of(a), index_of(b)) {
            pool.record_meeting(a, b);
        }
    }
    let rests: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT x.registration_id, COUNT(*) FROM round_rests x JOIN rounds r ON r.id = x.round_id \
         WHERE r.event_id = $1 AND r.id <> $2 GROUP BY x.registration_id",
    )
    .bind(event_id)
    .bind(skip)
    .fetch_all(&db.pool)
    .await?;
    let mut byes = vec![0; people.len()];
    for (person, count) in rests {
        if let Some(i) = index_of(person) {
            byes[i as usize] = count as u32;
        }
    }
    Ok(Room { people, pool, byes })
}

/// The event's tables that are not `taken`.
/// Pairs of this event's registrations whose people (by e-mail address) met at an earlier event
/// of the same series, in a round or a booked slot; none unless the organiser set "not again".
async fn met_in_series(db: &Db, event: &EventRow) -> Result<Vec<(i64, i64)>, AppError> {
    let record = &event.record;
    if !record.rules.not_again || record.series.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(
        "WITH earlier AS ( \
           SELECT a.registration_id AS first, b.registration_id AS second \
           FROM meeting_people a \
           JOIN meeting_people b ON b.meeting_id = a.meeting_id AND a.registration_id < b.registration_id \
           JOIN meetings m ON m.id = a.meeting_id JOIN rounds r ON r.id = m.round_id \
           JOIN events e ON e.id = r.event_id \
           WHERE e.series = $2 AND e.id <> $1 AND e.starts_at < $3 \
           UNION \
           SELECT q.from_registration, q.to_registration FROM meeting_requests q \
           JOIN events e ON e.id = q.event_id \
           WHERE e.series = $2 AND e.id <> $1 AND e.starts_at < $3 \
             AND q.status = 'angenommen' AND q.slot IS NOT NULL) \
         SELECT DISTINCT now_a.id, now_b.id FROM earlier \
         JOIN registrations was_a ON was_a.id = earlier.first \
         JOIN registrations was_b ON was_b.id = earlier.second \
         JOIN registrations now_a ON now_a.event_id = $1 AND now_a.email = was_a.email \
         JOIN registrations now_b ON now_b.event_id = $1 AND now_b.email = was_b.email",
    )
    .bind(event.id)
    .bind(&record.series)
    .bind(&record.starts_at)
    .fetch_all(&db.pool)
    .await?)
}

pub(super) fn tables_of(event: &EventRow, taken: &HashSet<u32>) -> Vec<Table> {
    let mut tables = event.record.tables.tables();
    tables.retain(|table| !taken.contains(&table.number));
    tables
}

pub(super) fn plan_among(
    room: &Room,
    event: &EventRow,
    present: &[u32],
    tables: &[Table],
    number: u32,
) -> Round {
    plan_round(
        &room.pool,
        &RoundSetup {
            present,
            tables,
            odd: if event.record.odd_sits_out {
                OddPolicy::Bye
            } else {
                OddPolicy::Triple
            },
            byes: &room.byes,
            round: number,
        },
    )
}

/// Writes a round's (or part of a round's) meetings and rests.
pub(super) async fn store_seating(
    tx: &mut Transaction<'_, Any>,
    round_id: i64,
    people: &[PersonRow],
    round: &Round,
) -> Result<(), AppError> {
    for meeting in &round.meetings {
        let meeting_id: i64 = sqlx::query_scalar(
            "INSERT INTO meetings (round_id, table_number, points) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(round_id)
        .bind(i64::from(meeting.table))
        .bind(meeting.points)
        .fetch_one(&mut **tx)
        .await?;
        for &person in &meeting.people {
            sqlx::query("INSERT INTO meeting_people (meeting_id, registration_id) VALUES ($1, $2)")
                .bind(meeting_id)
                .bind(people[person as usize].id)
                .execute(&mut **tx)
                .await?;
        }
    }
    for &(person, rest) in &round.resting {
        sqlx::query(
            "INSERT INTO round_rests (round_id, registration_id, reason) VALUES ($1, $2, $3)",
        )
        .bind(round_id)
        .bind(people[person as usize].id)
        .bind(rest.code())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Plans the event's next round from the people in the room, or (`again`) plans the latest round
/// anew while it has not started, for people who arrived or left since. Returns its number.
pub async fn plan(db: &Db, slug: &str, again: bool) -> Result<u32, AppError> {
    let event = live_event(db, slug).await?;
    let latest = latest_round(db, event.id).await?;
    let (number, replaced) = match (&latest, again) {
        (None, true) => return Err(AppError::Conflict(Problem::NoRound)),
        (Some(round), true) if round.clock().phase() != RoundPhase::Planned => {
            return Err(AppError::Conflict(Problem::RoundAlreadyStarted))
        }
        (Some(round), true) => (round.number as u32, Some(round.id)),
        (Some(round), false) if round.clock().phase() != RoundPhase::Ended => {
            return Err(AppError::Conflict(Problem::RoundStillOpen))
        }
        (latest, false) => {
            let number = latest.as_ref().map_or(0, |r| r.number as u32) + 1;
            if number > event.record.rounds {
                return Err(AppError::Conflict(Problem::AllRoundsPlanned));
            }
            (number, None)
        }
    };
    let room = load_room(db, &event, replaced).await?;
    let present: Vec<u32> = (0..room.people.len() as u32).collect();
    let round = plan_among(
        &room,
        &event,
        &present,
        &tables_of(&event, &HashSet::new()),
        number,
    );

    let mut tx = db.begin_write().await?;
    if let Some(replaced) = replaced {
        let deleted = sqlx::query("DELETE FROM rounds WHERE id = $1 AND started_at IS NULL")
            .bind(replaced)
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(AppError::Conflict(Problem::RoundAlreadyStarted));
        }
    }
    let round_id: i64 = sqlx::query_scalar(
        "INSERT INTO rounds (event_id, number, minutes, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(event.id)
    .bind(i64::from(number))
    .bind(i64::from(event.record.round_minutes))
    .bind(now_secs())
    .fetch_one(&mut *tx)
    .await
    // Another organiser planned this round a moment ago.
    .map_err(unique_conflict(Problem::RoundPlannedMeanwhile))?;
    store_seating(&mut tx, round_id, &room.people, &round).await?;
    tx.commit().await?;
    Ok(number)
}

/// Starts, pauses, resumes or ends the latest round. The update only lands on the clock it was
/// computed from, so two organisers pressing at once cannot skip a step.
pub async fn control(db: &Db, slug: &str, command: RoundCommand) -> Result<(), AppError> {
    let event = live_event(db, slug).await?;
    let round = latest_round(db, event.id)
        .await?
        .ok_or(AppError::Conflict(Problem::NoRound))?;
    let before = round.clock();
    let after = before
        .apply(command, now_secs())
        .map_err(AppError::Conflict)?;
    let updated = sqlx::query(
        "UPDATE rounds SET started_at = $1, paused_at = $2, paused_secs = $3, ended_at = $4 \
         WHERE id = $5 AND COALESCE(started_at, -1) = $6 AND COALESCE(paused_at, -1) = $7 \
           AND COALESCE(ended_at, -1) = $8",
    )
    .bind(after.started_at)
    .bind(after.paused_at)
    .bind(after.paused_secs)
    .bind(after.ended_at)
    .bind(round.id)
    .bind(before.started_at.unwrap_or(-1))
    .bind(before.paused_at.unwrap_or(-1))
    .bind(before.ended_at.unwrap_or(-1))
    .execute(&db.pool)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::Conflict(Problem::RoundStepInvalid));
    }
    Ok(())
}
