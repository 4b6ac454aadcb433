//! AI in a real browser (T7, K10), against a stand-in OpenAI-compatible server: without a
//! provider the AI Summary says so; a manager sets the provider in settings (the key is never
//! shown again); the comment composer then writes the summary as it streams in, the agent
//! edits and posts it as a comment; Stop gives the agent back their own text.

use std::time::Duration;
use switchboard_e2e::fake_openai::FakeOpenAi;
use switchboard_e2e::thirtyfour::components::SelectElement;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;

const KEY: &str = "sk-e2e-7c1d";
/// The composer's alert once it says something (it is always there, empty until then).
const ALERT: &str = "//form[contains(@class,'composer')]//p[@role='alert'][normalize-space()!='']";
const SUMMARY: &str = "//button[contains(@class,'ai-summary')]";

async fn composer_value(driver: &WebDriver) -> String {
    composer_text(driver).await
}

/// Waits until the comment field reads `want`.
async fn wait_value(driver: &WebDriver, want: &str) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let now = composer_value(driver).await;
        if now == want {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the comment reads {now:?}, not {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A server whose workspace has the stand-in provider (set in the store; the settings story
/// sets it through the app).
async fn with_provider(ai: &FakeOpenAi) -> Harness {
    let h = Harness::start_configured(|c| c.ai_on_private_addresses = true).await;
    h.server
        .state
        .store
        .set_integration(
            switchboard_protocol::WorkspaceId(1),
            "ai",
            &serde_json::json!({ "base_url": ai.base_url, "model": "gpt-test", "organization": null })
                .to_string(),
            Some(KEY),
            chrono::Utc::now(),
        )
        .await
        .expect("the provider is set");
    h
}

/// Signs Maria (a manager) in to the settings page.
async fn settings_as_maria(h: &Harness) -> WebDriver {
    let maria = h.browser(1440, 900).await;
    maria
        .goto(format!("{}/w/1/settings", h.url))
        .await
        .expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    maria
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_comment_composer_writes_an_ai_summary_as_it_streams() {
    let _serial = SERIAL.lock().await;
    let ai = FakeOpenAi::start(KEY).await;
    let h = Harness::start_configured(|c| c.ai_on_private_addresses = true).await;

    // No provider yet: the summary says so and writes nothing.
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Lena Fischer")).await;
    wait_xpath(&anna, "//textarea").await;
    click(
        &anna,
        "//button[@role='radio'][normalize-space()='Comment']",
    )
    .await;
    click(&anna, SUMMARY).await;
    let said = wait_text(&anna, ALERT).await;
    assert!(said.starts_with("No AI provider is set up"), "{said}");
    assert_eq!(composer_value(&anna).await, "");

    // A manager sets the provider; the key is written, never shown again.
    let maria = h.browser(1440, 900).await;
    maria
        .goto(format!("{}/w/1/settings", h.url))
        .await
        .expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    let form = "//form[@aria-label='AI provider']";
    for (name, value) in [
        ("ai_base_url", ai.base_url.as_str()),
        ("ai_model", "gpt-test"),
        ("ai_api_key", KEY),
    ] {
        wait_xpath(&maria, &format!("{form}//input[@name='{name}']"))
            .await
            .send_keys(value)
            .await
            .expect("typing");
    }
    click(
        &maria,
        &format!("{form}//button[normalize-space()='Save provider']"),
    )
    .await;
    wait_xpath(
        &maria,
        "//p[@role='status'][normalize-space()='AI provider saved.']",
    )
    .await;
    wait_xpath(
        &maria,
        &format!("{form}//span[starts-with(normalize-space(),'A key is kept.')]"),
    )
    .await;
    let key_field = maria
        .find(By::XPath(format!("{form}//input[@name='ai_api_key']")))
        .await
        .expect("the key field");
    assert_eq!(
        key_field.prop("value").await.expect("value").as_deref(),
        Some("")
    );
    maria.refresh().await.expect("reload");
    wait_xpath(
        &maria,
        &format!("{form}//span[starts-with(normalize-space(),'A key is kept.')]"),
    )
    .await;
    let page = maria.source().await.expect("the page");
    assert!(!page.contains(KEY), "the key is never shown");
    maria
        .execute(
            "document.querySelector(\"form[aria-label='AI provider']\").scrollIntoView({ block: 'center' });",
            Vec::new(),
        )
        .await
        .expect("scrolled");
    screenshot(&maria, "ai-settings").await;

    // The summary arrives in parts after what Anna typed, then she posts it as a comment.
    ai.set_pace(Duration::from_millis(500));
    ai.answer(&["Lena ", "asks for ", "the March invoice."]);
    let field = wait_xpath(&anna, "//textarea").await;
    field.send_keys("For Boris:").await.expect("typing");
    click(&anna, SUMMARY).await;
    wait_xpath(&anna, "//span[contains(@class,'ai-writing')]").await;
    wait_value(&anna, "For Boris:\n\nLena ").await;
    screenshot(&anna, "ai-summary-writing").await;
    wait_value(&anna, "For Boris:\n\nLena asks for the March invoice.").await;
    wait_gone(&anna, "//span[contains(@class,'ai-writing')]").await;
    let asked = ai.asked();
    assert_eq!(asked.len(), 1);
    assert!(asked[0].said_by("user").contains("Contact (Lena Fischer)"));
    field.send_keys(Key::Enter).await.expect("post");
    wait_xpath(
        &anna,
        &format!(
            "{}[contains(@class,'comment')]",
            bubble("Lena asks for the March invoice.")
        ),
    )
    .await;

    // Stop: the agent gets back exactly what they had.
    ai.set_pace(Duration::from_millis(1_500));
    ai.answer(&["This ", "is ", "never ", "finished."]);
    field.send_keys("Mine").await.expect("typing");
    click(&anna, SUMMARY).await;
    wait_value(&anna, "Mine\n\nThis ").await;
    click(
        &anna,
        "//div[contains(@class,'ai-tools')]//button[normalize-space()='Stop']",
    )
    .await;
    wait_value(&anna, "Mine").await;
    wait_xpath(&anna, SUMMARY).await;
    anna.quit().await.expect("quit");
    maria.quit().await.expect("quit");
}

/// Waits for AI Assist's draft to finish (the rating appears) and gives it `rating`.
async fn rate(driver: &WebDriver, rating: &str) {
    click(
        driver,
        &format!("//span[contains(@class,'ai-rating')]//button[@aria-label='{rating}']"),
    )
    .await;
    wait_gone(driver, "//span[contains(@class,'ai-rating')]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ai_assist_drafts_into_an_empty_message_and_takes_ratings() {
    let _serial = SERIAL.lock().await;
    let ai = FakeOpenAi::start(KEY).await;
    let h = with_provider(&ai).await;
    let store = h.server.state.store.clone();
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Lena Fischer")).await;
    let field = wait_xpath(&anna, "//textarea").await;

    // Its icon shows only while the message is empty.
    let assist = "//button[contains(@class,'ai-assist')]";
    wait_xpath(&anna, assist).await;
    field.send_keys("Hi").await.expect("typing");
    wait_gone(&anna, assist).await;
    field.send_keys(Key::Backspace).await.expect("deleting");
    field.send_keys(Key::Backspace).await.expect("deleting");
    wait_xpath(&anna, assist).await;

    // The first use introduces it; "Not now" drafts nothing.
    ai.set_pace(Duration::from_millis(200));
    click(&anna, assist).await;
    let intro = "//div[contains(@class,'ai-intro')]";
    click(
        &anna,
        &format!("{intro}//button[normalize-space()='Not now']"),
    )
    .await;
    wait_gone(&anna, intro).await;
    assert!(ai.asked().is_empty());

    // A draft streams in; a thumbs-up celebrates.
    ai.answer(&["Hallo Lena, ", "die Rechnung kommt heute."]);
    click(&anna, assist).await;
    click(
        &anna,
        &format!("{intro}//button[normalize-space()='Draft a reply']"),
    )
    .await;
    wait_value(&anna, "Hallo Lena, die Rechnung kommt heute.").await;
    screenshot(&anna, "ai-assist-draft").await;
    rate(&anna, "Good draft").await;
    wait_xpath(&anna, "//span[contains(@class,'confetti')]").await;
    let asked = ai.asked();
    assert!(
        asked[0].said_by("user").contains("/refund:"),
        "snippets are its knowledge"
    );

    // Every third thumbs-down asks what was wrong; the answer is kept.
    for i in 1..=3 {
        field.send_keys(Key::Control + "a").await.expect("select");
        field.send_keys(Key::Backspace).await.expect("clear");
        ai.answer(&[&format!("Draft {i}")]);
        // Introduced once: drafts come at once now.
        click(&anna, assist).await;
        assert_eq!(count(&anna, "div.ai-intro").await, 0);
        wait_value(&anna, &format!("Draft {i}")).await;
        rate(&anna, "Poor draft").await;
        if i < 3 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert_eq!(count(&anna, "div.ai-feedback").await, 0, "not after {i}");
        }
    }
    let form = wait_xpath(&anna, "//div[contains(@class,'ai-feedback')]//textarea").await;
    form.send_keys("It made up a delivery date")
        .await
        .expect("typing");
    click(
        &anna,
        "//div[contains(@class,'ai-feedback')]//button[normalize-space()='Send feedback']",
    )
    .await;
    wait_gone(&anna, "//div[contains(@class,'ai-feedback')]").await;
    let ratings = store
        .ai_ratings(switchboard_protocol::WorkspaceId(1))
        .await
        .expect("ratings");
    assert_eq!(ratings.iter().filter(|r| r.good).count(), 1);
    assert_eq!(ratings.iter().filter(|r| !r.good).count(), 3);
    assert_eq!(
        ratings[0].feedback.as_deref(),
        Some("It made up a delivery date")
    );
    assert_eq!(ratings[0].draft, "Draft 3");
    anna.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_menu_asks_ai_assist_to_answer_it_and_closing_notes_take_a_summary() {
    let _serial = SERIAL.lock().await;
    let ai = FakeOpenAi::start(KEY).await;
    let h = with_provider(&ai).await;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    // This device has met AI Assist already.
    anna.execute(
        "localStorage.setItem('switchboard.ai-assist-introduced', '1');",
        Vec::new(),
    )
    .await
    .expect("remembered");
    click(&anna, &row("Lena Fischer")).await;
    wait_xpath(&anna, "//textarea").await;

    // From the message's menu: quoted, then answered.
    ai.answer(&["Natürlich, ", "hier ist die Rechnung."]);
    message_action(&anna, "send me the invoice", "Reply with AI Assist").await;
    wait_value(&anna, "Natürlich, hier ist die Rechnung.").await;
    wait_xpath(
        &anna,
        "//form[contains(@class,'composer')]//*[contains(@class,'reply-preview')]",
    )
    .await;
    let asked = ai.asked();
    let said = asked[0].said_by("user");
    assert!(
        said.contains("Draft the answer to this message: [")
            && said.contains("send me the invoice"),
        "{said}"
    );

    // Closing notes: the summary is written into the note, to edit before closing.
    ai.answer(&["Lena ", "got her invoice."]);
    click(&anna, "//button[normalize-space()='Close']").await;
    let dialog = "//div[@role='dialog']";
    click(
        &anna,
        &format!("{dialog}//button[contains(@class,'ai-summary')]"),
    )
    .await;
    let note = wait_xpath(&anna, &format!("{dialog}//textarea")).await;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let value = note.prop("value").await.expect("value").unwrap_or_default();
        if value == "Lena got her invoice." {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the note reads {value:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    screenshot(&anna, "ai-closing-note").await;
    assert!(ai.asked()[1].said_by("system").contains("You summarise"));

    // The note takes a prompt too; it changes only when accepted.
    ai.answer(&["Invoice sent."]);
    click(
        &anna,
        &format!("{dialog}//span[contains(@class,'ai-prompts')]/button"),
    )
    .await;
    click(
        &anna,
        &format!("{dialog}//div[contains(@class,'ai-prompt-menu')]//button[normalize-space()='Make it shorter']"),
    )
    .await;
    assert_eq!(
        count(&anna, "div[role='dialog'] .ai-prompt-menu").await,
        0,
        "the menu closes on choosing"
    );
    wait_suggestion(&anna, "Invoice sent.").await;
    assert_eq!(
        note.prop("value").await.expect("value").as_deref(),
        Some("Lena got her invoice.")
    );
    click(
        &anna,
        &format!("{dialog}//button[normalize-space()='Replace draft']"),
    )
    .await;
    let deadline = std::time::Instant::now() + WAIT;
    while note.prop("value").await.expect("value").as_deref() != Some("Invoice sent.") {
        assert!(
            std::time::Instant::now() < deadline,
            "the note was not replaced"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ai.asked()[2].said_by("system").contains("Make it shorter."));
    anna.quit().await.expect("quit");
}

/// The AI suggestion beside the draft, once it reads `want`.
async fn wait_suggestion(driver: &WebDriver, want: &str) {
    let xpath = "//div[contains(@class,'ai-suggestion')]//p[contains(@class,'ai-suggestion-text')]";
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let now = match driver.find(By::XPath(xpath)).await {
            Ok(p) => p.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if now.trim() == want.trim() {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the suggestion reads {now:?}, not {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn prompt(driver: &WebDriver, label: &str) {
    click(driver, "//span[contains(@class,'ai-prompts')]/button").await;
    click(
        driver,
        &format!(
            "//div[contains(@class,'ai-prompt-menu')]//button[normalize-space()={}]",
            literal(label)
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prompts_change_a_draft_only_when_accepted_and_messages_translate_both_ways() {
    let _serial = SERIAL.lock().await;
    let ai = FakeOpenAi::start(KEY).await;
    let h = with_provider(&ai).await;
    let store = h.server.state.store.clone();
    let ws = switchboard_protocol::WorkspaceId(1);
    // Maria adds the workspace's own prompt in settings (T8).
    let maria = settings_as_maria(&h).await;
    let form = "//form[@aria-label='Prompt']";
    wait_xpath(&maria, &format!("{form}//input[@name='prompt_name']"))
        .await
        .send_keys("Pirate")
        .await
        .expect("typing");
    wait_xpath(
        &maria,
        &format!("{form}//textarea[@name='prompt_instructions']"),
    )
    .await
    .send_keys("Talk like a pirate.")
    .await
    .expect("typing");
    click(
        &maria,
        &format!("{form}//button[normalize-space()='Add prompt']"),
    )
    .await;
    wait_xpath(
        &maria,
        "//p[@role='status'][normalize-space()='Prompt saved.']",
    )
    .await;
    wait_xpath(
        &maria,
        "//section[@aria-labelledby='prompts-title']//li[.//strong[normalize-space()='Pirate']]",
    )
    .await;
    maria.quit().await.expect("quit");
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Lena Fischer")).await;
    let field = wait_xpath(&anna, "//textarea").await;
    field.send_keys("we send it tomorow").await.expect("typing");

    // A standard prompt: the suggestion streams beside the draft, which stays as it was.
    ai.set_pace(Duration::from_millis(300));
    ai.answer(&["We will send ", "it tomorrow."]);
    prompt(&anna, "Fix spelling and grammar").await;
    wait_suggestion(&anna, "We will send").await;
    wait_suggestion(&anna, "We will send it tomorrow.").await;
    assert_eq!(composer_value(&anna).await, "we send it tomorow");
    screenshot(&anna, "ai-prompt-suggestion").await;
    click(&anna, "//button[normalize-space()='Replace draft']").await;
    wait_value(&anna, "We will send it tomorrow.").await;
    // Undo gives the draft back.
    click(&anna, "//div[contains(@class,'ai-undo')]//button").await;
    wait_value(&anna, "we send it tomorow").await;
    wait_gone(&anna, "//div[contains(@class,'ai-undo')]").await;

    // The workspace's own prompt; Discard leaves the draft alone.
    ai.answer(&["Arr, ", "tomorrow she sails."]);
    prompt(&anna, "Pirate").await;
    wait_suggestion(&anna, "Arr, tomorrow she sails.").await;
    click(&anna, "//button[normalize-space()='Discard']").await;
    wait_gone(&anna, "//div[contains(@class,'ai-suggestion')]").await;
    assert_eq!(composer_value(&anna).await, "we send it tomorow");
    let asked = ai.asked();
    assert!(
        asked
            .last()
            .expect("asked")
            .said_by("system")
            .contains("Talk like a pirate.")
    );

    // Into the contact's language: sent translated, Anna's own words kept for colleagues.
    ai.set_pace(Duration::from_millis(50));
    ai.answer(&["Wir senden es morgen."]);
    prompt(&anna, "Translate into the contact's language").await;
    wait_suggestion(&anna, "Wir senden es morgen.").await;
    wait_xpath(
        &anna,
        "//div[contains(@class,'ai-suggestion')]//p[normalize-space()='Colleagues will also see your own words.']",
    )
    .await;
    click(&anna, "//button[normalize-space()='Replace draft']").await;
    wait_value(&anna, "Wir senden es morgen.").await;
    assert!(
        ai.asked()
            .last()
            .expect("asked")
            .said_by("user")
            .contains("Could you send me the invoice"),
        "the contact's message tells their language"
    );
    field.send_keys(Key::Enter).await.expect("send");
    let sent = bubble("Wir senden es morgen.");
    click(
        &anna,
        &format!("{sent}//button[normalize-space()='View the words before translation']"),
    )
    .await;
    wait_xpath(&anna, &bubble("we send it tomorow")).await;
    screenshot(&anna, "ai-sent-translated").await;
    let thread = store
        .messages(
            ws,
            open_conversation(&anna).await,
            switchboard_storage::PageRequest {
                after: None,
                limit: 5,
            },
        )
        .await
        .expect("the thread");
    assert_eq!(
        thread.items[0].original.as_deref(),
        Some("we send it tomorow")
    );

    // An incoming message translated into Anna's language; toggling never asks again, and
    // markup in the answer is text.
    let before = ai.asked().len();
    ai.answer(&["Hello! Could you send the invoice? <b>VAT</b>"]);
    message_action(&anna, "Could you send me the invoice", "Translate").await;
    let translated =
        "//article[contains(@class,'message')][.//p[contains(@class,'translation-note')]]";
    wait_xpath(
        &anna,
        &format!("{translated}//div[contains(@class,'markdown')][contains(normalize-space(.),'Could you send the invoice? <b>VAT</b>')]"),
    )
    .await;
    assert_eq!(count(&anna, "article.message .markdown b").await, 0);
    screenshot(&anna, "ai-translated-message").await;
    for (button, shows) in [
        (
            "View original",
            "Could you send me the invoice for order #5110",
        ),
        ("View translation", "Could you send the invoice? <b>VAT</b>"),
        (
            "View original",
            "Could you send me the invoice for order #5110",
        ),
    ] {
        click(
            &anna,
            &format!("{translated}//button[normalize-space()='{button}']"),
        )
        .await;
        wait_xpath(
            &anna,
            &format!(
                "{translated}//div[contains(@class,'markdown')][contains(normalize-space(.),{})]",
                literal(shows)
            ),
        )
        .await;
    }
    assert_eq!(ai.asked().len(), before + 1, "asked once");
    // After a reload the server's kept translation answers.
    anna.refresh().await.expect("reload");
    message_action(&anna, "Could you send me the invoice", "Translate").await;
    wait_xpath(
        &anna,
        &format!("{translated}//button[normalize-space()='View original']"),
    )
    .await;
    assert_eq!(ai.asked().len(), before + 1, "kept by the server");
    anna.quit().await.expect("quit");
}

/// The open conversation, from the address bar (`/w/1/c/{id}`).
async fn open_conversation(driver: &WebDriver) -> switchboard_protocol::ConversationId {
    let url = driver.current_url().await.expect("the address");
    let id = url
        .path()
        .rsplit_once("/c/")
        .and_then(|(_, id)| id.parse().ok())
        .expect("a conversation's address");
    switchboard_protocol::ConversationId(id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ai_agent_answers_a_visitor_and_takeover_stops_it_mid_answer() {
    let _serial = SERIAL.lock().await;
    let ai = FakeOpenAi::start(KEY).await;
    let h = with_provider(&ai).await;
    let store = h.server.state.store.clone();
    let ws = switchboard_protocol::WorkspaceId(1);
    // Maria turns the AI Agent on in settings.
    let maria = settings_as_maria(&h).await;
    let form = "//form[@aria-label='AI Agent']";
    wait_xpath(
        &maria,
        &format!("{form}//textarea[@name='agent_instructions']"),
    )
    .await
    .send_keys("We sell bags. We ship across Europe.")
    .await
    .expect("typing");
    click(&maria, &format!("{form}//input[@name='agent_enabled']")).await;
    click(
        &maria,
        &format!("{form}//button[normalize-space()='Save AI Agent']"),
    )
    .await;
    wait_xpath(
        &maria,
        "//p[@role='status'][normalize-space()='AI Agent saved.']",
    )
    .await;
    maria.quit().await.expect("quit");
    let visitor = h.browser(400, 780).await;
    visitor.goto(h.chat_url()).await.expect("goto");
    let said = wait_xpath(&visitor, "//textarea").await;
    said.send_keys("Do you ship to Norway?")
        .await
        .expect("typing");
    said.send_keys(Key::Enter).await.expect("send");

    // Anna gives the conversation to the AI Agent like to a teammate.
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    click(&anna, &row("Visitor #")).await;
    let assignee = "//select[@aria-label='Assignee']";
    wait_xpath(
        &anna,
        &format!("{assignee}//option[normalize-space()='AI Agent']"),
    )
    .await;
    SelectElement::new(&wait_xpath(&anna, assignee).await)
        .await
        .expect("a select")
        .select_by_exact_text("AI Agent")
        .await
        .expect("chosen");
    let bar = "//div[contains(@class,'takeover-bar')]";
    wait_xpath(
        &anna,
        &format!("{bar}//span[normalize-space()='The AI Agent is answering this conversation.']"),
    )
    .await;

    // It answers the visitor's next message, typing first.
    ai.set_pace(Duration::from_millis(600));
    ai.answer(&["Yes, ", "we ship ", "to Norway in 3 days."]);
    said.send_keys("Hello?").await.expect("typing");
    said.send_keys(Key::Enter).await.expect("send");
    wait_xpath(
        &anna,
        "//p[contains(@class,'typing-indicator')][contains(.,'AI Agent')]",
    )
    .await;
    screenshot(&anna, "ai-agent-typing").await;
    wait_xpath(&anna, &bubble("we ship to Norway in 3 days.")).await;
    wait_xpath(
        &visitor,
        "//div[contains(@class,'visitor-message')][contains(.,'we ship to Norway in 3 days.')]",
    )
    .await;

    // Takeover while it writes the next answer: nothing it wrote is ever sent.
    ai.set_pace(Duration::from_millis(900));
    ai.answer(&["Let me ", "check ", "Sweden ", "for you."]);
    said.send_keys("And Sweden?").await.expect("typing");
    said.send_keys(Key::Enter).await.expect("send");
    wait_xpath(
        &anna,
        "//p[contains(@class,'typing-indicator')][contains(.,'AI Agent')]",
    )
    .await;
    screenshot(&anna, "ai-agent-takeover").await;
    click(
        &anna,
        &format!("{bar}//button[normalize-space()='Takeover']"),
    )
    .await;
    wait_gone(&anna, bar).await;
    wait_selected(&anna, assignee, "Anna Petrova").await;
    tokio::time::sleep(Duration::from_millis(4_000)).await;
    let page = anna.source().await.expect("the page");
    assert!(!page.contains("Sweden for you"), "sent after the takeover");
    let chat = visitor.source().await.expect("the chat");
    assert!(!chat.contains("Sweden for you"), "the visitor got it");
    assert_eq!(ai.asked().len(), 2);

    // Given back to it while the contact is blocked: the restriction shows, not Takeover.
    let conversation = open_conversation(&anna).await;
    let event = store
        .assign(
            ws,
            conversation,
            Some(switchboard_protocol::AssigneeRef::AiAgent),
        )
        .await
        .expect("assigned");
    h.server.state.publish(event);
    wait_xpath(
        &anna,
        &format!("{bar}//button[normalize-space()='Takeover']"),
    )
    .await;

    // It cannot help: it hands over with a comment saying why, and lets go.
    ai.set_pace(Duration::ZERO);
    ai.answer(&["HANDOFF\nReason: asks for a refund\nDone: greeted them\nNext: check order 5110"]);
    said.send_keys("I want my money back")
        .await
        .expect("typing");
    said.send_keys(Key::Enter).await.expect("send");
    wait_xpath(
        &anna,
        &format!(
            "{}[contains(@class,'comment')][contains(.,'Next step: check order 5110')]",
            bubble("Reason: asks for a refund")
        ),
    )
    .await;
    wait_gone(&anna, bar).await;
    screenshot(&anna, "ai-agent-hand-off").await;

    let event = store
        .assign(
            ws,
            conversation,
            Some(switchboard_protocol::AssigneeRef::AiAgent),
        )
        .await
        .expect("assigned");
    h.server.state.publish(event);
    wait_xpath(
        &anna,
        &format!("{bar}//button[normalize-space()='Takeover']"),
    )
    .await;
    let contact = store
        .conversation(ws, conversation)
        .await
        .expect("the conversation")
        .contact
        .id;
    let event = store.set_blocked(ws, contact, true).await.expect("blocked");
    h.server.state.publish(event);
    // Maria may see blocked contacts' conversations.
    let maria = h.browser(1440, 900).await;
    let address = anna.current_url().await.expect("the address");
    maria.goto(address.as_str()).await.expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    wait_xpath(
        &maria,
        &format!("{bar}//span[contains(.,'is blocked: nobody can write to them')]"),
    )
    .await;
    assert_eq!(count(&maria, "div.takeover-bar button").await, 0);

    // Unblocked, but its only channel disconnected: that is said instead.
    let event = store
        .set_blocked(ws, contact, false)
        .await
        .expect("unblocked");
    h.server.state.publish(event);
    wait_xpath(
        &maria,
        &format!("{bar}//button[normalize-space()='Takeover']"),
    )
    .await;
    let channel = store
        .conversation(ws, conversation)
        .await
        .expect("the conversation")
        .channel_id;
    for event in store
        .disconnect_channel(ws, channel)
        .await
        .expect("disconnected")
    {
        h.server.state.publish(Some(event));
    }
    maria.refresh().await.expect("reload");
    wait_xpath(
        &maria,
        &format!("{bar}//span[starts-with(normalize-space(),'No connected channel reaches this contact')]"),
    )
    .await;
    assert_eq!(count(&maria, "div.takeover-bar button").await, 0);
    maria.quit().await.expect("quit");
    anna.quit().await.expect("quit");
    visitor.quit().await.expect("quit");
}
