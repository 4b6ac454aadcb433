//! CRM panels (P5, P6, T7): a contact's record in HubSpot or Salesforce, found by e-mail
//! address or phone number, shown with the workspace's chosen fields and saved back field by
//! field (never the e-mail address or a phone number). Records are cached for [`CACHE_FOR`]
//! per contact and CRM; a change clears the contact's entry. Phone values never reach
//! members whose phone numbers are masked. Each CRM's connection lives in its own module.

pub mod error;
pub mod hubspot;
mod hubspot_settings;
pub mod salesforce;
mod salesforce_settings;

use crate::access::Member;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use error::CrmError;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use switchboard_protocol::crm::*;
use switchboard_protocol::*;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// How long a contact's record is answered from memory.
pub const CACHE_FOR: Duration = Duration::from_secs(30);
/// The longest value written to a CRM field, in characters.
const MAX_VALUE_CHARS: usize = 10_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            hubspot_settings::status,
            hubspot_settings::connect,
            hubspot_settings::disconnect
        ))
        .routes(routes!(
            salesforce_settings::status,
            salesforce_settings::connect,
            salesforce_settings::disconnect
        ))
        .routes(routes!(record, update))
}

/// A field as the CRM describes it, in the panel's terms.
#[derive(Clone, Debug)]
pub struct FieldDef {
    pub name: String,
    pub label: String,
    /// The CRM's type of it.
    pub kind: String,
    /// Agents may change it: the CRM lets them, and it is neither the e-mail address nor a
    /// phone number.
    pub editable: bool,
    /// A phone number (masked members never see it).
    pub phone: bool,
}

/// A record as the CRM answered: its id and its values as text.
#[derive(Clone, Debug)]
pub struct Record {
    pub id: String,
    pub values: BTreeMap<String, Option<String>>,
}

/// A contact's record as last read, with what is needed to show it.
#[derive(Clone)]
struct Found {
    fields: Arc<Vec<FieldDef>>,
    record: Option<Record>,
    /// Where the record opens in the CRM.
    url: Option<String>,
}

type Key = (WorkspaceId, CrmProvider, ContactId);

/// Records recently read, per workspace, CRM and contact; and Salesforce sessions.
#[derive(Clone, Default)]
pub struct Cache {
    records: Arc<Mutex<HashMap<Key, (Instant, Found)>>>,
    salesforce: salesforce::Sessions,
}

impl Cache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, (Instant, Found)>> {
        self.records.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, key: Key) -> Option<Found> {
        let mut cache = self.lock();
        cache.retain(|_, (at, _)| at.elapsed() < CACHE_FOR);
        cache.get(&key).map(|(_, found)| found.clone())
    }

    fn put(&self, key: Key, found: Found) {
        self.lock().insert(key, (Instant::now(), found));
    }

    fn forget(&self, key: Key) {
        self.lock().remove(&key);
    }

    fn forget_workspace(&self, workspace: WorkspaceId, crm: CrmProvider) {
        self.lock()
            .retain(|(w, c, _), _| (*w, *c) != (workspace, crm));
        if crm == CrmProvider::Salesforce {
            self.salesforce.forget(workspace);
        }
    }
}

impl From<CrmError> for ApiError {
    fn from(error: CrmError) -> ApiError {
        match error {
            CrmError::Invalid { field, message } => ApiError::Validation {
                message,
                field: Some(field.unwrap_or_else(|| "properties".into())),
            },
            other => ApiError::Upstream(other.to_string()),
        }
    }
}

/// A workspace's stored connection to a CRM, and its secret.
async fn stored<T: DeserializeOwned>(
    state: &AppState,
    workspace: WorkspaceId,
    crm: CrmProvider,
) -> Result<Option<(T, Option<String>)>, ApiError> {
    match state.store.integration(workspace, crm.as_str()).await? {
        Some(integration) => {
            let stored: T = serde_json::from_str(&integration.settings)
                .map_err(|e| ApiError::Internal(format!("stored {} settings: {e}", crm.name())))?;
            Ok(Some((stored, integration.secret)))
        }
        None => Ok(None),
    }
}

/// The fields a manager chose to show: trimmed, each once, 1 to [`MAX_CRM_FIELDS`].
fn chosen_fields(given: &[String], field: &str) -> Result<Vec<String>, ApiError> {
    let mut chosen: Vec<String> = Vec::new();
    for name in given.iter().map(|p| p.trim()) {
        if !name.is_empty() && !chosen.iter().any(|p| p == name) {
            chosen.push(name.to_owned());
        }
    }
    if chosen.is_empty() || chosen.len() > MAX_CRM_FIELDS {
        return Err(ApiError::validation(
            field,
            format!("Choose 1 to {MAX_CRM_FIELDS} fields to show."),
        ));
    }
    Ok(chosen)
}

