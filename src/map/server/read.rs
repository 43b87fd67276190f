//! Map queries. Only actors with consent (`is_public`) and connections between two such actors
//! ever leave the server.

use super::cache::{split_terms, Snapshot};
use super::network::Layout;
use crate::db::Db;
use crate::domain::actor::{ActorKind, ConnectionKind};
use crate::domain::date::{month_of, Day};
use crate::domain::network::MapFilter;
use crate::domain::slug::slugify;
use crate::error::AppError;
use crate::map::{
    ActorDetail, ActorSummary, ConnectionView, MapData, MapDot, MapLine, MapView, NetworkCounts,
    LIST_PAGE_SIZE,
};

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
    logo_url: Option<String>,
    contact_email: Option<String>,
    contact_public: i64,
}

pub async fn actor_profile(db: &Db, slug: &str) -> Result<ActorDetail, AppError> {
    let row: ActorRow = sqlx::query_as(
        "SELECT id, slug, name, kind, description, website, town, lat, lon, founded_year, size_band, \
         logo_url, contact_email, contact_public FROM actors WHERE slug = $1 AND is_public = 1",
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
    let (sectors, technologies) = split_terms(terms);
    let connections: Vec<(String, String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT o.slug, o.name, o.kind, c.kind, c.started_on, c.origin FROM connections c JOIN actors o \
           ON o.id = CASE WHEN c.source_id = $1 THEN c.target_id ELSE c.source_id END \
         WHERE (c.source_id = $1 OR c.target_id = $1) AND o.is_public = 1 ORDER BY c.started_on DESC",
    )
    .bind(row.id)
    .fetch_all(&db.pool)
    .await?;
    let case_studies: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT cs.slug, cs.title, cs.teaser FROM case_studies cs JOIN case_study_actors ca ON ca.case_study_id = cs.id \
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
        logo_url: row.logo_url,
        contact_email: row.contact_email.filter(|_| row.contact_public == 1),
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

fn kind_index(kind: ActorKind) -> u8 {
    ActorKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u8
}

fn connection_kind_index(kind: ConnectionKind) -> u8 {
    ConnectionKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0) as u8
}

/// Five decimals are a metre; more only makes the payload longer.
fn rounded(value: f64) -> f64 {
    (value * 1e5).round() / 1e5
}

/// The renderer's data for a filter; `positions` replaces coordinates (the network view).
pub fn map_data(
    snapshot: &Snapshot,
    filter: &MapFilter,
    positions: Option<&Layout>,
    today: Day,
) -> MapData {
    let network = &snapshot.network;
    let selection = network.select(filter);
    let recent = network.recently_connected(&selection, today);
    let mut dot_of = vec![u32::MAX; network.actors.len()];
    let actors = selection
        .actors
        .iter()
        .enumerate()
        .map(|(dot, &i)| {
            dot_of[i] = dot as u32;
            let actor = &network.actors[i];
            let (lat, lon) = match positions.and_then(|p| p.get(i)) {
                Some(&(x, y)) => (f64::from(y.round()), f64::from(x.round())),
                None => (rounded(actor.lat), rounded(actor.lon)),
            };
            MapDot(
                actor.id,
                actor.slug.clone(),
                actor.name.clone(),
                kind_index(actor.kind),
                lat,
                lon,
                u8::from(recent[i]),
            )
        })
        .collect();
    let connections = selection
        .connections
        .iter()
        .map(|&c| {
            let connection = &network.connections[c];
            MapLine(
                dot_of[connection.source],
                dot_of[connection.target],
                connection_kind_index(connection.kind),
                month_of(connection.start),
                connection.end.map(month_of),
            )
        })
        .collect();
    MapData {
        actors,
        connections,
    }
}

pub fn map_view(snapshot: &Snapshot, filter: MapFilter, page: u32, today: Day) -> MapView {
    let network = &snapshot.network;
    let selection = network.select(&filter);
    let mut degree = vec![0u32; network.actors.len()];
    for &c in &selection.connections {
        degree[network.connections[c].source] += 1;
        degree[network.connections[c].target] += 1;
    }
    let mut listed = selection.actors.clone();
    listed.sort_by_cached_key(|&i| slugify(&network.actors[i].name));
    let pages = listed.len().div_ceil(LIST_PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let list = listed
        .iter()
        .skip((page as usize - 1) * LIST_PAGE_SIZE)
        .take(LIST_PAGE_SIZE)
        .map(|&i| {
            let actor = &network.actors[i];
            ActorSummary {
                slug: actor.slug.clone(),
                name: actor.name.clone(),
                kind: actor.kind,
                town: actor.town.clone(),
                connections: i64::from(degree[i]),
            }
        })
        .collect();
    let by_kind = ActorKind::ALL
        .iter()
        .map(|&kind| {
            let count = selection
                .actors
                .iter()
                .filter(|&&i| network.actors[i].kind == kind)
                .count();
            (kind, count as u32)
        })
        .collect();
    MapView {
        actors: selection.actors.len() as u32,
        connections: selection.connections.len() as u32,
        by_kind,
        growth: network.growth(&selection, today),
        list,
        page,
        pages,
        filter,
    }
}
