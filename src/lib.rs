//! Tandem: regional innovation partnerships — actor map, live matchmaking, case studies.
//!
//! One crate, two faces: with `ssr` it is the axum server and its command line, with `hydrate` it is
//! the WASM bundle that hydrates the server-rendered pages.

pub mod accounts;
// The shell and the routes; the phone bundle has no router (its lazy routes would keep every
// page's code in it).
#[cfg(not(feature = "phone"))]
pub mod app;
pub mod cases;
pub mod domain;
pub mod error;
pub mod events;
pub mod guard;
pub mod i18n;
pub mod map;
pub mod taxonomy;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod download;
#[cfg(feature = "ssr")]
pub mod limits;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod sitemap;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod testing;
#[cfg(feature = "ssr")]
pub mod token;

#[cfg(all(test, feature = "ssr"))]
mod it;
#[cfg(all(test, feature = "ssr"))]
mod layering;

/// The phone bundle's start: the personal page is server-rendered, and only its islands run here.
#[cfg(feature = "phone")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The islands script hydrates the islands right after this returns, in one run of promise
    // callbacks; a timer fires after them.
    leptos::prelude::set_timeout(
        || {
            if let Some(body) = leptos::prelude::document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}

#[cfg(all(feature = "hydrate", not(feature = "phone")))]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        // Leptos panics when a route's split-off chunk cannot be loaded (network gone, or a new
        // release replaced the files): load the page once more from the server instead of
        // leaving it dead.
        if info.to_string().contains("SplitLoaderError") {
            reload_once();
        }
    }));
    let Some(body) = leptos::prelude::document().body() else {
        return;
    };
    // Hydration waits for the split-off code of the visited route (see `app::lazy_pages!`).
    // Only then is the page interactive, which `data-hydrated` tells people (and tests).
    wasm_bindgen_futures::spawn_local(async move {
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}

/// Reloads the page unless this very address was just reloaded for the same reason.
#[cfg(all(feature = "hydrate", not(feature = "phone")))]
fn reload_once() {
    const KEY: &str = "tandem-reloaded";
    let window = leptos::prelude::window();
    let (Ok(href), Ok(Some(storage))) = (window.location().href(), window.session_storage()) else {
        return;
    };
    if storage.get_item(KEY).ok().flatten().as_deref() != Some(href.as_str()) {
        let _ = storage.set_item(KEY, &href);
        let _ = window.location().reload();
    }
}
