//! WhatsApp (Cloud API): the webhook Meta calls — its `GET` verification handshake and signed
//! `POST` notifications of messages and delivery statuses — and the client that sends
//! messages from the business phone number.
//!
//! Every notification carries `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with
//! the app secret>`; anything unsigned or signed otherwise is 401 and stores nothing. A
//! message's provider id is its `wamid`, so a repeated notification stores nothing new;
//! status notifications may arrive in any order and never move a status back.

use super::{Adapter, Inbound, Incoming, OutgoingFile, Progress, RemoteFile, SendError};
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Duration;
use subtle::ConstantTimeEq;
use switchboard_protocol::templates::{MessageTemplate, placeholders};
use switchboard_protocol::{ChannelKind, Content, DeliveryStatus, ErrorBody};
use switchboard_storage::{Delivery, ReplyTarget};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

const SIGNATURE_HEADER: &str = "x-hub-signature-256";
const CALL_TIMEOUT: Duration = Duration::from_secs(20);

/// What a WhatsApp channel keeps in the store.
#[derive(Serialize, Deserialize)]
pub struct Credentials {
    pub phone_number_id: String,
    pub access_token: String,
    /// Signs every notification (`X-Hub-Signature-256`).
    pub app_secret: String,
    /// Meta repeats it in the verification handshake.
    pub verify_token: String,
    /// The WhatsApp Business Account, whose message templates agents may send.
    #[serde(default)]
    pub business_account_id: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("phone_number_id", &self.phone_number_id)
            .finish_non_exhaustive()
    }
}

/// The business phone number, ready to call the Cloud API.
pub struct Phone {
    http: reqwest::Client,
    base: String,
    phone_number_id: String,
    token: String,
    business_account_id: Option<String>,
}

/// A Graph API error body: `{"error": {"message", "code", "error_data": {"details"}}}`.
#[derive(Deserialize)]
struct GraphError {
    error: GraphErrorBody,
}

#[derive(Deserialize)]
struct GraphErrorBody {
    message: Option<String>,
    code: Option<i64>,
    error_data: Option<ErrorData>,
}

#[derive(Deserialize)]
struct ErrorData {
    details: Option<String>,
}

/// The business phone number as the Graph API describes it.
#[derive(Debug, Deserialize)]
pub struct PhoneNumber {
    pub display_phone_number: Option<String>,
    pub verified_name: Option<String>,
}

#[derive(Deserialize)]
struct Sent {
    messages: Vec<SentMessage>,
}

#[derive(Deserialize)]
struct SentMessage {
    id: String,
}

/// Error codes that mean "slow down" (throughput, pair rate limit, app rate limits).
const RATE_LIMITED: [i64; 4] = [130429, 131056, 4, 80007];
/// Error codes of a temporary failure at Meta.
const TEMPORARY: [i64; 4] = [1, 2, 131000, 131016];

impl Phone {
    pub fn new(state: &AppState, phone_number_id: &str, token: &str) -> Phone {
        Phone {
            http: state.http.clone(),
            base: state
                .config
                .whatsapp_api_url
                .trim_end_matches('/')
                .to_owned(),
            phone_number_id: phone_number_id.to_owned(),
            token: token.to_owned(),
            business_account_id: None,
        }
    }

    /// The same number with its WhatsApp Business Account, for templates.
    pub fn with_business_account(mut self, id: Option<String>) -> Phone {
        self.business_account_id = id;
        self
    }

    pub fn from_credentials(state: &AppState, credentials: &str) -> serde_json::Result<Phone> {
        let c: Credentials = serde_json::from_str(credentials)?;
        Ok(Phone::new(state, &c.phone_number_id, &c.access_token)
            .with_business_account(c.business_account_id))
    }

