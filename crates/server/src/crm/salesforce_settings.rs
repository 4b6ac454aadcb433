//! A workspace's Salesforce connection (P6, T7): a connected app's consumer key, how it signs
//! in (refresh token and consumer secret, or the JWT bearer flow with the certificate's key
//! for one user; write-only), production or sandbox, and the Contact fields the panel shows.
//! Saving signs in and checks the fields against the org's Contact object.

use super::salesforce::{self, Salesforce, Sessions};
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

const SALESFORCE: CrmProvider = CrmProvider::Salesforce;
/// The longest consumer key, secret, refresh token or username taken.
const MAX_CREDENTIAL_CHARS: usize = 1_000;
/// The longest private key taken.
const MAX_KEY_CHARS: usize = 20_000;

/// The connection as stored (the credentials apart).
#[derive(Clone, Serialize, Deserialize)]
pub struct Stored {
    pub client_id: String,
    pub sandbox: bool,
    pub instance_url: String,
    pub fields: Vec<String>,
    pub flow: SalesforceFlow,
    pub username: Option<String>,
}

impl Stored {
    pub fn login_url<'a>(&self, state: &'a AppState) -> &'a str {
        if self.sandbox {
            &state.config.salesforce_sandbox_login_url
        } else {
            &state.config.salesforce_login_url
        }
    }

    fn settings(&self) -> SalesforceSettings {
        SalesforceSettings {
            client_id: self.client_id.clone(),
            sandbox: self.sandbox,
            flow: self.flow,
            username: self.username.clone(),
            instance_url: self.instance_url.clone(),
            fields: self.fields.clone(),
        }
    }
}

/// The kept credentials, as the integration's secret.
pub fn credentials(secret: Option<&str>) -> Result<SalesforceCredentials, ApiError> {
    secret
        .and_then(|s| serde_json::from_str(s).ok())
        .ok_or_else(|| ApiError::Conflict("Salesforce is not connected to this workspace.".into()))
}

