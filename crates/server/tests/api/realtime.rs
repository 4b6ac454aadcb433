//! The WebSockets: the agent's event stream (hello, live events, gap-free resume, reset,
//! origin and membership checks) and the visitor's own-conversation stream.

use crate::common;

use common::*;
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::time::Duration;
use switchboard_protocol::events::EventPayload;
use switchboard_protocol::visitor::{VisitorAuthor, VisitorFrame};
use tokio_tungstenite::tungstenite::Message as WsMessage;

#[tokio::test]
async fn the_agent_socket_says_hello_then_streams_events() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let agent = server.login(ANNA).await;
    let head = server.last_seq(ws).await;
    assert!(head > 0, "the demo produced events");

    let mut socket = agent.socket(&server, ws, None).await;
    assert_eq!(
        next_json(&mut socket).await,
        json!({ "type": "hello", "seq": head })
    );

    let visitor = server.visitor(&key).await;
    visitor.write("live-1", "Anyone online?").await;
    let frame = next_json(&mut socket).await;
    expect_message_created(&frame, head + 1, ws, "Anyone online?");
    assert_eq!(frame["event"]["payload"]["conversation"]["unread_count"], 1);
    assert_eq!(
        frame["event"]["payload"]["message"]["sender"]["kind"],
        "contact"
    );

    // Marking it read is an event too.
    let conversation = agent
        .conversation_with_last_text(&server, ws, "Anyone online?")
        .await;
    let read = agent
        .post(
            &server.api(&format!(
                "/workspaces/{ws}/conversations/{}/read",
                conversation.id
            )),
            json!({}),
        )
        .await;
    assert_eq!(read.status(), reqwest::StatusCode::NO_CONTENT);
    let frame = next_json(&mut socket).await;
    assert_eq!(frame["event"]["payload"]["type"], "conversation_updated");
    match event_payload(&frame, head + 2, ws) {
        EventPayload::ConversationUpdated { conversation: c } => {
            assert_eq!(c.id, conversation.id);
            assert_eq!(c.unread_count, 0);
        }
        other => panic!("expected conversation_updated, got {other:?}"),
    }
    // A retried send stores nothing and announces nothing.
    visitor.send("live-1", "Anyone online?").await;
    assert_silent(&mut socket, Duration::from_millis(300)).await;
    close(socket).await;
}

#[tokio::test]
async fn a_resumed_agent_socket_receives_exactly_the_missed_events() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let agent = server.login(ANNA).await;
    let visitor = server.visitor(&key).await;

    let mut socket = agent.socket(&server, ws, None).await;
    let hello = next_json(&mut socket).await;
    let head = hello["seq"].as_u64().expect("a seq");
    visitor.write("r-1", "First question").await;
    let live = next_json(&mut socket).await;
    expect_message_created(&live, head + 1, ws, "First question");
    let last_seen = head + 1;
    drop(socket);

    // Three events while disconnected.
    visitor.write("r-2", "Second question").await;
    let conversation = agent
        .conversation_with_last_text(&server, ws, "Second question")
        .await;
    agent
        .reply(&server, ws, conversation.id, "r-3", "message", "An answer")
        .await;
    visitor.write("r-4", "Thanks!").await;
    assert_eq!(server.last_seq(ws).await, last_seen + 3);

    let mut socket = agent.socket(&server, ws, Some(last_seen)).await;
    assert_eq!(
        next_json(&mut socket).await,
        json!({ "type": "hello", "seq": last_seen + 3 })
    );
    for (offset, text) in [(1, "Second question"), (2, "An answer"), (3, "Thanks!")] {
        let frame = next_json(&mut socket).await;
        expect_message_created(&frame, last_seen + offset, ws, text);
    }
    // Then live events, with nothing repeated in between.
    visitor.write("r-5", "One more thing").await;
    let frame = next_json(&mut socket).await;
    expect_message_created(&frame, last_seen + 4, ws, "One more thing");
    assert_silent(&mut socket, Duration::from_millis(300)).await;
    close(socket).await;

    // Resuming from the head replays nothing; from 0 replays the whole history in order.
    let mut socket = agent.socket(&server, ws, Some(last_seen + 4)).await;
    assert_eq!(
        next_json(&mut socket).await,
        json!({ "type": "hello", "seq": last_seen + 4 })
    );
    assert_silent(&mut socket, Duration::from_millis(300)).await;
    close(socket).await;
    let mut socket = agent.socket(&server, ws, Some(0)).await;
    next_json(&mut socket).await;
    for seq in 1..=last_seen + 4 {
        let frame = next_json(&mut socket).await;
        event_payload(&frame, seq, ws);
        if seq == last_seen {
            assert_eq!(frame, live, "a replayed event equals the live one");
        }
    }
    close(socket).await;
}

