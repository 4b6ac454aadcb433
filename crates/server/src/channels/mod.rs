//! Provider channels (CH): one adapter per provider behind [`Adapter`] — parsing what the
//! provider sends into the one message model, sending agents' messages — plus the outbox
//! worker that delivers them ([`outbox`]) and the settings routes that connect and
//! disconnect channels ([`settings`], T6).
//!
//! Providers are reached over HTTP at base URLs from the configuration, so tests and staging
//! point them at their own servers. Credentials live in the store, are read only here, and
//! never reach clients or logs.

#[cfg(test)]
mod fuzzing;
pub mod outbox;
pub mod settings;
pub mod telegram;
pub mod whatsapp;

use crate::error::ApiError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use std::time::Duration;
use switchboard_protocol::{ChannelKind, Content, DeliveryStatus};
use switchboard_storage::{Channel, Delivery, InboundEdit, InboundMessage, Received};

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

/// One provider's side of the channel model.
pub trait Adapter {
    /// Sends one outgoing message; the provider's id for it on success.
    fn send(
        &self,
        delivery: &Delivery,
    ) -> impl std::future::Future<Output = Result<String, SendError>> + Send;
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
    match delivery.channel_kind {
        ChannelKind::Telegram => {
            let bot = telegram::Bot::from_credentials(state, &credentials).map_err(|_| {
                SendError::Permanent {
                    reason: "The channel's settings are damaged; connect it again.".into(),
                }
            })?;
            bot.send(delivery).await
        }
        ChannelKind::Whatsapp => {
            let phone = whatsapp::Phone::from_credentials(state, &credentials).map_err(|_| {
                SendError::Permanent {
                    reason: "The channel's settings are damaged; connect it again.".into(),
                }
            })?;
            phone.send(delivery).await
        }
        other => Err(SendError::Permanent {
            reason: format!("Sending through {} is not available yet.", other.label()),
        }),
    }
}

/// What a provider's notification says, parsed by its adapter, before it is stored.
#[derive(Clone, Debug, PartialEq)]
pub enum Inbound {
    /// A contact wrote.
    Message(Incoming),
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
    /// The message's id at the provider, unique within the channel.
    pub external_id: String,
    /// The provider id of the message it answers.
    pub reply_to: Option<String>,
    pub content: Content,
    pub received_at: DateTime<Utc>,
}

/// Stores what a verified notification said, publishing each change; a repeat stores
/// nothing new. Fails (so the provider retries) if anything could not be stored.
pub async fn store_inbound(
    state: &AppState,
    channel: &Channel,
    items: Vec<Inbound>,
) -> Result<(), ApiError> {
    for item in items {
        match item {
            Inbound::Message(m) => {
                let received = state
                    .store
                    .receive_message(InboundMessage {
                        workspace: channel.workspace,
                        channel: channel.id,
                        sender: &m.sender,
                        first_name: &m.first_name,
                        last_name: &m.last_name,
                        phone: m.phone.as_deref(),
                        email: None,
                        external_id: &m.external_id,
                        reply_to: m.reply_to.as_deref(),
                        content: m.content,
                        received_at: m.received_at,
                    })
                    .await?;
                if let Received::Stored(appended) = received {
                    state.publish(appended.event);
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