    /// Reads a Graph API answer: the body on success, else a retry or a refusal.
    async fn answer<T: serde::de::DeserializeOwned>(
        response: Result<reqwest::Response, reqwest::Error>,
    ) -> Result<T, SendError> {
        let response = response.map_err(|error| SendError::Retry {
            reason: format!("WhatsApp could not be reached ({}).", error.without_url()),
            after: None,
        })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|error| SendError::Retry {
            reason: format!("WhatsApp's answer broke off ({}).", error.without_url()),
            after: None,
        })?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|_| SendError::Permanent {
                reason: "WhatsApp answered with an unreadable body.".into(),
            });
        }
        let error = serde_json::from_slice::<GraphError>(&bytes)
            .ok()
            .map(|e| e.error);
        let code = error.as_ref().and_then(|e| e.code);
        let reason = match &error {
            Some(GraphErrorBody {
                message: Some(message),
                error_data:
                    Some(ErrorData {
                        details: Some(details),
                    }),
                ..
            }) => format!("{message}: {details}"),
            Some(GraphErrorBody {
                message: Some(message),
                ..
            }) => message.clone(),
            _ => format!("WhatsApp answered {status}."),
        };
        let rate_limited =
            status.as_u16() == 429 || code.is_some_and(|c| RATE_LIMITED.contains(&c));
        if rate_limited || status.is_server_error() || code.is_some_and(|c| TEMPORARY.contains(&c))
        {
            Err(SendError::Retry {
                reason,
                after: None,
            })
        } else {
            Err(SendError::Permanent { reason })
        }
    }

    /// The business account's approved templates that Switchboard can fill (variables in the
    /// body only; a text header without them), all pages of `GET /<WABA>/message_templates`.
    /// None without a business account.
    pub async fn templates(&self) -> Result<Vec<MessageTemplate>, SendError> {
        let Some(account) = &self.business_account_id else {
            return Ok(Vec::new());
        };
        let mut url = format!(
            "{}/{account}/message_templates?fields=name,language,status,category,components&limit=100",
            self.base
        );
        let mut templates = Vec::new();
        for _ in 0..MAX_TEMPLATE_PAGES {
            let response = self
                .http
                .get(&url)
                .bearer_auth(&self.token)
                .timeout(CALL_TIMEOUT)
                .send()
                .await;
            let page: TemplatePage = Self::answer(response).await?;
            templates.extend(page.data.into_iter().filter_map(GraphTemplate::usable));
            // Only pages of the same API are followed: the token goes nowhere else.
            match page.paging.and_then(|p| p.next) {
                Some(next) if next.starts_with(&self.base) => url = next,
                _ => break,
            }
        }
        Ok(templates)
    }

    /// Checks the number id and token: the number as Meta knows it.
    pub async fn describe(&self) -> Result<PhoneNumber, SendError> {
        let url = format!(
            "{}/{}?fields=display_phone_number,verified_name",
            self.base, self.phone_number_id
        );
        let response = self
            .http
            .get(url)
            .bearer_auth(&self.token)
            .timeout(CALL_TIMEOUT)
            .send()
            .await;
        Self::answer(response).await
    }
}

/// At most this many pages of templates are read (100 each).
const MAX_TEMPLATE_PAGES: usize = 10;

/// A page of `GET /<WABA>/message_templates`.
#[derive(Deserialize)]
struct TemplatePage {
    #[serde(default)]
    data: Vec<GraphTemplate>,
    paging: Option<Paging>,
}

#[derive(Deserialize)]
struct Paging {
    next: Option<String>,
}

/// A template as the Graph API describes it.
#[derive(Deserialize)]
struct GraphTemplate {
    name: String,
    language: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    components: Vec<GraphComponent>,
}

#[derive(Deserialize)]
struct GraphComponent {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    buttons: Vec<serde_json::Value>,
}

impl GraphTemplate {
    /// The template as agents pick it, if it is approved and its only variables are in its
    /// body (headers with variables or media and buttons with variables are left out).
    fn usable(self) -> Option<MessageTemplate> {
        if !self.status.eq_ignore_ascii_case("approved") {
            return None;
        }
        let mut header = None;
        let mut body = None;
        let mut footer = None;
        for component in self.components {
            let text = component.text.unwrap_or_default();
            match component.kind.to_ascii_uppercase().as_str() {
                "HEADER" => {
                    let is_text = component
                        .format
                        .is_none_or(|f| f.eq_ignore_ascii_case("text"));
                    if !is_text || !placeholders(&text).is_empty() {
                        return None;
                    }
                    header = Some(text);
                }
                "BODY" => body = Some(text),
                "FOOTER" => footer = Some(text),
                // A URL button's variable would need a value too.
                "BUTTONS"
                    if component.buttons.iter().any(|b| {
                        b.get("url")
                            .and_then(|u| u.as_str())
                            .is_some_and(|u| u.contains("{{"))
                    }) =>
                {
                    return None;
                }
                _ => {}
            }
        }
        let body = body?;
        Some(MessageTemplate {
            variables: placeholders(&body),
            name: self.name,
            language: self.language,
            category: self.category,
            header,
            body,
            footer,
        })
    }
}

