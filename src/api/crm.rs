//! The CRM calls of the agent app (P5, T7): the workspace's HubSpot connection and a
//! contact's HubSpot record.

use super::ClientError;
use std::collections::BTreeMap;
use switchboard_protocol::crm::*;
use switchboard_protocol::{ContactId, WorkspaceId};

const API: &str = "/api/v1";

pub async fn hubspot_status(workspace: WorkspaceId) -> Result<HubspotStatus, ClientError> {
    super::get(&format!("{API}/workspaces/{workspace}/crm/hubspot")).await
}

pub async fn connect_hubspot(
    workspace: WorkspaceId,
    request: &HubspotSettingsRequest,
) -> Result<HubspotSettings, ClientError> {
    super::put_json(
        &format!("{API}/workspaces/{workspace}/crm/hubspot"),
        request,
    )
    .await
}

pub async fn disconnect_hubspot(workspace: WorkspaceId) -> Result<(), ClientError> {
    super::delete(&format!("{API}/workspaces/{workspace}/crm/hubspot")).await
}

pub async fn hubspot_record(
    workspace: WorkspaceId,
    contact: ContactId,
) -> Result<CrmLookup, ClientError> {
    super::get(&format!(
        "{API}/workspaces/{workspace}/contacts/{contact}/crm/hubspot"
    ))
    .await
}

/// Saves one field; the record as it is now.
pub async fn save_hubspot_field(
    workspace: WorkspaceId,
    contact: ContactId,
    name: &str,
    value: &str,
) -> Result<CrmRecord, ClientError> {
    super::patch_json(
        &format!("{API}/workspaces/{workspace}/contacts/{contact}/crm/hubspot"),
        &CrmUpdate {
            properties: BTreeMap::from([(name.to_owned(), value.to_owned())]),
        },
    )
    .await
}
