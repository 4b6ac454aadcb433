//! Rows as both SQL backends read them (sqlx `FromRow`, generic over the database), their
//! conversion into storage and protocol types, and sqlx errors into `StoreError`. The SQL
//! itself stays in each backend; both store times as microseconds since the epoch and ids as
//! 64-bit integers, so one set of rows serves both.

use crate::{Channel, StoreError, StoreResult, Visitor};
use chrono::{DateTime, Utc};
use switchboard_protocol::events::Event;
use switchboard_protocol::*;

/// Times are stored as microseconds since the epoch.
pub fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

pub fn time(micros: i64) -> StoreResult<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros)
        .ok_or_else(|| StoreError::Corrupt(format!("time out of range: {micros}")))
}

pub fn db_err(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db)
            if db.is_unique_violation()
                || db.is_foreign_key_violation()
                || db.is_check_violation() =>
        {
            StoreError::Conflict {
                constraint: db.constraint().unwrap_or(db.message()).to_owned(),
            }
        }
        other => StoreError::Backend(Box::new(other)),
    }
}

pub fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what}: {value:?}"))
}

pub fn membership((id, name, role): (i64, String, String)) -> StoreResult<WorkspaceMembership> {
    Ok(WorkspaceMembership {
        id: WorkspaceId(id),
        name,
        role: Role::parse(&role).ok_or_else(|| corrupt("role", &role))?,
    })
}

pub fn event(workspace: WorkspaceId, seq: i64, at: i64, payload: &str) -> StoreResult<Event> {
    Ok(Event {
        seq: seq as u64,
        workspace_id: workspace,
        at: time(at)?,
        payload: serde_json::from_str(payload)
            .map_err(|e| StoreError::Corrupt(format!("event {seq}: {e}")))?,
    })
}

#[derive(sqlx::FromRow)]
pub struct ChannelRow {
    id: i64,
    workspace_id: i64,
    kind: String,
    name: String,
    public_key: Option<String>,
}

impl ChannelRow {
    pub fn into_channel(self) -> StoreResult<Channel> {
        Ok(Channel {
            id: ChannelId(self.id),
            workspace: WorkspaceId(self.workspace_id),
            kind: ChannelKind::parse(&self.kind)
                .ok_or_else(|| corrupt("channel kind", &self.kind))?,
            name: self.name,
            public_key: self.public_key,
        })
    }
}

/// A row of `queries::CONVERSATION_SELECT`.
#[derive(sqlx::FromRow)]
pub struct ConversationRow {
    id: i64,
    workspace_id: i64,
    status: String,
    last_activity_at: i64,
    unread_count: i64,
    snoozed_until: Option<i64>,
    contact_id: i64,
    first_name: String,
    last_name: String,
    email: Option<String>,
    phone: Option<String>,
    channel_kind: String,
    last_kind: Option<String>,
    last_direction: Option<String>,
    last_content: Option<String>,
}

impl ConversationRow {
    pub fn into_summary(self) -> StoreResult<ConversationSummary> {
        let last_message = match (self.last_kind, self.last_direction, self.last_content) {
            (Some(kind), Some(direction), Some(content)) => Some(MessagePreview {
                kind: MessageKind::parse(&kind).ok_or_else(|| corrupt("message kind", &kind))?,
                direction: Direction::parse(&direction)
                    .ok_or_else(|| corrupt("direction", &direction))?,
                text: content_from_json(&content)?.preview_text(),
            }),
            _ => None,
        };
        Ok(ConversationSummary {
            id: ConversationId(self.id),
            workspace_id: WorkspaceId(self.workspace_id),
            contact: ContactSummary {
                id: ContactId(self.contact_id),
                first_name: self.first_name,
                last_name: self.last_name,
                email: self.email,
                phone: self.phone,
            },
            status: ConversationStatus::parse(&self.status)
                .ok_or_else(|| corrupt("status", &self.status))?,
            channel: ChannelKind::parse(&self.channel_kind)
                .ok_or_else(|| corrupt("channel kind", &self.channel_kind))?,
            last_message,
            last_activity_at: time(self.last_activity_at)?,
            unread_count: u32::try_from(self.unread_count).unwrap_or(0),
            snoozed_until: self.snoozed_until.map(time).transpose()?,
        })
    }
}

/// A row of `queries::MESSAGE_SELECT`.
#[derive(sqlx::FromRow)]
pub struct MessageRow {
    id: i64,
    conversation_id: i64,
    client_id: Option<String>,
    kind: String,
    direction: String,
    sender_kind: String,
    sender_user_id: Option<i64>,
    sender_user_name: Option<String>,
    contact_id: i64,
    first_name: String,
    last_name: String,
    channel_kind: String,
    content: String,
    delivery_status: Option<String>,
    created_at: i64,
}

impl MessageRow {
    pub fn into_message(self) -> StoreResult<Message> {
        let sender_kind = SenderKind::parse(&self.sender_kind)
            .ok_or_else(|| corrupt("sender kind", &self.sender_kind))?;
        let name = match sender_kind {
            SenderKind::Contact => ContactSummary {
                id: ContactId(self.contact_id),
                first_name: self.first_name,
                last_name: self.last_name,
                email: None,
                phone: None,
            }
            .display_name(),
            SenderKind::Agent => self
                .sender_user_name
                .unwrap_or_else(|| "Former member".to_owned()),
            SenderKind::AiAgent => "AI Agent".to_owned(),
            SenderKind::Workflow => "Workflow".to_owned(),
            SenderKind::Bot => "Bot".to_owned(),
        };
        let delivery_status = match self.delivery_status {
            Some(s) => {
                Some(DeliveryStatus::parse(&s).ok_or_else(|| corrupt("delivery status", &s))?)
            }
            None => None,
        };
        Ok(Message {
            id: MessageId(self.id),
            conversation_id: ConversationId(self.conversation_id),
            client_id: self.client_id,
            kind: MessageKind::parse(&self.kind)
                .ok_or_else(|| corrupt("message kind", &self.kind))?,
            direction: Direction::parse(&self.direction)
                .ok_or_else(|| corrupt("direction", &self.direction))?,
            sender: Sender {
                kind: sender_kind,
                name,
                user_id: self.sender_user_id.map(UserId),
            },
            channel: ChannelKind::parse(&self.channel_kind)
                .ok_or_else(|| corrupt("channel kind", &self.channel_kind))?,
            content: content_from_json(&self.content)?,
            delivery_status,
            created_at: time(self.created_at)?,
        })
    }
}

pub fn content_to_json(content: &Content) -> StoreResult<String> {
    serde_json::to_string(content).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn content_from_json(json: &str) -> StoreResult<Content> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("message content: {e}")))
}

/// A row of a visitor joined with its channel and conversation.
pub type VisitorRow = (i64, i64, i64, String, String, Option<String>, Option<i64>);

pub fn visitor(row: VisitorRow) -> StoreResult<Visitor> {
    let (id, channel, workspace, kind, name, public_key, conversation) = row;
    Ok(Visitor {
        id,
        channel: Channel {
            id: ChannelId(channel),
            workspace: WorkspaceId(workspace),
            kind: ChannelKind::parse(&kind).ok_or_else(|| corrupt("channel kind", &kind))?,
            name,
            public_key,
        },
        conversation: conversation.map(ConversationId),
    })
}
