//! Who may do what: session → user (`CurrentUser`), user → workspace membership.

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::request::Parts;
use switchboard_protocol::*;

/// The caller's membership of `workspace`; `NotFound` (not `Forbidden`) for outsiders, so
/// the existence of other workspaces is not revealed.
pub async fn member(
    state: &AppState,
    user: &User,
    workspace: WorkspaceId,
) -> Result<WorkspaceMembership, ApiError> {
    state
        .store
        .membership(workspace, user.id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Unknown `/api/v1` paths: 401 without a session (nothing about the API is revealed), 404
/// with one.
pub async fn api_fallback(State(state): State<AppState>, parts: Parts) -> ApiError {
    match CurrentUser::from_parts(&parts, &state).await {
        Ok(_) => ApiError::NotFound,
        Err(error) => error,
    }
}

/// A known path with the wrong method: 401 without a session, like any other path; 405 with
/// one.
pub async fn api_method_not_allowed(State(state): State<AppState>, parts: Parts) -> ApiError {
    match CurrentUser::from_parts(&parts, &state).await {
        Ok(_) => ApiError::MethodNotAllowed,
        Err(error) => error,
    }
}
