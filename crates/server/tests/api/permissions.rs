//! The permission matrix of the inbox domain: what owners, managers and agents may do in
//! their own workspace, that a workspace one is not a member of answers 404 to everything,
//! and that a refused request changes nothing. Also: only owners change owners, and a
//! workspace keeps at least one owner.

use crate::common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use switchboard_protocol::contacts::{CustomFieldRequest, FieldKind};
use switchboard_protocol::inbox::{CustomInbox, CustomInboxRequest, InboxFilter};
use switchboard_protocol::settings::Member;
use switchboard_protocol::*;

const OTTO: &str = "otto@northwind.example";

async fn snapshot(server: &Server, ws: WorkspaceId) -> WorkspaceState {
    server.workspace_state(ws).await
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Act {
    ReadList,
    Send,
    Assign,
    Close,
    Snooze,
    EditContact,
    Block,
    AddContact,
    ChangeSettings,
    ChangeMember,
    CreateTeam,
    RenameTeam,
    DeleteTeam,
    CreateField,
    DeleteField,
    CreateInbox,
    EditOthersInbox,
    DeleteOthersInbox,
}

const ACTS: [Act; 18] = [
    Act::ReadList,
    Act::Send,
    Act::Assign,
    Act::Close,
    Act::Snooze,
    Act::EditContact,
    Act::Block,
    Act::AddContact,
    Act::ChangeSettings,
    Act::ChangeMember,
    Act::CreateTeam,
    Act::RenameTeam,
    Act::DeleteTeam,
    Act::CreateField,
    Act::DeleteField,
    Act::CreateInbox,
    Act::EditOthersInbox,
    Act::DeleteOthersInbox,
];

/// What each act of one caller works on.
#[derive(Clone, Debug)]
struct Targets {
    conversation: ConversationId,
    contact: ContactId,
    /// Assigned to by `Assign`.
    assignee: UserId,
    /// Whose permissions `ChangeMember` changes.
    member: UserId,
    team_to_rename: TeamId,
    team_to_delete: TeamId,
    field_to_delete: CustomFieldId,
    inbox_to_edit: CustomInboxId,
    inbox_to_delete: CustomInboxId,
    /// Users the inboxes are shared with (kept as they are by an edit).
    inbox_shares: Vec<UserId>,
}

fn request(act: Act, ws: WorkspaceId, t: &Targets, tag: &str) -> (Method, String, Option<Value>) {
    let conv = format!("/workspaces/{ws}/conversations/{}", t.conversation);
    let contact = format!("/workspaces/{ws}/contacts/{}", t.contact);
    let later = chrono::Utc::now() + chrono::Duration::days(1);
    match act {
        Act::ReadList => (Method::GET, format!("/workspaces/{ws}/conversations"), None),
        Act::Send => (
            Method::POST,
            format!("{conv}/messages"),
            Some(
                json!({ "client_id": format!("perm-{tag}"), "kind": "message", "text": format!("Hello from {tag}") }),
            ),
        ),
        Act::Assign => (
            Method::POST,
            format!("{conv}/assign"),
            Some(json!({ "assignee": { "kind": "user", "id": t.assignee } })),
        ),
        Act::Close => (Method::POST, format!("{conv}/close"), Some(json!({}))),
        Act::Snooze => (
            Method::POST,
            format!("{conv}/snooze"),
            Some(json!({ "until": later })),
        ),
        Act::EditContact => (
            Method::PATCH,
            contact,
            Some(json!({ "last_name": format!("Edited by {tag}") })),
        ),
        Act::Block => (Method::POST, format!("{contact}/block"), Some(json!({}))),
        Act::AddContact => (
            Method::POST,
            format!("/workspaces/{ws}/contacts"),
            Some(
                json!({ "first_name": format!("Added by {tag}"), "email": format!("{tag}@added.example") }),
            ),
        ),
        Act::ChangeSettings => (
            Method::PATCH,
            format!("/workspaces/{ws}/settings"),
            Some(json!({ "name": format!("Renamed by {tag}"), "closing_notes": "optional" })),
        ),
        Act::ChangeMember => (
            Method::PATCH,
            format!("/workspaces/{ws}/members/{}", t.member),
            Some(
                json!({ "role": "manager", "permissions": { "view_blocked": true, "phone_masked": true } }),
            ),
        ),
        Act::CreateTeam => (
            Method::POST,
            format!("/workspaces/{ws}/teams"),
            Some(json!({ "name": format!("Team of {tag}"), "members": [] })),
        ),
        Act::RenameTeam => (
            Method::PUT,
            format!("/workspaces/{ws}/teams/{}", t.team_to_rename),
            Some(json!({ "name": format!("Renamed team of {tag}"), "members": [] })),
        ),
        Act::DeleteTeam => (
            Method::DELETE,
            format!("/workspaces/{ws}/teams/{}", t.team_to_delete),
            None,
        ),
        Act::CreateField => (
            Method::POST,
            format!("/workspaces/{ws}/custom-fields"),
            Some(json!({ "label": format!("Field of {tag}"), "kind": "text" })),
        ),
        Act::DeleteField => (
            Method::DELETE,
            format!("/workspaces/{ws}/custom-fields/{}", t.field_to_delete),
            None,
        ),
        Act::CreateInbox => (
            Method::POST,
            format!("/workspaces/{ws}/inboxes"),
            Some(json!({ "name": format!("Inbox of {tag}"), "filter": { "statuses": ["open"] } })),
        ),
        Act::EditOthersInbox => (
            Method::PUT,
            format!("/workspaces/{ws}/inboxes/{}", t.inbox_to_edit),
            Some(json!({
                "name": format!("Edited by {tag}"),
                "filter": { "statuses": ["closed"] },
                "shared_with_users": t.inbox_shares,
            })),
        ),
        Act::DeleteOthersInbox => (
            Method::DELETE,
            format!("/workspaces/{ws}/inboxes/{}", t.inbox_to_delete),
            None,
        ),
    }
}

/// The status a member of `role` gets for `act` in their own workspace.
fn expected(role: Role, act: Act) -> StatusCode {
    if is_admin(act) && !role.manages() {
        return StatusCode::FORBIDDEN;
    }
    match act {
        Act::Send | Act::AddContact | Act::CreateInbox | Act::CreateTeam | Act::CreateField => {
            StatusCode::CREATED
        }
        Act::DeleteTeam | Act::DeleteField | Act::DeleteOthersInbox => StatusCode::NO_CONTENT,
        _ => StatusCode::OK,
    }
}

/// Acts only owners and managers may do.
fn is_admin(act: Act) -> bool {
    matches!(
        act,
        Act::ChangeSettings
            | Act::ChangeMember
            | Act::CreateTeam
            | Act::RenameTeam
            | Act::DeleteTeam
            | Act::CreateField
            | Act::DeleteField
            | Act::EditOthersInbox
            | Act::DeleteOthersInbox
    )
}

async fn perform(
    server: &Server,
    agent: &Agent,
    request: (Method, String, Option<Value>),
) -> reqwest::Response {
    let (method, path, body) = request;
    agent.call(method, &server.api(&path), body).await
}

async fn team(server: &Server, ws: WorkspaceId, name: &str) -> TeamId {
    server.store().create_team(ws, name).await.expect("a team")
}

async fn field(server: &Server, ws: WorkspaceId, label: &str) -> CustomFieldId {
    server
        .store()
        .create_custom_field(
            ws,
            &CustomFieldRequest {
                label: label.into(),
                kind: FieldKind::Text,
                options: Vec::new(),
            },
        )
        .await
        .expect("a field")
        .0
        .id
}

async fn inbox(
    server: &Server,
    ws: WorkspaceId,
    owner: UserId,
    name: &str,
    shares: &[UserId],
) -> CustomInboxId {
    server
        .store()
        .create_custom_inbox(
            ws,
            owner,
            &CustomInboxRequest {
                name: name.into(),
                filter: InboxFilter::default(),
                shared_with_users: shares.to_vec(),
                shared_with_teams: Vec::new(),
            },
        )
        .await
        .expect("an inbox")
        .0
        .id
}

/// Checks that an allowed act did what it says.
async fn check_effect(
    server: &Server,
    ws: WorkspaceId,
    act: Act,
    t: &Targets,
    tag: &str,
    body: &str,
) {
    let store = server.store();
    let row = store.conversation(ws, t.conversation).await.expect("a row");
    match act {
        Act::ReadList => {
            let page: switchboard_protocol::api::Page<ConversationSummary> =
                serde_json::from_str(body).expect("a page");
            assert!(!page.items.is_empty(), "{tag}: an empty list");
        }
        Act::Send => {
            let thread = server.thread(ws, t.conversation).await;
            assert_eq!(
                thread[0].client_id.as_deref(),
                Some(format!("perm-{tag}").as_str())
            );
        }
        Act::Assign => assert!(
            matches!(row.assignee, Some(Assignee::User { id, .. }) if id == t.assignee),
            "{tag}: {:?}",
            row.assignee
        ),
        Act::Close => assert_eq!(row.status, ConversationStatus::Closed, "{tag}"),
        Act::Snooze => assert_eq!(row.status, ConversationStatus::Snoozed, "{tag}"),
        Act::EditContact => {
            assert_eq!(row.contact.last_name, format!("Edited by {tag}"));
        }
        Act::Block => {
            assert!(row.contact.blocked, "{tag}");
            // Blocking wakes a snoozed conversation: blocked contacts cannot be snoozed.
            assert_eq!(row.status, ConversationStatus::Open, "{tag}");
        }
        Act::AddContact => {
            let all = server.all_conversations(ws).await;
            assert!(
                all.iter()
                    .any(|c| c.contact.first_name == format!("Added by {tag}")),
                "{tag}"
            );
        }
        Act::ChangeSettings => {
            let settings = store.settings(ws).await.expect("settings");
            assert_eq!(settings.name, format!("Renamed by {tag}"));
        }
        Act::ChangeMember => {
            let members = store.members(ws).await.expect("members");
            let member = members
                .iter()
                .find(|m| m.user.id == t.member)
                .expect("the member");
            assert_eq!(member.role, Role::Manager);
            assert_eq!(
                member.permissions,
                Permissions {
                    view_blocked: true,
                    phone_masked: true
                }
            );
        }
        Act::CreateTeam | Act::RenameTeam | Act::DeleteTeam => {
            let teams = store.teams(ws).await.expect("teams");
            let names: Vec<&str> = teams.iter().map(|t| t.name.as_str()).collect();
            match act {
                Act::CreateTeam => assert!(names.contains(&format!("Team of {tag}").as_str())),
                Act::RenameTeam => {
                    assert!(
                        teams.iter().any(|x| x.id == t.team_to_rename
                            && x.name == format!("Renamed team of {tag}")),
                        "{names:?}"
                    )
                }
                _ => assert!(teams.iter().all(|x| x.id != t.team_to_delete)),
            }
        }
        Act::CreateField | Act::DeleteField => {
            let fields = store.custom_fields(ws).await.expect("fields");
            if act == Act::CreateField {
                assert!(fields.iter().any(|f| f.label == format!("Field of {tag}")));
            } else {
                assert!(fields.iter().all(|f| f.id != t.field_to_delete));
            }
        }
        Act::CreateInbox => {
            let created: CustomInbox = serde_json::from_str(body).expect("an inbox");
            assert_eq!(created.name, format!("Inbox of {tag}"));
            assert_eq!(
                store.custom_inbox(ws, created.id).await.expect("stored"),
                created
            );
        }
        Act::EditOthersInbox => {
            let edited = store
                .custom_inbox(ws, t.inbox_to_edit)
                .await
                .expect("stored");
            assert_eq!(edited.name, format!("Edited by {tag}"));
            assert_eq!(edited.filter.statuses, vec![ConversationStatus::Closed]);
        }
        Act::DeleteOthersInbox => assert!(
            store.custom_inbox(ws, t.inbox_to_delete).await.is_err(),
            "{tag}: the inbox is still there"
        ),
    }
}

#[tokio::test]
async fn owners_managers_and_agents_get_exactly_their_rights_in_their_own_workspace() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let otto = server.add_user("Otto Owner", OTTO, ws, Role::Owner).await;
    let maria = server.user_id(MARIA).await;
    let anna = server.user_id(ANNA).await;
    let boris = server.user_id(BORIS).await;
    let shares = vec![otto, maria, anna];
    let callers = [
        (OTTO, Role::Owner, "Olivia"),
        (MARIA, Role::Manager, "Дмитрий"),
        (ANNA, Role::Agent, "Priya"),
    ];
    let mut failures = Vec::new();
    for (i, (email, role, contact_name)) in callers.into_iter().enumerate() {
        let tag = role.as_str();
        let target_member = server
            .add_user(
                &format!("Target {i}"),
                &format!("target{i}@northwind.example"),
                ws,
                Role::Agent,
            )
            .await;
        let row = server.conversation_of(ws, contact_name).await;
        assert_eq!(row.status, ConversationStatus::Open);
        let targets = Targets {
            conversation: row.id,
            contact: row.contact.id,
            assignee: boris,
            member: target_member,
            team_to_rename: team(&server, ws, &format!("Rename me {tag}")).await,
            team_to_delete: team(&server, ws, &format!("Delete me {tag}")).await,
            field_to_delete: field(&server, ws, &format!("Delete me {tag}")).await,
            inbox_to_edit: inbox(&server, ws, boris, &format!("Boris edit {tag}"), &shares).await,
            inbox_to_delete: inbox(&server, ws, boris, &format!("Boris delete {tag}"), &shares)
                .await,
            inbox_shares: shares.clone(),
        };
        let caller = server.login(email).await;
        for act in ACTS {
            let want = expected(role, act);
            let before = snapshot(&server, ws).await;
            let response = perform(&server, &caller, request(act, ws, &targets, tag)).await;
            let status = response.status();
            let body = response.text().await.expect("a body");
            if status != want {
                failures.push(format!(
                    "{tag} {act:?}: expected {want}, got {status}: {body}"
                ));
                continue;
            }
            if want.is_success() {
                check_effect(&server, ws, act, &targets, tag, &body).await;
            } else {
                let error: ErrorBody = serde_json::from_str(&body)
                    .unwrap_or_else(|e| panic!("{tag} {act:?}: not an ErrorBody ({e}): {body}"));
                assert_eq!(error.code, ErrorCode::Forbidden, "{tag} {act:?}: {body}");
                assert!(!error.message.is_empty());
                let after = snapshot(&server, ws).await;
                assert!(
                    after == before,
                    "{tag} {act:?} was refused but changed the workspace"
                );
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn a_workspace_one_is_not_a_member_of_answers_not_found_to_everything() {
    let server = Server::start().await;
    let northwind = server.workspace().await;
    let aurora = server.workspace_named("Aurora Books").await;
    server
        .add_user("Otto Owner", OTTO, northwind, Role::Owner)
        .await;
    let li = server.user_id(LI).await;
    let anna = server.user_id(ANNA).await;
    let boris = server.user_id(BORIS).await;

    // Real targets in each workspace, so a 404 can only come from the membership check.
    let hugo = server.conversation_of(aurora, "Hugo").await;
    let aurora_targets = Targets {
        conversation: hugo.id,
        contact: hugo.contact.id,
        assignee: li,
        member: anna,
        team_to_rename: team(&server, aurora, "Aurora rename").await,
        team_to_delete: team(&server, aurora, "Aurora delete").await,
        field_to_delete: field(&server, aurora, "Aurora field").await,
        inbox_to_edit: inbox(&server, aurora, li, "Li's inbox", &[anna]).await,
        inbox_to_delete: inbox(&server, aurora, li, "Li's other inbox", &[anna]).await,
        inbox_shares: vec![anna],
    };
    let olivia = server.conversation_of(northwind, "Olivia").await;
    let northwind_targets = Targets {
        conversation: olivia.id,
        contact: olivia.contact.id,
        assignee: boris,
        member: boris,
        team_to_rename: team(&server, northwind, "Northwind rename").await,
        team_to_delete: team(&server, northwind, "Northwind delete").await,
        field_to_delete: field(&server, northwind, "Northwind field").await,
        inbox_to_edit: inbox(&server, northwind, boris, "Boris inbox", &[anna]).await,
        inbox_to_delete: inbox(&server, northwind, boris, "Boris other inbox", &[anna]).await,
        inbox_shares: vec![anna],
    };
    let cases = [
        (OTTO, aurora, &aurora_targets, "owner"),
        (MARIA, aurora, &aurora_targets, "manager"),
        (BORIS, aurora, &aurora_targets, "agent"),
        (LI, northwind, &northwind_targets, "aurora-owner"),
    ];
    for (email, foreign, targets, tag) in cases {
        let caller = server.login(email).await;
        assert!(
            caller.me.workspaces.iter().all(|m| m.id != foreign),
            "{email}"
        );
        for act in ACTS {
            let before_foreign = snapshot(&server, foreign).await;
            let response = perform(&server, &caller, request(act, foreign, targets, tag)).await;
            let (_, text) =
                expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
            assert!(!text.contains("Hugo") && !text.contains("Olivia"), "{text}");
            assert!(
                snapshot(&server, foreign).await == before_foreign,
                "{tag} {act:?} in a foreign workspace changed it"
            );
        }
        // A workspace that does not exist answers the same.
        let missing = caller.get(&server.api("/workspaces/987654/settings")).await;
        expect_error(missing, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
        // And a foreign workspace's socket is refused.
        let socket = connect(
            &server.ws_url(&format!("/ws?workspace={foreign}")),
            Some(&caller.cookie),
            None,
        )
        .await;
        assert_eq!(refusal_status(socket), 404, "{tag}");
    }
}

#[tokio::test]
async fn only_owners_change_owners_and_the_last_owner_stays() {
    let server = Server::start().await;
    let northwind = server.workspace().await;
    let aurora = server.workspace_named("Aurora Books").await;
    let otto = server
        .add_user("Otto Owner", OTTO, northwind, Role::Owner)
        .await;
    let anna = server.user_id(ANNA).await;
    let boris = server.user_id(BORIS).await;
    let maria = server.user_id(MARIA).await;
    let li = server.user_id(LI).await;
    let member_url =
        |ws: WorkspaceId, user: UserId| server.api(&format!("/workspaces/{ws}/members/{user}"));
    let role_of = |members: &[Member], user: UserId| {
        members.iter().find(|m| m.user.id == user).map(|m| m.role)
    };

    let maria_client = server.login(MARIA).await;
    let boris_client = server.login(BORIS).await;
    let refusals = [
        // A manager may not demote, restrict or promote to owner.
        (
            &maria_client,
            otto,
            json!({ "role": "manager" }),
            StatusCode::FORBIDDEN,
        ),
        (
            &maria_client,
            otto,
            json!({ "permissions": { "view_blocked": false, "phone_masked": true } }),
            StatusCode::FORBIDDEN,
        ),
        (
            &maria_client,
            anna,
            json!({ "role": "owner" }),
            StatusCode::FORBIDDEN,
        ),
        (
            &maria_client,
            maria,
            json!({ "role": "owner" }),
            StatusCode::FORBIDDEN,
        ),
        // An agent may not raise themselves.
        (
            &boris_client,
            boris,
            json!({ "role": "manager" }),
            StatusCode::FORBIDDEN,
        ),
        (
            &boris_client,
            boris,
            json!({ "permissions": { "view_blocked": true, "phone_masked": false } }),
            StatusCode::FORBIDDEN,
        ),
    ];
    for (client, user, body, status) in refusals {
        let before = snapshot(&server, northwind).await;
        let response = client
            .patch(&member_url(northwind, user), body.clone())
            .await;
        expect_error(response, status, ErrorCode::Forbidden).await;
        assert!(
            snapshot(&server, northwind).await == before,
            "{body} changed something"
        );
    }
    // A manager may promote an agent to manager.
    let response = maria_client
        .patch(&member_url(northwind, boris), json!({ "role": "manager" }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let member: Member = json_body(response).await;
    assert_eq!(member.role, Role::Manager);

    // The only owner cannot step down, whoever asks.
    let otto_client = server.login(OTTO).await;
    let before = snapshot(&server, northwind).await;
    let response = otto_client
        .patch(&member_url(northwind, otto), json!({ "role": "agent" }))
        .await;
    let (error, _) = expect_error(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    assert!(error.message.contains("owner"), "{}", error.message);
    assert!(snapshot(&server, northwind).await == before);
    // Changing the only owner's permissions (not the role) is fine.
    let response = otto_client
        .patch(
            &member_url(northwind, otto),
            json!({ "permissions": { "view_blocked": true, "phone_masked": true } }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    // An owner makes another owner; then either may step down, but not both.
    let response = otto_client
        .patch(&member_url(northwind, anna), json!({ "role": "owner" }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = otto_client
        .patch(&member_url(northwind, otto), json!({ "role": "manager" }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let members = server.store().members(northwind).await.expect("members");
    assert_eq!(role_of(&members, otto), Some(Role::Manager));
    assert_eq!(role_of(&members, anna), Some(Role::Owner));
    // Otto, now a manager, can no longer touch the owner.
    let response = otto_client
        .patch(&member_url(northwind, anna), json!({ "role": "agent" }))
        .await;
    expect_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let anna_client = server.login(ANNA).await;
    let before = snapshot(&server, northwind).await;
    let response = anna_client
        .patch(&member_url(northwind, anna), json!({ "role": "manager" }))
        .await;
    expect_error(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    assert!(snapshot(&server, northwind).await == before);

    // The same in Aurora Books, whose only owner is Li.
    let li_client = server.login(LI).await;
    let before = snapshot(&server, aurora).await;
    let response = li_client
        .patch(&member_url(aurora, li), json!({ "role": "agent" }))
        .await;
    expect_error(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    assert!(snapshot(&server, aurora).await == before);
    // Anna is an owner of Northwind but only an agent in Aurora: her role there counts.
    let response = anna_client
        .patch(&member_url(aurora, li), json!({ "role": "agent" }))
        .await;
    expect_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    assert!(snapshot(&server, aurora).await == before);
    let members = server.store().members(aurora).await.expect("members");
    assert_eq!(role_of(&members, li), Some(Role::Owner));
    assert_eq!(role_of(&members, anna), Some(Role::Agent));
    // A member of another workspace is not a member here.
    let response = li_client
        .patch(&member_url(aurora, maria), json!({ "role": "agent" }))
        .await;
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
}

// Two owners demoting each other at the same moment leave one owner: the rule is checked
// inside the store's transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_owners_demoting_each_other_at_once_leave_one_owner() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    for round in 0..10 {
        let (a_mail, b_mail) = (
            format!("a{round}@owners.example"),
            format!("b{round}@owners.example"),
        );
        let a = server.add_user("Owner A", &a_mail, ws, Role::Owner).await;
        let b = server.add_user("Owner B", &b_mail, ws, Role::Owner).await;
        // Exactly these two own the workspace.
        for member in server.store().members(ws).await.expect("members") {
            if member.role == Role::Owner && member.user.id != a && member.user.id != b {
                server
                    .store()
                    .update_member(
                        ws,
                        member.user.id,
                        &switchboard_protocol::settings::MemberPatch {
                            role: Some(Role::Agent),
                            permissions: None,
                        },
                    )
                    .await
                    .expect("demoted");
            }
        }
        let a_client = server.login(&a_mail).await;
        let b_client = server.login(&b_mail).await;
        let url = |user: UserId| server.api(&format!("/workspaces/{ws}/members/{user}"));
        let (a_url, b_url) = (url(b), url(a));
        let (a_answer, b_answer) = tokio::join!(
            a_client.patch(&a_url, json!({ "role": "agent" })),
            b_client.patch(&b_url, json!({ "role": "agent" })),
        );
        let owners = server
            .store()
            .members(ws)
            .await
            .expect("members")
            .iter()
            .filter(|m| m.role == Role::Owner)
            .count();
        assert_eq!(
            owners,
            1,
            "round {round}: answers {} and {}, {owners} owners left",
            a_answer.status(),
            b_answer.status()
        );
    }
}
