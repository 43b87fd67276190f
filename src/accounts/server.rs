//! Server side of accounts: password hashing, sessions and their cookies, account queries.

use super::{AccountRow, Invitation};
use crate::config::Config;
use crate::db::{is_unique_violation, now_secs, Db, Section};
use crate::domain::cookie::cookie_value;
use crate::domain::hex::hex;
use crate::domain::role::Role;
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::guard::Viewer;
use crate::token::{new_token, token_hash};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

pub const SESSION_COOKIE: &str = "tandem_session";
/// An invitation link stays valid for a week.
pub const INVITE_VALID_SECS: i64 = 7 * 24 * 60 * 60;
/// `last_seen_at` is written at most this often per session, not on every request.
const TOUCH_INTERVAL_SECS: i64 = 60;

/// Argon2id with OWASP's minimum: 19 MiB memory, two passes, one lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Verified against when an email is unknown, so timing does not reveal which accounts exist.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hasher()
        .hash_password(
            b"no account has this password",
            &SaltString::generate(&mut OsRng),
        )
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

/// Each password hash holds 19 MiB for a fraction of a second: they run on as many dedicated
/// threads as there are cores (so the allocator keeps that many hashes' memory, not one per
/// short-lived blocking thread), only [`PASSWORD_QUEUE`] more wait (at most [`PASSWORD_WAIT`]),
/// and beyond that the answer is "busy, retry shortly" at once. A thousand parallel logins thus
/// cost a few dozen waiting requests, not a thousand hashes in memory.
struct PasswordGate {
    running: Arc<tokio::sync::Semaphore>,
    waiting: AtomicUsize,
    hashers: Mutex<std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>>,
}

const PASSWORD_QUEUE: usize = 32;
const PASSWORD_WAIT: Duration = Duration::from_secs(10);

static PASSWORD_GATE: LazyLock<PasswordGate> = LazyLock::new(|| {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    let (hashers, jobs) = std::sync::mpsc::channel::<Box<dyn FnOnce() + Send>>();
    let jobs = Arc::new(Mutex::new(jobs));
    for n in 0..threads {
        let jobs = jobs.clone();
        std::thread::Builder::new()
            .name(format!("password-{n}"))
            .spawn(move || loop {
                let job = jobs.lock().unwrap_or_else(|p| p.into_inner()).recv();
                match job {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            })
            .expect("a password thread starts");
    }
    PasswordGate {
        running: Arc::new(tokio::sync::Semaphore::new(threads)),
        waiting: AtomicUsize::new(0),
        hashers: Mutex::new(hashers),
    }
});

/// Leaves the queue when dropped, also when the waiting request is abandoned.
struct InQueue;

impl Drop for InQueue {
    fn drop(&mut self) {
        PASSWORD_GATE.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs password work on a password thread when its turn comes.
async fn through_password_gate<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let busy = AppError::Busy {
        retry_after_secs: 5,
    };
    let gate = &*PASSWORD_GATE;
    if gate.waiting.fetch_add(1, Ordering::SeqCst) >= PASSWORD_QUEUE {
        gate.waiting.fetch_sub(1, Ordering::SeqCst);
        tracing::warn!("password queue full, login answered busy");
        return Err(busy);
    }
    let queued = InQueue;
    let permit = tokio::time::timeout(PASSWORD_WAIT, gate.running.clone().acquire_owned()).await;
    drop(queued);
    let Ok(Ok(permit)) = permit else {
        return Err(busy);
    };
    let (done, result) = tokio::sync::oneshot::channel();
    // The permit goes with the work: a client that hangs up does not free it while the hash
    // still runs.
    let job = Box::new(move || {
        let _ = done.send(work());
        drop(permit);
    });
    gate.hashers
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .send(job)
        .map_err(|_| AppError::Internal)?;
    result.await.map_err(|_| AppError::Internal)
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    through_password_gate(move || {
        hasher()
            .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
            .map(|hash| hash.to_string())
    })
    .await?
    .map_err(|error| {
        tracing::error!(%error, "password hashing failed");
        AppError::Internal
    })
}

/// Checks a password against a stored hash (or the dummy hash when there is none); `Err` when
/// the server is too busy to check it now.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    through_password_gate(move || {
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = PasswordHash::new(&hash).is_ok_and(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        matches && hash != *DUMMY_HASH
    })
    .await
}

pub fn session_cookie(token: &str, config: &Config) -> String {
    config.cookie(
        &config.cookie_name(SESSION_COOKIE),
        token,
        config.session_absolute_secs,
        true,
    )
}

