//! Workspace settings in a real browser (T1, T4, T5): a manager requires closing notes and
//! another agent's open inbox asks for one at once, without a reload; a custom field a
//! manager adds shows in the contact panel with its type's rules; a member's permissions
//! change; an agent reads the settings but cannot change them.

use switchboard_e2e::thirtyfour::components::SelectElement;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;
use switchboard_protocol::*;

/// A snippet name the demo workspace has already.
const TAKEN: &str = "Greeting";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_managers_changes_take_effect_for_another_agent_live() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    let first = wait_xpath(&anna, "(//a[contains(@class,'conversation-row')])[1]").await;
    first.click().await.expect("open");
    wait_xpath(&anna, "//section[@aria-label='Conversation']//article").await;

    let maria = h.browser(1440, 900).await;
    maria
        .goto(format!("{}/w/1/settings", h.url))
        .await
        .expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    wait_xpath(&maria, "//h1[normalize-space()='Workspace settings']").await;
    // T5: closing notes required.
    click(
        &maria,
        "//label[contains(@class,'choice')][.//strong[normalize-space()='Required']]/input",
    )
    .await;
    click(
        &maria,
        "//section[@aria-labelledby='general-title']//button[normalize-space()='Save']",
    )
    .await;
    wait_xpath(
        &maria,
        "//p[@role='status'][normalize-space()='Settings saved.']",
    )
    .await;
    screenshot(&maria, "settings-desktop").await;

    // Anna's open inbox asks for a note now, without a reload.
    click(&anna, "//button[normalize-space()='Close']").await;
    wait_xpath(
        &anna,
        "//div[@role='dialog']//span[normalize-space()='Closing note (required)']",
    )
    .await;
    anna.action_chain()
        .send_keys(Key::Escape)
        .perform()
        .await
        .expect("escape");

    // T4: a list field appears in Anna's contact panel, and only its options are taken.
    click(
        &maria,
        "//section[@aria-labelledby='fields-title']//input[@name='label']",
    )
    .await;
    maria
        .active_element()
        .await
        .expect("focus")
        .send_keys("Plan")
        .await
        .expect("typing");
    SelectElement::new(
        &wait_xpath(
            &maria,
            "//section[@aria-labelledby='fields-title']//select[@name='kind']",
        )
        .await,
    )
    .await
    .expect("a select")
    .select_by_exact_text("List")
    .await
    .expect("chosen");
    // A list without options is refused before anything is sent.
    click(&maria, "//button[normalize-space()='Add field']").await;
    wait_xpath(
        &maria,
        "//section[@aria-labelledby='fields-title']//p[@role='alert']",
    )
    .await;
    let options = wait_xpath(&maria, "//input[@name='options']").await;
    options.send_keys("Gold, Silver").await.expect("typing");
    click(&maria, "//button[normalize-space()='Add field']").await;
    wait_xpath(
        &maria,
        "//p[@role='status'][normalize-space()='Field Plan added.']",
    )
    .await;
    wait_xpath(
        &maria,
        "//li[contains(@class,'settings-item')][.//strong[normalize-space()='Plan']]",
    )
    .await;
    click(&anna, "//button[@aria-label='Contact details']").await;
    click(
        &anna,
        "//aside[contains(@class,'contact-panel')]//button[normalize-space()='Edit details']",
    )
    .await;
    let select = wait_xpath(
        &anna,
        "//aside[contains(@class,'contact-panel')]//label[span[normalize-space()='Plan']]//select",
    )
    .await;
    let choices = select.find_all(By::Tag("option")).await.expect("options");
    let mut labels = Vec::new();
    for c in choices {
        labels.push(c.text().await.expect("text"));
    }
    assert_eq!(labels, ["—", "Gold", "Silver"]);

    // T3: a snippet name already taken is refused with the server's words; a new one is
    // offered in Anna's composer at once.
    click(&maria, "//button[normalize-space()='New snippet']").await;
    let form = "//form[@aria-label='Snippet']";
    wait_xpath(&maria, form)
        .await
        .find(By::Css("input[name='snippet_name']"))
        .await
        .expect("a name field")
        .send_keys(TAKEN)
        .await
        .expect("typing");
    maria
        .find(By::Css("textarea[name='snippet_text']"))
        .await
        .expect("a text field")
        .send_keys("Welcome back, {{first_name}}!")
        .await
        .expect("typing");
    click(
        &maria,
        &format!("{form}//button[normalize-space()='Save snippet']"),
    )
    .await;
    let taken = wait_text(&maria, &format!("{form}//p[@role='alert']")).await;
    assert!(!taken.is_empty());
    let name = maria
        .find(By::Css("input[name='snippet_name']"))
        .await
        .expect("a name field");
    name.clear().await.expect("cleared");
    name.send_keys("welcome-back").await.expect("typing");
    click(
        &maria,
        &format!("{form}//button[normalize-space()='Save snippet']"),
    )
    .await;
    wait_xpath(
        &maria,
        "//p[@role='status'][normalize-space()='Snippet /welcome-back saved.']",
    )
    .await;
    let composer = wait_xpath(&anna, "//textarea").await;
    composer.send_keys("/welcome-b").await.expect("typing");
    wait_xpath(
        &anna,
        "//ul[@role='listbox']//*[contains(normalize-space(),'welcome-back')]",
    )
    .await;

    // T2: a custom inbox shared with Anna shows in her folders at once; a condition without
    // its value is named first.
    click(&maria, "//button[normalize-space()='New custom inbox']").await;
    let builder = "//form[@aria-label='Custom inbox']";
    wait_xpath(&maria, builder)
        .await
        .find(By::Css("input[name='inbox_name']"))
        .await
        .expect("a name field")
        .send_keys("Open website chats")
        .await
        .expect("typing");
    click(
        &maria,
        &format!("{builder}//label[span[normalize-space()='Website chat']]/input"),
    )
    .await;
    click(
        &maria,
        &format!("{builder}//label[span[normalize-space()='Open']]/input"),
    )
    .await;
    click(
        &maria,
        &format!("{builder}//label[span[normalize-space()='Anna Petrova']]/input"),
    )
    .await;
    click(
        &maria,
        &format!("{builder}//button[normalize-space()='Add a condition']"),
    )
    .await;
    click(
        &maria,
        &format!("{builder}//button[normalize-space()='Save inbox']"),
    )
    .await;
    let missing = wait_text(&maria, &format!("{builder}//p[@role='alert']")).await;
    assert_eq!(missing, "Give each condition a value.");
    click(
        &maria,
        &format!("{builder}//button[normalize-space()='Remove']"),
    )
    .await;
    click(
        &maria,
        &format!("{builder}//button[normalize-space()='Save inbox']"),
    )
    .await;
    wait_xpath(
        &maria,
        "//p[@role='status'][normalize-space()='Custom inbox Open website chats saved.']",
    )
    .await;
    wait_xpath(
        &anna,
        "//nav[@aria-label='Folders']//a[.//span[normalize-space()='Open website chats']]",
    )
    .await;
    screenshot(&maria, "settings-custom-inbox").await;

    // T1: Maria hides phone numbers from Anna; the server keeps it.
    click(
        &maria,
        "//input[@aria-label='Phone numbers hidden from Anna Petrova']",
    )
    .await;
    wait_xpath(
        &maria,
        "//p[@role='status'][normalize-space()='Anna Petrova updated.']",
    )
    .await;
    let store = &h.server.state.store;
    let anna_id = store
        .user_credentials("anna@northwind.example")
        .await
        .expect("the store answers")
        .expect("anna")
        .user
        .id;
    let viewer = store
        .viewer(WorkspaceId(1), anna_id)
        .await
        .expect("the store answers")
        .expect("a member");
    assert!(viewer.permissions.phone_masked);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_reads_the_settings_but_cannot_change_them() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let boris = h.phone().await;
    boris
        .goto(format!("{}/w/1/settings", h.url))
        .await
        .expect("goto");
    sign_in(&boris, "boris@northwind.example", PASSWORD).await;
    wait_xpath(
        &boris,
        "//p[contains(normalize-space(),'Owners and managers change these settings')]",
    )
    .await;
    let name = wait_xpath(&boris, "//input[@name='name']").await;
    assert_eq!(
        name.prop("value").await.expect("value").as_deref(),
        Some("Northwind Coffee")
    );
    assert!(
        !name.is_enabled().await.expect("enabled"),
        "read-only for agents"
    );
    assert_eq!(
        count(&boris, "button[type='submit']").await,
        0,
        "nothing to save"
    );
    wait_xpath(&boris, "//th//span[normalize-space()='Maria Lopez']").await;
    screenshot(&boris, "settings-phone").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_invites_and_the_newcomer_joins_through_the_link() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let maria = h.browser(1440, 900).await;
    maria
        .goto(format!("{}/w/1/settings", h.url))
        .await
        .expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    let email = wait_xpath(&maria, "//input[@name='invite_email']").await;
    // A member's address is refused with the server's words.
    email
        .send_keys("anna@northwind.example")
        .await
        .expect("typing");
    click(
        &maria,
        "//form[@aria-label='Invite']//button[normalize-space()='Invite']",
    )
    .await;
    let refused = wait_text(
        &maria,
        "//div[contains(@class,'invitations')]//p[@role='alert']",
    )
    .await;
    assert!(
        refused.contains("member of this workspace already"),
        "{refused}"
    );
    email.clear().await.expect("cleared");
    email
        .send_keys("newcomer@example.com")
        .await
        .expect("typing");
    click(
        &maria,
        "//form[@aria-label='Invite']//button[normalize-space()='Invite']",
    )
    .await;
    let link = wait_xpath(&maria, "//input[@name='invite_link']")
        .await
        .prop("value")
        .await
        .expect("a value")
        .expect("the link");
    assert!(link.starts_with(&format!("{}/invite/", h.url)), "{link}");
    wait_xpath(
        &maria,
        "//li[contains(@class,'settings-item')]//strong[normalize-space()='newcomer@example.com']",
    )
    .await;

    let newcomer = h.phone().await;
    newcomer.goto(&link).await.expect("goto");
    wait_xpath(&newcomer, "//h1[normalize-space()='Join Northwind Coffee']").await;
    let name = wait_xpath(&newcomer, "//input[@name='name']").await;
    name.send_keys("Nina Newcomer").await.expect("typing");
    let password = wait_xpath(&newcomer, "//input[@name='password']").await;
    password.send_keys("short").await.expect("typing");
    click(
        &newcomer,
        "//button[normalize-space()='Join Northwind Coffee']",
    )
    .await;
    wait_text(
        &newcomer,
        "//p[@role='alert'][contains(normalize-space(),'at least 8 characters')]",
    )
    .await;
    password
        .send_keys(" but now long enough")
        .await
        .expect("typing");
    screenshot(&newcomer, "invitation-phone").await;
    click(
        &newcomer,
        "//button[normalize-space()='Join Northwind Coffee']",
    )
    .await;
    wait_path(&newcomer, "/w/1").await;
    wait_xpath(&newcomer, "(//a[contains(@class,'conversation-row')])[1]").await;

    // The link worked once.
    let again = h.browser(1024, 768).await;
    again.goto(&link).await.expect("goto");
    wait_xpath(
        &again,
        "//p[@role='alert'][contains(normalize-space(),'does not work any more')]",
    )
    .await;
}