#[tokio::test]
async fn a_socket_following_from_the_lists_sequence_gets_every_later_change() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let agent = server.login(ANNA).await;
    let visitor = server.visitor(&key).await;

    // The list says how far the events had gone when it was read.
    let list = agent
        .get(&server.api(&format!("/workspaces/{ws}/conversations")))
        .await;
    assert_eq!(list.status(), reqwest::StatusCode::OK);
    let seq: u64 = list
        .headers()
        .get(switchboard_protocol::events::SEQ_HEADER)
        .expect("the list's sequence header")
        .to_str()
        .expect("text")
        .parse()
        .expect("a number");
    assert_eq!(seq, server.last_seq(ws).await);
    let rows: Value = list.json().await.expect("json");
    assert!(
        !rows["items"].to_string().contains("Written after the list"),
        "the list was read before the message"
    );

    // A change after the list was read arrives when the socket follows from there.
    visitor.write("after-list", "Written after the list").await;
    let mut socket = agent.socket(&server, ws, Some(seq)).await;
    assert_eq!(
        next_json(&mut socket).await,
        json!({ "type": "hello", "seq": seq + 1 })
    );
    expect_message_created(
        &next_json(&mut socket).await,
        seq + 1,
        ws,
        "Written after the list",
    );
    assert_silent(&mut socket, Duration::from_millis(300)).await;
    close(socket).await;
}

#[tokio::test]
async fn resuming_from_beyond_the_head_gets_a_reset() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let agent = server.login(ANNA).await;
    let head = server.last_seq(ws).await;

    let mut socket = agent.socket(&server, ws, Some(head + 50)).await;
    assert_eq!(
        next_json(&mut socket).await,
        json!({ "type": "reset", "seq": head })
    );
    assert_eq!(
        next_json(&mut socket).await,
        json!({ "type": "hello", "seq": head })
    );
    // The stream continues from the head.
    server
        .visitor(&key)
        .await
        .write("after-reset", "Hello after reset")
        .await;
    let frame = next_json(&mut socket).await;
    expect_message_created(&frame, head + 1, ws, "Hello after reset");
    close(socket).await;
}

#[tokio::test]
async fn the_agent_socket_refuses_other_sites_outsiders_and_strangers() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let agent = server.login(ANNA).await;
    let url = server.ws_url(&format!("/ws?workspace={ws}"));

    // Cross-site WebSocket hijacking: a page elsewhere riding the cookie.
    for origin in [
        "https://evil.example",
        "null",
        "http://127.0.0.1.evil.example",
    ] {
        let refused = connect(&url, Some(&agent.cookie), Some(origin)).await;
        assert_eq!(refusal_status(refused), 403, "origin {origin}");
    }
    // The app's own origin is welcome.
    let origin = server.url.clone();
    let mut socket = connect(&url, Some(&agent.cookie), Some(&origin))
        .await
        .expect("a same-origin socket opens");
    assert_eq!(next_json(&mut socket).await["type"], "hello");
    close(socket).await;

    // A workspace the user is not a member of, and one that does not exist.
    let other = server.other_workspace().await;
    for workspace in [other.workspace.0, 987_654] {
        let refused = connect(
            &server.ws_url(&format!("/ws?workspace={workspace}")),
            Some(&agent.cookie),
            None,
        )
        .await;
        assert_eq!(refusal_status(refused), 404, "workspace {workspace}");
    }
    // No session, or a forged one.
    for cookie in [None, Some("sb_session=forged")] {
        assert_eq!(refusal_status(connect(&url, cookie, None).await), 401);
    }
}

#[tokio::test]
async fn an_agent_socket_never_carries_another_workspaces_events() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let agent = server.login(ANNA).await;
    let other = server.other_workspace().await;
    let other_key = other.channel.public_key.clone().expect("a key");

    let mut socket = agent.socket(&server, ws, None).await;
    let head = next_json(&mut socket).await["seq"].as_u64().expect("a seq");
    server
        .visitor(&other_key)
        .await
        .write("globex-v", "Globex visitor here")
        .await;
    server
        .visitor(&key)
        .await
        .write("nw-v", "Northwind visitor here")
        .await;
    // The first event is Northwind's own, with the next Northwind seq.
    let frame = next_json(&mut socket).await;
    expect_message_created(&frame, head + 1, ws, "Northwind visitor here");
    close(socket).await;
}

