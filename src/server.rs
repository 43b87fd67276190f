//! The HTTP face: assembles the state, the policy table and the routes of the journeys, and
//! wraps them in the shared middleware; start-up.

use crate::app::{shell, App};
use crate::config::Config;
use crate::db::{Backend, Db};
use crate::domain::validation::local_redirect;
use crate::error::AppError;
use crate::guard::{Caller, Effect, Policy};
use crate::i18n::{Locale, LANG_COOKIE};
use crate::state::{AppState, Parts};
use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::*;
use leptos::server_fn::error::{FromServerFnError, ServerFnUrlError, SERVER_FN_ERROR_HEADER};
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::collections::HashMap;
use std::net::SocketAddr;

/// The state of this instance: the shared pieces and every journey's runtime parts and policies.
/// Needs a Tokio runtime (the live hub starts listening with PostgreSQL).
pub fn state(leptos_options: LeptosOptions, db: Db, config: Config) -> AppState {
    let mut parts = Parts::default();
    crate::map::routes::register(&mut parts);
    crate::events::routes::register(&mut parts, &db, &config);
    crate::cases::routes::register(&mut parts);
    AppState::new(leptos_options, db, config, policies(), parts)
}

/// The policy table: every journey's rows.
pub fn policies() -> Vec<Policy> {
    [
        crate::accounts::api::POLICIES,
        crate::map::api::POLICIES,
        crate::events::api::POLICIES,
        crate::cases::api::POLICIES,
    ]
    .concat()
}

/// The whole application as one axum router.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/sitemap.xml", get(crate::sitemap::sitemap))
        .route("/robots.txt", get(crate::sitemap::robots))
        .route("/sprache/{code}", get(switch_language))
        .merge(crate::map::routes::routes())
        .merge(crate::events::routes::routes())
        .merge(crate::cases::routes::routes())
        .leptos_routes_with_context(&state, routes, || (), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Outermost last: cross-site check, then the caller, then the server-function guard,
        // then the public pages' render cache.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::cases::server::cache::serve,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard_server_functions,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            resolve_caller,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            refuse_cross_site,
        ))
        .layer(middleware::from_fn(revalidate_bundle))
        .layer(middleware::from_fn(crate::security::limit_request_body))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            crate::security::BODY_READ_TIMEOUT,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            crate::security::REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn_with_state(
            state.config.clone(),
            crate::security::security_headers,
        ))
        // Map data for thousands of actors shrinks to a fifth with gzip, a little more with
        // brotli (at tower-http's default level 4: fast enough per response). The bundle comes
        // precompressed from the release build and passes through as it is.
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// Refuses state-changing requests that a browser sent from another site (CSRF).
async fn refuse_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || crate::security::is_same_site(request.headers(), state.config.public_origin()) {
        next.run(request).await
    } else {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        error_response(request.uri().path(), &AppError::CrossSite)
    }
}

/// Resolves the session cookie once per request and stores the [`Caller`] in the request.
async fn resolve_caller(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if is_static_asset(request.uri().path()) {
        return next.run(request).await;
    }
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0);
    match crate::accounts::routes::caller(&state, request.headers(), peer).await {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(error) => error_response(request.uri().path(), &error),
    }
}

/// The WASM bundle is split into chunks that only fit the main module of the same build: browsers
/// ask again on every load (a 304 while nothing changed) rather than mix a cached main module with
/// the chunks of a newer release.
async fn revalidate_bundle(request: Request, next: Next) -> Response {
    let bundle = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    if bundle {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}

/// The bundle and files from `public/`: served to anyone, so no session lookup for them.
/// (Page paths never contain a dot: slugs are `[a-z0-9-]`.)
fn is_static_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path
            .rsplit('/')
            .next()
            .is_some_and(|file| file.contains('.'))
}

