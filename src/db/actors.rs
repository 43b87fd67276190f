//! The one way actors and connections are written: by the editor, the CSV import, an event's
//! follow-ups, the demo seed and the synthetic region alike. Every change to the public network
//! also bumps its revision (see [`bump_revision`]), so caches reload.

use crate::domain::actor_input::{ActorRecord, ConnectionRecord};
use crate::domain::date::format_date;
use crate::domain::slug::slugify;
use crate::error::AppError;
use sqlx::{Any, Transaction};
use std::collections::HashMap;

/// Rows per statement: well under SQLite's and PostgreSQL's limits on bound values.
const ACTORS_PER_STATEMENT: usize = 200;
const CONNECTIONS_PER_STATEMENT: usize = 500;
const TERM_LINKS_PER_STATEMENT: usize = 2000;

/// The ids of all taxonomy terms by slug.
pub async fn term_ids(tx: &mut Transaction<'_, Any>) -> Result<HashMap<String, i64>, AppError> {
    Ok(
        sqlx::query_as::<_, (String, i64)>("SELECT slug, id FROM taxonomy_terms")
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .collect(),
    )
}

/// The taxonomy slugs an actor may carry: (sectors, technologies).
pub async fn vocabularies(db: &super::Db) -> Result<(Vec<String>, Vec<String>), AppError> {
    let terms: Vec<(String, String)> =
        sqlx::query_as("SELECT vocabulary, slug FROM taxonomy_terms")
            .fetch_all(&db.pool)
            .await?;
    let (sectors, technologies): (Vec<_>, Vec<_>) = terms
        .into_iter()
        .partition(|(vocabulary, _)| vocabulary == "sector");
    Ok((
        sectors.into_iter().map(|(_, slug)| slug).collect(),
        technologies.into_iter().map(|(_, slug)| slug).collect(),
    ))
}

/// Marks the public network as changed; call inside the transaction that changes it.
pub async fn bump_revision(tx: &mut Transaction<'_, Any>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE network_revision SET revision = revision + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What writing a row that exists already does: the editor and the import replace an actor's
/// fields and terms (and a connection that exists is an error, they check first); the demo seed
/// keeps what it finds and only adds what is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    Replace,
    Keep,
}

/// A slug not yet taken: the name's, then with the town, then numbered.
async fn free_slug(
    tx: &mut Transaction<'_, Any>,
    record: &ActorRecord,
) -> Result<String, AppError> {
    let base = slugify(&record.name);
    let with_town = slugify(&format!("{} {}", record.name, record.town));
    super::free_slug(tx, "actors", &[base], &with_town).await
}

/// Inserts a validated actor with its terms under a free slug; returns the slug.
pub async fn insert_actor(
    tx: &mut Transaction<'_, Any>,
    record: &ActorRecord,
    terms: &HashMap<String, i64>,
    now: i64,
) -> Result<String, AppError> {
    let slug = free_slug(tx, record).await?;
    store_actors(tx, &[(slug.clone(), record)], terms, now, Existing::Replace).await?;
    Ok(slug)
}

/// Writes an actor under `slug`, new or existing (its creation time stays), with its terms.
pub async fn store_actor(
    tx: &mut Transaction<'_, Any>,
    slug: &str,
    record: &ActorRecord,
    terms: &HashMap<String, i64>,
    now: i64,
) -> Result<i64, AppError> {
    let ids = store_actors(
        tx,
        &[(slug.to_owned(), record)],
        terms,
        now,
        Existing::Replace,
    )
    .await?;
    ids.first().copied().ok_or(AppError::Internal)
}

/// Writes actors under their slugs (each slug once), new or existing as `existing` says
/// (creation times stay), with their terms (slugs of `terms`); returns their ids in order.
pub async fn store_actors(
    tx: &mut Transaction<'_, Any>,
    actors: &[(String, &ActorRecord)],
    terms: &HashMap<String, i64>,
    now: i64,
    existing: Existing,
) -> Result<Vec<i64>, AppError> {
    const COLUMNS: usize = 15;
    let mut ids = Vec::with_capacity(actors.len());
    for chunk in actors.chunks(ACTORS_PER_STATEMENT) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|row| {
                let b = row * COLUMNS;
                let values: Vec<String> = (1..=COLUMNS).map(|c| format!("${}", b + c)).collect();
                // Created and updated now.
                format!("({}, ${})", values.join(", "), b + COLUMNS)
            })
            .collect();
        let on_conflict = match existing {
            Existing::Replace => {
                "name = excluded.name, kind = excluded.kind, \
                 description = excluded.description, website = excluded.website, town = excluded.town, \
                 lat = excluded.lat, lon = excluded.lon, founded_year = excluded.founded_year, \
                 size_band = excluded.size_band, is_public = excluded.is_public, \
                 contact_email = excluded.contact_email, contact_public = excluded.contact_public, \
                 logo_url = excluded.logo_url, updated_at = excluded.updated_at"
            }
            // A no-op update, so RETURNING still names the existing row.
            Existing::Keep => "updated_at = actors.updated_at",
        };
        let sql = format!(
            "INSERT INTO actors (slug, name, kind, description, website, town, lat, lon, founded_year, size_band, \
             is_public, contact_email, contact_public, logo_url, created_at, updated_at) VALUES {} \
             ON CONFLICT (slug) DO UPDATE SET {on_conflict} RETURNING slug, id",
            rows.join(", ")
        );
        let mut query = sqlx::query_as::<_, (String, i64)>(&sql);
        for (slug, record) in chunk {
            query = query
                .bind(slug)
                .bind(&record.name)
                .bind(record.kind.code())
                .bind(&record.description)
                .bind(record.website.as_deref())
                .bind(&record.town)
                .bind(record.lat)
                .bind(record.lon)
                .bind(record.founded_year.map(i64::from))
                .bind(record.size_band.as_deref())
                .bind(i64::from(record.is_public))
                .bind(record.contact_email.as_deref())
                .bind(i64::from(record.contact_public))
                .bind(record.logo_url.as_deref())
                .bind(now);
        }
        // Matched by slug: the order of a multi-row RETURNING is not guaranteed.
        let returned: HashMap<String, i64> =
            query.fetch_all(&mut **tx).await?.into_iter().collect();
        for (slug, _) in chunk {
            ids.push(*returned.get(slug).ok_or(AppError::Internal)?);
        }
    }
    let records = actors.iter().map(|(_, record)| *record);
    set_terms(tx, &ids, records, terms, existing).await?;
    Ok(ids)
}

