//! The public network held in memory, reloaded when its revision in the database changes.
//!
//! Every change to actors, connections or terms bumps `network_revision` in the same
//! transaction, so each instance notices with one cheap query per request. The force layout and
//! the Lagebild are computed at most once per revision, off the async threads.

use super::network::{self, Layout};
use crate::db::Db;
use crate::domain::actor::{ActorKind, ConnectionKind};
use crate::domain::date::{parse_date, Day};
use crate::domain::network::{Network, NetworkActor, NetworkConnection};
use crate::error::AppError;
use crate::taxonomy::Term;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{Mutex, OnceCell};

pub struct Snapshot {
    pub revision: i64,
    pub network: Network,
    pub sectors: Vec<Term>,
    pub technologies: Vec<Term>,
    pub towns: Vec<String>,
    /// (town, lat, lon) for placing an actor by its town.
    pub town_positions: Vec<(String, f64, f64)>,
    layout: OnceCell<Arc<Layout>>,
    /// The Lagebild and the day it was computed for: its quarters end today.
    report: Mutex<Option<(Day, Arc<crate::map::NetworkReport>)>>,
}

impl Snapshot {
    pub fn new(
        revision: i64,
        network: Network,
        sectors: Vec<Term>,
        technologies: Vec<Term>,
    ) -> Snapshot {
        let mut towns: Vec<String> = network.actors.iter().map(|a| a.town.clone()).collect();
        towns.sort_by_cached_key(|town| crate::domain::slug::slugify(town));
        towns.dedup();
        let town_positions = crate::domain::network::town_positions(&network.actors);
        Snapshot {
            revision,
            network,
            sectors,
            technologies,
            towns,
            town_positions,
            layout: OnceCell::new(),
            report: Mutex::new(None),
        }
    }

    pub fn term(&self, slug: &str) -> Option<&Term> {
        self.sectors
            .iter()
            .chain(&self.technologies)
            .find(|term| term.slug == slug)
    }

    pub async fn layout(self: &Arc<Self>) -> Result<Arc<Layout>, AppError> {
        let snapshot = self.clone();
        self.layout
            .get_or_try_init(|| async move {
                tokio::task::spawn_blocking(move || {
                    Arc::new(network::force_layout(&snapshot.network))
                })
                .await
                .map_err(|_| AppError::Internal)
            })
            .await
            .cloned()
    }

    pub async fn report(
        self: &Arc<Self>,
        today: Day,
    ) -> Result<Arc<crate::map::NetworkReport>, AppError> {
        // Held while computing, so concurrent requests compute once.
        let mut cached = self.report.lock().await;
        if let Some((_, report)) = cached.as_ref().filter(|(day, _)| *day == today) {
            return Ok(report.clone());
        }
        let snapshot = self.clone();
        let report = tokio::task::spawn_blocking(move || {
            Arc::new(network::build(
                &snapshot.network,
                |slug| snapshot.term(slug),
                today,
            ))
        })
        .await
        .map_err(|_| AppError::Internal)?;
        *cached = Some((today, report.clone()));
        Ok(report)
    }
}

#[derive(Clone, Default)]
pub struct NetworkCache(Arc<Mutex<Option<Arc<Snapshot>>>>);

impl NetworkCache {
    /// The snapshot of the current revision; loads it when the database has moved on.
    pub async fn current(&self, db: &Db) -> Result<Arc<Snapshot>, AppError> {
        let revision: i64 =
            sqlx::query_scalar("SELECT revision FROM network_revision WHERE id = 1")
                .fetch_one(&db.pool)
                .await?;
        // Held across the load, so a burst of requests after a change loads once.
        let mut cached = self.0.lock().await;
        if let Some(snapshot) = cached.as_ref().filter(|s| s.revision == revision) {
            return Ok(snapshot.clone());
        }
        let snapshot = Arc::new(load(db, revision).await?);
        *cached = Some(snapshot.clone());
        // Compute the Lagebild and the layout now, so the first person to ask waits less.
        let warm = snapshot.clone();
        tokio::spawn(async move {
            let _ = warm.report(crate::db::today()).await;
            let _ = warm.layout().await;
        });
        Ok(snapshot)
    }
}

