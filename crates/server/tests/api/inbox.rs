//! The agent inbox over REST: the list and its pagination, sending (idempotent by
//! `client_id`), validation, and marking a conversation read.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashSet;
use switchboard_protocol::api::Page;
use switchboard_protocol::*;

#[tokio::test]
async fn the_conversation_list_is_newest_first_and_pages_walk_it_once() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let agent = server.login(ANNA).await;

    let full = agent.conversations(&server, ws, "?limit=100").await;
    assert_eq!(full.next_cursor, None);
    assert_eq!(full.items.len(), 20, "the demo has 20 contacts");
    for pair in full.items.windows(2) {
        let (newer, older) = (&pair[0], &pair[1]);
        assert!(
            (newer.last_activity_at, newer.id) > (older.last_activity_at, older.id),
            "{} ({}) listed before {} ({})",
            newer.contact.display_name(),
            newer.last_activity_at,
            older.contact.display_name(),
            older.last_activity_at,
        );
        assert_eq!(newer.workspace_id, ws);
    }
    // The newest demo activity is Olivia's message of 4 minutes ago.
    assert_eq!(full.items[0].contact.first_name, "Olivia");
    // The default page holds them all (default size 50).
    let default = agent.conversations(&server, ws, "").await;
    assert_eq!(default.items, full.items);

    // Pages of 3: every conversation exactly once, in the same order.
    let mut walked = Vec::new();
    let mut pages = 0;
    let mut query = "?limit=3".to_owned();
    loop {
        let page = agent.conversations(&server, ws, &query).await;
        pages += 1;
        assert!(page.items.len() <= 3);
        walked.extend(page.items.iter().map(|c| c.id));
        match page.next_cursor {
            Some(cursor) => {
                assert_eq!(page.items.len(), 3, "only the last page is short");
                query = format!("?limit=3&cursor={cursor}");
            }
            None => break,
        }
        assert!(pages < 20, "pagination does not end");
    }
    let unique: HashSet<_> = walked.iter().collect();
    assert_eq!(
        unique.len(),
        walked.len(),
        "a conversation was repeated: {walked:?}"
    );
    let expected: Vec<_> = full.items.iter().map(|c| c.id).collect();
    assert_eq!(walked, expected);
    assert_eq!(pages, 7);

    // A new message moves its conversation to the top.
    let last = full.items.last().expect("a conversation");
    agent
        .reply(&server, ws, last.id, "bump-1", "message", "Back to the top")
        .await;
    let page = agent.conversations(&server, ws, "?limit=1").await;
    assert_eq!(page.items[0].id, last.id);
    assert!(page.next_cursor.is_some());
}

#[tokio::test]
async fn sending_a_message_is_idempotent_by_client_id() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let agent = server.login(ANNA).await;
    let conversation = agent.conversations(&server, ws, "?limit=1").await.items[0].clone();
    let before = server.footprint(ws).await;

    let response = agent
        .send(
            &server,
            ws,
            conversation.id,
            "retry-me-1",
            "message",
            "  We ship on Monday.  ",
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent: Message = json_body(response).await;
    assert_eq!(sent.conversation_id, conversation.id);
    assert_eq!(sent.client_id.as_deref(), Some("retry-me-1"));
    assert_eq!(sent.kind, MessageKind::Message);
    assert_eq!(sent.direction, Direction::Outgoing);
    assert_eq!(sent.sender.kind, SenderKind::Agent);
    assert_eq!(sent.sender.name, "Anna Petrova");
    assert_eq!(sent.sender.user_id, Some(agent.me.user.id));
    assert_eq!(sent.delivery_status, Some(DeliveryStatus::Sent));
    assert_eq!(
        sent.content,
        Content::Text {
            text: "We ship on Monday.".into()
        }
    );
    assert_eq!(server.footprint(ws).await, (before.0 + 1, before.1 + 1));

    // The retry (even with another text) answers 200 with the stored message.
    let retry = agent
        .send(
            &server,
            ws,
            conversation.id,
            "retry-me-1",
            "message",
            "We ship on Monday!",
        )
        .await;
    assert_eq!(retry.status(), StatusCode::OK);
    let again: Message = json_body(retry).await;
    assert_eq!(again, sent);
    assert_eq!(
        server.footprint(ws).await,
        (before.0 + 1, before.1 + 1),
        "stored once"
    );

    // The thread shows it once, newest first.
    let response = agent
        .get(&server.api(&format!(
            "/workspaces/{ws}/conversations/{}/messages",
            conversation.id
        )))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let thread: Page<Message> = json_body(response).await;
    assert_eq!(thread.items[0], sent);
    assert_eq!(thread.items.iter().filter(|m| m.id == sent.id).count(), 1);
    for pair in thread.items.windows(2) {
        assert!(pair[0].id > pair[1].id, "newest first");
    }

    // Another agent reusing the id elsewhere in the workspace does not overwrite it.
    let other = agent.conversations(&server, ws, "?limit=2").await.items[1].clone();
    let boris = server.login(BORIS).await;
    let clash = boris
        .send(&server, ws, other.id, "retry-me-1", "message", "Hijack")
        .await;
    assert!(
        clash.status().is_client_error(),
        "reusing a client_id in another conversation: {}",
        clash.status()
    );
    assert_eq!(server.footprint(ws).await, (before.0 + 1, before.1 + 1));

    // A comment is stored like a message but is not delivered anywhere.
    let comment = agent
        .reply(
            &server,
            ws,
            conversation.id,
            "note-1",
            "comment",
            "Check the stock first",
        )
        .await;
    assert_eq!(comment.kind, MessageKind::Comment);
    assert_eq!(comment.delivery_status, None);
    assert_eq!(server.footprint(ws).await, (before.0 + 2, before.1 + 2));
}

