//! Registered organisations and the map's actors: any spelling of a known name links at
//! registration; close names wait in the report for the organisers to confirm.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registrations_find_their_actor_and_the_organisers_confirm_the_likely_ones() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let (slug, _, ids) = event_with(
        &app,
        &organiser,
        "Zuordnung",
        &[],
        &[
            "HOCHSCHULE  heilbronn e.V.",
            "Hochschule Heilbron",
            "Quastenflosser Manufaktur GmbH",
        ],
        0,
    )
    .await;
    let heilbronn: i64 =
        sqlx::query_scalar("SELECT id FROM actors WHERE name = 'Hochschule Heilbronn'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let actor_of = |id: &str| {
        let id: i64 = id.parse().unwrap();
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, Option<i64>>("SELECT actor_id FROM registrations WHERE id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        actor_of(&ids[0]).await,
        Some(heilbronn),
        "another spelling, same key"
    );
    assert_eq!(
        actor_of(&ids[1]).await,
        None,
        "a typo is not merged by itself"
    );

    let report_path = format!("/api/veranstaltung/bericht?slug={slug}");
    let report = json(&app.get(&report_path, Some(&organiser)).await);
    let unmatched = report["unmatched"].as_array().unwrap();
    assert_eq!(unmatched.len(), 2, "{report}");
    let typo = unmatched
        .iter()
        .find(|u| u["organisation"] == "Hochschule Heilbron")
        .expect("the typo is listed");
    assert_eq!(typo["people"], 1);
    assert_eq!(typo["likely"][0]["id"], heilbronn);
    assert!(typo["likely"][0]["percent"].as_u64().unwrap() >= 80);
    let new = unmatched
        .iter()
        .find(|u| u["organisation"] == "Quastenflosser Manufaktur GmbH")
        .expect("the new one is listed");
    assert_eq!(new["likely"], serde_json::json!([]));

    let assign = |organisation: &str, actor: i64, cookie: Option<&str>| {
        let form = [
            ("slug".to_owned(), slug.clone()),
            ("organisation".to_owned(), organisation.to_owned()),
            ("actor".to_owned(), actor.to_string()),
        ];
        let app = &app;
        let cookie = cookie.map(str::to_owned);
        async move {
            post_strings(
                app,
                "/api/veranstaltung/organisation/zuordnen",
                &form,
                cookie.as_deref(),
            )
            .await
        }
    };
    let anonymous = assign("Hochschule Heilbron", heilbronn, None).await;
    assert!(
        anonymous.status == StatusCode::UNAUTHORIZED || anonymous.status == StatusCode::FORBIDDEN,
        "{}",
        anonymous.status
    );
    assert_eq!(
        assign("Hochschule Heilbron", 999_999, Some(&organiser))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let actors_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM actors")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let confirmed = assign("hochschule heilbron", heilbronn, Some(&organiser)).await;
    assert_eq!(
        (confirmed.status, confirmed.body.as_str()),
        (StatusCode::OK, "1")
    );
    assert_eq!(actor_of(&ids[1]).await, Some(heilbronn));
    assert_eq!(
        assign("Hochschule Heilbron", heilbronn, Some(&organiser))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "nothing left to link"
    );
    let report = json(&app.get(&report_path, Some(&organiser)).await);
    assert_eq!(report["unmatched"].as_array().unwrap().len(), 1);
    let actors_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM actors")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(actors_after, actors_before, "no actor was added");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registration_form_suggests_public_organisations_of_the_map() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let hidden: String = sqlx::query_scalar("SELECT name FROM actors WHERE is_public = 0 LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let suggest = |query: &str| {
        let path = format!(
            "/api/veranstaltung/organisationen?{}",
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("query", query)
                .finish()
        );
        let app = &app;
        async move { json(&app.get(&path, None).await) }
    };
    let found = suggest("HOCHSCHULE heilbron").await;
    assert_eq!(found[0]["name"], "Hochschule Heilbronn", "{found}");
    assert_eq!(found[0]["town"], "Heilbronn");
    assert_eq!(suggest("ho").await, serde_json::json!([]), "too short");
    assert!(suggest(&"x".repeat(5_000))
        .await
        .as_array()
        .unwrap()
        .is_empty());
    let names = suggest(&hidden).await;
    assert!(
        names
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["name"] != hidden.as_str()),
        "an actor off the public map is never suggested: {names}"
    );
}
