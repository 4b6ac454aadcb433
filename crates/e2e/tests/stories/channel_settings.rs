//! Channels in settings (T6) in a real browser: Maria, a manager, opens Channels from the
//! sidebar, connects a Telegram bot (an empty token is named before sending, a token the
//! Bot API stand-in refuses is named under its field, a good one connects and the bot's name
//! shows), checks it with Telegram, and disconnects it after confirming; connects a TikTok
//! business account (a token TikTok refuses is named, a good one connects and shows the
//! webhook URL to give TikTok) and a WhatsApp number (a token Meta refuses is named, a
//! good one connects under the number's verified name with Meta's callback URL). Anna, an
//! agent, sees the channels without the means to change them.

use axum::Json;
use axum::extract::Path;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use switchboard_e2e::*;

const TOKEN: &str = "123456789:AAEhBP0av28q0TRl2QWbAfXAL3gyQWfu8qA";

/// A Bot API stand-in: `getMe`, `setWebhook` and `deleteWebhook` for one token, Telegram's
/// 401 for any other; it records the methods called.
async fn bot_api() -> (String, Arc<Mutex<Vec<String>>>) {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let record = calls.clone();
    let app = axum::Router::new().route(
        "/{bot}/{method}",
        axum::routing::post(move |Path((bot, method)): Path<(String, String)>| {
            let record = record.clone();
            async move {
                record
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(method.clone());
                if bot != format!("bot{TOKEN}") {
                    return (
                        axum::http::StatusCode::UNAUTHORIZED,
                        Json(json!({ "ok": false, "error_code": 401, "description": "Unauthorized" })),
                    );
                }
                let result: Value = match method.as_str() {
                    "getMe" => json!({ "id": 123456789, "is_bot": true,
                                       "first_name": "Northwind Bot", "username": "northwind_bot" }),
                    _ => json!(true),
                };
                (
                    axum::http::StatusCode::OK,
                    Json(json!({ "ok": true, "result": result })),
                )
            }
        }),
    );
    let url = serve(app).await;
    (url, calls)
}

const FORM: &str = "//form[@aria-label='Connect Telegram']";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_connects_and_disconnects_a_telegram_bot() {
    let _serial = SERIAL.lock().await;
    let (api, calls) = bot_api().await;
    let h = Harness::start_configured(move |config| config.telegram_api_url = api).await;

    let maria = h.browser(1440, 900).await;
    maria.goto(format!("{}/w/1", h.url)).await.expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    click(&maria, "//a[@aria-label='Channels']").await;
    wait_path(&maria, "/w/1/settings/channels").await;
    wait_xpath(
        &maria,
        "//li[contains(@class,'channel-card')][.//strong[normalize-space()='Northwind Coffee']]",
    )
    .await;
    click(&maria, "//button[normalize-space()='Telegram']").await;
    let submit = format!("{FORM}//button[@type='submit']");
    // Nothing typed: named before anything is sent.
    click(&maria, &submit).await;
    let refused = wait_text(
        &maria,
        &format!("{FORM}//label[span='Bot token']//*[@role='alert']"),
    )
    .await;
    assert_eq!(refused, "Bot token is required.");
    assert!(calls.lock().unwrap_or_else(|p| p.into_inner()).is_empty());
    // A token Telegram refuses: its words under the field, nothing connected.
    let token = wait_xpath(&maria, &format!("{FORM}//label[span='Bot token']//input")).await;
    token
        .send_keys("987654321:AAEhBP0av28q0TRl2QWbAfXAL3gyQWfu8qB")
        .await
        .expect("typed");
    click(&maria, &submit).await;
    let refused = wait_text(
        &maria,
        &format!("{FORM}//label[span='Bot token']//*[@role='alert'][contains(., 'Unauthorized')]"),
    )
    .await;
    assert!(refused.contains("Unauthorized"), "{refused}");
    assert_eq!(count(&maria, "li.channel-card").await, 1);
    // The right token connects; the bot's own name shows.
    token.clear().await.expect("cleared");
    token.send_keys(TOKEN).await.expect("typed");
    screenshot(&maria, "channel-settings-connect").await;
    click(&maria, &submit).await;
    let notice = wait_text(&maria, "//p[@class='settings-notice']").await;
    assert_eq!(notice, "Northwind Bot is connected.");
    let card =
        "//li[contains(@class,'channel-card')][.//strong[normalize-space()='Northwind Bot']]";
    wait_xpath(&maria, card).await;
    wait_gone(&maria, FORM).await;
    assert!(
        calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&"setWebhook".to_owned()),
        "the webhook was registered"
    );
    // Checked with Telegram on request.
    click(
        &maria,
        &format!("{card}//button[normalize-space()='Check']"),
    )
    .await;
    assert_eq!(
        wait_text(
            &maria,
            &format!("{card}//p[contains(@class,'channel-check')]")
        )
        .await,
        "Telegram knows the bot as Northwind Bot."
    );
    screenshot(&maria, "channel-settings").await;
    // Disconnect asks first, then the card goes.
    click(
        &maria,
        &format!("{card}//button[normalize-space()='Disconnect']"),
    )
    .await;
    click(&maria, &format!("{card}//button[normalize-space()='Keep']")).await;
    wait_xpath(&maria, card).await;
    click(
        &maria,
        &format!("{card}//button[normalize-space()='Disconnect']"),
    )
    .await;
    click(
        &maria,
        &format!("{card}//button[contains(@class,'danger')][normalize-space()='Disconnect']"),
    )
    .await;
    wait_gone(&maria, card).await;
    assert_eq!(
        wait_text(&maria, "//p[@class='settings-notice']").await,
        "Northwind Bot is disconnected."
    );
    maria.quit().await.expect("quit");

    // An agent sees the channels, not the means to change them.
    let anna = h.phone().await;
    anna.goto(format!("{}/w/1/settings/channels", h.url))
        .await
        .expect("goto");
    sign_in(&anna, "anna@northwind.example", PASSWORD).await;
    wait_xpath(&anna, "//li[contains(@class,'channel-card')]").await;
    wait_xpath(
        &anna,
        "//p[normalize-space()='Owners and managers connect and disconnect channels.']",
    )
    .await;
    assert_eq!(count(&anna, "section.connect-section").await, 0);
    assert_eq!(count(&anna, "li.channel-card button").await, 0);
    screenshot(&anna, "channel-settings-agent-mobile").await;
    anna.quit().await.expect("quit");
}