type ActorRow = (i64, String, String, String, String, f64, f64, String);
type ConnectionRow = (i64, i64, i64, String, String, Option<String>);

async fn load(db: &Db, revision: i64) -> Result<Snapshot, AppError> {
    let actor_rows: Vec<ActorRow> = sqlx::query_as(
        "SELECT id, slug, name, kind, town, lat, lon, description FROM actors WHERE is_public = 1 ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await?;
    let term_rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT x.actor_id, t.vocabulary, t.slug FROM actor_terms x \
         JOIN taxonomy_terms t ON t.id = x.term_id JOIN actors a ON a.id = x.actor_id \
         WHERE a.is_public = 1 ORDER BY x.actor_id, t.slug",
    )
    .fetch_all(&db.pool)
    .await?;
    let connection_rows: Vec<ConnectionRow> = sqlx::query_as(
        "SELECT c.id, c.source_id, c.target_id, c.kind, c.started_on, c.ended_on FROM connections c \
         JOIN actors s ON s.id = c.source_id JOIN actors t ON t.id = c.target_id \
         WHERE s.is_public = 1 AND t.is_public = 1 ORDER BY c.started_on, c.id",
    )
    .fetch_all(&db.pool)
    .await?;
    let vocabulary: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT vocabulary, slug, label_de, label_en FROM taxonomy_terms ORDER BY label_de",
    )
    .fetch_all(&db.pool)
    .await?;

    let mut actors = Vec::with_capacity(actor_rows.len());
    let mut index_of: HashMap<i64, usize> = HashMap::with_capacity(actor_rows.len());
    for (id, slug, name, kind, town, lat, lon, description) in actor_rows {
        let Some(kind) = ActorKind::from_code(&kind) else {
            continue;
        };
        index_of.insert(id, actors.len());
        actors.push(NetworkActor {
            id,
            search_key: NetworkActor::search_key_for(&name, &town, &description),
            slug,
            name,
            kind,
            town,
            lat,
            lon,
            sectors: Vec::new(),
            technologies: Vec::new(),
        });
    }
    for (actor_id, vocabulary, slug) in term_rows {
        if let Some(&index) = index_of.get(&actor_id) {
            let actor = &mut actors[index];
            if vocabulary == "sector" {
                actor.sectors.push(slug);
            } else {
                actor.technologies.push(slug);
            }
        }
    }
    let connections = connection_rows
        .into_iter()
        .filter_map(|(id, source, target, kind, started_on, ended_on)| {
            Some(NetworkConnection {
                id,
                source: *index_of.get(&source)?,
                target: *index_of.get(&target)?,
                kind: ConnectionKind::from_code(&kind)?,
                start: parse_date(&started_on)?,
                end: ended_on.as_deref().and_then(parse_date),
            })
        })
        .collect();
    let (sectors, technologies) = split_terms(vocabulary);
    Ok(Snapshot::new(
        revision,
        Network {
            actors,
            connections,
        },
        sectors,
        technologies,
    ))
}

/// Rows of (vocabulary, slug, label_de, label_en) as (sectors, technologies).
pub fn split_terms(rows: Vec<(String, String, String, String)>) -> (Vec<Term>, Vec<Term>) {
    let (sectors, technologies): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .map(|(vocabulary, slug, label_de, label_en)| {
            (
                vocabulary,
                Term {
                    slug,
                    label_de,
                    label_en,
                },
            )
        })
        .partition(|(vocabulary, _)| vocabulary == "sector");
    let terms = |list: Vec<(String, Term)>| list.into_iter().map(|(_, term)| term).collect();
    (terms(sectors), terms(technologies))
}
