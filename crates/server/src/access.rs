//! Who may do what. [`Member`] is the signed-in caller as a member of the workspace named in
//! the path (`/workspaces/{ws}/…`); outsiders get 404, not 403, so other workspaces' existence
//! is not revealed. Everything a member receives passes through [`Member::show`] /
//! [`Member::contact`]: blocked contacts' conversations vanish for members who may not view
//! them, and phone numbers vanish for masked members (P4).

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, RawPathParams, State};
use axum::http::request::Parts;
use switchboard_protocol::contacts::Contact;
use switchboard_protocol::*;
use switchboard_storage::Viewer;

/// The caller, as a member of the path's workspace.
#[derive(Clone, Debug)]
pub struct Member {
    pub user: User,
    pub workspace: WorkspaceId,
    pub viewer: Viewer,
}

impl FromRequestParts<AppState> for Member {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Member, ApiError> {
        let CurrentUser(user) = CurrentUser::from_parts(parts, state).await?;
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound)?;
        let workspace = params
            .iter()
            .find(|(name, _)| *name == "ws")
            .and_then(|(_, value)| value.parse().ok())
            .ok_or(ApiError::NotFound)?;
        Member::of(state, user, workspace).await
    }
}

impl Member {
    /// `user` as a member of `workspace`, or `NotFound`.
    pub async fn of(
        state: &AppState,
        user: User,
        workspace: WorkspaceId,
    ) -> Result<Member, ApiError> {
        let viewer = state
            .store
            .viewer(workspace, user.id)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok(Member {
            user,
            workspace,
            viewer,
        })
    }

    pub fn permissions(&self) -> Permissions {
        self.viewer.permissions
    }

    /// Owners and managers change workspace settings; the server refuses everyone else.
    pub fn require_manager(&self) -> Result<(), ApiError> {
        if self.viewer.role.manages() {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "Only owners and managers can change workspace settings.".into(),
            ))
        }
    }

    /// A conversation as this member may see it, or `NotFound`.
    pub fn show(&self, conversation: ConversationSummary) -> Result<ConversationSummary, ApiError> {
        if conversation.visible_to(self.permissions()) {
            Ok(conversation.masked_for(self.permissions()))
        } else {
            Err(ApiError::NotFound)
        }
    }

    /// A contact as this member may see it, or `NotFound`.
    pub fn contact(&self, mut contact: Contact) -> Result<Contact, ApiError> {
        if contact.summary.blocked && !self.permissions().view_blocked {
            return Err(ApiError::NotFound);
        }
        contact.summary = contact.summary.masked_for(self.permissions());
        Ok(contact)
    }

    /// The conversation, checked visible to this member.
    pub async fn conversation(
        &self,
        state: &AppState,
        id: ConversationId,
    ) -> Result<ConversationSummary, ApiError> {
        self.show(state.store.conversation(self.workspace, id).await?)
    }
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
