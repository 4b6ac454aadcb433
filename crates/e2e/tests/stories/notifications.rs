//! The notification centre (O1), the service worker's pushes (O2) and the installable,
//! offline app (X2) in a real browser: a mention reaches the bell live and opens at the
//! message; the centre is a sheet on a phone; a push shows one notification per contact,
//! labelled with the workspace, with its picture and a quick-reply action; the manifest makes
//! the app installable; and with the server stopped the app shell still opens, showing the
//! conversations loaded before under an offline banner (sends queue until the server is back,
//! K12).

use serde_json::{Value, json};
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;
use switchboard_protocol::notifications::*;
use switchboard_protocol::*;
use switchboard_storage::NewMessage;

const BORIS: &str = "boris@northwind.example";

async fn user_id(h: &Harness, email: &str) -> UserId {
    h.server
        .state
        .store
        .user_credentials(email)
        .await
        .expect("the store answers")
        .expect("a demo user")
        .user
        .id
}

/// Maria mentions Boris in a comment on `conversation`, as the API would (published live).
async fn mention_boris(h: &Harness, conversation: ConversationId, text: &str) -> MessageId {
    let maria = user_id(h, "maria@northwind.example").await;
    let boris = user_id(h, BORIS).await;
    let appended = h
        .server
        .state
        .store
        .append_message(NewMessage {
            original: None,
            workspace: WorkspaceId(1),
            conversation,
            client_id: None,
            kind: MessageKind::Comment,
            direction: Direction::Outgoing,
            sender_kind: SenderKind::Agent,
            sender_user: Some(maria),
            content: Content::Text { text: text.into() },
            delivery_status: None,
            created_at: chrono::Utc::now(),
            reply_to: None,
            mentions: vec![boris],
            attachments: Vec::new(),
            channel: None,
        })
        .await
        .expect("stored");
    h.server.state.publish(appended.event);
    appended.message.id
}

async fn bell_label(driver: &WebDriver) -> String {
    wait_xpath(driver, "//button[contains(@class,'bell')]")
        .await
        .attr("aria-label")
        .await
        .expect("attr")
        .unwrap_or_default()
}