/// Enforces the server-function policies before any argument is read, and turns errors into
/// their HTTP status (or, for forms posted without JavaScript, back to the form with the error).
async fn guard_server_functions(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if !path.starts_with("/api/") {
        return next.run(request).await;
    }
    let caller = Caller::of(&request);
    let refusal = match state.policy_for(&path) {
        None => Some(AppError::NotFound),
        Some(policy) if policy.effect == Effect::Write && request.method() != Method::POST => Some(
            AppError::Request("state-changing calls must be POST".into()),
        ),
        Some(policy) if !policy.access.allows(caller.role()) => Some(caller.refusal()),
        Some(_) => None,
    };
    let plain_form = accepts_html(request.headers())
        .then(|| {
            request
                .headers()
                .get(header::REFERER)?
                .to_str()
                .ok()
                .map(str::to_owned)
        })
        .flatten();
    let response = match refusal {
        Some(error) => {
            let mut response = error_response(&path, &error);
            // Like Leptos does for errors of the function itself: back to the form, with the
            // error in the URL where the page's `ServerAction` finds it.
            let back = plain_form
                .and_then(|referer| ServerFnUrlError::new(&path, error).to_url(&referer).ok());
            if let Some(location) = back.and_then(|url| HeaderValue::from_str(url.as_str()).ok()) {
                *response.status_mut() = StatusCode::FOUND;
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        None => next.run(request).await,
    };
    with_error_status(response).await
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// A server-function error response: the error's status, marked for the server-fn client.
fn error_response(path: &str, error: &AppError) -> Response {
    let mut response = (
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        error.ser(),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(value) = HeaderValue::from_str(path) {
        headers.insert(SERVER_FN_ERROR_HEADER, value);
    }
    set_retry_after(headers, error);
    response
}

fn set_retry_after(headers: &mut HeaderMap, error: &AppError) {
    if let Some(secs) = error.retry_after_secs() {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
}

/// Server functions answer every error with 500; this gives each error its own status.
/// (Plain form posts are redirected back to the form by Leptos and keep their redirect.)
async fn with_error_status(response: Response) -> Response {
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
        || response.status().is_redirection()
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, 64 * 1024).await else {
        return error_response("", &AppError::Internal);
    };
    let error = AppError::de(bytes.clone());
    parts.status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    set_retry_after(&mut parts.headers, &error);
    Response::from_parts(parts, Body::from(bytes))
}

/// `GET /healthz`: whether the database answers, as JSON; 503 when it does not.
async fn healthz(State(state): State<AppState>) -> Response {
    let reachable = state.db.is_healthy().await;
    let backend = match state.db.backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let body = Json(serde_json::json!({
        "status": if reachable { "ok" } else { "degraded" },
        "database": { "backend": backend, "reachable": reachable },
    }));
    let status = if reachable {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, body).into_response()
}

/// `GET /sprache/en?zurueck=/karte`: remembers the language and returns to the page.
async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let locale = Locale::from_code(&code).unwrap_or_default();
    let back = local_redirect(query.get("zurueck").map(String::as_str), "/");
    let cookie = state
        .config
        .cookie(LANG_COOKIE, locale.code(), 365 * 24 * 60 * 60, false);
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Leptos' options for this instance: cargo-leptos' settings, with our bind address.
pub fn leptos_options(config: &Config) -> Result<LeptosOptions, String> {
    let mut options = get_configuration(None)
        .map_err(|e| format!("leptos configuration: {e}"))?
        .leptos_options;
    options.site_addr = config.bind;
    Ok(options)
}

/// Connects, migrates and serves until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), String> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let options = leptos_options(&config)?;
    let bind = config.bind;
    let public_url = config.public_url.clone();
    tokio::spawn(crate::cases::routes::prune_images_daily(db.clone()));
    let app = router(state(options, db, config));
    let listener =
        crate::security::listen(bind).map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    tracing::info!(%bind, %public_url, "Tandem is listening");
    crate::security::serve(listener, app, shutdown_signal()).await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_assets_skip_the_session() {
        assert!(is_static_asset("/pkg/tandem.wasm"));
        assert!(is_static_asset("/favicon.svg"));
        assert!(!is_static_asset("/akteure/universitaet-heidelberg"));
        assert!(!is_static_asset("/api/konto/ich"));
        assert!(!is_static_asset("/"));
    }
}
