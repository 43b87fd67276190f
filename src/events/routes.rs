//! The events' plain HTTP routes (the live socket, the report and calendar downloads) and their
//! runtime parts, the live hub and the automatic re-plan.

use crate::config::Config;
use crate::db::Db;
use crate::download::download;
use crate::guard::{Caller, ORGANIZERS};
use crate::state::{AppState, Parts};
use axum::extract::{Path, Request, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/live/veranstaltungen/{slug}",
            get(super::server::live::socket),
        )
        .route("/veranstaltungen/{slug}/bericht/csv", get(event_report_csv))
        .route(
            "/veranstaltungen/{slug}/ich/{token}/kalender.ics",
            get(my_calendar),
        )
}

/// The live hub and the automatic re-plan. Needs a Tokio runtime: with PostgreSQL, the hub
/// starts listening for announcements.
pub fn register(parts: &mut Parts, db: &Db, config: &Config) {
    let hub = super::server::live::Hub::start(db, &config.database_url);
    parts.insert(super::server::replan::Replanner::new(
        db.clone(),
        hub.clone(),
    ));
    parts.insert(hub);
}

/// `GET /veranstaltungen/{slug}/bericht/csv`: every held meeting, for organisers.
async fn event_report_csv(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: Request,
) -> Response {
    let caller = Caller::of(&request);
    let result = if ORGANIZERS.allows(caller.role()) {
        super::server::after::meetings_csv(&state.db, &slug).await
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
        super::server::calendar::calendar(&state.db, &slug, &token, &host).await,
        "text/calendar; charset=utf-8",
        &format!("tandem-{slug}.ics"),
    )
}
