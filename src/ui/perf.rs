//! Performance marks that the browser benchmark (`cargo xtask bench`) reads: named points in
//! the page's timeline, set once the change that caused them has been painted.

use leptos::prelude::{request_animation_frame, set_timeout};
use std::time::Duration;

/// The list's first page is on screen.
pub const LIST_PAINTED: &str = "list-painted";
/// An opened conversation's newest messages are on screen.
pub const THREAD_PAINTED: &str = "thread-painted";

/// Marks `name` after the next frame is painted (a task queued from the frame callback runs
/// after the frame).
pub fn mark_after_paint(name: &'static str) {
    request_animation_frame(move || {
        set_timeout(
            move || {
                if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                    let _ = performance.mark(name);
                }
            },
            Duration::ZERO,
        );
    });
}
