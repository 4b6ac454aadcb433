//! Bad input never breaks the server: every write endpoint answers malformed JSON, wrong
//! JSON types, unknown enum values and over-long strings with a 4xx `ErrorBody` (never a
//! 5xx) and stores nothing; list parameters likewise. SQL metacharacters are data: they are
//! stored verbatim where they are legitimate text (names), never widen a search or a
//! condition (`%` and `_` match only themselves), and never reach the database as SQL.

use crate::common;

use common::*;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use switchboard_protocol::contacts::{Contact, CustomField, CustomFieldRequest, FieldKind};
use switchboard_protocol::inbox::{CustomInbox, CustomInboxRequest, InboxFilter};
use switchboard_protocol::*;

/// Bodies no endpoint accepts.
const GARBAGE: [&str; 12] = [
    "",
    "{",
    "{\"name\":",
    "not json",
    "{\"a\":1}}",
    "[",
    "[]",
    "\"text\"",
    "42",
    "null",
    "true",
    "{'single': 'quotes'}",
];

fn long(n: usize) -> String {
    "x".repeat(n)
}

struct Fixture {
    server: Server,
    ws: WorkspaceId,
    maria: Agent,
    conversation: ConversationId,
    contact: ContactId,
    team: TeamId,
    text_field: CustomFieldId,
    number_field: CustomFieldId,
    inbox: CustomInboxId,
    boris: UserId,
}

async fn fixture() -> Fixture {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let olivia = server.conversation_of(ws, "Olivia").await;
    let team = server.store().teams(ws).await.expect("teams")[0].id;
    let field = |label: &str, kind| CustomFieldRequest {
        label: label.into(),
        kind,
        options: Vec::new(),
    };
    let text_field = server
        .store()
        .create_custom_field(ws, &field("Coupon", FieldKind::Text))
        .await
        .expect("a field")
        .0
        .id;
    let number_field = server
        .store()
        .create_custom_field(ws, &field("Orders", FieldKind::Number))
        .await
        .expect("a field")
        .0
        .id;
    let inbox = server
        .store()
        .create_custom_inbox(
            ws,
            maria.me.user.id,
            &CustomInboxRequest {
                name: "Maria's".into(),
                filter: InboxFilter::default(),
                shared_with_users: Vec::new(),
                shared_with_teams: Vec::new(),
            },
        )
        .await
        .expect("an inbox")
        .0
        .id;
    let boris = server.user_id(BORIS).await;
    Fixture {
        conversation: olivia.id,
        contact: olivia.contact.id,
        server,
        ws,
        maria,
        team,
        text_field,
        number_field,
        inbox,
        boris,
    }
}

