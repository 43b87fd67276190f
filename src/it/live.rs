//! Integration tests of the live socket and of bookable slots.

use super::*;
use crate::config::TrustProxy;
use crate::db::{Backend, Db};
use crate::demo::seed::seed_demo;
use crate::domain::role::Role;
use crate::events::server::live::Hub;
use axum::http::StatusCode;

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
    let url = app.state.config.database_url.clone();
    let second = crate::testing::app_state_with(
        url.clone(),
        Db::connect(&url).await.unwrap(),
        "127.0.0.1:3001".parse().unwrap(),
        None,
        TrustProxy::Off,
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

/// The next text a socket sends within `wait` (heartbeats skipped), if any.
async fn next_text<S, E>(socket: &mut S, wait: std::time::Duration) -> Option<String>
where
    S: futures_util::Stream<Item = Result<tokio_tungstenite::tungstenite::Message, E>> + Unpin,
    E: std::fmt::Debug,
{
    use futures_util::StreamExt;
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .ok()??;
        if let Ok(tokio_tungstenite::tungstenite::Message::Text(text)) = message {
            if text.as_str() != crate::domain::live::HEARTBEAT_TEXT {
                return Some(text.as_str().to_owned());
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_reaches_only_the_phones_of_its_two_sides() {
    use std::time::Duration;
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let (slug, tokens, ids) = event_with(
        &app,
        &organiser,
        "Gezielte Anfragen",
        &[("format", "termine"), ("rounds", "3"), ("tables", "2")],
        &["Alpha AG", "Beta GmbH", "Gamma KG"],
        0,
    )
    .await;
    let (address, server) = app.serve_on_loopback().await;
    let connect = |token: Option<&str>| {
        let url = match token {
            Some(token) => format!("ws://{address}/live/veranstaltungen/{slug}?ich={token}"),
            None => format!("ws://{address}/live/veranstaltungen/{slug}"),
        };
        async move {
            let (mut socket, _) = tokio_tungstenite::connect_async(&url)
                .await
                .expect("connect");
            next_message(&mut socket).await;
            socket
        }
    };
    let mut sender = connect(Some(&tokens[0])).await;
    let mut recipient = connect(Some(&tokens[1])).await;
    let mut other = connect(Some(&tokens[2])).await;
    let mut projector = connect(None).await;
    let mut stranger = connect(Some("kein-gueltiger-link")).await;

    let asked = post_strings(
        &app,
        "/api/veranstaltung/anfrage",
        &[
            ("slug".to_owned(), slug.clone()),
            ("token".to_owned(), tokens[0].clone()),
            ("other".to_owned(), ids[1].clone()),
        ],
        None,
    )
    .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let wait = Duration::from_secs(5);
    for (who, socket) in [("sender", &mut sender), ("recipient", &mut recipient)] {
        let state = next_text(socket, wait).await.expect("the counts");
        assert!(state.starts_with('{'), "{who}: {state}");
        assert_eq!(
            next_text(socket, wait).await.as_deref(),
            Some(crate::domain::live::REQUESTS_TEXT),
            "{who} reads their requests again"
        );
    }
    for (who, socket) in [
        ("someone else", &mut other),
        ("the projector", &mut projector),
        ("a wrong link", &mut stranger),
    ] {
        let state = next_text(socket, wait).await.expect("the counts");
        assert!(state.starts_with('{'), "{who}: {state}");
        assert_eq!(
            next_text(socket, Duration::from_millis(700)).await,
            None,
            "{who} is not told"
        );
    }
    server.abort();
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
    // The sender takes back what is not answered yet, and only that.
    let withdraw = |by: usize, request: i64| {
        let form = [
            ("slug".to_owned(), slug.clone()),
            ("token".to_owned(), tokens[by].clone()),
            ("request".to_owned(), request.to_string()),
        ];
        let app = &app;
        async move { post_strings(app, "/api/veranstaltung/anfrage/zurueckziehen", &form, None).await }
    };
    let too_late = withdraw(a, a_to_b).await;
    assert_eq!(too_late.status, StatusCode::CONFLICT);
    assert!(
        too_late.body.contains("RequestAnswered"),
        "{}",
        too_late.body
    );
    assert_eq!(request(c, d).await.status, StatusCode::OK);
    let c_to_d = incoming(&requests_of(d).await, c);
    assert_eq!(
        withdraw(d, c_to_d).await.status,
        StatusCode::NOT_FOUND,
        "only the sender takes it back"
    );
    assert_eq!(withdraw(c, c_to_d).await.status, StatusCode::OK);
    assert!(requests_of(d)
        .await
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["id"] != c_to_d));
    assert_eq!(
        request(c, d).await.status,
        StatusCode::OK,
        "asked again after taking it back"
    );
    let again = incoming(&requests_of(d).await, c);
    assert_eq!(withdraw(c, again).await.status, StatusCode::OK);
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
                b["place"]["table"]["number"].as_i64().unwrap(),
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