pub fn expired_session_cookie(config: &Config) -> String {
    config.cookie(&config.cookie_name(SESSION_COOKIE), "", 0, true)
}

/// A browser that signed in to an account before carries this: its own login counter keeps it
/// usable while someone else fails on the account's email (see `crate::limits`).
pub const DEVICE_COOKIE: &str = "tandem_device";
const DEVICE_PURPOSE: &str = "geraet";
pub const DEVICE_VALID_SECS: i64 = 180 * 24 * 60 * 60;

pub fn device_cookie(key: &[u8], account_id: i64, config: &Config) -> String {
    let mut nonce = [0u8; 12];
    OsRng.fill_bytes(&mut nonce);
    let value = crate::domain::signed::sign(
        key,
        DEVICE_PURPOSE,
        &format!("{account_id}:{}:{}", now_secs(), hex(&nonce)),
    );
    config.cookie(
        &config.cookie_name(DEVICE_COOKIE),
        &value,
        DEVICE_VALID_SECS as u64,
        true,
    )
}

/// The device's id when `cookie_header` carries a valid device cookie of `account_id`.
pub fn trusted_device(
    key: &[u8],
    cookie_header: &str,
    account_id: i64,
    config: &Config,
) -> Option<String> {
    let value = cookie_value(cookie_header, &config.cookie_name(DEVICE_COOKIE))?;
    let payload = crate::domain::signed::verify(key, DEVICE_PURPOSE, value)?;
    let mut parts = payload.split(':');
    let (Some(id), Some(issued), Some(nonce)) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let fresh = issued
        .parse::<i64>()
        .is_ok_and(|issued| (0..DEVICE_VALID_SECS).contains(&(now_secs() - issued)));
    (id.parse() == Ok(account_id) && fresh).then(|| nonce.to_owned())
}

/// Starts a session and returns its token for the cookie.
pub async fn create_session(
    db: &Db,
    user_id: i64,
    user_agent: Option<&str>,
) -> Result<String, AppError> {
    let token = new_token();
    let now = now_secs();
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, user_agent) VALUES ($1, $2, $3, $3, $4)")
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(now)
        .bind(user_agent.map(|ua| ua.chars().take(200).collect::<String>()))
        .execute(&db.pool)
        .await?;
    Ok(token)
}

/// Deletes sessions past either timeout, so abandoned ones (and their user agents) are not kept.
pub async fn purge_expired_sessions(db: &Db, config: &Config) -> Result<(), AppError> {
    let now = now_secs();
    sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - config.session_idle_secs as i64)
        .bind(now - config.session_absolute_secs as i64)
        .execute(&db.pool)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    created_at: i64,
    last_seen_at: i64,
    id: i64,
    email: String,
    display_name: String,
    role: String,
}

/// The account behind a `Cookie` header, if its session is still within both timeouts.
/// Returns the viewer and the session's token hash.
pub async fn session_from_cookies(
    db: &Db,
    config: &Config,
    cookie_header: &str,
) -> Result<Option<(Viewer, String)>, sqlx::Error> {
    let Some(token) =
        cookie_value(cookie_header, &config.cookie_name(SESSION_COOKIE)).filter(|t| !t.is_empty())
    else {
        return Ok(None);
    };
    let hash = token_hash(token);
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT s.created_at, s.last_seen_at, u.id, u.email, u.display_name, u.role \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let now = now_secs();
    let idle_expired = now - row.last_seen_at > config.session_idle_secs as i64;
    let absolute_expired = now - row.created_at > config.session_absolute_secs as i64;
    let Some(role) = Role::from_code(&row.role) else {
        return Ok(None);
    };
    if idle_expired || absolute_expired {
        end_session(db, &hash).await?;
        return Ok(None);
    }
    if now - row.last_seen_at >= TOUCH_INTERVAL_SECS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(&db.pool)
            .await?;
    }
    let viewer = Viewer {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        role,
    };
    Ok(Some((viewer, hash)))
}

pub async fn end_session(db: &Db, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Id and password hash of the account with this (normalised) email.
pub async fn login_record(db: &Db, email: &str) -> Result<Option<(i64, Option<String>)>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&db.pool)
            .await?,
    )
}

pub async fn password_hash_of(db: &Db, user_id: i64) -> Result<Option<String>, AppError> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.and_then(|(hash,)| hash))
}

