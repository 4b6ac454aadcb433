//! Workflows (A7, A8, T9): managers keep the workspace's workflows (checked by the rules in
//! `switchboard_protocol::workflows::check`, and against the workspace's members, teams and
//! custom fields); agents run Shortcut workflows from a conversation, see a contact's
//! ongoing runs and stop one or all. `engine.rs` performs runs; `triggers.rs` starts the
//! others.

pub mod engine;
mod http;
pub mod triggers;

use crate::access::Member;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use switchboard_protocol::workflows::*;
use switchboard_protocol::*;
use switchboard_storage::StoreError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update, delete))
        .routes(routes!(run))
        .routes(routes!(runs))
        .routes(routes!(stop))
}

/// Checks a workflow: the shared rules, then what it names in this workspace.
async fn checked(
    state: &AppState,
    workspace: WorkspaceId,
    request: &WorkflowRequest,
) -> Result<(), ApiError> {
    check(request).map_err(|p| ApiError::validation(&p.field, p.message))?;
    let fields = state.store.custom_fields(workspace).await?;
    let known_field = |id: &CustomFieldId| fields.iter().any(|f| f.id == *id);
    if let WorkflowTrigger::ContactFieldUpdated { field: Some(f) } = &request.trigger
        && !known_field(f)
    {
        return Err(ApiError::validation(
            "trigger",
            "There is no such custom field.",
        ));
    }
    let members = state.store.members(workspace).await?;
    let teams = state.store.teams(workspace).await?;
    for (i, step) in request.steps.iter().enumerate() {
        let at = |part: &str| format!("steps.{i}.{part}");
        match step {
            WorkflowStep::UpdateContactField { field, value } => {
                let Some(definition) = fields.iter().find(|f| f.id == *field) else {
                    return Err(ApiError::validation(
                        &at("field"),
                        "There is no such custom field.",
                    ));
                };
                switchboard_protocol::contacts::field_value(definition, value)
                    .map_err(|e| ApiError::validation(&at("value"), e.message))?;
            }
            WorkflowStep::Branch {
                condition: WorkflowCondition::ContactField { field, .. },
                ..
            } if !known_field(field) => {
                return Err(ApiError::validation(
                    &at("condition"),
                    "There is no such custom field.",
                ));
            }
            WorkflowStep::Assign {
                assignee: Some(AssigneeRef::User { id }),
            } if !members.iter().any(|m| m.user.id == *id) => {
                return Err(ApiError::validation(
                    &at("assignee"),
                    "Assign to a member of this workspace.",
                ));
            }
            WorkflowStep::Assign {
                assignee: Some(AssigneeRef::Team { id }),
            } if !teams.iter().any(|t| t.id == *id) => {
                return Err(ApiError::validation(
                    &at("assignee"),
                    "Assign to a team of this workspace.",
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

fn named(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict { .. } => {
            ApiError::validation("name", "Another workflow has this name.")
        }
        other => other.into(),
    }
}

/// The workspace's workflows. Every member reads them (the Shortcut menu lists the enabled
/// Shortcut workflows).
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/workflows",
    operation_id = "workflows",
    tag = "workflows",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 200, description = "The workflows, by name.", body = Vec<Workflow>),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn list(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Vec<Workflow>>, ApiError> {
    Ok(Json(state.store.workflows(member.workspace).await?))
}

/// Adds a workflow (owners and managers).
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/workflows",
    operation_id = "create_workflow",
    tag = "workflows",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = WorkflowRequest,
    responses(
        (status = 201, description = "Saved.", body = Workflow),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workflows.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 422, description = "A rule broken (the field names the step and part), or a name in use.", body = ErrorBody),
    ),
)]
async fn create(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<WorkflowRequest>,
) -> Result<(StatusCode, Json<Workflow>), ApiError> {
    member.require_manager()?;
    checked(&state, member.workspace, &request).await?;
    let (workflow, event) = state
        .store
        .create_workflow(member.workspace, &request, Utc::now())
        .await
        .map_err(named)?;
    state.publish(Some(event));
    Ok((StatusCode::CREATED, Json(workflow)))
}

/// Changes a workflow (owners and managers). Runs already started keep their steps.
#[utoipa::path(
    put,
    path = "/workspaces/{ws}/workflows/{id}",
    operation_id = "update_workflow",
    tag = "workflows",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = i64, Path, description = "The workflow."),
    ),
    request_body = WorkflowRequest,
    responses(
        (status = 200, description = "Saved.", body = Workflow),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workflows.", body = ErrorBody),
        (status = 404, description = "No such workflow in the workspace.", body = ErrorBody),
        (status = 422, description = "A rule broken, or a name in use.", body = ErrorBody),
    ),
)]
async fn update(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, i64)>,
    Json(request): Json<WorkflowRequest>,
) -> Result<Json<Workflow>, ApiError> {
    member.require_manager()?;
    checked(&state, member.workspace, &request).await?;
    let (workflow, event) = state
        .store
        .update_workflow(member.workspace, id, &request, Utc::now())
        .await
        .map_err(named)?;
    state.publish(Some(event));
    Ok(Json(workflow))
}

