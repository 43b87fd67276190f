//! The map's plain HTTP routes (its downloads) and its runtime parts.

use crate::domain::network::MapFilter;
use crate::download::download;
use crate::state::{AppState, Parts};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route("/karte/export/{file}", get(export_map))
}

/// The map's caches and running imports.
pub fn register(parts: &mut Parts) {
    parts.insert(super::server::cache::NetworkCache::default());
    parts.insert(super::server::import::ImportJobs::default());
}

/// `GET /karte/export/akteure.csv?<filter>` (also `verbindungen.csv`, `karte.geojson`): the
/// public data of a map view as a download.
async fn export_map(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    use super::server::export;
    let filter = MapFilter::from_query(query.as_deref().unwrap_or_default());
    let content_type = match file.as_str() {
        "akteure.csv" | "verbindungen.csv" => "text/csv; charset=utf-8",
        "karte.geojson" => "application/geo+json",
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let result = async {
        let snapshot = state
            .part::<super::server::cache::NetworkCache>()
            .current(&state.db)
            .await?;
        match file.as_str() {
            "akteure.csv" => export::actors_csv(&state.db, &snapshot, &filter).await,
            "verbindungen.csv" => export::connections_csv(&snapshot, &filter),
            _ => Ok(export::geojson(&snapshot, &filter).to_string()),
        }
    }
    .await;
    download(result, content_type, &format!("tandem-{file}"))
}
