//! Telegram (Bot API): the webhook that receives updates, the client that sends messages,
//! and the calls that connect a bot (`getMe`, `setWebhook`, `deleteWebhook`).
//!
//! Updates arrive at `/api/v1/hooks/telegram/{key}` with the secret token Switchboard gave
//! `setWebhook` in `X-Telegram-Bot-Api-Secret-Token`; anything else is 401 and stores
//! nothing. A message's provider id is `"{chat id}:{message id}"` (Telegram numbers messages
//! per chat), which makes a repeated update store nothing new.

use super::{Adapter, Inbound, Incoming, OutgoingFile, Progress, RemoteFile, SendError};
use crate::error::ApiError;
use crate::extract::Path;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use subtle::ConstantTimeEq;
use switchboard_protocol::{ChannelKind, Content, ErrorBody};
use switchboard_storage::{Delivery, ReplyTarget};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The header Telegram repeats the webhook's secret token in.
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";
/// How long one Bot API call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(20);

/// What a Telegram channel keeps in the store.
#[derive(Serialize, Deserialize)]
pub struct Credentials {
    pub bot_token: String,
    /// Telegram sends it with every update; it proves the update came from Telegram.
    pub webhook_secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials { .. }")
    }
}

/// A bot, ready to call the Bot API.
pub struct Bot {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl std::fmt::Debug for Bot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bot").field("base", &self.base).finish()
    }
}

/// The Bot API's answer envelope.
#[derive(Deserialize)]
struct Answer<T> {
    ok: bool,
    result: Option<T>,
    description: Option<String>,
    error_code: Option<u16>,
    parameters: Option<AnswerParameters>,
}

#[derive(Deserialize)]
struct AnswerParameters {
    retry_after: Option<u64>,
}

/// `User` as `getMe` answers it.
#[derive(Debug, Deserialize)]
pub struct BotUser {
    pub id: i64,
    pub first_name: String,
}

/// The part of a sent `Message` Switchboard keeps.
#[derive(Deserialize)]
struct SentMessage {
    message_id: i64,
    chat: Chat,
}

impl Bot {
    pub fn new(state: &AppState, token: &str) -> Bot {
        Bot {
            http: state.http.clone(),
            base: state
                .config
                .telegram_api_url
                .trim_end_matches('/')
                .to_owned(),
            token: token.to_owned(),
        }
    }

    pub fn from_credentials(state: &AppState, credentials: &str) -> serde_json::Result<Bot> {
        let credentials: Credentials = serde_json::from_str(credentials)?;
        Ok(Bot::new(state, &credentials.bot_token))
    }

