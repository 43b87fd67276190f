//! CSV import on the server: the dry run checks every row against the file and the database;
//! the import itself runs in the background in one transaction (all rows or none) and reports
//! its progress, so a large file shows how far it is.

use super::{ImportProgress, ImportReport, ImportState};
use crate::db::{now_secs, Db};
use crate::domain::actor::Region;
use crate::domain::actor_input::{ActorRecord, ActorRules, ConnectionRecord};
use crate::domain::import::{check_actors, check_connections, Checked, ImportKind, RowProblem};
use crate::domain::network::format_date;
use crate::domain::slug::slugify;
use crate::error::AppError;
use sqlx::{Any, Transaction};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Finished jobs kept for their final report; older ones are dropped.
const KEPT_JOBS: usize = 20;

struct Job {
    total: u32,
    done: AtomicU32,
    state: Mutex<ImportState>,
}

type JobList = Vec<(u64, Arc<Job>)>;

/// The running and recently finished imports of this instance.
#[derive(Clone, Default)]
pub struct ImportJobs {
    next: Arc<AtomicU64>,
    jobs: Arc<Mutex<JobList>>,
}

impl ImportJobs {
    fn add(&self, total: u32) -> (u64, Arc<Job>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let job = Arc::new(Job {
            total,
            done: AtomicU32::new(0),
            state: Mutex::new(ImportState::Running),
        });
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        jobs.push((id, job.clone()));
        if jobs.len() > KEPT_JOBS {
            jobs.remove(0);
        }
        (id, job)
    }

    pub fn progress(&self, id: u64) -> Option<ImportProgress> {
        let jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        jobs.iter()
            .find(|(job_id, _)| *job_id == id)
            .map(|(_, job)| ImportProgress {
                total: job.total,
                done: job.done.load(Ordering::Relaxed),
                state: job.state.lock().unwrap_or_else(|p| p.into_inner()).clone(),
            })
    }
}

enum Plan {
    Actors(Vec<(u32, ActorRecord)>),
    Connections(Vec<(u32, ConnectionRecord)>),
}

impl Plan {
    fn len(&self) -> usize {
        match self {
            Plan::Actors(rows) => rows.len(),
            Plan::Connections(rows) => rows.len(),
        }
    }
}

pub fn this_year() -> i32 {
    crate::domain::network::civil_from_day(super::server::today()).0
}

