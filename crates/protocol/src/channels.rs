//! Channels as the inbox sees them: what each kind of channel can do (its capabilities drive
//! the composer, K2) and the connected channels listed in settings (T6).

use crate::ids::ChannelId;
use crate::model::ChannelKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a channel can do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelCapabilities {
    /// Replies can quote a message (C4).
    pub reply_to: bool,
    /// The contact can be shown that an agent is typing (C7).
    pub typing: bool,
    /// Free text may only be sent this many hours after the contact's last message; after
    /// that, approved templates only (WhatsApp). `None`: any time.
    pub reply_window_hours: Option<u32>,
    /// Messages carry a subject (e-mail, C9).
    pub subject: bool,
    /// The longest text one message may carry, in characters.
    pub max_text: u32,
    /// The largest file one message may carry, in bytes.
    pub max_file_bytes: u64,
}

impl ChannelKind {
    /// What channels of this kind can do, from the providers' documented limits.
    pub fn capabilities(self) -> ChannelCapabilities {
        const MB: u64 = 1024 * 1024;
        match self {
            ChannelKind::WebsiteChat => ChannelCapabilities {
                reply_to: true,
                typing: true,
                reply_window_hours: None,
                subject: false,
                max_text: 4096,
                max_file_bytes: 20 * MB,
            },
            // Bot API: text up to 4096 characters; bots send files up to 50 MB.
            ChannelKind::Telegram => ChannelCapabilities {
                reply_to: true,
                typing: true,
                reply_window_hours: None,
                subject: false,
                max_text: 4096,
                max_file_bytes: 50 * MB,
            },
            // Cloud API: text up to 4096 characters; documents up to 100 MB.
            ChannelKind::Whatsapp => ChannelCapabilities {
                reply_to: true,
                typing: true,
                reply_window_hours: Some(24),
                subject: false,
                max_text: 4096,
                max_file_bytes: 100 * MB,
            },
            ChannelKind::Tiktok => ChannelCapabilities {
                reply_to: false,
                typing: true,
                reply_window_hours: Some(48),
                subject: false,
                max_text: 6000,
                max_file_bytes: 20 * MB,
            },
            ChannelKind::Email => ChannelCapabilities {
                reply_to: false,
                typing: false,
                reply_window_hours: None,
                subject: true,
                max_text: 100_000,
                max_file_bytes: 25 * MB,
            },
        }
    }

    /// Whether messages to this channel's contacts go out through a provider (and so carry a
    /// delivery status), rather than being read from Switchboard directly.
    pub fn delivers_through_provider(self) -> bool {
        !matches!(self, ChannelKind::WebsiteChat)
    }
}

/// A connected channel as settings list it. Credentials never leave the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelInfo {
    pub id: ChannelId,
    pub kind: ChannelKind,
    pub name: String,
    pub capabilities: ChannelCapabilities,
    /// Where the provider must send this channel's notifications, for providers configured
    /// by hand (WhatsApp: the callback URL in Meta's app dashboard). Owners and managers only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
}

/// A channel the contact of a conversation can be written to (K2): one they wrote from,
/// or an e-mail channel when their address is known. The composer's channel switcher lists
/// them; the conversation's current channel is the last one a message went through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactChannel {
    pub id: ChannelId,
    pub kind: ChannelKind,
    pub name: String,
    /// When the contact last wrote through it (its reply window, if it has one).
    #[serde(default, deserialize_with = "crate::time::rfc3339_option")]
    pub last_incoming_at: Option<DateTime<Utc>>,
}

/// What a check of a connected channel found (T6): whether its provider still takes its
/// credentials, in words an operator can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelCheck {
    pub ok: bool,
    pub message: String,
}

/// An e-mail's HTML with its remote images, fetched by the server when an agent asks
/// (`GET …/messages/{id}/remote-images`) and inlined as `data:` URLs, so the agent's browser
/// never contacts the sender's servers. Images that could not be fetched are left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemoteImages {
    pub html: String,
    /// Images now shown.
    pub loaded: u32,
    /// Images that could not be fetched (unreachable, too large, not an image, or on a
    /// private network).
    pub failed: u32,
}

/// Connects a Telegram bot (T6): the token BotFather gave. The server checks it with the
/// Bot API (`getMe`) and registers its webhook before anything is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConnectTelegram {
    /// The name agents see; the bot's own name when empty.
    #[serde(default)]
    pub name: String,
    pub bot_token: String,
}

/// Connects a WhatsApp Business phone number (Cloud API, T6). The server checks the number
/// id and token with the Graph API before anything is stored; the answer's `webhook_url`
/// and the `verify_token` chosen here go into Meta's app dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConnectWhatsapp {
    /// The name agents see; the number's verified name when empty.
    #[serde(default)]
    pub name: String,
    pub phone_number_id: String,
    pub access_token: String,
    /// The Meta app's secret, which signs every notification.
    pub app_secret: String,
    /// Any string; Meta repeats it when it verifies the webhook.
    pub verify_token: String,
    /// The WhatsApp Business Account the number belongs to, whose approved message templates
    /// agents may send outside the 24-hour window. Without it, no templates are offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_account_id: Option<String>,
}

/// Connects a TikTok business account (TikTok API for Business, Business Messaging, T6).
///
/// Switchboard does not run TikTok's OAuth flow: the manager pastes the account's business
/// id (the `open_id` TikTok's token call returns), an access token for it and the TikTok
/// app's secret. The server checks the id and token with TikTok (`business/get/`) before
/// anything is stored; the answer's `webhook_url` is where the app's `DIRECT_MESSAGE`
/// webhook must point.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConnectTiktok {
    /// The name agents see; the account's display name (or username) when empty.
    #[serde(default)]
    pub name: String,
    /// The business account's `open_id`.
    pub business_id: String,
    pub access_token: String,
    /// The TikTok app's secret, which signs every webhook call (`Tiktok-Signature`).
    pub app_secret: String,
    /// The TikTok app's id (`client_id`) and the account's refresh token: with both, the
    /// access token (which lasts a day) is renewed when it expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// The token and the secret stay out of logs.
impl std::fmt::Debug for ConnectTiktok {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectTiktok")
            .field("name", &self.name)
            .field("business_id", &self.business_id)
            .finish_non_exhaustive()
    }
}

/// How a mail server connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MailSecurity {
    /// TLS from the first byte (IMAP 993, SMTP 465).
    Tls,
    /// Plain first, then upgraded with STARTTLS (SMTP 587, IMAP 143); refused if the server
    /// does not offer it.
    StartTls,
    /// No encryption: only for servers on the same host or a private network.
    None,
}

/// One mail server: where it is and how the connection is secured.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MailServer {
    pub host: String,
    pub port: u16,
    pub security: MailSecurity,
}

/// Connects a mailbox (T6): mail is read from its inbox over IMAP and answers are sent over
/// SMTP, both with the same login. The server logs in to both before anything is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConnectEmail {
    /// The name agents see; the address when empty.
    #[serde(default)]
    pub name: String,
    /// The address answers come from.
    pub address: String,
    pub username: String,
    pub password: String,
    pub imap: MailServer,
    pub smtp: MailServer,
}
