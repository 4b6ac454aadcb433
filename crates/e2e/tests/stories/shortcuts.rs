//! Desktop keyboard shortcuts in a real browser (K11): `?` shows them, J and K move through
//! the list, G then M goes to a folder, E opens the close dialog, I assigns to me, and the
//! Ctrl-K palette finds and runs any command; letters typed in a text field stay text. The
//! keys' code arrives as a part once the list is shown.

use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

async fn keys(driver: &WebDriver, text: impl Into<TypingData>) {
    driver
        .active_element()
        .await
        .expect("a focused element")
        .send_keys(text)
        .await
        .expect("typing");
}

async fn path(driver: &WebDriver) -> String {
    driver.current_url().await.expect("url").path().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keyboard_moves_through_the_inbox_and_runs_commands() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    let first = wait_xpath(&anna, "(//a[contains(@class,'conversation-row')])[1]").await;
    let first_id = first
        .attr("data-conversation")
        .await
        .expect("attr")
        .expect("id");
    let second_id = wait_xpath(&anna, "(//a[contains(@class,'conversation-row')])[2]")
        .await
        .attr("data-conversation")
        .await
        .expect("attr")
        .expect("id");
    // Sign-in left the focus in no field.
    anna.execute(
        "document.activeElement && document.activeElement.blur();",
        Vec::new(),
    )
    .await
    .expect("blurred");

    // ? shows the shortcuts; Escape hides them. The keys work once their code has arrived,
    // a moment after the list: until then a press does nothing, and pressing again works.
    let help = "//div[@role='dialog']//h2[normalize-space()='Keyboard shortcuts']";
    let mut shown = false;
    for _ in 0..40 {
        keys(&anna, "?").await;
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        if anna.find(By::XPath(help)).await.is_ok() {
            shown = true;
            break;
        }
    }
    assert!(shown, "? shows the keyboard shortcuts");
    wait_xpath(
        &anna,
        "//dl//div[dt[normalize-space()='Close conversation']]//kbd[normalize-space()='E']",
    )
    .await;
    screenshot(&anna, "shortcuts-help").await;
    keys(&anna, Key::Escape).await;
    wait_gone(&anna, "//div[@role='dialog']").await;

    // J opens the first conversation, J the next, K goes back.
    keys(&anna, "j").await;
    wait_path(&anna, &format!("/w/1/c/{first_id}")).await;
    keys(&anna, "j").await;
    wait_path(&anna, &format!("/w/1/c/{second_id}")).await;
    keys(&anna, "k").await;
    wait_path(&anna, &format!("/w/1/c/{first_id}")).await;

    // E opens the close dialog for the open conversation; Escape leaves it.
    keys(&anna, "e").await;
    wait_xpath(
        &anna,
        "//div[@role='dialog']//h2[starts-with(normalize-space(),'Close the conversation with')]",
    )
    .await;
    keys(&anna, Key::Escape).await;
    wait_gone(&anna, "//div[@role='dialog']").await;

    // I assigns it to me.
    keys(&anna, "i").await;
    wait_xpath(
        &anna,
        "//p[contains(@class,'toast')][normalize-space()='Assigned to you']",
    )
    .await;

    // Letters typed in the composer stay text.
    let field = wait_xpath(&anna, "//textarea").await;
    field.send_keys("jk?").await.expect("typing");
    assert_eq!(
        field.prop("value").await.expect("value").as_deref(),
        Some("jk?")
    );
    assert_eq!(path(&anna).await, format!("/w/1/c/{first_id}"));
    field.clear().await.expect("cleared");
    anna.execute("document.activeElement.blur();", Vec::new())
        .await
        .expect("blurred");

    // G then M goes to Mine.
    keys(&anna, "g").await;
    keys(&anna, "m").await;
    wait_query(&anna, "folder=mine").await;

    // Ctrl-K: the palette narrows to what is typed and runs the chosen command.
    keys(&anna, Key::Control + "k").await;
    let input = wait_xpath(&anna, "//div[@aria-label='Command palette']//input").await;
    input.send_keys("search ev").await.expect("typing");
    wait_xpath(&anna, "//ul[@aria-label='Commands']//li[@aria-selected='true'][.//span[normalize-space()='Search everything']]").await;
    screenshot(&anna, "command-palette").await;
    input.send_keys(Key::Enter).await.expect("enter");
    wait_path(&anna, "/w/1/search").await;
    wait_gone(&anna, "//div[@aria-label='Command palette']").await;
    assert!(
        anna.find(By::XPath(row("Olivia Bennett"))).await.is_err(),
        "the search pane shows"
    );
    anna.quit().await.expect("quit");
}
