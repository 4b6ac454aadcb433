//! SQL shared by several `Store` methods, run on any connection (pool or transaction).

use chrono::Utc;
use sqlx::PgConnection;
use switchboard_protocol::api::Page;
use switchboard_protocol::events::{Event, EventPayload};
use switchboard_protocol::*;
use switchboard_storage::rows::{
    self, ConversationRow, MessageRow, VisitorRow, content_to_json, db_err, micros,
};
use switchboard_storage::*;

/// The channel every committed event is announced on (see `Store::foreign_events`).
pub const EVENTS_CHANNEL: &str = "switchboard_events";

const CONVERSATION_SELECT: &str = "
    SELECT c.id, c.workspace_id, c.status, c.last_activity_at, c.unread_count, c.snoozed_until,
           ct.id AS contact_id, ct.first_name, ct.last_name, ct.email, ct.phone,
           ch.kind AS channel_kind,
           m.kind AS last_kind, m.direction AS last_direction, m.content AS last_content
    FROM conversations c
    JOIN contacts ct ON ct.id = c.contact_id
    JOIN channels ch ON ch.id = c.channel_id
    LEFT JOIN messages m ON m.id = c.last_message_id";

const MESSAGE_SELECT: &str = "
    SELECT m.id, m.conversation_id, m.client_id, m.kind, m.direction, m.sender_kind,
           m.sender_user_id, u.name AS sender_user_name,
           ct.id AS contact_id, ct.first_name, ct.last_name,
           ch.kind AS channel_kind, m.content, m.delivery_status, m.created_at
    FROM messages m
    JOIN conversations c ON c.id = m.conversation_id
    JOIN contacts ct ON ct.id = c.contact_id
    JOIN channels ch ON ch.id = m.channel_id
    LEFT JOIN users u ON u.id = m.sender_user_id";