/// Forgets a CRM's connection and its secret (owners and managers).
async fn disconnect(
    state: &AppState,
    member: &Member,
    crm: CrmProvider,
) -> Result<StatusCode, ApiError> {
    member.require_manager()?;
    let event = state
        .store
        .delete_integration(member.workspace, crm.as_str())
        .await?;
    state.publish(event);
    state.crm_cache.forget_workspace(member.workspace, crm);
    Ok(StatusCode::NO_CONTENT)
}

/// A workspace's live connection to one CRM.
enum Connected {
    Hubspot {
        stored: hubspot_settings::Stored,
        token: String,
    },
    Salesforce {
        stored: salesforce_settings::Stored,
        credentials: SalesforceCredentials,
    },
}

impl Connected {
    async fn of(
        state: &AppState,
        workspace: WorkspaceId,
        crm: CrmProvider,
    ) -> Result<Connected, ApiError> {
        let not_connected = || {
            ApiError::Conflict(format!(
                "{} is not connected to this workspace.",
                crm.name()
            ))
        };
        Ok(match crm {
            CrmProvider::Hubspot => {
                let (stored, token) = stored(state, workspace, crm)
                    .await?
                    .ok_or_else(not_connected)?;
                Connected::Hubspot {
                    stored,
                    token: token.ok_or_else(not_connected)?,
                }
            }
            CrmProvider::Salesforce => {
                let (stored, secret) = stored(state, workspace, crm)
                    .await?
                    .ok_or_else(not_connected)?;
                Connected::Salesforce {
                    stored,
                    credentials: salesforce_settings::credentials(secret.as_deref())?,
                }
            }
        })
    }

    /// The fields the panel shows.
    fn shown(&self) -> &[String] {
        match self {
            Connected::Hubspot { stored, .. } => &stored.properties,
            Connected::Salesforce { stored, .. } => &stored.fields,
        }
    }

    fn salesforce<'a>(
        state: &'a AppState,
        workspace: WorkspaceId,
        stored: &'a salesforce_settings::Stored,
        credentials: &'a SalesforceCredentials,
    ) -> salesforce::Salesforce<'a> {
        salesforce::Salesforce {
            client: &state.http,
            login_url: stored.login_url(state),
            client_id: &stored.client_id,
            credentials,
            sessions: &state.crm_cache.salesforce,
            workspace,
        }
    }

    /// The contact's record, read from the CRM.
    async fn look_up(
        &self,
        state: &AppState,
        workspace: WorkspaceId,
        contact: &ContactSummary,
    ) -> Result<Found, CrmError> {
        let (email, phone) = (contact.email.as_deref(), contact.phone.as_deref());
        match self {
            Connected::Hubspot { stored, token } => {
                let hubspot = hubspot_settings::client(state, token);
                let fields = hubspot.properties().await?;
                let mut wanted = stored.properties.clone();
                wanted.push("email".into());
                let record = hubspot.find(email, phone, &wanted).await?;
                let account = hubspot::Account {
                    portal_id: stored.portal_id,
                    ui_domain: stored.ui_domain.clone(),
                };
                Ok(Found {
                    fields: Arc::new(fields.iter().map(FieldDef::from).collect()),
                    url: record
                        .as_ref()
                        .map(|r| hubspot::contact_url(&account, &r.id)),
                    record: record.map(Record::from),
                })
            }
            Connected::Salesforce {
                stored,
                credentials,
            } => {
                let salesforce = Self::salesforce(state, workspace, stored, credentials);
                let fields = salesforce.fields().await?;
                let record = salesforce.find(email, phone, &stored.fields).await?;
                let session = salesforce.session().await?;
                Ok(Found {
                    fields: Arc::new(fields),
                    url: record
                        .as_ref()
                        .map(|r| salesforce::contact_url(&session.instance_url, &r.id)),
                    record,
                })
            }
        }
    }

    async fn save(
        &self,
        state: &AppState,
        workspace: WorkspaceId,
        found: &Found,
        id: &str,
        values: &BTreeMap<String, String>,
    ) -> Result<(), CrmError> {
        match self {
            Connected::Hubspot { token, .. } => {
                hubspot_settings::client(state, token)
                    .update(id, values)
                    .await
            }
            Connected::Salesforce {
                stored,
                credentials,
            } => {
                Self::salesforce(state, workspace, stored, credentials)
                    .update(id, values, &found.fields)
                    .await
            }
        }
    }
}

/// The record as this member may see it.
fn shown(connected: &Connected, found: &Found, masked: bool) -> Option<CrmRecord> {
    let record = found.record.as_ref()?;
    let fields = connected
        .shown()
        .iter()
        .map(|name| {
            let definition = found.fields.iter().find(|d| &d.name == name);
            let hidden = masked && definition.is_none_or(|d| d.phone);
            CrmField {
                name: name.clone(),
                label: definition.map_or_else(|| name.clone(), |d| d.label.clone()),
                value: if hidden {
                    None
                } else {
                    record.values.get(name).cloned().flatten()
                },
                editable: definition.is_some_and(|d| d.editable),
                masked: hidden,
            }
        })
        .collect();
    Some(CrmRecord {
        id: record.id.clone(),
        url: found.url.clone().unwrap_or_default(),
        fields,
    })
}

