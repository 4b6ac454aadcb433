//! The foundation's story, in real browsers: an agent signs in, a visitor writes from the
//! website chat, they talk live, and nothing a visitor types is executed.

use std::time::Duration;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

const XSS: &str = "<img src=x onerror=alert(1)>";

/// A message in a thread or visitor chat whose text contains `text`.
fn message(text: &str) -> String {
    format!(
        "//*[@role='log']//*[contains(normalize-space(.),{})][not(*[contains(normalize-space(.),{})])]",
        literal(text),
        literal(text)
    )
}

async fn send(driver: &WebDriver, text: &str) {
    let field = wait_xpath(driver, "//textarea").await;
    field.send_keys(text).await.expect("typing");
    field.send_keys(Key::Enter).await.expect("enter");
}

async fn alert_shown(driver: &WebDriver) -> bool {
    driver.get_alert_text().await.is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_and_visitor_talk_live_and_markup_stays_text() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;

    // The agent asks for the inbox, signs in, and lands back on it.
    let agent = h.browser(1280, 800).await;
    agent.goto(format!("{}/w/1", h.url)).await.expect("goto");
    wait_xpath(&agent, "//h1[normalize-space()='Sign in to your inbox']").await;
    assert!(
        agent
            .current_url()
            .await
            .expect("url")
            .as_str()
            .contains("/login?next=/w/1")
    );
    sign_in(&agent, "anna@northwind.example", PASSWORD).await;
    wait_xpath(&agent, &row("Olivia Bennett")).await;
    assert_eq!(agent.current_url().await.expect("url").path(), "/w/1");

    // A visitor writes "Hello" from the website chat.
    let visitor = h.browser(400, 780).await;
    visitor.goto(h.chat_url()).await.expect("goto");
    wait_xpath(&visitor, "//h1[normalize-space()='Northwind Coffee']").await;
    send(&visitor, "Hello").await;
    wait_xpath(&visitor, &message("Hello")).await;

    // It appears in the agent's list without a reload, unread, on top.
    let new_row = wait_xpath(&agent, &row("Visitor #")).await;
    // Screen readers hear of it (X4).
    wait_xpath(
        &agent,
        "//p[@role='status'][starts-with(normalize-space(),'New message from Visitor #')]",
    )
    .await;
    let badge = new_row
        .find(By::Css(".unread-badge"))
        .await
        .expect("an unread badge")
        .text()
        .await
        .expect("text");
    assert_eq!(
        badge.split_whitespace().collect::<Vec<_>>(),
        ["unread:", "1"]
    );
    let first = agent
        .find(By::XPath("(//a[contains(@class,'conversation-row')])[1]"))
        .await
        .expect("a first row");
    assert_eq!(
        first.attr("data-conversation").await.expect("attr"),
        new_row.attr("data-conversation").await.expect("attr"),
        "on top"
    );

    // The agent opens it: the message is there and the unread badge is gone.
    new_row.click().await.expect("click");
    wait_xpath(&agent, &message("Hello")).await;
    wait_gone(
        &agent,
        &format!("{}[contains(@class,'unread')]", row("Visitor #")),
    )
    .await;

    // The agent replies; the visitor sees it live.
    send(&agent, "Hi! How can I help?").await;
    wait_xpath(&agent, &message("Hi! How can I help?")).await;
    wait_xpath(&visitor, &message("Hi! How can I help?")).await;
    wait_xpath(
        &visitor,
        "//*[contains(@class,'visitor-author')][normalize-space()='Anna']",
    )
    .await;

    // Markup typed by the visitor is shown as text on both sides and never runs.
    send(&visitor, XSS).await;
    let on_visitor = wait_text(&visitor, &message(XSS)).await;
    assert_eq!(on_visitor.lines().next(), Some(XSS));
    let on_agent = wait_text(&agent, &message(XSS)).await;
    assert!(on_agent.contains(XSS));
    for driver in [&agent, &visitor] {
        assert_eq!(
            count(driver, "img[src='x']").await,
            0,
            "the markup became an element"
        );
        assert!(!alert_shown(driver).await, "a script ran");
    }

    let inbox_png = screenshot(&agent, "inbox").await;
    let visitor_png = screenshot(&visitor, "visitor").await;
    assert!(inbox_png.is_file() && visitor_png.is_file());

    agent.quit().await.expect("quit");
    visitor.quit().await.expect("quit");
    h.server.stop().await.expect("the server stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_to_a_conversation_survives_signing_in_and_opening_clears_unread() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let agent = h.browser(1280, 800).await;

    // Olivia's conversation (the demo's first contact) has unread messages.
    agent
        .goto(format!("{}/w/1/c/1", h.url))
        .await
        .expect("goto");
    sign_in(&agent, "boris@northwind.example", PASSWORD).await;
    wait_xpath(&agent, "//h2[normalize-space()='Olivia Bennett']").await;
    assert_eq!(agent.current_url().await.expect("url").path(), "/w/1/c/1");
    wait_xpath(&agent, &message("Could I add a second bag")).await;
    wait_gone(
        &agent,
        &format!("{}[contains(@class,'unread')]", row("Olivia Bennett")),
    )
    .await;

    // The server agrees: after a reload the badge stays gone.
    agent.refresh().await.expect("reload");
    wait_xpath(&agent, &row("Olivia Bennett")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let badges = agent
        .find(By::XPath(row("Olivia Bennett")))
        .await
        .expect("the row")
        .find_all(By::Css(".unread-badge"))
        .await
        .expect("a query");
    assert!(badges.is_empty(), "no unread badge after the reload");

    // Others still show theirs.
    wait_xpath(
        &agent,
        &format!("{}[contains(@class,'unread')]", row("Дмитрий Соколов")),
    )
    .await;

    // A narrow screen shows one pane: the thread, with a way back to the list.
    agent.set_window_rect(0, 0, 400, 800).await.expect("resize");
    let back = wait_xpath(&agent, "//a[@aria-label='Back to conversations']").await;
    assert!(back.is_displayed().await.expect("displayed"));
    screenshot(&agent, "thread-mobile").await;
    back.click().await.expect("click");
    wait_xpath(&agent, &row("Olivia Bennett")).await;
    assert_eq!(agent.current_url().await.expect("url").path(), "/w/1");

    agent.quit().await.expect("quit");
    h.server.stop().await.expect("the server stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_refused_with_a_message() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let agent = h.browser(1280, 800).await;
    agent.goto(format!("{}/login", h.url)).await.expect("goto");
    sign_in(&agent, "anna@northwind.example", "not-the-password").await;
    wait_xpath(&agent, "//*[@role='alert'][contains(.,'do not match')]").await;
    assert_eq!(agent.current_url().await.expect("url").path(), "/login");
    agent.quit().await.expect("quit");
    h.server.stop().await.expect("the server stops");
}
