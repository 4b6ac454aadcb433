//! TikTok (TikTok API for Business, Business Messaging): the webhook TikTok calls with
//! direct-message events, and the client that answers in a conversation, shows typing and
//! checks an account when it is connected (`business/get/`).
//!
//! Every call TikTok makes carries `Tiktok-Signature: t=<unix seconds>,s=<hex>`, the
//! HMAC-SHA256 of `"<t>.<raw body>"` keyed with the app secret; anything unsigned, signed
//! otherwise or signed too long ago is 401 and stores nothing. A contact is a TikTok
//! conversation (`conversation_id`, what answers are addressed to) and a message's provider
//! id is TikTok's `message_id`, so a repeated event stores nothing new.
//!
//! TikTok answers every API call with `{"code", "message", "request_id", "data"}`, usually
//! over HTTP 200: only `code` 0 is success.

use super::{Adapter, Inbound, Incoming, OutgoingFile, Progress, RemoteFile, SendError};
use crate::error::ApiError;
use crate::extract::Path;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;
use switchboard_protocol::{ChannelId, ChannelKind, Content, ErrorBody, WorkspaceId};
use switchboard_storage::{Delivery, ReplyTarget};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

const SIGNATURE_HEADER: &str = "tiktok-signature";
const CALL_TIMEOUT: Duration = Duration::from_secs(20);

/// What a TikTok channel keeps in the store.
#[derive(Serialize, Deserialize)]
pub struct Credentials {
    /// The business account's `open_id`.
    pub business_id: String,
    pub access_token: String,
    /// Signs every webhook call (`Tiktok-Signature`); with `app_id`, renews the token.
    pub app_secret: String,
    /// The TikTok app's id (`client_id`), to renew the access token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// Renews the access token (which lasts a day) when TikTok says it expired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("business_id", &self.business_id)
            .finish_non_exhaustive()
    }
}

/// A business account, ready to call TikTok's Business Messaging API.
pub struct Account {
    http: reqwest::Client,
    base: String,
    business_id: String,
    token: std::sync::Mutex<String>,
    renewal: Option<Renewal>,
}

/// What renews a connected channel's access token when TikTok says it expired (40102): the
/// app's id and secret, the refresh token, and the channel the new tokens are stored on.
struct Renewal {
    state: AppState,
    workspace: WorkspaceId,
    channel: ChannelId,
    app_id: String,
    app_secret: String,
    refresh_token: std::sync::Mutex<String>,
}

/// TikTok's "access token has expired".
const TOKEN_EXPIRED: i64 = 40102;

/// A refusal with TikTok's result code, when it gave one.
struct Refused {
    error: SendError,
    code: Option<i64>,
}

/// `tt_user/oauth2/refresh_token/`'s `data`.
#[derive(Deserialize)]
struct Renewed {
    access_token: String,
    refresh_token: String,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("base", &self.base)
            .field("business_id", &self.business_id)
            .finish_non_exhaustive()
    }
}

/// TikTok's answer envelope; `data` is `{}` (or missing) on errors.
#[derive(Deserialize)]
struct Envelope {
    code: Option<i64>,
    message: Option<String>,
    data: Option<Value>,
}

/// The business account as `business/get/` describes it.
#[derive(Debug, Default, Deserialize)]
pub struct Profile {
    pub username: Option<String>,
    pub display_name: Option<String>,
}

#[derive(Deserialize)]
struct Sent {
    message: SentMessage,
}

#[derive(Deserialize)]
struct SentMessage {
    message_id: String,
}

/// Codes that mean "slow down": app-level limits (40016, 40100), the per-account limit
/// (40133) and Business Messaging's own "sending messages too fast" (40064).
const RATE_LIMITED: [i64; 4] = [40016, 40100, 40133, 40064];
/// Codes of a temporary failure at TikTok (system errors, maintenance).
const TEMPORARY: [i64; 3] = [50000, 50002, 60001];

