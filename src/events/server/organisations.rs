//! Registrations and the map's actors: which registered organisations the map does not know
//! by name, with the actors they most likely are, and the organiser's confirmation that links
//! them, so a confirmed follow-up connects the actor the map already has instead of adding a
//! second one.

use super::events::event_row;
use crate::db::Db;
use crate::domain::organisation::{likely_matches, organisation_key, suggestions};
use crate::error::AppError;
use crate::events::{ActorChoice, OrganisationSuggestion, UnmatchedOrganisation};
use std::collections::BTreeMap;

/// Likely actors shown per organisation.
const CHOICES: usize = 3;
/// Suggestions shown while someone types their organisation.
const SUGGESTIONS: usize = 6;
/// What someone types is cut here: enough to tell organisations apart, and it bounds the work
/// of comparing it with every name of the map.
const QUERY_MAX: usize = 60;

/// The public map's organisations for what someone types into the registration form.
pub async fn suggest(db: &Db, query: &str) -> Result<Vec<OrganisationSuggestion>, AppError> {
    let query: String = query.chars().take(QUERY_MAX).collect();
    let actors: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, town FROM actors WHERE is_public = 1 ORDER BY id")
            .fetch_all(&db.pool)
            .await?;
    Ok(suggestions(
        &query,
        actors.iter().map(|(id, name, _)| (*id, name.as_str())),
        SUGGESTIONS,
    )
    .into_iter()
    .filter_map(|id| actors.iter().find(|a| a.0 == id))
    .map(|(_, name, town)| OrganisationSuggestion {
        name: name.clone(),
        town: town.clone(),
    })
    .collect())
}

/// The event's registered organisations linked to no actor (by their key), how many people
/// each brought, and the actors each most likely is.
pub(super) async fn unmatched(
    db: &Db,
    event_id: i64,
) -> Result<Vec<UnmatchedOrganisation>, AppError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT organisation FROM registrations WHERE event_id = $1 AND actor_id IS NULL",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    if names.is_empty() {
        return Ok(Vec::new());
    }
    // By key, with the first spelling seen and a count.
    let mut organisations: BTreeMap<String, (String, i64)> = BTreeMap::new();
    for name in names {
        organisations
            .entry(organisation_key(&name))
            .or_insert((name, 0))
            .1 += 1;
    }
    let actors: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, town FROM actors ORDER BY id")
            .fetch_all(&db.pool)
            .await?;
    Ok(organisations
        .into_values()
        .map(|(organisation, people)| {
            let likely = likely_matches(
                &organisation,
                actors.iter().map(|(id, name, _)| (*id, name.as_str())),
                CHOICES,
            )
            .into_iter()
            .filter_map(|(id, score)| {
                let (_, name, town) = actors.iter().find(|a| a.0 == id)?;
                Some(ActorChoice {
                    id,
                    name: name.clone(),
                    town: town.clone(),
                    percent: (score * 100.0).round() as u8,
                })
            })
            .collect();
            UnmatchedOrganisation {
                organisation,
                people,
                likely,
            }
        })
        .collect())
}

/// The organiser confirms that `organisation` (as registered for the event, any spelling of
/// its key) is the map's actor `actor`: every such registration without an actor is linked to
/// it. Answers how many were linked.
pub async fn assign(
    db: &Db,
    slug: &str,
    organisation: &str,
    actor: i64,
) -> Result<usize, AppError> {
    let event = event_row(db, slug, true).await?;
    let known: Option<i64> = sqlx::query_scalar("SELECT id FROM actors WHERE id = $1")
        .bind(actor)
        .fetch_optional(&db.pool)
        .await?;
    known.ok_or(AppError::NotFound)?;
    let wanted = organisation_key(organisation);
    let mut tx = db.begin_write().await?;
    let registrations: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, organisation FROM registrations WHERE event_id = $1 AND actor_id IS NULL",
    )
    .bind(event.id)
    .fetch_all(&mut *tx)
    .await?;
    let mut linked = 0;
    for (id, name) in registrations {
        if organisation_key(&name) != wanted {
            continue;
        }
        // Another organiser may have linked it a moment ago: only count what this one did.
        linked += sqlx::query(
            "UPDATE registrations SET actor_id = $1 WHERE id = $2 AND actor_id IS NULL",
        )
        .bind(actor)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected() as usize;
    }
    if linked == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(linked)
}
