//! The render cache of the public case-study pages: anonymous readers get a stored copy of the
//! server-rendered HTML until any case-study change bumps `case_revision` (in the same
//! transaction as the change, so every instance sees it with one small read).

use crate::guard::Caller;
use crate::i18n::Locale;
use crate::server::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Pages above this size are served but not kept.
const PAGE_BYTES_MAX: usize = 4 * 1024 * 1024;
/// Distinct filter URLs are bounded: beyond this many the cache starts afresh.
const PAGES_MAX: usize = 1_000;

#[derive(Clone, Default)]
pub struct RenderCache {
    state: Arc<RwLock<CacheState>>,
}

#[derive(Default)]
struct CacheState {
    revision: i64,
    pages: HashMap<String, (HeaderMap, Bytes)>,
}

impl RenderCache {
    fn get(&self, revision: i64, key: &str) -> Option<(HeaderMap, Bytes)> {
        let state = self.state.read().unwrap_or_else(|p| p.into_inner());
        (state.revision == revision)
            .then(|| state.pages.get(key).cloned())
            .flatten()
    }

    fn put(&self, revision: i64, key: String, headers: HeaderMap, body: Bytes) {
        let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
        if revision < state.revision {
            return;
        }
        if state.revision != revision || state.pages.len() >= PAGES_MAX {
            state.pages.clear();
            state.revision = revision;
        }
        state.pages.insert(key, (headers, body));
    }
}

/// The public pages whose HTML is the same for every anonymous reader of one language.
pub fn is_cacheable(path: &str) -> bool {
    match path.strip_prefix("/fallstudien/") {
        Some(slug) => !slug.is_empty() && !slug.contains('/') && slug != "neu",
        None => path == "/fallstudien" || path == "/playbook",
    }
}

/// Middleware: answers cacheable GETs of anonymous readers from the cache, and fills it.
pub async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let anonymous = request
        .extensions()
        .get::<Caller>()
        .is_some_and(|caller| caller.viewer.is_none());
    if request.method() != Method::GET || !anonymous || !is_cacheable(request.uri().path()) {
        return next.run(request).await;
    }
    let Ok(revision) = super::server::current_revision(&state.db).await else {
        return next.run(request).await;
    };
    let locale = Locale::from_headers(request.headers());
    let key = format!("{}{}", locale.code(), request.uri());
    if let Some((headers, body)) = state.render_cache.get(revision, &key) {
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = headers;
        mark(&mut response, "hit");
        return response;
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The page is ours and complete in memory anyway (async rendering waits for all its data).
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::builder()
            .status(StatusCode::INTERNAL_SERVER_ERROR)
            .body(Body::empty())
            .unwrap_or_default();
    };
    parts.headers.remove(header::SET_COOKIE);
    // The language comes from a cookie: shared caches must keep the languages apart.
    parts
        .headers
        .insert(header::VARY, HeaderValue::from_static("Cookie"));
    if bytes.len() <= PAGE_BYTES_MAX {
        state
            .render_cache
            .put(revision, key, parts.headers.clone(), bytes.clone());
    }
    let mut response = Response::from_parts(parts, Body::from(bytes));
    mark(&mut response, "miss");
    response
}

fn mark(response: &mut Response, how: &'static str) {
    response
        .headers_mut()
        .insert("x-tandem-cache", HeaderValue::from_static(how));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_case_pages_are_cached() {
        for path in ["/fallstudien", "/fallstudien/energie", "/playbook"] {
            assert!(is_cacheable(path), "{path}");
        }
        for path in [
            "/fallstudien/neu",
            "/fallstudien/energie/bearbeiten",
            "/fallstudien/freigabe/abc",
            "/fallstudien/",
            "/karte",
            "/playbook/bearbeiten",
        ] {
            assert!(!is_cacheable(path), "{path}");
        }
    }

    #[test]
    fn a_new_revision_empties_the_cache() {
        let cache = RenderCache::default();
        cache.put(
            1,
            "de/a".into(),
            HeaderMap::new(),
            Bytes::from_static(b"eins"),
        );
        assert!(cache.get(1, "de/a").is_some());
        assert!(cache.get(2, "de/a").is_none());
        cache.put(
            2,
            "de/b".into(),
            HeaderMap::new(),
            Bytes::from_static(b"zwei"),
        );
        assert!(cache.get(2, "de/a").is_none(), "old pages are gone");
        assert!(cache.get(2, "de/b").is_some());
    }
}
