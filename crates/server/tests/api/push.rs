//! The notification centre (O1) and Web Push (O2, O3) over HTTP, with pushes decrypted by a
//! stand-in push service as the member's device would decrypt them.

use crate::common;

use common::fake_push::{FakePush, Push};
use common::*;
use reqwest::StatusCode;
use serde_json::json;
use switchboard_protocol::notifications::*;
use switchboard_protocol::*;
use switchboard_storage::{InboundFile, InboundMessage, NewChannel, Received};

/// A demo server whose pushes may go to the local stand-in, once the pushes of the demo's
/// own notifications (to nobody's devices yet) are done.
async fn server() -> Server {
    let server = Server::start_configured(|config| {
        config.push_to_private_addresses = true;
        config.push_contact = Some("mailto:ops@northwind.example".into());
    })
    .await;
    let deadline = std::time::Instant::now() + TIMEOUT;
    while server
        .store()
        .next_push_at()
        .await
        .expect("the store answers")
        .is_some()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "demo pushes never done"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    server
}

async fn subscribe(server: &Server, agent: &Agent, device: PushSubscriptionRequest) {
    let response = agent
        .post(
            &server.api("/push/subscriptions"),
            serde_json::to_value(device).expect("json"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

/// A Telegram contact's message, stored as the webhook would store it.
async fn telegram_message(
    server: &Server,
    channel: ChannelId,
    workspace: WorkspaceId,
    id: &str,
    text: &str,
    files: Vec<InboundFile>,
) -> ConversationSummary {
    let received = server
        .store()
        .receive_message(InboundMessage {
            workspace,
            channel,
            sender: "4242",
            first_name: "Tanya",
            last_name: "Gram",
            phone: None,
            email: None,
            external_id: id,
            reply_to: None,
            content: Content::Text { text: text.into() },
            received_at: chrono::Utc::now(),
            files,
        })
        .await
        .expect("stored");
    match received {
        Received::Stored(appended) => appended.conversation,
        Received::Duplicate => panic!("a new message was taken for a repeat"),
    }
}

async fn centre(server: &Server, agent: &Agent, workspace: WorkspaceId) -> NotificationList {
    let response = agent
        .get(&server.api(&format!("/workspaces/{workspace}/notifications")))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("a NotificationList")
}

/// The newest push to `device`.
fn on(device: &str, pushes: &[Push]) -> PushPayload {
    pushes
        .iter()
        .rfind(|p| p.device == device)
        .map(|p| p.payload.clone())
        .expect("a push to the device")
}

#[tokio::test]
async fn a_members_devices_get_encrypted_pushes_grouped_by_contact_with_a_quick_reply() {
    let server = server().await;
    let push = FakePush::start().await;
    let workspace = server.workspace().await;
    let boris = server.login(BORIS).await;
    let maria = server.login(MARIA).await;
    let key: PushKey = boris
        .get(&server.api("/push/key"))
        .await
        .json()
        .await
        .expect("the VAPID key");
    subscribe(&server, &boris, push.subscribe("boris-phone")).await;
    // Boris uses the app in Russian on his laptop: its pushes are in Russian.
    let laptop = PushSubscriptionRequest {
        language: Some("ru".into()),
        ..push.subscribe("boris-laptop")
    };
    subscribe(&server, &boris, laptop).await;
    subscribe(&server, &maria, push.subscribe("maria-phone")).await;

    let channel = server
        .store()
        .create_channel(NewChannel {
            workspace,
            kind: ChannelKind::Telegram,
            name: "Bot",
            public_key: Some("push-test-bot"),
        })
        .await
        .expect("a channel");
    let conversation =
        telegram_message(&server, channel.id, workspace, "1", "Hello", Vec::new()).await;
    // Maria assigns the conversation to Boris: both his devices are told, hers are not.
    let response = maria
        .post(
            &server.api(&format!(
                "/workspaces/{workspace}/conversations/{}/assign",
                conversation.id
            )),
            json!({ "assignee": { "kind": "user", "id": boris.me.user.id } }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let pushes = push.wait_for(2).await;
    let mut devices: Vec<&str> = pushes.iter().map(|p| p.device.as_str()).collect();
    devices.sort();
    assert_eq!(devices, ["boris-laptop", "boris-phone"]);
    assert_eq!(
        on("boris-laptop", &pushes).body,
        "Maria Lopez назначил(а) вам разговор"
    );
    let pushes: Vec<_> = pushes
        .into_iter()
        .filter(|p| p.device == "boris-phone")
        .collect();
    let assigned = &pushes[0].payload;
    assert_eq!(assigned.kind, NotificationKind::Assignment);
    assert_eq!(assigned.title, "Tanya Gram");
    assert_eq!(
        assigned.body,
        "Maria Lopez assigned the conversation to you"
    );
    assert_eq!(assigned.workspace, "Northwind Coffee");
    assert_eq!(
        assigned.url,
        format!("/w/{workspace}/c/{}", conversation.id)
    );
    assert_eq!((&assigned.image, &assigned.reply), (&None, &None));
    assert_eq!(pushes[0].vapid_key, key.public_key);
    assert_eq!(
        pushes[0].subject.as_deref(),
        Some("mailto:ops@northwind.example")
    );
    assert_eq!(pushes[0].urgency.as_deref(), Some("normal"));

    // The contact sends a photo: one push per device, with the picture, the same tag (one
    // notification per contact), and a quick reply.
    let photo = InboundFile {
        name: "photo.jpg".into(),
        content_type: "image/jpeg".into(),
        size: 1234,
        storage_key: "inbound/photo-key".into(),
    };
    telegram_message(&server, channel.id, workspace, "2", "My order", vec![photo]).await;
    let pushes = push.wait_for(4).await;
    let russian = on("boris-laptop", &pushes).reply.expect("a quick reply");
    assert_eq!(
        (russian.label.as_str(), russian.placeholder.as_str()),
        ("Ответить", "Напишите ответ…")
    );
    assert_eq!(russian.not_sent, "Ваш ответ не отправлен");
    let photo_push = pushes
        .iter()
        .rfind(|p| p.device == "boris-phone")
        .expect("a push to the phone");
    let message = &photo_push.payload;
    assert_eq!(message.kind, NotificationKind::NewMessage);
    assert_eq!(message.tag, assigned.tag, "one tag per contact");
    assert_eq!(message.body, "📎 My order");
    let thread = server.thread(workspace, conversation.id).await;
    let newest = thread.first().expect("the photo message (newest first)");
    let image = &newest.attachments[0];
    assert_eq!(message.image.as_deref(), Some(image.url.as_str()));
    assert_eq!(
        message.url,
        format!("/w/{workspace}/c/{}?m={}", conversation.id, newest.id)
    );
    assert_eq!(photo_push.urgency.as_deref(), Some("high"));
    assert_eq!(
        photo_push.topic.as_deref(),
        Some(format!("c{}", conversation.contact.id).as_str())
    );
    assert!(photo_push.ttl.as_deref().is_some_and(|ttl| ttl != "0"));
    let reply = message.reply.clone().expect("a quick reply");
    assert_eq!(reply.kind, MessageKind::Message);
    assert_eq!(
        (reply.label.as_str(), reply.placeholder.as_str()),
        ("Reply", "Write a reply…")
    );

    // The quick reply posts the answer as the signed-in member, from the notification.
    let response = boris
        .post(
            &format!("{}{}", server.url, reply.url),
            json!({ "client_id": "quick-1", "kind": "message", "text": "On its way!" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let thread = server.thread(workspace, conversation.id).await;
    assert_eq!(
        thread.first().map(|m| m.content.clone()),
        Some(Content::Text {
            text: "On its way!".into()
        })
    );

    // The centre lists both, unread, newest first (above the demo's own entries); reading
    // one lowers the count by one.
    let list = centre(&server, &boris, workspace).await;
    assert_eq!(
        list.items[..2]
            .iter()
            .map(|n| (n.kind, n.conversation_id, n.read))
            .collect::<Vec<_>>(),
        [
            (NotificationKind::NewMessage, conversation.id, false),
            (NotificationKind::Assignment, conversation.id, false)
        ]
    );
    let read: NotificationList = boris
        .post(
            &server.api(&format!("/workspaces/{workspace}/notifications/read")),
            json!({ "ids": [list.items[0].id] }),
        )
        .await
        .json()
        .await
        .expect("the centre");
    assert_eq!(read.unread, list.unread - 1);
    assert!(read.items[0].read && !read.items[1].read);
    assert!(
        !centre(&server, &maria, workspace)
            .await
            .items
            .iter()
            .any(|n| n.conversation_id == conversation.id),
        "Maria assigned it; she is not told"
    );
}

#[tokio::test]
async fn gone_devices_are_dropped_and_unwanted_kinds_are_not_pushed() {
    let server = server().await;
    let push = FakePush::start().await;
    let workspace = server.workspace().await;
    let boris = server.login(BORIS).await;
    let maria = server.login(MARIA).await;
    subscribe(&server, &boris, push.subscribe("kept")).await;
    subscribe(&server, &boris, push.subscribe("dropped")).await;
    subscribe(&server, &boris, push.subscribe("forged")).await;
    push.forget("dropped");
    push.never_heard_of("forged");
    let contact = maria
        .post(
            &server.api(&format!("/workspaces/{workspace}/contacts")),
            json!({ "first_name": "Pavel", "last_name": "Ivanov" }),
        )
        .await;
    assert_eq!(contact.status(), StatusCode::CREATED);
    let contact: switchboard_protocol::contacts::Contact = contact.json().await.expect("a contact");
    let conversation_id = contact.conversation_id;
    let assign_url = server.api(&format!(
        "/workspaces/{workspace}/conversations/{conversation_id}/assign"
    ));
    let assign = |to: UserId| {
        maria.post(
            &assign_url,
            json!({ "assignee": { "kind": "user", "id": to } }),
        )
    };
    assert_eq!(assign(boris.me.user.id).await.status(), StatusCode::OK);
    push.wait_for(1).await;
    // The service said the other devices are gone or unknown: their subscriptions go.
    let deadline = std::time::Instant::now() + TIMEOUT;
    while server
        .store()
        .push_subscriptions(boris.me.user.id)
        .await
        .expect("the store answers")
        .len()
        > 1
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the gone device stays"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(push.refused(), 2);

    // Boris wants no pushes about assignments here; mentions still reach him.
    let response = boris
        .client
        .put(server.api(&format!(
            "/workspaces/{workspace}/notifications/preferences"
        )))
        .json(&json!({
            "mentions": true, "assignments": false, "new_messages": true, "snooze_expired": true
        }))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(assign(maria.me.user.id).await.status(), StatusCode::OK);
    assert_eq!(assign(boris.me.user.id).await.status(), StatusCode::OK);
    let mention = maria
        .post(
            &server.api(&format!(
                "/workspaces/{workspace}/conversations/{conversation_id}/messages"
            )),
            json!({ "client_id": "m-1", "kind": "comment", "text": "@Boris see this",
                    "mentions": [boris.me.user.id] }),
        )
        .await;
    assert_eq!(mention.status(), StatusCode::CREATED);
    let pushes = push.wait_for(2).await;
    assert_eq!(
        pushes.iter().map(|p| p.payload.kind).collect::<Vec<_>>(),
        [NotificationKind::Assignment, NotificationKind::Mention],
        "the second assignment was not pushed"
    );
    assert_eq!(
        pushes[1].payload.body,
        "Maria Lopez mentioned you: @Boris see this"
    );
    assert_eq!(
        pushes[1].payload.reply.as_ref().map(|r| r.kind),
        Some(MessageKind::Comment)
    );
    // The centre still lists the unpushed assignment.
    let list = centre(&server, &boris, workspace).await;
    assert_eq!(
        list.items
            .iter()
            .filter(
                |n| n.kind == NotificationKind::Assignment && n.conversation_id == conversation_id
            )
            .count(),
        2
    );
}

#[tokio::test]
async fn a_snooze_ending_pushes_the_assignee_as_the_workspace_allows() {
    let server = server().await;
    let push = FakePush::start().await;
    let workspace = server.workspace().await;
    let boris = server.login(BORIS).await;
    let maria = server.login(MARIA).await;
    subscribe(&server, &boris, push.subscribe("phone")).await;
    let snooze_mine = |name: &'static str| {
        let server = &server;
        let boris = &boris;
        async move {
            let contact: switchboard_protocol::contacts::Contact = boris
                .post(
                    &server.api(&format!("/workspaces/{workspace}/contacts")),
                    json!({ "first_name": name }),
                )
                .await
                .json()
                .await
                .expect("a conversation");
            let base = format!(
                "/workspaces/{workspace}/conversations/{}",
                contact.conversation_id
            );
            let assigned = boris
                .post(
                    &server.api(&format!("{base}/assign")),
                    json!({ "assignee": { "kind": "user", "id": boris.me.user.id } }),
                )
                .await;
            assert_eq!(assigned.status(), StatusCode::OK);
            let until = chrono::Utc::now() + chrono::Duration::milliseconds(300);
            let snoozed = boris
                .post(
                    &server.api(&format!("{base}/snooze")),
                    json!({ "until": until }),
                )
                .await;
            assert_eq!(snoozed.status(), StatusCode::OK, "snoozing {name}");
            contact
        }
    };
    // The workspace pushes no snooze ends: the ⏰ entry is there, nothing is pushed.
    let forbidden = boris
        .client
        .patch(server.api(&format!("/workspaces/{workspace}/settings")))
        .json(&json!({ "snooze_push": false }))
        .send()
        .await
        .expect("answered");
    assert_eq!(
        forbidden.status(),
        StatusCode::FORBIDDEN,
        "agents change no settings"
    );
    let changed = maria
        .client
        .patch(server.api(&format!("/workspaces/{workspace}/settings")))
        .json(&json!({ "snooze_push": false }))
        .send()
        .await
        .expect("answered");
    assert_eq!(changed.status(), StatusCode::OK);
    let quiet = snooze_mine("Quiet").await;
    let deadline = std::time::Instant::now() + TIMEOUT;
    loop {
        let list = centre(&server, &boris, workspace).await;
        if list.items.iter().any(|n| {
            n.kind == NotificationKind::SnoozeExpired && n.conversation_id == quiet.conversation_id
        }) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no ⏰ entry");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let changed = maria
        .client
        .patch(server.api(&format!("/workspaces/{workspace}/settings")))
        .json(&json!({ "snooze_push": true }))
        .send()
        .await
        .expect("answered");
    assert_eq!(changed.status(), StatusCode::OK);
    let loud = snooze_mine("Loud").await;
    let pushes = push.wait_for(1).await;
    // Self-assignments are not pushed; the quiet snooze's end was not pushed either.
    assert_eq!(pushes.len(), 1, "{pushes:#?}");
    let payload = &pushes[0].payload;
    assert_eq!(payload.kind, NotificationKind::SnoozeExpired);
    assert_eq!(payload.title, "Loud");
    assert!(payload.body.starts_with('⏰'));
    assert_eq!(
        payload.url,
        format!("/w/{workspace}/c/{}", loud.conversation_id)
    );
}

#[tokio::test]
async fn subscriptions_and_the_centre_refuse_bad_input() {
    // Default configuration: push services on public https addresses only.
    let server = Server::start().await;
    let workspace = server.workspace().await;
    let boris = server.login(BORIS).await;
    let push = FakePush::start().await;
    let local = push.subscribe("local");
    let response = boris
        .post(
            &server.api("/push/subscriptions"),
            serde_json::to_value(&local).expect("json"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: ErrorBody = response.json().await.expect("an error");
    assert_eq!(error.field.as_deref(), Some("endpoint"));
    let forged = json!({
        "endpoint": "https://fcm.googleapis.com/fcm/send/abc",
        "keys": { "p256dh": "not-a-key", "auth": local.keys.auth },
    });
    let response = boris.post(&server.api("/push/subscriptions"), forged).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let german = json!({
        "endpoint": "https://fcm.googleapis.com/fcm/send/abc",
        "keys": local.keys,
        "language": "de",
    });
    let response = boris.post(&server.api("/push/subscriptions"), german).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: ErrorBody = response.json().await.expect("an error");
    assert_eq!(error.field.as_deref(), Some("language"));
    assert!(
        server
            .store()
            .push_subscriptions(boris.me.user.id)
            .await
            .expect("the store answers")
            .is_empty(),
        "nothing kept"
    );
    let anonymous = cookie_client()
        .post(server.api("/push/subscriptions"))
        .json(&local)
        .send()
        .await
        .expect("answered");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let anonymous = cookie_client()
        .get(server.api("/push/key"))
        .send()
        .await
        .expect("answered");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // Dropping someone else's subscription, or one never made, finds nothing.
    let response = boris
        .client
        .delete(server.api("/push/subscriptions"))
        .json(&json!({ "endpoint": local.endpoint }))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // Another workspace's centre is not found; limits are checked.
    let other = server.other_workspace().await;
    let response = boris
        .get(&server.api(&format!("/workspaces/{}/notifications", other.workspace)))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = boris
        .get(&server.api(&format!("/workspaces/{workspace}/notifications?limit=0")))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let many: Vec<i64> = (1..=501).collect();
    let response = boris
        .post(
            &server.api(&format!("/workspaces/{workspace}/notifications/read")),
            json!({ "ids": many }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
