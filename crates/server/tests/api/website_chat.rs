//! The website-chat visitor API: chat info, anonymous visitor tokens, writing, and the
//! visitor's view of the thread (team replies yes, internal comments never).

use crate::common;

use common::*;
use reqwest::StatusCode;
use switchboard_protocol::api::Page;
use switchboard_protocol::visitor::{ChatInfo, VisitorAuthor, VisitorMessage};
use switchboard_protocol::*;
use switchboard_storage::NewChannel;

#[tokio::test]
async fn chat_info_names_the_chat_and_unknown_keys_are_not_found() {
    let server = Server::start().await;
    let key = server.chat_key().await;
    let client = reqwest::Client::new();

    let response = client
        .get(server.api(&format!("/chat/{key}")))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    let info: ChatInfo = json_body(response).await;
    assert_eq!(info.title, "Northwind Coffee");
    assert!(!info.greeting.trim().is_empty());

    for unknown in ["nope", "Northwind", &key[..key.len() - 1]] {
        let response = client
            .get(server.api(&format!("/chat/{unknown}")))
            .send()
            .await
            .expect("answered");
        expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
        let response = client
            .post(server.api(&format!("/chat/{unknown}/visitors")))
            .send()
            .await
            .expect("answered");
        expect_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    }
}

#[tokio::test]
async fn a_visitor_message_opens_a_conversation_for_the_team() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let agent = server.login(ANNA).await;
    let before = agent
        .conversations(&server, ws, "?limit=100")
        .await
        .items
        .len();

    let visitor = server.visitor(&key).await;
    assert!(visitor.token.len() >= 32, "an unguessable token");
    let other = server.visitor(&key).await;
    assert_ne!(visitor.token, other.token);

    // A fresh visitor has an empty thread and no conversation yet.
    let (thread, _) = visitor.thread().await;
    assert!(thread.items.is_empty());
    assert_eq!(thread.next_cursor, None);
    assert_eq!(
        agent
            .conversations(&server, ws, "?limit=100")
            .await
            .items
            .len(),
        before
    );

    let response = visitor.send("first-1", "  Do you sell gift cards?  ").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent: VisitorMessage = json_body(response).await;
    assert_eq!(sent.author, VisitorAuthor::Visitor);
    assert_eq!(sent.author_name, None);
    assert_eq!(sent.text, "Do you sell gift cards?");
    assert_eq!(sent.client_id.as_deref(), Some("first-1"));

    let list = agent.conversations(&server, ws, "?limit=100").await;
    assert_eq!(list.items.len(), before + 1);
    let conversation = &list.items[0];
    assert_eq!(conversation.status, ConversationStatus::Open);
    assert_eq!(conversation.unread_count, 1);
    assert_eq!(conversation.channel, ChannelKind::WebsiteChat);
    assert_eq!(conversation.contact.first_name, "Visitor");
    let preview = conversation.last_message.as_ref().expect("a preview");
    assert_eq!(preview.text, "Do you sell gift cards?");
    assert_eq!(preview.direction, Direction::Incoming);

    let response = agent
        .get(&server.api(&format!(
            "/workspaces/{ws}/conversations/{}/messages",
            conversation.id
        )))
        .await;
    let messages: Page<Message> = json_body(response).await;
    assert_eq!(messages.items.len(), 1);
    assert_eq!(messages.items[0].id, sent.id);
    assert_eq!(messages.items[0].sender.kind, SenderKind::Contact);
    assert_eq!(messages.items[0].direction, Direction::Incoming);

    // The same visitor writing again stays in the same conversation; a retry stores nothing.
    visitor.write("first-2", "For 50 euros?").await;
    let retry = visitor.send("first-2", "For 50 euros?").await;
    assert_eq!(retry.status(), StatusCode::OK);
    let list = agent.conversations(&server, ws, "?limit=100").await;
    assert_eq!(list.items.len(), before + 1);
    assert_eq!(list.items[0].id, conversation.id);
    assert_eq!(list.items[0].unread_count, 2);

    // Another visitor gets a conversation of their own.
    other.write("second-1", "Hi from someone else").await;
    let list = agent.conversations(&server, ws, "?limit=100").await;
    assert_eq!(list.items.len(), before + 2);
    assert_ne!(list.items[0].id, conversation.id);
}