pub async fn conversation(
    conn: &mut PgConnection,
    workspace: WorkspaceId,
    id: ConversationId,
) -> StoreResult<ConversationSummary> {
    let sql = format!("{CONVERSATION_SELECT} WHERE c.id = $1 AND c.workspace_id = $2");
    sqlx::query_as::<_, ConversationRow>(&sql)
        .bind(id.0)
        .bind(workspace.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?
        .into_summary()
}

pub async fn conversations(
    conn: &mut PgConnection,
    workspace: WorkspaceId,
    page: PageRequest<ActivityCursor>,
) -> StoreResult<Page<ConversationSummary>> {
    let limit = page.limit.max(1);
    let (after_at, after_id) = page
        .after
        .map(|c| (micros(c.at), c.id))
        .unwrap_or((i64::MAX, i64::MAX));
    let sql = format!(
        "{CONVERSATION_SELECT}
         WHERE c.workspace_id = $1
           AND (c.last_activity_at < $2 OR (c.last_activity_at = $2 AND c.id < $3))
         ORDER BY c.last_activity_at DESC, c.id DESC
         LIMIT $4"
    );
    let items = sqlx::query_as::<_, ConversationRow>(&sql)
        .bind(workspace.0)
        .bind(after_at)
        .bind(after_id)
        .bind(i64::from(limit) + 1)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(ConversationRow::into_summary)
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(page_of(items, limit, |c| ActivityCursor::of(c).encode()))
}

pub async fn message(
    conn: &mut PgConnection,
    workspace: WorkspaceId,
    id: MessageId,
) -> StoreResult<Message> {
    let sql = format!("{MESSAGE_SELECT} WHERE m.id = $1 AND m.workspace_id = $2");
    sqlx::query_as::<_, MessageRow>(&sql)
        .bind(id.0)
        .bind(workspace.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?
        .into_message()
}

pub async fn messages(
    conn: &mut PgConnection,
    workspace: WorkspaceId,
    conversation: ConversationId,
    page: PageRequest<IdCursor>,
) -> StoreResult<Page<Message>> {
    let limit = page.limit.max(1);
    let before = page.after.map(|c| c.before).unwrap_or(i64::MAX);
    let sql = format!(
        "{MESSAGE_SELECT}
         WHERE m.workspace_id = $1 AND m.conversation_id = $2 AND m.id < $3
         ORDER BY m.id DESC LIMIT $4"
    );
    let rows = sqlx::query_as::<_, MessageRow>(&sql)
        .bind(workspace.0)
        .bind(conversation.0)
        .bind(before)
        .bind(i64::from(limit) + 1)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    let items = rows
        .into_iter()
        .map(MessageRow::into_message)
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(page_of(items, limit, |m| {
        IdCursor { before: m.id.0 }.encode()
    }))
}

/// Inserts a contact and its closed conversation; returns the conversation's id.
pub async fn insert_contact(
    conn: &mut PgConnection,
    contact: &NewContact<'_>,
) -> StoreResult<ConversationId> {
    // The channel must belong to the contact's workspace.
    let channel: Option<i64> =
        sqlx::query_scalar("SELECT id FROM channels WHERE id = $1 AND workspace_id = $2")
            .bind(contact.channel.0)
            .bind(contact.workspace.0)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?;
    if channel.is_none() {
        return Err(StoreError::NotFound);
    }
    let at = micros(contact.created_at);
    let contact_id: i64 = sqlx::query_scalar(
        "INSERT INTO contacts (workspace_id, first_name, last_name, email, phone, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(contact.workspace.0)
    .bind(contact.first_name)
    .bind(contact.last_name)
    .bind(contact.email)
    .bind(contact.phone)
    .bind(at)
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO conversations
           (workspace_id, contact_id, channel_id, status, status_since, last_activity_at, created_at)
         VALUES ($1, $2, $3, 'closed', $4, $4, $4) RETURNING id",
    )
    .bind(contact.workspace.0)
    .bind(contact_id)
    .bind(contact.channel.0)
    .bind(at)
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(ConversationId(id))
}

/// Inserts a message and moves its conversation: newest activity, unread count, and back to
/// open when a message (not a comment) arrives or leaves.
pub async fn insert_message(
    conn: &mut PgConnection,
    message: &NewMessage,
) -> StoreResult<MessageId> {
    let channel: Option<i64> = sqlx::query_scalar(
        "SELECT channel_id FROM conversations WHERE id = $1 AND workspace_id = $2",
    )
    .bind(message.conversation.0)
    .bind(message.workspace.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db_err)?;
    let channel = channel.ok_or(StoreError::NotFound)?;
    let at = micros(message.created_at);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO messages (workspace_id, conversation_id, client_id, kind, direction,
           sender_kind, sender_user_id, channel_id, content, delivery_status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
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
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    let is_message = message.kind == MessageKind::Message;
    let unread = i64::from(is_message && message.direction == Direction::Incoming);
    sqlx::query(
        "UPDATE conversations SET
           last_activity_at = GREATEST(last_activity_at, $1),
           last_message_id = $2,
           unread_count = unread_count + $3,
           status_since = CASE WHEN $4 AND status <> 'open' THEN $1 ELSE status_since END,
           snoozed_until = CASE WHEN $4 THEN NULL ELSE snoozed_until END,
           status = CASE WHEN $4 THEN 'open' ELSE status END
         WHERE id = $5 AND workspace_id = $6",
    )
    .bind(at)
    .bind(id)
    .bind(unread)
    .bind(is_message)
    .bind(message.conversation.0)
    .bind(message.workspace.0)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(MessageId(id))
}

/// Locks the workspace row until the transaction ends, or `NotFound`. Every transaction that
/// writes an event takes this lock first: event writers of one workspace then run one at a
/// time, so sequence numbers commit in order without gaps and checks made before the insert
/// (a repeated `client_id`) cannot race.
pub async fn lock_workspace(conn: &mut PgConnection, workspace: WorkspaceId) -> StoreResult<()> {
    let seq: Option<i64> =
        sqlx::query_scalar("SELECT last_seq FROM workspaces WHERE id = $1 FOR NO KEY UPDATE")
            .bind(workspace.0)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?;
    seq.map(|_| ()).ok_or(StoreError::NotFound)
}

/// Records a conversation's current row as a `ConversationUpdated` event.
pub async fn conversation_updated(
    conn: &mut PgConnection,
    origin: u64,
    workspace: WorkspaceId,
    id: ConversationId,
) -> StoreResult<Event> {
    let conversation = conversation(conn, workspace, id).await?;
    insert_event(
        conn,
        origin,
        workspace,
        EventPayload::ConversationUpdated { conversation },
    )
    .await
}

/// Takes the workspace's next sequence number, stores the event under it and announces it
/// (PostgreSQL delivers the notification on commit, and drops it on rollback). The caller
/// holds the workspace lock ([`lock_workspace`]); `origin` is the announcing store's.
pub async fn insert_event(
    conn: &mut PgConnection,
    origin: u64,
    workspace: WorkspaceId,
    payload: EventPayload,
) -> StoreResult<Event> {
    let seq: i64 = sqlx::query_scalar(
        "UPDATE workspaces SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq",
    )
    .bind(workspace.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db_err)?
    .ok_or(StoreError::NotFound)?;
    let at = Utc::now();
    let json = serde_json::to_string(&payload).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query("INSERT INTO events (workspace_id, seq, at, payload) VALUES ($1, $2, $3, $4)")
        .bind(workspace.0)
        .bind(seq)
        .bind(micros(at))
        .bind(json)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(EVENTS_CHANNEL)
        .bind(format!("{}:{seq}:{origin}", workspace.0))
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(Event {
        seq: seq as u64,
        workspace_id: workspace,
        at: rows::time(micros(at))?,
        payload,
    })
}

/// Reads a notification payload `"{workspace}:{seq}:{origin}"`.
pub fn parse_notice(payload: &str) -> Option<(EventNotice, u64)> {
    let mut parts = payload.split(':');
    let workspace = parts.next()?.parse().ok()?;
    let seq = parts.next()?.parse().ok()?;
    let origin = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Some((
        EventNotice {
            workspace: WorkspaceId(workspace),
            seq,
        },
        origin,
    ))
}

const VISITOR_SELECT: &str = "
    SELECT v.id, v.channel_id, c.workspace_id, c.kind, c.name, c.public_key, conv.id
    FROM visitors v
    JOIN channels c ON c.id = v.channel_id
    LEFT JOIN conversations conv ON conv.contact_id = v.contact_id";

pub async fn visitor(conn: &mut PgConnection, token_hash: &str) -> StoreResult<Option<Visitor>> {
    let sql = format!("{VISITOR_SELECT} WHERE v.token_hash = $1");
    let row: Option<VisitorRow> = sqlx::query_as(&sql)
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?;
    row.map(rows::visitor).transpose()
}

pub async fn visitor_by_id(conn: &mut PgConnection, id: i64) -> StoreResult<Visitor> {
    let sql = format!("{VISITOR_SELECT} WHERE v.id = $1");
    let row: Option<VisitorRow> = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?;
    rows::visitor(row.ok_or(StoreError::NotFound)?)
}

/// Locks the visitor row until the transaction ends, or `NotFound`, so concurrent first
/// messages of one visitor create one contact: the second waits, then sees the first's.
pub async fn lock_visitor(conn: &mut PgConnection, id: i64) -> StoreResult<()> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM visitors WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?;
    found.map(|_| ()).ok_or(StoreError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_parse_and_garbage_does_not() {
        assert_eq!(
            parse_notice("7:42:18446744073709551615"),
            Some((
                EventNotice {
                    workspace: WorkspaceId(7),
                    seq: 42
                },
                u64::MAX
            ))
        );
        for bad in [
            "", "7", "7:42", "7:42:x", "x:1:2", "7:-1:2", "1:2:3:4", "1::3",
        ] {
            assert_eq!(parse_notice(bad), None, "{bad}");
        }
    }
}
