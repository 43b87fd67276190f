//! The render cache of the public case-study pages: anonymous readers get a stored copy of the
//! server-rendered HTML until any case-study change bumps `case_revision` (in the same
//! transaction as the change, so every instance sees it with one small read).

use crate::guard::Caller;
use crate::i18n::Locale;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Pages above this size are served but not kept.
const PAGE_BYTES_MAX: usize = 4 * 1024 * 1024;
/// Distinct pages kept per revision; beyond this, further pages are rendered but not kept, so a
/// flood of distinct filter values can neither evict the pages people read nor grow memory.
const PAGES_MAX: usize = 1_000;

#[derive(Clone, Default)]
pub struct RenderCache {
    state: Arc<RwLock<CacheState>>,
    /// The playbook's one-file export per language, with the revision it was built at: it inlines
    /// every image, so it is built once per content version, not per download.
    exports: Arc<RwLock<HashMap<Locale, (i64, Bytes)>>>,
}

#[derive(Default)]
struct CacheState {
    revision: i64,
    pages: HashMap<String, CachedPage>,
}

/// A rendered page and the script nonce it was rendered with: each reader gets the page with
/// their own response's nonce in its place (see `crate::security`).
#[derive(Clone)]
struct CachedPage {
    headers: HeaderMap,
    body: Bytes,
    nonce: String,
}

impl RenderCache {
    fn get(&self, revision: i64, key: &str) -> Option<CachedPage> {
        let state = self.state.read().unwrap_or_else(|p| p.into_inner());
        (state.revision == revision)
            .then(|| state.pages.get(key).cloned())
            .flatten()
    }

    pub fn export(&self, revision: i64, locale: Locale) -> Option<Bytes> {
        let exports = self.exports.read().unwrap_or_else(|p| p.into_inner());
        exports
            .get(&locale)
            .filter(|(built, _)| *built == revision)
            .map(|(_, bytes)| bytes.clone())
    }

    pub fn keep_export(&self, revision: i64, locale: Locale, bytes: Bytes) {
        let mut exports = self.exports.write().unwrap_or_else(|p| p.into_inner());
        if exports
            .get(&locale)
            .is_none_or(|(built, _)| *built <= revision)
        {
            exports.insert(locale, (revision, bytes));
        }
    }

    fn put(&self, revision: i64, key: String, page: CachedPage) {
        let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
        if revision < state.revision {
            return;
        }
        if state.revision != revision {
            state.pages.clear();
            state.revision = revision;
        }
        if state.pages.len() < PAGES_MAX {
            state.pages.insert(key, page);
        }
    }
}

/// The public pages whose HTML is the same for every anonymous reader of one language.
pub fn is_cacheable(path: &str) -> bool {
    match path.strip_prefix("/fallstudien/") {
        Some(slug) => !slug.is_empty() && !slug.contains('/') && slug != "neu",
        None => path == "/fallstudien" || path == "/playbook",
    }
}

/// The cache key of a page: its language and its path; query parameters the page does not read
/// find the same page. `None` for the list with a filter or search: any value may be sent, and
/// a flood of them must neither fill the cache nor be served from it.
fn page_key(locale: Locale, path: &str, query: Option<&str>) -> Option<String> {
    if path == "/fallstudien" {
        let filter = crate::cases::CaseFilter::from_pairs(
            form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect::<Vec<_>>()
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
        );
        if filter != crate::cases::CaseFilter::default() {
            return None;
        }
    }
    Some(format!("{}{path}", locale.code()))
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
    let Ok(revision) = super::edit::current_revision(&state.db).await else {
        return next.run(request).await;
    };
    let locale = Locale::from_headers(request.headers());
    let Some(key) = page_key(locale, request.uri().path(), request.uri().query()) else {
        return next.run(request).await;
    };
    // Pages carry their response's script nonce; without one (not behind the security layer)
    // nothing is cached.
    let Some(nonce) = request
        .extensions()
        .get::<crate::security::CspNonce>()
        .map(|n| n.0.clone())
    else {
        return next.run(request).await;
    };
    if let Some(page) = state.part::<RenderCache>().get(revision, &key) {
        let Ok(html) = std::str::from_utf8(&page.body) else {
            return next.run(request).await;
        };
        let body = Bytes::from(html.replace(page.nonce.as_str(), &nonce));
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = page.headers;
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
        let page = CachedPage {
            headers: parts.headers.clone(),
            body: bytes.clone(),
            nonce,
        };
        state.part::<RenderCache>().put(revision, key, page);
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

    fn page(body: &'static [u8]) -> CachedPage {
        CachedPage {
            headers: HeaderMap::new(),
            body: Bytes::from_static(body),
            nonce: "n".into(),
        }
    }

    #[test]
    fn a_new_revision_empties_the_cache() {
        let cache = RenderCache::default();
        cache.put(1, "de/a".into(), page(b"eins"));
        assert!(cache.get(1, "de/a").is_some());
        assert!(cache.get(2, "de/a").is_none());
        cache.put(2, "de/b".into(), page(b"zwei"));
        assert!(cache.get(2, "de/a").is_none(), "old pages are gone");
        assert!(cache.get(2, "de/b").is_some());
    }

    #[test]
    fn a_flood_of_keys_neither_evicts_nor_grows() {
        let cache = RenderCache::default();
        cache.put(1, "de/fallstudien".into(), page(b"liste"));
        for n in 0..PAGES_MAX * 2 {
            cache.put(1, format!("de/x{n}"), page(b"x"));
        }
        assert!(cache.get(1, "de/fallstudien").is_some());
        let state = cache.state.read().unwrap();
        assert_eq!(state.pages.len(), PAGES_MAX);
    }

    #[test]
    fn keys_are_canonical() {
        let key = |path, query| page_key(Locale::De, path, query);
        assert_eq!(key("/playbook", Some("x=1")), key("/playbook", None));
        assert_eq!(
            key("/fallstudien/energie", Some("utm=1&zufall=abc")),
            key("/fallstudien/energie", None)
        );
        assert_eq!(
            key("/fallstudien", Some("zufall=1")),
            key("/fallstudien", None)
        );
        assert_eq!(
            key("/fallstudien", Some("region=Kraichgau")),
            None,
            "filtered lists are not kept"
        );
        assert_eq!(
            key("/fallstudien", Some("q=solar")),
            None,
            "searches are not kept"
        );
    }
}