    /// Calls a Bot API method with a JSON body and reads its `result`.
    async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        body: &serde_json::Value,
    ) -> Result<T, SendError> {
        let request = self.http.post(self.url(method)).json(body);
        Self::answer(request.timeout(CALL_TIMEOUT).send().await).await
    }

    /// Calls a Bot API method with a multipart form (a file upload) and reads its `result`.
    async fn call_form<T: DeserializeOwned>(
        &self,
        method: &str,
        form: reqwest::multipart::Form,
    ) -> Result<T, SendError> {
        let request = self.http.post(self.url(method)).multipart(form);
        // Uploads take longer than calls.
        Self::answer(request.timeout(CALL_TIMEOUT * 6).send().await).await
    }

    fn url(&self, method: &str) -> String {
        format!("{}/bot{}/{method}", self.base, self.token)
    }

    /// Reads the Bot API's answer envelope: the `result`, else a retry or a refusal.
    async fn answer<T: DeserializeOwned>(
        response: Result<reqwest::Response, reqwest::Error>,
    ) -> Result<T, SendError> {
        // The URL holds the bot token: never let it into a message or a log.
        let response = response.map_err(|error| SendError::Retry {
            reason: format!("Telegram could not be reached ({}).", error.without_url()),
            after: None,
        })?;
        let status = response.status();
        let answer: Answer<T> = match response.json().await {
            Ok(answer) => answer,
            Err(_) if status.is_server_error() || status.as_u16() == 429 => {
                return Err(SendError::Retry {
                    reason: format!("Telegram answered {status}."),
                    after: None,
                });
            }
            Err(_) => {
                return Err(SendError::Permanent {
                    reason: format!("Telegram answered {status} with an unreadable body."),
                });
            }
        };
        if answer.ok
            && let Some(result) = answer.result
        {
            return Ok(result);
        }
        let code = answer.error_code.unwrap_or(status.as_u16());
        let reason = answer
            .description
            .unwrap_or_else(|| format!("Telegram answered {code}."));
        if code == 429 {
            let after = answer
                .parameters
                .and_then(|p| p.retry_after)
                .map(Duration::from_secs);
            Err(SendError::Retry { reason, after })
        } else if code >= 500 {
            Err(SendError::Retry {
                reason,
                after: None,
            })
        } else {
            Err(SendError::Permanent { reason })
        }
    }

    /// Sends one file the way Telegram shows it best — a photo (JPEG, PNG, WebP), a voice
    /// message (M4A: voice recordings, K4), a video (MP4), an audio track (MP3) or else a
    /// document — with an optional caption and quote; the message's id.
    async fn send_file(
        &self,
        chat_id: i64,
        file: &OutgoingFile,
        caption: Option<&str>,
        reply_to: Option<i64>,
    ) -> Result<SentMessage, SendError> {
        let (method, field) = match file.content_type.as_str() {
            "image/jpeg" | "image/png" | "image/webp" => ("sendPhoto", "photo"),
            "audio/mp4" => ("sendVoice", "voice"),
            "video/mp4" => ("sendVideo", "video"),
            "audio/mpeg" => ("sendAudio", "audio"),
            _ => ("sendDocument", "document"),
        };
        let part = reqwest::multipart::Part::bytes(file.bytes.to_vec())
            .file_name(file.name.clone())
            .mime_str(&file.content_type)
            .map_err(|_| SendError::Permanent {
                reason: format!("{} has no valid content type.", file.name),
            })?;
        let mut form = reqwest::multipart::Form::new()
            .text("chat_id", chat_id.to_string())
            .part(field, part);
        if let Some(caption) = caption {
            form = form.text("caption", caption.to_owned());
        }
        if let Some(message_id) = reply_to {
            form = form.text(
                "reply_parameters",
                serde_json::json!({ "message_id": message_id, "allow_sending_without_reply": true })
                    .to_string(),
            );
        }
        self.call_form(method, form).await
    }

    /// Checks the token: the bot it belongs to.
    pub async fn get_me(&self) -> Result<BotUser, SendError> {
        self.call("getMe", &serde_json::json!({})).await
    }

    /// Has Telegram send the bot's updates to `url` with `secret` in the secret header.
    pub async fn set_webhook(&self, url: &str, secret: &str) -> Result<bool, SendError> {
        self.call(
            "setWebhook",
            &serde_json::json!({
                "url": url,
                "secret_token": secret,
                "allowed_updates": ["message", "edited_message"],
            }),
        )
        .await
    }

    pub async fn delete_webhook(&self) -> Result<bool, SendError> {
        self.call("deleteWebhook", &serde_json::json!({})).await
    }
}

/// `File` as `getFile` answers it.
#[derive(Deserialize)]
struct TgFile {
    file_path: Option<String>,
}

impl super::FileSource for Bot {
    /// `getFile`, then the download from `/file/bot<token>/<file_path>`.
    async fn fetch(&self, file: &RemoteFile) -> Result<axum::body::Bytes, SendError> {
        let found: TgFile = self
            .call("getFile", &serde_json::json!({ "file_id": file.id }))
            .await?;
        let path = found.file_path.ok_or_else(|| SendError::Permanent {
            reason: "Telegram gave no path for the file.".into(),
        })?;
        let url = format!("{}/file/bot{}/{path}", self.base, self.token);
        super::download(self.http.get(url).timeout(CALL_TIMEOUT * 6), "Telegram").await
    }
}

impl Adapter for Bot {
    async fn typing(&self, target: &ReplyTarget) -> Result<(), SendError> {
        let chat_id: i64 = target.recipient.parse().map_err(|_| SendError::Permanent {
            reason: "Not a Telegram chat.".into(),
        })?;
        let _: bool = self
            .call(
                "sendChatAction",
                &serde_json::json!({ "chat_id": chat_id, "action": "typing" }),
            )
            .await?;
        Ok(())
    }

