//! The Telegram channel end to end against a stand-in Bot API: connecting a bot, updates
//! arriving through the verified webhook (deduplicated, replies, edits, kinds without their
//! own view), and agents' answers leaving through the outbox (retried on 5xx, honouring
//! 429's `retry_after`, failed with Telegram's reason on a refusal, retried by the agent,
//! and sent once after a server is killed mid-send).

use crate::common;

use common::fake_telegram::{Answer, BOT_TOKEN, FakeTelegram, text_update};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use switchboard_protocol::channels::{ChannelCheck, ChannelInfo};
use switchboard_protocol::*;

struct Setup {
    server: Server,
    telegram: FakeTelegram,
    ws: WorkspaceId,
    maria: Agent,
    hook: String,
    secret: String,
}

async fn server_with(telegram: &FakeTelegram) -> Server {
    let api = telegram.url.clone();
    Server::start_configured(move |config| {
        config.telegram_api_url = api;
        config.outbox_retry_base_ms = 200;
        config.outbox_lease_secs = 2;
        // The stand-in AI provider (one test) listens on 127.0.0.1.
        config.ai_on_private_addresses = true;
    })
    .await
}

/// A demo server with a Telegram bot connected by Maria (a manager).
async fn connected() -> Setup {
    let telegram = FakeTelegram::start().await;
    let server = server_with(&telegram).await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let response = maria
        .post(
            &server.api(&format!("/workspaces/{ws}/channels/telegram")),
            json!({ "bot_token": BOT_TOKEN }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let channel: ChannelInfo = response.json().await.expect("a channel");
    assert_eq!(
        channel.name, "Northwind Bot",
        "named after the bot by default"
    );
    let (url, secret) = telegram.webhook().expect("the webhook was registered");
    let path = url
        .split_once("/api/v1")
        .map(|(_, path)| path.to_owned())
        .expect("a webhook under /api/v1");
    assert!(path.starts_with("/hooks/telegram/"), "{path}");
    assert!(secret.len() >= 32, "an unguessable secret token");
    Setup {
        hook: server.api(&path),
        server,
        telegram,
        ws,
        maria,
        secret,
    }
}

impl Setup {
    async fn update(&self, update: &Value, secret: Option<&str>) -> reqwest::Response {
        let mut request = reqwest::Client::new().post(&self.hook).json(update);
        if let Some(secret) = secret {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        request.send().await.expect("answered")
    }

    async fn deliver(&self, update: &Value) {
        let response = self.update(update, Some(&self.secret)).await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    async fn ivan(&self) -> ConversationSummary {
        self.server.conversation_of(self.ws, "Ivan").await
    }

    async fn messages(&self, conversation: ConversationId) -> Vec<Message> {
        self.server.thread(self.ws, conversation).await
    }

    /// Waits for a message's delivery status.
    async fn wait_status(&self, message: MessageId, status: DeliveryStatus) -> Message {
        let ivan = self.ivan().await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let found = self
                .messages(ivan.id)
                .await
                .into_iter()
                .find(|m| m.id == message)
                .expect("the message is stored");
            if found.delivery_status == Some(status) {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "message {message} is {:?}, not {status:?}",
                found.delivery_status
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Ivan writes, Maria answers; the answer.
    async fn answer(&self, client_id: &str, text: &str) -> Message {
        self.deliver(&text_update(1, 555, 10, "Привет, где мой заказ?"))
            .await;
        let ivan = self.ivan().await;
        let sent = self
            .maria
            .reply(&self.server, self.ws, ivan.id, client_id, "message", text)
            .await;
        assert_eq!(sent.delivery_status, Some(DeliveryStatus::Pending));
        sent
    }
}

#[tokio::test]
async fn connecting_a_bot_checks_the_token_and_only_managers_may() {
    let setup = connected().await;
    let Setup {
        server,
        telegram,
        ws,
        maria,
        ..
    } = &setup;
    assert_eq!(telegram.calls("getMe").len(), 1);
    let listed: Vec<ChannelInfo> = maria
        .get(&server.api(&format!("/workspaces/{ws}/channels")))
        .await
        .json()
        .await
        .expect("channels");
    let bot = listed
        .iter()
        .find(|c| c.kind == ChannelKind::Telegram && c.name == "Northwind Bot")
        .expect("the bot is listed");
    assert!(bot.capabilities.reply_to && bot.capabilities.typing);
    let listed_text = serde_json::to_string(&listed).expect("json");
    assert!(!listed_text.contains(BOT_TOKEN), "the token never leaves");
    let before = listed.len();

    // An agent may not connect channels.
    let anna = server.login(ANNA).await;
    let url = server.api(&format!("/workspaces/{ws}/channels/telegram"));
    let response = anna.post(&url, json!({ "bot_token": BOT_TOKEN })).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Not a token; a token Telegram refuses; malformed bodies.
    for (body, field) in [
        (json!({ "bot_token": "hello" }), "bot_token"),
        (
            json!({ "bot_token": "987654321:AAEhBP0av28q0TRl2QWbAfXAL3gyQWfu8qZ" }),
            "bot_token",
        ),
        (
            json!({ "bot_token": BOT_TOKEN, "name": "x".repeat(101) }),
            "name",
        ),
    ] {
        let (error, _) = expect_error(
            maria.post(&url, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field));
    }
    let response = maria.post(&url, json!({ "token": BOT_TOKEN })).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let after: Vec<ChannelInfo> = maria
        .get(&server.api(&format!("/workspaces/{ws}/channels")))
        .await
        .json()
        .await
        .expect("channels");
    assert_eq!(after.len(), before, "nothing was connected");

    // Disconnecting removes the webhook and the channel; its updates are refused after.
    let response = anna
        .call(
            reqwest::Method::DELETE,
            &server.api(&format!("/workspaces/{ws}/channels/{}", bot.id)),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = maria
        .call(
            reqwest::Method::DELETE,
            &server.api(&format!("/workspaces/{ws}/channels/{}", bot.id)),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(telegram.webhook().is_none(), "deleteWebhook was called");
    let response = setup
        .update(&text_update(9, 555, 1, "hi"), Some(&setup.secret))
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_bot_connected_in_one_workspace_cannot_be_taken_over_by_another() {
    let s = connected().await;
    let before = s.telegram.webhook();
    let hooks = s.telegram.calls("setWebhook").len();
    let aurora = s.server.workspace_named("Aurora Books").await;
    let li = s.server.login("li@aurora.example").await;
    let theirs = s
        .server
        .store()
        .channels(aurora)
        .await
        .expect("channels")
        .len();
    let (taken, _) = expect_error(
        li.post(
            &s.server
                .api(&format!("/workspaces/{aurora}/channels/telegram")),
            json!({ "bot_token": BOT_TOKEN }),
        )
        .await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;
    assert!(taken.message.contains("already connected"), "{taken:?}");
    assert_eq!(
        s.telegram.calls("setWebhook").len(),
        hooks,
        "Telegram was not asked to move the webhook"
    );
    assert_eq!(s.telegram.webhook(), before);
    assert!(
        s.server
            .store()
            .channels(aurora)
            .await
            .expect("channels")
            .len()
            == theirs
    );
    // The first workspace still gets the bot's updates.
    s.deliver(&text_update(1, 555, 10, "Привет")).await;
    s.ivan().await;
}

#[tokio::test]
async fn an_unreachable_telegram_is_a_clear_502() {
    // Nothing listens on a port just released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let server = Server::start_configured(move |config| {
        config.telegram_api_url = format!("http://127.0.0.1:{port}");
    })
    .await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let response = maria
        .post(
            &server.api(&format!("/workspaces/{ws}/channels/telegram")),
            json!({ "bot_token": BOT_TOKEN }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let body: ErrorBody = response.json().await.expect("an ErrorBody");
    assert_eq!(body.code, ErrorCode::Unavailable);
    assert!(!body.message.contains(BOT_TOKEN), "{}", body.message);
}

#[tokio::test]
async fn updates_arrive_once_only_from_telegram() {
    let setup = connected().await;
    let ws = setup.ws;
    let maria_socket = setup.maria.socket(&setup.server, ws, None).await;
    let mut socket = maria_socket;
    assert_eq!(next_json(&mut socket).await["type"], "hello");
    let before = setup.server.last_seq(ws).await;
    let first = text_update(100, 555, 10, "Привет, где мой заказ?");

    // Forged, unsigned, unknown channel, malformed: refused, nothing stored.
    let forged = setup.update(&first, Some("not-the-secret")).await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    let unsigned = setup.update(&first, None).await;
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    let unknown = reqwest::Client::new()
        .post(setup.server.api("/hooks/telegram/no-such-key"))
        .header("X-Telegram-Bot-Api-Secret-Token", &setup.secret)
        .json(&first)
        .send()
        .await
        .expect("answered");
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let malformed = reqwest::Client::new()
        .post(&setup.hook)
        .header("X-Telegram-Bot-Api-Secret-Token", &setup.secret)
        .header("content-type", "application/json")
        .body(r#"{"update_id": "x"#)
        .send()
        .await
        .expect("answered");
    assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(setup.server.last_seq(ws).await, before, "nothing stored");

    // The real update creates Ivan's conversation; a repeat stores nothing new.
    setup.deliver(&first).await;
    let frame = next_json(&mut socket).await;
    expect_message_created(&frame, before + 1, ws, "Привет, где мой заказ?");
    setup.deliver(&first).await;
    assert_silent(&mut socket, Duration::from_millis(300)).await;
    let ivan = setup.ivan().await;
    assert_eq!(ivan.channel, ChannelKind::Telegram);
    assert_eq!(ivan.contact.last_name, "Petrov");
    assert_eq!(setup.messages(ivan.id).await.len(), 1);

    // A reply to it, a second message in the same conversation.
    let mut reply = text_update(101, 555, 11, "Номер 4521");
    reply["message"]["reply_to_message"] = first["message"].clone();
    setup.deliver(&reply).await;
    let thread = setup.messages(ivan.id).await;
    assert_eq!(thread.len(), 2);
    let newest = &thread[0];
    assert_eq!(
        newest.reply_to.as_ref().map(|r| r.id),
        Some(thread[1].id),
        "the reply quotes Ivan's first message"
    );

    // An edit replaces the text where it is shown.
    let mut edit = text_update(102, 555, 11, "Номер заказа 4521");
    edit["edited_message"] = edit["message"].take();
    edit.as_object_mut().map(|o| o.remove("message"));
    setup.deliver(&edit).await;
    let frames = [next_json(&mut socket).await, next_json(&mut socket).await];
    assert_eq!(frames[1]["event"]["payload"]["type"], "message_updated");
    let thread = setup.messages(ivan.id).await;
    assert_eq!(
        thread[0].content,
        Content::Text {
            text: "Номер заказа 4521".into()
        }
    );

    // Kinds without their own view yet say what they are; a location is readable text.
    let mut photo = text_update(103, 555, 12, "");
    photo["message"].as_object_mut().map(|o| o.remove("text"));
    photo["message"]["photo"] =
        json!([{ "file_id": "AgAD", "file_unique_id": "u1", "width": 90, "height": 90 }]);
    photo["message"]["caption"] = json!("Вот чек");
    setup.deliver(&photo).await;
    let mut location = text_update(104, 555, 13, "");
    location["message"]
        .as_object_mut()
        .map(|o| o.remove("text"));
    location["message"]["location"] = json!({ "latitude": 55.751244, "longitude": 37.618423 });
    setup.deliver(&location).await;
    let thread = setup.messages(ivan.id).await;
    assert_eq!(
        thread[1].content,
        Content::Unsupported {
            description: Some("Photo: Вот чек".into())
        }
    );
    match &thread[0].content {
        Content::Text { text } => assert!(text.contains("55.751244, 37.618423"), "{text}"),
        other => panic!("a location is text, not {other:?}"),
    }
    close(socket).await;
}

#[tokio::test]
async fn answers_go_out_through_the_bot_with_their_quotes() {
    let setup = connected().await;
    let sent = setup.answer("a-1", "Заказ в пути").await;
    let delivered = setup
        .telegram
        .wait_delivered(1, Duration::from_secs(5))
        .await;
    assert_eq!(delivered[0]["chat_id"], 555);
    assert_eq!(delivered[0]["text"], "Заказ в пути");
    assert!(delivered[0].get("reply_parameters").is_none());
    setup.wait_status(sent.id, DeliveryStatus::Sent).await;

    // A reply quotes Ivan's message at Telegram too.
    let ivan = setup.ivan().await;
    let thread = setup.messages(ivan.id).await;
    let question = thread
        .iter()
        .find(|m| m.direction == Direction::Incoming)
        .expect("Ivan's question");
    let response = setup
        .maria
        .post(
            &setup.server.api(&format!(
                "/workspaces/{}/conversations/{}/messages",
                setup.ws, ivan.id
            )),
            json!({ "client_id": "a-2", "kind": "message", "text": "Сегодня", "reply_to": question.id }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let delivered = setup
        .telegram
        .wait_delivered(2, Duration::from_secs(5))
        .await;
    assert_eq!(delivered[1]["reply_parameters"]["message_id"], 10);

    // Comments stay inside Switchboard.
    setup
        .maria
        .reply(&setup.server, setup.ws, ivan.id, "c-1", "comment", "VIP")
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(setup.telegram.delivered().len(), 2);
}

#[tokio::test]
async fn failures_are_retried_or_shown_and_the_agent_can_retry() {
    let setup = connected().await;
    // A 5xx, then a 429 asking for a second: retried, delivered once.
    setup.telegram.script([
        Answer::ServerError,
        Answer::TooManyRequests { retry_after: 1 },
    ]);
    let sent = setup.answer("r-1", "Проверяем").await;
    setup.wait_status(sent.id, DeliveryStatus::Sent).await;
    let attempts = setup.telegram.calls("sendMessage");
    assert_eq!(attempts.len(), 3);
    assert_eq!(setup.telegram.delivered().len(), 1, "delivered once");
    let waited = attempts[2].at - attempts[1].at;
    assert!(
        waited >= Duration::from_millis(950),
        "retry_after was honoured: {waited:?}"
    );

    // A refusal fails the message with Telegram's reason.
    setup.telegram.script([Answer::Refused {
        code: 403,
        description: "Forbidden: bot was blocked by the user".into(),
    }]);
    let ivan = setup.ivan().await;
    let refused = setup
        .maria
        .reply(&setup.server, setup.ws, ivan.id, "r-2", "message", "Алло?")
        .await;
    let failed = setup.wait_status(refused.id, DeliveryStatus::Failed).await;
    assert_eq!(
        failed.delivery_error.as_deref(),
        Some("Forbidden: bot was blocked by the user")
    );
    let retry_url = |message: MessageId| {
        setup.server.api(&format!(
            "/workspaces/{}/conversations/{}/messages/{message}/retry",
            setup.ws, ivan.id
        ))
    };
    // Retrying what has not failed is refused; another conversation's message is not found.
    let response = setup.maria.post(&retry_url(sent.id), json!({})).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let olivia = setup.server.conversation_of(setup.ws, "Olivia").await;
    let response = setup
        .maria
        .post(
            &setup.server.api(&format!(
                "/workspaces/{}/conversations/{}/messages/{}/retry",
                setup.ws, olivia.id, refused.id
            )),
            json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // The agent retries; this time Telegram takes it.
    let response = setup.maria.post(&retry_url(refused.id), json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let pending: Message = response.json().await.expect("a message");
    assert_eq!(pending.delivery_status, Some(DeliveryStatus::Pending));
    assert_eq!(pending.delivery_error, None);
    setup.wait_status(refused.id, DeliveryStatus::Sent).await;
    assert_eq!(setup.telegram.delivered().len(), 2);
}

#[tokio::test]
async fn a_server_killed_mid_send_sends_after_restart_once() {
    let setup = connected().await;
    setup.telegram.script([Answer::Hang]);
    let sent = setup.answer("k-1", "Отправляю").await;
    // Wait until the send is in flight, then stop the server with it unanswered.
    let deadline = Instant::now() + Duration::from_secs(5);
    while setup.telegram.calls("sendMessage").is_empty() {
        assert!(Instant::now() < deadline, "the send never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let Setup {
        server,
        telegram,
        ws,
        ..
    } = setup;
    let ivan = server.conversation_of(ws, "Ivan").await;
    let stopped = server.stop_keeping_data().await;
    assert!(telegram.delivered().is_empty());
    let server = stopped.restart().await;
    let delivered = telegram.wait_delivered(1, Duration::from_secs(10)).await;
    assert_eq!(delivered[0]["text"], "Отправляю");
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let thread = server.thread(ws, ivan.id).await;
        let message = thread.iter().find(|m| m.id == sent.id).expect("stored");
        if message.delivery_status == Some(DeliveryStatus::Sent) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still {:?}",
            message.delivery_status
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(telegram.delivered().len(), 1, "sent exactly once");
}

#[tokio::test]
async fn the_contact_sees_an_agent_typing_a_message_not_a_comment() {
    let setup = connected().await;
    setup.deliver(&text_update(1, 555, 10, "Привет")).await;
    let ivan = setup.ivan().await;
    let mut socket = setup.maria.socket(&setup.server, setup.ws, None).await;
    assert_eq!(next_json(&mut socket).await["type"], "hello");
    let typing = |kind: &str| {
        json!({ "type": "typing", "conversation_id": ivan.id, "kind": kind }).to_string()
    };
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message as WsMessage;
    socket
        .send(WsMessage::Text(typing("comment").into()))
        .await
        .expect("sent");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(
        setup.telegram.calls("sendChatAction").is_empty(),
        "a comment is not shown to the contact"
    );
    socket
        .send(WsMessage::Text(typing("message").into()))
        .await
        .expect("sent");
    let deadline = Instant::now() + Duration::from_secs(5);
    while setup.telegram.calls("sendChatAction").is_empty() {
        assert!(Instant::now() < deadline, "no chat action reached Telegram");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let action = &setup.telegram.calls("sendChatAction")[0].body;
    assert_eq!(action["chat_id"], 555);
    assert_eq!(action["action"], "typing");
    // Renewals within the five seconds Telegram shows it are not repeated.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    socket
        .send(WsMessage::Text(typing("message").into()))
        .await
        .expect("sent");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(setup.telegram.calls("sendChatAction").len(), 1);
    close(socket).await;
}

#[tokio::test]
async fn files_go_out_as_photos_voice_video_and_documents_with_the_text_as_caption() {
    let setup = connected().await;
    setup
        .deliver(&text_update(1, 555, 10, "Пришлите чек"))
        .await;
    let ivan = setup.ivan().await;
    let photo = setup
        .maria
        .upload_file(&setup.server, setup.ws, "receipt.png", PNG)
        .await;
    let pdf = setup
        .maria
        .upload_file(
            &setup.server,
            setup.ws,
            "invoice.pdf",
            b"%PDF-1.4\n%fake but starts right\n",
        )
        .await;
    let question = setup.messages(ivan.id).await[0].id;
    let response = setup
        .maria
        .post(
            &setup.server.api(&format!(
                "/workspaces/{}/conversations/{}/messages",
                setup.ws, ivan.id
            )),
            json!({ "client_id": "f-1", "kind": "message", "text": "Вот чек и счёт",
                    "reply_to": question, "attachments": [photo.id, pdf.id] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent: Message = response.json().await.expect("a message");
    let delivered = setup
        .telegram
        .wait_delivered(2, Duration::from_secs(5))
        .await;
    assert_eq!(delivered[0]["method"], "sendPhoto");
    assert_eq!(delivered[0]["chat_id"], 555);
    assert_eq!(
        delivered[0]["caption"], "Вот чек и счёт",
        "the text rides as caption"
    );
    assert_eq!(delivered[0]["reply_parameters"]["message_id"], 10);
    assert_eq!(delivered[0]["photo"]["file_name"], "receipt.png");
    assert_eq!(delivered[0]["photo"]["bytes"], json!(PNG.to_vec()));
    assert_eq!(delivered[1]["method"], "sendDocument");
    assert_eq!(delivered[1]["document"]["file_name"], "invoice.pdf");
    assert_eq!(delivered[1]["document"]["content_type"], "application/pdf");
    assert!(delivered[1].get("caption").is_none());
    assert!(
        setup.telegram.calls("sendMessage").is_empty(),
        "no separate text"
    );
    setup.wait_status(sent.id, DeliveryStatus::Sent).await;

    // A text too long for a caption goes first, on its own.
    let long = "Подробности заказа. ".repeat(60);
    let again = setup
        .maria
        .upload_file(&setup.server, setup.ws, "receipt-2.png", PNG)
        .await;
    let response = setup
        .maria
        .post(
            &setup.server.api(&format!(
                "/workspaces/{}/conversations/{}/messages",
                setup.ws, ivan.id
            )),
            json!({ "client_id": "f-2", "kind": "message", "text": long, "attachments": [again.id] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let delivered = setup
        .telegram
        .wait_delivered(4, Duration::from_secs(5))
        .await;
    assert_eq!(delivered[2]["method"], "sendMessage");
    assert_eq!(delivered[2]["text"], long.trim());
    assert_eq!(delivered[3]["method"], "sendPhoto");
    assert!(delivered[3].get("caption").is_none());

    // A voice recording goes as a voice message, a video as a video, an MP3 as audio.
    let mut files = Vec::new();
    for (name, bytes) in [
        (
            "voice-2026-11-26-101500.m4a",
            &b"\0\0\0\x18ftypM4A voice"[..],
        ),
        (
            "video-2026-11-26-101600.mp4",
            &b"\0\0\0\x18ftypisom video"[..],
        ),
        ("jingle.mp3", &b"ID3\x03\0\0\0 mp3"[..]),
    ] {
        files.push(
            setup
                .maria
                .upload_file(&setup.server, setup.ws, name, bytes)
                .await
                .id,
        );
    }
    let response = setup
        .maria
        .post(
            &setup.server.api(&format!(
                "/workspaces/{}/conversations/{}/messages",
                setup.ws, ivan.id
            )),
            json!({ "client_id": "f-3", "kind": "message", "text": "", "attachments": files }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let delivered = setup
        .telegram
        .wait_delivered(7, Duration::from_secs(5))
        .await;
    assert_eq!(delivered[4]["method"], "sendVoice");
    assert_eq!(delivered[4]["voice"]["content_type"], "audio/mp4");
    assert_eq!(delivered[5]["method"], "sendVideo");
    assert_eq!(
        delivered[5]["video"]["file_name"],
        "video-2026-11-26-101600.mp4"
    );
    assert_eq!(delivered[6]["method"], "sendAudio");
}

#[tokio::test]
async fn a_message_in_several_parts_resumes_after_the_parts_telegram_took() {
    let setup = connected().await;
    setup.deliver(&text_update(1, 556, 10, "Чек?")).await;
    let ivan = setup.ivan().await;
    let send = |client_id: &'static str, files: Vec<AttachmentId>| {
        let (setup, conversation) = (&setup, ivan.id);
        async move {
            let response = setup
                .maria
                .post(
                    &setup.server.api(&format!(
                        "/workspaces/{}/conversations/{conversation}/messages",
                        setup.ws
                    )),
                    json!({ "client_id": client_id, "kind": "message", "text": "Чек и счёт",
                            "attachments": files }),
                )
                .await;
            assert_eq!(response.status(), StatusCode::CREATED);
            response.json::<Message>().await.expect("a message")
        }
    };
    let files = |tag: &'static str| {
        let setup = &setup;
        async move {
            let photo = setup
                .maria
                .upload_file(&setup.server, setup.ws, &format!("{tag}.png"), PNG)
                .await;
            let pdf = setup
                .maria
                .upload_file(
                    &setup.server,
                    setup.ws,
                    &format!("{tag}.pdf"),
                    b"%PDF-1.4\n",
                )
                .await;
            vec![photo.id, pdf.id]
        }
    };
    // The photo goes, the document meets a 5xx: the retry sends the document only.
    setup.telegram.script([Answer::Ok, Answer::ServerError]);
    let first = send("parts-1", files("a").await).await;
    setup.wait_status(first.id, DeliveryStatus::Sent).await;
    assert_eq!(
        setup.telegram.calls("sendPhoto").len(),
        1,
        "the photo went once"
    );
    assert_eq!(
        setup.telegram.calls("sendDocument").len(),
        2,
        "tried, then sent"
    );
    let delivered: Vec<String> = setup
        .telegram
        .delivered()
        .iter()
        .map(|d| d["method"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(delivered, ["sendPhoto", "sendDocument"]);

    // Refused on the document: failed with the reason; the agent's retry sends the document
    // only, not the photo again.
    setup.telegram.script([
        Answer::Ok,
        Answer::Refused {
            code: 400,
            description: "Bad Request: file is too big".into(),
        },
    ]);
    let second = send("parts-2", files("b").await).await;
    let failed = setup.wait_status(second.id, DeliveryStatus::Failed).await;
    assert_eq!(
        failed.delivery_error.as_deref(),
        Some("Bad Request: file is too big")
    );
    let response = setup
        .maria
        .post(
            &setup.server.api(&format!(
                "/workspaces/{}/conversations/{}/messages/{}/retry",
                setup.ws, ivan.id, second.id
            )),
            json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    setup.wait_status(second.id, DeliveryStatus::Sent).await;
    assert_eq!(
        setup.telegram.calls("sendPhoto").len(),
        2,
        "one photo per message"
    );
    let delivered = setup.telegram.delivered();
    assert_eq!(delivered.len(), 4);
    assert_eq!(delivered[3]["method"], "sendDocument");
    assert_eq!(delivered[3]["document"]["file_name"], "b.pdf");
}

#[tokio::test]
async fn a_connected_bot_can_be_checked_by_managers() {
    let setup = connected().await;
    let channels: Vec<ChannelInfo> = json_body(
        setup
            .maria
            .get(
                &setup
                    .server
                    .api(&format!("/workspaces/{}/channels", setup.ws)),
            )
            .await,
    )
    .await;
    let bot = channels
        .iter()
        .find(|c| c.kind == ChannelKind::Telegram)
        .expect("the bot")
        .id;
    let url = setup
        .server
        .api(&format!("/workspaces/{}/channels/{bot}/check", setup.ws));
    let check: ChannelCheck = json_body(setup.maria.post(&url, json!({})).await).await;
    assert_eq!(
        check,
        ChannelCheck {
            ok: true,
            message: "Telegram knows the bot as Northwind Bot.".into()
        }
    );
    assert_eq!(
        setup.telegram.calls("getMe").len(),
        2,
        "asked Telegram now, not a cache"
    );
    // Agents may not; another workspace's member does not find it.
    let anna = setup.server.login(ANNA).await;
    assert_eq!(
        anna.post(&url, json!({})).await.status(),
        StatusCode::FORBIDDEN
    );
    let li = setup.server.login(LI).await;
    assert_eq!(
        li.post(&url, json!({})).await.status(),
        StatusCode::NOT_FOUND
    );
    // A token revoked at BotFather: Telegram's refusal, and no token in the answer.
    setup
        .server
        .store()
        .set_channel_credentials(
            setup.ws,
            bot,
            &json!({ "bot_token": "123456789:AAErevokedrevokedrevokedrevoked00", "webhook_secret": "s" })
                .to_string(),
        )
        .await
        .expect("credentials");
    let response = setup.maria.post(&url, json!({})).await;
    let text = response.text().await.expect("a body");
    let check: ChannelCheck = serde_json::from_str(&text).expect("a check");
    assert!(!check.ok);
    assert!(check.message.starts_with("Refused: "), "{}", check.message);
    assert!(!text.contains("revoked"), "{text}");
}

/// Every file kept under the server's attachment directory.
fn kept_files(server: &Server) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |entries| {
            entries
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        count(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
    }
    count(&server.running.state.config.data_dir.join("attachments"))
}

#[tokio::test]
async fn photos_and_documents_from_contacts_arrive_as_files() {
    let setup = connected().await;
    setup.telegram.add_file("PHOTO-BIG", PNG);
    setup
        .telegram
        .add_file("DOC-1", b"%PDF-1.4\n%a real enough start\n");
    let mut photo = text_update(200, 555, 20, "");
    photo["message"].as_object_mut().map(|o| o.remove("text"));
    photo["message"]["photo"] = json!([
        { "file_id": "PHOTO-SMALL", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 10 },
        { "file_id": "PHOTO-BIG", "file_unique_id": "b", "width": 1280, "height": 960, "file_size": PNG.len() }
    ]);
    photo["message"]["caption"] = json!("Вот чек");
    setup.deliver(&photo).await;
    let mut document = text_update(201, 555, 21, "");
    document["message"]
        .as_object_mut()
        .map(|o| o.remove("text"));
    document["message"]["document"] = json!({ "file_id": "DOC-1", "file_unique_id": "d",
        "file_name": "Счёт №7.pdf", "mime_type": "application/pdf", "file_size": 31 });
    setup.deliver(&document).await;
    let ivan = setup.ivan().await;
    let thread = setup.messages(ivan.id).await; // newest first
    assert_eq!(thread.len(), 2);
    assert_eq!(
        thread[1].content,
        Content::Text {
            text: "Вот чек".into()
        }
    );
    let picture = &thread[1].attachments[0];
    assert_eq!(
        picture.content_type, "image/png",
        "the type comes from the bytes"
    );
    assert_eq!(thread[0].attachments[0].name, "Счёт №7.pdf");
    assert_eq!(thread[0].attachments[0].content_type, "application/pdf");
    // Agents download it as sent.
    let bytes = setup
        .maria
        .get(&setup.server.api(picture.url.trim_start_matches("/api/v1")))
        .await
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(bytes.as_ref(), PNG);
    assert_eq!(kept_files(&setup.server), 2);

    // A repeat keeps nothing new; a file Telegram cannot give leaves the message readable.
    setup.deliver(&photo).await;
    assert_eq!(setup.messages(ivan.id).await.len(), 2);
    assert_eq!(
        kept_files(&setup.server),
        2,
        "the repeat's bytes were dropped"
    );
    let mut lost = photo.clone();
    lost["message"]["message_id"] = json!(22);
    lost["message"]["photo"] =
        json!([{ "file_id": "GONE", "file_unique_id": "g", "width": 1, "height": 1 }]);
    setup.deliver(&lost).await;
    let thread = setup.messages(ivan.id).await;
    assert_eq!(
        thread[0].content,
        Content::Unsupported {
            description: Some("Photo: Вот чек".into())
        }
    );
    assert!(thread[0].attachments.is_empty());
    assert_eq!(kept_files(&setup.server), 2);

    // A file Telegram fails to give for now: the update is refused (502) so Telegram delivers
    // it again, and then it arrives whole.
    setup.telegram.add_file("FLAKY", PNG);
    setup.telegram.fail_file_once("FLAKY");
    let mut flaky = photo.clone();
    flaky["message"]["message_id"] = json!(23);
    flaky["message"]["photo"] =
        json!([{ "file_id": "FLAKY", "file_unique_id": "f", "width": 1, "height": 1 }]);
    let first = setup.update(&flaky, Some(&setup.secret)).await;
    assert_eq!(first.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(setup.messages(ivan.id).await.len(), 3, "nothing stored yet");
    setup.deliver(&flaky).await;
    let thread = setup.messages(ivan.id).await;
    assert_eq!(thread.len(), 4);
    assert_eq!(thread[0].attachments.len(), 1);
    assert_eq!(kept_files(&setup.server), 3);

    // Editing a photo's caption changes its text; the photo stays.
    let mut edit = flaky.clone();
    edit["edited_message"] = edit["message"].take();
    edit["edited_message"]["caption"] = json!("Вот чек, исправленный");
    edit.as_object_mut().map(|o| o.remove("message"));
    setup.deliver(&edit).await;
    let thread = setup.messages(ivan.id).await;
    assert_eq!(
        thread[0].content,
        Content::Text {
            text: "Вот чек, исправленный".into()
        }
    );
    assert_eq!(thread[0].attachments.len(), 1);
}

#[tokio::test]
async fn the_ai_agent_answers_through_telegram_and_the_contact_sees_it_typing() {
    let setup = connected().await;
    let ai = common::fake_openai::FakeOpenAi::start("sk-tg").await;
    let (server, ws, maria) = (&setup.server, setup.ws, &setup.maria);
    for (path, body) in [
        (
            "ai",
            json!({ "base_url": ai.base_url, "model": "gpt-tg", "api_key": "sk-tg" }),
        ),
        (
            "ai/agent",
            json!({ "enabled": true, "instructions": "We sell bags." }),
        ),
    ] {
        let response = maria
            .put(&server.api(&format!("/workspaces/{ws}/{path}")), body)
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    setup.deliver(&text_update(1, 555, 10, "Привет")).await;
    let ivan = setup.ivan().await;
    let response = maria
        .post(
            &server.api(&format!(
                "/workspaces/{ws}/conversations/{}/assign",
                ivan.id
            )),
            json!({ "assignee": { "kind": "ai_agent" } }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    ai.set_pace(Duration::from_millis(300));
    ai.answer(&["Здравствуйте! ", "Сумки есть в наличии."]);
    setup
        .deliver(&text_update(2, 555, 11, "Есть зелёная сумка?"))
        .await;
    let delivered = setup
        .telegram
        .wait_delivered(1, Duration::from_secs(10))
        .await;
    assert_eq!(delivered[0]["chat_id"], 555);
    assert_eq!(delivered[0]["text"], "Здравствуйте! Сумки есть в наличии.");
    let action = &setup.telegram.calls("sendChatAction")[0].body;
    assert_eq!(action["chat_id"], 555);
    assert_eq!(action["action"], "typing");
    let reply = setup
        .messages(ivan.id)
        .await
        .into_iter()
        .find(|m| m.sender.kind == SenderKind::AiAgent)
        .expect("the AI Agent's reply is in the thread");
    assert_eq!(reply.channel, ChannelKind::Telegram);
}
