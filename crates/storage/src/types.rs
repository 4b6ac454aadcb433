//! Inputs and outputs of [`crate::Store`] that are not wire types.

use chrono::{DateTime, Utc};
use switchboard_protocol::events::Event;
use switchboard_protocol::*;

/// A user to add; `password_hash` is a PHC string (argon2), never a password.
#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
}

/// What a login checks against.
#[derive(Clone)]
pub struct UserCredentials {
    pub user: User,
    pub password_hash: String,
}

impl std::fmt::Debug for UserCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserCredentials")
            .field("user", &self.user)
            .field("password_hash", &"<hidden>")
            .finish()
    }
}

/// A session to store; only the hash of the cookie's token is kept.
#[derive(Clone, Debug)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A channel to add.
#[derive(Clone, Debug)]
pub struct NewChannel<'a> {
    pub workspace: WorkspaceId,
    pub kind: ChannelKind,
    pub name: &'a str,
    /// The unguessable key of public endpoints (website chat), if the kind has them.
    pub public_key: Option<&'a str>,
}

/// A connected channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    pub id: ChannelId,
    pub workspace: WorkspaceId,
    pub kind: ChannelKind,
    pub name: String,
    pub public_key: Option<String>,
}

/// A contact to add, with the channel its conversation starts on.
#[derive(Clone, Debug)]
pub struct NewContact<'a> {
    pub workspace: WorkspaceId,
    pub channel: ChannelId,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub created_at: DateTime<Utc>,
}

/// An anonymous website-chat visitor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visitor {
    pub id: i64,
    pub channel: Channel,
    /// Set once the visitor has written.
    pub conversation: Option<ConversationId>,
}

/// A message or comment to store.
#[derive(Clone, Debug)]
pub struct NewMessage {
    pub workspace: WorkspaceId,
    pub conversation: ConversationId,
    pub client_id: Option<String>,
    pub kind: MessageKind,
    pub direction: Direction,
    pub sender_kind: SenderKind,
    /// The agent, when the sender is one.
    pub sender_user: Option<UserId>,
    pub content: Content,
    pub delivery_status: Option<DeliveryStatus>,
    pub created_at: DateTime<Utc>,
}

/// The result of [`crate::Store::append_message`].
#[derive(Clone, Debug)]
pub struct Appended {
    pub message: Message,
    pub conversation: ConversationSummary,
    /// `None` when the `client_id` was already stored and nothing changed.
    pub event: Option<Event>,
}

/// A conversation's new state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusChange {
    Open,
    Closed,
    Snoozed { until: DateTime<Utc> },
}

impl StatusChange {
    pub fn status(self) -> ConversationStatus {
        match self {
            StatusChange::Open => ConversationStatus::Open,
            StatusChange::Closed => ConversationStatus::Closed,
            StatusChange::Snoozed { .. } => ConversationStatus::Snoozed,
        }
    }

    pub fn snoozed_until(self) -> Option<DateTime<Utc>> {
        match self {
            StatusChange::Snoozed { until } => Some(until),
            _ => None,
        }
    }
}

/// "Event `seq` of `workspace` was committed elsewhere."
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventNotice {
    pub workspace: WorkspaceId,
    pub seq: u64,
}

/// See [`crate::Store::foreign_events`].
pub type EventFeed = tokio::sync::mpsc::Receiver<EventNotice>;

/// A page request of a keyset-paginated list.
#[derive(Clone, Copy, Debug)]
pub struct PageRequest<C> {
    pub after: Option<C>,
    pub limit: u32,
}
