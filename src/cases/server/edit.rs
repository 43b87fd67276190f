//! Writing stories: checks, optimistic locking (a save names the version it started from),
//! drafts, revisions, comparison and restore.

use crate::cases::server::history::{log_step, touch};
use crate::cases::server::read::connections_of;
use crate::cases::server::read::id_list;
use crate::cases::server::read::study;
use crate::cases::*;
use crate::db::{free_slug, now_secs, Db, Section};
use crate::domain::case_study::{CaseContent, CaseImage, CaseRules};
use crate::domain::slug::slugify;
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::guard::Viewer;
use sqlx::{Any, Transaction};

pub(super) async fn rules_for(
    db: &Db,
    content: &CaseContent,
) -> Result<(Vec<i64>, Vec<String>, Vec<(i64, i64, i64)>), AppError> {
    let known_actors: Vec<i64> = if content.partners.is_empty() {
        Vec::new()
    } else {
        sqlx::query_scalar(&format!(
            "SELECT id FROM actors WHERE id IN ({})",
            id_list(&content.partners)
        ))
        .fetch_all(&db.pool)
        .await?
    };
    let known_topics: Vec<String> = sqlx::query_scalar("SELECT slug FROM taxonomy_terms")
        .fetch_all(&db.pool)
        .await?;
    let connections = connections_of(db, &content.partners)
        .await?
        .into_iter()
        .map(|c| (c.id, c.source, c.target))
        .collect();
    Ok((known_actors, known_topics, connections))
}

/// The content as it may be stored, or its first problem.
pub(super) async fn checked(db: &Db, content: CaseContent) -> Result<CaseContent, AppError> {
    let content = content.normalized();
    let (known_actors, known_topics, connections) = rules_for(db, &content).await?;
    let problems = content.problems(&CaseRules {
        known_actors: &known_actors,
        known_topics: &known_topics,
        connections: &connections,
    });
    if !problems.is_empty() {
        return Err(AppError::from(problems));
    }
    let stored_images: Vec<String> = if content.images.is_empty() {
        Vec::new()
    } else {
        sqlx::query_scalar("SELECT name FROM images")
            .fetch_all(&db.pool)
            .await?
    };
    if content
        .images
        .iter()
        .any(|image| !stored_images.contains(&image.name))
    {
        return Err(AppError::invalid("images", Problem::ImageTypeRefused));
    }
    Ok(content)
}

/// What the public pages depend on: the stories and the map's data (partner names, consent,
/// topics). Both revisions only grow, so their sum changes with either.
pub async fn current_revision(db: &Db) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT (SELECT revision FROM case_revision WHERE id = 1) \
         + (SELECT revision FROM network_revision WHERE id = 1)",
    )
    .fetch_one(&db.pool)
    .await?)
}

