//! Start-up the integration tests and the load benchmarks share: a fresh SQLite file, the app's
//! state configured as `tandem serve` would be, and the whole app served on 127.0.0.1.

use crate::config::{Config, CookieSecurity, TrustProxy, DEFAULT_TILE_URL};
use crate::db::Db;
use crate::server::router;
use crate::state::AppState;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::path::PathBuf;

/// A migrated SQLite database in a fresh temporary folder (the caller removes the folder).
pub async fn fresh_database(name: &str) -> (PathBuf, String, Db) {
    let dir = std::env::temp_dir().join(format!("tandem-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}/{name}.db", dir.display());
    let db = Db::connect(&url).await.expect("database");
    db.migrate().await.expect("migrate");
    (dir, url, db)
}

/// The app's state over `db` at `url`, as if bound to `bind`, with an optional public address
/// and proxy setting.
pub fn app_state_with(
    url: String,
    db: Db,
    bind: SocketAddr,
    public_url: Option<&str>,
    trust_proxy: TrustProxy,
) -> AppState {
    let config = Config::new(
        url,
        bind,
        public_url.map(str::to_owned),
        DEFAULT_TILE_URL.into(),
        CookieSecurity::Auto,
        trust_proxy,
    )
    .expect("config");
    let options = LeptosOptions::builder().output_name("tandem").build();
    crate::server::state(options, db, config)
}

/// The app's state over `db`, configured as `tandem serve` would be by default.
pub fn app_state(url: String, db: Db) -> AppState {
    let bind = SocketAddr::from(([127, 0, 0, 1], 0));
    app_state_with(url, db, bind, None, TrustProxy::Off)
}

/// Serves `app` on a fresh loopback port through the same connection loop as `tandem serve`
/// (timeouts, `TCP_NODELAY`, the client's address).
pub async fn serve(app: axum::Router) -> SocketAddr {
    let listener =
        crate::security::listen(SocketAddr::from(([127, 0, 0, 1], 0))).expect("loopback");
    let address = listener.local_addr().expect("bound address");
    tokio::spawn(crate::security::serve(
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
