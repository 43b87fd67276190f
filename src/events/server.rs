//! Events, registrations and the check-in desk in the database (server only).

use super::{
    Desk, DeskEntry, EventDetail, EventEditor, MyRegistration, Registrant, Registrants, Suggestion,
    Topic, DESK_PAGE, SUGGESTIONS,
};
use crate::db::today;
use crate::db::{is_unique_violation, now_secs, Db, Section};
use crate::domain::actor::ActorKind;
use crate::domain::date::{parse_local, Datelike};
use crate::domain::event::{
    link_expired, registrants_visible, registration_open, EventFormat, EventInput, EventRecord,
    EventStatus, RegistrationInput, RegistrationRecord,
};
use crate::domain::meeting::{KindPreferences, Wish};
use crate::domain::scoring::{organisation_key, Pool};
use crate::domain::slug::slugify;
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::token::{new_token, token_hash};
use sqlx::{Any, Transaction};

#[derive(sqlx::FromRow)]
pub(super) struct EventRow {
    pub(super) id: i64,
    pub(super) slug: String,
    pub(super) title: String,
    description: String,
    venue: String,
    town: String,
    pub(super) starts_at: String,
    ends_at: String,
    status: String,
    round_minutes: i64,
    registration_opens: Option<String>,
    registration_closes: Option<String>,
    rounds: i64,
    tables: i64,
    seats: i64,
    odd_sits_out: i64,
    format: String,
    break_after: i64,
}

const EVENT_COLUMNS: &str =
    "id, slug, title, description, venue, town, starts_at, ends_at, status, \
     round_minutes, registration_opens, registration_closes, rounds, tables, seats, odd_sits_out, \
     format, break_after";

impl EventRow {
    pub(super) fn status(&self) -> Result<EventStatus, AppError> {
        EventStatus::from_code(&self.status).ok_or(AppError::Internal)
    }

    pub(super) fn record(&self) -> EventRecord {
        EventRecord {
            title: self.title.clone(),
            description: self.description.clone(),
            venue: self.venue.clone(),
            town: self.town.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            registration_opens: self.registration_opens.clone(),
            registration_closes: self.registration_closes.clone(),
            round_minutes: self.round_minutes as u32,
            rounds: self.rounds as u32,
            tables: self.tables as u32,
            seats: self.seats as u32,
            odd_sits_out: self.odd_sits_out == 1,
            format: EventFormat::from_code(&self.format).unwrap_or_default(),
            break_after: self.break_after as u32,
        }
    }
}

/// The event with `slug`; drafts only for those who organise.
pub(super) async fn event_row(db: &Db, slug: &str, organiser: bool) -> Result<EventRow, AppError> {
    let row: EventRow = sqlx::query_as(&format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE slug = $1"
    ))
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    if row.status == EventStatus::Draft.code() && !organiser {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// Every taxonomy term as a topic, sectors first.
pub async fn topics(db: &Db) -> Result<Vec<Topic>, AppError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT vocabulary, slug, label_de, label_en FROM taxonomy_terms \
         ORDER BY vocabulary DESC, label_de",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(vocabulary, slug, label_de, label_en)| Topic {
            code: format!("{vocabulary}:{slug}"),
            label_de,
            label_en,
        })
        .collect())
}

pub(super) async fn counts(db: &Db, event_id: i64) -> Result<(i64, i64, i64), AppError> {
    let counts: (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), \
           COALESCE(SUM(CASE WHEN checked_in_at IS NOT NULL AND checked_out_at IS NULL THEN 1 ELSE 0 END), 0), \
           COALESCE(SUM(CASE WHEN checked_out_at IS NOT NULL THEN 1 ELSE 0 END), 0) \
         FROM registrations WHERE event_id = $1",
    )
    .bind(event_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(counts)
}

