//! The Dialogflow bot at work (A6): a contact's message committed on this replica, in a
//! conversation the bot is on for, goes to the workspace's agent (`detectIntent`, one session
//! per conversation); the fulfilment text goes back to the contact as the bot's message
//! through the conversation's channel. When the agent does not understand, or anything
//! fails, the bot leaves the conversation to people: a comment says why and the bot is
//! turned off for it.

use super::client::{Answer, MAX_QUERY_CHARS};
use crate::state::AppState;
use chrono::Utc;
use switchboard_protocol::events::{Event, EventPayload};
use switchboard_protocol::*;
use switchboard_storage::{NewMessage, StoreError};

/// Looks at an event committed on this replica: a contact's message where the bot is on
/// starts an answer.
pub fn observe(state: &AppState, event: &Event) {
    if let EventPayload::MessageCreated {
        message,
        conversation,
    } = &event.payload
        && conversation.dialogflow_bot
        && message.kind == MessageKind::Message
        && message.direction == Direction::Incoming
        && !conversation.contact.blocked
    {
        let (state, workspace) = (state.clone(), event.workspace_id);
        let (conversation, message) = (conversation.clone(), message.clone());
        tokio::spawn(async move { answer(state, workspace, conversation, message).await });
    }
}

/// The words the agent is asked, if the message has any.
fn query_text(content: &Content) -> Option<&str> {
    let text = match content {
        Content::Text { text } => text.as_str(),
        Content::Image {
            caption: Some(caption),
            ..
        } => caption.as_str(),
        Content::Email { text, .. } => text.as_str(),
        _ => return None,
    };
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

async fn answer(
    state: AppState,
    workspace: WorkspaceId,
    conversation: ConversationSummary,
    message: Message,
) {
    let id = conversation.id;
    let connection = match super::connection(&state, workspace).await {
        Ok(c) => c,
        Err(error) => {
            tracing::warn!(%error, "the Dialogflow settings could not be read");
            return;
        }
    };
    let Some((language, key)) = connection else {
        return leave(
            &state,
            workspace,
            id,
            message.id,
            "Dialogflow is not connected any more.",
        )
        .await;
    };
    let Some(text) = query_text(&message.content) else {
        return leave(
            &state,
            workspace,
            id,
            message.id,
            "the message has no text for Dialogflow.",
        )
        .await;
    };
    if text.chars().count() > MAX_QUERY_CHARS {
        let reason = format!(
            "the message is longer than the {MAX_QUERY_CHARS} characters Dialogflow takes."
        );
        return leave(&state, workspace, id, message.id, &reason).await;
    }
    let agent = super::agent(&state, workspace, &key);
    let session = format!("switchboard-{}", id.0);
    match agent.detect_intent(&session, text, &language).await {
        Ok(Answer::Reply(reply)) => {
            let content = match crate::conversations::content_for(
                conversation.channel,
                MessageKind::Message,
                reply,
                None,
            ) {
                Ok(content) => content,
                Err(error) => {
                    let reason = format!("its answer could not be sent here ({error}).");
                    return leave(&state, workspace, id, message.id, &reason).await;
                }
            };
            let delivers = conversation.channel.delivers_through_provider();
            let sent = write(
                &state,
                NewMessage {
                    original: None,
                    workspace,
                    conversation: id,
                    client_id: Some(format!("dialogflow-{}", message.id.0)),
                    kind: MessageKind::Message,
                    direction: Direction::Outgoing,
                    sender_kind: SenderKind::Bot,
                    sender_user: None,
                    content,
                    delivery_status: Some(if delivers {
                        DeliveryStatus::Pending
                    } else {
                        DeliveryStatus::Sent
                    }),
                    created_at: Utc::now(),
                    reply_to: None,
                    mentions: Vec::new(),
                    attachments: Vec::new(),
                    channel: None,
                },
            )
            .await;
            if sent && delivers {
                state.outbox.notify_one();
            }
        }
        Ok(Answer::NotUnderstood) => {
            leave(
                &state,
                workspace,
                id,
                message.id,
                "Dialogflow did not understand the message.",
            )
            .await
        }
        Err(error) => leave(&state, workspace, id, message.id, &error.to_string()).await,
    }
}

/// Leaves the conversation to people: a comment says why, and the bot is turned off.
async fn leave(
    state: &AppState,
    workspace: WorkspaceId,
    id: ConversationId,
    incoming: MessageId,
    reason: &str,
) {
    let text =
        format!("The Dialogflow bot stopped and left this conversation to the team: {reason}");
    let commented = write(
        state,
        NewMessage {
            original: None,
            workspace,
            conversation: id,
            client_id: Some(format!("dialogflow-stopped-{}", incoming.0)),
            kind: MessageKind::Comment,
            direction: Direction::Outgoing,
            sender_kind: SenderKind::Bot,
            sender_user: None,
            content: Content::Text { text },
            delivery_status: None,
            created_at: Utc::now(),
            reply_to: None,
            mentions: Vec::new(),
            attachments: Vec::new(),
            channel: None,
        },
    )
    .await;
    if commented {
        match state.store.set_dialogflow_bot(workspace, id, false).await {
            Ok(event) => state.publish(event),
            Err(error) => tracing::warn!(%error, "the Dialogflow bot could not be turned off"),
        }
    }
}

/// Stores what the bot wrote, unless it was turned off meanwhile.
async fn write(state: &AppState, message: NewMessage) -> bool {
    match state.store.append_message(message).await {
        Ok(appended) => {
            state.publish(appended.event);
            true
        }
        Err(StoreError::Refused(_)) => {
            tracing::debug!("the Dialogflow bot was turned off; nothing was sent");
            false
        }
        Err(error) => {
            tracing::warn!(%error, "the Dialogflow bot's message was not stored");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_words_are_asked() {
        let text = |t: &str| Content::Text { text: t.into() };
        assert_eq!(
            query_text(&text("  When do you open? ")),
            Some("When do you open?")
        );
        assert_eq!(query_text(&text("   ")), None);
        assert_eq!(
            query_text(&Content::Image {
                url: "/x.png".into(),
                caption: None
            }),
            None
        );
    }
}
