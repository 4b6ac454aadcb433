//! Switchboard's single-page app: the agent inbox and the website-chat visitor page, built with
//! Leptos (client-side rendering) and compiled to WebAssembly by Trunk.
//!
//! Pure logic (Markdown, the inbox and thread models, URLs) lives in plain Rust types that are
//! unit-tested natively; components stay thin.

pub mod api;
pub mod app;
pub mod chunks;
pub mod components;
pub mod i18n;
pub mod markdown;
pub mod model;
pub mod pages;
pub mod pwa;
pub mod routes;
pub mod state;
pub mod styles;
pub mod text;
pub mod ui;
