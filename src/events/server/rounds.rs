//! Matchmaking rounds in the database (server only): a round is planned from the people in the
//! room with `domain::matching` and stored in one transaction; the organisers run its clock,
//! swap seats and seat latecomers; the console, the projector and each participant's page read
//! it back.

use super::events::{event_row, EventRow};
use super::live::{latest_round, rounds_of, snapshot, RoundRow};
use super::registrations::{event_people, EventPeople, PersonRow};
use crate::db::{now_secs, unique_conflict, Db, Section};
use crate::domain::event::{EventFormat, EventStatus};
use crate::domain::live::{RoundCommand, RoundPhase};
use crate::domain::matching::{plan_round, OddPolicy, Round, RoundSetup, Table};
use crate::domain::meeting::{Rest, Wish};
use crate::domain::scoring::Pool;
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::events::{Console, Feedback, MyMeeting, RoundView, Screen, Seated, TableView};
use sqlx::{Any, Transaction};
use std::collections::HashSet;

/// A live event and its latest round that is not over yet: what seat changes work on.
async fn live_event(db: &Db, slug: &str) -> Result<EventRow, AppError> {
    let event = event_row(db, slug, true).await?;
    if event.status()? != EventStatus::Live {
        return Err(AppError::Conflict(Problem::EventNotLive));
    }
    if event.record().format == EventFormat::Slots {
        return Err(AppError::Conflict(Problem::SlotsEvent));
    }
    Ok(event)
}