/// The workspace's Salesforce connection, without its credentials. Every member reads it
/// (the contact panel shows Salesforce only when connected).
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/crm/salesforce",
    operation_id = "salesforce_status",
    tag = "crm",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    responses(
        (status = 200, description = "The connection, if any.", body = SalesforceStatus),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
    ),
)]
pub async fn status(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<SalesforceStatus>, ApiError> {
    let salesforce = stored::<Stored>(&state, member.workspace, SALESFORCE)
        .await?
        .map(|(stored, _)| stored.settings());
    Ok(Json(SalesforceStatus { salesforce }))
}

/// A credential as pasted: one word, not too long.
fn word(field: &str, value: &str, what: &str) -> Result<String, ApiError> {
    let value = value.trim();
    if value.is_empty()
        || value.chars().count() > MAX_CREDENTIAL_CHARS
        || value.chars().any(char::is_whitespace)
    {
        return Err(ApiError::validation(
            field,
            format!("Paste the {what} (one word without spaces)."),
        ));
    }
    Ok(value.to_owned())
}

fn checked(credentials: &SalesforceCredentials) -> Result<SalesforceCredentials, ApiError> {
    Ok(match credentials {
        SalesforceCredentials::RefreshToken {
            client_secret,
            refresh_token,
        } => SalesforceCredentials::RefreshToken {
            client_secret: word("client_secret", client_secret, "consumer secret")?,
            refresh_token: word("refresh_token", refresh_token, "refresh token")?,
        },
        SalesforceCredentials::JwtBearer {
            username,
            private_key,
        } => {
            let key = private_key.trim();
            if !key.starts_with("-----BEGIN") || key.chars().count() > MAX_KEY_CHARS {
                return Err(ApiError::validation("private_key", salesforce::BAD_KEY));
            }
            SalesforceCredentials::JwtBearer {
                username: word("username", username, "Salesforce username")?,
                private_key: key.to_owned(),
            }
        }
    })
}

/// Connects Salesforce (owners and managers): signs in with the connected app and checks
/// the fields to show. Credentials are written only: absent ones keep those kept for the
/// same consumer key.
#[utoipa::path(
    put,
    path = "/workspaces/{ws}/crm/salesforce",
    operation_id = "connect_salesforce",
    tag = "crm",
    security(("sb_session" = [])),
    params(("ws" = WorkspaceId, Path, description = "The workspace.")),
    request_body = SalesforceSettingsRequest,
    responses(
        (status = 200, description = "Connected.", body = SalesforceSettings),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 403, description = "Only owners and managers change workspace settings.", body = ErrorBody),
        (status = 404, description = "Not a member of the workspace.", body = ErrorBody),
        (status = 422, description = "Credentials Salesforce refuses (or none yet), a key that is not one, no fields, too many, or one Contacts do not have.", body = ErrorBody),
        (status = 502, description = "Salesforce could not be reached.", body = ErrorBody),
    ),
)]
pub async fn connect(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<SalesforceSettingsRequest>,
) -> Result<Json<SalesforceSettings>, ApiError> {
    member.require_manager()?;
    let client_id = word(
        "client_id",
        &request.client_id,
        "connected app's consumer key",
    )?;
    let kept = stored::<Stored>(&state, member.workspace, SALESFORCE)
        .await?
        .filter(|(stored, _)| stored.client_id == client_id)
        .and_then(|(_, secret)| credentials(secret.as_deref()).ok());
    let credentials = match &request.credentials {
        Some(given) => checked(given)?,
        None => kept.ok_or_else(|| {
            ApiError::validation(
                "credentials",
                "Give a refresh token and consumer secret, or a username and private key.",
            )
        })?,
    };
    let wanted = chosen_fields(&request.fields, "fields")?;
    let mut stored = Stored {
        client_id,
        sandbox: request.sandbox,
        instance_url: String::new(),
        fields: Vec::new(),
        flow: match credentials {
            SalesforceCredentials::RefreshToken { .. } => SalesforceFlow::RefreshToken,
            SalesforceCredentials::JwtBearer { .. } => SalesforceFlow::JwtBearer,
        },
        username: match &credentials {
            SalesforceCredentials::JwtBearer { username, .. } => Some(username.clone()),
            SalesforceCredentials::RefreshToken { .. } => None,
        },
    };
    // A session of its own: nothing is kept until everything is checked.
    let sessions = Sessions::default();
    let salesforce = Salesforce {
        client: &state.http,
        login_url: stored.login_url(&state),
        client_id: &stored.client_id,
        credentials: &credentials,
        sessions: &sessions,
        workspace: member.workspace,
    };
    let refused = |e: CrmError| match e {
        CrmError::CredentialsRefused(_) => ApiError::validation(
            "credentials",
            "Salesforce refused these credentials (check the consumer key, and that the app is approved for this user).",
        ),
        CrmError::Invalid {
            field: Some(field),
            message,
        } => ApiError::validation(&field, message),
        other => other.into(),
    };
    let session = salesforce.session().await.map_err(refused)?;
    let described = salesforce.fields().await.map_err(refused)?;
    for name in wanted {
        // Salesforce's API names match without regard to case; the org's spelling is kept.
        let Some(field) = described
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(&name))
        else {
            return Err(ApiError::validation(
                "fields",
                format!("Salesforce Contacts have no field named \"{name}\"."),
            ));
        };
        if !stored.fields.contains(&field.name) {
            stored.fields.push(field.name.clone());
        }
    }
    stored.instance_url = session.instance_url;
    let settings = serde_json::to_string(&stored)
        .map_err(|e| ApiError::Internal(format!("Salesforce settings: {e}")))?;
    let secret = serde_json::to_string(&credentials)
        .map_err(|e| ApiError::Internal(format!("Salesforce credentials: {e}")))?;
    state.published(
        state
            .store
            .set_integration(
                member.workspace,
                SALESFORCE.as_str(),
                &settings,
                Some(&secret),
                Utc::now(),
            )
            .await?,
    );
    state
        .crm_cache
        .forget_workspace(member.workspace, SALESFORCE);
    Ok(Json(stored.settings()))
}

/// Disconnects Salesforce and forgets its credentials (owners and managers).
#[utoipa::path(
    delete,
    path = "/workspaces/{ws}/crm/salesforce",
    operation_id = "disconnect_salesforce",
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
    super::disconnect(&state, &member, SALESFORCE).await
}