/// Waits until the bell's label passes `check` (the centre is read once the list is
/// shown); returns it.
async fn wait_bell_until(driver: &WebDriver, check: impl Fn(&str) -> bool, want: &str) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let label = bell_label(driver).await;
        if check(&label) {
            return label;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the bell says {label:?}, not {want}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn wait_bell(driver: &WebDriver, want: &str) {
    wait_bell_until(driver, |label| label == want, &format!("{want:?}")).await;
}

/// Waits until the bell counts what the demo told the member (so the centre is read).
async fn wait_bell_told(driver: &WebDriver) {
    wait_bell_until(
        driver,
        |label| unread_of(label) > 0,
        "a count of what the demo told them",
    )
    .await;
}

fn unread_of(label: &str) -> u32 {
    label
        .strip_prefix("Notifications, ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_reaches_the_bell_live_and_opens_at_the_message() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let boris = h.browser(1440, 900).await;
    boris.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&boris, BORIS, PASSWORD).await;
    wait_xpath(&boris, "(//a[contains(@class,'conversation-row')])[1]").await;
    // Let the centre load; then read everything the demo told Boris.
    wait_bell_told(&boris).await;
    click(&boris, "//button[contains(@class,'bell')]").await;
    wait_xpath(
        &boris,
        "//section[@role='dialog'][@aria-labelledby='centre-title']",
    )
    .await;
    let mark_all = "//button[normalize-space()='Mark all read']";
    if wait_xpath(&boris, mark_all)
        .await
        .is_enabled()
        .await
        .expect("enabled")
    {
        click(&boris, mark_all).await;
    }
    wait_bell(&boris, "Notifications").await;
    click(&boris, "//button[@aria-label='Close notifications']").await;
    wait_gone(&boris, "//section[@id='notification-centre']").await;

    // Maria mentions Boris: the bell counts it without a reload.
    let conversation = h
        .server
        .state
        .store
        .conversation(WorkspaceId(1), ConversationId(3))
        .await
        .expect("a demo conversation");
    let message = mention_boris(&h, conversation.id, "@Boris can you call them back?").await;
    wait_bell(&boris, "Notifications, 1 unread").await;
    click(&boris, "//button[contains(@class,'bell')]").await;
    let entry = format!(
        "//a[contains(@class,'centre-entry')][contains(@class,'unread')][.//strong[normalize-space()={}]]",
        literal(&conversation.contact.display_name())
    );
    let text = wait_text(&boris, &entry).await;
    assert!(text.contains("Maria Lopez mentioned you"), "{text}");
    assert!(text.contains("@Boris can you call them back?"), "{text}");
    screenshot(&boris, "notification-centre-desktop").await;

    // The entry opens the conversation at the message, and is read.
    click(&boris, &entry).await;
    wait_path(&boris, &format!("/w/1/c/{}", conversation.id)).await;
    wait_query(&boris, &format!("m={message}")).await;
    wait_bell(&boris, "Notifications").await;
    wait_gone(&boris, "//section[@id='notification-centre']").await;

    // A mention in the conversation on screen is read at once: the server has it read (the
    // bell saying nothing could also mean the app never heard of it).
    let second = mention_boris(&h, conversation.id, "@Boris and this one").await;
    wait_xpath(&boris, &bubble("@Boris and this one")).await;
    let store = &h.server.state.store;
    let viewer = store
        .viewer(WorkspaceId(1), user_id(&h, BORIS).await)
        .await
        .expect("the store answers")
        .expect("a member");
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let centre = store
            .notifications(WorkspaceId(1), &viewer, None, 10)
            .await
            .expect("the store answers");
        let entry = centre
            .items
            .iter()
            .find(|n| n.message_id == Some(second))
            .expect("the mention has its entry");
        if entry.read {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the mention on screen stays unread"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    wait_bell(&boris, "Notifications").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_the_centre_is_a_sheet_with_push_settings() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let phone = h.phone().await;
    phone.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&phone, BORIS, PASSWORD).await;
    wait_xpath(&phone, "(//a[contains(@class,'conversation-row')])[1]").await;
    wait_bell_told(&phone).await;
    click(&phone, "//button[contains(@class,'bell')]").await;
    let sheet = wait_xpath(&phone, "//section[@id='notification-centre']").await;
    let rect = sheet.rect().await.expect("a rect");
    assert!(rect.width >= 389.0 && rect.height >= 800.0, "{rect:?}");
    wait_xpath(&phone, "//a[contains(@class,'centre-entry')]").await;
    // Choosing what is pushed is kept for the member.
    click(&phone, "//summary[normalize-space()='What is pushed']").await;
    click(&phone, "//label[normalize-space()='Assignments']/input").await;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let kept = h
            .server
            .state
            .store
            .notification_preferences(WorkspaceId(1), user_id(&h, BORIS).await)
            .await
            .expect("the store answers");
        if !kept.assignments {
            assert!(kept.mentions && kept.new_messages && kept.snooze_expired);
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the choice was not kept"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    screenshot(&phone, "notification-centre-phone").await;
    click(&phone, "//button[@aria-label='Close notifications']").await;
    wait_gone(&phone, "//section[@id='notification-centre']").await;
}

/// Runs `script` (an async function body) in the page and answers what it returns.
async fn run(driver: &WebDriver, script: &str) -> Value {
    let wrapped = format!(
        "const done = arguments[arguments.length - 1];
         (async () => {{ {script} }})().then(done, (e) => done({{ error: String(e) }}));"
    );
    driver
        .execute_async(&wrapped, Vec::new())
        .await
        .expect("the script runs")
        .json()
        .clone()
}

fn payload(tag: &str, body: &str, image: Option<&str>) -> PushPayload {
    PushPayload {
        kind: NotificationKind::NewMessage,
        tag: tag.into(),
        title: "Tanya Gram".into(),
        body: body.into(),
        workspace: "Northwind Coffee".into(),
        workspace_id: WorkspaceId(1),
        url: "/w/1/c/3?m=9".into(),
        image: image.map(str::to_owned),
        reply: Some(QuickReply {
            url: "/api/v1/workspaces/1/conversations/3/messages".into(),
            kind: MessageKind::Message,
            label: "Reply".into(),
            placeholder: "Write a reply…".into(),
            not_sent: "Your reply was not sent".into(),
            offline: "You are offline.".into(),
            try_again: "Open the conversation to try again.".into(),
        }),
        notification_id: NotificationId(41),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_worker_shows_one_notification_per_contact_with_a_quick_reply() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let boris = h.browser(1440, 900).await;
    boris.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&boris, BORIS, PASSWORD).await;
    wait_xpath(&boris, "(//a[contains(@class,'conversation-row')])[1]").await;
    let ready = run(
        &boris,
        "const r = await navigator.serviceWorker.ready; return r.scope;",
    )
    .await;
    assert_eq!(ready, json!(format!("{}/", h.url)));

    // Installable: the manifest names the app, a standalone display, and its icons.
    let manifest = run(
        &boris,
        "const link = document.querySelector('link[rel=manifest]');
         const m = await (await fetch(link.href)).json();
         const sizes = [];
         for (const icon of m.icons) {
           const r = await fetch(icon.src);
           const blob = await r.blob();
           const bitmap = await createImageBitmap(blob);
           sizes.push([icon.purpose, bitmap.width, r.headers.get('content-type')]);
         }
         return { name: m.name, display: m.display, start: m.start_url, sizes };",
    )
    .await;
    assert_eq!(manifest["name"], "Switchboard");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start"], "/");
    assert_eq!(
        manifest["sizes"],
        json!([
            ["any", 192, "image/png"],
            ["any", 512, "image/png"],
            ["maskable", 512, "image/png"]
        ])
    );

    // Chromium's own installability checks (what Lighthouse's "installable" audit asks):
    // manifest, icons, service worker with a fetch handler, secure origin — no errors.
    let devtools = boris.cdp();
    let installable = devtools
        .send_raw("Page.getInstallabilityErrors", json!({}))
        .await
        .expect("the installability checks run");
    assert_eq!(
        installable["installabilityErrors"],
        json!([]),
        "{installable}"
    );

    // Pushes, delivered to the service worker as the push service would.
    devtools
        .send_raw(
            "Browser.grantPermissions",
            json!({ "origin": h.url, "permissions": ["notifications"] }),
        )
        .await
        .expect("notifications allowed");
    devtools
        .send_raw("ServiceWorker.enable", json!({}))
        .await
        .expect("the ServiceWorker domain");
    let deliver = |push: PushPayload| {
        let devtools = &devtools;
        let origin = h.url.clone();
        async move {
            let data = serde_json::to_string(&push).expect("json");
            // The registration's id is the browser's; ours is the only one.
            for id in 0..8 {
                let delivered = devtools
                    .send_raw(
                        "ServiceWorker.deliverPushMessage",
                        json!({ "origin": origin, "registrationId": id.to_string(), "data": data }),
                    )
                    .await;
                if delivered.is_ok() {
                    return;
                }
            }
            panic!("no service worker registration took the push");
        }
    };
    let tag = "workspace-1-contact-3";
    deliver(payload(tag, "My order", None)).await;
    deliver(payload(
        tag,
        "2 new messages · Here is the photo",
        Some("/public/icons/icon-192.png"),
    ))
    .await;
    deliver(payload("workspace-1-contact-4", "Hello", None)).await;
    let deadline = std::time::Instant::now() + WAIT;
    let shown = loop {
        let shown = run(
            &boris,
            "const r = await navigator.serviceWorker.ready;
             const list = await r.getNotifications();
             return list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, image: n.image,
               actions: n.actions.map((a) => [a.action, a.type, a.title]), data: n.data }));",
        )
        .await;
        if shown.as_array().is_some_and(|a| a.len() == 2)
            && shown.as_array().is_some_and(|a| {
                a.iter()
                    .any(|n| n["body"] == "2 new messages · Here is the photo")
            })
        {
            break shown;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "notifications shown: {shown}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let grouped = shown
        .as_array()
        .expect("a list")
        .iter()
        .find(|n| n["tag"] == tag)
        .expect("the contact's notification");
    assert_eq!(grouped["title"], "Tanya Gram · Northwind Coffee");
    assert_eq!(grouped["body"], "2 new messages · Here is the photo");
    assert_eq!(
        grouped["image"],
        json!(format!("{}/public/icons/icon-192.png", h.url))
    );
    assert_eq!(grouped["actions"], json!([["reply", "text", "Reply"]]));
    assert_eq!(grouped["data"]["url"], "/w/1/c/3?m=9");
    assert_eq!(
        grouped["data"]["reply"]["url"],
        "/api/v1/workspaces/1/conversations/3/messages"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_server_stopped_the_app_opens_from_its_cache() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let boris = h.browser(1440, 900).await;
    boris.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&boris, BORIS, PASSWORD).await;
    wait_xpath(&boris, "(//a[contains(@class,'conversation-row')])[1]").await;
    let controlled = run(
        &boris,
        "await navigator.serviceWorker.ready;
         for (let i = 0; i < 100 && !navigator.serviceWorker.controller; i++) {
           await new Promise((r) => setTimeout(r, 50));
         }
         return !!navigator.serviceWorker.controller;",
    )
    .await;
    assert_eq!(
        controlled,
        json!(true),
        "the service worker controls the page"
    );
    // A load under the worker keeps the app and the answers it reads.
    boris.refresh().await.expect("reload");
    let first = wait_xpath(&boris, "(//a[contains(@class,'conversation-row')])[1]").await;
    let name = first
        .find(By::Css(".conversation-row-name"))
        .await
        .expect("a name")
        .text()
        .await
        .expect("text");
    first.click().await.expect("open it");
    wait_xpath(&boris, "//section[@aria-label='Conversation']//article").await;
    let opened = boris.current_url().await.expect("url").to_string();
    assert!(!has_offline_banner(&boris).await);

    let Harness { server, .. } = h;
    server.stop().await.expect("the server stops");
    boris.goto(&opened).await.expect("goto");
    wait_xpath(&boris, "//p[contains(@class,'offline-banner')]").await;
    wait_xpath(
        &boris,
        &format!(
            "//a[contains(@class,'conversation-row')]//*[normalize-space()={}]",
            literal(&name)
        ),
    )
    .await;
    wait_xpath(&boris, "//section[@aria-label='Conversation']//article").await;
    screenshot(&boris, "offline-app-shell").await;
}

async fn has_offline_banner(driver: &WebDriver) -> bool {
    !driver
        .find_all(By::Css(".offline-banner"))
        .await
        .expect("a query")
        .is_empty()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_deployment_is_offered_as_a_reload() {
    let _serial = SERIAL.lock().await;
    // A copy of the built app, so the test can deploy "another build" under the open page.
    let dist = tempfile::tempdir().expect("a temp dir");
    copy_dir(&dist_dir(), dist.path());
    let served = dist.path().to_owned();
    let h = Harness::start_configured(move |config| config.dist_dir = served).await;
    let boris = h.browser(1440, 900).await;
    boris.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&boris, BORIS, PASSWORD).await;
    wait_xpath(&boris, "(//a[contains(@class,'conversation-row')])[1]").await;
    assert_eq!(
        count(&boris, ".update-banner").await,
        0,
        "the same build: nothing offered"
    );

    // Deploy: index.html now names another build.
    let index = dist.path().join("index.html");
    let html = std::fs::read_to_string(&index).expect("index.html");
    let build = html
        .split("/switchboard-")
        .nth(1)
        .and_then(|rest| rest.split(['_', '.']).next())
        .expect("the build's hash")
        .to_owned();
    std::fs::write(&index, html.replace(&build, "0123456789abcdef")).expect("deployed");
    // The app looks again when it comes back into view.
    boris
        .execute(
            "document.dispatchEvent(new Event('visibilitychange'));",
            Vec::new(),
        )
        .await
        .expect("the event");
    wait_xpath(
        &boris,
        "//p[contains(@class,'update-banner')][contains(normalize-space(),'A new version of Switchboard is ready.')]//button[normalize-space()='Reload']",
    )
    .await;
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).expect("a directory") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            std::fs::create_dir_all(&target).expect("a directory");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copied");
        }
    }
}
