//! CRM panels (P5, P6, T7): a workspace's CRM connection and the CRM record of a contact as
//! the contact panel shows it — the workspace's chosen fields, which of them an agent may
//! edit, and where the record opens in the CRM.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most fields a workspace shows in the panel.
pub const MAX_CRM_FIELDS: usize = 30;

/// HubSpot as members see it; its access token is never sent back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HubspotSettings {
    /// The HubSpot account ("portal") the token belongs to.
    pub portal_id: u64,
    /// The contact properties the panel shows, in order (internal names).
    pub properties: Vec<String>,
}

/// `GET /workspaces/{ws}/crm/hubspot`: the connection, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HubspotStatus {
    pub hubspot: Option<HubspotSettings>,
}

/// Body of `PUT /workspaces/{ws}/crm/hubspot` (owners and managers). Its `Debug` hides the
/// token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HubspotSettingsRequest {
    /// A private app's access token; absent keeps the one kept.
    #[serde(default)]
    pub access_token: Option<String>,
    /// Contact properties to show (internal names), at most [`MAX_CRM_FIELDS`].
    pub properties: Vec<String>,
}

impl std::fmt::Debug for HubspotSettingsRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubspotSettingsRequest")
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| "<hidden>"),
            )
            .field("properties", &self.properties)
            .finish()
    }
}

/// One field of a CRM record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrmField {
    /// The CRM's internal name.
    pub name: String,
    /// What the CRM calls it.
    pub label: String,
    pub value: Option<String>,
    /// Agents may change it (never the e-mail address or a phone number).
    pub editable: bool,
    /// A phone number hidden from this member (P4): `value` is `None`.
    #[serde(default)]
    pub masked: bool,
}

/// The contact's record in the CRM.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrmRecord {
    pub id: String,
    /// Where it opens in the CRM.
    pub url: String,
    pub fields: Vec<CrmField>,
}

/// `GET …/contacts/{id}/crm/hubspot`: the record found by the contact's e-mail address or
/// phone number, or none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrmLookup {
    pub record: Option<CrmRecord>,
}

/// Body of `PATCH …/contacts/{id}/crm/hubspot`: new values by property name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CrmUpdate {
    pub properties: BTreeMap<String, String>,
}
