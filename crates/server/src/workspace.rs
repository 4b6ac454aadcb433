//! Workspace settings (T5, N7's cutoff), members and their roles and permissions (T1), teams,
//! and custom contact fields (T4). Every member may read them; only owners and managers
//! change them, and only owners touch owners.

use crate::access::Member;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use switchboard_protocol::contacts::{self, CustomField, CustomFieldRequest};
use switchboard_protocol::settings::*;
use switchboard_protocol::*;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(settings, update_settings))
        .routes(routes!(members))
        .routes(routes!(update_member))
        .routes(routes!(teams, create_team))
        .routes(routes!(update_team, delete_team))
        .routes(routes!(fields, create_field))
        .routes(routes!(update_field, delete_field))
}

/// The workspace's settings (T5, N7's cutoff). Every member may read them.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/settings",
    operation_id = "get_settings",
    tag = "workspace",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 200, description = "The settings.", body = WorkspaceSettings),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn settings(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<WorkspaceSettings>, ApiError> {
    Ok(Json(state.store.settings(member.workspace).await?))
}

/// Changes the workspace's name, closing-notes setting or unreplied cutoff (managers only).
#[utoipa::path(
    patch,
    path = "/workspaces/{ws}/settings",
    operation_id = "update_settings",
    tag = "workspace",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = SettingsPatch,
    responses(
        (status = 200, description = "The settings as they are now.", body = WorkspaceSettings),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 422, description = "An empty or too long name, or a malformed body (unknown members are refused).", body = ErrorBody),
    ),
)]
async fn update_settings(
    State(state): State<AppState>,
    member: Member,
    Json(mut patch): Json<SettingsPatch>,
) -> Result<Json<WorkspaceSettings>, ApiError> {
    member.require_manager()?;
    if let Some(name) = &patch.name {
        let name = name.trim();
        if switchboard_protocol::validation::has_control(name, false)
            || name.is_empty()
            || name.chars().count() > contacts::MAX_NAME_CHARS
        {
            return Err(ApiError::validation(
                "name",
                "A workspace name is 1 to 100 characters.",
            ));
        }
        patch.name = Some(name.to_owned());
    }
    Ok(Json(
        state.published(
            state
                .store
                .update_settings(member.workspace, &patch)
                .await?,
        ),
    ))
}

/// The workspace's members with their roles, permissions and teams (T1).
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/members",
    operation_id = "list_members",
    tag = "workspace",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 200, description = "The members.", body = Vec<switchboard_protocol::settings::Member>),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn members(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Vec<switchboard_protocol::settings::Member>>, ApiError> {
    Ok(Json(state.store.members(member.workspace).await?))
}

/// Changes a member's role or permissions (managers only; only owners touch owners).
#[utoipa::path(
    patch,
    path = "/workspaces/{ws}/members/{user}",
    operation_id = "update_member",
    tag = "workspace",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("user" = UserId, Path, description = "The member's user id."),
    ),
    request_body = MemberPatch,
    responses(
        (status = 200, description = "The member as they are now.", body = switchboard_protocol::settings::Member),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Not a manager, or a manager touching an owner.", body = ErrorBody),
        (status = 404, description = "No such member, or the caller is not a member of the workspace.", body = ErrorBody),
        (status = 409, description = "The change would leave the workspace without an owner.", body = ErrorBody),
        (status = 422, description = "A malformed body (unknown members are refused).", body = ErrorBody),
    ),
)]
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
    let updated = state.published(
        state
            .store
            .update_member(member.workspace, user, &patch)
            .await?,
    );
    // Their open sockets filter by the new rights from the next event on.
    state.hub.member_changed(member.workspace, user);
    Ok(Json(updated))
}

/// The workspace's teams with their members.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/teams",
    operation_id = "list_teams",
    tag = "workspace",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 200, description = "The teams.", body = Vec<Team>),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn teams(State(state): State<AppState>, member: Member) -> Result<Json<Vec<Team>>, ApiError> {
    Ok(Json(state.store.teams(member.workspace).await?))
}

fn team_name(request: &TeamRequest) -> Result<TeamRequest, ApiError> {
    let name = request.name.trim();
    if switchboard_protocol::validation::has_control(name, false)
        || name.is_empty()
        || name.chars().count() > contacts::MAX_NAME_CHARS
    {
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

/// Creates a team with its members (managers only).
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/teams",
    operation_id = "create_team",
    tag = "workspace",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = TeamRequest,
    responses(
        (status = 201, description = "The new team.", body = Team),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 409, description = "A team of that name exists.", body = ErrorBody),
        (status = 422, description = "An empty or too long name, members outside the workspace, or a malformed body.", body = ErrorBody),
    ),
)]
async fn create_team(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<TeamRequest>,
) -> Result<Response, ApiError> {
    member.require_manager()?;
    let request = team_name(&request)?;
    // Check the members first, so a refused request writes nothing.
    let members = state.store.members(member.workspace).await?;
    if let Some(outsider) = request
        .members
        .iter()
        .find(|u| !members.iter().any(|m| m.user.id == **u))
    {
        return Err(ApiError::validation(
            "members",
            format!("User {outsider} is not a member of this workspace."),
        ));
    }
    let id = state
        .store
        .create_team(member.workspace, &request.name)
        .await?;
    let team = state.published(
        state
            .store
            .update_team(member.workspace, id, &request)
            .await?,
    );
    Ok((StatusCode::CREATED, Json(team)).into_response())
}