impl Account {
    pub fn new(state: &AppState, business_id: &str, token: &str) -> Account {
        Account {
            http: state.http.clone(),
            base: state.config.tiktok_api_url.trim_end_matches('/').to_owned(),
            business_id: business_id.to_owned(),
            token: std::sync::Mutex::new(token.to_owned()),
            renewal: None,
        }
    }

    /// The account of a connected channel, from its stored credentials; its token is renewed
    /// (and stored) when it expires, if the app's id and a refresh token were given.
    pub fn for_channel(
        state: &AppState,
        workspace: WorkspaceId,
        channel: ChannelId,
        credentials: &str,
    ) -> serde_json::Result<Account> {
        Ok(Account::of(
            state,
            workspace,
            channel,
            serde_json::from_str(credentials)?,
        ))
    }

    /// [`Account::for_channel`] with its credentials already read.
    pub fn of(
        state: &AppState,
        workspace: WorkspaceId,
        channel: ChannelId,
        c: Credentials,
    ) -> Account {
        let mut account = Account::new(state, &c.business_id, &c.access_token);
        if let (Some(app_id), Some(refresh_token)) = (c.app_id, c.refresh_token) {
            account.renewal = Some(Renewal {
                state: state.clone(),
                workspace,
                channel,
                app_id,
                app_secret: c.app_secret,
                refresh_token: std::sync::Mutex::new(refresh_token),
            });
        }
        account
    }

