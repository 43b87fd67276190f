//! Who sits where: the rounds as the console, the projector and each participant read them.

use super::events::{event_row, EventRow};
use super::live::{current_round, rounds_of, snapshot};
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
}

/// Every seat and rest of the event's rounds (or of one registrant's rounds, or of one round),
/// newest round first.
pub(super) async fn seats(
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
    let tables = event.record.tables.lookup();
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
                        let place = tables.place(table);
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
    let clocks = rounds_of(db, event.id).await?;
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
    Ok(rounds)
}

pub async fn console(db: &Db, slug: &str) -> Result<Console, AppError> {
    let event = event_row(db, slug, true).await?;
    let live = snapshot(db, slug).await?;
    let mut rounds = seats(db, &event, None, None).await?;
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

/// The projector's view: the latest round.
pub async fn screen(db: &Db, slug: &str) -> Result<Screen, AppError> {
    let event = event_row(db, slug, true).await?;
    let live = snapshot(db, slug).await?;
    let round = match &live.round {
        Some(round) => seats(db, &event, None, Some(round.number))
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
    let mut mine = seats(db, event, Some(id), None).await?;
    // Rounds after the current one are the plan ahead, which may still change: a phone shows the
    // next meeting once it is the next round.
    let current = current_round(db, event.id).await?.map_or(0, |r| r.number);
    mine.retain(|round| i64::from(round.number) <= current);
    if mine.is_empty() {
        return Ok(Vec::new());
    }
    let feedback: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT meeting_id, rating, follow_up FROM meeting_feedback WHERE registration_id = $1",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    // The talking points were worked out when the seats were planned.
    let points: HashMap<i64, String> =
        sqlx::query_as("SELECT meeting_id, reasons FROM meeting_people WHERE registration_id = $1")
            .bind(id)
            .fetch_all(&db.pool)
            .await?
            .into_iter()
            .collect();
    Ok(mine
        .into_iter()
        .map(|round| {
            let phase = round.phase;
            match round.tables.into_iter().next() {
                Some(table) => {
                    let seats = table.people.len() as u32;
                    let partners: Vec<Seated> =
                        table.people.into_iter().filter(|p| p.id != id).collect();
                    let reasons = points
                        .get(&table.meeting)
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
