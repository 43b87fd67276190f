//! Changing a planned round's seats: swapping two people and seating latecomers, safe when two
//! desks do it at the same moment.

use super::registrations::{event_people, EventPeople};
use super::rounds::live_event;
use super::rounds::load_room;
use super::rounds::open_round;
use super::rounds::plan_among;
use super::rounds::store_seating;
use super::rounds::tables_of;
use super::rounds::{add_wishes, positions, talking_points};
use crate::db::{Db, Section};
use crate::domain::validation::Problem;
use crate::error::AppError;
use sqlx::{Any, Transaction};
use std::collections::HashSet;

/// Where someone is in a round: at a meeting, resting (why), or in the room without a place.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Place {
    Seat(i64),
    Rest(String),
    Waiting,
}

pub(super) async fn place_of(
    tx: &mut Transaction<'_, Any>,
    event_id: i64,
    round_id: i64,
    person: i64,
) -> Result<Option<Place>, AppError> {
    let seat: Option<i64> = sqlx::query_scalar(
        "SELECT p.meeting_id FROM meeting_people p JOIN meetings m ON m.id = p.meeting_id \
         WHERE m.round_id = $1 AND p.registration_id = $2",
    )
    .bind(round_id)
    .bind(person)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(meeting) = seat {
        return Ok(Some(Place::Seat(meeting)));
    }
    let rest: Option<String> = sqlx::query_scalar(
        "SELECT reason FROM round_rests WHERE round_id = $1 AND registration_id = $2",
    )
    .bind(round_id)
    .bind(person)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(reason) = rest {
        return Ok(Some(Place::Rest(reason)));
    }
    let present: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM registrations WHERE id = $1 AND event_id = $2 AND consent = 1 \
           AND checked_in_at IS NOT NULL AND checked_out_at IS NULL",
    )
    .bind(person)
    .bind(event_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(present.map(|_| Place::Waiting))
}

pub(super) async fn take_place(
    tx: &mut Transaction<'_, Any>,
    round_id: i64,
    person: i64,
    place: &Place,
) -> Result<(), AppError> {
    match place {
        Place::Seat(meeting) => {
            sqlx::query("INSERT INTO meeting_people (meeting_id, registration_id) VALUES ($1, $2)")
                .bind(meeting)
                .bind(person)
                .execute(&mut **tx)
                .await?;
        }
        Place::Rest(reason) => {
            sqlx::query(
                "INSERT INTO round_rests (round_id, registration_id, reason) VALUES ($1, $2, $3)",
            )
            .bind(round_id)
            .bind(person)
            .bind(reason)
            .execute(&mut **tx)
            .await?;
        }
        Place::Waiting => {}
    }
    Ok(())
}

