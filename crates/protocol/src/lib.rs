//! Switchboard's wire format: every type that crosses between the app and the server.
//!
//! This crate compiles for `wasm32-unknown-unknown` and for the host, and depends on `serde`
//! and `chrono` only. It holds no I/O. Enums are strings on the wire (`snake_case`), ids are
//! numeric newtypes, times are RFC 3339.
//!
//! The `openapi` feature (the server's, never the app's) derives `utoipa::ToSchema` and
//! `IntoParams` on the wire types for the server's OpenAPI document.

pub mod ai;
pub mod api;
pub mod channels;
pub mod contacts;
pub mod crm;
pub mod dialogflow;
pub mod error;
pub mod events;
pub mod frame_reader;
pub mod ids;
pub mod inbox;
pub mod model;
pub mod notifications;
pub mod plain;
pub mod search;
pub mod settings;
pub mod templates;
pub mod time;
pub mod validation;
pub mod visitor;
pub mod workflows;

pub use error::{ErrorBody, ErrorCode};
pub use ids::*;
pub use model::*;