pub async fn detail(db: &Db, slug: &str, organiser: bool) -> Result<EventDetail, AppError> {
    let row = event_row(db, slug, organiser).await?;
    let (registrations, checked_in, _) = counts(db, row.id).await?;
    let status = row.status()?;
    let event = row.record();
    Ok(EventDetail {
        slug: row.slug,
        status,
        registration_open: registration_open(status, &event, today()),
        event,
        registrations,
        checked_in,
        topics: topics(db).await?,
        form_token: String::new(),
    })
}

pub async fn editor(db: &Db, slug: &str) -> Result<EventEditor, AppError> {
    if slug.is_empty() {
        return Ok(EventEditor {
            slug: None,
            input: EventInput {
                round_minutes: "8".into(),
                rounds: "6".into(),
                tables: "20".into(),
                seats: "3".into(),
                ..Default::default()
            },
        });
    }
    let row = event_row(db, slug, true).await?;
    Ok(EventEditor {
        input: row.record().to_input(),
        slug: Some(row.slug),
    })
}

async fn free_slug(
    tx: &mut Transaction<'_, Any>,
    record: &EventRecord,
) -> Result<String, AppError> {
    let year = parse_local(&record.starts_at).map(|at| at.year().to_string());
    let base = slugify(&format!("{} {}", record.title, year.unwrap_or_default()));
    crate::db::free_slug(tx, "events", &[], &base).await
}

/// Binds an event's fields as `$1`…`$15`, in the order of [`EVENT_FIELDS`].
fn bind_event<'q>(
    query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    record: &'q EventRecord,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(&record.title)
        .bind(&record.description)
        .bind(&record.venue)
        .bind(&record.town)
        .bind(&record.starts_at)
        .bind(&record.ends_at)
        .bind(record.round_minutes as i64)
        .bind(&record.registration_opens)
        .bind(&record.registration_closes)
        .bind(record.rounds as i64)
        .bind(record.tables as i64)
        .bind(record.seats as i64)
        .bind(record.odd_sits_out as i64)
        .bind(record.format.code())
        .bind(record.break_after as i64)
}

const EVENT_FIELDS: [&str; 15] = [
    "title",
    "description",
    "venue",
    "town",
    "starts_at",
    "ends_at",
    "round_minutes",
    "registration_opens",
    "registration_closes",
    "rounds",
    "tables",
    "seats",
    "odd_sits_out",
    "format",
    "break_after",
];

/// Creates (empty `slug`, as a draft) or updates an event; returns its slug.
pub async fn save(db: &Db, slug: &str, input: &EventInput) -> Result<String, AppError> {
    let record = input.validate().map_err(AppError::from)?;
    let mut tx = if slug.is_empty() {
        db.begin_section(Section::Slugs).await?
    } else {
        db.begin_write().await?
    };
    let slug = if slug.is_empty() {
        let slug = free_slug(&mut tx, &record).await?;
        let insert = format!(
            "INSERT INTO events ({}, slug, status, created_at) VALUES ({}, $16, 'draft', $17)",
            EVENT_FIELDS.join(", "),
            (1..=EVENT_FIELDS.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        bind_event(sqlx::query(&insert), &record)
            .bind(&slug)
            .bind(now_secs())
            .execute(&mut *tx)
            .await?;
        slug
    } else {
        let update = format!(
            "UPDATE events SET {} WHERE slug = $16",
            EVENT_FIELDS
                .iter()
                .enumerate()
                .map(|(i, field)| format!("{field} = ${}", i + 1))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let updated = bind_event(sqlx::query(&update), &record)
            .bind(slug)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(AppError::NotFound);
        }
        slug.to_owned()
    };
    tx.commit().await?;
    Ok(slug)
}

/// Moves an event one step on (or an open one back to draft); a conditional update, so two
/// organisers clicking at once cannot skip a step.
pub async fn change_status(db: &Db, slug: &str, next: &str) -> Result<(), AppError> {
    let next = EventStatus::from_code(next.trim())
        .ok_or(AppError::invalid("status", Problem::KindUnknown))?;
    let row = event_row(db, slug, true).await?;
    let current = row.status()?;
    if !current.can_become(next) {
        return Err(AppError::Conflict(Problem::StatusStepInvalid));
    }
    let updated = sqlx::query("UPDATE events SET status = $1 WHERE id = $2 AND status = $3")
        .bind(next.code())
        .bind(row.id)
        .bind(current.code())
        .execute(&db.pool)
        .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::Conflict(Problem::StatusStepInvalid));
    }
    Ok(())
}

