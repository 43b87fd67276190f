//! Integration tests of someone hostile on the internet: scripts without a form, password
//! guessing and floods, forged proxy headers, return addresses that lead elsewhere, missing
//! security headers and oversized bodies.

use super::hardening::count;
use super::hardening::in_parallel;
use super::hardening::open_event;
use super::hardening::pairs;
use super::hardening::person;
use super::hardening::REGISTERED;
use super::hardening::VENUE;
use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scripts_without_the_form_are_refused_and_change_nothing() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let slug = open_event(&app, &organiser, "Nur mit Formular").await;
    let other = open_event(&app, &organiser, "Ein anderes Treffen").await;
    let send = |form: Vec<(String, String)>| {
        let app = app.clone();
        async move {
            app.post_from(
                Some(VENUE),
                "/api/veranstaltung/anmelden",
                &pairs(&form),
                None,
            )
            .await
        }
    };
    let with = |n: usize, key: &str, value: &str| {
        let mut form = person(&slug, n);
        form.push((key.to_owned(), value.to_owned()));
        form
    };
    let no_token = send(with(1, "form_token", "")).await;
    assert_eq!(no_token.status, StatusCode::CONFLICT);
    assert!(no_token.body.contains("FormExpired"), "{}", no_token.body);
    let forged = send(with(2, "form_token", "123:abc.0000")).await;
    assert_eq!(forged.status, StatusCode::CONFLICT);
    let elsewhere = app
        .state
        .public_form_token(&format!("anmeldung:{other}"))
        .await
        .unwrap();
    assert_eq!(
        send(with(3, "form_token", &elsewhere)).await.status,
        StatusCode::CONFLICT
    );
    let honeypot = send(with(4, "leave_empty", "https://spam.example")).await;
    assert_eq!(honeypot.status, StatusCode::CONFLICT);
    assert!(honeypot.body.contains("FormRefused"), "{}", honeypot.body);
    assert_eq!(count(&app, REGISTERED, &slug).await, 0);

    // One rendered form carries a person and a few colleagues, not a script's hundreds.
    let token = app
        .state
        .public_form_token(&format!("anmeldung:{slug}"))
        .await
        .unwrap();
    for n in 10..20 {
        assert_done(&send(with(n, "form_token", &token)).await);
    }
    let eleventh = send(with(20, "form_token", &token)).await;
    assert_eq!(eleventh.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(eleventh.headers.contains_key(header::RETRY_AFTER));
    assert_eq!(count(&app, REGISTERED, &slug).await, 10);
}

fn cookies_set(reply: &Reply) -> Vec<String> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap().to_owned())
        .collect()
}

async fn login_from(
    app: &TestApp,
    ip: &str,
    email: &str,
    password: &str,
    cookie: Option<&str>,
) -> Reply {
    app.post_from(
        Some(ip),
        "/api/konto/anmelden",
        &[("email", email), ("password", password)],
        cookie,
    )
    .await
}

