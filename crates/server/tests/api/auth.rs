//! Health, login, logout and the session cookie; every agent route refuses callers without a
//! valid session.

use crate::common;

use common::*;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use serde_json::json;
use switchboard_protocol::api::{Health, Me};
use switchboard_protocol::{ErrorCode, Role};

#[tokio::test]
async fn health_answers_ok_without_a_session() {
    let server = Server::start().await;
    let response = reqwest::get(server.api("/health")).await.expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = json_body(response).await;
    assert_eq!(body, json!({ "status": "ok" }));
    let _: Health = serde_json::from_value(body).expect("a Health body");
}

#[tokio::test]
async fn login_answers_me_and_sets_an_http_only_lax_session_cookie() {
    let server = Server::start().await;
    let client = cookie_client();
    let response = client
        .post(server.api("/auth/login"))
        .json(&json!({ "email": ANNA, "password": PASSWORD }))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    let cookies: Vec<String> = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().expect("ASCII").to_owned())
        .collect();
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    let cookie = &cookies[0];
    let attributes: Vec<String> = cookie.split(';').map(|a| a.trim().to_owned()).collect();
    let (name, value) = attributes[0].split_once('=').expect("name=value");
    assert_eq!(name, "sb_session");
    assert!(value.len() >= 32, "an unguessable token: {cookie}");
    let has = |wanted: &str| attributes.iter().any(|a| a.eq_ignore_ascii_case(wanted));
    assert!(has("HttpOnly"), "{cookie}");
    assert!(has("SameSite=Lax"), "{cookie}");
    assert!(has("Path=/"), "{cookie}");

    let me: Me = json_body(response).await;
    assert_eq!(me.user.email, ANNA);
    assert_eq!(me.user.name, "Anna Petrova");
    // Anna works for both demo workspaces (N1), oldest first.
    let names: Vec<&str> = me.workspaces.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, vec!["Northwind Coffee", "Aurora Books"], "{me:?}");
    let northwind = &me.workspaces[0];
    assert_eq!(northwind.role, Role::Agent);
    assert_eq!(northwind.id, server.workspace().await);
    assert_eq!(northwind.permissions, Role::Agent.default_permissions());

    // The cookie store sends the session back: /me answers the same.
    let again = client
        .get(server.api("/me"))
        .send()
        .await
        .expect("answered");
    assert_eq!(again.status(), StatusCode::OK);
    let again: Me = json_body(again).await;
    assert_eq!(again, me);

    // E-mail matching ignores case and surrounding spaces; the manager sees their own role.
    let maria = client
        .post(server.api("/auth/login"))
        .json(&json!({ "email": "  Maria@Northwind.Example ", "password": PASSWORD }))
        .send()
        .await
        .expect("answered");
    assert_eq!(maria.status(), StatusCode::OK);
    let maria: Me = json_body(maria).await;
    assert_eq!(maria.user.email, MARIA);
    assert_eq!(maria.workspaces[0].role, Role::Manager);
}

