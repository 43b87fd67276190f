//! Integration tests of what the case studies serve and keep: image uploads and their pruning,
//! names of deleted accounts, the render cache, the Atom feed and the playbook export.

use super::*;

impl TestApp {
    async fn upload(&self, cookie: Option<&str>, file_name: &str, bytes: &[u8]) -> Reply {
        let (content_type, body) = multipart("bild", file_name, bytes);
        let mut request = Request::post("/bilder").header(header::CONTENT_TYPE, content_type);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }
}

fn multipart(field: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "tandemgrenze";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nDie Halle\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0,
    1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0d, 0x49, 0x44, 0x41, 0x54,
    0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0, 0x05, 0, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d,
    0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_are_checked_by_their_bytes_and_served_inert() {
    let app = test_app().await;
    let (anna_id, anna) = app.account(Role::Partner).await;
    let stored = app.upload(Some(&anna), "../../etc/passwd.png", PNG).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    let name = stored.body.clone();
    assert!(
        crate::domain::case_study::is_image_name(&name),
        "{name}: the browser's name is ignored"
    );
    let served = app.get(&format!("/bilder/{name}"), None).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(served.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        app.upload(Some(&anna), "x.png", PNG).await.body,
        name,
        "the same image is stored once"
    );

    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>";
    let refused = app.upload(Some(&anna), "bild.png", svg).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("kein SVG"), "{}", refused.body);
    let mut huge = PNG.to_vec();
    huge.resize(crate::domain::case_study::IMAGE_BYTES_MAX + 10, 0);
    let too_large = app.upload(Some(&anna), "gross.png", &huge).await;
    assert_eq!(
        too_large.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        too_large.body
    );
    assert!(too_large.body.contains("zu groß"));
    let mut far_too_large = PNG.to_vec();
    far_too_large.resize(crate::domain::case_study::IMAGE_BYTES_MAX * 2, 0);
    assert!(app
        .upload(Some(&anna), "riesig.png", &far_too_large)
        .await
        .status
        .is_client_error());
    assert_eq!(
        app.upload(None, "x.png", PNG).await.status,
        StatusCode::UNAUTHORIZED
    );
    let (_, participant) = app.account(Role::Participant).await;
    assert_eq!(
        app.upload(Some(&participant), "x.png", PNG).await.status,
        StatusCode::FORBIDDEN
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM images")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 1, "refused uploads store nothing");
    for path in [
        "/bilder/..%2Fkonto",
        "/bilder/x.svg",
        &format!("/bilder/{}", name.replace(".png", ".gif")),
    ] {
        assert_eq!(
            app.get(path, None).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }

    // A day's allowance used up: the next new image is refused and nothing is stored.
    sqlx::query(
        "INSERT INTO images (name, content_type, bytes, size, uploaded_by, created_at) \
         VALUES ($1, 'image/png', $2, $3, $4, $5)",
    )
    .bind(format!("{}.png", "f".repeat(64)))
    .bind(vec![0u8])
    .bind(crate::domain::case_study::UPLOAD_BYTES_PER_DAY as i64)
    .bind(anna_id)
    .bind(unix_now())
    .execute(&app.db.pool)
    .await
    .unwrap();
    let mut another = PNG.to_vec();
    another.push(1);
    let over = app.upload(Some(&anna), "noch-eins.png", &another).await;
    assert_eq!(
        over.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        over.body
    );
    assert!(over.body.contains("am Tag"), "{}", over.body);
    assert_eq!(
        app.upload(Some(&anna), "x.png", PNG).await.status,
        StatusCode::CREATED,
        "an image already stored costs nothing"
    );
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_account_leaves_no_name_in_the_stories_and_its_export_shows_them() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let hash = hash_password("mein-langes-passwort".into()).await.unwrap();
    let (id, _) = insert_account(
        &app.db,
        "pia@example.de",
        "Pia Partner",
        Role::Partner,
        Some(hash),
    )
    .await
    .unwrap();
    let cookie = app.session(id).await;
    let slug = app.create_story(&cookie, "Pias Geschichte").await;
    let export = app.get("/api/konto/export", Some(&cookie)).await;
    let data: serde_json::Value =
        serde_json::from_str(&serde_json::from_str::<String>(&export.body).unwrap()).unwrap();
    assert_eq!(
        data["case_study_revisions"][0]["case_study"],
        "Pias Geschichte"
    );
    assert_eq!(data["case_study_steps"][0]["step"], "create");

    let deleted = app
        .post(
            "/api/konto/loeschen",
            &[("password", "mein-langes-passwort")],
            Some(&cookie),
        )
        .await;
    assert!(
        deleted.status.is_success() || deleted.status.is_redirection(),
        "{}",
        deleted.status
    );
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT r.author_name FROM case_study_revisions r JOIN case_studies c ON c.id = r.case_study_id \
         WHERE c.slug = $1 UNION ALL SELECT l.who FROM case_study_log l \
         JOIN case_studies c ON c.id = l.case_study_id WHERE c.slug = $1",
    )
    .bind(&slug)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(!names.is_empty());
    for name in &names {
        assert_eq!(name, crate::accounts::server::accounts::DELETED_ACCOUNT);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_uploads_never_exceed_the_daily_allowance() {
    let app = test_app().await;
    let (anna_id, anna) = app.account(Role::Partner).await;
    // The day's allowance is used up to a little more than half a megabyte.
    let left = 600 * 1024;
    sqlx::query(
        "INSERT INTO images (name, content_type, bytes, size, uploaded_by, created_at) \
         VALUES ($1, 'image/png', $2, $3, $4, $5)",
    )
    .bind(format!("{}.png", "e".repeat(64)))
    .bind(vec![0u8])
    .bind((crate::domain::case_study::UPLOAD_BYTES_PER_DAY - left) as i64)
    .bind(anna_id)
    .bind(unix_now())
    .execute(&app.db.pool)
    .await
    .unwrap();
    // Eight different images of 400 KB at once: only one fits.
    let uploads = (0..8u8).map(|n| {
        let (app, anna) = (app.clone(), anna.clone());
        let mut image = PNG.to_vec();
        image.resize(400 * 1024, n);
        tokio::spawn(async move { app.upload(Some(&anna), "bild.png", &image).await.status })
    });
    let statuses: Vec<StatusCode> = futures_util::future::join_all(uploads)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let stored = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    assert_eq!(stored, 1, "{statuses:?}");
    assert!(statuses
        .iter()
        .all(|s| *s == StatusCode::CREATED || *s == StatusCode::UNPROCESSABLE_ENTITY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_nothing_uses_are_removed_after_a_week() {
    let app = test_app().await;
    let (_, anna) = app.account(Role::Partner).await;
    let mut names = Vec::new();
    for n in 0..3u8 {
        let mut png = PNG.to_vec();
        png.push(n);
        let reply = app.upload(Some(&anna), "bild.png", &png).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        names.push(reply.body);
    }
    let (used, unused, recent) = (&names[0], &names[1], &names[2]);
    sqlx::query("UPDATE playbook SET intro = $1")
        .bind(format!("![Halle](/bilder/{used})"))
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE images SET created_at = $1 WHERE name <> $2")
        .bind(unix_now() - crate::domain::case_study::UNUSED_IMAGE_SECS - 60)
        .bind(recent)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        crate::cases::server::images::prune_images(&app.db)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app.get(&format!("/bilder/{unused}"), None).await.status,
        StatusCode::NOT_FOUND
    );
    for kept in [used, recent] {
        assert_eq!(
            app.get(&format!("/bilder/{kept}"), None).await.status,
            StatusCode::OK,
            "{kept}"
        );
    }
    assert_eq!(
        crate::cases::server::images::prune_images(&app.db)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_pages_come_from_the_render_cache_until_an_edit() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let page = "/fallstudien/energiemonitoring-in-der-galvanik";
    let first = app.get(page, None).await;
    assert_eq!(first.headers["x-tandem-cache"], "miss");
    let second = app.get(page, None).await;
    assert_eq!(second.headers["x-tandem-cache"], "hit");
    // The same page, with each response's own script nonce, named by its own policy.
    let nonce = |reply: &Reply| {
        let policy = reply.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        let start = policy.find("'nonce-").unwrap() + "'nonce-".len();
        policy[start..start + policy[start..].find('\'').unwrap()].to_owned()
    };
    let (first_nonce, second_nonce) = (nonce(&first), nonce(&second));
    assert_ne!(first_nonce, second_nonce);
    assert!(second.body.contains(&format!("nonce=\"{second_nonce}\"")));
    assert!(!second.body.contains(&first_nonce));
    assert_eq!(first.body.replace(&first_nonce, &second_nonce), second.body);
    let other_query = app.get(&format!("{page}?zufall=123"), None).await;
    assert_eq!(
        other_query.headers["x-tandem-cache"], "hit",
        "query strings the page does not read neither fill nor bypass the cache"
    );
    let english = app.get(page, Some("tandem_lang=en")).await;
    assert_eq!(
        english.headers["x-tandem-cache"], "miss",
        "each language has its own copy"
    );
    assert!(english.body.contains("Key figures"));
    let (_, admin) = app.account(Role::Admin).await;
    let signed_in = app.get(page, Some(&admin)).await;
    assert!(
        signed_in.headers.get("x-tandem-cache").is_none(),
        "signed-in pages are rendered fresh"
    );

    assert_eq!(
        app.step(&admin, "energiemonitoring-in-der-galvanik", "withdraw", "")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(page, None).await.status,
        StatusCode::NOT_FOUND,
        "an edit empties the cache"
    );
    let list = app.get("/fallstudien", None).await;
    assert!(!list
        .body
        .contains("Energiemonitoring, das die Werkhalle versteht"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_and_the_playbook_export_carry_the_published_stories() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let feed = app.get("/fallstudien/feed.xml", None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    let parsed = atom_syndication::Feed::read_from(feed.body.as_bytes()).expect("valid Atom");
    assert_eq!(parsed.entries().len(), 3);
    assert!(parsed
        .entries()
        .iter()
        .all(|e| e.links()[0].href().starts_with("http")));

    let (_, anna) = app.account(Role::Partner).await;
    let image = app.upload(Some(&anna), "halle.png", PNG).await.body;
    let slug = "energiemonitoring-in-der-galvanik";
    sqlx::query("UPDATE case_studies SET images = $1 WHERE slug = $2")
        .bind(format!("[{{\"name\":\"{image}\",\"alt\":\"Die Halle\"}}]"))
        .bind(slug)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let editor = app.get("/api/playbook/editor", Some(&anna)).await;
    let editor: crate::cases::PlaybookEditorData = serde_json::from_str(&editor.body).unwrap();
    let saved = app
        .post(
            "/api/playbook/speichern",
            &[
                ("intro", "Einleitung"),
                ("method", "## Schritte"),
                ("studies[0]", slug),
                ("base_version", &editor.version.to_string()),
            ],
            Some(&anna),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let stale = app
        .post(
            "/api/playbook/speichern",
            &[
                ("intro", "x"),
                ("method", "y"),
                ("base_version", &editor.version.to_string()),
            ],
            Some(&anna),
        )
        .await;
    assert_eq!(
        stale.status,
        StatusCode::CONFLICT,
        "the playbook is locked the same way"
    );
    let export = app.get("/playbook/export.html", None).await;
    assert_eq!(export.status, StatusCode::OK);
    let html = export.body;
    assert!(html.contains("<style>") && html.contains("@page"));
    assert!(
        html.contains("data:image/png;base64,"),
        "images are inlined"
    );
    assert!(
        !html.contains("src=\"/"),
        "nothing is fetched from the server"
    );
    assert!(!html.contains("<script"), "no script");
    assert!(
        html.contains("Energiemonitoring") && !html.contains("Vom Schrottplatz"),
        "only the chosen story"
    );
    let page = app.get("/playbook", None).await;
    assert!(page.body.contains("booklet__toc") && page.body.contains("Einleitung"));
}
