//! The HTTP face: application state, the axum router and its middleware, start-up.

use crate::accounts::server::session_from_cookies;
use crate::app::{shell, App};
use crate::config::Config;
use crate::db::{Backend, Db};
use crate::domain::throttle::Throttle;
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
use axum::serve::ListenerExt;
use axum::{Json, Router};
use leptos::prelude::*;
use leptos::server_fn::error::{FromServerFnError, ServerFnUrlError, SERVER_FN_ERROR_HEADER};
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Failed logins allowed per account, and per client address, within the window.
const LOGIN_FAILURES_PER_ACCOUNT: usize = 5;
const LOGIN_FAILURES_PER_IP: usize = 20;
const LOGIN_WINDOW_SECS: u64 = 15 * 60;
/// Proposals anyone may send from one address per hour: enough for a real person, not for spam.
const PROPOSALS_PER_IP: usize = 10;
/// Registrations come in bursts from one venue's network before an event, so they get more.
const REGISTRATIONS_PER_IP: usize = 60;
const SUBMISSION_WINDOW_SECS: u64 = 60 * 60;

/// What anyone may send without signing in, each with its own hourly share per address.
#[derive(Clone, Copy, Debug)]
pub enum PublicSubmission {
    Proposal,
    Registration,
}

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    pub network: crate::map::cache::NetworkCache,
    pub imports: crate::map::import::ImportJobs,
    pub live: crate::events::live::Hub,
    pub render_cache: crate::cases::cache::RenderCache,
    login_throttle: Arc<Mutex<LoginThrottle>>,
}

struct LoginThrottle {
    started: Instant,
    accounts: Throttle,
    ips: Throttle,
    proposals: Throttle,
    registrations: Throttle,
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
            login_throttle: Arc::new(Mutex::new(LoginThrottle {
                started: Instant::now(),
                accounts: Throttle::new(LOGIN_FAILURES_PER_ACCOUNT, LOGIN_WINDOW_SECS),
                ips: Throttle::new(LOGIN_FAILURES_PER_IP, LOGIN_WINDOW_SECS),
                proposals: Throttle::new(PROPOSALS_PER_IP, SUBMISSION_WINDOW_SECS),
                registrations: Throttle::new(REGISTRATIONS_PER_IP, SUBMISSION_WINDOW_SECS),
            })),
        }
    }

    fn with_throttle<T>(&self, f: impl FnOnce(&mut LoginThrottle, u64) -> T) -> T {
        let mut throttle = self
            .login_throttle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = throttle.started.elapsed().as_secs();
        f(&mut throttle, now)
    }

    /// Refuses a login attempt while the account or the address is locked out.
    pub fn check_login_throttle(&self, account: &str, ip: &str) -> Result<(), AppError> {
        self.with_throttle(|t, now| {
            let wait = [t.accounts.check(account, now), t.ips.check(ip, now)]
                .into_iter()
                .filter_map(Result::err)
                .max();
            match wait {
                Some(retry_after_secs) => Err(AppError::RateLimited { retry_after_secs }),
                None => Ok(()),
            }
        })
    }

    pub fn record_login_failure(&self, account: &str, ip: &str) {
        self.with_throttle(|t, now| {
            t.accounts.record_failure(account, now);
            t.ips.record_failure(ip, now);
        });
    }

    pub fn reset_login_throttle(&self, account: &str) {
        self.with_throttle(|t, _| t.accounts.reset(account));
    }

    /// Counts a public submission from `ip`; refuses it once the address has sent its hourly
    /// share.
    pub fn count_submission(&self, what: PublicSubmission, ip: &str) -> Result<(), AppError> {
        self.with_throttle(|t, now| {
            let throttle = match what {
                PublicSubmission::Proposal => &mut t.proposals,
                PublicSubmission::Registration => &mut t.registrations,
            };
            throttle
                .check(ip, now)
                .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
            throttle.record_failure(ip, now);
            Ok(())
        })
    }
}

/// The whole application as one axum router.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    Router::new()
        .route("/healthz", get(healthz))
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
        // Map data for thousands of actors shrinks to a fifth with gzip.
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// Refuses state-changing requests that a browser sent from another site (CSRF).
///
/// Browsers always send `Origin` with cross-origin POSTs; requests without it and without
/// `Sec-Fetch-Site` come from non-browser clients, which carry no ambient cookies to abuse.
async fn refuse_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || is_same_site(request.headers(), state.config.public_origin()) {
        next.run(request).await
    } else {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        error_response(request.uri().path(), &AppError::CrossSite)
    }
}

fn is_same_site(headers: &HeaderMap, public_origin: &str) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(origin) = header("origin") {
        let host = header("host").unwrap_or_default();
        let origin_host = origin
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or_default();
        return origin == public_origin || (!host.is_empty() && origin_host == host);
    }
    match header("sec-fetch-site") {
        Some(site) => matches!(site, "same-origin" | "none"),
        None => true,
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
    let ip = client_ip(&request, state.config.trust_proxy);
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
            tracing::error!(%error, "session lookup failed");
            return error_response(request.uri().path(), &AppError::Internal);
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

fn client_ip(request: &Request, trust_proxy: bool) -> String {
    let forwarded = trust_proxy
        .then(|| {
            request
                .headers()
                .get("x-forwarded-for")?
                .to_str()
                .ok()?
                .split(',')
                .next()
                .map(|ip| ip.trim().to_owned())
        })
        .flatten();
    forwarded
        .or_else(|| {
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".to_owned())
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
    response
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
pub(crate) fn download(
    result: Result<String, AppError>,
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
            body,
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
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?
        // Responses written in several parts (static files) would otherwise wait for the
        // client's delayed acknowledgement, 40 ms each on a kept-alive connection.
        .tap_io(|tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::debug!(%error, "TCP_NODELAY not set");
            }
        });
    tracing::info!(%bind, %public_url, "Tandem is listening");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server stopped: {e}"))
}

/// Daily chores while the server runs: uploaded images nothing uses any more are removed.
async fn housekeeping(db: Db) {
    let mut daily = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
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

    #[test]
    fn same_site_rules() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (k, v) in pairs {
                map.insert(*k, HeaderValue::from_static(v));
            }
            map
        };
        let origin = "http://127.0.0.1:3000";
        assert!(is_same_site(
            &headers(&[("origin", "http://127.0.0.1:3000")]),
            origin
        ));
        assert!(is_same_site(
            &headers(&[("origin", "http://tandem.local"), ("host", "tandem.local")]),
            origin
        ));
        assert!(!is_same_site(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ]),
            origin
        ));
        assert!(!is_same_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            origin
        ));
        assert!(
            is_same_site(&headers(&[]), origin),
            "non-browser clients carry no ambient cookies"
        );
    }
}
