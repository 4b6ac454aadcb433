//! Typing indicators between agents (C7): a typing agent's socket tells the other agents of
//! the workspace who may see the conversation, and says when they stop, also when their
//! socket drops; what is not theirs to see or say is ignored.

use crate::common;

use common::*;
use futures_util::SinkExt;
use serde_json::{Value, json};
use std::time::Duration;
use switchboard_protocol::events::{ServerFrame, Typing};
use switchboard_protocol::{ConversationId, MessageKind};
use tokio_tungstenite::tungstenite::Message as WsMessage;

async fn say(socket: &mut Ws, frame: Value) {
    socket
        .send(WsMessage::Text(frame.to_string().into()))
        .await
        .expect("the frame is sent");
}

async fn typing(socket: &mut Ws, conversation: ConversationId, kind: &str) {
    say(
        socket,
        json!({ "type": "typing", "conversation_id": conversation, "kind": kind }),
    )
    .await;
}

/// The next frame, which must be a typing frame.
async fn heard(socket: &mut Ws) -> Typing {
    let frame = next_json(socket).await;
    match serde_json::from_value::<ServerFrame>(frame.clone()) {
        Ok(ServerFrame::Typing(typing)) => typing,
        _ => panic!("expected a typing frame, got {frame}"),
    }
}

/// A socket of `email` that has had its hello.
async fn ready(server: &Server, email: &str) -> (Agent, Ws) {
    let ws = server.workspace().await;
    let agent = server.login(email).await;
    let mut socket = agent.socket(server, ws, None).await;
    assert_eq!(next_json(&mut socket).await["type"], "hello");
    (agent, socket)
}

#[tokio::test]
async fn agents_see_each_other_typing_and_stopping() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let olivia = server.conversation_of(ws, "Olivia").await;
    let anna_id = server.user_id(ANNA).await;
    let (_anna, mut anna) = ready(&server, ANNA).await;
    let (_boris, mut boris) = ready(&server, BORIS).await;
    let (_maria, mut maria) = ready(&server, MARIA).await;

    typing(&mut anna, olivia.id, "comment").await;
    for socket in [&mut boris, &mut maria] {
        let signal = heard(socket).await;
        assert_eq!(signal.conversation_id, olivia.id);
        assert_eq!(signal.user_id, anna_id);
        assert!(signal.name.starts_with("Anna"), "{}", signal.name);
        assert_eq!(signal.kind, MessageKind::Comment);
        assert!(signal.active);
    }
    assert_silent(&mut anna, Duration::from_millis(300)).await;

    // A renewal a moment later says nothing new; switching to a message does.
    typing(&mut anna, olivia.id, "comment").await;
    assert_silent(&mut boris, Duration::from_millis(300)).await;
    typing(&mut anna, olivia.id, "message").await;
    assert_eq!(heard(&mut boris).await.kind, MessageKind::Message);
    assert_eq!(heard(&mut maria).await.kind, MessageKind::Message);

    say(
        &mut anna,
        json!({ "type": "typing_stopped", "conversation_id": olivia.id }),
    )
    .await;
    let stopped = heard(&mut boris).await;
    assert!(!stopped.active);
    assert_eq!(stopped.conversation_id, olivia.id);
    assert!(!heard(&mut maria).await.active);

    // Typing in another conversation ends the first indicator; a dropped socket ends the second.
    let james = server.conversation_of(ws, "James").await;
    typing(&mut anna, olivia.id, "message").await;
    assert!(heard(&mut boris).await.active);
    typing(&mut anna, james.id, "message").await;
    let (first, second) = (heard(&mut boris).await, heard(&mut boris).await);
    assert_eq!((first.conversation_id, first.active), (olivia.id, false));
    assert_eq!((second.conversation_id, second.active), (james.id, true));
    close(anna).await;
    let gone = heard(&mut boris).await;
    assert_eq!((gone.conversation_id, gone.active), (james.id, false));
    close(boris).await;
    close(maria).await;
}