/// Tells the phones that seats of the round changed, and keeps the organisers' hand-made seats:
/// the round is locked, so planning anew (by hand or after a check-in) leaves it as it is, and
/// the plan version moves on, so a plan computed before this change is not written.
pub(super) async fn bump_seating(
    tx: &mut Transaction<'_, Any>,
    event_id: i64,
    round_id: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE rounds SET seating = seating + 1, locked = 1 WHERE id = $1")
        .bind(round_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE events SET plan_version = plan_version + 1 WHERE id = $1")
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The organisers' override: two people of the open round (seated, resting, or in the room
/// without a place) change places; the meetings' points are counted anew.
pub async fn swap(db: &Db, slug: &str, first: i64, second: i64) -> Result<(), AppError> {
    let event = live_event(db, slug).await?;
    let round = open_round(db, &event).await?;
    if first == second {
        return Err(AppError::Conflict(Problem::SwapInvalid));
    }
    let EventPeople {
        people, mut pool, ..
    } = event_people(db, &event, false).await?;
    let at = positions(&people);
    add_wishes(db, event.id, &at, &mut pool).await?;
    let mut tx = db.begin_section(Section::Seating).await?;
    let (Some(place_first), Some(place_second)) = (
        place_of(&mut tx, event.id, round.id, first).await?,
        place_of(&mut tx, event.id, round.id, second).await?,
    ) else {
        return Err(AppError::Conflict(Problem::SwapInvalid));
    };
    if place_first == place_second {
        return Err(AppError::Conflict(Problem::SwapInvalid));
    }
    for person in [first, second] {
        sqlx::query(
            "DELETE FROM meeting_people WHERE registration_id = $1 \
               AND meeting_id IN (SELECT id FROM meetings WHERE round_id = $2)",
        )
        .bind(person)
        .bind(round.id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM round_rests WHERE registration_id = $1 AND round_id = $2")
            .bind(person)
            .bind(round.id)
            .execute(&mut *tx)
            .await?;
    }
    take_place(&mut tx, round.id, first, &place_second).await?;
    take_place(&mut tx, round.id, second, &place_first).await?;
    let index_of = |id: i64| at.get(&id).copied();
    for place in [&place_first, &place_second] {
        let Place::Seat(meeting) = place else {
            continue;
        };
        let members: Vec<i64> =
            sqlx::query_scalar("SELECT registration_id FROM meeting_people WHERE meeting_id = $1")
                .bind(meeting)
                .fetch_all(&mut *tx)
                .await?;
        let members: Vec<u32> = members.into_iter().filter_map(index_of).collect();
        let points: i64 = members
            .iter()
            .enumerate()
            .flat_map(|(i, &a)| members[i + 1..].iter().map(move |&b| (a, b)))
            .filter_map(|(a, b)| pool.affinity(a, b))
            .sum();
        sqlx::query("UPDATE meetings SET points = $1 WHERE id = $2")
            .bind(points)
            .bind(meeting)
            .execute(&mut *tx)
            .await?;
        for &member in &members {
            sqlx::query(
                "UPDATE meeting_people SET reasons = $1 WHERE meeting_id = $2 AND registration_id = $3",
            )
            .bind(talking_points(&pool, member, &members))
            .bind(meeting)
            .bind(people[member as usize].id)
            .execute(&mut *tx)
            .await?;
        }
    }
    bump_seating(&mut tx, event.id, round.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Seats the people in the room who have no meeting in the open round (latecomers and those
/// resting) at the free tables, with the same scoring; returns how many got a seat.
pub async fn seat_latecomers(db: &Db, slug: &str) -> Result<usize, AppError> {
    let event = live_event(db, slug).await?;
    let round = open_round(db, &event).await?;
    // The seating version this plan starts from, read before the seats: a second click (or
    // desk) seating people meanwhile moves it on, which makes this one a conflict instead of a
    // second seat.
    let seen: i64 = sqlx::query_scalar("SELECT seating FROM rounds WHERE id = $1")
        .bind(round.id)
        .fetch_one(&db.pool)
        .await?;
    let room = load_room(db, &event, &[]).await?;
    let seated: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT p.registration_id, m.table_number FROM meeting_people p \
         JOIN meetings m ON m.id = p.meeting_id WHERE m.round_id = $1",
    )
    .bind(round.id)
    .fetch_all(&db.pool)
    .await?;
    let seated_people: HashSet<i64> = seated.iter().map(|&(person, _)| person).collect();
    let taken: HashSet<u32> = seated.iter().map(|&(_, table)| table as u32).collect();
    let waiting: Vec<u32> = room
        .people
        .iter()
        .enumerate()
        .filter(|(_, person)| !seated_people.contains(&person.id))
        .map(|(i, _)| i as u32)
        .collect();
    if waiting.len() < 2 {
        return Err(AppError::Conflict(Problem::NobodyWaiting));
    }
    let planned = plan_among(
        &room,
        &event,
        &waiting,
        &tables_of(&event, &taken),
        round.number as u32,
    );
    let mut tx = db.begin_write().await?;
    // First move the seating on from the version this plan started from: the first of two
    // clicks wins, the second finds it moved and changes nothing.
    let moved_on = sqlx::query(
        "UPDATE rounds SET seating = seating + 1, locked = 1 WHERE id = $1 AND seating = $2",
    )
    .bind(round.id)
    .bind(seen)
    .execute(&mut *tx)
    .await?;
    if moved_on.rows_affected() == 0 {
        return Err(AppError::Conflict(Problem::SeatingChangedMeanwhile));
    }
    // As in `bump_seating`: the hand-made seats stay, and a plan computed before is not written.
    sqlx::query("UPDATE events SET plan_version = plan_version + 1 WHERE id = $1")
        .bind(event.id)
        .execute(&mut *tx)
        .await?;
    for &person in &waiting {
        sqlx::query("DELETE FROM round_rests WHERE round_id = $1 AND registration_id = $2")
            .bind(round.id)
            .bind(room.people[person as usize].id)
            .execute(&mut *tx)
            .await?;
    }
    store_seating(&mut tx, round.id, &room.people, &room.pool, &planned).await?;
    tx.commit().await?;
    Ok(planned.meetings.iter().map(|m| m.people.len()).sum())
}
