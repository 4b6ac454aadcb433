//! CRM panels (P5, T7): a workspace's HubSpot connection — a private app's access token,
//! write-only, and the contact properties the panel shows — and a contact's HubSpot record,
//! found by e-mail address or phone number, shown with the fields agents may edit and saved
//! back field by field. Records are cached for [`CACHE_FOR`] per contact; a change clears
//! the contact's entry. Phone values never reach members whose phone numbers are masked.

pub mod hubspot;

use crate::access::Member;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use hubspot::{Account, CrmError, Hubspot, Object, Property};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use switchboard_protocol::crm::*;
use switchboard_protocol::*;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The integration's kind in the store.
const KIND: &str = "hubspot";
/// How long a contact's record is answered from memory.
pub const CACHE_FOR: Duration = Duration::from_secs(30);
/// The longest value written to a CRM field, in characters.
const MAX_VALUE_CHARS: usize = 10_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(status, connect, disconnect))
        .routes(routes!(record, update))
}

/// The connection as stored (the token apart).
#[derive(Clone, Serialize, Deserialize)]
struct Stored {
    portal_id: u64,
    ui_domain: Option<String>,
    properties: Vec<String>,
}

/// A contact's record as HubSpot answered, with what is needed to show it.
#[derive(Clone)]
struct Found {
    account: Arc<Account>,
    definitions: Arc<Vec<Property>>,
    object: Option<Object>,
}

/// When each contact's record was read, and what it was.
type Entries = HashMap<(WorkspaceId, ContactId), (Instant, Found)>;

/// Records recently read, per workspace and contact.
#[derive(Clone, Default)]
pub struct Cache(Arc<Mutex<Entries>>);

impl Cache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, key: (WorkspaceId, ContactId)) -> Option<Found> {
        let mut cache = self.lock();
        cache.retain(|_, (at, _)| at.elapsed() < CACHE_FOR);
        cache.get(&key).map(|(_, found)| found.clone())
    }

    fn put(&self, key: (WorkspaceId, ContactId), found: Found) {
        self.lock().insert(key, (Instant::now(), found));
    }

    fn forget(&self, key: (WorkspaceId, ContactId)) {
        self.lock().remove(&key);
    }

    fn forget_workspace(&self, workspace: WorkspaceId) {
        self.lock().retain(|(w, _), _| *w != workspace);
    }
}

impl From<CrmError> for ApiError {
    fn from(error: CrmError) -> ApiError {
        match error {
            CrmError::Invalid { property, message } => ApiError::Validation {
                message,
                field: Some(property.unwrap_or_else(|| "properties".into())),
            },
            other => ApiError::Upstream(other.to_string()),
        }
    }
}

async fn connection(
    state: &AppState,
    workspace: WorkspaceId,
) -> Result<Option<(Stored, Option<String>)>, ApiError> {
    match state.store.integration(workspace, KIND).await? {
        Some(integration) => {
            let stored: Stored = serde_json::from_str(&integration.settings)
                .map_err(|e| ApiError::Internal(format!("stored HubSpot settings: {e}")))?;
            Ok(Some((stored, integration.secret)))
        }
        None => Ok(None),
    }
}

