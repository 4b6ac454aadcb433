//! The TikTok channel end to end against a stand-in Business Messaging API: connecting an
//! account (refusals leaving nothing half-connected, one workspace per account), signed
//! webhook events (forged, unsigned, stale and repeated ones storing nothing; echoes and
//! read receipts ignored; unsupported kinds kept as such; pictures kept as files, shared
//! posts as their link), answers sent into the conversation (pictures uploaded after the
//! text, other files refused), retried on rate limits and failed with TikTok's words, the
//! 48-hour window, and the typing indicator.

use crate::common;

use common::PNG;
use common::fake_tiktok::{
    ACCESS_TOKEN, APP_ID, APP_SECRET, Answer, BUSINESS_ID, DISPLAY_NAME, FakeTiktok, REFRESH_TOKEN,
    event, received, signature, text_event,
};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use switchboard_protocol::channels::{ChannelCheck, ChannelInfo};
use switchboard_protocol::*;

/// Kerry's conversation with the business: what answers are addressed to.
const KERRY: &str = "u5JhpselBAhoPOlnH0tZ9y07kg==";

struct Setup {
    server: Server,
    tiktok: FakeTiktok,
    ws: WorkspaceId,
    maria: Agent,
    channel: ChannelInfo,
    hook: String,
}

fn good_request() -> Value {
    json!({ "business_id": BUSINESS_ID, "access_token": ACCESS_TOKEN, "app_secret": APP_SECRET })
}

