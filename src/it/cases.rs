//! Integration tests of the case studies: the workflow with two partner organisations, the
//! edit conflict, revisions, hostile content in the served page, image uploads, the render cache,
//! the Atom feed and the playbook export.

use super::*;
use crate::cases::SaveOutcome;
use crate::domain::case_study::{CaseContent, CaseImage};
use crate::domain::markdown::tests::{assert_safe, hostile};

const PARTNER_A: &str = "kraichbach-landmaschinen-kg";
const PARTNER_B: &str = "circulo-gmbh";

impl TestApp {
    async fn post_json(&self, path: &str, json: serde_json::Value, cookie: &str) -> Reply {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie)
            .body(Body::from(json.to_string()))
            .unwrap();
        self.send(request).await
    }

    async fn actor(&self, slug: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM actors WHERE slug = $1")
            .bind(slug)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    /// An account of `role` that speaks for the organisation `actor`.
    async fn member(&self, role: Role, actor: &str) -> (i64, String) {
        let (id, cookie) = self.account(role).await;
        sqlx::query(
            "UPDATE users SET actor_id = (SELECT id FROM actors WHERE slug = $1) WHERE id = $2",
        )
        .bind(actor)
        .bind(id)
        .execute(&self.db.pool)
        .await
        .unwrap();
        (id, cookie)
    }

    async fn create_story(&self, cookie: &str, title: &str) -> String {
        let (a, b) = (self.actor(PARTNER_A).await, self.actor(PARTNER_B).await);
        let reply = self
            .post(
                "/api/fallstudie/anlegen",
                &[
                    ("title", title),
                    ("partners[0]", &a.to_string()),
                    ("partners[1]", &b.to_string()),
                ],
                Some(cookie),
            )
            .await;
        assert!(
            reply.status.is_success() || reply.status.is_redirection(),
            "{}: {}",
            reply.status,
            reply.body
        );
        sqlx::query_scalar("SELECT slug FROM case_studies WHERE title = $1")
            .bind(title)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    async fn content_of(&self, slug: &str) -> CaseContent {
        let row = crate::cases::server::read::study(&self.db, slug)
            .await
            .unwrap();
        crate::cases::server::read::content(&self.db, row.id)
            .await
            .unwrap()
    }

    async fn save_story(
        &self,
        cookie: &str,
        slug: &str,
        base: i64,
        content: &CaseContent,
    ) -> Reply {
        self.post_json(
            "/api/fallstudie/speichern",
            serde_json::json!({ "slug": slug, "base_version": base, "content": content }),
            cookie,
        )
        .await
    }

    async fn step(&self, cookie: &str, slug: &str, step: &str, comment: &str) -> Reply {
        self.post(
            "/api/fallstudie/schritt",
            &[("slug", slug), ("step", step), ("comment", comment)],
            Some(cookie),
        )
        .await
    }

    async fn status_of(&self, slug: &str) -> String {
        sqlx::query_scalar("SELECT status FROM case_studies WHERE slug = $1")
            .bind(slug)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }
}

fn complete(mut content: CaseContent) -> CaseContent {
    content.teaser = "Ein Landmaschinenbauer und ein Startup schließen den Kreislauf.".into();
    content.region = "Kraichgau".into();
    content.challenge = "Verschleißteile landen im **Schrott**.".into();
    content.solution = "Eine Rücknahme-App.".into();
    content.result = "2.300 Teile kamen zurück.".into();
    content.key_figures = "2.300 | Teile zurück\n61 % | wieder verkauft".into();
    content.quote = "Der Blick von außen hat geholfen.".into();
    content.quote_by = "Geschäftsführung".into();
    content
}

fn saved_version(reply: &Reply) -> i64 {
    match serde_json::from_str::<SaveOutcome>(&reply.body) {
        Ok(SaveOutcome::Saved { version }) => version,
        other => panic!(
            "expected a save, got {other:?} ({}: {})",
            reply.status, reply.body
        ),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_story_is_written_reviewed_approved_by_both_partners_and_published() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, author) = app.member(Role::Partner, PARTNER_A).await;
    let (_, admin) = app.account(Role::Admin).await;
    // The second partner's person has a participant account: enough to be told, not to edit.
    let (partner_b_id, partner_b) = app.member(Role::Participant, PARTNER_B).await;

    let slug = app.create_story(&author, "Rücknahme im Kreislauf").await;
    assert_eq!(app.status_of(&slug).await, "draft");
    let refused = app.step(&author, &slug, "submit", "").await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the core sections are missing"
    );
    assert!(refused.body.contains("challenge"), "{}", refused.body);

    let content = complete(app.content_of(&slug).await);
    let version = saved_version(&app.save_story(&author, &slug, 1, &content).await);
    assert_eq!(version, 2);
    assert_eq!(
        app.step(&author, &slug, "submit", "").await.status,
        StatusCode::OK
    );
    assert_eq!(app.status_of(&slug).await, "review");
    let edit_in_review = app.save_story(&author, &slug, 2, &content).await;
    assert_eq!(
        edit_in_review.status,
        StatusCode::OK,
        "reviewers may still correct"
    );

    // The reviewer sends it back with a comment, then it comes again and goes to the partners.
    let back = app
        .step(&admin, &slug, "sendback", "Bitte Kennzahlen belegen.")
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(app.status_of(&slug).await, "draft");
    let jumping = app.step(&admin, &slug, "publish", "").await;
    assert_eq!(
        jumping.status,
        StatusCode::CONFLICT,
        "no step skips review and approval"
    );
    app.step(&author, &slug, "submit", "").await;
    // The reviewer asks for approval of the version they read (3), never of an older one.
    for (version, expected) in [("2", StatusCode::CONFLICT), ("3", StatusCode::OK)] {
        let reply = app
            .post(
                "/api/fallstudie/schritt",
                &[
                    ("slug", &slug),
                    ("step", "requestapproval"),
                    ("version", version),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(reply.status, expected, "version {version}: {}", reply.body);
        if expected == StatusCode::CONFLICT {
            assert!(reply.body.contains("ChangedSinceShown"), "{}", reply.body);
            assert_eq!(app.status_of(&slug).await, "review");
        }
    }
    assert_eq!(app.status_of(&slug).await, "approval");
    let early = app.step(&admin, &slug, "publish", "").await;
    assert_eq!(early.status, StatusCode::CONFLICT, "approvals are missing");
    let frozen = app.save_story(&author, &slug, 3, &content).await;
    assert_eq!(
        frozen.status,
        StatusCode::CONFLICT,
        "approved text cannot change underneath"
    );

    // Partner B through a personal link, partner A through its account.
    let links = app
        .post(
            "/api/fallstudie/freigabelinks",
            &[("slug", &slug)],
            Some(&admin),
        )
        .await;
    let links: Vec<crate::cases::ApprovalLink> = serde_json::from_str(&links.body).unwrap();
    assert_eq!(links.len(), 2);
    let link_b = links
        .iter()
        .find(|l| l.actor_name.starts_with("Circulo"))
        .expect("link for B");
    let token_b = link_b.url.rsplit('/').next().unwrap().to_owned();
    // A link stops working after its time; the same link works while it lasts.
    let set_expiry = |at: i64| {
        sqlx::query(
            "UPDATE case_study_approvals SET token_expires_at = $1 WHERE token_hash IS NOT NULL",
        )
        .bind(at)
        .execute(&app.db.pool)
    };
    set_expiry(1).await.unwrap();
    let expired = app
        .post("/api/fallstudie/freigabe", &[("token", &token_b)], None)
        .await;
    assert_eq!(expired.status, StatusCode::CONFLICT, "{}", expired.body);
    assert!(expired.body.contains("ApprovalExpired"), "{}", expired.body);
    set_expiry(i64::from(i32::MAX) * 2).await.unwrap();
    let shown = app
        .post("/api/fallstudie/freigabe", &[("token", &token_b)], None)
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(shown.body.contains("Rücknahme im Kreislauf"));
    let wrong = app
        .post(
            "/api/fallstudie/freigabe/entscheiden",
            &[("token", "falsch"), ("decision", "freigeben")],
            None,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::CONFLICT);
    let approved = app
        .post(
            "/api/fallstudie/freigabe/entscheiden",
            &[("token", &token_b), ("decision", "freigeben")],
            None,
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let again = app
        .post(
            "/api/fallstudie/freigabe/entscheiden",
            &[("token", &token_b), ("decision", "freigeben")],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "a link works once");
    let (_, stranger) = app.member(Role::Partner, "loopcraft-gmbh").await;
    let not_ours = app
        .post(
            "/api/fallstudie/freigabe/entscheiden",
            &[("slug", &slug), ("decision", "freigeben")],
            Some(&stranger),
        )
        .await;
    assert_eq!(
        not_ours.status,
        StatusCode::CONFLICT,
        "only the story's partners approve"
    );
    // A partner of another organisation can neither get the links nor publish; authors do not
    // review.
    let links_for_stranger = app
        .post(
            "/api/fallstudie/freigabelinks",
            &[("slug", &slug)],
            Some(&stranger),
        )
        .await;
    assert_eq!(links_for_stranger.status, StatusCode::FORBIDDEN);
    for step in ["publish", "sendback"] {
        assert_eq!(
            app.step(&stranger, &slug, step, "x").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.step(&author, &slug, step, "x").await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        app.step(&admin, &slug, "publish", "").await.status,
        StatusCode::CONFLICT
    );
    let mine = app
        .post(
            "/api/fallstudie/freigabe/entscheiden",
            &[("slug", &slug), ("decision", "freigeben")],
            Some(&author),
        )
        .await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    assert_eq!(
        app.step(&admin, &slug, "publish", "").await.status,
        StatusCode::OK
    );
    assert_eq!(app.status_of(&slug).await, "published");
    let late = app
        .post(
            "/api/fallstudie/freigabe/entscheiden",
            &[
                ("slug", &slug),
                ("decision", "aendern"),
                ("comment", "doch nicht"),
            ],
            Some(&partner_b),
        )
        .await;
    assert_eq!(
        late.status,
        StatusCode::CONFLICT,
        "a published story is not sent back by a partner"
    );
    assert_eq!(app.status_of(&slug).await, "published");

    // Public: the page with OpenGraph, the list, the partners on the map.
    let page = app.get(&format!("/fallstudien/{slug}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("property=\"og:title\" content=\"Rücknahme im Kreislauf\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("og:description"));
    assert!(page.body.contains(&format!("/akteure/{PARTNER_A}")));
    let public: crate::cases::CaseArticle = serde_json::from_str(
        &app.get(&format!("/api/fallstudie?slug={slug}"), None)
            .await
            .body,
    )
    .unwrap();
    assert!(
        public.lookups.connections.is_empty(),
        "no connections beyond the story's own"
    );
    assert_eq!(public.lookups.actors.len(), 2, "only the partners");
    let list = app.get("/fallstudien?art=startup&q=kreislauf", None).await;
    assert!(
        list.body.contains("Rücknahme im Kreislauf"),
        "found by kind and search"
    );
    let none = app.get("/fallstudien?q=gibtesnicht", None).await;
    assert!(!none.body.contains("Rücknahme im Kreislauf"));

    // Everyone involved was told, the one who acted was not.
    let told: Vec<String> =
        sqlx::query_scalar("SELECT step FROM notifications WHERE user_id = $1 ORDER BY id")
            .bind(partner_b_id)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    for step in [
        "submit",
        "sendback",
        "requestapproval",
        "approve",
        "publish",
    ] {
        assert!(
            told.iter().any(|s| s == step),
            "partner B not told of {step}: {told:?}"
        );
    }
    let list = app.get("/api/mitteilungen", Some(&partner_b)).await;
    assert!(list.body.contains("Rücknahme im Kreislauf"));

    // Withdrawn stories leave the public side.
    assert_eq!(
        app.step(&admin, &slug, "withdraw", "").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/fallstudien/{slug}"), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.step(&author, &slug, "reopen", "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.step(&admin, &slug, "reopen", "").await.status,
        StatusCode::OK
    );
    assert_eq!(app.status_of(&slug).await, "draft");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_save_over_the_same_version_is_refused_with_both_versions() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, anna) = app.account(Role::Partner).await;
    let (_, ben) = app.account(Role::Admin).await;
    let slug = app.create_story(&anna, "Gleichzeitig").await;
    let start = app.content_of(&slug).await;

    let mut annas = complete(start.clone());
    annas.solution = "Annas Lösung.".into();
    let mut bens = complete(start);
    bens.solution = "Bens Lösung.".into();
    assert_eq!(
        saved_version(&app.save_story(&anna, &slug, 1, &annas).await),
        2
    );
    let second = app.save_story(&ben, &slug, 1, &bens).await;
    match serde_json::from_str::<SaveOutcome>(&second.body).unwrap() {
        SaveOutcome::Conflict {
            theirs,
            version,
            diff,
            ..
        } => {
            assert_eq!(*theirs, annas, "the stored version comes back");
            assert_eq!(version, 2);
            let solution = diff
                .iter()
                .find(|d| d.field == "solution")
                .expect("solution differs");
            assert!(solution
                .lines
                .iter()
                .any(|l| l.sign == '-' && l.text == "Annas Lösung."));
            assert!(solution
                .lines
                .iter()
                .any(|l| l.sign == '+' && l.text == "Bens Lösung."));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        app.content_of(&slug).await.solution,
        "Annas Lösung.",
        "nothing overwritten"
    );
    // Deliberately over the version just seen, it saves.
    assert_eq!(
        saved_version(&app.save_story(&ben, &slug, 2, &bens).await),
        3
    );
    assert_eq!(app.content_of(&slug).await.solution, "Bens Lösung.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revisions_are_compared_and_restored_and_drafts_autosaved() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, anna) = app.account(Role::Partner).await;
    let slug = app.create_story(&anna, "Versionen").await;
    let first = app.content_of(&slug).await;
    let mut second = complete(first.clone());
    assert_eq!(
        saved_version(&app.save_story(&anna, &slug, 1, &second).await),
        2
    );
    second.title = "Versionen, neu".into();
    assert_eq!(
        saved_version(&app.save_story(&anna, &slug, 2, &second).await),
        3
    );

    let diff = app
        .get(
            &format!("/api/fallstudie/vergleich?slug={slug}&from=1&to=3"),
            Some(&anna),
        )
        .await;
    let diff: Vec<crate::cases::FieldDiff> = serde_json::from_str(&diff.body).unwrap();
    let fields: Vec<&str> = diff.iter().map(|d| d.field.as_str()).collect();
    assert!(
        fields.contains(&"title") && fields.contains(&"challenge"),
        "{fields:?}"
    );
    assert!(
        !fields.contains(&"partners"),
        "unchanged fields are left out"
    );

    let restored = app
        .post(
            "/api/fallstudie/wiederherstellen",
            &[("slug", &slug), ("version", "1"), ("base_version", "3")],
            Some(&anna),
        )
        .await;
    assert_eq!(saved_version(&restored), 4);
    assert_eq!(
        app.content_of(&slug).await,
        first,
        "version 1's content is back"
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_study_revisions cr JOIN case_studies cs ON cs.id = cr.case_study_id WHERE cs.slug = $1")
        .bind(&slug)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 4, "restoring adds a revision, history stays");
    let stale = app
        .post(
            "/api/fallstudie/wiederherstellen",
            &[("slug", &slug), ("version", "2"), ("base_version", "3")],
            Some(&anna),
        )
        .await;
    assert!(matches!(
        serde_json::from_str::<SaveOutcome>(&stale.body),
        Ok(SaveOutcome::Conflict { .. })
    ));

    // Autosave keeps work in progress for its author only; a save clears it.
    let mut typing = app.content_of(&slug).await;
    typing.outlook = "Halb geschrieben".into();
    let kept = app
        .post_json(
            "/api/fallstudie/zwischenstand",
            serde_json::json!({ "slug": slug, "base_version": 4, "content": typing }),
            &anna,
        )
        .await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    let editor = app
        .get(&format!("/api/fallstudie/editor?slug={slug}"), Some(&anna))
        .await;
    let editor: crate::cases::CaseEditorData = serde_json::from_str(&editor.body).unwrap();
    assert_eq!(
        editor.draft.as_ref().map(|d| d.0.outlook.as_str()),
        Some("Halb geschrieben")
    );
    let (_, other) = app.account(Role::Partner).await;
    let theirs = app
        .get(&format!("/api/fallstudie/editor?slug={slug}"), Some(&other))
        .await;
    let theirs: crate::cases::CaseEditorData = serde_json::from_str(&theirs.body).unwrap();
    assert!(theirs.draft.is_none(), "drafts are personal");
    saved_version(&app.save_story(&anna, &slug, 4, &typing).await);
    let editor = app
        .get(&format!("/api/fallstudie/editor?slug={slug}"), Some(&anna))
        .await;
    let editor: crate::cases::CaseEditorData = serde_json::from_str(&editor.body).unwrap();
    assert!(editor.draft.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_content_changes_nothing() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, anna) = app.account(Role::Partner).await;
    let slug = app.create_story(&anna, "Prüfungen").await;
    let good = complete(app.content_of(&slug).await);
    let cases: Vec<(CaseContent, &str)> = vec![
        (
            CaseContent {
                partners: vec![good.partners[0]],
                ..good.clone()
            },
            "partners",
        ),
        (
            CaseContent {
                partners: vec![good.partners[0], 999_999],
                ..good.clone()
            },
            "partners",
        ),
        (
            CaseContent {
                key_figures: "nur Text".into(),
                ..good.clone()
            },
            "key_figures",
        ),
        (
            CaseContent {
                topics: vec!["gibt-es-nicht".into()],
                ..good.clone()
            },
            "topics",
        ),
        (
            CaseContent {
                images: vec![CaseImage {
                    name: format!("{}.png", "a".repeat(64)),
                    alt: "Bild".into(),
                }],
                ..good.clone()
            },
            "images",
        ),
    ];
    for (content, field) in cases {
        let reply = app.save_story(&anna, &slug, 1, &content).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            reply.body
        );
        assert!(reply.body.contains(field), "{field}: {}", reply.body);
    }
    let untouched = app.content_of(&slug).await;
    assert!(untouched.challenge.is_empty());
    let too_few = app
        .post(
            "/api/fallstudie/anlegen",
            &[("title", "Allein"), ("partners[0]", "1")],
            Some(&anna),
        )
        .await;
    assert_eq!(too_few.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, participant) = app.account(Role::Participant).await;
    assert_eq!(
        app.save_story(&participant, &slug, 1, &good).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_content_is_served_safe() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, anna) = app.account(Role::Partner).await;
    let slug = app.create_story(&anna, "Feindlich").await;
    let corpus = hostile().join("\n\n");
    let mut content = complete(app.content_of(&slug).await);
    content.challenge = corpus.clone();
    content.solution = corpus.clone();
    content.quote = corpus.clone();
    content.teaser = hostile()[0].clone();
    assert_eq!(
        saved_version(&app.save_story(&anna, &slug, 1, &content).await),
        2
    );
    sqlx::query(
        "UPDATE case_studies SET status = 'published', published_on = '2026-11-01' WHERE slug = $1",
    )
    .bind(&slug)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let page = app.get(&format!("/fallstudien/{slug}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    let start = page.body.find("<article class=\"case\"").expect("article");
    let end = start
        + page.body[start..]
            .find("</article>")
            .expect("end of article");
    assert_safe(&corpus, &page.body[start..end + "</article>".len()]);
    // The hydration data carries the raw text inside a script: it must not end that script.
    let lower = page.body.to_lowercase();
    assert!(!lower.contains("<script>alert"), "raw script in the page");
    assert!(!lower.contains("<svg onload"), "raw svg in the page");
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