    fn token(&self) -> String {
        self.token
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Sends the request `build` makes with the current token; if TikTok says the token
    /// expired and it can be renewed, renews it and sends it once more.
    async fn call<T: DeserializeOwned>(
        &self,
        build: impl Fn(&str) -> reqwest::RequestBuilder,
    ) -> Result<T, SendError> {
        match Self::answer_coded(build(&self.token()).send().await).await {
            Err(Refused {
                code: Some(TOKEN_EXPIRED),
                error,
            }) => match &self.renewal {
                Some(renewal) => {
                    self.renew(renewal).await?;
                    Self::answer(build(&self.token()).send().await).await
                }
                None => Err(error),
            },
            other => other.map_err(|refused| refused.error),
        }
    }

    /// Renews the access token with the refresh token and stores both new ones. Refresh
    /// tokens are used once: if another server renewed first, its stored tokens are taken.
    async fn renew(&self, renewal: &Renewal) -> Result<(), SendError> {
        let lock = |m: &std::sync::Mutex<String>| {
            m.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone()
        };
        let response = self
            .http
            .post(self.url("tt_user/oauth2/refresh_token/"))
            .timeout(CALL_TIMEOUT)
            .json(&serde_json::json!({
                "client_id": renewal.app_id,
                "client_secret": renewal.app_secret,
                "grant_type": "refresh_token",
                "refresh_token": lock(&renewal.refresh_token),
            }))
            .send()
            .await;
        let store = &renewal.state.store;
        let stored = store
            .channel_credentials(renewal.channel)
            .await
            .ok()
            .flatten()
            .and_then(|c| serde_json::from_str::<Credentials>(&c).ok());
        let renewed: Renewed = match Self::answer(response).await {
            Ok(renewed) => renewed,
            Err(error) => {
                if let Some(stored) = stored.filter(|c| c.access_token != self.token()) {
                    *self
                        .token
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) = stored.access_token;
                    return Ok(());
                }
                let (SendError::Retry { reason, .. } | SendError::Permanent { reason }) = error;
                return Err(SendError::Permanent {
                    reason: format!(
                        "TikTok's access token expired and could not be renewed ({reason}); connect the account again."
                    ),
                });
            }
        };
        *self
            .token
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = renewed.access_token.clone();
        *renewal
            .refresh_token
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = renewed.refresh_token.clone();
        if let Some(mut stored) = stored {
            stored.access_token = renewed.access_token;
            stored.refresh_token = Some(renewed.refresh_token);
            let saved = match serde_json::to_string(&stored) {
                Ok(json) => store
                    .set_channel_credentials(renewal.workspace, renewal.channel, &json)
                    .await
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            if let Err(error) = saved {
                tracing::warn!(channel = %renewal.channel, %error, "a renewed TikTok token could not be stored");
            }
        }
        tracing::info!(channel = %renewal.channel, "TikTok access token renewed");
        Ok(())
    }

    /// `<base>/<path>`; TikTok's paths end with a slash.
    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base)
    }

    /// Reads TikTok's answer: `data` when `code` is 0, else a retry or a refusal with
    /// TikTok's message.
    async fn answer<T: DeserializeOwned>(
        response: Result<reqwest::Response, reqwest::Error>,
    ) -> Result<T, SendError> {
        Self::answer_coded(response)
            .await
            .map_err(|refused| refused.error)
    }

    /// [`Account::answer`], telling TikTok's result code of a refusal.
    async fn answer_coded<T: DeserializeOwned>(
        response: Result<reqwest::Response, reqwest::Error>,
    ) -> Result<T, Refused> {
        let uncoded = |error: SendError| Refused { error, code: None };
        let response = response.map_err(|error| {
            uncoded(SendError::Retry {
                reason: format!("TikTok could not be reached ({}).", error.without_url()),
                after: None,
            })
        })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|error| {
            uncoded(SendError::Retry {
                reason: format!("TikTok's answer broke off ({}).", error.without_url()),
                after: None,
            })
        })?;
        // A 4xx or 5xx means the call never reached the API (TikTok reports its own errors
        // in `code`, over 200).
        if status.is_server_error() || status.as_u16() == 429 {
            return Err(uncoded(SendError::Retry {
                reason: format!("TikTok answered {status}."),
                after: None,
            }));
        }
        if !status.is_success() {
            return Err(uncoded(SendError::Permanent {
                reason: format!("TikTok answered {status}."),
            }));
        }
        let unreadable = || {
            uncoded(SendError::Permanent {
                reason: "TikTok answered with an unreadable body.".into(),
            })
        };
        let envelope: Envelope = serde_json::from_slice(&bytes).map_err(|_| unreadable())?;
        let Some(code) = envelope.code else {
            return Err(uncoded(SendError::Permanent {
                reason: "TikTok answered without a result code.".into(),
            }));
        };
        if code == 0 {
            return serde_json::from_value(envelope.data.unwrap_or(Value::Null))
                .map_err(|_| unreadable());
        }
        let reason = match envelope.message {
            Some(message) if !message.trim().is_empty() => message,
            _ => format!("TikTok refused it (code {code})."),
        };
        let error = if RATE_LIMITED.contains(&code) || TEMPORARY.contains(&code) {
            SendError::Retry {
                reason,
                after: None,
            }
        } else {
            // Token problems (40102 expired, renewed by `call` where it can be; 40104
            // missing, 40105 invalid) and every other refusal: sending again would be
            // refused again.
            SendError::Permanent { reason }
        };
        Err(Refused {
            error,
            code: Some(code),
        })
    }

    /// Checks the business id and token: the account as TikTok knows it.
    pub async fn describe(&self) -> Result<Profile, SendError> {
        self.call(|token| {
            self.http
                .get(self.url("business/get/"))
                .query(&[
                    ("business_id", self.business_id.as_str()),
                    ("fields", r#"["username","display_name"]"#),
                ])
                .header("Access-Token", token)
                .timeout(CALL_TIMEOUT)
        })
        .await
    }

    /// `POST business/message/send/` into conversation `recipient` with `payload` (the
    /// message type and its fields); TikTok's `data`.
    async fn post_message<T: DeserializeOwned>(
        &self,
        recipient: &str,
        mut payload: Value,
    ) -> Result<T, SendError> {
        payload["business_id"] = Value::from(self.business_id.as_str());
        payload["recipient_type"] = Value::from("CONVERSATION");
        payload["recipient"] = Value::from(recipient);
        self.call(|token| {
            self.http
                .post(self.url("business/message/send/"))
                .header("Access-Token", token)
                .timeout(CALL_TIMEOUT)
                .json(&payload)
        })
        .await
    }
}

/// TikTok's file hosts, which may receive the access token with a download.
const TIKTOK_FILE_HOSTS: [&str; 4] = [
    "tiktok.com",
    "tiktokcdn.com",
    "tiktokcdn-us.com",
    "tiktokv.com",
];

