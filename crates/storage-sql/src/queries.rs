//! Statements shared by several store methods, run on any connection or transaction.

use crate::backend::{Backend, Bind, Conn, Sql};
use crate::rows::{
    self, ATTACHMENT_COLUMNS, AttachmentRecordRow, AttachmentRow, ConversationRow, MessageRow,
    VisitorRow, content_to_json, micros,
};
use chrono::Utc;
use std::collections::HashMap;
use switchboard_protocol::api::Page;
use switchboard_protocol::contacts::FieldValue;
use switchboard_protocol::events::{Event, EventPayload};
use switchboard_protocol::*;
use switchboard_storage::*;

pub const CONVERSATION_SELECT: &str = "
    SELECT c.id, c.workspace_id, c.status, c.status_since, c.last_activity_at, c.unread_count,
           c.snoozed_until, c.last_incoming_at, c.last_reply_at,
           c.assignee_user_id, au.name AS assignee_user_name,
           c.assignee_team_id, tm.name AS assignee_team_name, c.assignee_ai, c.dialogflow_bot,
           ct.id AS contact_id, ct.first_name, ct.last_name, ct.email, ct.phone, ct.blocked,
           c.channel_id, ch.kind AS channel_kind,
           m.kind AS last_kind, m.direction AS last_direction, m.content AS last_content,
           (SELECT COUNT(*) FROM attachments la WHERE la.message_id = c.last_message_id)
             AS last_attachments,
           (SELECT la.name FROM attachments la WHERE la.message_id = c.last_message_id
            ORDER BY la.position LIMIT 1) AS last_attachment_name
    FROM conversations c
    JOIN contacts ct ON ct.id = c.contact_id
    JOIN channels ch ON ch.id = c.channel_id
    LEFT JOIN messages m ON m.id = c.last_message_id
    LEFT JOIN users au ON au.id = c.assignee_user_id
    LEFT JOIN teams tm ON tm.id = c.assignee_team_id";

pub const MESSAGE_SELECT: &str = "
    SELECT m.id, m.conversation_id, m.client_id, m.kind, m.direction, m.sender_kind,
           m.sender_user_id, u.name AS sender_user_name,
           ct.id AS contact_id, ct.first_name, ct.last_name, ct.email, ct.phone, ct.blocked,
           ch.kind AS channel_kind, m.content, m.delivery_status, m.delivery_error, m.created_at,
           m.original_text,
           r.id AS reply_id, r.direction AS reply_direction, r.sender_kind AS reply_sender_kind,
           ru.name AS reply_user_name, r.content AS reply_content
    FROM messages m
    JOIN conversations c ON c.id = m.conversation_id
    JOIN contacts ct ON ct.id = c.contact_id
    JOIN channels ch ON ch.id = m.channel_id
    LEFT JOIN users u ON u.id = m.sender_user_id
    LEFT JOIN messages r ON r.id = m.reply_to_id
    LEFT JOIN users ru ON ru.id = r.sender_user_id";

pub async fn conversation(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    id: ConversationId,
) -> StoreResult<ConversationSummary> {
    conn.fetch_optional::<ConversationRow>(
        Sql::new(format!(
            "{CONVERSATION_SELECT} WHERE c.id = ? AND c.workspace_id = ?"
        ))
        .bind(id.0)
        .bind(workspace.0),
    )
    .await?
    .ok_or(StoreError::NotFound)?
    .into_summary()
}

/// `?, ?, ?` for `n` values.
pub fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Messages of rows with their mentions and files (one extra query each for the whole page).
pub(crate) async fn complete(
    conn: &mut impl Conn,
    rows: Vec<MessageRow>,
) -> StoreResult<Vec<Message>> {
    Ok(complete_with_contacts(conn, rows)
        .await?
        .into_iter()
        .map(|(message, _)| message)
        .collect())
}

