//! After the meetings (server only): what participants say about each meeting, mutual follow-ups
//! that organisers turn into connections on the actor map, the event report with its CSV.

use super::events::{event_row, EventRow};
use super::registrations::{registration_by_token, PersonRow};
use crate::db::actors::{bump_revision, insert_actor, insert_connection, NewConnection};
use crate::db::{now_secs, Db};
use crate::domain::actor::{ActorKind, ConnectionKind};
use crate::domain::actor_input::{ActorRecord, ConnectionRecord};
use crate::domain::date::parse_local;
use crate::domain::scoring::organisation_key;
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::events::{EventReport, FollowUp, KindFigures, Seated};
use sqlx::{Any, Transaction};
use std::collections::{BTreeMap, HashMap};

/// A participant rates a meeting they sat in (1–5) and says whether to follow up; once the
/// round is over, and again to change it.
pub async fn feedback(
    db: &Db,
    slug: &str,
    token: &str,
    meeting: i64,
    rating: u8,
    follow_up: bool,
) -> Result<(), AppError> {
    let event = event_row(db, slug, false).await?;
    let me = registration_by_token(db, &event, token).await?;
    if !(1..=5).contains(&rating) {
        return Err(AppError::invalid(
            "rating",
            Problem::NumberOutOfRange { min: 1, max: 5 },
        ));
    }
    let ended: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT r.ended_at FROM meeting_people p JOIN meetings m ON m.id = p.meeting_id \
         JOIN rounds r ON r.id = m.round_id \
         WHERE p.meeting_id = $1 AND p.registration_id = $2 AND r.event_id = $3",
    )
    .bind(meeting)
    .bind(me.id)
    .bind(event.id)
    .fetch_optional(&db.pool)
    .await?;
    match ended {
        None => return Err(AppError::NotFound),
        Some(None) => return Err(AppError::Conflict(Problem::MeetingNotOver)),
        Some(Some(_)) => {}
    }
    sqlx::query(
        "INSERT INTO meeting_feedback (meeting_id, registration_id, rating, follow_up, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (meeting_id, registration_id) DO UPDATE \
         SET rating = excluded.rating, follow_up = excluded.follow_up, created_at = excluded.created_at",
    )
    .bind(meeting)
    .bind(me.id)
    .bind(i64::from(rating))
    .bind(i64::from(follow_up))
    .bind(now_secs())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Every pair of a held meeting where both sides want to follow up, with the round.
pub(super) async fn mutual_follow_ups(
    db: &Db,
    event_id: i64,
) -> Result<Vec<(i64, i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.registration_id, b.registration_id, r.number FROM meeting_feedback a \
         JOIN meeting_feedback b ON b.meeting_id = a.meeting_id AND a.registration_id < b.registration_id \
         JOIN meetings m ON m.id = a.meeting_id JOIN rounds r ON r.id = m.round_id \
         WHERE r.event_id = $1 AND a.follow_up = 1 AND b.follow_up = 1 \
         ORDER BY r.number, a.registration_id, b.registration_id",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?)
}

#[derive(sqlx::FromRow)]
pub(super) struct Participant {
    pub(super) id: i64,
    pub(super) actor_id: Option<i64>,
    pub(super) person_name: String,
    pub(super) organisation: String,
    pub(super) kind: Option<String>,
    pub(super) checked_in_at: Option<i64>,
    pub(super) offers: String,
    pub(super) seeks: String,
}

impl Participant {
    fn kind(&self) -> Option<ActorKind> {
        self.kind.as_deref().and_then(ActorKind::from_code)
    }

    fn seated(&self) -> Seated {
        PersonRow {
            id: self.id,
            person_name: self.person_name.clone(),
            organisation: self.organisation.clone(),
            kind: self.kind.clone(),
            offers: self.offers.clone(),
            seeks: self.seeks.clone(),
        }
        .seated()
    }
}

