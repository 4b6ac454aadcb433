//! Delivery through a provider in a real browser (C1): an answer in a Telegram conversation
//! shows as pending, then — the bot is not connected, so the outbox cannot deliver it — as
//! "Not delivered" with the reason and a Retry button; Retry queues it again.

use std::time::Duration;
use switchboard_e2e::thirtyfour::prelude::*;
use switchboard_e2e::*;
use switchboard_protocol::*;
use switchboard_storage::NewChannel;

const REFUSED: &str = "//article[contains(@class,'message')]//span[@role='alert']";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_answer_says_why_and_can_be_retried() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let store = &h.server.state.store;
    let workspace = WorkspaceId(1);
    // A Telegram channel whose bot was never connected, and Ivan, who wrote through it.
    let channel = store
        .create_channel(NewChannel {
            workspace,
            kind: ChannelKind::Telegram,
            name: "Northwind Bot",
            public_key: Some("e2e-telegram-key"),
        })
        .await
        .expect("a channel");
    let conversation = receive(
        store.as_ref(),
        text_from(
            &channel,
            "555",
            ("Ivan", "Petrov"),
            "555:10",
            "Где мой заказ?",
            chrono::Duration::zero(),
        ),
    )
    .await
    .id;

    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1/c/{conversation}", h.url))
        .await
        .expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    wait_xpath(&anna, &bubble("Где мой заказ?")).await;
    let field = wait_xpath(&anna, "//textarea").await;
    field.send_keys("Заказ в пути").await.expect("typed");
    field.send_keys(Key::Enter).await.expect("sent");
    let shown = wait_text(&anna, REFUSED).await;
    assert!(
        shown.contains("Not delivered: The channel is not connected."),
        "the reason is shown on the message: {shown:?}"
    );
    screenshot(&anna, "delivery-refused").await;

    // Retry sends it back to the outbox (pending), which refuses it again.
    let before = store.last_seq(workspace).await.expect("a sequence");
    click(
        &anna,
        &format!("{REFUSED}//button[normalize-space()='Retry']"),
    )
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while store.last_seq(workspace).await.expect("a sequence") < before + 2 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the retry was queued and attempted"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_xpath(&anna, REFUSED).await;
    let events = store
        .events_since(workspace, before, 10)
        .await
        .expect("events");
    let statuses: Vec<Option<DeliveryStatus>> = events
        .iter()
        .filter_map(|e| match &e.payload {
            switchboard_protocol::events::EventPayload::MessageUpdated { message, .. } => {
                Some(message.delivery_status)
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        statuses,
        [Some(DeliveryStatus::Pending), Some(DeliveryStatus::Failed)],
        "queued again, then refused again"
    );
    assert_eq!(count(&anna, "article.message span[role='alert']").await, 1);
    anna.quit().await.expect("quit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_whatsapp_window_is_explained_and_only_comments_go() {
    let _serial = SERIAL.lock().await;
    let h = Harness::start().await;
    let store = &h.server.state.store;
    let workspace = WorkspaceId(1);
    let channel = store
        .create_channel(NewChannel {
            workspace,
            kind: ChannelKind::Whatsapp,
            name: "Northwind WhatsApp",
            public_key: Some("e2e-whatsapp-key"),
        })
        .await
        .expect("a channel");
    // Kerry last wrote two days ago.
    let mut message = text_from(
        &channel,
        "16505551234",
        ("Kerry", "Fisher"),
        "wamid.OLD",
        "Is my order shipped?",
        chrono::Duration::hours(48),
    );
    message.phone = Some("+16505551234");
    let conversation = receive(store.as_ref(), message).await.id;
    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1/c/{conversation}", h.url))
        .await
        .expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    wait_xpath(&anna, &bubble("Is my order shipped?")).await;
    let notice = wait_text(&anna, "//div[contains(@class,'composer-notice')]").await;
    assert!(
        notice.contains("WhatsApp takes messages only within 24 hours")
            && notice.contains("Kerry last wrote longer ago"),
        "{notice:?}"
    );
    let field = wait_xpath(&anna, "//textarea").await;
    field.send_keys("Still there?").await.expect("typed");
    let send = wait_xpath(&anna, "//button[@aria-label='Send']").await;
    assert!(
        !send.is_enabled().await.expect("a state"),
        "messages wait for Kerry"
    );
    field.send_keys(Key::Enter).await.expect("enter");
    screenshot(&anna, "whatsapp-window-closed").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        count(&anna, "article.message.outgoing").await,
        0,
        "nothing was sent"
    );
    // A comment still goes.
    click(
        &anna,
        "//button[@role='radio'][normalize-space()='Comment']",
    )
    .await;
    wait_gone(&anna, "//div[contains(@class,'composer-notice')]").await;
    wait_xpath(&anna, "//button[@aria-label='Add comment'][not(@disabled)]").await;
    field.send_keys(Key::Enter).await.expect("enter");
    wait_xpath(&anna, "//article[contains(@class,'comment')]").await;
    anna.quit().await.expect("quit");
}
