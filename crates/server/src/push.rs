//! Web Push (O2): the server's VAPID key pair, devices' subscriptions, and the worker that
//! pushes notification-centre entries to their member's devices.
//!
//! The key pair is made on the first start and kept in the store, so every replica signs
//! alike and subscriptions survive restarts. Each push is one JSON [`PushPayload`] per
//! device, encrypted per RFC 8291 (`aes128gcm`) and signed with VAPID (RFC 8292) by the
//! web-push crate, and sent through an HTTP client that reaches public addresses only (a
//! subscription's endpoint is the browser's to name). A subscription its push service says
//! is gone (404, 410) is dropped; a busy or failing service (429, 5xx, no answer) is tried
//! again a few times. Entries the member does not want pushed, or may no longer see, are
//! finished without a push.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::extract::Json;
use crate::push_texts::{self, Language};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use fluent_bundle::FluentValue;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::time::Duration;
use switchboard_protocol::notifications::*;
use switchboard_protocol::*;
use switchboard_storage::{DuePush, PushSubscriptionRecord, StoreError};
use tokio::task::JoinHandle;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use web_push::{
    ContentEncoding, SubscriptionInfo, Urgency, VapidSignatureBuilder, WebPushMessageBuilder,
};

/// The store's name of the VAPID private key.
const VAPID_KEY: &str = "vapid_private_key";
/// The longest nap between looks for due pushes (other replicas' entries).
const MAX_SLEEP: Duration = Duration::from_secs(1);
/// Entries claimed at once.
const BATCH: u32 = 16;
/// A claimed push must be done by then, or another worker pushes it.
const LEASE_SECS: i64 = 60;
/// Tries of one push before it is given up.
const MAX_ATTEMPTS: u32 = 3;
/// How long a push service keeps a push for a device that is offline.
const TTL_SECS: u32 = 24 * 60 * 60;
/// The longest endpoint address taken.
const MAX_ENDPOINT_CHARS: usize = 2048;

/// The server's VAPID key pair (base64url, without padding).
#[derive(Clone)]
pub struct Vapid {
    private: String,
    /// The uncompressed P-256 point browsers take as `applicationServerKey`.
    pub public: String,
}

impl std::fmt::Debug for Vapid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vapid")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

/// The kept key pair, made and kept now if there is none.
pub async fn vapid(state: &AppState) -> Result<Vapid, StoreError> {
    state
        .vapid
        .get_or_try_init(|| async {
            let kept = state
                .store
                .server_key(VAPID_KEY, &fresh_private_key())
                .await?;
            let public = VapidSignatureBuilder::from_base64_no_sub(&kept)
                .map_err(|_| StoreError::Corrupt("the kept VAPID key is not a P-256 key".into()))?
                .get_public_key();
            Ok(Vapid {
                private: kept,
                public: URL_SAFE_NO_PAD.encode(public),
            })
        })
        .await
        .cloned()
}

/// A new P-256 private key: 32 random bytes that are a valid scalar (nearly always the
/// first ones).
fn fresh_private_key() -> String {
    loop {
        let encoded = URL_SAFE_NO_PAD.encode(crate::tokens::random_bytes::<32>());
        if VapidSignatureBuilder::from_base64_no_sub(&encoded).is_ok() {
            return encoded;
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(key))
        .routes(routes!(subscribe, unsubscribe))
}

/// The server's VAPID public key, the `applicationServerKey` of a browser's subscription.
#[utoipa::path(
    get,
    path = "/push/key",
    operation_id = "push_key",
    tag = "notifications",
    security(("sb_session" = [])),
    responses(
        (status = 200, description = "The key.", body = PushKey),
        (status = 401, description = "No valid session.", body = ErrorBody),
    ),
)]
async fn key(State(state): State<AppState>, _user: CurrentUser) -> Result<Json<PushKey>, ApiError> {
    Ok(Json(PushKey {
        public_key: vapid(&state).await?.public,
    }))
}

