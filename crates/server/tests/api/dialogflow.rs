//! The Dialogflow bot (A6, T7) against stand-ins for Google's token endpoint and Dialogflow
//! ES: managers connect an agent with a service account's key (never shown again); agents
//! turn the bot on for a conversation, only while connected; then each incoming message is
//! asked of the agent and its answer goes to the contact as the bot's message; when the
//! agent does not understand or anything fails, a comment says why and the bot turns off.

use crate::common;

use common::fake_dialogflow::{CLIENT_EMAIL, FakeDialogflow, PROJECT_ID};
use common::*;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;
use switchboard_protocol::dialogflow::*;
use switchboard_protocol::*;

async fn server(dialogflow: &FakeDialogflow) -> Server {
    let url = dialogflow.url.clone();
    Server::start_configured(move |config| {
        config.google_token_url = format!("{url}/token");
        config.dialogflow_api_url = format!("{url}/v2");
    })
    .await
}

async fn connect(server: &Server, ws: WorkspaceId, dialogflow: &FakeDialogflow) {
    let maria = server.login(MARIA).await;
    let response = maria
        .put(
            &server.api(&format!("/workspaces/{ws}/dialogflow")),
            json!({ "key_file": dialogflow.key_file(), "language_code": "en" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

async fn switch(
    server: &Server,
    agent: &Agent,
    ws: WorkspaceId,
    id: ConversationId,
    on: bool,
) -> reqwest::Response {
    agent
        .put(
            &server.api(&format!("/workspaces/{ws}/conversations/{id}/dialogflow")),
            json!({ "enabled": on }),
        )
        .await
}

/// Waits until the conversation holds a message `check` accepts.
async fn wait_for(
    server: &Server,
    ws: WorkspaceId,
    conversation: ConversationId,
    what: &str,
    check: impl Fn(&Message) -> bool,
) -> Message {
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        if let Some(found) = server
            .thread(ws, conversation)
            .await
            .into_iter()
            .find(|m| check(m))
        {
            return found;
        }
        assert!(tokio::time::Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn text_of(message: &Message) -> String {
    match &message.content {
        Content::Text { text } => text.clone(),
        other => other.preview_text(),
    }
}

#[tokio::test]
async fn managers_connect_dialogflow_and_its_key_is_never_shown() {
    let dialogflow = FakeDialogflow::start().await;
    let server = server(&dialogflow).await;
    let ws = server.workspace().await;
    let url = server.api(&format!("/workspaces/{ws}/dialogflow"));
    let anna = server.login(ANNA).await;
    let none: DialogflowStatus = json_body(anna.get(&url).await).await;
    assert_eq!(none.dialogflow, None);
    expect_error(
        anna.put(
            &url,
            json!({ "key_file": dialogflow.key_file(), "language_code": "en" }),
        )
        .await,
        StatusCode::FORBIDDEN,
        ErrorCode::Forbidden,
    )
    .await;

    let maria = server.login(MARIA).await;
    let mut stranger: serde_json::Value =
        serde_json::from_str(&dialogflow.key_file()).expect("a key file");
    stranger["client_email"] = json!("someone@elsewhere.iam.gserviceaccount.com");
    let mut user_key = stranger.clone();
    user_key["type"] = json!("authorized_user");
    for (body, field) in [
        (
            json!({ "key_file": "not json", "language_code": "en" }),
            "key_file",
        ),
        (
            json!({ "key_file": user_key.to_string(), "language_code": "en" }),
            "key_file",
        ),
        (
            json!({ "key_file": stranger.to_string(), "language_code": "en" }),
            "key_file",
        ),
        (json!({ "language_code": "en" }), "key_file"),
        (
            json!({ "key_file": dialogflow.key_file(), "language_code": "English" }),
            "language_code",
        ),
    ] {
        let (error, _) = expect_error(
            maria.put(&url, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field), "{}", error.message);
    }
    assert_eq!(
        json_body::<DialogflowStatus>(anna.get(&url).await)
            .await
            .dialogflow,
        None,
        "nothing was kept"
    );

    connect(&server, ws, &dialogflow).await;
    let text = anna.get(&url).await.text().await.expect("a body");
    assert!(!text.contains("PRIVATE KEY"), "the key is never sent back");
    let status: DialogflowStatus = serde_json::from_str(&text).expect("a status");
    assert_eq!(
        status.dialogflow,
        Some(DialogflowSettings {
            project_id: PROJECT_ID.into(),
            client_email: CLIENT_EMAIL.into(),
            language_code: "en".into(),
        })
    );
    // Another language without a key keeps the key (checked by signing in with it again).
    let issued = dialogflow.tokens_issued();
    let saved: DialogflowSettings =
        json_body(maria.put(&url, json!({ "language_code": "en-GB" })).await).await;
    assert_eq!(saved.language_code, "en-GB");
    assert_eq!(dialogflow.tokens_issued(), issued + 1);

    expect_error(
        anna.delete(&url).await,
        StatusCode::FORBIDDEN,
        ErrorCode::Forbidden,
    )
    .await;
    assert_eq!(maria.delete(&url).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        json_body::<DialogflowStatus>(anna.get(&url).await)
            .await
            .dialogflow,
        None
    );
}

#[tokio::test]
async fn while_on_the_bot_answers_each_incoming_message_and_stops_when_it_cannot() {
    let dialogflow = FakeDialogflow::start().await;
    dialogflow.add_intent("Opening hours", "open", "We open at nine, every day.");
    dialogflow.add_intent("Shipping", "ship", "Bags ship within 2 days.");
    let server = server(&dialogflow).await;
    let ws = server.workspace().await;
    let anna = server.login(ANNA).await;
    let visitor = server.visitor(&server.chat_key().await).await;
    visitor.write("v-1", "Hello there").await;
    let id = anna
        .conversation_with_last_text(&server, ws, "Hello there")
        .await
        .id;

    // Not connected: the bot cannot be turned on.
    expect_error(
        switch(&server, &anna, ws, id, true).await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;
    connect(&server, ws, &dialogflow).await;
    let summary: ConversationSummary = json_body(switch(&server, &anna, ws, id, true).await).await;
    assert!(summary.dialogflow_bot);

    // Each incoming message is asked in the conversation's session; the answer goes out.
    visitor.write("v-2", "When do you open?").await;
    let reply = wait_for(&server, ws, id, "the bot did not answer", |m| {
        m.sender.kind == SenderKind::Bot && m.kind == MessageKind::Message
    })
    .await;
    assert_eq!(text_of(&reply), "We open at nine, every day.");
    assert_eq!(reply.sender.name, "Dialogflow bot");
    let seen = visitor.thread().await.0.items;
    assert!(
        seen.iter().any(|m| m.text == "We open at nine, every day."),
        "the contact reads the answer"
    );
    visitor.write("v-3", "How fast do you ship?").await;
    wait_for(&server, ws, id, "the bot did not answer again", |m| {
        m.sender.kind == SenderKind::Bot && text_of(m) == "Bags ship within 2 days."
    })
    .await;
    let queries = dialogflow.queries();
    assert_eq!(queries.len(), 2, "{queries:?}");
    assert_eq!(queries[0].text, "When do you open?");
    assert_eq!(queries[0].language_code, "en");
    assert_eq!(
        queries[0].session, queries[1].session,
        "one session per conversation"
    );
    assert!(
        queries[0]
            .session
            .starts_with(&format!("projects/{PROJECT_ID}/agent/sessions/"))
    );
    // One sign-in serves both questions.
    assert_eq!(
        dialogflow.tokens_issued(),
        2,
        "one to connect, one to answer"
    );

    // Not understood: a comment says so, and the bot turns off; people take over.
    visitor.write("v-4", "Can I pay with gold coins?").await;
    let comment = wait_for(&server, ws, id, "the bot did not leave", |m| {
        m.sender.kind == SenderKind::Bot && m.kind == MessageKind::Comment
    })
    .await;
    assert!(
        text_of(&comment).contains("did not understand"),
        "{}",
        text_of(&comment)
    );
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    while anna.conversation(&server, ws, id).await.dialogflow_bot {
        assert!(tokio::time::Instant::now() < deadline, "the bot stayed on");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Off: the next message is not asked.
    visitor.write("v-5", "When do you open on Sunday?").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(dialogflow.queries().len(), 3);
    assert!(
        !visitor
            .thread()
            .await
            .0
            .items
            .iter()
            .any(|m| m.text.contains("Dialogflow")),
        "the contact never reads the team's comment"
    );
}

#[tokio::test]
async fn a_failing_agent_leaves_the_conversation_to_people_saying_why() {
    let dialogflow = FakeDialogflow::start().await;
    dialogflow.add_intent("Opening hours", "open", "We open at nine.");
    let server = server(&dialogflow).await;
    let ws = server.workspace().await;
    connect(&server, ws, &dialogflow).await;
    let anna = server.login(ANNA).await;
    let visitor = server.visitor(&server.chat_key().await).await;
    visitor.write("v-1", "Hi").await;
    let id = anna.conversation_with_last_text(&server, ws, "Hi").await.id;

    for (status, words, n) in [
        (Some(429), "busy", 1),
        (Some(403), "refused", 2),
        (None, "longer than the 256 characters", 3),
    ] {
        dialogflow.set_failing(status);
        assert_eq!(
            switch(&server, &anna, ws, id, true).await.status(),
            StatusCode::OK
        );
        let text = if status.is_some() {
            format!("When do you open? ({n})")
        } else {
            "open ".repeat(60)
        };
        visitor.write(&format!("v-{}", n + 1), &text).await;
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        let comments = loop {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no comment after {words:?}"
            );
            let comments: Vec<Message> = server
                .thread(ws, id)
                .await
                .into_iter()
                .filter(|m| m.sender.kind == SenderKind::Bot && m.kind == MessageKind::Comment)
                .collect();
            if comments.len() == n {
                break comments;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let newest = comments.iter().max_by_key(|m| m.id.0).expect("a comment");
        let said = text_of(newest);
        assert!(said.contains(words), "{said}");
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        while anna.conversation(&server, ws, id).await.dialogflow_bot {
            assert!(tokio::time::Instant::now() < deadline, "the bot stayed on");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    assert!(
        !server
            .thread(ws, id)
            .await
            .iter()
            .any(|m| m.sender.kind == SenderKind::Bot && m.kind == MessageKind::Message),
        "nothing reached the contact"
    );

    // Another workspace's conversation cannot be switched.
    let other = server.other_workspace().await;
    expect_error(
        switch(&server, &anna, ws, other.conversation, true).await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
}