    async fn send(
        &self,
        delivery: &Delivery,
        files: &[OutgoingFile],
        progress: &mut Progress<'_>,
    ) -> Result<String, SendError> {
        let chat_id: i64 = delivery
            .recipient
            .as_deref()
            .and_then(|r| r.parse().ok())
            .ok_or_else(|| SendError::Permanent {
                reason: "This contact has not written to the bot, so Telegram cannot reach them."
                    .into(),
            })?;
        let Content::Text { text } = &delivery.message.content else {
            return Err(SendError::Permanent {
                reason: "Only text and files can be sent through Telegram.".into(),
            });
        };
        let reply_to = delivery
            .reply_to_external
            .as_deref()
            .and_then(|id| id.split_once(':'))
            .and_then(|(_, message)| message.parse::<i64>().ok());
        let text = text.trim();
        // The text rides as the first file's caption when it fits one (1 024 characters);
        // otherwise it goes first on its own. The first message sent stands for the whole.
        let caption_fits = !files.is_empty() && text.chars().count() <= 1024;
        let mut part = 0;
        if !text.is_empty() && !caption_fits {
            if !progress.done(part) {
                let mut body = serde_json::json!({ "chat_id": chat_id, "text": text });
                if let Some(message_id) = reply_to {
                    body["reply_parameters"] = serde_json::json!({
                        "message_id": message_id,
                        "allow_sending_without_reply": true,
                    });
                }
                let sent: SentMessage = self.call("sendMessage", &body).await?;
                progress
                    .accepted(part, &external_id(sent.chat.id, sent.message_id))
                    .await;
            }
            part += 1;
        }
        for (i, file) in files.iter().enumerate() {
            if !progress.done(part) {
                let caption = (i == 0 && caption_fits && !text.is_empty()).then_some(text);
                let quote = if progress.first().is_none() {
                    reply_to
                } else {
                    None
                };
                let sent = self.send_file(chat_id, file, caption, quote).await?;
                progress
                    .accepted(part, &external_id(sent.chat.id, sent.message_id))
                    .await;
            }
            part += 1;
        }
        progress.finish()
    }
}

/// A message's provider id.
fn external_id(chat: i64, message: i64) -> String {
    format!("{chat}:{message}")
}

// --- inbound ---------------------------------------------------------------------------

/// An `Update`, with the kinds Switchboard reads (others are acknowledged and ignored).
#[derive(Debug, Deserialize)]
struct Update {
    #[allow(dead_code)]
    update_id: i64,
    message: Option<TgMessage>,
    edited_message: Option<TgMessage>,
}

#[derive(Debug, Deserialize)]
struct TgMessage {
    message_id: i64,
    from: Option<TgUser>,
    chat: Chat,
    date: i64,
    text: Option<String>,
    caption: Option<String>,
    photo: Option<serde_json::Value>,
    document: Option<serde_json::Value>,
    voice: Option<serde_json::Value>,
    video: Option<serde_json::Value>,
    sticker: Option<Sticker>,
    location: Option<Location>,
    contact: Option<TgContact>,
    reply_to_message: Option<Box<TgMessage>>,
}

