//! The Dialogflow bot (A6, T7) in a real browser, against stand-ins for Google's token
//! endpoint and Dialogflow ES: a manager connects the agent in settings with a service
//! account's key (never shown again); the conversation's ⋮ menu offers "Enable Dialogflow
//! bot" only then; the bot answers the visitor in the chat, and when it does not understand
//! it leaves the conversation to the team with a comment and the menu offers enabling again;
//! disconnected after a confirmation, the menu goes away.

use switchboard_e2e::fake_dialogflow::{FakeDialogflow, PROJECT_ID};
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

const MORE: &str = "//button[@aria-label='More actions']";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_turn_the_dialogflow_bot_on_and_it_answers_until_it_cannot() {
    let _serial = SERIAL.lock().await;
    let dialogflow = FakeDialogflow::start().await;
    dialogflow.add_intent("Opening hours", "open", "We open at nine, every day.");
    let url = dialogflow.url.clone();
    let h = Harness::start_configured(move |c| {
        c.google_token_url = format!("{url}/token");
        c.dialogflow_api_url = format!("{url}/v2");
    })
    .await;

    // A visitor writes; without Dialogflow the conversation has no ⋮ menu.
    let visitor = h.browser(400, 780).await;
    visitor.goto(h.chat_url()).await.expect("goto");
    let said = wait_xpath(&visitor, "//textarea").await;
    said.send_keys("Hello!").await.expect("typing");
    said.send_keys(Key::Enter).await.expect("send");
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Visitor #")).await;
    wait_xpath(&anna, "//header[contains(@class,'thread-header')]//h2").await;
    assert_eq!(count(&anna, "button[aria-label='More actions']").await, 0);

    // Maria connects Dialogflow: the key is pasted and never shown again.
    let maria = h.browser(1440, 900).await;
    maria
        .goto(format!("{}/w/1/settings", h.url))
        .await
        .expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    let form = "//form[@aria-label='Dialogflow connection']";
    let key = wait_xpath(&maria, &format!("{form}//textarea[@name='dialogflow_key']")).await;
    maria
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
            vec![
                key.to_json().expect("an element"),
                serde_json::json!(dialogflow.key_file()),
            ],
        )
        .await
        .expect("pasted");
    click(
        &maria,
        &format!("{form}//button[normalize-space()='Connect Dialogflow']"),
    )
    .await;
    wait_xpath(
        &maria,
        "//p[@role='status'][normalize-space()='Dialogflow connected.']",
    )
    .await;
    wait_xpath(
        &maria,
        &format!("{form}//span[contains(.,'Connected to project {PROJECT_ID}')]"),
    )
    .await;
    assert!(
        !maria
            .source()
            .await
            .expect("the page")
            .contains("PRIVATE KEY")
    );
    maria.quit().await.expect("quit");

    // Anna's app hears of it: the ⋮ menu offers the bot.
    click(&anna, MORE).await;
    screenshot(&anna, "dialogflow-menu").await;
    click(
        &anna,
        "//div[contains(@class,'conversation-menu-list')]//button[normalize-space()='Enable Dialogflow bot']",
    )
    .await;
    wait_gone(&anna, "//div[contains(@class,'conversation-menu-list')]").await;
    click(&anna, MORE).await;
    wait_xpath(
        &anna,
        "//div[contains(@class,'conversation-menu-list')]//button[normalize-space()='Disable Dialogflow bot']",
    )
    .await;
    wait_xpath(
        &anna,
        "//header[contains(@class,'thread-header')]//span[normalize-space()='Bot answers']",
    )
    .await;
    anna.active_element()
        .await
        .expect("the menu's button has the focus")
        .send_keys(Key::Escape)
        .await
        .expect("Escape");
    wait_gone(&anna, "//div[contains(@class,'conversation-menu-list')]").await;

    // The bot answers the visitor, and the team sees it as the bot's.
    said.send_keys("When do you open?").await.expect("typing");
    said.send_keys(Key::Enter).await.expect("send");
    wait_xpath(
        &visitor,
        "//div[contains(@class,'visitor-message')][contains(.,'We open at nine, every day.')]",
    )
    .await;
    let answer = wait_xpath(&anna, &bubble("We open at nine, every day.")).await;
    assert!(
        answer
            .text()
            .await
            .expect("the bubble")
            .contains("Dialogflow bot")
    );

    // Not understood: a comment for the team; the bot is off, and the menu says so.
    said.send_keys("Can I pay in gold coins?")
        .await
        .expect("typing");
    said.send_keys(Key::Enter).await.expect("send");
    wait_xpath(
        &anna,
        &bubble("The Dialogflow bot stopped and left this conversation to the team: Dialogflow did not understand the message."),
    )
    .await;
    click(&anna, MORE).await;
    wait_xpath(
        &anna,
        "//div[contains(@class,'conversation-menu-list')]//button[normalize-space()='Enable Dialogflow bot']",
    )
    .await;
    screenshot(&anna, "dialogflow-left-to-the-team").await;
    assert_eq!(count(&anna, ".thread-header .status-bot").await, 0);
    assert!(
        !visitor
            .source()
            .await
            .expect("the chat")
            .contains("left this conversation"),
        "the visitor never reads the team's comment"
    );

    // Disconnected after a confirmation: the key is forgotten and the menu goes away.
    let maria = h.browser(1440, 900).await;
    maria
        .goto(format!("{}/w/1/settings", h.url))
        .await
        .expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    click(
        &maria,
        &format!("{form}//button[normalize-space()='Disconnect']"),
    )
    .await;
    let question = maria.get_alert_text().await.expect("a confirmation");
    assert!(question.contains("Its key is forgotten"), "{question}");
    maria.accept_alert().await.expect("confirmed");
    wait_xpath(
        &maria,
        "//p[@role='status'][normalize-space()='Dialogflow disconnected.']",
    )
    .await;
    maria.quit().await.expect("quit");
    wait_gone(&anna, "//button[@aria-label='More actions']").await;
    anna.quit().await.expect("quit");
    visitor.quit().await.expect("quit");
}
