//! Integration tests of what people meet in forms and search results: actors chosen by their
//! name, every problem of a form at once, and the public pages listed for search engines.

use super::*;
use crate::error::AppError;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actors_are_chosen_by_name_and_town_not_by_short_name() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, admin) = app.account(Role::Admin).await;
    let (account, _) = app.account(Role::Partner).await;
    let account_id = account.to_string();
    let linked = |choice: &'static str| {
        let (app, admin, account_id) = (app.clone(), admin.clone(), account_id.clone());
        async move {
            app.post(
                "/api/admin/organisation",
                &[("account_id", &account_id), ("organisation", choice)],
                Some(&admin),
            )
            .await
        }
    };
    let heidelberg: i64 =
        sqlx::query_scalar("SELECT id FROM actors WHERE slug = 'universitaet-heidelberg'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let actor_of = || async {
        sqlx::query_scalar::<_, Option<i64>>("SELECT actor_id FROM users WHERE id = $1")
            .bind(account)
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    for choice in [
        "Universität Heidelberg (Heidelberg)",
        "universität heidelberg",
        "universitaet-heidelberg",
    ] {
        sqlx::query("UPDATE users SET actor_id = NULL WHERE id = $1")
            .bind(account)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let reply = linked(choice).await;
        assert_eq!(reply.status, StatusCode::OK, "{choice}: {}", reply.body);
        assert_eq!(actor_of().await, Some(heidelberg), "{choice}");
    }
    let unknown = linked("Gibt es nicht GmbH").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("ActorUnknown"), "{}", unknown.body);
    assert_eq!(
        actor_of().await,
        Some(heidelberg),
        "a refused choice changes nothing"
    );

    // A connection's partner, chosen the same way; the same actor twice is refused.
    let connection = |target: &'static str| {
        [
            ("connection[source]", "dhbw-mosbach"),
            ("connection[target]", target),
            ("connection[kind]", "forschungskooperation"),
            ("connection[started_on]", "2026-02-01"),
        ]
    };
    let saved = app
        .post(
            "/api/karte/verbindung/speichern",
            &connection("Universität Heidelberg (Heidelberg)"),
            Some(&admin),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let same = app
        .post(
            "/api/karte/verbindung/speichern",
            &connection("DHBW Mosbach (Mosbach)"),
            Some(&admin),
        )
        .await;
    assert_eq!(
        same.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        same.body
    );
    assert!(same.body.contains("SameActor"), "{}", same.body);
}

