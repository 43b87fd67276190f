//! Account server functions. Each starts with `authorize::<Self>()`; the policies are in `guard`.

use super::{AccountRow, Invitation};
use crate::error::AppError;
use crate::guard::Viewer;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use {
    crate::domain::{role::Role, validation},
    crate::guard::authorize,
    axum::http::{header, HeaderValue},
    leptos_axum::ResponseOptions,
};

#[cfg(feature = "ssr")]
fn set_cookie(cookie: String) {
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
}

#[cfg(feature = "ssr")]
fn user_agent() -> Option<String> {
    use_context::<axum::http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get(header::USER_AGENT)?
            .to_str()
            .ok()
            .map(str::to_owned)
    })
}

#[cfg(feature = "ssr")]
fn request_cookies() -> String {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(header::COOKIE)?
                .to_str()
                .ok()
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

#[cfg(feature = "ssr")]
use crate::guard::{policy, Access, Effect, Policy, ADMIN};

/// This journey's rows of the policy table (see `crate::guard`).
#[cfg(feature = "ssr")]
pub static POLICIES: &[Policy] = &[
    policy::<Login>(Access::Public, Effect::Write),
    policy::<Logout>(Access::Public, Effect::Write),
    policy::<CurrentViewer>(Access::Public, Effect::Read),
    policy::<AcceptInvite>(Access::Public, Effect::Write),
    policy::<ExportMyData>(Access::SignedIn, Effect::Read),
    policy::<DeleteMyAccount>(Access::SignedIn, Effect::Write),
    policy::<ListAccounts>(ADMIN, Effect::Read),
    policy::<CreateAccount>(ADMIN, Effect::Write),
    policy::<ChangeRole>(ADMIN, Effect::Write),
    policy::<SetAccountOrganisation>(ADMIN, Effect::Write),
];

/// Signs in with email and password; on success the browser goes to `next` (a local path).
#[server(prefix = "/api", endpoint = "konto/anmelden")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let auth = authorize::<Login>().await?;
    let state = &auth.state;
    let email = validation::email(&email).map_err(|problem| AppError::invalid("email", problem))?;
    if password.is_empty() {
        return Err(AppError::invalid("password", validation::Problem::Required));
    }
    if password.chars().count() > validation::PASSWORD_MAX {
        return Err(AppError::InvalidCredentials);
    }
    let ip = &auth.caller.ip;
    let key = state.signing_key().await?;
    let record = super::server::sessions::login_record(auth.db(), &email).await?;
    let (account_id, hash) = match record {
        Some((id, hash)) => (Some(id), hash),
        None => (None, None),
    };
    let device = account_id.and_then(|id| {
        super::server::sessions::trusted_device(key, &request_cookies(), id, &state.config)
    });
    // Counted as failed before the (slow) check, so parallel attempts cannot all slip through.
    let attempt = state.limits.begin_login(&email, ip, device.as_deref())?;
    let verified = match super::server::passwords::verify_password(password, hash).await {
        Ok(verified) => verified,
        Err(busy) => {
            // Not checked, so not failed: a flood must not lock the account.
            state.limits.login_unchecked(attempt);
            return Err(busy);
        }
    };
    if !verified {
        tracing::info!(%ip, "failed login");
        return Err(AppError::InvalidCredentials);
    }
    let account_id = account_id.ok_or(AppError::InvalidCredentials)?;
    state.limits.login_succeeded(attempt);
    if let Some(old) = &auth.caller.session_hash {
        super::server::sessions::end_session(auth.db(), old).await?;
    }
    super::server::sessions::purge_expired_sessions(auth.db(), &state.config).await?;
    let token =
        super::server::sessions::create_session(auth.db(), account_id, user_agent().as_deref())
            .await?;
    set_cookie(super::server::sessions::session_cookie(
        &token,
        &state.config,
    ));
    set_cookie(super::server::sessions::device_cookie(
        key,
        account_id,
        &state.config,
    ));
    leptos_axum::redirect(&validation::local_redirect(next.as_deref(), "/konto"));
    Ok(())
}

/// Ends the current session.
#[server(prefix = "/api", endpoint = "konto/abmelden")]
pub async fn logout() -> Result<(), AppError> {
    let auth = authorize::<Logout>().await?;
    if let Some(hash) = &auth.caller.session_hash {
        super::server::sessions::end_session(auth.db(), hash).await?;
    }
    set_cookie(super::server::sessions::expired_session_cookie(
        &auth.state.config,
    ));
    leptos_axum::redirect("/");
    Ok(())
}

/// The signed-in person, or `None`.
#[server(prefix = "/api", endpoint = "konto/ich", input = GetUrl)]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    let auth = authorize::<CurrentViewer>().await?;
    Ok(auth.caller.viewer)
}

