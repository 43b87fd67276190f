//! A file download from a plain HTTP route, shared by the journeys' routes.

use crate::error::AppError;
use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// A download, or the error's status.
pub fn download<B: Into<Body>>(
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
