//! Workflows (A7, A8, T9) in a real browser: a manager builds a Shortcut workflow in
//! settings with the step editor (a refused step is named where it is); an agent runs it
//! from the conversation's ⚡ menu, the visitor reads its message, and the contact panel
//! lists the runs while they wait (one started from the ⋮ menu); Stop all, after a
//! confirmation, ends them before their last step; turned off in settings, it is no longer
//! offered.

use switchboard_e2e::thirtyfour::components::SelectElement;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

const FORM: &str = "//form[@aria-label='Workflow']";

async fn choose(driver: &WebDriver, name: &str, text: &str) {
    SelectElement::new(&wait_xpath(driver, &format!("{FORM}//select[@name='{name}']")).await)
        .await
        .expect("a select")
        .select_by_exact_text(text)
        .await
        .unwrap_or_else(|e| panic!("{text} in {name}: {e}"));
}

async fn type_into(driver: &WebDriver, xpath: &str, text: &str) {
    let field = wait_xpath(driver, xpath).await;
    field.clear().await.expect("cleared");
    field.send_keys(text).await.expect("typing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shortcut_built_in_settings_runs_from_a_conversation_and_stop_all_ends_it() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;

    // Maria builds the workflow: a message, a wait of an hour, a comment.
    let maria = h.browser(1440, 900).await;
    maria
        .goto(format!("{}/w/1/settings", h.url))
        .await
        .expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    type_into(
        &maria,
        &format!("{FORM}//input[@name='workflow_name']"),
        "Order follow-up",
    )
    .await;
    type_into(
        &maria,
        &format!("{FORM}//textarea[@name='step_0_text']"),
        "Thanks! We are checking your order now.",
    )
    .await;
    choose(&maria, "workflow_add_step", "Wait").await;
    choose(&maria, "workflow_add_step", "Add a comment").await;
    // The comment is left empty: refused, and said at that step.
    click(
        &maria,
        &format!("{FORM}//button[normalize-space()='Add workflow']"),
    )
    .await;
    let said = wait_text(
        &maria,
        &format!("{FORM}//li[contains(@class,'workflow-step')][3]//p[@role='alert']"),
    )
    .await;
    assert!(said.contains("1 to 4096 characters"), "{said}");
    type_into(
        &maria,
        &format!("{FORM}//textarea[@name='step_2_text']"),
        "Checked back after an hour.",
    )
    .await;
    screenshot(&maria, "workflow-editor").await;
    click(
        &maria,
        &format!("{FORM}//button[normalize-space()='Add workflow']"),
    )
    .await;
    wait_xpath(
        &maria,
        "//p[@role='status'][normalize-space()='Workflow saved.']",
    )
    .await;
    wait_xpath(
        &maria,
        "//section[@aria-labelledby='workflows-title']//li[contains(.,'Order follow-up')][contains(.,'3 steps')]",
    )
    .await;
    maria.quit().await.expect("quit");

    // A visitor writes; Anna runs the Shortcut from the ⚡ menu.
    let visitor = h.browser(400, 780).await;
    visitor.goto(h.chat_url()).await.expect("goto");
    let said = wait_xpath(&visitor, "//textarea").await;
    said.send_keys("Where is my order?").await.expect("typing");
    said.send_keys(Key::Enter).await.expect("send");
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Visitor #")).await;
    click(&anna, "//button[@aria-label='Shortcuts']").await;
    screenshot(&anna, "workflow-shortcuts").await;
    click(
        &anna,
        "//div[contains(@class,'conversation-menu-list')]//button[normalize-space()='Order follow-up']",
    )
    .await;
    wait_xpath(
        &anna,
        "//p[contains(@class,'toast')][contains(.,'Order follow-up started.')]",
    )
    .await;
    wait_xpath(
        &visitor,
        "//div[contains(@class,'visitor-message')][contains(.,'We are checking your order now.')]",
    )
    .await;
    wait_xpath(&anna, &bubble("Thanks! We are checking your order now.")).await;

    // Run again from the ⋮ menu; the contact panel lists both while they wait; Stop all
    // ends them.
    click(&anna, "//button[@aria-label='More actions']").await;
    click(
        &anna,
        "//div[contains(@class,'conversation-menu-list')]//button[normalize-space()='Order follow-up']",
    )
    .await;
    click(&anna, "//button[@aria-label='Contact details']").await;
    let ongoing = "//section[@aria-labelledby='ongoing-workflows-title']";
    let waiting = format!(
        "{ongoing}//li[contains(.,'Order follow-up')][contains(.,'Step 3 of 3')][contains(.,'waits until')]"
    );
    let deadline = std::time::Instant::now() + WAIT;
    while anna
        .find_all(By::XPath(&waiting))
        .await
        .expect("a query")
        .len()
        < 2
    {
        assert!(
            std::time::Instant::now() < deadline,
            "two runs are not listed as waiting"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    screenshot(&anna, "workflow-ongoing").await;
    click(
        &anna,
        &format!("{ongoing}//button[normalize-space()='Stop all']"),
    )
    .await;
    let question = anna.get_alert_text().await.expect("a confirmation");
    assert!(
        question.contains("Stop all 2 ongoing workflows"),
        "{question}"
    );
    anna.accept_alert().await.expect("confirmed");
    wait_gone(&anna, ongoing).await;
    wait_xpath(
        &anna,
        "//p[contains(@class,'toast')][contains(.,'2 workflows stopped.')]",
    )
    .await;

    // Turned off in settings, the Shortcut is no longer offered (Anna's app hears of it).
    let maria = h.browser(1440, 900).await;
    maria
        .goto(format!("{}/w/1/settings", h.url))
        .await
        .expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    click(
        &maria,
        "//section[@aria-labelledby='workflows-title']//li[contains(.,'Order follow-up')]//button[normalize-space()='Turn off']",
    )
    .await;
    wait_xpath(
        &maria,
        "//section[@aria-labelledby='workflows-title']//li[contains(.,'Order follow-up')][contains(.,'off')]//button[normalize-space()='Turn on']",
    )
    .await;
    maria.quit().await.expect("quit");
    wait_gone(&anna, "//button[@aria-label='Shortcuts']").await;
    wait_gone(&anna, "//button[@aria-label='More actions']").await;
    anna.quit().await.expect("quit");
    visitor.quit().await.expect("quit");
}