/// Deletes a workflow and stops its ongoing runs (owners and managers).
#[utoipa::path(
    delete,
    path = "/workspaces/{ws}/workflows/{id}",
    operation_id = "delete_workflow",
    tag = "workflows",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = i64, Path, description = "The workflow."),
    ),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workflows.", body = ErrorBody),
        (status = 404, description = "No such workflow in the workspace.", body = ErrorBody),
    ),
)]
async fn delete(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, i64)>,
) -> Result<StatusCode, ApiError> {
    member.require_manager()?;
    let event = state
        .store
        .delete_workflow(member.workspace, id, Utc::now())
        .await?;
    state.publish(Some(event));
    Ok(StatusCode::NO_CONTENT)
}

/// Runs an enabled Shortcut workflow for the conversation (A7; any member who sees it).
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/conversations/{id}/workflows",
    operation_id = "run_workflow",
    tag = "workflows",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ConversationId, Path, description = "The conversation."),
    ),
    request_body = RunWorkflow,
    responses(
        (status = 201, description = "Started.", body = WorkflowRun),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such conversation or workflow, or hidden from the caller.", body = ErrorBody),
        (status = 409, description = "Not an enabled Shortcut workflow.", body = ErrorBody),
    ),
)]
async fn run(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
    Json(request): Json<RunWorkflow>,
) -> Result<(StatusCode, Json<WorkflowRun>), ApiError> {
    member.conversation(&state, id).await?;
    let workflow = state
        .store
        .workflow(member.workspace, request.workflow)
        .await?;
    if workflow.trigger != WorkflowTrigger::Shortcut || !workflow.enabled {
        return Err(ApiError::Conflict(
            "Only enabled Shortcut workflows run by hand.".into(),
        ));
    }
    let started = state
        .store
        .start_workflow_run(
            member.workspace,
            workflow.id,
            id,
            Some(member.user.id),
            None,
            Utc::now(),
        )
        .await?
        .ok_or_else(|| ApiError::Internal("a Shortcut run was not started".into()))?;
    state.workflows.notify_one();
    Ok((StatusCode::CREATED, Json(started)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct RunsQuery {
    /// Finished runs too (newest first, at most 100).
    #[serde(default)]
    all: bool,
}

/// A contact's workflow runs: the ongoing ones (A8), or all with `all=true`; each with its
/// steps' log.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/contacts/{id}/workflow-runs",
    operation_id = "workflow_runs",
    tag = "workflows",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ContactId, Path, description = "The contact."),
        RunsQuery,
    ),
    responses(
        (status = 200, description = "The runs, newest first.", body = Vec<WorkflowRun>),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such contact, or hidden from the caller.", body = ErrorBody),
    ),
)]
async fn runs(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ContactId)>,
    Query(query): Query<RunsQuery>,
) -> Result<Json<Vec<WorkflowRun>>, ApiError> {
    member.contact(state.store.contact(member.workspace, id).await?)?;
    Ok(Json(
        state
            .store
            .workflow_runs(member.workspace, id, !query.all)
            .await?,
    ))
}

/// Stops one of the contact's ongoing runs, or all of them (A8): a stopped run performs no
/// further step.
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/contacts/{id}/workflow-runs/stop",
    operation_id = "stop_workflow_runs",
    tag = "workflows",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ContactId, Path, description = "The contact."),
    ),
    request_body = StopRuns,
    responses(
        (status = 200, description = "The runs stopped.", body = Vec<WorkflowRun>),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such contact or ongoing run, or hidden from the caller.", body = ErrorBody),
    ),
)]
async fn stop(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ContactId)>,
    Json(request): Json<StopRuns>,
) -> Result<Json<Vec<WorkflowRun>>, ApiError> {
    member.contact(state.store.contact(member.workspace, id).await?)?;
    Ok(Json(
        state
            .store
            .stop_workflow_runs(
                member.workspace,
                id,
                request.run,
                member.user.id,
                Utc::now(),
            )
            .await?,
    ))
}
