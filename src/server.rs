//! The HTTP face: application state, the axum router and its middleware, start-up.

use crate::accounts::server::session_from_cookies;
use crate::app::{shell, App};
use crate::config::{Config, TrustProxy};
use crate::db::{Backend, Db};
use crate::domain::net::{client_ip, limit_key};
use crate::domain::validation::local_redirect;
use crate::error::AppError;
use crate::guard::{policy_for, Caller, Effect};
use crate::i18n::{Locale, LANG_COOKIE};
use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, FromRef, Path, Query, Request, State};
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
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    pub network: crate::map::cache::NetworkCache,
    pub imports: crate::map::import::ImportJobs,
    pub live: crate::events::live::Hub,
    pub render_cache: crate::cases::cache::RenderCache,
    pub limits: Arc<crate::limits::Limits>,
    signing_key: Arc<tokio::sync::OnceCell<Vec<u8>>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// Needs a Tokio runtime: with PostgreSQL, the live hub starts listening for announcements.
    pub fn new(leptos_options: LeptosOptions, db: Db, config: Config) -> AppState {
        let live = crate::events::live::Hub::start(&db, &config.database_url);
        AppState {
            live,
            leptos_options,
            db,
            config: Arc::new(config),
            network: Default::default(),
            imports: Default::default(),
            render_cache: Default::default(),
            limits: Default::default(),
            signing_key: Default::default(),
        }
    }

    /// A token for a public form of `purpose` rendered now.
    pub async fn public_form_token(&self, purpose: &str) -> Result<String, AppError> {
        let key = self.signing_key().await?;
        Ok(crate::limits::form_token(
            key,
            purpose,
            crate::db::now_secs(),
        ))
    }

    /// Checks a public form's token and honeypot; the answer is the form's id for the limits.
    pub async fn check_public_form(
        &self,
        purpose: &str,
        token: Option<&str>,
        honeypot: Option<&str>,
    ) -> Result<String, AppError> {
        let form = crate::limits::PublicForm {
            token: token.unwrap_or_default(),
            honeypot: honeypot.unwrap_or_default(),
        };
        form.check(self.signing_key().await?, purpose, crate::db::now_secs())
    }

    /// The key this installation signs form tokens and device cookies with: one per database,
    /// so every instance behind a load balancer accepts what another signed.
    pub async fn signing_key(&self) -> Result<&[u8], AppError> {
        self.signing_key
            .get_or_try_init(|| crate::db::instance_key(&self.db, "signing"))
            .await
            .map(Vec::as_slice)
            .map_err(AppError::from)
    }
}

/// The whole application as one axum router.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/sitemap.xml", get(crate::sitemap::sitemap))
        .route("/robots.txt", get(crate::sitemap::robots))
        .route("/sprache/{code}", get(switch_language))
        .route("/karte/export/{file}", get(export_map))
        .route(
            "/live/veranstaltungen/{slug}",
            get(crate::events::live::socket),
        )
        .route("/veranstaltungen/{slug}/bericht/csv", get(event_report_csv))
        .route(
            "/veranstaltungen/{slug}/ich/{token}/kalender.ics",
            get(my_calendar),
        )
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
            crate::cases::cache::serve,
        ))
        .layer(middleware::from_fn(guard_server_functions))
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
        // Map data for thousands of actors shrinks to a fifth with gzip.
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
    let ip = client_key(&request, &state.config.trust_proxy);
    let cookies = request
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let session = if cookies.is_empty() {
        Ok(None)
    } else {
        session_from_cookies(&state.db, &state.config, &cookies).await
    };
    let (viewer, session_hash) = match session {
        Ok(Some((viewer, hash))) => (Some(viewer), Some(hash)),
        Ok(None) => (None, None),
        Err(error) => {
            let error = AppError::from(error);
            return error_response(request.uri().path(), &error);
        }
    };
    request.extensions_mut().insert(Caller {
        viewer,
        session_hash,
        ip,
    });
    next.run(request).await
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