#[derive(Deserialize)]
struct DownloadUrl {
    download_url: String,
}

#[derive(Deserialize)]
struct UploadedMedia {
    media_id: String,
}

impl super::FileSource for Account {
    /// A picture a contact sent: `business/message/media/download/` names a short-lived
    /// address, read with the token in `x-user` (sent only to TikTok's hosts).
    async fn fetch(&self, file: &RemoteFile) -> Result<axum::body::Bytes, SendError> {
        let Ok([conversation, message, media]) = serde_json::from_str::<[String; 3]>(&file.id)
        else {
            return Err(SendError::Permanent {
                reason: "Not a TikTok file.".into(),
            });
        };
        let found: DownloadUrl = self
            .call(|token| {
                self.http
                    .post(self.url("business/message/media/download/"))
                    .header("Access-Token", token)
                    .timeout(CALL_TIMEOUT)
                    .json(&serde_json::json!({
                        "business_id": self.business_id,
                        "conversation_id": conversation,
                        "message_id": message,
                        "media_id": media,
                        "media_type": "IMAGE",
                    }))
            })
            .await?;
        let mut request = self.http.get(&found.download_url).timeout(CALL_TIMEOUT * 6);
        if super::trusted_file_url(&found.download_url, &self.base, &TIKTOK_FILE_HOSTS) {
            request = request.header("x-user", self.token());
        }
        super::download(request, "TikTok").await
    }
}

impl Account {
    /// Uploads a picture (`business/message/media/upload/`, multipart); its media id.
    async fn upload(&self, file: &OutgoingFile) -> Result<String, SendError> {
        // Checked once; the form is made again for a call repeated after a renewal.
        reqwest::multipart::Part::bytes(Vec::new())
            .mime_str(&file.content_type)
            .map_err(|_| SendError::Permanent {
                reason: format!("{} has no valid content type.", file.name),
            })?;
        let uploaded: UploadedMedia = self
            .call(|token| {
                let part = reqwest::multipart::Part::bytes(file.bytes.to_vec())
                    .file_name(file.name.clone());
                let part = part.mime_str(&file.content_type).unwrap_or_else(|_| {
                    reqwest::multipart::Part::bytes(file.bytes.to_vec())
                        .file_name(file.name.clone())
                });
                let form = reqwest::multipart::Form::new()
                    .text("business_id", self.business_id.clone())
                    .text("media_type", "IMAGE")
                    .part("file", part);
                self.http
                    .post(self.url("business/message/media/upload/"))
                    .header("Access-Token", token)
                    .timeout(CALL_TIMEOUT * 6)
                    .multipart(form)
            })
            .await?;
        Ok(uploaded.media_id)
    }

    /// Sends one message into the conversation; TikTok's id for it.
    async fn send_part(&self, conversation: &str, payload: Value) -> Result<String, SendError> {
        let sent: Sent = self.post_message(conversation, payload).await?;
        if sent.message.message_id.trim().is_empty() {
            return Err(SendError::Permanent {
                reason: "TikTok accepted the message without an id.".into(),
            });
        }
        Ok(sent.message.message_id)
    }
}

impl Adapter for Account {
    /// `SENDER_ACTION` `TYPING` in the contact's conversation.
    async fn typing(&self, target: &ReplyTarget) -> Result<(), SendError> {
        let _: Value = self
            .post_message(
                &target.recipient,
                serde_json::json!({ "message_type": "SENDER_ACTION", "sender_action": "TYPING" }),
            )
            .await?;
        Ok(())
    }