/// The fields a refused form names, in order (the reply must be a refusal of the input).
fn problem_fields(reply: &Reply) -> Vec<String> {
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let error: AppError = serde_json::from_str(&reply.body).unwrap();
    error
        .problems()
        .into_iter()
        .map(|(field, _)| field.to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_reports_every_problem_at_once() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, admin) = app.account(Role::Admin).await;
    let reply = app
        .post(
            "/api/admin/konto-anlegen",
            &[
                ("email", "keine-adresse"),
                ("display_name", " "),
                ("role", "kaiser"),
            ],
            Some(&admin),
        )
        .await;
    let fields = problem_fields(&reply);
    assert_eq!(fields, vec!["display_name", "email", "role"]);

    let mut actor = actor_form(&[
        ("name", ""),
        ("kind", "konzern"),
        ("town", "Eppingen"),
        ("lat", "abc"),
        ("lon", "8,9"),
    ]);
    actor.push(("slug".into(), ""));
    let reply = post_owned(&app, "/api/karte/akteur/speichern", &actor, Some(&admin)).await;
    let fields = problem_fields(&reply);
    assert_eq!(fields, vec!["name", "kind", "lat"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_engines_find_the_public_pages_and_only_those() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    sqlx::query("UPDATE actors SET is_public = 0 WHERE slug = 'dhbw-mosbach'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let sitemap = app.get("/sitemap.xml", None).await;
    assert_eq!(sitemap.status, StatusCode::OK);
    for path in [
        "/karte</loc>",
        "/akteure/universitaet-heidelberg</loc>",
        "/veranstaltungen/kickoff-kraichgau-2025</loc>",
        "/fallstudien/energiemonitoring-in-der-galvanik</loc>",
        "/playbook</loc>",
    ] {
        assert!(sitemap.body.contains(path), "{path} missing");
    }
    assert!(!sitemap.body.contains("dhbw-mosbach"), "not public");
    let robots = app.get("/robots.txt", None).await;
    assert!(robots.body.contains("Disallow: /veranstaltungen/*/ich/"));
    assert!(robots.body.contains("/sitemap.xml"));

    // Each public page has its own description and canonical address.
    for (path, canonical) in [
        ("/karte?art=startup", "/karte\""),
        (
            "/akteure/universitaet-heidelberg",
            "/akteure/universitaet-heidelberg\"",
        ),
        ("/fallstudien", "/fallstudien\""),
    ] {
        let page = app.get(path, None).await;
        assert!(page.body.contains("<meta name=\"description\""), "{path}");
        let link = page
            .body
            .split("<link ")
            .skip(1)
            .map(|tag| tag.split('>').next().unwrap_or_default())
            .find(|tag| tag.contains("rel=\"canonical\""))
            .and_then(|tag| tag.split("href=\"").nth(1))
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{path} has no canonical link"));
        assert!(
            link.starts_with("http") && link.ends_with(canonical.trim_end_matches('"')),
            "{path}: {link}"
        );
    }
    let personal = app.get("/einladung/beispiel", None).await;
    assert!(personal.body.contains("noindex"));
    assert!(!personal.body.contains("canonical"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positions_outside_the_region_are_refused_in_the_editor_and_the_import() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, cookie) = app.account(Role::Partner).await;
    let csv = "Name;Art;Ort;Breite;Länge\n\
               Nullinsel GmbH;startup;Sinsheim;0;0\n\
               Verdreht GmbH;startup;Sinsheim;8,88;49,25\n";
    let reply = app
        .post(
            "/api/karte/import",
            &[("kind", "akteure"), ("csv", csv), ("apply", "true")],
            Some(&cookie),
        )
        .await;
    let report = json(&reply);
    let problems: Vec<(u64, &str, &str)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["column"].as_str().unwrap(),
                p["problem"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        vec![
            (2, "Breite", "OutsideRegion"),
            (3, "Breite", "CoordinatesSwapped")
        ]
    );
    assert!(report["job"].is_null(), "nothing imported");

    let mut actor = actor_form(&[
        ("name", "Verdreht GmbH"),
        ("kind", "startup"),
        ("town", "Sinsheim"),
        ("lat", "8,88"),
        ("lon", "49,25"),
    ]);
    actor.push(("slug".into(), ""));
    let refused = post_owned(&app, "/api/karte/akteur/speichern", &actor, Some(&cookie)).await;
    assert_eq!(problem_fields(&refused), vec!["lat"]);
    assert!(
        refused.body.contains("CoordinatesSwapped"),
        "{}",
        refused.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisers_follow_a_draft_event_live_and_nobody_else_does() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let (_, participant) = app.account(Role::Participant).await;
    let form = event_form("Noch ein Entwurf", "2030-05-04");
    assert_done(
        &post_strings(
            &app,
            "/api/veranstaltung/speichern",
            &form,
            Some(&organiser),
        )
        .await,
    );
    let slug: String =
        sqlx::query_scalar("SELECT slug FROM events WHERE title = 'Noch ein Entwurf'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let (address, server) = app.serve_on_loopback().await;
    let url = format!("ws://{address}/live/veranstaltungen/{slug}");
    let with_cookie = |cookie: Option<&str>| {
        let mut request = url.as_str().into_client_request().unwrap();
        if let Some(cookie) = cookie {
            request
                .headers_mut()
                .insert("cookie", cookie.parse().unwrap());
        }
        request
    };
    assert!(tokio_tungstenite::connect_async(with_cookie(None))
        .await
        .is_err());
    assert!(
        tokio_tungstenite::connect_async(with_cookie(Some(&participant)))
            .await
            .is_err()
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(with_cookie(Some(&organiser)))
        .await
        .expect("the organiser's console connects to a draft");
    assert_eq!(next_message(&mut socket).await["status"], "draft");
    server.abort();
}
