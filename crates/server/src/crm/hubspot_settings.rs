//! A workspace's HubSpot connection (P5, T7): a private app's access token, write-only, and
//! the contact properties the panel shows, both checked with HubSpot when saved.

use super::hubspot::Hubspot;
use super::{CrmError, chosen_fields, stored};
use crate::access::Member;
use crate::error::ApiError;
use crate::extract::Json;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use switchboard_protocol::crm::*;
use switchboard_protocol::*;

const HUBSPOT: CrmProvider = CrmProvider::Hubspot;

/// The connection as stored (the token apart).
#[derive(Clone, Serialize, Deserialize)]
pub struct Stored {
    pub portal_id: u64,
    pub ui_domain: Option<String>,
    pub properties: Vec<String>,
}

pub fn client<'a>(state: &'a AppState, token: &'a str) -> Hubspot<'a> {
    Hubspot {
        client: &state.http,
        base: &state.config.hubspot_api_url,
        token,
    }
}

/// The workspace's HubSpot connection, without its token. Every member reads it (the
/// contact panel shows HubSpot only when connected).
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/crm/hubspot",
    operation_id = "hubspot_status",
    tag = "crm",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 200, description = "The connection, if any.", body = HubspotStatus),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
pub async fn status(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<HubspotStatus>, ApiError> {
    let hubspot = stored::<Stored>(&state, member.workspace, HUBSPOT)
        .await?
        .map(|(stored, _)| HubspotSettings {
            portal_id: stored.portal_id,
            properties: stored.properties,
        });
    Ok(Json(HubspotStatus { hubspot }))
}

/// Connects HubSpot (owners and managers): the token is checked with HubSpot, and so are the
/// properties to show. The token is written only: an absent one keeps the one kept.
#[utoipa::path(
    put,
    path = "/workspaces/{ws}/crm/hubspot",
    operation_id = "connect_hubspot",
    tag = "crm",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = HubspotSettingsRequest,
    responses(
        (status = 200, description = "Connected.", body = HubspotSettings),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 422, description = "A token HubSpot refuses (or none yet), no properties, too many, or one HubSpot does not have.", body = ErrorBody),
        (status = 502, description = "HubSpot could not be reached.", body = ErrorBody),
    ),
)]
pub async fn connect(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<HubspotSettingsRequest>,
) -> Result<Json<HubspotSettings>, ApiError> {
    member.require_manager()?;
    let kept = stored::<Stored>(&state, member.workspace, HUBSPOT)
        .await?
        .and_then(|(_, token)| token);
    let token = match request.access_token.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() && !t.chars().any(char::is_whitespace) => t.to_owned(),
        Some(_) => {
            return Err(ApiError::validation(
                "access_token",
                "An access token is one word without spaces.",
            ));
        }
        None => kept.ok_or_else(|| {
            ApiError::validation("access_token", "Paste the private app's access token.")
        })?,
    };
    let properties = chosen_fields(&request.properties, "properties")?;
    let hubspot = client(&state, &token);
    let account = hubspot.account().await.map_err(|e| match e {
        CrmError::CredentialsRefused(_) => {
            ApiError::validation("access_token", "HubSpot refused this access token.")
        }
        other => other.into(),
    })?;
    let definitions = hubspot.properties().await?;
    if let Some(unknown) = properties
        .iter()
        .find(|p| !definitions.iter().any(|d| &d.name == *p))
    {
        return Err(ApiError::validation(
            "properties",
            format!("HubSpot contacts have no property named \"{unknown}\"."),
        ));
    }
    let stored = Stored {
        portal_id: account.portal_id,
        ui_domain: account.ui_domain,
        properties,
    };
    let settings = serde_json::to_string(&stored)
        .map_err(|e| ApiError::Internal(format!("HubSpot settings: {e}")))?;
    state.published(
        state
            .store
            .set_integration(
                member.workspace,
                HUBSPOT.as_str(),
                &settings,
                Some(&token),
                Utc::now(),
            )
            .await?,
    );
    state.crm_cache.forget_workspace(member.workspace, HUBSPOT);
    Ok(Json(HubspotSettings {
        portal_id: stored.portal_id,
        properties: stored.properties,
    }))
}

/// Disconnects HubSpot and forgets its token (owners and managers).
#[utoipa::path(
    delete,
    path = "/workspaces/{ws}/crm/hubspot",
    operation_id = "disconnect_hubspot",
    tag = "crm",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 204, description = "Disconnected (or it was not connected)."),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
pub async fn disconnect(
    State(state): State<AppState>,
    member: Member,
) -> Result<StatusCode, ApiError> {
    super::disconnect(&state, &member, HUBSPOT).await
}
