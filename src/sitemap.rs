//! `/sitemap.xml` and `/robots.txt`: the public pages for search engines, and the pages they
//! should leave alone (personal links, approvals, invitations, the API).

use crate::domain::markdown::escape;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Pages that exist once, whatever the data.
const FIXED: [&str; 7] = [
    "/",
    "/karte",
    "/karte/netzwerk",
    "/karte/lagebild",
    "/veranstaltungen",
    "/fallstudien",
    "/playbook",
];

/// Every public page: the fixed ones, each public actor, each event that is not a draft and each
/// published case study (with its publication date), in one query.
pub async fn entries(state: &AppState) -> Result<Vec<(String, Option<String>)>, AppError> {
    let mut entries: Vec<(String, Option<String>)> =
        FIXED.iter().map(|path| (path.to_string(), None)).collect();
    let pages: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT '/akteure/' || slug, NULL FROM actors WHERE is_public = 1 \
         UNION ALL SELECT '/veranstaltungen/' || slug, NULL FROM events WHERE status <> 'draft' \
         UNION ALL SELECT '/fallstudien/' || slug, published_on FROM case_studies WHERE status = 'published' \
         ORDER BY 1",
    )
    .fetch_all(&state.db.pool)
    .await?;
    entries.extend(pages);
    Ok(entries)
}

pub async fn sitemap(State(state): State<AppState>) -> Response {
    match entries(&state).await {
        Ok(entries) => {
            let base = state.config.base_url();
            let mut xml = String::from(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
            );
            for (path, modified) in entries {
                xml.push_str(&format!(
                    "<url><loc>{}</loc>",
                    escape(&format!("{base}{path}"))
                ));
                if let Some(modified) = modified {
                    xml.push_str(&format!("<lastmod>{}</lastmod>", escape(&modified)));
                }
                xml.push_str("</url>\n");
            }
            xml.push_str("</urlset>\n");
            (
                [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
                xml,
            )
                .into_response()
        }
        Err(error) => StatusCode::from_u16(error.status_code())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
    }
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let text = format!(
        "User-agent: *\nDisallow: /api/\nDisallow: /live/\nDisallow: /veranstaltungen/*/ich/\n\
         Disallow: /fallstudien/freigabe/\nDisallow: /einladung/\nDisallow: /einbetten/\n\
         Sitemap: {}/sitemap.xml\n",
        state.config.base_url()
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}
