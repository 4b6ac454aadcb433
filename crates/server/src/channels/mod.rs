//! Provider channels (CH): one adapter per provider behind [`Adapter`] — parsing what the
//! provider sends into the one message model, sending agents' messages — plus the outbox
//! worker that delivers them ([`outbox`]) and the settings routes that connect and
//! disconnect channels ([`settings`], T6).
//!
//! Providers are reached over HTTP at base URLs from the configuration, so tests and staging
//! point them at their own servers. Credentials live in the store, are read only here, and
//! never reach clients or logs.

pub mod outbox;
pub mod settings;
pub mod telegram;
pub mod whatsapp;

use crate::state::AppState;
use std::time::Duration;
use switchboard_protocol::ChannelKind;
use switchboard_storage::Delivery;

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
