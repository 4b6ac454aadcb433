//! A contact on several channels (K2) end to end, against the Telegram and WhatsApp
//! stand-ins: a WhatsApp sender with the number an agent recorded on a Telegram contact joins
//! that contact's conversation, the conversation lists both channels, and answers go through
//! the channel the agent picks (or the one the contact last used), each reaching the
//! contact's id there. Channels the contact cannot be written to through are refused.

use crate::common;

use common::fake_telegram::{BOT_TOKEN, FakeTelegram, text_update};
use common::fake_whatsapp::{
    ACCESS_TOKEN, APP_SECRET, FakeWhatsapp, PHONE_NUMBER_ID, notification, signature,
};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use switchboard_protocol::api::ConversationDetail;
use switchboard_protocol::channels::ChannelInfo;
use switchboard_protocol::*;

struct Setup {
    server: Server,
    telegram: FakeTelegram,
    meta: FakeWhatsapp,
    ws: WorkspaceId,
    maria: Agent,
    telegram_hook: (String, String),
    whatsapp_hook: String,
    tg: ChannelId,
    wa: ChannelId,
}

/// The path of a webhook URL under `/api/v1`.
fn api_path(url: &str) -> String {
    url.split_once("/api/v1")
        .expect("under /api/v1")
        .1
        .to_owned()
}

async fn connected() -> Setup {
    let telegram = FakeTelegram::start().await;
    let meta = FakeWhatsapp::start().await;
    let (tg_api, wa_api) = (telegram.url.clone(), meta.url.clone());
    let server = Server::start_configured(move |config| {
        config.telegram_api_url = tg_api;
        config.whatsapp_api_url = wa_api;
        config.outbox_retry_base_ms = 200;
    })
    .await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let connect = |kind: &'static str, body: Value| {
        let (maria, url) = (
            &maria,
            server.api(&format!("/workspaces/{ws}/channels/{kind}")),
        );
        async move {
            let response = maria.post(&url, body).await;
            assert_eq!(response.status(), StatusCode::CREATED, "connecting {kind}");
            response.json::<ChannelInfo>().await.expect("a channel")
        }
    };
    let tg = connect("telegram", json!({ "bot_token": BOT_TOKEN })).await;
    let wa = connect(
        "whatsapp",
        json!({ "phone_number_id": PHONE_NUMBER_ID, "access_token": ACCESS_TOKEN,
                "app_secret": APP_SECRET, "verify_token": "k2-verify" }),
    )
    .await;
    let (url, secret) = telegram.webhook().expect("the webhook was registered");
    Setup {
        telegram_hook: (server.api(&api_path(&url)), secret),
        whatsapp_hook: server.api(&api_path(&wa.webhook_url.expect("the callback URL"))),
        server,
        telegram,
        meta,
        ws,
        maria,
        tg: tg.id,
        wa: wa.id,
    }
}

