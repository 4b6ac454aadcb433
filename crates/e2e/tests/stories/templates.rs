//! WhatsApp templates in a real browser: Kerry last wrote two days ago, so the composer
//! explains the closed window and offers "Send a template"; the dialog lists the number's
//! approved templates (from a Graph API stand-in), fills the chosen one in as Kerry will read
//! it, refuses an empty variable, and sends it; the thread shows it tagged as a template and
//! Meta receives it as a template message.

use axum::Json;
use axum::extract::Path;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use switchboard_e2e::*;
use switchboard_protocol::*;
use switchboard_storage::NewChannel;

const ACCOUNT: &str = "102290129340398";

/// A Graph API stand-in with one business account's templates (one page, as Meta answers
/// `GET /<WABA>/message_templates`) that records the messages sent through it.
async fn graph() -> (String, Arc<Mutex<Vec<Value>>>) {
    let sent = Arc::new(Mutex::new(Vec::new()));
    let record = sent.clone();
    let app = axum::Router::new()
        .route(
            "/v21.0/{account}/message_templates",
            axum::routing::get(|Path(account): Path<String>| async move {
                let data = if account == ACCOUNT {
                    json!([
                        { "name": "order_update", "language": "en_US", "status": "APPROVED",
                          "category": "UTILITY", "id": "1", "components": [
                            { "type": "BODY", "text": "Hi {{1}}, your order {{2}} has shipped." },
                            { "type": "FOOTER", "text": "Northwind Coffee" } ] },
                        { "name": "welcome_back", "language": "en_US", "status": "APPROVED",
                          "category": "MARKETING", "id": "2", "components": [
                            { "type": "BODY", "text": "We are open again." } ] }
                    ])
                } else {
                    json!([])
                };
                Json(json!({ "data": data, "paging": { "cursors": { "before": "0", "after": "2" } } }))
            }),
        )
        .route(
            "/v21.0/{phone}/messages",
            axum::routing::post(move |Json(body): Json<Value>| {
                let record = record.clone();
                async move {
                    record.lock().unwrap_or_else(|p| p.into_inner()).push(body);
                    Json(json!({ "messaging_product": "whatsapp",
                                 "contacts": [{ "input": "16505551234", "wa_id": "16505551234" }],
                                 "messages": [{ "id": "wamid.TEMPLATE1" }] }))
                }
            }),
        );
    let url = format!("{}/v21.0", serve(app).await);
    (url, sent)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_window_offers_approved_templates_and_sends_one() {
    let _serial = SERIAL.lock().await;
    let (api, sent) = graph().await;
    let h = Harness::start_configured(move |config| config.whatsapp_api_url = api).await;
    let store = &h.server.state.store;
    let workspace = WorkspaceId(1);
    let channel = store
        .create_channel(NewChannel {
            workspace,
            kind: ChannelKind::Whatsapp,
            name: "Northwind WhatsApp",
            public_key: Some("e2e-templates-key"),
        })
        .await
        .expect("a channel");
    let credentials = json!({ "phone_number_id": "106540352242922", "access_token": "EAAJB-e2e",
                              "app_secret": "secret", "verify_token": "verify",
                              "business_account_id": ACCOUNT });
    store
        .set_channel_credentials(workspace, channel.id, &credentials.to_string())
        .await
        .expect("credentials");
    let mut message = text_from(
        &channel,
        "16505551234",
        ("Kerry", "Fisher"),
        "wamid.OLD",
        "Is my order shipped?",
        chrono::Duration::hours(48),
    );
    message.phone = Some("+16505551234");
    let kerry = receive(store.as_ref(), message).await.id;

    let anna = h.browser(1440, 900).await;
    anna.goto(format!("{}/w/1/c/{kerry}", h.url))
        .await
        .expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    wait_xpath(&anna, &bubble("Is my order shipped?")).await;
    click(&anna, "//button[normalize-space()='Send a template']").await;
    let dialog = "//div[@role='dialog'][.//h2[normalize-space()='Send a WhatsApp template']]";
    wait_xpath(&anna, dialog).await;
    assert_eq!(count(&anna, ".template-list [role='option']").await, 2);
    click(
        &anna,
        &format!("{dialog}//button[@role='option'][contains(., 'order_update')]"),
    )
    .await;
    // An empty variable is refused in the dialog, naming it.
    let first = wait_xpath(&anna, &format!("{dialog}//label[span='{{{{1}}}}']/input")).await;
    first.send_keys("Kerry").await.expect("typed");
    click(
        &anna,
        &format!("{dialog}//button[normalize-space()='Send template']"),
    )
    .await;
    let refused = wait_text(&anna, &format!("{dialog}//p[@role='alert']")).await;
    assert_eq!(refused, "Fill in {{2}}.");
    let second = wait_xpath(&anna, &format!("{dialog}//label[span='{{{{2}}}}']/input")).await;
    second.send_keys("1042").await.expect("typed");
    let preview = wait_text(
        &anna,
        &format!("{dialog}//p[contains(@class,'template-result')]"),
    )
    .await;
    assert_eq!(
        preview,
        "Hi Kerry, your order 1042 has shipped.\n\nNorthwind Coffee"
    );
    screenshot(&anna, "whatsapp-template-dialog").await;
    click(
        &anna,
        &format!("{dialog}//button[normalize-space()='Send template']"),
    )
    .await;
    wait_gone(&anna, dialog).await;
    // The thread shows it as a template; Meta got a template message.
    let tag = wait_text(
        &anna,
        &format!(
            "{}//span[@class='template-tag']",
            bubble("Hi Kerry, your order 1042 has shipped.")
        ),
    )
    .await;
    assert_eq!(tag, "WhatsApp template · order_update");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let body = loop {
        if let Some(body) = sent
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .first()
            .cloned()
        {
            break body;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the template was sent"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(body["type"], "template");
    assert_eq!(body["to"], "16505551234");
    assert_eq!(body["template"]["name"], "order_update");
    assert_eq!(
        body["template"]["components"][0]["parameters"],
        json!([{ "type": "text", "text": "Kerry" }, { "type": "text", "text": "1042" }])
    );
    screenshot(&anna, "whatsapp-template-sent").await;
    anna.quit().await.expect("quit");
}
