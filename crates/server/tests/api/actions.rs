//! Conversation actions over REST (A1–A3, C4, K7, T5): the state machine of close, snooze,
//! unsnooze and reopen with readable refusals, closing notes per the workspace setting,
//! assignment within the workspace, replies and mentions, and snoozes that wake on time,
//! across a restart too.

use crate::common;

use chrono::{Duration as Days, Utc};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use switchboard_protocol::events::EventPayload;
use switchboard_protocol::*;

/// What a refused action must leave untouched: the row, the events, the messages.
async fn state(
    server: &Server,
    ws: WorkspaceId,
    id: ConversationId,
) -> (ConversationSummary, (u64, usize)) {
    (
        server.store().conversation(ws, id).await.expect("a row"),
        server.footprint(ws).await,
    )
}

fn action_url(server: &Server, ws: WorkspaceId, id: ConversationId, action: &str) -> String {
    server.api(&format!("/workspaces/{ws}/conversations/{id}/{action}"))
}

/// Performs an action that must succeed; returns the row it answers with.
async fn act_ok(
    agent: &Agent,
    server: &Server,
    ws: WorkspaceId,
    id: ConversationId,
    action: &str,
    body: Value,
) -> ConversationSummary {
    let seq = server.last_seq(ws).await;
    let response = agent
        .post(&action_url(server, ws, id, action), body.clone())
        .await;
    let status = response.status();
    let text = response.text().await.expect("a body");
    assert_eq!(status, StatusCode::OK, "{action} {body}: {text}");
    let row: ConversationSummary = serde_json::from_str(&text).expect("a row");
    assert_eq!(
        row,
        server.store().conversation(ws, id).await.expect("a row"),
        "{action}: the answer is the stored row"
    );
    assert_eq!(server.last_seq(ws).await, seq + 1, "{action}: one event");
    row
}

/// Performs an action that must be refused with `status`/`code` (and `field`), changing
/// nothing; returns the error.
#[allow(clippy::too_many_arguments)]
async fn act_refused(
    agent: &Agent,
    server: &Server,
    ws: WorkspaceId,
    id: ConversationId,
    action: &str,
    body: Value,
    status: StatusCode,
    code: ErrorCode,
    field: Option<&str>,
) -> ErrorBody {
    let before = state(server, ws, id).await;
    let response = agent
        .post(&action_url(server, ws, id, action), body.clone())
        .await;
    let (error, _) = expect_error(response, status, code).await;
    assert_eq!(error.field.as_deref(), field, "{action} {body}: {error:?}");
    assert_eq!(
        state(server, ws, id).await,
        before,
        "{action} {body} was refused but changed something"
    );
    error
}

