//! The Dialogflow bot (A6, T7): a workspace's Dialogflow ES agent, reached with a service
//! account's key, and the per-conversation switch that lets it answer incoming messages.

use serde::{Deserialize, Serialize};

/// The connection as members see it; the key is never sent back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DialogflowSettings {
    /// The Google Cloud project of the agent.
    pub project_id: String,
    /// The service account the key belongs to.
    pub client_email: String,
    /// The language the agent is asked in (a BCP-47 tag, e.g. `en` or `pt-BR`).
    pub language_code: String,
}

/// `GET /workspaces/{ws}/dialogflow`: the connection, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DialogflowStatus {
    pub dialogflow: Option<DialogflowSettings>,
}

/// Body of `PUT /workspaces/{ws}/dialogflow` (owners and managers). Its `Debug` hides the
/// key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DialogflowSettingsRequest {
    /// The service account's JSON key file as Google Cloud gives it; absent keeps the one
    /// kept.
    #[serde(default)]
    pub key_file: Option<String>,
    pub language_code: String,
}

impl std::fmt::Debug for DialogflowSettingsRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DialogflowSettingsRequest")
            .field("key_file", &self.key_file.as_ref().map(|_| "<hidden>"))
            .field("language_code", &self.language_code)
            .finish()
    }
}

/// Body of `PUT /workspaces/{ws}/conversations/{id}/dialogflow`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DialogflowBot {
    pub enabled: bool,
}
