//! Where a contact can be written to (K2): the channels of a conversation's contact, the
//! check that a message's chosen channel is one of them, and the contact a sender new to a
//! channel joins when their e-mail address or phone number is already known.

use crate::backend::{Conn, Sql};
use crate::rows::{self, time};
use switchboard_protocol::channels::ContactChannel;
use switchboard_protocol::contacts::phone_digits;
use switchboard_protocol::*;
use switchboard_storage::*;

/// Fewer digits than this are not a phone number worth joining contacts by.
const MIN_PHONE_DIGITS: usize = 7;

/// See [`Store::contact_channels`].
pub async fn contact_channels(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    conversation: ConversationId,
) -> StoreResult<Vec<ContactChannel>> {
    let found: Option<(i64,)> = conn
        .fetch_optional(
            Sql::new("SELECT id FROM conversations WHERE id = ? AND workspace_id = ?")
                .bind(conversation.0)
                .bind(workspace.0),
        )
        .await?;
    if found.is_none() {
        return Err(StoreError::NotFound);
    }
    let rows: Vec<(i64, String, String, Option<i64>)> = conn
        .fetch_all(
            Sql::new(
                "SELECT ch.id, ch.kind, ch.name,
                   (SELECT m.created_at FROM messages m
                    WHERE m.conversation_id = c.id AND m.channel_id = ch.id
                      AND m.direction = 'incoming' AND m.kind = 'message'
                    ORDER BY m.id DESC LIMIT 1)
                 FROM conversations c
                 JOIN contacts ct ON ct.id = c.contact_id
                 JOIN channels ch ON ch.workspace_id = c.workspace_id
                 WHERE c.id = ? AND ch.disconnected_at IS NULL
                   AND (ch.id = c.channel_id
                        OR EXISTS (SELECT 1 FROM contact_identities ci
                                   WHERE ci.contact_id = c.contact_id AND ci.channel_id = ch.id)
                        OR (ch.kind = 'email' AND ct.email_key <> ''))
                 ORDER BY ch.id",
            )
            .bind(conversation.0),
        )
        .await?;
    rows.into_iter()
        .map(|(id, kind, name, last_incoming)| {
            Ok(ContactChannel {
                id: ChannelId(id),
                kind: ChannelKind::parse(&kind)
                    .ok_or_else(|| rows::corrupt("channel kind", &kind))?,
                name,
                last_incoming_at: last_incoming.map(time).transpose()?,
            })
        })
        .collect()
}

/// Checks that the conversation's contact can be written to through `channel` (connected,
/// of the workspace, one they wrote from or an e-mail channel with their address known);
/// the first e-mail through a channel records their address as their identity there.
pub async fn reach(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    conversation: ConversationId,
    channel: ChannelId,
) -> StoreResult<()> {
    let found: Option<(i64, String, i64, String)> = conn
        .fetch_optional(
            Sql::new(
                "SELECT c.contact_id, ch.kind,
                   (SELECT COUNT(*) FROM contact_identities ci
                    WHERE ci.contact_id = c.contact_id AND ci.channel_id = ch.id),
                   ct.email_key
                 FROM conversations c
                 JOIN contacts ct ON ct.id = c.contact_id
                 JOIN channels ch ON ch.id = ? AND ch.workspace_id = c.workspace_id
                 WHERE c.id = ? AND c.workspace_id = ? AND ch.disconnected_at IS NULL",
            )
            .bind(channel.0)
            .bind(conversation.0)
            .bind(workspace.0),
        )
        .await?;
    let unreachable = || StoreError::Invalid {
        field: "channel",
        reason: "The contact cannot be written to through that channel.".into(),
    };
    let (contact, kind, identities, email) = found.ok_or_else(unreachable)?;
    if identities > 0 {
        return Ok(());
    }
    if kind != ChannelKind::Email.as_str() || email.is_empty() {
        return Err(unreachable());
    }
    conn.execute(
        Sql::new(
            "INSERT INTO contact_identities (contact_id, channel_id, external_id) VALUES (?, ?, ?)",
        )
        .bind(contact)
        .bind(channel.0)
        .bind(email),
    )
    .await?;
    Ok(())
}

/// The conversation of the one contact of the workspace with the sender's e-mail address,
/// or else phone number, now also known by the sender's id on the channel; `None` when no
/// contact, or more than one, has them.
pub async fn join_known_contact(
    conn: &mut impl Conn,
    inbound: &InboundMessage<'_>,
) -> StoreResult<Option<ConversationId>> {
    let email = inbound
        .email
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty());
    let phone = inbound
        .phone
        .map(phone_digits)
        .filter(|d| d.len() >= MIN_PHONE_DIGITS);
    let mut found = None;
    for (column, value) in [("email_key", email), ("phone_digits", phone)] {
        let Some(value) = value else { continue };
        let rows: Vec<(i64, i64)> = conn
            .fetch_all(
                Sql::new(format!(
                    "SELECT ct.id, c.id FROM contacts ct
                     JOIN conversations c ON c.contact_id = ct.id
                     WHERE ct.workspace_id = ? AND ct.{column} = ? LIMIT 2"
                ))
                .bind(inbound.workspace.0)
                .bind(value),
            )
            .await?;
        if let [one] = rows.as_slice() {
            found = Some(*one);
            break;
        }
    }
    let Some((contact, conversation)) = found else {
        return Ok(None);
    };
    conn.execute(
        Sql::new(
            "INSERT INTO contact_identities (contact_id, channel_id, external_id) VALUES (?, ?, ?)",
        )
        .bind(contact)
        .bind(inbound.channel.0)
        .bind(inbound.sender),
    )
    .await?;
    Ok(Some(ConversationId(conversation)))
}