#[tokio::test]
async fn typing_where_one_may_not_see_is_not_heard_and_nonsense_is_ignored() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let other = server.other_workspace().await;
    let spam = server.conversation_of(ws, "Crypto").await;
    assert!(spam.contact.blocked);
    let before = server.last_seq(ws).await;
    let (_anna, mut anna) = ready(&server, ANNA).await;
    let (_maria, mut maria) = ready(&server, MARIA).await;

    // Maria may view blocked contacts; Anna may not, so she never hears of that conversation.
    typing(&mut maria, spam.id, "comment").await;
    // Anna cannot type into a conversation she cannot see, nor into another workspace's,
    // nor one that does not exist; broken and oversized frames change nothing.
    typing(&mut anna, spam.id, "message").await;
    typing(&mut anna, other.conversation, "message").await;
    typing(&mut anna, ConversationId(999_999), "message").await;
    say(
        &mut anna,
        json!({ "type": "typing", "conversation_id": "x" }),
    )
    .await;
    say(&mut anna, json!({ "type": "shout", "text": "hi" })).await;
    anna.send(WsMessage::Text("not json".into()))
        .await
        .expect("sent");
    let long = format!(
        r#"{{"type":"typing","conversation_id":{},"kind":"message","pad":"{}"}}"#,
        spam.id,
        "x".repeat(10_000)
    );
    anna.send(WsMessage::Text(long.into())).await.expect("sent");
    assert_silent(&mut anna, Duration::from_millis(500)).await;
    assert_silent(&mut maria, Duration::from_millis(300)).await;
    assert_eq!(
        server.last_seq(ws).await,
        before,
        "typing is not an event and stores nothing"
    );

    // The socket is still served: a real typing signal of Maria's still reaches Anna.
    let olivia = server.conversation_of(ws, "Olivia").await;
    typing(&mut maria, olivia.id, "message").await;
    let signal = heard(&mut anna).await;
    assert_eq!((signal.conversation_id, signal.active), (olivia.id, true));
    close(anna).await;
    close(maria).await;
}

#[tokio::test]
async fn typing_stays_in_its_workspace() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let aurora = server.workspace_named("Aurora Books").await;
    let olivia = server.conversation_of(ws, "Olivia").await;
    let (_boris, mut boris) = ready(&server, BORIS).await;
    // Anna also works in Aurora Books: that socket hears nothing of Northwind.
    let anna = server.login(ANNA).await;
    let mut anna_aurora = anna.socket(&server, aurora, None).await;
    assert_eq!(next_json(&mut anna_aurora).await["type"], "hello");
    let (_maria, mut maria) = ready(&server, MARIA).await;
    typing(&mut boris, olivia.id, "message").await;
    assert!(heard(&mut maria).await.active, "Northwind hears it");
    assert_silent(&mut anna_aurora, Duration::from_millis(300)).await;
    close(anna_aurora).await;
    close(boris).await;
    close(maria).await;
}

#[tokio::test]
async fn a_huge_client_message_closes_only_its_own_socket() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let olivia = server.conversation_of(ws, "Olivia").await;
    let (_anna, mut anna) = ready(&server, ANNA).await;
    let (_boris, mut boris) = ready(&server, BORIS).await;
    let (_maria, mut maria) = ready(&server, MARIA).await;
    // Clients send small control frames only; 100 KiB is refused by closing that socket.
    let huge = format!(
        r#"{{"type":"typing","conversation_id":{},"kind":"message","pad":"{}"}}"#,
        olivia.id,
        "x".repeat(100 * 1024)
    );
    let _ = anna.send(WsMessage::Text(huge.into())).await;
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match futures_util::StreamExt::next(&mut anna).await {
                None | Some(Err(_)) | Some(Ok(WsMessage::Close(_))) => return,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the socket that sent it is closed");
    // Everyone else is still served.
    typing(&mut boris, olivia.id, "message").await;
    let signal = heard(&mut maria).await;
    assert_eq!((signal.conversation_id, signal.active), (olivia.id, true));
    close(boris).await;
    close(maria).await;
}