async fn open_round(db: &Db, event: &EventRow) -> Result<RoundRow, AppError> {
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
struct Room {
    people: Vec<PersonRow>,
    pool: Pool,
    byes: Vec<u32>,
}

async fn load_room(db: &Db, event_id: i64, skip_round: Option<i64>) -> Result<Room, AppError> {
    let EventPeople {
        people, mut pool, ..
    } = event_people(db, event_id, true).await?;
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
    for (a, b) in met {
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

fn tables_of(event: &EventRow, taken: &HashSet<u32>) -> Vec<Table> {
    let record = event.record();
    (1..=record.tables)
        .filter(|number| !taken.contains(number))
        .map(|number| Table {
            number,
            capacity: record.seats,
        })
        .collect()
}

fn plan_among(
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
            odd: if event.record().odd_sits_out {
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
async fn store_seating(
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
            if number > event.record().rounds {
                return Err(AppError::Conflict(Problem::AllRoundsPlanned));
            }
            (number, None)
        }
    };
    let room = load_room(db, event.id, replaced).await?;
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
    .bind(i64::from(event.record().round_minutes))
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

/// Where someone is in a round: at a meeting, resting (why), or in the room without a place.
#[derive(Clone, Debug, PartialEq)]
enum Place {
    Seat(i64),
    Rest(String),
    Waiting,
}

async fn place_of(
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

async fn take_place(
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

/// Tells the phones that seats of the round changed.
async fn bump_seating(tx: &mut Transaction<'_, Any>, round_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE rounds SET seating = seating + 1 WHERE id = $1")
        .bind(round_id)
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
    let EventPeople { people, pool, .. } = event_people(db, event.id, false).await?;
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
    let index_of = |id: i64| people.iter().position(|p| p.id == id).map(|i| i as u32);
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
    }
    bump_seating(&mut tx, round.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Seats the people in the room who have no meeting in the open round (latecomers and those
/// resting) at the free tables, with the same scoring; returns how many got a seat.
pub async fn seat_latecomers(db: &Db, slug: &str) -> Result<usize, AppError> {
    let event = live_event(db, slug).await?;
    let round = open_round(db, &event).await?;
    let room = load_room(db, event.id, None).await?;
    let seated: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT p.registration_id, m.table_number FROM meeting_people p \
         JOIN meetings m ON m.id = p.meeting_id WHERE m.round_id = $1",
    )
    .bind(round.id)
    .fetch_all(&db.pool)
    .await?;
    // The seating this plan starts from: a second click (or desk) seating the same people
    // meanwhile makes this one a conflict instead of a second seat.
    let seen: i64 = sqlx::query_scalar("SELECT seating FROM rounds WHERE id = $1")
        .bind(round.id)
        .fetch_one(&db.pool)
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
    let moved_on =
        sqlx::query("UPDATE rounds SET seating = seating + 1 WHERE id = $1 AND seating = $2")
            .bind(round.id)
            .bind(seen)
            .execute(&mut *tx)
            .await?;
    if moved_on.rows_affected() == 0 {
        return Err(AppError::Conflict(Problem::SeatingChangedMeanwhile));
    }
    for &person in &waiting {
        sqlx::query("DELETE FROM round_rests WHERE round_id = $1 AND registration_id = $2")
            .bind(round.id)
            .bind(room.people[person as usize].id)
            .execute(&mut *tx)
            .await?;
    }
    store_seating(&mut tx, round.id, &room.people, &planned).await?;
    tx.commit().await?;
    Ok(planned.meetings.iter().map(|m| m.people.len()).sum())
}

#[derive(sqlx::FromRow)]
struct SeatRow {
    number: i64,
    meeting_id: Option<i64>,
    table_number: Option<i64>,
    points: Option<i64>,
    reason: Option<String>,
    id: i64,
    person_name: String,
    organisation: String,
    offers: String,
    seeks: String,
}

/// Every seat and rest of the event's rounds (or of one registrant's rounds, or of one round),
/// newest round first.
async fn seats(
    db: &Db,
    event: &EventRow,
    person: Option<i64>,
    number: Option<u32>,
) -> Result<Vec<RoundView>, AppError> {
    let rows: Vec<SeatRow> = sqlx::query_as(
        "SELECT r.number, m.id AS meeting_id, m.table_number, m.points, NULL AS reason, g.id, \
           g.person_name, g.organisation, g.offers, g.seeks \
         FROM rounds r JOIN meetings m ON m.round_id = r.id \
           JOIN meeting_people p ON p.meeting_id = m.id JOIN registrations g ON g.id = p.registration_id \
         WHERE r.event_id = $1 AND ($3 = 0 OR r.number = $3) AND ($2 = 0 OR m.id IN \
           (SELECT meeting_id FROM meeting_people WHERE registration_id = $2)) \
         UNION ALL \
         SELECT r.number, NULL, NULL, NULL, x.reason, g.id, g.person_name, g.organisation, \
           g.offers, g.seeks \
         FROM rounds r JOIN round_rests x ON x.round_id = r.id JOIN registrations g ON g.id = x.registration_id \
         WHERE r.event_id = $1 AND ($3 = 0 OR r.number = $3) AND ($2 = 0 OR g.id = $2)",
    )
    .bind(event.id)
    .bind(person.unwrap_or(0))
    .bind(number.map_or(0, i64::from))
    .fetch_all(&db.pool)
    .await?;
    let mut rounds: Vec<RoundView> = Vec::new();
    for row in rows {
        let number = row.number as u32;
        let index = match rounds.iter().position(|r| r.number == number) {
            Some(index) => index,
            None => {
                rounds.push(RoundView {
                    number,
                    tables: Vec::new(),
                    resting: Vec::new(),
                });
                rounds.len() - 1
            }
        };
        let round = &mut rounds[index];
        let seated = Seated {
            id: row.id,
            person_name: row.person_name,
            organisation: row.organisation,
            offers: row.offers,
            seeks: row.seeks,
        };
        match (
            row.meeting_id.zip(row.table_number),
            row.reason.as_deref().and_then(Rest::from_code),
        ) {
            (Some((meeting, table)), _) => {
                let table = table as u32;
                match round.tables.iter_mut().find(|t| t.table == table) {
                    Some(view) => view.people.push(seated),
                    None => round.tables.push(TableView {
                        table,
                        meeting,
                        people: vec![seated],
                        points: row.points.unwrap_or_default(),
                    }),
                }
            }
            (None, Some(rest)) => round.resting.push((seated, rest)),
            (None, None) => return Err(AppError::Internal),
        }
    }
    rounds.sort_by_key(|round| std::cmp::Reverse(round.number));
    for round in &mut rounds {
        round.tables.sort_by_key(|t| t.table);
        for table in &mut round.tables {
            table
                .people
                .sort_by_cached_key(|p| p.person_name.to_lowercase());
        }
        round
            .resting
            .sort_by_cached_key(|(p, _)| p.person_name.to_lowercase());
    }
    Ok(rounds)
}

pub async fn console(db: &Db, slug: &str) -> Result<Console, AppError> {
    let event = event_row(db, slug, true).await?;
    let live = snapshot(db, slug).await?;
    let rounds = seats(db, &event, None, None).await?;
    // Those in the room without a place in the open round: latecomers, mostly.
    let waiting = match &live.round {
        Some(round) if round.phase != RoundPhase::Ended => {
            let placed: HashSet<i64> = rounds
                .iter()
                .filter(|r| r.number == round.number)
                .flat_map(|r| {
                    r.tables
                        .iter()
                        .flat_map(|t| t.people.iter().map(|p| p.id))
                        .chain(r.resting.iter().map(|(p, _)| p.id))
                })
                .collect();
            event_people(db, event.id, true)
                .await?
                .people
                .into_iter()
                .filter(|p| !placed.contains(&p.id))
                .map(PersonRow::seated)
                .collect()
        }
        _ => Vec::new(),
    };
    let format = event.record().format;
    let slots = match format {
        EventFormat::Slots => Some(super::booking::slot_plan(db, &event).await?),
        EventFormat::Rounds => None,
    };
    Ok(Console {
        format,
        slots,
        slug: event.slug,
        title: event.title,
        live,
        rounds,
        waiting,
    })
}

/// The projector's view: the latest round.
pub async fn screen(db: &Db, slug: &str) -> Result<Screen, AppError> {
    let event = event_row(db, slug, true).await?;
    let live = snapshot(db, slug).await?;
    let round = match &live.round {
        Some(round) => seats(db, &event, None, Some(round.number))
            .await?
            .into_iter()
            .next(),
        None => None,
    };
    Ok(Screen {
        title: event.title,
        live,
        round,
    })
}

/// Every round registration `id` had a place in, newest first, with the talking points of each
/// meeting and what the person said about it.
pub(super) async fn my_meetings(
    db: &Db,
    event: &EventRow,
    id: i64,
) -> Result<Vec<MyMeeting>, AppError> {
    let mine = seats(db, event, Some(id), None).await?;
    if mine.is_empty() {
        return Ok(Vec::new());
    }
    let clocks = rounds_of(db, event.id).await?;
    let phase_of = |number: u32| {
        clocks
            .iter()
            .find(|round| round.number == i64::from(number))
            .map_or(RoundPhase::Planned, |round| round.clock().phase())
    };
    let feedback: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT meeting_id, rating, follow_up FROM meeting_feedback WHERE registration_id = $1",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let EventPeople { people, pool, .. } = event_people(db, event.id, false).await?;
    let index_of = |id: i64| people.iter().position(|p| p.id == id).map(|i| i as u32);
    Ok(mine
        .into_iter()
        .map(|round| {
            let phase = phase_of(round.number);
            match round.tables.into_iter().next() {
                Some(table) => {
                    let partners: Vec<Seated> =
                        table.people.into_iter().filter(|p| p.id != id).collect();
                    // Talking points from the profiles; a triple talks about the first partner's.
                    let reasons = partners
                        .first()
                        .and_then(|partner| Some((index_of(id)?, index_of(partner.id)?)))
                        .and_then(|(me, partner)| pool.explain(me, partner).ok())
                        .map(|explanation| explanation.reasons)
                        .unwrap_or_default();
                    MyMeeting {
                        round: round.number,
                        phase,
                        table: Some(table.table),
                        meeting_id: Some(table.meeting),
                        partners,
                        rest: None,
                        reasons,
                        feedback: feedback.iter().find(|f| f.0 == table.meeting).map(
                            |&(_, rating, follow_up)| Feedback {
                                rating: rating.clamp(1, 5) as u8,
                                follow_up: follow_up == 1,
                            },
                        ),
                    }
                }
                None => MyMeeting {
                    round: round.number,
                    phase,
                    table: None,
                    meeting_id: None,
                    partners: Vec::new(),
                    rest: round.resting.into_iter().next().map(|(_, rest)| rest),
                    reasons: Vec::new(),
                    feedback: None,
                },
            }
        })
        .collect())
}
