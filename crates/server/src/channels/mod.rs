//! Provider channels (CH): one adapter per provider behind [`Adapter`] — parsing what the
//! provider sends into the one message model, sending agents' messages — plus the outbox
//! worker that delivers them ([`outbox`]) and the settings routes that connect and
//! disconnect channels ([`settings`], T6).
//!
//! Providers are reached over HTTP at base URLs from the configuration, so tests and staging
//! point them at their own servers. Credentials live in the store, are read only here, and
//! never reach clients or logs.

pub mod email;
#[cfg(test)]
mod fuzzing;
pub mod outbox;
pub mod settings;
pub mod telegram;
pub mod tiktok;
pub mod whatsapp;

use crate::error::ApiError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use std::time::Duration;
use switchboard_protocol::{ChannelKind, Content, DeliveryStatus};
use switchboard_storage::{
    Channel, Delivery, HeldDelivery, InboundEdit, InboundMessage, Received, ReplyTarget,
};

/// What a provider answered to a send.
#[derive(Debug, PartialEq, Eq)]
pub enum SendError {
    /// Worth trying again: the provider was unreachable, failed (5xx) or asked to slow down
    /// (`after`, when it said how long).
    Retry {
        reason: String,
        after: Option<Duration>,
    },
    /// The provider refused the message; sending it again would be refused again.
    Permanent { reason: String },
}

/// A file an outgoing message carries, read for its adapter.
pub struct OutgoingFile {
    pub name: String,
    pub content_type: String,
    pub bytes: axum::body::Bytes,
}

/// How far a message sent as several provider messages (text, then each file) got: parts
/// the provider accepted in an earlier attempt are skipped, and each newly accepted one is
/// recorded at once, so a failure of a later part never sends the earlier ones again.
pub struct Progress<'a> {
    state: &'a AppState,
    held: HeldDelivery,
    sent: u32,
    first: Option<String>,
}

impl<'a> Progress<'a> {
    pub fn new(state: &'a AppState, delivery: &Delivery) -> Progress<'a> {
        Progress {
            state,
            held: delivery.held(),
            sent: delivery.parts_sent,
            first: delivery.first_external_id.clone(),
        }
    }

    /// Whether part `index` (counting from 0) was accepted already.
    pub fn done(&self, index: u32) -> bool {
        index < self.sent
    }

    /// The provider's id of the first part accepted, which stands for the whole message.
    pub fn first(&self) -> Option<&str> {
        self.first.as_deref()
    }

    /// Part `index` was accepted with `external_id`; recorded before the next is sent (a
    /// failure to record only means the part may be sent again).
    pub async fn accepted(&mut self, index: u32, external_id: &str) {
        self.sent = index + 1;
        let first = self.first.get_or_insert_with(|| external_id.to_owned());
        if let Err(error) = self
            .state
            .store
            .delivery_progress(self.held, self.sent, first)
            .await
        {
            tracing::warn!(delivery = self.held.id, %error, "a sent part was not recorded");
        }
    }

    /// The whole message's provider id, once every part went: the first part's.
    pub fn finish(&self) -> Result<String, SendError> {
        self.first.clone().ok_or_else(|| SendError::Permanent {
            reason: "The message has neither text nor files.".into(),
        })
    }
}

/// One provider's side of the channel model.
pub trait Adapter {
    /// Sends one outgoing message with its files (resuming after the parts `progress` says
    /// went already); the provider's id for it on success.
    fn send(
        &self,
        delivery: &Delivery,
        files: &[OutgoingFile],
        progress: &mut Progress<'_>,
    ) -> impl std::future::Future<Output = Result<String, SendError>> + Send;

