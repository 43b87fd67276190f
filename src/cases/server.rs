//! Server-only work of the case studies: storage, optimistic locking, revisions, the workflow,
//! approvals, notifications, images, the playbook and the Atom feed.

use super::*;
use crate::config::Config;
use crate::db::{free_slug, now_secs, Db, Section};
use crate::domain::actor::{ActorOption, ConnectionKind};
use crate::domain::case_study::{
    check_image, is_image_name, next_status, CaseContent, CaseImage, CaseRules, CaseStatus,
    CaseStep, ImageKind, UNUSED_IMAGE_SECS, UPLOAD_BYTES_PER_DAY,
};
use crate::domain::date::{format_date, parse_date};
use crate::domain::slug::slugify;
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::guard::Viewer;
use crate::taxonomy::Term;
use crate::token::{new_token, token_hash};
use sqlx::{Any, Transaction};
use std::collections::HashMap;

/// A story's row: what every operation reads first.
#[derive(sqlx::FromRow)]
pub struct StudyRow {
    pub id: i64,
    pub slug: String,
    pub status: String,
    pub version: i64,
    pub published_on: Option<String>,
    pub updated_at: i64,
    pub review_comment: String,
}

impl StudyRow {
    pub fn status(&self) -> CaseStatus {
        CaseStatus::from_code(&self.status).unwrap_or(CaseStatus::Draft)
    }
}

const STUDY_COLUMNS: &str =
    "id, slug, status, version, published_on, updated_at, review_comment FROM case_studies";

pub async fn study(db: &Db, slug: &str) -> Result<StudyRow, AppError> {
    sqlx::query_as(&format!("SELECT {STUDY_COLUMNS} WHERE slug = $1"))
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(sqlx::FromRow)]
struct ContentRow {
    title: String,
    teaser: String,
    region: String,
    connection_id: Option<i64>,
    challenge: String,
    solution: String,
    result: String,
    key_figures: String,
    quote: String,
    quote_by: String,
    outlook: String,
    contact: String,
    images: String,
}

/// The stored content of a story.
pub async fn content(db: &Db, id: i64) -> Result<CaseContent, AppError> {
    let row: ContentRow = sqlx::query_as(
        "SELECT title, teaser, region, connection_id, challenge, solution, result, key_figures, quote, \
         quote_by, outlook, contact, images FROM case_studies WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    let partners: Vec<(i64,)> = sqlx::query_as(
        "SELECT actor_id FROM case_study_actors WHERE case_study_id = $1 ORDER BY actor_id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let topics: Vec<(String,)> = sqlx::query_as(
        "SELECT t.slug FROM case_study_topics ct JOIN taxonomy_terms t ON t.id = ct.term_id \
         WHERE ct.case_study_id = $1 ORDER BY t.slug",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(CaseContent {
        title: row.title,
        teaser: row.teaser,
        region: row.region,
        partners: partners.into_iter().map(|(id,)| id).collect(),
        connection: row.connection_id,
        topics: topics.into_iter().map(|(slug,)| slug).collect(),
        challenge: row.challenge,
        solution: row.solution,
        result: row.result,
        key_figures: row.key_figures,
        quote: row.quote,
        quote_by: row.quote_by,
        outlook: row.outlook,
        contact: row.contact,
        images: serde_json::from_str(&row.images).unwrap_or_default(),
    })
}

pub async fn terms(db: &Db) -> Result<Vec<Term>, AppError> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT slug, label_de, label_en FROM taxonomy_terms ORDER BY label_de")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, label_de, label_en)| Term {
            slug,
            label_de,
            label_en,
        })
        .collect())
}

/// Connections with at least one end among `actors`.
async fn connections_of(db: &Db, actors: &[i64]) -> Result<Vec<ConnectionOption>, AppError> {
    if actors.is_empty() {
        return Ok(Vec::new());
    }
    let list = id_list(actors);
    connections_where(
        db,
        &format!("WHERE source_id IN ({list}) OR target_id IN ({list})"),
    )
    .await
}

async fn all_connections(db: &Db) -> Result<Vec<ConnectionOption>, AppError> {
    connections_where(db, "").await
}

