//! The workflow: steps from draft to published, approvals by partner organisations (signed in or
//! by one-time link), and the notifications they send.

use crate::cases::server::history::{log_step, touch};
use crate::cases::server::read::account_actor;
use crate::cases::server::read::approvals;
use crate::cases::server::read::article;
use crate::cases::server::read::content;
use crate::cases::server::read::study;
use crate::cases::server::read::StudyRow;
use crate::cases::*;
use crate::config::Config;
use crate::db::{now_secs, Db};
use crate::domain::case_study::{next_status, CaseStatus, CaseStep};
use crate::domain::date::format_date;
use crate::domain::validation::Problem;
use crate::error::AppError;
use crate::guard::Viewer;
use crate::token::{new_token, token_hash};
use sqlx::{Any, Transaction};

/// Tells everyone involved about a step: admins, the story's authors and the accounts of its
/// partner organisations; never the person who took it.
pub(super) async fn notify(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    step: &str,
    who: &str,
    comment: &str,
    except: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO notifications (user_id, case_study_id, step, who, who_id, comment, created_at) \
         SELECT u.id, $1, $2, $3, $7, $4, $5 FROM users u WHERE u.id <> $6 AND (u.role = 'admin' \
         OR u.id IN (SELECT author_id FROM case_study_revisions WHERE case_study_id = $1 AND author_id IS NOT NULL) \
         OR u.actor_id IN (SELECT actor_id FROM case_study_actors WHERE case_study_id = $1))",
    )
    .bind(id)
    .bind(step)
    .bind(who)
    .bind(comment)
    .bind(now_secs())
    .bind(except.unwrap_or(0))
    .bind(except)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) fn clean_comment(comment: &str) -> Result<String, AppError> {
    let comment = comment.trim();
    if comment.chars().count() > crate::domain::case_study::COMMENT_MAX {
        return Err(AppError::invalid(
            "comment",
            Problem::TooLong {
                max: crate::domain::case_study::COMMENT_MAX,
            },
        ));
    }
    Ok(comment.to_owned())
}

pub(super) async fn missing_approvals(db: &Db, id: i64) -> Result<usize, AppError> {
    let missing: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM case_study_actors ca WHERE ca.case_study_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM case_study_approvals ap WHERE ap.case_study_id = ca.case_study_id \
          AND ap.actor_id = ca.actor_id AND ap.approved_at IS NOT NULL)",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    Ok(missing as usize)
}