    /// The text, then each picture as an `IMAGE` message (TikTok takes JPEG and PNG
    /// pictures only; anything else is refused before anything is sent).
    async fn send(
        &self,
        delivery: &Delivery,
        files: &[OutgoingFile],
        progress: &mut Progress<'_>,
    ) -> Result<String, SendError> {
        let conversation = delivery
            .recipient
            .clone()
            .filter(|r| !r.trim().is_empty())
            .ok_or_else(|| SendError::Permanent {
                reason: "This contact has no TikTok conversation on this channel.".into(),
            })?;
        if let Some(file) = files
            .iter()
            .find(|f| !matches!(f.content_type.as_str(), "image/jpeg" | "image/png"))
        {
            return Err(SendError::Permanent {
                reason: format!(
                    "TikTok takes JPEG and PNG pictures only; send {} another way.",
                    file.name
                ),
            });
        }
        let Content::Text { text } = &delivery.message.content else {
            return Err(SendError::Permanent {
                reason: "Only text and pictures can be sent through TikTok.".into(),
            });
        };
        let text = text.trim();
        let mut part = 0;
        if !text.is_empty() {
            if !progress.done(part) {
                let id = self
                    .send_part(
                        &conversation,
                        serde_json::json!({ "message_type": "TEXT", "text": { "body": text } }),
                    )
                    .await?;
                progress.accepted(part, &id).await;
            }
            part += 1;
        }
        for file in files {
            if !progress.done(part) {
                let media = self.upload(file).await?;
                let id = self
                    .send_part(
                        &conversation,
                        serde_json::json!({ "message_type": "IMAGE", "image": { "media_id": media } }),
                    )
                    .await?;
                progress.accepted(part, &id).await;
            }
            part += 1;
        }
        progress.finish()
    }
}

// --- inbound ---------------------------------------------------------------------------

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(webhook))
}

/// Whether `header` (`t=<unix seconds>,s=<hex>`) signs `body` with `secret` at a time within
/// `tolerance` of `now` (either way: an old time is a replay, one far ahead is no clock).
fn signed(header: Option<&str>, secret: &str, body: &[u8], now: i64, tolerance: u64) -> bool {
    let Some(header) = header else {
        return false;
    };
    let mut time = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) if time.is_none() => time = Some(t),
            Some(("s", s)) => signatures.push(s),
            _ => {}
        }
    }
    let Some(t) = time else {
        return false;
    };
    let Ok(at) = t.parse::<i64>() else {
        return false;
    };
    if now.abs_diff(at) > tolerance {
        return false;
    }
    signatures
        .into_iter()
        .any(|s| super::hmac_matches(secret, &[t.as_bytes(), b".", body], s))
}

/// TikTok's webhook: one `DIRECT_MESSAGE` event per call.
///
/// Messages contacts send (`im_receive_msg`) are stored; the business's own messages
/// (`im_send_msg`) and read receipts (`im_mark_read_msg`) are acknowledged and ignored.
/// Answered only after the message is stored, so TikTok retries anything not stored; a
/// repeated event stores nothing new.
#[utoipa::path(
    post,
    path = "/hooks/tiktok/{key}",
    operation_id = "tiktok_webhook",
    tag = "channels",
    security(("tiktok_signature" = [])),
    params(("key" = String, Path, description = "The channel's webhook key.")),
    request_body(content = serde_json::Value, description = "A TikTok webhook event (`client_key`, `event`, `create_time`, `user_openid`, and `content` as a JSON string)."),
    responses(
        (status = 200, description = "Stored (or a repeat, or an event that is ignored)."),
        (status = 401, description = "Unsigned, signed with another secret or too long ago, or no such channel.", body = ErrorBody),
        (status = 422, description = "Not a TikTok event.", body = ErrorBody),
    ),
)]
async fn webhook(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let (channel, credentials): (_, Credentials) =
        super::hooked(&state, &key, ChannelKind::Tiktok).await?;
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    let now = chrono::Utc::now().timestamp();
    let tolerance = state.config.tiktok_signature_tolerance_secs;
    if !signed(signature, &credentials.app_secret, &body, now, tolerance) {
        return Err(ApiError::Unauthorized);
    }
    let items = parse(&body, &credentials.business_id).map_err(|error| ApiError::Validation {
        message: format!("Not a TikTok event: {error}"),
        field: None,
    })?;
    let account = Account::of(&state, channel.workspace, channel.id, credentials);
    super::store_inbound(&state, &channel, &account, items).await?;
    Ok(StatusCode::OK)
}

