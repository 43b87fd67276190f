//! Sessions and trusted devices: cookies, creation, lookup once per request, and the end.

use crate::config::Config;
use crate::db::{now_secs, Db};
use crate::domain::cookie::cookie_value;
use crate::domain::hex::hex;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::guard::Viewer;
use crate::token::{new_token, token_hash};
use argon2::password_hash::rand_core::{OsRng, RngCore};

pub const SESSION_COOKIE: &str = "tandem_session";

/// `last_seen_at` is written at most this often per session, not on every request.
pub(super) const TOUCH_INTERVAL_SECS: i64 = 60;

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

pub(super) const DEVICE_PURPOSE: &str = "geraet";

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
pub(super) struct SessionRow {
    pub(super) created_at: i64,
    pub(super) last_seen_at: i64,
    pub(super) id: i64,
    pub(super) email: String,
    pub(super) display_name: String,
    pub(super) role: String,
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
