//! The taxonomy's terms, named by editors in both languages.

use crate::db::actors::bump_revision;
use crate::db::Db;
use crate::domain::validation::Problem;
use crate::error::AppError;

pub const TERM_LABEL_MAX: usize = 80;

/// A new term (its slug from the German label) or new labels for an existing one.
pub async fn save_term(
    db: &Db,
    vocabulary: &str,
    slug: &str,
    label_de: &str,
    label_en: &str,
) -> Result<String, AppError> {
    if !matches!(vocabulary, "sector" | "technology") {
        return Err(AppError::invalid("vocabulary", Problem::KindUnknown));
    }
    let label = |field: &'static str, value: &str| {
        let value = value.trim();
        if value.is_empty() {
            Err(AppError::invalid(field, Problem::Required))
        } else if value.chars().count() > TERM_LABEL_MAX {
            Err(AppError::invalid(
                field,
                Problem::TooLong {
                    max: TERM_LABEL_MAX,
                },
            ))
        } else {
            Ok(value.to_owned())
        }
    };
    let (label_de, label_en) = match (label("label_de", label_de), label("label_en", label_en)) {
        (Ok(de), Ok(en)) => (de, en),
        (de, en) => {
            return Err(
                AppError::combine([de.err(), en.err()].into_iter().flatten())
                    .unwrap_or(AppError::Internal),
            )
        }
    };
    let mut tx = db.begin_write().await?;
    let slug = if slug.is_empty() {
        // Slugs are unique across both lists, so a slug alone names one term everywhere.
        let slug = crate::domain::slug::slugify(&label_de);
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM taxonomy_terms WHERE slug = $1")
            .bind(&slug)
            .fetch_one(&mut *tx)
            .await?;
        if taken > 0 || slug.is_empty() {
            return Err(AppError::invalid("label_de", Problem::TermExists));
        }
        sqlx::query(
            "INSERT INTO taxonomy_terms (vocabulary, slug, label_de, label_en) VALUES ($1, $2, $3, $4)",
        )
        .bind(vocabulary)
        .bind(&slug)
        .bind(&label_de)
        .bind(&label_en)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if crate::db::is_unique_violation(&e) {
                AppError::invalid("label_de", Problem::TermExists)
            } else {
                e.into()
            }
        })?;
        slug
    } else {
        let updated = sqlx::query(
            "UPDATE taxonomy_terms SET label_de = $1, label_en = $2 WHERE vocabulary = $3 AND slug = $4",
        )
        .bind(&label_de)
        .bind(&label_en)
        .bind(vocabulary)
        .bind(slug)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Err(AppError::NotFound);
        }
        slug.to_owned()
    };
    bump_revision(&mut tx).await?;
    tx.commit().await?;
    Ok(slug)
}