/// The approved templates of connected channel `channel` of `workspace` (empty for other
/// kinds and numbers without a business account).
pub async fn templates(
    state: &AppState,
    workspace: switchboard_protocol::WorkspaceId,
    channel: switchboard_protocol::ChannelId,
) -> Result<Vec<MessageTemplate>, ApiError> {
    let channel = state.store.channel(workspace, channel).await?;
    if channel.kind != ChannelKind::Whatsapp {
        return Ok(Vec::new());
    }
    let Some(credentials) = state.store.channel_credentials(channel.id).await? else {
        return Ok(Vec::new());
    };
    let phone = Phone::from_credentials(state, &credentials)
        .map_err(|_| ApiError::Internal("damaged WhatsApp settings".into()))?;
    phone.templates().await.map_err(|error| match error {
        SendError::Retry { reason, .. } | SendError::Permanent { reason } => {
            ApiError::Upstream(format!("WhatsApp did not list the templates: {reason}"))
        }
    })
}

/// A media object as `GET /<media id>` describes it.
#[derive(Deserialize)]
struct MediaUrl {
    url: String,
}

#[derive(Deserialize)]
struct Uploaded {
    id: String,
}

/// Meta's file hosts, which may receive the access token with a media download.
const META_FILE_HOSTS: [&str; 3] = ["fbsbx.com", "whatsapp.net", "facebook.com"];

impl super::FileSource for Phone {
    /// `GET /<media id>` for its short-lived URL, then the bytes from it, both with the token.
    async fn fetch(&self, file: &RemoteFile) -> Result<axum::body::Bytes, SendError> {
        let response = self
            .http
            .get(format!("{}/{}", self.base, file.id))
            .bearer_auth(&self.token)
            .timeout(CALL_TIMEOUT)
            .send()
            .await;
        let media: MediaUrl = Self::answer(response).await?;
        // The token goes only to Meta's own file hosts over HTTPS (or to the configured API
        // host, as a stand-in serves them).
        if !super::trusted_file_url(&media.url, &self.base, &META_FILE_HOSTS) {
            return Err(SendError::Permanent {
                reason: "WhatsApp named a file address that is not Meta's.".into(),
            });
        }
        let request = self
            .http
            .get(&media.url)
            .bearer_auth(&self.token)
            .timeout(CALL_TIMEOUT * 6);
        super::download(request, "WhatsApp").await
    }
}

impl Phone {
    /// Uploads a file (`POST /<phone number id>/media`); its media id.
    async fn upload(&self, file: &OutgoingFile) -> Result<String, SendError> {
        let part = reqwest::multipart::Part::bytes(file.bytes.to_vec())
            .file_name(file.name.clone())
            .mime_str(&file.content_type)
            .map_err(|_| SendError::Permanent {
                reason: format!("{} has no valid content type.", file.name),
            })?;
        let form = reqwest::multipart::Form::new()
            .text("messaging_product", "whatsapp")
            .text("type", file.content_type.clone())
            .part("file", part);
        let response = self
            .http
            .post(format!("{}/{}/media", self.base, self.phone_number_id))
            .bearer_auth(&self.token)
            .timeout(CALL_TIMEOUT * 6)
            .multipart(form)
            .send()
            .await;
        let uploaded: Uploaded = Self::answer(response).await?;
        Ok(uploaded.id)
    }

    /// Sends one message body; its `wamid`.
    async fn post_message(&self, body: serde_json::Value) -> Result<String, SendError> {
        let url = format!("{}/{}/messages", self.base, self.phone_number_id);
        let response = self
            .http
            .post(url)
            .bearer_auth(&self.token)
            .timeout(CALL_TIMEOUT)
            .json(&body)
            .send()
            .await;
        let sent: Sent = Self::answer(response).await?;
        sent.messages
            .into_iter()
            .next()
            .map(|m| m.id)
            .ok_or_else(|| SendError::Permanent {
                reason: "WhatsApp accepted the message without an id.".into(),
            })
    }
}

