//! The CRM calls of the agent app (P5, P6, T7): the workspace's HubSpot and Salesforce
//! connections and a contact's record in either.

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

pub async fn salesforce_status(workspace: WorkspaceId) -> Result<SalesforceStatus, ClientError> {
    super::get(&format!("{API}/workspaces/{workspace}/crm/salesforce")).await
}

pub async fn connect_salesforce(
    workspace: WorkspaceId,
    request: &SalesforceSettingsRequest,
) -> Result<SalesforceSettings, ClientError> {
    super::put_json(
        &format!("{API}/workspaces/{workspace}/crm/salesforce"),
        request,
    )
    .await
}

pub async fn disconnect_salesforce(workspace: WorkspaceId) -> Result<(), ClientError> {
    super::delete(&format!("{API}/workspaces/{workspace}/crm/salesforce")).await
}

pub async fn crm_record(
    workspace: WorkspaceId,
    contact: ContactId,
    crm: CrmProvider,
) -> Result<CrmLookup, ClientError> {
    super::get(&format!(
        "{API}/workspaces/{workspace}/contacts/{contact}/crm/{}",
        crm.as_str()
    ))
    .await
}

/// Saves one field; the record as it is now.
pub async fn save_crm_field(
    workspace: WorkspaceId,
    contact: ContactId,
    crm: CrmProvider,
    name: &str,
    value: &str,
) -> Result<CrmRecord, ClientError> {
    super::patch_json(
        &format!(
            "{API}/workspaces/{workspace}/contacts/{contact}/crm/{}",
            crm.as_str()
        ),
        &CrmUpdate {
            properties: BTreeMap::from([(name.to_owned(), value.to_owned())]),
        },
    )
    .await
}
