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
use crate::domain::proposal::{apply_changes, changed_fields, ActorField};
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::map::{ActorEditor, EditableConnection, ProposalChange, ProposalView};
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
struct StoredActor {
    id: i64,
    name: String,
    kind: String,
    town: String,
    lat: f64,
    lon: f64,
    website: Option<String>,
    description: String,
    founded_year: Option<i64>,
    size_band: Option<String>,
    logo_url: Option<String>,
    contact_email: Option<String>,
    is_public: i64,
    contact_public: i64,
}

const STORED_ACTOR: &str =
    "SELECT id, name, kind, town, lat, lon, website, description, founded_year, size_band, \
     logo_url, contact_email, is_public, contact_public FROM actors WHERE slug = $1";

async fn stored_actor(db: &Db, slug: &str) -> Result<(i64, ActorInput), AppError> {
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
struct ConnectionRow {
    id: i64,
    source_slug: String,
    target_slug: String,
    other_slug: String,
    other_name: String,
    kind: String,
    started_on: String,
    ended_on: Option<String>,
    origin: Option<String>,
    note: Option<String>,
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

async fn write_actor(
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
async fn delete_one<'q>(
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

/// Stores a proposal after the same checks an edit gets; `slug` names the actor to correct.
pub async fn propose(
    db: &Db,
    region: Region,
    slug: &str,
    input: &ActorInput,
    proposer_name: &str,
    proposer_email: &str,
    message: &str,
) -> Result<(), AppError> {
    // A correction names a public actor; the fields the public never sees (logo address,
    // contact) keep their stored values unless the proposal gives new ones.
    let mut input = input.clone();
    let mut base = None;
    let actor_id: Option<i64> = if slug.is_empty() {
        None
    } else {
        let public: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM actors WHERE slug = $1 AND is_public = 1")
                .bind(slug)
                .fetch_one(&db.pool)
                .await?;
        if public == 0 {
            return Err(AppError::NotFound);
        }
        let (id, current) = stored_actor(db, slug).await?;
        if input.logo_url.trim().is_empty() {
            input.logo_url = current.logo_url.clone();
        }
        if input.contact_email.trim().is_empty() {
            input.contact_email = current.contact_email.clone();
            input.contact_public = current.contact_public.clone();
        }
        base = Some(current);
        Some(id)
    };
    let record = validate_actor(db, region, &input).await;
    let name = crate::domain::validation::display_name(proposer_name)
        .map_err(|p| AppError::invalid("proposer_name", p));
    let email = crate::domain::validation::email(proposer_email)
        .map_err(|p| AppError::invalid("proposer_email", p));
    let message = message.trim();
    let message_fits = if message.chars().count() > crate::domain::proposal::MESSAGE_MAX {
        Err(AppError::invalid(
            "message",
            Problem::TooLong {
                max: crate::domain::proposal::MESSAGE_MAX,
            },
        ))
    } else {
        Ok(())
    };
    let (record, name, email) = match (record, name, email, message_fits) {
        (Ok(record), Ok(name), Ok(email), Ok(())) => (record, name, email),
        (record, name, email, message_fits) => {
            return Err(AppError::combine(
                [record.err(), name.err(), email.err(), message_fits.err()]
                    .into_iter()
                    .flatten(),
            )
            .unwrap_or(AppError::Internal))
        }
    };
    sqlx::query(
        "INSERT INTO proposals (actor_id, payload, base_payload, message, proposer_name, proposer_email, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7)",
    )
    .bind(actor_id)
    .bind(serde_json::to_string(&record.to_input()).map_err(|_| AppError::Internal)?)
    .bind(
        base.map(|base| serde_json::to_string(&base))
            .transpose()
            .map_err(|_| AppError::Internal)?,
    )
    .bind(message)
    .bind(name)
    .bind(email)
    .bind(now_secs())
    .execute(&db.pool)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ProposalRow {
    id: i64,
    slug: Option<String>,
    payload: String,
    base_payload: Option<String>,
    message: String,
    proposer_name: String,
    proposer_email: Option<String>,
    created_at: i64,
}

pub async fn open_proposals(db: &Db) -> Result<Vec<ProposalView>, AppError> {
    let rows: Vec<ProposalRow> = sqlx::query_as(
        "SELECT p.id, a.slug, p.payload, p.base_payload, p.message, p.proposer_name, p.proposer_email, p.created_at \
         FROM proposals p LEFT JOIN actors a ON a.id = p.actor_id WHERE p.status = 'open' ORDER BY p.created_at, p.id",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut proposals = Vec::with_capacity(rows.len());
    for row in rows {
        let current = match &row.slug {
            Some(slug) => Some(stored_actor(db, slug).await?.1),
            None => None,
        };
        let proposed: ActorInput =
            serde_json::from_str(&row.payload).map_err(|_| AppError::Internal)?;
        let now = current.clone().unwrap_or_default();
        let changes = proposal_changes(row.base_payload.as_deref(), current.as_ref(), &proposed)?
            .into_iter()
            .map(|field| ProposalChange {
                field: field.code().to_owned(),
                current: field.value(&now),
                proposed: field.value(&proposed),
                needs_confirmation: field.needs_confirmation(),
            })
            .collect();
        proposals.push(ProposalView {
            id: row.id,
            slug: row.slug,
            proposed,
            changes,
            current,
            message: row.message,
            proposer_name: row.proposer_name,
            proposer_email: row.proposer_email.unwrap_or_default(),
            created_at: row.created_at,
        });
    }
    Ok(proposals)
}

/// The fields a proposal changes: against the actor as the proposer saw it, or for proposals
/// stored without that, against the actor as it is now (for a new actor: an empty one).
fn proposal_changes(
    base_payload: Option<&str>,
    current: Option<&ActorInput>,
    proposed: &ActorInput,
) -> Result<Vec<ActorField>, AppError> {
    let base: ActorInput = match (base_payload, current) {
        (Some(base), _) => serde_json::from_str(base).map_err(|_| AppError::Internal)?,
        (None, Some(current)) => current.clone(),
        (None, None) => ActorInput::default(),
    };
    Ok(changed_fields(&base, proposed))
}

/// Accepting applies the fields the proposer changed onto the actor as it is now (checked again):
/// later edits stay, withdrawn consent stays withdrawn, and changes to contact, logo address or
/// consent need `confirmed`. Either way the proposer's address is deleted, it was only needed
/// for questions.
pub async fn decide(
    db: &Db,
    region: Region,
    id: i64,
    accept: bool,
    confirmed: bool,
    decided_by: i64,
) -> Result<Option<String>, AppError> {
    // Everything is read and checked before the write transaction, which only writes: on SQLite
    // it holds the one write lock, and reads through other connections while holding it could
    // wait for connections that themselves wait for the lock.
    let row: Option<(Option<i64>, String, Option<String>)> = sqlx::query_as(
        "SELECT actor_id, payload, base_payload FROM proposals WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let (actor_id, payload, base_payload) = row.ok_or(AppError::NotFound)?;
    let mut accepted = None;
    if accept {
        let proposed: ActorInput =
            serde_json::from_str(&payload).map_err(|_| AppError::Internal)?;
        let target: String = match actor_id {
            Some(actor) => {
                sqlx::query_scalar("SELECT slug FROM actors WHERE id = $1")
                    .bind(actor)
                    .fetch_one(&db.pool)
                    .await?
            }
            None => String::new(),
        };
        let current = if target.is_empty() {
            None
        } else {
            Some(stored_actor(db, &target).await?.1)
        };
        let changes = proposal_changes(base_payload.as_deref(), current.as_ref(), &proposed)?;
        if !confirmed && changes.iter().any(|field| field.needs_confirmation()) {
            return Err(AppError::Conflict(Problem::ConfirmationNeeded));
        }
        let input = apply_changes(&current.unwrap_or_default(), &proposed, &changes);
        accepted = Some((target, validate_actor(db, region, &input).await?));
    }
    // A new actor takes a free slug (see `save_actor`).
    let mut tx = if accepted
        .as_ref()
        .is_some_and(|(target, _)| target.is_empty())
    {
        db.begin_section(Section::Slugs).await?
    } else {
        db.begin_write().await?
    };
    // Decided once: a second moderator clicking at the same time finds it decided.
    let decided = sqlx::query(
        "UPDATE proposals SET status = $1, decided_by = $2, decided_at = $3, proposer_email = NULL \
         WHERE id = $4 AND status = 'open'",
    )
    .bind(if accept { "accepted" } else { "rejected" })
    .bind(decided_by)
    .bind(now_secs())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if decided.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    let mut slug = None;
    if let Some((target, record)) = accepted {
        slug = Some(write_actor(&mut tx, &target, &record).await?);
        bump_revision(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(slug)
}

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