/// Registers someone; returns the token of their personal link. At the door (by an organiser)
/// the window does not apply to an open or live event, and the person is checked in at once.
pub async fn register(
    db: &Db,
    slug: &str,
    input: &RegistrationInput,
    at_the_door: bool,
) -> Result<String, AppError> {
    let row = event_row(db, slug, at_the_door).await?;
    let status = row.status()?;
    let open = if at_the_door {
        matches!(status, EventStatus::Open | EventStatus::Live)
    } else {
        registration_open(status, &row.record(), today())
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

enum InsertError {
    Duplicate,
    Database(sqlx::Error),
}

async fn insert_registration(
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
    person_name: String,
    email: String,
    organisation: String,
    kind: Option<String>,
    offers: String,
    seeks: String,
    checked_in_at: Option<i64>,
    checked_out_at: Option<i64>,
    at_the_door: i64,
}

const REGISTRATION_COLUMNS: &str =
    "r.id, r.person_name, r.email, r.organisation, r.kind, r.offers, \
     r.seeks, r.checked_in_at, r.checked_out_at, r.at_the_door";

/// The registration behind a personal link of `event`; a link past the event's retention
/// period opens nothing any more.
pub(super) async fn registration_by_token(
    db: &Db,
    event: &EventRow,
    token: &str,
) -> Result<RegistrationRow, AppError> {
    if link_expired(&event.record(), today()) {
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

/// The personal page. The token is the only key: a wrong one finds nothing.
pub async fn my_registration(
    db: &Db,
    slug: &str,
    token: &str,
    public_origin: &str,
) -> Result<MyRegistration, AppError> {
    let event = event_row(db, slug, true).await?;
    let row = registration_by_token(db, &event, token).await?;
    let chosen: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.vocabulary, t.slug FROM registration_terms x \
         JOIN taxonomy_terms t ON t.id = x.term_id WHERE x.registration_id = $1",
    )
    .bind(row.id)
    .fetch_all(&db.pool)
    .await?;
    let chosen: Vec<String> = chosen
        .into_iter()
        .map(|(v, s)| format!("{v}:{s}"))
        .collect();
    let format = event.record().format;
    let meetings = super::rounds::my_meetings(db, &event, row.id).await?;
    let requests = super::booking::my_requests(db, &event, row.id).await?;
    let all_topics = topics(db).await?;
    let link = format!(
        "{public_origin}/veranstaltungen/{}/ich/{}",
        event.slug,
        token.trim()
    );
    let qr_svg = qrcode::QrCode::new(link.as_bytes())
        .map_err(|_| AppError::Internal)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    Ok(MyRegistration {
        event_slug: event.slug,
        event_title: event.title,
        starts_at: event.starts_at,
        venue: event.venue,
        town: event.town,
        person_name: row.person_name,
        email: row.email,
        organisation: row.organisation,
        kind: row
            .kind
            .as_deref()
            .and_then(ActorKind::from_code)
            .unwrap_or(ActorKind::Mittelstand),
        offers: row.offers,
        seeks: row.seeks,
        topics: all_topics
            .iter()
            .filter(|t| chosen.contains(&t.code))
            .cloned()
            .collect(),
        checked_in: row.checked_in_at.is_some() && row.checked_out_at.is_none(),
        at_the_door: row.at_the_door == 1,
        link,
        qr_svg,
        meetings,
        format,
        requests,
        all_topics,
    })
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

pub async fn desk(db: &Db, slug: &str, search: &str) -> Result<Desk, AppError> {
    let event = event_row(db, slug, true).await?;
    let (registered, present, left) = counts(db, event.id).await?;
    // Filtered in Rust: SQLite's LOWER and LIKE only fold ASCII, and `%` or `_` in a name
    // would be patterns there.
    let search = search.trim().to_lowercase();
    let rows: Vec<RegistrationRow> = sqlx::query_as(&format!(
        "SELECT {REGISTRATION_COLUMNS} FROM registrations r WHERE r.event_id = $1"
    ))
    .bind(event.id)
    .fetch_all(&db.pool)
    .await?;
    let mut rows: Vec<RegistrationRow> = rows
        .into_iter()
        .filter(|row| {
            row.person_name.to_lowercase().contains(&search)
                || row.organisation.to_lowercase().contains(&search)
        })
        .collect();
    rows.sort_by_cached_key(|row| (row.person_name.to_lowercase(), row.id));
    let matches = rows.len() as i64;
    rows.truncate(DESK_PAGE);
    Ok(Desk {
        status: event.status()?,
        slug: event.slug,
        title: event.title,
        registered,
        present,
        left,
        matches,
        entries: rows
            .into_iter()
            .map(|row| DeskEntry {
                id: row.id,
                person_name: row.person_name,
                organisation: row.organisation,
                kind: row.kind.as_deref().and_then(ActorKind::from_code),
                present: row.checked_in_at.is_some() && row.checked_out_at.is_none(),
                left: row.checked_out_at.is_some(),
                at_the_door: row.at_the_door == 1,
            })
            .collect(),
        topics: topics(db).await?,
    })
}

/// Checks a registration in (`present`) or out. Checking in again after leaving clears the
/// check-out: people step out and come back.
pub async fn check_in(db: &Db, slug: &str, id: i64, present: bool) -> Result<(), AppError> {
    let event = event_row(db, slug, true).await?;
    let now = now_secs();
    let updated = if present {
        sqlx::query(
            "UPDATE registrations SET checked_in_at = COALESCE(checked_in_at, $1), \
               checked_out_at = NULL WHERE id = $2 AND event_id = $3",
        )
        .bind(now)
        .bind(id)
        .bind(event.id)
        .execute(&db.pool)
        .await?
    } else {
        sqlx::query(
            "UPDATE registrations SET checked_out_at = $1 \
             WHERE id = $2 AND event_id = $3 AND checked_in_at IS NOT NULL",
        )
        .bind(now)
        .bind(id)
        .bind(event.id)
        .execute(&db.pool)
        .await?
    };
    if updated.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Checks in whoever the personal link (read from their QR code) belongs to.
pub async fn check_in_by_token(db: &Db, slug: &str, token: &str) -> Result<(), AppError> {
    let event = event_row(db, slug, true).await?;
    let row = registration_by_token(db, &event, token).await?;
    check_in(db, slug, row.id, true).await
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
    pub(super) fn seated(self) -> super::Seated {
        super::Seated {
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

pub(super) async fn event_people(
    db: &Db,
    event_id: i64,
    only_present: bool,
) -> Result<EventPeople, AppError> {
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
    for (registration, vocabulary, slug) in &chosen {
        let code = format!("{vocabulary}:{slug}");
        let person = people.iter().position(|p| p.id == *registration);
        let topic = topics.iter().position(|t| t.code == code);
        if let (Some(i), Some(t)) = (person, topic) {
            topics_of[i].push(t as u32);
        }
    }
    let mut pool = Pool::new(KindPreferences::default());
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

/// Everyone else registered for the event, what the viewer wishes about them, and the best
/// suggestions for the viewer with their reasons.
pub async fn registrants(db: &Db, slug: &str, token: &str) -> Result<Registrants, AppError> {
    let event = event_row(db, slug, true).await?;
    let me = registration_by_token(db, &event, token).await?;
    // Only around the event: before it opens and once it lies back, nobody's details show.
    if !registrants_visible(event.status()?, &event.record(), today()) {
        return Err(AppError::Conflict(Problem::RegistrantsHidden));
    }
    let EventPeople {
        people,
        topics,
        topics_of,
        mut pool,
    } = event_people(db, event.id, false).await?;
    let wishes: Vec<(i64, String)> =
        sqlx::query_as("SELECT to_registration, wish FROM wishes WHERE from_registration = $1")
            .bind(me.id)
            .fetch_all(&db.pool)
            .await?;
    let index_of = |id: i64| people.iter().position(|p| p.id == id).map(|i| i as u32);
    // The wishes are only the viewer's own (see the query): what others wish or refuse is
    // theirs to tell, so it must not show in the suggestions, their points or their reasons.
    let mut my_wishes = Vec::new();
    for (to, wish) in &wishes {
        let (Some(a), Some(b), Some(wish)) =
            (index_of(me.id), index_of(*to), Wish::from_code(wish))
        else {
            continue;
        };
        pool.wish(a, b, wish);
        my_wishes.push((*to, wish));
    }
    let Some(mine) = index_of(me.id) else {
        return Err(AppError::NotFound);
    };
    let mut suggestions: Vec<Suggestion> = (0..people.len() as u32)
        .filter_map(|other| {
            let explanation = pool.explain(mine, other).ok()?;
            Some(Suggestion {
                id: people[other as usize].id,
                points: explanation.points,
                reasons: explanation.reasons,
            })
        })
        .collect();
    suggestions.sort_by(|a, b| b.points.cmp(&a.points).then(a.id.cmp(&b.id)));
    suggestions.truncate(SUGGESTIONS);
    Ok(Registrants {
        bookable: event.record().format == EventFormat::Slots,
        requested: super::booking::requested_with(db, event.id, me.id).await?,
        people: people
            .into_iter()
            .zip(topics_of)
            .filter(|(person, _)| person.id != me.id)
            .map(|(person, mut topics)| {
                topics.sort_unstable();
                Registrant {
                    wish: my_wishes
                        .iter()
                        .find(|(to, _)| *to == person.id)
                        .map(|(_, w)| *w),
                    id: person.id,
                    kind: person.kind.as_deref().and_then(ActorKind::from_code),
                    person_name: person.person_name,
                    organisation: person.organisation,
                    offers: person.offers,
                    seeks: person.seeks,
                    topics,
                }
            })
            .collect(),
        suggestions,
        topics,
    })
}

/// Sets (or, with an empty `wish`, clears) what the owner of `token` wishes about `other`.
pub async fn set_wish(
    db: &Db,
    slug: &str,
    token: &str,
    other: i64,
    wish: &str,
) -> Result<(), AppError> {
    let event = event_row(db, slug, true).await?;
    let me = registration_by_token(db, &event, token).await?;
    let wish = match wish.trim() {
        "" => None,
        code => Some(Wish::from_code(code).ok_or(AppError::invalid("wish", Problem::KindUnknown))?),
    };
    let registered: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE id = $1 AND event_id = $2")
            .bind(other)
            .bind(event.id)
            .fetch_one(&db.pool)
            .await?;
    if registered == 0 {
        return Err(AppError::NotFound);
    }
    if other == me.id {
        return Err(AppError::invalid("wish", Problem::NotYourself));
    }
    match wish {
        None => {
            sqlx::query("DELETE FROM wishes WHERE from_registration = $1 AND to_registration = $2")
                .bind(me.id)
                .bind(other)
                .execute(&db.pool)
                .await?;
        }
        Some(wish) => {
            sqlx::query(
                "INSERT INTO wishes (from_registration, to_registration, wish, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (from_registration, to_registration) \
                 DO UPDATE SET wish = excluded.wish",
            )
            .bind(me.id)
            .bind(other)
            .bind(wish.code())
            .bind(now_secs())
            .execute(&db.pool)
            .await?;
        }
    }
    Ok(())
}