const BUSINESS_ID: &str = "-000m4JH_b1JiHPxoOSKii9FmQCeIA2fZ7Jw";
const TIKTOK_TOKEN: &str = "act.example-tiktok-access-token";

/// A TikTok API for Business stand-in: `business/get/` for one business id and token, with
/// TikTok's envelope (code 40105 for another token, over HTTP 200 as TikTok answers).
async fn tiktok_api() -> String {
    let app = axum::Router::new().route(
        "/open_api/v1.3/business/get/",
        axum::routing::get(
            |headers: axum::http::HeaderMap,
             axum::extract::Query(query): axum::extract::Query<
                std::collections::HashMap<String, String>,
            >| async move {
                let token = headers.get("access-token").and_then(|v| v.to_str().ok());
                let envelope = |code: i64, message: &str, data: Value| {
                    Json(json!({ "code": code, "message": message,
                                 "request_id": "2026112600000000", "data": data }))
                };
                if token != Some(TIKTOK_TOKEN) {
                    return envelope(
                        40105,
                        "Access token is incorrect or has been revoked.",
                        json!({}),
                    );
                }
                if query.get("business_id").map(String::as_str) != Some(BUSINESS_ID) {
                    return envelope(40001, "No permission to operate this business account.", json!({}));
                }
                envelope(
                    0,
                    "OK",
                    json!({ "username": "northwind.coffee", "display_name": "Northwind on TikTok" }),
                )
            },
        ),
    );
    let url = format!("{}/open_api/v1.3", serve(app).await);
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_connects_a_tiktok_business_account() {
    let _serial = SERIAL.lock().await;
    let api = tiktok_api().await;
    let h = Harness::start_configured(move |config| config.tiktok_api_url = api).await;
    let form = "//form[@aria-label='Connect TikTok']";
    let input = |label: &str| format!("{form}//label[span='{label}']//input");

    let maria = h.browser(1440, 900).await;
    maria
        .goto(format!("{}/w/1/settings/channels", h.url))
        .await
        .expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    click(&maria, "//button[normalize-space()='TikTok']").await;
    wait_xpath(&maria, &input("Business id"))
        .await
        .send_keys(BUSINESS_ID)
        .await
        .expect("typed");
    let token = wait_xpath(&maria, &input("Access token")).await;
    token.send_keys("act.expired-token").await.expect("typed");
    wait_xpath(&maria, &input("App secret"))
        .await
        .send_keys("tiktok-app-secret")
        .await
        .expect("typed");
    click(&maria, &format!("{form}//button[@type='submit']")).await;
    // TikTok's words, under the field they concern; nothing connected.
    let refused = wait_text(
        &maria,
        &format!("{form}//label[span='Access token']//*[@role='alert']"),
    )
    .await;
    assert!(
        refused.contains("incorrect or has been revoked"),
        "{refused}"
    );
    assert_eq!(count(&maria, "li.channel-card").await, 1);

    token.clear().await.expect("cleared");
    token.send_keys(TIKTOK_TOKEN).await.expect("typed");
    click(&maria, &format!("{form}//button[@type='submit']")).await;
    assert_eq!(
        wait_text(&maria, "//p[@class='settings-notice']").await,
        "Northwind on TikTok is connected."
    );
    let card =
        "//li[contains(@class,'channel-card')][.//strong[normalize-space()='Northwind on TikTok']]";
    let hook = wait_xpath(
        &maria,
        &format!("{card}//label[contains(@class,'webhook-url')]//input"),
    )
    .await
    .prop("value")
    .await
    .expect("a value")
    .unwrap_or_default();
    assert!(
        hook.starts_with(&h.url) && hook.contains("/api/v1/hooks/tiktok/"),
        "{hook}"
    );
    screenshot(&maria, "channel-settings-tiktok").await;
    maria.quit().await.expect("quit");
}

const PHONE_NUMBER_ID: &str = "106540352242922";
const META_TOKEN: &str = "EAAJB-example-system-user-token";

/// A Graph API stand-in: the phone number's fields for one token, Meta's `OAuthException`
/// (code 190, HTTP 401) for any other.
async fn graph_api() -> String {
    let app = axum::Router::new().route(
        "/v21.0/{id}",
        axum::routing::get(
            |Path(id): Path<String>, headers: axum::http::HeaderMap| async move {
                let authorized = headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    == Some(&format!("Bearer {META_TOKEN}"));
                if !authorized {
                    return (
                        axum::http::StatusCode::UNAUTHORIZED,
                        Json(json!({ "error": { "message": "Invalid OAuth access token - Cannot parse access token",
                                                "type": "OAuthException", "code": 190,
                                                "fbtrace_id": "AbCdEf" } })),
                    );
                }
                if id != PHONE_NUMBER_ID {
                    return (
                        axum::http::StatusCode::BAD_REQUEST,
                        Json(json!({ "error": { "message": "Unsupported get request.",
                                                "type": "GraphMethodException", "code": 100 } })),
                    );
                }
                (
                    axum::http::StatusCode::OK,
                    Json(json!({ "display_phone_number": "+49 30 1234567",
                                 "verified_name": "Northwind Coffee Berlin", "id": PHONE_NUMBER_ID })),
                )
            },
        ),
    );
    let url = format!("{}/v21.0", serve(app).await);
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_connects_a_whatsapp_number() {
    let _serial = SERIAL.lock().await;
    let api = graph_api().await;
    let h = Harness::start_configured(move |config| config.whatsapp_api_url = api).await;
    let form = "//form[@aria-label='Connect WhatsApp']";
    let input = |label: &str| format!("{form}//label[span='{label}']//input");

    let maria = h.browser(1440, 900).await;
    maria
        .goto(format!("{}/w/1/settings/channels", h.url))
        .await
        .expect("goto");
    sign_in(&maria, "maria@northwind.example", PASSWORD).await;
    click(&maria, "//button[normalize-space()='WhatsApp']").await;
    for (label, value) in [
        ("Phone number id", PHONE_NUMBER_ID),
        ("App secret", "meta-app-secret"),
        ("Verify token", "northwind-verify"),
    ] {
        wait_xpath(&maria, &input(label))
            .await
            .send_keys(value)
            .await
            .expect("typed");
    }
    let token = wait_xpath(&maria, &input("Access token")).await;
    token.send_keys("EAAJB-revoked-token").await.expect("typed");
    click(&maria, &format!("{form}//button[@type='submit']")).await;
    // Meta's words, under the token; nothing connected.
    let refused = wait_text(
        &maria,
        &format!("{form}//label[span='Access token']//*[@role='alert']"),
    )
    .await;
    assert!(refused.contains("Invalid OAuth access token"), "{refused}");
    assert_eq!(count(&maria, "li.channel-card").await, 1);

    token.clear().await.expect("cleared");
    token.send_keys(META_TOKEN).await.expect("typed");
    click(&maria, &format!("{form}//button[@type='submit']")).await;
    assert_eq!(
        wait_text(&maria, "//p[@class='settings-notice']").await,
        "Northwind Coffee Berlin is connected."
    );
    let card = "//li[contains(@class,'channel-card')][.//strong[normalize-space()='Northwind Coffee Berlin']]";
    let hook = wait_xpath(
        &maria,
        &format!("{card}//label[contains(@class,'webhook-url')]//input"),
    )
    .await
    .prop("value")
    .await
    .expect("a value")
    .unwrap_or_default();
    assert!(
        hook.starts_with(&h.url) && hook.contains("/api/v1/hooks/whatsapp/"),
        "{hook}"
    );
    screenshot(&maria, "channel-settings-whatsapp").await;
    maria.quit().await.expect("quit");
}
