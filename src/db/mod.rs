//! The database: one pool over SQLite (default) or PostgreSQL, chosen by the URL.
//!
//! Queries are written once in the SQL both understand (`$1` parameters, `RETURNING`,
//! `ON CONFLICT`) and run through sqlx's `Any` driver; only migrations differ per backend.

pub mod actors;

use crate::config::redact_password;
use crate::domain::actor::{ActorKind, ActorOption};
use crate::domain::date::{day_of_secs, Datelike, Day};
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Critical sections of [`Db::begin_section`]; the number is PostgreSQL's advisory lock key.
#[derive(Clone, Copy, Debug)]
pub enum Section {
    Admins = 7_001,
    Seating = 7_002,
    Slugs = 7_003,
    Uploads = 7_004,
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

impl Db {
    /// Opens the pool; errors are one line naming the database (without its password).
    pub async fn connect(url: &str) -> Result<Db, String> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(5));
        let options = if backend == Backend::Sqlite {
            options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // WAL lets readers work while one writer commits; FULL syncs the WAL on every
                    // commit, so an acknowledged change survives a power cut, not just a crash.
                    for pragma in [
                        "PRAGMA journal_mode = WAL",
                        "PRAGMA synchronous = FULL",
                        "PRAGMA foreign_keys = ON",
                        "PRAGMA busy_timeout = 5000",
                    ] {
                        conn.execute(pragma).await?;
                    }
                    Ok(())
                })
            })
        } else {
            options
        };
        let unreachable = |e: sqlx::Error| {
            format!(
                "cannot open the database {}: {}",
                redact_password(&url),
                one_line(&e)
            )
        };
        // One direct connection first: a pool only reports "timed out", this names the cause.
        AnyConnection::connect(&url)
            .await
            .map_err(unreachable)?
            .close()
            .await
            .map_err(unreachable)?;
        let pool = options.connect(&url).await.map_err(unreachable)?;
        Ok(Db { pool, backend })
    }

    /// Applies the versioned migrations of this backend that have not run yet.
    pub async fn migrate(&self) -> Result<(), String> {
        let result = match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&self.pool).await,
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.pool)
                    .await
            }
        };
        result.map_err(|e| format!("database migration failed: {}", one_line(&e)))
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later fails with
    /// "database is locked" when another write commits in between, and no busy timeout helps it;
    /// an immediate one waits for its turn instead. PostgreSQL locks row by row as it goes.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// A write transaction that runs alone among those of the same `section`, on every instance:
    /// for checks that read several rows before writing (the last admin, a person's seat, a free
    /// slug, the day's upload allowance), which PostgreSQL's row locks alone do not serialise.
    /// On SQLite every write transaction runs alone already.
    pub async fn begin_section(
        &self,
        section: Section,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            // Wrapped, so the row carries an integer rather than PostgreSQL's `void`.
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS locked")
                .bind(section as i64)
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    /// `true` when the database answers a trivial query.
    pub async fn is_healthy(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// Creates the directory of an SQLite file and asks sqlx to create the file if missing.
fn prepare_sqlite_url(url: &str) -> Result<String, String> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Ok(url.to_owned());
    }
    if let Some(dir) = std::path::Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            format!(
                "cannot create the database directory {}: {e}",
                dir.display()
            )
        })?;
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

fn one_line(error: &dyn std::fmt::Display) -> String {
    error
        .to_string()
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A random secret of this installation, made on first use and kept in the database, so every
/// instance sharing it uses the same one.
pub async fn instance_key(db: &Db, name: &str) -> Result<Vec<u8>, sqlx::Error> {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut fresh = [0u8; 32];
    OsRng.fill_bytes(&mut fresh);
    let fresh = crate::domain::hex::hex(&fresh);
    // The first instance to ask stores its secret; everyone reads the one that was stored.
    sqlx::query(
        "INSERT INTO instance_secrets (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(&fresh)
    .execute(&db.pool)
    .await?;
    let stored: String = sqlx::query_scalar("SELECT secret FROM instance_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(&db.pool)
        .await?;
    Ok(stored.into_bytes())
}

/// Seconds since the Unix epoch; all stored timestamps use it.
pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Today as a day number (UTC).
pub fn today() -> Day {
    day_of_secs(now_secs())
}

pub fn this_year() -> i32 {
    today().year()
}

/// The first of `preferred` not yet taken in `table` (one of ours, never user input), else
/// `numbered` itself, then `numbered-2`, `-3`, …
pub async fn free_slug(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &'static str,
    preferred: &[String],
    numbered: &str,
) -> Result<String, crate::error::AppError> {
    let candidates = preferred
        .iter()
        .cloned()
        .chain(std::iter::once(numbered.to_owned()))
        .chain((2..).map(|n| format!("{numbered}-{n}")));
    for candidate in candidates {
        let taken: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE slug = $1"))
                .bind(&candidate)
                .fetch_one(&mut **tx)
                .await?;
        if taken == 0 && !candidate.is_empty() {
            return Ok(candidate);
        }
    }
    unreachable!("the numbered candidates never end")
}

/// For `map_err`: a unique-constraint violation (someone else's write won the race) becomes a
/// conflict with `problem`; other errors stay what they are.
pub fn unique_conflict(
    problem: crate::domain::validation::Problem,
) -> impl FnOnce(sqlx::Error) -> crate::error::AppError {
    move |error| {
        if is_unique_violation(&error) {
            crate::error::AppError::Conflict(problem)
        } else {
            error.into()
        }
    }
}

/// `true` for an insert that hit a unique constraint, on either backend.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// The actor a person chose in a form: by its short name, by "Name (Ort)" as the choice lists
/// offer it (name and town together are unique), or by its name alone when only one actor has
/// it. `None` when nothing (or more than one actor) fits.
pub async fn actor_by_choice<'e, E>(executor: E, choice: &str) -> Result<Option<i64>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let choice = choice.trim();
    let found: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, CASE WHEN slug = $1 OR name || ' (' || town || ')' = $1 THEN 0 ELSE 1 END AS exact \
         FROM actors WHERE slug = $1 OR name || ' (' || town || ')' = $1 OR LOWER(name) = LOWER($1) \
         ORDER BY exact, id LIMIT 2",
    )
    .bind(choice)
    .fetch_all(executor)
    .await?;
    Ok(match found.as_slice() {
        [(id, 0), ..] | [(id, _)] => Some(*id),
        _ => None,
    })
}

/// The columns of an [`ActorOption`], in this order.
pub type ActorOptionRow = (i64, String, String, String, String, i64);

pub fn actor_option((id, slug, name, kind, town, public): ActorOptionRow) -> Option<ActorOption> {
    Some(ActorOption {
        id,
        slug,
        name,
        kind: ActorKind::from_code(&kind)?,
        town,
        public: public == 1,
    })
}

/// Every actor, for choice lists.
pub async fn actor_options(db: &Db) -> Result<Vec<ActorOption>, sqlx::Error> {
    let rows: Vec<ActorOptionRow> = sqlx::query_as(
        "SELECT id, slug, name, kind, town, is_public FROM actors ORDER BY name, town",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().filter_map(actor_option).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode() {
        let dir = std::env::temp_dir().join(format!("tandem-url-{}", std::process::id()));
        let file = dir.join("x.db");
        let url = prepare_sqlite_url(&format!("sqlite://{}", file.display())).unwrap();
        assert_eq!(url, format!("sqlite://{}?mode=rwc", file.display()));
        assert!(dir.is_dir());
        let url = prepare_sqlite_url(&format!("sqlite://{}?mode=ro", file.display())).unwrap();
        assert!(url.ends_with("?mode=ro"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
