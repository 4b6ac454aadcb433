//! Inbox views (N2–N7, T2): folders × status tabs × sorts, list search, the unreplied filter
//! with the workspace's cutoff, keyset pagination walking each list exactly once, folder
//! counts, and custom inboxes (sharing and every kind of condition).
//!
//! Expected lists are computed here from the store's rows with the documented rules, then
//! compared with what the API answers page by page (two rows a page).

use crate::common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use switchboard_protocol::inbox::{CustomInbox, FolderCount, Folders};
use switchboard_protocol::settings::{Team, WorkspaceSettings};
use switchboard_protocol::*;
use switchboard_storage::{NewChannel, NewContact, NewMessage};

const SORTS: [&str; 4] = ["newest", "oldest", "longest", "shortest"];
const STATUSES: [Option<ConversationStatus>; 4] = [
    None,
    Some(ConversationStatus::Open),
    Some(ConversationStatus::Closed),
    Some(ConversationStatus::Snoozed),
];

fn sorted(mut rows: Vec<ConversationSummary>, sort: &str) -> Vec<ConversationSummary> {
    rows.sort_by(|a, b| match sort {
        "newest" => (b.last_activity_at, b.id).cmp(&(a.last_activity_at, a.id)),
        "oldest" => (a.last_activity_at, a.id).cmp(&(b.last_activity_at, b.id)),
        "longest" => (a.status_since, a.id).cmp(&(b.status_since, b.id)),
        "shortest" => (b.status_since, b.id).cmp(&(a.status_since, a.id)),
        other => panic!("unknown sort {other}"),
    });
    rows
}

fn names(rows: &[ConversationSummary]) -> Vec<String> {
    rows.iter().map(|c| c.contact.display_name()).collect()
}

fn ids(rows: &[ConversationSummary]) -> BTreeSet<ConversationId> {
    rows.iter().map(|c| c.id).collect()
}

/// Every conversation of the workspace as the store holds it.
async fn truth(server: &Server, ws: WorkspaceId) -> Vec<ConversationSummary> {
    server.all_conversations(ws).await
}

async fn team_id(server: &Server, ws: WorkspaceId, name: &str) -> TeamId {
    let teams: Vec<Team> = server.store().teams(ws).await.expect("teams");
    teams
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no team {name}"))
        .id
}

async fn assign(
    agent: &Agent,
    server: &Server,
    ws: WorkspaceId,
    id: ConversationId,
    assignee: Value,
) {
    let response = agent
        .post(
            &server.api(&format!("/workspaces/{ws}/conversations/{id}/assign")),
            json!({ "assignee": assignee }),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "assigning {id} to {assignee}"
    );
}

async fn create_inbox(agent: &Agent, server: &Server, ws: WorkspaceId, body: Value) -> CustomInbox {
    let response = agent
        .post(
            &server.api(&format!("/workspaces/{ws}/inboxes")),
            body.clone(),
        )
        .await;
    let status = response.status();
    let text = response.text().await.expect("a body");
    assert_eq!(status, StatusCode::CREATED, "{body}: {text}");
    serde_json::from_str(&text).expect("an inbox")
}

async fn folders(agent: &Agent, server: &Server, ws: WorkspaceId) -> Folders {
    let response = agent
        .get(&server.api(&format!("/workspaces/{ws}/folders")))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response).await
}

/// A contact on `channel` whose thread is `lines` of (time, direction, kind).
async fn contact_with_lines(
    server: &Server,
    ws: WorkspaceId,
    channel: ChannelId,
    first: &str,
    created_at: DateTime<Utc>,
    lines: &[(DateTime<Utc>, Direction, MessageKind)],
) -> ConversationId {
    let conversation = server
        .store()
        .create_contact(NewContact {
            workspace: ws,
            channel,
            first_name: first,
            last_name: "Testcase",
            email: None,
            phone: None,
            fields: &[],
            created_at,
        })
        .await
        .expect("a contact");
    for (i, (at, direction, kind)) in lines.iter().enumerate() {
        server
            .store()
            .append_message(NewMessage {
                original: None,
                workspace: ws,
                conversation: conversation.id,
                client_id: None,
                kind: *kind,
                direction: *direction,
                sender_kind: if *direction == Direction::Incoming {
                    SenderKind::Contact
                } else {
                    SenderKind::Agent
                },
                sender_user: None,
                content: Content::Text {
                    text: format!("{first} line {i}"),
                },
                delivery_status: None,
                created_at: *at,
                reply_to: None,
                mentions: Vec::new(),
                attachments: Vec::new(),
                channel: None,
            })
            .await
            .expect("a message");
    }
    conversation.id
}

async fn default_channel(server: &Server, ws: WorkspaceId) -> ChannelId {
    server.store().channels(ws).await.expect("channels")[0].id
}

