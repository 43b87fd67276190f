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
    let rows: Vec<(String, String, String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT e.slug, e.title, e.description, e.venue, e.starts_at, e.status, \
           (SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id), \
           (SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.checked_in_at IS NOT NULL) \
         FROM events e WHERE e.status <> 'draft' ORDER BY e.starts_at DESC",
    )
    .fetch_all(&auth.db().pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(slug, title, description, venue, starts_at, status, registrations, checked_in)| {
                Some(EventSummary {
                    slug,
                    title,
                    description,
                    venue,
                    starts_at,
                    status: EventStatus::from_code(&status)?,
                    registrations,
                    checked_in,
                })
            },
        )
        .collect())
}