fn client<'a>(state: &'a AppState, token: &'a str) -> Hubspot<'a> {
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
async fn status(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<HubspotStatus>, ApiError> {
    let hubspot = connection(&state, member.workspace)
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
async fn connect(
    State(state): State<AppState>,
    member: Member,
    Json(request): Json<HubspotSettingsRequest>,
) -> Result<Json<HubspotSettings>, ApiError> {
    member.require_manager()?;
    let kept = connection(&state, member.workspace)
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
    let mut properties: Vec<String> = Vec::new();
    for name in request.properties.iter().map(|p| p.trim()) {
        if !name.is_empty() && !properties.iter().any(|p| p == name) {
            properties.push(name.to_owned());
        }
    }
    if properties.is_empty() || properties.len() > MAX_CRM_FIELDS {
        return Err(ApiError::validation(
            "properties",
            format!("Choose 1 to {MAX_CRM_FIELDS} properties to show."),
        ));
    }
    let hubspot = client(&state, &token);
    let account = hubspot.account().await.map_err(|e| match e {
        CrmError::TokenRefused => {
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
            .set_integration(member.workspace, KIND, &settings, Some(&token), Utc::now())
            .await?,
    );
    state.crm_cache.forget_workspace(member.workspace);
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
async fn disconnect(State(state): State<AppState>, member: Member) -> Result<StatusCode, ApiError> {
    member.require_manager()?;
    let event = state
        .store
        .delete_integration(member.workspace, KIND)
        .await?;
    state.publish(event);
    state.crm_cache.forget_workspace(member.workspace);
    Ok(StatusCode::NO_CONTENT)
}

/// Phone numbers, which masked members never see and nobody edits from the panel.
fn phone_like(name: &str, definition: Option<&Property>) -> bool {
    matches!(name, "phone" | "mobilephone" | "hs_whatsapp_phone_number")
        || definition.is_some_and(|d| d.field_type == "phonenumber")
}

fn editable(name: &str, definition: Option<&Property>) -> bool {
    name != "email"
        && !phone_like(name, definition)
        && definition.is_some_and(|d| {
            !d.calculated
                && !d
                    .modification_metadata
                    .as_ref()
                    .is_some_and(|m| m.read_only_value)
        })
}

/// The record as this member may see it.
fn shown(stored: &Stored, found: &Found, masked: bool) -> Option<CrmRecord> {
    let object = found.object.as_ref()?;
    let fields = stored
        .properties
        .iter()
        .map(|name| {
            let definition = found.definitions.iter().find(|d| &d.name == name);
            let hidden = masked && phone_like(name, definition);
            CrmField {
                name: name.clone(),
                label: definition.map_or_else(|| name.clone(), |d| d.label.clone()),
                value: if hidden {
                    None
                } else {
                    object.properties.get(name).cloned().flatten()
                },
                editable: editable(name, definition),
                masked: hidden,
            }
        })
        .collect();
    Some(CrmRecord {
        id: object.id.clone(),
        url: hubspot::contact_url(&found.account, &object.id),
        fields,
    })
}

/// The contact's record, from memory while fresh.
async fn find(
    state: &AppState,
    member: &Member,
    id: ContactId,
) -> Result<(Stored, String, Found), ApiError> {
    let contact = state.store.contact(member.workspace, id).await?;
    // Blocked contacts hidden from the member are not found.
    member.contact(contact.clone())?;
    let (stored, token) = connection(state, member.workspace)
        .await?
        .ok_or_else(|| ApiError::Conflict("HubSpot is not connected to this workspace.".into()))?;
    let token = token
        .ok_or_else(|| ApiError::Conflict("HubSpot is not connected to this workspace.".into()))?;
    let key = (member.workspace, id);
    if let Some(found) = state.crm_cache.get(key) {
        return Ok((stored, token, found));
    }
    let hubspot = client(state, &token);
    let definitions = hubspot.properties().await?;
    let mut wanted = stored.properties.clone();
    wanted.push("email".into());
    let object = hubspot
        .find(
            contact.summary.email.as_deref(),
            contact.summary.phone.as_deref(),
            &wanted,
        )
        .await?;
    let found = Found {
        account: Arc::new(Account {
            portal_id: stored.portal_id,
            ui_domain: stored.ui_domain.clone(),
        }),
        definitions: Arc::new(definitions),
        object,
    };
    state.crm_cache.put(key, found.clone());
    Ok((stored, token, found))
}

/// The contact's HubSpot record, found by e-mail address, else phone number.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/contacts/{id}/crm/hubspot",
    operation_id = "hubspot_record",
    tag = "crm",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ContactId, Path, description = "The contact."),
    ),
    responses(
        (status = 200, description = "The record, or none.", body = CrmLookup),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such contact, or hidden from the caller.", body = ErrorBody),
        (status = 409, description = "HubSpot is not connected.", body = ErrorBody),
        (status = 502, description = "HubSpot refused the token, is busy, or could not be reached; the message says which.", body = ErrorBody),
    ),
)]
async fn record(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ContactId)>,
) -> Result<Json<CrmLookup>, ApiError> {
    let (stored, _, found) = find(&state, &member, id).await?;
    Ok(Json(CrmLookup {
        record: shown(&stored, &found, member.permissions().phone_masked),
    }))
}

/// Saves fields of the contact's HubSpot record: only the workspace's shown, editable ones
/// (never the e-mail address or a phone number). Answers the record as it is now.
#[utoipa::path(
    patch,
    path = "/workspaces/{ws}/contacts/{id}/crm/hubspot",
    operation_id = "update_hubspot_record",
    tag = "crm",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ContactId, Path, description = "The contact."),
    ),
    request_body = CrmUpdate,
    responses(
        (status = 200, description = "Saved.", body = CrmRecord),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such contact, hidden from the caller, or no HubSpot record for it.", body = ErrorBody),
        (status = 409, description = "HubSpot is not connected.", body = ErrorBody),
        (status = 422, description = "A field that is not shown or not editable, or a value HubSpot refuses (the field names it).", body = ErrorBody),
        (status = 502, description = "HubSpot refused the token, is busy, or could not be reached.", body = ErrorBody),
    ),
)]
async fn update(
    State(state): State<AppState>,
    member: Member,
    Path((_, id)): Path<(WorkspaceId, ContactId)>,
    Json(request): Json<CrmUpdate>,
) -> Result<Json<CrmRecord>, ApiError> {
    if request.properties.is_empty() {
        return Err(ApiError::validation("properties", "Nothing to save."));
    }
    let (stored, token, found) = find(&state, &member, id).await?;
    for (name, value) in &request.properties {
        let definition = found.definitions.iter().find(|d| &d.name == name);
        if !stored.properties.contains(name) || !editable(name, definition) {
            return Err(ApiError::validation(name, "This field is read-only here."));
        }
        if value.chars().count() > MAX_VALUE_CHARS
            || switchboard_protocol::validation::has_control(value, true)
        {
            return Err(ApiError::validation(
                name,
                format!("A value is at most {MAX_VALUE_CHARS} characters."),
            ));
        }
    }
    let key = (member.workspace, id);
    let mut found = found;
    let object = found.object.as_mut().ok_or(ApiError::NotFound)?;
    if let Err(error) = client(&state, &token)
        .update(&object.id, &request.properties)
        .await
    {
        state.crm_cache.forget(key);
        return Err(error.into());
    }
    // HubSpot took the values as given: the record is known without reading it again.
    for (name, value) in &request.properties {
        object.properties.insert(name.clone(), Some(value.clone()));
    }
    state.crm_cache.put(key, found.clone());
    shown(&stored, &found, member.permissions().phone_masked)
        .map(Json)
        .ok_or(ApiError::NotFound)
}