/// Creates an account; with a password it is active at once, otherwise it waits for its
/// invitation, whose token is returned.
pub async fn insert_account(
    db: &Db,
    email: &str,
    display_name: &str,
    role: Role,
    password_hash: Option<String>,
) -> Result<(i64, Option<String>), AppError> {
    let invite = password_hash.is_none().then(new_token);
    let now = now_secs();
    let inserted: Result<(i64,), sqlx::Error> = sqlx::query_as(
        "INSERT INTO users (email, display_name, role, password_hash, invite_token_hash, invite_expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(email)
    .bind(display_name)
    .bind(role.code())
    .bind(password_hash)
    .bind(invite.as_deref().map(token_hash))
    .bind(invite.as_ref().map(|_| now + INVITE_VALID_SECS))
    .bind(now)
    .fetch_one(&db.pool)
    .await;
    match inserted {
        Ok((id,)) => Ok((id, invite)),
        Err(error) if is_unique_violation(&error) => {
            Err(AppError::invalid("email", Problem::EmailTaken))
        }
        Err(error) => Err(error.into()),
    }
}

pub fn invitation_link(config: &Config, account_id: i64, token: &str) -> Invitation {
    let base = config.base_url();
    Invitation {
        account_id,
        link: format!("{base}/einladung/{token}"),
    }
}

/// Sets the password of the account invited with `token`; returns its id.
pub async fn redeem_invitation(
    db: &Db,
    token: &str,
    password_hash: String,
) -> Result<i64, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE users SET password_hash = $1, invite_token_hash = NULL, invite_expires_at = NULL \
         WHERE invite_token_hash = $2 AND invite_expires_at > $3 RETURNING id",
    )
    .bind(password_hash)
    .bind(token_hash(token))
    .bind(now_secs())
    .fetch_optional(&db.pool)
    .await?;
    row.map(|(id,)| id)
        .ok_or(AppError::Conflict(Problem::InviteInvalid))
}

/// The email an invitation was sent to (for the password rule "not the email").
pub async fn invited_email(db: &Db, token: &str) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT email FROM users WHERE invite_token_hash = $1 AND invite_expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(now_secs())
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(email,)| email))
}

#[derive(sqlx::FromRow)]
struct AccountDbRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    active: i64,
    organisation: Option<String>,
}

pub async fn list_accounts(db: &Db, viewer_id: i64) -> Result<Vec<AccountRow>, AppError> {
    let rows: Vec<AccountDbRow> = sqlx::query_as(
        "SELECT u.id, u.email, u.display_name, u.role, CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS active, \
         a.name || ' (' || a.town || ')' AS organisation FROM users u LEFT JOIN actors a ON a.id = u.actor_id ORDER BY u.display_name, u.id",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(AccountRow {
                id: row.id,
                email: row.email,
                display_name: row.display_name,
                role: Role::from_code(&row.role)?,
                active: row.active == 1,
                is_you: row.id == viewer_id,
                organisation: row.organisation,
            })
        })
        .collect())
}

