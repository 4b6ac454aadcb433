//! The workflow calls of the agent app (A7, A8, T9): the workspace's workflows, running a
//! Shortcut from a conversation, and a contact's runs with Stop.

use super::ClientError;
use switchboard_protocol::workflows::*;
use switchboard_protocol::{ContactId, ConversationId, WorkspaceId};

const API: &str = "/api/v1";

pub async fn workflows(workspace: WorkspaceId) -> Result<Vec<Workflow>, ClientError> {
    super::get(&format!("{API}/workspaces/{workspace}/workflows")).await
}

/// A workflow as the inbox's Shortcut menus read it: id, name, whether it is on, and its
/// trigger's kind. Its steps are skipped unread, so the first load carries no reader for them.
#[derive(serde::Deserialize)]
struct Listed {
    id: i64,
    name: String,
    enabled: bool,
    trigger: ListedTrigger,
}

#[derive(serde::Deserialize)]
struct ListedTrigger {
    kind: String,
}

/// The workflows an agent may run by hand: enabled Shortcuts (A7), as id and name.
pub async fn shortcuts(workspace: WorkspaceId) -> Result<Vec<(i64, String)>, ClientError> {
    let listed: Vec<Listed> =
        super::get(&format!("{API}/workspaces/{workspace}/workflows")).await?;
    Ok(shortcuts_of(listed))
}

fn shortcuts_of(listed: Vec<Listed>) -> Vec<(i64, String)> {
    listed
        .into_iter()
        .filter(|w| w.enabled && w.trigger.kind == "shortcut")
        .map(|w| (w.id, w.name))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn workflow(id: i64, trigger: WorkflowTrigger, enabled: bool) -> Workflow {
        Workflow {
            id,
            name: format!("Workflow {id}"),
            trigger,
            steps: vec![WorkflowStep::Wait { seconds: 300 }],
            enabled,
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn only_enabled_shortcuts_are_offered_from_the_servers_workflows() {
        let all = vec![
            workflow(1, WorkflowTrigger::Shortcut, true),
            workflow(2, WorkflowTrigger::Shortcut, false),
            workflow(3, WorkflowTrigger::ConversationClosed, true),
            workflow(
                4,
                WorkflowTrigger::ContactFieldUpdated { field: None },
                true,
            ),
        ];
        let json = serde_json::to_string(&all).expect("the server's answer");
        let listed: Vec<Listed> = serde_json::from_str(&json).expect("read as listed");
        assert_eq!(shortcuts_of(listed), vec![(1, "Workflow 1".to_owned())]);
    }
}
