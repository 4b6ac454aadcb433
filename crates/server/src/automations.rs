//! What automations — the AI Agent (A5), the Dialogflow bot (A6) and workflows (A7) — write
//! into a conversation: a message through its channel (an e-mail on e-mail channels, queued
//! for the provider where one delivers) or an internal comment, stored under the store's
//! guard for that sender, then published, with the outbox woken for a delivery.

use crate::state::AppState;
use chrono::Utc;
use switchboard_protocol::*;
use switchboard_storage::{Appended, NewMessage, StoreError, StoreResult};

/// A message or comment by `sender` in `conversation`, as its channel takes it. The
/// `client_id` makes a repeated write (after a retry) stored once.
pub fn message(
    workspace: WorkspaceId,
    conversation: &ConversationSummary,
    sender: SenderKind,
    kind: MessageKind,
    client_id: String,
    text: String,
) -> NewMessage {
    let outgoing = kind == MessageKind::Message;
    let content = crate::conversations::content_of(conversation.channel, kind, text, None);
    let delivers = conversation.channel.delivers_through_provider();
    NewMessage {
        original: None,
        workspace,
        conversation: conversation.id,
        client_id: Some(client_id),
        kind,
        direction: Direction::Outgoing,
        sender_kind: sender,
        sender_user: None,
        content,
        delivery_status: outgoing.then_some(if delivers {
            DeliveryStatus::Pending
        } else {
            DeliveryStatus::Sent
        }),
        created_at: Utc::now(),
        reply_to: None,
        mentions: Vec::new(),
        attachments: Vec::new(),
        channel: None,
    }
}

/// Publishes what was stored and wakes the outbox when it is to be delivered.
pub fn published(state: &AppState, stored: StoreResult<Appended>) -> StoreResult<()> {
    let appended = stored?;
    let deliver = appended.message.delivery_status == Some(DeliveryStatus::Pending);
    state.publish(appended.event);
    if deliver {
        state.outbox.notify_one();
    }
    Ok(())
}

/// Stores and publishes what `who` wrote; whether it was stored. A refusal means `who` was
/// taken off the conversation meanwhile (expected: nothing is sent).
pub async fn write(state: &AppState, message: NewMessage, who: &str) -> bool {
    match published(state, state.store.append_message(message).await) {
        Ok(()) => true,
        Err(StoreError::Refused(_)) => {
            tracing::debug!(who, "taken off the conversation; nothing was sent");
            false
        }
        Err(error) => {
            tracing::warn!(%error, who, "an automation's message was not stored");
            false
        }
    }
}
