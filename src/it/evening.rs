//! The evening planned ahead: every remaining round planned at once, locked rounds kept, the
//! plan following check-ins by itself, and the current round being the first not ended.

use super::*;
use std::collections::{BTreeMap, HashSet};

/// Each round's meetings (people's ids, sorted) and resting people, by round number.
type Plan = BTreeMap<u64, (Vec<Vec<i64>>, Vec<i64>)>;

async fn plan_of(app: &TestApp, slug: &str, organiser: &str) -> Plan {
    let console = json(
        &app.get(
            &format!("/api/veranstaltung/konsole?slug={slug}"),
            Some(organiser),
        )
        .await,
    );
    let ids = |people: &serde_json::Value| -> Vec<i64> {
        let mut ids: Vec<i64> = people
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        ids.sort_unstable();
        ids
    };
    let mut plan = Plan::new();
    for round in console["rounds"].as_array().unwrap() {
        let mut meetings: Vec<Vec<i64>> = round["tables"]
            .as_array()
            .unwrap()
            .iter()
            .map(|table| {
                assert_eq!(table["people"][0]["offers"], "", "names only");
                ids(&table["people"])
            })
            .collect();
        meetings.sort();
        let mut resting: Vec<i64> = round["resting"]
            .as_array()
            .unwrap()
            .iter()
            .map(|rest| rest[0]["id"].as_i64().unwrap())
            .collect();
        resting.sort_unstable();
        plan.insert(round["number"].as_u64().unwrap(), (meetings, resting));
    }
    plan
}

/// Nobody twice in a round, no pair twice across the evening.
fn assert_no_repeats(plan: &Plan) {
    let mut met = HashSet::new();
    for (number, (meetings, resting)) in plan {
        let mut seen = HashSet::new();
        for person in meetings.iter().flatten().chain(resting) {
            assert!(seen.insert(*person), "{person} twice in round {number}");
        }
        for people in meetings {
            for (i, a) in people.iter().enumerate() {
                for b in &people[i + 1..] {
                    assert!(met.insert((*a, *b)), "{a} and {b} meet twice: {plan:?}");
                }
            }
        }
    }
}

fn placed(plan: &Plan, number: u64, person: i64) -> bool {
    let (meetings, resting) = &plan[&number];
    meetings
        .iter()
        .flatten()
        .chain(resting)
        .any(|&p| p == person)
}

/// A live event of `people` registrations from as many organisations, `present` of them checked
/// in, with `rounds` rounds at tables for two: (organiser's cookie, slug, tokens, ids).
async fn evening_room(
    app: &TestApp,
    title: &str,
    people: usize,
    present: usize,
    rounds: &str,
) -> (String, String, Vec<String>, Vec<String>) {
    seed_demo(&app.db).await.unwrap();
    let (_, organiser) = app.account(Role::Organizer).await;
    let organisations: Vec<String> = (0..people).map(|n| format!("Firma {n}")).collect();
    let organisations: Vec<&str> = organisations.iter().map(String::as_str).collect();
    let (slug, tokens, ids) = event_with(
        app,
        &organiser,
        title,
        &[("rounds", rounds), ("tables", "10"), ("seats", "2")],
        &organisations,
        present,
    )
    .await;
    (organiser, slug, tokens, ids)
}

