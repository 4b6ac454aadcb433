//! Realtime events on the agent WebSocket (`/api/v1/ws`).
//!
//! Every event carries its workspace's sequence number, gap-free and increasing. A client
//! that reconnects with `since = <last seq applied>` first receives every event it missed, in
//! order, then live ones.

use crate::ids::*;
use crate::model::*;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One change in a workspace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub seq: u64,
    pub workspace_id: WorkspaceId,
    pub at: DateTime<Utc>,
    pub payload: EventPayload,
}

/// What changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventPayload {
    /// A message or comment was added; `conversation` is the row as it is now.
    MessageCreated {
        message: Message,
        conversation: ConversationSummary,
    },
    /// A conversation's row changed (read, status, …).
    ConversationUpdated { conversation: ConversationSummary },
    /// An event kind added after this client was built; the client should reload its views.
    #[serde(other)]
    Unknown,
}

impl EventPayload {
    pub fn conversation(&self) -> Option<&ConversationSummary> {
        match self {
            EventPayload::MessageCreated { conversation, .. }
            | EventPayload::ConversationUpdated { conversation } => Some(conversation),
            EventPayload::Unknown => None,
        }
    }
}

/// A frame the server sends on the agent WebSocket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The socket is ready; `seq` is the newest event sequence number at connection time.
    Hello { seq: u64 },
    /// One event, in sequence order.
    Event { event: Box<Event> },
    /// The events since the client's `since` are no longer available: reload everything,
    /// then continue from `seq`.
    Reset { seq: u64 },
}
