//! Who sits where: the rounds as the console, the projector and each participant read them.

use super::events::{event_row, EventRow};
use super::live::{current_of, rounds_of, snapshot_of, RoundRow};
use super::registrations::{people_of, PersonRow};
use crate::db::Db;
use crate::domain::event::EventFormat;
use crate::domain::live::RoundPhase;
use crate::domain::meeting::Rest;
use crate::domain::tables::TablePlace;
use crate::error::AppError;
use crate::events::{
    Console, Feedback, MyMeeting, RoundView, Screen, ScreenPerson, ScreenRound, Seated, TableView,
};
use std::collections::{HashMap, HashSet};

#[derive(sqlx::FromRow)]
pub(super) struct SeatRow {
    pub(super) number: i64,
    pub(super) meeting_id: Option<i64>,
    pub(super) table_number: Option<i64>,
    pub(super) points: Option<i64>,
    pub(super) reason: Option<String>,
    pub(super) id: i64,
    pub(super) person_name: String,
    pub(super) organisation: String,
    pub(super) offers: String,
    pub(super) seeks: String,
    /// For a registrant's own seats: their stored talking points and their feedback.
    pub(super) talk: Option<String>,
    pub(super) rating: Option<i64>,
    pub(super) follow_up: Option<i64>,
}

/// Whose seats to read.
#[derive(Clone, Copy)]
pub(super) enum SeatScope {
    /// Every round of the event (the console, the table plan).
    All,
    /// One round (the projector).
    Round(u32),
    /// One registrant's meetings with their partners, and their rests (a phone): read through
    /// the registrant's own seats, so it costs the same in a room of 40 or of 5,000.
    Person(i64),
}

const SEAT_COLUMNS: &str = "r.number, m.id AS meeting_id, m.table_number, m.points, \
    NULL AS reason, g.id, g.person_name, g.organisation, g.offers, g.seeks";
const REST_COLUMNS: &str = "r.number, NULL, NULL, NULL, x.reason, g.id, g.person_name, \
    g.organisation, g.offers, g.seeks, NULL, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)";
/// Typed, so PostgreSQL knows them in a union where every row has none.
const NO_NOTES: &str = "CAST(NULL AS TEXT) AS talk, CAST(NULL AS BIGINT) AS rating, \
    CAST(NULL AS BIGINT) AS follow_up";

/// A registrant's own notes on one meeting: talking points and feedback.
pub(super) struct SeatNotes {
    talk: Option<String>,
    feedback: Option<(i64, i64)>,
}

/// Every seat and rest in `scope`, newest round first, with each round's phase and lock from
/// `clocks` (the event's rounds).
pub(super) async fn seats(
    db: &Db,
    event: &EventRow,
    scope: SeatScope,
    clocks: &[RoundRow],
) -> Result<Vec<RoundView>, AppError> {
    Ok(seats_with_notes(db, event, scope, clocks).await?.0)
}

/// [`seats`], and for [`SeatScope::Person`] the registrant's notes by meeting.
async fn seats_with_notes(
    db: &Db,
    event: &EventRow,
    scope: SeatScope,
    clocks: &[RoundRow],
) -> Result<(Vec<RoundView>, HashMap<i64, SeatNotes>), AppError> {
    let (sql, key) = match scope {
        SeatScope::All | SeatScope::Round(_) => (
            format!(
                "SELECT {SEAT_COLUMNS}, {NO_NOTES} FROM rounds r JOIN meetings m ON m.round_id = r.id \
                   JOIN meeting_people p ON p.meeting_id = m.id \
                   JOIN registrations g ON g.id = p.registration_id \
                 WHERE r.event_id = $1 AND ($2 = 0 OR r.number = $2) \
                 UNION ALL \
                 SELECT {REST_COLUMNS} FROM rounds r JOIN round_rests x ON x.round_id = r.id \
                   JOIN registrations g ON g.id = x.registration_id \
                 WHERE r.event_id = $1 AND ($2 = 0 OR r.number = $2)"
            ),
            match scope {
                SeatScope::Round(number) => i64::from(number),
                _ => 0,
            },
        ),
        SeatScope::Person(person) => (
            format!(
                "SELECT {SEAT_COLUMNS}, mine.reasons AS talk, f.rating, f.follow_up \
                 FROM meeting_people mine \
                   JOIN meetings m ON m.id = mine.meeting_id JOIN rounds r ON r.id = m.round_id \
                   JOIN meeting_people p ON p.meeting_id = m.id \
                   JOIN registrations g ON g.id = p.registration_id \
                   LEFT JOIN meeting_feedback f \
                     ON f.meeting_id = m.id AND f.registration_id = mine.registration_id \
                 WHERE mine.registration_id = $2 AND r.event_id = $1 \
                 UNION ALL \
                 SELECT {REST_COLUMNS} FROM rounds r JOIN round_rests x ON x.round_id = r.id \
                   JOIN registrations g ON g.id = x.registration_id \
                 WHERE r.event_id = $1 AND x.registration_id = $2"
            ),
            person,
        ),
    };
    let rows: Vec<SeatRow> = sqlx::query_as(&sql)
        .bind(event.id)
        .bind(key)
        .fetch_all(&db.pool)
        .await?;
    // A phone's few tables are named directly; pages of many tables name them all once.
    let plan = &event.record.tables;
    let lookup = match scope {
        SeatScope::Person(_) => None,
        _ => Some(plan.lookup()),
    };
    let place_of = |number: u32| match &lookup {
        Some(lookup) => lookup.place(number),
        None => plan.place(number),
    };
    let mut notes: HashMap<i64, SeatNotes> = HashMap::new();
    let mut rounds: Vec<RoundView> = Vec::new();
    // Where each round's tables are in `rounds`, so a room of thousands is read in one pass.
    let mut table_at: HashMap<(u32, u32), usize> = HashMap::new();
    for row in rows {
        let number = row.number as u32;
        let index = match rounds.iter().position(|r| r.number == number) {
            Some(index) => index,
            None => {
                rounds.push(RoundView {
                    number,
                    phase: RoundPhase::Planned,
                    locked: false,
                    tables: Vec::new(),
                    resting: Vec::new(),
                });
                rounds.len() - 1
            }
        };
        let round = &mut rounds[index];
        if let (Some(meeting), Some(talk)) = (row.meeting_id, &row.talk) {
            notes.entry(meeting).or_insert_with(|| SeatNotes {
                talk: Some(talk.clone()),
                feedback: row.rating.zip(row.follow_up),
            });
        }
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
                match table_at.get(&(number, table)) {
                    Some(&at) => round.tables[at].people.push(seated),
                    None => {
                        table_at.insert((number, table), round.tables.len());
                        let place = place_of(table);
                        round.tables.push(TableView {
                            table,
                            name: place.name,
                            area: place.area,
                            meeting,
                            people: vec![seated],
                            points: row.points.unwrap_or_default(),
                        });
                    }
                }
            }
            (None, Some(rest)) => round.resting.push((seated, rest)),
            (None, None) => return Err(AppError::Internal),
        }
    }
    rounds.sort_by_key(|round| std::cmp::Reverse(round.number));
    for round in &mut rounds {
        if let Some(clock) = clocks.iter().find(|c| c.number == i64::from(round.number)) {
            round.phase = clock.clock().phase();
            round.locked = clock.locked == 1;
        }
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
    Ok((rounds, notes))
}

