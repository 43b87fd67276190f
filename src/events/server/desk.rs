//! The check-in desk: finding people and checking them in and out.

use crate::db::{now_secs, Db};
use crate::domain::actor::ActorKind;
use crate::error::AppError;
use crate::events::server::events::counts;
use crate::events::server::events::event_row;
use crate::events::server::events::topics;
use crate::events::server::registrations::registration_by_token;
use crate::events::server::registrations::RegistrationRow;
use crate::events::server::registrations::REGISTRATION_COLUMNS;
use crate::events::{Desk, DeskEntry, DESK_PAGE};

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
        status: event.status,
        slug: event.slug,
        title: event.record.title,
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
/// check-out: people step out and come back. Answers whether the room changed (a second scan
/// of the same QR code does not).
pub async fn check_in(db: &Db, slug: &str, id: i64, present: bool) -> Result<bool, AppError> {
    let event = event_row(db, slug, true).await?;
    let now = now_secs();
    let updated = if present {
        sqlx::query(
            "UPDATE registrations SET checked_in_at = COALESCE(checked_in_at, $1), \
               checked_out_at = NULL WHERE id = $2 AND event_id = $3 \
               AND (checked_in_at IS NULL OR checked_out_at IS NOT NULL)",
        )
        .bind(now)
        .bind(id)
        .bind(event.id)
        .execute(&db.pool)
        .await?
    } else {
        sqlx::query(
            "UPDATE registrations SET checked_out_at = $1 \
             WHERE id = $2 AND event_id = $3 AND checked_in_at IS NOT NULL \
               AND checked_out_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .bind(event.id)
        .execute(&db.pool)
        .await?
    };
    if updated.rows_affected() > 0 {
        return Ok(true);
    }
    // Already where the desk wants them, or not checked in to be checked out: no change.
    let known: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT checked_in_at FROM registrations WHERE id = $1 AND event_id = $2",
    )
    .bind(id)
    .bind(event.id)
    .fetch_optional(&db.pool)
    .await?;
    match known {
        Some(checked_in) if present || checked_in.is_some() => Ok(false),
        _ => Err(AppError::NotFound),
    }
}

/// Checks in whoever the personal link (read from their QR code) belongs to.
pub async fn check_in_by_token(db: &Db, slug: &str, token: &str) -> Result<bool, AppError> {
    let event = event_row(db, slug, true).await?;
    let row = registration_by_token(db, &event, token).await?;
    check_in(db, slug, row.id, true).await
}