/// `condition` is built from numbers only, never from text.
async fn connections_where(db: &Db, condition: &str) -> Result<Vec<ConnectionOption>, AppError> {
    let rows: Vec<(i64, i64, i64, String, String, Option<String>)> = sqlx::query_as(&format!(
        "SELECT id, source_id, target_id, kind, started_on, ended_on FROM connections {condition} \
         ORDER BY started_on"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, source, target, kind, started_on, ended_on)| {
            Some(ConnectionOption {
                id,
                source,
                target,
                kind: ConnectionKind::from_code(&kind)?,
                started_on,
                ended_on,
            })
        })
        .collect())
}

/// A comma-separated list of ids for `IN (…)`: numbers only, never text.
fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// What a story's content refers to. For the editor (`editing`): every actor and connection to
/// choose from. For readers: the partners (those without consent to a public profile by name
/// only) and the one connection the story tells about.
async fn lookups(
    db: &Db,
    content: &CaseContent,
    editing: bool,
    topics: Vec<Term>,
) -> Result<Lookups, AppError> {
    if editing {
        return Ok(Lookups {
            actors: crate::db::actor_options(db).await?,
            topics,
            connections: all_connections(db).await?,
        });
    }
    let actors = if content.partners.is_empty() {
        Vec::new()
    } else {
        let rows: Vec<crate::db::ActorOptionRow> = sqlx::query_as(&format!(
            "SELECT id, slug, name, kind, town, is_public FROM actors WHERE id IN ({})",
            id_list(&content.partners)
        ))
        .fetch_all(&db.pool)
        .await?;
        rows.into_iter()
            .filter_map(crate::db::actor_option)
            .map(|actor| match actor.public {
                true => actor,
                false => ActorOption {
                    slug: String::new(),
                    town: String::new(),
                    ..actor
                },
            })
            .collect()
    };
    let connections = connections_of(db, &content.partners)
        .await?
        .into_iter()
        .filter(|c| Some(c.id) == content.connection)
        .collect();
    Ok(Lookups {
        actors,
        topics,
        connections,
    })
}

pub async fn article(db: &Db, row: &StudyRow) -> Result<CaseArticle, AppError> {
    article_with(db, row, terms(db).await?).await
}

/// Several stories, reading the taxonomy once.
async fn articles(db: &Db, rows: &[StudyRow]) -> Result<Vec<CaseArticle>, AppError> {
    let topics = terms(db).await?;
    let mut articles = Vec::with_capacity(rows.len());
    for row in rows {
        articles.push(article_with(db, row, topics.clone()).await?);
    }
    Ok(articles)
}

async fn article_with(db: &Db, row: &StudyRow, topics: Vec<Term>) -> Result<CaseArticle, AppError> {
    let content = content(db, row.id).await?;
    let lookups = lookups(db, &content, false, topics).await?;
    Ok(CaseArticle {
        slug: row.slug.clone(),
        status: row.status(),
        content,
        lookups,
        published_on: row.published_on.clone(),
        updated_at: row.updated_at,
        base_url: String::new(),
    })
}

/// A published story for everyone; anything else does not exist for the public.
pub async fn published_article(db: &Db, slug: &str) -> Result<CaseArticle, AppError> {
    let row = study(db, slug).await?;
    if row.status() != CaseStatus::Published {
        return Err(AppError::NotFound);
    }
    article(db, &row).await
}