/// Messages of rows with their mentions, files and contacts.
pub async fn complete_with_contacts(
    conn: &mut impl Conn,
    rows: Vec<MessageRow>,
) -> StoreResult<Vec<(Message, ContactSummary)>> {
    let ids: Vec<i64> = rows.iter().map(MessageRow::id).collect();
    let mut mentions: Vec<(i64, i64)> = Vec::new();
    let mut files: HashMap<i64, Vec<Attachment>> = HashMap::new();
    if !ids.is_empty() {
        let mut sql = Sql::new(format!(
            "SELECT message_id, user_id FROM message_mentions WHERE message_id IN ({})
             ORDER BY message_id, user_id",
            placeholders(ids.len())
        ));
        sql.binds.extend(ids.iter().copied().map(Bind::Int));
        mentions = conn.fetch_all(sql).await?;
        let mut sql = Sql::new(format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments a WHERE a.message_id IN ({})
             ORDER BY a.message_id, a.position",
            placeholders(ids.len())
        ));
        sql.binds.extend(ids.iter().copied().map(Bind::Int));
        for row in conn.fetch_all::<AttachmentRow>(sql).await? {
            if let Some(message) = row.message_id() {
                files
                    .entry(message)
                    .or_default()
                    .push(row.into_attachment()?);
            }
        }
    }
    rows.into_iter()
        .map(|row| {
            let id = row.id();
            let mentioned = mentions
                .iter()
                .filter(|(m, _)| *m == id)
                .map(|(_, u)| UserId(*u))
                .collect();
            row.into_message_and_contact(mentioned, files.remove(&id).unwrap_or_default())
        })
        .collect()
}

