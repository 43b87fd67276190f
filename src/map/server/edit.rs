//! Changing the map's data: partners and admins edit actors and connections directly; anyone may
//! propose a new entry or a correction, which waits in a moderation queue. Every change runs in
//! one transaction that also bumps the network revision, so every map sees it at once.

use crate::db::actors::{
    bump_revision, insert_actor, insert_connection, store_actor, term_ids, vocabularies,
    NewConnection,
};
use crate::db::{now_secs, this_year, Db, Section};
use crate::domain::actor::{ActorKind, ConnectionKind, Region};
use crate::domain::actor_input::{ActorInput, ActorRecord, ActorRules, ConnectionInput};
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::map::{ActorEditor, EditableConnection};
use sqlx::{Any, Transaction};

pub async fn validate_actor(
    db: &Db,
    region: Region,
    input: &ActorInput,
) -> Result<ActorRecord, AppError> {
    let (sectors, technologies) = vocabularies(db).await?;
    input
        .validate(&ActorRules {
            sectors: &sectors,
            technologies: &technologies,
            this_year: this_year(),
            region,
        })
        .map_err(AppError::from)
}

#[derive(sqlx::FromRow)]
pub(super) struct StoredActor {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) kind: String,
    pub(super) town: String,
    pub(super) lat: f64,
    pub(super) lon: f64,
    pub(super) website: Option<String>,
    pub(super) description: String,
    pub(super) founded_year: Option<i64>,
    pub(super) size_band: Option<String>,
    pub(super) logo_url: Option<String>,
    pub(super) contact_email: Option<String>,
    pub(super) is_public: i64,
    pub(super) contact_public: i64,
}

pub(super) const STORED_ACTOR: &str =
    "SELECT id, name, kind, town, lat, lon, website, description, founded_year, size_band, \
     logo_url, contact_email, is_public, contact_public FROM actors WHERE slug = $1";

pub(super) async fn stored_actor(db: &Db, slug: &str) -> Result<(i64, ActorInput), AppError> {
    let row: StoredActor = sqlx::query_as(STORED_ACTOR)
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let terms: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.vocabulary, t.slug FROM actor_terms x JOIN taxonomy_terms t ON t.id = x.term_id \
         WHERE x.actor_id = $1 ORDER BY t.slug",
    )
    .bind(row.id)
    .fetch_all(&db.pool)
    .await?;
    let record = ActorRecord {
        name: row.name,
        kind: ActorKind::from_code(&row.kind).ok_or(AppError::Internal)?,
        town: row.town,
        lat: row.lat,
        lon: row.lon,
        website: row.website,
        description: row.description,
        founded_year: row.founded_year.map(|y| y as i32),
        size_band: row.size_band,
        sectors: terms
            .iter()
            .filter(|(v, _)| v == "sector")
            .map(|(_, s)| s.clone())
            .collect(),
        technologies: terms
            .iter()
            .filter(|(v, _)| v != "sector")
            .map(|(_, s)| s.clone())
            .collect(),
        logo_url: row.logo_url,
        contact_email: row.contact_email,
        is_public: row.is_public == 1,
        contact_public: row.contact_public == 1,
    };
    Ok((row.id, record.to_input()))
}

#[derive(sqlx::FromRow)]
pub(super) struct ConnectionRow {
    pub(super) id: i64,
    pub(super) source_slug: String,
    pub(super) target_slug: String,
    pub(super) other_slug: String,
    pub(super) other_name: String,
    pub(super) kind: String,
    pub(super) started_on: String,
    pub(super) ended_on: Option<String>,
    pub(super) origin: Option<String>,
    pub(super) note: Option<String>,
}

/// The edit form's content: the stored actor (empty slug: a new one) and its connections.
pub async fn editor(db: &Db, slug: &str) -> Result<ActorEditor, AppError> {
    if slug.is_empty() {
        return Ok(ActorEditor {
            slug: None,
            input: ActorInput {
                kind: ActorKind::Mittelstand.code().to_owned(),
                ..ActorInput::default()
            },
            connections: Vec::new(),
        });
    }
    let (id, input) = stored_actor(db, slug).await?;
    let rows: Vec<ConnectionRow> = sqlx::query_as(
        "SELECT c.id, s.slug AS source_slug, t.slug AS target_slug, o.slug AS other_slug, o.name AS other_name, \
         c.kind, c.started_on, c.ended_on, c.origin, c.note \
         FROM connections c JOIN actors s ON s.id = c.source_id JOIN actors t ON t.id = c.target_id JOIN actors o \
           ON o.id = CASE WHEN c.source_id = $1 THEN c.target_id ELSE c.source_id END \
         WHERE c.source_id = $1 OR c.target_id = $1 ORDER BY c.started_on DESC, c.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(ActorEditor {
        slug: Some(slug.to_owned()),
        input,
        connections: rows
            .into_iter()
            .filter_map(|row| {
                Some(EditableConnection {
                    id: row.id,
                    source_slug: row.source_slug,
                    target_slug: row.target_slug,
                    other_slug: row.other_slug,
                    other_name: row.other_name,
                    kind: ConnectionKind::from_code(&row.kind)?,
                    started_on: row.started_on,
                    ended_on: row.ended_on,
                    origin: row.origin,
                    note: row.note,
                })
            })
            .collect(),
    })
}

