//! Integration tests of the actor map: filters and privacy, the network view and Lagebild, import,
//! export, embedding, the synthetic region, editing, proposals and the taxonomy.

use super::*;
use crate::demo::seed::seed_demo;
use crate::domain::role::Role;
use axum::http::{header, StatusCode};

#[tokio::test]
async fn map_data_follows_the_filter_and_keeps_private_actors_out() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let all = json(
        &app.get(&format!("/api/karte/daten?{}", query_arg("")), None)
            .await,
    );
    let actors = all["actors"].as_array().unwrap();
    let connections = all["connections"].as_array().unwrap();
    assert_eq!((actors.len(), connections.len()), (144, 264));
    for line in connections {
        let (a, b) = (line[0].as_u64().unwrap(), line[1].as_u64().unwrap());
        assert!(a < 144 && b < 144 && a != b, "lines point at dots: {line}");
    }
    let hidden: Vec<(String,)> = sqlx::query_as("SELECT slug FROM actors WHERE is_public = 0")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert!(hidden
        .iter()
        .all(|(slug,)| !all.to_string().contains(slug.as_str())));

    let startups = json(
        &app.get(
            &format!("/api/karte/daten?{}", query_arg("art=startup&q=")),
            None,
        )
        .await,
    );
    let startup_dots = startups["actors"].as_array().unwrap();
    assert!(!startup_dots.is_empty() && startup_dots.len() < actors.len());
    assert!(
        startup_dots.iter().all(|dot| dot[3] == 1),
        "kind index 1 is startup"
    );

    let view = json(
        &app.get(
            &format!("/api/karte/ansicht?{}&page=3", query_arg("")),
            None,
        )
        .await,
    );
    assert_eq!(
        (view["page"].as_u64(), view["pages"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(view["list"].as_array().unwrap().len(), 144 - 100);
    let growth = view["growth"].as_array().unwrap();
    let last = growth.last().unwrap();
    assert_eq!(
        last["connections"].as_u64(),
        Some(264),
        "no demo connection has ended"
    );
    assert!(
        growth.first().unwrap()["actors"].as_u64().unwrap() <= last["actors"].as_u64().unwrap()
    );

    let options = json(&app.get("/api/karte/optionen", None).await);
    assert_eq!(options["sectors"].as_array().unwrap().len(), 13);
    assert!(options["towns"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "Sinsheim"));
}

#[tokio::test]
async fn a_change_to_the_network_reaches_the_map_at_once() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let path = format!("/api/karte/daten?{}", query_arg(""));
    let before = json(&app.get(&path, None).await)["connections"]
        .as_array()
        .unwrap()
        .len();
    let mut tx = app.db.pool.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO connections (source_id, target_id, kind, started_on, created_at) \
         SELECT a.id, b.id, 'tandem', '2026-01-01', 0 FROM actors a, actors b \
         WHERE a.slug = 'universitaet-heidelberg' AND b.slug = 'karlsruher-institut-fuer-technologie-kit'",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tandem_bump(&mut tx).await;
    tx.commit().await.unwrap();
    let after = json(&app.get(&path, None).await)["connections"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(after, before + 1);
}

#[tokio::test]
async fn network_view_and_lagebild_describe_the_same_network() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let network = json(
        &app.get(&format!("/api/karte/netzwerkdaten?{}", query_arg("")), None)
            .await,
    );
    let dots = network["actors"].as_array().unwrap();
    assert_eq!(dots.len(), 144);
    for dot in dots {
        let (y, x) = (dot[4].as_f64().unwrap(), dot[5].as_f64().unwrap());
        assert!(
            (0.0..=1000.0).contains(&x) && (0.0..=1000.0).contains(&y),
            "{dot}"
        );
    }
    let report = json(&app.get("/api/karte/lagebild", None).await);
    assert_eq!(report["actors"].as_u64(), Some(144));
    assert!(!report["brokers"].as_array().unwrap().is_empty());
    let suggestions = report["suggestions"].as_array().unwrap();
    assert!(!suggestions.is_empty());
    let connected: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.slug, t.slug FROM connections c JOIN actors s ON s.id = c.source_id JOIN actors t ON t.id = c.target_id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    for suggestion in suggestions {
        let (a, b) = (
            suggestion["a"]["slug"].as_str().unwrap().to_owned(),
            suggestion["b"]["slug"].as_str().unwrap().to_owned(),
        );
        assert!(
            !connected.contains(&(a.clone(), b.clone())) && !connected.contains(&(b, a)),
            "suggested pairs are not connected yet"
        );
    }
}

#[tokio::test]
async fn an_import_with_bad_rows_reports_every_row_and_imports_nothing() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, cookie) = app.account(Role::Partner).await;
    let csv = "name;art;ort;breite;laenge;branchen\n\
               Neue Sensorik GmbH;mittelstand;Sinsheim;49,25;8,88;energie\n\
               Falsche Art;konzern;Sinsheim;49,25;8,88;\n\
               Universität Heidelberg;forschung;Heidelberg;49,41;8,70;\n\
               Weit weg;startup;Nirgendwo;149;8;\n";
    for apply in ["false", "true"] {
        let reply = app
            .post(
                "/api/karte/import",
                &[("kind", "akteure"), ("csv", csv), ("apply", apply)],
                Some(&cookie),
            )
            .await;
        let report = json(&reply);
        let lines: Vec<u64> = report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, vec![3, 4, 5], "{}", reply.body);
        assert!(report["job"].is_null(), "nothing is started");
    }
    assert_eq!(public_actor_count(&app).await, 144, "nothing was imported");

    let participant = app.account(Role::Participant).await.1;
    let refused = app
        .post(
            "/api/karte/import",
            &[("kind", "akteure"), ("csv", csv), ("apply", "true")],
            Some(&participant),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_clean_import_lands_in_one_transaction_and_reaches_the_map() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, cookie) = app.account(Role::Admin).await;
    let actors = "\u{feff}name;art;ort;breite;laenge;technologien;oeffentlich\n\
                  Kraichgau Quantensensorik GmbH;startup;Eppingen;49,137;8,911;ki;ja\n\
                  Hügelland Präzisionsguss KG;mittelstand;Bretten;49,036;8,706;;ja\n";
    let checked = json(
        &app.post(
            "/api/karte/import",
            &[("kind", "akteure"), ("csv", actors), ("apply", "false")],
            Some(&cookie),
        )
        .await,
    );
    assert_eq!(
        (checked["rows"].as_u64(), checked["job"].is_null()),
        (Some(2), true)
    );
    assert_eq!(
        public_actor_count(&app).await,
        144,
        "a dry run changes nothing"
    );
    let started = json(
        &app.post(
            "/api/karte/import",
            &[("kind", "akteure"), ("csv", actors), ("apply", "true")],
            Some(&cookie),
        )
        .await,
    );
    let job = started["job"].as_u64().expect("a job");
    let done = wait_for_import(&app, job, &cookie).await;
    assert_eq!(
        done["state"]["Done"]["imported"].as_u64(),
        Some(2),
        "{done}"
    );
    assert_eq!(done["done"].as_u64(), Some(2));
    assert_eq!(public_actor_count(&app).await, 146);

    let connections = "von;zu;art;beginn;herkunft\n\
                       kraichgau-quantensensorik-gmbh;huegelland-praezisionsguss-kg;tandem;2026-03-01;Kickoff 2025\n";
    let started = json(
        &app.post(
            "/api/karte/import",
            &[
                ("kind", "verbindungen"),
                ("csv", connections),
                ("apply", "true"),
            ],
            Some(&cookie),
        )
        .await,
    );
    let done = wait_for_import(&app, started["job"].as_u64().expect("a job"), &cookie).await;
    assert_eq!(
        done["state"]["Done"]["imported"].as_u64(),
        Some(1),
        "{done}"
    );
    let again = json(
        &app.post(
            "/api/karte/import",
            &[
                ("kind", "verbindungen"),
                ("csv", connections),
                ("apply", "false"),
            ],
            Some(&cookie),
        )
        .await,
    );
    assert_eq!(
        again["problems"][0]["problem"], "ConnectionExists",
        "{again}"
    );
}