#[tokio::test]
async fn close_snooze_unsnooze_and_reopen_follow_the_state_machine() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let olivia = server.conversation_of(ws, "Olivia").await;
    assert_eq!(olivia.status, ConversationStatus::Open);
    let id = olivia.id;
    let conflict = |message: &str| {
        (
            StatusCode::CONFLICT,
            ErrorCode::Conflict,
            message.to_owned(),
        )
    };

    let closed = act_ok(&anna, &server, ws, id, "close", json!({})).await;
    assert_eq!(closed.status, ConversationStatus::Closed);
    assert!(closed.status_since > olivia.status_since);
    for (action, body, (status, code, words)) in [
        ("close", json!({}), conflict("already closed")),
        ("unsnooze", json!({}), conflict("not snoozed")),
    ] {
        let error = act_refused(&anna, &server, ws, id, action, body, status, code, None).await;
        assert!(
            error.message.contains(&words),
            "{action}: {}",
            error.message
        );
        assert!(
            error.message.ends_with('.'),
            "a sentence: {}",
            error.message
        );
    }

    let open = act_ok(&anna, &server, ws, id, "reopen", json!({})).await;
    assert_eq!(open.status, ConversationStatus::Open);
    for (action, words) in [("reopen", "already open"), ("unsnooze", "not snoozed")] {
        let error = act_refused(
            &anna,
            &server,
            ws,
            id,
            action,
            json!({}),
            StatusCode::CONFLICT,
            ErrorCode::Conflict,
            None,
        )
        .await;
        assert!(error.message.contains(words), "{action}: {}", error.message);
    }

    // Snoozing needs a time in the future.
    for until in [Utc::now() - Days::minutes(1), Utc::now() - Days::days(365)] {
        act_refused(
            &anna,
            &server,
            ws,
            id,
            "snooze",
            json!({ "until": until }),
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
            Some("until"),
        )
        .await;
    }
    let until = (Utc::now() + Days::hours(3)).duration_trunc_micros();
    let snoozed = act_ok(&anna, &server, ws, id, "snooze", json!({ "until": until })).await;
    assert_eq!(snoozed.status, ConversationStatus::Snoozed);
    assert_eq!(snoozed.snoozed_until, Some(until));
    // A new deadline for a snoozed conversation is fine.
    let later = until + Days::hours(1);
    let again = act_ok(&anna, &server, ws, id, "snooze", json!({ "until": later })).await;
    assert_eq!(again.snoozed_until, Some(later));
    assert_eq!(
        again.status_since, snoozed.status_since,
        "still in the same status"
    );
    let woken = act_ok(&anna, &server, ws, id, "unsnooze", json!({})).await;
    assert_eq!(woken.status, ConversationStatus::Open);
    assert_eq!(woken.snoozed_until, None);

    // A closed conversation may be snoozed, and a snoozed one closed or reopened.
    act_ok(&anna, &server, ws, id, "close", json!({})).await;
    let snoozed = act_ok(&anna, &server, ws, id, "snooze", json!({ "until": later })).await;
    assert_eq!(snoozed.status, ConversationStatus::Snoozed);
    let reopened = act_ok(&anna, &server, ws, id, "reopen", json!({})).await;
    assert_eq!(
        (reopened.status, reopened.snoozed_until),
        (ConversationStatus::Open, None)
    );
    act_ok(&anna, &server, ws, id, "snooze", json!({ "until": later })).await;
    let closed = act_ok(&anna, &server, ws, id, "close", json!({})).await;
    assert_eq!(
        (closed.status, closed.snoozed_until),
        (ConversationStatus::Closed, None)
    );

    // A blocked contact cannot be snoozed (Maria may see it; Anna may not even see it).
    let maria = server.login(MARIA).await;
    let spam = server.conversation_of(ws, "Crypto").await;
    let error = act_refused(
        &maria,
        &server,
        ws,
        spam.id,
        "snooze",
        json!({ "until": later }),
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
        None,
    )
    .await;
    assert!(error.message.contains("Blocked"), "{}", error.message);
    act_refused(
        &anna,
        &server,
        ws,
        spam.id,
        "snooze",
        json!({ "until": later }),
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        None,
    )
    .await;
    // Blocking a snoozed conversation wakes it.
    let lucas = server.conversation_of(ws, "Lucas").await;
    assert_eq!(lucas.status, ConversationStatus::Snoozed);
    let response = maria
        .post(
            &server.api(&format!(
                "/workspaces/{ws}/contacts/{}/block",
                lucas.contact.id
            )),
            json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let row = server
        .store()
        .conversation(ws, lucas.id)
        .await
        .expect("a row");
    assert_eq!(
        (row.status, row.snoozed_until),
        (ConversationStatus::Open, None)
    );
}

/// Truncates to whole microseconds, the store's precision.
trait Micros {
    fn duration_trunc_micros(self) -> Self;
}

impl Micros for chrono::DateTime<Utc> {
    fn duration_trunc_micros(self) -> Self {
        chrono::DateTime::from_timestamp_micros(self.timestamp_micros()).expect("a time")
    }
}

#[tokio::test]
async fn closing_notes_follow_the_workspace_setting() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let maria = server.login(MARIA).await;
    let id = server.conversation_of(ws, "Olivia").await.id;
    let set = |value: &'static str| {
        let maria = &maria;
        let server = &server;
        async move {
            let response = maria
                .patch(
                    &server.api(&format!("/workspaces/{ws}/settings")),
                    json!({ "closing_notes": value }),
                )
                .await;
            assert_eq!(response.status(), StatusCode::OK);
            assert_eq!(
                server
                    .store()
                    .settings(ws)
                    .await
                    .expect("settings")
                    .closing_notes
                    .as_str(),
                value
            );
        }
    };
    let refused = |body: Value| {
        let anna = &anna;
        let server = &server;
        async move {
            act_refused(
                anna,
                server,
                ws,
                id,
                "close",
                body,
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
                Some("note"),
            )
            .await
        }
    };
    let close_and_reopen = |body: Value| {
        let anna = &anna;
        let server = &server;
        async move {
            let row = act_ok(anna, server, ws, id, "close", body).await;
            assert_eq!(row.status, ConversationStatus::Closed);
            act_ok(anna, server, ws, id, "reopen", json!({})).await;
        }
    };
    // The demo's default is optional.
    assert_eq!(
        server
            .store()
            .settings(ws)
            .await
            .expect("settings")
            .closing_notes
            .as_str(),
        "optional"
    );

    set("mandatory").await;
    let error = refused(json!({})).await;
    assert!(error.message.contains("closing note"), "{}", error.message);
    refused(json!({ "note": null })).await;
    refused(json!({ "note": "   \n " })).await;
    refused(json!({ "note": "x".repeat(4097) })).await;
    close_and_reopen(json!({ "note": "Refunded the second bag." })).await;
    close_and_reopen(json!({ "note": "ж".repeat(4096) })).await;

    set("off").await;
    let error = refused(json!({ "note": "Refunded" })).await;
    assert!(error.message.contains("off"), "{}", error.message);
    close_and_reopen(json!({})).await;
    close_and_reopen(json!({ "note": "  " })).await;

    set("optional").await;
    close_and_reopen(json!({})).await;
    close_and_reopen(json!({ "note": "Answered on the phone." })).await;
    refused(json!({ "note": "x".repeat(4097) })).await;
}

