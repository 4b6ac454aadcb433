//! App-wide contexts: each a named type with `provide_*` and `use_*`.

pub mod connectivity;
pub mod language;
pub mod session;

/// The browser's `localStorage` (drafts, the visitor's token); `None` where it is refused.
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}
