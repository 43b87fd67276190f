//! Proposals: anyone proposes a new actor or a correction; editors accept (applying only the
//! proposed changes) or decline.

use super::edit::stored_actor;
use super::edit::validate_actor;
use super::edit::write_actor;
use crate::db::actors::bump_revision;
use crate::db::{now_secs, Db, Section};
use crate::domain::actor::Region;
use crate::domain::actor_input::ActorInput;
use crate::domain::proposal::{apply_changes, changed_fields, ActorField};
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::map::{ProposalChange, ProposalView};

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
pub(super) struct ProposalRow {
    pub(super) id: i64,
    pub(super) slug: Option<String>,
    pub(super) payload: String,
    pub(super) base_payload: Option<String>,
    pub(super) message: String,
    pub(super) proposer_name: String,
    pub(super) proposer_email: Option<String>,
    pub(super) created_at: i64,
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
pub(super) fn proposal_changes(
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
