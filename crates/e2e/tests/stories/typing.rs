//! Typing indicators between two agents in two browsers (C7): one types, the other sees who
//! and what (a message or a comment) under the same conversation only, and the indicator goes
//! when the text is sent, emptied, or its author leaves.

use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

const INDICATOR: &str = "//p[contains(@class,'typing-indicator')]";

async fn indicator(driver: &WebDriver) -> String {
    wait_xpath(driver, INDICATOR)
        .await
        .text()
        .await
        .unwrap_or_default()
}

/// Waits until the indicator reads `want` ("" for nothing).
async fn shows(driver: &WebDriver, want: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let now = indicator(driver).await;
        if now == want {
            return;
        }
        if std::time::Instant::now() >= deadline {
            screenshot(driver, "typing-failure").await;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the typing indicator reads {now:?}, not {want:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_sees_a_colleague_typing_a_message_or_a_comment() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    let boris = h.phone().await;
    for (driver, email) in [
        (&anna, "anna@northwind.example"),
        (&boris, "boris@northwind.example"),
    ] {
        driver.goto(format!("{}/w/1", h.url)).await.expect("goto");
        sign_in(driver, email, PASSWORD).await;
        click(driver, &row("Lena Fischer")).await;
        wait_xpath(driver, "//textarea").await;
    }
    shows(&boris, "").await;

    let field = wait_xpath(&anna, "//textarea").await;
    field.send_keys("Let me check").await.expect("typing");
    shows(&boris, "Anna Petrova is typing…").await;
    screenshot(&boris, "typing-phone").await;

    // Switching to a comment says so; sending ends it at once.
    click(
        &anna,
        "//button[@role='radio'][normalize-space()='Comment']",
    )
    .await;
    shows(&boris, "Anna Petrova is writing a comment…").await;
    field.send_keys(Key::Enter).await.expect("send");
    wait_xpath(&boris, &bubble("Let me check")).await;
    shows(&boris, "").await;

    // Emptying the field ends it too.
    field.send_keys("x").await.expect("typing");
    shows(&boris, "Anna Petrova is writing a comment…").await;
    field.send_keys(Key::Backspace).await.expect("deleting");
    shows(&boris, "").await;

    // Anna's typing shows in her colleague's view of that conversation only, never in her own.
    field.send_keys("One more thing").await.expect("typing");
    shows(&boris, "Anna Petrova is writing a comment…").await;
    shows(&anna, "").await;
    boris.back().await.expect("back");
    click(&boris, &row("Olivia Bennett")).await;
    wait_xpath(&boris, "//textarea").await;
    shows(&boris, "").await;
    boris.back().await.expect("back");
    click(&boris, &row("Lena Fischer")).await;
    // An indicator lasts a few seconds after the last key; typing on renews it.
    field.send_keys(" and").await.expect("typing");
    shows(&boris, "Anna Petrova is writing a comment…").await;

    // Anna leaving the conversation ends it, her draft kept.
    click(&anna, &row("Olivia Bennett")).await;
    shows(&boris, "").await;
    screenshot(&anna, "typing-desktop").await;
    anna.quit().await.expect("quit");
    boris.quit().await.expect("quit");
}
