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

/// The CRMs a contact panel shows records from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum CrmProvider {
    Hubspot,
    Salesforce,
}

impl CrmProvider {
    pub const ALL: [CrmProvider; 2] = [CrmProvider::Hubspot, CrmProvider::Salesforce];

    /// Its name in paths and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            CrmProvider::Hubspot => "hubspot",
            CrmProvider::Salesforce => "salesforce",
        }
    }

    /// Its name as people write it.
    pub fn name(self) -> &'static str {
        match self {
            CrmProvider::Hubspot => "HubSpot",
            CrmProvider::Salesforce => "Salesforce",
        }
    }
}

/// How Switchboard signs in to Salesforce (a connected app's OAuth flows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SalesforceFlow {
    /// A refresh token issued to the connected app, with its consumer secret.
    RefreshToken,
    /// A JWT signed with the connected app's certificate's private key, for one user.
    JwtBearer,
}

/// Salesforce as members see it; its secrets are never sent back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalesforceSettings {
    /// The connected app's consumer key.
    pub client_id: String,
    /// A sandbox org (signs in at test.salesforce.com).
    pub sandbox: bool,
    pub flow: SalesforceFlow,
    /// The user the JWT bearer flow signs in as.
    pub username: Option<String>,
    /// The org's address, as Salesforce answered the sign-in.
    pub instance_url: String,
    /// The Contact fields the panel shows, in order (API names).
    pub fields: Vec<String>,
}

/// `GET /workspaces/{ws}/crm/salesforce`: the connection, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalesforceStatus {
    pub salesforce: Option<SalesforceSettings>,
}

/// What signs Switchboard in to Salesforce. Write-only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "flow", rename_all = "snake_case")]
pub enum SalesforceCredentials {
    RefreshToken {
        client_secret: String,
        refresh_token: String,
    },
    JwtBearer {
        username: String,
        /// The PEM private key whose certificate the connected app holds.
        private_key: String,
    },
}

impl std::fmt::Debug for SalesforceCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SalesforceCredentials::RefreshToken { .. } => f
                .debug_struct("RefreshToken")
                .field("client_secret", &"<hidden>")
                .field("refresh_token", &"<hidden>")
                .finish(),
            SalesforceCredentials::JwtBearer { username, .. } => f
                .debug_struct("JwtBearer")
                .field("username", username)
                .field("private_key", &"<hidden>")
                .finish(),
        }
    }
}

/// Body of `PUT /workspaces/{ws}/crm/salesforce` (owners and managers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SalesforceSettingsRequest {
    /// The connected app's consumer key.
    pub client_id: String,
    #[serde(default)]
    pub sandbox: bool,
    /// How to sign in; absent keeps what is kept (for the same consumer key).
    #[serde(default)]
    pub credentials: Option<SalesforceCredentials>,
    /// Contact fields to show (API names), at most [`MAX_CRM_FIELDS`].
    pub fields: Vec<String>,
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

/// `GET …/contacts/{id}/crm/{provider}`: the record found by the contact's e-mail address or
/// phone number, or none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrmLookup {
    pub record: Option<CrmRecord>,
}

/// Body of `PATCH …/contacts/{id}/crm/{provider}`: new values by field name (HubSpot's
/// properties, Salesforce's fields), as text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CrmUpdate {
    pub properties: BTreeMap<String, String>,
}