#[tokio::test]
async fn login_with_a_wrong_password_or_unknown_email_is_unauthorized_and_sets_no_cookie() {
    let server = Server::start().await;
    let client = cookie_client();
    for (email, password) in [
        (ANNA, "switchboard-demo "),
        (ANNA, "wrong"),
        ("nobody@northwind.example", PASSWORD),
    ] {
        let response = client
            .post(server.api("/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("answered");
        assert!(
            response.headers().get(SET_COOKIE).is_none(),
            "{email}/{password}: {:?}",
            response.headers()
        );
        let (_, text) =
            expect_error(response, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
        // The answer does not tell which half was wrong.
        assert!(!text.to_lowercase().contains("password is"), "{text}");
    }
    // Nothing was signed in.
    let me = client
        .get(server.api("/me"))
        .send()
        .await
        .expect("answered");
    expect_error(me, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
}

#[tokio::test]
async fn login_with_an_empty_email_names_the_field() {
    let server = Server::start().await;
    let client = cookie_client();
    for email in ["", "   "] {
        let response = client
            .post(server.api("/auth/login"))
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .expect("answered");
        assert!(response.headers().get(SET_COOKIE).is_none());
        let (body, _) = expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(body.field.as_deref(), Some("email"));
    }
    let response = client
        .post(server.api("/auth/login"))
        .json(&json!({ "email": ANNA, "password": "" }))
        .send()
        .await
        .expect("answered");
    let (body, _) = expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("password"));
}

#[tokio::test]
async fn a_malformed_login_body_answers_an_error_body() {
    let server = Server::start().await;
    let client = reqwest::Client::new();
    for raw in [
        r#"{"email": "anna@northwind.example", "password": "#,
        "not json at all",
        r#"{"email": "anna@northwind.example"}"#,
        r#"{"email": 42, "password": "x"}"#,
    ] {
        let response = client
            .post(server.api("/auth/login"))
            .header(CONTENT_TYPE, "application/json")
            .body(raw)
            .send()
            .await
            .expect("answered");
        assert!(response.headers().get(SET_COOKIE).is_none());
        expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
    }
}

/// Every agent route that needs a session, with the method it answers to.
fn protected_routes() -> Vec<(reqwest::Method, &'static str)> {
    use reqwest::Method;
    vec![
        (Method::GET, "/me"),
        (Method::GET, "/workspaces/1/conversations"),
        (Method::GET, "/workspaces/1/conversations/1"),
        (Method::GET, "/workspaces/1/conversations/1/messages"),
        (Method::POST, "/workspaces/1/conversations/1/messages"),
        (Method::POST, "/workspaces/1/conversations/1/read"),
        (Method::GET, "/ws?workspace=1"),
        (Method::GET, "/nope"),
        (Method::POST, "/nope/deeper"),
        (Method::GET, "/workspaces/abc/conversations"),
    ]
}

async fn assert_all_unauthorized(server: &Server, cookie: Option<&str>) {
    let client = reqwest::Client::new();
    let ws = server.workspace().await;
    let before = server.footprint(ws).await;
    for (method, path) in protected_routes() {
        let mut request = client.request(method.clone(), server.api(path));
        if method == reqwest::Method::POST {
            request =
                request.json(&json!({ "client_id": "c-unauth", "kind": "message", "text": "hi" }));
        }
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        let response = request.send().await.expect("answered");
        expect_error(response, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
    }
    // The socket itself, with a real upgrade request.
    let status =
        refusal_status(connect(&server.ws_url(&format!("/ws?workspace={ws}")), cookie, None).await);
    assert_eq!(status, 401);
    assert_eq!(server.footprint(ws).await, before, "nothing was stored");
}

#[tokio::test]
async fn agent_routes_without_a_session_are_unauthorized() {
    let server = Server::start().await;
    assert_all_unauthorized(&server, None).await;
}

#[tokio::test]
async fn a_forged_session_cookie_is_unauthorized() {
    let server = Server::start().await;
    assert_all_unauthorized(&server, Some("sb_session=forged")).await;
    assert_all_unauthorized(&server, Some("sb_session=")).await;
}

#[tokio::test]
async fn after_logout_the_old_cookie_is_unauthorized() {
    let server = Server::start().await;
    let agent = server.login(ANNA).await;
    let other = server.login(BORIS).await;
    let me = agent.get(&server.api("/me")).await;
    assert_eq!(me.status(), StatusCode::OK);

    let response = agent
        .client
        .post(server.api("/auth/logout"))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let removal = response
        .headers()
        .get(SET_COOKIE)
        .expect("logout clears the cookie")
        .to_str()
        .expect("ASCII")
        .to_owned();
    assert!(removal.starts_with("sb_session=;"), "{removal}");
    assert!(removal.contains("Max-Age=0"), "{removal}");

    // The old token, replayed by hand, no longer works anywhere.
    assert_all_unauthorized(&server, Some(&agent.cookie)).await;
    // Another user's session is untouched.
    let boris = other.get(&server.api("/me")).await;
    assert_eq!(boris.status(), StatusCode::OK);
}

/// Stores a session for `email` directly, under the token `token`, expiring at `expires_at`.
async fn plant_session(
    server: &Server,
    email: &str,
    token: &str,
    expires_at: chrono::DateTime<chrono::Utc>,
) {
    use sha2::Digest;
    let user = server
        .store()
        .user_credentials(email)
        .await
        .expect("the store answers")
        .expect("a demo user")
        .user;
    let hash = hex::encode(sha2::Sha256::digest(token.as_bytes()));
    server
        .store()
        .create_session(switchboard_storage::NewSession {
            token_hash: &hash,
            user: user.id,
            created_at: chrono::Utc::now() - chrono::Duration::days(31),
            expires_at,
        })
        .await
        .expect("a session");
}

#[tokio::test]
async fn an_expired_session_is_unauthorized() {
    let server = Server::start().await;
    let now = chrono::Utc::now();
    plant_session(
        &server,
        ANNA,
        "still-valid-token",
        now + chrono::Duration::hours(1),
    )
    .await;
    plant_session(
        &server,
        ANNA,
        "long-expired-token",
        now - chrono::Duration::seconds(1),
    )
    .await;
    let client = reqwest::Client::new();

    let valid = client
        .get(server.api("/me"))
        .header(COOKIE, "sb_session=still-valid-token")
        .send()
        .await
        .expect("answered");
    assert_eq!(valid.status(), StatusCode::OK, "a planted session works");
    let me: Me = json_body(valid).await;
    assert_eq!(me.user.email, ANNA);

    assert_all_unauthorized(&server, Some("sb_session=long-expired-token")).await;
}

#[tokio::test]
async fn the_session_cookie_is_found_among_other_cookies() {
    let server = Server::start().await;
    let agent = server.login(ANNA).await;
    let response = reqwest::Client::new()
        .get(server.api("/me"))
        .header(COOKIE, format!("theme=dark; {}; lang=en", agent.cookie))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn wrong_methods_on_api_routes_answer_an_error_body() {
    // A known path with a method it does not route, and the socket address without a
    // WebSocket handshake, still answer an ErrorBody (and 401 to strangers).
    let server = Server::start().await;
    let agent = server.login(ANNA).await;
    let ws = server.workspace().await;
    let client = reqwest::Client::new();
    let mut violations = Vec::new();
    // Without a session: nothing about the API is revealed.
    for (method, path) in [
        (reqwest::Method::DELETE, "/me"),
        (reqwest::Method::PUT, "/workspaces/1/conversations"),
        (reqwest::Method::GET, "/workspaces/1/conversations/1/read"),
    ] {
        let response = client
            .request(method.clone(), server.api(path))
            .send()
            .await
            .expect("answered");
        let status = response.status();
        let text = response.text().await.expect("a body");
        let parsed = serde_json::from_str::<switchboard_protocol::ErrorBody>(&text);
        if status != StatusCode::UNAUTHORIZED || parsed.is_err() {
            violations.push(format!(
                "{method} {path} without a session: {status} {text:?}"
            ));
        }
    }
    // With a session: still an ErrorBody.
    for (method, path) in [
        (reqwest::Method::DELETE, "/me".to_owned()),
        (reqwest::Method::GET, "/auth/login".to_owned()),
        (reqwest::Method::GET, format!("/ws?workspace={ws}")),
    ] {
        let response = agent
            .client
            .request(method.clone(), server.api(&path))
            .send()
            .await
            .expect("answered");
        let status = response.status();
        let text = response.text().await.expect("a body");
        if serde_json::from_str::<switchboard_protocol::ErrorBody>(&text).is_err() {
            violations.push(format!("{method} {path} with a session: {status} {text:?}"));
        }
    }
    assert!(
        violations.is_empty(),
        "answers without an ErrorBody:\n{}",
        violations.join("\n")
    );
}
