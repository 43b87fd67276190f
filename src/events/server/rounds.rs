//! Matchmaking rounds in the database (server only): a round is planned from the people in the
//! room with `domain::matching` and stored in one transaction; the organisers run its clock,
//! swap seats and seat latecomers; the console, the projector and each participant's page read
//! it back.

use super::events::{event_row, EventRow};
use super::live::{current_round, rounds_of, RoundRow};
use super::registrations::{event_people, EventPeople, PersonRow};
use crate::db::{now_secs, unique_conflict, Db};
use crate::domain::event::{EventFormat, EventStatus};
use crate::domain::live::{RoundCommand, RoundPhase};
use crate::domain::matching::{plan_round, plan_rounds, OddPolicy, Round, RoundSetup, Table};
use crate::domain::meeting::Wish;
use crate::domain::scoring::Pool;
use crate::domain::validation::Problem;
use crate::error::AppError;
use sqlx::{Any, Transaction};
use std::collections::{HashMap, HashSet};

/// A live event with rounds (not bookable slots): what planning and seat changes work on.
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

/// The current round, unless it has ended: the one seat changes work on.
pub(super) async fn open_round(db: &Db, event: &EventRow) -> Result<RoundRow, AppError> {
    let round = current_round(db, event.id)
        .await?
        .ok_or(AppError::Conflict(Problem::NoRound))?;
    if round.clock().phase() == RoundPhase::Ended {
        return Err(AppError::Conflict(Problem::RoundStepInvalid));
    }
    Ok(round)
}

/// The people in the room as a scoring pool with every wish, every meeting of the event so far
/// (but those of the rounds in `skip`, which are about to be planned anew) and how often each
/// has rested.
pub(super) struct Room {
    pub(super) people: Vec<PersonRow>,
    pub(super) pool: Pool,
    pub(super) byes: Vec<u32>,
}

pub(super) async fn load_room(db: &Db, event: &EventRow, skip: &[i64]) -> Result<Room, AppError> {
    let event_id = event.id;
    let EventPeople {
        people, mut pool, ..
    } = event_people(db, event, true).await?;
    let at = positions(&people);
    let index_of = |id: i64| at.get(&id).copied();
    add_wishes(db, event_id, &at, &mut pool).await?;
    let skipped = |round: &i64| skip.contains(round);
    let met: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT a.registration_id, b.registration_id, r.id FROM meeting_people a \
         JOIN meeting_people b ON b.meeting_id = a.meeting_id AND a.registration_id < b.registration_id \
         JOIN meetings m ON m.id = a.meeting_id JOIN rounds r ON r.id = m.round_id \
         WHERE r.event_id = $1",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    let met = met
        .into_iter()
        .filter(|(_, _, round)| !skipped(round))
        .map(|(a, b, _)| (a, b));
    for (a, b) in met.chain(met_in_series(db, event).await?) {
        if let (Some(a), Some(b)) = (index_of(a), index_of(b)) {
            pool.record_meeting(a, b);
        }
    }
    let rests: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT x.registration_id, x.round_id FROM round_rests x JOIN rounds r ON r.id = x.round_id \
         WHERE r.event_id = $1",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    let mut byes = vec![0; people.len()];
    for (person, round) in rests {
        if let (Some(i), false) = (index_of(person), skipped(&round)) {
            byes[i as usize] += 1;
        }
    }
    Ok(Room { people, pool, byes })
}

/// Pairs of this event's registrations whose people (by e-mail address) met at an earlier event
/// of the same series, in a round that took place or a booked slot; none unless the organiser set "not again".
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
           WHERE e.series = $2 AND e.id <> $1 AND e.starts_at < $3 AND r.started_at IS NOT NULL \
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

/// Where each registration (by id) is in `people`.
pub(super) fn positions(people: &[PersonRow]) -> HashMap<i64, u32> {
    people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i as u32))
        .collect()
}

/// Every wish of the event between people of the pool (`at`: their positions).
pub(super) async fn add_wishes(
    db: &Db,
    event_id: i64,
    at: &HashMap<i64, u32>,
    pool: &mut Pool,
) -> Result<(), AppError> {
    let wishes: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT w.from_registration, w.to_registration, w.wish FROM wishes w \
         JOIN registrations r ON r.id = w.from_registration WHERE r.event_id = $1",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    for (from, to, wish) in wishes {
        if let (Some(&a), Some(&b), Some(wish)) =
            (at.get(&from), at.get(&to), Wish::from_code(&wish))
        {
            pool.wish(a, b, wish);
        }
    }
    Ok(())
}

