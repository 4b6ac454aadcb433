//! The language the member chose on this device (X3), or the browser's: a signal the app
//! renders under, kept in `localStorage`, mirrored in `<html lang>`.

use crate::i18n::{self, Lang};
use leptos::prelude::*;

const STORAGE_KEY: &str = "switchboard.language";

thread_local! {
    static LANGUAGE: RwSignal<Lang> = RwSignal::new(initial());
}

/// The language in use; the app renders its pages again when it changes.
pub fn language() -> RwSignal<Lang> {
    LANGUAGE.with(|signal| *signal)
}

/// Switches the UI to `lang` and remembers the choice on this device.
pub fn choose(lang: Lang) {
    if let Some(storage) = super::local_storage() {
        let _ = storage.set_item(STORAGE_KEY, lang.code());
    }
    if i18n::is_complete(lang) {
        switch(lang);
    } else {
        // The parts' words in that language first, so no screen shows a message's key.
        leptos::task::spawn_local(async move {
            let _ = i18n::complete(lang).await;
            switch(lang);
        });
    }
}

fn switch(lang: Lang) {
    apply(lang);
    language().set(lang);
    // Pushes to this device follow.
    leptos::task::spawn_local(async {
        if let Ok(tell) = crate::chunks::push_language().await {
            tell();
        }
    });
}

fn initial() -> Lang {
    let stored = super::local_storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|code| Lang::parse(&code));
    let lang = stored.unwrap_or_else(|| {
        let tags: Vec<String> = web_sys::window()
            .map(|w| {
                w.navigator()
                    .languages()
                    .iter()
                    .filter_map(|t| t.as_string())
                    .collect()
            })
            .unwrap_or_default();
        Lang::from_preferences(tags.iter().map(String::as_str))
    });
    apply(lang);
    lang
}

fn apply(lang: Lang) {
    i18n::set_lang(lang);
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.code());
    }
}
