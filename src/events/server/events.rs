//! Events in the database: their rows, the public detail, the organisers' form and status.

use crate::db::today;
use crate::db::{now_secs, Db, Section};
use crate::domain::date::{parse_local, Datelike};
use crate::domain::event::{registration_open, EventFormat, EventInput, EventRecord, EventStatus};
use crate::domain::slug::slugify;
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::events::{EventDetail, EventEditor, Topic};
use sqlx::{Any, Transaction};

#[derive(sqlx::FromRow)]
pub(super) struct EventRow {
    pub(super) id: i64,
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) venue: String,
    pub(super) town: String,
    pub(super) starts_at: String,
    pub(super) ends_at: String,
    pub(super) status: String,
    pub(super) round_minutes: i64,
    pub(super) registration_opens: Option<String>,
    pub(super) registration_closes: Option<String>,
    pub(super) rounds: i64,
    pub(super) tables: i64,
    pub(super) seats: i64,
    pub(super) odd_sits_out: i64,
    pub(super) format: String,
    pub(super) break_after: i64,
}

pub(super) const EVENT_COLUMNS: &str =
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

pub(super) async fn free_slug(
    tx: &mut Transaction<'_, Any>,
    record: &EventRecord,
) -> Result<String, AppError> {
    let year = parse_local(&record.starts_at).map(|at| at.year().to_string());
    let base = slugify(&format!("{} {}", record.title, year.unwrap_or_default()));
    crate::db::free_slug(tx, "events", &[], &base).await
}

/// Binds an event's fields as `$1`…`$15`, in the order of [`EVENT_FIELDS`].
pub(super) fn bind_event<'q>(
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

pub(super) const EVENT_FIELDS: [&str; 15] = [
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
