//! Integration tests of events: planning, registration, the check-in desk, suggestions and wishes.

use super::*;
use crate::demo::seed::seed_demo;
use crate::domain::registrant_list;
use crate::domain::role::Role;
use axum::http::{header, StatusCode};

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

#[tokio::test]
async fn the_registrant_list_is_searched_and_paged_by_name() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let mut organisations: Vec<String> = (0..24).map(|n| format!("Firma {n}")).collect();
    organisations.push("Müller Feinmechanik".to_owned());
    let names: Vec<&str> = organisations.iter().map(String::as_str).collect();
    let (slug, tokens, ids) = live_event(&app, &organiser, "Großer Abend", &names, 0).await;
    let list = |query: &str| {
        let path = format!(
            "/api/veranstaltung/teilnehmende?slug={slug}&token={}{query}",
            tokens[0]
        );
        let app = &app;
        async move { json(&app.get(&path, None).await) }
    };
    let names_in = |list: &serde_json::Value| -> Vec<String> {
        list["people"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["person_name"].as_str().unwrap().to_owned())
            .collect()
    };

    let first = list("").await;
    assert_eq!(first["matching"], 24, "everyone but the viewer");
    assert_eq!(first["page"], 1);
    let on_first = names_in(&first);
    assert_eq!(on_first.len(), registrant_list::PER_PAGE);
    assert_eq!(on_first[0], "Person B", "by name");
    let second = list("&page=2").await;
    assert_eq!(second["page"], 2);
    assert_eq!(names_in(&second).len(), 24 - registrant_list::PER_PAGE);
    assert!(names_in(&second).iter().all(|n| !on_first.contains(n)));
    assert_eq!(
        list("&page=99").await["page"],
        2,
        "beyond the last page: the last"
    );

    let found = list("&search=MUELLER%20fein").await;
    assert_eq!(found["matching"], 1);
    assert_eq!(names_in(&found), ["Person Y"]);
    assert_eq!(list("&search=niemand").await["matching"], 0);
    let overlong = list(&format!("&search={}", "x".repeat(5_000))).await;
    assert_eq!(
        overlong["matching"], 0,
        "an overlong search is cut, not an error"
    );

    let wish = [
        ("slug".to_owned(), slug.clone()),
        ("token".to_owned(), tokens[0].clone()),
        ("other".to_owned(), ids[24].clone()),
        ("wish".to_owned(), "gern".to_owned()),
    ];
    assert_done(&post_strings(&app, "/api/veranstaltung/wunsch", &wish, None).await);
    assert_eq!(
        names_in(&list("").await),
        on_first,
        "a wish moves nobody: the card stays where its name puts it"
    );
    let second = list("&page=2").await;
    let wished = second["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_name"] == "Person Y")
        .expect("Person Y on the second page");
    assert_eq!(wished["wish"], "gern");
}
