//! Start-up the load benchmarks share: a fresh SQLite file and the whole app on 127.0.0.1.

use std::net::SocketAddr;
use std::path::PathBuf;
use tandem::config::{Config, CookieSecurity, TrustProxy, DEFAULT_TILE_URL};
use tandem::db::Db;
use tandem::server::router;
use tandem::state::AppState;

/// A migrated database in a fresh temporary folder (removed by the caller with `remove_dir_all`).
pub async fn fresh_database(name: &str) -> (PathBuf, String, Db) {
    let dir = std::env::temp_dir().join(format!("tandem-bench-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}/{name}.db", dir.display());
    let db = Db::connect(&url).await.expect("database");
    db.migrate().await.expect("migrate");
    (dir, url, db)
}

/// The app's state over `db`, configured as `tandem serve` would be.
pub fn app_state(url: String, db: Db) -> AppState {
    let config = Config::new(
        url,
        "127.0.0.1:0".parse().unwrap(),
        None,
        DEFAULT_TILE_URL.into(),
        CookieSecurity::Auto,
        TrustProxy::Off,
    )
    .expect("config");
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("tandem")
        .build();
    tandem::server::state(options, db, config)
}

/// Serves `app` on a fresh loopback port through the same connection loop as `tandem serve`
/// (timeouts, `TCP_NODELAY`, the client's address).
pub async fn serve(app: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("loopback");
    let address = listener.local_addr().unwrap();
    tokio::spawn(tandem::security::serve(
        listener,
        app,
        std::future::pending::<()>(),
    ));
    address
}

/// The whole app over `state` on a fresh loopback port.
pub async fn serve_app(state: AppState) -> SocketAddr {
    serve(router(state)).await
}
