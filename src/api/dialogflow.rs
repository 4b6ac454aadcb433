//! The Dialogflow calls of the agent app (A6, T7): the workspace's agent and the bot's
//! switch per conversation.

use super::ClientError;
use switchboard_protocol::dialogflow::*;
use switchboard_protocol::{ConversationId, ConversationSummary, WorkspaceId};

const API: &str = "/api/v1";

pub async fn dialogflow_status(workspace: WorkspaceId) -> Result<DialogflowStatus, ClientError> {
    super::get(&format!("{API}/workspaces/{workspace}/dialogflow")).await
}

pub async fn connect_dialogflow(
    workspace: WorkspaceId,
    request: &DialogflowSettingsRequest,
) -> Result<DialogflowSettings, ClientError> {
    super::put_json(&format!("{API}/workspaces/{workspace}/dialogflow"), request).await
}

pub async fn disconnect_dialogflow(workspace: WorkspaceId) -> Result<(), ClientError> {
    super::delete(&format!("{API}/workspaces/{workspace}/dialogflow")).await
}

/// Turns the bot on or off for the conversation; the conversation as it is now.
pub async fn switch_dialogflow_bot(
    workspace: WorkspaceId,
    conversation: ConversationId,
    enabled: bool,
) -> Result<ConversationSummary, ClientError> {
    super::put_json(
        &format!("{API}/workspaces/{workspace}/conversations/{conversation}/dialogflow"),
        &DialogflowBot { enabled },
    )
    .await
}