pub async fn list_published(db: &Db, filter: &CaseFilter) -> Result<CaseList, AppError> {
    let rows: Vec<StudyRow> = sqlx::query_as(&format!(
        "SELECT {STUDY_COLUMNS} WHERE status = 'published' ORDER BY published_on DESC, id DESC"
    ))
    .fetch_all(&db.pool)
    .await?;
    let mut studies = Vec::new();
    let mut regions = Vec::new();
    let published = rows.len();
    let query = filter.q.to_lowercase();
    let topics = terms(db).await?;
    for (row, article) in rows.iter().zip(articles(db, &rows).await?) {
        let content = &article.content;
        if !content.region.is_empty() && !regions.contains(&content.region) {
            regions.push(content.region.clone());
        }
        let partners: Vec<&ActorOption> = content
            .partners
            .iter()
            .filter_map(|id| article.lookups.actors.iter().find(|a| a.id == *id))
            .collect();
        let matches = (filter.region.is_empty() || content.region == filter.region)
            && (filter.topic.is_empty() || content.topics.contains(&filter.topic))
            && (filter.kind.is_empty() || partners.iter().any(|p| p.kind.code() == filter.kind))
            && (query.is_empty()
                || [
                    &content.title,
                    &content.teaser,
                    &content.challenge,
                    &content.solution,
                    &content.result,
                    &content.outlook,
                    &content.region,
                ]
                .iter()
                .any(|text| text.to_lowercase().contains(&query))
                || partners
                    .iter()
                    .any(|p| p.public && p.name.to_lowercase().contains(&query)));
        if matches {
            studies.push(CaseStudySummary {
                slug: row.slug.clone(),
                title: content.title.clone(),
                teaser: content.teaser.clone(),
                region: content.region.clone(),
                published_on: row.published_on.clone(),
                partners: partners
                    .iter()
                    .filter(|p| p.public)
                    .map(|p| (p.slug.clone(), p.name.clone()))
                    .collect(),
                cover: content.images.first().cloned(),
            });
        }
    }
    regions.sort();
    Ok(CaseList {
        studies,
        published,
        regions,
        topics,
    })
}

/// Stories not (or no longer) published, most recently changed first.
pub async fn workspace(db: &Db) -> Result<Vec<(String, String, CaseStatus, i64)>, AppError> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT slug, title, status, updated_at FROM case_studies WHERE status <> 'published' \
         ORDER BY updated_at DESC",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(slug, title, status, at)| {
            Some((slug, title, CaseStatus::from_code(&status)?, at))
        })
        .collect())
}

async fn revisions(db: &Db, id: i64) -> Result<Vec<RevisionInfo>, AppError> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT version, author_name, created_at FROM case_study_revisions WHERE case_study_id = $1 \
         ORDER BY version DESC",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(version, author, at)| RevisionInfo {
            version,
            author,
            at,
        })
        .collect())
}

async fn approvals(db: &Db, id: i64) -> Result<Vec<ApprovalState>, AppError> {
    let rows: Vec<(i64, String, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT a.id, a.name, ap.approved_by, ap.approved_at FROM case_study_approvals ap \
         JOIN actors a ON a.id = ap.actor_id WHERE ap.case_study_id = $1 ORDER BY a.name",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(actor_id, actor_name, approved_by, approved_at)| ApprovalState {
                actor_id,
                actor_name,
                approved_by,
                approved_at,
            },
        )
        .collect())
}

async fn account_actor(db: &Db, user_id: i64) -> Result<Option<i64>, AppError> {
    let row: Option<(Option<i64>,)> = sqlx::query_as("SELECT actor_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.and_then(|(actor,)| actor))
}

pub async fn editor_data(db: &Db, viewer: &Viewer, slug: &str) -> Result<CaseEditorData, AppError> {
    let row = study(db, slug).await?;
    let content = content(db, row.id).await?;
    let draft: Option<(String, i64, i64)> = sqlx::query_as(
        "SELECT content, base_version, saved_at FROM case_study_drafts \
         WHERE case_study_id = $1 AND user_id = $2",
    )
    .bind(row.id)
    .bind(viewer.id)
    .fetch_optional(&db.pool)
    .await?;
    let draft = draft.and_then(|(json, base, at)| {
        serde_json::from_str::<CaseContent>(&json)
            .ok()
            .filter(|draft| *draft != content)
            .map(|draft| (draft, base, at))
    });
    let log: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT at, who, step, comment FROM case_study_log WHERE case_study_id = $1 ORDER BY id DESC",
    )
    .bind(row.id)
    .fetch_all(&db.pool)
    .await?;
    let approvals = approvals(db, row.id).await?;
    let mine = account_actor(db, viewer.id).await?;
    let my_pending_approval = (row.status() == CaseStatus::Approval)
        .then(|| {
            approvals
                .iter()
                .find(|a| Some(a.actor_id) == mine && a.approved_at.is_none())
                .map(|a| a.actor_name.clone())
        })
        .flatten();
    Ok(CaseEditorData {
        slug: row.slug.clone(),
        status: row.status(),
        version: row.version,
        lookups: lookups(db, &content, true, terms(db).await?).await?,
        content,
        draft,
        revisions: revisions(db, row.id).await?,
        approvals,
        log: log
            .into_iter()
            .map(|(at, who, step, comment)| LogEntry {
                at,
                who,
                step,
                comment,
            })
            .collect(),
        review_comment: row.review_comment,
        my_pending_approval,
        can_review: viewer.role == crate::domain::role::Role::Admin,
    })
}