impl Adapter for Phone {
    /// Marks the contact's newest message read and shows the typing indicator, as the Cloud
    /// API does both in one call.
    async fn typing(&self, target: &ReplyTarget) -> Result<(), SendError> {
        let Some(wamid) = &target.last_incoming else {
            return Ok(());
        };
        let body = serde_json::json!({
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": wamid,
            "typing_indicator": { "type": "text" },
        });
        let url = format!("{}/{}/messages", self.base, self.phone_number_id);
        let response = self
            .http
            .post(url)
            .bearer_auth(&self.token)
            .timeout(CALL_TIMEOUT)
            .json(&body)
            .send()
            .await;
        let _: serde_json::Value = Self::answer(response).await?;
        Ok(())
    }

    async fn send(
        &self,
        delivery: &Delivery,
        files: &[OutgoingFile],
        progress: &mut Progress<'_>,
    ) -> Result<String, SendError> {
        let to = delivery
            .recipient
            .clone()
            .ok_or_else(|| SendError::Permanent {
                reason: "This contact has no WhatsApp number on this channel.".into(),
            })?;
        if let Content::Template {
            name,
            language,
            variables,
            values,
            ..
        } = &delivery.message.content
        {
            let body = template_message(&to, name, language, variables, values);
            let wamid = self.post_message(body).await?;
            progress.accepted(0, &wamid).await;
            return progress.finish();
        }
        let Content::Text { text } = &delivery.message.content else {
            return Err(SendError::Permanent {
                reason: "Only text, files and templates can be sent through WhatsApp.".into(),
            });
        };
        let text = text.trim();
        let envelope = |kind: &str, quote: bool| {
            let mut body = serde_json::json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to,
                "type": kind,
            });
            if quote && let Some(wamid) = &delivery.reply_to_external {
                body["context"] = serde_json::json!({ "message_id": wamid });
            }
            body
        };
        // The text rides as the first file's caption when it fits one (audio has none);
        // otherwise it goes first on its own. The first message sent stands for the whole.
        let media_kind = |file: &OutgoingFile| match file.content_type.as_str() {
            "image/jpeg" | "image/png" => "image",
            "video/mp4" | "video/3gpp" => "video",
            t if t.starts_with("audio/") => "audio",
            _ => "document",
        };
        let caption_fits = files
            .first()
            .is_some_and(|f| media_kind(f) != "audio" && text.chars().count() <= 1024);
        let mut part = 0;
        if !text.is_empty() && !caption_fits {
            if !progress.done(part) {
                let mut body = envelope("text", true);
                body["text"] = serde_json::json!({ "preview_url": false, "body": text });
                let wamid = self.post_message(body).await?;
                progress.accepted(part, &wamid).await;
            }
            part += 1;
        }
        for (i, file) in files.iter().enumerate() {
            if !progress.done(part) {
                let kind = media_kind(file);
                let id = self.upload(file).await?;
                let mut media = serde_json::json!({ "id": id });
                if i == 0 && caption_fits && !text.is_empty() {
                    media["caption"] = serde_json::json!(text);
                }
                if kind == "document" {
                    media["filename"] = serde_json::json!(file.name);
                }
                let mut body = envelope(kind, progress.first().is_none());
                body[kind] = media;
                let wamid = self.post_message(body).await?;
                progress.accepted(part, &wamid).await;
            }
            part += 1;
        }
        progress.finish()
    }
}

/// The `/messages` body of a template: positional values for `{{1}}`… (named ones carry
/// their `parameter_name`).
fn template_message(
    to: &str,
    name: &str,
    language: &str,
    variables: &[String],
    values: &[String],
) -> serde_json::Value {
    let parameters: Vec<serde_json::Value> = variables
        .iter()
        .zip(values)
        .map(|(variable, value)| {
            let mut parameter = serde_json::json!({ "type": "text", "text": value });
            if variable.parse::<u32>().is_err() {
                parameter["parameter_name"] = serde_json::json!(variable);
            }
            parameter
        })
        .collect();
    let mut body = serde_json::json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": { "name": name, "language": { "code": language } },
    });
    if !parameters.is_empty() {
        body["template"]["components"] =
            serde_json::json!([{ "type": "body", "parameters": parameters }]);
    }
    body
}