/// Activates an invited account with its first password and signs it in.
#[server(prefix = "/api", endpoint = "konto/einladung")]
pub async fn accept_invite(token: String, password: String) -> Result<(), AppError> {
    let auth = authorize::<AcceptInvite>().await?;
    let invalid = || AppError::Conflict(validation::Problem::InviteInvalid);
    let email = super::server::accounts::invited_email(auth.db(), &token)
        .await?
        .ok_or_else(invalid)?;
    validation::new_password(&password, &email)
        .map_err(|problem| AppError::invalid("password", problem))?;
    let hash = super::server::passwords::hash_password(password).await?;
    let account_id = super::server::accounts::redeem_invitation(auth.db(), &token, hash).await?;
    let session =
        super::server::sessions::create_session(auth.db(), account_id, user_agent().as_deref())
            .await?;
    set_cookie(super::server::sessions::session_cookie(
        &session,
        &auth.state.config,
    ));
    leptos_axum::redirect("/konto");
    Ok(())
}

/// Everything stored about the signed-in person, as a JSON download.
#[server(prefix = "/api", endpoint = "konto/export", input = GetUrl)]
pub async fn export_my_data() -> Result<String, AppError> {
    let auth = authorize::<ExportMyData>().await?;
    let data = super::server::accounts::export_account(auth.db(), auth.viewer()?.id).await?;
    if let Some(response) = use_context::<ResponseOptions>() {
        response.insert_header(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"tandem-meine-daten.json\""),
        );
    }
    serde_json::to_string_pretty(&data).map_err(|_| AppError::Internal)
}

/// Deletes the signed-in person's account after they confirm with their password.
#[server(prefix = "/api", endpoint = "konto/loeschen")]
pub async fn delete_my_account(password: String) -> Result<(), AppError> {
    let auth = authorize::<DeleteMyAccount>().await?;
    let viewer = auth.viewer()?;
    let hash = super::server::sessions::password_hash_of(auth.db(), viewer.id).await?;
    if !super::server::passwords::verify_password(password, hash).await? {
        return Err(AppError::InvalidCredentials);
    }
    super::server::accounts::delete_account(auth.db(), viewer.id).await?;
    tracing::info!(account = viewer.id, "account deleted by its owner");
    set_cookie(super::server::sessions::expired_session_cookie(
        &auth.state.config,
    ));
    leptos_axum::redirect("/?konto=geloescht");
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin/konten", input = GetUrl)]
pub async fn list_accounts() -> Result<Vec<AccountRow>, AppError> {
    let auth = authorize::<ListAccounts>().await?;
    super::server::accounts::list_accounts(auth.db(), auth.viewer()?.id).await
}

/// Creates an account with a role and returns its invitation link.
#[server(prefix = "/api", endpoint = "admin/konto-anlegen")]
pub async fn create_account(
    email: String,
    display_name: String,
    role: String,
) -> Result<Invitation, AppError> {
    let auth = authorize::<CreateAccount>().await?;
    // Every problem at once, in the form's order.
    let display_name = validation::display_name(&display_name)
        .map_err(|problem| AppError::invalid("display_name", problem));
    let email = validation::email(&email).map_err(|problem| AppError::invalid("email", problem));
    let role =
        Role::from_code(&role).ok_or(AppError::invalid("role", validation::Problem::RoleUnknown));
    let (display_name, email, role) = match (display_name, email, role) {
        (Ok(name), Ok(email), Ok(role)) => (name, email, role),
        (name, email, role) => {
            return Err(AppError::combine(
                [name.err(), email.err(), role.err()].into_iter().flatten(),
            )
            .unwrap_or(AppError::Internal))
        }
    };
    let (account_id, token) =
        super::server::accounts::insert_account(auth.db(), &email, &display_name, role, None)
            .await?;
    let token = token.ok_or(AppError::Internal)?;
    tracing::info!(
        account = account_id,
        by = auth.viewer()?.id,
        role = role.code(),
        "account created"
    );
    Ok(super::server::accounts::invitation_link(
        &auth.state.config,
        account_id,
        &token,
    ))
}

#[server(prefix = "/api", endpoint = "admin/rolle")]
pub async fn change_role(account_id: i64, role: String) -> Result<(), AppError> {
    let auth = authorize::<ChangeRole>().await?;
    let role = Role::from_code(&role)
        .ok_or(AppError::invalid("role", validation::Problem::RoleUnknown))?;
    if auth.viewer()?.id == account_id {
        return Err(AppError::Conflict(validation::Problem::NotYourself));
    }
    super::server::accounts::set_role(auth.db(), account_id, role).await?;
    tracing::info!(
        account = account_id,
        by = auth.viewer()?.id,
        role = role.code(),
        "role changed"
    );
    Ok(())
}

/// Links an account to the organisation (actor slug) whose case studies it approves; empty unlinks.
#[server(prefix = "/api", endpoint = "admin/organisation")]
pub async fn set_account_organisation(
    account_id: i64,
    #[server(default)] organisation: String,
) -> Result<(), AppError> {
    let auth = authorize::<SetAccountOrganisation>().await?;
    let organisation = organisation.trim();
    super::server::accounts::set_organisation(
        auth.db(),
        account_id,
        (!organisation.is_empty()).then_some(organisation),
    )
    .await
}