#[tokio::test]
async fn exports_open_in_german_excel_and_gis_tools() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let csv = app.get("/karte/export/akteure.csv?art=startup", None).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(csv.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("attachment"));
    assert!(
        csv.body.starts_with("\u{feff}name;art;ort;breite;laenge;"),
        "BOM and semicolons"
    );
    let startups = json(
        &app.get(
            &format!("/api/karte/daten?{}", query_arg("art=startup")),
            None,
        )
        .await,
    )["actors"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(csv.body.lines().count(), startups + 1);
    assert!(csv.body.lines().nth(1).unwrap().contains(";startup;"));
    assert!(
        csv.body.lines().nth(1).unwrap().contains(","),
        "decimal commas"
    );

    let connections = app.get("/karte/export/verbindungen.csv", None).await;
    assert_eq!(connections.body.lines().count(), 264 + 1);
    let geojson: serde_json::Value =
        serde_json::from_str(&app.get("/karte/export/karte.geojson", None).await.body).unwrap();
    assert_eq!(geojson["features"].as_array().unwrap().len(), 144 + 264);
    assert_eq!(
        app.get("/karte/export/passwoerter.csv", None).await.status,
        StatusCode::NOT_FOUND
    );

    // The exported actor file imports elsewhere: into an empty region it checks clean.
    let other = test_app().await;
    crate::demo::synthetic::load(
        &other.db,
        crate::demo::synthetic::SyntheticSize {
            actors: 0,
            connections: 0,
            seed: 1,
        },
    )
    .await
    .unwrap();
    let (_, cookie) = other.account(Role::Partner).await;
    let report = json(
        &other
            .post(
                "/api/karte/import",
                &[("kind", "akteure"), ("csv", &csv.body), ("apply", "false")],
                Some(&cookie),
            )
            .await,
    );
    assert_eq!(report["rows"].as_u64(), Some(startups as u64), "{report}");
}