/// Expects a visitor frame; returns `(author, author_name, text)`.
fn visitor_message(frame: &Value) -> (VisitorAuthor, Option<String>, String) {
    assert_eq!(frame["type"], "message", "{frame}");
    let VisitorFrame::Message { message } =
        serde_json::from_value(frame.clone()).expect("a VisitorFrame")
    else {
        panic!("not a message frame: {frame}");
    };
    (message.author, message.author_name, message.text)
}

/// Opens the visitor socket of `token` on chat `key`; it first says hello.
async fn visitor_socket(server: &Server, key: &str, token: &str) -> Ws {
    let url = server.ws_url(&format!("/chat/{key}/ws?token={token}"));
    let mut socket = connect(&url, None, None)
        .await
        .expect("the visitor socket opens");
    assert_eq!(next_json(&mut socket).await, json!({ "type": "hello" }));
    socket
}

#[tokio::test]
async fn the_visitor_socket_carries_own_conversation_replies_only() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let agent = server.login(ANNA).await;

    let visitor = server.visitor(&key).await;
    visitor.write("mine-1", "Where is my order?").await;
    let mine = agent
        .conversation_with_last_text(&server, ws, "Where is my order?")
        .await;
    let neighbour = server.visitor(&key).await;
    neighbour.write("theirs-1", "Neighbour asks").await;
    let theirs = agent
        .conversation_with_last_text(&server, ws, "Neighbour asks")
        .await;

    let mut socket = visitor_socket(&server, &key, &visitor.token).await;

    // What the visitor must not see, then what they must: the first frame must be the latter.
    neighbour.write("theirs-2", "Neighbour again").await;
    agent
        .reply(
            &server,
            ws,
            theirs.id,
            "to-them",
            "message",
            "Reply to the neighbour",
        )
        .await;
    agent
        .reply(
            &server,
            ws,
            mine.id,
            "note",
            "comment",
            "INTERNAL about the order",
        )
        .await;
    let other_conversation = agent.conversations(&server, ws, "?limit=100").await.items;
    let demo = other_conversation
        .iter()
        .find(|c| c.id != mine.id && c.id != theirs.id)
        .expect("a demo conversation");
    agent
        .reply(
            &server,
            ws,
            demo.id,
            "to-demo",
            "message",
            "Reply to a demo contact",
        )
        .await;
    agent
        .reply(&server, ws, mine.id, "to-me", "message", "It ships today.")
        .await;

    let frame = next_json(&mut socket).await;
    assert_eq!(
        visitor_message(&frame),
        (
            VisitorAuthor::Team,
            Some("Anna".into()),
            "It ships today.".into()
        )
    );
    for hidden in ["INTERNAL", "Petrova", "user_id", "workspace"] {
        assert!(!frame.to_string().contains(hidden), "{frame}");
    }
    // The visitor's own message (e.g. from a second tab) comes back too.
    visitor.write("mine-2", "Thank you").await;
    let frame = next_json(&mut socket).await;
    assert_eq!(
        visitor_message(&frame),
        (VisitorAuthor::Visitor, None, "Thank you".into())
    );
    assert_silent(&mut socket, Duration::from_millis(300)).await;
    close(socket).await;
}

#[tokio::test]
async fn a_visitor_socket_opened_before_the_first_message_follows_the_new_conversation() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let agent = server.login(ANNA).await;
    let visitor = server.visitor(&key).await;
    let mut socket = visitor_socket(&server, &key, &visitor.token).await;

    // Someone else's first message is not this visitor's.
    let neighbour = server.visitor(&key).await;
    neighbour.write("n-1", "I am the neighbour").await;
    visitor.write("v-1", "I am new here").await;
    let frame = next_json(&mut socket).await;
    assert_eq!(
        visitor_message(&frame),
        (VisitorAuthor::Visitor, None, "I am new here".into())
    );
    let conversation = agent
        .conversation_with_last_text(&server, ws, "I am new here")
        .await;
    agent
        .reply(
            &server,
            ws,
            conversation.id,
            "welcome",
            "message",
            "Welcome!",
        )
        .await;
    let frame = next_json(&mut socket).await;
    assert_eq!(
        visitor_message(&frame),
        (VisitorAuthor::Team, Some("Anna".into()), "Welcome!".into())
    );
    close(socket).await;
}

