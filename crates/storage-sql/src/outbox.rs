//! The durable outbox (C1): pending outgoing messages through provider channels, queued in
//! the transaction that stores them, claimed by delivery workers under a lease, and done when
//! the provider accepts or refuses them; then the provider's status reports.
//!
//! Locks are taken in one order, workspace row first, then outbox rows, so writers never wait
//! on each other in a circle: claiming locks outbox rows only (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, so replicas claim distinct rows) and writes no events; everything that writes
//! an event locks the workspace first.

use crate::SqlStore;
use crate::backend::{Backend, Bind, Conn, Sql};
use crate::channels::DISCONNECTED;
use crate::queries::{self, lock_workspace, placeholders};
use crate::rows::{self, micros};
use chrono::{DateTime, Utc};
use switchboard_protocol::events::{Event, EventPayload};
use switchboard_protocol::*;
use switchboard_storage::*;

/// Queues a message just stored when it is a pending outgoing message through a provider's
/// channel. Through a disconnected channel it fails at once instead (its `MessageCreated`
/// then tells agents why), as nothing more is delivered there.
pub async fn queue_new(
    conn: &mut impl Conn,
    message: &NewMessage,
    id: MessageId,
) -> StoreResult<()> {
    if message.kind != MessageKind::Message
        || message.direction != Direction::Outgoing
        || message.delivery_status != Some(DeliveryStatus::Pending)
    {
        return Ok(());
    }
    let (kind, disconnected): (String, Option<i64>) = conn
        .fetch_one(
            Sql::new(
                "SELECT ch.kind, ch.disconnected_at FROM messages m
                 JOIN channels ch ON ch.id = m.channel_id WHERE m.id = ?",
            )
            .bind(id.0),
        )
        .await?;
    let kind = ChannelKind::parse(&kind).ok_or_else(|| rows::corrupt("channel kind", &kind))?;
    if !kind.delivers_through_provider() {
        return Ok(());
    }
    if disconnected.is_some() {
        conn.execute(
            Sql::new(
                "UPDATE messages SET delivery_status = 'failed', delivery_error = ? WHERE id = ?",
            )
            .bind(DISCONNECTED)
            .bind(id.0),
        )
        .await?;
        return Ok(());
    }
    queue(conn, id, micros(message.created_at)).await
}

/// Adds the outbox row of a message, due at `at` (microseconds).
async fn queue(conn: &mut impl Conn, message: MessageId, at: i64) -> StoreResult<()> {
    conn.execute(
        Sql::new(
            "INSERT INTO outbox (workspace_id, message_id, channel_id, attempts, next_attempt_at, created_at)
             SELECT workspace_id, id, channel_id, 0, ?, ? FROM messages WHERE id = ?",
        )
        .bind(at)
        .bind(micros(Utc::now()))
        .bind(message.0),
    )
    .await?;
    Ok(())
}

/// Records a message's current state as a `MessageUpdated` event.
pub async fn message_updated<B: Backend>(
    store: &SqlStore<B>,
    tx: &mut B::Tx,
    workspace: WorkspaceId,
    message: MessageId,
) -> StoreResult<Event> {
    let message = queries::message(tx, workspace, message).await?;
    let conversation = queries::conversation(tx, workspace, message.conversation_id).await?;
    store
        .event(
            tx,
            workspace,
            EventPayload::MessageUpdated {
                message,
                conversation,
            },
        )
        .await
}

