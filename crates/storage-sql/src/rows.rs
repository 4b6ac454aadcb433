//! Rows as both databases return them (sqlx `FromRow`, derived generically), their conversion
//! into storage and protocol types, and sqlx errors into `StoreError`. Both databases store
//! ids as 64-bit integers and times as microseconds since the epoch, so one set of rows
//! serves both.

use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use switchboard_protocol::contacts::{CustomField, FieldKind};
use switchboard_protocol::events::Event;
use switchboard_protocol::*;
use switchboard_storage::{AttachmentRecord, Channel, StoreError, StoreResult, Visitor};

/// A row type both databases can decode.
pub trait Row:
    for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> Row for T where
    T: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin
{
}

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

fn parse<T>(what: &str, value: &str, parse: impl Fn(&str) -> Option<T>) -> StoreResult<T> {
    parse(value).ok_or_else(|| corrupt(what, value))
}

/// `SELECT w.id, w.name, m.role, m.view_blocked, m.phone_masked`.
pub type MembershipRow = (i64, String, String, bool, bool);

pub fn membership(row: MembershipRow) -> StoreResult<WorkspaceMembership> {
    let (id, name, role, view_blocked, phone_masked) = row;
    Ok(WorkspaceMembership {
        id: WorkspaceId(id),
        name,
        role: parse("role", &role, Role::parse)?,
        permissions: Permissions {
            view_blocked,
            phone_masked,
        },
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

/// A channel with its credentials.
#[derive(sqlx::FromRow)]
pub struct HookedRow {
    #[sqlx(flatten)]
    pub channel: ChannelRow,
    pub credentials: Option<String>,
}

impl ChannelRow {
    pub fn into_channel(self) -> StoreResult<Channel> {
        Ok(Channel {
            id: ChannelId(self.id),
            workspace: WorkspaceId(self.workspace_id),
            kind: parse("channel kind", &self.kind, ChannelKind::parse)?,
            name: self.name,
            public_key: self.public_key,
        })
    }
}

/// `SELECT id, label, kind, options FROM custom_fields`.
pub type CustomFieldRow = (i64, String, String, String);

pub fn custom_field((id, label, kind, options): CustomFieldRow) -> StoreResult<CustomField> {
    Ok(CustomField {
        id: CustomFieldId(id),
        label,
        kind: parse("field kind", &kind, FieldKind::parse)?,
        options: serde_json::from_str(&options)
            .map_err(|e| StoreError::Corrupt(format!("field options: {e}")))?,
    })
}

/// The columns of a contact summary, as `ContactRow` reads them.
pub const CONTACT_COLUMNS: &str =
    "ct.id AS contact_id, ct.first_name, ct.last_name, ct.email, ct.phone, ct.blocked";

#[derive(sqlx::FromRow)]
pub struct ContactRow {
    contact_id: i64,
    first_name: String,
    last_name: String,
    email: Option<String>,
    phone: Option<String>,
    blocked: bool,
}

impl ContactRow {
    pub fn into_summary(self) -> ContactSummary {
        ContactSummary {
            id: ContactId(self.contact_id),
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            phone: self.phone,
            phone_masked: false,
            blocked: self.blocked,
        }
    }
}

/// A row of `queries::CONVERSATION_SELECT`.
#[derive(sqlx::FromRow)]
pub struct ConversationRow {
    id: i64,
    workspace_id: i64,
    status: String,
    status_since: i64,
    last_activity_at: i64,
    unread_count: i64,
    snoozed_until: Option<i64>,
    last_incoming_at: Option<i64>,
    last_reply_at: Option<i64>,
    assignee_user_id: Option<i64>,
    assignee_user_name: Option<String>,
    assignee_team_id: Option<i64>,
    assignee_team_name: Option<String>,
    assignee_ai: bool,
    dialogflow_bot: bool,
    #[sqlx(flatten)]
    contact: ContactRow,
    channel_id: i64,
    channel_kind: String,
    last_kind: Option<String>,
    last_direction: Option<String>,
    last_content: Option<String>,
    /// How many files the newest message carries, and the first one's name.
    last_attachments: i64,
    last_attachment_name: Option<String>,
}

impl ConversationRow {
    pub fn into_summary(self) -> StoreResult<ConversationSummary> {
        let last_message = match (self.last_kind, self.last_direction, self.last_content) {
            (Some(kind), Some(direction), Some(content)) => Some(MessagePreview {
                kind: parse("message kind", &kind, MessageKind::parse)?,
                direction: parse("direction", &direction, Direction::parse)?,
                text: preview_text(
                    &content_from_json(&content)?,
                    self.last_attachments,
                    self.last_attachment_name.as_deref(),
                ),
            }),
            _ => None,
        };
        let assignee = match (
            self.assignee_user_id,
            self.assignee_team_id,
            self.assignee_ai,
        ) {
            (Some(id), _, _) => Some(Assignee::User {
                id: UserId(id),
                name: self.assignee_user_name.unwrap_or_default(),
            }),
            (None, Some(id), _) => Some(Assignee::Team {
                id: TeamId(id),
                name: self.assignee_team_name.unwrap_or_default(),
            }),
            (None, None, true) => Some(Assignee::AiAgent),
            (None, None, false) => None,
        };
        Ok(ConversationSummary {
            id: ConversationId(self.id),
            workspace_id: WorkspaceId(self.workspace_id),
            contact: self.contact.into_summary(),
            status: parse("status", &self.status, ConversationStatus::parse)?,
            channel: parse("channel kind", &self.channel_kind, ChannelKind::parse)?,
            channel_id: ChannelId(self.channel_id),
            last_message,
            last_activity_at: time(self.last_activity_at)?,
            unread_count: u32::try_from(self.unread_count).unwrap_or(0),
            snoozed_until: self.snoozed_until.map(time).transpose()?,
            status_since: time(self.status_since)?,
            assignee,
            last_incoming_at: self.last_incoming_at.map(time).transpose()?,
            awaiting_reply: awaiting_reply(self.last_incoming_at, self.last_reply_at),
            dialogflow_bot: self.dialogflow_bot,
        })
    }
}

/// A message's preview text from its content and files, as [`Message::preview`] words it
/// (the list reads only the count of files and the first one's name, not every file).
fn preview_text(content: &Content, files: i64, first: Option<&str>) -> String {
    let text = content.preview_text();
    match (files, first) {
        (0, _) | (_, None) => text,
        _ if !text.trim().is_empty() => format!("📎 {text}"),
        (1, Some(name)) => format!("📎 {name}"),
        (many, _) => format!("📎 {many} files"),
    }
}

/// The address of an attachment's bytes; the only place it is built.
pub fn attachment_url(workspace: WorkspaceId, id: AttachmentId) -> String {
    switchboard_protocol::attachment_url(workspace, id)
}

/// The columns `AttachmentRow` reads, of `attachments a`.
pub const ATTACHMENT_COLUMNS: &str =
    "a.id, a.workspace_id, a.name, a.content_type, a.size, a.message_id";

/// A row of `attachments`, as messages carry it.
#[derive(sqlx::FromRow)]
pub struct AttachmentRow {
    id: i64,
    workspace_id: i64,
    name: String,
    content_type: String,
    size: i64,
    message_id: Option<i64>,
}

impl AttachmentRow {
    pub fn message_id(&self) -> Option<i64> {
        self.message_id
    }

    pub fn into_attachment(self) -> StoreResult<Attachment> {
        let id = AttachmentId(self.id);
        Ok(Attachment {
            id,
            url: attachment_url(WorkspaceId(self.workspace_id), id),
            name: self.name,
            content_type: self.content_type,
            size: u64::try_from(self.size)
                .map_err(|_| StoreError::Corrupt(format!("attachment {id} size {}", self.size)))?,
        })
    }
}

/// An attachment with its uploader, conversation (once sent) and storage key.
#[derive(sqlx::FromRow)]
pub struct AttachmentRecordRow {
    #[sqlx(flatten)]
    attachment: AttachmentRow,
    uploader_id: Option<i64>,
    conversation_id: Option<i64>,
    message_kind: Option<String>,
    snippet_id: Option<i64>,
    storage_key: String,
}

impl AttachmentRecordRow {
    pub fn into_record(self) -> StoreResult<AttachmentRecord> {
        Ok(AttachmentRecord {
            attachment: self.attachment.into_attachment()?,
            uploader: self.uploader_id.map(UserId),
            conversation: self.conversation_id.map(ConversationId),
            kind: self
                .message_kind
                .map(|k| parse("message kind", &k, MessageKind::parse))
                .transpose()?,
            snippet: self.snippet_id.map(SnippetId),
            storage_key: self.storage_key,
        })
    }
}

/// The newest incoming message has no reply after it.
pub fn awaiting_reply(last_incoming: Option<i64>, last_reply: Option<i64>) -> bool {
    match (last_incoming, last_reply) {
        (Some(incoming), Some(reply)) => reply < incoming,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

fn sender_name(kind: SenderKind, user_name: Option<String>, contact: &ContactSummary) -> String {
    match kind {
        SenderKind::Contact => contact.display_name(),
        SenderKind::Agent => user_name.unwrap_or_else(|| "Former member".to_owned()),
        SenderKind::AiAgent => "AI Agent".to_owned(),
        SenderKind::Workflow => "Workflow".to_owned(),
        SenderKind::Bot => "Dialogflow bot".to_owned(),
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
    #[sqlx(flatten)]
    contact: ContactRow,
    channel_kind: String,
    content: String,
    delivery_status: Option<String>,
    delivery_error: Option<String>,
    created_at: i64,
    original_text: Option<String>,
    reply_id: Option<i64>,
    reply_direction: Option<String>,
    reply_sender_kind: Option<String>,
    reply_user_name: Option<String>,
    reply_content: Option<String>,
}

impl MessageRow {
    pub fn into_message(
        self,
        mentions: Vec<UserId>,
        attachments: Vec<Attachment>,
    ) -> StoreResult<Message> {
        Ok(self.into_message_and_contact(mentions, attachments)?.0)
    }

    /// The message with its mentions and files (in order), and its conversation's contact.
    pub fn into_message_and_contact(
        self,
        mentions: Vec<UserId>,
        attachments: Vec<Attachment>,
    ) -> StoreResult<(Message, ContactSummary)> {
        let contact = self.contact.into_summary();
        let sender_kind = parse("sender kind", &self.sender_kind, SenderKind::parse)?;
        let reply_to = match (
            self.reply_id,
            self.reply_direction,
            self.reply_sender_kind,
            self.reply_content,
        ) {
            (Some(id), Some(direction), Some(kind), Some(content)) => Some(ReplyPreview {
                id: MessageId(id),
                direction: parse("direction", &direction, Direction::parse)?,
                sender_name: sender_name(
                    parse("sender kind", &kind, SenderKind::parse)?,
                    self.reply_user_name,
                    &contact,
                ),
                text: content_from_json(&content)?.preview_text(),
            }),
            _ => None,
        };
        let message = Message {
            id: MessageId(self.id),
            conversation_id: ConversationId(self.conversation_id),
            client_id: self.client_id,
            kind: parse("message kind", &self.kind, MessageKind::parse)?,
            direction: parse("direction", &self.direction, Direction::parse)?,
            sender: Sender {
                kind: sender_kind,
                name: sender_name(sender_kind, self.sender_user_name, &contact),
                user_id: self.sender_user_id.map(UserId),
            },
            channel: parse("channel kind", &self.channel_kind, ChannelKind::parse)?,
            content: content_from_json(&self.content)?,
            delivery_status: self
                .delivery_status
                .map(|s| parse("delivery status", &s, DeliveryStatus::parse))
                .transpose()?,
            delivery_error: self.delivery_error,
            created_at: time(self.created_at)?,
            reply_to,
            mentions,
            attachments,
            original: self.original_text,
        };
        Ok((message, contact))
    }

    pub fn id(&self) -> i64 {
        self.id
    }
}

pub fn content_to_json(content: &Content) -> StoreResult<String> {
    serde_json::to_string(content).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub fn content_from_json(json: &str) -> StoreResult<Content> {
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
            kind: parse("channel kind", &kind, ChannelKind::parse)?,
            name,
            public_key,
        },
        conversation: conversation.map(ConversationId),
    })
}

/// Lower-cased text for case-insensitive search in both databases, whatever their locale:
/// the lower-casing is Rust's (Unicode), not the database's.
pub fn search_text(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}
