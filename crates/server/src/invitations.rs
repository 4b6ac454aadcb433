//! Invitations (T1): owners and managers invite an e-mail address with a role (only owners
//! invite owners) and pass on the link, which works for seven days, once. The link's page
//! shows what it invites to; the invitee joins with a new account (name and password), or,
//! when the address has an account already, with that account's password. Joining signs
//! them in.

use crate::access::Member;
use crate::auth::{hash_password, password_matches, signed_in};
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::tokens;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use switchboard_protocol::contacts;
use switchboard_protocol::settings::*;
use switchboard_protocol::*;
use switchboard_storage::{NewInvitation, NewUser, StoreError};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, invite))
        .routes(routes!(revoke))
        .routes(routes!(preview))
        .routes(routes!(accept))
}

/// The workspace's pending invitations (owners and managers).
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/invitations",
    operation_id = "list_invitations",
    tag = "workspace",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 200, description = "Pending invitations, newest first.", body = Vec<Invitation>),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Not an owner or manager.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn list(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Vec<Invitation>>, ApiError> {
    member.require_manager()?;
    Ok(Json(
        state
            .store
            .invitations(member.workspace, Utc::now())
            .await?,
    ))
}

/// Invites an e-mail address with a role; the answer holds the link (shown only now).
#[utoipa::path(
    post,
    path = "/workspaces/{ws}/invitations",
    operation_id = "invite",
    tag = "workspace",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = InvitationRequest,
    responses(
        (status = 201, description = "The invitation and its link.", body = InvitationCreated),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Not an owner or manager, or a manager inviting an owner.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 409, description = "The address is a member already.", body = ErrorBody),
        (status = 422, description = "Not an e-mail address.", body = ErrorBody),
    ),
)]
async fn invite(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<InvitationRequest>,
) -> Result<Response, ApiError> {
    member.require_manager()?;
    if request.role == Role::Owner && member.viewer.role != Role::Owner {
        return Err(ApiError::Forbidden("Only owners invite owners.".into()));
    }
    let email = contacts::email(Some(&request.email))
        .map_err(|invalid| ApiError::validation("email", invalid.message))?
        .ok_or_else(|| ApiError::validation("email", "Enter the e-mail address to invite."))?;
    let token = tokens::new_token();
    let now = Utc::now();
    let invitation = state
        .store
        .create_invitation(NewInvitation {
            workspace: member.workspace,
            email: &email,
            role: request.role,
            token_hash: &tokens::hash(&token),
            invited_by: member.user.id,
            created_at: now,
            expires_at: now + Duration::days(INVITATION_DAYS),
        })
        .await
        .map_err(|error| match error {
            StoreError::Conflict { .. } => {
                ApiError::Conflict(format!("{email} is a member of this workspace already."))
            }
            other => other.into(),
        })?;
    let link = format!(
        "{}/invite/{token}",
        state.config.public_url(state.config.bind)
    );
    Ok((
        StatusCode::CREATED,
        Json(InvitationCreated { invitation, link }),
    )
        .into_response())
}

/// Withdraws a pending invitation: its link stops working.
#[utoipa::path(
    delete,
    path = "/workspaces/{ws}/invitations/{id}",
    operation_id = "revoke_invitation",
    tag = "workspace",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = InvitationId, Path, description = "The invitation."),
    ),
    responses(
        (status = 204, description = "Withdrawn."),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Not an owner or manager.", body = ErrorBody),
        (status = 404, description = "No such pending invitation here.", body = ErrorBody),
    ),
)]
async fn revoke(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, InvitationId)>,
) -> Result<StatusCode, ApiError> {
    member.require_manager()?;
    state.store.revoke_invitation(member.workspace, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a link invites to (public: the link is the secret).
#[utoipa::path(
    get,
    path = "/invitations/{token}",
    operation_id = "invitation",
    tag = "auth",
    params(("token" = String, Path, description = "The token of the invitation's link.")),
    responses(
        (status = 200, description = "The invitation.", body = InvitationPreview),
        (status = 404, description = "The link does not work (any more).", body = ErrorBody),
    ),
)]
async fn preview(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<InvitationPreview>, ApiError> {
    let open = state
        .store
        .open_invitation(&tokens::hash(&token), Utc::now())
        .await?
        .ok_or(ApiError::NotFound)?;
    let existing_account = state
        .store
        .user_credentials(&open.invitation.email)
        .await?
        .is_some();
    Ok(Json(InvitationPreview {
        workspace: open.workspace_name,
        email: open.invitation.email,
        role: open.invitation.role,
        existing_account,
    }))
}

/// Joins the workspace through the link: a new account with a name and password, or the
/// address's existing account with its password. Signs the invitee in.
#[utoipa::path(
    post,
    path = "/invitations/{token}/accept",
    operation_id = "accept_invitation",
    tag = "auth",
    params(("token" = String, Path, description = "The token of the invitation's link.")),
    request_body = AcceptInvitation,
    responses(
        (status = 200, description = "Joined and signed in; the session cookie is set.", body = api::Me),
        (status = 401, description = "The existing account's password is wrong.", body = ErrorBody),
        (status = 404, description = "The link does not work (any more).", body = ErrorBody),
        (status = 422, description = "A missing name, or a password under 8 characters.", body = ErrorBody),
    ),
)]
async fn accept(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Json(request): Json<AcceptInvitation>,
) -> Result<Response, ApiError> {
    let token_hash = tokens::hash(&token);
    let now = Utc::now();
    let open = state
        .store
        .open_invitation(&token_hash, now)
        .await?
        .ok_or(ApiError::NotFound)?;
    let email = open.invitation.email;
    let user = match state.store.user_credentials(&email).await? {
        Some(credentials) => {
            if !password_matches(Some(&credentials), &request.password).await? {
                return Err(ApiError::Unauthorized);
            }
            credentials.user
        }
        None => {
            let name = contacts::name("name", &request.name)
                .map_err(|invalid| ApiError::validation("name", invalid.message))?;
            if name.is_empty() {
                return Err(ApiError::validation("name", "Enter your name."));
            }
            if request.password.chars().count() < MIN_PASSWORD_CHARS {
                return Err(ApiError::validation(
                    "password",
                    format!("Choose a password of at least {MIN_PASSWORD_CHARS} characters."),
                ));
            }
            let password_hash = hash_password(&request.password)?;
            state
                .store
                .create_user(NewUser {
                    name: &name,
                    email: &email,
                    password_hash: &password_hash,
                })
                .await?
        }
    };
    let (_, event) = state
        .store
        .accept_invitation(&token_hash, user.id, now)
        .await?;
    state.publish(Some(event));
    signed_in(&state, user).await
}