/// Links an account to an organisation on the map (`None` unlinks it).
pub async fn set_organisation(
    db: &Db,
    account_id: i64,
    organisation: Option<&str>,
) -> Result<(), AppError> {
    let actor: Option<i64> = match organisation {
        None => None,
        Some(choice) => Some(
            crate::db::actor_by_choice(&db.pool, choice)
                .await?
                .ok_or(AppError::invalid("organisation", Problem::ActorUnknown))?,
        ),
    };
    let updated = sqlx::query("UPDATE users SET actor_id = $1 WHERE id = $2")
        .bind(actor)
        .bind(account_id)
        .execute(&db.pool)
        .await?
        .rows_affected();
    if updated == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Changes a role in one statement that also refuses to demote the last admin.
pub async fn set_role(db: &Db, account_id: i64, role: Role) -> Result<(), AppError> {
    // Two admins demoting each other at once would each still count the other.
    let mut tx = db.begin_section(Section::Admins).await?;
    let updated = sqlx::query(
        "UPDATE users SET role = $1 WHERE id = $2 \
         AND (role <> 'admin' OR $1 = 'admin' OR (SELECT COUNT(*) FROM users WHERE role = 'admin') > 1)",
    )
    .bind(role.code())
    .bind(account_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    if updated.rows_affected() == 1 {
        return Ok(());
    }
    let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE id = $1")
        .bind(account_id)
        .fetch_optional(&db.pool)
        .await?;
    Err(if exists.is_some() {
        AppError::Conflict(Problem::LastAdmin)
    } else {
        AppError::NotFound
    })
}

/// What stands in the case studies' history where a deleted account's name stood.
pub const DELETED_ACCOUNT: &str = "Gelöschtes Konto";

/// Where an account's name was written into the case studies: revisions, workflow log,
/// notifications and approvals, as (table, name column, account column).
const NAMED_IN: [(&str, &str, &str); 4] = [
    ("case_study_revisions", "author_name", "author_id"),
    ("case_study_log", "who", "who_id"),
    ("notifications", "who", "who_id"),
    ("case_study_approvals", "approved_by", "approved_by_id"),
];

/// Deletes an account with its sessions, unless it is the last admin; its name is replaced
/// wherever the case studies' history still shows it, in the same transaction.
pub async fn delete_account(db: &Db, account_id: i64) -> Result<(), AppError> {
    let mut tx = db.begin_section(Section::Admins).await?;
    for (table, name, account) in NAMED_IN {
        sqlx::query(&format!(
            "UPDATE {table} SET {name} = $1 WHERE {account} = $2"
        ))
        .bind(DELETED_ACCOUNT)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    }
    let deleted = sqlx::query(
        "DELETE FROM users WHERE id = $1 AND (role <> 'admin' OR (SELECT COUNT(*) FROM users WHERE role = 'admin') > 1)",
    )
    .bind(account_id)
    .execute(&mut *tx)
    .await?;
    if deleted.rows_affected() == 1 {
        tx.commit().await?;
        Ok(())
    } else {
        // The last admin stays, and so does their name: the transaction is rolled back.
        Err(AppError::Conflict(Problem::LastAdmin))
    }
}

/// Everything stored about one account, for the GDPR export (Art. 15/20).
pub async fn export_account(db: &Db, account_id: i64) -> Result<serde_json::Value, AppError> {
    let account: Option<(String, String, String, i64)> =
        sqlx::query_as("SELECT email, display_name, role, created_at FROM users WHERE id = $1")
            .bind(account_id)
            .fetch_optional(&db.pool)
            .await?;
    let (email, display_name, role, created_at) = account.ok_or(AppError::NotFound)?;
    let sessions: Vec<(i64, i64, Option<String>)> =
        sqlx::query_as("SELECT created_at, last_seen_at, user_agent FROM sessions WHERE user_id = $1 ORDER BY created_at")
            .bind(account_id)
            .fetch_all(&db.pool)
            .await?;
    let registrations: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT e.title, r.person_name, r.offers, r.seeks FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.email = $1",
    )
    .bind(&email)
    .fetch_all(&db.pool)
    .await?;
    // What the account wrote into the case studies' history under its name.
    let revisions: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT c.title, r.version, r.created_at FROM case_study_revisions r \
         JOIN case_studies c ON c.id = r.case_study_id WHERE r.author_id = $1 ORDER BY r.created_at",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    let steps: Vec<(String, i64, String, String)> = sqlx::query_as(
        "SELECT c.title, l.at, l.step, l.comment FROM case_study_log l \
         JOIN case_studies c ON c.id = l.case_study_id WHERE l.who_id = $1 ORDER BY l.at",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    let approvals: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT c.title, a.approved_at FROM case_study_approvals a \
         JOIN case_studies c ON c.id = a.case_study_id WHERE a.approved_by_id = $1",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(serde_json::json!({
        "account": { "email": email, "display_name": display_name, "role": role, "created_at": created_at },
        "case_study_revisions": revisions.iter().map(|(title, version, at)| serde_json::json!({
            "case_study": title, "version": version, "saved_at": at
        })).collect::<Vec<_>>(),
        "case_study_steps": steps.iter().map(|(title, at, step, comment)| serde_json::json!({
            "case_study": title, "at": at, "step": step, "comment": comment
        })).collect::<Vec<_>>(),
        "case_study_approvals": approvals.iter().map(|(title, at)| serde_json::json!({
            "case_study": title, "approved_at": at
        })).collect::<Vec<_>>(),
        "sessions": sessions.iter().map(|(created, seen, agent)| serde_json::json!({
            "created_at": created, "last_seen_at": seen, "user_agent": agent
        })).collect::<Vec<_>>(),
        "event_registrations": registrations.iter().map(|(event, name, offers, seeks)| serde_json::json!({
            "event": event, "person_name": name, "offers": offers, "seeks": seeks
        })).collect::<Vec<_>>(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }

    #[tokio::test]
    async fn passwords_verify_only_against_their_hash() {
        let hash = hash_password("richtig-und-lang".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify_password("richtig-und-lang".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(!verify_password("falsch-und-lang".into(), Some(hash))
            .await
            .unwrap());
        assert!(
            !verify_password("no account has this password".into(), None)
                .await
                .unwrap()
        );
        assert!(!verify_password("x".into(), Some("not a hash".into()))
            .await
            .unwrap());
    }
}
