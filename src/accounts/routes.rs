//! The accounts' part of every request: who is calling, from the session cookie.

use crate::domain::net::{client_ip, limit_key};
use crate::error::AppError;
use crate::guard::Caller;
use crate::state::AppState;
use axum::http::{header, HeaderMap};
use std::net::SocketAddr;

/// Who sent `request`: the session cookie's account (if any) and the client's key for limits.
pub async fn caller(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> Result<Caller, AppError> {
    let ip = client_key(headers, peer, state);
    let cookies = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let session = if cookies.is_empty() {
        None
    } else {
        super::server::sessions::session_from_cookies(&state.db, &state.config, cookies).await?
    };
    let (viewer, session_hash) = session.unzip();
    Ok(Caller {
        viewer,
        session_hash,
        ip,
    })
}

/// The key the client's limits count under (see [`crate::domain::net`]).
fn client_key(headers: &HeaderMap, peer: Option<SocketAddr>, state: &AppState) -> String {
    let Some(peer) = peer else {
        return "unknown".to_owned();
    };
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    limit_key(client_ip(peer.ip(), &forwarded, &state.config.trust_proxy))
}