/// Takes a workflow step. Authors (partners) submit; everything that passes a story on, sends it
/// back, publishes or withdraws it is the reviewers' (admins') call.
pub async fn take_step(
    db: &Db,
    viewer: &Viewer,
    slug: &str,
    step: CaseStep,
    comment: &str,
    seen_version: Option<i64>,
) -> Result<CaseStatus, AppError> {
    match step {
        CaseStep::Approve => return Err(AppError::Conflict(Problem::StatusStepInvalid)),
        CaseStep::Submit => {}
        _ if viewer.role != crate::domain::role::Role::Admin => return Err(AppError::Forbidden),
        _ => {}
    }
    let comment = clean_comment(comment)?;
    let row = study(db, slug).await?;
    // A step moves the version its taker saw, never one saved after the page was loaded.
    if seen_version.is_some_and(|seen| seen != row.version) {
        return Err(AppError::Conflict(Problem::ChangedSinceShown));
    }
    if step == CaseStep::Submit {
        if let Some(problem) = content(db, row.id).await?.missing_for_review() {
            return Err(AppError::invalid(problem.field, problem.problem));
        }
    }
    let missing = missing_approvals(db, row.id).await?;
    let next = next_status(row.status(), step, missing).map_err(AppError::Conflict)?;
    // The status change is the transaction's first statement and names the status it read, so a
    // concurrent step makes this one a conflict instead of a failed SQLite snapshot upgrade.
    let mut tx = db.begin_write().await?;
    move_to(&mut tx, &row, next, step, &comment).await?;
    log_step(
        &mut tx,
        row.id,
        &viewer.display_name,
        Some(viewer.id),
        step.code(),
        &comment,
    )
    .await?;
    notify(
        &mut tx,
        row.id,
        step.code(),
        &viewer.display_name,
        &comment,
        Some(viewer.id),
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

/// Changes the status if status and version are still what `row` says (a concurrent step or save
/// makes this one a conflict), and does what the new status needs.
pub(super) async fn move_to(
    tx: &mut Transaction<'_, Any>,
    row: &StudyRow,
    next: CaseStatus,
    step: CaseStep,
    comment: &str,
) -> Result<(), AppError> {
    let published_on = match next {
        CaseStatus::Published => Some(
            row.published_on
                .clone()
                .unwrap_or_else(|| format_date(crate::db::today())),
        ),
        _ => row.published_on.clone(),
    };
    let review_comment = if step == CaseStep::SendBack {
        comment
    } else {
        ""
    };
    let moved = sqlx::query(
        "UPDATE case_studies SET status = $1, published_on = $2, review_comment = $3, updated_at = $4 \
         WHERE id = $5 AND status = $6 AND version = $7",
    )
    .bind(next.code())
    .bind(published_on)
    .bind(review_comment)
    .bind(now_secs())
    .bind(row.id)
    .bind(&row.status)
    .bind(row.version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if moved == 0 {
        return Err(AppError::Conflict(Problem::StatusStepInvalid));
    }
    match (step, next) {
        (CaseStep::RequestApproval, _) => {
            sqlx::query("DELETE FROM case_study_approvals WHERE case_study_id = $1")
                .bind(row.id)
                .execute(&mut **tx)
                .await?;
            sqlx::query(
                "INSERT INTO case_study_approvals (case_study_id, actor_id) \
                 SELECT case_study_id, actor_id FROM case_study_actors WHERE case_study_id = $1",
            )
            .bind(row.id)
            .execute(&mut **tx)
            .await?;
        }
        (_, CaseStatus::Draft) => {
            sqlx::query("DELETE FROM case_study_approvals WHERE case_study_id = $1")
                .bind(row.id)
                .execute(&mut **tx)
                .await?;
        }
        _ => {}
    }
    touch(tx).await
}

/// New personal approval links for the partners that have not approved yet; older links stop
/// working.
pub async fn approval_links(
    db: &Db,
    config: &Config,
    slug: &str,
) -> Result<Vec<ApprovalLink>, AppError> {
    let row = study(db, slug).await?;
    if row.status() != CaseStatus::Approval {
        return Err(AppError::Conflict(Problem::StatusStepInvalid));
    }
    let pending: Vec<ApprovalState> = approvals(db, row.id)
        .await?
        .into_iter()
        .filter(|a| a.approved_at.is_none())
        .collect();
    let base = config.base_url();
    let expires_at = now_secs() + crate::domain::case_study::APPROVAL_LINK_SECS;
    let mut links = Vec::new();
    // Only writes in the transaction (a read first would fail SQLite's snapshot upgrade when
    // another write lands in between); an approval given meanwhile keeps its row untouched.
    let mut tx = db.begin_write().await?;
    for ApprovalState {
        actor_id,
        actor_name,
        ..
    } in pending
    {
        let token = new_token();
        sqlx::query(
            "UPDATE case_study_approvals SET token_hash = $1, token_expires_at = $2 \
             WHERE case_study_id = $3 AND actor_id = $4 AND approved_at IS NULL",
        )
        .bind(token_hash(&token))
        .bind(expires_at)
        .bind(row.id)
        .bind(actor_id)
        .execute(&mut *tx)
        .await?;
        links.push(ApprovalLink {
            actor_name,
            url: format!("{base}/fallstudien/freigabe/{token}"),
        });
    }
    tx.commit().await?;
    Ok(links)
}

/// The story and partner behind a personal approval link.
pub(super) async fn approval_by_token(
    db: &Db,
    token: &str,
) -> Result<(StudyRow, i64, String, bool), AppError> {
    // Slug, partner id and name, when approved, when the link expires.
    type LinkRow = (String, i64, String, Option<i64>, Option<i64>);
    let found: Option<LinkRow> = sqlx::query_as(
        "SELECT cs.slug, a.id, a.name, ap.approved_at, ap.token_expires_at FROM case_study_approvals ap \
         JOIN case_studies cs ON cs.id = ap.case_study_id JOIN actors a ON a.id = ap.actor_id \
         WHERE ap.token_hash = $1",
    )
    .bind(token_hash(token))
    .fetch_optional(&db.pool)
    .await?;
    let (slug, actor_id, actor_name, approved_at, expires_at) =
        found.ok_or(AppError::Conflict(Problem::ApprovalInvalid))?;
    if expires_at.is_none_or(|at| at <= now_secs()) {
        return Err(AppError::Conflict(Problem::ApprovalExpired));
    }
    let row = study(db, &slug).await?;
    if row.status() != CaseStatus::Approval {
        return Err(AppError::Conflict(Problem::ApprovalInvalid));
    }
    Ok((row, actor_id, actor_name, approved_at.is_some()))
}

pub async fn approval_request(db: &Db, token: &str) -> Result<ApprovalRequest, AppError> {
    let (row, _, partner, already_approved) = approval_by_token(db, token).await?;
    Ok(ApprovalRequest {
        partner,
        already_approved,
        article: article(db, &row).await?,
    })
}

/// The story waiting for the approval of the signed-in account's organisation.
pub async fn approval_request_for(
    db: &Db,
    viewer: &Viewer,
    slug: &str,
) -> Result<ApprovalRequest, AppError> {
    let row = study(db, slug).await?;
    let actor_id = account_actor(db, viewer.id)
        .await?
        .ok_or(AppError::Conflict(Problem::NotAPartner))?;
    let approval = approvals(db, row.id)
        .await?
        .into_iter()
        .find(|a| a.actor_id == actor_id)
        .filter(|_| row.status() == CaseStatus::Approval)
        .ok_or(AppError::Conflict(Problem::NotAPartner))?;
    Ok(ApprovalRequest {
        partner: approval.actor_name,
        already_approved: approval.approved_at.is_some(),
        article: article(db, &row).await?,
    })
}

/// A partner organisation approves the story, or asks for changes (back to the draft).
pub(super) async fn decide(
    db: &Db,
    row: &StudyRow,
    actor_id: i64,
    who: &str,
    user: Option<i64>,
    approve: bool,
    comment: &str,
) -> Result<(), AppError> {
    let comment = clean_comment(comment)?;
    if row.status() != CaseStatus::Approval {
        return Err(AppError::Conflict(Problem::ApprovalInvalid));
    }
    if !approve && comment.is_empty() {
        return Err(AppError::invalid("comment", Problem::Required));
    }
    let mut tx = db.begin_write().await?;
    if approve {
        let updated = sqlx::query(
            "UPDATE case_study_approvals SET approved_at = $1, approved_by = $2, approved_by_id = $5, \
             token_hash = NULL WHERE case_study_id = $3 AND actor_id = $4 AND approved_at IS NULL \
             AND (SELECT status FROM case_studies WHERE id = $3) = 'approval'",
        )
        .bind(now_secs())
        .bind(who)
        .bind(row.id)
        .bind(actor_id)
        .bind(user)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Err(AppError::Conflict(Problem::ApprovalInvalid));
        }
        log_step(
            &mut tx,
            row.id,
            who,
            user,
            CaseStep::Approve.code(),
            &comment,
        )
        .await?;
        notify(
            &mut tx,
            row.id,
            CaseStep::Approve.code(),
            who,
            &comment,
            user,
        )
        .await?;
    } else {
        move_to(
            &mut tx,
            row,
            CaseStatus::Draft,
            CaseStep::SendBack,
            &comment,
        )
        .await?;
        log_step(
            &mut tx,
            row.id,
            who,
            user,
            CaseStep::SendBack.code(),
            &comment,
        )
        .await?;
        notify(
            &mut tx,
            row.id,
            CaseStep::SendBack.code(),
            who,
            &comment,
            user,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn decide_by_token(
    db: &Db,
    token: &str,
    approve: bool,
    comment: &str,
) -> Result<(), AppError> {
    let (row, actor_id, actor_name, already) = approval_by_token(db, token).await?;
    if already {
        return Err(AppError::Conflict(Problem::ApprovalInvalid));
    }
    decide(db, &row, actor_id, &actor_name, None, approve, comment).await
}

pub async fn decide_as_partner(
    db: &Db,
    viewer: &Viewer,
    slug: &str,
    approve: bool,
    comment: &str,
) -> Result<(), AppError> {
    let row = study(db, slug).await?;
    let actor_id = account_actor(db, viewer.id)
        .await?
        .ok_or(AppError::Conflict(Problem::NotAPartner))?;
    let pending = approvals(db, row.id)
        .await?
        .into_iter()
        .find(|a| a.actor_id == actor_id)
        .ok_or(AppError::Conflict(Problem::NotAPartner))?;
    if pending.approved_at.is_some() {
        return Err(AppError::Conflict(Problem::ApprovalInvalid));
    }
    let who = format!("{} ({})", viewer.display_name, pending.actor_name);
    decide(db, &row, actor_id, &who, Some(viewer.id), approve, comment).await
}

#[derive(sqlx::FromRow)]
pub(super) struct NotificationRow {
    pub(super) id: i64,
    pub(super) slug: Option<String>,
    pub(super) title: Option<String>,
    pub(super) step: String,
    pub(super) who: String,
    pub(super) comment: String,
    pub(super) created_at: i64,
    pub(super) read_at: Option<i64>,
}

pub async fn notifications(db: &Db, viewer: &Viewer) -> Result<Vec<Notification>, AppError> {
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT n.id, cs.slug, cs.title, n.step, n.who, n.comment, n.created_at, n.read_at \
         FROM notifications n LEFT JOIN case_studies cs ON cs.id = n.case_study_id \
         WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT 100",
    )
    .bind(viewer.id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Notification {
            id: row.id,
            slug: row.slug,
            title: row.title,
            step: row.step,
            who: row.who,
            comment: row.comment,
            at: row.created_at,
            read: row.read_at.is_some(),
        })
        .collect())
}

pub async fn mark_read(db: &Db, viewer: &Viewer) -> Result<(), AppError> {
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now_secs())
        .bind(viewer.id)
        .execute(&db.pool)
        .await?;
    Ok(())
}
