//! Uploaded images: stored by the hash of their bytes, served with their type, pruned when unused.

use crate::db::{now_secs, Db, Section};
use crate::domain::case_study::{
    check_image, is_image_name, ImageKind, UNUSED_IMAGE_SECS, UPLOAD_BYTES_PER_DAY,
};
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::guard::Viewer;

/// Stores an uploaded image under the hash of its bytes; the same image twice is stored once.
pub async fn store_image(db: &Db, viewer: &Viewer, bytes: &[u8]) -> Result<String, AppError> {
    use sha2::{Digest, Sha256};
    let kind = check_image(bytes).map_err(|problem| AppError::invalid("image", problem))?;
    let name = format!(
        "{}.{}",
        crate::domain::hex::hex(&Sha256::digest(bytes)),
        kind.extension()
    );
    // Parallel uploads must not each find room in the day's allowance.
    let mut tx = db.begin_section(Section::Uploads).await?;
    let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM images WHERE name = $1")
        .bind(&name)
        .fetch_one(&mut *tx)
        .await?;
    if known > 0 {
        return Ok(name);
    }
    let now = now_secs();
    let today: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM images \
         WHERE uploaded_by = $1 AND created_at > $2",
    )
    .bind(viewer.id)
    .bind(now - 24 * 60 * 60)
    .fetch_one(&mut *tx)
    .await?;
    if usize::try_from(today).unwrap_or(usize::MAX) + bytes.len() > UPLOAD_BYTES_PER_DAY {
        let max = UPLOAD_BYTES_PER_DAY / 1024 / 1024;
        return Err(AppError::invalid(
            "image",
            Problem::UploadQuotaReached { max },
        ));
    }
    sqlx::query(
        "INSERT INTO images (name, content_type, bytes, size, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING",
    )
    .bind(&name)
    .bind(kind.content_type())
    .bind(bytes.to_vec())
    .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
    .bind(viewer.id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(name)
}

/// Removes uploaded images older than [`UNUSED_IMAGE_SECS`] that no story revision, personal
/// draft or playbook text names (a story's current content is always its latest revision).
/// Returns how many went.
pub async fn prune_images(db: &Db) -> Result<u64, AppError> {
    // Batches of a few images, each one short statement with a pause after it: the write lock is
    // never held for long, so check-ins and seat swaps do not wait behind housekeeping. Within a
    // statement, no story text is read into the app, and an image named by a text written while
    // it runs is not taken from under it.
    const BATCH: i64 = 25;
    let named_in = |table: &str, column: &str| {
        format!("EXISTS (SELECT 1 FROM {table} t WHERE t.{column} LIKE '%' || images.name || '%')")
    };
    let delete = format!(
        "DELETE FROM images WHERE created_at < $1 AND name > $2 AND name <= $3 \
         AND NOT ({} OR {} OR {} OR {})",
        named_in("case_study_revisions", "content"),
        named_in("case_study_drafts", "content"),
        named_in("playbook", "intro"),
        named_in("playbook", "method"),
    );
    let before = now_secs() - UNUSED_IMAGE_SECS;
    let mut after = String::new();
    let mut removed = 0;
    loop {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM images WHERE created_at < $1 AND name > $2 ORDER BY name LIMIT $3",
        )
        .bind(before)
        .bind(&after)
        .bind(BATCH)
        .fetch_all(&db.pool)
        .await?;
        let Some(last) = names.last() else {
            return Ok(removed);
        };
        removed += sqlx::query(&delete)
            .bind(before)
            .bind(&after)
            .bind(last)
            .execute(&db.pool)
            .await?
            .rows_affected();
        if (names.len() as i64) < BATCH {
            return Ok(removed);
        }
        after = last.clone();
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

pub async fn image(db: &Db, name: &str) -> Result<(&'static str, Vec<u8>), AppError> {
    if !is_image_name(name) {
        return Err(AppError::NotFound);
    }
    let kind = name
        .split_once('.')
        .and_then(|(_, extension)| ImageKind::from_extension(extension))
        .ok_or(AppError::NotFound)?;
    let bytes: Option<Vec<u8>> = sqlx::query_scalar("SELECT bytes FROM images WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?;
    Ok((kind.content_type(), bytes.ok_or(AppError::NotFound)?))
}