#[tokio::test]
async fn assignment_stays_within_the_workspace() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let aurora = server.workspace_named("Aurora Books").await;
    let anna = server.login(ANNA).await;
    let boris = server.user_id(BORIS).await;
    let li = server.user_id(LI).await;
    let support = server.store().teams(ws).await.expect("teams")[0].clone();
    let aurora_team = server
        .store()
        .create_team(aurora, "Aurora shelf")
        .await
        .expect("a team");
    let id = server.conversation_of(ws, "Olivia").await.id;
    assert_eq!(
        server
            .store()
            .conversation(ws, id)
            .await
            .expect("a row")
            .assignee,
        None
    );

    let row = act_ok(
        &anna,
        &server,
        ws,
        id,
        "assign",
        json!({ "assignee": { "kind": "user", "id": boris } }),
    )
    .await;
    assert_eq!(
        row.assignee,
        Some(Assignee::User {
            id: boris,
            name: "Boris Kim".into()
        })
    );
    let row = act_ok(
        &anna,
        &server,
        ws,
        id,
        "assign",
        json!({ "assignee": { "kind": "team", "id": support.id } }),
    )
    .await;
    assert_eq!(
        row.assignee,
        Some(Assignee::Team {
            id: support.id,
            name: support.name.clone()
        })
    );
    let row = act_ok(
        &anna,
        &server,
        ws,
        id,
        "assign",
        json!({ "assignee": { "kind": "ai_agent" } }),
    )
    .await;
    assert_eq!(row.assignee, Some(Assignee::AiAgent));
    let row = act_ok(
        &anna,
        &server,
        ws,
        id,
        "assign",
        json!({ "assignee": { "kind": "user", "id": anna.me.user.id } }),
    )
    .await;
    assert!(matches!(row.assignee, Some(Assignee::User { id, .. }) if id == anna.me.user.id));
    // The same assignee again changes nothing and announces nothing.
    let before = state(&server, ws, id).await;
    let response = anna
        .post(
            &action_url(&server, ws, id, "assign"),
            json!({ "assignee": { "kind": "user", "id": anna.me.user.id } }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(state(&server, ws, id).await, before);

    // Members and teams of another workspace, or nobody at all, are refused by field.
    for assignee in [
        json!({ "kind": "user", "id": li }),
        json!({ "kind": "team", "id": aurora_team }),
        json!({ "kind": "user", "id": 987654 }),
        json!({ "kind": "team", "id": 987654 }),
    ] {
        act_refused(
            &anna,
            &server,
            ws,
            id,
            "assign",
            json!({ "assignee": assignee }),
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
            Some("assignee"),
        )
        .await;
    }

    let row = act_ok(
        &anna,
        &server,
        ws,
        id,
        "assign",
        json!({ "assignee": null }),
    )
    .await;
    assert_eq!(row.assignee, None);
}

#[tokio::test]
async fn replies_quote_the_same_conversation_and_mentions_name_members() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let aurora = server.workspace_named("Aurora Books").await;
    let anna = server.login(ANNA).await;
    let maria = server.user_id(MARIA).await;
    let li = server.user_id(LI).await;
    let olivia = server.conversation_of(ws, "Olivia").await.id;
    let dmitry = server.conversation_of(ws, "Дмитрий").await.id;
    let hugo = server.conversation_of(aurora, "Hugo").await.id;
    let quoted = server.thread(ws, olivia).await[0].clone();
    let elsewhere = server.thread(ws, dmitry).await[0].id;
    let foreign = server.thread(aurora, hugo).await[0].id;
    let url = action_url(&server, ws, olivia, "messages");

    let response = anna
        .post(&url, json!({ "client_id": "reply-ok", "kind": "message", "text": "Yes, it fits.", "reply_to": quoted.id }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent: Message = json_body(response).await;
    let preview = sent.reply_to.expect("a quoted message");
    assert_eq!(preview.id, quoted.id);
    assert_eq!(preview.text, quoted.content.preview_text());

    let response = anna
        .post(&url, json!({ "client_id": "mention-ok", "kind": "comment", "text": "@Maria please check", "mentions": [maria] }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent: Message = json_body(response).await;
    assert_eq!(sent.mentions, vec![maria]);

    let cases = [
        (
            json!({ "client_id": "reply-1", "kind": "message", "text": "x", "reply_to": elsewhere }),
            "reply_to",
        ),
        (
            json!({ "client_id": "reply-2", "kind": "message", "text": "x", "reply_to": foreign }),
            "reply_to",
        ),
        (
            json!({ "client_id": "reply-3", "kind": "comment", "text": "x", "reply_to": 987654 }),
            "reply_to",
        ),
        (
            json!({ "client_id": "mention-1", "kind": "comment", "text": "@Li", "mentions": [li] }),
            "mentions",
        ),
        (
            json!({ "client_id": "mention-2", "kind": "comment", "text": "@?", "mentions": [maria, 987654] }),
            "mentions",
        ),
    ];
    for (body, field) in cases {
        let before = state(&server, ws, olivia).await;
        let response = anna.post(&url, body.clone()).await;
        let (error, _) = expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field), "{body}");
        assert_eq!(
            state(&server, ws, olivia).await,
            before,
            "{body} stored something"
        );
    }
    // The refused client ids were not used up.
    let response = anna
        .post(
            &url,
            json!({ "client_id": "reply-1", "kind": "message", "text": "Now fine" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

fn updated_to(frame: &Value, id: ConversationId, status: ConversationStatus) -> bool {
    frame["type"] == "event"
        && frame["event"]["payload"]["type"] == "conversation_updated"
        && frame["event"]["payload"]["conversation"]["id"] == json!(id)
        && frame["event"]["payload"]["conversation"]["status"] == status.as_str()
}

#[tokio::test]
async fn a_snoozed_conversation_wakes_on_time() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let id = server.conversation_of(ws, "Olivia").await.id;
    let mut socket = anna.socket(&server, ws, None).await;
    let head = next_json(&mut socket).await["seq"].as_u64().expect("hello");

    let until = Utc::now() + Days::seconds(2);
    act_ok(&anna, &server, ws, id, "snooze", json!({ "until": until })).await;
    let frame = wait_for_frame(&mut socket, TIMEOUT, |f| f["type"] == "event").await;
    assert_eq!(frame["event"]["seq"], head + 1);
    assert!(
        updated_to(&frame, id, ConversationStatus::Snoozed),
        "{frame}"
    );

    let row = server
        .wait_for_status(ws, id, ConversationStatus::Open, Duration::from_secs(15))
        .await;
    assert!(Utc::now() >= until);
    assert!(row.status_since >= until, "woke before its time: {row:?}");
    assert_eq!(row.snoozed_until, None);
    let frame = wait_for_frame(&mut socket, Duration::from_secs(15), |f| {
        f["type"] == "event"
    })
    .await;
    assert_eq!(frame["event"]["seq"], head + 2, "{frame}");
    assert!(updated_to(&frame, id, ConversationStatus::Open), "{frame}");
    close(socket).await;
}

#[tokio::test]
async fn a_snooze_that_falls_due_while_the_server_is_down_wakes_after_the_restart() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let id = server.conversation_of(ws, "Olivia").await.id;
    let until = Utc::now() + Days::seconds(2);
    act_ok(&anna, &server, ws, id, "snooze", json!({ "until": until })).await;
    let seq = server.last_seq(ws).await;

    let store = server.running.state.store.clone();
    let stopped = server.stop_keeping_data().await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    // Nobody woke it while the server was down: the deadline has passed, it is still snoozed.
    let row = store.conversation(ws, id).await.expect("a row");
    assert_eq!(row.status, ConversationStatus::Snoozed);
    assert!(Utc::now() > until);
    drop(store);

    let server = stopped.restart().await;
    assert_eq!(server.workspace().await, ws, "the same data");
    let row = server
        .wait_for_status(ws, id, ConversationStatus::Open, Duration::from_secs(10))
        .await;
    assert_eq!(row.snoozed_until, None);
    let events = server
        .store()
        .events_since(ws, seq, 10)
        .await
        .expect("events");
    assert_eq!(events.len(), 1, "one event: {events:?}");
    match &events[0].payload {
        EventPayload::ConversationUpdated { conversation } => {
            assert_eq!(
                (conversation.id, conversation.status),
                (id, ConversationStatus::Open)
            );
        }
        other => panic!("expected conversation_updated, got {other:?}"),
    }
    // The restarted server serves the same logins.
    let anna = server.login(ANNA).await;
    assert_eq!(
        anna.conversation(&server, ws, id).await.status,
        ConversationStatus::Open
    );
}
