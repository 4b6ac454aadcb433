//! Messages contacts send through providers (CH): stored once per provider id, on the
//! conversation of the contact the sender's provider id names (created on first contact),
//! with the effects any incoming message has; and edits of them.

use crate::SqlStore;
use crate::backend::{Backend, Conn, Sql};
use crate::outbox::message_updated;
use crate::queries::{self, lock_workspace};
use crate::reach;
use crate::rows::micros;
use crate::rows::{content_from_json, content_to_json};
use switchboard_protocol::events::{Event, EventPayload};
use switchboard_protocol::*;
use switchboard_storage::*;

/// See [`Store::receive_message`]: stored together with whatever arrives at the same time
/// (`group_commit`).
pub async fn receive<B: Backend>(
    store: &SqlStore<B>,
    inbound: InboundMessage<'_>,
) -> StoreResult<Received> {
    crate::group_commit::receive(store, inbound).await
}

/// Stores one message in its own transaction.
pub async fn receive_one<B: Backend>(
    store: &SqlStore<B>,
    inbound: InboundMessage<'_>,
) -> StoreResult<Received> {
    match store_received(store, &inbound).await {
        // The unique index backs the check made under the workspace lock: a conflict is the
        // same provider message stored by someone else meanwhile, if it is there now.
        Err(StoreError::Conflict { constraint }) => {
            if stored(
                &mut store.read().await?,
                inbound.channel,
                inbound.external_id,
            )
            .await?
            {
                Ok(Received::Duplicate)
            } else {
                Err(StoreError::Conflict { constraint })
            }
        }
        other => other,
    }
}

/// Whether a message with this provider id is stored on the channel.
async fn stored(conn: &mut impl Conn, channel: ChannelId, external_id: &str) -> StoreResult<bool> {
    let found: Option<(i64,)> = conn
        .fetch_optional(
            Sql::new("SELECT id FROM messages WHERE channel_id = ? AND external_id = ?")
                .bind(channel.0)
                .bind(external_id),
        )
        .await?;
    Ok(found.is_some())
}

async fn store_received<B: Backend>(
    store: &SqlStore<B>,
    inbound: &InboundMessage<'_>,
) -> StoreResult<Received> {
    let workspace = inbound.workspace;
    let mut tx = store.backend.begin().await?;
    lock_workspace::<B>(&mut tx, workspace).await?;
    // The channel (connected, of this workspace), whether the message is stored already,
    // and the sender's conversation, in one statement.
    let found: Option<(i64, Option<i64>, Option<i64>)> = tx
        .fetch_optional(
            Sql::new(
                "SELECT ch.id,
                   (SELECT m.id FROM messages m WHERE m.channel_id = ch.id AND m.external_id = ?),
                   (SELECT c.id FROM contact_identities ci
                    JOIN conversations c ON c.contact_id = ci.contact_id
                    WHERE ci.channel_id = ch.id AND ci.external_id = ? AND c.workspace_id = ch.workspace_id
                    ORDER BY c.id LIMIT 1)
                 FROM channels ch
                 WHERE ch.id = ? AND ch.workspace_id = ? AND ch.disconnected_at IS NULL",
            )
            .bind(inbound.external_id)
            .bind(inbound.sender)
            .bind(inbound.channel.0)
            .bind(workspace.0),
        )
        .await?;
    let Some((_, stored_already, sender)) = found else {
        return Err(StoreError::NotFound);
    };
    if stored_already.is_some() {
        return Ok(Received::Duplicate);
    }
    let conversation = match sender {
        Some(conversation) => ConversationId(conversation),
        None => sender_conversation(&mut tx, inbound).await?,
    };
    let reply_to: Option<(i64,)> = match inbound.reply_to {
        Some(external) => {
            tx.fetch_optional(
                Sql::new(
                    "SELECT id FROM messages
                     WHERE channel_id = ? AND external_id = ? AND conversation_id = ?",
                )
                .bind(inbound.channel.0)
                .bind(external)
                .bind(conversation.0),
            )
            .await?
        }
        None => None,
    };
    let message = NewMessage {
        original: None,
        workspace,
        conversation,
        client_id: None,
        kind: MessageKind::Message,
        direction: Direction::Incoming,
        sender_kind: SenderKind::Contact,
        sender_user: None,
        content: inbound.content.clone(),
        delivery_status: None,
        created_at: inbound.received_at,
        reply_to: reply_to.map(|(id,)| MessageId(id)),
        mentions: Vec::new(),
        attachments: Vec::new(),
        channel: Some(inbound.channel),
    };
    let id = queries::insert_message(&mut tx, &message, Some(inbound.external_id)).await?;
    insert_files(&mut tx, inbound, id.0).await?;
    let message = if inbound.files.is_empty() {
        queries::plain_message(&mut tx, workspace, id).await?
    } else {
        queries::message(&mut tx, workspace, id).await?
    };
    let conversation = queries::conversation(&mut tx, workspace, conversation).await?;
    crate::notify::message_stored(&mut tx, &message, &conversation).await?;
    let event = store
        .event(
            &mut tx,
            workspace,
            EventPayload::MessageCreated {
                message: message.clone(),
                conversation: conversation.clone(),
            },
        )
        .await?;
    B::commit(tx).await?;
    Ok(Received::Stored(Appended {
        message,
        conversation,
        event: Some(event),
    }))
}