fn status_query(status: Option<ConversationStatus>) -> String {
    status
        .map(|s| format!("&status={}", s.as_str()))
        .unwrap_or_default()
}

fn pair(c: FolderCount) -> (u64, u64) {
    (c.open, c.unread)
}

/// How many open, and open unread, conversations the list `query` holds, walked page by page.
async fn open_and_unread(
    agent: &Agent,
    server: &Server,
    ws: WorkspaceId,
    query: &str,
) -> (u64, u64) {
    let rows = agent
        .walk(server, ws, &format!("{query}&status=open"), 2)
        .await;
    (
        rows.len() as u64,
        rows.iter().filter(|c| c.unread_count > 0).count() as u64,
    )
}

#[tokio::test]
async fn folders_tabs_and_sorts_list_every_row_once_in_order_and_counts_match() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let maria = server.login(MARIA).await;
    let anna_id = anna.me.user.id;
    let boris_id = server.user_id(BORIS).await;
    let support = team_id(&server, ws, "Support").await;

    // Ties: three contacts created at the same instant (same activity and status time).
    let channel = default_channel(&server, ws).await;
    let tied_at = Utc::now() - Duration::days(10);
    let mut tied = Vec::new();
    for name in ["Tie-A", "Tie-B", "Tie-C"] {
        tied.push(contact_with_lines(&server, ws, channel, name, tied_at, &[]).await);
    }
    // A spread of assignees over every status.
    for (name, assignee) in [
        ("Olivia", json!({ "kind": "user", "id": anna_id })),
        ("Marco", json!({ "kind": "user", "id": anna_id })),
        ("Lucas", json!({ "kind": "user", "id": anna_id })),
        ("Emma", json!({ "kind": "user", "id": anna_id })),
        ("Sofia", json!({ "kind": "user", "id": boris_id })),
        ("Дмитрий", json!({ "kind": "team", "id": support })),
        ("Mateo", json!({ "kind": "team", "id": support })),
        ("Priya", json!({ "kind": "ai_agent" })),
    ] {
        let id = server.conversation_of(ws, name).await.id;
        assign(&anna, &server, ws, id, assignee).await;
    }
    for id in &tied[..2] {
        assign(
            &anna,
            &server,
            ws,
            *id,
            json!({ "kind": "user", "id": anna_id }),
        )
        .await;
    }
    let live = create_inbox(
        &anna,
        &server,
        ws,
        json!({ "name": "Live", "filter": { "statuses": ["open", "snoozed"] } }),
    )
    .await;
    // Two more blocked contacts, so the Blocked folder has pages.
    for name in ["Yuki", "Grace"] {
        let contact = server.conversation_of(ws, name).await.contact.id;
        let response = maria
            .post(
                &server.api(&format!("/workspaces/{ws}/contacts/{contact}/block")),
                json!({}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    let rows = truth(&server, ws).await;
    let visible: Vec<_> = rows
        .iter()
        .filter(|c| !c.contact.blocked)
        .cloned()
        .collect();
    type Rule = Box<dyn Fn(&ConversationSummary) -> bool>;
    let is_user = move |c: &ConversationSummary, u: UserId| matches!(&c.assignee, Some(Assignee::User { id, .. }) if *id == u);
    let anna_folders: Vec<(String, Rule)> = vec![
        ("all".into(), Box::new(|_| true)),
        ("mine".into(), Box::new(move |c| is_user(c, anna_id))),
        ("unassigned".into(), Box::new(|c| c.assignee.is_none())),
        (
            format!("team:{support}"),
            Box::new(
                move |c| matches!(&c.assignee, Some(Assignee::Team { id, .. }) if *id == support),
            ),
        ),
        (
            format!("custom:{}", live.id),
            Box::new(|c| {
                matches!(
                    c.status,
                    ConversationStatus::Open | ConversationStatus::Snoozed
                )
            }),
        ),
    ];
    let mut saw_tie = false;
    for (folder, rule) in &anna_folders {
        for status in STATUSES {
            let wanted: Vec<_> = visible
                .iter()
                .filter(|c| rule(c) && status.is_none_or(|s| c.status == s))
                .cloned()
                .collect();
            for sort in SORTS {
                let query = format!("?folder={folder}&sort={sort}{}", status_query(status));
                let got = anna.walk(&server, ws, &query, 2).await;
                let want = sorted(wanted.clone(), sort);
                assert_eq!(names(&got), names(&want), "{query}");
                assert_eq!(got, want, "{query}");
                saw_tie |= got
                    .windows(2)
                    .any(|p| p[0].last_activity_at == p[1].last_activity_at);
            }
            // No sort means newest first.
            let query = format!("?folder={folder}{}", status_query(status));
            assert_eq!(
                anna.walk(&server, ws, &query, 3).await,
                sorted(wanted.clone(), "newest"),
                "{query}"
            );
        }
    }
    assert!(saw_tie, "the lists had no ties to order by id");
    // Every assignment kind was listed somewhere.
    assert!(
        visible
            .iter()
            .any(|c| matches!(c.assignee, Some(Assignee::AiAgent)))
    );

    // The folder counts are the lists' open and unread rows.
    let counted = folders(&anna, &server, ws).await;
    assert_eq!(
        pair(counted.all),
        open_and_unread(&anna, &server, ws, "?folder=all").await
    );
    assert_eq!(
        pair(counted.mine),
        open_and_unread(&anna, &server, ws, "?folder=mine").await
    );
    assert_eq!(
        pair(counted.unassigned),
        open_and_unread(&anna, &server, ws, "?folder=unassigned").await
    );
    assert_eq!(counted.teams.len(), 1, "Anna is in one team");
    assert_eq!(
        pair(counted.teams[0].count),
        open_and_unread(&anna, &server, ws, &format!("?folder=team:{support}")).await
    );
    assert_eq!(counted.created_by_me.len(), 1);
    assert_eq!(
        pair(counted.created_by_me[0].count),
        open_and_unread(&anna, &server, ws, &format!("?folder=custom:{}", live.id)).await
    );
    assert!(
        counted.mine.open >= 2 && counted.all.unread >= 3,
        "{counted:?}"
    );
    assert_eq!(counted.blocked, None);

    // Maria: the Blocked folder in every tab and sort, and its count.
    let blocked: Vec<_> = rows.iter().filter(|c| c.contact.blocked).cloned().collect();
    assert_eq!(blocked.len(), 3);
    for status in STATUSES {
        let wanted: Vec<_> = blocked
            .iter()
            .filter(|c| status.is_none_or(|s| c.status == s))
            .cloned()
            .collect();
        for sort in SORTS {
            let query = format!("?folder=blocked&sort={sort}{}", status_query(status));
            let got = maria.walk(&server, ws, &query, 2).await;
            assert_eq!(got, sorted(wanted.clone(), sort), "{query}");
        }
    }
    let counted = folders(&maria, &server, ws).await;
    let open_blocked = maria
        .walk(&server, ws, "?folder=blocked&status=open", 2)
        .await;
    assert_eq!(
        counted.blocked.map(|c| (c.open, c.unread)),
        Some((
            open_blocked.len() as u64,
            open_blocked.iter().filter(|c| c.unread_count > 0).count() as u64
        ))
    );
    // A manager sees every team's folder; Maria's "mine" is her own (empty) list.
    assert_eq!(counted.teams.len(), 1);
    assert_eq!(counted.mine.open, 0);
    assert!(maria.walk(&server, ws, "?folder=mine", 2).await.is_empty());
    // Folders that do not exist are not found.
    for query in ["?folder=team:99999", "?folder=custom:99999"] {
        let response = anna
            .get(&server.api(&format!("/workspaces/{ws}/conversations{query}")))
            .await;
        expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    }
}

/// List search as documented (N5): first name, last name or e-mail containing the text,
/// case-insensitively; or the phone's digits containing the query's (three or more) digits.
fn search_matches(c: &ConversationSummary, q: &str) -> bool {
    let q = q.trim();
    let text = [
        Some(c.contact.first_name.as_str()),
        Some(c.contact.last_name.as_str()),
        c.contact.email.as_deref(),
    ]
    .iter()
    .flatten()
    .map(|p| p.trim())
    .filter(|p| !p.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
    .to_lowercase();
    let digits = switchboard_protocol::contacts::phone_digits(q);
    let phone = c
        .contact
        .phone
        .as_deref()
        .map(switchboard_protocol::contacts::phone_digits)
        .unwrap_or_default();
    text.contains(&q.to_lowercase()) || (digits.len() >= 3 && phone.contains(&digits))
}

fn encode(q: &str) -> String {
    let mut out = String::new();
    for b in q.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[tokio::test]
async fn list_search_finds_names_emails_and_phone_digits_case_insensitively() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let rows: Vec<_> = truth(&server, ws)
        .await
        .into_iter()
        .filter(|c| !c.contact.blocked)
        .collect();
    let cases: [(&str, &[&str]); 16] = [
        ("olivia", &["Olivia Bennett"]),
        ("OLIVIA", &["Olivia Bennett"]),
        ("Bennett", &["Olivia Bennett"]),
        ("ivia benn", &["Olivia Bennett"]),
        ("d.sokolov@example.ru", &["Дмитрий Соколов"]),
        ("DUBOIS@EXAMPLE", &["Chloé Dubois"]),
        ("дмитрий", &["Дмитрий Соколов"]),
        ("ДМИТРИЙ", &["Дмитрий Соколов"]),
        ("соколов", &["Дмитрий Соколов"]),
        ("кузнецова", &["Анна Кузнецова"]),
        ("chloé", &["Chloé Dubois"]),
        ("CHLOÉ", &["Chloé Dubois"]),
        ("912 555", &["Дмитрий Соколов"]),
        ("+7 903 555-44-11", &["Анна Кузнецова"]),
        ("  yuki  ", &["Yuki Tanaka"]),
        ("nobody-is-called-this", &[]),
    ];
    for (q, expected) in cases {
        let want: Vec<_> = rows
            .iter()
            .filter(|c| search_matches(c, q))
            .cloned()
            .collect();
        let mut want_names = names(&want);
        want_names.sort();
        let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(
            want_names, expected,
            "the rule and the demo disagree on {q:?}"
        );
        for sort in SORTS {
            let query = format!("?q={}&sort={sort}", encode(q));
            let got = anna.walk(&server, ws, &query, 2).await;
            assert_eq!(got, sorted(want.clone(), sort), "{query}");
        }
    }
    // Broader searches, combined with tabs and folders, walked page by page.
    for q in ["o", "example.com", "ов", "55", "a"] {
        for status in STATUSES {
            let want: Vec<_> = rows
                .iter()
                .filter(|c| search_matches(c, q) && status.is_none_or(|s| c.status == s))
                .cloned()
                .collect();
            let query = format!("?q={}{}", encode(q), status_query(status));
            let got = anna.walk(&server, ws, &query, 2).await;
            assert_eq!(
                names(&got),
                names(&sorted(want.clone(), "newest")),
                "{query}"
            );
        }
        let want: Vec<_> = rows
            .iter()
            .filter(|c| search_matches(c, q) && c.assignee.is_none())
            .cloned()
            .collect();
        let query = format!("?q={}&folder=unassigned&sort=oldest", encode(q));
        assert_eq!(
            anna.walk(&server, ws, &query, 2).await,
            sorted(want, "oldest"),
            "{query}"
        );
    }
    // An empty search is no search.
    let all = anna.walk(&server, ws, "", 50).await;
    assert_eq!(anna.walk(&server, ws, "?q=", 50).await, all);
    assert_eq!(anna.walk(&server, ws, "?q=%20%20", 50).await, all);
}

#[tokio::test]
async fn the_unreplied_filter_follows_the_workspace_cutoff() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let maria = server.login(MARIA).await;
    let channel = default_channel(&server, ws).await;
    let now = Utc::now();
    let days = |n: i64| now - Duration::days(n);
    let incoming = (Direction::Incoming, MessageKind::Message);
    let reply = (Direction::Outgoing, MessageKind::Message);
    let comment = (Direction::Outgoing, MessageKind::Comment);
    let line = |at, (d, k): (Direction, MessageKind)| (at, d, k);
    let old = contact_with_lines(
        &server,
        ws,
        channel,
        "Old",
        days(12),
        &[line(days(10), incoming)],
    )
    .await;
    let recent = contact_with_lines(
        &server,
        ws,
        channel,
        "Recent",
        days(3),
        &[line(days(2), incoming)],
    )
    .await;
    let answered = contact_with_lines(
        &server,
        ws,
        channel,
        "Answered",
        days(3),
        &[line(days(2), incoming), line(days(1), reply)],
    )
    .await;
    let commented = contact_with_lines(
        &server,
        ws,
        channel,
        "Commented",
        days(3),
        &[line(days(2), incoming), line(days(1), comment)],
    )
    .await;
    let patch_cutoff = |date: NaiveDate| {
        let maria = &maria;
        let server = &server;
        async move {
            let response = maria
                .patch(
                    &server.api(&format!("/workspaces/{ws}/settings")),
                    json!({ "unreplied_cutoff": date }),
                )
                .await;
            assert_eq!(response.status(), StatusCode::OK);
            let settings: WorkspaceSettings = json_body(response).await;
            assert_eq!(settings.unreplied_cutoff, date);
        }
    };
    // Checks every tab and sort of the unreplied list against the rule; returns the ids.
    let check = |label: &'static str| {
        let anna = &anna;
        let server = &server;
        async move {
            let cutoff = server
                .store()
                .settings(ws)
                .await
                .expect("settings")
                .unreplied_cutoff;
            let since = cutoff.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
            let rows: Vec<_> = server
                .all_conversations(ws)
                .await
                .into_iter()
                .filter(|c| {
                    !c.contact.blocked
                        && c.awaiting_reply
                        && c.last_incoming_at.is_some_and(|at| at >= since)
                })
                .collect();
            for status in STATUSES {
                for sort in SORTS {
                    let want: Vec<_> = rows
                        .iter()
                        .filter(|c| status.is_none_or(|s| c.status == s))
                        .cloned()
                        .collect();
                    let query = format!("?unreplied=true&sort={sort}{}", status_query(status));
                    let got = anna.walk(server, ws, &query, 2).await;
                    assert_eq!(got, sorted(want, sort), "{label}: {query}");
                }
            }
            // Combined with a search (the test's own contacts share a last name).
            let want: Vec<_> = rows
                .iter()
                .filter(|c| c.contact.last_name == "Testcase")
                .cloned()
                .collect();
            let got = anna
                .walk(server, ws, "?unreplied=true&q=TESTCASE&sort=oldest", 2)
                .await;
            assert_eq!(got, sorted(want, "oldest"), "{label}: with a search");
            ids(&rows)
        }
    };

    let listed = check("default cutoff").await;
    assert!(listed.contains(&old) && listed.contains(&recent) && listed.contains(&commented));
    assert!(!listed.contains(&answered), "a reply answers");
    let olivia = server.conversation_of(ws, "Olivia").await.id;
    assert!(listed.contains(&olivia), "the demo's unanswered question");
    // Without the flag, answered ones are listed too.
    assert!(
        anna.walk(&server, ws, "?unreplied=false", 50)
            .await
            .iter()
            .any(|c| c.id == answered)
    );

    patch_cutoff((now - Duration::days(5)).date_naive()).await;
    let listed = check("cutoff five days ago").await;
    assert!(!listed.contains(&old), "older than the cutoff");
    assert!(listed.contains(&recent) && listed.contains(&commented) && listed.contains(&olivia));

    patch_cutoff((now + Duration::days(1)).date_naive()).await;
    assert!(check("cutoff tomorrow").await.is_empty());

    patch_cutoff(NaiveDate::from_ymd_opt(2025, 2, 12).expect("a date")).await;
    assert!(check("cutoff back").await.contains(&old));

    // An agent's reply answers; their comment does not.
    anna.reply(
        &server,
        ws,
        recent,
        "unreplied-1",
        "comment",
        "Looking into it",
    )
    .await;
    assert!(check("after a comment").await.contains(&recent));
    anna.reply(&server, ws, recent, "unreplied-2", "message", "Here you go")
        .await;
    assert!(!check("after a reply").await.contains(&recent));
}

#[tokio::test]
async fn custom_inboxes_are_private_until_shared_with_a_user_or_a_team() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let boris = server.login(BORIS).await;
    let maria = server.login(MARIA).await;
    let boris_id = boris.me.user.id;
    let maria_id = maria.me.user.id;
    // Start without the demo's shared inbox, so every share below is this test's own.
    let store = server.store();
    let demo_viewer = store
        .viewer(ws, maria_id)
        .await
        .expect("a read")
        .expect("a member");
    for demo in store
        .custom_inboxes(ws, &demo_viewer)
        .await
        .expect("inboxes")
    {
        store
            .delete_custom_inbox(ws, demo.id)
            .await
            .expect("deleted");
    }
    let private = create_inbox(
        &anna,
        &server,
        ws,
        json!({ "name": "Anna's open ones", "filter": { "statuses": ["open"] } }),
    )
    .await;
    assert_eq!(private.owner, anna.me.user.id);
    let folder = format!("?folder=custom:{}", private.id);
    let inbox_url = server.api(&format!("/workspaces/{ws}/inboxes/{}", private.id));

    let mine = folders(&anna, &server, ws).await;
    assert_eq!(mine.created_by_me.len(), 1);
    assert_eq!(mine.created_by_me[0].id, private.id);
    assert_eq!(mine.created_by_me[0].name, "Anna's open ones");
    let c = mine.created_by_me[0].count;
    assert_eq!(
        (c.open, c.unread),
        open_and_unread(&anna, &server, ws, &folder).await
    );
    assert!(mine.shared_with_me.is_empty());

    // Private: nobody else sees it, not even a manager.
    for other in [&boris, &maria] {
        let theirs = folders(other, &server, ws).await;
        assert!(theirs.created_by_me.is_empty() && theirs.shared_with_me.is_empty());
        let response = other
            .get(&server.api(&format!("/workspaces/{ws}/conversations{folder}")))
            .await;
        expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
        expect_error(
            other.get(&inbox_url).await,
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
        )
        .await;
        let listed: Vec<CustomInbox> = json_body(
            other
                .get(&server.api(&format!("/workspaces/{ws}/inboxes")))
                .await,
        )
        .await;
        assert!(listed.is_empty());
    }

    // Shared with Boris: he sees it under "shared with me", Maria still does not.
    let response = anna
        .put(
            &inbox_url,
            json!({ "name": "Anna's open ones", "filter": { "statuses": ["open"] }, "shared_with_users": [boris_id] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let theirs = folders(&boris, &server, ws).await;
    assert!(theirs.created_by_me.is_empty());
    assert_eq!(theirs.shared_with_me.len(), 1);
    let c = theirs.shared_with_me[0].count;
    assert_eq!(
        (c.open, c.unread),
        open_and_unread(&boris, &server, ws, &folder).await
    );
    assert_eq!(
        ids(&boris.walk(&server, ws, &folder, 2).await),
        ids(&anna.walk(&server, ws, &folder, 2).await)
    );
    let response = maria
        .get(&server.api(&format!("/workspaces/{ws}/conversations{folder}")))
        .await;
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;

    // Shared with a team Maria is in (and Boris is not): now it is the other way round.
    let response = maria
        .post(
            &server.api(&format!("/workspaces/{ws}/teams")),
            json!({ "name": "Night shift", "members": [maria_id] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let night: Team = json_body(response).await;
    let response = anna
        .put(
            &inbox_url,
            json!({ "name": "Anna's open ones", "filter": { "statuses": ["open"] }, "shared_with_teams": [night.id] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let theirs = folders(&maria, &server, ws).await;
    assert_eq!(
        theirs
            .shared_with_me
            .iter()
            .map(|f| f.id)
            .collect::<Vec<_>>(),
        vec![private.id]
    );
    let c = theirs.shared_with_me[0].count;
    assert_eq!(
        (c.open, c.unread),
        open_and_unread(&maria, &server, ws, &folder).await
    );
    let response = boris
        .get(&server.api(&format!("/workspaces/{ws}/conversations{folder}")))
        .await;
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    assert!(folders(&boris, &server, ws).await.shared_with_me.is_empty());

    // Sharing with someone outside the workspace is refused.
    let li = server.user_id(LI).await;
    let response = anna
        .put(
            &inbox_url,
            json!({ "name": "Anna's open ones", "filter": {}, "shared_with_users": [li] }),
        )
        .await;
    expect_client_error(response).await;
    let stored = server
        .store()
        .custom_inbox(ws, private.id)
        .await
        .expect("stored");
    assert_eq!(stored.shared_with_teams, vec![night.id]);
    assert!(stored.shared_with_users.is_empty());

    // Deleted: gone for everyone.
    assert_eq!(
        anna.delete(&inbox_url).await.status(),
        StatusCode::NO_CONTENT
    );
    let response = maria
        .get(&server.api(&format!("/workspaces/{ws}/conversations{folder}")))
        .await;
    expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    assert!(folders(&anna, &server, ws).await.created_by_me.is_empty());
}

/// Conditions on the contact's own first name, last name and e-mail.
const NAME_AND_EMAIL_CASES: [&str; 6] = [
    "first name equals",
    "last name contains",
    "e-mail contains",
    "e-mail is set",
    "e-mail is not set",
    "open, unassigned, with e-mail",
];

#[tokio::test]
async fn custom_inbox_conditions_select_exactly_the_matching_conversations() {
    check_conditions(false).await;
}

// Conditions on first name, last name and e-mail compare the lower-cased keys kept for every
// contact added or edited.
#[tokio::test]
async fn custom_inbox_conditions_on_names_and_e_mails_match_the_contacts() {
    check_conditions(true).await;
}

/// Runs the condition cases on contacts' names and e-mails (`names_and_emails`) or all the
/// others.
async fn check_conditions(names_and_emails: bool) {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let boris = server.login(BORIS).await;
    let maria = server.login(MARIA).await;
    let anna_id = anna.me.user.id;
    let boris_id = boris.me.user.id;
    let support = team_id(&server, ws, "Support").await;

    // A Telegram contact who just wrote.
    let telegram = server
        .store()
        .create_channel(NewChannel {
            workspace: ws,
            kind: ChannelKind::Telegram,
            name: "Northwind bot",
            public_key: None,
        })
        .await
        .expect("a channel");
    let now = Utc::now();
    let tele = contact_with_lines(
        &server,
        ws,
        telegram.id,
        "Telly",
        now - Duration::minutes(2),
        &[(
            now - Duration::minutes(1),
            Direction::Incoming,
            MessageKind::Message,
        )],
    )
    .await;

    // Custom fields and their values.
    let mut field_ids = Vec::new();
    for body in [
        json!({ "label": "Orders", "kind": "number" }),
        json!({ "label": "Birthday", "kind": "date" }),
        json!({ "label": "Plan", "kind": "list", "options": ["Basic", "Pro"] }),
        json!({ "label": "Note", "kind": "text" }),
    ] {
        let response = maria
            .post(
                &server.api(&format!("/workspaces/{ws}/custom-fields")),
                body,
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let field: switchboard_protocol::contacts::CustomField = json_body(response).await;
        field_ids.push(field.id);
    }
    let [orders, birthday, plan, note] = [field_ids[0], field_ids[1], field_ids[2], field_ids[3]];
    for (name, values) in [
        (
            "Olivia",
            vec![
                (orders, "12"),
                (birthday, "1990-05-01"),
                (plan, "Pro"),
                (note, "VIP customer"),
            ],
        ),
        (
            "Дмитрий",
            vec![(orders, "3"), (birthday, "1985-12-31"), (plan, "Basic")],
        ),
        (
            "Marco",
            vec![
                (orders, "100"),
                (birthday, "2001-01-15"),
                (note, "Wholesale lead"),
            ],
        ),
        ("Priya", vec![(orders, "7.5")]),
    ] {
        let contact = server.conversation_of(ws, name).await.contact.id;
        let fields: Vec<Value> = values
            .iter()
            .map(|(f, v)| json!({ "field": f, "value": v }))
            .collect();
        let response = anna
            .patch(
                &server.api(&format!("/workspaces/{ws}/contacts/{contact}")),
                json!({ "fields": fields }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "fields of {name}");
    }
    for (name, assignee) in [
        ("Olivia", json!({ "kind": "user", "id": anna_id })),
        ("Дмитрий", json!({ "kind": "user", "id": boris_id })),
        ("Priya", json!({ "kind": "team", "id": support })),
        ("Sofia", json!({ "kind": "ai_agent" })),
    ] {
        let id = server.conversation_of(ws, name).await.id;
        assign(&anna, &server, ws, id, assignee).await;
    }

    let rows: Vec<_> = truth(&server, ws)
        .await
        .into_iter()
        .filter(|c| !c.contact.blocked)
        .collect();
    let by_rule = |rule: &dyn Fn(&ConversationSummary) -> bool| -> BTreeSet<String> {
        rows.iter()
            .filter(|c| rule(c))
            .map(|c| c.contact.first_name.clone())
            .collect()
    };
    let set =
        |names: &[&str]| -> BTreeSet<String> { names.iter().map(|s| s.to_string()).collect() };
    let now = Utc::now();
    let within = |c: &ConversationSummary, minutes: i64| {
        c.last_incoming_at
            .is_some_and(|at| at >= now - Duration::minutes(minutes))
    };
    let unassigned_names = by_rule(&|c| c.assignee.is_none());
    let no_email = by_rule(&|c| c.contact.email.is_none());
    let with_email = by_rule(&|c| c.contact.email.is_some());
    let last_name_ov = by_rule(&|c| c.contact.last_name.to_lowercase().contains("ов"));
    assert!(last_name_ov.len() >= 3, "{last_name_ov:?}");
    let closed_chat = by_rule(&|c| {
        c.status == ConversationStatus::Closed && c.channel == ChannelKind::WebsiteChat
    });
    let recent = by_rule(&|c| within(c, 25));
    assert!(
        recent.is_superset(&set(&["Olivia", "Chloé", "Дмитрий", "Lena", "Telly"])),
        "{recent:?}"
    );
    let old = by_rule(&|c| {
        c.last_incoming_at
            .is_some_and(|at| at < now - Duration::minutes(1000))
    });
    assert!(
        old.is_superset(&set(&["Marco", "Yuki", "Ahmed", "Emma", "Mateo"])),
        "{old:?}"
    );
    let open_unassigned_with_email = by_rule(&|c| {
        c.status == ConversationStatus::Open && c.assignee.is_none() && c.contact.email.is_some()
    });
    let plan_unset = by_rule(&|c| !["Olivia", "Дмитрий"].contains(&c.contact.first_name.as_str()));

    let cases: Vec<(&str, Value, BTreeSet<String>)> = vec![
        (
            "channel telegram",
            json!({ "channels": ["telegram"] }),
            set(&["Telly"]),
        ),
        (
            "closed website chats",
            json!({ "channels": ["website_chat"], "statuses": ["closed"] }),
            closed_chat,
        ),
        (
            "snoozed",
            json!({ "statuses": ["snoozed"] }),
            set(&["Lucas"]),
        ),
        (
            "assigned to me",
            json!({ "assignee": { "kind": "me" } }),
            set(&["Olivia", "Grace", "Chloé"]),
        ),
        (
            "unassigned",
            json!({ "assignee": { "kind": "unassigned" } }),
            unassigned_names,
        ),
        (
            "assigned to Boris",
            json!({ "assignee": { "kind": "user", "id": boris_id } }),
            set(&["Дмитрий", "Ahmed"]),
        ),
        (
            "assigned to Support",
            json!({ "assignee": { "kind": "team", "id": support } }),
            set(&["Priya", "James", "Noah"]),
        ),
        (
            "assigned to the AI",
            json!({ "assignee": { "kind": "ai_agent" } }),
            set(&["Sofia"]),
        ),
        (
            "first name equals",
            json!({ "contact": [{ "field": "first_name", "op": "equals", "value": "OLIVIA" }] }),
            set(&["Olivia"]),
        ),
        (
            "last name contains",
            json!({ "contact": [{ "field": "last_name", "op": "contains", "value": "ОВ" }] }),
            last_name_ov,
        ),
        (
            "e-mail contains",
            json!({ "contact": [{ "field": "email", "op": "contains", "value": "example.de" }] }),
            set(&["Emma", "Lena"]),
        ),
        (
            "e-mail is set",
            json!({ "contact": [{ "field": "email", "op": "is_set" }] }),
            with_email,
        ),
        (
            "e-mail is not set",
            json!({ "contact": [{ "field": "email", "op": "is_not_set" }] }),
            no_email,
        ),
        (
            "orders > 10",
            json!({ "contact": [{ "field": { "custom": orders }, "op": "greater_than", "value": "10" }] }),
            set(&["Olivia", "Marco"]),
        ),
        (
            "orders < 10",
            json!({ "contact": [{ "field": { "custom": orders }, "op": "less_than", "value": "10" }] }),
            set(&["Дмитрий", "Priya"]),
        ),
        (
            "orders = 12.0",
            json!({ "contact": [{ "field": { "custom": orders }, "op": "equals", "value": "12.0" }] }),
            set(&["Olivia"]),
        ),
        (
            "born after 1990",
            json!({ "contact": [{ "field": { "custom": birthday }, "op": "greater_than", "value": "1990-01-01" }] }),
            set(&["Olivia", "Marco"]),
        ),
        (
            "born before 1990",
            json!({ "contact": [{ "field": { "custom": birthday }, "op": "less_than", "value": "1990-01-01" }] }),
            set(&["Дмитрий"]),
        ),
        (
            "plan is Pro",
            json!({ "contact": [{ "field": { "custom": plan }, "op": "equals", "value": "Pro" }] }),
            set(&["Olivia"]),
        ),
        (
            "plan is set",
            json!({ "contact": [{ "field": { "custom": plan }, "op": "is_set" }] }),
            set(&["Olivia", "Дмитрий"]),
        ),
        (
            "plan is not set",
            json!({ "contact": [{ "field": { "custom": plan }, "op": "is_not_set" }] }),
            plan_unset,
        ),
        (
            "note contains vip",
            json!({ "contact": [{ "field": { "custom": note }, "op": "contains", "value": "vip" }] }),
            set(&["Olivia"]),
        ),
        (
            "note equals",
            json!({ "contact": [{ "field": { "custom": note }, "op": "equals", "value": "wholesale LEAD" }] }),
            set(&["Marco"]),
        ),
        (
            "within 25 minutes",
            json!({ "last_incoming": { "kind": "within_minutes", "minutes": 25 } }),
            recent,
        ),
        (
            "older than 1000 minutes",
            json!({ "last_incoming": { "kind": "older_than_minutes", "minutes": 1000 } }),
            old,
        ),
        (
            "open, unassigned, with e-mail",
            json!({ "statuses": ["open"], "assignee": { "kind": "unassigned" }, "contact": [{ "field": "email", "op": "is_set" }] }),
            open_unassigned_with_email,
        ),
    ];
    let mut failures = Vec::new();
    let cases = cases
        .into_iter()
        .filter(|(label, _, _)| NAME_AND_EMAIL_CASES.contains(label) == names_and_emails);
    for (label, filter, want) in cases {
        let inbox = create_inbox(
            &anna,
            &server,
            ws,
            json!({ "name": label, "filter": filter, "shared_with_users": [boris_id] }),
        )
        .await;
        let query = format!("?folder=custom:{}", inbox.id);
        let got: BTreeSet<String> = anna
            .walk(&server, ws, &query, 2)
            .await
            .iter()
            .map(|c| c.contact.first_name.clone())
            .collect();
        if got != want {
            failures.push(format!("{label}: expected {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    if names_and_emails {
        return;
    }
    // "Me" is whoever looks: the same shared inbox lists Boris's own for Boris.
    let mine = create_inbox(
        &anna,
        &server,
        ws,
        json!({ "name": "Me", "filter": { "assignee": { "kind": "me" } }, "shared_with_users": [boris_id] }),
    )
    .await;
    let query = format!("?folder=custom:{}", mine.id);
    let theirs: Vec<_> = boris
        .walk(&server, ws, &query, 2)
        .await
        .iter()
        .map(|c| c.contact.first_name.clone())
        .collect();
    assert_eq!(theirs, vec!["Дмитрий".to_owned(), "Ahmed".to_owned()]);
    assert_eq!(server.conversation_of(ws, "Telly").await.id, tele);
}
