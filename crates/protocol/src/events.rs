//! Realtime events on the agent WebSocket (`/api/v1/ws`).
//!
//! Every event carries its workspace's sequence number, gap-free and increasing. A client
//! that reconnects with `since = <last seq applied>` first receives every event it missed, in
//! order, then live ones.

use crate::ids::*;
use crate::model::*;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::model::string_enum! {
    /// A part of a workspace's configuration.
    pub enum WorkspacePart {
        Settings = "settings",
        Members = "members",
        Teams = "teams",
        CustomFields = "custom_fields",
        CustomInboxes = "custom_inboxes",
        Snippets = "snippets",
    }
}

/// One change in a workspace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub seq: u64,
    pub workspace_id: WorkspaceId,
    #[serde(deserialize_with = "crate::time::rfc3339")]
    pub at: DateTime<Utc>,
    pub payload: EventPayload,
}

/// What changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
// Events are short-lived and mostly `MessageCreated`; boxing would only add indirection.
#[allow(clippy::large_enum_variant)]
pub enum EventPayload {
    /// A message or comment was added; `conversation` is the row as it is now.
    MessageCreated {
        message: Message,
        conversation: ConversationSummary,
    },
    /// A stored message changed: its delivery status (C1) or, for an edited incoming
    /// message, its content. Replace it where it is shown.
    MessageUpdated {
        message: Message,
        conversation: ConversationSummary,
    },
    /// A conversation's row changed (read, status, …).
    ConversationUpdated { conversation: ConversationSummary },
    /// The conversation is no longer visible to this member (its contact was blocked and
    /// they may not view blocked contacts): drop it from views.
    ConversationHidden { conversation_id: ConversationId },
    /// Workspace configuration changed (settings, members, teams, custom fields or custom
    /// inboxes): views showing that part reload it.
    WorkspaceChanged { part: WorkspacePart },
    /// An event kind added after this client was built; the client should reload its views.
    #[serde(other)]
    Unknown,
}

impl EventPayload {
    pub fn conversation(&self) -> Option<&ConversationSummary> {
        match self {
            EventPayload::MessageCreated { conversation, .. }
            | EventPayload::MessageUpdated { conversation, .. }
            | EventPayload::ConversationUpdated { conversation } => Some(conversation),
            EventPayload::ConversationHidden { .. }
            | EventPayload::WorkspaceChanged { .. }
            | EventPayload::Unknown => None,
        }
    }
}

impl Event {
    /// The event as a member with `permissions` may receive it: conversations they may not
    /// see become `ConversationHidden`, phone numbers are removed for masked members.
    pub fn for_member(&self, permissions: Permissions) -> Event {
        let payload = match &self.payload {
            EventPayload::MessageCreated { conversation, .. }
            | EventPayload::MessageUpdated { conversation, .. }
            | EventPayload::ConversationUpdated { conversation }
                if !conversation.visible_to(permissions) =>
            {
                EventPayload::ConversationHidden {
                    conversation_id: conversation.id,
                }
            }
            EventPayload::MessageCreated {
                message,
                conversation,
            } => EventPayload::MessageCreated {
                message: message.clone(),
                conversation: conversation.clone().masked_for(permissions),
            },
            EventPayload::MessageUpdated {
                message,
                conversation,
            } => EventPayload::MessageUpdated {
                message: message.clone(),
                conversation: conversation.clone().masked_for(permissions),
            },
            EventPayload::ConversationUpdated { conversation } => {
                EventPayload::ConversationUpdated {
                    conversation: conversation.clone().masked_for(permissions),
                }
            }
            other => other.clone(),
        };
        Event {
            seq: self.seq,
            workspace_id: self.workspace_id,
            at: self.at,
            payload,
        }
    }
}

/// A frame the server sends on the agent WebSocket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The socket is ready; `seq` is the newest event sequence number at connection time.
    Hello { seq: u64 },
    /// One event, in sequence order.
    Event { event: Box<Event> },
    /// The events since the client's `since` are no longer available: reload everything,
    /// then continue from `seq`.
    Reset { seq: u64 },
    /// Another agent is typing in a conversation (or stopped). Not an event: no `seq`, not
    /// replayed. Show it until `active` is false or [`TYPING_EXPIRES_MS`] pass without another.
    Typing(Typing),
    /// A frame kind added after this client was built: ignore it.
    #[serde(other)]
    Unknown,
}

/// The response header of the conversation list (`GET /workspaces/{ws}/conversations`): the
/// newest event sequence number when the list was read. A socket that follows from it
/// (`/ws?since=`) misses nothing the list does not show.
pub const SEQ_HEADER: &str = "switchboard-seq";

/// A typing signal shows this long unless renewed (clients renew it every
/// [`TYPING_RENEW_MS`] while the agent keeps typing).
pub const TYPING_EXPIRES_MS: u32 = 6_000;
/// How often a client repeats `typing` while its agent keeps typing.
pub const TYPING_RENEW_MS: u32 = 3_000;

/// Who is typing where (C7).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Typing {
    pub conversation_id: ConversationId,
    pub user_id: UserId,
    pub name: String,
    /// A message to the contact, or a comment for the team.
    pub kind: MessageKind,
    /// `false`: they stopped (sent, cleared the composer or left the conversation).
    pub active: bool,
}

/// A frame the client sends on the agent WebSocket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// The agent is typing in the conversation's composer: repeat every
    /// [`TYPING_RENEW_MS`] while typing continues.
    Typing {
        conversation_id: ConversationId,
        kind: MessageKind,
    },
    /// The agent stopped typing there.
    TypingStopped { conversation_id: ConversationId },
}
