//! The organiser's own room and rules: table groups with names, seats and areas, pairing rules
//! per event, and "not again" across a series.

use super::*;
use crate::demo::seed::seed_demo;
use crate::domain::role::Role;
use axum::http::StatusCode;

/// Plans the event's next round as the console does; returns the console's answer.
async fn plan_next_round(app: &TestApp, slug: &str, organiser: &str) -> serde_json::Value {
    let planned = app
        .post(
            "/api/veranstaltung/runde/planen",
            &[("slug", slug), ("again", "false")],
            Some(organiser),
        )
        .await;
    assert_eq!(planned.status, StatusCode::OK, "{}", planned.body);
    json(
        &app.get(
            &format!("/api/veranstaltung/konsole?slug={slug}"),
            Some(organiser),
        )
        .await,
    )
}

/// The rule fields a form sends with every choice at its default, but colleagues allowed.
fn rules_allowing_colleagues() -> Vec<(&'static str, &'static str)> {
    vec![
        ("rules][wishes", "100"),
        ("rules][topics", "100"),
        ("rules][text", "100"),
        ("rules][must_meets", "on"),
        ("rules][kinds][mittelstand-startup", "40"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_organisers_tables_and_rules_shape_the_round() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let mut fields = vec![
        ("tables][0][label", "Stehtisch"),
        ("tables][0][count", "1"),
        ("tables][0][seats", "2"),
        ("tables][0][area", "Halle A"),
        ("tables][1][label", "Lounge"),
        ("tables][1][count", "2"),
        ("tables][1][seats", "4"),
        ("tables][1][area", "Halle B"),
        ("series", "Innovationsfrühstück"),
    ];
    fields.extend(rules_allowing_colleagues());
    // Two people of one organisation: the organiser allows colleagues to meet.
    let (slug, _, ids) = event_with(
        &app,
        &organiser,
        "Kollegen erlaubt",
        &fields,
        &["Alpha AG", "Alpha AG"],
        2,
    )
    .await;

    let editor = json(
        &app.get(
            &format!("/api/veranstaltung/bearbeiten?slug={slug}"),
            Some(&organiser),
        )
        .await,
    );
    let input = &editor["input"];
    assert_eq!(input["tables"].as_array().unwrap().len(), 2);
    assert_eq!(input["tables"][1]["label"], "Lounge");
    assert_eq!(input["tables"][1]["area"], "Halle B");
    assert_eq!(input["series"], "Innovationsfrühstück");
    assert!(input["rules"]["same_organisation_never"].is_null());
    assert_eq!(input["rules"]["kinds"]["mittelstand-startup"], "40");
    assert_eq!(input["rules"]["kinds"]["mittelstand-forschung"], "0");
    assert_eq!(editor["series"][0], "Innovationsfrühstück");

    let console = plan_next_round(&app, &slug, &organiser).await;
    let table = &console["rounds"][0]["tables"][0];
    // The smallest table that fits two: the standing table in hall A, by its name.
    assert_eq!(
        (
            table["table"].as_i64(),
            table["name"].as_str(),
            table["area"].as_str()
        ),
        (Some(1), Some("Stehtisch"), Some("Halle A"))
    );
    let seated: Vec<String> = table["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].to_string())
        .collect();
    assert_eq!(seated.len(), 2, "colleagues meet: {console}");
    assert!(ids.iter().all(|id| seated.contains(id)));
    let screen = json(
        &app.get(
            &format!("/api/veranstaltung/leinwand?slug={slug}"),
            Some(&organiser),
        )
        .await,
    );
    assert_eq!(screen["round"]["people"][0]["table"], "Stehtisch");
    assert!(
        screen["round"]["people"][0].get("offers").is_none(),
        "the wall gets names and places only"
    );

    // By default colleagues never meet: the same room in another event rests.
    let (other, _, _) = event_with(
        &app,
        &organiser,
        "Kollegen getrennt",
        &[],
        &["Alpha AG", "Alpha AG"],
        2,
    )
    .await;
    let console = plan_next_round(&app, &other, &organiser).await;
    assert!(console["rounds"][0]["tables"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(console["rounds"][0]["resting"].as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_tables_and_rules_are_refused_and_change_nothing() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let day =
        crate::domain::date::format_date(crate::domain::date::add_days(crate::db::today(), 2));
    let events = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM events")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    let before = events().await;
    for (key, value, problem) in [
        ("event[tables][0][count]", "0", "TableRowInvalid"),
        ("event[tables][0][seats]", "40", "TableRowInvalid"),
        ("event[tables][0][count]", "6000", "TableRowInvalid"),
        ("event[rules][wishes]", "150", "WeightUnknown"),
        (
            "event[rules][kinds][mittelstand-startup]",
            "99",
            "NumberOutOfRange",
        ),
        (
            "event[rules][kinds][mittelstand-rakete]",
            "5",
            "KindUnknown",
        ),
    ] {
        let mut form = event_form("Falsch geplant", &day);
        form.retain(|(k, _)| k != key);
        form.push((key.to_owned(), value.to_owned()));
        let reply = post_strings(
            &app,
            "/api/veranstaltung/speichern",
            &form,
            Some(&organiser),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{key}={value}: {}",
            reply.body
        );
        assert!(
            reply.body.contains(problem),
            "{key}={value}: {}",
            reply.body
        );
    }
    // Two tables of one name.
    let mut form = event_form("Doppelt benannt", &day);
    form.extend(
        [
            ("event[tables][0][label]", "Tisch 1"),
            ("event[tables][1][label]", "Tisch"),
            ("event[tables][1][count]", "3"),
            ("event[tables][1][seats]", "2"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    form.retain(|(k, v)| !(k == "event[tables][0][count]" && v == "12"));
    form.push(("event[tables][0][count]".into(), "1".into()));
    let reply = post_strings(
        &app,
        "/api/veranstaltung/speichern",
        &form,
        Some(&organiser),
    )
    .await;
    assert!(reply.body.contains("TableNameTaken"), "{}", reply.body);
    assert_eq!(events().await, before, "nothing was saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_who_met_in_the_series_do_not_meet_again_when_the_organiser_says_so() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let organisations = ["Alpha AG", "Beta GmbH"];
    let series = [("series", "Frühstück Kraichgau")];
    let (first, _, _) =
        event_with(&app, &organiser, "Frühstück 1", &series, &organisations, 2).await;
    let console = plan_next_round(&app, &first, &organiser).await;
    assert_eq!(console["rounds"][0]["tables"].as_array().unwrap().len(), 1);
    run_round(&app, &first, &organiser).await;
    // The first breakfast took place a week earlier.
    sqlx::query("UPDATE events SET starts_at = $1 WHERE slug = $2")
        .bind(format!(
            "{}T08:00",
            crate::domain::date::format_date(crate::domain::date::add_days(crate::db::today(), -7))
        ))
        .bind(&first)
        .execute(&app.db.pool)
        .await
        .unwrap();

    let round_of = |slug: String| {
        let (app, organiser) = (&app, organiser.clone());
        async move {
            let console = plan_next_round(app, &slug, &organiser).await;
            console["rounds"][0]["tables"].as_array().unwrap().len()
        }
    };
    let mut not_again = series.to_vec();
    not_again.extend([
        ("rules][wishes", "100"),
        ("rules][topics", "100"),
        ("rules][text", "100"),
        ("rules][must_meets", "on"),
        ("rules][same_organisation_never", "on"),
        ("rules][not_again", "on"),
    ]);
    let (second, _, _) = event_with(
        &app,
        &organiser,
        "Frühstück 2",
        &not_again,
        &organisations,
        2,
    )
    .await;
    assert_eq!(round_of(second).await, 0, "they met at the first breakfast");
    // The same people in an event of the series without "not again", and in one outside it.
    let (third, _, _) =
        event_with(&app, &organiser, "Frühstück 3", &series, &organisations, 2).await;
    assert_eq!(round_of(third).await, 1);
    let mut elsewhere = not_again.clone();
    elsewhere[0] = ("series", "Abendforum");
    let (fourth, _, _) = event_with(
        &app,
        &organiser,
        "Abendforum 1",
        &elsewhere,
        &organisations,
        2,
    )
    .await;
    assert_eq!(round_of(fourth).await, 1);
}
