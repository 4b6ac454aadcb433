//! Invitations (T1) over HTTP: a manager invites an address with a role; the link shows what
//! it invites to and makes a new account a member, signed in; an existing account joins with
//! its own password; a used, revoked or unknown link does nothing; agents cannot invite, and
//! managers cannot invite owners.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use switchboard_protocol::api::Me;
use switchboard_protocol::settings::*;
use switchboard_protocol::*;

async fn invite(
    server: &Server,
    agent: &Agent,
    ws: WorkspaceId,
    email: &str,
    role: &str,
) -> reqwest::Response {
    agent
        .post(
            &server.api(&format!("/workspaces/{ws}/invitations")),
            json!({ "email": email, "role": role }),
        )
        .await
}

fn token_of(link: &str) -> String {
    link.rsplit('/').next().expect("a token").to_owned()
}

#[tokio::test]
async fn a_new_person_joins_through_the_link_once() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let response = invite(&server, &maria, ws, "Vera.New@Example.com", "agent").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: InvitationCreated = response.json().await.expect("an invitation");
    assert!(created.link.starts_with(&format!("{}/invite/", server.url)));
    let token = token_of(&created.link);
    let listed: Vec<Invitation> = maria
        .get(&server.api(&format!("/workspaces/{ws}/invitations")))
        .await
        .json()
        .await
        .expect("invitations");
    assert_eq!(listed, vec![created.invitation.clone()]);

    // Anyone with the link sees what it invites to.
    let anonymous = cookie_client();
    let preview: InvitationPreview = anonymous
        .get(server.api(&format!("/invitations/{token}")))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("a preview");
    assert_eq!(
        preview,
        InvitationPreview {
            workspace: "Northwind Coffee".into(),
            email: "Vera.New@Example.com".into(),
            role: Role::Agent,
            existing_account: false,
        }
    );
    // A short password is refused; nothing is made.
    let short = anonymous
        .post(server.api(&format!("/invitations/{token}/accept")))
        .json(&json!({ "name": "Vera", "password": "short" }))
        .send()
        .await
        .expect("answered");
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        server
            .store()
            .user_credentials("vera.new@example.com")
            .await
            .expect("store")
            .is_none()
    );
    let joined = anonymous
        .post(server.api(&format!("/invitations/{token}/accept")))
        .json(&json!({ "name": "Vera New", "password": "a long enough secret" }))
        .send()
        .await
        .expect("answered");
    assert_eq!(joined.status(), StatusCode::OK);
    let me: Me = joined.json().await.expect("me");
    assert_eq!(me.user.name, "Vera New");
    assert_eq!(
        me.workspaces
            .iter()
            .map(|w| (w.id, w.role))
            .collect::<Vec<_>>(),
        [(ws, Role::Agent)]
    );
    // Signed in: the cookie works.
    let folders = anonymous
        .get(server.api(&format!("/workspaces/{ws}/folders")))
        .send()
        .await
        .expect("answered");
    assert_eq!(folders.status(), StatusCode::OK);
    // Used once.
    let again = cookie_client()
        .get(server.api(&format!("/invitations/{token}")))
        .send()
        .await
        .expect("answered");
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    let listed: Vec<Invitation> = maria
        .get(&server.api(&format!("/workspaces/{ws}/invitations")))
        .await
        .json()
        .await
        .expect("invitations");
    assert!(listed.is_empty());
}

#[tokio::test]
async fn an_existing_account_joins_with_its_own_password() {
    let server = Server::start().await;
    let other = server.other_workspace().await;
    // Anna has an account (and the demo's other workspace owner invites her).
    let owner = server.login("li@aurora.example").await;
    let memberships = owner.me.workspaces.clone();
    let aurora = memberships
        .iter()
        .find(|w| w.role == Role::Owner)
        .map(|w| w.id)
        .unwrap_or(other.workspace);
    let response = invite(&server, &owner, aurora, BORIS, "manager").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: InvitationCreated = response.json().await.expect("an invitation");
    let token = token_of(&created.link);
    let preview: InvitationPreview = cookie_client()
        .get(server.api(&format!("/invitations/{token}")))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("a preview");
    assert!(preview.existing_account);
    let wrong = cookie_client()
        .post(server.api(&format!("/invitations/{token}/accept")))
        .json(&json!({ "password": "not boris's password" }))
        .send()
        .await
        .expect("answered");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let joined = cookie_client()
        .post(server.api(&format!("/invitations/{token}/accept")))
        .json(&json!({ "password": PASSWORD }))
        .send()
        .await
        .expect("answered");
    assert_eq!(joined.status(), StatusCode::OK);
    let me: Me = joined.json().await.expect("me");
    assert!(
        me.workspaces
            .iter()
            .any(|w| w.id == aurora && w.role == Role::Manager)
    );
}

#[tokio::test]
async fn only_managers_invite_and_only_owners_invite_owners() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let boris = server.login(BORIS).await;
    let maria = server.login(MARIA).await;
    assert_eq!(
        invite(&server, &boris, ws, "x@example.com", "agent")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        invite(&server, &maria, ws, "x@example.com", "owner")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        invite(&server, &maria, ws, "not an address", "agent")
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        invite(&server, &maria, ws, ANNA, "agent").await.status(),
        StatusCode::CONFLICT,
        "a member is not invited"
    );
    assert!(
        server
            .store()
            .invitations(ws, chrono::Utc::now())
            .await
            .expect("store")
            .is_empty(),
        "nothing was made"
    );
    // Revoked: the link stops working; unknown links are 404.
    let created: InvitationCreated = invite(&server, &maria, ws, "gone@example.com", "agent")
        .await
        .json()
        .await
        .expect("an invitation");
    let revoked = maria
        .client
        .delete(server.api(&format!(
            "/workspaces/{ws}/invitations/{}",
            created.invitation.id
        )))
        .send()
        .await
        .expect("answered");
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    for token in [token_of(&created.link), "made-up".to_owned()] {
        let response = cookie_client()
            .post(server.api(&format!("/invitations/{token}/accept")))
            .json(&json!({ "name": "Gone", "password": "a long enough secret" }))
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
}
