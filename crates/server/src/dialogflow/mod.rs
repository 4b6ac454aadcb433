//! The Dialogflow bot (A6, T7): a workspace's Dialogflow ES agent — a service account's key,
//! write-only, checked by signing in at Google when saved, and the language it is asked in —
//! and the per-conversation switch in the conversation's ⋮ menu. The bot itself is in
//! `bot.rs`, Google's APIs in `client.rs`.

pub mod bot;
pub mod client;

use crate::access::Member;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use client::{Agent, DialogflowError, KeyFile, Tokens};
use serde::{Deserialize, Serialize};
use switchboard_protocol::dialogflow::*;
use switchboard_protocol::*;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The integration's kind in the store.
const KIND: &str = "dialogflow";
/// The longest key file taken.
const MAX_KEY_FILE_BYTES: usize = 20_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(status, connect, disconnect))
        .routes(routes!(switch))
}

impl From<DialogflowError> for ApiError {
    fn from(error: DialogflowError) -> ApiError {
        ApiError::Upstream(error.to_string())
    }
}

/// The connection as stored (the private key is the secret).
#[derive(Clone, Serialize, Deserialize)]
struct Stored {
    project_id: String,
    client_email: String,
    private_key_id: String,
    language_code: String,
}

impl Stored {
    fn settings(&self) -> DialogflowSettings {
        DialogflowSettings {
            project_id: self.project_id.clone(),
            client_email: self.client_email.clone(),
            language_code: self.language_code.clone(),
        }
    }

    fn key(&self, private_key: String) -> KeyFile {
        KeyFile {
            kind: "service_account".into(),
            project_id: self.project_id.clone(),
            private_key_id: self.private_key_id.clone(),
            private_key,
            client_email: self.client_email.clone(),
        }
    }
}

/// The workspace's agent, if connected: how it is asked, and its key.
pub async fn connection(
    state: &AppState,
    workspace: WorkspaceId,
) -> Result<Option<(String, KeyFile)>, ApiError> {
    let Some(integration) = state.store.integration(workspace, KIND).await? else {
        return Ok(None);
    };
    let stored: Stored = serde_json::from_str(&integration.settings)
        .map_err(|e| ApiError::Internal(format!("stored Dialogflow settings: {e}")))?;
    Ok(integration
        .secret
        .map(|key| (stored.language_code.clone(), stored.key(key))))
}

pub fn agent<'a>(state: &'a AppState, workspace: WorkspaceId, key: &'a KeyFile) -> Agent<'a> {
    Agent {
        client: &state.http,
        token_url: &state.config.google_token_url,
        api_url: &state.config.dialogflow_api_url,
        key,
        tokens: &state.dialogflow_tokens,
        workspace,
    }
}

