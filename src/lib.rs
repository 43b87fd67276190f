//! Tandem: regional innovation partnerships — actor map, live matchmaking, case studies.
//!
//! One crate, two faces: with `ssr` it is the axum server and its command line, with `hydrate` it is
//! the WASM bundle that hydrates the server-rendered pages.

pub mod accounts;
pub mod app;
pub mod cases;
pub mod domain;
pub mod error;
pub mod events;
pub mod guard;
pub mod i18n;
pub mod map;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(all(test, feature = "ssr"))]
mod it;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