async fn connected() -> Setup {
    let tiktok = FakeTiktok::start().await;
    let api = tiktok.url.clone();
    let server = Server::start_configured(move |config| {
        config.tiktok_api_url = api;
        config.outbox_retry_base_ms = 200;
    })
    .await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let response = maria
        .post(
            &server.api(&format!("/workspaces/{ws}/channels/tiktok")),
            good_request(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let channel: ChannelInfo = response.json().await.expect("a channel");
    let url = channel
        .webhook_url
        .clone()
        .expect("managers see the webhook URL");
    let path = url
        .split_once("/api/v1")
        .expect("under /api/v1")
        .1
        .to_owned();
    assert!(path.starts_with("/hooks/tiktok/"), "{path}");
    Setup {
        hook: server.api(&path),
        server,
        tiktok,
        ws,
        maria,
        channel,
    }
}

impl Setup {
    /// Posts `body` to the webhook with `header` as `Tiktok-Signature`.
    async fn post_raw(&self, bytes: Vec<u8>, header: Option<String>) -> reqwest::Response {
        let mut request = reqwest::Client::new()
            .post(&self.hook)
            .header("content-type", "application/json")
            .header("webhook-schema-version", "1.0")
            .body(bytes);
        if let Some(header) = header {
            request = request.header("Tiktok-Signature", header);
        }
        request.send().await.expect("answered")
    }

    /// Posts `body` signed with `secret` (if any) `age` seconds ago.
    async fn post(&self, body: &Value, secret: Option<&str>, age: i64) -> reqwest::Response {
        let bytes = serde_json::to_vec(body).expect("json");
        let t = chrono::Utc::now().timestamp() - age;
        let header = secret.map(|secret| signature(secret, t, &bytes));
        self.post_raw(bytes, header).await
    }

    /// Delivers `body` as TikTok would: signed now; expects 200.
    async fn deliver(&self, body: &Value) {
        let response = self.post(body, Some(APP_SECRET), 0).await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    async fn kerry(&self) -> ConversationSummary {
        self.server.conversation_of(self.ws, "kerry.fisher").await
    }

    async fn thread(&self) -> Vec<Message> {
        let kerry = self.kerry().await;
        self.server.thread(self.ws, kerry.id).await
    }

    async fn wait_status(&self, id: MessageId, want: DeliveryStatus) -> Message {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let message = self
                .thread()
                .await
                .into_iter()
                .find(|m| m.id == id)
                .expect("stored");
            if message.delivery_status == Some(want) {
                return message;
            }
            assert!(
                Instant::now() < deadline,
                "still {:?} ({:?})",
                message.delivery_status,
                message.delivery_error
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn channels(&self, agent: &Agent, ws: WorkspaceId) -> Vec<ChannelInfo> {
        agent
            .get(&self.server.api(&format!("/workspaces/{ws}/channels")))
            .await
            .json()
            .await
            .expect("channels")
    }
}

#[tokio::test]
async fn connecting_checks_the_account_with_tiktok_and_refusals_keep_nothing() {
    let setup = connected().await;
    let Setup {
        server,
        ws,
        maria,
        tiktok,
        channel,
        ..
    } = &setup;
    assert_eq!(channel.kind, ChannelKind::Tiktok);
    assert_eq!(channel.name, DISPLAY_NAME, "the account's display name");
    assert_eq!(channel.capabilities, ChannelKind::Tiktok.capabilities());
    // The check: `business/get/` for this business id, with the token in `Access-Token`.
    let checks = tiktok.calls("business/get/");
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].query["business_id"], BUSINESS_ID);
    let fields: Vec<String> = serde_json::from_str(&checks[0].query["fields"]).expect("a list");
    assert_eq!(fields, ["username", "display_name"]);
    assert_eq!(checks[0].token.as_deref(), Some(ACCESS_TOKEN));

    // Agents list the channel without its webhook URL; nothing secret is ever listed.
    let anna = server.login(ANNA).await;
    let listed = anna
        .get(&server.api(&format!("/workspaces/{ws}/channels")))
        .await
        .text()
        .await
        .expect("text");
    assert!(listed.contains(DISPLAY_NAME) && !listed.contains("webhook_url"));
    for secret in [ACCESS_TOKEN, APP_SECRET] {
        assert!(!listed.contains(secret));
    }

    // Refusals: an agent; a token TikTok refuses; missing and blank fields; unknown fields.
    let url = server.api(&format!("/workspaces/{ws}/channels/tiktok"));
    assert_eq!(
        anna.post(&url, good_request()).await.status(),
        StatusCode::FORBIDDEN
    );
    let mut revoked = good_request();
    revoked["access_token"] = json!("act.revoked-token");
    let (error, _) = expect_error(
        maria.post(&url, revoked).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("access_token"));
    assert!(
        error
            .message
            .contains("Access token is incorrect or has been revoked."),
        "TikTok's words: {}",
        error.message
    );
    assert!(!error.message.contains("act."), "{}", error.message);
    let mut blank = good_request();
    blank["app_secret"] = json!("  ");
    let (error, _) = expect_error(
        maria.post(&url, blank).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(error.field.as_deref(), Some("app_secret"));
    let mut extra = good_request();
    extra["verify_token"] = json!("x");
    assert_eq!(
        maria.post(&url, extra).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        tiktok.calls("business/get/").len(),
        2,
        "only the refused token reached TikTok"
    );
    let tiktoks = setup
        .channels(maria, *ws)
        .await
        .into_iter()
        .filter(|c| c.kind == ChannelKind::Tiktok)
        .count();
    assert_eq!(tiktoks, 1, "nothing half-connected");

    // Disconnected: TikTok's calls to the old webhook are refused.
    let response = maria
        .call(
            reqwest::Method::DELETE,
            &server.api(&format!("/workspaces/{ws}/channels/{}", channel.id)),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = setup
        .post(
            &text_event(KERRY, "m-1", "kerry.fisher", "hi"),
            Some(APP_SECRET),
            0,
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // Disconnected, the account may be connected again.
    let response = maria.post(&url, good_request()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_connected_account_is_checked_with_tiktok() {
    let setup = connected().await;
    let url = setup.server.api(&format!(
        "/workspaces/{}/channels/{}/check",
        setup.ws, setup.channel.id
    ));
    let check: ChannelCheck = json_body(setup.maria.post(&url, json!({})).await).await;
    assert_eq!(
        check,
        ChannelCheck {
            ok: true,
            message: format!("TikTok knows {DISPLAY_NAME}.")
        }
    );
    // A revoked token: TikTok's refusal, and no token in the answer.
    setup
        .server
        .store()
        .set_channel_credentials(
            setup.ws,
            setup.channel.id,
            &json!({ "business_id": BUSINESS_ID, "access_token": "act.revoked-token",
                     "app_secret": APP_SECRET })
            .to_string(),
        )
        .await
        .expect("credentials");
    let response = setup.maria.post(&url, json!({})).await;
    let text = response.text().await.expect("a body");
    let check: ChannelCheck = serde_json::from_str(&text).expect("a check");
    assert!(!check.ok);
    assert!(check.message.starts_with("Refused: "), "{}", check.message);
    assert!(!text.contains("act.revoked-token"), "{text}");
}

#[tokio::test]
async fn an_unreachable_tiktok_is_a_502_and_connects_nothing() {
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let dead = format!(
        "http://{}/open_api/v1.3",
        listener.local_addr().expect("an address")
    );
    drop(listener);
    let server = Server::start_configured(move |config| config.tiktok_api_url = dead).await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let before = server.store().channels(ws).await.expect("channels").len();
    let (error, _) = expect_error(
        maria
            .post(
                &server.api(&format!("/workspaces/{ws}/channels/tiktok")),
                good_request(),
            )
            .await,
        StatusCode::BAD_GATEWAY,
        ErrorCode::Unavailable,
    )
    .await;
    assert!(error.message.contains("TikTok"), "{}", error.message);
    assert!(!error.message.contains(ACCESS_TOKEN), "{}", error.message);
    assert_eq!(
        server.store().channels(ws).await.expect("channels").len(),
        before
    );
}

#[tokio::test]
async fn an_account_connected_in_one_workspace_cannot_be_taken_by_another() {
    let s = connected().await;
    let aurora = s.server.workspace_named("Aurora Books").await;
    let li = s.server.login(LI).await;
    let theirs = s.server.store().channels(aurora).await.expect("channels");
    let (taken, _) = expect_error(
        li.post(
            &s.server
                .api(&format!("/workspaces/{aurora}/channels/tiktok")),
            json!({ "name": "Ours now", "business_id": BUSINESS_ID,
                    "access_token": ACCESS_TOKEN, "app_secret": APP_SECRET }),
        )
        .await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;
    assert!(taken.message.contains("already connected"), "{taken:?}");
    assert_eq!(
        s.server.store().channels(aurora).await.expect("channels"),
        theirs,
        "nothing half-connected"
    );
    // The first workspace still gets the account's messages.
    s.deliver(&text_event(KERRY, "m-1", "kerry.fisher", "Still yours?"))
        .await;
    assert_eq!(s.kerry().await.channel, ChannelKind::Tiktok);
}

#[tokio::test]
async fn signed_events_arrive_once_and_only_contacts_messages_are_kept() {
    let setup = connected().await;
    let ws = setup.ws;
    let before = setup.server.last_seq(ws).await;
    let hello = text_event(
        KERRY,
        "u5Buqc6lAghuOelnHUZV88DK2A==",
        "kerry.fisher",
        "hello",
    );

    // Unsigned, signed with another secret, signed too long ago, signed over other bytes,
    // a header of another shape: nothing stored.
    for (secret, age) in [
        (None, 0),
        (Some("not-the-secret"), 0),
        (Some(APP_SECRET), 301),
    ] {
        let response = setup.post(&hello, secret, age).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{secret:?} {age}"
        );
    }
    let bytes = serde_json::to_vec(&hello).expect("json");
    let now = chrono::Utc::now().timestamp();
    let other = text_event(KERRY, "forged", "kerry.fisher", "Send me the codes");
    let tampered = setup
        .post_raw(
            serde_json::to_vec(&other).expect("json"),
            Some(signature(APP_SECRET, now, &bytes)),
        )
        .await;
    assert_eq!(tampered.status(), StatusCode::UNAUTHORIZED);
    let whatsapp_style = format!(
        "sha256={}",
        signature(APP_SECRET, now, &bytes)
            .rsplit("s=")
            .next()
            .unwrap_or_default()
    );
    let response = setup.post_raw(bytes.clone(), Some(whatsapp_style)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = reqwest::Client::new()
        .post(setup.server.api("/hooks/tiktok/no-such-key"))
        .header("Tiktok-Signature", signature(APP_SECRET, now, &bytes))
        .body(bytes.clone())
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(setup.server.last_seq(ws).await, before, "nothing stored");

    // Signed, but not an event: 422, nothing stored.
    let mut malformed = hello.clone();
    malformed["content"] = json!({ "conversation_id": KERRY });
    assert_eq!(
        setup.post(&malformed, Some(APP_SECRET), 0).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // The real one, twice (TikTok delivers at least once): stored once, from Kerry's
    // TikTok conversation, named by her username.
    setup.deliver(&hello).await;
    let after_first = setup.server.last_seq(ws).await;
    assert!(after_first > before);
    setup.deliver(&hello).await;
    assert_eq!(
        setup.server.last_seq(ws).await,
        after_first,
        "a repeat stores nothing"
    );
    let kerry = setup.kerry().await;
    assert_eq!(kerry.channel, ChannelKind::Tiktok);
    let thread = setup.thread().await;
    assert_eq!(thread.len(), 1);
    assert_eq!(
        thread[0].content,
        Content::Text {
            text: "hello".into()
        }
    );
    assert_eq!(thread[0].direction, Direction::Incoming);

    // The business's own message echoed back, a read receipt, a message to another business
    // account of the same app: acknowledged, nothing stored.
    let mut echo = received(
        KERRY,
        "u5Buqc6lAghuECHO==",
        "northwind.coffee",
        chrono::Utc::now().timestamp_millis(),
        "text",
        json!({ "body": "Thanks for writing!" }),
    );
    echo["from_user"] = json!({ "id": BUSINESS_ID, "role": "business_account" });
    echo["to_user"] = json!({ "id": "+ZMM6I2kBFMY", "role": "personal_account" });
    setup.deliver(&event("im_send_msg", &echo)).await;
    let read = json!({ "conversation_id": KERRY, "read": { "last_read_timestamp": 1700000000000_i64 },
                       "from_user": { "id": "+ZMM6I2kBFMY" } });
    setup.deliver(&event("im_mark_read_msg", &read)).await;
    let mut elsewhere = received(
        "other-conv==",
        "u5Buqc6lAghuELSE==",
        "someone",
        chrono::Utc::now().timestamp_millis(),
        "text",
        json!({ "body": "Not yours" }),
    );
    elsewhere["to_user"]["id"] = json!("-000another-business");
    setup.deliver(&event("im_receive_msg", &elsewhere)).await;
    assert_eq!(
        setup.server.last_seq(ws).await,
        after_first,
        "nothing stored"
    );

    // A picture TikTok no longer has, and a kind Switchboard does not know: kept, saying
    // what they are.
    let now = chrono::Utc::now().timestamp_millis();
    let picture = received(
        KERRY,
        "m-img",
        "kerry.fisher",
        now,
        "image",
        json!({ "media_id": "v0c025g40000" }),
    );
    setup.deliver(&event("im_receive_msg", &picture)).await;
    let odd = received(
        KERRY,
        "m-odd",
        "kerry.fisher",
        now + 1,
        "hologram",
        json!({ "depth": 3 }),
    );
    setup.deliver(&event("im_receive_msg", &odd)).await;
    let thread = setup.thread().await; // newest first
    assert_eq!(thread.len(), 3);
    assert_eq!(
        thread[1].content,
        Content::Unsupported {
            description: Some("Photo".into())
        }
    );
    assert_eq!(
        thread[0].content,
        Content::Unsupported { description: None }
    );
    assert_eq!(thread[0].content.preview_text(), "Unsupported message");
}

#[tokio::test]
async fn answers_go_into_the_conversation_retried_on_rate_limits_and_failed_with_tiktoks_words() {
    let setup = connected().await;
    setup
        .deliver(&text_event(
            KERRY,
            "m-1",
            "kerry.fisher",
            "Is my order shipped?",
        ))
        .await;
    let kerry = setup.kerry().await;
    let answer = setup
        .maria
        .reply(
            &setup.server,
            setup.ws,
            kerry.id,
            "t-1",
            "message",
            "Shipped today",
        )
        .await;
    let sent = setup.tiktok.wait_sent(1, Duration::from_secs(5)).await;
    assert_eq!(
        sent[0],
        json!({
            "business_id": BUSINESS_ID,
            "recipient_type": "CONVERSATION",
            "recipient": KERRY,
            "message_type": "TEXT",
            "text": { "body": "Shipped today" },
        })
    );
    assert_eq!(
        setup.tiktok.attempts()[0].token.as_deref(),
        Some(ACCESS_TOKEN)
    );
    setup.wait_status(answer.id, DeliveryStatus::Sent).await;

    // Rate limited (both of TikTok's ways of saying it), then a server fault: retried, sent
    // once.
    setup.tiktok.script([
        Answer::Refused {
            code: 40064,
            message: "You are sending messages too fast. Take a rest.".into(),
        },
        Answer::Refused {
            code: 40100,
            message: "Requests made too frequently.".into(),
        },
        Answer::Status(500),
    ]);
    let second = setup
        .maria
        .reply(
            &setup.server,
            setup.ws,
            kerry.id,
            "t-2",
            "message",
            "One more thing",
        )
        .await;
    setup.wait_status(second.id, DeliveryStatus::Sent).await;
    assert_eq!(setup.tiktok.sent().len(), 2);
    assert_eq!(setup.tiktok.attempts().len(), 5);

    // Refused: failed with TikTok's message, sent once only.
    setup.tiktok.script([Answer::Refused {
        code: 40001,
        message: "The user has restricted messages from this account.".into(),
    }]);
    let third = setup
        .maria
        .reply(
            &setup.server,
            setup.ws,
            kerry.id,
            "t-3",
            "message",
            "Hello?",
        )
        .await;
    let failed = setup.wait_status(third.id, DeliveryStatus::Failed).await;
    assert_eq!(
        failed.delivery_error.as_deref(),
        Some("The user has restricted messages from this account.")
    );
    // An expired token is not retried either.
    setup.tiktok.script([Answer::Refused {
        code: 40102,
        message: "Access token has expired.".into(),
    }]);
    let fourth = setup
        .maria
        .reply(
            &setup.server,
            setup.ws,
            kerry.id,
            "t-4",
            "message",
            "Anyone?",
        )
        .await;
    let failed = setup.wait_status(fourth.id, DeliveryStatus::Failed).await;
    assert_eq!(
        failed.delivery_error.as_deref(),
        Some("Access token has expired.")
    );
    assert_eq!(setup.tiktok.attempts().len(), 7, "refusals are not retried");

    assert_eq!(setup.tiktok.sent().len(), 2);
}

#[tokio::test]
async fn free_text_waits_for_the_48_hour_window() {
    let setup = connected().await;
    // Kerry wrote 49 hours ago: the window is closed.
    let then = (chrono::Utc::now() - chrono::Duration::hours(49)).timestamp_millis();
    let old = received(
        KERRY,
        "m-old",
        "kerry.fisher",
        then,
        "text",
        json!({ "body": "Hi" }),
    );
    setup.deliver(&event("im_receive_msg", &old)).await;
    let kerry = setup.kerry().await;
    let before = setup.server.last_seq(setup.ws).await;
    let (error, _) = expect_error(
        setup
            .maria
            .send(
                &setup.server,
                setup.ws,
                kerry.id,
                "late-1",
                "message",
                "Still there?",
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert!(error.message.contains("48 hours"), "{}", error.message);
    assert!(error.message.contains("TikTok"), "{}", error.message);
    assert_eq!(
        setup.server.last_seq(setup.ws).await,
        before,
        "nothing stored"
    );
    // Comments are internal and always fine.
    setup
        .maria
        .reply(
            &setup.server,
            setup.ws,
            kerry.id,
            "note-1",
            "comment",
            "Wait for her",
        )
        .await;
    // Within 48 hours (47 hours ago) the window is open.
    let recent = (chrono::Utc::now() - chrono::Duration::hours(47)).timestamp_millis();
    let again = received(
        KERRY,
        "m-new",
        "kerry.fisher",
        recent,
        "text",
        json!({ "body": "Hello again" }),
    );
    setup.deliver(&event("im_receive_msg", &again)).await;
    setup
        .maria
        .reply(
            &setup.server,
            setup.ws,
            kerry.id,
            "late-2",
            "message",
            "Welcome back",
        )
        .await;
    let sent = setup.tiktok.wait_sent(1, Duration::from_secs(5)).await;
    assert_eq!(sent[0]["text"]["body"], "Welcome back");
    assert_eq!(sent.len(), 1, "the refused text never went out");
}

#[tokio::test]
async fn the_contact_sees_an_agent_typing() {
    let setup = connected().await;
    setup
        .deliver(&text_event(KERRY, "m-1", "kerry.fisher", "Hi"))
        .await;
    let kerry = setup.kerry().await;
    let mut socket = setup.maria.socket(&setup.server, setup.ws, None).await;
    assert_eq!(next_json(&mut socket).await["type"], "hello");
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message as WsMessage;
    let frame = json!({ "type": "typing", "conversation_id": kerry.id, "kind": "message" });
    socket
        .send(WsMessage::Text(frame.to_string().into()))
        .await
        .expect("sent");
    let deadline = Instant::now() + Duration::from_secs(5);
    while setup.tiktok.actions().is_empty() {
        assert!(
            Instant::now() < deadline,
            "no typing indicator reached TikTok"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        setup.tiktok.actions()[0],
        json!({
            "business_id": BUSINESS_ID,
            "recipient_type": "CONVERSATION",
            "recipient": KERRY,
            "message_type": "SENDER_ACTION",
            "sender_action": "TYPING",
        })
    );
    assert!(setup.tiktok.sent().is_empty(), "typing sends no message");
    close(socket).await;
}

#[tokio::test]
async fn pictures_arrive_as_files_and_go_out_after_the_text() {
    let setup = connected().await;
    let now = chrono::Utc::now().timestamp_millis();
    // Kerry sends a picture, then shares a post.
    setup
        .tiktok
        .add_media(KERRY, "m-pic", "v0c025g40000pic", PNG);
    let picture = received(
        KERRY,
        "m-pic",
        "kerry.fisher",
        now,
        "image",
        json!({ "media_id": "v0c025g40000pic" }),
    );
    setup.deliver(&event("im_receive_msg", &picture)).await;
    let post = received(
        KERRY,
        "m-post",
        "kerry.fisher",
        now + 1,
        "share_post",
        json!({ "embed_url": "https://www.tiktok.com/@northwind.coffee/video/7350000000000000000" }),
    );
    setup.deliver(&event("im_receive_msg", &post)).await;
    let thread = setup.thread().await; // newest first
    assert_eq!(
        thread[0].content,
        Content::Text {
            text: "Shared a TikTok post: https://www.tiktok.com/@northwind.coffee/video/7350000000000000000".into()
        }
    );
    let files = &thread[1].attachments;
    assert_eq!(files.len(), 1, "{:?}", thread[1]);
    assert_eq!(files[0].content_type, "image/png");
    let bytes = setup
        .maria
        .get(&setup.server.api(files[0].url.trim_start_matches("/api/v1")))
        .await
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(bytes.as_ref(), PNG);
    let asked = setup.tiktok.calls("business/message/media/download/");
    assert_eq!(asked.len(), 1);
    assert_eq!(
        asked[0].body,
        json!({ "business_id": BUSINESS_ID, "conversation_id": KERRY, "message_id": "m-pic",
                "media_id": "v0c025g40000pic", "media_type": "IMAGE" })
    );
    assert_eq!(
        setup.tiktok.download_tokens(),
        [Some(ACCESS_TOKEN.to_owned())],
        "the stand-in's own host may read with the token"
    );
    // The same event again: nothing fetched or stored twice.
    setup.deliver(&event("im_receive_msg", &picture)).await;
    assert_eq!(setup.thread().await.len(), 2);

    // An answer with two pictures: the text, then each picture uploaded and sent.
    let kerry = setup.kerry().await;
    let first = setup
        .maria
        .upload_file(&setup.server, setup.ws, "menu.png", PNG)
        .await;
    let second = setup
        .maria
        .upload_file(&setup.server, setup.ws, "map.png", PNG)
        .await;
    let url = setup.server.api(&format!(
        "/workspaces/{}/conversations/{}/messages",
        setup.ws, kerry.id
    ));
    let response = setup
        .maria
        .post(
            &url,
            json!({ "client_id": "pic-1", "kind": "message", "text": "Our menu and where we are",
                    "attachments": [first.id, second.id] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let answer: Message = response.json().await.expect("a message");
    let sent = setup.tiktok.wait_sent(3, Duration::from_secs(5)).await;
    assert_eq!(sent[0]["message_type"], "TEXT");
    assert_eq!(sent[0]["text"]["body"], "Our menu and where we are");
    let uploads = setup.tiktok.uploads();
    assert_eq!(uploads.len(), 2);
    let mut names = Vec::new();
    for part in &sent[1..] {
        assert_eq!(part["message_type"], "IMAGE");
        assert_eq!(part["recipient"], KERRY);
        let media = part["image"]["media_id"].as_str().expect("a media id");
        let (name, content_type, bytes) = &uploads[media];
        assert_eq!(
            (content_type.as_str(), bytes.as_slice()),
            ("image/png", PNG)
        );
        names.push(name.clone());
    }
    assert_eq!(names, ["menu.png", "map.png"], "in the order attached");
    setup.wait_status(answer.id, DeliveryStatus::Sent).await;

    // A PDF: TikTok takes pictures only, so nothing goes out and the agent is told.
    let pdf = setup
        .maria
        .upload_file(&setup.server, setup.ws, "invoice.pdf", b"%PDF-1.4\n%fake\n")
        .await;
    let response = setup
        .maria
        .post(
            &url,
            json!({ "client_id": "pdf-1", "kind": "message", "text": "Your invoice",
                    "attachments": [pdf.id] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let refused: Message = response.json().await.expect("a message");
    let failed = setup.wait_status(refused.id, DeliveryStatus::Failed).await;
    assert!(
        failed
            .delivery_error
            .as_deref()
            .is_some_and(|e| e.contains("JPEG and PNG pictures only")),
        "{failed:?}"
    );
    assert_eq!(setup.tiktok.sent().len(), 3, "nothing more was sent");
}

#[tokio::test]
async fn an_expired_token_is_renewed_with_the_refresh_token_and_kept() {
    let tiktok = FakeTiktok::start().await;
    let api = tiktok.url.clone();
    let server = Server::start_configured(move |config| {
        config.tiktok_api_url = api;
        config.outbox_retry_base_ms = 200;
    })
    .await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let url = server.api(&format!("/workspaces/{ws}/channels/tiktok"));
    // Renewing takes both the app's id and a refresh token.
    let mut half = good_request();
    half["app_id"] = json!(APP_ID);
    let (body, _) = expect_error(
        maria.post(&url, half).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    )
    .await;
    assert_eq!(body.field.as_deref(), Some("refresh_token"));
    let mut request = good_request();
    request["app_id"] = json!(APP_ID);
    request["refresh_token"] = json!(REFRESH_TOKEN);
    let response = maria.post(&url, request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let channel: ChannelInfo = response.json().await.expect("a channel");
    let hook = server.api(
        channel
            .webhook_url
            .as_deref()
            .and_then(|u| u.split_once("/api/v1"))
            .expect("a webhook URL")
            .1,
    );
    let setup = Setup {
        server,
        tiktok,
        ws,
        maria,
        channel,
        hook,
    };
    setup
        .deliver(&text_event(KERRY, "r-1", "kerry.fisher", "Hello"))
        .await;
    let kerry = setup.kerry().await;

    // The day's token runs out: the answer still goes, with a renewed token.
    setup.tiktok.expire_token();
    let answer = setup
        .maria
        .reply(
            &setup.server,
            setup.ws,
            kerry.id,
            "r-a1",
            "message",
            "Hi Kerry",
        )
        .await;
    setup.wait_status(answer.id, DeliveryStatus::Sent).await;
    let renewals = setup.tiktok.calls("tt_user/oauth2/refresh_token/");
    assert_eq!(renewals.len(), 1);
    assert_eq!(
        renewals[0].body,
        json!({ "client_id": APP_ID, "client_secret": APP_SECRET,
                "grant_type": "refresh_token", "refresh_token": REFRESH_TOKEN })
    );
    let renewed = setup.tiktok.token().expect("a renewed token");
    assert_ne!(renewed, ACCESS_TOKEN);
    let sends = setup.tiktok.attempts();
    assert_eq!(
        sends.last().and_then(|c| c.token.as_deref()),
        Some(renewed.as_str())
    );
    assert_eq!(setup.tiktok.sent().len(), 1, "sent once");

    // The new tokens are kept: the next answer uses them without renewing again, and the
    // refresh token used up is replaced.
    let stored: Value = serde_json::from_str(
        &setup
            .server
            .store()
            .channel_credentials(setup.channel.id)
            .await
            .expect("the store answers")
            .expect("credentials"),
    )
    .expect("JSON");
    assert_eq!(stored["access_token"], renewed.as_str());
    assert_ne!(stored["refresh_token"], REFRESH_TOKEN);
    let second = setup
        .maria
        .reply(
            &setup.server,
            setup.ws,
            kerry.id,
            "r-a2",
            "message",
            "Anything else?",
        )
        .await;
    setup.wait_status(second.id, DeliveryStatus::Sent).await;
    assert_eq!(setup.tiktok.calls("tt_user/oauth2/refresh_token/").len(), 1);
    // The check and the typing indicator renew too; a check now answers with the account.
    setup.tiktok.expire_token();
    let check: ChannelCheck = setup
        .maria
        .post(
            &setup.server.api(&format!(
                "/workspaces/{}/channels/{}/check",
                setup.ws, setup.channel.id
            )),
            json!({}),
        )
        .await
        .json()
        .await
        .expect("a check");
    assert!(check.ok, "{check:?}");
    assert_eq!(setup.tiktok.calls("tt_user/oauth2/refresh_token/").len(), 2);
}
