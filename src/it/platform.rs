//! Integration tests of what every journey relies on: health, the bundle's caching, the policy
//! table and the role matrix, cross-site refusals, complete HTML, the language switch, forms
//! without JavaScript, garbage input and the demo seed.

use super::*;
use crate::db::{Backend, Db};
use crate::demo::seed::{seed_demo, SeedOutcome};
use crate::domain::role::Role;
use crate::guard::Effect;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_reports_the_database() {
    let app = test_app().await;
    let reply = app.get("/healthz", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(json["database"]["reachable"], true);
    let backend = if app.db.backend == Backend::Sqlite {
        "sqlite"
    } else {
        "postgres"
    };
    assert_eq!(json["database"]["backend"], backend);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_bundle_is_revalidated_on_every_load() {
    let app = test_app().await;
    for file in ["/pkg/tandem.wasm", "/pkg/__wasm_split_manifest.json"] {
        let reply = app.get(file, None).await;
        assert_eq!(reply.headers[header::CACHE_CONTROL], "no-cache", "{file}");
    }
    let page = app.get("/favicon.svg", None).await;
    assert!(page.headers.get(header::CACHE_CONTROL).is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_has_a_policy_and_writes_are_post() {
    let registered: Vec<(String, axum::http::Method)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method))
        .collect();
    let policies = crate::server::policies();
    assert!(
        registered.len() >= policies.len(),
        "all policies name registered functions"
    );
    for (path, method) in &registered {
        let rows = policies.iter().filter(|p| p.path == path).count();
        assert!(rows <= 1, "{path} has {rows} rows in the policy table");
        let policy = policies
            .iter()
            .find(|p| p.path == path)
            .unwrap_or_else(|| panic!("server function {path} has no policy in its api.rs"));
        if policy.effect == Effect::Write {
            assert_eq!(
                method,
                axum::http::Method::POST,
                "{path} changes state and must be POST"
            );
        }
    }
    for policy in &policies {
        assert!(
            registered.iter().any(|(path, _)| path == policy.path),
            "policy for unknown path {}",
            policy.path
        );
    }
}

/// Every server function against every role and anonymous: refused exactly when the policy says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_matrix_over_every_server_function() {
    let app = test_app().await;
    let mut accounts = Vec::new();
    for role in Role::ALL {
        accounts.push((Some(role), app.account(role).await.0));
    }
    accounts.push((None, 0));
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        let policy = *app.state.policy_for(path).unwrap();
        for &(role, account_id) in &accounts {
            // A fresh session per call, so logout or deletion in one call cannot affect the next.
            let cookie = match role {
                Some(_) => Some(app.session(account_id).await),
                None => None,
            };
            let mut request = Request::builder().method(method.clone()).uri(path);
            if let Some(cookie) = &cookie {
                request = request.header(header::COOKIE, cookie);
            }
            let request = request
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::empty())
                .unwrap();
            let reply = app.send(request).await;
            let refused = matches!(
                reply.status,
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
            );
            if policy.access.allows(role) {
                assert!(!refused, "{path} refused {role:?}: {}", reply.status);
            } else {
                let expected = if role.is_none() {
                    StatusCode::UNAUTHORIZED
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(reply.status, expected, "{path} must refuse {role:?}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused() {
    let app = test_app().await;
    let (_, cookie) = app.account(Role::Admin).await;
    let request = Request::post("/api/admin/konto-anlegen")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::COOKIE, &cookie)
        .body(Body::from("email=x%40example.de&display_name=X&role=admin"))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users WHERE email = 'x@example.de'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(count, 0);

    let same_site = Request::post("/api/admin/konto-anlegen")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::COOKIE, &cookie)
        .body(Body::from(
            "email=x%40example.de&display_name=X&role=participant",
        ))
        .unwrap();
    assert_eq!(app.send(same_site).await.status, StatusCode::OK);
}

/// An actor the database held under a demo slug before seeding stays as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeding_keeps_what_was_there() {
    let app = test_app().await;
    sqlx::query(
        "INSERT INTO actors (slug, name, kind, description, town, lat, lon, is_public, contact_email, \
         created_at, updated_at) VALUES ('karlsruher-institut-fuer-technologie-kit', 'KIT (eigener Eintrag)', \
         'forschung', 'Von Hand', 'Karlsruhe', 49.0, 8.4, 0, 'kontakt@kit.example', 1, 1)",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    assert!(matches!(
        seed_demo(&app.db).await.unwrap(),
        SeedOutcome::Seeded { .. }
    ));
    let kept: (String, String, i64, Option<String>) = sqlx::query_as(
        "SELECT name, description, is_public, contact_email FROM actors \
         WHERE slug = 'karlsruher-institut-fuer-technologie-kit'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        kept,
        (
            "KIT (eigener Eintrag)".to_owned(),
            "Von Hand".to_owned(),
            0,
            Some("kontakt@kit.example".to_owned())
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeding_twice_changes_nothing() {
    let app = test_app().await;
    let first = seed_demo(&app.db).await.unwrap();
    assert!(
        matches!(first, SeedOutcome::Seeded { actors: 150, .. }),
        "{first:?}"
    );
    let counts = |db: Db| async move {
        let row: (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM actors), (SELECT COUNT(*) FROM connections), (SELECT COUNT(*) FROM registrations), (SELECT COUNT(*) FROM case_studies)",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        row
    };
    let before = counts(app.db.clone()).await;
    assert_eq!(
        seed_demo(&app.db).await.unwrap(),
        SeedOutcome::AlreadySeeded
    );
    assert_eq!(counts(app.db.clone()).await, before);
    assert!(
        before.1 >= 250 && before.2 >= 30 && before.3 >= 3,
        "{before:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_complete_html_with_the_right_status() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let home = app.get("/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("<html lang=\"de\""), "German first");
    assert!(
        home.body.contains("Akteure") && home.body.contains(">144<"),
        "counts are rendered on the server: {}",
        home.body
    );

    let research = app.get("/karte?art=forschung", None).await;
    assert!(
        research.body.contains("Universität Heidelberg")
            && research.body.contains("Hochschule Heilbronn")
    );
    let mut all_pages = String::new();
    for page in 1..=3 {
        let map = app.get(&format!("/karte?seite={page}"), None).await;
        assert_eq!(map.status, StatusCode::OK);
        all_pages.push_str(&map.body);
    }
    let hidden: (String,) = sqlx::query_as("SELECT name FROM actors WHERE is_public = 0 LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(
        all_pages.contains("Universität Heidelberg") && !all_pages.contains(&hidden.0),
        "the list pages show every public actor and no private one"
    );
    for path in ["/karte/netzwerk?art=startup", "/karte/lagebild"] {
        assert_eq!(app.get(path, None).await.status, StatusCode::OK, "{path}");
    }

    let actor = app.get("/akteure/universitaet-heidelberg", None).await;
    assert_eq!(actor.status, StatusCode::OK);
    assert!(actor.body.contains("Älteste Universität"));
    assert_eq!(
        app.get("/akteure/gibt-es-nicht", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/voellig/unbekannt", None).await.status,
        StatusCode::NOT_FOUND
    );

    let events = app.get("/veranstaltungen", None).await;
    assert!(events
        .body
        .contains("Kickoff InnovationsPartnerschaften Kraichgau 2025"));
    let cases = app.get("/fallstudien", None).await;
    assert!(cases.body.contains("Retrofit statt Neukauf"));

    assert_eq!(
        app.get("/admin", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let (_, participant) = app.account(Role::Participant).await;
    let refused = app.get("/admin", Some(&participant)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("Dafür fehlt Ihnen die Berechtigung."));
    let (_, admin) = app.account(Role::Admin).await;
    let admin_page = app.get("/admin", Some(&admin)).await;
    assert_eq!(admin_page.status, StatusCode::OK);
    assert!(
        admin_page.body.contains("participant-"),
        "the account list is rendered"
    );

    let english = app.get("/karte", Some("tandem_lang=en")).await;
    assert!(english.body.contains("<html lang=\"en\"") && english.body.contains("Actor map"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_sets_a_cookie_and_stays_local() {
    let app = test_app().await;
    let reply = app.get("/sprache/en?zurueck=%2Fkarte", None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.headers[header::LOCATION], "/karte");
    assert!(reply.set_cookie().unwrap().starts_with("tandem_lang=en"));
    let evil = app
        .get("/sprache/en?zurueck=%2F%2Fevil.example", None)
        .await;
    assert_eq!(evil.headers[header::LOCATION], "/");
    // The switch on every page leads back to the same page, query included.
    let original = "/karte?art=startup&q=M%C3%BCller";
    let page = app.get(original, None).await;
    let href = page
        .body
        .split("href=\"")
        .map(|rest| rest.split('"').next().unwrap_or_default())
        .find(|href| href.starts_with("/sprache/en?"))
        .expect("a language switch on the page")
        .to_owned();
    let reply = app.get(&href, None).await;
    assert_eq!(reply.headers[header::LOCATION], original);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_form_posts_return_to_the_form_with_the_error() {
    let app = test_app().await;
    let request = Request::post("/api/konto/anmelden")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://127.0.0.1:3000/anmelden")
        .body(Body::from("email=x%40example.de&password=falsch-falsch"))
        .unwrap();
    let reply = app.send(request).await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let location = reply.headers[header::LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("http://127.0.0.1:3000/anmelden?__path=")
            && location.contains("__err="),
        "{location}"
    );
    let page = app
        .get(location.trim_start_matches("http://127.0.0.1:3000"), None)
        .await;
    assert!(page
        .body
        .contains("E-Mail-Adresse oder Passwort ist falsch."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_input_never_breaks_the_server() {
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let app = test_app().await;
    let (admin, _) = app.account(Role::Admin).await;
    let paths: Vec<(&str, axum::http::Method)> =
        leptos::server_fn::axum::server_fn_paths().collect();
    let mut runner = TestRunner::deterministic();
    let inputs = proptest::collection::vec(any::<u8>(), 0..200);
    for i in 0..48 {
        let bytes = inputs.new_tree(&mut runner).unwrap().current();
        let (path, method) = &paths[i % paths.len()];
        let request = Request::builder()
            .method(method.clone())
            .uri(*path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            // A fresh session each time: a random body may well be a valid logout.
            .header(header::COOKIE, app.session(admin).await)
            .body(Body::from(bytes))
            .unwrap();
        let reply = app.send(request).await;
        assert!(reply.status.as_u16() < 500, "{path}: {}", reply.status);
    }
    assert!(app.db.is_healthy().await);
}
