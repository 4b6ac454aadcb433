//! The app's entry point: install the panic hook and mount. A language whose first screens'
//! words are fetched (the release build's Russian, `i18n::first`) waits for them; if they
//! cannot be had, its screens fall back to English word by word.

use leptos::prelude::GetUntracked;

fn main() {
    console_error_panic_hook::set_once();
    let lang = switchboard::state::language::language().get_untracked();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = switchboard::i18n::first(lang).await;
        leptos::mount::mount_to_body(switchboard::app::App);
    });
}