    /// Shows the contact that an agent is typing (C7), where the provider can.
    fn typing(
        &self,
        target: &ReplyTarget,
    ) -> impl std::future::Future<Output = Result<(), SendError>> + Send;
}

/// How long a provider shows one typing call (Telegram: 5 s; WhatsApp: up to 25 s or until
/// the answer; TikTok does not say, so as Telegram), so it is repeated no sooner.
fn typing_lasts(kind: ChannelKind) -> Duration {
    match kind {
        ChannelKind::Whatsapp => Duration::from_secs(20),
        _ => Duration::from_secs(4),
    }
}

/// Shows a conversation's contact that an agent is typing, through its provider, at most
/// once per the provider's indicator time (checked before anything is read: renewals arrive
/// every few seconds from every typing agent); best effort (a failure is only logged).
pub async fn show_typing(
    state: &AppState,
    workspace: switchboard_protocol::WorkspaceId,
    conversation: switchboard_protocol::ConversationId,
    kind: ChannelKind,
) {
    let now = std::time::Instant::now();
    {
        let mut shown = state
            .provider_typing
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        shown.retain(|_, at| now.duration_since(*at) < Duration::from_secs(60));
        if shown
            .get(&conversation)
            .is_some_and(|at| now.duration_since(*at) < typing_lasts(kind))
        {
            return;
        }
        shown.insert(conversation, now);
    }
    let target = match state.store.reply_target(workspace, conversation).await {
        Ok(Some(target)) if target.channel_kind.capabilities().typing => target,
        Ok(_) => return,
        Err(error) => {
            tracing::debug!(%error, "no reply target for a typing indicator");
            return;
        }
    };
    let Ok(Some(credentials)) = state.store.channel_credentials(target.channel).await else {
        return;
    };
    let outcome = match target.channel_kind {
        ChannelKind::Telegram => match telegram::Bot::from_credentials(state, &credentials) {
            Ok(bot) => bot.typing(&target).await,
            Err(_) => return,
        },
        ChannelKind::Whatsapp => match whatsapp::Phone::from_credentials(state, &credentials) {
            Ok(phone) => phone.typing(&target).await,
            Err(_) => return,
        },
        ChannelKind::Tiktok => {
            match tiktok::Account::for_channel(state, workspace, target.channel, &credentials) {
                Ok(account) => account.typing(&target).await,
                Err(_) => return,
            }
        }
        _ => return,
    };
    if let Err(error) = outcome {
        tracing::debug!(?error, %conversation, "the contact was not shown the agent typing");
    }
}

/// Delivers one outgoing message through its channel's adapter.
pub async fn deliver(state: &AppState, delivery: &Delivery) -> Result<String, SendError> {
    let credentials = state
        .store
        .channel_credentials(delivery.channel)
        .await
        .map_err(|error| SendError::Retry {
            reason: format!("The channel's settings could not be read ({error})."),
            after: None,
        })?
        .ok_or_else(|| SendError::Permanent {
            reason: "The channel is not connected.".into(),
        })?;
    let mut files = Vec::with_capacity(delivery.message.attachments.len());
    for attachment in &delivery.message.attachments {
        let bytes = crate::attachments::read(state, delivery.workspace, attachment.id)
            .await
            .map_err(|error| SendError::Retry {
                reason: format!("The file {} could not be read ({error}).", attachment.name),
                after: None,
            })?;
        files.push(OutgoingFile {
            name: attachment.name.clone(),
            content_type: attachment.content_type.clone(),
            bytes,
        });
    }
    let mut progress = Progress::new(state, delivery);
    match delivery.channel_kind {
        ChannelKind::Telegram => {
            let bot = telegram::Bot::from_credentials(state, &credentials).map_err(|_| {
                SendError::Permanent {
                    reason: "The channel's settings are damaged; connect it again.".into(),
                }
            })?;
            bot.send(delivery, &files, &mut progress).await
        }
        ChannelKind::Whatsapp => {
            let phone = whatsapp::Phone::from_credentials(state, &credentials).map_err(|_| {
                SendError::Permanent {
                    reason: "The channel's settings are damaged; connect it again.".into(),
                }
            })?;
            phone.send(delivery, &files, &mut progress).await
        }
        ChannelKind::Tiktok => {
            let account = tiktok::Account::for_channel(
                state,
                delivery.workspace,
                delivery.channel,
                &credentials,
            )
            .map_err(|_| SendError::Permanent {
                reason: "The channel's settings are damaged; connect it again.".into(),
            })?;
            account.send(delivery, &files, &mut progress).await
        }
        ChannelKind::Email => {
            let mailbox = email::Mailbox::from_credentials(&credentials, state.mail_trust.clone())
                .map_err(|_| SendError::Permanent {
                    reason: "The channel's settings are damaged; connect it again.".into(),
                })?;
            mailbox.send(delivery, &files, &mut progress).await
        }
        other => Err(SendError::Permanent {
            reason: format!("Sending through {} is not available yet.", other.label()),
        }),
    }
}

/// Whether `hex_digest` is the HMAC-SHA256, keyed with `secret`, of `parts` one after the
/// other; compared in constant time. How WhatsApp and TikTok sign their webhook calls.
pub fn hmac_matches(secret: &str, parts: &[&[u8]], hex_digest: &str) -> bool {
    use hmac::{Hmac, Mac};
    let Ok(digest) = hex::decode(hex_digest) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    for part in parts {
        mac.update(part);
    }
    mac.verify_slice(&digest).is_ok()
}

/// The connected channel of kind `kind` a webhook `key` names, with its credentials; any
/// other key is `Unauthorized` (revealing nothing about which part was wrong).
pub async fn hooked<C: serde::de::DeserializeOwned>(
    state: &AppState,
    key: &str,
    kind: ChannelKind,
) -> Result<(Channel, C), ApiError> {
    let (channel, credentials) = state
        .store
        .hooked_channel(key)
        .await?
        .filter(|(c, _)| c.kind == kind)
        .ok_or(ApiError::Unauthorized)?;
    let credentials = credentials
        .and_then(|c| serde_json::from_str(&c).ok())
        .ok_or(ApiError::Unauthorized)?;
    Ok((channel, credentials))
}

/// What a provider's notification says, parsed by its adapter, before it is stored.
#[derive(Clone, Debug, PartialEq)]
pub enum Inbound {
    /// A contact wrote.
    Message(Box<Incoming>),
    /// A contact changed a message they sent.
    Edit {
        external_id: String,
        content: Content,
    },
    /// How far a message sent to a contact got.
    Status {
        external_id: String,
        status: DeliveryStatus,
        error: Option<String>,
    },
}

/// A message from a contact, in Switchboard's model.
#[derive(Clone, Debug, PartialEq)]
pub struct Incoming {
    /// The contact's id at the provider.
    pub sender: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The message's id at the provider, unique within the channel.
    pub external_id: String,
    /// The provider id of the message it answers.
    pub reply_to: Option<String>,
    /// What to show if its files cannot be fetched (or it has none).
    pub content: Content,
    pub received_at: DateTime<Utc>,
    /// Files to fetch from the provider.
    pub files: Vec<RemoteFile>,
    /// What the message shows once its files are fetched (a chat message: their caption as
    /// text; an e-mail: itself).
    pub with_files: Content,
}

/// A file a provider holds for a message, fetched by the adapter that parsed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteFile {
    /// The provider's id for it.
    pub id: String,
    pub name: String,
}

