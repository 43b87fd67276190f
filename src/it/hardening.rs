//! Integration tests of an event day under load and abuse: writes at the same moment, a hall
//! behind one address, scripts without a form, password guessing and floods, forged proxy
//! headers, and return addresses that lead elsewhere.

use super::*;
use crate::db::today;
use crate::domain::date::format_date;
use crate::error::AppError;
use futures_util::future::join_all;

const VENUE: &str = "203.0.113.10";

/// An event open for registration; returns its slug.
async fn open_event(app: &TestApp, organiser: &str, title: &str) -> String {
    let form = event_form(
        title,
        &format_date(crate::domain::date::add_days(today(), 2)),
    );
    assert_done(&post_strings(app, "/api/veranstaltung/speichern", &form, Some(organiser)).await);
    let slug: String = sqlx::query_scalar("SELECT slug FROM events WHERE title = $1")
        .bind(title)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let open = [
        ("slug".to_owned(), slug.clone()),
        ("status".to_owned(), "open".to_owned()),
    ];
    assert_done(&post_strings(app, "/api/veranstaltung/status", &open, Some(organiser)).await);
    slug
}

fn person(slug: &str, n: usize) -> Vec<(String, String)> {
    let mut form = registration_form(
        slug,
        &format!("Person {n}"),
        &format!("person{n}@example.de"),
        true,
    );
    for (key, value) in form.iter_mut() {
        if key == "registration[organisation]" {
            *value = format!("Firma {n}");
        }
    }
    form
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

async fn count(app: &TestApp, sql: &str, slug: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(slug)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

const REGISTERED: &str =
    "SELECT COUNT(*) FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.slug = $1";
const PRESENT: &str = "SELECT COUNT(*) FROM registrations r JOIN events e ON e.id = r.event_id \
     WHERE e.slug = $1 AND r.checked_in_at IS NOT NULL";

/// Runs `jobs` with at most `at_once` in flight, like a crowd of phones on one network.
async fn in_parallel<F>(jobs: Vec<F>, at_once: usize) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let mut results = Vec::new();
    let mut jobs = jobs.into_iter().peekable();
    while jobs.peek().is_some() {
        let batch: Vec<_> = jobs.by_ref().take(at_once).map(tokio::spawn).collect();
        results.extend(join_all(batch).await.into_iter().map(Result::unwrap));
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hall_behind_one_address_registers_at_once() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let slug = open_event(&app, &organiser, "Kickoff im Saal").await;
    let jobs = (0..300)
        .map(|n| {
            let (app, form) = (app.clone(), person(&slug, n));
            async move {
                app.post_from(
                    Some(VENUE),
                    "/api/veranstaltung/anmelden",
                    &pairs(&form),
                    None,
                )
                .await
            }
        })
        .collect();
    let replies = in_parallel(jobs, 48).await;
    for reply in &replies {
        assert!(
            reply.status.is_success() || reply.status.is_redirection(),
            "{} {}",
            reply.status,
            reply.body
        );
    }
    assert_eq!(count(&app, REGISTERED, &slug).await, 300);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_desks_write_at_the_same_moment_without_errors() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let slug = open_event(&app, &organiser, "Vier Schalter").await;
    for n in 0..40 {
        assert_done(
            &post_strings(&app, "/api/veranstaltung/anmelden", &person(&slug, n), None).await,
        );
    }
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT r.id FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.slug = $1",
    )
    .bind(&slug)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let mut jobs: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = Reply> + Send>>> =
        Vec::new();
    for (desk, chunk) in ids.chunks(10).enumerate() {
        for &id in chunk {
            let (app, slug, organiser) = (app.clone(), slug.clone(), organiser.clone());
            jobs.push(Box::pin(async move {
                let id = id.to_string();
                app.post(
                    "/api/veranstaltung/einlass/buchen",
                    &[("slug", &slug), ("id", &id), ("present", "true")],
                    Some(&organiser),
                )
                .await
            }));
        }
        for walk_up in 0..15 {
            let (app, organiser) = (app.clone(), organiser.clone());
            let form = person(&slug, 1_000 + desk * 100 + walk_up);
            jobs.push(Box::pin(async move {
                app.post(
                    "/api/veranstaltung/einlass/anmelden",
                    &pairs(&form),
                    Some(&organiser),
                )
                .await
            }));
        }
    }
    // Desk by desk interleaved, all at once.
    for reply in in_parallel(jobs, 100).await {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    assert_eq!(count(&app, REGISTERED, &slug).await, 100);
    assert_eq!(count(&app, PRESENT, &slug).await, 100);
}

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

#[test]
fn contention_is_answered_busy_not_internal() {
    let busy = AppError::from(sqlx::Error::PoolTimedOut);
    assert_eq!(busy.status_code(), 503);
    assert!(busy.retry_after_secs().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_two_admins_cannot_demote_each_other_at_once() {
    let app = test_app().await;
    let (anna, anna_cookie) = app.account(Role::Admin).await;
    let (ben, ben_cookie) = app.account(Role::Admin).await;
    for _ in 0..8 {
        let demote = |cookie: String, whom: i64| {
            let app = app.clone();
            async move {
                let whom = whom.to_string();
                app.post(
                    "/api/admin/rolle",
                    &[("account_id", &whom), ("role", "organizer")],
                    Some(&cookie),
                )
                .await
                .status
            }
        };
        let (a, b) = tokio::join!(
            tokio::spawn(demote(anna_cookie.clone(), ben)),
            tokio::spawn(demote(ben_cookie.clone(), anna))
        );
        let statuses = [a.unwrap(), b.unwrap()];
        let admins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(admins, 1, "{statuses:?}");
        assert!(statuses.contains(&StatusCode::OK), "{statuses:?}");
        sqlx::query("UPDATE users SET role = 'admin' WHERE id IN ($1, $2)")
            .bind(anna)
            .bind(ben)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
}

/// A live event of six organisations, `present` of them checked in, with its first round
/// planned; answers the organiser's cookie, the slug and the registration ids.
async fn planned_round(
    app: &TestApp,
    title: &str,
    present: usize,
) -> (String, String, Vec<String>) {
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let organisations = [
        "Eins AG",
        "Zwei KG",
        "Drei GmbH",
        "Vier eG",
        "Fünf UG",
        "Sechs SE",
    ];
    let (slug, _, ids) = live_event(app, &organiser, title, &organisations, present).await;
    let plan = [
        ("slug".to_owned(), slug.clone()),
        ("again".to_owned(), "false".to_owned()),
    ];
    assert_done(
        &post_strings(
            app,
            "/api/veranstaltung/runde/planen",
            &plan,
            Some(&organiser),
        )
        .await,
    );
    (organiser, slug, ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_swaps_at_once_never_seat_anyone_twice() {
    let app = test_app().await;
    let (organiser, slug, ids) = planned_round(&app, "Tauschrunde", 6).await;
    for round in 0..6 {
        let console = json(
            &app.get(
                &format!("/api/veranstaltung/konsole?slug={slug}"),
                Some(&organiser),
            )
            .await,
        );
        let seats = seating(&console);
        let at = |i: usize| seats[i % seats.len()].1.to_string();
        // One person is moved by two organisers at once, to two different places.
        let (first, second, third) = (at(round), at(round + 2), at(round + 4));
        let swap = |other: String| {
            let (app, slug, organiser, first) =
                (app.clone(), slug.clone(), organiser.clone(), first.clone());
            async move {
                app.post(
                    "/api/veranstaltung/runde/tauschen",
                    &[("slug", &slug), ("first", &first), ("second", &other)],
                    Some(&organiser),
                )
                .await
                .status
            }
        };
        let (a, b) = tokio::join!(tokio::spawn(swap(second)), tokio::spawn(swap(third)));
        for status in [a.unwrap(), b.unwrap()] {
            assert!(
                status == StatusCode::OK || status == StatusCode::CONFLICT,
                "{status}"
            );
        }
        let places: Vec<i64> = sqlx::query_scalar(
            "SELECT mp.registration_id FROM meeting_people mp JOIN meetings m ON m.id = mp.meeting_id \
             JOIN rounds r ON r.id = m.round_id JOIN events e ON e.id = r.event_id \
             WHERE e.slug = $1 \
             UNION ALL SELECT rr.registration_id FROM round_rests rr JOIN rounds r ON r.id = rr.round_id \
             JOIN events e ON e.id = r.event_id WHERE e.slug = $1",
        )
        .bind(&slug)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let mut seen = std::collections::HashSet::new();
        for person in &places {
            assert!(seen.insert(*person), "{person} seated twice: {places:?}");
        }
        assert_eq!(places.len(), ids.len(), "nobody lost either");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actors_created_at_once_with_one_name_get_their_own_slugs() {
    let app = test_app().await;
    let (_, cookie) = app.account(Role::Partner).await;
    let jobs = ["Sinsheim", "Eppingen", "Bretten", "Bruchsal"]
        .into_iter()
        .map(|town| {
            let (app, cookie) = (app.clone(), cookie.clone());
            async move {
                let mut form = actor_form(&[
                    ("name", "Kraichgau Robotik GmbH"),
                    ("kind", "startup"),
                    ("town", town),
                    ("lat", "49,2"),
                    ("lon", "8,8"),
                    ("is_public", "on"),
                ]);
                form.push(("slug".into(), ""));
                post_owned(&app, "/api/karte/akteur/speichern", &form, Some(&cookie)).await
            }
        })
        .collect();
    for reply in in_parallel(jobs, 4).await {
        assert_done(&reply);
    }
    let slugs: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM actors WHERE name = 'Kraichgau Robotik GmbH'")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let distinct: std::collections::HashSet<&String> = slugs.iter().collect();
    assert_eq!((slugs.len(), distinct.len()), (4, 4), "{slugs:?}");
}

/// The actor form's fields for `input` (an `ActorInput` as JSON).
fn actor_fields(input: &serde_json::Value) -> Vec<(String, String)> {
    let mut form = Vec::new();
    for key in [
        "name",
        "kind",
        "town",
        "lat",
        "lon",
        "website",
        "description",
        "founded_year",
        "size_band",
        "logo_url",
        "contact_email",
    ] {
        form.push((
            format!("actor[{key}]"),
            input[key].as_str().unwrap_or_default().to_owned(),
        ));
    }
    for list in ["sectors", "technologies"] {
        for (i, term) in input[list].as_array().into_iter().flatten().enumerate() {
            form.push((
                format!("actor[{list}][{i}]"),
                term.as_str().unwrap().to_owned(),
            ));
        }
    }
    for flag in ["is_public", "contact_public"] {
        if !input[flag].is_null() {
            form.push((format!("actor[{flag}]"), "on".to_owned()));
        }
    }
    form
}

fn set(form: &mut Vec<(String, String)>, key: &str, value: Option<&str>) {
    form.retain(|(k, _)| k != key);
    if let Some(value) = value {
        form.push((key.to_owned(), value.to_owned()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_a_proposal_applies_only_its_changes_and_never_reverts_consent() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, editor) = app.account(Role::Partner).await;
    let slug: String =
        sqlx::query_scalar("SELECT slug FROM actors WHERE is_public = 1 ORDER BY id LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let stored = || async {
        json(
            &app.get(
                &format!("/api/karte/akteur/bearbeiten?slug={slug}"),
                Some(&editor),
            )
            .await,
        )["input"]
            .clone()
    };
    let seen = stored().await;
    let propose = |changes: Vec<(&'static str, &'static str)>| {
        let mut form = actor_fields(&seen);
        for (key, value) in changes {
            set(&mut form, key, Some(value));
        }
        form.extend([
            ("slug".to_owned(), slug.clone()),
            ("proposer_name".to_owned(), "Paula Passant".to_owned()),
            ("proposer_email".to_owned(), "paula@example.de".to_owned()),
            ("message".to_owned(), String::new()),
        ]);
        form
    };
    let description = propose(vec![("actor[description]", "Neu beschrieben von außen.")]);
    assert_done(&post_strings(&app, "/api/karte/vorschlag", &description, None).await);
    let contact = propose(vec![("actor[contact_email]", "fremd@example.de")]);
    assert_done(&post_strings(&app, "/api/karte/vorschlag", &contact, None).await);

    // Meanwhile an editor moves the actor, and the organisation withdraws its consent.
    let mut edit = actor_fields(&seen);
    set(&mut edit, "actor[town]", Some("Meckesheim"));
    set(&mut edit, "actor[is_public]", None);
    edit.push(("slug".to_owned(), slug.clone()));
    assert_done(&post_strings(&app, "/api/karte/akteur/speichern", &edit, Some(&editor)).await);

    let proposals = json(&app.get("/api/karte/vorschlaege", Some(&editor)).await);
    let ids: Vec<String> = proposals
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap().to_string())
        .collect();
    let changed = |p: &serde_json::Value| -> Vec<String> {
        p["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["field"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(changed(&proposals[0]), vec!["description"]);
    assert_eq!(changed(&proposals[1]), vec!["contact_email"]);
    assert_eq!(proposals[1]["changes"][0]["needs_confirmation"], true);
    let decide = |id: String, confirm: bool| {
        let app = app.clone();
        let editor = editor.clone();
        async move {
            let mut form = vec![("id", id.as_str()), ("accept", "true")];
            if confirm {
                form.push(("confirm", "on"));
            }
            app.post("/api/karte/vorschlag/entscheiden", &form, Some(&editor))
                .await
        }
    };
    assert_done(&decide(ids[0].clone(), false).await);
    let now = stored().await;
    assert_eq!(now["description"], "Neu beschrieben von außen.");
    assert_eq!(now["town"], "Meckesheim", "the later edit stays");
    assert!(
        now["is_public"].is_null(),
        "the withdrawn consent stays withdrawn"
    );

    let unconfirmed = decide(ids[1].clone(), false).await;
    assert_eq!(unconfirmed.status, StatusCode::CONFLICT);
    assert_eq!(
        stored().await["contact_email"],
        seen["contact_email"],
        "nothing changed"
    );
    assert_done(&decide(ids[1].clone(), true).await);
    let now = stored().await;
    assert_eq!(now["contact_email"], "fremd@example.de");
    assert!(now["is_public"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_links_are_renewed_and_expire_and_the_list_shows_only_around_the_event() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let (slug, tokens, _) = live_event(
        &app,
        &organiser,
        "Rund um den Abend",
        &["Eins AG", "Zwei KG"],
        2,
    )
    .await;
    let page = |token: &str| format!("/api/veranstaltung/ich?slug={slug}&token={token}");
    let list = |token: &str| format!("/api/veranstaltung/teilnehmende?slug={slug}&token={token}");
    let others = json(&app.get(&list(&tokens[0]), None).await);
    let people = others["people"].as_array().unwrap();
    assert_eq!(people.len(), 1);
    assert!(people[0].get("email").is_none(), "never the others' email");

    // A link shared by mistake is renewed: the old one opens nothing any more.
    let renewed = app
        .post(
            "/api/veranstaltung/ich/erneuern",
            &[("slug", &slug), ("token", &tokens[0])],
            None,
        )
        .await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
    let fresh: String = serde_json::from_str(&renewed.body).unwrap();
    assert_eq!(
        app.get(&page(&tokens[0]), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&page(&fresh), None).await.status, StatusCode::OK);

    // The event lies back: two weeks after it the list closes, after the retention period the
    // links expire.
    let set_end = |days_ago: i32| {
        let app = app.clone();
        let slug = slug.clone();
        async move {
            let day = crate::domain::date::format_date(crate::domain::date::add_days(
                today(),
                -i64::from(days_ago),
            ));
            sqlx::query("UPDATE events SET status = 'finished', starts_at = $1, ends_at = $2 WHERE slug = $3")
                .bind(format!("{day}T17:00"))
                .bind(format!("{day}T21:00"))
                .bind(&slug)
                .execute(&app.db.pool)
                .await
                .unwrap();
        }
    };
    set_end(3).await;
    assert_eq!(app.get(&list(&fresh), None).await.status, StatusCode::OK);
    set_end(15).await;
    let hidden = app.get(&list(&fresh), None).await;
    assert_eq!(hidden.status, StatusCode::CONFLICT);
    assert!(hidden.body.contains("RegistrantsHidden"), "{}", hidden.body);
    assert_eq!(
        app.get(&page(&fresh), None).await.status,
        StatusCode::OK,
        "the own page stays"
    );
    set_end(91).await;
    let expired = app.get(&page(&fresh), None).await;
    assert_eq!(expired.status, StatusCode::CONFLICT);
    assert!(expired.body.contains("LinkExpired"), "{}", expired.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latecomers_seated_from_two_desks_at_once_get_one_seat_each() {
    let app = test_app().await;
    let (organiser, slug, ids) = planned_round(&app, "Spät dran", 4).await;
    for id in &ids[4..] {
        check_in_person(&app, &slug, id, &organiser).await;
    }
    let seat = || {
        let (app, slug, organiser) = (app.clone(), slug.clone(), organiser.clone());
        async move {
            app.post(
                "/api/veranstaltung/runde/nachzuegler",
                &[("slug", &slug)],
                Some(&organiser),
            )
            .await
            .status
        }
    };
    let (a, b) = tokio::join!(tokio::spawn(seat()), tokio::spawn(seat()));
    let statuses = [a.unwrap(), b.unwrap()];
    assert!(statuses.contains(&StatusCode::OK), "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    let seats: Vec<i64> = sqlx::query_scalar(
        "SELECT mp.registration_id FROM meeting_people mp JOIN meetings m ON m.id = mp.meeting_id \
         JOIN rounds r ON r.id = m.round_id JOIN events e ON e.id = r.event_id WHERE e.slug = $1",
    )
    .bind(&slug)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let distinct: std::collections::HashSet<&i64> = seats.iter().collect();
    assert_eq!(distinct.len(), seats.len(), "seated twice: {seats:?}");
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
