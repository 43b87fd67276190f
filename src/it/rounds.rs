//! Integration tests of matchmaking rounds: planned from the people present, run live on the clock,
//! and ending in feedback, a report and connections on the map.

use super::*;
use crate::demo::seed::seed_demo;
use crate::domain::role::Role;
use crate::events::server::live::Hub;
use axum::http::{header, StatusCode};

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

    let mine = my_rounds(&app, &slug, &tokens[0]).await;
    let latest = &mine[0];
    assert_eq!(latest["round"], 2);
    assert!(latest["table"]["number"].as_i64().is_some());
    assert!(latest["table"]["name"]
        .as_str()
        .unwrap()
        .starts_with("Tisch "));
    assert_eq!(latest["partners"].as_array().unwrap().len(), 1);
    assert!(latest["partners"][0].get("email").is_none());
    assert_eq!(mine.as_array().unwrap().len(), 2);
    let absent = my_rounds(&app, &slug, &tokens[4]).await;
    assert_eq!(
        absent,
        serde_json::json!([]),
        "not in the room, not in a round"
    );
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

    let mine = my_rounds(&app, &slug, &tokens[0]).await;
    let meeting = mine[0]["meeting_id"].as_i64().unwrap().to_string();
    assert!(
        !mine[0]["reasons"].as_array().unwrap().is_empty(),
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
    assert!(
        csv.body.lines().nth(1).unwrap().starts_with("1;Tisch "),
        "tables by their names: {}",
        csv.body
    );
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