/// Ends outbox entry `id` of `workspace` (whose lock the caller holds) with its message
/// `failed` for `reason`; `None` when there is no such entry (or, with `lease`, it is no
/// longer held under that lease) or its message is no longer pending (the entry goes all the
/// same).
pub async fn fail<B: Backend>(
    store: &SqlStore<B>,
    tx: &mut B::Tx,
    workspace: WorkspaceId,
    id: i64,
    lease: Option<DateTime<Utc>>,
    reason: Option<&str>,
) -> StoreResult<Option<Event>> {
    let held = if lease.is_some() {
        " AND next_attempt_at = ?"
    } else {
        ""
    };
    let mut delete = Sql::new(format!(
        "DELETE FROM outbox WHERE id = ? AND workspace_id = ?{held} RETURNING message_id"
    ))
    .bind(id)
    .bind(workspace.0);
    if let Some(lease) = lease {
        delete = delete.bind(micros(lease));
    }
    let done: Option<(i64,)> = tx.fetch_optional(delete).await?;
    let Some((message,)) = done else {
        return Ok(None);
    };
    let changed = tx
        .execute(
            Sql::new(
                "UPDATE messages SET delivery_status = 'failed', delivery_error = ?
                 WHERE id = ? AND delivery_status = 'pending'",
            )
            .bind(reason)
            .bind(message),
        )
        .await?;
    if changed == 0 {
        return Ok(None);
    }
    let event = message_updated(store, tx, workspace, MessageId(message)).await?;
    Ok(Some(event))
}

/// The workspace of outbox entry `id`, if it is still there.
async fn workspace_of(conn: &mut impl Conn, id: i64) -> StoreResult<Option<WorkspaceId>> {
    let found: Option<(i64,)> = conn
        .fetch_optional(Sql::new("SELECT workspace_id FROM outbox WHERE id = ?").bind(id))
        .await?;
    Ok(found.map(|(w,)| WorkspaceId(w)))
}

/// Fails the due entries of disconnected channels, each in its own transaction (rows queued
/// before a disconnect are failed by it; this catches any left behind).
async fn fail_disconnected<B: Backend>(
    store: &SqlStore<B>,
    now: DateTime<Utc>,
    limit: u32,
) -> StoreResult<()> {
    let due: Vec<(i64, i64)> = store
        .read()
        .await?
        .fetch_all(
            Sql::new(
                "SELECT o.id, o.workspace_id FROM outbox o JOIN channels ch ON ch.id = o.channel_id
                 WHERE o.next_attempt_at <= ? AND ch.disconnected_at IS NOT NULL
                 ORDER BY o.next_attempt_at, o.id LIMIT ?",
            )
            .bind(micros(now))
            .bind(limit),
        )
        .await?;
    for (id, workspace) in due {
        let workspace = WorkspaceId(workspace);
        let mut tx = store.backend.begin().await?;
        lock_workspace::<B>(&mut tx, workspace).await?;
        fail(store, &mut tx, workspace, id, None, Some(DISCONNECTED)).await?;
        B::commit(tx).await?;
    }
    Ok(())
}

/// See [`Store::claim_deliveries`].
pub async fn claim<B: Backend>(
    store: &SqlStore<B>,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u32,
) -> StoreResult<Vec<Delivery>> {
    fail_disconnected(store, now, limit).await?;
    let mut tx = store.backend.begin().await?;
    let ids: Vec<(i64,)> = tx
        .fetch_all(
            Sql::new(format!(
                "SELECT o.id FROM outbox o
                 WHERE o.next_attempt_at <= ? AND EXISTS (SELECT 1 FROM channels ch
                   WHERE ch.id = o.channel_id AND ch.disconnected_at IS NULL)
                   AND NOT EXISTS (SELECT 1 FROM outbox earlier
                     JOIN messages em ON em.id = earlier.message_id
                     JOIN messages m ON m.id = o.message_id
                     WHERE em.conversation_id = m.conversation_id AND earlier.id < o.id)
                 ORDER BY o.next_attempt_at, o.id LIMIT ?{}",
                B::FOR_UPDATE_SKIP_LOCKED
            ))
            .bind(micros(now))
            .bind(limit),
        )
        .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut lease = Sql::new("UPDATE outbox SET next_attempt_at = ?").bind(micros(lease_until));
    lease.push(
        &format!(" WHERE id IN ({})", placeholders(ids.len())),
        ids.iter().map(|(id,)| Bind::Int(*id)),
    );
    tx.execute(lease).await?;
    let mut deliveries = Vec::with_capacity(ids.len());
    for (id,) in ids {
        deliveries.push(delivery(&mut tx, id).await?);
    }
    B::commit(tx).await?;
    Ok(deliveries)
}

