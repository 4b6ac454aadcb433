//! What goes wrong between Switchboard and a CRM, in words for the agent (and the field a
//! refused value belongs to).

use switchboard_protocol::crm::CrmProvider;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CrmError {
    #[error(
        "{crm} refused Switchboard's credentials. An owner or manager can reconnect {crm} in settings.",
        crm = .0.name()
    )]
    CredentialsRefused(CrmProvider),
    #[error("{} is busy (too many requests). Try again in a moment.", .0.name())]
    RateLimited(CrmProvider),
    /// The CRM refused a value: which field and why, in the CRM's words.
    #[error("{message}")]
    Invalid {
        field: Option<String>,
        message: String,
    },
    #[error("{} could not be reached or failed: {message}", .crm.name())]
    Unavailable { crm: CrmProvider, message: String },
}

impl CrmError {
    pub fn unavailable(crm: CrmProvider, message: impl Into<String>) -> CrmError {
        CrmError::Unavailable {
            crm,
            message: message.into(),
        }
    }
}
