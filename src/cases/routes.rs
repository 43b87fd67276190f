//! The case studies' plain HTTP routes: image upload and delivery, the Atom feed and the
//! playbook's one-file export.

use crate::db::Db;
use crate::domain::case_study::IMAGE_BYTES_MAX;
use crate::domain::validation::Problem;
use crate::download::download;
use crate::error::AppError;
use crate::guard::{Caller, EDITORS};
use crate::i18n::Locale;
use crate::state::{AppState, Parts};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/bilder",
            // A little over the image limit, so that a slightly too large image gets the
            // domain's own message rather than a cut connection.
            post(upload_image).layer(DefaultBodyLimit::max(IMAGE_BYTES_MAX + 256 * 1024)),
        )
        .route("/bilder/{name}", get(image))
        .route("/fallstudien/feed.xml", get(feed))
        .route("/playbook/export.html", get(playbook_export))
}

/// The public pages' render cache.
pub fn register(parts: &mut Parts) {
    parts.insert(super::server::cache::RenderCache::default());
}

/// Daily while the server runs: uploaded images nothing uses any more are removed. Not at
/// start-up: a server restarted during an event has people to check in first.
pub async fn prune_images_daily(db: Db) {
    const DAY: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);
    const AFTER_START: std::time::Duration = std::time::Duration::from_secs(6 * 60 * 60);
    let mut daily = tokio::time::interval_at(tokio::time::Instant::now() + AFTER_START, DAY);
    loop {
        daily.tick().await;
        match super::server::images::prune_images(&db).await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "unused images removed"),
            Err(error) => tracing::warn!(%error, "removing unused images failed"),
        }
    }
}

/// A refusal as a sentence for the editor to show.
fn refusal(error: &AppError, locale: Locale) -> Response {
    (
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::BAD_REQUEST),
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        error.message(locale),
    )
        .into_response()
}

/// `POST /bilder` (multipart, field `bild`): stores an image for partners and admins and answers
/// with its name. The name is the hash of the bytes; nothing the browser says about the file is
/// used.
async fn upload_image(State(state): State<AppState>, request: Request) -> Response {
    let locale = Locale::from_headers(request.headers());
    let caller = request
        .extensions()
        .get::<Caller>()
        .cloned()
        .unwrap_or_default();
    let viewer = match &caller.viewer {
        Some(viewer) if EDITORS.allows(Some(viewer.role)) => viewer.clone(),
        _ => return refusal(&caller.refusal(), locale),
    };
    let unreadable = AppError::invalid("image", Problem::ImageTypeRefused);
    let Ok(mut multipart) = Multipart::from_request(request, &state).await else {
        return refusal(&unreadable, locale);
    };
    let mut bytes = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("bild") => match field.bytes().await {
                Ok(read) => bytes = Some(read),
                Err(_) => {
                    let max = IMAGE_BYTES_MAX / 1024 / 1024;
                    return refusal(
                        &AppError::invalid("image", Problem::ImageTooLarge { max }),
                        locale,
                    );
                }
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return refusal(&unreadable, locale),
        }
    }
    let Some(bytes) = bytes else {
        return refusal(&AppError::invalid("image", Problem::Required), locale);
    };
    match super::server::images::store_image(&state.db, &viewer, &bytes).await {
        Ok(name) => (
            StatusCode::CREATED,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            name,
        )
            .into_response(),
        Err(error) => refusal(&error, locale),
    }
}

/// `GET /bilder/{name}`: never interpreted as anything but the image it is.
async fn image(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    match super::server::images::image(&state.db, &name).await {
        Ok((content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'"),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => StatusCode::from_u16(error.status_code())
            .unwrap_or(StatusCode::NOT_FOUND)
            .into_response(),
    }
}

async fn feed(State(state): State<AppState>) -> Response {
    match super::server::playbook::feed(&state.db, &state.config).await {
        Ok(xml) => (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            xml,
        )
            .into_response(),
        Err(error) => StatusCode::from_u16(error.status_code())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
    }
}

async fn playbook_export(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let locale = Locale::from_headers(&headers);
    let result = async {
        // Read before building: a change made meanwhile bumps the revision, so at worst the next
        // download builds again.
        let revision = super::server::edit::current_revision(&state.db).await?;
        if let Some(bytes) = state
            .part::<super::server::cache::RenderCache>()
            .export(revision, locale)
        {
            return Ok(bytes);
        }
        let html =
            super::server::playbook::playbook_export(&state.db, &state.config, locale).await?;
        let bytes = axum::body::Bytes::from(html);
        state
            .part::<super::server::cache::RenderCache>()
            .keep_export(revision, locale, bytes.clone());
        Ok(bytes)
    }
    .await;
    download(result, "text/html; charset=utf-8", "tandem-playbook.html")
}