#[tokio::test]
async fn the_embed_page_works_without_login_and_without_the_site_chrome() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let embed = app.get("/einbetten/karte?art=forschung", None).await;
    assert_eq!(embed.status, StatusCode::OK);
    assert!(embed.body.contains("Im Tandem-Netzwerk öffnen"));
    assert!(embed.body.contains("href=\"/karte?art=forschung\""));
    assert!(
        !embed.body.contains("Hauptnavigation"),
        "no site navigation in the iframe"
    );
}

#[tokio::test]
async fn a_synthetic_region_is_generated_only_into_an_empty_database() {
    let app = test_app().await;
    let size = crate::demo::synthetic::SyntheticSize {
        actors: 400,
        connections: 1500,
        seed: 3,
    };
    assert_eq!(
        crate::demo::synthetic::load(&app.db, size).await,
        Ok((400, 1500))
    );
    let data = json(
        &app.get(&format!("/api/karte/daten?{}", query_arg("")), None)
            .await,
    );
    assert_eq!(data["actors"].as_array().unwrap().len(), 400);
    assert_eq!(data["connections"].as_array().unwrap().len(), 1500);
    assert!(crate::demo::synthetic::load(&app.db, size).await.is_err());
    let report = json(&app.get("/api/karte/lagebild", None).await);
    assert_eq!(report["actors"].as_u64(), Some(400));
}