#[tokio::test]
async fn visitor_requests_need_the_token_of_that_chat() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    // A second website chat in the same workspace, and one in another workspace.
    let second = server
        .store()
        .create_channel(NewChannel {
            workspace: ws,
            kind: ChannelKind::WebsiteChat,
            name: "Northwind Wholesale",
            public_key: Some("northwind-wholesale-key"),
        })
        .await
        .expect("a channel");
    let second_key = second.public_key.expect("a key");
    let globex = server.other_workspace().await;
    let globex_key = globex.channel.public_key.expect("a key");

    let visitor = server.visitor(&key).await;
    visitor.write("mine-1", "My own message").await;
    let stranger = server.visitor(&globex_key).await;
    let before = server.footprint(ws).await;
    let before_globex = server.footprint(globex.workspace).await;

    let forged = format!("{}x", visitor.token);
    let refusals = [
        (key.as_str(), None),
        (key.as_str(), Some("")),
        (key.as_str(), Some("not-a-token")),
        (key.as_str(), Some(forged.as_str())),
        (key.as_str(), Some(stranger.token.as_str())),
        (second_key.as_str(), Some(visitor.token.as_str())),
        (globex_key.as_str(), Some(visitor.token.as_str())),
    ];
    for (chat, token) in refusals {
        let response = visitor.send_as(chat, token, "intrude-1", "let me in").await;
        expect_error(response, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
        let response = visitor.list_as(chat, token).await;
        let (_, text) =
            expect_error(response, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
        assert!(!text.contains("My own message"), "{text}");
    }
    assert_eq!(server.footprint(ws).await, before);
    assert_eq!(server.footprint(globex.workspace).await, before_globex);

    // The right token still works.
    let (thread, _) = visitor.thread().await;
    assert_eq!(thread.items.len(), 1);
    assert_eq!(thread.items[0].text, "My own message");
}

#[tokio::test]
async fn the_visitor_sees_team_replies_but_never_comments() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let agent = server.login(ANNA).await;
    let visitor = server.visitor(&key).await;
    let question = visitor.write("q-1", "Is the decaf in stock?").await;
    let conversation = agent
        .conversation_with_last_text(&server, ws, "Is the decaf in stock?")
        .await;

    let comment = agent
        .reply(
            &server,
            ws,
            conversation.id,
            "c-1",
            "comment",
            "INTERNAL: supplier is late",
        )
        .await;
    assert_eq!(comment.kind, MessageKind::Comment);
    let answer = agent
        .reply(
            &server,
            ws,
            conversation.id,
            "a-1",
            "message",
            "Yes, 20 bags left.",
        )
        .await;
    assert_eq!(answer.sender.name, "Anna Petrova");

    // The comment is in the team's thread.
    let response = agent
        .get(&server.api(&format!(
            "/workspaces/{ws}/conversations/{}/messages",
            conversation.id
        )))
        .await;
    let team: Page<Message> = json_body(response).await;
    let ids: Vec<_> = team.items.iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![answer.id, comment.id, question.id]);

    // The visitor's thread: their question and the reply, newest first; no comment, and of
    // the agent only the first name.
    let (thread, body) = visitor.thread().await;
    let ids: Vec<_> = thread.items.iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![answer.id, question.id]);
    assert_eq!(thread.items[0].author, VisitorAuthor::Team);
    assert_eq!(thread.items[0].author_name.as_deref(), Some("Anna"));
    assert_eq!(thread.items[0].text, "Yes, 20 bags left.");
    assert_eq!(thread.items[1].author, VisitorAuthor::Visitor);
    for hidden in [
        "INTERNAL", "supplier", "Petrova", "c-1", "user_id", "comment",
    ] {
        assert!(
            !body.contains(hidden),
            "the visitor sees {hidden:?}: {body}"
        );
    }

    // Paging the visitor's thread one by one still never yields the comment.
    let mut seen = Vec::new();
    let mut query = "?limit=1".to_owned();
    for _ in 0..10 {
        let response = reqwest::Client::new()
            .get(server.api(&format!("/chat/{key}/messages{query}")))
            .header("authorization", format!("Bearer {}", visitor.token))
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), StatusCode::OK);
        let page: Page<VisitorMessage> = json_body(response).await;
        seen.extend(page.items.iter().map(|m| m.id));
        match page.next_cursor {
            Some(cursor) => query = format!("?limit=1&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, vec![answer.id, question.id]);
}

#[tokio::test]
async fn markup_from_a_visitor_is_kept_byte_for_byte() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let agent = server.login(ANNA).await;
    let visitor = server.visitor(&key).await;
    let xss = "<img src=x onerror=alert(1)>";

    let sent = visitor.write("xss-1", xss).await;
    assert_eq!(sent.text, xss);
    let (thread, _) = visitor.thread().await;
    assert_eq!(thread.items[0].text, xss);

    let conversation = agent.conversation_with_last_text(&server, ws, xss).await;
    let response = agent
        .get(&server.api(&format!(
            "/workspaces/{ws}/conversations/{}/messages",
            conversation.id
        )))
        .await;
    let body = response.text().await.expect("a body");
    // serde_json writes `<`, `>` and `=` as they are: the raw body carries the exact bytes.
    assert!(body.contains(xss), "{body}");
    let team: Page<Message> = serde_json::from_str(&body).expect("a page");
    assert_eq!(team.items[0].content, Content::Text { text: xss.into() });

    let stored = server.thread(ws, conversation.id).await;
    assert_eq!(stored[0].content, Content::Text { text: xss.into() });

    // An agent's markup comes back to the visitor unchanged as well.
    let markup = "<b>bold</b> & <script>alert('x')</script>";
    agent
        .reply(&server, ws, conversation.id, "xss-2", "message", markup)
        .await;
    let (thread, _) = visitor.thread().await;
    assert_eq!(thread.items[0].text, markup);
}

