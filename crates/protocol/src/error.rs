//! The one error body every failing `/api/v1` request answers with.

use serde::{Deserialize, Serialize};

/// What went wrong, as a stable machine-readable string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No valid session (or visitor token).
    Unauthorized,
    /// Signed in, but not allowed.
    Forbidden,
    /// Does not exist, or not in the caller's workspace.
    NotFound,
    /// The path exists but not with this HTTP method.
    MethodNotAllowed,
    /// The request body or a parameter is invalid; `field` names it.
    Validation,
    /// The request clashes with the current state.
    Conflict,
    /// Too many requests; try again later.
    RateLimited,
    /// The server failed; details are in its log, never in the answer.
    Internal,
    /// A provider the server had to ask (Telegram, WhatsApp, …) could not be reached or
    /// failed; try again later.
    Unavailable,
    /// A code added after this client was built.
    #[serde(other)]
    Unknown,
}

/// `{"code": "...", "message": "...", "field": "..."}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// A sentence an agent can read.
    pub message: String,
    /// The request field at fault, for validation errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl std::fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
