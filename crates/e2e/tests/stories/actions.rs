//! Conversation actions in real browsers (A1–A4): assign, snooze with a preset (a past custom
//! time is refused), unsnooze, close with the closing-notes dialog the workspace asks for
//! (optional, then mandatory), reopen, and block/unblock after confirmation; on a phone, list
//! rows swipe left to close and right to snooze or unsnooze.

use switchboard_e2e::thirtyfour::components::SelectElement;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

fn button(text: &str) -> String {
    format!("//button[normalize-space()={}]", literal(text))
}

fn chip(text: &str) -> String {
    format!(
        "//header[contains(@class,'thread-header')]//span[contains(@class,'status-chip')][normalize-space()={}]",
        literal(text)
    )
}

const DIALOG: &str = "//div[@role='dialog']";

/// Sets a form field's value the way typing does (date pickers vary by locale).
async fn set_value(driver: &WebDriver, css: &str, value: &str) {
    driver
        .execute(
            "const el = document.querySelector(arguments[0]); el.value = arguments[1];
             el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::json!(css), serde_json::json!(value)],
        )
        .await
        .expect("the script runs");
}

/// Runs a same-origin API call in the page with the browser's session; returns its status.
async fn api(driver: &WebDriver, method: &str, path: &str, body: serde_json::Value) -> u16 {
    driver
        .execute(
            "return fetch(arguments[0], { method: arguments[1], headers: { 'content-type': 'application/json' },
                 body: JSON.stringify(arguments[2]) }).then(r => r.status);",
            vec![
                serde_json::json!(format!("/api/v1{path}")),
                serde_json::json!(method),
                body,
            ],
        )
        .await
        .expect("the script runs")
        .convert::<u16>()
        .expect("a status")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_assigns_snoozes_closes_and_reopens() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Olivia Bennett")).await;
    wait_xpath(&anna, &chip("Open")).await;

    // Assign to herself; the choice holds after a reload and the Mine folder lists it.
    let assignee = "//select[@aria-label='Assignee']";
    wait_xpath(
        &anna,
        &format!("{assignee}//option[normalize-space()='Anna Petrova']"),
    )
    .await;
    SelectElement::new(&wait_xpath(&anna, assignee).await)
        .await
        .expect("a select")
        .select_by_exact_text("Anna Petrova")
        .await
        .expect("chosen");
    wait_xpath(
        &anna,
        "//nav[@aria-label='Folders']//a[@data-folder='mine']//span[@class='folder-count'][contains(.,'3')]",
    )
    .await;
    anna.refresh().await.expect("reload");
    wait_selected(&anna, assignee, "Anna Petrova").await;

    // Snooze: a past custom time is refused, a preset snoozes, the reminder bar says until when.
    click(&anna, &button("Snooze")).await;
    wait_xpath(&anna, DIALOG).await;
    screenshot(&anna, "snooze-dialog-desktop").await;
    set_value(
        &anna,
        ".modal input[type='datetime-local']",
        "2020-01-01T10:00",
    )
    .await;
    click(&anna, &format!("{DIALOG}{}", button("Snooze"))).await;
    wait_xpath(
        &anna,
        "//p[@role='alert'][normalize-space()='Pick a time in the future.']",
    )
    .await;
    click(
        &anna,
        "//button[contains(@class,'preset')][contains(.,'In 1 hour')]",
    )
    .await;
    wait_gone(&anna, DIALOG).await;
    wait_xpath(&anna, &chip("Snoozed")).await;
    let reminder = wait_text(&anna, "//p[contains(@class,'reminder-bar')]").await;
    assert!(reminder.starts_with("Snoozed until "), "{reminder}");
    click(&anna, &button("Unsnooze")).await;
    wait_xpath(&anna, &chip("Open")).await;
    wait_gone(&anna, "//p[contains(@class,'reminder-bar')]").await;

    // Close with an optional note (the demo's setting), then reopen.
    click(&anna, &button("Close")).await;
    wait_xpath(&anna, "//label[contains(.,'Closing note (optional)')]").await;
    wait_xpath(&anna, &format!("{DIALOG}//textarea"))
        .await
        .send_keys("Second bag added to the parcel.")
        .await
        .expect("typing");
    click(&anna, &button("Close conversation")).await;
    wait_xpath(&anna, &chip("Closed")).await;
    click(&anna, &button("Reopen")).await;
    wait_xpath(&anna, &chip("Open")).await;

    // Maria makes notes mandatory: Anna's dialog follows live and will not close without one.
    let maria = h.browser(1280, 800).await;
    maria.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    wait_xpath(&maria, &row("Olivia Bennett")).await;
    assert_eq!(
        api(
            &maria,
            "PATCH",
            "/workspaces/1/settings",
            serde_json::json!({ "closing_notes": "mandatory" })
        )
        .await,
        200
    );
    let mut required = false;
    for _ in 0..50 {
        click(&anna, &button("Close")).await;
        wait_xpath(&anna, DIALOG).await;
        if anna
            .find(By::XPath("//label[contains(.,'Closing note (required)')]"))
            .await
            .is_ok()
        {
            required = true;
            break;
        }
        click(&anna, &button("Cancel")).await;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(required, "the dialog asks for a note");
    let submit = wait_xpath(&anna, &button("Close conversation")).await;
    assert!(
        !submit.is_enabled().await.expect("enabled"),
        "no note, no close"
    );
    wait_xpath(&anna, &format!("{DIALOG}//textarea"))
        .await
        .send_keys("   ")
        .await
        .expect("typing");
    assert!(
        !submit.is_enabled().await.expect("enabled"),
        "blank is no note"
    );
    screenshot(&anna, "close-dialog-desktop").await;
    wait_xpath(&anna, &format!("{DIALOG}//textarea"))
        .await
        .send_keys("Refunded.")
        .await
        .expect("typing");
    submit.click().await.expect("click");
    wait_xpath(&anna, &chip("Closed")).await;
    anna.quit().await.expect("quit");
    maria.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_blocks_and_unblocks_after_confirming() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let maria = h.phone().await;
    maria.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    click(&maria, &row("Olivia Bennett")).await;
    wait_xpath(&maria, &chip("Open")).await;
    screenshot(&maria, "thread-mobile").await;

    // Cancel changes nothing.
    click(&maria, "//button[@aria-label='Block contact']").await;
    wait_xpath(
        &maria,
        "//div[@role='dialog']//h2[normalize-space()='Block Olivia Bennett?']",
    )
    .await;
    screenshot(&maria, "block-dialog-mobile").await;
    click(&maria, &button("Cancel")).await;
    wait_gone(&maria, DIALOG).await;
    assert_eq!(count(&maria, ".status-chip.status-blocked").await, 0);

    click(&maria, "//button[@aria-label='Block contact']").await;
    click(&maria, &button("Block contact")).await;
    wait_xpath(&maria, &chip("Blocked")).await;
    let snooze = wait_xpath(&maria, &button("Snooze")).await;
    assert!(
        !snooze.is_enabled().await.expect("enabled"),
        "blocked contacts cannot be snoozed"
    );

    click(&maria, "//button[@aria-label='Unblock contact']").await;
    click(&maria, &button("Unblock")).await;
    wait_gone(&maria, &chip("Blocked")).await;
    assert!(
        wait_xpath(&maria, &button("Snooze"))
            .await
            .is_enabled()
            .await
            .expect("enabled")
    );
    maria.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_rows_swipe_left_to_close_and_right_to_snooze_or_unsnooze() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let phone = h.phone().await;
    phone
        .goto(format!("{}/w/1?status=open", h.url))
        .await
        .expect("goto");
    sign_in(&phone, "anna@northwind.example", PASSWORD).await;
    wait_xpath(&phone, &row("Olivia Bennett")).await;

    // A short swipe changes nothing and does not open the conversation.
    touch(&phone, &row("Olivia Bennett"), -30, 50).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    wait_xpath(&phone, &row("Olivia Bennett")).await;
    assert_eq!(phone.current_url().await.expect("url").path(), "/w/1");

    // Left closes: the row leaves the Open tab.
    touch(&phone, &row("Olivia Bennett"), -100, 50).await;
    wait_xpath(
        &phone,
        "//p[contains(@class,'toast')][normalize-space()='Closed']",
    )
    .await;
    wait_gone(&phone, &row("Olivia Bennett")).await;

    // Right snoozes until tomorrow morning.
    touch(&phone, &row("Chloé Dubois"), 100, 50).await;
    let toast = wait_text(
        &phone,
        "//p[contains(@class,'toast')][starts-with(.,'Snoozed until')]",
    )
    .await;
    assert!(toast.contains("09:00"), "{toast}");
    wait_gone(&phone, &row("Chloé Dubois")).await;

    // In the Snoozed tab, right unsnoozes.
    phone
        .goto(format!("{}/w/1?status=snoozed", h.url))
        .await
        .expect("goto");
    touch(&phone, &row("Chloé Dubois"), 100, 50).await;
    wait_xpath(
        &phone,
        "//p[contains(@class,'toast')][normalize-space()='Back in Open']",
    )
    .await;
    wait_gone(&phone, &row("Chloé Dubois")).await;
    phone.quit().await.expect("quit");
}
