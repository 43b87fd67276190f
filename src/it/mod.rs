//! Integration tests: the whole router in-process against a real database.
//!
//! The backend comes from `TANDEM_TEST_DATABASE`: unset for a fresh SQLite file per test, or a
//! `postgres://` URL of a server on which each test creates its own database. The test command
//! runs this module once per backend.

mod abuse;
mod accounts;
mod case_media;
mod cases;
mod evening;
mod events;
mod hardening;
mod live;
mod map;
mod organisations;
mod platform;
mod room_rules;
mod rounds;
mod schema;
mod ui_quality;

use crate::accounts::server::accounts::insert_account;
use crate::accounts::server::passwords::hash_password;
use crate::accounts::server::sessions::create_session;
use crate::config::TrustProxy;
use crate::db::{now_secs, Db};
use crate::demo::seed::seed_demo;
use crate::domain::role::Role;
use crate::events::server::live::Hub;
use crate::server::router;
use crate::state::AppState;
use crate::token::token_hash;
use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use axum::Router;
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
    let bind = "127.0.0.1:3000".parse().unwrap();
    let state = crate::testing::app_state_with(url, db.clone(), bind, public_url, trust_proxy);
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

fn json(reply: &Reply) -> serde_json::Value {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).expect("JSON")
}

fn query_arg(filter: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("filter", filter)
        .finish()
}

async fn tandem_bump(tx: &mut sqlx::Transaction<'_, sqlx::Any>) {
    crate::db::actors::bump_revision(tx).await.unwrap();
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
        ("event[tables][0][count]", "12"),
        ("event[tables][0][seats]", "3"),
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
        // "tables" and "seats" stand for the first (only) table group's count and seats.
        let key = match *key {
            "tables" => "tables][0][count",
            "seats" => "tables][0][seats",
            key => key,
        };
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
        let id: i64 = sqlx::query_scalar(
            "SELECT r.id FROM registrations r JOIN events e ON e.id = r.event_id \
             WHERE r.email = $1 AND e.slug = $2",
        )
        .bind(format!("p{n}@example.de"))
        .bind(&slug)
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

/// A phone's rounds behind its personal link (`veranstaltung/ich/runden`), as JSON.
async fn my_rounds(app: &TestApp, slug: &str, token: &str) -> serde_json::Value {
    json(
        &app.get(
            &format!("/api/veranstaltung/ich/runden?slug={slug}&token={token}"),
            None,
        )
        .await,
    )
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
            if text.as_str() != crate::domain::live::HEARTBEAT_TEXT {
                return serde_json::from_str(text.as_str()).expect("state JSON");
            }
        }
    }
}
