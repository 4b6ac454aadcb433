//! The channel switcher (K2) in a real browser: Ivan wrote on WhatsApp two days ago and on
//! Telegram just now (the same number joins him), and an e-mail channel knows his address.
//! The composer offers his three channels with Telegram, where he last wrote, checked;
//! WhatsApp explains its closed window; e-mail asks for a subject and drops a quote with a
//! notice (C4); each message is stored on the channel it was sent through. Comments hide the
//! switcher; on a phone it fits above the field.

use std::time::Duration;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;
use switchboard_protocol::*;
use switchboard_storage::{NewChannel, Store};

const SWITCHER: &str = "//div[@role='radiogroup'][@aria-label='Send through']";

fn choice(label: &str) -> String {
    format!(
        "{SWITCHER}//button[@role='radio'][contains(normalize-space(), {})]",
        literal(label)
    )
}

async fn checked(driver: &WebDriver, label: &str) -> bool {
    let button = wait_xpath(driver, &choice(label)).await;
    button
        .attr("aria-checked")
        .await
        .expect("an attribute")
        .as_deref()
        == Some("true")
}

/// Stores a message Ivan sent through `channel` from `sender`, `hours_ago`, with his
/// number and address.
async fn ivan_writes(
    store: &dyn Store,
    channel: &switchboard_storage::Channel,
    sender: &str,
    id: &str,
    text: &str,
    hours_ago: i64,
) -> ConversationSummary {
    let mut message = text_from(
        channel,
        sender,
        ("Ivan", "Petrov"),
        id,
        text,
        chrono::Duration::hours(hours_ago),
    );
    message.phone = Some("+44 7700 900123");
    message.email = Some("ivan@example.com");
    receive(store, message).await
}

