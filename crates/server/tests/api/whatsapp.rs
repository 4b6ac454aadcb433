//! The WhatsApp channel end to end against a stand-in Graph API: connecting a number, Meta's
//! verification handshake, signed notifications of every message kind (forged and repeated
//! ones storing nothing), statuses in any order, the 24-hour window, and answers sent with
//! their quotes, retried on rate limits and failed with Meta's reason.

use crate::common;

use common::fake_whatsapp::{
    ACCESS_TOKEN, APP_SECRET, Answer, BUSINESS_ACCOUNT_ID, FakeWhatsapp, PHONE_NUMBER_ID,
    notification, signature, status,
};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use switchboard_protocol::channels::{ChannelCheck, ChannelInfo};
use switchboard_protocol::templates::MessageTemplate;
use switchboard_protocol::*;

const VERIFY: &str = "northwind-verify-42";

struct Setup {
    server: Server,
    meta: FakeWhatsapp,
    ws: WorkspaceId,
    maria: Agent,
    hook: String,
    channel: ChannelId,
}

async fn connected() -> Setup {
    let meta = FakeWhatsapp::start().await;
    let api = meta.url.clone();
    let server = Server::start_configured(move |config| {
        config.whatsapp_api_url = api;
        config.outbox_retry_base_ms = 200;
    })
    .await;
    let ws = server.workspace().await;
    let maria = server.login(MARIA).await;
    let response = maria
        .post(
            &server.api(&format!("/workspaces/{ws}/channels/whatsapp")),
            json!({ "phone_number_id": PHONE_NUMBER_ID, "access_token": ACCESS_TOKEN,
                    "app_secret": APP_SECRET, "verify_token": VERIFY,
                    "business_account_id": BUSINESS_ACCOUNT_ID }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let channel: ChannelInfo = response.json().await.expect("a channel");
    assert_eq!(
        channel.name, "Northwind Coffee",
        "the number's verified name"
    );
    let url = channel.webhook_url.expect("managers see the callback URL");
    let path = url
        .split_once("/api/v1")
        .expect("under /api/v1")
        .1
        .to_owned();
    Setup {
        hook: server.api(&path),
        server,
        meta,
        ws,
        maria,
        channel: channel.id,
    }
}

impl Setup {
    async fn post(&self, body: &Value, signature_of: Option<&str>) -> reqwest::Response {
        let bytes = serde_json::to_vec(body).expect("json");
        let mut request = reqwest::Client::new()
            .post(&self.hook)
            .header("content-type", "application/json")
            .body(bytes.clone());
        if let Some(secret) = signature_of {
            request = request.header("X-Hub-Signature-256", signature(secret, &bytes));
        }
        request.send().await.expect("answered")
    }

    async fn notify(&self, body: &Value) {
        let response = self.post(body, Some(APP_SECRET)).await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    async fn kerry(&self) -> ConversationSummary {
        self.server.conversation_of(self.ws, "Kerry").await
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
                "still {:?}",
                message.delivery_status
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A text message Kerry sent just now.
fn text(id: &str, body: &str) -> Value {
    let now = chrono::Utc::now().timestamp().to_string();
    json!({ "from": "16505551234", "id": id, "timestamp": now, "type": "text",
            "text": { "body": body } })
}

#[tokio::test]
async fn connecting_checks_the_number_and_meta_verifies_the_webhook() {
    let setup = connected().await;
    let Setup {
        server, ws, maria, ..
    } = &setup;
    // Meta's handshake: the challenge back only with the right verify token.
    let handshake = |token: &str| {
        format!(
            "{}?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444",
            setup.hook
        )
    };
    let answer = reqwest::get(handshake(VERIFY)).await.expect("answered");
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.text().await.expect("text"), "1158201444");
    let answer = reqwest::get(handshake("guess")).await.expect("answered");
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let answer = reqwest::get(server.api("/hooks/whatsapp/nope?hub.mode=subscribe"))
        .await
        .expect("answered");
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);

    // Agents list the channel without its callback URL; nothing secret is ever listed.
    let anna = server.login(ANNA).await;
    let listed = anna
        .get(&server.api(&format!("/workspaces/{ws}/channels")))
        .await
        .text()
        .await
        .expect("text");
    assert!(listed.contains("Northwind Coffee") && !listed.contains("webhook_url"));
    for secret in [ACCESS_TOKEN, APP_SECRET, VERIFY] {
        assert!(!listed.contains(secret));
    }
    // Refusals: an agent; a missing field; a token Meta refuses; a number id of letters.
    let url = server.api(&format!("/workspaces/{ws}/channels/whatsapp"));
    let good = json!({ "phone_number_id": PHONE_NUMBER_ID, "access_token": ACCESS_TOKEN,
                       "app_secret": APP_SECRET, "verify_token": VERIFY });
    assert_eq!(
        anna.post(&url, good.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    let mut wrong_token = good.clone();
    wrong_token["access_token"] = json!("EAAJB-revoked");
    let mut letters = good.clone();
    letters["phone_number_id"] = json!("abc");
    let mut blank = good.clone();
    blank["app_secret"] = json!("  ");
    let mut foreign_account = good.clone();
    foreign_account["business_account_id"] = json!("999000999");
    let mut account_letters = good.clone();
    account_letters["business_account_id"] = json!("waba");
    for (body, field) in [
        (wrong_token, "access_token"),
        (letters, "phone_number_id"),
        (blank, "app_secret"),
        (foreign_account, "business_account_id"),
        (account_letters, "business_account_id"),
    ] {
        let (error, _) = expect_error(
            maria.post(&url, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some(field));
        assert!(!error.message.contains("EAAJB"), "{}", error.message);
    }
    let channels: Vec<ChannelInfo> = maria
        .get(&server.api(&format!("/workspaces/{ws}/channels")))
        .await
        .json()
        .await
        .expect("channels");
    assert_eq!(
        channels
            .iter()
            .filter(|c| c.kind == ChannelKind::Whatsapp)
            .count(),
        1
    );
}

#[tokio::test]
async fn signed_notifications_arrive_once_in_every_kind() {
    let setup = connected().await;
    let ws = setup.ws;
    let before = setup.server.last_seq(ws).await;
    let hello = notification(
        "16505551234",
        "Kerry Fisher",
        json!([text("wamid.IN1", "Hello! Is my order shipped?")]),
    );
    // Unsigned, signed with another secret, signed over other bytes: nothing stored.
    assert_eq!(
        setup.post(&hello, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        setup.post(&hello, Some("not-the-secret")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let tampered = reqwest::Client::new()
        .post(&setup.hook)
        .header("content-type", "application/json")
        .header(
            "X-Hub-Signature-256",
            signature(APP_SECRET, &serde_json::to_vec(&hello).expect("json")),
        )
        .body(serde_json::to_vec(&notification("1", "Eve", json!([]))).expect("json"))
        .send()
        .await
        .expect("answered");
    assert_eq!(tampered.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(setup.server.last_seq(ws).await, before, "nothing stored");
    let malformed = json!({ "object": "whatsapp_business_account", "entry": "x" });
    assert_eq!(
        setup.post(&malformed, Some(APP_SECRET)).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Another number of the same Meta app (same callback, same secret): not this channel's.
    let mut elsewhere = hello.clone();
    elsewhere["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = json!("999");
    setup.notify(&elsewhere).await;
    assert_eq!(setup.server.last_seq(ws).await, before, "nothing stored");

    // The real one, twice: stored once; Kerry's contact has her name and number.
    setup.notify(&hello).await;
    setup.notify(&hello).await;
    let kerry = setup.kerry().await;
    assert_eq!(kerry.channel, ChannelKind::Whatsapp);
    assert_eq!(kerry.contact.last_name, "Fisher");
    assert_eq!(kerry.contact.phone.as_deref(), Some("+16505551234"));
    assert_eq!(setup.thread().await.len(), 1);

    // Every other kind in one notification, one replying to the first message.
    let mut reply = text("wamid.IN2", "Order 4521");
    reply["context"] = json!({ "from": "16505551234", "id": "wamid.IN1" });
    let kinds = json!([
        reply,
        { "from": "16505551234", "id": "wamid.IN3", "timestamp": "1750263701", "type": "image",
          "image": { "caption": "The receipt", "mime_type": "image/jpeg", "sha256": "abc", "id": "1" } },
        { "from": "16505551234", "id": "wamid.IN4", "timestamp": "1750263702", "type": "location",
          "location": { "latitude": 52.52, "longitude": 13.405, "name": "Café", "address": "Berlin" } },
        { "from": "16505551234", "id": "wamid.IN5", "timestamp": "1750263703", "type": "contacts",
          "contacts": [{ "name": { "formatted_name": "Tom Fisher", "first_name": "Tom" },
                         "phones": [{ "phone": "+1 650 555 0000", "type": "CELL" }] }] },
        { "from": "16505551234", "id": "wamid.IN6", "timestamp": "1750263704", "type": "interactive",
          "interactive": { "type": "button_reply", "button_reply": { "id": "yes", "title": "Yes, please" } } },
        { "from": "16505551234", "id": "wamid.IN7", "timestamp": "1750263705", "type": "reaction",
          "reaction": { "message_id": "wamid.IN1", "emoji": "👍" } },
        { "from": "16505551234", "id": "wamid.IN8", "timestamp": "1750263706", "type": "unsupported",
          "errors": [{ "code": 131051, "title": "Message type unknown" }] }
    ]);
    setup
        .notify(&notification("16505551234", "Kerry Fisher", kinds))
        .await;
    let thread = setup.thread().await; // newest first
    assert_eq!(thread.len(), 8);
    let by_position = |i: usize| &thread[thread.len() - 1 - i];
    assert_eq!(
        by_position(1).reply_to.as_ref().map(|r| r.id),
        Some(by_position(0).id)
    );
    assert_eq!(
        by_position(2).content,
        Content::Unsupported {
            description: Some("Photo: The receipt".into())
        }
    );
    let texts: Vec<String> = [3, 4, 5]
        .iter()
        .map(|i| match &by_position(*i).content {
            Content::Text { text } => text.clone(),
            other => panic!("text expected, not {other:?}"),
        })
        .collect();
    assert!(texts[0].contains("Café, Berlin") && texts[0].contains("52.520000, 13.405000"));
    assert_eq!(texts[1], "👤 Tom Fisher, +1 650 555 0000");
    assert_eq!(texts[2], "Yes, please");
    assert_eq!(
        by_position(6).content,
        Content::Unsupported {
            description: Some("Reaction 👍".into())
        }
    );
    assert_eq!(
        by_position(7).content,
        Content::Unsupported { description: None }
    );
}

#[tokio::test]
async fn answers_go_out_with_quotes_and_statuses_only_move_forward() {
    let setup = connected().await;
    setup
        .notify(&notification(
            "16505551234",
            "Kerry Fisher",
            json!([text("wamid.IN1", "Hi")]),
        ))
        .await;
    let kerry = setup.kerry().await;
    let question = setup.thread().await[0].id;
    let response = setup
        .maria
        .post(
            &setup.server.api(&format!(
                "/workspaces/{}/conversations/{}/messages",
                setup.ws, kerry.id
            )),
            json!({ "client_id": "w-1", "kind": "message", "text": "Shipped today", "reply_to": question }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let answer: Message = response.json().await.expect("a message");
    let sent = setup.meta.wait_sent(1, Duration::from_secs(5)).await;
    assert_eq!(sent[0]["to"], "16505551234");
    assert_eq!(sent[0]["type"], "text");
    assert_eq!(sent[0]["text"]["body"], "Shipped today");
    assert_eq!(sent[0]["context"]["message_id"], "wamid.IN1");
    setup.wait_status(answer.id, DeliveryStatus::Sent).await;

    // Read arrives before delivered: read stays.
    setup.notify(&status("wamid.OUT1", "read", None)).await;
    setup.wait_status(answer.id, DeliveryStatus::Read).await;
    setup.notify(&status("wamid.OUT1", "delivered", None)).await;
    setup.notify(&status("wamid.OUT1", "sent", None)).await;
    let message = setup.wait_status(answer.id, DeliveryStatus::Read).await;
    assert_eq!(message.delivery_error, None);
    // A status of an unknown message changes nothing.
    setup.notify(&status("wamid.UNKNOWN", "read", None)).await;

    // Rate limited, then accepted: retried, sent once.
    setup.meta.script([Answer::Error {
        status: 400,
        code: 131056,
        message: "(#131056) (Business Account, Consumer Account) pair rate limit hit".into(),
    }]);
    let second = setup
        .maria
        .reply(
            &setup.server,
            setup.ws,
            kerry.id,
            "w-2",
            "message",
            "One more thing",
        )
        .await;
    setup.wait_status(second.id, DeliveryStatus::Sent).await;
    assert_eq!(setup.meta.sent().len(), 2);
    assert_eq!(setup.meta.attempts(), 3);

    // A fault at Meta (HTTP 500), then the throughput limit (130429): retried, sent once.
    setup.meta.script([
        Answer::Error {
            status: 500,
            code: 2,
            message: "Service temporarily unavailable".into(),
        },
        Answer::Error {
            status: 400,
            code: 130429,
            message: "(#130429) Rate limit hit".into(),
        },
    ]);
    let again = setup
        .maria
        .reply(
            &setup.server,
            setup.ws,
            kerry.id,
            "w-2b",
            "message",
            "And another",
        )
        .await;
    setup.wait_status(again.id, DeliveryStatus::Sent).await;
    assert_eq!(setup.meta.sent().len(), 3);
    assert_eq!(setup.meta.attempts(), 6);

    // Refused by Meta: failed with its reason. Failed later by a status: the reason shown.
    setup.meta.script([Answer::Error {
        status: 400,
        code: 131026,
        message: "Message undeliverable".into(),
    }]);
    let third = setup
        .maria
        .reply(
            &setup.server,
            setup.ws,
            kerry.id,
            "w-3",
            "message",
            "Hello?",
        )
        .await;
    let failed = setup.wait_status(third.id, DeliveryStatus::Failed).await;
    assert_eq!(
        failed.delivery_error.as_deref(),
        Some("Message undeliverable: See the error code.")
    );
    setup
        .notify(&status(
            "wamid.OUT2",
            "failed",
            Some(json!([{ "code": 131047, "title": "Re-engagement message",
                          "message": "More than 24 hours have passed since the customer last replied" }])),
        ))
        .await;
    let failed = setup.wait_status(second.id, DeliveryStatus::Failed).await;
    assert_eq!(
        failed.delivery_error.as_deref(),
        Some("More than 24 hours have passed since the customer last replied (131047)")
    );
}

#[tokio::test]
async fn free_text_waits_for_the_24_hour_window() {
    let setup = connected().await;
    // Kerry wrote two days ago: the window is closed.
    let two_days_ago = (chrono::Utc::now() - chrono::Duration::hours(48)).timestamp();
    let mut old = text("wamid.OLD", "Hi");
    old["timestamp"] = json!(two_days_ago.to_string());
    setup
        .notify(&notification("16505551234", "Kerry Fisher", json!([old])))
        .await;
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
    assert!(error.message.contains("24 hours"), "{}", error.message);
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
            "Ask by e-mail",
        )
        .await;
    // Once she writes again, the window is open.
    setup
        .notify(&notification(
            "16505551234",
            "Kerry Fisher",
            json!([text("wamid.NEW", "Hello again")]),
        ))
        .await;
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
    setup.meta.wait_sent(1, Duration::from_secs(5)).await;
}

#[tokio::test]
async fn the_contact_sees_an_agent_typing_and_her_message_read() {
    let setup = connected().await;
    setup
        .notify(&notification(
            "16505551234",
            "Kerry Fisher",
            json!([text("wamid.IN1", "Hi"), text("wamid.IN2", "Still there?")]),
        ))
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
    while setup.meta.typing().is_empty() {
        assert!(
            Instant::now() < deadline,
            "no typing indicator reached WhatsApp"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let call = &setup.meta.typing()[0];
    assert_eq!(call["message_id"], "wamid.IN2", "her newest message");
    assert_eq!(call["typing_indicator"]["type"], "text");
    assert!(setup.meta.sent().is_empty(), "typing sends no message");
    close(socket).await;
}

#[tokio::test]
async fn pictures_and_documents_travel_both_ways() {
    let setup = connected().await;
    setup.meta.add_media("MEDIA-1", PNG);
    let now = chrono::Utc::now().timestamp().to_string();
    let photo = json!({ "from": "16505551234", "id": "wamid.IMG", "timestamp": now, "type": "image",
        "image": { "id": "MEDIA-1", "mime_type": "image/jpeg", "sha256": "x", "caption": "My receipt" } });
    let lost = json!({ "from": "16505551234", "id": "wamid.LOST", "timestamp": now, "type": "document",
        "document": { "id": "MEDIA-GONE", "filename": "a.pdf", "mime_type": "application/pdf" } });
    setup
        .notify(&notification(
            "16505551234",
            "Kerry Fisher",
            json!([photo, lost]),
        ))
        .await;
    let thread = setup.thread().await; // newest first
    assert_eq!(
        thread[1].content,
        Content::Text {
            text: "My receipt".into()
        }
    );
    assert_eq!(thread[1].attachments.len(), 1);
    assert_eq!(
        thread[1].attachments[0].content_type, "image/png",
        "the type comes from the bytes"
    );
    let bytes = setup
        .maria
        .get(
            &setup
                .server
                .api(thread[1].attachments[0].url.trim_start_matches("/api/v1")),
        )
        .await
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(bytes.as_ref(), PNG);
    assert_eq!(
        thread[0].content,
        Content::Unsupported {
            description: Some("File a.pdf".into())
        },
        "a file WhatsApp cannot give leaves the message readable"
    );

    // Maria answers with a picture and a document: uploaded, then sent by media id.
    let picture = setup
        .maria
        .upload_file(&setup.server, setup.ws, "label.png", PNG)
        .await;
    let pdf = setup
        .maria
        .upload_file(&setup.server, setup.ws, "invoice.pdf", b"%PDF-1.4\n%fine\n")
        .await;
    let kerry = setup.kerry().await;
    let response = setup
        .maria
        .post(
            &setup.server.api(&format!(
                "/workspaces/{}/conversations/{}/messages",
                setup.ws, kerry.id
            )),
            json!({ "client_id": "m-1", "kind": "message", "text": "Here you go",
                    "attachments": [picture.id, pdf.id] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent = setup.meta.wait_sent(2, Duration::from_secs(5)).await;
    let uploads = setup.meta.uploads();
    assert_eq!(uploads.len(), 2);
    assert_eq!(uploads[0]["messaging_product"], "whatsapp");
    assert_eq!(uploads[0]["type"], "image/png");
    assert_eq!(uploads[0]["file"]["bytes"], json!(PNG.to_vec()));
    assert_eq!(sent[0]["type"], "image");
    assert_eq!(sent[0]["image"]["id"], "media-1");
    assert_eq!(sent[0]["image"]["caption"], "Here you go");
    assert_eq!(sent[1]["type"], "document");
    assert_eq!(sent[1]["document"]["id"], "media-2");
    assert_eq!(sent[1]["document"]["filename"], "invoice.pdf");
    assert!(sent[1]["document"].get("caption").is_none());
}

#[tokio::test]
async fn outside_the_window_approved_templates_are_listed_and_sent() {
    let setup = connected().await;
    let two_days_ago = (chrono::Utc::now() - chrono::Duration::hours(48)).timestamp();
    let mut old = text("wamid.OLD-T", "Where is my order?");
    old["timestamp"] = json!(two_days_ago.to_string());
    setup
        .notify(&notification("16505551234", "Kerry Fisher", json!([old])))
        .await;
    let kerry = setup.kerry().await;
    // Every page is read; only approved templates Switchboard can fill are offered.
    let url = setup.server.api(&format!(
        "/workspaces/{}/channels/{}/templates",
        setup.ws, setup.channel
    ));
    let anna = setup.server.login(ANNA).await;
    let listed: Vec<MessageTemplate> = json_body(anna.get(&url).await).await;
    let names: Vec<&str> = listed.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["order_update", "reservation_confirmation", "welcome_back"]
    );
    let order = &listed[0];
    assert_eq!(order.language, "en_US");
    assert_eq!(order.header.as_deref(), Some("Order update"));
    assert_eq!(order.body, "Hi {{1}}, your order {{2}} has shipped.");
    assert_eq!(order.variables, ["1", "2"]);
    assert_eq!(listed[1].variables, ["number_of_guests"]);
    // Another workspace's member cannot list them.
    let li = setup.server.login(LI).await;
    assert_eq!(li.get(&url).await.status(), StatusCode::NOT_FOUND);
    // A check asks Meta for the number and its templates now.
    let check: ChannelCheck = json_body(
        setup
            .maria
            .post(
                &setup.server.api(&format!(
                    "/workspaces/{}/channels/{}/check",
                    setup.ws, setup.channel
                )),
                json!({}),
            )
            .await,
    )
    .await;
    assert_eq!(
        check,
        ChannelCheck {
            ok: true,
            message: "WhatsApp knows Northwind Coffee; 3 approved templates can be sent.".into()
        }
    );

    let messages_url = setup.server.api(&format!(
        "/workspaces/{}/conversations/{}/messages",
        setup.ws, kerry.id
    ));
    let before = setup.server.last_seq(setup.ws).await;
    // Refused before anything is stored: an unknown template, missing or bad values, a
    // template as a comment.
    for (body, why) in [
        (
            json!({ "client_id": "t-bad-1", "kind": "message", "text": "",
                    "template": { "name": "promo_spring", "language": "en_US", "values": ["10%"] } }),
            "No approved template",
        ),
        (
            json!({ "client_id": "t-bad-2", "kind": "message", "text": "",
                    "template": { "name": "order_update", "language": "en_US", "values": ["Kerry"] } }),
            "takes 2 values",
        ),
        (
            json!({ "client_id": "t-bad-3", "kind": "message", "text": "",
                    "template": { "name": "order_update", "language": "en_US",
                                  "values": ["Kerry", "10\n42"] } }),
            "line breaks",
        ),
        (
            json!({ "client_id": "t-bad-4", "kind": "comment", "text": "",
                    "template": { "name": "welcome_back", "language": "ru", "values": [] } }),
            "WhatsApp messages",
        ),
    ] {
        let (error, _) = expect_error(
            setup.maria.post(&messages_url, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        )
        .await;
        assert_eq!(error.field.as_deref(), Some("template"));
        assert!(error.message.contains(why), "{}", error.message);
    }
    assert_eq!(
        setup.server.last_seq(setup.ws).await,
        before,
        "nothing stored"
    );

    // The template goes out even though the window is closed, filled as Meta expects.
    let response = setup
        .maria
        .post(
            &messages_url,
            json!({ "client_id": "t-1", "kind": "message", "text": "",
                    "template": { "name": "order_update", "language": "en_US",
                                  "values": [" Kerry ", "1042"] } }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent: Message = response.json().await.expect("a message");
    match &sent.content {
        Content::Template {
            name, text, values, ..
        } => {
            assert_eq!(name, "order_update");
            assert_eq!(values, &["Kerry", "1042"]);
            assert_eq!(
                text,
                "Order update\n\nHi Kerry, your order 1042 has shipped.\n\nNorthwind Coffee"
            );
        }
        other => panic!("a template, not {other:?}"),
    }
    let delivered = setup.meta.wait_sent(1, Duration::from_secs(10)).await;
    assert_eq!(
        delivered[0],
        json!({ "messaging_product": "whatsapp", "recipient_type": "individual",
                "to": "16505551234", "type": "template",
                "template": { "name": "order_update", "language": { "code": "en_US" },
                              "components": [{ "type": "body", "parameters": [
                                  { "type": "text", "text": "Kerry" },
                                  { "type": "text", "text": "1042" } ] }] } })
    );
    setup.wait_status(sent.id, DeliveryStatus::Sent).await;
    // Named variables carry their names.
    let response = setup
        .maria
        .post(
            &messages_url,
            json!({ "client_id": "t-2", "kind": "message", "text": "",
                    "template": { "name": "reservation_confirmation", "language": "en_US",
                                  "values": ["4"] } }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let delivered = setup.meta.wait_sent(2, Duration::from_secs(10)).await;
    assert_eq!(
        delivered[1]["template"]["components"][0]["parameters"][0],
        json!({ "type": "text", "text": "4", "parameter_name": "number_of_guests" })
    );
    // Free text is still refused.
    let response = setup
        .maria
        .send(&setup.server, setup.ws, kerry.id, "t-3", "message", "Hi?")
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
