//! Integration tests: the whole router in-process against a real database.
//!
//! The backend comes from `TANDEM_TEST_DATABASE`: unset for a fresh SQLite file per test, or a
//! `postgres://` URL of a server on which each test creates its own database. The test command
//! runs this module once per backend.

use crate::accounts::server::accounts::insert_account;
use crate::accounts::server::passwords::hash_password;
use crate::accounts::server::sessions::create_session;
use crate::config::{Config, CookieSecurity, TrustProxy, DEFAULT_TILE_URL};
use crate::db::{now_secs, Backend, Db};
use crate::demo::seed::{seed_demo, SeedOutcome};
use crate::domain::role::Role;
use crate::events::server::live::Hub;
use crate::guard::Effect;
use crate::server::router;
use crate::state::AppState;
use crate::token::token_hash;
use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use axum::Router;
use leptos::prelude::LeptosOptions;
use std::sync::atomic::{AtomicUsize, Ordering};
use tower::ServiceExt;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

#[derive(Clone)]
struct TestApp {
    router: Router,
    db: Db,
    state: AppState,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn set_cookie(&self) -> Option<String> {
        self.headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

async fn database_url() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let unique = format!("{}_{}_{}", std::process::id(), now_secs(), n);
    match std::env::var("TANDEM_TEST_DATABASE") {
        Ok(base) if base.starts_with("postgres") => {
            let admin = Db::connect(&base)
                .await
                .expect("test PostgreSQL server reachable");
            let name = format!("tandem_test_{unique}");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin.pool)
                .await
                .expect("create test database");
            admin.pool.close().await;
            let (server, _) = base
                .rsplit_once('/')
                .expect("postgres URL with a database name");
            format!("{server}/{name}")
        }
        _ => format!(
            "sqlite://{}/tandem-test-{unique}.db",
            std::env::temp_dir().display()
        ),
    }
}

async fn test_app() -> TestApp {
    test_app_with(None, TrustProxy::Off).await
}