/// A message just written that has no mentions and no files (a contact's text): read in
/// one statement instead of three.
pub async fn plain_message(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    id: MessageId,
) -> StoreResult<Message> {
    let row = conn
        .fetch_optional::<MessageRow>(
            Sql::new(format!(
                "{MESSAGE_SELECT} WHERE m.id = ? AND m.workspace_id = ?"
            ))
            .bind(id.0)
            .bind(workspace.0),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(row.into_message_and_contact(Vec::new(), Vec::new())?.0)
}

/// Attaches uploaded files to a message just inserted, in order. Each must be the
/// workspace's, uploaded by the sender and not yet sent; otherwise `Invalid` (the caller's
/// transaction then stores nothing).
async fn attach(conn: &mut impl Conn, message: &NewMessage, id: i64) -> StoreResult<()> {
    for (position, file) in message.attachments.iter().enumerate() {
        let attached = conn
            .execute(
                Sql::new(
                    "UPDATE attachments SET message_id = ?, position = ?
                     WHERE id = ? AND workspace_id = ? AND uploader_id = ? AND message_id IS NULL
                       AND snippet_id IS NULL",
                )
                .bind(id)
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .bind(file.0)
                .bind(message.workspace.0)
                .bind(message.sender_user.map(|u| u.0)),
            )
            .await?;
        if attached == 0 {
            return Err(StoreError::Invalid {
                field: "attachments",
                reason: format!("File {file} is not available to send."),
            });
        }
    }
    Ok(())
}

/// A file of the workspace with its uploader, conversation (once sent) and storage key.
pub async fn attachment(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    id: AttachmentId,
) -> StoreResult<AttachmentRecord> {
    conn.fetch_optional::<AttachmentRecordRow>(
        Sql::new(format!(
            "SELECT {ATTACHMENT_COLUMNS}, a.uploader_id, m.conversation_id,
                    m.kind AS message_kind, a.snippet_id, a.storage_key
             FROM attachments a LEFT JOIN messages m ON m.id = a.message_id
             WHERE a.id = ? AND a.workspace_id = ?"
        ))
        .bind(id.0)
        .bind(workspace.0),
    )
    .await?
    .ok_or(StoreError::NotFound)?
    .into_record()
}

pub async fn message(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    id: MessageId,
) -> StoreResult<Message> {
    let row = conn
        .fetch_optional::<MessageRow>(
            Sql::new(format!(
                "{MESSAGE_SELECT} WHERE m.id = ? AND m.workspace_id = ?"
            ))
            .bind(id.0)
            .bind(workspace.0),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    complete(conn, vec![row])
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

pub async fn messages(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    conversation: ConversationId,
    page: PageRequest<IdCursor>,
) -> StoreResult<Page<Message>> {
    let limit = page.limit.max(1);
    let before = page.after.map(|c| c.before).unwrap_or(i64::MAX);
    let rows = conn
        .fetch_all::<MessageRow>(
            Sql::new(format!(
                "{MESSAGE_SELECT}
                 WHERE m.workspace_id = ? AND m.conversation_id = ? AND m.id < ?
                 ORDER BY m.id DESC LIMIT ?"
            ))
            .bind(workspace.0)
            .bind(conversation.0)
            .bind(before)
            .bind(i64::from(limit) + 1),
        )
        .await?;
    let items = complete(conn, rows).await?;
    Ok(page_of(items, limit, |m| {
        IdCursor { before: m.id.0 }.encode()
    }))
}

/// Rewrites a contact's search columns from its stored values, and their copies on the
/// contact's conversations (which list search reads without joining contacts).
pub async fn refresh_contact_search(conn: &mut impl Conn, contact: i64) -> StoreResult<()> {
    let (first, last, email, phone): (String, String, Option<String>, Option<String>) = conn
        .fetch_one(
            Sql::new("SELECT first_name, last_name, email, phone FROM contacts WHERE id = ?")
                .bind(contact),
        )
        .await?;
    conn.execute(
        Sql::new(
            "UPDATE contacts SET search_text = ?, first_name_key = ?, last_name_key = ?,
               email_key = ?, phone_digits = ? WHERE id = ?",
        )
        .bind(rows::search_text(&[
            Some(&first),
            Some(&last),
            email.as_deref(),
        ]))
        .bind(first.trim().to_lowercase())
        .bind(last.trim().to_lowercase())
        .bind(email.as_deref().unwrap_or("").trim().to_lowercase())
        .bind(
            phone
                .as_deref()
                .map(contacts::phone_digits)
                .unwrap_or_default(),
        )
        .bind(contact),
    )
    .await?;
    conn.execute(
        Sql::new(
            "UPDATE conversations SET
               search_text = (SELECT search_text FROM contacts WHERE id = ?),
               phone_digits = (SELECT phone_digits FROM contacts WHERE id = ?)
             WHERE contact_id = ?",
        )
        .bind(contact)
        .bind(contact)
        .bind(contact),
    )
    .await?;
    Ok(())
}

/// Sets custom field values (`None` clears), checking every field is the workspace's.
pub async fn set_field_values(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    contact: i64,
    values: &[(CustomFieldId, Option<String>)],
) -> StoreResult<()> {
    for (field, value) in values {
        let known: Option<(i64,)> = conn
            .fetch_optional(
                Sql::new("SELECT id FROM custom_fields WHERE id = ? AND workspace_id = ?")
                    .bind(field.0)
                    .bind(workspace.0),
            )
            .await?;
        if known.is_none() {
            return Err(StoreError::Invalid {
                field: "fields",
                reason: format!("There is no custom field {field}."),
            });
        }
        conn.execute(
            Sql::new("DELETE FROM contact_field_values WHERE contact_id = ? AND field_id = ?")
                .bind(contact)
                .bind(field.0),
        )
        .await?;
        if let Some(value) = value {
            conn.execute(
                Sql::new(
                    "INSERT INTO contact_field_values (contact_id, field_id, value, value_key)
                     VALUES (?, ?, ?, ?)",
                )
                .bind(contact)
                .bind(field.0)
                .bind(value.as_str())
                .bind(value.to_lowercase()),
            )
            .await?;
        }
    }
    Ok(())
}

/// Inserts a contact and its closed conversation; returns the conversation's id.
pub async fn insert_contact(
    conn: &mut impl Conn,
    contact: &NewContact<'_>,
) -> StoreResult<ConversationId> {
    // The channel must belong to the contact's workspace.
    let channel: Option<(i64,)> = conn
        .fetch_optional(
            Sql::new("SELECT id FROM channels WHERE id = ? AND workspace_id = ?")
                .bind(contact.channel.0)
                .bind(contact.workspace.0),
        )
        .await?;
    if channel.is_none() {
        return Err(StoreError::NotFound);
    }
    let at = micros(contact.created_at);
    let (contact_id,): (i64,) = conn
        .fetch_one(
            Sql::new(
                "INSERT INTO contacts (workspace_id, first_name, last_name, email, phone, created_at)
                 VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(contact.workspace.0)
            .bind(contact.first_name)
            .bind(contact.last_name)
            .bind(contact.email)
            .bind(contact.phone)
            .bind(at),
        )
        .await?;
    refresh_contact_search(conn, contact_id).await?;
    let values: Vec<(CustomFieldId, Option<String>)> = contact
        .fields
        .iter()
        .map(|FieldValue { field, value }| (*field, Some(value.clone())))
        .collect();
    set_field_values(conn, contact.workspace, contact_id, &values).await?;
    let (id,): (i64,) = conn
        .fetch_one(
            Sql::new(
                "INSERT INTO conversations
                   (workspace_id, contact_id, channel_id, status, status_since, last_activity_at,
                    created_at, search_text, phone_digits)
                 SELECT ?, id, ?, 'closed', ?, ?, ?, search_text, phone_digits
                 FROM contacts WHERE id = ? RETURNING id",
            )
            .bind(contact.workspace.0)
            .bind(contact.channel.0)
            .bind(at)
            .bind(at)
            .bind(at)
            .bind(contact_id),
        )
        .await?;
    Ok(ConversationId(id))
}

/// Inserts a message (with its provider id, for one received through a provider) and moves
/// its conversation: newest activity, unread count, reply tracking, and back to open when a
/// message (not a comment) arrives or leaves.
pub async fn insert_message(
    conn: &mut impl Conn,
    message: &NewMessage,
    external_id: Option<&str>,
) -> StoreResult<MessageId> {
    let channel: Option<(i64,)> = conn
        .fetch_optional(
            Sql::new("SELECT channel_id FROM conversations WHERE id = ? AND workspace_id = ?")
                .bind(message.conversation.0)
                .bind(message.workspace.0),
        )
        .await?;
    let (current,) = channel.ok_or(StoreError::NotFound)?;
    // A message may go through another of the contact's channels (K2), which becomes the
    // conversation's current one; comments stay where the conversation is.
    let channel = match message.channel {
        Some(chosen) if message.kind == MessageKind::Message && chosen.0 != current => {
            crate::reach::reach(conn, message.workspace, message.conversation, chosen).await?;
            chosen.0
        }
        _ => current,
    };
    if let Some(reply_to) = message.reply_to {
        let found: Option<(i64,)> = conn
            .fetch_optional(
                Sql::new("SELECT id FROM messages WHERE id = ? AND conversation_id = ? AND workspace_id = ?")
                    .bind(reply_to.0)
                    .bind(message.conversation.0)
                    .bind(message.workspace.0),
            )
            .await?;
        if found.is_none() {
            return Err(StoreError::Invalid {
                field: "reply_to",
                reason: "A reply must quote a message of the same conversation.".into(),
            });
        }
    }
    for user in &message.mentions {
        let member: Option<(i64,)> = conn
            .fetch_optional(
                Sql::new("SELECT user_id FROM memberships WHERE workspace_id = ? AND user_id = ?")
                    .bind(message.workspace.0)
                    .bind(user.0),
            )
            .await?;
        if member.is_none() {
            return Err(StoreError::Invalid {
                field: "mentions",
                reason: format!("User {user} is not a member of this workspace."),
            });
        }
    }
    let at = micros(message.created_at);
    let (id,): (i64,) = conn
        .fetch_one(
            Sql::new(
                "INSERT INTO messages (workspace_id, conversation_id, client_id, kind, direction,
                   sender_kind, sender_user_id, channel_id, content, delivery_status, created_at,
                   reply_to_id, search_text, external_id, original_text)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(message.workspace.0)
            .bind(message.conversation.0)
            .bind(message.client_id.as_deref())
            .bind(message.kind.as_str())
            .bind(message.direction.as_str())
            .bind(message.sender_kind.as_str())
            .bind(message.sender_user.map(|u| u.0))
            .bind(channel)
            .bind(content_to_json(&message.content)?)
            .bind(message.delivery_status.map(DeliveryStatus::as_str))
            .bind(at)
            .bind(message.reply_to.map(|m| m.0))
            .bind(searchable_text(&message.content))
            .bind(external_id)
            .bind(message.original.as_deref()),
        )
        .await?;
    let mut mentioned = message.mentions.clone();
    mentioned.sort();
    mentioned.dedup();
    for user in mentioned {
        conn.execute(
            Sql::new("INSERT INTO message_mentions (message_id, user_id) VALUES (?, ?)")
                .bind(id)
                .bind(user.0),
        )
        .await?;
    }
    attach(conn, message, id).await?;
    let is_message = message.kind == MessageKind::Message;
    let incoming = is_message && message.direction == Direction::Incoming;
    let reply = is_message && message.direction == Direction::Outgoing;
    conn.execute(
        Sql::new(
            "UPDATE conversations SET
               channel_id = ?,
               last_activity_at = CASE WHEN last_activity_at > ? THEN last_activity_at ELSE ? END,
               last_message_id = ?,
               unread_count = unread_count + ?,
               last_incoming_at = CASE WHEN ? THEN ? ELSE last_incoming_at END,
               last_reply_at = CASE WHEN ? THEN ? ELSE last_reply_at END,
               status_since = CASE WHEN ? AND status <> 'open' THEN ? ELSE status_since END,
               snoozed_until = CASE WHEN ? THEN NULL ELSE snoozed_until END,
               status = CASE WHEN ? THEN 'open' ELSE status END
             WHERE id = ? AND workspace_id = ?",
        )
        .bind(channel)
        .bind(at)
        .bind(at)
        .bind(id)
        .bind(i64::from(incoming))
        .bind(incoming)
        .bind(at)
        .bind(reply)
        .bind(at)
        .bind(is_message)
        .bind(at)
        .bind(is_message)
        .bind(is_message)
        .bind(message.conversation.0)
        .bind(message.workspace.0),
    )
    .await?;
    Ok(MessageId(id))
}

/// The lower-cased words of a message that full-text search finds.
pub fn searchable_text(content: &Content) -> String {
    match content {
        Content::Text { text } => text.to_lowercase(),
        Content::Image { caption, .. } => caption.as_deref().unwrap_or("").to_lowercase(),
        Content::Email { subject, text, .. } => format!("{subject}\n{text}").to_lowercase(),
        Content::Template { text, .. } => text.to_lowercase(),
        _ => String::new(),
    }
}

/// Locks the workspace row until the transaction ends, or `NotFound`. Every transaction that
/// writes an event takes this lock first: event writers of one workspace then run one at a
/// time, so sequence numbers commit in order without gaps and checks made before the insert
/// (a repeated `client_id`) cannot race.
pub async fn lock_workspace<B: Backend>(tx: &mut B::Tx, workspace: WorkspaceId) -> StoreResult<()> {
    let found: Option<(i64,)> = tx
        .fetch_optional(
            Sql::new(format!(
                "SELECT last_seq FROM workspaces WHERE id = ?{}",
                B::FOR_NO_KEY_UPDATE
            ))
            .bind(workspace.0),
        )
        .await?;
    found.map(|_| ()).ok_or(StoreError::NotFound)
}

/// Takes the workspace's next sequence number, stores the event under it, and has the
/// backend announce it.
pub async fn insert_event<B: Backend>(
    backend: &B,
    tx: &mut B::Tx,
    workspace: WorkspaceId,
    payload: EventPayload,
) -> StoreResult<Event> {
    let (seq,): (i64,) = tx
        .fetch_optional(
            Sql::new(
                "UPDATE workspaces SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq",
            )
            .bind(workspace.0),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let at = micros(Utc::now());
    let json = serde_json::to_string(&payload).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute(
        Sql::new("INSERT INTO events (workspace_id, seq, at, payload) VALUES (?, ?, ?, ?)")
            .bind(workspace.0)
            .bind(seq)
            .bind(at)
            .bind(json),
    )
    .await?;
    backend.announce(tx, workspace, seq as u64).await?;
    Ok(Event {
        seq: seq as u64,
        workspace_id: workspace,
        at: rows::time(at)?,
        payload,
    })
}

/// Records a conversation's current row as a `ConversationUpdated` event.
pub async fn conversation_updated<B: Backend>(
    backend: &B,
    tx: &mut B::Tx,
    workspace: WorkspaceId,
    id: ConversationId,
) -> StoreResult<Event> {
    let conversation = conversation(tx, workspace, id).await?;
    insert_event(
        backend,
        tx,
        workspace,
        EventPayload::ConversationUpdated { conversation },
    )
    .await
}

const VISITOR_SELECT: &str = "
    SELECT v.id, v.channel_id, c.workspace_id, c.kind, c.name, c.public_key, conv.id
    FROM visitors v
    JOIN channels c ON c.id = v.channel_id
    LEFT JOIN conversations conv ON conv.contact_id = v.contact_id";

pub async fn visitor(conn: &mut impl Conn, token_hash: &str) -> StoreResult<Option<Visitor>> {
    conn.fetch_optional::<VisitorRow>(
        Sql::new(format!("{VISITOR_SELECT} WHERE v.token_hash = ?")).bind(token_hash),
    )
    .await?
    .map(rows::visitor)
    .transpose()
}

pub async fn visitor_by_id(conn: &mut impl Conn, id: i64) -> StoreResult<Visitor> {
    let row = conn
        .fetch_optional::<VisitorRow>(Sql::new(format!("{VISITOR_SELECT} WHERE v.id = ?")).bind(id))
        .await?;
    rows::visitor(row.ok_or(StoreError::NotFound)?)
}
