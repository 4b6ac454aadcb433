//! The workflow calls of the agent app (A7, A8, T9): the workspace's workflows, running a
//! Shortcut from a conversation, and a contact's runs with Stop.

use super::ClientError;
use switchboard_protocol::workflows::*;
use switchboard_protocol::{ContactId, ConversationId, WorkspaceId};

const API: &str = "/api/v1";

pub async fn workflows(workspace: WorkspaceId) -> Result<Vec<Workflow>, ClientError> {
    super::get(&format!("{API}/workspaces/{workspace}/workflows")).await
}

pub async fn create_workflow(
    workspace: WorkspaceId,
    request: &WorkflowRequest,
) -> Result<Workflow, ClientError> {
    super::post_json(&format!("{API}/workspaces/{workspace}/workflows"), request).await
}

pub async fn update_workflow(
    workspace: WorkspaceId,
    id: i64,
    request: &WorkflowRequest,
) -> Result<Workflow, ClientError> {
    super::put_json(
        &format!("{API}/workspaces/{workspace}/workflows/{id}"),
        request,
    )
    .await
}

pub async fn delete_workflow(workspace: WorkspaceId, id: i64) -> Result<(), ClientError> {
    super::delete(&format!("{API}/workspaces/{workspace}/workflows/{id}")).await
}

pub async fn run_workflow(
    workspace: WorkspaceId,
    conversation: ConversationId,
    workflow: i64,
) -> Result<WorkflowRun, ClientError> {
    super::post_json(
        &format!("{API}/workspaces/{workspace}/conversations/{conversation}/workflows"),
        &RunWorkflow { workflow },
    )
    .await
}

/// The contact's ongoing runs.
pub async fn ongoing_runs(
    workspace: WorkspaceId,
    contact: ContactId,
) -> Result<Vec<WorkflowRun>, ClientError> {
    super::get(&format!(
        "{API}/workspaces/{workspace}/contacts/{contact}/workflow-runs"
    ))
    .await
}

/// Stops one run, or all the contact's (`None`); the runs stopped.
pub async fn stop_runs(
    workspace: WorkspaceId,
    contact: ContactId,
    run: Option<i64>,
) -> Result<Vec<WorkflowRun>, ClientError> {
    super::post_json(
        &format!("{API}/workspaces/{workspace}/contacts/{contact}/workflow-runs/stop"),
        &StopRuns { run },
    )
    .await
}
