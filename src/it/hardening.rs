//! Integration tests of an event day under load: writes at the same moment from several desks, a
//! hall behind one address, contention answered as busy, and personal links around the event.

use super::*;
use crate::db::today;
use crate::domain::date::format_date;
use crate::error::AppError;
use futures_util::future::join_all;

pub(super) const VENUE: &str = "203.0.113.10";

/// An event open for registration; returns its slug.
pub(super) async fn open_event(app: &TestApp, organiser: &str, title: &str) -> String {
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

pub(super) fn person(slug: &str, n: usize) -> Vec<(String, String)> {
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

pub(super) fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

pub(super) async fn count(app: &TestApp, sql: &str, slug: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(slug)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

pub(super) const REGISTERED: &str =
    "SELECT COUNT(*) FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.slug = $1";
pub(super) const PRESENT: &str =
    "SELECT COUNT(*) FROM registrations r JOIN events e ON e.id = r.event_id \
     WHERE e.slug = $1 AND r.checked_in_at IS NOT NULL";

/// Runs `jobs` with at most `at_once` in flight, like a crowd of phones on one network.
pub(super) async fn in_parallel<F>(jobs: Vec<F>, at_once: usize) -> Vec<F::Output>
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
pub(super) async fn a_hall_behind_one_address_registers_at_once() {
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
pub(super) async fn four_desks_write_at_the_same_moment_without_errors() {
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

#[test]
pub(super) fn contention_is_answered_busy_not_internal() {
    let busy = AppError::from(sqlx::Error::PoolTimedOut);
    assert_eq!(busy.status_code(), 503);
    assert!(busy.retry_after_secs().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
pub(super) async fn the_last_two_admins_cannot_demote_each_other_at_once() {
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
pub(super) async fn planned_round(
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
pub(super) async fn two_swaps_at_once_never_seat_anyone_twice() {
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
pub(super) async fn actors_created_at_once_with_one_name_get_their_own_slugs() {
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
pub(super) fn actor_fields(input: &serde_json::Value) -> Vec<(String, String)> {
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

pub(super) fn set(form: &mut Vec<(String, String)>, key: &str, value: Option<&str>) {
    form.retain(|(k, _)| k != key);
    if let Some(value) = value {
        form.push((key.to_owned(), value.to_owned()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
pub(super) async fn accepting_a_proposal_applies_only_its_changes_and_never_reverts_consent() {
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
pub(super) async fn personal_links_are_renewed_and_expire_and_the_list_shows_only_around_the_event()
{
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
pub(super) async fn latecomers_seated_from_two_desks_at_once_get_one_seat_each() {
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