/// A body an endpoint must refuse, with the field the refusal names (if it names one).
type BadBody = (Value, Option<&'static str>);

/// A write endpoint and the bad bodies it is sent.
type Endpoint = (Method, String, Vec<BadBody>);

/// Each write endpoint with the bodies it must refuse (and the field named, where there is
/// one to name).
fn endpoints(f: &Fixture) -> Vec<Endpoint> {
    let ws = f.ws;
    let conv = format!("/workspaces/{ws}/conversations/{}", f.conversation);
    let contact = format!("/workspaces/{ws}/contacts/{}", f.contact);
    let (text, number) = (f.text_field, f.number_field);
    let condition = |c: Value| json!({ "name": "Bad", "filter": { "contact": [c] } });
    let inbox_bodies = vec![
        (json!({ "name": long(101), "filter": {} }), Some("name")),
        (json!({ "name": "  ", "filter": {} }), Some("name")),
        (json!({ "name": "Bad" }), None),
        (json!({ "name": 5, "filter": {} }), None),
        (
            json!({ "name": "Bad", "filter": { "statuses": ["maybe"] } }),
            None,
        ),
        (
            json!({ "name": "Bad", "filter": { "channels": ["fax"] } }),
            None,
        ),
        (json!({ "name": "Bad", "filter": { "sql": "1=1" } }), None),
        (
            json!({ "name": "Bad", "filter": { "assignee": { "kind": "everyone" } } }),
            None,
        ),
        (
            json!({ "name": "Bad", "filter": { "assignee": { "kind": "user" } } }),
            None,
        ),
        (
            json!({ "name": "Bad", "filter": { "last_incoming": { "kind": "within_minutes", "minutes": 0 } } }),
            Some("filter.last_incoming"),
        ),
        (
            json!({ "name": "Bad", "filter": { "last_incoming": { "kind": "older_than_minutes", "minutes": -5 } } }),
            None,
        ),
        (
            json!({ "name": "Bad", "filter": { "last_incoming": { "kind": "sometime" } } }),
            None,
        ),
        (
            condition(json!({ "field": "first_name", "op": "drop table", "value": "x" })),
            None,
        ),
        (
            condition(json!({ "field": "first_name", "op": "equals; --", "value": "x" })),
            None,
        ),
        (
            condition(json!({ "field": "password", "op": "equals", "value": "x" })),
            None,
        ),
        (
            condition(json!({ "field": "first_name", "op": "equals", "value": long(501) })),
            Some("filter.contact"),
        ),
        (
            condition(json!({ "field": "first_name", "op": "equals" })),
            Some("filter.contact"),
        ),
        (
            condition(json!({ "field": "first_name", "op": "contains", "value": "   " })),
            Some("filter.contact"),
        ),
        (
            condition(json!({ "field": "first_name", "op": "greater_than", "value": "a" })),
            Some("filter.contact"),
        ),
        (
            condition(json!({ "field": { "custom": text }, "op": "less_than", "value": "a" })),
            Some("filter.contact"),
        ),
        (
            condition(
                json!({ "field": { "custom": number }, "op": "greater_than", "value": "' OR 1=1 --" }),
            ),
            None,
        ),
        (
            condition(json!({ "field": { "custom": 987654 }, "op": "equals", "value": "x" })),
            Some("filter.contact"),
        ),
        (
            condition(json!({ "field": "first_name", "op": "equals", "value": 5 })),
            None,
        ),
        (
            json!({ "name": "Bad", "filter": {}, "shared_with_users": [987654] }),
            None,
        ),
        (
            json!({ "name": "Bad", "filter": {}, "shared_with_users": ["maria"] }),
            None,
        ),
        (
            json!({ "name": "Bad", "filter": {}, "shared_with_teams": [987654] }),
            None,
        ),
    ];
    let team_bodies = vec![
        (json!({ "name": long(101) }), Some("name")),
        (json!({ "name": "я".repeat(101) }), Some("name")),
        (json!({ "name": "" }), Some("name")),
        (json!({ "name": 5 }), None),
        (json!({ "members": [] }), None),
        (json!({ "name": "Night", "members": ["anna"] }), None),
        (json!({ "name": "Night", "members": [987654] }), None),
        (json!({ "name": "Night", "leader": 1 }), None),
    ];
    let field_bodies = vec![
        (json!({ "label": long(101), "kind": "text" }), Some("label")),
        (json!({ "label": "", "kind": "text" }), Some("label")),
        (json!({ "label": "Colour", "kind": "color" }), None),
        (json!({ "label": "Colour" }), None),
        (json!({ "label": "Plan", "kind": "list" }), Some("options")),
        (
            json!({ "label": "Plan", "kind": "list", "options": [long(101)] }),
            Some("options"),
        ),
        (
            json!({ "label": "Plan", "kind": "list", "options": ["a", "a"] }),
            Some("options"),
        ),
        (
            json!({ "label": "Plan", "kind": "text", "options": ["a"] }),
            Some("options"),
        ),
        (
            json!({ "label": "Plan", "kind": "text", "sql": "DROP" }),
            None,
        ),
    ];
    let mut field_put = field_bodies.clone();
    field_put.push((json!({ "label": "Coupon", "kind": "number" }), Some("kind")));
    vec![
        (
            Method::POST,
            "/auth/login".into(),
            vec![
                (json!({ "email": ["anna"], "password": "x" }), None),
                (json!({ "email": "anna@northwind.example" }), None),
            ],
        ),
        (
            Method::POST,
            format!("{conv}/messages"),
            vec![
                (
                    json!({ "client_id": "b-1", "kind": "telepathy", "text": "hi" }),
                    None,
                ),
                (
                    json!({ "client_id": 1, "kind": "message", "text": "hi" }),
                    None,
                ),
                (
                    json!({ "client_id": "b-1", "kind": "message", "text": ["hi"] }),
                    None,
                ),
                (json!({ "client_id": "b-1", "kind": "message" }), None),
                (
                    json!({ "client_id": "b-1", "kind": "message", "text": long(4097) }),
                    Some("text"),
                ),
                (
                    json!({ "client_id": long(65), "kind": "message", "text": "hi" }),
                    Some("client_id"),
                ),
                (
                    json!({ "client_id": "'; DROP TABLE messages; --", "kind": "message", "text": "hi" }),
                    Some("client_id"),
                ),
                (
                    json!({ "client_id": "b-1", "kind": "message", "text": "hi", "reply_to": "abc" }),
                    None,
                ),
                (
                    json!({ "client_id": "b-1", "kind": "message", "text": "hi", "reply_to": 1.5 }),
                    None,
                ),
                (
                    json!({ "client_id": "b-1", "kind": "comment", "text": "hi", "mentions": "maria" }),
                    None,
                ),
                (
                    json!({ "client_id": "b-1", "kind": "comment", "text": "hi", "mentions": [-1] }),
                    Some("mentions"),
                ),
                (
                    json!({ "client_id": "b-1", "kind": "comment", "text": "hi", "mentions": vec![f.boris; 51] }),
                    Some("mentions"),
                ),
            ],
        ),
        (
            Method::POST,
            format!("{conv}/assign"),
            vec![
                (json!({ "assignee": { "kind": "robot" } }), None),
                (json!({ "assignee": { "kind": "user" } }), None),
                (
                    json!({ "assignee": { "kind": "user", "id": "boris" } }),
                    None,
                ),
                (json!({ "assignee": "anna" }), None),
                (
                    json!({ "assignee": { "kind": "user", "id": -1 } }),
                    Some("assignee"),
                ),
            ],
        ),
        (
            Method::POST,
            format!("{conv}/close"),
            vec![
                (json!({ "note": 5 }), None),
                (json!({ "note": ["a"] }), None),
                (json!({ "note": long(4097) }), Some("note")),
                (json!({ "note": "ж".repeat(4097) }), Some("note")),
            ],
        ),
        (
            Method::POST,
            format!("{conv}/snooze"),
            vec![
                (json!({}), None),
                (json!({ "until": "tomorrow" }), None),
                (json!({ "until": 1234 }), None),
                (json!({ "until": "9999-99-99T00:00:00Z" }), None),
                (json!({ "until": "2020-01-01T00:00:00Z" }), Some("until")),
                (json!({ "until": "' OR 1=1 --" }), None),
            ],
        ),
        (
            Method::POST,
            format!("/workspaces/{ws}/contacts"),
            vec![
                (json!({}), Some("first_name")),
                (
                    json!({ "first_name": "   ", "last_name": " " }),
                    Some("first_name"),
                ),
                (json!({ "first_name": 5 }), None),
                (json!({ "first_name": long(101) }), Some("first_name")),
                (json!({ "first_name": "ж".repeat(101) }), Some("first_name")),
                (
                    json!({ "first_name": "Ok", "last_name": long(101) }),
                    Some("last_name"),
                ),
                (
                    json!({ "first_name": "Ok", "email": "not-an-email" }),
                    Some("email"),
                ),
                (
                    json!({ "first_name": "Ok", "email": format!("a@{}.com", long(100)) }),
                    Some("email"),
                ),
                (
                    json!({ "first_name": "Ok", "phone": "'; DROP TABLE contacts; --" }),
                    Some("phone"),
                ),
                (json!({ "first_name": "Ok", "phone": "123" }), Some("phone")),
                (
                    json!({ "first_name": "Ok", "fields": [{ "field": text, "value": long(501) }] }),
                    Some(leak(format!("fields.{text}"))),
                ),
                (
                    json!({ "first_name": "Ok", "fields": [{ "field": number, "value": "forty" }] }),
                    Some(leak(format!("fields.{number}"))),
                ),
                (
                    json!({ "first_name": "Ok", "fields": [{ "field": 987654, "value": "x" }] }),
                    Some("fields"),
                ),
                (
                    json!({ "first_name": "Ok", "fields": [{ "field": "Coupon", "value": "x" }] }),
                    None,
                ),
                (json!({ "first_name": "Ok", "blocked": true }), None),
            ],
        ),
        (
            Method::PATCH,
            contact,
            vec![
                (json!({ "first_name": long(101) }), Some("first_name")),
                (json!({ "last_name": 5 }), None),
                (json!({ "email": "bad" }), Some("email")),
                (json!({ "phone": "abc" }), Some("phone")),
                (
                    json!({ "phone": "+7 912 555-01-23; DROP TABLE contacts" }),
                    Some("phone"),
                ),
                (
                    json!({ "fields": [{ "field": text, "value": long(501) }] }),
                    Some(leak(format!("fields.{text}"))),
                ),
                (
                    json!({ "fields": [{ "field": number, "value": "1; DROP TABLE contacts" }] }),
                    Some(leak(format!("fields.{number}"))),
                ),
                (
                    json!({ "fields": [{ "field": 987654, "value": "x" }] }),
                    Some("fields"),
                ),
                (json!({ "blocked": true }), None),
                (json!({ "id": 1 }), None),
            ],
        ),
        (
            Method::PATCH,
            format!("/workspaces/{ws}/settings"),
            vec![
                (json!({ "closing_notes": "sometimes" }), None),
                (json!({ "name": long(101) }), Some("name")),
                (json!({ "name": "   " }), Some("name")),
                (json!({ "name": 5 }), None),
                (json!({ "unreplied_cutoff": "yesterday" }), None),
                (json!({ "unreplied_cutoff": "2025-02-30" }), None),
                (json!({ "unreplied_cutoff": "2025-02-12'; --" }), None),
                (json!({ "colour": "red" }), None),
            ],
        ),
        (
            Method::PATCH,
            format!("/workspaces/{ws}/members/{}", f.boris),
            vec![
                (json!({ "role": "admin" }), None),
                (json!({ "role": "agent; DROP TABLE users" }), None),
                (
                    json!({ "permissions": { "view_blocked": "yes", "phone_masked": false } }),
                    None,
                ),
                (json!({ "permissions": { "view_blocked": true } }), None),
                (json!({ "superuser": true }), None),
            ],
        ),
        (
            Method::POST,
            format!("/workspaces/{ws}/teams"),
            team_bodies.clone(),
        ),
        (
            Method::PUT,
            format!("/workspaces/{ws}/teams/{}", f.team),
            team_bodies,
        ),
        (
            Method::POST,
            format!("/workspaces/{ws}/custom-fields"),
            field_bodies,
        ),
        (
            Method::PUT,
            format!("/workspaces/{ws}/custom-fields/{text}"),
            field_put,
        ),
        (
            Method::POST,
            format!("/workspaces/{ws}/inboxes"),
            inbox_bodies.clone(),
        ),
        (
            Method::PUT,
            format!("/workspaces/{ws}/inboxes/{}", f.inbox),
            inbox_bodies,
        ),
    ]
}

/// A field name built at run time, for the `'static` table.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[tokio::test]
async fn every_write_endpoint_refuses_bad_bodies_with_an_error_body_and_stores_nothing() {
    let f = fixture().await;
    let server = &f.server;
    let before = server.workspace_state(f.ws).await;
    let mut failures = Vec::new();
    for (method, path, bodies) in endpoints(&f) {
        let url = server.api(&path);
        let mut cases: Vec<(String, Option<&str>)> =
            GARBAGE.iter().map(|g| (g.to_string(), None)).collect();
        cases.extend(bodies.into_iter().map(|(b, field)| (b.to_string(), field)));
        for (body, field) in cases {
            let response = f.maria.send_raw(method.clone(), &url, &body).await;
            let status = response.status();
            let text = response.text().await.expect("a body");
            let shown: String = body.chars().take(80).collect();
            let label = format!("{method} {path} {shown}");
            if !status.is_client_error() {
                failures.push(format!("{label}: {status} {text}"));
                continue;
            }
            match serde_json::from_str::<ErrorBody>(&text) {
                Ok(error)
                    if error.code != ErrorCode::Internal && !error.message.trim().is_empty() =>
                {
                    if let Some(field) = field
                        && error.field.as_deref() != Some(field)
                    {
                        failures.push(format!(
                            "{label}: field {:?}, expected {field}",
                            error.field
                        ));
                    }
                }
                _ => failures.push(format!("{label}: not a proper ErrorBody: {status} {text}")),
            }
        }
        // A JSON body sent as something else is refused too.
        let response = f
            .maria
            .client
            .request(method.clone(), &url)
            .header(CONTENT_TYPE, "text/plain")
            .body("{\"name\":\"Plain\"}")
            .send()
            .await
            .expect("answered");
        let (status, _) = expect_client_error(response).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{method} {path} as text/plain"
        );
        let after = server.workspace_state(f.ws).await;
        assert!(
            after == before,
            "{method} {path}: a refused request changed the workspace"
        );
    }
    assert!(failures.is_empty(), "{failures:#?}");

    // The limits are limits: exactly at them is fine (counted in characters, not bytes).
    let ws = f.ws;
    let response = f
        .maria
        .post(
            &server.api(&format!("/workspaces/{ws}/contacts")),
            json!({ "first_name": "ж".repeat(100), "last_name": long(100), "fields": [{ "field": f.text_field, "value": "ю".repeat(500) }] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = f
        .maria
        .post(
            &server.api(&format!("/workspaces/{ws}/teams")),
            json!({ "name": "я".repeat(100) }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = f
        .maria
        .post(
            &server.api(&format!("/workspaces/{ws}/inboxes")),
            json!({ "name": long(100), "filter": { "contact": [{ "field": { "custom": f.text_field }, "op": "contains", "value": "ю".repeat(500) }] } }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn list_parameters_are_checked_and_refused_with_an_error_body() {
    let f = fixture().await;
    let server = &f.server;
    let ws = f.ws;
    let anna = server.login(ANNA).await;
    let base = server.api(&format!("/workspaces/{ws}/conversations"));
    let q201 = "я".repeat(201);
    let cases: Vec<(String, Option<&str>)> = vec![
        ("folder=everything".into(), None),
        ("folder=team:x".into(), None),
        ("folder=custom:".into(), None),
        ("folder=team:1%20OR%201=1".into(), None),
        ("folder=ALL".into(), None),
        ("sort=random".into(), None),
        ("sort=newest;%20DROP%20TABLE%20conversations".into(), None),
        ("status=maybe".into(), None),
        ("status=open'%20OR%20'1'='1".into(), None),
        ("unreplied=perhaps".into(), None),
        ("limit=-1".into(), None),
        ("limit=abc".into(), None),
        ("limit=0".into(), Some("limit")),
        ("limit=101".into(), Some("limit")),
        (format!("q={}", "x".repeat(201)), Some("q")),
        (format!("q={q201}"), Some("q")),
        ("cursor='%20OR%201=1%20--".into(), Some("cursor")),
        ("cursor=1_1%20OR%201=1".into(), Some("cursor")),
    ];
    let before = server.workspace_state(ws).await;
    for (query, field) in cases {
        let response = anna.get(&format!("{base}?{query}")).await;
        let (status, error) = expect_client_error(response).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {error:?}"
        );
        assert_eq!(error.code, ErrorCode::Validation, "{query}");
        if let Some(field) = field {
            assert_eq!(error.field.as_deref(), Some(field), "{query}");
        }
    }
    // Exactly 200 characters is a search.
    let response = anna.get(&format!("{base}?q={}", "я".repeat(200))).await;
    assert_eq!(response.status(), StatusCode::OK);
    // Paths that are not ids name nothing.
    for path in [
        format!("/workspaces/{ws}/conversations/1%20OR%201=1"),
        format!("/workspaces/{ws}/conversations/1;DROP%20TABLE%20messages"),
        format!("/workspaces/{ws}/contacts/'%20OR%20''='"),
        format!("/workspaces/{ws}/inboxes/1'--"),
        "/workspaces/1%20OR%201=1/conversations".to_string(),
    ] {
        let response = anna.get(&server.api(&path)).await;
        expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    }
    assert!(server.workspace_state(ws).await == before);
}

/// The list search's documented rule: first name, last name or e-mail containing the text
/// literally (case aside), or the phone's digits containing three or more digits of it.
fn literally_matches(c: &ConversationSummary, q: &str) -> bool {
    let q = q.trim().to_lowercase();
    let text = format!(
        "{} {} {}",
        c.contact.first_name,
        c.contact.last_name,
        c.contact.email.as_deref().unwrap_or("")
    )
    .to_lowercase();
    let digits = switchboard_protocol::contacts::phone_digits(&q);
    let phone = c
        .contact
        .phone
        .as_deref()
        .map(switchboard_protocol::contacts::phone_digits)
        .unwrap_or_default();
    text.contains(&q) || (digits.len() >= 3 && phone.contains(&digits))
}

fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

const METACHARACTERS: [&str; 11] = [
    "' OR 1=1 --",
    "' OR '1'='1",
    "%",
    "_",
    "\\",
    "%%",
    "_%_",
    "\"; DROP TABLE contacts; --",
    "'; DELETE FROM contacts; --",
    "*",
    "1' UNION SELECT password_hash FROM users --",
];

#[tokio::test]
async fn sql_metacharacters_are_data_and_wildcards_match_only_themselves() {
    let f = fixture().await;
    let server = &f.server;
    let ws = f.ws;
    let anna = server.login(ANNA).await;

    // Before any contact holds them, no metacharacter search finds anything.
    for q in METACHARACTERS {
        let query = format!("?q={}", encode(q));
        let rows = anna.walk(server, ws, &query, 50).await;
        assert!(
            rows.is_empty(),
            "{q:?} found {:?}",
            rows.iter()
                .map(|c| c.contact.display_name())
                .collect::<Vec<_>>()
        );
    }

    // Names with metacharacters are legitimate text: stored and answered verbatim.
    let contacts_before = server.contact_count(ws).await;
    let names = [
        ("Fifty%", "Off", "50%OFF"),
        ("Under_Score", "Jr", "A_B"),
        ("Back\\Slash", "Esq", "C\\D"),
        (
            "Robert\"); DROP TABLE contacts; --",
            "Tables",
            "'; DROP TABLE contacts; --",
        ),
        ("O'Brien", "' OR 1=1 --", "' OR '1'='1"),
    ];
    for (first, last, coupon) in names {
        let response = f
            .maria
            .post(
                &server.api(&format!("/workspaces/{ws}/contacts")),
                json!({ "first_name": first, "last_name": last, "fields": [{ "field": f.text_field, "value": coupon }] }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{first}");
        let contact: Contact = json_body(response).await;
        assert_eq!(
            (
                contact.summary.first_name.as_str(),
                contact.summary.last_name.as_str()
            ),
            (first, last)
        );
        let stored = server
            .store()
            .contact(ws, contact.summary.id)
            .await
            .expect("stored");
        assert_eq!(stored.summary.first_name, first);
        assert_eq!(stored.fields[0].value, coupon);
    }
    assert_eq!(
        server.contact_count(ws).await,
        contacts_before + names.len(),
        "the contacts table is intact"
    );
    // Olivia's coupon looks like the wildcards' matches but holds none of the characters.
    let response = f
        .maria
        .patch(
            &server.api(&format!("/workspaces/{ws}/contacts/{}", f.contact)),
            json!({ "fields": [{ "field": f.text_field, "value": "5000FF AxB CxD" }] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    // Every search matches exactly the rows that literally contain it.
    let rows: Vec<_> = server
        .all_conversations(ws)
        .await
        .into_iter()
        .filter(|c| !c.contact.blocked)
        .collect();
    for q in METACHARACTERS {
        let query = format!("?q={}", encode(q));
        let mut got: Vec<_> = anna
            .walk(server, ws, &query, 2)
            .await
            .iter()
            .map(|c| c.contact.display_name())
            .collect();
        let mut want: Vec<_> = rows
            .iter()
            .filter(|c| literally_matches(c, q))
            .map(|c| c.contact.display_name())
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "searching {q:?}");
    }
    let found = |q: &str| -> Vec<String> {
        rows.iter()
            .filter(|c| literally_matches(c, q))
            .map(|c| c.contact.first_name.clone())
            .collect()
    };
    // The rule itself, on the contacts made for it.
    assert_eq!(found("%"), vec!["Fifty%".to_string()]);
    assert_eq!(found("_"), vec!["Under_Score".to_string()]);
    assert_eq!(found("\\"), vec!["Back\\Slash".to_string()]);
    assert_eq!(found("' OR 1=1 --"), vec!["O'Brien".to_string()]);
    // The injection-looking name is found by its own text.
    let hits = anna
        .walk(
            server,
            ws,
            &format!("?q={}", encode("DROP TABLE contacts")),
            5,
        )
        .await;
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0].contact.first_name,
        "Robert\"); DROP TABLE contacts; --"
    );

    // Custom inbox conditions: values are bound, wildcards are literal.
    let coupon = f.text_field;
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            json!({ "field": { "custom": coupon }, "op": "contains", "value": "%" }),
            vec!["Fifty%"],
        ),
        (
            json!({ "field": { "custom": coupon }, "op": "contains", "value": "_" }),
            vec!["Under_Score"],
        ),
        (
            json!({ "field": { "custom": coupon }, "op": "contains", "value": "\\" }),
            vec!["Back\\Slash"],
        ),
        (
            json!({ "field": { "custom": coupon }, "op": "contains", "value": "0%O" }),
            vec!["Fifty%"],
        ),
        (
            json!({ "field": { "custom": coupon }, "op": "equals", "value": "' OR '1'='1" }),
            vec!["O'Brien"],
        ),
        (
            json!({ "field": { "custom": coupon }, "op": "equals", "value": "' OR 1=1 --" }),
            vec![],
        ),
        (
            json!({ "field": { "custom": coupon }, "op": "contains", "value": "'; DROP TABLE contacts; --" }),
            vec!["Robert\"); DROP TABLE contacts; --"],
        ),
        (
            json!({ "field": { "custom": coupon }, "op": "equals", "value": "%" }),
            vec![],
        ),
    ];
    for (condition, want) in cases {
        let response = anna
            .post(
                &server.api(&format!("/workspaces/{ws}/inboxes")),
                json!({ "name": format!("Meta {}", condition["value"]), "filter": { "contact": [condition] } }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{condition}");
        let inbox: CustomInbox = json_body(response).await;
        let got: Vec<String> = anna
            .walk(server, ws, &format!("?folder=custom:{}", inbox.id), 2)
            .await
            .iter()
            .map(|c| c.contact.first_name.clone())
            .collect();
        assert_eq!(got, want, "{condition}");
    }
    // On name and e-mail conditions a wildcard never widens the match either (whether they
    // match at all is `inbox_views`' business).
    for (field, value, literal) in [
        ("first_name", "%", '%'),
        ("first_name", "_", '_'),
        ("email", "%", '%'),
        ("last_name", "' OR 1=1 --", '\''),
    ] {
        let response = anna
            .post(
                &server.api(&format!("/workspaces/{ws}/inboxes")),
                json!({ "name": format!("Meta {field} {value}"), "filter": { "contact": [{ "field": field, "op": "contains", "value": value }] } }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let inbox: CustomInbox = json_body(response).await;
        for row in anna
            .walk(server, ws, &format!("?folder=custom:{}", inbox.id), 5)
            .await
        {
            let text = format!(
                "{} {} {}",
                row.contact.first_name,
                row.contact.last_name,
                row.contact.email.unwrap_or_default()
            );
            assert!(
                text.contains(literal),
                "{field} contains {value:?} matched {text:?}"
            );
        }
    }

    // Other names are text too: a team, a field, an inbox and the workspace itself.
    let evil = "x'); DROP TABLE teams; --";
    let response = f
        .maria
        .post(
            &server.api(&format!("/workspaces/{ws}/teams")),
            json!({ "name": evil }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = f
        .maria
        .post(
            &server.api(&format!("/workspaces/{ws}/custom-fields")),
            json!({ "label": evil, "kind": "text" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let field: CustomField = json_body(response).await;
    assert_eq!(field.label, evil);
    let response = f
        .maria
        .patch(
            &server.api(&format!("/workspaces/{ws}/settings")),
            json!({ "name": evil }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let teams = server
        .store()
        .teams(ws)
        .await
        .expect("the teams table is intact");
    assert!(teams.iter().any(|t| t.name == evil) && teams.iter().any(|t| t.name == "Support"));
    assert_eq!(
        server.store().settings(ws).await.expect("settings").name,
        evil
    );
    // And the demo still logs in and lists.
    let boris = server.login(BORIS).await;
    assert!(!boris.walk(server, ws, "", 50).await.is_empty());
}

/// What a NUL character in text must never do: fail the server, or act as a wildcard.
async fn check_nul_characters(server: &Server) {
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let olivia = server.conversation_of(ws, "Olivia").await.id;
    let before = server.workspace_state(ws).await;
    let mut failures = Vec::new();

    // A search for a NUL finds what literally holds one (nothing yet), or is refused.
    for q in ["%00", "Olivia%00", "%00%25"] {
        let response = anna
            .get(&server.api(&format!("/workspaces/{ws}/conversations?q={q}")))
            .await;
        let status = response.status();
        let text = response.text().await.expect("a body");
        match status {
            StatusCode::OK => {
                let page: switchboard_protocol::api::Page<ConversationSummary> =
                    serde_json::from_str(&text).expect("a page");
                if !page.items.is_empty() {
                    failures.push(format!(
                        "q={q} matched {} contacts, none of which holds a NUL",
                        page.items.len()
                    ));
                }
            }
            s if s.is_client_error() => {}
            s => failures.push(format!("q={q}: {s} {text}")),
        }
    }
    assert!(server.workspace_state(ws).await == before);

    // Text with a NUL is stored verbatim or refused as bad input, never a server error.
    let writes = [
        (
            server.api(&format!("/workspaces/{ws}/contacts")),
            json!({ "first_name": "Nul\u{0}Byte" }),
        ),
        (
            server.api(&format!("/workspaces/{ws}/conversations/{olivia}/messages")),
            json!({ "client_id": "nul-1", "kind": "message", "text": "a\u{0}b" }),
        ),
    ];
    for (url, body) in writes {
        let response = anna.post(&url, body.clone()).await;
        let status = response.status();
        let text = response.text().await.expect("a body");
        if status.is_server_error() {
            failures.push(format!("{body}: {status} {text}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

// A NUL character in the list search is refused: on SQLite it would cut the LIKE pattern
// short and match everything.
#[tokio::test]
async fn a_nul_character_is_neither_a_wildcard_nor_a_server_error() {
    let server = Server::start().await;
    check_nul_characters(&server).await;
}

// On PostgreSQL, which refuses NUL in text, text with a NUL character is a 422, never a 500.
#[tokio::test]
async fn a_nul_character_is_never_a_server_error_on_postgresql() {
    let url = switchboard_storage_postgres::testing::fresh_database().await;
    let server = Server::start_on(Some(url), true).await;
    check_nul_characters(&server).await;
}

#[tokio::test]
async fn a_custom_field_label_taken_in_any_case_is_a_conflict() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let url = server.api(&format!("/workspaces/{ws}/custom-fields"));
    let response = maria
        .post(&url, json!({ "label": "Loyalty tier", "kind": "text" }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let tier: CustomField = json_body(response).await;
    let other: CustomField = json_body(
        maria
            .post(&url, json!({ "label": "Region", "kind": "text" }))
            .await,
    )
    .await;
    let before = server.workspace_state(ws).await;
    let response = maria
        .post(&url, json!({ "label": "LOYALTY TIER", "kind": "number" }))
        .await;
    expect_error(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    let response = maria
        .put(
            &format!("{url}/{}", other.id),
            json!({ "label": "loyalty tier", "kind": "text" }),
        )
        .await;
    expect_error(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    assert!(
        server.workspace_state(ws).await == before,
        "a refused change changes nothing"
    );
    // A field may keep its own label in another case.
    let response = maria
        .put(
            &format!("{url}/{}", tier.id),
            json!({ "label": "Loyalty Tier", "kind": "text" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}