/// The newest message of the conversation whose text is `text`, as stored.
async fn stored(store: &dyn Store, conversation: ConversationId, text: &str) -> Message {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let page = store
            .messages(
                WorkspaceId(1),
                conversation,
                switchboard_storage::PageRequest {
                    after: None,
                    limit: 20,
                },
            )
            .await
            .expect("a page");
        let found = page.items.into_iter().find(|m| match &m.content {
            Content::Text { text: t } => t == text,
            Content::Email { text: t, .. } => t == text,
            _ => false,
        });
        if let Some(message) = found {
            return message;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{text:?} was stored"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_go_through_the_channel_picked_above_the_composer() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let store = h.server.state.store.as_ref();
    let workspace = WorkspaceId(1);
    let channel = |kind, name: &'static str, key: &'static str| NewChannel {
        workspace,
        kind,
        name,
        public_key: Some(key),
    };
    let whatsapp = store
        .create_channel(channel(
            ChannelKind::Whatsapp,
            "Northwind WhatsApp",
            "e2e-k2-wa",
        ))
        .await
        .expect("a channel");
    let telegram = store
        .create_channel(channel(ChannelKind::Telegram, "Northwind Bot", "e2e-k2-tg"))
        .await
        .expect("a channel");
    store
        .create_channel(channel(ChannelKind::Email, "Support inbox", "e2e-k2-mail"))
        .await
        .expect("a channel");
    ivan_writes(
        store,
        &whatsapp,
        "447700900123",
        "wamid.k2",
        "Sent from WhatsApp",
        48,
    )
    .await;
    let ivan = ivan_writes(store, &telegram, "4242", "4242:1", "Где мой заказ?", 0).await;
    assert_eq!(
        ivan.channel_id, telegram.id,
        "one conversation, now on Telegram"
    );

    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1/c/{}", h.url, ivan.id))
        .await
        .expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    wait_xpath(&anna, &bubble("Где мой заказ?")).await;
    wait_xpath(&anna, &bubble("Sent from WhatsApp")).await;
    // With several channels, each message says which it came through.
    let via = wait_text(
        &anna,
        &format!(
            "{}//span[@class='message-channel']",
            bubble("Sent from WhatsApp")
        ),
    )
    .await;
    assert_eq!(via, "via WhatsApp");
    // His three channels, Telegram (where he last wrote) checked.
    assert_eq!(
        count(&anna, "div.channel-switcher button[role='radio']").await,
        3
    );
    assert!(checked(&anna, "Telegram · Northwind Bot").await);
    assert!(!checked(&anna, "WhatsApp · Northwind WhatsApp").await);
    assert!(!checked(&anna, "E-mail · Support inbox").await);
    screenshot(&anna, "channel-switcher-desktop").await;

    // WhatsApp: its 24-hour window closed two days ago, which the composer explains.
    click(&anna, &choice("WhatsApp")).await;
    assert!(checked(&anna, "WhatsApp").await);
    let notice = wait_text(&anna, "//div[contains(@class,'composer-notice')]").await;
    assert!(
        notice.contains("WhatsApp takes messages only within 24 hours"),
        "{notice:?}"
    );
    // Back on Telegram, with a quote: it goes through Telegram, quoting.
    click(&anna, &choice("Telegram")).await;
    wait_gone(&anna, "//div[contains(@class,'composer-notice')]").await;
    message_action(&anna, "Где мой заказ?", "Reply").await;
    wait_xpath(&anna, "//div[contains(@class,'reply-preview')]").await;
    let field = wait_xpath(&anna, "//textarea").await;
    field.send_keys("Уже в пути").await.expect("typed");
    field.send_keys(Key::Enter).await.expect("sent");
    wait_xpath(&anna, &bubble("Уже в пути")).await;
    let sent = stored(store, ivan.id, "Уже в пути").await;
    assert_eq!(sent.channel, ChannelKind::Telegram);
    assert!(sent.reply_to.is_some(), "the quote went along");

    // E-mail: a quote is dropped with a notice, a subject is asked for, and it is stored as
    // an e-mail through the e-mail channel.
    message_action(&anna, "Где мой заказ?", "Reply").await;
    wait_xpath(&anna, "//div[contains(@class,'reply-preview')]").await;
    click(&anna, &choice("E-mail")).await;
    wait_gone(&anna, "//div[contains(@class,'reply-preview')]").await;
    let toast = wait_text(&anna, "//p[@class='toast']").await;
    assert_eq!(toast, "E-mail does not show quotes: the quote was removed.");
    let subject = wait_xpath(&anna, "//input[@aria-label='Subject']").await;
    subject.send_keys("Your order 1042").await.expect("typed");
    let field = wait_xpath(&anna, "//textarea").await;
    field
        .send_keys("The tracking number is attached.")
        .await
        .expect("typed");
    screenshot(&anna, "channel-switcher-email").await;
    field.send_keys(Key::Enter).await.expect("sent");
    let sent = stored(store, ivan.id, "The tracking number is attached.").await;
    assert_eq!(sent.channel, ChannelKind::Email);
    assert!(
        matches!(&sent.content, Content::Email { subject, .. } if subject == "Your order 1042"),
        "{:?}",
        sent.content
    );
    // The conversation follows: after a reload, E-mail is the checked channel.
    anna.refresh().await.expect("reload");
    wait_xpath(&anna, &bubble("Уже в пути")).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !checked(&anna, "E-mail").await {
        assert!(tokio::time::Instant::now() < deadline, "E-mail is current");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Comments do not travel: the switcher steps aside while writing one.
    click(
        &anna,
        "//button[@role='radio'][normalize-space()='Comment']",
    )
    .await;
    let switcher = wait_xpath(&anna, SWITCHER).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while switcher.is_displayed().await.expect("a state") {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the switcher is hidden"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anna.quit().await.expect("quit");

    // On a phone the switcher fits above the field and still switches.
    let phone = h.phone().await;
    phone
        .goto(format!("{}/w/1/c/{}", h.url, ivan.id))
        .await
        .expect("goto");
    sign_in(&phone, "anna@northwind.example", PASSWORD).await;
    wait_xpath(&phone, &bubble("Уже в пути")).await;
    click(&phone, &choice("Telegram")).await;
    assert!(checked(&phone, "Telegram").await);
    screenshot(&phone, "channel-switcher-mobile").await;
    phone.quit().await.expect("quit");
}