/// A test app with its own public URL and proxy setting.
async fn test_app_with(public_url: Option<&str>, trust_proxy: TrustProxy) -> TestApp {
    let url = database_url().await;
    let db = Db::connect(&url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let config = Config::new(
        url,
        "127.0.0.1:3000".parse().unwrap(),
        public_url.map(str::to_owned),
        DEFAULT_TILE_URL.into(),
        CookieSecurity::Auto,
        trust_proxy,
    )
    .unwrap();
    let options = LeptosOptions::builder().output_name("tandem").build();
    let state = crate::server::state(options, db.clone(), config);
    TestApp {
        router: router(state.clone()),
        db,
        state,
    }
}

impl TestApp {
    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible router");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .expect("body");
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn post(&self, path: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        self.post_from(None, path, form, cookie).await
    }

    /// A form post from the client at `from` (the TCP peer the server sees).
    async fn post_from(
        &self,
        from: Option<&str>,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> Reply {
        let mut pairs: Vec<(String, String)> = form
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        // Like a browser that rendered the form: public forms carry the page's token unless the
        // test sends its own.
        let purpose = match path {
            "/api/veranstaltung/anmelden" => form
                .iter()
                .find(|(k, _)| *k == "slug")
                .map(|(_, slug)| format!("anmeldung:{}", slug.trim())),
            "/api/karte/vorschlag" => Some("vorschlag".to_owned()),
            _ => None,
        };
        if let Some(purpose) = purpose.filter(|_| !form.iter().any(|(k, _)| *k == "form_token")) {
            let token = self.state.public_form_token(&purpose).await.unwrap();
            pairs.push(("form_token".to_owned(), token));
        }
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        let mut request =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let mut request = request.body(Body::from(body)).unwrap();
        if let Some(from) = from {
            let peer: std::net::SocketAddr = format!("{from}:40000")
                .parse()
                .or_else(|_| format!("[{from}]:40000").parse())
                .expect("an IP address");
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
        }
        self.send(request).await
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// An active account with `role`, and a session cookie for it.
    async fn account(&self, role: Role) -> (i64, String) {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let email = format!("{}-{n}@example.de", role.code());
        let hash = hash_password(format!("{email}-passwort")).await.unwrap();
        let (id, _) = insert_account(
            &self.db,
            &email,
            &format!("Test {}", role.code()),
            role,
            Some(hash),
        )
        .await
        .unwrap();
        (id, self.session(id).await)
    }

    /// An account that signs in with `password` (hashed as the login expects it).
    async fn account_with_password(&self, email: &str, name: &str, role: Role, password: &str) {
        let hash = hash_password(password.to_owned()).await.unwrap();
        insert_account(&self.db, email, name, role, Some(hash))
            .await
            .unwrap();
    }

    /// The app on a loopback port (for WebSocket clients), with the live hub ready.
    async fn serve_on_loopback(
        &self,
    ) -> (
        std::net::SocketAddr,
        tokio::task::JoinHandle<std::io::Result<()>>,
    ) {
        self.state.part::<Hub>().ready().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let service = self
            .router
            .clone()
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        (
            address,
            tokio::spawn(async move { axum::serve(listener, service).await }),
        )
    }

    async fn session(&self, account_id: i64) -> String {
        let token = create_session(&self.db, account_id, Some("test"))
            .await
            .unwrap();
        format!("tandem_session={token}")
    }

    async fn login(&self, email: &str, password: &str) -> Reply {
        self.post(
            "/api/konto/anmelden",
            &[("email", email), ("password", password)],
            None,
        )
        .await
    }
}

fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

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
async fn login_sets_a_safe_cookie_and_logout_ends_the_session() {
    let app = test_app().await;
    app.account_with_password(
        "anna@example.de",
        "Anna",
        Role::Partner,
        "ein-gutes-passwort",
    )
    .await;

    let reply = app.login("Anna@Example.de ", "ein-gutes-passwort").await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}: {}",
        reply.status,
        reply.body
    );
    let set_cookie = reply.set_cookie().expect("session cookie");
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    assert!(!set_cookie.contains("Secure"), "plain http instance");
    let cookie = cookie_pair(&set_cookie);

    let me = app.get("/api/konto/ich", Some(&cookie)).await;
    let viewer: serde_json::Value = serde_json::from_str(&me.body).unwrap();
    assert_eq!(viewer["email"], "anna@example.de");
    assert_eq!(viewer["role"], "partner");

    let reply = app.post("/api/konto/abmelden", &[], Some(&cookie)).await;
    assert!(reply.set_cookie().unwrap().contains("Max-Age=0"));
    let me = app.get("/api/konto/ich", Some(&cookie)).await;
    assert_eq!(
        me.body, "null",
        "the session is gone on the server, not just in the browser"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_are_refused_then_throttled() {
    let app = test_app().await;
    app.account_with_password(
        "ben@example.de",
        "Ben",
        Role::Participant,
        "ein-gutes-passwort",
    )
    .await;
    let unknown = app.login("niemand@example.de", "egal-egal-egal").await;
    assert_eq!(
        unknown.status,
        StatusCode::UNAUTHORIZED,
        "unknown accounts look like wrong passwords"
    );
    for _ in 0..5 {
        let reply = app.login("ben@example.de", "falsches-passwort").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert!(reply.set_cookie().is_none());
    }
    let locked = app.login("ben@example.de", "ein-gutes-passwort").await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(locked.set_cookie().is_none());
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_account_activates_and_an_admin_changes_its_role() {
    let app = test_app().await;
    let (_, admin) = app.account(Role::Admin).await;
    let reply = app
        .post(
            "/api/admin/konto-anlegen",
            &[
                ("email", "clara@example.de"),
                ("display_name", "Clara"),
                ("role", "participant"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let invitation: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let link = invitation["link"].as_str().unwrap();
    assert!(link.starts_with("http://127.0.0.1:3000/einladung/"));
    let token = link.rsplit('/').next().unwrap();

    let again = app
        .post(
            "/api/admin/konto-anlegen",
            &[
                ("email", "CLARA@example.de"),
                ("display_name", "Clara"),
                ("role", "participant"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "duplicate email: {}",
        again.body
    );

    let weak = app
        .post(
            "/api/konto/einladung",
            &[("token", token), ("password", "kurz")],
            None,
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    let forged = app
        .post(
            "/api/konto/einladung",
            &[("token", "falsch"), ("password", "lang-genug-123")],
            None,
        )
        .await;
    assert_eq!(forged.status, StatusCode::CONFLICT);
    let accepted = app
        .post(
            "/api/konto/einladung",
            &[("token", token), ("password", "lang-genug-123")],
            None,
        )
        .await;
    let clara = cookie_pair(&accepted.set_cookie().expect("signed in after accepting"));
    let reuse = app
        .post(
            "/api/konto/einladung",
            &[("token", token), ("password", "lang-genug-456")],
            None,
        )
        .await;
    assert_eq!(
        reuse.status,
        StatusCode::CONFLICT,
        "an invitation works once"
    );

    let account_id = invitation["account_id"].as_i64().unwrap().to_string();
    let refused = app
        .post(
            "/api/admin/rolle",
            &[("account_id", &account_id), ("role", "admin")],
            Some(&clara),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "a participant cannot promote herself"
    );
    let unknown_role = app
        .post(
            "/api/admin/rolle",
            &[("account_id", &account_id), ("role", "kaiser")],
            Some(&admin),
        )
        .await;
    assert_eq!(unknown_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    let changed = app
        .post(
            "/api/admin/rolle",
            &[("account_id", &account_id), ("role", "organizer")],
            Some(&admin),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let me: serde_json::Value =
        serde_json::from_str(&app.get("/api/konto/ich", Some(&clara)).await.body).unwrap();
    assert_eq!(
        me["role"], "organizer",
        "the new role applies to the running session"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_admin_stays_an_admin() {
    let app = test_app().await;
    let (first, first_cookie) = app.account(Role::Admin).await;
    let (second, _) = app.account(Role::Admin).await;
    let own = app
        .post(
            "/api/admin/rolle",
            &[("account_id", &first.to_string()), ("role", "participant")],
            Some(&first_cookie),
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    let demoted = app
        .post(
            "/api/admin/rolle",
            &[("account_id", &second.to_string()), ("role", "partner")],
            Some(&first_cookie),
        )
        .await;
    assert_eq!(demoted.status, StatusCode::OK);
    let last = crate::accounts::server::accounts::set_role(&app.db, first, Role::Participant).await;
    assert_eq!(
        last,
        Err(crate::error::AppError::Conflict(
            crate::domain::validation::Problem::LastAdmin
        ))
    );
    let missing =
        crate::accounts::server::accounts::set_role(&app.db, 999_999, Role::Participant).await;
    assert_eq!(missing, Err(crate::error::AppError::NotFound));
}

/// Moves a session's start and last request `created_hours` and `seen_hours` into the past.
async fn age_session(app: &TestApp, cookie: &str, created_hours: i64, seen_hours: i64) {
    let hours_ago = |h: i64| now_secs() - h * 3600;
    sqlx::query("UPDATE sessions SET created_at = $1, last_seen_at = $2 WHERE token_hash = $3")
        .bind(hours_ago(created_hours))
        .bind(hours_ago(seen_hours))
        .bind(session_hash(cookie))
        .execute(&app.db.pool)
        .await
        .unwrap();
}

fn session_hash(cookie: &str) -> String {
    token_hash(cookie.trim_start_matches("tandem_session="))
}

async fn session_exists(app: &TestApp, cookie: &str) -> bool {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE token_hash = $1")
        .bind(session_hash(cookie))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    count > 0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_expire_when_idle_and_after_the_absolute_limit() {
    let app = test_app().await;
    let (_, idle) = app.account(Role::Participant).await;
    let (_, old) = app.account(Role::Participant).await;
    age_session(&app, &idle, 3, 3).await;
    age_session(&app, &old, 13, 0).await;
    for cookie in [&idle, &old] {
        assert_eq!(app.get("/api/konto/ich", Some(cookie)).await.body, "null");
        assert!(
            !session_exists(&app, cookie).await,
            "expired sessions are deleted"
        );
    }

    // Abandoned sessions are never presented again; the next login sweeps them away.
    let (_, abandoned) = app.account(Role::Participant).await;
    age_session(&app, &abandoned, 5, 5).await;
    app.account_with_password("eva@example.de", "Eva", Role::Partner, "ein-gutes-passwort")
        .await;
    app.login("eva@example.de", "ein-gutes-passwort").await;
    assert!(!session_exists(&app, &abandoned).await);
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
async fn people_export_and_delete_their_own_data() {
    let app = test_app().await;
    app.account_with_password(
        "dora@example.de",
        "Dora",
        Role::Participant,
        "mein-langes-passwort",
    )
    .await;
    let cookie = cookie_pair(
        &app.login("dora@example.de", "mein-langes-passwort")
            .await
            .set_cookie()
            .unwrap(),
    );

    let export = app.get("/api/konto/export", Some(&cookie)).await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let data: serde_json::Value =
        serde_json::from_str(&serde_json::from_str::<String>(&export.body).unwrap()).unwrap();
    assert_eq!(data["account"]["email"], "dora@example.de");
    assert_eq!(data["sessions"].as_array().unwrap().len(), 1);

    let wrong = app
        .post(
            "/api/konto/loeschen",
            &[("password", "falsch-falsch")],
            Some(&cookie),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let deleted = app
        .post(
            "/api/konto/loeschen",
            &[("password", "mein-langes-passwort")],
            Some(&cookie),
        )
        .await;
    assert!(
        deleted.status.is_success() || deleted.status.is_redirection(),
        "{}",
        deleted.status
    );
    let (users, sessions): (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM sessions)")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((users, sessions), (0, 0));
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

fn json(reply: &Reply) -> serde_json::Value {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).expect("JSON")
}

fn query_arg(filter: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("filter", filter)
        .finish()
}

#[tokio::test]
async fn map_data_follows_the_filter_and_keeps_private_actors_out() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let all = json(
        &app.get(&format!("/api/karte/daten?{}", query_arg("")), None)
            .await,
    );
    let actors = all["actors"].as_array().unwrap();
    let connections = all["connections"].as_array().unwrap();
    assert_eq!((actors.len(), connections.len()), (144, 264));
    for line in connections {
        let (a, b) = (line[0].as_u64().unwrap(), line[1].as_u64().unwrap());
        assert!(a < 144 && b < 144 && a != b, "lines point at dots: {line}");
    }
    let hidden: Vec<(String,)> = sqlx::query_as("SELECT slug FROM actors WHERE is_public = 0")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert!(hidden
        .iter()
        .all(|(slug,)| !all.to_string().contains(slug.as_str())));

    let startups = json(
        &app.get(
            &format!("/api/karte/daten?{}", query_arg("art=startup&q=")),
            None,
        )
        .await,
    );
    let startup_dots = startups["actors"].as_array().unwrap();
    assert!(!startup_dots.is_empty() && startup_dots.len() < actors.len());
    assert!(
        startup_dots.iter().all(|dot| dot[3] == 1),
        "kind index 1 is startup"
    );

    let view = json(
        &app.get(
            &format!("/api/karte/ansicht?{}&page=3", query_arg("")),
            None,
        )
        .await,
    );
    assert_eq!(
        (view["page"].as_u64(), view["pages"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(view["list"].as_array().unwrap().len(), 144 - 100);
    let growth = view["growth"].as_array().unwrap();
    let last = growth.last().unwrap();
    assert_eq!(
        last["connections"].as_u64(),
        Some(264),
        "no demo connection has ended"
    );
    assert!(
        growth.first().unwrap()["actors"].as_u64().unwrap() <= last["actors"].as_u64().unwrap()
    );

    let options = json(&app.get("/api/karte/optionen", None).await);
    assert_eq!(options["sectors"].as_array().unwrap().len(), 13);
    assert!(options["towns"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "Sinsheim"));
}

#[tokio::test]
async fn a_change_to_the_network_reaches_the_map_at_once() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let path = format!("/api/karte/daten?{}", query_arg(""));
    let before = json(&app.get(&path, None).await)["connections"]
        .as_array()
        .unwrap()
        .len();
    let mut tx = app.db.pool.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO connections (source_id, target_id, kind, started_on, created_at) \
         SELECT a.id, b.id, 'tandem', '2026-01-01', 0 FROM actors a, actors b \
         WHERE a.slug = 'universitaet-heidelberg' AND b.slug = 'karlsruher-institut-fuer-technologie-kit'",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tandem_bump(&mut tx).await;
    tx.commit().await.unwrap();
    let after = json(&app.get(&path, None).await)["connections"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(after, before + 1);
}

async fn tandem_bump(tx: &mut sqlx::Transaction<'_, sqlx::Any>) {
    crate::db::actors::bump_revision(tx).await.unwrap();
}

#[tokio::test]
async fn network_view_and_lagebild_describe_the_same_network() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let network = json(
        &app.get(&format!("/api/karte/netzwerkdaten?{}", query_arg("")), None)
            .await,
    );
    let dots = network["actors"].as_array().unwrap();
    assert_eq!(dots.len(), 144);
    for dot in dots {
        let (y, x) = (dot[4].as_f64().unwrap(), dot[5].as_f64().unwrap());
        assert!(
            (0.0..=1000.0).contains(&x) && (0.0..=1000.0).contains(&y),
            "{dot}"
        );
    }
    let report = json(&app.get("/api/karte/lagebild", None).await);
    assert_eq!(report["actors"].as_u64(), Some(144));
    assert!(!report["brokers"].as_array().unwrap().is_empty());
    let suggestions = report["suggestions"].as_array().unwrap();
    assert!(!suggestions.is_empty());
    let connected: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.slug, t.slug FROM connections c JOIN actors s ON s.id = c.source_id JOIN actors t ON t.id = c.target_id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    for suggestion in suggestions {
        let (a, b) = (
            suggestion["a"]["slug"].as_str().unwrap().to_owned(),
            suggestion["b"]["slug"].as_str().unwrap().to_owned(),
        );
        assert!(
            !connected.contains(&(a.clone(), b.clone())) && !connected.contains(&(b, a)),
            "suggested pairs are not connected yet"
        );
    }
}

async fn wait_for_import(app: &TestApp, job: u64, cookie: &str) -> serde_json::Value {
    for _ in 0..200 {
        let progress = json(
            &app.get(
                &format!("/api/karte/import/fortschritt?job={job}"),
                Some(cookie),
            )
            .await,
        );
        if progress["state"] != "Running" {
            return progress;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the import did not finish");
}

async fn public_actor_count(app: &TestApp) -> usize {
    json(
        &app.get(&format!("/api/karte/daten?{}", query_arg("")), None)
            .await,
    )["actors"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn an_import_with_bad_rows_reports_every_row_and_imports_nothing() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, cookie) = app.account(Role::Partner).await;
    let csv = "name;art;ort;breite;laenge;branchen\n\
               Neue Sensorik GmbH;mittelstand;Sinsheim;49,25;8,88;energie\n\
               Falsche Art;konzern;Sinsheim;49,25;8,88;\n\
               Universität Heidelberg;forschung;Heidelberg;49,41;8,70;\n\
               Weit weg;startup;Nirgendwo;149;8;\n";
    for apply in ["false", "true"] {
        let reply = app
            .post(
                "/api/karte/import",
                &[("kind", "akteure"), ("csv", csv), ("apply", apply)],
                Some(&cookie),
            )
            .await;
        let report = json(&reply);
        let lines: Vec<u64> = report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, vec![3, 4, 5], "{}", reply.body);
        assert!(report["job"].is_null(), "nothing is started");
    }
    assert_eq!(public_actor_count(&app).await, 144, "nothing was imported");

    let participant = app.account(Role::Participant).await.1;
    let refused = app
        .post(
            "/api/karte/import",
            &[("kind", "akteure"), ("csv", csv), ("apply", "true")],
            Some(&participant),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_clean_import_lands_in_one_transaction_and_reaches_the_map() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, cookie) = app.account(Role::Admin).await;
    let actors = "\u{feff}name;art;ort;breite;laenge;technologien;oeffentlich\n\
                  Kraichgau Quantensensorik GmbH;startup;Eppingen;49,137;8,911;ki;ja\n\
                  Hügelland Präzisionsguss KG;mittelstand;Bretten;49,036;8,706;;ja\n";
    let checked = json(
        &app.post(
            "/api/karte/import",
            &[("kind", "akteure"), ("csv", actors), ("apply", "false")],
            Some(&cookie),
        )
        .await,
    );
    assert_eq!(
        (checked["rows"].as_u64(), checked["job"].is_null()),
        (Some(2), true)
    );
    assert_eq!(
        public_actor_count(&app).await,
        144,
        "a dry run changes nothing"
    );
    let started = json(
        &app.post(
            "/api/karte/import",
            &[("kind", "akteure"), ("csv", actors), ("apply", "true")],
            Some(&cookie),
        )
        .await,
    );
    let job = started["job"].as_u64().expect("a job");
    let done = wait_for_import(&app, job, &cookie).await;
    assert_eq!(
        done["state"]["Done"]["imported"].as_u64(),
        Some(2),
        "{done}"
    );
    assert_eq!(done["done"].as_u64(), Some(2));
    assert_eq!(public_actor_count(&app).await, 146);

    let connections = "von;zu;art;beginn;herkunft\n\
                       kraichgau-quantensensorik-gmbh;huegelland-praezisionsguss-kg;tandem;2026-03-01;Kickoff 2025\n";
    let started = json(
        &app.post(
            "/api/karte/import",
            &[
                ("kind", "verbindungen"),
                ("csv", connections),
                ("apply", "true"),
            ],
            Some(&cookie),
        )
        .await,
    );
    let done = wait_for_import(&app, started["job"].as_u64().expect("a job"), &cookie).await;
    assert_eq!(
        done["state"]["Done"]["imported"].as_u64(),
        Some(1),
        "{done}"
    );
    let again = json(
        &app.post(
            "/api/karte/import",
            &[
                ("kind", "verbindungen"),
                ("csv", connections),
                ("apply", "false"),
            ],
            Some(&cookie),
        )
        .await,
    );
    assert_eq!(
        again["problems"][0]["problem"], "ConnectionExists",
        "{again}"
    );
}

#[tokio::test]
async fn exports_open_in_german_excel_and_gis_tools() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let csv = app.get("/karte/export/akteure.csv?art=startup", None).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(csv.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("attachment"));
    assert!(
        csv.body.starts_with("\u{feff}name;art;ort;breite;laenge;"),
        "BOM and semicolons"
    );
    let startups = json(
        &app.get(
            &format!("/api/karte/daten?{}", query_arg("art=startup")),
            None,
        )
        .await,
    )["actors"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(csv.body.lines().count(), startups + 1);
    assert!(csv.body.lines().nth(1).unwrap().contains(";startup;"));
    assert!(
        csv.body.lines().nth(1).unwrap().contains(","),
        "decimal commas"
    );

    let connections = app.get("/karte/export/verbindungen.csv", None).await;
    assert_eq!(connections.body.lines().count(), 264 + 1);
    let geojson: serde_json::Value =
        serde_json::from_str(&app.get("/karte/export/karte.geojson", None).await.body).unwrap();
    assert_eq!(geojson["features"].as_array().unwrap().len(), 144 + 264);
    assert_eq!(
        app.get("/karte/export/passwoerter.csv", None).await.status,
        StatusCode::NOT_FOUND
    );

    // The exported actor file imports elsewhere: into an empty region it checks clean.
    let other = test_app().await;
    crate::demo::synthetic::load(
        &other.db,
        crate::demo::synthetic::SyntheticSize {
            actors: 0,
            connections: 0,
            seed: 1,
        },
    )
    .await
    .unwrap();
    let (_, cookie) = other.account(Role::Partner).await;
    let report = json(
        &other
            .post(
                "/api/karte/import",
                &[("kind", "akteure"), ("csv", &csv.body), ("apply", "false")],
                Some(&cookie),
            )
            .await,
    );
    assert_eq!(report["rows"].as_u64(), Some(startups as u64), "{report}");
}

#[tokio::test]
async fn the_embed_page_works_without_login_and_without_the_site_chrome() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let embed = app.get("/einbetten/karte?art=forschung", None).await;
    assert_eq!(embed.status, StatusCode::OK);
    assert!(embed.body.contains("Im Tandem-Netzwerk öffnen"));
    assert!(embed.body.contains("href=\"/karte?art=forschung\""));
    assert!(
        !embed.body.contains("Hauptnavigation"),
        "no site navigation in the iframe"
    );
}

#[tokio::test]
async fn a_synthetic_region_is_generated_only_into_an_empty_database() {
    let app = test_app().await;
    let size = crate::demo::synthetic::SyntheticSize {
        actors: 400,
        connections: 1500,
        seed: 3,
    };
    assert_eq!(
        crate::demo::synthetic::load(&app.db, size).await,
        Ok((400, 1500))
    );
    let data = json(
        &app.get(&format!("/api/karte/daten?{}", query_arg("")), None)
            .await,
    );
    assert_eq!(data["actors"].as_array().unwrap().len(), 400);
    assert_eq!(data["connections"].as_array().unwrap().len(), 1500);
    assert!(crate::demo::synthetic::load(&app.db, size).await.is_err());
    let report = json(&app.get("/api/karte/lagebild", None).await);
    assert_eq!(report["actors"].as_u64(), Some(400));
}

fn actor_form<'a>(fields: &[(&'a str, &'a str)]) -> Vec<(String, &'a str)> {
    fields
        .iter()
        .map(|(k, v)| (format!("actor[{k}]"), *v))
        .collect()
}

async fn post_owned(
    app: &TestApp,
    path: &str,
    form: &[(String, &str)],
    cookie: Option<&str>,
) -> Reply {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    app.post(path, &pairs, cookie).await
}

#[tokio::test]
async fn partners_edit_actors_and_connections_and_the_map_follows() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, cookie) = app.account(Role::Partner).await;
    let mut form = actor_form(&[
        ("name", "Elsenz Wasserstoff GmbH"),
        ("kind", "startup"),
        ("town", "Sinsheim"),
        ("lat", "49,2527"),
        ("lon", "8,8796"),
        ("website", "https://wasserstoff.example"),
        ("sectors][0", "energie"),
        ("technologies][4", "ki"),
        ("is_public", "on"),
    ]);
    form.push(("slug".into(), ""));
    let created = post_owned(&app, "/api/karte/akteur/speichern", &form, Some(&cookie)).await;
    assert!(
        created.status.is_success() || created.status.is_redirection(),
        "{} {}",
        created.status,
        created.body
    );
    let terms: Vec<(String,)> = sqlx::query_as(
        "SELECT t.slug FROM actor_terms x JOIN taxonomy_terms t ON t.id = x.term_id JOIN actors a ON a.id = x.actor_id \
         WHERE a.slug = 'elsenz-wasserstoff-gmbh' ORDER BY t.slug",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(terms, vec![("energie".to_owned(),), ("ki".to_owned(),)]);
    assert_eq!(public_actor_count(&app).await, 145);

    // The same name in the same town is refused, and so are impossible coordinates.
    let duplicate = post_owned(&app, "/api/karte/akteur/speichern", &form, Some(&cookie)).await;
    assert_eq!(
        duplicate.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        duplicate.body
    );
    assert!(duplicate.body.contains("DuplicateActor"));
    let mut far = form.clone();
    far[0].1 = "Anderer Name GmbH";
    far[3].1 = "95";
    let refused = post_owned(&app, "/api/karte/akteur/speichern", &far, Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("CoordinatesOutOfRange"));
    assert_eq!(
        public_actor_count(&app).await,
        145,
        "refused input changes nothing"
    );

    // An update keeps the slug; consent withdrawn takes the actor off the map.
    let mut update = form.clone();
    update.retain(|(k, _)| k != "actor[is_public]" && k != "slug");
    update.push(("slug".into(), "elsenz-wasserstoff-gmbh"));
    let updated = post_owned(&app, "/api/karte/akteur/speichern", &update, Some(&cookie)).await;
    assert!(
        updated.status.is_success() || updated.status.is_redirection(),
        "{}",
        updated.body
    );
    assert_eq!(public_actor_count(&app).await, 144);
    let editor = json(
        &app.get(
            "/api/karte/akteur/bearbeiten?slug=elsenz-wasserstoff-gmbh",
            Some(&cookie),
        )
        .await,
    );
    assert!(editor["input"]["is_public"].is_null());

    let connection = [
        ("connection[source]", "elsenz-wasserstoff-gmbh"),
        ("connection[target]", "universitaet-heidelberg"),
        ("connection[kind]", "forschungskooperation"),
        ("connection[started_on]", "2026-02-01"),
    ];
    let saved = app
        .post(
            "/api/karte/verbindung/speichern",
            &connection,
            Some(&cookie),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let id: i64 = saved.body.trim().parse().unwrap();
    let again = app
        .post(
            "/api/karte/verbindung/speichern",
            &connection,
            Some(&cookie),
        )
        .await;
    assert!(again.body.contains("ConnectionExists"), "{}", again.body);
    let id_text = id.to_string();
    let mut changed = connection.to_vec();
    changed.extend([
        ("id", id_text.as_str()),
        ("connection[ended_on]", "2026-10-31"),
    ]);
    let updated = app
        .post("/api/karte/verbindung/speichern", &changed, Some(&cookie))
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    let ended: Option<String> =
        sqlx::query_scalar("SELECT ended_on FROM connections WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(ended.as_deref(), Some("2026-10-31"));
    let removed = app
        .post(
            "/api/karte/verbindung/loeschen",
            &[("id", &id.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    let gone = app
        .post(
            "/api/karte/verbindung/loeschen",
            &[("id", &id.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);

    let deleted = app
        .post(
            "/api/karte/akteur/loeschen",
            &[("slug", "elsenz-wasserstoff-gmbh")],
            Some(&cookie),
        )
        .await;
    assert!(deleted.status.is_success() || deleted.status.is_redirection());
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM actors WHERE slug = 'elsenz-wasserstoff-gmbh'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn anyone_proposes_and_editors_decide() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let mut form = actor_form(&[
        ("name", "Hardt Bienen eG"),
        ("kind", "initiative"),
        ("town", "Bruchsal"),
        ("lat", "49.12"),
        ("lon", "8.59"),
        ("is_public", "on"),
    ]);
    form.extend([
        ("slug".to_owned(), ""),
        ("proposer_name".to_owned(), "Imke Imker"),
        ("proposer_email".to_owned(), "imke@example.de"),
        ("message".to_owned(), "Wir fehlen noch."),
    ]);
    let mut bad = form.clone();
    bad.last_mut().unwrap().1 = "x".repeat(1001).leak();
    assert_eq!(
        post_owned(&app, "/api/karte/vorschlag", &bad, None)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let sent = post_owned(&app, "/api/karte/vorschlag", &form, None).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(
        public_actor_count(&app).await,
        144,
        "a proposal changes nothing yet"
    );

    let (_, cookie) = app.account(Role::Admin).await;
    let proposals = json(&app.get("/api/karte/vorschlaege", Some(&cookie)).await);
    let proposal = &proposals.as_array().unwrap()[0];
    assert_eq!(proposal["proposer_email"], "imke@example.de");
    assert!(proposal["current"].is_null());
    let id = proposal["id"].as_i64().unwrap().to_string();
    let unconfirmed = app
        .post(
            "/api/karte/vorschlag/entscheiden",
            &[("id", id.as_str()), ("accept", "true")],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        unconfirmed.status,
        StatusCode::CONFLICT,
        "consent needs a confirmation"
    );
    assert!(unconfirmed.body.contains("ConfirmationNeeded"));
    let decided = app
        .post(
            "/api/karte/vorschlag/entscheiden",
            &[("id", id.as_str()), ("accept", "true"), ("confirm", "on")],
            Some(&cookie),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    assert_eq!(public_actor_count(&app).await, 145);
    let stored: (String, Option<String>) =
        sqlx::query_as("SELECT status, proposer_email FROM proposals WHERE id = $1")
            .bind(id.parse::<i64>().unwrap())
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        ("accepted".to_owned(), None),
        "the address is gone after the decision"
    );
    let twice = app
        .post(
            "/api/karte/vorschlag/entscheiden",
            &[("id", id.as_str()), ("accept", "false")],
            Some(&cookie),
        )
        .await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn editors_extend_the_taxonomy_and_contacts_show_only_with_consent() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, cookie) = app.account(Role::Partner).await;
    let term = [
        ("vocabulary", "technology"),
        ("slug", ""),
        ("label_de", "Quantentechnologie"),
        ("label_en", "Quantum technology"),
    ];
    let saved = app.post("/api/karte/begriff", &term, Some(&cookie)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("quantentechnologie"));
    let again = app.post("/api/karte/begriff", &term, Some(&cookie)).await;
    assert!(again.body.contains("TermExists"), "{}", again.body);
    let options = json(&app.get("/api/karte/optionen", None).await);
    assert!(options["technologies"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["slug"] == "quantentechnologie"));
    let bad = [
        ("vocabulary", "farben"),
        ("slug", ""),
        ("label_de", "Rot"),
        ("label_en", "Red"),
    ];
    assert_eq!(
        app.post("/api/karte/begriff", &bad, Some(&cookie))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    sqlx::query("UPDATE actors SET contact_email = 'info@kit.example' WHERE slug = 'karlsruher-institut-fuer-technologie-kit'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let profile = "/api/akteur?slug=karlsruher-institut-fuer-technologie-kit";
    assert!(
        json(&app.get(profile, None).await)["contact_email"].is_null(),
        "no consent, no contact"
    );
    sqlx::query("UPDATE actors SET contact_public = 1 WHERE slug = 'karlsruher-institut-fuer-technologie-kit'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        json(&app.get(profile, None).await)["contact_email"],
        "info@kit.example"
    );
}

/// The organisers' form for an event on `day` (YYYY-MM-DD).
/// Starts and ends the event's latest round through the console.
async fn run_round(app: &TestApp, slug: &str, organiser: &str) {
    for command in ["start", "ende"] {
        let reply = app
            .post(
                "/api/veranstaltung/runde/uhr",
                &[("slug", slug), ("command", command)],
                Some(organiser),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{command}: {}", reply.body);
    }
}

fn event_form(title: &str, day: &str) -> Vec<(String, String)> {
    [
        ("slug", ""),
        ("event[title]", title),
        ("event[venue]", "Rathaus"),
        ("event[town]", "Sinsheim"),
        ("event[starts_at]", &format!("{day}T16:00")),
        ("event[ends_at]", &format!("{day}T20:00")),
        ("event[round_minutes]", "8"),
        ("event[rounds]", "5"),
        ("event[tables]", "12"),
        ("event[seats]", "3"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// A change that went through: answered directly, or by a redirect to the next page.
fn assert_done(reply: &Reply) {
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
}

/// The form of a registration as the event page sends it.
fn registration_form(slug: &str, name: &str, email: &str, consent: bool) -> Vec<(String, String)> {
    let mut form = vec![
        ("slug", slug),
        ("registration[person_name]", name),
        ("registration[email]", email),
        ("registration[organisation]", "Roth Fräsen GmbH"),
        ("registration[kind]", "mittelstand"),
        ("registration[offers]", "Fertigung, Prüfstände"),
        ("registration[seeks]", "Sensorik"),
        ("registration[topics][0]", "technology:ki"),
    ];
    if consent {
        form.push(("registration[consent]", "on"));
    }
    form.into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

async fn post_strings(
    app: &TestApp,
    path: &str,
    form: &[(String, String)],
    cookie: Option<&str>,
) -> Reply {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post(path, &pairs, cookie).await
}

/// The personal link's token from a registration's answer (a redirect to the personal page, or
/// the server function's JSON string).
fn token_of(reply: &Reply) -> String {
    if let Some(location) = reply.headers.get(header::LOCATION) {
        return location
            .to_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
    }
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisers_plan_events_people_register_and_are_checked_in() {
    use crate::db::today;
    use crate::domain::date::format_date;
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let (_, participant) = app.account(Role::Participant).await;
    let day = format_date(crate::domain::date::add_days(today(), 30));
    let event = |title: &str| event_form(title, &day);
    let refused = post_strings(
        &app,
        "/api/veranstaltung/speichern",
        &event("Kickoff Test"),
        Some(&participant),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut bad = event("Kickoff Test");
    bad[5].1 = format!("{day}T15:00");
    let bad = post_strings(&app, "/api/veranstaltung/speichern", &bad, Some(&organiser)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("EndBeforeStart"), "{}", bad.body);
    let saved = post_strings(
        &app,
        "/api/veranstaltung/speichern",
        &event("Kickoff Test"),
        Some(&organiser),
    )
    .await;
    assert_done(&saved);
    let slug = format!("kickoff-test-{}", &day[..4]);
    let detail_path = format!("/api/veranstaltung?slug={slug}");
    assert_eq!(
        app.get(&detail_path, None).await.status,
        StatusCode::NOT_FOUND,
        "drafts stay hidden"
    );
    let detail = json(&app.get(&detail_path, Some(&organiser)).await);
    assert_eq!(detail["status"], "draft");
    assert_eq!(detail["registration_open"], false);

    let register = registration_form(&slug, "Eva Roth", "eva@example.de", true);
    assert_eq!(
        post_strings(&app, "/api/veranstaltung/anmelden", &register, None)
            .await
            .status,
        StatusCode::NOT_FOUND,
        "no registration for a draft"
    );
    let step = |status: &'static str| {
        [
            ("slug".to_owned(), slug.clone()),
            ("status".to_owned(), status.to_owned()),
        ]
    };
    let skipped = post_strings(
        &app,
        "/api/veranstaltung/status",
        &step("finished"),
        Some(&organiser),
    )
    .await;
    assert_eq!(skipped.status, StatusCode::CONFLICT);
    let opened = post_strings(
        &app,
        "/api/veranstaltung/status",
        &step("open"),
        Some(&organiser),
    )
    .await;
    assert_done(&opened);
    assert_eq!(
        json(&app.get(&detail_path, None).await)["registration_open"],
        true
    );

    let without_consent = registration_form(&slug, "Eva Roth", "eva@example.de", false);
    let refused = post_strings(&app, "/api/veranstaltung/anmelden", &without_consent, None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("ConsentRequired"), "{}", refused.body);
    let registered = post_strings(&app, "/api/veranstaltung/anmelden", &register, None).await;
    let token = token_of(&registered);
    let again = post_strings(
        &app,
        "/api/veranstaltung/anmelden",
        &registration_form(&slug, "Eva R.", "EVA@example.de", true),
        None,
    )
    .await;
    // The same answer as for a new registration, without telling that the address is known.
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(!again.body.contains("AlreadyRegistered"), "{}", again.body);
    assert_eq!(
        again.headers[header::LOCATION],
        format!("/veranstaltungen/{slug}?angemeldet=1")
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE email = $1")
        .bind("eva@example.de")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 1, "and nothing is stored twice");

    let mine_path = format!("/api/veranstaltung/ich?slug={slug}&token={token}");
    let mine = json(&app.get(&mine_path, None).await);
    assert_eq!(mine["person_name"], "Eva Roth");
    assert_eq!(mine["topics"][0]["code"], "technology:ki");
    assert_eq!(mine["checked_in"], false);
    assert!(mine["qr_svg"].as_str().unwrap().contains("<svg"));
    assert!(mine["link"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/veranstaltungen/{slug}/ich/{token}")));
    let wrong = format!(
        "/api/veranstaltung/ich?slug={slug}&token={}",
        "0".repeat(64)
    );
    assert_eq!(app.get(&wrong, None).await.status, StatusCode::NOT_FOUND);

    let desk_path = format!("/api/veranstaltung/einlass?slug={slug}&search=roth");
    assert_eq!(
        app.get(&desk_path, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get(&desk_path, Some(&participant)).await.status,
        StatusCode::FORBIDDEN
    );
    let desk = json(&app.get(&desk_path, Some(&organiser)).await);
    assert_eq!(
        (desk["registered"].as_i64(), desk["present"].as_i64()),
        (Some(1), Some(0))
    );
    let id = desk["entries"][0]["id"].as_i64().unwrap().to_string();
    let umlaut = json(
        &app.get(
            &format!("/api/veranstaltung/einlass?slug={slug}&search=FR%C3%84SEN"),
            Some(&organiser),
        )
        .await,
    );
    assert_eq!(
        umlaut["matches"], 1,
        "the search folds ÄÖÜ on every backend"
    );
    let nobody = json(
        &app.get(
            &format!("/api/veranstaltung/einlass?slug={slug}&search=%25"),
            Some(&organiser),
        )
        .await,
    );
    assert_eq!(nobody["matches"], 0, "% is a character, not a pattern");

    let by_link = [
        ("slug".to_owned(), slug.clone()),
        ("token".to_owned(), token.clone()),
    ];
    assert_eq!(
        post_strings(&app, "/api/veranstaltung/einlass/link", &by_link, None)
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "a personal link alone checks nobody in"
    );
    let checked = post_strings(
        &app,
        "/api/veranstaltung/einlass/link",
        &by_link,
        Some(&organiser),
    )
    .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert_eq!(json(&app.get(&mine_path, None).await)["checked_in"], true);
    /// Checks the registration in or out at the desk; the desk's (present, left) afterwards.
    async fn book(app: &TestApp, cookie: &str, slug: &str, id: &str, present: bool) -> (i64, i64) {
        let form = [
            ("slug".to_owned(), slug.to_owned()),
            ("id".to_owned(), id.to_owned()),
            ("present".to_owned(), present.to_string()),
        ];
        let reply = post_strings(
            app,
            "/api/veranstaltung/einlass/buchen",
            &form,
            Some(cookie),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let desk = json(
            &app.get(
                &format!("/api/veranstaltung/einlass?slug={slug}&search="),
                Some(cookie),
            )
            .await,
        );
        (
            desk["present"].as_i64().unwrap(),
            desk["left"].as_i64().unwrap(),
        )
    }
    assert_eq!(book(&app, &organiser, &slug, &id, false).await, (0, 1));
    assert_eq!(
        book(&app, &organiser, &slug, &id, true).await,
        (1, 0),
        "back in after stepping out"
    );

    let door = registration_form(&slug, "Jonas Weber", "jonas@example.de", true);
    let walked_up = post_strings(
        &app,
        "/api/veranstaltung/einlass/anmelden",
        &door,
        Some(&organiser),
    )
    .await;
    let door_token = token_of(&walked_up);
    let door_mine = json(
        &app.get(
            &format!("/api/veranstaltung/ich?slug={slug}&token={door_token}"),
            None,
        )
        .await,
    );
    assert_eq!(
        (
            door_mine["checked_in"].as_bool(),
            door_mine["at_the_door"].as_bool()
        ),
        (Some(true), Some(true))
    );
    let desk = json(
        &app.get(
            &format!("/api/veranstaltung/einlass?slug={slug}&search="),
            Some(&organiser),
        )
        .await,
    );
    assert_eq!(
        (desk["registered"].as_i64(), desk["present"].as_i64()),
        (Some(2), Some(2))
    );

    let jonas: i64 =
        sqlx::query_scalar("SELECT id FROM registrations WHERE email = 'jonas@example.de'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let delete = [
        ("slug".to_owned(), slug.clone()),
        ("id".to_owned(), jonas.to_string()),
    ];
    let delete_as = |cookie: &str| {
        let (app, delete, cookie) = (&app, &delete, cookie.to_owned());
        async move {
            post_strings(
                app,
                "/api/veranstaltung/einlass/loeschen",
                delete,
                Some(&cookie),
            )
            .await
            .status
        }
    };
    assert_eq!(delete_as(&participant).await, StatusCode::FORBIDDEN);
    assert_eq!(delete_as(&organiser).await, StatusCode::OK);
    assert_eq!(delete_as(&organiser).await, StatusCode::NOT_FOUND, "gone");
    let cancelled = post_strings(&app, "/api/veranstaltung/abmelden", &by_link, None).await;
    assert_done(&cancelled);
    assert_eq!(
        app.get(&mine_path, None).await.status,
        StatusCode::NOT_FOUND
    );
    let left: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registration_terms x JOIN registrations r ON r.id = x.registration_id WHERE r.email = 'eva@example.de'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(left, 0, "nothing of the cancelled registration stays");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registrants_see_suggestions_with_reasons_and_set_wishes() {
    use crate::db::today;
    use crate::domain::date::format_date;
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let day = format_date(crate::domain::date::add_days(today(), 10));
    assert_done(
        &post_strings(
            &app,
            "/api/veranstaltung/speichern",
            &event_form("Wunschabend", &day),
            Some(&organiser),
        )
        .await,
    );
    let slug = format!("wunschabend-{}", &day[..4]);
    let open = [
        ("slug".to_owned(), slug.clone()),
        ("status".to_owned(), "open".to_owned()),
    ];
    assert_done(&post_strings(&app, "/api/veranstaltung/status", &open, Some(&organiser)).await);

    let register =
        |name: &str, email: &str, organisation: &str, kind: &str, offers: &str, seeks: &str| {
            let mut form = registration_form(&slug, name, email, true);
            for (key, value) in form.iter_mut() {
                match key.as_str() {
                    "registration[organisation]" => *value = organisation.to_owned(),
                    "registration[kind]" => *value = kind.to_owned(),
                    "registration[offers]" => *value = offers.to_owned(),
                    "registration[seeks]" => *value = seeks.to_owned(),
                    _ => {}
                }
            }
            form
        };
    let eva = token_of(
        &post_strings(
            &app,
            "/api/veranstaltung/anmelden",
            &register(
                "Eva Roth",
                "eva@example.de",
                "Roth Fräsen",
                "mittelstand",
                "Fertigung",
                "Sensorik für Prüfstände",
            ),
            None,
        )
        .await,
    );
    let _ole = token_of(
        &post_strings(
            &app,
            "/api/veranstaltung/anmelden",
            &register(
                "Ole Sens",
                "ole@example.de",
                "SenseAI",
                "startup",
                "Sensorik, KI",
                "Pilotkunden",
            ),
            None,
        )
        .await,
    );
    let _kai = token_of(
        &post_strings(
            &app,
            "/api/veranstaltung/anmelden",
            &register(
                "Kai Roth",
                "kai@example.de",
                "roth fräsen",
                "mittelstand",
                "Sensorik",
                "",
            ),
            None,
        )
        .await,
    );

    let list_path = format!("/api/veranstaltung/teilnehmende?slug={slug}&token={eva}");
    let list = json(&app.get(&list_path, None).await);
    let people = list["people"].as_array().unwrap();
    assert_eq!(people.len(), 2, "everyone but Eva");
    assert!(
        people.iter().all(|p| p.get("email").is_none()),
        "no addresses for other participants"
    );
    let ole = people
        .iter()
        .find(|p| p["person_name"] == "Ole Sens")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let kai = people
        .iter()
        .find(|p| p["person_name"] == "Kai Roth")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let suggestions = list["suggestions"].as_array().unwrap();
    assert_eq!(
        suggestions.len(),
        1,
        "her colleague from the same organisation is never suggested"
    );
    assert_eq!(suggestions[0]["id"].as_i64(), Some(ole));
    let reasons = suggestions[0]["reasons"].to_string();
    assert!(
        reasons.contains("sensorik") && reasons.contains("Partner"),
        "{reasons}"
    );
    assert!(reasons.contains("Kinds"), "{reasons}");

    let wish = |other: i64, wish: &str| {
        vec![
            ("slug".to_owned(), slug.clone()),
            ("token".to_owned(), eva.clone()),
            ("other".to_owned(), other.to_string()),
            ("wish".to_owned(), wish.to_owned()),
        ]
    };
    let send = |form: Vec<(String, String)>| {
        let app = &app;
        async move {
            post_strings(app, "/api/veranstaltung/wunsch", &form, None)
                .await
                .status
        }
    };
    let suggested = || async {
        json(&app.get(&list_path, None).await)["suggestions"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(send(wish(ole, "muss")).await, StatusCode::OK);
    let list = json(&app.get(&list_path, None).await);
    let ole_entry = list["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"].as_i64() == Some(ole))
        .unwrap()
        .clone();
    assert_eq!(ole_entry["wish"], "must_meet");
    assert!(list["suggestions"][0]["reasons"]
        .to_string()
        .contains("Wished"));
    assert_eq!(send(wish(ole, "nein")).await, StatusCode::OK);
    assert_eq!(suggested().await, 0, "no thanks removes the suggestion");
    assert_eq!(send(wish(ole, "")).await, StatusCode::OK);
    assert_eq!(suggested().await, 1);

    let me: i64 = sqlx::query_scalar("SELECT id FROM registrations WHERE email = 'eva@example.de'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        send(wish(me, "gern")).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        send(wish(kai, "bestimmt")).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(send(wish(999_999, "gern")).await, StatusCode::NOT_FOUND);
    let mut stranger = wish(kai, "gern");
    stranger[1].1 = "f".repeat(64);
    assert_eq!(send(stranger).await, StatusCode::NOT_FOUND);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM wishes")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0, "refused wishes change nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rounds_are_planned_from_the_people_present_without_repeats() {
    use crate::db::today;
    use crate::domain::date::format_date;
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let (_, participant) = app.account(Role::Participant).await;
    let day = format_date(crate::domain::date::add_days(today(), 3));
    let mut form = event_form("Rundenabend", &day);
    for (key, value) in form.iter_mut() {
        if key == "event[rounds]" {
            *value = "2".to_owned();
        }
    }
    assert_done(
        &post_strings(
            &app,
            "/api/veranstaltung/speichern",
            &form,
            Some(&organiser),
        )
        .await,
    );
    let slug = format!("rundenabend-{}", &day[..4]);
    let step = |status: &str| {
        [
            ("slug".to_owned(), slug.clone()),
            ("status".to_owned(), status.to_owned()),
        ]
    };
    assert_done(
        &post_strings(
            &app,
            "/api/veranstaltung/status",
            &step("open"),
            Some(&organiser),
        )
        .await,
    );
    let mut tokens = Vec::new();
    for n in 0..5 {
        let mut form = registration_form(
            &slug,
            &format!("Person {n}"),
            &format!("person{n}@example.de"),
            true,
        );
        for (key, value) in form.iter_mut() {
            if key == "registration[organisation]" {
                *value = format!("Organisation {n}");
            }
        }
        tokens.push(token_of(
            &post_strings(&app, "/api/veranstaltung/anmelden", &form, None).await,
        ));
    }
    let desk = json(
        &app.get(
            &format!("/api/veranstaltung/einlass?slug={slug}&search="),
            Some(&organiser),
        )
        .await,
    );
    let ids: Vec<String> = desk["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap().to_string())
        .collect();
    // Four of the five come; "Person 4" stays away.
    for id in &ids[..4] {
        let form = [
            ("slug".to_owned(), slug.clone()),
            ("id".to_owned(), id.clone()),
            ("present".to_owned(), "true".to_owned()),
        ];
        assert_eq!(
            post_strings(
                &app,
                "/api/veranstaltung/einlass/buchen",
                &form,
                Some(&organiser)
            )
            .await
            .status,
            StatusCode::OK
        );
    }
    let plan = [
        ("slug".to_owned(), slug.clone()),
        ("again".to_owned(), "false".to_owned()),
    ];
    let early = post_strings(
        &app,
        "/api/veranstaltung/runde/planen",
        &plan,
        Some(&organiser),
    )
    .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(early.body.contains("EventNotLive"), "{}", early.body);
    assert_done(
        &post_strings(
            &app,
            "/api/veranstaltung/status",
            &step("live"),
            Some(&organiser),
        )
        .await,
    );
    assert_eq!(
        post_strings(
            &app,
            "/api/veranstaltung/runde/planen",
            &plan,
            Some(&participant)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    for number in 1..=2 {
        if number == 2 {
            run_round(&app, &slug, &organiser).await;
        }
        let planned = post_strings(
            &app,
            "/api/veranstaltung/runde/planen",
            &plan,
            Some(&organiser),
        )
        .await;
        assert_eq!(planned.body, number.to_string(), "{}", planned.status);
        let again = post_strings(
            &app,
            "/api/veranstaltung/runde/planen",
            &plan,
            Some(&organiser),
        )
        .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(again.body.contains("RoundStillOpen"), "{}", again.body);
    }
    run_round(&app, &slug, &organiser).await;
    let third = post_strings(
        &app,
        "/api/veranstaltung/runde/planen",
        &plan,
        Some(&organiser),
    )
    .await;
    assert_eq!(third.status, StatusCode::CONFLICT);
    assert!(third.body.contains("AllRoundsPlanned"), "{}", third.body);

    let console_path = format!("/api/veranstaltung/konsole?slug={slug}");
    assert_eq!(
        app.get(&console_path, Some(&participant)).await.status,
        StatusCode::FORBIDDEN
    );
    let console = json(&app.get(&console_path, Some(&organiser)).await);
    assert_eq!(console["live"]["present"], 4);
    let rounds = console["rounds"].as_array().unwrap();
    assert_eq!(
        rounds
            .iter()
            .map(|r| r["number"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![2, 1]
    );
    let mut pairs = std::collections::HashSet::new();
    for round in rounds {
        let tables = round["tables"].as_array().unwrap();
        assert_eq!(tables.len(), 2, "four people, two tables");
        assert!(round["resting"].as_array().unwrap().is_empty());
        let mut seen = std::collections::HashSet::new();
        for table in tables {
            let names: Vec<&str> = table["people"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["person_name"].as_str().unwrap())
                .collect();
            assert_eq!(names.len(), 2);
            assert!(
                !names.contains(&"Person 4"),
                "only people in the room are planned"
            );
            assert!(
                names.iter().all(|n| seen.insert(n.to_string())),
                "nobody twice in a round"
            );
            assert!(
                pairs.insert((names[0].to_owned(), names[1].to_owned())),
                "no pair meets twice"
            );
        }
    }

    let mine = json(
        &app.get(
            &format!("/api/veranstaltung/ich?slug={slug}&token={}", tokens[0]),
            None,
        )
        .await,
    );
    let latest = &mine["meetings"][0];
    assert_eq!(latest["round"], 2);
    assert!(latest["table"].as_i64().is_some());
    assert_eq!(latest["partners"].as_array().unwrap().len(), 1);
    assert!(latest["partners"][0].get("email").is_none());
    assert_eq!(mine["meetings"].as_array().unwrap().len(), 2);
    let absent = json(
        &app.get(
            &format!("/api/veranstaltung/ich?slug={slug}&token={}", tokens[4]),
            None,
        )
        .await,
    );
    assert_eq!(
        absent["meetings"],
        serde_json::json!([]),
        "not in the room, not in a round"
    );
}

/// A live event with people registered from `organisations` (one person each, named after the
/// letter of their place); the first `present` of them are checked in. Returns the slug, the
/// personal tokens and the registration ids, in that order.
async fn live_event(
    app: &TestApp,
    organiser: &str,
    title: &str,
    organisations: &[&str],
    present: usize,
) -> (String, Vec<String>, Vec<String>) {
    event_with(app, organiser, title, &[], organisations, present).await
}

/// Like [`live_event`], with some fields of the event form set to other values.
async fn event_with(
    app: &TestApp,
    organiser: &str,
    title: &str,
    fields: &[(&str, &str)],
    organisations: &[&str],
    present: usize,
) -> (String, Vec<String>, Vec<String>) {
    use crate::db::today;
    use crate::domain::date::format_date;
    let day = format_date(crate::domain::date::add_days(today(), 2));
    let mut form = event_form(title, &day);
    for (key, value) in fields {
        form.retain(|(k, _)| k != &format!("event[{key}]"));
        form.push((format!("event[{key}]"), (*value).to_owned()));
    }
    assert_done(&post_strings(app, "/api/veranstaltung/speichern", &form, Some(organiser)).await);
    let slug: String = sqlx::query_scalar("SELECT slug FROM events WHERE title = $1")
        .bind(title)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let step = |status: &str| {
        [
            ("slug".to_owned(), slug.clone()),
            ("status".to_owned(), status.to_owned()),
        ]
    };
    assert_done(
        &post_strings(
            app,
            "/api/veranstaltung/status",
            &step("open"),
            Some(organiser),
        )
        .await,
    );
    let mut tokens = Vec::new();
    let mut ids = Vec::new();
    for (n, organisation) in organisations.iter().enumerate() {
        let name = format!("Person {}", (b'A' + n as u8) as char);
        let mut form = registration_form(&slug, &name, &format!("p{n}@example.de"), true);
        for (key, value) in form.iter_mut() {
            if key == "registration[organisation]" {
                *value = (*organisation).to_owned();
            }
        }
        tokens.push(token_of(
            &post_strings(app, "/api/veranstaltung/anmelden", &form, None).await,
        ));
        let id: i64 = sqlx::query_scalar("SELECT id FROM registrations WHERE email = $1")
            .bind(format!("p{n}@example.de"))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        ids.push(id.to_string());
    }
    for id in &ids[..present] {
        check_in_person(app, &slug, id, organiser).await;
    }
    assert_done(
        &post_strings(
            app,
            "/api/veranstaltung/status",
            &step("live"),
            Some(organiser),
        )
        .await,
    );
    (slug, tokens, ids)
}

async fn check_in_person(app: &TestApp, slug: &str, id: &str, organiser: &str) {
    let reply = app
        .post(
            "/api/veranstaltung/einlass/buchen",
            &[("slug", slug), ("id", id), ("present", "true")],
            Some(organiser),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

/// The next state the hub announces for an event, as JSON.
async fn next_state(
    announcements: &mut tokio::sync::broadcast::Receiver<std::sync::Arc<str>>,
) -> serde_json::Value {
    let state = tokio::time::timeout(std::time::Duration::from_secs(10), announcements.recv())
        .await
        .expect("an announcement within 10 s")
        .expect("the hub is open");
    serde_json::from_str(&state).expect("state JSON")
}

/// Who sits at which table in the console's latest round: (table, registration id).
fn seating(console: &serde_json::Value) -> Vec<(i64, i64)> {
    let mut seats: Vec<(i64, i64)> = console["rounds"][0]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|table| {
            table["people"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (table["table"].as_i64().unwrap(), p["id"].as_i64().unwrap()))
        })
        .collect();
    seats.sort();
    seats
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_round_runs_its_clock_and_ends_in_feedback_a_report_and_map_connections() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let (_, participant) = app.account(Role::Participant).await;
    let known: String = sqlx::query_scalar("SELECT name FROM actors ORDER BY id LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let organisations = [
        known.as_str(),
        "Neue Fräserei Kraichgau",
        "Sensorik Start",
        "Labor Nord",
        "Spät GmbH",
        "Noch Später AG",
    ];
    let (slug, tokens, ids) = live_event(&app, &organiser, "Live-Abend", &organisations, 4).await;
    app.state.part::<Hub>().ready().await;
    let mut announcements = app.state.part::<Hub>().subscribe(&slug);
    let post = |path: &'static str, form: Vec<(&'static str, String)>, cookie: Option<String>| {
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post(path, &pairs, cookie.as_deref()).await
        }
    };
    let org = Some(organiser.clone());
    let clock = |command: &str| vec![("slug", slug.clone()), ("command", command.to_owned())];

    // Planned: the tables are known, the clock waits.
    let planned = post(
        "/api/veranstaltung/runde/planen",
        vec![("slug", slug.clone()), ("again", "false".into())],
        org.clone(),
    )
    .await;
    assert_eq!(planned.body, "1", "{}", planned.status);
    // On PostgreSQL the check-ins' announcements travel through NOTIFY and may arrive after the
    // subscription: skip to the first state with a round.
    let state = loop {
        let state = next_state(&mut announcements).await;
        if !state["round"].is_null() {
            break state;
        }
    };
    assert_eq!(state["round"]["number"], 1);
    assert_eq!(state["round"]["phase"], "Planned");
    assert_eq!(state["present"], 4);

    let mine_path = format!("/api/veranstaltung/ich?slug={slug}&token={}", tokens[0]);
    let mine = json(&app.get(&mine_path, None).await);
    let meeting = mine["meetings"][0]["meeting_id"]
        .as_i64()
        .unwrap()
        .to_string();
    assert!(
        !mine["meetings"][0]["reasons"]
            .as_array()
            .unwrap()
            .is_empty(),
        "talking points for the meeting"
    );
    let feedback = |token: &str, meeting: &str, rating: &str, follow_up: bool| {
        let mut form = vec![
            ("slug", slug.clone()),
            ("token", token.to_owned()),
            ("meeting", meeting.to_owned()),
            ("rating", rating.to_owned()),
        ];
        if follow_up {
            form.push(("follow_up", "on".to_owned()));
        }
        post("/api/veranstaltung/rueckmeldung", form, None)
    };
    let early = feedback(&tokens[0], &meeting, "5", true).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(early.body.contains("MeetingNotOver"), "{}", early.body);

    // The clock: refused out of order, then start, pause, resume.
    let refused = post("/api/veranstaltung/runde/uhr", clock("pause"), org.clone()).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("RoundStepInvalid"),
        "{}",
        refused.body
    );
    assert_eq!(
        post("/api/veranstaltung/runde/uhr", clock("los"), org.clone())
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        post(
            "/api/veranstaltung/runde/uhr",
            clock("start"),
            Some(participant.clone())
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    for (command, phase) in [
        ("start", "Running"),
        ("pause", "Paused"),
        ("weiter", "Running"),
    ] {
        let reply = post("/api/veranstaltung/runde/uhr", clock(command), org.clone()).await;
        assert_eq!(reply.status, StatusCode::OK, "{command}: {}", reply.body);
        let state = next_state(&mut announcements).await;
        assert_eq!(state["round"]["phase"], phase, "{command}");
        let remaining = state["round"]["remaining_secs"].as_i64().unwrap();
        assert!((470..=480).contains(&remaining), "{remaining}");
    }

    // Latecomers: two arrive and get the free tables.
    let console_path = format!("/api/veranstaltung/konsole?slug={slug}");
    for id in &ids[4..] {
        check_in_person(&app, &slug, id, &organiser).await;
        assert!(next_state(&mut announcements).await["present"].as_i64() > Some(4));
    }
    let console = json(&app.get(&console_path, Some(&organiser)).await);
    assert_eq!(console["waiting"].as_array().unwrap().len(), 2);
    let seated = post(
        "/api/veranstaltung/runde/nachzuegler",
        vec![("slug", slug.clone())],
        org.clone(),
    )
    .await;
    assert_eq!(seated.body, "2", "{}", seated.status);
    assert_eq!(next_state(&mut announcements).await["round"]["seating"], 1);
    let console = json(&app.get(&console_path, Some(&organiser)).await);
    assert!(console["waiting"].as_array().unwrap().is_empty());
    let before = seating(&console);
    assert_eq!(before.len(), 6, "everyone seated: {before:?}");
    let nobody = post(
        "/api/veranstaltung/runde/nachzuegler",
        vec![("slug", slug.clone())],
        org.clone(),
    )
    .await;
    assert_eq!(nobody.status, StatusCode::CONFLICT);
    assert!(nobody.body.contains("NobodyWaiting"), "{}", nobody.body);

    // The organisers' override: two people of different tables swap places.
    let (first, second) = (
        before[0],
        *before.iter().find(|s| s.0 != before[0].0).unwrap(),
    );
    let swap = |a: i64, b: i64| {
        vec![
            ("slug", slug.clone()),
            ("first", a.to_string()),
            ("second", b.to_string()),
        ]
    };
    let same = post(
        "/api/veranstaltung/runde/tauschen",
        swap(first.1, first.1),
        org.clone(),
    )
    .await;
    assert_eq!(same.status, StatusCode::CONFLICT);
    let swapped = post(
        "/api/veranstaltung/runde/tauschen",
        swap(first.1, second.1),
        org.clone(),
    )
    .await;
    assert_eq!(swapped.status, StatusCode::OK, "{}", swapped.body);
    assert_eq!(next_state(&mut announcements).await["round"]["seating"], 2);
    let after = seating(&json(&app.get(&console_path, Some(&organiser)).await));
    assert!(after.contains(&(second.0, first.1)) && after.contains(&(first.0, second.1)));

    let ended = post("/api/veranstaltung/runde/uhr", clock("ende"), org.clone()).await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    assert_eq!(
        next_state(&mut announcements).await["round"]["phase"],
        "Ended"
    );

    // Feedback: both sides of one meeting want to follow up, one side of another.
    let console = json(&app.get(&console_path, Some(&organiser)).await);
    let tables = console["rounds"][0]["tables"].as_array().unwrap().clone();
    let token_of_id =
        |id: i64| tokens[ids.iter().position(|i| *i == id.to_string()).unwrap()].clone();
    let people_at = |table: &serde_json::Value| -> Vec<i64> {
        table["people"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect()
    };
    let (mutual, one_sided) = (&tables[0], &tables[1]);
    let mutual_meeting = mutual["meeting"].as_i64().unwrap().to_string();
    let pair = people_at(mutual);
    let bad = feedback(&token_of_id(pair[0]), &mutual_meeting, "9", true).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    for (person, rating) in pair.iter().zip(["5", "4"]) {
        let reply = feedback(&token_of_id(*person), &mutual_meeting, rating, true).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let other = people_at(one_sided);
    let one_sided_meeting = one_sided["meeting"].as_i64().unwrap().to_string();
    assert_eq!(
        feedback(&token_of_id(other[0]), &one_sided_meeting, "3", true)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        feedback(&token_of_id(other[1]), &one_sided_meeting, "2", false)
            .await
            .status,
        StatusCode::OK
    );
    let stranger = feedback(&token_of_id(other[0]), &mutual_meeting, "5", true).await;
    assert_eq!(
        stranger.status,
        StatusCode::NOT_FOUND,
        "only one's own meetings"
    );

    let report_path = format!("/api/veranstaltung/bericht?slug={slug}");
    assert_eq!(
        app.get(&report_path, Some(&participant)).await.status,
        StatusCode::FORBIDDEN
    );
    let report = json(&app.get(&report_path, Some(&organiser)).await);
    assert_eq!(report["meetings_held"], 3);
    assert_eq!(report["rounds_held"], 1);
    assert_eq!(report["ratings"], 4);
    assert_eq!(report["average_rating_tenths"], 35);
    assert_eq!(report["one_sided"], 1);
    assert_eq!(report["follow_ups"].as_array().unwrap().len(), 1);
    assert_eq!(report["follow_ups"][0]["confirmed"], false);

    // Confirmed, the follow-up becomes a tandem connection of this event on the map.
    let revision = || async {
        sqlx::query_scalar::<_, i64>("SELECT revision FROM network_revision")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    let revision_before = revision().await;
    let (low, high) = (pair[0].min(pair[1]), pair[0].max(pair[1]));
    let confirm = || {
        vec![
            ("slug", slug.clone()),
            ("first", high.to_string()),
            ("second", low.to_string()),
        ]
    };
    assert_eq!(
        post(
            "/api/veranstaltung/folgekontakt",
            confirm(),
            Some(participant.clone())
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let not_mutual = post(
        "/api/veranstaltung/folgekontakt",
        vec![
            ("slug", slug.clone()),
            ("first", other[0].to_string()),
            ("second", other[1].to_string()),
        ],
        org.clone(),
    )
    .await;
    assert_eq!(not_mutual.status, StatusCode::CONFLICT);
    let confirmed = post("/api/veranstaltung/folgekontakt", confirm(), org.clone()).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let twice = post("/api/veranstaltung/folgekontakt", confirm(), org.clone()).await;
    assert!(twice.body.contains("FollowUpConfirmed"), "{}", twice.body);
    assert!(revision().await > revision_before, "the map hears of it");
    let (kind, origin): (String, String) = sqlx::query_as(
        "SELECT c.kind, c.origin FROM connections c JOIN events e ON e.id = c.event_id \
         WHERE e.slug = $1",
    )
    .bind(&slug)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((kind.as_str(), origin.as_str()), ("tandem", "Live-Abend"));
    let linked: Vec<(Option<i64>, String)> =
        sqlx::query_as("SELECT actor_id, organisation FROM registrations WHERE id = $1 OR id = $2")
            .bind(low)
            .bind(high)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    for (actor, organisation) in &linked {
        let (name, public): (String, i64) =
            sqlx::query_as("SELECT name, is_public FROM actors WHERE id = $1")
                .bind(actor.expect("linked to an actor"))
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(&name, organisation);
        if *organisation != known {
            assert_eq!(public, 0, "new actors wait for consent");
        }
    }
    let report = json(&app.get(&report_path, Some(&organiser)).await);
    assert_eq!(report["follow_ups"][0]["confirmed"], true);

    // The meetings as CSV for organisers; a participant's schedule as iCalendar.
    let csv_path = format!("/veranstaltungen/{slug}/bericht/csv");
    assert_eq!(
        app.get(&csv_path, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let csv = app.get(&csv_path, Some(&organiser)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv
        .body
        .starts_with("\u{feff}runde;tisch;name;organisation"));
    assert_eq!(csv.body.lines().count(), 1 + 6, "{}", csv.body);
    let ics = app
        .get(
            &format!("/veranstaltungen/{slug}/ich/{}/kalender.ics", tokens[0]),
            None,
        )
        .await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(ics.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    assert_eq!(ics.body.matches("BEGIN:VEVENT").count(), 2, "{}", ics.body);
    assert!(
        ics.body.contains("SUMMARY:Runde 1\\, Tisch"),
        "{}",
        ics.body
    );
    assert_eq!(
        app.get(
            &format!("/veranstaltungen/{slug}/ich/falsch/kalender.ics"),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    // A planned round can be planned again until it starts.
    let plan = |again: &str| vec![("slug", slug.clone()), ("again", again.to_owned())];
    assert_eq!(
        post(
            "/api/veranstaltung/runde/planen",
            plan("false"),
            org.clone()
        )
        .await
        .body,
        "2"
    );
    assert_eq!(
        post("/api/veranstaltung/runde/planen", plan("true"), org.clone())
            .await
            .body,
        "2"
    );
    assert_eq!(
        post("/api/veranstaltung/runde/uhr", clock("start"), org.clone())
            .await
            .status,
        StatusCode::OK
    );
    let late = post("/api/veranstaltung/runde/planen", plan("true"), org.clone()).await;
    assert!(late.body.contains("RoundAlreadyStarted"), "{}", late.body);
}

/// The next state a live socket sends (heartbeats skipped), as JSON.
async fn next_message<S, E>(socket: &mut S) -> serde_json::Value
where
    S: futures_util::Stream<Item = Result<tokio_tungstenite::tungstenite::Message, E>> + Unpin,
    E: std::fmt::Debug,
{
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    loop {
        let message = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")
            .expect("open")
            .expect("readable");
        if let Message::Text(text) = message {
            if text.as_str() != crate::events::server::live::HEARTBEAT_TEXT {
                return serde_json::from_str(text.as_str()).expect("state JSON");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_socket_sends_the_state_at_once_and_after_every_change() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let (slug, _, ids) = live_event(
        &app,
        &organiser,
        "Socket-Abend",
        &["Erste AG", "Zweite GmbH"],
        1,
    )
    .await;
    let (address, server) = app.serve_on_loopback().await;
    let url = format!("ws://{address}/live/veranstaltungen/{slug}");
    let (mut socket, _) = tokio_tungstenite::connect_async(&url)
        .await
        .expect("connect");
    let first = next_message(&mut socket).await;
    assert_eq!(first["status"], "live");
    assert_eq!(first["present"], 1);
    assert!(first["round"].is_null());
    check_in_person(&app, &slug, &ids[1], &organiser).await;
    assert_eq!(next_message(&mut socket).await["present"], 2);

    // Unknown events have no socket (drafts only for organisers, see `ui_quality`).
    let missing = format!("ws://{address}/live/veranstaltungen/gibt-es-nicht");
    assert!(tokio_tungstenite::connect_async(&missing).await.is_err());

    // Another site's page may not listen in.
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut foreign = url.as_str().into_client_request().unwrap();
    foreign
        .headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    match tokio_tungstenite::connect_async(foreign).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), StatusCode::FORBIDDEN)
        }
        other => panic!("a foreign origin was not refused: {:?}", other.map(|_| ())),
    }

    // A screen sends no more than a few bytes: a big message closes its socket.
    use futures_util::{SinkExt, StreamExt};
    socket
        .send(tokio_tungstenite::tungstenite::Message::text(
            "x".repeat(4096),
        ))
        .await
        .unwrap();
    let closed = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        loop {
            match socket.next().await {
                None
                | Some(Err(_))
                | Some(Ok(tokio_tungstenite::tungstenite::Message::Close(_))) => break,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the oversized message ended the socket");
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_instance_hears_the_announcements_of_the_others() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let (slug, _, _) = live_event(&app, &organiser, "Zwei-Instanzen", &["Eins AG"], 1).await;
    let second = crate::server::state(
        LeptosOptions::builder().output_name("tandem").build(),
        Db::connect(&app.state.config.database_url).await.unwrap(),
        Config::new(
            app.state.config.database_url.clone(),
            "127.0.0.1:3001".parse().unwrap(),
            None,
            DEFAULT_TILE_URL.into(),
            CookieSecurity::Auto,
            TrustProxy::Off,
        )
        .unwrap(),
    );
    app.state.part::<Hub>().ready().await;
    second.part::<Hub>().ready().await;
    let mut here = app.state.part::<Hub>().subscribe(&slug);
    let mut there = second.part::<Hub>().subscribe(&slug);
    app.state.part::<Hub>().announce(&app.db, &slug).await;
    assert_eq!(next_state(&mut here).await["present"], 1);
    match app.db.backend {
        // PostgreSQL carries the announcement to the other instance.
        Backend::Postgres => {
            assert_eq!(next_state(&mut there).await["present"], 1);
            second.part::<Hub>().announce(&second.db, &slug).await;
            assert_eq!(next_state(&mut here).await["present"], 1);
        }
        // An SQLite file belongs to one instance: nothing crosses over.
        Backend::Sqlite => assert!(there.try_recv().is_err()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bookable_slots_are_requested_answered_and_placed_with_breaks() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let (slug, tokens, ids) = event_with(
        &app,
        &organiser,
        "Terminbörse",
        &[
            ("format", "termine"),
            ("rounds", "3"),
            ("tables", "1"),
            ("round_minutes", "15"),
            ("break_after", "2"),
        ],
        &["Alpha AG", "Beta GmbH", "Gamma KG", "Delta eG"],
        0,
    )
    .await;
    let (a, b, c, d) = (0, 1, 2, 3);
    let request = |from: usize, to: usize| {
        let form = [
            ("slug".to_owned(), slug.clone()),
            ("token".to_owned(), tokens[from].clone()),
            ("other".to_owned(), ids[to].clone()),
        ];
        let app = &app;
        async move { post_strings(app, "/api/veranstaltung/anfrage", &form, None).await }
    };
    let answer = |by: usize, request: i64, accept: bool| {
        let form = [
            ("slug".to_owned(), slug.clone()),
            ("token".to_owned(), tokens[by].clone()),
            ("request".to_owned(), request.to_string()),
            ("accept".to_owned(), accept.to_string()),
        ];
        let app = &app;
        async move { post_strings(app, "/api/veranstaltung/anfrage/antwort", &form, None).await }
    };
    let requests_of = |person: usize| {
        let path = format!(
            "/api/veranstaltung/ich?slug={slug}&token={}",
            tokens[person]
        );
        let app = &app;
        async move { json(&app.get(&path, None).await)["requests"].clone() }
    };
    assert_eq!(request(a, b).await.status, StatusCode::OK);
    let twice = request(b, a).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.body.contains("AlreadyRequested"), "{}", twice.body);
    assert_eq!(request(a, a).await.status, StatusCode::NOT_FOUND);
    for (from, to) in [(c, a), (d, a), (c, b), (d, b)] {
        assert_eq!(request(from, to).await.status, StatusCode::OK);
    }
    let incoming = |requests: &serde_json::Value, from: usize| {
        requests
            .as_array()
            .unwrap()
            .iter()
            .find(|r| {
                r["incoming"] == true && r["other"]["id"] == ids[from].parse::<i64>().unwrap()
            })
            .map(|r| r["id"].as_i64().unwrap())
            .expect("the request arrived")
    };
    let of_b = requests_of(b).await;
    let a_to_b = incoming(&of_b, a);
    assert_eq!(
        answer(a, a_to_b, true).await.status,
        StatusCode::NOT_FOUND,
        "only the recipient answers"
    );
    assert_eq!(answer(b, a_to_b, true).await.status, StatusCode::OK);
    assert_eq!(
        answer(b, a_to_b, false).await.status,
        StatusCode::NOT_FOUND,
        "answered once"
    );
    let of_a = requests_of(a).await;
    assert_eq!(
        answer(a, incoming(&of_a, c), false).await.status,
        StatusCode::OK
    );
    assert_eq!(
        answer(a, incoming(&of_a, d), true).await.status,
        StatusCode::OK
    );
    assert_eq!(
        answer(b, incoming(&of_b, c), true).await.status,
        StatusCode::OK
    );
    assert_eq!(
        answer(b, incoming(&of_b, d), true).await.status,
        StatusCode::OK
    );

    // One table, three slots of 15 minutes, a break after two meetings in a row.
    let schedule = [("slug".to_owned(), slug.clone())];
    let placed = post_strings(
        &app,
        "/api/veranstaltung/termine/einplanen",
        &schedule,
        Some(&organiser),
    )
    .await;
    assert_eq!(placed.body, "[3,1]", "{}", placed.status);
    let console = json(
        &app.get(
            &format!("/api/veranstaltung/konsole?slug={slug}"),
            Some(&organiser),
        )
        .await,
    );
    assert_eq!(console["format"], "Slots");
    assert_eq!(console["slots"]["waiting"], 1);
    assert_eq!(console["slots"]["declined"], 1);
    let booked: Vec<(String, i64)> = console["slots"]["booked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["place"]["time"].as_str().unwrap().to_owned(),
                b["place"]["table"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        booked,
        vec![
            ("16:00".into(), 1),
            ("16:15".into(), 1),
            ("16:30".into(), 1)
        ]
    );
    let again = post_strings(
        &app,
        "/api/veranstaltung/termine/einplanen",
        &schedule,
        Some(&organiser),
    )
    .await;
    assert_eq!(
        again.body, "[0,1]",
        "placed meetings stay, the full grid stays full"
    );
    let times: Vec<String> = requests_of(a)
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["place"]["time"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(times, vec!["16:00", "16:15"]);
    let ics = app
        .get(
            &format!("/veranstaltungen/{slug}/ich/{}/kalender.ics", tokens[a]),
            None,
        )
        .await;
    assert_eq!(
        ics.body.matches("SUMMARY:Termin\\, Tisch 1").count(),
        2,
        "{}",
        ics.body
    );
    assert!(ics.body.contains("T161500\r\n"), "{}", ics.body);

    // Live rounds do not mix with booked slots.
    let plan = [
        ("slug".to_owned(), slug.clone()),
        ("again".to_owned(), "false".to_owned()),
    ];
    let refused = post_strings(
        &app,
        "/api/veranstaltung/runde/planen",
        &plan,
        Some(&organiser),
    )
    .await;
    assert!(refused.body.contains("SlotsEvent"), "{}", refused.body);
}

mod cases;
mod hardening;
mod ui_quality;