/// The plan once `person` has a place in round `number` (the automatic re-plan comes a moment
/// after a check-in), or as it is after ten seconds.
async fn plan_once_placed(
    app: &TestApp,
    slug: &str,
    organiser: &str,
    number: u64,
    person: i64,
) -> Plan {
    let mut now = plan_of(app, slug, organiser).await;
    for _ in 0..100 {
        if placed(&now, number, person) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        now = plan_of(app, slug, organiser).await;
    }
    now
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_evening_is_planned_ahead_and_follows_the_room() {
    let app = test_app().await;
    let (organiser, slug, tokens, ids) = evening_room(&app, "Abend vorausgeplant", 9, 8, "4").await;
    let ids: Vec<i64> = ids.iter().map(|id| id.parse().unwrap()).collect();
    let post = |path: &'static str, fields: Vec<(&'static str, String)>| {
        let app = &app;
        let organiser = organiser.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post(path, &fields, Some(&organiser)).await
        }
    };
    let with_slug = |more: &[(&'static str, &str)]| {
        let mut fields = vec![("slug", slug.clone())];
        fields.extend(more.iter().map(|(k, v)| (*k, (*v).to_owned())));
        fields
    };

    let planned = post("/api/veranstaltung/abend/planen", with_slug(&[])).await;
    assert_eq!(
        (planned.status, planned.body.as_str()),
        (StatusCode::OK, "[1,2,3,4]")
    );
    let first = plan_of(&app, &slug, &organiser).await;
    assert_eq!(first.len(), 4);
    assert_no_repeats(&first);
    for (meetings, _) in first.values() {
        assert_eq!(meetings.len(), 4, "eight people, four meetings: {first:?}");
    }
    // The phone shows the next meeting, not the plan ahead.
    let mine = my_rounds(&app, &slug, &tokens[0]).await;
    let meetings = mine.as_array().unwrap();
    assert_eq!(meetings.len(), 1, "{mine}");
    assert_eq!(
        (meetings[0]["round"].as_u64(), meetings[0]["phase"].as_str()),
        (Some(1), Some("Planned"))
    );

    // Round 3 is locked, round 1 starts; then a latecomer checks in.
    let lock = |number: &str, locked: &str| with_slug(&[("number", number), ("locked", locked)]);
    assert_eq!(
        post("/api/veranstaltung/runde/sperren", lock("3", "true"))
            .await
            .status,
        StatusCode::OK
    );
    let clock = |command: &str| with_slug(&[("command", command)]);
    assert_eq!(
        post("/api/veranstaltung/runde/uhr", clock("start"))
            .await
            .status,
        StatusCode::OK
    );
    for (number, locked, expected) in [("1", "true", "RoundAlreadyStarted"), ("9", "true", "404")] {
        let reply = post("/api/veranstaltung/runde/sperren", lock(number, locked)).await;
        assert!(
            reply.body.contains(expected) || reply.status.as_str() == expected,
            "{} {}",
            reply.status,
            reply.body
        );
    }
    let latecomer = ids[8];
    check_in_person(&app, &slug, &latecomer.to_string(), &organiser).await;

    // A moment later the rounds that have not started and are not locked include them.
    let now = plan_once_placed(&app, &slug, &organiser, 2, latecomer).await;
    assert!(placed(&now, 2, latecomer), "re-planned: {now:?}");
    assert!(placed(&now, 4, latecomer));
    assert_eq!(now[&1], first[&1], "the running round stays as it is");
    assert_eq!(now[&3], first[&3], "the locked round stays as it is");
    assert!(!placed(&now, 3, latecomer));
    assert_no_repeats(&now);

    // Two organisers plan at the same moment: one plan is written whole, never a mix.
    let (a, b) = tokio::join!(
        post(
            "/api/veranstaltung/runde/planen",
            with_slug(&[("again", "true")])
        ),
        post(
            "/api/veranstaltung/runde/planen",
            with_slug(&[("again", "true")])
        ),
    );
    for reply in [&a, &b] {
        assert!(
            reply.status == StatusCode::OK || reply.body.contains("PlanChangedMeanwhile"),
            "{} {}",
            reply.status,
            reply.body
        );
    }
    assert!(a.status == StatusCode::OK || b.status == StatusCode::OK);
    let after = plan_of(&app, &slug, &organiser).await;
    assert_no_repeats(&after);
    assert_eq!(after[&3], first[&3]);
    for number in [2, 4] {
        let (meetings, resting) = &after[&number];
        assert_eq!(
            meetings.iter().map(Vec::len).sum::<usize>() + resting.len(),
            9,
            "everyone present placed once in round {number}"
        );
    }

    // The round after the running one is the next to start, not the last planned.
    assert_eq!(
        post("/api/veranstaltung/runde/uhr", clock("ende"))
            .await
            .status,
        StatusCode::OK
    );
    let state = json(
        &app.get(
            &format!("/api/veranstaltung/leinwand?slug={slug}"),
            Some(&organiser),
        )
        .await,
    );
    assert_eq!(
        (
            state["live"]["round"]["number"].as_u64(),
            state["live"]["round"]["phase"].as_str()
        ),
        (Some(2), Some("Planned"))
    );
    assert_eq!(
        post("/api/veranstaltung/runde/uhr", clock("start"))
            .await
            .status,
        StatusCode::OK
    );
    let rounds: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT r.number, r.started_at FROM rounds r JOIN events e ON e.id = r.event_id \
         WHERE e.slug = $1 ORDER BY r.number",
    )
    .bind(&slug)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let started: Vec<i64> = rounds
        .iter()
        .filter(|(_, at)| at.is_some())
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(started, vec![1, 2]);

    // With every round ahead locked there is nothing to plan anew.
    assert_eq!(
        post("/api/veranstaltung/runde/sperren", lock("4", "true"))
            .await
            .status,
        StatusCode::OK
    );
    let again = post(
        "/api/veranstaltung/runde/planen",
        with_slug(&[("again", "true")]),
    )
    .await;
    assert!(again.body.contains("RoundLocked"), "{}", again.body);
    let all = post("/api/veranstaltung/abend/planen", with_slug(&[])).await;
    assert!(all.body.contains("RoundLocked"), "{}", all.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seats_changed_by_hand_survive_the_automatic_re_plan() {
    let app = test_app().await;
    let (organiser, slug, _, ids) = evening_room(&app, "Von Hand getauscht", 7, 6, "3").await;
    let planned = app
        .post(
            "/api/veranstaltung/abend/planen",
            &[("slug", &slug)],
            Some(&organiser),
        )
        .await;
    assert_eq!(planned.status, StatusCode::OK, "{}", planned.body);
    let first = plan_of(&app, &slug, &organiser).await;
    // Two people of different meetings in round 1 (not started) change places.
    let (meetings, _) = &first[&1];
    let (a, b) = (meetings[0][0].to_string(), meetings[1][0].to_string());
    let swapped = app
        .post(
            "/api/veranstaltung/runde/tauschen",
            &[("slug", &slug), ("first", &a), ("second", &b)],
            Some(&organiser),
        )
        .await;
    assert_eq!(swapped.status, StatusCode::OK, "{}", swapped.body);
    let by_hand = plan_of(&app, &slug, &organiser).await[&1].clone();
    assert_ne!(by_hand, first[&1]);

    // A latecomer checks in: the coming rounds take them in, round 1 keeps the swap.
    let latecomer: i64 = ids[6].parse().unwrap();
    check_in_person(&app, &slug, &ids[6], &organiser).await;
    let now = plan_once_placed(&app, &slug, &organiser, 2, latecomer).await;
    assert!(placed(&now, 2, latecomer), "re-planned: {now:?}");
    assert_eq!(now[&1], by_hand, "the seats changed by hand stay");
    assert_no_repeats(&now);
    let console = json(
        &app.get(
            &format!("/api/veranstaltung/konsole?slug={slug}"),
            Some(&organiser),
        )
        .await,
    );
    let round_one = console["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["number"] == 1)
        .unwrap();
    assert_eq!(round_one["locked"], true, "the console says why");
}