/// The taxonomy slugs an actor may carry: (sectors, technologies).
pub async fn vocabularies(db: &Db) -> Result<(Vec<String>, Vec<String>), AppError> {
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

async fn plan(
    db: &Db,
    region: Region,
    kind: ImportKind,
    text: &str,
) -> Result<Result<Plan, Vec<RowProblem>>, AppError> {
    Ok(match kind {
        ImportKind::Actors => {
            let (sectors, technologies) = vocabularies(db).await?;
            let existing: HashSet<(String, String)> =
                sqlx::query_as::<_, (String, String)>("SELECT name, town FROM actors")
                    .fetch_all(&db.pool)
                    .await?
                    .into_iter()
                    .map(|(name, town)| (name.to_lowercase(), town.to_lowercase()))
                    .collect();
            let rules = ActorRules {
                sectors: &sectors,
                technologies: &technologies,
                this_year: this_year(),
                region,
            };
            let checked: Checked<ActorRecord> = check_actors(text, &rules, |name, town| {
                existing.contains(&(name.to_lowercase(), town.to_lowercase()))
            });
            checked.map(Plan::Actors)
        }
        ImportKind::Connections => {
            let slugs: HashSet<String> = sqlx::query_scalar("SELECT slug FROM actors")
                .fetch_all(&db.pool)
                .await?
                .into_iter()
                .collect();
            let pairs: HashSet<(String, String, String)> =
                sqlx::query_as::<_, (String, String, String)>(
                    "SELECT s.slug, t.slug, c.kind FROM connections c \
                 JOIN actors s ON s.id = c.source_id JOIN actors t ON t.id = c.target_id",
                )
                .fetch_all(&db.pool)
                .await?
                .into_iter()
                .map(|(a, b, kind)| if a < b { (a, b, kind) } else { (b, a, kind) })
                .collect();
            let checked = check_connections(
                text,
                |slug| slugs.contains(slug),
                |a, b, kind| pairs.contains(&(a.to_owned(), b.to_owned(), kind.to_owned())),
            );
            checked.map(Plan::Connections)
        }
    })
}

/// Checks a file; with `apply` and no problems, starts the import and names its job.
pub async fn import(
    db: &Db,
    jobs: &ImportJobs,
    region: Region,
    kind: ImportKind,
    text: &str,
    apply: bool,
) -> Result<ImportReport, AppError> {
    match plan(db, region, kind, text).await? {
        Err(problems) => Ok(ImportReport {
            rows: 0,
            problems,
            job: None,
        }),
        Ok(plan) => {
            let rows = plan.len() as u32;
            let job = if apply {
                let (id, job) = jobs.add(rows);
                let db = db.clone();
                tokio::spawn(async move {
                    let outcome = run(&db, plan, &job).await;
                    let state = match outcome {
                        Ok(imported) => ImportState::Done { imported },
                        Err(error) => {
                            tracing::warn!(%error, "import rolled back");
                            ImportState::Failed
                        }
                    };
                    *job.state.lock().unwrap_or_else(|p| p.into_inner()) = state;
                });
                Some(id)
            } else {
                None
            };
            Ok(ImportReport {
                rows,
                problems: Vec::new(),
                job,
            })
        }
    }
}

/// All rows in one transaction; any failure rolls everything back. New actors take free slugs,
/// so the import runs alone among those that do (see `save_actor`).
async fn run(db: &Db, plan: Plan, job: &Job) -> Result<u32, AppError> {
    let mut tx = db.begin_section(crate::db::Section::Slugs).await?;
    let now = now_secs();
    let mut imported = 0;
    match plan {
        Plan::Actors(rows) => {
            let terms = term_ids(&mut tx).await?;
            for (_, record) in rows {
                insert_actor(&mut tx, &record, &terms, now).await?;
                imported += 1;
                job.done.store(imported, Ordering::Relaxed);
            }
        }
        Plan::Connections(rows) => {
            let ids: HashMap<String, i64> =
                sqlx::query_as::<_, (String, i64)>("SELECT slug, id FROM actors")
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect();
            for (_, record) in rows {
                let id = |slug: &str| ids.get(slug).copied().ok_or(AppError::NotFound);
                insert_connection(
                    &mut tx,
                    &record,
                    id(&record.source)?,
                    id(&record.target)?,
                    None,
                    now,
                )
                .await?;
                imported += 1;
                job.done.store(imported, Ordering::Relaxed);
            }
        }
    }
    super::cache::bump_revision(&mut tx).await?;
    tx.commit().await?;
    Ok(imported)
}

pub async fn term_ids(tx: &mut Transaction<'_, Any>) -> Result<HashMap<String, i64>, AppError> {
    Ok(
        sqlx::query_as::<_, (String, i64)>("SELECT slug, id FROM taxonomy_terms")
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .collect(),
    )
}

/// A slug not yet taken: the name's, then with the town, then numbered.
async fn free_slug(
    tx: &mut Transaction<'_, Any>,
    record: &ActorRecord,
) -> Result<String, AppError> {
    let base = slugify(&record.name);
    let with_town = slugify(&format!("{} {}", record.name, record.town));
    crate::db::free_slug(tx, "actors", &[base], &with_town).await
}

/// Inserts a validated actor with its terms under a free slug; returns the slug.
pub async fn insert_actor(
    tx: &mut Transaction<'_, Any>,
    record: &ActorRecord,
    terms: &HashMap<String, i64>,
    now: i64,
) -> Result<String, AppError> {
    let slug = free_slug(tx, record).await?;
    store_actor(tx, &slug, record, terms, now).await?;
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
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO actors (slug, name, kind, description, website, town, lat, lon, founded_year, size_band, \
         is_public, contact_email, contact_public, logo_url, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) \
         ON CONFLICT (slug) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
         description = excluded.description, website = excluded.website, town = excluded.town, \
         lat = excluded.lat, lon = excluded.lon, founded_year = excluded.founded_year, \
         size_band = excluded.size_band, is_public = excluded.is_public, \
         contact_email = excluded.contact_email, contact_public = excluded.contact_public, \
         logo_url = excluded.logo_url, updated_at = excluded.updated_at RETURNING id",
    )
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
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    set_terms(tx, id, record, terms).await?;
    Ok(id)
}

async fn set_terms(
    tx: &mut Transaction<'_, Any>,
    actor_id: i64,
    record: &ActorRecord,
    terms: &HashMap<String, i64>,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM actor_terms WHERE actor_id = $1")
        .bind(actor_id)
        .execute(&mut **tx)
        .await?;
    for slug in record.sectors.iter().chain(&record.technologies) {
        let term = terms.get(slug).ok_or(AppError::Internal)?;
        sqlx::query("INSERT INTO actor_terms (actor_id, term_id) VALUES ($1, $2)")
            .bind(actor_id)
            .bind(term)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub async fn insert_connection(
    tx: &mut Transaction<'_, Any>,
    record: &ConnectionRecord,
    source: i64,
    target: i64,
    event: Option<i64>,
    now: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO connections (source_id, target_id, kind, started_on, ended_on, origin, note, \
           event_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(source)
    .bind(target)
    .bind(record.kind.code())
    .bind(format_date(record.start))
    .bind(record.end.map(format_date))
    .bind(record.origin.as_deref())
    .bind(record.note.as_deref())
    .bind(event)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}
