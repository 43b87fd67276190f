//! CSV import on the server: the dry run checks every row against the file and the database;
//! the import itself runs in the background in one transaction (all rows or none) and reports
//! its progress, so a large file shows how far it is.

use crate::db::actors::{
    bump_revision, insert_actor, insert_connection, term_ids, vocabularies, NewConnection,
};
use crate::db::{now_secs, this_year, Db};
use crate::domain::actor::Region;
use crate::domain::actor_input::{ActorRecord, ActorRules, ConnectionRecord};
use crate::domain::import::{check_actors, check_connections, Checked, ImportKind, RowProblem};
use crate::error::AppError;
use crate::map::{ImportProgress, ImportReport, ImportState};
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
                let connection = NewConnection {
                    record: &record,
                    source: id(&record.source)?,
                    target: id(&record.target)?,
                    event: None,
                };
                insert_connection(&mut tx, connection, now).await?;
                imported += 1;
                job.done.store(imported, Ordering::Relaxed);
            }
        }
    }
    bump_revision(&mut tx).await?;
    tx.commit().await?;
    Ok(imported)
}