/// Whether a file address a provider named may receive its access token: HTTPS on one of
/// the provider's `hosts` (or a subdomain), or the configured API's own host (a stand-in
/// serves files there).
pub fn trusted_file_url(url: &str, base: &str, hosts: &[&str]) -> bool {
    let host_of = |u: &str| {
        let rest = u.split_once("://")?.1;
        Some(rest.split(['/', '?']).next()?.to_ascii_lowercase())
    };
    let (Some(host), Some(api_host)) = (host_of(url), host_of(base)) else {
        return false;
    };
    if host == api_host {
        return true;
    }
    let name = host.split(':').next().unwrap_or_default();
    url.starts_with("https://")
        && hosts
            .iter()
            .any(|known| name == *known || name.ends_with(&format!(".{known}")))
}

/// The largest file a contact sends that is kept (as large as agents may upload).
const MAX_KEPT: u64 = switchboard_protocol::validation::MAX_ATTACHMENT_BYTES;

/// Reads a contact's file from a provider's file address (`request`, already addressed and
/// authorized): unreachable or answered with an error is worth retrying, larger than
/// Switchboard keeps is not. `provider` names it in the reasons.
pub async fn download(
    request: reqwest::RequestBuilder,
    provider: &str,
) -> Result<axum::body::Bytes, SendError> {
    let response = request.send().await.map_err(|error| SendError::Retry {
        reason: format!("{provider} could not be reached ({}).", error.without_url()),
        after: None,
    })?;
    if !response.status().is_success() {
        return Err(SendError::Retry {
            reason: format!("{provider} answered {} for a file.", response.status()),
            after: None,
        });
    }
    let too_big = || SendError::Permanent {
        reason: "The file is larger than Switchboard keeps.".into(),
    };
    if response.content_length().is_some_and(|n| n > MAX_KEPT) {
        return Err(too_big());
    }
    let bytes = response.bytes().await.map_err(|error| SendError::Retry {
        reason: format!("The file broke off ({}).", error.without_url()),
        after: None,
    })?;
    if bytes.len() as u64 > MAX_KEPT {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Where an adapter fetches the files of the messages it parsed.
pub trait FileSource {
    fn fetch(
        &self,
        file: &RemoteFile,
    ) -> impl std::future::Future<Output = Result<axum::body::Bytes, SendError>> + Send;
}

/// Fetches a message's files and keeps them; `Ok(None)` (the message then shows its
/// fallback) if one can never be had, an error if one may be had later (the provider then
/// delivers the notification again).
async fn fetch_files(
    state: &AppState,
    channel: &Channel,
    source: &impl FileSource,
    files: &[RemoteFile],
) -> Result<Option<Vec<switchboard_storage::InboundFile>>, ApiError> {
    let mut kept = Vec::with_capacity(files.len());
    for file in files {
        let fetched = match source.fetch(file).await {
            Ok(bytes) => {
                crate::attachments::keep_inbound(state, channel.workspace, &file.name, bytes)
                    .await
                    .map_err(|reason| SendError::Retry {
                        reason,
                        after: None,
                    })
            }
            Err(error) => Err(error),
        };
        let error = match fetched {
            Ok(one) => {
                kept.push(one);
                continue;
            }
            Err(error) => error,
        };
        for one in &kept {
            crate::attachments::forget(state, &one.storage_key).await;
        }
        tracing::warn!(channel = %channel.id, ?error, "a contact's file could not be fetched");
        return match error {
            SendError::Permanent { .. } => Ok(None),
            SendError::Retry { .. } => Err(ApiError::Upstream(
                "A file of this message could not be fetched yet; deliver it again.".into(),
            )),
        };
    }
    Ok(Some(kept))
}

/// Stores what a verified notification said, publishing each change; a repeat stores
/// nothing new. Fails (so the provider retries) if anything could not be stored.
pub async fn store_inbound(
    state: &AppState,
    channel: &Channel,
    source: &impl FileSource,
    items: Vec<Inbound>,
) -> Result<(), ApiError> {
    for item in items {
        match item {
            Inbound::Message(mut m) => {
                let files = if m.files.is_empty() {
                    Vec::new()
                } else {
                    match fetch_files(state, channel, source, &m.files).await? {
                        Some(files) => {
                            m.content = std::mem::replace(&mut m.with_files, Content::Unknown);
                            files
                        }
                        None => Vec::new(),
                    }
                };
                let keys: Vec<String> = files.iter().map(|f| f.storage_key.clone()).collect();
                let received = state
                    .store
                    .receive_message(InboundMessage {
                        workspace: channel.workspace,
                        channel: channel.id,
                        sender: &m.sender,
                        first_name: &m.first_name,
                        last_name: &m.last_name,
                        phone: m.phone.as_deref(),
                        email: m.email.as_deref(),
                        external_id: &m.external_id,
                        reply_to: m.reply_to.as_deref(),
                        content: m.content,
                        received_at: m.received_at,
                        files,
                    })
                    .await;
                match received {
                    Ok(Received::Stored(appended)) => state.publish(appended.event),
                    // A repeat (or a failure) carries no files: drop the bytes kept for it.
                    Ok(Received::Duplicate) => {
                        for key in &keys {
                            crate::attachments::forget(state, key).await;
                        }
                    }
                    Err(error) => {
                        for key in &keys {
                            crate::attachments::forget(state, key).await;
                        }
                        return Err(error.into());
                    }
                }
            }
            Inbound::Edit {
                external_id,
                content,
            } => {
                let event = state
                    .store
                    .edit_received(InboundEdit {
                        workspace: channel.workspace,
                        channel: channel.id,
                        external_id: &external_id,
                        content,
                    })
                    .await?;
                state.publish(event);
            }
            Inbound::Status {
                external_id,
                status,
                error,
            } => {
                let event = state
                    .store
                    .report_delivery(channel.id, &external_id, status, error.as_deref())
                    .await?;
                state.publish(event);
            }
        }
    }
    Ok(())
}

/// A provider's Unix time in seconds; now when it is missing or out of range.
pub fn unix_time(seconds: Option<i64>) -> DateTime<Utc> {
    seconds
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .unwrap_or_else(Utc::now)
}