#[tokio::test]
async fn the_visitor_socket_refuses_bad_tokens() {
    let server = Server::start().await;
    let key = server.chat_key().await;
    let visitor = server.visitor(&key).await;
    let other = server.other_workspace().await;
    let other_key = other.channel.public_key.clone().expect("a key");
    for (chat, token) in [
        (key.as_str(), "bad-token"),
        (key.as_str(), ""),
        (other_key.as_str(), visitor.token.as_str()),
        ("nope", visitor.token.as_str()),
    ] {
        let url = server.ws_url(&format!("/chat/{chat}/ws?token={token}"));
        let status = refusal_status(connect(&url, None, None).await);
        assert_eq!(status, 401, "chat {chat}, token {token:?}");
    }
}

#[tokio::test]
async fn a_burst_of_concurrent_writes_arrives_gap_free_and_in_order() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let agent = server.login(ANNA).await;
    let mut socket = agent.socket(&server, ws, None).await;
    let head = next_json(&mut socket).await["seq"].as_u64().expect("a seq");

    let mut visitors = Vec::new();
    for _ in 0..5 {
        visitors.push(server.visitor(&key).await);
    }
    let sends = visitors.iter().enumerate().flat_map(|(v, visitor)| {
        (0..4).map(move |i| visitor.send_owned(format!("b-{v}-{i}"), format!("Burst {v}.{i}")))
    });
    for response in futures_util::future::join_all(sends).await {
        assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    }
    for offset in 1..=20 {
        let frame = next_json(&mut socket).await;
        event_payload(&frame, head + offset, ws);
    }
    assert_silent(&mut socket, Duration::from_millis(300)).await;
    assert_eq!(server.last_seq(ws).await, head + 20);
    close(socket).await;
}

#[tokio::test]
async fn stopping_the_server_ends_open_sockets() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let agent = server.login(ANNA).await;
    let visitor = server.visitor(&key).await;
    let mut agent_socket = agent.socket(&server, ws, None).await;
    next_json(&mut agent_socket).await;
    let mut visitor_socket = visitor_socket(&server, &key, &visitor.token).await;
    let url = server.url.clone();

    tokio::time::timeout(TIMEOUT, server.running.stop())
        .await
        .expect("the server stops in time")
        .expect("the server stops cleanly");
    for socket in [&mut agent_socket, &mut visitor_socket] {
        let end = tokio::time::timeout(TIMEOUT, async {
            loop {
                match socket.next().await {
                    None | Some(Err(_)) | Some(Ok(WsMessage::Close(_))) => return,
                    Some(Ok(_)) => continue,
                }
            }
        })
        .await;
        assert!(end.is_ok(), "a socket outlived the server");
    }
    assert!(reqwest::get(format!("{url}/api/v1/health")).await.is_err());
}

#[tokio::test]
async fn logging_out_ends_the_agent_socket() {
    // A logout closes the session's open sockets at once: nothing more reaches them.
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let agent = server.login(ANNA).await;
    let mut socket = agent.socket(&server, ws, None).await;
    next_json(&mut socket).await;

    let logout = agent
        .client
        .post(server.api("/auth/logout"))
        .send()
        .await
        .expect("answered");
    assert_eq!(logout.status(), reqwest::StatusCode::NO_CONTENT);
    // The REST API refuses the old cookie at once ...
    let me = reqwest::Client::new()
        .get(server.api("/me"))
        .header("cookie", &agent.cookie)
        .send()
        .await
        .expect("answered");
    assert_eq!(me.status(), reqwest::StatusCode::UNAUTHORIZED);

    // ... and the socket is closed too, before anything else is written.
    server
        .visitor(&key)
        .await
        .write(
            "after-logout",
            "Private: my card number is 4111 1111 1111 1111",
        )
        .await;
    let outcome = tokio::time::timeout(TIMEOUT, async {
        loop {
            match socket.next().await {
                None | Some(Err(_)) | Some(Ok(WsMessage::Close(_))) => return None,
                Some(Ok(WsMessage::Text(text))) => return Some(text.to_string()),
                Some(Ok(_)) => continue,
            }
        }
    })
    .await;
    match outcome {
        Ok(None) => {}
        Ok(Some(frame)) => panic!("a logged-out socket still receives events: {frame}"),
        Err(_) => panic!("a logged-out socket is still open"),
    }
}
