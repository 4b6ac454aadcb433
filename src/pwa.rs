//! The installed app (X2) and this device's pushes (O2): registers the service worker
//! (`/sw.js`), routes the links its notifications open, subscribes the device to Web Push
//! with the server's VAPID key, notices a newer deployed version, and forgets the account's
//! cached answers and this device's subscription on sign-out.

use crate::api;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::notifications::PushSubscriptionRequest;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
export function sw_register(open) {
  if (!('serviceWorker' in navigator)) return false;
  navigator.serviceWorker.register('/sw.js').catch(() => {});
  navigator.serviceWorker.addEventListener('message', (event) => {
    const data = event.data || {};
    if (data.type === 'open' && typeof data.url === 'string' && data.url.startsWith('/')) open(data.url);
  });
  return true;
}
export function push_support() {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    return 'unsupported';
  }
  return Notification.permission;
}
export async function push_subscribe(key) {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error(permission);
  const registration = await navigator.serviceWorker.ready;
  const existing = await registration.pushManager.getSubscription();
  const subscription = existing ||
    await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  return JSON.stringify(subscription.toJSON());
}
export async function push_endpoint() {
  if (!('serviceWorker' in navigator)) return null;
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration || !registration.pushManager) return null;
  const subscription = await registration.pushManager.getSubscription();
  return subscription ? subscription.endpoint : null;
}
export async function push_unsubscribe() {
  const registration = 'serviceWorker' in navigator && await navigator.serviceWorker.getRegistration();
  const subscription = registration && registration.pushManager && await registration.pushManager.getSubscription();
  if (!subscription) return null;
  const endpoint = subscription.endpoint;
  await subscription.unsubscribe();
  return endpoint;
}
export function forget_answers() {
  if (navigator.serviceWorker && navigator.serviceWorker.controller) {
    navigator.serviceWorker.controller.postMessage({ type: 'signed-out' });
  }
  if (window.caches) caches.delete('switchboard-api-v1');
}
export async function deployed_index() {
  const response = await fetch('/', { cache: 'no-store' });
  return response.ok ? await response.text() : '';
}
"#)]
extern "C" {
    fn sw_register(open: &Closure<dyn Fn(String)>) -> bool;
    fn push_support() -> String;
    #[wasm_bindgen(catch)]
    fn push_subscribe(key: &str) -> Result<js_sys::Promise, JsValue>;
    fn push_endpoint() -> js_sys::Promise;
    fn push_unsubscribe() -> js_sys::Promise;
    fn forget_answers();
    fn deployed_index() -> js_sys::Promise;
}

/// Registers the service worker; links its notifications open are handed to `open`.
pub fn register(open: impl Fn(String) + 'static) {
    let open = Closure::<dyn Fn(String)>::new(open);
    sw_register(&open);
    // The page lives as long as the app: so does the callback.
    open.forget();
}

/// Whether this browser can take pushes, and what the member said so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PushSupport {
    Unsupported,
    /// Not asked yet.
    Ask,
    Granted,
    Denied,
}

pub fn push_support_now() -> PushSupport {
    match push_support().as_str() {
        "granted" => PushSupport::Granted,
        "denied" => PushSupport::Denied,
        "default" => PushSupport::Ask,
        _ => PushSupport::Unsupported,
    }
}

/// This device's subscription's endpoint, if it has one.
pub async fn current_endpoint() -> Option<String> {
    JsFuture::from(push_endpoint()).await.ok()?.as_string()
}

/// Asks for permission, subscribes this device and hands the subscription to the server.
pub async fn turn_on_push() -> Result<(), String> {
    let key = api::push_key().await.map_err(|e| e.to_string())?;
    let promise = push_subscribe(&key.public_key).map_err(describe)?;
    let json = JsFuture::from(promise)
        .await
        .map_err(describe)?
        .as_string()
        .unwrap_or_default();
    let mut subscription: PushSubscriptionRequest =
        serde_json::from_str(&json).map_err(|_| tr!("system-push-unreadable"))?;
    // The device's pushes are written in the language the member uses here.
    subscription.language = Some(crate::i18n::lang().code().to_owned());
    api::push_subscribe(&subscription)
        .await
        .map_err(|e| e.to_string())
}

/// Tells the server the device's new language, when the device takes pushes.
pub async fn language_changed() {
    if push_support_now() == PushSupport::Granted && current_endpoint().await.is_some() {
        let _ = turn_on_push().await;
    }
}

/// Drops this device's subscription here and at the server.
pub async fn turn_off_push() {
    if let Ok(endpoint) = JsFuture::from(push_unsubscribe()).await
        && let Some(endpoint) = endpoint.as_string()
    {
        let _ = api::push_unsubscribe(endpoint).await;
    }
}

/// Signing out: this device gets no more pushes of the account, and keeps none of its
/// answers.
pub async fn signed_out() {
    turn_off_push().await;
    forget_answers();
}

fn describe(error: JsValue) -> String {
    let text = error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_default();
    match text.as_str() {
        "denied" => tr!("system-push-blocked"),
        "default" => tr!("system-push-not-allowed"),
        _ if text.is_empty() => tr!("system-push-failed"),
        _ => tr!("system-push-failed-reason", reason = text.as_str()),
    }
}

/// The built app a page of `index.html` loads: its wasm file's name (hashed per build).
pub fn build_of(index_html: &str) -> Option<&str> {
    let end = index_html.find("_bg.wasm")?;
    let start = index_html[..end].rfind('/')? + 1;
    Some(&index_html[start..end])
}

/// Looks for a newer deployed version now and whenever the page comes back into view; sets
/// `ready` once the server has one.
pub fn watch_for_updates(ready: RwSignal<bool>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let running = document
        .document_element()
        .map(|html| html.outer_html())
        .and_then(|html| build_of(&html).map(str::to_owned));
    let Some(running) = running else {
        return;
    };
    let check = move || {
        let running = running.clone();
        spawn_local(async move {
            if let Ok(html) = JsFuture::from(deployed_index()).await
                && let Some(html) = html.as_string()
                && build_of(&html).is_some_and(|deployed| deployed != running)
            {
                ready.set(true);
            }
        });
    };
    check();
    let on_visible = Closure::<dyn Fn()>::new(move || {
        if visible() {
            check();
        }
    });
    let _ = document
        .add_event_listener_with_callback("visibilitychange", on_visible.as_ref().unchecked_ref());
    on_visible.forget();
}

/// Whether the page is in view (not a background tab).
pub fn visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_is_the_wasm_files_name() {
        let html = r#"<link rel="preload" href="/switchboard-a5b9b37adeeeada7_bg.wasm" as="fetch" type="application/wasm" crossorigin="">
<script type="module">import init, * as bindings from '/switchboard-a5b9b37adeeeada7.js';
init({ module_or_path: '/switchboard-a5b9b37adeeeada7_bg.wasm' });</script>"#;
        assert_eq!(build_of(html), Some("switchboard-a5b9b37adeeeada7"));
        assert_eq!(build_of("<html></html>"), None);
    }
}
