//! Integration tests of accounts: sign-in and sign-out, throttling, invitations and roles,
//! session expiry, and a person's own data.

use super::*;
use crate::domain::role::Role;
use axum::http::{header, StatusCode};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sets_a_safe_cookie_and_logout_ends_the_session() {
    let app = test_app().await;
    app.account_with_password(
        "anna@example.de",
        "Anna",
        Role::Partner,
        "ein-gutes-passwort",
    )
    .await;

    let reply = app.login("Anna@Example.de ", "ein-gutes-passwort").await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}: {}",
        reply.status,
        reply.body
    );
    let set_cookie = reply.set_cookie().expect("session cookie");
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    assert!(!set_cookie.contains("Secure"), "plain http instance");
    let cookie = cookie_pair(&set_cookie);

    let me = app.get("/api/konto/ich", Some(&cookie)).await;
    let viewer: serde_json::Value = serde_json::from_str(&me.body).unwrap();
    assert_eq!(viewer["email"], "anna@example.de");
    assert_eq!(viewer["role"], "partner");

    let reply = app.post("/api/konto/abmelden", &[], Some(&cookie)).await;
    assert!(reply.set_cookie().unwrap().contains("Max-Age=0"));
    let me = app.get("/api/konto/ich", Some(&cookie)).await;
    assert_eq!(
        me.body, "null",
        "the session is gone on the server, not just in the browser"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_are_refused_then_throttled() {
    let app = test_app().await;
    app.account_with_password(
        "ben@example.de",
        "Ben",
        Role::Participant,
        "ein-gutes-passwort",
    )
    .await;
    let unknown = app.login("niemand@example.de", "egal-egal-egal").await;
    assert_eq!(
        unknown.status,
        StatusCode::UNAUTHORIZED,
        "unknown accounts look like wrong passwords"
    );
    for _ in 0..5 {
        let reply = app.login("ben@example.de", "falsches-passwort").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert!(reply.set_cookie().is_none());
    }
    let locked = app.login("ben@example.de", "ein-gutes-passwort").await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(locked.set_cookie().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_account_activates_and_an_admin_changes_its_role() {
    let app = test_app().await;
    let (_, admin) = app.account(Role::Admin).await;
    let reply = app
        .post(
            "/api/admin/konto-anlegen",
            &[
                ("email", "clara@example.de"),
                ("display_name", "Clara"),
                ("role", "participant"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let invitation: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let link = invitation["link"].as_str().unwrap();
    assert!(link.starts_with("http://127.0.0.1:3000/einladung/"));
    let token = link.rsplit('/').next().unwrap();

    let again = app
        .post(
            "/api/admin/konto-anlegen",
            &[
                ("email", "CLARA@example.de"),
                ("display_name", "Clara"),
                ("role", "participant"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "duplicate email: {}",
        again.body
    );

    let weak = app
        .post(
            "/api/konto/einladung",
            &[("token", token), ("password", "kurz")],
            None,
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    let forged = app
        .post(
            "/api/konto/einladung",
            &[("token", "falsch"), ("password", "lang-genug-123")],
            None,
        )
        .await;
    assert_eq!(forged.status, StatusCode::CONFLICT);
    let accepted = app
        .post(
            "/api/konto/einladung",
            &[("token", token), ("password", "lang-genug-123")],
            None,
        )
        .await;
    let clara = cookie_pair(&accepted.set_cookie().expect("signed in after accepting"));
    let reuse = app
        .post(
            "/api/konto/einladung",
            &[("token", token), ("password", "lang-genug-456")],
            None,
        )
        .await;
    assert_eq!(
        reuse.status,
        StatusCode::CONFLICT,
        "an invitation works once"
    );

    let account_id = invitation["account_id"].as_i64().unwrap().to_string();
    let refused = app
        .post(
            "/api/admin/rolle",
            &[("account_id", &account_id), ("role", "admin")],
            Some(&clara),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "a participant cannot promote herself"
    );
    let unknown_role = app
        .post(
            "/api/admin/rolle",
            &[("account_id", &account_id), ("role", "kaiser")],
            Some(&admin),
        )
        .await;
    assert_eq!(unknown_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    let changed = app
        .post(
            "/api/admin/rolle",
            &[("account_id", &account_id), ("role", "organizer")],
            Some(&admin),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let me: serde_json::Value =
        serde_json::from_str(&app.get("/api/konto/ich", Some(&clara)).await.body).unwrap();
    assert_eq!(
        me["role"], "organizer",
        "the new role applies to the running session"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_admin_stays_an_admin() {
    let app = test_app().await;
    let (first, first_cookie) = app.account(Role::Admin).await;
    let (second, _) = app.account(Role::Admin).await;
    let own = app
        .post(
            "/api/admin/rolle",
            &[("account_id", &first.to_string()), ("role", "participant")],
            Some(&first_cookie),
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    let demoted = app
        .post(
            "/api/admin/rolle",
            &[("account_id", &second.to_string()), ("role", "partner")],
            Some(&first_cookie),
        )
        .await;
    assert_eq!(demoted.status, StatusCode::OK);
    let last = crate::accounts::server::accounts::set_role(&app.db, first, Role::Participant).await;
    assert_eq!(
        last,
        Err(crate::error::AppError::Conflict(
            crate::domain::validation::Problem::LastAdmin
        ))
    );
    let missing =
        crate::accounts::server::accounts::set_role(&app.db, 999_999, Role::Participant).await;
    assert_eq!(missing, Err(crate::error::AppError::NotFound));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_expire_when_idle_and_after_the_absolute_limit() {
    let app = test_app().await;
    let (_, idle) = app.account(Role::Participant).await;
    let (_, old) = app.account(Role::Participant).await;
    age_session(&app, &idle, 3, 3).await;
    age_session(&app, &old, 13, 0).await;
    for cookie in [&idle, &old] {
        assert_eq!(app.get("/api/konto/ich", Some(cookie)).await.body, "null");
        assert!(
            !session_exists(&app, cookie).await,
            "expired sessions are deleted"
        );
    }

    // Abandoned sessions are never presented again; the next login sweeps them away.
    let (_, abandoned) = app.account(Role::Participant).await;
    age_session(&app, &abandoned, 5, 5).await;
    app.account_with_password("eva@example.de", "Eva", Role::Partner, "ein-gutes-passwort")
        .await;
    app.login("eva@example.de", "ein-gutes-passwort").await;
    assert!(!session_exists(&app, &abandoned).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_export_and_delete_their_own_data() {
    let app = test_app().await;
    app.account_with_password(
        "dora@example.de",
        "Dora",
        Role::Participant,
        "mein-langes-passwort",
    )
    .await;
    let cookie = cookie_pair(
        &app.login("dora@example.de", "mein-langes-passwort")
            .await
            .set_cookie()
            .unwrap(),
    );

    let export = app.get("/api/konto/export", Some(&cookie)).await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let data: serde_json::Value =
        serde_json::from_str(&serde_json::from_str::<String>(&export.body).unwrap()).unwrap();
    assert_eq!(data["account"]["email"], "dora@example.de");
    assert_eq!(data["sessions"].as_array().unwrap().len(), 1);

    let wrong = app
        .post(
            "/api/konto/loeschen",
            &[("password", "falsch-falsch")],
            Some(&cookie),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
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
    let (users, sessions): (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM sessions)")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((users, sessions), (0, 0));
}