/// `SELECT` of an outbox entry with what its adapter needs besides the message.
type DeliveryRow = (
    i64,
    i64,
    String,
    i64,
    i64,
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Outbox entry `id` as its channel's adapter receives it.
async fn delivery(conn: &mut impl Conn, id: i64) -> StoreResult<Delivery> {
    let (
        workspace,
        channel,
        kind,
        message,
        attempts,
        lease,
        parts_sent,
        first_external_id,
        recipient,
        reply_to_external,
    ): DeliveryRow = conn
        .fetch_one(
            Sql::new(
                "SELECT o.workspace_id, o.channel_id, ch.kind, o.message_id, o.attempts,
                   o.next_attempt_at, m.parts_sent, m.first_part_id,
                   (SELECT ci.external_id FROM contact_identities ci
                    WHERE ci.contact_id = c.contact_id AND ci.channel_id = o.channel_id
                    ORDER BY ci.id LIMIT 1) AS recipient,
                   r.external_id AS reply_to_external
                 FROM outbox o
                 JOIN channels ch ON ch.id = o.channel_id
                 JOIN messages m ON m.id = o.message_id
                 JOIN conversations c ON c.id = m.conversation_id
                 LEFT JOIN messages r ON r.id = m.reply_to_id AND r.channel_id = m.channel_id
                 WHERE o.id = ?",
            )
            .bind(id),
        )
        .await?;
    let workspace = WorkspaceId(workspace);
    let channel_kind =
        ChannelKind::parse(&kind).ok_or_else(|| rows::corrupt("channel kind", &kind))?;
    let message = queries::message(conn, workspace, MessageId(message)).await?;
    let thread = if channel_kind == ChannelKind::Email {
        thread(conn, &message).await?
    } else {
        Vec::new()
    };
    Ok(Delivery {
        id,
        workspace,
        channel: ChannelId(channel),
        channel_kind,
        message,
        recipient,
        reply_to_external,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        lease: rows::time(lease)?,
        parts_sent: u32::try_from(parts_sent).unwrap_or(0),
        first_external_id,
        thread,
    })
}

/// The messages before `message` in its conversation that went through the provider of
/// its channel (another of the contact's channels threads its own messages).
async fn thread(conn: &mut impl Conn, message: &Message) -> StoreResult<Vec<ThreadEntry>> {
    let rows: Vec<(String, String, String)> = conn
        .fetch_all(
            Sql::new(
                "SELECT external_id, direction, content FROM messages
                 WHERE conversation_id = ? AND id < ? AND external_id IS NOT NULL
                   AND channel_id = (SELECT channel_id FROM messages WHERE id = ?)
                 ORDER BY id DESC LIMIT ?",
            )
            .bind(message.conversation_id.0)
            .bind(message.id.0)
            .bind(message.id.0)
            .bind(THREAD_DEPTH),
        )
        .await?;
    rows.into_iter()
        .map(|(external_id, direction, content)| {
            Ok(ThreadEntry {
                external_id,
                direction: Direction::parse(&direction)
                    .ok_or_else(|| rows::corrupt("direction", &direction))?,
                content: rows::content_from_json(&content)?,
            })
        })
        .collect()
}

/// See [`Store::next_delivery_at`].
pub async fn next_at<B: Backend>(store: &SqlStore<B>) -> StoreResult<Option<DateTime<Utc>>> {
    let (next,): (Option<i64>,) = store
        .read()
        .await?
        .fetch_one(Sql::new("SELECT MIN(next_attempt_at) FROM outbox"))
        .await?;
    next.map(rows::time).transpose()
}

/// See [`Store::delivery_sent`].
pub async fn sent<B: Backend>(
    store: &SqlStore<B>,
    id: i64,
    external_id: &str,
) -> StoreResult<Option<Event>> {
    let mut tx = store.backend.begin().await?;
    let Some(workspace) = workspace_of(&mut tx, id).await? else {
        return Ok(None);
    };
    lock_workspace::<B>(&mut tx, workspace).await?;
    let done: Option<(i64,)> = tx
        .fetch_optional(Sql::new("DELETE FROM outbox WHERE id = ? RETURNING message_id").bind(id))
        .await?;
    let Some((message,)) = done else {
        return Ok(None);
    };
    // Only a pending message becomes sent; the provider's id is kept whatever its status.
    tx.execute(
        Sql::new(
            "UPDATE messages SET external_id = ?,
               delivery_error = CASE WHEN delivery_status = 'pending' THEN NULL ELSE delivery_error END,
               delivery_status = CASE WHEN delivery_status = 'pending' THEN 'sent' ELSE delivery_status END
             WHERE id = ?",
        )
        .bind(external_id)
        .bind(message),
    )
    .await?;
    let event = message_updated(store, &mut tx, workspace, MessageId(message)).await?;
    B::commit(tx).await?;
    Ok(Some(event))
}

/// See [`Store::delivery_retry`]; an entry that is gone (failed by a disconnect) or leased
/// again by another worker is left so.
pub async fn retry<B: Backend>(
    store: &SqlStore<B>,
    held: HeldDelivery,
    at: DateTime<Utc>,
    error: &str,
) -> StoreResult<bool> {
    let mut tx = store.backend.begin().await?;
    let changed = tx
        .execute(
            Sql::new(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
                 WHERE id = ? AND next_attempt_at = ?",
            )
            .bind(micros(at))
            .bind(error)
            .bind(held.id)
            .bind(micros(held.lease)),
        )
        .await?;
    B::commit(tx).await?;
    Ok(changed > 0)
}

/// See [`Store::delivery_progress`].
pub async fn progress<B: Backend>(
    store: &SqlStore<B>,
    held: HeldDelivery,
    parts_sent: u32,
    first_external_id: &str,
) -> StoreResult<bool> {
    let mut tx = store.backend.begin().await?;
    let changed = tx
        .execute(
            Sql::new(
                "UPDATE messages SET parts_sent = ?, first_part_id = COALESCE(first_part_id, ?)
                 WHERE id = (SELECT message_id FROM outbox WHERE id = ? AND next_attempt_at = ?)",
            )
            .bind(i64::from(parts_sent))
            .bind(first_external_id)
            .bind(held.id)
            .bind(micros(held.lease)),
        )
        .await?;
    B::commit(tx).await?;
    Ok(changed > 0)
}

/// See [`Store::delivery_failed`].
pub async fn failed<B: Backend>(
    store: &SqlStore<B>,
    held: HeldDelivery,
    reason: &str,
) -> StoreResult<Option<Event>> {
    let mut tx = store.backend.begin().await?;
    let Some(workspace) = workspace_of(&mut tx, held.id).await? else {
        return Ok(None);
    };
    lock_workspace::<B>(&mut tx, workspace).await?;
    let event = fail(
        store,
        &mut tx,
        workspace,
        held.id,
        Some(held.lease),
        Some(reason),
    )
    .await?;
    B::commit(tx).await?;
    Ok(event)
}

/// See [`Store::retry_message`].
pub async fn retry_message<B: Backend>(
    store: &SqlStore<B>,
    workspace: WorkspaceId,
    conversation: ConversationId,
    message: MessageId,
) -> StoreResult<Event> {
    let mut tx = store.backend.begin().await?;
    lock_workspace::<B>(&mut tx, workspace).await?;
    let (kind, direction, status, channel_kind, disconnected): (
        String,
        String,
        Option<String>,
        String,
        Option<i64>,
    ) = tx
        .fetch_optional(
            Sql::new(
                "SELECT m.kind, m.direction, m.delivery_status, ch.kind, ch.disconnected_at
                 FROM messages m JOIN channels ch ON ch.id = m.channel_id
                 WHERE m.id = ? AND m.conversation_id = ? AND m.workspace_id = ?",
            )
            .bind(message.0)
            .bind(conversation.0)
            .bind(workspace.0),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let failed = kind == MessageKind::Message.as_str()
        && direction == Direction::Outgoing.as_str()
        && status.as_deref() == Some(DeliveryStatus::Failed.as_str())
        && ChannelKind::parse(&channel_kind).is_some_and(ChannelKind::delivers_through_provider);
    if !failed {
        return Err(StoreError::Refused(
            "Only a message that could not be delivered can be sent again.".into(),
        ));
    }
    if disconnected.is_some() {
        return Err(StoreError::Refused(DISCONNECTED.into()));
    }
    tx.execute(
        Sql::new(
            "UPDATE messages SET delivery_status = 'pending', delivery_error = NULL WHERE id = ?",
        )
        .bind(message.0),
    )
    .await?;
    queue(&mut tx, message, micros(Utc::now())).await?;
    let event = message_updated(store, &mut tx, workspace, message).await?;
    B::commit(tx).await?;
    Ok(event)
}

/// See [`Store::report_delivery`].
pub async fn report<B: Backend>(
    store: &SqlStore<B>,
    channel: ChannelId,
    external_id: &str,
    status: DeliveryStatus,
    error: Option<&str>,
) -> StoreResult<Option<Event>> {
    let mut tx = store.backend.begin().await?;
    let found: Option<(i64,)> = tx
        .fetch_optional(Sql::new("SELECT workspace_id FROM channels WHERE id = ?").bind(channel.0))
        .await?;
    let Some((workspace,)) = found else {
        return Ok(None);
    };
    let workspace = WorkspaceId(workspace);
    lock_workspace::<B>(&mut tx, workspace).await?;
    let found: Option<(i64, Option<String>)> = tx
        .fetch_optional(
            Sql::new(
                "SELECT id, delivery_status FROM messages
                 WHERE channel_id = ? AND external_id = ? AND kind = 'message'
                   AND direction = 'outgoing'",
            )
            .bind(channel.0)
            .bind(external_id),
        )
        .await?;
    let Some((message, Some(current))) = found else {
        return Ok(None);
    };
    let current = DeliveryStatus::parse(&current)
        .ok_or_else(|| rows::corrupt("delivery status", &current))?;
    if !domain::delivery_moves_forward(current, status) {
        return Ok(None);
    }
    let error = error.filter(|_| status == DeliveryStatus::Failed);
    tx.execute(
        Sql::new("UPDATE messages SET delivery_status = ?, delivery_error = ? WHERE id = ?")
            .bind(status.as_str())
            .bind(error)
            .bind(message),
    )
    .await?;
    let event = message_updated(store, &mut tx, workspace, MessageId(message)).await?;
    B::commit(tx).await?;
    Ok(Some(event))
}

/// See [`switchboard_storage::Store::reply_target`].
pub async fn reply_target<B: Backend>(
    store: &SqlStore<B>,
    workspace: WorkspaceId,
    conversation: ConversationId,
) -> StoreResult<Option<ReplyTarget>> {
    type Row = (i64, String, Option<i64>, Option<String>, Option<String>);
    let row: Option<Row> = store
        .read()
        .await?
        .fetch_optional(
            Sql::new(
                "SELECT c.channel_id, ch.kind, ch.disconnected_at,
                   (SELECT ci.external_id FROM contact_identities ci
                    WHERE ci.contact_id = c.contact_id AND ci.channel_id = c.channel_id
                    ORDER BY ci.id LIMIT 1),
                   (SELECT m.external_id FROM messages m
                    WHERE m.conversation_id = c.id AND m.direction = 'incoming'
                      AND m.external_id IS NOT NULL
                    ORDER BY m.id DESC LIMIT 1)
                 FROM conversations c JOIN channels ch ON ch.id = c.channel_id
                 WHERE c.id = ? AND c.workspace_id = ?",
            )
            .bind(conversation.0)
            .bind(workspace.0),
        )
        .await?;
    let Some((channel, kind, disconnected, recipient, last_incoming)) = row else {
        return Err(StoreError::NotFound);
    };
    let channel_kind =
        ChannelKind::parse(&kind).ok_or_else(|| rows::corrupt("channel kind", &kind))?;
    Ok(match recipient {
        Some(recipient) if disconnected.is_none() && channel_kind.delivers_through_provider() => {
            Some(ReplyTarget {
                channel: ChannelId(channel),
                channel_kind,
                recipient,
                last_incoming,
            })
        }
        _ => None,
    })
}