/// Creates (empty `slug`) or updates an actor; returns its slug.
pub async fn save_actor(
    db: &Db,
    region: Region,
    slug: &str,
    input: &ActorInput,
) -> Result<String, AppError> {
    let record = validate_actor(db, region, input).await?;
    // A new actor takes a free slug: two created at once with one name must not both take it.
    let mut tx = if slug.is_empty() {
        db.begin_section(Section::Slugs).await?
    } else {
        db.begin_write().await?
    };
    let slug = write_actor(&mut tx, slug, &record).await?;
    bump_revision(&mut tx).await?;
    tx.commit().await?;
    Ok(slug)
}

pub(super) async fn write_actor(
    tx: &mut Transaction<'_, Any>,
    slug: &str,
    record: &ActorRecord,
) -> Result<String, AppError> {
    let duplicate: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM actors WHERE LOWER(name) = LOWER($1) AND LOWER(town) = LOWER($2) AND slug <> $3",
    )
    .bind(&record.name)
    .bind(&record.town)
    .bind(slug)
    .fetch_one(&mut **tx)
    .await?;
    if duplicate > 0 {
        return Err(AppError::invalid("name", Problem::DuplicateActor));
    }
    let terms = term_ids(tx).await?;
    let now = now_secs();
    if slug.is_empty() {
        return insert_actor(tx, record, &terms, now).await;
    }
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM actors WHERE slug = $1")
        .bind(slug)
        .fetch_one(&mut **tx)
        .await?;
    if exists == 0 {
        return Err(AppError::NotFound);
    }
    store_actor(tx, slug, record, &terms, now).await?;
    Ok(slug.to_owned())
}

/// Runs a delete of one row and marks the network changed; `NotFound` when nothing matched.
pub(super) async fn delete_one<'q>(
    db: &Db,
    query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    if query.execute(&mut *tx).await?.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    bump_revision(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_actor(db: &Db, slug: &str) -> Result<(), AppError> {
    delete_one(
        db,
        sqlx::query("DELETE FROM actors WHERE slug = $1").bind(slug),
    )
    .await
}

/// Creates a connection, or (with `existing`) changes one; returns its id.
pub async fn save_connection(
    db: &Db,
    existing: Option<i64>,
    input: &ConnectionInput,
) -> Result<i64, AppError> {
    let record = input.validate().map_err(AppError::from)?;
    let mut tx = db.begin_write().await?;
    let mut ids = Vec::new();
    for (field, choice) in [("source", &record.source), ("target", &record.target)] {
        let id = crate::db::actor_by_choice(&mut *tx, choice).await?;
        ids.push(id.ok_or(AppError::invalid(field, Problem::ActorUnknown))?);
    }
    if ids[0] == ids[1] {
        return Err(AppError::invalid("target", Problem::SameActor));
    }
    let exists: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM connections WHERE kind = $1 AND id <> $4 AND \
         ((source_id = $2 AND target_id = $3) OR (source_id = $3 AND target_id = $2))",
    )
    .bind(record.kind.code())
    .bind(ids[0])
    .bind(ids[1])
    .bind(existing.unwrap_or(-1))
    .fetch_one(&mut *tx)
    .await?;
    if exists > 0 {
        return Err(AppError::invalid("kind", Problem::ConnectionExists));
    }
    let id = match existing {
        None => {
            let connection = NewConnection {
                record: &record,
                source: ids[0],
                target: ids[1],
                event: None,
            };
            insert_connection(&mut tx, connection, now_secs()).await?
        }
        Some(id) => {
            let updated = sqlx::query(
                "UPDATE connections SET source_id = $1, target_id = $2, kind = $3, started_on = $4, \
                 ended_on = $5, origin = $6, note = $7 WHERE id = $8",
            )
            .bind(ids[0])
            .bind(ids[1])
            .bind(record.kind.code())
            .bind(crate::domain::date::format_date(record.start))
            .bind(record.end.map(crate::domain::date::format_date))
            .bind(record.origin.as_deref())
            .bind(record.note.as_deref())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(AppError::NotFound);
            }
            id
        }
    };
    bump_revision(&mut tx).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete_connection(db: &Db, id: i64) -> Result<(), AppError> {
    delete_one(
        db,
        sqlx::query("DELETE FROM connections WHERE id = $1").bind(id),
    )
    .await
}
