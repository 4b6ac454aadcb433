//! The notification centre (O1), Web Push subscriptions (O2) and who is told what (O3).

use crate::ids::*;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::model::string_enum! {
    /// Why a member is told about a conversation.
    pub enum NotificationKind {
        /// A colleague mentioned them in a comment (K7).
        Mention = "mention",
        /// A conversation was assigned to them or to one of their teams (A3).
        Assignment = "assignment",
        /// The contact wrote in a conversation assigned to them; one entry gathers the
        /// messages that arrive until it is read.
        NewMessage = "new_message",
        /// A snoozed conversation of theirs came back (A2, ⏰).
        SnoozeExpired = "snooze_expired",
    }
}

/// The longest text an entry quotes, in characters.
pub const NOTIFICATION_TEXT_CHARS: usize = 200;

/// One entry of the notification centre.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: NotificationId,
    pub kind: NotificationKind,
    pub conversation_id: ConversationId,
    /// The message to open at (C5): the mention, or the newest new message.
    pub message_id: Option<MessageId>,
    pub contact_id: ContactId,
    pub contact_name: String,
    /// The colleague who mentioned or assigned.
    pub actor_name: Option<String>,
    /// The start of the message or comment (empty for assignments and snoozes).
    pub text: String,
    /// How many messages a `new_message` entry gathers (1 otherwise).
    pub count: u32,
    #[serde(deserialize_with = "crate::time::rfc3339")]
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// `GET …/notifications`: the newest entries first, and how many are unread in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationList {
    pub items: Vec<Notification>,
    pub unread: u32,
}

/// Body of `POST …/notifications/read`: these entries, or every entry when `ids` is absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarkNotificationsRead {
    #[serde(default)]
    pub ids: Option<Vec<NotificationId>>,
}

/// What a member wants pushed to their devices, per workspace (O3). The centre always
/// lists everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPreferences {
    pub mentions: bool,
    pub assignments: bool,
    pub new_messages: bool,
    pub snooze_expired: bool,
}

impl Default for NotificationPreferences {
    fn default() -> Self {
        NotificationPreferences {
            mentions: true,
            assignments: true,
            new_messages: true,
            snooze_expired: true,
        }
    }
}

impl NotificationPreferences {
    pub fn pushes(&self, kind: NotificationKind) -> bool {
        match kind {
            NotificationKind::Mention => self.mentions,
            NotificationKind::Assignment => self.assignments,
            NotificationKind::NewMessage => self.new_messages,
            NotificationKind::SnoozeExpired => self.snooze_expired,
        }
    }
}

/// `GET /api/v1/push/key`: the server's VAPID public key, the browser's
/// `applicationServerKey` (an uncompressed P-256 point, base64url without padding).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushKey {
    pub public_key: String,
}

/// A browser's push subscription, as `PushSubscription.toJSON()` gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushSubscriptionRequest {
    pub endpoint: String,
    pub keys: PushSubscriptionKeys,
    /// The language this device's pushes are written in ("en", "ru"; English if absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushSubscriptionKeys {
    /// The subscription's P-256 public key, base64url.
    pub p256dh: String,
    /// The 16-byte authentication secret, base64url.
    pub auth: String,
}

/// Body of `DELETE /api/v1/push/subscriptions`: the subscription this device drops.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushUnsubscribeRequest {
    pub endpoint: String,
}

/// What the service worker receives (decrypted) in a push message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushPayload {
    pub kind: NotificationKind,
    /// One tag per contact: a newer notification about them replaces the older one.
    pub tag: String,
    /// The contact's name.
    pub title: String,
    pub body: String,
    /// The workspace's name, shown as the notification's label.
    pub workspace: String,
    pub workspace_id: WorkspaceId,
    /// Where a click opens (the message's link, C5), relative to the app's origin.
    pub url: String,
    /// An image message's picture, relative to the app's origin.
    pub image: Option<String>,
    /// The quick-reply action, when the member may answer from the notification.
    pub reply: Option<QuickReply>,
    pub notification_id: NotificationId,
}

/// Where and how the service worker posts a quick reply: a `SendMessageRequest` of `kind`
/// (a message to the contact, or a comment answering a mention) to `url`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuickReply {
    pub url: String,
    pub kind: crate::model::MessageKind,
    /// The action's button and its field's hint, in the device's language.
    pub label: String,
    pub placeholder: String,
    /// A reply that could not be sent is told with this title, the reason (`offline` when
    /// there was no connection) and `try_again`.
    pub not_sent: String,
    pub offline: String,
    pub try_again: String,
}

/// The app's address of a message (C5): the thread opens at it.
pub fn message_path(workspace: WorkspaceId, conversation: ConversationId, id: MessageId) -> String {
    format!("/w/{workspace}/c/{conversation}?m={id}")
}

/// The app's address of a conversation.
pub fn conversation_path(workspace: WorkspaceId, conversation: ConversationId) -> String {
    format!("/w/{workspace}/c/{conversation}")
}
