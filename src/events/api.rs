//! Event server functions.

use super::EventSummary;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use {crate::domain::event::EventStatus, crate::guard::authorize};

/// Every event that is not a draft, newest first.
#[server(prefix = "/api", endpoint = "veranstaltungen", input = GetUrl)]
pub async fn list_events() -> Result<Vec<EventSummary>, AppError> {
    let auth = authorize::<ListEvents>().await?;
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.slug, e.title, e.description, e.venue, e.starts_at, e.status, \
           (SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id) AS registrations, \
           (SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.checked_in_at IS NOT NULL) AS checked_in \
         FROM events e WHERE e.status <> 'draft' ORDER BY e.starts_at DESC",
    )
    .fetch_all(&auth.db().pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(EventSummary {
                status: EventStatus::from_code(&row.status)?,
                slug: row.slug,
                title: row.title,
                description: row.description,
                venue: row.venue,
                starts_at: row.starts_at,
                registrations: row.registrations,
                checked_in: row.checked_in,
            })
        })
        .collect())
}

#[cfg(feature = "ssr")]
#[derive(sqlx::FromRow)]
struct EventRow {
    slug: String,
    title: String,
    description: String,
    venue: String,
    starts_at: String,
    status: String,
    registrations: i64,
    checked_in: i64,
}
