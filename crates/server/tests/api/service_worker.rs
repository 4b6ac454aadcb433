//! The service worker's notification clicks (O2), run in Node against this server: a quick
//! reply is posted as the member and read; a refused one says so in a notification; a
//! click opens the message in the app's open window, or in a new one.

use crate::common;

use common::*;
use serde_json::{Value, json};
use std::path::Path;
use switchboard_protocol::*;

/// Runs one click through `public/sw.js` in Node; what the worker did.
async fn click(server: &Server, cookie: &str, scenario: Value) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Asynchronously: the server answering the worker runs on this test's runtime.
    let output = tokio::process::Command::new("node")
        .arg(root.join("tests/service_worker.mjs"))
        .arg(root.join("../../public/sw.js"))
        .arg(&server.url)
        .arg(cookie)
        .arg(scenario.to_string())
        .output()
        .await
        .expect("node runs (cargo xtask test installs it)");
    assert!(
        output.status.success(),
        "the worker failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the worker's report")
}

#[tokio::test]
async fn a_quick_reply_is_posted_as_the_member_and_a_click_opens_the_message() {
    let server = Server::start().await;
    let workspace = server.workspace().await;
    let boris = server.login(BORIS).await;
    let conversation = boris
        .conversations(&server, workspace, "?limit=1")
        .await
        .items
        .remove(0);
    let notifications: switchboard_protocol::notifications::NotificationList = boris
        .get(&server.api(&format!("/workspaces/{workspace}/notifications")))
        .await
        .json()
        .await
        .expect("the centre");
    let entry = notifications
        .items
        .iter()
        .find(|n| !n.read)
        .expect("the demo told Boris something");
    let data = |conversation: ConversationId| {
        json!({
            "url": format!("/w/{workspace}/c/{conversation}"),
            "reply": {
                "url": format!("/api/v1/workspaces/{workspace}/conversations/{conversation}/messages"),
                "kind": "comment",
            },
            "notification_id": entry.id,
            "workspace_id": workspace,
        })
    };

    // The reply goes out as Boris, the notification closes and its entry is read.
    let done = click(
        &server,
        &boris.cookie,
        json!({ "action": "reply", "reply": "  On it, calling them now  ", "tag": "t",
                "data": data(conversation.id), "windows": [] }),
    )
    .await;
    assert_eq!(done["closed"], 1, "{done}");
    assert_eq!(done["shown"], json!([]), "{done}");
    let thread = server.thread(workspace, conversation.id).await;
    let newest = &thread[0];
    assert_eq!(
        newest.content,
        Content::Text {
            text: "On it, calling them now".into()
        }
    );
    assert_eq!(newest.kind, MessageKind::Comment);
    assert_eq!(newest.sender.user_id, Some(boris.me.user.id));
    let after: switchboard_protocol::notifications::NotificationList = boris
        .get(&server.api(&format!("/workspaces/{workspace}/notifications")))
        .await
        .json()
        .await
        .expect("the centre");
    assert!(
        after.items.iter().any(|n| n.id == entry.id && n.read),
        "the entry is read"
    );

    // Refused (another workspace's conversation): the member is told, nothing is stored.
    let other = server.other_workspace().await;
    let refused = click(
        &server,
        &boris.cookie,
        json!({ "action": "reply", "reply": "hello", "tag": "t",
                "data": data(other.conversation), "windows": [] }),
    )
    .await;
    assert_eq!(refused["closed"], 0);
    assert_eq!(refused["shown"][0]["title"], "Your reply was not sent");
    assert_eq!(refused["shown"][0]["options"]["tag"], "t");
    assert_eq!(refused["shown"][0]["options"]["data"]["reply"], Value::Null);
    // Signed out: the same, in the words the push brought (Russian here).
    let mut russian = data(conversation.id);
    russian["reply"]["not_sent"] = json!("Ваш ответ не отправлен");
    russian["reply"]["try_again"] = json!("Откройте разговор, чтобы попробовать ещё раз.");
    let signed_out = click(
        &server,
        "sb_session=expired",
        json!({ "action": "reply", "reply": "hello", "tag": "t",
                "data": russian, "windows": [] }),
    )
    .await;
    assert_eq!(signed_out["shown"][0]["title"], "Ваш ответ не отправлен");
    assert!(
        signed_out["shown"][0]["options"]["body"]
            .as_str()
            .is_some_and(|b| b.ends_with("Откройте разговор, чтобы попробовать ещё раз.")),
        "{signed_out}"
    );
    assert_eq!(
        server.thread(workspace, conversation.id).await.len(),
        thread.len()
    );

    // A click on the notification itself: the open window routes there, or a new one opens.
    let url = format!("/w/{workspace}/c/{}?m=9", conversation.id);
    let mut with_url = data(conversation.id);
    with_url["url"] = json!(url);
    let routed = click(
        &server,
        &boris.cookie,
        json!({ "action": "", "tag": "t", "data": with_url, "windows": [format!("/w/{workspace}")] }),
    )
    .await;
    assert_eq!(routed["messages"], json!([{ "type": "open", "url": url }]));
    assert_eq!(routed["focused"], json!([format!("/w/{workspace}")]));
    assert_eq!(routed["opened"], json!([]));
    let fresh = click(
        &server,
        &boris.cookie,
        json!({ "action": "", "tag": "t", "data": with_url, "windows": [] }),
    )
    .await;
    assert_eq!(fresh["opened"], json!([format!("{}{url}", server.url)]));
}

#[tokio::test]
async fn a_push_shows_one_notification_per_contact_in_the_devices_language() {
    let server = Server::start().await;
    let boris = server.login(BORIS).await;
    let payload = switchboard_protocol::notifications::PushPayload {
        kind: switchboard_protocol::notifications::NotificationKind::NewMessage,
        tag: "workspace-1-contact-7".into(),
        title: "Tanya Gram".into(),
        body: "3 новых сообщения · Где мой заказ?".into(),
        workspace: "Northwind Coffee".into(),
        workspace_id: WorkspaceId(1),
        url: "/w/1/c/5?m=9".into(),
        image: Some("/api/v1/workspaces/1/attachments/3".into()),
        reply: Some(switchboard_protocol::notifications::QuickReply {
            url: "/api/v1/workspaces/1/conversations/5/messages".into(),
            kind: MessageKind::Message,
            label: "Ответить".into(),
            placeholder: "Напишите ответ…".into(),
            not_sent: "Ваш ответ не отправлен".into(),
            offline: "Нет подключения к интернету.".into(),
            try_again: "Откройте разговор, чтобы попробовать ещё раз.".into(),
        }),
        notification_id: switchboard_protocol::NotificationId(11),
    };
    let shown = click(
        &server,
        &boris.cookie,
        json!({ "push": payload, "windows": [] }),
    )
    .await;
    let notification = &shown["shown"][0];
    assert_eq!(notification["title"], "Tanya Gram · Northwind Coffee");
    let options = &notification["options"];
    assert_eq!(options["body"], "3 новых сообщения · Где мой заказ?");
    assert_eq!(options["tag"], "workspace-1-contact-7");
    assert_eq!(options["image"], "/api/v1/workspaces/1/attachments/3");
    assert_eq!(
        options["actions"],
        json!([{ "action": "reply", "type": "text", "title": "Ответить", "placeholder": "Напишите ответ…" }])
    );
    assert_eq!(options["data"]["url"], "/w/1/c/5?m=9");
}