#[tokio::test]
async fn invalid_sends_are_refused_with_the_field_and_store_nothing() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let agent = server.login(ANNA).await;
    let conversation = agent.conversations(&server, ws, "?limit=1").await.items[0].id;
    let too_long = "a".repeat(4097);
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (
            json!({ "client_id": "v-1", "kind": "message", "text": "" }),
            "text",
        ),
        (
            json!({ "client_id": "v-2", "kind": "message", "text": " \n\t  " }),
            "text",
        ),
        (
            json!({ "client_id": "v-3", "kind": "message", "text": too_long }),
            "text",
        ),
        (
            json!({ "client_id": "v-3c", "kind": "comment", "text": too_long }),
            "text",
        ),
        (
            json!({ "client_id": "has space", "kind": "message", "text": "hi" }),
            "client_id",
        ),
        (
            json!({ "client_id": "", "kind": "message", "text": "hi" }),
            "client_id",
        ),
        (
            json!({ "client_id": "<script>", "kind": "message", "text": "hi" }),
            "client_id",
        ),
        (
            json!({ "client_id": "x".repeat(65), "kind": "message", "text": "hi" }),
            "client_id",
        ),
    ];
    let url = server.api(&format!(
        "/workspaces/{ws}/conversations/{conversation}/messages"
    ));
    for (body, field) in cases {
        let before = server.footprint(ws).await;
        let response = agent.post(&url, body.clone()).await;
        let (error, _) = expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field), "{body}");
        if body["text"].as_str().is_some_and(|t| t.len() > 4096) {
            assert!(error.message.contains("4096"), "{}", error.message);
            assert!(error.message.contains("4097"), "{}", error.message);
        }
        assert_eq!(
            server.footprint(ws).await,
            before,
            "{body} stored something"
        );
    }
    // A body that is not a send at all.
    for raw in [
        json!({ "client_id": "v-9", "kind": "shout", "text": "hi" }),
        json!({ "client_id": "v-9", "text": "hi" }),
    ] {
        let before = server.footprint(ws).await;
        let response = agent.post(&url, raw).await;
        expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(server.footprint(ws).await, before);
    }

    // 4096 Cyrillic letters (8192 bytes) are within the limit.
    let cyrillic = "ж".repeat(4096);
    let before = server.footprint(ws).await;
    let sent = agent
        .reply(&server, ws, conversation, "v-ok", "message", &cyrillic)
        .await;
    assert_eq!(sent.content, Content::Text { text: cyrillic });
    assert_eq!(server.footprint(ws).await, (before.0 + 1, before.1 + 1));
}

#[tokio::test]
async fn invalid_page_parameters_are_refused_with_the_field() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let agent = server.login(ANNA).await;
    let conversation = agent.conversations(&server, ws, "?limit=1").await.items[0].id;
    let list = format!("/workspaces/{ws}/conversations");
    let thread = format!("/workspaces/{ws}/conversations/{conversation}/messages");
    for base in [&list, &thread] {
        for (query, field) in [
            ("?limit=0", "limit"),
            ("?limit=101", "limit"),
            ("?cursor=garbage", "cursor"),
            ("?cursor=", "cursor"),
            ("?cursor=12_x&limit=5", "cursor"),
        ] {
            let response = agent.get(&server.api(&format!("{base}{query}"))).await;
            let (error, _) = expect_error(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
            )
            .await;
            assert_eq!(error.field.as_deref(), Some(field), "{base}{query}");
        }
        // The bounds themselves are fine.
        for query in ["?limit=1", "?limit=100"] {
            let response = agent.get(&server.api(&format!("{base}{query}"))).await;
            assert_eq!(response.status(), StatusCode::OK, "{base}{query}");
        }
        // A limit that is not a number is refused as an ErrorBody too.
        let response = agent.get(&server.api(&format!("{base}?limit=ten"))).await;
        expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
    }
}

