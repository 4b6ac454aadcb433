//! A stand-in for browsers' push services (RFC 8030), with the devices that subscribe to
//! them. A device is what a browser makes for `pushManager.subscribe`: a fresh P-256 key pair
//! and a 16-byte authentication secret, and an endpoint at the service. The service takes
//! `POST /push/{device}` and answers `201 Created`, or `410 Gone` for a device told to be
//! gone, or `404 Not Found` for one it never heard of. Every push it keeps is decrypted with its device's keys (RFC 8291, `aes128gcm`,
//! by the ece crate) and its VAPID `Authorization: vapid t=…, k=…` (RFC 8292) is checked:
//! an ES256 token signed by the key it names, for this service's origin, not expired.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwt_simple::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use switchboard_protocol::notifications::{PushPayload, PushSubscriptionRequest};

/// One push the service took, decrypted and checked.
#[derive(Clone, Debug)]
pub struct Push {
    pub device: String,
    pub payload: PushPayload,
    pub ttl: Option<String>,
    pub urgency: Option<String>,
    pub topic: Option<String>,
    /// The VAPID public key the push was signed with (base64url).
    pub vapid_key: String,
    /// The token's `sub` (who the push service may write to).
    pub subject: Option<String>,
}

struct Device {
    keys: ece::EcKeyComponents,
    auth: [u8; 16],
}

#[derive(Default)]
struct Inner {
    devices: HashMap<String, Device>,
    gone: HashSet<String>,
    /// Devices the service never heard of (404 Not Found, as for a forged endpoint).
    unknown: HashSet<String>,
    pushes: Vec<Push>,
    /// Pushes that failed a check, with why.
    rejected: Vec<String>,
    /// POSTs to a gone device.
    refused: usize,
}

#[derive(Clone)]
pub struct FakePush {
    inner: Arc<Mutex<Inner>>,
    pub origin: String,
}

impl FakePush {
    pub async fn start() -> FakePush {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let origin = format!("http://{}", listener.local_addr().expect("an address"));
        let app = axum::Router::new()
            .route("/push/{device}", axum::routing::post(receive))
            .with_state((inner.clone(), origin.clone()));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakePush { inner, origin }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new device's subscription, as the browser hands it to the app.
    pub fn subscribe(&self, device: &str) -> PushSubscriptionRequest {
        let (keys, auth) = ece::generate_keypair_and_auth_secret().expect("device keys");
        let public = keys.pub_as_raw().expect("a public key");
        let components = keys.raw_components().expect("the key's parts");
        self.lock().devices.insert(
            device.to_owned(),
            Device {
                keys: components,
                auth,
            },
        );
        PushSubscriptionRequest {
            endpoint: format!("{}/push/{device}", self.origin),
            keys: switchboard_protocol::notifications::PushSubscriptionKeys {
                p256dh: URL_SAFE_NO_PAD.encode(public),
                auth: URL_SAFE_NO_PAD.encode(auth),
            },
            language: None,
        }
    }

    /// From now on the device's subscription is gone (the browser dropped it).
    pub fn forget(&self, device: &str) {
        self.lock().gone.insert(device.to_owned());
    }

    pub fn pushes(&self) -> Vec<Push> {
        let inner = self.lock();
        assert!(
            inner.rejected.is_empty(),
            "pushes failed the checks: {:?}",
            inner.rejected
        );
        inner.pushes.clone()
    }

    /// From now on the service does not know the device (404).
    pub fn never_heard_of(&self, device: &str) {
        self.lock().unknown.insert(device.to_owned());
    }

    pub fn refused(&self) -> usize {
        self.lock().refused
    }

    /// Waits until `count` pushes arrived in all; they all.
    pub async fn wait_for(&self, count: usize) -> Vec<Push> {
        let deadline = std::time::Instant::now() + super::TIMEOUT;
        loop {
            let pushes = self.pushes();
            if pushes.len() >= count {
                return pushes;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{count} pushes expected, {} arrived: {pushes:#?}",
                pushes.len()
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

type Shared = (Arc<Mutex<Inner>>, String);

async fn receive(
    State((inner, origin)): State<Shared>,
    Path(device): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    if inner.gone.contains(&device) {
        inner.refused += 1;
        return StatusCode::GONE;
    }
    if inner.unknown.contains(&device) {
        inner.refused += 1;
        return StatusCode::NOT_FOUND;
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let checked = (|| -> Result<Push, String> {
        let keys = inner.devices.get(&device).ok_or("no such device")?;
        if header("content-encoding").as_deref() != Some("aes128gcm") {
            return Err("not aes128gcm".into());
        }
        let (token, vapid_key) = vapid(header("authorization").as_deref())?;
        let key_bytes = URL_SAFE_NO_PAD
            .decode(&vapid_key)
            .map_err(|e| e.to_string())?;
        let key = ES256PublicKey::from_bytes(&key_bytes).map_err(|e| e.to_string())?;
        let options = VerificationOptions {
            allowed_audiences: Some(HashSet::from_strings(&[origin.as_str()])),
            max_validity: Some(Duration::from_hours(24)),
            ..Default::default()
        };
        let claims = key
            .verify_token::<NoCustomClaims>(&token, Some(options))
            .map_err(|e| format!("VAPID token: {e}"))?;
        let plain = ece::decrypt(&keys.keys, &keys.auth, &body).map_err(|e| e.to_string())?;
        let payload: PushPayload = serde_json::from_slice(&plain).map_err(|e| e.to_string())?;
        Ok(Push {
            device: device.clone(),
            payload,
            ttl: header("ttl"),
            urgency: header("urgency"),
            topic: header("topic"),
            vapid_key,
            subject: claims.subject,
        })
    })();
    match checked {
        Ok(push) => {
            inner.pushes.push(push);
            StatusCode::CREATED
        }
        Err(why) => {
            inner.rejected.push(why);
            StatusCode::BAD_REQUEST
        }
    }
}

/// The token and key of `vapid t=<jwt>, k=<key>`.
fn vapid(header: Option<&str>) -> Result<(String, String), String> {
    let rest = header
        .and_then(|h| h.strip_prefix("vapid "))
        .ok_or("no VAPID authorization")?;
    let mut token = None;
    let mut key = None;
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => token = Some(v.to_owned()),
            Some(("k", v)) => key = Some(v.to_owned()),
            _ => {}
        }
    }
    Ok((token.ok_or("no t=")?, key.ok_or("no k=")?))
}