/// Links the actors to their records' sectors and technologies: in place of their links, or
/// (keeping what exists) in addition to them.
async fn set_terms<'r>(
    tx: &mut Transaction<'_, Any>,
    ids: &[i64],
    records: impl Iterator<Item = &'r ActorRecord>,
    terms: &HashMap<String, i64>,
    existing: Existing,
) -> Result<(), AppError> {
    let mut links = Vec::new();
    for (&actor, record) in ids.iter().zip(records) {
        for slug in record.sectors.iter().chain(&record.technologies) {
            links.push((actor, *terms.get(slug).ok_or(AppError::Internal)?));
        }
    }
    let replaced = if existing == Existing::Replace {
        ids
    } else {
        &[]
    };
    for chunk in replaced.chunks(TERM_LINKS_PER_STATEMENT) {
        let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
        sqlx::query(&format!(
            "DELETE FROM actor_terms WHERE actor_id IN ({})",
            list.join(", ")
        ))
        .execute(&mut **tx)
        .await?;
    }
    for chunk in links.chunks(TERM_LINKS_PER_STATEMENT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
            .collect();
        let sql = format!(
            "INSERT INTO actor_terms (actor_id, term_id) VALUES {} ON CONFLICT DO NOTHING",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for (actor, term) in chunk {
            query = query.bind(actor).bind(term);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// A connection to write between two actors (by id), from an event when it came from one.
pub struct NewConnection<'a> {
    pub record: &'a ConnectionRecord,
    pub source: i64,
    pub target: i64,
    pub event: Option<i64>,
}

/// Inserts one connection; returns its id.
pub async fn insert_connection(
    tx: &mut Transaction<'_, Any>,
    connection: NewConnection<'_>,
    now: i64,
) -> Result<i64, AppError> {
    let ids = insert_connections(tx, &[connection], now, Existing::Replace).await?;
    ids.first().copied().flatten().ok_or(AppError::Internal)
}

/// Inserts connections; returns their ids in the same order. With [`Existing::Keep`] a
/// connection that exists already (same pair and kind) stays as it is and has no id here; with
/// [`Existing::Replace`] it is an error.
pub async fn insert_connections(
    tx: &mut Transaction<'_, Any>,
    connections: &[NewConnection<'_>],
    now: i64,
    existing: Existing,
) -> Result<Vec<Option<i64>>, AppError> {
    const COLUMNS: usize = 9;
    let mut ids = Vec::with_capacity(connections.len());
    for chunk in connections.chunks(CONNECTIONS_PER_STATEMENT) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|row| {
                let values: Vec<String> = (1..=COLUMNS)
                    .map(|c| format!("${}", row * COLUMNS + c))
                    .collect();
                format!("({})", values.join(", "))
            })
            .collect();
        let on_conflict = match existing {
            Existing::Replace => "",
            Existing::Keep => " ON CONFLICT (source_id, target_id, kind) DO NOTHING",
        };
        let sql = format!(
            "INSERT INTO connections (source_id, target_id, kind, started_on, ended_on, origin, note, \
             event_id, created_at) VALUES {}{on_conflict} RETURNING source_id, target_id, kind, id",
            rows.join(", ")
        );
        let mut query = sqlx::query_as::<_, (i64, i64, String, i64)>(&sql);
        for connection in chunk {
            let record = connection.record;
            query = query
                .bind(connection.source)
                .bind(connection.target)
                .bind(record.kind.code())
                .bind(format_date(record.start))
                .bind(record.end.map(format_date))
                .bind(record.origin.as_deref())
                .bind(record.note.as_deref())
                .bind(connection.event)
                .bind(now);
        }
        // Matched by the pair and kind, which are unique: RETURNING keeps no order.
        let returned: HashMap<(i64, i64, String), i64> = query
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .map(|(source, target, kind, id)| ((source, target, kind), id))
            .collect();
        for connection in chunk {
            let key = (
                connection.source,
                connection.target,
                connection.record.kind.code().to_owned(),
            );
            let id = returned.get(&key).copied();
            if id.is_none() && existing == Existing::Replace {
                return Err(AppError::Internal);
            }
            ids.push(id);
        }
    }
    Ok(ids)
}
