//! Whether the server answers (X2): false while answers come from the service worker's cache
//! (the server cannot be reached) or requests fail for want of a network. The app shows an
//! offline banner meanwhile; what it shows is what was loaded before.

use leptos::prelude::*;

/// The header the service worker adds to an answer it gives from its cache.
pub const FROM_CACHE: &str = "x-switchboard-offline";

thread_local! {
    static OFFLINE: RwSignal<bool> = RwSignal::new(false);
}

/// True while the app works from what it loaded before.
pub fn offline() -> RwSignal<bool> {
    OFFLINE.with(|signal| *signal)
}

/// An answer came, from the server (`false`) or from the cache (`true`), or no answer came
/// at all (`true`).
pub fn saw(offline_now: bool) {
    let signal = offline();
    if signal.get_untracked() != offline_now {
        signal.set(offline_now);
    }
}
