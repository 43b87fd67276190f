//! Integration tests of the case studies' writing: the workflow with two partner organisations,
//! the edit conflict, revisions and drafts, and invalid or hostile content.

use super::*;
use crate::cases::SaveOutcome;
use crate::domain::case_study::{CaseContent, CaseImage};
use crate::domain::markdown::tests::{assert_safe, hostile};

const PARTNER_A: &str = "kraichbach-landmaschinen-kg";

const PARTNER_B: &str = "circulo-gmbh";

impl TestApp {
    pub(super) async fn post_json(
        &self,
        path: &str,
        json: serde_json::Value,
        cookie: &str,
    ) -> Reply {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie)
            .body(Body::from(json.to_string()))
            .unwrap();
        self.send(request).await
    }

    pub(super) async fn actor(&self, slug: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM actors WHERE slug = $1")
            .bind(slug)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    /// An account of `role` that speaks for the organisation `actor`.
    pub(super) async fn member(&self, role: Role, actor: &str) -> (i64, String) {
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

    pub(super) async fn create_story(&self, cookie: &str, title: &str) -> String {
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

    pub(super) async fn content_of(&self, slug: &str) -> CaseContent {
        let row = crate::cases::server::read::study(&self.db, slug)
            .await
            .unwrap();
        crate::cases::server::read::content(&self.db, row.id)
            .await
            .unwrap()
    }

    pub(super) async fn save_story(
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

    pub(super) async fn step(&self, cookie: &str, slug: &str, step: &str, comment: &str) -> Reply {
        self.post(
            "/api/fallstudie/schritt",
            &[("slug", slug), ("step", step), ("comment", comment)],
            Some(cookie),
        )
        .await
    }

    pub(super) async fn status_of(&self, slug: &str) -> String {
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
    assert_eq!(
        public.lookups,
        crate::cases::Lookups::default(),
        "no lookups: the partners are named in the HTML, nothing beyond them"
    );
    assert!(public.html.contains(&format!("/akteure/{PARTNER_A}")));
    assert!(
        public.content.challenge.is_empty() && !public.html.is_empty(),
        "the text travels once, as HTML"
    );
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_editors_preview_is_rendered_safe_on_the_server_for_editors_only() {
    let app = test_app().await;
    seed_demo(&app.db).await.unwrap();
    let (_, anna) = app.account(Role::Partner).await;
    let slug = app.create_story(&anna, "Vorschau").await;
    let corpus = hostile().join("\n\n");
    let mut content = complete(app.content_of(&slug).await);
    content.outlook = corpus.clone();
    let preview = |level: u8| serde_json::json!({ "content": content, "level": level });
    let rendered = |reply: Reply| -> String {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        serde_json::from_str(&reply.body).expect("the preview is a JSON string")
    };

    let html = rendered(
        app.post_json("/api/fallstudie/vorschau", preview(3), &anna)
            .await,
    );
    assert!(
        html.starts_with("<h3 class=\"case__title\">Vorschau</h3>"),
        "{html}"
    );
    assert!(html.contains("<strong>Schrott</strong>"), "{html}");
    assert!(
        html.contains("Kraichbach"),
        "partners named as readers see them"
    );
    assert_safe(&corpus, &html);
    let deep = rendered(
        app.post_json("/api/fallstudie/vorschau", preview(9), &anna)
            .await,
    );
    assert!(
        deep.starts_with("<h4 "),
        "the title level stays within 2 to 4: {deep}"
    );

    // Nobody but editors renders through it, and it stores nothing.
    let (_, participant) = app.account(Role::Participant).await;
    assert_eq!(
        app.post_json("/api/fallstudie/vorschau", preview(3), &participant)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let anonymous = app
        .post_json("/api/fallstudie/vorschau", preview(3), "")
        .await;
    assert!(
        matches!(
            anonymous.status,
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
        ),
        "{}",
        anonymous.status
    );
    assert_eq!(app.content_of(&slug).await.outlook, "");
}