async fn organiser_account(app: &TestApp, email: &str) {
    app.account_with_password(email, "Olga Orga", Role::Organizer, "das-richtige-passwort")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_are_counted_before_the_password_is_checked() {
    let app = test_app().await;
    organiser_account(&app, "olga@example.de").await;
    let jobs = (0..20)
        .map(|_| {
            let app = app.clone();
            async move {
                login_from(
                    &app,
                    "198.51.100.7",
                    "olga@example.de",
                    "falsch-geraten",
                    None,
                )
                .await
            }
        })
        .collect();
    let replies = in_parallel(jobs, 20).await;
    let checked = replies
        .iter()
        .filter(|r| r.status == StatusCode::UNAUTHORIZED)
        .count();
    let refused = replies
        .iter()
        .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        (checked, refused),
        (5, 15),
        "only five guesses reach the password check"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attacker_cannot_lock_the_organiser_out() {
    let app = test_app().await;
    organiser_account(&app, "olga@example.de").await;
    // Olga signed in on her laptop before the event: it keeps a device cookie.
    let earlier = login_from(
        &app,
        "192.0.2.50",
        "olga@example.de",
        "das-richtige-passwort",
        None,
    )
    .await;
    assert_done(&earlier);
    let device = cookies_set(&earlier)
        .into_iter()
        .find(|c| c.starts_with("tandem_device="))
        .expect("a device cookie");

    for _ in 0..5 {
        login_from(&app, "6.6.6.6", "olga@example.de", "geraten", None).await;
    }
    let attacker = login_from(
        &app,
        "6.6.6.6",
        "olga@example.de",
        "das-richtige-passwort",
        None,
    )
    .await;
    assert_eq!(
        attacker.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the guessing address is locked"
    );
    let at_the_venue = login_from(
        &app,
        VENUE,
        "olga@example.de",
        "das-richtige-passwort",
        None,
    )
    .await;
    assert_done(&at_the_venue);

    // Guessing from a botnet locks the account for new devices, but not Olga's laptop.
    for n in 0..60 {
        login_from(
            &app,
            &format!("10.9.{}.{}", n / 100, n % 100 + 1),
            "olga@example.de",
            "geraten",
            None,
        )
        .await;
    }
    let new_phone = login_from(
        &app,
        "192.0.2.77",
        "olga@example.de",
        "das-richtige-passwort",
        None,
    )
    .await;
    assert_eq!(new_phone.status, StatusCode::TOO_MANY_REQUESTS);
    let laptop = login_from(
        &app,
        "192.0.2.77",
        "olga@example.de",
        "das-richtige-passwort",
        Some(&device),
    )
    .await;
    assert_done(&laptop);
    // Another account's device cookie is no key to this one.
    organiser_account(&app, "otto@example.de").await;
    let otto_device = login_from(
        &app,
        "192.0.2.50",
        "otto@example.de",
        "das-richtige-passwort",
        None,
    )
    .await;
    let otto_device = cookies_set(&otto_device)
        .into_iter()
        .find(|c| c.starts_with("tandem_device="))
        .unwrap();
    let borrowed = login_from(
        &app,
        "192.0.2.78",
        "olga@example.de",
        "das-richtige-passwort",
        Some(&otto_device),
    )
    .await;
    assert_eq!(borrowed.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_logins_waits_its_turn_or_is_told_to_retry() {
    let app = test_app().await;
    organiser_account(&app, "olga@example.de").await;
    let jobs = (0..200)
        .map(|n| {
            let app = app.clone();
            async move {
                login_from(
                    &app,
                    &format!("10.{}.{}.1", n / 200, n % 200),
                    &format!("bot{n}@example.de"),
                    "irgendein-passwort",
                    None,
                )
                .await
            }
        })
        .collect();
    let replies = in_parallel(jobs, 200).await;
    let mut busy = 0;
    for reply in &replies {
        match reply.status {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                busy += 1;
                assert!(reply.headers.contains_key(header::RETRY_AFTER));
            }
            other => panic!("unexpected {other}: {}", reply.body),
        }
    }
    assert!(
        busy > 0,
        "beyond the queue the answer is busy, not another hash in memory"
    );
    let legitimate = login_from(
        &app,
        VENUE,
        "olga@example.de",
        "das-richtige-passwort",
        None,
    )
    .await;
    assert_done(&legitimate);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_proxy_the_client_cannot_choose_its_address() {
    let app = test_app_with(None, TrustProxy::Hops(1)).await;
    organiser_account(&app, "olga@example.de").await;
    let guess = |forged: String| {
        let app = app.clone();
        async move {
            let body = "email=olga%40example.de&password=geraten";
            let mut request = Request::post("/api/konto/anmelden")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                // The client wrote the left part; the proxy appended the address it saw.
                .header("x-forwarded-for", format!("{forged}, 198.51.100.7"))
                .body(Body::from(body))
                .unwrap();
            request.extensions_mut().insert(axum::extract::ConnectInfo(
                "127.0.0.1:40000".parse::<std::net::SocketAddr>().unwrap(),
            ));
            app.send(request).await.status
        }
    };
    for n in 0..5 {
        assert_eq!(guess(format!("1.2.3.{n}")).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        guess("9.9.9.9".into()).await,
        StatusCode::TOO_MANY_REQUESTS,
        "a new forged address does not start a new count"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn return_addresses_stay_on_the_site() {
    let app = test_app().await;
    for target in [
        "%2F%09%2Fevil.example",
        "%2F%5Cevil.example",
        "%2F%252F%252Fevil.example",
        "%2F%2Fevil.example",
    ] {
        let reply = app
            .get(&format!("/sprache/en?zurueck={target}"), None)
            .await;
        assert_eq!(reply.headers[header::LOCATION], "/", "{target}");
    }
    app.account_with_password(
        "ben@example.de",
        "Ben",
        Role::Participant,
        "das-richtige-passwort",
    )
    .await;
    let reply = app
        .post(
            "/api/konto/anmelden",
            &[
                ("email", "ben@example.de"),
                ("password", "das-richtige-passwort"),
                ("next", "/\t/evil.example"),
            ],
            None,
        )
        .await;
    assert_eq!(reply.headers[header::LOCATION], "/konto");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_carries_the_security_headers() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let page = app.get("/karte", None).await;
    let header = |reply: &Reply, name: &str| {
        reply
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let policy = header(&page, "content-security-policy");
    assert!(policy.contains("script-src 'self' 'nonce-"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    let scripts = policy
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(
        !scripts.contains("unsafe-inline") && !scripts.contains("'unsafe-eval'"),
        "{scripts}"
    );
    assert_eq!(header(&page, "x-frame-options"), "DENY");
    assert_eq!(header(&page, "referrer-policy"), "same-origin");
    assert_eq!(header(&page, "x-content-type-options"), "nosniff");
    assert!(
        header(&page, "strict-transport-security").is_empty(),
        "not over http"
    );
    let embed = app.get("/einbetten/karte", None).await;
    assert!(header(&embed, "content-security-policy").contains("frame-ancestors *"));
    assert!(header(&embed, "x-frame-options").is_empty());

    // Over https: HSTS, and the session cookie bound to this very host.
    let https = test_app_with(Some("https://tandem.example"), TrustProxy::Off).await;
    https
        .account_with_password(
            "ben@example.de",
            "Ben",
            Role::Participant,
            "das-richtige-passwort",
        )
        .await;
    let signed_in = https.login("ben@example.de", "das-richtige-passwort").await;
    assert!(header(&signed_in, "strict-transport-security").starts_with("max-age="));
    let cookie = signed_in.set_cookie().unwrap();
    assert!(cookie.starts_with("__Host-tandem_session="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap();
    let me = https.get("/api/konto/ich", Some(session)).await;
    assert!(me.body.contains("ben@example.de"), "{}", me.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_are_refused_before_they_are_read() {
    let app = test_app().await;
    let huge = format!("email=a%40b.de&password={}", "x".repeat(3 * 1024 * 1024));
    let request = |declared: bool| {
        let mut request = Request::post("/api/konto/anmelden")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if declared {
            request = request.header(header::CONTENT_LENGTH, huge.len());
        }
        request.body(Body::from(huge.clone())).unwrap()
    };
    // Announced too large: refused at once.
    assert_eq!(
        app.send(request(true)).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // Streamed without a length: reading stops at the cap, and the call is refused.
    let streamed = app.send(request(false)).await;
    assert_eq!(
        streamed.status,
        StatusCode::BAD_REQUEST,
        "{}",
        streamed.body
    );
}