pub async fn console(db: &Db, slug: &str) -> Result<Console, AppError> {
    let event = event_row(db, slug, true).await?;
    let clocks = rounds_of(db, event.id).await?;
    let mut rounds = seats(db, &event, SeatScope::All, &clocks).await?;
    let live = snapshot_of(db, &event, clocks).await?;
    // Six planned rounds of 2,000 people are 12,000 seats: names only, not their profiles.
    for round in &mut rounds {
        let people = round.tables.iter_mut().flat_map(|t| t.people.iter_mut());
        for person in people.chain(round.resting.iter_mut().map(|(p, _)| p)) {
            person.offers.clear();
            person.seeks.clear();
        }
    }
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
            people_of(db, event.id, true)
                .await?
                .into_iter()
                .filter(|p| !placed.contains(&p.id))
                .map(PersonRow::seated)
                .collect()
        }
        _ => Vec::new(),
    };
    let format = event.record.format;
    let slots = match format {
        EventFormat::Slots => Some(super::booking::slot_plan(db, &event).await?),
        EventFormat::Rounds => None,
    };
    Ok(Console {
        format,
        slots,
        slug: event.slug,
        title: event.record.title,
        live,
        rounds,
        waiting,
    })
}

/// The projector's view: the current round.
pub async fn screen(db: &Db, slug: &str) -> Result<Screen, AppError> {
    let event = event_row(db, slug, true).await?;
    let clocks = rounds_of(db, event.id).await?;
    let live = snapshot_of(db, &event, clocks.clone()).await?;
    let round = match &live.round {
        Some(round) => seats(db, &event, SeatScope::Round(round.number), &clocks)
            .await?
            .into_iter()
            .next()
            .map(|round| ScreenRound {
                number: round.number,
                people: round
                    .tables
                    .into_iter()
                    .flat_map(|table| {
                        let name = table.name;
                        table.people.into_iter().map(move |p| ScreenPerson {
                            name: p.person_name,
                            organisation: p.organisation,
                            table: Some(name.clone()),
                        })
                    })
                    .chain(round.resting.into_iter().map(|(p, _)| ScreenPerson {
                        name: p.person_name,
                        organisation: p.organisation,
                        table: None,
                    }))
                    .collect(),
            }),
        None => None,
    };
    Ok(Screen {
        title: event.record.title,
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
    let clocks = rounds_of(db, event.id).await?;
    let (mut mine, notes) = seats_with_notes(db, event, SeatScope::Person(id), &clocks).await?;
    // Rounds after the current one are the plan ahead, which may still change: a phone shows the
    // next meeting once it is the next round.
    let current = current_of(clocks).map_or(0, |r| r.number);
    mine.retain(|round| i64::from(round.number) <= current);
    Ok(mine
        .into_iter()
        .map(|round| {
            let phase = round.phase;
            match round.tables.into_iter().next() {
                Some(table) => {
                    let seats = table.people.len() as u32;
                    let partners: Vec<Seated> =
                        table.people.into_iter().filter(|p| p.id != id).collect();
                    let note = notes.get(&table.meeting);
                    // The talking points were worked out when the seats were planned.
                    let reasons = note
                        .and_then(|note| note.talk.as_deref())
                        .and_then(|json| serde_json::from_str(json).ok())
                        .unwrap_or_default();
                    MyMeeting {
                        round: round.number,
                        phase,
                        table: Some(TablePlace {
                            number: table.table,
                            name: table.name,
                            area: table.area,
                            seats,
                        }),
                        meeting_id: Some(table.meeting),
                        partners,
                        rest: None,
                        reasons,
                        feedback: note
                            .and_then(|note| note.feedback)
                            .map(|(rating, follow_up)| Feedback {
                                rating: rating.clamp(1, 5) as u8,
                                follow_up: follow_up == 1,
                            }),
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
