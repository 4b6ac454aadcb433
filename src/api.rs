//! The app's client of the server: REST over protocol types, the agent's realtime socket and
//! the visitor's. One error type, [`ClientError`], shown by one error view.

mod ai;
mod crm;
mod dialogflow;
mod http;
pub mod live;
pub mod visitor;
mod workflows;

pub use ai::*;
pub use crm::*;
pub use dialogflow::*;
pub use http::*;
pub use workflows::*;

use crate::tr;
use switchboard_protocol::{ErrorBody, ErrorCode};

/// Why a request to the server failed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// The server answered with an error body.
    #[error("{}", .0.message)]
    Server(ErrorBody),
    /// The server could not be reached.
    #[error("{}", tr!("system-network-error"))]
    Network(String),
    /// The server answered with something this app does not understand.
    #[error("{}", tr!("system-unexpected-answer", detail = .0.as_str()))]
    Unexpected(String),
}

impl ClientError {
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Server(body) => Some(body.code),
            _ => None,
        }
    }

    pub fn is_unauthorized(&self) -> bool {
        self.code() == Some(ErrorCode::Unauthorized)
    }

    /// The field a refusal names (`fallback` when it names none) and what it says; other
    /// failures are about the whole form (`form`).
    pub fn problem(&self, fallback: &str) -> (String, String) {
        match self {
            ClientError::Server(body) => (
                body.field.clone().unwrap_or_else(|| fallback.to_owned()),
                body.message.clone(),
            ),
            other => ("form".to_owned(), other.to_string()),
        }
    }

    /// Worth retrying later (the request never got a definite answer).
    pub fn is_transient(&self) -> bool {
        matches!(self, ClientError::Network(_))
            || matches!(
                self.code(),
                Some(ErrorCode::Internal | ErrorCode::RateLimited)
            )
    }
}

/// A fresh id for an idempotent send.
pub fn new_client_id() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("c{}", js_sys::Date::now() as u64))
}
