//! Matchmaking rounds in the database (server only): the next round is planned from the people
//! in the room with `domain::matching`, stored in one transaction, and read back for the
//! organisers' console and each participant's page.

use super::server::{counts, event_people, event_row, EventPeople, EventRow};
use super::{Console, MyMeeting, RoundView, Seated, TableView};
use crate::db::{is_unique_violation, now_secs, Db};
use crate::domain::event::EventStatus;
use crate::domain::matching::{plan_round, OddPolicy, RoundSetup, Table};
use crate::domain::meeting::{Rest, Wish};
use crate::domain::validation::Problem;
use crate::error::AppError;

/// Plans and stores the event's next round; returns its number.
pub async fn plan_next(db: &Db, slug: &str) -> Result<u32, AppError> {
    let event = event_row(db, slug, true).await?;
    if event.status()? != EventStatus::Live {
        return Err(AppError::Conflict(Problem::EventNotLive));
    }
    let record = event.record();
    let planned: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rounds WHERE event_id = $1")
        .bind(event.id)
        .fetch_one(&db.pool)
        .await?;
    if planned >= i64::from(record.rounds) {
        return Err(AppError::Conflict(Problem::AllRoundsPlanned));
    }
    let number = planned as u32 + 1;
    let EventPeople {
        people, mut pool, ..
    } = event_people(db, event.id, true).await?;
    let index_of = |id: i64| people.iter().position(|p| p.id == id).map(|i| i as u32);

    let wishes: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT w.from_registration, w.to_registration, w.wish FROM wishes w \
         JOIN registrations r ON r.id = w.from_registration WHERE r.event_id = $1",
    )
    .bind(event.id)
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
         WHERE r.event_id = $1",
    )
    .bind(event.id)
    .fetch_all(&db.pool)
    .await?;
    for (a, b) in met {
        if let (Some(a), Some(b)) = (index_of(a), index_of(b)) {
            pool.record_meeting(a, b);
        }
    }
    let rests: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT x.registration_id, COUNT(*) FROM round_rests x JOIN rounds r ON r.id = x.round_id \
         WHERE r.event_id = $1 GROUP BY x.registration_id",
    )
    .bind(event.id)
    .fetch_all(&db.pool)
    .await?;
    let mut byes = vec![0u32; people.len()];
    for (person, count) in rests {
        if let Some(i) = index_of(person) {
            byes[i as usize] = count as u32;
        }
    }

    let present: Vec<u32> = (0..people.len() as u32).collect();
    let tables: Vec<Table> = (1..=record.tables)
        .map(|number| Table {
            number,
            capacity: record.seats,
        })
        .collect();
    let round = plan_round(
        &pool,
        &RoundSetup {
            present: &present,
            tables: &tables,
            odd: if record.odd_sits_out {
                OddPolicy::Bye
            } else {
                OddPolicy::Triple
            },
            byes: &byes,
            round: number,
        },
    );

    let mut tx = db.pool.begin().await?;
    let round_id: i64 = sqlx::query_scalar(
        "INSERT INTO rounds (event_id, number, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(event.id)
    .bind(i64::from(number))
    .bind(now_secs())
    .fetch_one(&mut *tx)
    .await
    .map_err(|error| {
        // Another organiser planned this round a moment ago.
        if is_unique_violation(&error) {
            AppError::Conflict(Problem::RoundPlannedMeanwhile)
        } else {
            error.into()
        }
    })?;
    for meeting in &round.meetings {
        let meeting_id: i64 = sqlx::query_scalar(
            "INSERT INTO meetings (round_id, table_number, points) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(round_id)
        .bind(i64::from(meeting.table))
        .bind(meeting.points)
        .fetch_one(&mut *tx)
        .await?;
        for &person in &meeting.people {
            sqlx::query("INSERT INTO meeting_people (meeting_id, registration_id) VALUES ($1, $2)")
                .bind(meeting_id)
                .bind(people[person as usize].id)
                .execute(&mut *tx)
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
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(number)
}

#[derive(sqlx::FromRow)]
struct SeatRow {
    number: i64,
    table_number: Option<i64>,
    points: Option<i64>,
    reason: Option<String>,
    id: i64,
    person_name: String,
    organisation: String,
    offers: String,
    seeks: String,
}

/// Every seat and rest of the event's rounds (or of one registrant's rounds), newest first.
async fn seats(db: &Db, event: &EventRow, person: Option<i64>) -> Result<Vec<RoundView>, AppError> {
    let rows: Vec<SeatRow> = sqlx::query_as(
        "SELECT r.number, m.table_number, m.points, NULL AS reason, g.id, g.person_name, \
           g.organisation, g.offers, g.seeks \
         FROM rounds r JOIN meetings m ON m.round_id = r.id \
           JOIN meeting_people p ON p.meeting_id = m.id JOIN registrations g ON g.id = p.registration_id \
         WHERE r.event_id = $1 AND ($2 = 0 OR m.id IN \
           (SELECT meeting_id FROM meeting_people WHERE registration_id = $2)) \
         UNION ALL \
         SELECT r.number, NULL, NULL, x.reason, g.id, g.person_name, g.organisation, g.offers, g.seeks \
         FROM rounds r JOIN round_rests x ON x.round_id = r.id JOIN registrations g ON g.id = x.registration_id \
         WHERE r.event_id = $1 AND ($2 = 0 OR g.id = $2)",
    )
    .bind(event.id)
    .bind(person.unwrap_or(0))
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
            row.table_number,
            row.reason.as_deref().and_then(Rest::from_code),
        ) {
            (Some(table), _) => {
                let table = table as u32;
                match round.tables.iter_mut().find(|t| t.table == table) {
                    Some(view) => view.people.push(seated),
                    None => round.tables.push(TableView {
                        table,
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
    let (_, present, _) = counts(db, event.id).await?;
    Ok(Console {
        rounds: seats(db, &event, None).await?,
        status: event.status()?,
        rounds_total: event.record().rounds,
        present,
        slug: event.slug,
        title: event.title,
    })
}

/// Where registration `id` is in the event's latest round (none before the first round, or when
/// the person arrived after it was planned).
pub(super) async fn my_meeting(
    db: &Db,
    event: &EventRow,
    id: i64,
) -> Result<Option<MyMeeting>, AppError> {
    let latest: Option<i64> =
        sqlx::query_scalar("SELECT MAX(number) FROM rounds WHERE event_id = $1")
            .bind(event.id)
            .fetch_one(&db.pool)
            .await?;
    let Some(latest) = latest else {
        return Ok(None);
    };
    let mine = seats(db, event, Some(id)).await?;
    let Some(round) = mine.into_iter().find(|r| i64::from(r.number) == latest) else {
        return Ok(None);
    };
    if let Some(table) = round.tables.into_iter().next() {
        return Ok(Some(MyMeeting {
            round: round.number,
            table: Some(table.table),
            partners: table.people.into_iter().filter(|p| p.id != id).collect(),
            rest: None,
        }));
    }
    Ok(round.resting.into_iter().next().map(|(_, rest)| MyMeeting {
        round: round.number,
        table: None,
        partners: Vec::new(),
        rest: Some(rest),
    }))
}
