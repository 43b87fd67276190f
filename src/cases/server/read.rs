//! Reading stories: rows, content with the names it refers to, the public list and articles, the
//! workspace, revisions and approvals, and what the editor loads.

use crate::cases::render::article_html;
use crate::cases::*;
use crate::db::Db;
use crate::domain::actor::{ActorOption, ConnectionKind};
use crate::domain::case_study::{CaseContent, CaseStatus};
use crate::error::AppError;
use crate::guard::Viewer;
use crate::i18n::Locale;
use crate::taxonomy::Term;

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

pub(super) const STUDY_COLUMNS: &str =
    "id, slug, status, version, published_on, updated_at, review_comment FROM case_studies";

pub async fn study(db: &Db, slug: &str) -> Result<StudyRow, AppError> {
    sqlx::query_as(&format!("SELECT {STUDY_COLUMNS} WHERE slug = $1"))
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(sqlx::FromRow)]
pub(super) struct ContentRow {
    pub(super) title: String,
    pub(super) teaser: String,
    pub(super) region: String,
    pub(super) connection_id: Option<i64>,
    pub(super) challenge: String,
    pub(super) solution: String,
    pub(super) result: String,
    pub(super) key_figures: String,
    pub(super) quote: String,
    pub(super) quote_by: String,
    pub(super) outlook: String,
    pub(super) contact: String,
    pub(super) images: String,
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
pub(super) async fn connections_of(
    db: &Db,
    actors: &[i64],
) -> Result<Vec<ConnectionOption>, AppError> {
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

pub(super) async fn all_connections(db: &Db) -> Result<Vec<ConnectionOption>, AppError> {
    connections_where(db, "").await
}

/// `condition` is built from numbers only, never from text.
pub(super) async fn connections_where(
    db: &Db,
    condition: &str,
) -> Result<Vec<ConnectionOption>, AppError> {
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
pub(super) fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// What a story's content refers to. For the editor (`editing`): every actor and connection to
/// choose from. For readers: the partners (those without consent to a public profile by name
/// only) and the one connection the story tells about.
pub(super) async fn lookups(
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
pub(super) async fn articles(db: &Db, rows: &[StudyRow]) -> Result<Vec<CaseArticle>, AppError> {
    let topics = terms(db).await?;
    let mut articles = Vec::with_capacity(rows.len());
    for row in rows {
        articles.push(article_with(db, row, topics.clone()).await?);
    }
    Ok(articles)
}

pub(super) async fn article_with(
    db: &Db,
    row: &StudyRow,
    topics: Vec<Term>,
) -> Result<CaseArticle, AppError> {
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
        html: String::new(),
    })
}

/// The article as a page shows it: its HTML, for a page where its title is a heading of
/// `title_level` (the date of publication only while it is published), and of the content only
/// what the page reads itself (title, teaser, images), so the text travels once.
pub fn rendered(article: CaseArticle, locale: Locale, title_level: u8) -> CaseArticle {
    let published_on = article
        .published_on
        .as_deref()
        .filter(|_| article.status == CaseStatus::Published);
    let html = article_html(
        &article.content,
        &article.lookups,
        published_on,
        locale,
        title_level,
    );
    let CaseContent {
        title,
        teaser,
        images,
        ..
    } = article.content;
    CaseArticle {
        content: CaseContent {
            title,
            teaser,
            images,
            ..CaseContent::default()
        },
        lookups: Lookups::default(),
        html,
        ..article
    }
}

/// Content being edited as readers will see it (cut to what a story may hold), its title a
/// heading of `title_level`.
pub async fn preview(
    db: &Db,
    content: CaseContent,
    locale: Locale,
    title_level: u8,
) -> Result<String, AppError> {
    preview_with(db, content, locale, title_level, terms(db).await?).await
}

/// [`preview`] with the taxonomy already read.
async fn preview_with(
    db: &Db,
    content: CaseContent,
    locale: Locale,
    title_level: u8,
    topics: Vec<Term>,
) -> Result<String, AppError> {
    let content = content.within_limits();
    let lookups = lookups(db, &content, false, topics).await?;
    // Up to 80,000 characters of markdown: rendered off the threads that serve requests.
    tokio::task::spawn_blocking(move || article_html(&content, &lookups, None, locale, title_level))
        .await
        .map_err(|_| AppError::Internal)
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

pub(super) async fn revisions(db: &Db, id: i64) -> Result<Vec<RevisionInfo>, AppError> {
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

pub(super) async fn approvals(db: &Db, id: i64) -> Result<Vec<ApprovalState>, AppError> {
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

pub(super) async fn account_actor(db: &Db, user_id: i64) -> Result<Option<i64>, AppError> {
    let row: Option<(Option<i64>,)> = sqlx::query_as("SELECT actor_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.and_then(|(actor,)| actor))
}

pub async fn editor_data(
    db: &Db,
    viewer: &Viewer,
    slug: &str,
    locale: Locale,
) -> Result<CaseEditorData, AppError> {
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
    // What the editor opens with: the draft, where it may be edited (as `pages::editor`).
    let opened = draft
        .as_ref()
        .filter(|_| row.status().is_editable())
        .map_or(&content, |(draft, _, _)| draft);
    let topics = terms(db).await?;
    let preview = preview_with(
        db,
        opened.clone(),
        locale,
        EDITOR_TITLE_LEVEL,
        topics.clone(),
    )
    .await?;
    Ok(CaseEditorData {
        slug: row.slug.clone(),
        status: row.status(),
        version: row.version,
        lookups: lookups(db, &content, true, topics).await?,
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
        preview,
    })
}
