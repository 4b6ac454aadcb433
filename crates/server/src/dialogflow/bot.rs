//! The Dialogflow bot at work (A6): a contact's message committed on this replica, in a
//! conversation the bot is on for, goes to the workspace's agent (`detectIntent`, one session
//! per conversation); the fulfilment text goes back to the contact as the bot's message
//! through the conversation's channel. When the agent does not understand, or anything
//! fails, the bot leaves the conversation to people: a comment says why and the bot is
//! turned off for it.

use super::client::{Answer, MAX_QUERY_CHARS};
use crate::automations;
use crate::state::AppState;
use switchboard_protocol::events::{Event, EventPayload};
use switchboard_protocol::*;

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
            &conversation,
            message.id,
            "Dialogflow is not connected any more.",
        )
        .await;
    };
    let Some(text) = query_text(&message.content) else {
        return leave(
            &state,
            workspace,
            &conversation,
            message.id,
            "the message has no text for Dialogflow.",
        )
        .await;
    };
    if text.chars().count() > MAX_QUERY_CHARS {
        let reason = format!(
            "the message is longer than the {MAX_QUERY_CHARS} characters Dialogflow takes."
        );
        return leave(&state, workspace, &conversation, message.id, &reason).await;
    }
    let agent = super::agent(&state, workspace, &key);
    let session = format!("switchboard-{}", id.0);
    match agent.detect_intent(&session, text, &language).await {
        Ok(Answer::Reply(reply)) => {
            let answer = automations::message(
                workspace,
                &conversation,
                SenderKind::Bot,
                MessageKind::Message,
                format!("dialogflow-{}", message.id.0),
                reply,
            );
            automations::write(&state, answer, "the Dialogflow bot").await;
        }
        Ok(Answer::NotUnderstood) => {
            leave(
                &state,
                workspace,
                &conversation,
                message.id,
                "Dialogflow did not understand the message.",
            )
            .await
        }
        Err(error) => {
            leave(
                &state,
                workspace,
                &conversation,
                message.id,
                &error.to_string(),
            )
            .await
        }
    }
}

/// Leaves the conversation to people: a comment says why, and the bot is turned off.
async fn leave(
    state: &AppState,
    workspace: WorkspaceId,
    conversation: &ConversationSummary,
    incoming: MessageId,
    reason: &str,
) {
    let comment = automations::message(
        workspace,
        conversation,
        SenderKind::Bot,
        MessageKind::Comment,
        format!("dialogflow-stopped-{}", incoming.0),
        format!("The Dialogflow bot stopped and left this conversation to the team: {reason}"),
    );
    if automations::write(state, comment, "the Dialogflow bot").await {
        match state
            .store
            .set_dialogflow_bot(workspace, conversation.id, false)
            .await
        {
            Ok(event) => state.publish(event),
            Err(error) => tracing::warn!(%error, "the Dialogflow bot could not be turned off"),
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
