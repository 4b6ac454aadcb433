//! Several servers on one PostgreSQL act as one system: an event made through one replica
//! reaches sockets on another, and a socket resumes on any replica without losing events.

use crate::common;

use common::*;
use serde_json::json;
use std::time::Duration;

/// Two servers on one fresh PostgreSQL database; the first seeds the demo.
async fn replicas() -> (Server, Server) {
    let url = switchboard_storage_postgres::testing::fresh_database().await;
    let a = Server::start_on(Some(url.clone()), true).await;
    let b = Server::start_on(Some(url), false).await;
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_made_on_one_replica_reaches_a_socket_on_the_other() {
    let (a, b) = replicas().await;
    let ws = a.workspace().await;
    let key = a.chat_key().await;
    // The session made on A is valid on B: they share the database.
    let agent = a.login(ANNA).await;
    let mut on_b = agent.socket(&b, ws, None).await;
    let head = next_json(&mut on_b).await["seq"].as_u64().expect("a seq");

    a.visitor(&key)
        .await
        .write("x-1", "Hello from replica A")
        .await;
    let frame = next_json(&mut on_b).await;
    expect_message_created(&frame, head + 1, ws, "Hello from replica A");

    // And the other way round, for an agent's reply made on B, seen on A.
    let mut on_a = agent.socket(&a, ws, Some(head + 1)).await;
    assert_eq!(
        next_json(&mut on_a).await,
        json!({"type": "hello", "seq": head + 1})
    );
    let conversation = agent
        .conversation_with_last_text(&b, ws, "Hello from replica A")
        .await;
    agent
        .reply(&b, ws, conversation.id, "x-2", "message", "Hi, this is B")
        .await;
    for socket in [&mut on_a, &mut on_b] {
        let frame = next_json(socket).await;
        expect_message_created(&frame, head + 2, ws, "Hi, this is B");
    }
    assert_silent(&mut on_a, Duration::from_millis(300)).await;
    close(on_a).await;
    close(on_b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_resumes_on_another_replica_without_losing_events() {
    let (a, b) = replicas().await;
    let ws = a.workspace().await;
    let key = a.chat_key().await;
    let agent = a.login(BORIS).await;
    let visitor = a.visitor(&key).await;

    let mut socket = agent.socket(&a, ws, None).await;
    let head = next_json(&mut socket).await["seq"].as_u64().expect("a seq");
    visitor.write("y-1", "First").await;
    expect_message_created(&next_json(&mut socket).await, head + 1, ws, "First");
    close(socket).await;

    // While disconnected, events are made through both replicas.
    visitor.write("y-2", "Second").await;
    let conversation = agent.conversation_with_last_text(&b, ws, "Second").await;
    agent
        .reply(&b, ws, conversation.id, "y-3", "message", "Answer from B")
        .await;
    visitor.write("y-4", "Third").await;

    // Reconnecting to B replays exactly what was missed, then goes live.
    let mut socket = agent.socket(&b, ws, Some(head + 1)).await;
    assert_eq!(
        next_json(&mut socket).await,
        json!({"type": "hello", "seq": head + 4})
    );
    for (offset, text) in [(2, "Second"), (3, "Answer from B"), (4, "Third")] {
        expect_message_created(&next_json(&mut socket).await, head + offset, ws, text);
    }
    visitor.write("y-5", "Live, made on A").await;
    expect_message_created(
        &next_json(&mut socket).await,
        head + 5,
        ws,
        "Live, made on A",
    );
    assert_silent(&mut socket, Duration::from_millis(300)).await;
    close(socket).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_typing_on_one_replica_is_seen_on_the_other() {
    use futures_util::SinkExt;
    let (a, b) = replicas().await;
    let ws = a.workspace().await;
    let olivia = a.conversation_of(ws, "Olivia").await;
    let anna = a.login(ANNA).await;
    let boris = a.login(BORIS).await;
    let mut anna_on_a = anna.socket(&a, ws, None).await;
    let mut boris_on_b = boris.socket(&b, ws, None).await;
    for socket in [&mut anna_on_a, &mut boris_on_b] {
        assert_eq!(next_json(socket).await["type"], "hello");
    }
    let frame = json!({ "type": "typing", "conversation_id": olivia.id, "kind": "message" });
    anna_on_a
        .send(tokio_tungstenite::tungstenite::Message::Text(
            frame.to_string().into(),
        ))
        .await
        .expect("sent");
    let heard = next_json(&mut boris_on_b).await;
    assert_eq!(heard["type"], "typing", "{heard}");
    assert_eq!(heard["conversation_id"], json!(olivia.id));
    assert_eq!(heard["active"], true);
    // Anna's socket closing tells the other replica too.
    close(anna_on_a).await;
    let heard = next_json(&mut boris_on_b).await;
    assert_eq!(
        (heard["type"].clone(), heard["active"].clone()),
        (json!("typing"), json!(false))
    );
    close(boris_on_b).await;
}