/// Renames a team and sets its members (managers only).
#[utoipa::path(
    put,
    path = "/workspaces/{ws}/teams/{team}",
    operation_id = "update_team",
    tag = "workspace",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("team" = TeamId, Path, description = "The team."),
    ),
    request_body = TeamRequest,
    responses(
        (status = 200, description = "The team as it is now.", body = Team),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "No such team, or not a member of the workspace.", body = ErrorBody),
        (status = 409, description = "A team of that name exists.", body = ErrorBody),
        (status = 422, description = "An empty or too long name, members outside the workspace, or a malformed body.", body = ErrorBody),
    ),
)]
async fn update_team(
    State(state): State<AppState>,
    member: Member,
    Path((_, team)): Path<(WorkspaceId, TeamId)>,
    Json(request): Json<TeamRequest>,
) -> Result<Json<Team>, ApiError> {
    member.require_manager()?;
    let request = team_name(&request)?;
    Ok(Json(
        state.published(
            state
                .store
                .update_team(member.workspace, team, &request)
                .await?,
        ),
    ))
}

/// Deletes a team (managers only).
#[utoipa::path(
    delete,
    path = "/workspaces/{ws}/teams/{team}",
    operation_id = "delete_team",
    tag = "workspace",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("team" = TeamId, Path, description = "The team."),
    ),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "No such team, or not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn delete_team(
    State(state): State<AppState>,
    member: Member,
    Path((_, team)): Path<(WorkspaceId, TeamId)>,
) -> Result<StatusCode, ApiError> {
    member.require_manager()?;
    state.publish(Some(state.store.delete_team(member.workspace, team).await?));
    Ok(StatusCode::NO_CONTENT)
}

/// The workspace's custom contact fields (T4).
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/custom-fields",
    operation_id = "list_custom_fields",
    tag = "workspace",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 200, description = "The custom fields.", body = Vec<CustomField>),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn fields(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Vec<CustomField>>, ApiError> {
    Ok(Json(state.store.custom_fields(member.workspace).await?))
}

/// Adds a custom contact field (managers only).
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/custom-fields",
    operation_id = "create_custom_field",
    tag = "workspace",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = CustomFieldRequest,
    responses(
        (status = 201, description = "The new field.", body = CustomField),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 409, description = "A field of that label exists.", body = ErrorBody),
        (status = 422, description = "An invalid label or options, or a malformed body.", body = ErrorBody),
    ),
)]
async fn create_field(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<CustomFieldRequest>,
) -> Result<Response, ApiError> {
    member.require_manager()?;
    let request = contacts::field_definition(&request)?;
    let field = state.published(
        state
            .store
            .create_custom_field(member.workspace, &request)
            .await?,
    );
    Ok((StatusCode::CREATED, Json(field)).into_response())
}

/// Changes a custom field's label or options; its type cannot change (managers only).
#[utoipa::path(
    put,
    path = "/workspaces/{ws}/custom-fields/{id}",
    operation_id = "update_custom_field",
    tag = "workspace",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = CustomFieldId, Path, description = "The custom field."),
    ),
    request_body = CustomFieldRequest,
    responses(
        (status = 200, description = "The field as it is now.", body = CustomField),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "No such field, or not a member of the workspace.", body = ErrorBody),
        (status = 409, description = "A field of that label exists.", body = ErrorBody),
        (status = 422, description = "An invalid label or options, a change of type, or a malformed body.", body = ErrorBody),
    ),
)]
async fn update_field(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, CustomFieldId)>,
    Json(request): Json<CustomFieldRequest>,
) -> Result<Json<CustomField>, ApiError> {
    member.require_manager()?;
    let request = contacts::field_definition(&request)?;
    Ok(Json(
        state.published(
            state
                .store
                .update_custom_field(member.workspace, id, &request)
                .await?,
        ),
    ))
}

/// Deletes a custom field and its values (managers only).
#[utoipa::path(
    delete,
    path = "/workspaces/{ws}/custom-fields/{id}",
    operation_id = "delete_custom_field",
    tag = "workspace",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = CustomFieldId, Path, description = "The custom field."),
    ),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "No such field, or not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn delete_field(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, CustomFieldId)>,
) -> Result<StatusCode, ApiError> {
    member.require_manager()?;
    state.publish(Some(
        state
            .store
            .delete_custom_field(member.workspace, id)
            .await?,
    ));
    Ok(StatusCode::NO_CONTENT)
}