#[derive(Debug, Deserialize)]
struct TgUser {
    first_name: String,
    last_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Chat {
    id: i64,
    first_name: Option<String>,
    last_name: Option<String>,
    title: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Sticker {
    emoji: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Location {
    latitude: f64,
    longitude: f64,
}

#[derive(Debug, Deserialize)]
struct TgContact {
    phone_number: String,
    first_name: String,
    last_name: Option<String>,
}

impl TgMessage {
    /// The message in Switchboard's model. Kinds without their own view yet say what they
    /// are (C2) rather than vanish.
    fn content(&self) -> Content {
        if let Some(text) = &self.text {
            return Content::Text { text: text.clone() };
        }
        if let Some(location) = &self.location {
            return Content::Text {
                text: format!(
                    "📍 Location: {:.6}, {:.6} (https://www.openstreetmap.org/?mlat={:.6}&mlon={:.6})",
                    location.latitude, location.longitude, location.latitude, location.longitude
                ),
            };
        }
        if let Some(contact) = &self.contact {
            let name = [
                Some(contact.first_name.as_str()),
                contact.last_name.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            return Content::Text {
                text: format!("👤 {name}, {}", contact.phone_number),
            };
        }
        let kind = if self.photo.is_some() {
            "Photo"
        } else if self.document.is_some() {
            "File"
        } else if self.voice.is_some() {
            "Voice message"
        } else if self.video.is_some() {
            "Video"
        } else if let Some(sticker) = &self.sticker {
            return Content::Unsupported {
                description: Some(match &sticker.emoji {
                    Some(emoji) => format!("Sticker {emoji}"),
                    None => "Sticker".into(),
                }),
            };
        } else {
            return Content::Unsupported { description: None };
        };
        Content::Unsupported {
            description: Some(match &self.caption {
                Some(caption) if !caption.trim().is_empty() => format!("{kind}: {caption}"),
                _ => kind.into(),
            }),
        }
    }

    /// The files to fetch: the largest size of a photo, a document, a voice message or a
    /// video — unless over the 20 MB bots may download.
    fn files(&self) -> Vec<RemoteFile> {
        const MAX_DOWNLOAD: u64 = 20 * 1024 * 1024;
        let one = |value: &serde_json::Value, name: &str| {
            let id = value["file_id"].as_str()?;
            if value["file_size"]
                .as_u64()
                .is_some_and(|size| size > MAX_DOWNLOAD)
            {
                return None;
            }
            let name = value["file_name"].as_str().unwrap_or(name);
            Some(RemoteFile {
                id: id.to_owned(),
                name: name.to_owned(),
            })
        };
        let found = if let Some(sizes) = self.photo.as_ref().and_then(|p| p.as_array()) {
            sizes.last().and_then(|largest| one(largest, "photo.jpg"))
        } else if let Some(document) = &self.document {
            one(document, "document")
        } else if let Some(voice) = &self.voice {
            one(voice, "voice.ogg")
        } else if let Some(video) = &self.video {
            one(video, "video.mp4")
        } else {
            None
        };
        found.into_iter().collect()
    }

    /// The sender's names: the person's, else the chat's.
    fn names(&self) -> (String, String) {
        match &self.from {
            Some(user) => (
                user.first_name.clone(),
                user.last_name.clone().unwrap_or_default(),
            ),
            None => (
                self.chat
                    .first_name
                    .clone()
                    .or_else(|| self.chat.title.clone())
                    .unwrap_or_else(|| "Telegram".into()),
                self.chat.last_name.clone().unwrap_or_default(),
            ),
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(webhook))
}

/// Telegram's webhook: one `Update` per request, as the Bot API documents it.
///
/// Answered only after the message is stored, so Telegram retries anything not stored; a
/// repeated update stores nothing new. Without the right secret token → 401.
#[utoipa::path(
    post,
    path = "/hooks/telegram/{key}",
    operation_id = "telegram_webhook",
    tag = "channels",
    security(("telegram_secret_token" = [])),
    params(("key" = String, Path, description = "The channel's webhook key.")),
    request_body(content = serde_json::Value, description = "A Telegram `Update`."),
    responses(
        (status = 200, description = "Stored (or a repeat, or a kind of update that is ignored)."),
        (status = 401, description = "Not from Telegram: the secret token is missing or wrong, or no such channel.", body = ErrorBody),
        (status = 422, description = "Not a Telegram `Update`.", body = ErrorBody),
    ),
)]
async fn webhook(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let (channel, credentials): (_, Credentials) =
        super::hooked(&state, &key, ChannelKind::Telegram).await?;
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !bool::from(given.ct_eq(credentials.webhook_secret.as_bytes())) {
        return Err(ApiError::Unauthorized);
    }
    let items = parse(&body).map_err(|error| ApiError::Validation {
        message: format!("Not a Telegram update: {error}"),
        field: None,
    })?;
    let bot = Bot::new(&state, &credentials.bot_token);
    super::store_inbound(&state, &channel, &bot, items).await?;
    Ok(StatusCode::OK)
}

/// Reads one `Update`: a new message, an edit, or nothing Switchboard reads.
pub fn parse(body: &[u8]) -> serde_json::Result<Vec<Inbound>> {
    let update: Update = serde_json::from_slice(body)?;
    Ok(if let Some(message) = update.message {
        let (first_name, last_name) = message.names();
        vec![Inbound::Message(Box::new(Incoming {
            sender: message.chat.id.to_string(),
            first_name,
            last_name,
            phone: None,
            email: None,
            external_id: external_id(message.chat.id, message.message_id),
            reply_to: message
                .reply_to_message
                .as_ref()
                .map(|r| external_id(r.chat.id, r.message_id)),
            content: message.content(),
            received_at: super::unix_time(Some(message.date)),
            files: message.files(),
            with_files: Content::Text {
                text: message.caption.clone().unwrap_or_default(),
            },
        }))]
    } else if let Some(message) = update.edited_message {
        // A message with files was stored with its caption as text; an edit changes that.
        let content = if message.files().is_empty() {
            message.content()
        } else {
            Content::Text {
                text: message.caption.clone().unwrap_or_default(),
            }
        };
        vec![Inbound::Edit {
            external_id: external_id(message.chat.id, message.message_id),
            content,
        }]
    } else {
        Vec::new()
    })
}