// --- inbound ---------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct Notification {
    #[serde(default)]
    entry: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    #[serde(default)]
    changes: Vec<Change>,
}

#[derive(Debug, Deserialize)]
struct Change {
    value: Value,
}

/// A change's `value`: each item is read on its own, so one odd item spoils nothing else.
#[derive(Debug, Deserialize)]
struct Value {
    metadata: Option<Metadata>,
    #[serde(default)]
    contacts: Vec<serde_json::Value>,
    #[serde(default)]
    messages: Vec<serde_json::Value>,
    #[serde(default)]
    statuses: Vec<serde_json::Value>,
}

/// Which business number a change is about.
#[derive(Debug, Deserialize)]
struct Metadata {
    phone_number_id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WaContact {
    wa_id: String,
    profile: Option<Profile>,
}

#[derive(Debug, Deserialize)]
struct Profile {
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WaMessage {
    from: String,
    id: String,
    timestamp: String,
    #[serde(rename = "type")]
    kind: String,
    context: Option<Context>,
    text: Option<Text>,
    image: Option<Media>,
    video: Option<Media>,
    audio: Option<Media>,
    document: Option<Media>,
    location: Option<Location>,
    #[serde(default)]
    contacts: Vec<SharedContact>,
    interactive: Option<Interactive>,
    button: Option<Button>,
    reaction: Option<Reaction>,
}

#[derive(Debug, Deserialize)]
struct Context {
    id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Text {
    body: String,
}

#[derive(Debug, Deserialize)]
struct Media {
    /// The media id to fetch it by.
    id: Option<String>,
    caption: Option<String>,
    filename: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Location {
    latitude: f64,
    longitude: f64,
    name: Option<String>,
    address: Option<String>,
}

#[derive(Debug, Deserialize)]
struct SharedContact {
    name: Option<SharedName>,
    #[serde(default)]
    phones: Vec<SharedPhone>,
}

#[derive(Debug, Deserialize)]
struct SharedName {
    formatted_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct SharedPhone {
    phone: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Interactive {
    button_reply: Option<Reply>,
    list_reply: Option<Reply>,
}

#[derive(Debug, Deserialize)]
struct Reply {
    title: String,
}

#[derive(Debug, Deserialize)]
struct Button {
    text: String,
}

#[derive(Debug, Deserialize)]
struct Reaction {
    message_id: Option<String>,
    emoji: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WaStatus {
    id: String,
    status: String,
    #[serde(default)]
    errors: Vec<StatusError>,
}

#[derive(Debug, Deserialize)]
struct StatusError {
    code: Option<i64>,
    title: Option<String>,
    message: Option<String>,
}

impl WaMessage {
    /// The message in Switchboard's model; kinds without their own view yet say what they
    /// are (C2).
    fn content(&self) -> Content {
        let text = |t: String| Content::Text { text: t };
        let media = |kind: &str, m: &Media| {
            let what = match &m.filename {
                Some(name) => format!("{kind} {name}"),
                None => kind.to_owned(),
            };
            Content::Unsupported {
                description: Some(match m.caption.as_deref().map(str::trim) {
                    Some(caption) if !caption.is_empty() => format!("{what}: {caption}"),
                    _ => what,
                }),
            }
        };
        match self.kind.as_str() {
            "text" => match &self.text {
                Some(t) => text(t.body.clone()),
                None => Content::Unsupported { description: None },
            },
            "image" => self.image.as_ref().map_or(
                Content::Unsupported {
                    description: Some("Photo".into()),
                },
                |m| media("Photo", m),
            ),
            "video" => self.video.as_ref().map_or(
                Content::Unsupported {
                    description: Some("Video".into()),
                },
                |m| media("Video", m),
            ),
            "audio" => self.audio.as_ref().map_or(
                Content::Unsupported {
                    description: Some("Voice message".into()),
                },
                |m| media("Voice message", m),
            ),
            "document" => self.document.as_ref().map_or(
                Content::Unsupported {
                    description: Some("File".into()),
                },
                |m| media("File", m),
            ),
            "sticker" => Content::Unsupported {
                description: Some("Sticker".into()),
            },
            "location" => match &self.location {
                Some(l) => {
                    let label = [l.name.as_deref(), l.address.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", ");
                    let place = if label.is_empty() {
                        String::new()
                    } else {
                        format!("{label} — ")
                    };
                    text(format!(
                        "📍 Location: {place}{:.6}, {:.6} (https://www.openstreetmap.org/?mlat={:.6}&mlon={:.6})",
                        l.latitude, l.longitude, l.latitude, l.longitude
                    ))
                }
                None => Content::Unsupported { description: None },
            },
            "contacts" => {
                let shared: Vec<String> = self
                    .contacts
                    .iter()
                    .map(|c| {
                        let name = c
                            .name
                            .as_ref()
                            .and_then(|n| n.formatted_name.clone())
                            .unwrap_or_default();
                        let phones: Vec<&str> =
                            c.phones.iter().filter_map(|p| p.phone.as_deref()).collect();
                        format!("👤 {name}, {}", phones.join(", "))
                    })
                    .collect();
                text(shared.join("\n"))
            }
            "interactive" => match &self.interactive {
                Some(Interactive {
                    button_reply: Some(reply),
                    ..
                })
                | Some(Interactive {
                    list_reply: Some(reply),
                    ..
                }) => text(reply.title.clone()),
                _ => Content::Unsupported { description: None },
            },
            "button" => match &self.button {
                Some(b) => text(b.text.clone()),
                None => Content::Unsupported { description: None },
            },
            "reaction" => Content::Unsupported {
                description: Some(match self.reaction.as_ref().and_then(|r| r.emoji.clone()) {
                    Some(emoji) if !emoji.is_empty() => format!("Reaction {emoji}"),
                    _ => "Reaction removed".into(),
                }),
            },
            _ => Content::Unsupported { description: None },
        }
    }

    /// The media to fetch (images, videos, voice and audio, documents), with its caption.
    fn media(&self) -> (Vec<RemoteFile>, Option<String>) {
        let found = [
            (&self.image, "photo.jpg"),
            (&self.video, "video.mp4"),
            (&self.audio, "voice.ogg"),
            (&self.document, "document"),
        ]
        .into_iter()
        .find_map(|(media, name)| media.as_ref().map(|m| (m, name)));
        match found {
            Some((media, name)) => match &media.id {
                Some(id) if !id.trim().is_empty() => (
                    vec![RemoteFile {
                        id: id.clone(),
                        name: media.filename.clone().unwrap_or_else(|| name.to_owned()),
                    }],
                    media.caption.clone(),
                ),
                _ => (Vec::new(), None),
            },
            None => (Vec::new(), None),
        }
    }

    /// The message this one answers or reacts to.
    fn replied(&self) -> Option<&str> {
        match &self.reaction {
            Some(Reaction {
                message_id: Some(id),
                ..
            }) => Some(id),
            _ => self.context.as_ref().and_then(|c| c.id.as_deref()),
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(verify, notify))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Handshake {
    #[serde(rename = "hub.mode")]
    #[param(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    #[param(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    #[param(rename = "hub.challenge")]
    challenge: Option<String>,
}

/// Meta's verification handshake: the challenge back when the verify token matches.
#[utoipa::path(
    get,
    path = "/hooks/whatsapp/{key}",
    operation_id = "whatsapp_webhook_verify",
    tag = "channels",
    security(("whatsapp_verify_token" = [])),
    params(("key" = String, Path, description = "The channel's webhook key."), Handshake),
    responses(
        (status = 200, description = "The `hub.challenge`, as plain text.", content_type = "text/plain", body = String),
        (status = 401, description = "No such channel.", body = ErrorBody),
        (status = 403, description = "Not a subscription with the channel's verify token.", body = ErrorBody),
    ),
)]
async fn verify(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(handshake): Query<Handshake>,
) -> Result<Response, ApiError> {
    let (_, credentials): (_, Credentials) =
        super::hooked(&state, &key, ChannelKind::Whatsapp).await?;
    let token = handshake.verify_token.unwrap_or_default();
    let matches: bool = token
        .as_bytes()
        .ct_eq(credentials.verify_token.as_bytes())
        .into();
    match (handshake.mode.as_deref(), handshake.challenge) {
        (Some("subscribe"), Some(challenge)) if matches => {
            Ok((StatusCode::OK, challenge).into_response())
        }
        _ => Err(ApiError::Forbidden(
            "Not a subscription with this channel's verify token.".into(),
        )),
    }
}

/// Whether `header` is `sha256=<hex HMAC-SHA256 of body with secret>`.
fn signed(header: Option<&str>, secret: &str, body: &[u8]) -> bool {
    header
        .and_then(|h| h.strip_prefix("sha256="))
        .is_some_and(|digest| super::hmac_matches(secret, &[body], digest))
}

/// Meta's notifications: messages contacts sent and statuses of messages sent to them.
///
/// Answered only after everything in it is stored, so Meta retries what was not; a repeat
/// stores nothing new.
#[utoipa::path(
    post,
    path = "/hooks/whatsapp/{key}",
    operation_id = "whatsapp_webhook",
    tag = "channels",
    security(("whatsapp_signature" = [])),
    params(("key" = String, Path, description = "The channel's webhook key.")),
    request_body(content = serde_json::Value, description = "A `whatsapp_business_account` notification."),
    responses(
        (status = 200, description = "Stored (or a repeat, or nothing Switchboard reads)."),
        (status = 401, description = "Unsigned, signed with another secret, or no such channel.", body = ErrorBody),
        (status = 422, description = "Not a WhatsApp notification.", body = ErrorBody),
    ),
)]
async fn notify(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let (channel, credentials): (_, Credentials) =
        super::hooked(&state, &key, ChannelKind::Whatsapp).await?;
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    if !signed(signature, &credentials.app_secret, &body) {
        return Err(ApiError::Unauthorized);
    }
    let items =
        parse(&body, &credentials.phone_number_id).map_err(|error| ApiError::Validation {
            message: format!("Not a WhatsApp notification: {error}"),
            field: None,
        })?;
    let phone = Phone::new(
        &state,
        &credentials.phone_number_id,
        &credentials.access_token,
    );
    super::store_inbound(&state, &channel, &phone, items).await?;
    Ok(StatusCode::OK)
}

/// The least of a message: who sent it and its id, read when the rest is not understood.
#[derive(Deserialize)]
struct Bare {
    from: String,
    id: String,
    timestamp: Option<String>,
}

/// Reads one notification: the messages contacts sent and statuses of messages sent to
/// them, in order. A message whose shape is not understood is kept as "Unsupported message"
/// (C2) if it says who sent it and its id, and skipped otherwise, so one odd message never
/// holds back the others.
///
/// Meta sends the notifications of every number of an app to the same callback, so only
/// changes about `phone_number_id` (this channel's number) are read.
pub fn parse(body: &[u8], phone_number_id: &str) -> serde_json::Result<Vec<Inbound>> {
    let notification: Notification = serde_json::from_slice(body)?;
    let mut items = Vec::new();
    for value in notification
        .entry
        .into_iter()
        .flat_map(|e| e.changes)
        .map(|c| c.value)
        .filter(|v| {
            v.metadata
                .as_ref()
                .and_then(|m| m.phone_number_id.as_deref())
                == Some(phone_number_id)
        })
    {
        let names: HashMap<String, String> = value
            .contacts
            .iter()
            .filter_map(|c| serde_json::from_value::<WaContact>(c.clone()).ok())
            .filter_map(|c| Some((c.wa_id, c.profile?.name?)))
            .collect();
        for raw in value.messages {
            let (bare, content, replied, (files, caption)) =
                match serde_json::from_value::<WaMessage>(raw.clone()) {
                    Ok(m) => (
                        Bare {
                            from: m.from.clone(),
                            id: m.id.clone(),
                            timestamp: Some(m.timestamp.clone()),
                        },
                        m.content(),
                        m.replied().map(str::to_owned),
                        m.media(),
                    ),
                    Err(_) => match serde_json::from_value::<Bare>(raw) {
                        Ok(bare) => (
                            bare,
                            Content::Unsupported { description: None },
                            None,
                            (Vec::new(), None),
                        ),
                        Err(_) => continue,
                    },
                };
            // Meta always names the sender and the message; without both there is nothing
            // to find the contact or deduplicate by.
            if bare.from.trim().is_empty() || bare.id.trim().is_empty() {
                continue;
            }
            let name = names.get(&bare.from).map(|n| n.trim()).unwrap_or("");
            let (first_name, last_name) = match name.split_once(' ') {
                Some((first, last)) => (first.to_owned(), last.trim().to_owned()),
                None if !name.is_empty() => (name.to_owned(), String::new()),
                None => (format!("+{}", bare.from), String::new()),
            };
            items.push(Inbound::Message(Box::new(Incoming {
                phone: Some(format!("+{}", bare.from)),
                email: None,
                sender: bare.from,
                first_name,
                last_name,
                external_id: bare.id,
                reply_to: replied,
                content,
                received_at: super::unix_time(bare.timestamp.and_then(|t| t.parse().ok())),
                files,
                with_files: Content::Text {
                    text: caption.unwrap_or_default(),
                },
            })));
        }
        for status in value
            .statuses
            .into_iter()
            .filter_map(|s| serde_json::from_value::<WaStatus>(s).ok())
        {
            let (to, error) = match status.status.as_str() {
                "sent" => (DeliveryStatus::Sent, None),
                "delivered" => (DeliveryStatus::Delivered, None),
                "read" => (DeliveryStatus::Read, None),
                "failed" => (DeliveryStatus::Failed, Some(status.reason())),
                _ => continue,
            };
            items.push(Inbound::Status {
                external_id: status.id,
                status: to,
                error,
            });
        }
    }
    Ok(items)
}

impl WaStatus {
    /// Why Meta could not deliver the message, with its error code.
    fn reason(&self) -> String {
        let Some(e) = self.errors.first() else {
            return "WhatsApp could not deliver it.".into();
        };
        let text = e
            .message
            .clone()
            .or_else(|| e.title.clone())
            .unwrap_or_else(|| "WhatsApp could not deliver it".into());
        match e.code {
            Some(code) => format!("{text} ({code})"),
            None => text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{META_FILE_HOSTS, signed};
    use crate::channels::trusted_file_url;
    fn trusted_media_url(url: &str, base: &str) -> bool {
        trusted_file_url(url, base, &META_FILE_HOSTS)
    }

    #[test]
    fn the_token_goes_only_to_metas_file_hosts() {
        let base = "https://graph.facebook.com/v21.0";
        assert!(trusted_media_url(
            "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
            base
        ));
        assert!(trusted_media_url("https://mmg.whatsapp.net/v/t62/x", base));
        assert!(
            !trusted_media_url("http://lookaside.fbsbx.com/x", base),
            "not over HTTPS"
        );
        assert!(!trusted_media_url("https://evil.example/x", base));
        assert!(!trusted_media_url("https://fbsbx.com.evil.example/x", base));
        assert!(!trusted_media_url("https://evilfbsbx.com/x", base));
        assert!(trusted_media_url(
            "http://127.0.0.1:9/media/1",
            "http://127.0.0.1:9/v21.0"
        ));
        assert!(!trusted_media_url("not a url", base));
    }

    #[test]
    fn only_the_app_secrets_signature_of_these_bytes_is_accepted() {
        let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
        // HMAC-SHA256 with the key "secret", computed independently:
        // `printf '%s' BODY | openssl dgst -sha256 -hmac secret`.
        let mac = "sha256=56a21e195072d3c07ec2bbf608e0dfeaf322e1917ec30f0cb399c2a43588216e";
        assert!(signed(Some(mac), "secret", body));
        assert!(!signed(Some(mac), "other", body));
        assert!(!signed(Some(mac), "secret", b"{}"));
        assert!(!signed(
            Some(mac.trim_start_matches("sha256=")),
            "secret",
            body
        ));
        assert!(!signed(Some("sha256=zz"), "secret", body));
        assert!(!signed(None, "secret", body));
    }
}
