//! `ApiError`: the one error type of the HTTP layer, answered as an [`ErrorBody`].

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use switchboard_protocol::{ErrorBody, ErrorCode};
use switchboard_storage::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("sign in to continue")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{message}")]
    Validation {
        message: String,
        field: Option<String>,
    },
    #[error("{0}")]
    Conflict(String),
    /// The request body is over the limit (an upload over 20 MB); the message says so.
    #[error("{0}")]
    TooLarge(String),
    /// A provider (Telegram, WhatsApp, …) could not be reached or failed; the message says
    /// which and what to do.
    #[error("{0}")]
    Upstream(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn validation(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::Validation {
            message: message.into(),
            field: Some(field.to_owned()),
        }
    }

    fn status_and_body(&self) -> (StatusCode, ErrorBody) {
        match self {
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                ErrorBody::new(ErrorCode::Unauthorized, "Sign in to continue."),
            ),
            ApiError::Forbidden(message) => (
                StatusCode::FORBIDDEN,
                ErrorBody::new(ErrorCode::Forbidden, message.clone()),
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                ErrorBody::new(ErrorCode::NotFound, "Not found."),
            ),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorBody::new(
                    ErrorCode::MethodNotAllowed,
                    "This method is not allowed here.",
                ),
            ),
            ApiError::Validation { message, field } => {
                let mut body = ErrorBody::new(ErrorCode::Validation, message.clone());
                body.field = field.clone();
                (StatusCode::UNPROCESSABLE_ENTITY, body)
            }
            ApiError::Conflict(message) => (
                StatusCode::CONFLICT,
                ErrorBody::new(ErrorCode::Conflict, message.clone()),
            ),
            ApiError::TooLarge(message) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorBody::new(ErrorCode::Validation, message.clone()).with_field("file"),
            ),
            ApiError::Upstream(message) => (
                StatusCode::BAD_GATEWAY,
                ErrorBody::new(ErrorCode::Unavailable, message.clone()),
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorBody::new(
                    ErrorCode::Internal,
                    "Something went wrong on the server. Please try again.",
                ),
            ),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict { constraint } => {
                tracing::debug!(%constraint, "storage conflict");
                ApiError::Conflict("This conflicts with existing data.".into())
            }
            StoreError::Invalid { field, reason } => ApiError::validation(field, reason),
            StoreError::Refused(reason) => ApiError::Conflict(reason),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let (status, body) = self.status_and_body();
        (status, Json(body)).into_response()
    }
}