/// The key the client's limits count under (see [`crate::domain::net`]).
fn client_key(request: &Request, trust: &TrustProxy) -> String {
    let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() else {
        return "unknown".to_owned();
    };
    let forwarded: Vec<&str> = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    limit_key(client_ip(peer.ip(), &forwarded, trust))
}

/// Enforces the server-function policies before any argument is read, and turns errors into
/// their HTTP status (or, for forms posted without JavaScript, back to the form with the error).
async fn guard_server_functions(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if !path.starts_with("/api/") {
        return next.run(request).await;
    }
    let caller = request
        .extensions()
        .get::<Caller>()
        .cloned()
        .unwrap_or_default();
    let refusal = match policy_for(&path) {
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

/// `GET /karte/export/akteure.csv?<filter>` (also `verbindungen.csv`, `karte.geojson`): the
/// public data of a map view as a download.
async fn export_map(
    State(state): State<AppState>,
    Path(file): Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    use crate::map::export;
    let filter =
        crate::domain::network::MapFilter::from_query(query.as_deref().unwrap_or_default());
    let content_type = match file.as_str() {
        "akteure.csv" | "verbindungen.csv" => "text/csv; charset=utf-8",
        "karte.geojson" => "application/geo+json",
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let result = async {
        let snapshot = state.network.current(&state.db).await?;
        match file.as_str() {
            "akteure.csv" => export::actors_csv(&state.db, &snapshot, &filter).await,
            "verbindungen.csv" => export::connections_csv(&snapshot, &filter),
            _ => Ok(export::geojson(&snapshot, &filter).to_string()),
        }
    }
    .await;
    download(result, content_type, &format!("tandem-{file}"))
}

/// A download, or the error's status.
pub(crate) fn download<B: Into<Body>>(
    result: Result<B, AppError>,
    content_type: &str,
    file: &str,
) -> Response {
    match result {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, content_type.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}\""),
                ),
            ],
            Into::<Body>::into(body),
        )
            .into_response(),
        Err(error) => {
            if error.status_code() >= 500 {
                tracing::error!(%error, file, "download failed");
            }
            StatusCode::from_u16(error.status_code())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                .into_response()
        }
    }
}

/// `GET /veranstaltungen/{slug}/bericht/csv`: every held meeting, for organisers.
async fn event_report_csv(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: Request,
) -> Response {
    let caller = request
        .extensions()
        .get::<Caller>()
        .cloned()
        .unwrap_or_default();
    let result = if crate::guard::ORGANIZERS.allows(caller.role()) {
        crate::events::after::meetings_csv(&state.db, &slug).await
    } else {
        Err(caller.refusal())
    };
    download(
        result,
        "text/csv; charset=utf-8",
        &format!("tandem-{slug}-gespraeche.csv"),
    )
}

/// `GET /veranstaltungen/{slug}/ich/{token}/kalender.ics`: a participant's schedule; the
/// personal link's token is the key, as for the personal page.
async fn my_calendar(
    State(state): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
) -> Response {
    let host = state
        .config
        .public_url
        .host_str()
        .unwrap_or("tandem")
        .to_owned();
    download(
        crate::events::after::calendar(&state.db, &slug, &token, &host).await,
        "text/calendar; charset=utf-8",
        &format!("tandem-{slug}.ics"),
    )
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
    tokio::spawn(housekeeping(db.clone()));
    let app = router(AppState::new(options, db, config));
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    tracing::info!(%bind, %public_url, "Tandem is listening");
    crate::security::serve(listener, app, shutdown_signal()).await;
    Ok(())
}

/// Daily chores while the server runs: uploaded images nothing uses any more are removed. Not at
/// start-up: a server restarted during an event has people to check in first.
async fn housekeeping(db: Db) {
    const DAY: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);
    const AFTER_START: std::time::Duration = std::time::Duration::from_secs(6 * 60 * 60);
    let mut daily = tokio::time::interval_at(tokio::time::Instant::now() + AFTER_START, DAY);
    loop {
        daily.tick().await;
        match crate::cases::server::prune_images(&db).await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "unused images removed"),
            Err(error) => tracing::warn!(%error, "removing unused images failed"),
        }
    }
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