/// Keeps the files a received message carries, in order.
pub async fn insert_files(
    conn: &mut impl Conn,
    inbound: &InboundMessage<'_>,
    message: i64,
) -> StoreResult<()> {
    for (position, file) in inbound.files.iter().enumerate() {
        conn.execute(
            Sql::new(
                "INSERT INTO attachments (workspace_id, uploader_id, name, content_type, size,
                   storage_key, message_id, position, created_at)
                 VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(inbound.workspace.0)
            .bind(file.name.as_str())
            .bind(file.content_type.as_str())
            .bind(i64::try_from(file.size).unwrap_or(i64::MAX))
            .bind(file.storage_key.as_str())
            .bind(message)
            .bind(position as i64)
            .bind(micros(inbound.received_at)),
        )
        .await?;
    }
    Ok(())
}

/// The conversation of a sender new to the channel: the known contact with the same e-mail
/// address or number (K2), else a contact added now.
pub async fn sender_conversation(
    conn: &mut impl Conn,
    inbound: &InboundMessage<'_>,
) -> StoreResult<ConversationId> {
    match reach::join_known_contact(conn, inbound).await? {
        Some(conversation) => Ok(conversation),
        None => first_contact(conn, inbound).await,
    }
}

/// Adds the contact of a sender seen for the first time, with its provider id on the channel
/// and its conversation; returns the conversation.
async fn first_contact(
    conn: &mut impl Conn,
    inbound: &InboundMessage<'_>,
) -> StoreResult<ConversationId> {
    let conversation = queries::insert_contact(
        conn,
        &NewContact {
            workspace: inbound.workspace,
            channel: inbound.channel,
            first_name: inbound.first_name,
            last_name: inbound.last_name,
            email: inbound.email,
            phone: inbound.phone,
            fields: &[],
            created_at: inbound.received_at,
        },
    )
    .await?;
    conn.execute(
        Sql::new(
            "INSERT INTO contact_identities (contact_id, channel_id, external_id)
             SELECT contact_id, ?, ? FROM conversations WHERE id = ?",
        )
        .bind(inbound.channel.0)
        .bind(inbound.sender)
        .bind(conversation.0),
    )
    .await?;
    Ok(conversation)
}

/// See [`Store::edit_received`].
pub async fn edit<B: Backend>(
    store: &SqlStore<B>,
    edit: InboundEdit<'_>,
) -> StoreResult<Option<Event>> {
    let workspace = edit.workspace;
    let mut tx = store.backend.begin().await?;
    lock_workspace::<B>(&mut tx, workspace).await?;
    let found: Option<(i64, String)> = tx
        .fetch_optional(
            Sql::new(
                "SELECT id, content FROM messages
                 WHERE channel_id = ? AND external_id = ? AND workspace_id = ?
                   AND direction = 'incoming'",
            )
            .bind(edit.channel.0)
            .bind(edit.external_id)
            .bind(workspace.0),
        )
        .await?;
    let Some((id, content)) = found else {
        return Ok(None);
    };
    if content_from_json(&content)? == edit.content {
        return Ok(None);
    }
    tx.execute(
        Sql::new("UPDATE messages SET content = ?, search_text = ? WHERE id = ?")
            .bind(content_to_json(&edit.content)?)
            .bind(queries::searchable_text(&edit.content))
            .bind(id),
    )
    .await?;
    let event = message_updated(store, &mut tx, workspace, MessageId(id)).await?;
    B::commit(tx).await?;
    Ok(Some(event))
}