#[tokio::test]
async fn partners_edit_actors_and_connections_and_the_map_follows() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, cookie) = app.account(Role::Partner).await;
    let mut form = actor_form(&[
        ("name", "Elsenz Wasserstoff GmbH"),
        ("kind", "startup"),
        ("town", "Sinsheim"),
        ("lat", "49,2527"),
        ("lon", "8,8796"),
        ("website", "https://wasserstoff.example"),
        ("sectors][0", "energie"),
        ("technologies][4", "ki"),
        ("is_public", "on"),
    ]);
    form.push(("slug".into(), ""));
    let created = post_owned(&app, "/api/karte/akteur/speichern", &form, Some(&cookie)).await;
    assert!(
        created.status.is_success() || created.status.is_redirection(),
        "{} {}",
        created.status,
        created.body
    );
    let terms: Vec<(String,)> = sqlx::query_as(
        "SELECT t.slug FROM actor_terms x JOIN taxonomy_terms t ON t.id = x.term_id JOIN actors a ON a.id = x.actor_id \
         WHERE a.slug = 'elsenz-wasserstoff-gmbh' ORDER BY t.slug",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(terms, vec![("energie".to_owned(),), ("ki".to_owned(),)]);
    assert_eq!(public_actor_count(&app).await, 145);

    // The same name in the same town is refused, and so are impossible coordinates.
    let duplicate = post_owned(&app, "/api/karte/akteur/speichern", &form, Some(&cookie)).await;
    assert_eq!(
        duplicate.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        duplicate.body
    );
    assert!(duplicate.body.contains("DuplicateActor"));
    let mut far = form.clone();
    far[0].1 = "Anderer Name GmbH";
    far[3].1 = "95";
    let refused = post_owned(&app, "/api/karte/akteur/speichern", &far, Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("CoordinatesOutOfRange"));
    assert_eq!(
        public_actor_count(&app).await,
        145,
        "refused input changes nothing"
    );

    // An update keeps the slug; consent withdrawn takes the actor off the map.
    let mut update = form.clone();
    update.retain(|(k, _)| k != "actor[is_public]" && k != "slug");
    update.push(("slug".into(), "elsenz-wasserstoff-gmbh"));
    let updated = post_owned(&app, "/api/karte/akteur/speichern", &update, Some(&cookie)).await;
    assert!(
        updated.status.is_success() || updated.status.is_redirection(),
        "{}",
        updated.body
    );
    assert_eq!(public_actor_count(&app).await, 144);
    let editor = json(
        &app.get(
            "/api/karte/akteur/bearbeiten?slug=elsenz-wasserstoff-gmbh",
            Some(&cookie),
        )
        .await,
    );
    assert!(editor["input"]["is_public"].is_null());

    let connection = [
        ("connection[source]", "elsenz-wasserstoff-gmbh"),
        ("connection[target]", "universitaet-heidelberg"),
        ("connection[kind]", "forschungskooperation"),
        ("connection[started_on]", "2026-02-01"),
    ];
    let saved = app
        .post(
            "/api/karte/verbindung/speichern",
            &connection,
            Some(&cookie),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let id: i64 = saved.body.trim().parse().unwrap();
    let again = app
        .post(
            "/api/karte/verbindung/speichern",
            &connection,
            Some(&cookie),
        )
        .await;
    assert!(again.body.contains("ConnectionExists"), "{}", again.body);
    let id_text = id.to_string();
    let mut changed = connection.to_vec();
    changed.extend([
        ("id", id_text.as_str()),
        ("connection[ended_on]", "2026-10-31"),
    ]);
    let updated = app
        .post("/api/karte/verbindung/speichern", &changed, Some(&cookie))
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    let ended: Option<String> =
        sqlx::query_scalar("SELECT ended_on FROM connections WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(ended.as_deref(), Some("2026-10-31"));
    let removed = app
        .post(
            "/api/karte/verbindung/loeschen",
            &[("id", &id.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    let gone = app
        .post(
            "/api/karte/verbindung/loeschen",
            &[("id", &id.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);

    let deleted = app
        .post(
            "/api/karte/akteur/loeschen",
            &[("slug", "elsenz-wasserstoff-gmbh")],
            Some(&cookie),
        )
        .await;
    assert!(deleted.status.is_success() || deleted.status.is_redirection());
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM actors WHERE slug = 'elsenz-wasserstoff-gmbh'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn anyone_proposes_and_editors_decide() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let mut form = actor_form(&[
        ("name", "Hardt Bienen eG"),
        ("kind", "initiative"),
        ("town", "Bruchsal"),
        ("lat", "49.12"),
        ("lon", "8.59"),
        ("is_public", "on"),
    ]);
    form.extend([
        ("slug".to_owned(), ""),
        ("proposer_name".to_owned(), "Imke Imker"),
        ("proposer_email".to_owned(), "imke@example.de"),
        ("message".to_owned(), "Wir fehlen noch."),
    ]);
    let mut bad = form.clone();
    bad.last_mut().unwrap().1 = "x".repeat(1001).leak();
    assert_eq!(
        post_owned(&app, "/api/karte/vorschlag", &bad, None)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let sent = post_owned(&app, "/api/karte/vorschlag", &form, None).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(
        public_actor_count(&app).await,
        144,
        "a proposal changes nothing yet"
    );

    let (_, cookie) = app.account(Role::Admin).await;
    let proposals = json(&app.get("/api/karte/vorschlaege", Some(&cookie)).await);
    let proposal = &proposals.as_array().unwrap()[0];
    assert_eq!(proposal["proposer_email"], "imke@example.de");
    assert!(proposal["current"].is_null());
    let id = proposal["id"].as_i64().unwrap().to_string();
    let unconfirmed = app
        .post(
            "/api/karte/vorschlag/entscheiden",
            &[("id", id.as_str()), ("accept", "true")],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        unconfirmed.status,
        StatusCode::CONFLICT,
        "consent needs a confirmation"
    );
    assert!(unconfirmed.body.contains("ConfirmationNeeded"));
    let decided = app
        .post(
            "/api/karte/vorschlag/entscheiden",
            &[("id", id.as_str()), ("accept", "true"), ("confirm", "on")],
            Some(&cookie),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    assert_eq!(public_actor_count(&app).await, 145);
    let stored: (String, Option<String>) =
        sqlx::query_as("SELECT status, proposer_email FROM proposals WHERE id = $1")
            .bind(id.parse::<i64>().unwrap())
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        ("accepted".to_owned(), None),
        "the address is gone after the decision"
    );
    let twice = app
        .post(
            "/api/karte/vorschlag/entscheiden",
            &[("id", id.as_str()), ("accept", "false")],
            Some(&cookie),
        )
        .await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn editors_extend_the_taxonomy_and_contacts_show_only_with_consent() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, cookie) = app.account(Role::Partner).await;
    let term = [
        ("vocabulary", "technology"),
        ("slug", ""),
        ("label_de", "Quantentechnologie"),
        ("label_en", "Quantum technology"),
    ];
    let saved = app.post("/api/karte/begriff", &term, Some(&cookie)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("quantentechnologie"));
    let again = app.post("/api/karte/begriff", &term, Some(&cookie)).await;
    assert!(again.body.contains("TermExists"), "{}", again.body);
    let options = json(&app.get("/api/karte/optionen", None).await);
    assert!(options["technologies"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["slug"] == "quantentechnologie"));
    let bad = [
        ("vocabulary", "farben"),
        ("slug", ""),
        ("label_de", "Rot"),
        ("label_en", "Red"),
    ];
    assert_eq!(
        app.post("/api/karte/begriff", &bad, Some(&cookie))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    sqlx::query("UPDATE actors SET contact_email = 'info@kit.example' WHERE slug = 'karlsruher-institut-fuer-technologie-kit'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let profile = "/api/akteur?slug=karlsruher-institut-fuer-technologie-kit";
    assert!(
        json(&app.get(profile, None).await)["contact_email"].is_null(),
        "no consent, no contact"
    );
    sqlx::query("UPDATE actors SET contact_public = 1 WHERE slug = 'karlsruher-institut-fuer-technologie-kit'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        json(&app.get(profile, None).await)["contact_email"],
        "info@kit.example"
    );
}