/// Writes the content's columns, partners and topics, and its revision, in `tx`.
pub(super) async fn write_content(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    version: i64,
    content: &CaseContent,
    viewer: &Viewer,
) -> Result<(), AppError> {
    let now = now_secs();
    sqlx::query(
        "UPDATE case_studies SET title = $1, teaser = $2, region = $3, connection_id = $4, challenge = $5, \
         solution = $6, result = $7, key_figures = $8, quote = $9, quote_by = $10, outlook = $11, contact = $12, \
         images = $13, version = $14, updated_at = $15 WHERE id = $16",
    )
    .bind(&content.title)
    .bind(&content.teaser)
    .bind(&content.region)
    .bind(content.connection)
    .bind(&content.challenge)
    .bind(&content.solution)
    .bind(&content.result)
    .bind(&content.key_figures)
    .bind(&content.quote)
    .bind(&content.quote_by)
    .bind(&content.outlook)
    .bind(&content.contact)
    .bind(serde_json::to_string(&content.images).map_err(|_| AppError::Internal)?)
    .bind(version)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM case_study_actors WHERE case_study_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for partner in &content.partners {
        sqlx::query("INSERT INTO case_study_actors (case_study_id, actor_id) VALUES ($1, $2)")
            .bind(id)
            .bind(partner)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("DELETE FROM case_study_topics WHERE case_study_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for topic in &content.topics {
        sqlx::query(
            "INSERT INTO case_study_topics (case_study_id, term_id) \
             SELECT $1, id FROM taxonomy_terms WHERE slug = $2",
        )
        .bind(id)
        .bind(topic)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO case_study_revisions (case_study_id, version, author_id, author_name, created_at, content) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(version)
    .bind(viewer.id)
    .bind(&viewer.display_name)
    .bind(now)
    .bind(serde_json::to_string(content).map_err(|_| AppError::Internal)?)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM case_study_drafts WHERE case_study_id = $1 AND user_id = $2")
        .bind(id)
        .bind(viewer.id)
        .execute(&mut **tx)
        .await?;
    touch(tx).await
}

/// A new draft with its first revision; returns the slug.
pub async fn create(
    db: &Db,
    viewer: &Viewer,
    title: &str,
    partners: Vec<i64>,
) -> Result<String, AppError> {
    let content = checked(
        db,
        CaseContent {
            title: title.to_owned(),
            partners,
            ..Default::default()
        },
    )
    .await?;
    let mut tx = db.begin_section(Section::Slugs).await?;
    let base = slugify(&content.title);
    // Paths under /fallstudien/ that are pages, not stories.
    let base = match base.as_str() {
        "neu" | "freigabe" | "" => format!("fallstudie-{base}")
            .trim_end_matches('-')
            .to_owned(),
        _ => base,
    };
    let slug = free_slug(&mut tx, "case_studies", &[], &base).await?;
    let now = now_secs();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO case_studies (slug, title, status, created_at, updated_at, version) \
         VALUES ($1, $2, 'draft', $3, $3, 0) RETURNING id",
    )
    .bind(&slug)
    .bind(&content.title)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    write_content(&mut tx, id, 1, &content, viewer).await?;
    log_step(
        &mut tx,
        id,
        &viewer.display_name,
        Some(viewer.id),
        "create",
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(slug)
}

pub(super) async fn revision_content(
    db: &Db,
    id: i64,
    version: i64,
) -> Result<(CaseContent, String, i64), AppError> {
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT content, author_name, created_at FROM case_study_revisions \
         WHERE case_study_id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version)
    .fetch_optional(&db.pool)
    .await?;
    let (json, author, at) = row.ok_or(AppError::NotFound)?;
    let content = serde_json::from_str(&json).map_err(|error| {
        tracing::error!(%error, id, version, "unreadable revision");
        AppError::Internal
    })?;
    Ok((content, author, at))
}

/// Saves `content` over `base_version`. If someone saved in between, nothing is written and both
/// versions come back.
pub async fn save(
    db: &Db,
    viewer: &Viewer,
    slug: &str,
    base_version: i64,
    content: CaseContent,
) -> Result<SaveOutcome, AppError> {
    let content = checked(db, content).await?;
    let row = study(db, slug).await?;
    if !row.status().is_editable() {
        return Err(AppError::Conflict(Problem::NotEditable));
    }
    // The conditional update is the lock, and the transaction's first statement (SQLite takes
    // the write lock at once): of two saves over the same version, exactly one matches.
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE case_studies SET version = version + 1 WHERE id = $1 AND version = $2 \
         AND status IN ('draft', 'review')",
    )
    .bind(row.id)
    .bind(base_version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed == 0 {
        drop(tx);
        let row = study(db, slug).await?;
        if !row.status().is_editable() {
            return Err(AppError::Conflict(Problem::NotEditable));
        }
        let theirs = super::read::content(db, row.id).await?;
        let (author, at) = match revision_content(db, row.id, row.version).await {
            Ok((_, author, at)) => (author, at),
            Err(_) => (String::new(), row.updated_at),
        };
        let diff = diff(&theirs, &content);
        return Ok(SaveOutcome::Conflict {
            theirs: Box::new(theirs),
            version: row.version,
            author,
            at,
            diff,
        });
    }
    let version = base_version + 1;
    write_content(&mut tx, row.id, version, &content, viewer).await?;
    tx.commit().await?;
    Ok(SaveOutcome::Saved { version })
}

/// Keeps unsaved work of one person; only the basic checks, so half-written text survives.
pub async fn autosave(
    db: &Db,
    viewer: &Viewer,
    slug: &str,
    base_version: i64,
    content: CaseContent,
) -> Result<i64, AppError> {
    let row = study(db, slug).await?;
    if !row.status().is_editable() {
        return Err(AppError::Conflict(Problem::NotEditable));
    }
    let too_long = serde_json::to_string(&content).map_err(|_| AppError::Internal)?;
    if too_long.len() > 200_000 {
        return Err(AppError::invalid(
            "content",
            Problem::TooLong { max: 200_000 },
        ));
    }
    let now = now_secs();
    sqlx::query(
        "INSERT INTO case_study_drafts (case_study_id, user_id, base_version, content, saved_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_study_id, user_id) \
         DO UPDATE SET base_version = excluded.base_version, content = excluded.content, saved_at = excluded.saved_at",
    )
    .bind(row.id)
    .bind(viewer.id)
    .bind(base_version)
    .bind(too_long)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(now)
}

pub async fn discard_draft(db: &Db, viewer: &Viewer, slug: &str) -> Result<(), AppError> {
    let row = study(db, slug).await?;
    sqlx::query("DELETE FROM case_study_drafts WHERE case_study_id = $1 AND user_id = $2")
        .bind(row.id)
        .bind(viewer.id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The named fields of a content as lines, for comparing.
pub(super) fn comparable(content: &CaseContent) -> Vec<(&'static str, String)> {
    let join = |items: Vec<String>| items.join("\n");
    vec![
        ("title", content.title.clone()),
        ("teaser", content.teaser.clone()),
        ("region", content.region.clone()),
        (
            "partners",
            join(content.partners.iter().map(i64::to_string).collect()),
        ),
        (
            "connection",
            content
                .connection
                .map(|c| c.to_string())
                .unwrap_or_default(),
        ),
        ("topics", join(content.topics.clone())),
        ("challenge", content.challenge.clone()),
        ("solution", content.solution.clone()),
        ("result", content.result.clone()),
        ("key_figures", content.key_figures.clone()),
        ("quote", content.quote.clone()),
        ("quote_by", content.quote_by.clone()),
        ("outlook", content.outlook.clone()),
        ("contact", content.contact.clone()),
        (
            "images",
            join(
                content
                    .images
                    .iter()
                    .map(|CaseImage { name, alt }| format!("{alt} ({name})"))
                    .collect(),
            ),
        ),
    ]
}

/// A line diff of every field that differs between `old` and `new`.
pub fn diff(old: &CaseContent, new: &CaseContent) -> Vec<FieldDiff> {
    comparable(old)
        .into_iter()
        .zip(comparable(new))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, a), (_, b))| FieldDiff {
            field: field.to_owned(),
            lines: similar::TextDiff::from_lines(&a, &b)
                .iter_all_changes()
                .map(|change| DiffLine {
                    sign: match change.tag() {
                        similar::ChangeTag::Delete => '-',
                        similar::ChangeTag::Insert => '+',
                        similar::ChangeTag::Equal => ' ',
                    },
                    text: change.value().trim_end_matches('\n').to_owned(),
                })
                .collect(),
        })
        .collect()
}

pub async fn compare(db: &Db, slug: &str, from: i64, to: i64) -> Result<Vec<FieldDiff>, AppError> {
    let row = study(db, slug).await?;
    let (old, _, _) = revision_content(db, row.id, from).await?;
    let (new, _, _) = revision_content(db, row.id, to).await?;
    Ok(diff(&old, &new))
}

/// Restores an old revision as a new one (history is never rewritten).
pub async fn restore(
    db: &Db,
    viewer: &Viewer,
    slug: &str,
    version: i64,
    base_version: i64,
) -> Result<SaveOutcome, AppError> {
    let row = study(db, slug).await?;
    let (old, _, _) = revision_content(db, row.id, version).await?;
    save(db, viewer, slug, base_version, old).await
}
