//! The website-chat visitor API under `/api/v1/chat/{key}`: what a visitor's page sends and
//! receives. Visitors never see internal comments, agent ids or other contacts.

use crate::ids::*;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /api/v1/chat/{key}`: how the chat page introduces itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatInfo {
    /// The chat's name, as the workspace named the channel.
    pub title: String,
    pub greeting: String,
}

/// `POST /api/v1/chat/{key}/visitors`: a new anonymous visitor identity. The page keeps the
/// token (in localStorage) and sends it as `Authorization: Bearer …` (or `?token=` on the
/// WebSocket).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitorSession {
    pub token: String,
}

/// Who wrote a message the visitor sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VisitorAuthor {
    /// The visitor.
    Visitor,
    /// Someone of the team (agent, bot, workflow, AI Agent).
    Team,
}

/// A message as the visitor sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitorMessage {
    pub id: MessageId,
    pub client_id: Option<String>,
    pub author: VisitorAuthor,
    /// The team member's first name, for team messages.
    pub author_name: Option<String>,
    pub text: String,
    #[serde(deserialize_with = "crate::time::rfc3339")]
    pub created_at: DateTime<Utc>,
    /// Files the team sent with it, fetched from `/api/v1/chat/{key}/attachments/{id}` with
    /// the visitor's token.
    #[serde(default)]
    pub files: Vec<VisitorFile>,
}

/// A file of a message, as the visitor sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitorFile {
    pub id: AttachmentId,
    pub name: String,
    pub content_type: String,
    pub size: u64,
}

/// `POST /api/v1/chat/{key}/messages`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitorSendRequest {
    pub client_id: String,
    pub text: String,
}

/// A frame on the visitor WebSocket (`/api/v1/chat/{key}/ws?token=…`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisitorFrame {
    /// The socket is ready: messages sent from now on arrive here; reload the list to catch
    /// up on anything sent while disconnected.
    Hello,
    Message {
        message: VisitorMessage,
    },
}
