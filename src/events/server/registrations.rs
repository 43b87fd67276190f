//! Registrations: through the public link or at the door, the personal link renewed or
//! cancelled, and the people of an event as matchmaking sees them.

use crate::db::today;
use crate::db::{is_unique_violation, now_secs, Db};
use crate::domain::actor::ActorKind;
use crate::domain::event::{
    link_expired, registration_open, EventStatus, RegistrationInput, RegistrationRecord,
};
use crate::domain::scoring::{organisation_key, Pool};
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::events::server::events::event_row;
use crate::events::server::events::topics;
use crate::events::server::events::EventRow;
use crate::events::Topic;
use crate::token::{new_token, token_hash};
use sqlx::{Any, Transaction};
use std::collections::HashMap;

/// Registers someone; returns the token of their personal link. At the door (by an organiser)
/// the window does not apply to an open or live event, and the person is checked in at once.
pub async fn register(
    db: &Db,
    slug: &str,
    input: &RegistrationInput,
    at_the_door: bool,
) -> Result<String, AppError> {
    let row = event_row(db, slug, at_the_door).await?;
    let status = row.status;
    let open = if at_the_door {
        matches!(status, EventStatus::Open | EventStatus::Live)
    } else {
        registration_open(status, &row.record, today())
    };
    if !open {
        return Err(AppError::Conflict(Problem::RegistrationClosed));
    }
    let topics = topics(db).await?;
    let codes: Vec<String> = topics.iter().map(|t| t.code.clone()).collect();
    let record = input.validate(&codes).map_err(AppError::from)?;
    let token = new_token();
    let mut tx = db.begin_write().await?;
    let id = insert_registration(&mut tx, row.id, &record, &token_hash(&token), at_the_door)
        .await
        .map_err(|error| match error {
            InsertError::Duplicate => AppError::invalid("email", Problem::AlreadyRegistered),
            InsertError::Database(error) => error.into(),
        })?;
    for code in &record.topics {
        let (vocabulary, term) = code.split_once(':').ok_or(AppError::Internal)?;
        sqlx::query(
            "INSERT INTO registration_terms (registration_id, term_id) \
             SELECT $1, id FROM taxonomy_terms WHERE vocabulary = $2 AND slug = $3",
        )
        .bind(id)
        .bind(vocabulary)
        .bind(term)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(token)
}

pub(super) enum InsertError {
    Duplicate,
    Database(sqlx::Error),
}

pub(super) async fn insert_registration(
    tx: &mut Transaction<'_, Any>,
    event_id: i64,
    record: &RegistrationRecord,
    token_hash: &str,
    at_the_door: bool,
) -> Result<i64, InsertError> {
    // The organisation is linked to the map's actor of the same name, when there is one.
    // Compared in Rust: SQLite's LOWER only folds ASCII ("MÜLLER" vs "Müller").
    let actors: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM actors ORDER BY id")
        .fetch_all(&mut **tx)
        .await
        .map_err(InsertError::Database)?;
    let wanted = organisation_key(&record.organisation);
    let actor_id = actors
        .into_iter()
        .find(|(_, name)| organisation_key(name) == wanted)
        .map(|(id, _)| id);
    let now = now_secs();
    sqlx::query_scalar(
        "INSERT INTO registrations (event_id, actor_id, person_name, email, organisation, kind, \
           offers, seeks, consent, token_hash, at_the_door, checked_in_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11, $12) RETURNING id",
    )
    .bind(event_id)
    .bind(actor_id)
    .bind(&record.person_name)
    .bind(&record.email)
    .bind(&record.organisation)
    .bind(record.kind.code())
    .bind(&record.offers)
    .bind(&record.seeks)
    .bind(token_hash)
    .bind(at_the_door as i64)
    .bind(at_the_door.then_some(now))
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|error| {
        if is_unique_violation(&error) {
            InsertError::Duplicate
        } else {
            InsertError::Database(error)
        }
    })
}

#[derive(sqlx::FromRow)]
pub(super) struct RegistrationRow {
    pub(super) id: i64,
    pub(super) person_name: String,
    pub(super) email: String,
    pub(super) organisation: String,
    pub(super) kind: Option<String>,
    pub(super) offers: String,
    pub(super) seeks: String,
    pub(super) checked_in_at: Option<i64>,
    pub(super) checked_out_at: Option<i64>,
    pub(super) at_the_door: i64,
}

pub(super) const REGISTRATION_COLUMNS: &str =
    "r.id, r.person_name, r.email, r.organisation, r.kind, r.offers, \
     r.seeks, r.checked_in_at, r.checked_out_at, r.at_the_door";