/// The event's tables that are not `taken`.
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
            odd: odd_policy(event),
            byes: &room.byes,
            round: number,
        },
    )
}

fn odd_policy(event: &EventRow) -> OddPolicy {
    if event.record.odd_sits_out {
        OddPolicy::Bye
    } else {
        OddPolicy::Triple
    }
}

/// What `person` talks about at a meeting with `others` (about the first of them in a triple),
/// as stored with their seat: empty for a pair the rules would not have paired.
pub(super) fn talking_points(pool: &Pool, person: u32, others: &[u32]) -> String {
    let reasons = others
        .iter()
        .find(|&&other| other != person)
        .and_then(|&partner| pool.explain(person, partner).ok())
        .map(|explanation| explanation.reasons)
        .unwrap_or_default();
    serde_json::to_string(&reasons).unwrap_or_else(|_| "[]".into())
}

/// Writes a round's (or part of a round's) meetings and rests, each seat with its talking
/// points from `pool`.
pub(super) async fn store_seating(
    tx: &mut Transaction<'_, Any>,
    round_id: i64,
    people: &[PersonRow],
    pool: &Pool,
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
            sqlx::query(
                "INSERT INTO meeting_people (meeting_id, registration_id, reasons) VALUES ($1, $2, $3)",
            )
            .bind(meeting_id)
            .bind(people[person as usize].id)
            .bind(talking_points(pool, person, &meeting.people))
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

/// What the organisers plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanScope {
    /// The round after the last one, once every round so far has ended.
    Next,
    /// The rounds already planned that have not started and are not locked, with everyone in
    /// the room now.
    Again,
    /// Every remaining round up to the event's number of rounds: those planned but not started
    /// nor locked are planned anew, the missing ones are added. From then on the event is planned
    /// anew by itself whenever people check in or leave.
    Evening,
}

