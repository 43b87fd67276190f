//! Events in the database: their rows, the public detail, the organisers' form and status.

use crate::db::today;
use crate::db::{now_secs, Db, Section};
use crate::domain::date::{parse_local, Datelike};
use crate::domain::event::{registration_open, EventFormat, EventInput, EventRecord, EventStatus};
use crate::domain::slug::slugify;
use crate::domain::tables::TablePlan;
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::events::{EventDetail, EventEditor, Topic};
use sqlx::{Any, Transaction};

/// An event as stored: its columns, the table plan and rules as JSON.
#[derive(sqlx::FromRow)]
struct EventColumns {
    id: i64,
    slug: String,
    title: String,
    description: String,
    venue: String,
    town: String,
    starts_at: String,
    ends_at: String,
    status: String,
    round_minutes: i64,
    registration_opens: Option<String>,
    registration_closes: Option<String>,
    rounds: i64,
    table_plan: String,
    rules: String,
    series: String,
    odd_sits_out: i64,
    format: String,
    break_after: i64,
}

const EVENT_COLUMNS: &str =
    "id, slug, title, description, venue, town, starts_at, ends_at, status, \
     round_minutes, registration_opens, registration_closes, rounds, table_plan, rules, series, \
     odd_sits_out, format, break_after";

/// An event as the server works with it: read once, its plan and rules decoded.
pub(super) struct EventRow {
    pub(super) id: i64,
    pub(super) slug: String,
    pub(super) status: EventStatus,
    pub(super) record: EventRecord,
}

impl EventColumns {
    fn decode(self) -> Result<EventRow, AppError> {
        let status = EventStatus::from_code(&self.status).ok_or(AppError::Internal)?;
        let json = |what: &str, text: &str| {
            tracing::error!(event = self.id, what, text, "stored event unreadable");
            AppError::Internal
        };
        let tables = serde_json::from_str(&self.table_plan)
            .map_err(|_| json("table_plan", &self.table_plan))?;
        let rules = serde_json::from_str(&self.rules).map_err(|_| json("rules", &self.rules))?;
        Ok(EventRow {
            id: self.id,
            slug: self.slug,
            status,
            record: EventRecord {
                title: self.title,
                description: self.description,
                venue: self.venue,
                town: self.town,
                starts_at: self.starts_at,
                ends_at: self.ends_at,
                registration_opens: self.registration_opens,
                registration_closes: self.registration_closes,
                round_minutes: self.round_minutes as u32,
                rounds: self.rounds as u32,
                tables,
                rules,
                series: self.series,
                odd_sits_out: self.odd_sits_out == 1,
                format: EventFormat::from_code(&self.format).unwrap_or_default(),
                break_after: self.break_after as u32,
            },
        })
    }
}

/// The event with `slug`; drafts only for those who organise.
pub(super) async fn event_row(db: &Db, slug: &str, organiser: bool) -> Result<EventRow, AppError> {
    let row: EventColumns = sqlx::query_as(&format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE slug = $1"
    ))
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let row = row.decode()?;
    if row.status == EventStatus::Draft && !organiser {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// The series names events already carry, for the event form's suggestions.
pub(super) async fn series_names(db: &Db) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT series FROM events WHERE series <> '' ORDER BY series LIMIT 200",
    )
    .fetch_all(&db.pool)
    .await?)
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
    let (status, event) = (row.status, row.record);
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
                tables: TablePlan::uniform(20, 3).to_input(),
                ..Default::default()
            },
            series: series_names(db).await?,
        });
    }
    let row = event_row(db, slug, true).await?;
    Ok(EventEditor {
        input: row.record.to_input(),
        slug: Some(row.slug),
        series: series_names(db).await?,
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

/// Binds an event's fields as `$1`…`$16`, in the order of [`EVENT_FIELDS`].
fn bind_event<'q>(
    query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    record: &'q EventRecord,
) -> Result<sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>, AppError> {
    let json = |value: serde_json::Result<String>| value.map_err(|_| AppError::Internal);
    Ok(query
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
        .bind(json(serde_json::to_string(&record.tables))?)
        .bind(json(serde_json::to_string(&record.rules))?)
        .bind(&record.series)
        .bind(record.odd_sits_out as i64)
        .bind(record.format.code())
        .bind(record.break_after as i64))
}

const EVENT_FIELDS: [&str; 16] = [
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
    "table_plan",
    "rules",
    "series",
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
            "INSERT INTO events ({}, slug, status, created_at) VALUES ({}, $17, 'draft', $18)",
            EVENT_FIELDS.join(", "),
            (1..=EVENT_FIELDS.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        bind_event(sqlx::query(&insert), &record)?
            .bind(&slug)
            .bind(now_secs())
            .execute(&mut *tx)
            .await?;
        slug
    } else {
        let update = format!(
            "UPDATE events SET {} WHERE slug = $17",
            EVENT_FIELDS
                .iter()
                .enumerate()
                .map(|(i, field)| format!("{field} = ${}", i + 1))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let updated = bind_event(sqlx::query(&update), &record)?
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
    let current = row.status;
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