#[tokio::test]
async fn opening_a_conversation_clears_its_unread_count() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let agent = server.login(ANNA).await;
    let visitor = server.visitor(&key).await;
    visitor.write("u-1", "Is anyone there?").await;
    let conversation = agent
        .conversation_with_last_text(&server, ws, "Is anyone there?")
        .await;
    assert_eq!(conversation.unread_count, 1);
    visitor.write("u-2", "Hello?").await;
    let conversation = agent.conversation(&server, ws, conversation.id).await;
    assert_eq!(conversation.unread_count, 2);

    let read_url = server.api(&format!(
        "/workspaces/{ws}/conversations/{}/read",
        conversation.id
    ));
    let seq = server.last_seq(ws).await;
    let response = agent.post(&read_url, json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        agent
            .conversation(&server, ws, conversation.id)
            .await
            .unread_count,
        0
    );
    assert_eq!(
        server.last_seq(ws).await,
        seq + 1,
        "one conversation_updated event"
    );
    let listed = agent.conversations(&server, ws, "?limit=100").await;
    let row = listed
        .items
        .iter()
        .find(|c| c.id == conversation.id)
        .expect("listed");
    assert_eq!(row.unread_count, 0);

    // Reading again changes nothing and announces nothing.
    let response = agent.post(&read_url, json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(server.last_seq(ws).await, seq + 1);

    // The team's own reply does not count as unread; the visitor's next message does.
    agent
        .reply(&server, ws, conversation.id, "r-1", "message", "Yes, hi!")
        .await;
    assert_eq!(
        agent
            .conversation(&server, ws, conversation.id)
            .await
            .unread_count,
        0
    );
    visitor.write("u-3", "Great").await;
    assert_eq!(
        agent
            .conversation(&server, ws, conversation.id)
            .await
            .unread_count,
        1
    );
}

#[tokio::test]
async fn concurrent_retries_of_one_send_store_it_once() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let agent = server.login(ANNA).await;
    let conversation = agent.conversations(&server, ws, "?limit=1").await.items[0].id;
    let before = server.footprint(ws).await;

    let sends = (0..8).map(|_| {
        agent.send(
            &server,
            ws,
            conversation,
            "storm-1",
            "message",
            "Only once, please",
        )
    });
    let responses = futures_util::future::join_all(sends).await;
    let mut created = 0;
    let mut ids = HashSet::new();
    for response in responses {
        match response.status() {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("a retry answered {other}"),
        }
        let message: Message = json_body(response).await;
        ids.insert(message.id);
    }
    assert_eq!(created, 1, "exactly one send creates");
    assert_eq!(ids.len(), 1, "every retry answers the same message");
    assert_eq!(server.footprint(ws).await, (before.0 + 1, before.1 + 1));
}

#[tokio::test]
async fn the_thread_pages_newest_first_without_gaps_or_repeats() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let agent = server.login(ANNA).await;
    let conversation = agent.conversations(&server, ws, "?limit=1").await.items[0].id;
    for i in 0..7 {
        agent
            .reply(
                &server,
                ws,
                conversation,
                &format!("page-{i}"),
                "message",
                &format!("Line {i}"),
            )
            .await;
    }
    let expected: Vec<_> = server
        .thread(ws, conversation)
        .await
        .iter()
        .map(|m| m.id)
        .collect();
    assert!(expected.len() >= 7);

    let url = server.api(&format!(
        "/workspaces/{ws}/conversations/{conversation}/messages"
    ));
    let mut walked = Vec::new();
    let mut query = "?limit=2".to_owned();
    for _ in 0..20 {
        let response = agent.get(&format!("{url}{query}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page: Page<Message> = json_body(response).await;
        assert!(page.items.len() <= 2);
        walked.extend(page.items.iter().map(|m| m.id));
        match page.next_cursor {
            Some(cursor) => query = format!("?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(walked, expected);
    let mut sorted = walked.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(walked, sorted, "newest first");
}