/// The connection, and the contact's record (from memory while fresh).
async fn find(
    state: &AppState,
    member: &Member,
    id: ContactId,
    crm: CrmProvider,
) -> Result<(Connected, Found), ApiError> {
    let contact = state.store.contact(member.workspace, id).await?;
    // Blocked contacts hidden from the member are not found.
    member.contact(contact.clone())?;
    let connected = Connected::of(state, member.workspace, crm).await?;
    let key = (member.workspace, crm, id);
    if let Some(found) = state.crm_cache.get(key) {
        return Ok((connected, found));
    }
    let found = connected
        .look_up(state, member.workspace, &contact.summary)
        .await?;
    state.crm_cache.put(key, found.clone());
    Ok((connected, found))
}

/// The contact's record in a CRM, found by e-mail address, else phone number.
#[utoipa::path(
    get,
    path = "/workspaces/{ws}/contacts/{id}/crm/{crm}",
    operation_id = "crm_record",
    tag = "crm",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ContactId, Path, description = "The contact."),
        ("crm" = CrmProvider, Path, description = "`hubspot` or `salesforce`."),
    ),
    responses(
        (status = 200, description = "The record, or none.", body = CrmLookup),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such contact or CRM, or hidden from the caller.", body = ErrorBody),
        (status = 409, description = "The CRM is not connected.", body = ErrorBody),
        (status = 502, description = "The CRM refused the credentials, is busy, or could not be reached; the message says which.", body = ErrorBody),
    ),
)]
async fn record(
    State(state): State<AppState>,
    member: Member,
    Path((_, id, crm)): Path<(WorkspaceId, ContactId, CrmProvider)>,
) -> Result<Json<CrmLookup>, ApiError> {
    let (connected, found) = find(&state, &member, id, crm).await?;
    Ok(Json(CrmLookup {
        record: shown(&connected, &found, member.permissions().phone_masked),
    }))
}

/// Saves fields of the contact's record in a CRM: only the workspace's shown, editable ones
/// (never the e-mail address or a phone number). Answers the record as it is now.
#[utoipa::path(
    patch,
    path = "/workspaces/{ws}/contacts/{id}/crm/{crm}",
    operation_id = "update_crm_record",
    tag = "crm",
    security(("sb_session" = [])),
    params(
        ("ws" = WorkspaceId, Path, description = "The workspace."),
        ("id" = ContactId, Path, description = "The contact."),
        ("crm" = CrmProvider, Path, description = "`hubspot` or `salesforce`."),
    ),
    request_body = CrmUpdate,
    responses(
        (status = 200, description = "Saved.", body = CrmRecord),
        (status = 401, description = "No valid session.", body = ErrorBody),
        (status = 404, description = "No such contact or CRM, hidden from the caller, or no record for it.", body = ErrorBody),
        (status = 409, description = "The CRM is not connected.", body = ErrorBody),
        (status = 422, description = "A field that is not shown or not editable, or a value the CRM refuses (the field names it).", body = ErrorBody),
        (status = 502, description = "The CRM refused the credentials, is busy, or could not be reached.", body = ErrorBody),
    ),
)]
async fn update(
    State(state): State<AppState>,
    member: Member,
    Path((_, id, crm)): Path<(WorkspaceId, ContactId, CrmProvider)>,
    Json(request): Json<CrmUpdate>,
) -> Result<Json<CrmRecord>, ApiError> {
    if request.properties.is_empty() {
        return Err(ApiError::validation("properties", "Nothing to save."));
    }
    let (connected, found) = find(&state, &member, id, crm).await?;
    let values: BTreeMap<String, String> = request
        .properties
        .iter()
        .map(|(name, value)| (name.clone(), value.trim().to_owned()))
        .collect();
    for (name, value) in &values {
        let definition = found.fields.iter().find(|d| &d.name == name);
        if !connected.shown().contains(name) || !definition.is_some_and(|d| d.editable) {
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
    let key = (member.workspace, crm, id);
    let mut found = found;
    let record_id = found.record.as_ref().ok_or(ApiError::NotFound)?.id.clone();
    if let Err(error) = connected
        .save(&state, member.workspace, &found, &record_id, &values)
        .await
    {
        state.crm_cache.forget(key);
        return Err(error.into());
    }
    // The CRM took the values as given: the record is known without reading it again.
    if let Some(record) = found.record.as_mut() {
        for (name, value) in &values {
            record
                .values
                .insert(name.clone(), (!value.is_empty()).then(|| value.clone()));
        }
    }
    state.crm_cache.put(key, found.clone());
    shown(&connected, &found, member.permissions().phone_masked)
        .map(Json)
        .ok_or(ApiError::NotFound)
}
