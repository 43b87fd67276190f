//! Map queries. Only actors with consent (`is_public`) and connections between two such actors
//! ever leave the server.

use super::{ActorDetail, ActorSummary, ConnectionView, NetworkCounts, Term};
use crate::db::Db;
use crate::domain::actor::{ActorKind, ConnectionKind};
use crate::domain::slug::slugify;
use crate::error::AppError;

pub async fn site_stats(db: &Db) -> Result<NetworkCounts, AppError> {
    let (actors, connections, events, case_studies): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT \
           (SELECT COUNT(*) FROM actors WHERE is_public = 1), \
           (SELECT COUNT(*) FROM connections c JOIN actors s ON s.id = c.source_id JOIN actors t ON t.id = c.target_id \
              WHERE s.is_public = 1 AND t.is_public = 1), \
           (SELECT COUNT(*) FROM events WHERE status <> 'draft'), \
           (SELECT COUNT(*) FROM case_studies WHERE status = 'published')",
    )
    .fetch_one(&db.pool)
    .await?;
    Ok(NetworkCounts {
        actors,
        connections,
        events,
        case_studies,
    })
}

pub async fn list_actors(db: &Db) -> Result<Vec<ActorSummary>, AppError> {
    let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT a.slug, a.name, a.kind, a.town, \
           (SELECT COUNT(*) FROM connections c JOIN actors o \
              ON o.id = CASE WHEN c.source_id = a.id THEN c.target_id ELSE c.source_id END \
              WHERE (c.source_id = a.id OR c.target_id = a.id) AND o.is_public = 1) \
         FROM actors a WHERE a.is_public = 1",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut actors: Vec<ActorSummary> = rows
        .into_iter()
        .filter_map(|(slug, name, kind, town, connections)| {
            Some(ActorSummary {
                slug,
                name,
                kind: ActorKind::from_code(&kind)?,
                town,
                connections,
            })
        })
        .collect();
    // German order (Ä with A), which neither database's default collation gives.
    actors.sort_by_cached_key(|actor| slugify(&actor.name));
    Ok(actors)
}

#[derive(sqlx::FromRow)]
struct ActorRow {
    id: i64,
    slug: String,
    name: String,
    kind: String,
    description: String,
    website: Option<String>,
    town: String,
    lat: f64,
    lon: f64,
    founded_year: Option<i64>,
    size_band: Option<String>,
}

pub async fn actor_profile(db: &Db, slug: &str) -> Result<ActorDetail, AppError> {
    let row: ActorRow = sqlx::query_as(
        "SELECT id, slug, name, kind, description, website, town, lat, lon, founded_year, size_band \
         FROM actors WHERE slug = $1 AND is_public = 1",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let terms: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT t.vocabulary, t.slug, t.label_de, t.label_en FROM actor_terms tt JOIN taxonomy_terms t ON t.id = tt.term_id \
         WHERE tt.actor_id = $1 ORDER BY t.label_de",
    )
    .bind(row.id)
    .fetch_all(&db.pool)
    .await?;
    let (mut sectors, mut technologies) = (Vec::new(), Vec::new());
    for (vocabulary, slug, label_de, label_en) in terms {
        let term = Term {
            slug,
            label_de,
            label_en,
        };
        if vocabulary == "sector" {
            sectors.push(term);
        } else {
            technologies.push(term);
        }
    }
    let connections: Vec<(String, String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT o.slug, o.name, o.kind, c.kind, c.started_on, c.origin FROM connections c JOIN actors o \
           ON o.id = CASE WHEN c.source_id = $1 THEN c.target_id ELSE c.source_id END \
         WHERE (c.source_id = $1 OR c.target_id = $1) AND o.is_public = 1 ORDER BY c.started_on DESC",
    )
    .bind(row.id)
    .fetch_all(&db.pool)
    .await?;
    let case_studies: Vec<(String, String)> = sqlx::query_as(
        "SELECT cs.title, cs.teaser FROM case_studies cs JOIN case_study_actors ca ON ca.case_study_id = cs.id \
         WHERE ca.actor_id = $1 AND cs.status = 'published' ORDER BY cs.published_on DESC",
    )
    .bind(row.id)
    .fetch_all(&db.pool)
    .await?;
    Ok(ActorDetail {
        kind: ActorKind::from_code(&row.kind).ok_or(AppError::Internal)?,
        slug: row.slug,
        name: row.name,
        description: row.description,
        website: row.website,
        town: row.town,
        lat: row.lat,
        lon: row.lon,
        founded_year: row.founded_year,
        size_band: row.size_band,
        sectors,
        technologies,
        connections: connections
            .into_iter()
            .filter_map(
                |(other_slug, other_name, other_kind, kind, started_on, origin)| {
                    Some(ConnectionView {
                        other_slug,
                        other_name,
                        other_kind: ActorKind::from_code(&other_kind)?,
                        kind: ConnectionKind::from_code(&kind)?,
                        started_on,
                        origin,
                    })
                },
            )
            .collect(),
        case_studies,
    })
}