impl Setup {
    async fn telegram_update(&self, update: Value) {
        let (hook, secret) = &self.telegram_hook;
        let response = reqwest::Client::new()
            .post(hook)
            .header("X-Telegram-Bot-Api-Secret-Token", secret)
            .json(&update)
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), StatusCode::OK);
    }

    async fn whatsapp_text(&self, from: &str, id: &str, body: &str) {
        let now = chrono::Utc::now().timestamp().to_string();
        let message = json!([{ "from": from, "id": id, "timestamp": now, "type": "text",
                               "text": { "body": body } }]);
        let bytes = serde_json::to_vec(&notification(from, "Ivan P.", message)).expect("json");
        let response = reqwest::Client::new()
            .post(&self.whatsapp_hook)
            .header("content-type", "application/json")
            .header("X-Hub-Signature-256", signature(APP_SECRET, &bytes))
            .body(bytes)
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), StatusCode::OK);
    }

    async fn detail(&self, agent: &Agent, conversation: ConversationId) -> ConversationDetail {
        let url = self.server.api(&format!(
            "/workspaces/{}/conversations/{conversation}",
            self.ws
        ));
        json_body(agent.get(&url).await).await
    }

    async fn send(&self, conversation: ConversationId, body: Value) -> reqwest::Response {
        let url = self.server.api(&format!(
            "/workspaces/{}/conversations/{conversation}/messages",
            self.ws
        ));
        self.maria.post(&url, body).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_go_through_the_channel_the_agent_picks_among_the_contacts_channels() {
    let s = connected().await;
    // Ivan writes on Telegram; an agent records his number.
    s.telegram_update(text_update(1, 4242, 1, "Hi from Telegram"))
        .await;
    let ivan = s.server.conversation_of(s.ws, "Ivan").await;
    assert_eq!(ivan.channel_id, s.tg);
    let detail = s.detail(&s.maria, ivan.id).await;
    let ids: Vec<ChannelId> = detail.channels.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        vec![s.tg],
        "Telegram only, while his number is unknown"
    );
    let response = s
        .maria
        .patch(
            &s.server.api(&format!(
                "/workspaces/{}/contacts/{}",
                s.ws, ivan.contact.id
            )),
            json!({ "phone": "+44 7700 900123" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    // He writes from WhatsApp with that number: the same conversation, now on WhatsApp.
    s.whatsapp_text("447700900123", "wamid.k2-1", "And from WhatsApp")
        .await;
    let contacts = s.server.contact_count(s.ws).await;
    let ivan = s.server.conversation_of(s.ws, "Ivan").await;
    assert_eq!(ivan.channel, ChannelKind::Whatsapp);
    assert_eq!(ivan.channel_id, s.wa);
    let thread = s.server.thread(s.ws, ivan.id).await;
    let channels: Vec<ChannelKind> = thread.iter().map(|m| m.channel).collect();
    assert_eq!(
        channels,
        vec![ChannelKind::Whatsapp, ChannelKind::Telegram],
        "one thread, each message through its channel"
    );
    let detail = s.detail(&s.maria, ivan.id).await;
    let kinds: Vec<(ChannelId, ChannelKind)> =
        detail.channels.iter().map(|c| (c.id, c.kind)).collect();
    assert_eq!(
        kinds,
        vec![(s.tg, ChannelKind::Telegram), (s.wa, ChannelKind::Whatsapp)]
    );
    assert!(detail.channels[1].last_incoming_at.is_some());

    // The agent picks Telegram: it goes to his chat there, not to WhatsApp.
    let response = s
        .send(
            ivan.id,
            json!({ "client_id": "k2-tg", "kind": "message", "text": "Answer on Telegram",
                    "channel": s.tg }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent: Message = response.json().await.expect("a message");
    assert_eq!(sent.channel, ChannelKind::Telegram);
    let delivered = s.telegram.wait_delivered(1, Duration::from_secs(10)).await;
    assert_eq!(delivered[0]["chat_id"], json!(4242));
    assert_eq!(delivered[0]["text"], json!("Answer on Telegram"));
    // Without a pick, the next one follows the conversation, now on Telegram.
    let response = s
        .send(
            ivan.id,
            json!({ "client_id": "k2-next", "kind": "message", "text": "Still here" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    s.telegram.wait_delivered(2, Duration::from_secs(10)).await;
    // And WhatsApp on request (his window is open: he wrote there just now).
    let response = s
        .send(
            ivan.id,
            json!({ "client_id": "k2-wa", "kind": "message", "text": "Answer on WhatsApp",
                    "channel": s.wa }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent = s.meta.wait_sent(1, Duration::from_secs(10)).await;
    assert_eq!(sent[0]["to"], json!("447700900123"));
    assert_eq!(sent[0]["text"]["body"], json!("Answer on WhatsApp"));
    assert_eq!(
        s.telegram.delivered().len(),
        2,
        "nothing more went to Telegram"
    );
    assert_eq!(
        s.server.contact_count(s.ws).await,
        contacts,
        "no contact was added"
    );

    // A masked member sees the channels but never a number.
    let boris = s.server.login(BORIS).await;
    let masked = s.detail(&boris, ivan.id).await;
    assert_eq!(masked.channels.len(), 2);
    let text = serde_json::to_string(&masked).expect("json");
    assert!(!text.contains("7700"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_the_contact_cannot_be_reached_on_is_refused_and_nothing_is_sent() {
    let s = connected().await;
    s.telegram_update(text_update(1, 5151, 1, "Only Telegram"))
        .await;
    let ivan = s.server.conversation_of(s.ws, "Ivan").await;
    let other = s.server.other_workspace().await;
    let before = s.server.message_count(s.ws).await;
    // WhatsApp (he never wrote there, no number), a channel of another workspace, one that
    // does not exist, and a subject on Telegram.
    for (client_id, body, field) in [
        (
            "bad-1",
            json!({ "client_id": "bad-1", "kind": "message", "text": "x", "channel": s.wa }),
            "channel",
        ),
        (
            "bad-2",
            json!({ "client_id": "bad-2", "kind": "message", "text": "x",
                    "channel": other.channel.id }),
            "channel",
        ),
        (
            "bad-3",
            json!({ "client_id": "bad-3", "kind": "message", "text": "x", "channel": 999_999 }),
            "channel",
        ),
        (
            "bad-4",
            json!({ "client_id": "bad-4", "kind": "message", "text": "x", "channel": s.tg,
                    "subject": "Hello" }),
            "subject",
        ),
    ] {
        let (body, _) = expect_error(
            s.send(ivan.id, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(body.field.as_deref(), Some(field), "{client_id}");
    }
    assert_eq!(s.server.message_count(s.ws).await, before, "nothing stored");
    // A comment naming a channel is still just a comment.
    let response = s
        .send(
            ivan.id,
            json!({ "client_id": "note-1", "kind": "comment", "text": "Note", "channel": s.wa }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(s.telegram.delivered().is_empty());
    assert!(s.meta.sent().is_empty());
}