/// Keeps this device's push subscription for the signed-in user (a device someone else
/// used is theirs no more).
#[utoipa::path(
    post,
    path = "/push/subscriptions",
    operation_id = "push_subscribe",
    tag = "notifications",
    security(("sb_session" = [])),
    request_body = PushSubscriptionRequest,
    responses(
        (status = 204, description = "Kept."),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 422, description = "An endpoint that is not a public https address, or keys that are not a P-256 key and a 16-byte secret.", body = ErrorBody),
    ),
)]
async fn subscribe(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(request): Json<PushSubscriptionRequest>,
) -> Result<StatusCode, ApiError> {
    let record = checked(&request, state.config.push_to_private_addresses)?;
    state
        .store
        .save_push_subscription(user.id, &record, Utc::now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Drops this device's subscription (on logout, or when the member turns pushes off here).
#[utoipa::path(
    delete,
    path = "/push/subscriptions",
    operation_id = "push_unsubscribe",
    tag = "notifications",
    security(("sb_session" = [])),
    request_body = PushUnsubscribeRequest,
    responses(
        (status = 204, description = "Dropped."),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "The user has no such subscription.", body = ErrorBody),
    ),
)]
async fn unsubscribe(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(request): Json<PushUnsubscribeRequest>,
) -> Result<StatusCode, ApiError> {
    if state
        .store
        .delete_push_subscription(&request.endpoint, Some(user.id))
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

/// A subscription as it may be kept: an https endpoint on a public address (any http one
/// when `private_ok`), a P-256 public key and a 16-byte secret.
fn checked(
    request: &PushSubscriptionRequest,
    private_ok: bool,
) -> Result<PushSubscriptionRecord, ApiError> {
    let endpoint = request.endpoint.trim();
    let url = reqwest::Url::parse(endpoint)
        .ok()
        .filter(|_| endpoint.chars().count() <= MAX_ENDPOINT_CHARS);
    let allowed = url.as_ref().is_some_and(|url| {
        (url.scheme() == "https" || private_ok && url.scheme() == "http")
            && url.username().is_empty()
            && crate::remote_images::allowed(url, private_ok)
    });
    if !allowed {
        return Err(ApiError::validation(
            "endpoint",
            "A push subscription's endpoint is an https address of a push service.",
        ));
    }
    let decoded = |value: &str| URL_SAFE_NO_PAD.decode(value.trim_end_matches('=')).ok();
    if decoded(&request.keys.p256dh).is_none_or(|k| k.len() != 65 || k[0] != 4) {
        return Err(ApiError::validation(
            "keys.p256dh",
            "The subscription's key is not an uncompressed P-256 public key.",
        ));
    }
    if decoded(&request.keys.auth).is_none_or(|k| k.len() != 16) {
        return Err(ApiError::validation(
            "keys.auth",
            "The subscription's secret is not 16 bytes.",
        ));
    }
    let language = match request.language.as_deref() {
        None => Language::En,
        Some(code) => Language::parse(code).ok_or_else(|| {
            ApiError::validation(
                "language",
                "Pushes are written in English (\"en\") or Russian (\"ru\").",
            )
        })?,
    };
    Ok(PushSubscriptionRecord {
        endpoint: endpoint.to_owned(),
        p256dh: request.keys.p256dh.trim_end_matches('=').to_owned(),
        auth: request.keys.auth.trim_end_matches('=').to_owned(),
        language: language.code().to_owned(),
    })
}

pub fn spawn(state: AppState) -> JoinHandle<()> {
    let worker = crate::due_work::Worker {
        name: "pushes",
        batch: BATCH as usize,
        max_sleep: MAX_SLEEP,
        wake: state.pushes.clone(),
    };
    crate::due_work::spawn(
        worker,
        state,
        |state| async move { run_once(&state).await },
        |state| async move { state.store.next_push_at().await },
    )
}

/// Claims the due pushes and sends them; how many there were.
async fn run_once(state: &AppState) -> Result<usize, StoreError> {
    let now = Utc::now();
    let lease = now + chrono::Duration::seconds(LEASE_SECS);
    let due = state.store.claim_pushes(now, lease, BATCH).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let vapid = vapid(state).await?;
    let pushes = due.iter().map(|push| push_one(state, &vapid, push, lease));
    for result in futures_util::future::join_all(pushes).await {
        result?;
    }
    Ok(due.len())
}

/// How a push service answered one device's push.
#[derive(Debug, PartialEq, Eq)]
enum Sent {
    Delivered,
    /// The subscription is gone (404, 410): drop it.
    Gone,
    /// Busy or failing (429, 5xx, no answer): try again later.
    Later,
    /// Refused for good (400, 403, 413…): the reason is logged.
    Refused,
}

/// Pushes one entry to every device of its member.
async fn push_one(
    state: &AppState,
    vapid: &Vapid,
    due: &DuePush,
    lease: chrono::DateTime<Utc>,
) -> Result<(), StoreError> {
    let id = due.notification.id;
    if !due.wanted || !due.visible {
        return state.store.push_finished(id, lease, None).await;
    }
    let devices = state.store.push_subscriptions(due.user).await?;
    // Each device's push in its language; written once per language.
    let mut bodies: HashMap<Language, Vec<u8>> = HashMap::new();
    let mut again = false;
    for device in &devices {
        let language = Language::parse(&device.language).unwrap_or_default();
        let body = match bodies.entry(language) {
            Entry::Occupied(body) => body.into_mut(),
            Entry::Vacant(slot) => match serde_json::to_vec(&payload(due, language)) {
                Ok(body) => slot.insert(body),
                Err(error) => {
                    tracing::warn!(%error, "a push could not be written");
                    continue;
                }
            },
        };
        match send(state, vapid, device, due, body).await {
            Sent::Delivered | Sent::Refused => {}
            Sent::Gone => {
                state
                    .store
                    .delete_push_subscription(&device.endpoint, None)
                    .await?;
            }
            Sent::Later => again = true,
        }
    }
    let retry_at = (again && due.attempts + 1 < MAX_ATTEMPTS)
        .then(|| Utc::now() + chrono::Duration::seconds(15 << due.attempts));
    state.store.push_finished(id, lease, retry_at).await
}

/// What the service worker shows for an entry.
pub fn payload(due: &DuePush, language: Language) -> PushPayload {
    let n = &due.notification;
    let say = |key: &str, args: &[(&str, FluentValue<'_>)]| push_texts::text(language, key, args);
    let colleague = say("push-colleague", &[]);
    let actor = n.actor_name.as_deref().unwrap_or(&colleague);
    let text = || FluentValue::from(n.text.as_str());
    let body = match n.kind {
        NotificationKind::Mention => {
            say("push-mention", &[("actor", actor.into()), ("text", text())])
        }
        NotificationKind::Assignment => match &n.actor_name {
            Some(actor) => say("push-assigned-by", &[("actor", actor.as_str().into())]),
            None => say("push-assigned", &[]),
        },
        NotificationKind::NewMessage if n.count > 1 => say(
            "push-new-messages",
            &[("count", n.count.into()), ("text", text())],
        ),
        NotificationKind::NewMessage => n.text.clone(),
        NotificationKind::SnoozeExpired => say("push-snooze-over", &[]),
    };
    let url = match n.message_id {
        Some(message) => message_path(due.workspace, n.conversation_id, message),
        None => conversation_path(due.workspace, n.conversation_id),
    };
    let reply_kind = match n.kind {
        NotificationKind::NewMessage => Some(MessageKind::Message),
        NotificationKind::Mention => Some(MessageKind::Comment),
        NotificationKind::Assignment | NotificationKind::SnoozeExpired => None,
    };
    PushPayload {
        kind: n.kind,
        tag: format!("workspace-{}-contact-{}", due.workspace, n.contact_id),
        title: n.contact_name.clone(),
        body,
        workspace: due.workspace_name.clone(),
        workspace_id: due.workspace,
        url,
        image: due.image.map(|file| attachment_url(due.workspace, file)),
        reply: reply_kind.map(|kind| QuickReply {
            url: format!(
                "/api/v1/workspaces/{}/conversations/{}/messages",
                due.workspace, n.conversation_id
            ),
            kind,
            label: say("push-reply", &[]),
            placeholder: say("push-reply-placeholder", &[]),
            not_sent: say("push-not-sent", &[]),
            offline: say("push-offline", &[]),
            try_again: say("push-try-again", &[]),
        }),
        notification_id: n.id,
    }
}

/// Encrypts and signs `body` for one device and posts it to its push service.
async fn send(
    state: &AppState,
    vapid: &Vapid,
    device: &PushSubscriptionRecord,
    due: &DuePush,
    body: &[u8],
) -> Sent {
    let info = SubscriptionInfo::new(
        device.endpoint.as_str(),
        device.p256dh.as_str(),
        device.auth.as_str(),
    );
    let message = (|| {
        let mut signature = VapidSignatureBuilder::from_base64(&vapid.private, &info)?;
        signature.add_claim("sub", state.config.push_contact());
        // The push service's origin, its port included (RFC 8292's audience).
        if let Ok(url) = reqwest::Url::parse(&device.endpoint) {
            signature.add_claim("aud", url.origin().ascii_serialization());
        }
        let mut builder = WebPushMessageBuilder::new(&info);
        builder.set_payload(ContentEncoding::Aes128Gcm, body);
        builder.set_ttl(TTL_SECS);
        builder.set_urgency(match due.notification.kind {
            NotificationKind::NewMessage | NotificationKind::Mention => Urgency::High,
            NotificationKind::Assignment | NotificationKind::SnoozeExpired => Urgency::Normal,
        });
        // A newer push about the contact replaces one the device has not received yet.
        builder.set_topic(format!("c{}", due.notification.contact_id));
        builder.set_vapid_signature(signature.build()?);
        builder.build()
    })();
    let message = match message {
        Ok(message) => message,
        Err(error) => {
            // Keys the browser gave that do not make a key agreement.
            tracing::warn!(%error, "a push could not be encrypted for a device");
            return Sent::Refused;
        }
    };
    let Some(payload) = message.payload else {
        return Sent::Refused;
    };
    let mut request = state
        .push_client
        .post(&device.endpoint)
        .header("TTL", message.ttl.to_string())
        .header("Content-Encoding", payload.content_encoding.to_str())
        .header("Content-Type", "application/octet-stream");
    if let Some(urgency) = message.urgency {
        request = request.header("Urgency", urgency.to_string());
    }
    if let Some(topic) = message.topic {
        request = request.header("Topic", topic);
    }
    for (name, value) in payload.crypto_headers {
        request = request.header(name, value);
    }
    match request.body(payload.content).send().await {
        Ok(answer) => {
            let status = answer.status();
            if status.is_success() {
                Sent::Delivered
            } else if matches!(status.as_u16(), 404 | 410) {
                Sent::Gone
            } else if status.as_u16() == 429 || status.is_server_error() {
                Sent::Later
            } else {
                // The endpoint's host only: its path identifies the device.
                let host = reqwest::Url::parse(&device.endpoint)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_owned))
                    .unwrap_or_default();
                tracing::warn!(%status, %host, "a push service refused a push");
                Sent::Refused
            }
        }
        Err(error) => {
            tracing::warn!(error = %error.without_url(), "a push service could not be reached");
            Sent::Later
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(endpoint: &str, p256dh: &str, auth: &str) -> PushSubscriptionRequest {
        PushSubscriptionRequest {
            endpoint: endpoint.into(),
            keys: PushSubscriptionKeys {
                p256dh: p256dh.into(),
                auth: auth.into(),
            },
            language: None,
        }
    }

    const KEY: &str =
        "BLMbF9ffKBiWQLCKvTHb6LO8Nb6dcUh6TItC455vu2kElga6PQvUmaFyCdykxY2nOSSL3yKgfbmFLRTUaGv4yV8";
    const AUTH: &str = "xS03Fi5ErfTNH_l9WHE9Ig";

    #[test]
    fn subscriptions_name_a_public_https_push_service_and_real_keys() {
        let ok = checked(
            &request("https://fcm.googleapis.com/fcm/send/abc", KEY, AUTH),
            false,
        );
        assert_eq!(ok.expect("a real subscription").p256dh, KEY);
        for endpoint in [
            "http://fcm.googleapis.com/fcm/send/abc",
            "https://127.0.0.1/push",
            "https://10.0.0.1/push",
            "https://[::1]/push",
            "https://169.254.169.254/latest",
            "https://user:pw@push.example/x",
            "file:///etc/passwd",
            "not a url",
        ] {
            assert!(
                checked(&request(endpoint, KEY, AUTH), false).is_err(),
                "{endpoint} was taken"
            );
        }
        assert!(checked(&request("http://127.0.0.1:9/push", KEY, AUTH), true).is_ok());
        let long = format!("https://push.example/{}", "a".repeat(MAX_ENDPOINT_CHARS));
        assert!(checked(&request(&long, KEY, AUTH), false).is_err());
        assert!(checked(&request("https://push.example/x", "BAAA", AUTH), false).is_err());
        assert!(checked(&request("https://push.example/x", KEY, "c2hvcnQ"), false).is_err());
    }

    #[test]
    fn fresh_keys_are_p256_keys() {
        let key = fresh_private_key();
        let public = VapidSignatureBuilder::from_base64_no_sub(&key)
            .expect("a valid key")
            .get_public_key();
        assert_eq!((public.len(), public[0]), (65, 4));
        assert_ne!(key, fresh_private_key());
    }
}
