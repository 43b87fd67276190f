//! What every write to a story records: its new version and time, and the step in its log.

use crate::db::now_secs;
use crate::error::AppError;
use sqlx::{Any, Transaction};

/// Bumps the revision the public pages' render cache compares.
pub async fn touch(tx: &mut Transaction<'_, Any>) -> Result<(), AppError> {
    sqlx::query("UPDATE case_revision SET revision = revision + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// `who_id`: the account that took the step, if one did (not an approval link).
pub(super) async fn log_step(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    who: &str,
    who_id: Option<i64>,
    step: &str,
    comment: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO case_study_log (case_study_id, at, who, who_id, step, comment) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(now_secs())
    .bind(who)
    .bind(who_id)
    .bind(step)
    .bind(comment)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
