//! A round avatar with initials, its colour derived from a stable key. The initials are
//! the person's own (not translated).

use leptos::prelude::*;

/// A hue (0–359) that is the same for the same key on every screen.
pub fn hue(key: i64) -> u32 {
    ((key.unsigned_abs().wrapping_mul(2_654_435_761)) % 360) as u32
}

#[component]
pub fn Avatar(initials: String, key: i64, #[prop(optional)] large: bool) -> impl IntoView {
    let style = format!("--avatar-hue: {}", hue(key));
    view! {
        <span class="avatar" class:avatar-large=large style=style aria-hidden="true" translate="no">
            {initials}
        </span>
    }
}