/// Plans rounds from the people in the room (see [`PlanScope`]) in one transaction: the rounds
/// that stay (started, or locked) count as met, so nobody meets anyone twice across the
/// evening. Returns the numbers of the rounds planned.
///
/// The event's plan version is read before the room and moved on with the write: when two
/// organisers (or the automatic re-plan on two instances) plan at once, the second finds it
/// moved and writes nothing.
pub async fn plan(db: &Db, slug: &str, scope: PlanScope) -> Result<Vec<u32>, AppError> {
    let event = live_event(db, slug).await?;
    let version: i64 = sqlx::query_scalar("SELECT plan_version FROM events WHERE id = $1")
        .bind(event.id)
        .fetch_one(&db.pool)
        .await?;
    let rounds = rounds_of(db, event.id).await?;
    let last = rounds.first().map_or(0, |round| round.number as u32);
    let open_to_plan = |round: &&RoundRow| round.started_at.is_none() && round.locked == 0;
    let replaced: Vec<&RoundRow> = match scope {
        PlanScope::Next => Vec::new(),
        PlanScope::Again | PlanScope::Evening => rounds.iter().filter(open_to_plan).collect(),
    };
    let mut numbers: Vec<u32> = replaced.iter().map(|r| r.number as u32).collect();
    match scope {
        PlanScope::Next => {
            if rounds.iter().any(|round| round.ended_at.is_none()) {
                return Err(AppError::Conflict(Problem::RoundStillOpen));
            }
            numbers.push(last + 1);
        }
        PlanScope::Again => {}
        PlanScope::Evening => numbers.extend(last + 1..=event.record.rounds),
    }
    numbers.sort_unstable();
    if numbers.is_empty() {
        let waiting = rounds.iter().any(|round| round.started_at.is_none());
        return Err(AppError::Conflict(match scope {
            _ if waiting => Problem::RoundLocked,
            PlanScope::Again if rounds.is_empty() => Problem::NoRound,
            PlanScope::Again => Problem::RoundAlreadyStarted,
            _ => Problem::AllRoundsPlanned,
        }));
    }
    if numbers.last().is_some_and(|&n| n > event.record.rounds) {
        return Err(AppError::Conflict(Problem::AllRoundsPlanned));
    }
    let replaced_ids: Vec<i64> = replaced.iter().map(|round| round.id).collect();
    let room = load_room(db, &event, &replaced_ids).await?;
    let tables = tables_of(&event, &HashSet::new());
    let odd = odd_policy(&event);
    // Seconds of arithmetic for a big room: off the threads that serve requests and sockets.
    let (room, planned) = tokio::task::spawn_blocking({
        let numbers = numbers.clone();
        move || {
            let mut room = room;
            let present: Vec<u32> = (0..room.people.len() as u32).collect();
            let planned = plan_rounds(
                &mut room.pool,
                &RoundSetup {
                    present: &present,
                    tables: &tables,
                    odd,
                    byes: &room.byes,
                    round: 0,
                },
                &numbers,
            );
            (room, planned)
        }
    })
    .await
    .map_err(|_| AppError::Internal)?;

    let mut tx = db.begin_write().await?;
    let moved_on = sqlx::query(
        "UPDATE events SET plan_version = plan_version + 1, \
           plan_ahead = CASE WHEN $3 = 1 THEN 1 ELSE plan_ahead END \
         WHERE id = $1 AND plan_version = $2",
    )
    .bind(event.id)
    .bind(version)
    .bind(i64::from(scope == PlanScope::Evening))
    .execute(&mut *tx)
    .await?;
    if moved_on.rows_affected() == 0 {
        return Err(AppError::Conflict(Problem::PlanChangedMeanwhile));
    }
    let mut round_ids = Vec::with_capacity(numbers.len());
    for &number in &numbers {
        let existing = replaced.iter().find(|r| r.number == i64::from(number));
        let round_id = match existing {
            // A round keeps its row, so its seating version moves on and phones look again.
            Some(round) => {
                let emptied = sqlx::query(
                    "UPDATE rounds SET seating = seating + 1 \
                     WHERE id = $1 AND started_at IS NULL AND locked = 0",
                )
                .bind(round.id)
                .execute(&mut *tx)
                .await?;
                if emptied.rows_affected() == 0 {
                    return Err(AppError::Conflict(Problem::PlanChangedMeanwhile));
                }
                for table in ["meetings", "round_rests"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE round_id = $1"))
                        .bind(round.id)
                        .execute(&mut *tx)
                        .await?;
                }
                round.id
            }
            None => sqlx::query_scalar(
                "INSERT INTO rounds (event_id, number, minutes, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(event.id)
            .bind(i64::from(number))
            .bind(i64::from(event.record.round_minutes))
            .bind(now_secs())
            .fetch_one(&mut *tx)
            .await
            // Another organiser planned this round a moment ago.
            .map_err(unique_conflict(Problem::RoundPlannedMeanwhile))?,
        };
        round_ids.push(round_id);
    }
    for (round_id, round) in round_ids.into_iter().zip(&planned) {
        store_seating(&mut tx, round_id, &room.people, &room.pool, round).await?;
    }
    tx.commit().await?;
    Ok(numbers)
}

/// Locks a round that has not started (its seats stay when the evening is planned anew) or
/// unlocks it. Moves the plan version on, so a plan computed before the lock is not written.
pub async fn lock(db: &Db, slug: &str, number: u32, locked: bool) -> Result<(), AppError> {
    let event = live_event(db, slug).await?;
    let mut tx = db.begin_write().await?;
    let updated = sqlx::query(
        "UPDATE rounds SET locked = $1 WHERE event_id = $2 AND number = $3 AND started_at IS NULL",
    )
    .bind(i64::from(locked))
    .bind(event.id)
    .bind(i64::from(number))
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM rounds WHERE event_id = $1 AND number = $2")
                .bind(event.id)
                .bind(i64::from(number))
                .fetch_optional(&mut *tx)
                .await?;
        return Err(match exists {
            Some(_) => AppError::Conflict(Problem::RoundAlreadyStarted),
            None => AppError::NotFound,
        });
    }
    sqlx::query("UPDATE events SET plan_version = plan_version + 1 WHERE id = $1")
        .bind(event.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the organisers planned the evening ahead, so check-ins and departures re-plan it.
pub(super) async fn plans_ahead(db: &Db, slug: &str) -> Result<bool, AppError> {
    let flag: Option<i64> = sqlx::query_scalar(
        "SELECT plan_ahead FROM events WHERE slug = $1 AND status = 'live' AND format = 'runden'",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    Ok(flag == Some(1))
}

/// Starts, pauses, resumes or ends the current round. The update only lands on the clock it was
/// computed from, so two organisers pressing at once cannot skip a step.
pub async fn control(db: &Db, slug: &str, command: RoundCommand) -> Result<(), AppError> {
    let event = live_event(db, slug).await?;
    let round = current_round(db, event.id)
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