pub(super) async fn participants(db: &Db, event_id: i64) -> Result<Vec<Participant>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, actor_id, person_name, organisation, kind, checked_in_at, offers, seeks \
         FROM registrations WHERE event_id = $1 ORDER BY id",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn report(db: &Db, slug: &str) -> Result<EventReport, AppError> {
    let event = event_row(db, slug, true).await?;
    let people = participants(db, event.id).await?;
    let by_id: HashMap<i64, &Participant> = people.iter().map(|p| (p.id, p)).collect();
    // Seats in held meetings: (meeting, person).
    let seats: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT p.meeting_id, p.registration_id FROM meeting_people p \
         JOIN meetings m ON m.id = p.meeting_id JOIN rounds r ON r.id = m.round_id \
         WHERE r.event_id = $1 AND r.ended_at IS NOT NULL ORDER BY p.meeting_id, p.registration_id",
    )
    .bind(event.id)
    .fetch_all(&db.pool)
    .await?;
    let mut meetings: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for &(meeting, person) in &seats {
        meetings.entry(meeting).or_default().push(person);
    }
    let rounds_held: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM rounds WHERE event_id = $1 AND ended_at IS NOT NULL",
    )
    .bind(event.id)
    .fetch_one(&db.pool)
    .await?;
    let (ratings, rating_sum): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), CAST(SUM(f.rating) AS BIGINT) FROM meeting_feedback f JOIN meetings m ON m.id = f.meeting_id \
         JOIN rounds r ON r.id = m.round_id WHERE r.event_id = $1",
    )
    .bind(event.id)
    .fetch_one(&db.pool)
    .await?;
    let one_sided: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT f.meeting_id FROM meeting_feedback f \
           JOIN meetings m ON m.id = f.meeting_id JOIN rounds r ON r.id = m.round_id \
           WHERE r.event_id = $1 GROUP BY f.meeting_id \
           HAVING SUM(f.follow_up) = 1) AS one_sided",
    )
    .bind(event.id)
    .fetch_one(&db.pool)
    .await?;

    let kind_of = |id: i64| by_id.get(&id).and_then(|p| p.kind());
    let kinds: Vec<Option<ActorKind>> = ActorKind::ALL
        .into_iter()
        .map(Some)
        .chain(std::iter::once(None))
        .collect();
    let by_kind = kinds
        .iter()
        .map(|&kind| KindFigures {
            kind,
            registered: people.iter().filter(|p| p.kind() == kind).count() as i64,
            attended: people
                .iter()
                .filter(|p| p.kind() == kind && p.checked_in_at.is_some())
                .count() as i64,
            meetings: seats.iter().filter(|(_, p)| kind_of(*p) == kind).count() as i64,
        })
        .filter(|figures| figures.registered > 0)
        .collect();
    let rank = |kind: Option<ActorKind>| kinds.iter().position(|k| *k == kind).unwrap_or(0);
    let mut pairs: BTreeMap<(usize, usize), i64> = BTreeMap::new();
    for members in meetings.values() {
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                let (x, y) = (rank(kind_of(a)), rank(kind_of(b)));
                *pairs.entry((x.min(y), x.max(y))).or_default() += 1;
            }
        }
    }
    let mut kind_pairs: Vec<(Option<ActorKind>, Option<ActorKind>, i64)> = pairs
        .into_iter()
        .map(|((x, y), count)| (kinds[x], kinds[y], count))
        .collect();
    kind_pairs.sort_by_key(|pair| std::cmp::Reverse(pair.2));

    let confirmed: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT first_registration, second_registration FROM follow_ups WHERE event_id = $1",
    )
    .bind(event.id)
    .fetch_all(&db.pool)
    .await?;
    let follow_ups = mutual_follow_ups(db, event.id)
        .await?
        .into_iter()
        .filter_map(|(a, b, round)| {
            Some(FollowUp {
                first: by_id.get(&a)?.seated(),
                second: by_id.get(&b)?.seated(),
                round: round as u32,
                confirmed: confirmed.contains(&(a, b)),
            })
        })
        .collect();
    Ok(EventReport {
        slug: event.slug.clone(),
        title: event.record.title.clone(),
        starts_at: event.record.starts_at.clone(),
        registered: people.len() as i64,
        attended: people.iter().filter(|p| p.checked_in_at.is_some()).count() as i64,
        rounds_held,
        meetings_held: meetings.len() as i64,
        ratings,
        average_rating_tenths: rating_sum
            .filter(|_| ratings > 0)
            .map(|sum| (sum * 10 + ratings / 2) / ratings),
        one_sided,
        by_kind,
        kind_pairs,
        follow_ups,
        unmatched: super::organisations::unmatched(db, event.id).await?,
    })
}

