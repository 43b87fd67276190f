//! The HTTP edge: security headers on every response (a Content-Security-Policy with a nonce per
//! page), time limits for slow clients, and the connection loop that enforces them.

use crate::config::Config;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// A client has this long to send a request's headers …
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// … this long to send its body …
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// … and the whole answer may take this long (a playbook export with many images is the slowest).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Open connections beyond this are closed at once; each costs little, but not nothing.
const CONNECTIONS_MAX: usize = 20_000;
/// On shutdown, requests in flight get this long to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Request bodies beyond these sizes are refused before they are read: server functions read
/// their bodies whole, so without a cap one request could fill the memory.
const BODY_BYTES_MAX: usize = 2 * 1024 * 1024;
const IMAGE_BODY_BYTES_MAX: usize = crate::domain::case_study::IMAGE_BYTES_MAX + 1024 * 1024;
/// A CSV import of the 10,000 rows the importer accepts, form-encoded.
const IMPORT_BODY_BYTES_MAX: usize = 16 * 1024 * 1024;

/// Middleware: caps the request body by route (413 when `Content-Length` says it is too much,
/// an error while reading when a body without one runs over).
pub async fn limit_request_body(request: Request, next: Next) -> Response {
    let limit = match request.uri().path() {
        "/api/karte/import" => IMPORT_BODY_BYTES_MAX,
        "/bilder" => IMAGE_BODY_BYTES_MAX,
        _ => BODY_BYTES_MAX,
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    next.run(request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit))))
        .await
}

/// The nonce of this response's scripts, for the shell to put on its script tags.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Whether a request comes from a page of this site: its `Origin` is the public origin or the
/// host it was sent to. Browsers send `Origin` with every cross-origin POST and WebSocket;
/// requests without it and without `Sec-Fetch-Site` come from non-browser clients, which carry
/// no ambient cookies to abuse.
pub fn is_same_site(headers: &HeaderMap, public_origin: &str) -> bool {
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

/// A fresh nonce: 128 random bits, base64url.
fn new_nonce() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    use base64::Engine;
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The policy of an HTML page: scripts only from this site or carrying the page's nonce (and
/// WebAssembly compiled from them), images also from the tile server and from any https address
/// (actors' logos live on their own sites), nothing framed, and the page itself framed only where
/// it is meant to be embedded (`/einbetten/…`).
pub fn content_security_policy(nonce: &str, tile_origin: Option<&str>, embeddable: bool) -> String {
    let tiles = tile_origin.map(|o| format!(" {o}")).unwrap_or_default();
    let ancestors = if embeddable { "*" } else { "'none'" };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:{tiles}; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors {ancestors}"
    )
}

/// `scheme://host[:port]` of the tile server, `{s}` subdomains as a wildcard; `None` for local
/// tiles or none.
pub fn tile_origin(tile_url: &str) -> Option<String> {
    let url = url::Url::parse(&tile_url.replace("{s}", "s")).ok()?;
    let host = url.host_str()?;
    let host = if tile_url.contains("{s}.") {
        host.replacen("s.", "*.", 1)
    } else {
        host.to_owned()
    };
    Some(match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

/// Middleware: a nonce for the page, then the security headers on the way out. Headers a handler
/// set itself (the images' stricter policy) are kept.
pub async fn security_headers(
    State(config): State<Arc<Config>>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = new_nonce();
    let embeddable = request.uri().path().starts_with("/einbetten/");
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &str| {
        if !headers.contains_key(&name) {
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.insert(name, value);
            }
        }
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // Personal links carry their token in the path: never tell another site where one came from.
    set(header::REFERRER_POLICY, "same-origin");
    if config.public_url.scheme() == "https" {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    if html {
        let tiles = config.tile_url.as_deref().and_then(tile_origin);
        set(
            header::CONTENT_SECURITY_POLICY,
            &content_security_policy(&nonce, tiles.as_deref(), embeddable),
        );
        if !embeddable {
            set(header::X_FRAME_OPTIONS, "DENY");
        }
    }
    response
}

/// Connections the kernel queues before the server accepts them. A round start sends every
/// phone of a room to the server within a few milliseconds; with tokio's default of 1,024, a
/// room of 2,000 overflows the queue and the rest retry their handshake a second later, or
/// three, or seven.
const ACCEPT_QUEUE: u32 = 4_096;

/// A listening socket on `bind` with a queue for a room's burst of connections.
pub fn listen(bind: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if bind.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    // A restarted server takes its address back at once, as `TcpListener::bind` would.
    socket.set_reuseaddr(true)?;
    socket.bind(bind)?;
    socket.listen(ACCEPT_QUEUE)
}

/// Serves `app` on `listener` until `shutdown` resolves: a client that sends its headers too
/// slowly is disconnected (slowloris), connections beyond a cap are closed at once, and on
/// shutdown open requests get a short grace period.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto;
    use tower::ServiceExt;

    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(Duration::from_secs(30)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(CONNECTIONS_MAX));
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, typically: wait a moment instead of spinning.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!(%peer, "connection limit reached, connection closed");
            continue;
        };
        // Responses written in several parts (static files) would otherwise wait for the
        // client's delayed acknowledgement, 40 ms each on a kept-alive connection.
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::debug!(%error, "TCP_NODELAY not set");
        }
        let router = app.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                router.clone().oneshot(request.map(axum::body::Body::new))
            },
        );
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(tcp), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are clients going away or timing out: nothing to act on.
            let _ = connection.await;
            drop(slot);
        });
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::info!("shutdown grace period over, remaining connections dropped");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_only_this_site_and_the_nonce() {
        let csp = content_security_policy("abc", Some("https://tile.openstreetmap.org"), false);
        assert!(csp.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        assert!(
            !csp.contains("'unsafe-eval'") && !csp.contains("script-src 'self' 'unsafe-inline'")
        );
        assert!(csp.contains("img-src 'self' data: blob: https: https://tile.openstreetmap.org;"));
        assert!(csp.ends_with("frame-ancestors 'none'"));
        assert!(content_security_policy("abc", None, true).ends_with("frame-ancestors *"));
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

    #[test]
    fn tile_origins() {
        assert_eq!(
            tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://tile.openstreetmap.org")
        );
        assert_eq!(
            tile_origin("https://{s}.tiles.example:8443/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tiles.example:8443")
        );
        assert_eq!(tile_origin("/kacheln/{z}/{x}/{y}.png"), None);
    }
}
