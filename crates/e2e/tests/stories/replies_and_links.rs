//! Replies (C4) and message links (C5) in real browsers: the hover menu replies with a
//! colour-coded one-line quote that can be cancelled, the sent reply's quote jumps to the
//! original and makes it blink; a copied link opens at its message after signing in, also
//! pages back in a long thread; a link to a message that is gone says so; on a phone a swipe
//! to the right replies and a long press opens the menu; a link into another workspace switches
//! to it, or says it is not found to someone outside it.

use chrono::{Duration, Utc};
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;
use switchboard_protocol::*;
use switchboard_storage::NewMessage;

/// Stores `n` old incoming messages "History line 000"… in a conversation; returns the
/// first one's id.
async fn history(
    store: &std::sync::Arc<dyn switchboard_storage::Store>,
    conversation: ConversationId,
    n: i64,
) -> MessageId {
    let start = Utc::now() - Duration::days(2);
    let mut first = None;
    for i in 0..n {
        let appended = store
            .append_message(NewMessage {
                original: None,
                workspace: WorkspaceId(1),
                conversation,
                client_id: None,
                kind: MessageKind::Message,
                direction: Direction::Incoming,
                sender_kind: SenderKind::Contact,
                sender_user: None,
                content: Content::Text {
                    text: format!("History line {i:03}"),
                },
                delivery_status: None,
                created_at: start + Duration::minutes(i),
                reply_to: None,
                mentions: Vec::new(),
                attachments: Vec::new(),
                channel: None,
            })
            .await
            .expect("stored");
        first.get_or_insert(appended.message.id);
    }
    first.expect("a first message")
}