/// A language tag as Dialogflow takes them: `en`, `pt-BR`, `zh-HK`.
fn language_tag(code: &str) -> Option<String> {
    let code = code.trim();
    let mut parts = code.split('-');
    let first = parts.next()?;
    let ok = (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts
            .all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    (ok && code.len() <= 35).then(|| code.to_owned())
}

/// The workspace's Dialogflow agent, without its key. Every member reads it (the ⋮ menu
/// offers the bot only when connected).
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/dialogflow",
    operation_id = "dialogflow_status",
    tag = "dialogflow",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 200, description = "The connection, if any.", body = DialogflowStatus),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn status(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<DialogflowStatus>, ApiError> {
    let dialogflow = match state.store.integration(member.workspace, KIND).await? {
        Some(integration) => Some(
            serde_json::from_str::<Stored>(&integration.settings)
                .map_err(|e| ApiError::Internal(format!("stored Dialogflow settings: {e}")))?
                .settings(),
        ),
        None => None,
    };
    Ok(Json(DialogflowStatus { dialogflow }))
}

/// Connects a Dialogflow ES agent (owners and managers) with a service account's JSON key,
/// checked by signing in at Google. The key is written only: an absent one keeps the one
/// kept.
#[utoipa::path(
    put,
    path = "/workspaces/{ws}/dialogflow",
    operation_id = "connect_dialogflow",
    tag = "dialogflow",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = DialogflowSettingsRequest,
    responses(
        (status = 200, description = "Connected.", body = DialogflowSettings),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 422, description = "Not a service account's key file, a key Google refuses (or none yet), or not a language tag.", body = ErrorBody),
        (status = 502, description = "Google could not be reached.", body = ErrorBody),
    ),
)]
async fn connect(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<DialogflowSettingsRequest>,
) -> Result<Json<DialogflowSettings>, ApiError> {
    member.require_manager()?;
    let language_code = language_tag(&request.language_code).ok_or_else(|| {
        ApiError::validation("language_code", "A language tag, such as en or pt-BR.")
    })?;
    let key = match &request.key_file {
        Some(text) => {
            let not_a_key = || {
                ApiError::validation(
                    "key_file",
                    "Paste the service account's JSON key file as Google Cloud gives it.",
                )
            };
            if text.len() > MAX_KEY_FILE_BYTES {
                return Err(not_a_key());
            }
            let key: KeyFile = serde_json::from_str(text).map_err(|_| not_a_key())?;
            if key.kind != "service_account"
                || key.project_id.trim().is_empty()
                || key.client_email.trim().is_empty()
                || !key
                    .project_id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':' || c == '.')
            {
                return Err(not_a_key());
            }
            key
        }
        None => connection(&state, member.workspace)
            .await?
            .map(|(_, key)| key)
            .ok_or_else(|| {
                ApiError::validation("key_file", "Paste the service account's JSON key file.")
            })?,
    };
    // Signing in proves the key; the token is not kept (the next question signs in again).
    let tokens = Tokens::default();
    let check = Agent {
        tokens: &tokens,
        ..agent(&state, member.workspace, &key)
    };
    check.sign_in().await.map_err(|e| match e {
        DialogflowError::KeyRefused => {
            ApiError::validation("key_file", "Google refused this service account's key.")
        }
        other => other.into(),
    })?;
    let stored = Stored {
        project_id: key.project_id.clone(),
        client_email: key.client_email.clone(),
        private_key_id: key.private_key_id.clone(),
        language_code,
    };
    let settings = serde_json::to_string(&stored)
        .map_err(|e| ApiError::Internal(format!("Dialogflow settings: {e}")))?;
    state.published(
        state
            .store
            .set_integration(
                member.workspace,
                KIND,
                &settings,
                Some(&key.private_key),
                Utc::now(),
            )
            .await?,
    );
    state.dialogflow_tokens.forget(member.workspace);
    Ok(Json(stored.settings()))
}

/// Disconnects Dialogflow and forgets the key (owners and managers). Conversations the bot
/// was on for get no more answers.
#[utoipa::path(
    delete,
    path = "/workspaces/{ws}/dialogflow",
    operation_id = "disconnect_dialogflow",
    tag = "dialogflow",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 204, description = "Disconnected (or it was not connected)."),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
async fn disconnect(State(state): State<AppState>, member: Member) -> Result<StatusCode, ApiError> {
    member.require_manager()?;
    let event = state
        .store
        .delete_integration(member.workspace, KIND)
        .await?;
    state.publish(event);
    state.dialogflow_tokens.forget(member.workspace);
    Ok(StatusCode::NO_CONTENT)
}

/// Turns the Dialogflow bot on or off for a conversation (any member who sees it). It is
/// turned on only while Dialogflow is connected; off always.
#[utoipa::path(
    put,
    path = "/workspaces/{ws}/conversations/{id}/dialogflow",
    operation_id = "switch_dialogflow_bot",
    tag = "dialogflow",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ConversationId, Path, description = "The conversation."),
    ),
    request_body = DialogflowBot,
    responses(
        (status = 200, description = "The conversation as it is now.", body = ConversationSummary),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such conversation, or hidden from the caller.", body = ErrorBody),
        (status = 409, description = "Dialogflow is not connected.", body = ErrorBody),
    ),
)]
async fn switch(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ConversationId)>,
    Json(request): Json<DialogflowBot>,
) -> Result<Json<ConversationSummary>, ApiError> {
    member.conversation(&state, id).await?;
    if request.enabled && connection(&state, member.workspace).await?.is_none() {
        return Err(ApiError::Conflict(
            "Dialogflow is not connected to this workspace.".into(),
        ));
    }
    let event = state
        .store
        .set_dialogflow_bot(member.workspace, id, request.enabled)
        .await?;
    state.publish(event);
    Ok(Json(member.conversation(&state, id).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_checked() {
        for good in ["en", "pt-BR", "zh-HK", "es-419"] {
            assert_eq!(language_tag(good).as_deref(), Some(good));
        }
        for bad in ["", "e", "english", "en_GB", "en-", "../x"] {
            assert_eq!(language_tag(bad), None, "{bad}");
        }
    }
}
