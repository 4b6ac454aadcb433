//! The browser's own confirmation dialog, for actions that cannot be undone.

/// Whether the person confirmed `question` (no window: no).
pub fn confirmed(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}