/// The distance of an element from the top of the screen.
async fn top_of(driver: &WebDriver, xpath: &str) -> f64 {
    let element = wait_xpath(driver, xpath).await;
    driver
        .execute(
            "return arguments[0].getBoundingClientRect().top;",
            vec![element.to_json().expect("an element")],
        )
        .await
        .expect("the script runs")
        .convert::<f64>()
        .expect("a number")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn older_messages_load_above_without_moving_what_is_read() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    let hannah = wait_xpath(&anna, &row("Hannah Novak"))
        .await
        .attr("data-conversation")
        .await
        .expect("an attribute")
        .expect("an id");
    let conversation = ConversationId(hannah.parse().expect("a number"));
    history(&h.server.state.store, conversation, 120).await;
    click(&anna, &row("Hannah Novak")).await;
    // The newest page shows, scrolled to the bottom (the app scrolls once it is drawn).
    wait_xpath(&anna, &bubble("History line 119")).await;
    let at_bottom = comes_true(
        &anna,
        "const s = document.querySelector('.thread-scroller');
         return s.scrollTop > 0 && s.scrollTop + s.clientHeight >= s.scrollHeight - 2;",
        Vec::new(),
    )
    .await;
    assert!(at_bottom, "the newest page is scrolled to the bottom");
    let earlier = "//button[normalize-space()='Show earlier messages']";
    anna.execute(
        "document.querySelector('.thread-scroller').scrollTop = 0;",
        Vec::new(),
    )
    .await
    .expect("scrolled");
    let oldest_shown = "History line 070";
    let before = top_of(&anna, &bubble(oldest_shown)).await;
    click(&anna, earlier).await;
    wait_xpath(&anna, &bubble("History line 069")).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let after = top_of(&anna, &bubble(oldest_shown)).await;
    assert!(
        (after - before).abs() < 40.0,
        "the message read stays in place: {before} → {after}"
    );
    anna.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_replies_with_a_quote_and_links_open_at_their_message() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Olivia Bennett")).await;

    // Reply from the hover menu: the preview names Olivia, one line; cancel removes it.
    message_action(&anna, "Ethiopia Yirgacheffe", "Reply").await;
    let preview = wait_xpath(&anna, "//div[contains(@class,'reply-preview')]").await;
    assert!(has_class(&preview, "quote-incoming").await);
    let title = wait_text(
        &anna,
        "//div[contains(@class,'reply-preview')]//span[@class='quote-sender']",
    )
    .await;
    assert_eq!(title, "Replying to Olivia Bennett");
    click(&anna, "//button[@aria-label='Cancel reply']").await;
    wait_gone(&anna, "//div[contains(@class,'reply-preview')]").await;

    // Reply for real: the sent message carries the quote.
    message_action(&anna, "Ethiopia Yirgacheffe", "Reply").await;
    let field = wait_xpath(&anna, "//textarea").await;
    field
        .send_keys("They ship on Thursday.")
        .await
        .expect("typing");
    field.send_keys(Key::Enter).await.expect("enter");
    wait_gone(&anna, "//div[contains(@class,'reply-preview')]").await;
    let quote = format!(
        "{}//button[contains(@class,'message-quote')]",
        bubble("They ship on Thursday.")
    );
    let quoted = wait_text(&anna, &format!("{quote}//span[@class='quote-text']")).await;
    assert!(quoted.starts_with("Hi! I ordered the Ethiopia"), "{quoted}");
    // It is stored with the quote (still there after a reload).
    anna.refresh().await.expect("reload");
    click(&anna, &quote).await;
    assert!(
        blinks(&anna, &bubble("Ethiopia Yirgacheffe")).await,
        "the original blinks"
    );
    screenshot(&anna, "reply-desktop").await;

    // Copy link: a confirmation (or the link itself, where the clipboard is refused).
    message_action(&anna, "Ethiopia Yirgacheffe", "Copy link").await;
    let toast = wait_text(&anna, "//p[contains(@class,'toast')]").await;
    assert!(
        toast == "Link copied" || toast.starts_with("Copy this link: "),
        "{toast}"
    );

    // A long thread: 240 older messages, then a link to the oldest opens there after sign-in.
    let store = h.server.state.store.clone();
    let hannah = wait_xpath(&anna, &row("Hannah Novak"))
        .await
        .attr("data-conversation")
        .await
        .expect("an attribute")
        .expect("an id");
    let conversation = ConversationId(hannah.parse().expect("a number"));
    let first = history(&store, conversation, 240).await;
    let link = format!("{}/w/1/c/{conversation}?m={first}", h.url);
    let boris = h.browser(1280, 800).await;
    boris.goto(&link).await.expect("goto");
    sign_in(&boris, "boris@northwind.example", PASSWORD).await;
    assert!(
        blinks(&boris, &bubble("History line 000")).await,
        "the linked message is highlighted"
    );
    assert_eq!(boris.current_url().await.expect("url").as_str(), link);

    // A link to a message that is not there says so and keeps the thread.
    boris
        .goto(format!("{}/w/1/c/{conversation}?m=999999", h.url))
        .await
        .expect("goto");
    wait_xpath(
        &boris,
        "//p[contains(@class,'toast')][contains(.,'not in this conversation')]",
    )
    .await;
    wait_xpath(&boris, &bubble("History line 239")).await;
    anna.quit().await.expect("quit");
    boris.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_a_swipe_replies_and_a_long_press_opens_the_menu() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let phone = h.phone().await;
    phone.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&phone, "anna@northwind.example", PASSWORD).await;
    click(&phone, &row("Olivia Bennett")).await;

    // A short swipe does nothing; a long enough one to the right replies.
    touch(&phone, &bubble("Ethiopia Yirgacheffe"), 20, 50).await;
    assert_eq!(count(&phone, ".reply-preview").await, 0);
    touch(&phone, &bubble("Ethiopia Yirgacheffe"), 90, 50).await;
    wait_xpath(&phone, "//div[contains(@class,'reply-preview')]").await;
    screenshot(&phone, "reply-mobile").await;
    click(&phone, "//button[@aria-label='Cancel reply']").await;

    // A long press opens the message's menu.
    touch(&phone, &bubble("second bag"), 0, 700).await;
    let menu = wait_xpath(
        &phone,
        &format!("{}[contains(@class,'menu-open')]", bubble("second bag")),
    )
    .await;
    assert!(
        menu.find(By::XPath(".//button[@aria-label='Copy link']"))
            .await
            .expect("a Copy link item")
            .is_displayed()
            .await
            .expect("displayed")
    );
    screenshot(&phone, "message-menu-mobile").await;
    phone.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_survives_a_reload_and_stays_with_its_conversation() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Olivia Bennett")).await;
    wait_xpath(&anna, "//textarea")
        .await
        .send_keys("Half-written answer")
        .await
        .expect("typing");
    anna.refresh().await.expect("reload");
    wait_xpath(&anna, &bubble("Ethiopia Yirgacheffe")).await;
    let value = |driver: WebDriver| async move {
        wait_xpath(&driver, "//textarea")
            .await
            .prop("value")
            .await
            .expect("a value")
            .unwrap_or_default()
    };
    assert_eq!(value(anna.clone()).await, "Half-written answer");
    // Another conversation has its own (empty) draft; coming back finds this one.
    click(&anna, &row("Chloé Dubois")).await;
    wait_xpath(&anna, &bubble("decaf")).await;
    assert_eq!(value(anna.clone()).await, "");
    click(&anna, &row("Olivia Bennett")).await;
    wait_xpath(&anna, &bubble("Ethiopia Yirgacheffe")).await;
    assert_eq!(value(anna.clone()).await, "Half-written answer");
    // Sending clears it for good.
    wait_xpath(&anna, "//textarea")
        .await
        .send_keys(Key::Enter)
        .await
        .expect("enter");
    wait_xpath(&anna, &bubble("Half-written answer")).await;
    anna.refresh().await.expect("reload");
    wait_xpath(&anna, &bubble("Half-written answer")).await;
    assert_eq!(value(anna.clone()).await, "");
    anna.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_opens_in_a_viewer_with_download_and_share() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let phone = h.phone().await;
    phone.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&phone, "anna@northwind.example", PASSWORD).await;
    click(&phone, &row("Priya Raman")).await;
    let image = wait_xpath(&phone, "//button[@aria-label='Open image']//img").await;
    image.scroll_into_view().await.expect("scrolled");
    comes_true(
        &phone,
        "return arguments[0].complete && arguments[0].naturalWidth > 0;",
        vec![image.to_json().expect("json")],
    )
    .await;
    screenshot(&phone, "image-message-mobile").await;
    click(&phone, "//button[@aria-label='Open image']").await;
    let viewer = "//div[@role='dialog'][@aria-label='Image']";
    wait_xpath(
        &phone,
        &format!("{viewer}//img[@alt='My first rosetta with your Colombia blend!']"),
    )
    .await;
    let download = wait_xpath(
        &phone,
        &format!("{viewer}//a[normalize-space()='Download']"),
    )
    .await;
    assert_eq!(
        download.attr("download").await.expect("attr").as_deref(),
        Some("latte-art.svg")
    );
    assert!(
        download
            .attr("href")
            .await
            .expect("attr")
            .unwrap_or_default()
            .ends_with("/public/demo/latte-art.svg")
    );
    wait_xpath(
        &phone,
        &format!("{viewer}//button[normalize-space()='Share']"),
    )
    .await;
    screenshot(&phone, "image-viewer-mobile").await;
    click(
        &phone,
        &format!("{viewer}//button[normalize-space()='Close']"),
    )
    .await;
    wait_gone(&phone, viewer).await;
    // Escape closes it too.
    click(&phone, "//button[@aria-label='Open image']").await;
    wait_xpath(&phone, viewer).await;
    phone
        .active_element()
        .await
        .expect("focus")
        .send_keys(Key::Escape)
        .await
        .expect("escape");
    wait_gone(&phone, viewer).await;
    phone.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_into_another_workspace_switches_to_it() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    wait_xpath(&anna, &row("Olivia Bennett")).await;
    // A colleague's link to Hugo's first message, in Aurora Books.
    let path = anna
        .execute(
            "return fetch('/api/v1/workspaces/2/conversations').then(r => r.json()).then(page => {
                const hugo = page.items.find(c => c.contact.first_name === 'Hugo');
                return fetch(`/api/v1/workspaces/2/conversations/${hugo.id}/messages`)
                  .then(r => r.json())
                  .then(m => `/w/2/c/${hugo.id}?m=${m.items[m.items.length - 1].id}`);
             });",
            Vec::new(),
        )
        .await
        .expect("the script runs")
        .convert::<String>()
        .expect("a path");
    anna.goto(format!("{}{path}", h.url)).await.expect("goto");
    assert!(
        blinks(&anna, &bubble("Anna Karenina")).await,
        "opens at the message"
    );
    let switcher = wait_xpath(
        &anna,
        "//label[contains(@class,'workspace-switcher')]//select",
    )
    .await;
    assert_eq!(
        switcher.prop("value").await.expect("value").as_deref(),
        Some("2")
    );
    wait_xpath(&anna, &row("Hugo Laurent")).await;
    wait_gone(&anna, &row("Olivia Bennett")).await;

    // Boris is not in Aurora Books: the same link says so and offers his own inbox.
    let boris = h.browser(1280, 800).await;
    boris.goto(format!("{}{path}", h.url)).await.expect("goto");
    sign_in(&boris, "boris@northwind.example", PASSWORD).await;
    wait_xpath(&boris, "//h1[normalize-space()='Workspace not found']").await;
    click(&boris, "//a[normalize-space()='Go to your inbox']").await;
    wait_xpath(&boris, &row("Olivia Bennett")).await;
    assert_eq!(
        count(&boris, "article.message").await,
        0,
        "nothing of Hugo's shows"
    );
    anna.quit().await.expect("quit");
    boris.quit().await.expect("quit");
}