#[tokio::test]
async fn invalid_visitor_sends_are_refused_and_store_nothing() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let visitor = server.visitor(&key).await;
    let before = server.footprint(ws).await;
    let conversations = server.all_conversations(ws).await.len();
    let too_long = "b".repeat(4097);
    for (client_id, text, field) in [
        ("v-1", "", "text"),
        ("v-2", "   ", "text"),
        ("v-3", too_long.as_str(), "text"),
        ("has space", "hi", "client_id"),
        ("", "hi", "client_id"),
    ] {
        let response = visitor.send(client_id, text).await;
        let (error, _) = expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field));
    }
    assert_eq!(server.footprint(ws).await, before);
    // A refused first message does not even create the visitor's conversation.
    assert_eq!(server.all_conversations(ws).await.len(), conversations);
    let (thread, _) = visitor.thread().await;
    assert!(thread.items.is_empty());
}

#[tokio::test]
async fn a_visitors_concurrent_first_messages_share_one_conversation() {
    let server = Server::start().await;
    let ws = server.workspace().await;
    let key = server.chat_key().await;
    let conversations = server.all_conversations(ws).await.len();
    let visitor = server.visitor(&key).await;
    let ids: Vec<String> = (0..6).map(|i| format!("burst-{i}")).collect();
    let sends = ids.iter().map(|id| visitor.send(id, "Hello, hello?"));
    for response in futures_util::future::join_all(sends).await {
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let all = server.all_conversations(ws).await;
    assert_eq!(
        all.len(),
        conversations + 1,
        "one conversation for one visitor"
    );
    let (thread, _) = visitor.thread().await;
    assert_eq!(thread.items.len(), 6);
    assert_eq!(all[0].unread_count, 6);
}
