//! Accounts: invitations, the admin's list, roles and organisations, and a person's own data
//! (export and deletion).

use crate::accounts::{AccountRow, Invitation};
use crate::config::Config;
use crate::db::{is_unique_violation, now_secs, Db, Section};
use crate::domain::role::Role;
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::token::{new_token, token_hash};

/// An invitation link stays valid for a week.
pub const INVITE_VALID_SECS: i64 = 7 * 24 * 60 * 60;

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
pub(super) struct AccountDbRow {
    pub(super) id: i64,
    pub(super) email: String,
    pub(super) display_name: String,
    pub(super) role: String,
    pub(super) active: i64,
    pub(super) organisation: Option<String>,
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
pub(super) const NAMED_IN: [(&str, &str, &str); 4] = [
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