/// Where a new actor starts on a map without any actors: the middle of the Kraichgau region the
/// project began in. Editors move it; it is not public until then.
pub(super) const EMPTY_MAP_PLACE: (f64, f64) = (49.2, 8.8);

/// The map's actor for a participant's organisation: the linked one, one of the same name, or a
/// new one that stays off the public map until the organisation has agreed and an editor has
/// checked its place (it starts at the event's town, where the meeting happened).
pub(super) async fn actor_for(
    tx: &mut Transaction<'_, Any>,
    event: &EventRow,
    person: &Participant,
) -> Result<i64, AppError> {
    if let Some(id) = person.actor_id {
        return Ok(id);
    }
    let actors: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM actors ORDER BY id")
        .fetch_all(&mut **tx)
        .await?;
    let wanted = organisation_key(&person.organisation);
    let found = actors
        .into_iter()
        .find(|(_, name)| organisation_key(name) == wanted)
        .map(|(id, _)| id);
    let id = match found {
        Some(id) => id,
        None => {
            let town = event.record.town.clone();
            // Where the map already has actors of this town, else the middle of all of them.
            let place = sqlx::query_as::<_, (Option<f64>, Option<f64>)>(
                "SELECT AVG(lat), AVG(lon) FROM actors WHERE town = $1 \
                 UNION ALL SELECT AVG(lat), AVG(lon) FROM actors",
            )
            .bind(&town)
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .find(|(lat, lon): &(Option<f64>, Option<f64>)| lat.is_some() && lon.is_some())
            .unwrap_or((Some(EMPTY_MAP_PLACE.0), Some(EMPTY_MAP_PLACE.1)));
            let record = ActorRecord::placed(
                person.organisation.clone(),
                person.kind().unwrap_or(ActorKind::Mittelstand),
                town,
                place.0.unwrap_or(EMPTY_MAP_PLACE.0),
                place.1.unwrap_or(EMPTY_MAP_PLACE.1),
            );
            let slug = insert_actor(tx, &record, &HashMap::new(), now_secs()).await?;
            sqlx::query_scalar("SELECT id FROM actors WHERE slug = $1")
                .bind(slug)
                .fetch_one(&mut **tx)
                .await?
        }
    };
    sqlx::query("UPDATE registrations SET actor_id = $1 WHERE id = $2")
        .bind(id)
        .bind(person.id)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// An organiser confirms a mutual follow-up: it becomes a tandem connection on the map (origin:
/// this event), with actors for organisations the map did not know yet, all in one transaction.
pub async fn confirm_follow_up(
    db: &Db,
    slug: &str,
    first: i64,
    second: i64,
    organiser: i64,
) -> Result<(), AppError> {
    let event = event_row(db, slug, true).await?;
    let (first, second) = (first.min(second), first.max(second));
    let mutual = mutual_follow_ups(db, event.id).await?;
    if !mutual.iter().any(|&(a, b, _)| (a, b) == (first, second)) {
        return Err(AppError::Conflict(Problem::FollowUpNotMutual));
    }
    let people = participants(db, event.id).await?;
    let person = |id: i64| people.iter().find(|p| p.id == id).ok_or(AppError::NotFound);
    let (a, b) = (person(first)?, person(second)?);
    let mut tx = db.begin_write().await?;
    let already: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM follow_ups WHERE first_registration = $1 AND second_registration = $2",
    )
    .bind(first)
    .bind(second)
    .fetch_one(&mut *tx)
    .await?;
    if already > 0 {
        return Err(AppError::Conflict(Problem::FollowUpConfirmed));
    }
    let (source, target) = (
        actor_for(&mut tx, &event, a).await?,
        actor_for(&mut tx, &event, b).await?,
    );
    let record = &event.record;
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM connections WHERE kind = $1 AND \
           ((source_id = $2 AND target_id = $3) OR (source_id = $3 AND target_id = $2))",
    )
    .bind(ConnectionKind::Tandem.code())
    .bind(source)
    .bind(target)
    .fetch_optional(&mut *tx)
    .await?;
    let connection = match existing {
        Some(id) => Some(id),
        // Same organisation on both sides: nothing to draw.
        None if source == target => None,
        None => Some(
            insert_connection(
                &mut tx,
                NewConnection {
                    record: &ConnectionRecord {
                        source: String::new(),
                        target: String::new(),
                        kind: ConnectionKind::Tandem,
                        start: parse_local(&record.starts_at)
                            .map(|at| at.date())
                            .unwrap_or_else(crate::db::today),
                        end: None,
                        origin: Some(record.title.clone()),
                        note: None,
                    },
                    source,
                    target,
                    event: Some(event.id),
                },
                now_secs(),
            )
            .await?,
        ),
    };
    sqlx::query(
        "INSERT INTO follow_ups (event_id, first_registration, second_registration, connection_id, \
           confirmed_by, confirmed_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(event.id)
    .bind(first)
    .bind(second)
    .bind(connection)
    .bind(organiser)
    .bind(now_secs())
    .execute(&mut *tx)
    .await?;
    bump_revision(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub(super) struct HeldSeat {
    pub(super) round: i64,
    pub(super) table_number: i64,
    pub(super) meeting: i64,
    pub(super) person: i64,
    pub(super) rating: Option<i64>,
    pub(super) follow_up: Option<i64>,
}

/// Every seat of every held meeting, one row per person, for spreadsheets.
pub async fn meetings_csv(db: &Db, slug: &str) -> Result<String, AppError> {
    let event = event_row(db, slug, true).await?;
    let people = participants(db, event.id).await?;
    let by_id: HashMap<i64, &Participant> = people.iter().map(|p| (p.id, p)).collect();
    let seats: Vec<HeldSeat> = sqlx::query_as(
        "SELECT r.number AS round, m.table_number AS table_number, m.id AS meeting, \
           p.registration_id AS person, f.rating, f.follow_up \
         FROM rounds r JOIN meetings m ON m.round_id = r.id JOIN meeting_people p ON p.meeting_id = m.id \
         LEFT JOIN meeting_feedback f ON f.meeting_id = m.id AND f.registration_id = p.registration_id \
         WHERE r.event_id = $1 AND r.ended_at IS NOT NULL ORDER BY r.number, m.table_number",
    )
    .bind(event.id)
    .fetch_all(&db.pool)
    .await?;
    let mut at_meeting: HashMap<i64, Vec<i64>> = HashMap::new();
    for seat in &seats {
        at_meeting
            .entry(seat.meeting)
            .or_default()
            .push(seat.person);
    }
    let tables = event.record.tables.lookup();
    let rows = seats.iter().filter_map(|seat| {
        let me = by_id.get(&seat.person)?;
        let partners = at_meeting[&seat.meeting]
            .iter()
            .filter(|&&person| person != seat.person)
            .filter_map(|person| by_id.get(person))
            .map(|p| format!("{} ({})", p.person_name, p.organisation))
            .collect::<Vec<_>>()
            .join(", ");
        Some(vec![
            seat.round.to_string(),
            tables.place(seat.table_number as u32).name,
            me.person_name.clone(),
            me.organisation.clone(),
            me.kind().map(|k| k.code().to_owned()).unwrap_or_default(),
            partners,
            seat.rating.map(|r| r.to_string()).unwrap_or_default(),
            match seat.follow_up {
                Some(1) => "ja",
                Some(_) => "nein",
                None => "",
            }
            .to_owned(),
        ])
    });
    Ok(crate::domain::spreadsheet::excel_csv(
        &[
            "runde",
            "tisch",
            "name",
            "organisation",
            "art",
            "gespraech_mit",
            "bewertung",
            "weitermachen",
        ],
        rows,
    )?)
}