async fn rules_for(
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
async fn checked(db: &Db, content: CaseContent) -> Result<CaseContent, AppError> {
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

/// Bumps the revision the public pages' render cache compares.
pub async fn touch(tx: &mut Transaction<'_, Any>) -> Result<(), AppError> {
    sqlx::query("UPDATE case_revision SET revision = revision + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
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
async fn write_content(
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

async fn revision_content(
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
        let theirs = self::content(db, row.id).await?;
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
fn comparable(content: &CaseContent) -> Vec<(&'static str, String)> {
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

/// `who_id`: the account that took the step, if one did (not an approval link).
async fn log_step(
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

/// Tells everyone involved about a step: admins, the story's authors and the accounts of its
/// partner organisations; never the person who took it.
async fn notify(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    step: &str,
    who: &str,
    comment: &str,
    except: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO notifications (user_id, case_study_id, step, who, who_id, comment, created_at) \
         SELECT u.id, $1, $2, $3, $7, $4, $5 FROM users u WHERE u.id <> $6 AND (u.role = 'admin' \
         OR u.id IN (SELECT author_id FROM case_study_revisions WHERE case_study_id = $1 AND author_id IS NOT NULL) \
         OR u.actor_id IN (SELECT actor_id FROM case_study_actors WHERE case_study_id = $1))",
    )
    .bind(id)
    .bind(step)
    .bind(who)
    .bind(comment)
    .bind(now_secs())
    .bind(except.unwrap_or(0))
    .bind(except)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn clean_comment(comment: &str) -> Result<String, AppError> {
    let comment = comment.trim();
    if comment.chars().count() > crate::domain::case_study::COMMENT_MAX {
        return Err(AppError::invalid(
            "comment",
            Problem::TooLong {
                max: crate::domain::case_study::COMMENT_MAX,
            },
        ));
    }
    Ok(comment.to_owned())
}

async fn missing_approvals(db: &Db, id: i64) -> Result<usize, AppError> {
    let missing: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM case_study_actors ca WHERE ca.case_study_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM case_study_approvals ap WHERE ap.case_study_id = ca.case_study_id \
          AND ap.actor_id = ca.actor_id AND ap.approved_at IS NOT NULL)",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    Ok(missing as usize)
}

/// Takes a workflow step. Authors (partners) submit; everything that passes a story on, sends it
/// back, publishes or withdraws it is the reviewers' (admins') call.
pub async fn take_step(
    db: &Db,
    viewer: &Viewer,
    slug: &str,
    step: CaseStep,
    comment: &str,
    seen_version: Option<i64>,
) -> Result<CaseStatus, AppError> {
    match step {
        CaseStep::Approve => return Err(AppError::Conflict(Problem::StatusStepInvalid)),
        CaseStep::Submit => {}
        _ if viewer.role != crate::domain::role::Role::Admin => return Err(AppError::Forbidden),
        _ => {}
    }
    let comment = clean_comment(comment)?;
    let row = study(db, slug).await?;
    // A step moves the version its taker saw, never one saved after the page was loaded.
    if seen_version.is_some_and(|seen| seen != row.version) {
        return Err(AppError::Conflict(Problem::ChangedSinceShown));
    }
    if step == CaseStep::Submit {
        if let Some(problem) = content(db, row.id).await?.missing_for_review() {
            return Err(AppError::invalid(problem.field, problem.problem));
        }
    }
    let missing = missing_approvals(db, row.id).await?;
    let next = next_status(row.status(), step, missing).map_err(AppError::Conflict)?;
    // The status change is the transaction's first statement and names the status it read, so a
    // concurrent step makes this one a conflict instead of a failed SQLite snapshot upgrade.
    let mut tx = db.begin_write().await?;
    move_to(&mut tx, &row, next, step, &comment).await?;
    log_step(
        &mut tx,
        row.id,
        &viewer.display_name,
        Some(viewer.id),
        step.code(),
        &comment,
    )
    .await?;
    notify(
        &mut tx,
        row.id,
        step.code(),
        &viewer.display_name,
        &comment,
        Some(viewer.id),
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

/// Changes the status if status and version are still what `row` says (a concurrent step or save
/// makes this one a conflict), and does what the new status needs.
async fn move_to(
    tx: &mut Transaction<'_, Any>,
    row: &StudyRow,
    next: CaseStatus,
    step: CaseStep,
    comment: &str,
) -> Result<(), AppError> {
    let published_on = match next {
        CaseStatus::Published => Some(
            row.published_on
                .clone()
                .unwrap_or_else(|| format_date(crate::db::today())),
        ),
        _ => row.published_on.clone(),
    };
    let review_comment = if step == CaseStep::SendBack {
        comment
    } else {
        ""
    };
    let moved = sqlx::query(
        "UPDATE case_studies SET status = $1, published_on = $2, review_comment = $3, updated_at = $4 \
         WHERE id = $5 AND status = $6 AND version = $7",
    )
    .bind(next.code())
    .bind(published_on)
    .bind(review_comment)
    .bind(now_secs())
    .bind(row.id)
    .bind(&row.status)
    .bind(row.version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if moved == 0 {
        return Err(AppError::Conflict(Problem::StatusStepInvalid));
    }
    match (step, next) {
        (CaseStep::RequestApproval, _) => {
            sqlx::query("DELETE FROM case_study_approvals WHERE case_study_id = $1")
                .bind(row.id)
                .execute(&mut **tx)
                .await?;
            sqlx::query(
                "INSERT INTO case_study_approvals (case_study_id, actor_id) \
                 SELECT case_study_id, actor_id FROM case_study_actors WHERE case_study_id = $1",
            )
            .bind(row.id)
            .execute(&mut **tx)
            .await?;
        }
        (_, CaseStatus::Draft) => {
            sqlx::query("DELETE FROM case_study_approvals WHERE case_study_id = $1")
                .bind(row.id)
                .execute(&mut **tx)
                .await?;
        }
        _ => {}
    }
    touch(tx).await
}

/// New personal approval links for the partners that have not approved yet; older links stop
/// working.
pub async fn approval_links(
    db: &Db,
    config: &Config,
    slug: &str,
) -> Result<Vec<ApprovalLink>, AppError> {
    let row = study(db, slug).await?;
    if row.status() != CaseStatus::Approval {
        return Err(AppError::Conflict(Problem::StatusStepInvalid));
    }
    let pending: Vec<ApprovalState> = approvals(db, row.id)
        .await?
        .into_iter()
        .filter(|a| a.approved_at.is_none())
        .collect();
    let base = config.base_url();
    let expires_at = now_secs() + crate::domain::case_study::APPROVAL_LINK_SECS;
    let mut links = Vec::new();
    // Only writes in the transaction (a read first would fail SQLite's snapshot upgrade when
    // another write lands in between); an approval given meanwhile keeps its row untouched.
    let mut tx = db.begin_write().await?;
    for ApprovalState {
        actor_id,
        actor_name,
        ..
    } in pending
    {
        let token = new_token();
        sqlx::query(
            "UPDATE case_study_approvals SET token_hash = $1, token_expires_at = $2 \
             WHERE case_study_id = $3 AND actor_id = $4 AND approved_at IS NULL",
        )
        .bind(token_hash(&token))
        .bind(expires_at)
        .bind(row.id)
        .bind(actor_id)
        .execute(&mut *tx)
        .await?;
        links.push(ApprovalLink {
            actor_name,
            url: format!("{base}/fallstudien/freigabe/{token}"),
        });
    }
    tx.commit().await?;
    Ok(links)
}

/// The story and partner behind a personal approval link.
async fn approval_by_token(
    db: &Db,
    token: &str,
) -> Result<(StudyRow, i64, String, bool), AppError> {
    // Slug, partner id and name, when approved, when the link expires.
    type LinkRow = (String, i64, String, Option<i64>, Option<i64>);
    let found: Option<LinkRow> = sqlx::query_as(
        "SELECT cs.slug, a.id, a.name, ap.approved_at, ap.token_expires_at FROM case_study_approvals ap \
         JOIN case_studies cs ON cs.id = ap.case_study_id JOIN actors a ON a.id = ap.actor_id \
         WHERE ap.token_hash = $1",
    )
    .bind(token_hash(token))
    .fetch_optional(&db.pool)
    .await?;
    let (slug, actor_id, actor_name, approved_at, expires_at) =
        found.ok_or(AppError::Conflict(Problem::ApprovalInvalid))?;
    if expires_at.is_none_or(|at| at <= now_secs()) {
        return Err(AppError::Conflict(Problem::ApprovalExpired));
    }
    let row = study(db, &slug).await?;
    if row.status() != CaseStatus::Approval {
        return Err(AppError::Conflict(Problem::ApprovalInvalid));
    }
    Ok((row, actor_id, actor_name, approved_at.is_some()))
}

pub async fn approval_request(db: &Db, token: &str) -> Result<ApprovalRequest, AppError> {
    let (row, _, partner, already_approved) = approval_by_token(db, token).await?;
    Ok(ApprovalRequest {
        partner,
        already_approved,
        article: article(db, &row).await?,
    })
}

/// The story waiting for the approval of the signed-in account's organisation.
pub async fn approval_request_for(
    db: &Db,
    viewer: &Viewer,
    slug: &str,
) -> Result<ApprovalRequest, AppError> {
    let row = study(db, slug).await?;
    let actor_id = account_actor(db, viewer.id)
        .await?
        .ok_or(AppError::Conflict(Problem::NotAPartner))?;
    let approval = approvals(db, row.id)
        .await?
        .into_iter()
        .find(|a| a.actor_id == actor_id)
        .filter(|_| row.status() == CaseStatus::Approval)
        .ok_or(AppError::Conflict(Problem::NotAPartner))?;
    Ok(ApprovalRequest {
        partner: approval.actor_name,
        already_approved: approval.approved_at.is_some(),
        article: article(db, &row).await?,
    })
}

/// A partner organisation approves the story, or asks for changes (back to the draft).
async fn decide(
    db: &Db,
    row: &StudyRow,
    actor_id: i64,
    who: &str,
    user: Option<i64>,
    approve: bool,
    comment: &str,
) -> Result<(), AppError> {
    let comment = clean_comment(comment)?;
    if row.status() != CaseStatus::Approval {
        return Err(AppError::Conflict(Problem::ApprovalInvalid));
    }
    if !approve && comment.is_empty() {
        return Err(AppError::invalid("comment", Problem::Required));
    }
    let mut tx = db.begin_write().await?;
    if approve {
        let updated = sqlx::query(
            "UPDATE case_study_approvals SET approved_at = $1, approved_by = $2, approved_by_id = $5, \
             token_hash = NULL WHERE case_study_id = $3 AND actor_id = $4 AND approved_at IS NULL \
             AND (SELECT status FROM case_studies WHERE id = $3) = 'approval'",
        )
        .bind(now_secs())
        .bind(who)
        .bind(row.id)
        .bind(actor_id)
        .bind(user)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Err(AppError::Conflict(Problem::ApprovalInvalid));
        }
        log_step(
            &mut tx,
            row.id,
            who,
            user,
            CaseStep::Approve.code(),
            &comment,
        )
        .await?;
        notify(
            &mut tx,
            row.id,
            CaseStep::Approve.code(),
            who,
            &comment,
            user,
        )
        .await?;
    } else {
        move_to(
            &mut tx,
            row,
            CaseStatus::Draft,
            CaseStep::SendBack,
            &comment,
        )
        .await?;
        log_step(
            &mut tx,
            row.id,
            who,
            user,
            CaseStep::SendBack.code(),
            &comment,
        )
        .await?;
        notify(
            &mut tx,
            row.id,
            CaseStep::SendBack.code(),
            who,
            &comment,
            user,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn decide_by_token(
    db: &Db,
    token: &str,
    approve: bool,
    comment: &str,
) -> Result<(), AppError> {
    let (row, actor_id, actor_name, already) = approval_by_token(db, token).await?;
    if already {
        return Err(AppError::Conflict(Problem::ApprovalInvalid));
    }
    decide(db, &row, actor_id, &actor_name, None, approve, comment).await
}

pub async fn decide_as_partner(
    db: &Db,
    viewer: &Viewer,
    slug: &str,
    approve: bool,
    comment: &str,
) -> Result<(), AppError> {
    let row = study(db, slug).await?;
    let actor_id = account_actor(db, viewer.id)
        .await?
        .ok_or(AppError::Conflict(Problem::NotAPartner))?;
    let pending = approvals(db, row.id)
        .await?
        .into_iter()
        .find(|a| a.actor_id == actor_id)
        .ok_or(AppError::Conflict(Problem::NotAPartner))?;
    if pending.approved_at.is_some() {
        return Err(AppError::Conflict(Problem::ApprovalInvalid));
    }
    let who = format!("{} ({})", viewer.display_name, pending.actor_name);
    decide(db, &row, actor_id, &who, Some(viewer.id), approve, comment).await
}

#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: i64,
    slug: Option<String>,
    title: Option<String>,
    step: String,
    who: String,
    comment: String,
    created_at: i64,
    read_at: Option<i64>,
}

pub async fn notifications(db: &Db, viewer: &Viewer) -> Result<Vec<Notification>, AppError> {
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT n.id, cs.slug, cs.title, n.step, n.who, n.comment, n.created_at, n.read_at \
         FROM notifications n LEFT JOIN case_studies cs ON cs.id = n.case_study_id \
         WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT 100",
    )
    .bind(viewer.id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Notification {
            id: row.id,
            slug: row.slug,
            title: row.title,
            step: row.step,
            who: row.who,
            comment: row.comment,
            at: row.created_at,
            read: row.read_at.is_some(),
        })
        .collect())
}

pub async fn mark_read(db: &Db, viewer: &Viewer) -> Result<(), AppError> {
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now_secs())
        .bind(viewer.id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

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

/// The playbook's introduction, method and version.
async fn playbook_texts(db: &Db) -> Result<(String, String, i64), AppError> {
    Ok(
        sqlx::query_as("SELECT intro, method, version FROM playbook WHERE id = 1")
            .fetch_one(&db.pool)
            .await?,
    )
}

pub async fn playbook(db: &Db) -> Result<Playbook, AppError> {
    let (intro, method, version) = playbook_texts(db).await?;
    let chosen: Vec<StudyRow> = sqlx::query_as(&format!(
        "SELECT {STUDY_COLUMNS} JOIN playbook_entries pe ON pe.case_study_id = case_studies.id \
         WHERE status = 'published' ORDER BY pe.position"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(Playbook {
        intro,
        method,
        version,
        studies: articles(db, &chosen).await?,
    })
}

pub async fn playbook_editor(db: &Db) -> Result<PlaybookEditorData, AppError> {
    let (intro, method, version) = playbook_texts(db).await?;
    let rows: Vec<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT cs.slug, cs.title, pe.position FROM case_studies cs \
         LEFT JOIN playbook_entries pe ON pe.case_study_id = cs.id WHERE cs.status = 'published' \
         ORDER BY CASE WHEN pe.position IS NULL THEN 1 ELSE 0 END, pe.position, cs.title",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(PlaybookEditorData {
        intro,
        method,
        version,
        published: rows
            .into_iter()
            .map(|(slug, title, position)| (slug, title, position.is_some()))
            .collect(),
    })
}

pub async fn save_playbook(
    db: &Db,
    intro: &str,
    method: &str,
    chosen: &[String],
    base_version: i64,
) -> Result<i64, AppError> {
    for (field, text) in [("intro", intro), ("method", method)] {
        if text.chars().count() > crate::domain::case_study::SECTION_MAX {
            return Err(AppError::invalid(
                field,
                Problem::TooLong {
                    max: crate::domain::case_study::SECTION_MAX,
                },
            ));
        }
    }
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE playbook SET intro = $1, method = $2, version = version + 1, updated_at = $3 \
         WHERE id = 1 AND version = $4",
    )
    .bind(intro.trim())
    .bind(method.trim())
    .bind(now_secs())
    .bind(base_version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Err(AppError::Conflict(Problem::EditedMeanwhile));
    }
    sqlx::query("DELETE FROM playbook_entries")
        .execute(&mut *tx)
        .await?;
    for (position, slug) in chosen.iter().enumerate() {
        let inserted = sqlx::query(
            "INSERT INTO playbook_entries (case_study_id, position) \
             SELECT id, $1 FROM case_studies WHERE slug = $2 AND status = 'published' \
             ON CONFLICT (case_study_id) DO NOTHING",
        )
        .bind(position as i64)
        .bind(slug)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(AppError::invalid("studies", Problem::NotEditable));
        }
    }
    touch(&mut tx).await?;
    tx.commit().await?;
    Ok(base_version + 1)
}

/// The Atom feed of published stories, newest first.
pub async fn feed(db: &Db, config: &Config) -> Result<String, AppError> {
    use atom_syndication::{Entry, Feed, Link, Person, Text};
    let list = list_published(db, &CaseFilter::default()).await?;
    let base = config.base_url();
    let date = |day: &Option<String>| {
        let day = day.as_deref().and_then(parse_date).unwrap_or_default();
        day.and_time(chrono::NaiveTime::MIN)
            .and_utc()
            .fixed_offset()
    };
    let entries: Vec<Entry> = list
        .studies
        .iter()
        .map(|study| {
            let url = format!("{base}/fallstudien/{}", study.slug);
            let mut entry = Entry::default();
            entry.set_id(url.clone());
            entry.set_title(Text::plain(study.title.clone()));
            entry.set_summary(Some(Text::plain(study.teaser.clone())));
            entry.set_updated(date(&study.published_on));
            entry.set_published(Some(date(&study.published_on)));
            entry.set_links(vec![Link {
                href: url,
                rel: "alternate".into(),
                ..Default::default()
            }]);
            entry.set_authors(
                study
                    .partners
                    .iter()
                    .map(|(_, name)| Person {
                        name: name.clone(),
                        ..Default::default()
                    })
                    .collect::<Vec<_>>(),
            );
            entry
        })
        .collect();
    let mut feed = Feed::default();
    feed.set_id(format!("{base}/fallstudien"));
    feed.set_title(Text::plain("Tandem – Fallstudien"));
    feed.set_updated(
        list.studies
            .first()
            .map(|s| date(&s.published_on))
            .unwrap_or_else(|| date(&None)),
    );
    feed.set_links(vec![
        Link {
            href: format!("{base}/fallstudien/feed.xml"),
            rel: "self".into(),
            ..Default::default()
        },
        Link {
            href: format!("{base}/fallstudien"),
            rel: "alternate".into(),
            ..Default::default()
        },
    ]);
    feed.set_entries(entries);
    Ok(feed.to_string())
}

/// The playbook as one HTML file: styles inline, images as data URIs, nothing fetched.
pub async fn playbook_export(
    db: &Db,
    config: &Config,
    locale: crate::i18n::Locale,
) -> Result<String, AppError> {
    use base64::Engine;
    let base = config.base_url();
    let playbook = playbook(db).await?;
    let mut body = super::render::booklet_html(&playbook, locale);
    // Every image (covers, galleries and those placed in the sections' markdown) becomes a data
    // URI; one that cannot be read is dropped rather than left pointing at the server.
    let marker = format!("src=\"{}", crate::domain::markdown::IMAGE_PATH);
    let mut data_uris: HashMap<String, String> = HashMap::new();
    let mut inlined = String::with_capacity(body.len());
    let mut rest = body.as_str();
    // One pass over the page: each image is read and encoded once, however often it appears.
    while let Some(at) = rest.find(&marker) {
        let after = &rest[at + marker.len()..];
        let Some(end) = after.find('"') else { break };
        let name = &after[..end];
        if !data_uris.contains_key(name) {
            let data = match image(db, name).await {
                Ok((content_type, bytes)) => format!(
                    "data:{content_type};base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(bytes)
                ),
                Err(_) => String::new(),
            };
            data_uris.insert(name.to_owned(), data);
        }
        inlined.push_str(&rest[..at]);
        inlined.push_str("src=\"");
        inlined.push_str(&data_uris[name]);
        inlined.push('"');
        rest = &after[end + 1..];
    }
    inlined.push_str(rest);
    body = inlined;
    // Links to the partners' profiles point back to this instance.
    let body = body.replace("href=\"/", &format!("href=\"{base}/"));
    Ok(format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{css}</style></head><body><main class=\"booklet\">{body}</main></body></html>",
        lang = locale.code(),
        title = crate::i18n::Msg::PlaybookTitle.text(locale),
        css = include_str!("../../public/booklet.css"),
    ))
}