/// A webhook event; `content` is a JSON document of its own, as a string.
#[derive(Deserialize)]
struct Event {
    event: String,
    create_time: Option<Value>,
    content: Option<Value>,
}

/// Why an event could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    #[error("its content is not a JSON object in a string")]
    Content,
}

/// A string field of a JSON object, when it is a non-blank string.
fn string<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// Reads one event for the business account `business_id`: a message a contact sent to it,
/// or nothing Switchboard reads. A message whose type Switchboard does not show is kept as
/// "Unsupported message" (C2); one without a conversation or message id (nothing to answer
/// or deduplicate by) is skipped.
pub fn parse(body: &[u8], business_id: &str) -> Result<Vec<Inbound>, ParseError> {
    let event: Event = serde_json::from_slice(body)?;
    if event.event != "im_receive_msg" {
        // `im_send_msg` echoes the business's own messages, `im_mark_read_msg` says a contact
        // read the conversation; neither is a contact's message.
        return Ok(Vec::new());
    }
    let content: Value = match &event.content {
        Some(Value::String(raw)) => serde_json::from_str(raw).map_err(|_| ParseError::Content)?,
        _ => return Err(ParseError::Content),
    };
    if !content.is_object() {
        return Err(ParseError::Content);
    }
    // Only messages to this account are a contact's (TikTok's direction rule).
    let to = content.get("to_user").and_then(|u| string(u, "id"));
    if to != Some(business_id) {
        return Ok(Vec::new());
    }
    let (Some(conversation), Some(message_id)) = (
        string(&content, "conversation_id"),
        string(&content, "message_id"),
    ) else {
        return Ok(Vec::new());
    };
    let first_name = string(&content, "from")
        .map(|name| name.trim().to_owned())
        .unwrap_or_else(|| "TikTok user".into());
    let received_at = content
        .get("timestamp")
        .and_then(Value::as_i64)
        .and_then(chrono::DateTime::from_timestamp_millis)
        .unwrap_or_else(|| super::unix_time(event.create_time.as_ref().and_then(Value::as_i64)));
    let reply_to = content
        .get("referenced_message_info")
        .and_then(|r| string(r, "referenced_message_id"))
        .map(str::to_owned);
    // A picture is fetched by its media id within its conversation and message.
    let files = match content.get("image").and_then(|i| string(i, "media_id")) {
        Some(media) if content.get("type").and_then(Value::as_str) == Some("image") => {
            vec![RemoteFile {
                id: serde_json::json!([conversation, message_id, media]).to_string(),
                name: "photo.jpg".into(),
            }]
        }
        _ => Vec::new(),
    };
    Ok(vec![Inbound::Message(Box::new(Incoming {
        sender: conversation.to_owned(),
        first_name,
        last_name: String::new(),
        phone: None,
        email: None,
        external_id: message_id.to_owned(),
        reply_to,
        content: message_content(&content),
        received_at,
        files,
        with_files: Content::Text {
            text: String::new(),
        },
    }))])
}

/// A message's content in Switchboard's model: its text, or what kind of message it is.
fn message_content(content: &Value) -> Content {
    let kind = content.get("type").and_then(Value::as_str).unwrap_or("");
    let described = |what: &str| Content::Unsupported {
        description: Some(what.into()),
    };
    match kind {
        "text" => match content.get("text").and_then(|t| t.get("body")) {
            Some(Value::String(body)) => Content::Text { text: body.clone() },
            _ => Content::Unsupported { description: None },
        },
        // Shown as this only if the picture cannot be fetched.
        "image" => described("Photo"),
        "video" => described("Video"),
        "sticker" => described("Sticker"),
        "share_post" => match content
            .get("share_post")
            .and_then(|p| string(p, "embed_url"))
        {
            Some(url) if url.starts_with("https://") => Content::Text {
                text: format!("Shared a TikTok post: {url}"),
            },
            _ => described("Shared post"),
        },
        _ => Content::Unsupported { description: None },
    }
}

#[cfg(test)]
mod tests {
    use super::{parse, signed};
    use crate::channels::Inbound;
    use serde_json::json;
    use switchboard_protocol::Content;

