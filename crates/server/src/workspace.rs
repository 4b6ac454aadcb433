//! Workspace settings (T5, N7's cutoff), members and their roles and permissions (T1), teams,
//! and custom contact fields (T4). Every member may read them; only owners and managers
//! change them, and only owners touch owners.

use crate::access::Member;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, put};
use switchboard_protocol::contacts::{self, CustomField, CustomFieldRequest};
use switchboard_protocol::settings::*;
use switchboard_protocol::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/workspaces/{ws}/settings",
            get(settings).patch(update_settings),
        )
        .route("/workspaces/{ws}/members", get(members))
        .route("/workspaces/{ws}/members/{user}", patch(update_member))
        .route("/workspaces/{ws}/teams", get(teams).post(create_team))
        .route(
            "/workspaces/{ws}/teams/{team}",
            put(update_team).delete(delete_team),
        )
        .route(
            "/workspaces/{ws}/custom-fields",
            get(fields).post(create_field),
        )
        .route(
            "/workspaces/{ws}/custom-fields/{id}",
            put(update_field).delete(delete_field),
        )
}

async fn settings(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<WorkspaceSettings>, ApiError> {
    Ok(Json(state.store.settings(member.workspace).await?))
}

async fn update_settings(
    State(state): State<AppState>,
    member: Member,
    Json(mut patch): Json<SettingsPatch>,
) -> Result<Json<WorkspaceSettings>, ApiError> {
    member.require_manager()?;
    if let Some(name) = &patch.name {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > contacts::MAX_NAME_CHARS {
            return Err(ApiError::validation(
                "name",
                "A workspace name is 1 to 100 characters.",
            ));
        }
        patch.name = Some(name.to_owned());
    }
    Ok(Json(
        state
            .store
            .update_settings(member.workspace, &patch)
            .await?,
    ))
}

async fn members(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Vec<switchboard_protocol::settings::Member>>, ApiError> {
    Ok(Json(state.store.members(member.workspace).await?))
}

async fn update_member(
    State(state): State<AppState>,
    member: Member,
    Path((_, user)): Path<(WorkspaceId, UserId)>,
    Json(patch): Json<MemberPatch>,
) -> Result<Json<switchboard_protocol::settings::Member>, ApiError> {
    member.require_manager()?;
    let members = state.store.members(member.workspace).await?;
    let target = members
        .iter()
        .find(|m| m.user.id == user)
        .ok_or(ApiError::NotFound)?;
    let touches_owner = target.role == Role::Owner || patch.role == Some(Role::Owner);
    if touches_owner && member.viewer.role != Role::Owner {
        return Err(ApiError::Forbidden("Only owners can change owners.".into()));
    }
    let owners = members.iter().filter(|m| m.role == Role::Owner).count();
    if target.role == Role::Owner && patch.role.is_some_and(|r| r != Role::Owner) && owners == 1 {
        return Err(ApiError::Conflict(
            "A workspace keeps at least one owner.".into(),
        ));
    }
    Ok(Json(
        state
            .store
            .update_member(member.workspace, user, &patch)
            .await?,
    ))
}

async fn teams(State(state): State<AppState>, member: Member) -> Result<Json<Vec<Team>>, ApiError> {
    Ok(Json(state.store.teams(member.workspace).await?))
}

fn team_name(request: &TeamRequest) -> Result<TeamRequest, ApiError> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > contacts::MAX_NAME_CHARS {
        return Err(ApiError::validation(
            "name",
            "A team name is 1 to 100 characters.",
        ));
    }
    Ok(TeamRequest {
        name: name.to_owned(),
        members: request.members.clone(),
    })
}

async fn create_team(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<TeamRequest>,
) -> Result<Response, ApiError> {
    member.require_manager()?;
    let request = team_name(&request)?;
    let id = state
        .store
        .create_team(member.workspace, &request.name)
        .await?;
    let team = match state
        .store
        .update_team(member.workspace, id, &request)
        .await
    {
        Ok(team) => team,
        Err(error) => {
            // Members outside the workspace: take the half-made team back.
            state.store.delete_team(member.workspace, id).await?;
            return Err(error.into());
        }
    };
    Ok((StatusCode::CREATED, Json(team)).into_response())
}

async fn update_team(
    State(state): State<AppState>,
    member: Member,
    Path((_, team)): Path<(WorkspaceId, TeamId)>,
    Json(request): Json<TeamRequest>,
) -> Result<Json<Team>, ApiError> {
    member.require_manager()?;
    let request = team_name(&request)?;
    Ok(Json(
        state
            .store
            .update_team(member.workspace, team, &request)
            .await?,
    ))
}

async fn delete_team(
    State(state): State<AppState>,
    member: Member,
    Path((_, team)): Path<(WorkspaceId, TeamId)>,
) -> Result<StatusCode, ApiError> {
    member.require_manager()?;
    state.store.delete_team(member.workspace, team).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn fields(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Vec<CustomField>>, ApiError> {
    Ok(Json(state.store.custom_fields(member.workspace).await?))
}

async fn create_field(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<CustomFieldRequest>,
) -> Result<Response, ApiError> {
    member.require_manager()?;
    let request = contacts::field_definition(&request)?;
    let field = state
        .store
        .create_custom_field(member.workspace, &request)
        .await?;
    Ok((StatusCode::CREATED, Json(field)).into_response())
}

async fn update_field(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, CustomFieldId)>,
    Json(request): Json<CustomFieldRequest>,
) -> Result<Json<CustomField>, ApiError> {
    member.require_manager()?;
    let request = contacts::field_definition(&request)?;
    Ok(Json(
        state
            .store
            .update_custom_field(member.workspace, id, &request)
            .await?,
    ))
}

async fn delete_field(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, CustomFieldId)>,
) -> Result<StatusCode, ApiError> {
    member.require_manager()?;
    state
        .store
        .delete_custom_field(member.workspace, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