/// The registration behind a personal link of `event`; a link past the event's retention
/// period opens nothing any more.
pub(super) async fn registration_by_token(
    db: &Db,
    event: &EventRow,
    token: &str,
) -> Result<RegistrationRow, AppError> {
    if link_expired(&event.record, today()) {
        return Err(AppError::Conflict(Problem::LinkExpired));
    }
    sqlx::query_as(&format!(
        "SELECT {REGISTRATION_COLUMNS} FROM registrations r \
         WHERE r.event_id = $1 AND r.token_hash = $2"
    ))
    .bind(event.id)
    .bind(token_hash(token.trim()))
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// A new personal link for the owner of `token`: the old one stops working at once (a link
/// shared by mistake, a phone lost). Answers the new token.
pub async fn renew_link(db: &Db, slug: &str, token: &str) -> Result<String, AppError> {
    let event = event_row(db, slug, false).await?;
    let me = registration_by_token(db, &event, token).await?;
    let fresh = new_token();
    let updated =
        sqlx::query("UPDATE registrations SET token_hash = $1 WHERE id = $2 AND token_hash = $3")
            .bind(token_hash(&fresh))
            .bind(me.id)
            .bind(token_hash(token.trim()))
            .execute(&db.pool)
            .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(fresh)
}

/// Deletes a registration through its personal link: everything the person gave goes with it.
pub async fn cancel(db: &Db, slug: &str, token: &str) -> Result<(), AppError> {
    let event = event_row(db, slug, true).await?;
    let row = registration_by_token(db, &event, token).await?;
    delete_registration(db, slug, row.id).await
}

/// Deletes registration `id` of the event with everything that hangs on it (topics, wishes,
/// seats in rounds): for people who withdraw, also through the organisers.
pub async fn delete_registration(db: &Db, slug: &str, id: i64) -> Result<(), AppError> {
    let event = event_row(db, slug, true).await?;
    let deleted = sqlx::query("DELETE FROM registrations WHERE id = $1 AND event_id = $2")
        .bind(id)
        .bind(event.id)
        .execute(&db.pool)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

#[derive(Clone, sqlx::FromRow)]
pub(super) struct PersonRow {
    pub(super) id: i64,
    pub(super) person_name: String,
    pub(super) organisation: String,
    pub(super) kind: Option<String>,
    pub(super) offers: String,
    pub(super) seeks: String,
}

impl PersonRow {
    pub(super) fn seated(self) -> crate::events::Seated {
        crate::events::Seated {
            id: self.id,
            person_name: self.person_name,
            organisation: self.organisation,
            offers: self.offers,
            seeks: self.seeks,
        }
    }
}

/// An event's registrants (all who consented, or only those in the room) as a scoring pool, in
/// the same order: person `i` of `people` is index `i` of `pool`. No wishes or meetings yet.
pub(super) struct EventPeople {
    pub(super) people: Vec<PersonRow>,
    pub(super) topics: Vec<Topic>,
    pub(super) topics_of: Vec<Vec<u32>>,
    pub(super) pool: Pool,
}

/// An event's registrants who consented (or only those in the room), by name: for lists of
/// names, without a scoring pool.
pub(super) async fn people_of(
    db: &Db,
    event_id: i64,
    only_present: bool,
) -> Result<Vec<PersonRow>, AppError> {
    let mut people: Vec<PersonRow> = sqlx::query_as(
        "SELECT id, person_name, organisation, kind, offers, seeks FROM registrations \
         WHERE event_id = $1 AND consent = 1 \
           AND ($2 = 0 OR (checked_in_at IS NOT NULL AND checked_out_at IS NULL))",
    )
    .bind(event_id)
    .bind(only_present as i64)
    .fetch_all(&db.pool)
    .await?;
    people.sort_by_cached_key(|p| (p.person_name.to_lowercase(), p.id));
    Ok(people)
}

pub(super) async fn event_people(
    db: &Db,
    event: &EventRow,
    only_present: bool,
) -> Result<EventPeople, AppError> {
    let event_id = event.id;
    let people = people_of(db, event_id, only_present).await?;
    let topics = topics(db).await?;
    let chosen: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT x.registration_id, t.vocabulary, t.slug FROM registration_terms x \
         JOIN taxonomy_terms t ON t.id = x.term_id \
         JOIN registrations r ON r.id = x.registration_id WHERE r.event_id = $1",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    let mut topics_of: Vec<Vec<u32>> = vec![Vec::new(); people.len()];
    let person_at: HashMap<i64, usize> =
        people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let topic_at: HashMap<&str, u32> = topics
        .iter()
        .enumerate()
        .map(|(i, t)| (t.code.as_str(), i as u32))
        .collect();
    for (registration, vocabulary, slug) in &chosen {
        let code = format!("{vocabulary}:{slug}");
        if let (Some(&i), Some(&t)) = (person_at.get(registration), topic_at.get(code.as_str())) {
            topics_of[i].push(t);
        }
    }
    let mut pool = Pool::new(event.record.rules.clone());
    for (person, topics) in people.iter().zip(&topics_of) {
        let kind = person.kind.as_deref().and_then(ActorKind::from_code);
        pool.add(
            &person.organisation,
            kind,
            topics.clone(),
            &person.offers,
            &person.seeks,
        );
    }
    Ok(EventPeople {
        people,
        topics,
        topics_of,
        pool,
    })
}