    #[test]
    fn only_the_app_secrets_recent_signature_of_these_bytes_is_accepted() {
        let body = br#"{"event":"im_receive_msg"}"#;
        // HMAC-SHA256 keyed "secret" over "1633174587.<body>", computed independently:
        // `printf '%s' "1633174587.$BODY" | openssl dgst -sha256 -hmac secret`.
        let good = "10d4d091346d18ae6aa8e53cd611a0332070299ebe05dd77cb9036350459c045";
        let t = 1_633_174_587;
        let header = format!("t={t},s={good}");
        assert!(signed(Some(&header), "secret", body, t, 300));
        assert!(signed(Some(&header), "secret", body, t + 300, 300));
        assert!(
            !signed(Some(&header), "secret", body, t + 301, 300),
            "stale"
        );
        assert!(
            !signed(Some(&header), "secret", body, t - 301, 300),
            "ahead"
        );
        assert!(!signed(Some(&header), "other", body, t, 300));
        assert!(!signed(Some(&header), "secret", b"{}", t, 300));
        let moved = format!("t={},s={good}", t + 1);
        assert!(!signed(Some(&moved), "secret", body, t, 300), "time signed");
        assert!(!signed(Some(&format!("s={good}")), "secret", body, t, 300));
        assert!(!signed(Some(&format!("t={t}")), "secret", body, t, 300));
        assert!(!signed(
            Some(&format!("t={t},s=zz")),
            "secret",
            body,
            t,
            300
        ));
        assert!(!signed(
            Some(&format!("t=x,s={good}")),
            "secret",
            body,
            t,
            300
        ));
        assert!(!signed(None, "secret", body, t, 300));
    }

    fn event(name: &str, content: serde_json::Value) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "client_key": "7623241219121414161", "event": name, "create_time": 1789814497,
            "user_openid": "biz-1", "content": content.to_string(),
        }))
        .expect("json")
    }

    #[test]
    fn a_contacts_text_is_one_message_from_the_conversation() {
        let content = json!({
            "timestamp": 1789814497488_i64, "unique_identifier": "user-1",
            "from_user": { "id": "user-1", "role": "personal_account" },
            "to_user": { "id": "biz-1", "role": "business_account" },
            "from": "wthzu_nb", "to": "northwind", "conversation_id": "conv==",
            "message_id": "msg==", "type": "text", "text": { "body": "hello" },
        });
        let items = parse(&event("im_receive_msg", content.clone()), "biz-1").expect("read");
        let [Inbound::Message(m)] = items.as_slice() else {
            panic!("one message, not {items:?}");
        };
        assert_eq!(m.sender, "conv==");
        assert_eq!(m.external_id, "msg==");
        assert_eq!(m.first_name, "wthzu_nb");
        assert_eq!(
            m.content,
            Content::Text {
                text: "hello".into()
            }
        );
        assert_eq!(m.received_at.timestamp_millis(), 1789814497488);
        // Another account's message, the business's echo, a read receipt: nothing.
        assert!(
            parse(&event("im_receive_msg", content.clone()), "biz-2")
                .expect("read")
                .is_empty()
        );
        assert!(
            parse(&event("im_send_msg", content), "biz-1")
                .expect("read")
                .is_empty()
        );
        let read = json!({ "conversation_id": "conv==", "read": { "last_read_timestamp": 1 },
                           "from_user": { "id": "user-1" } });
        assert!(
            parse(&event("im_mark_read_msg", read), "biz-1")
                .expect("read")
                .is_empty()
        );
        // Content that is not a JSON object in a string is not an event.
        let mut raw: serde_json::Value =
            serde_json::from_slice(&event("im_receive_msg", json!({}))).expect("json");
        raw["content"] = json!({ "conversation_id": "conv==" });
        assert!(parse(&serde_json::to_vec(&raw).expect("json"), "biz-1").is_err());
        raw["content"] = json!("not json");
        assert!(parse(&serde_json::to_vec(&raw).expect("json"), "biz-1").is_err());
    }
}
