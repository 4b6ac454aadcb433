//! The language picker (X3): every language in its own name; choosing one renders the app in
//! it at once.

use crate::i18n::Lang;
use crate::state::language;
use crate::tr;
use leptos::prelude::*;

#[component]
pub fn LanguagePicker() -> impl IntoView {
    let current = language::language();
    view! {
        <label class="language-picker">
            <span class="visually-hidden">{tr!("language")}</span>
            <select
                on:change=move |ev| {
                    if let Some(lang) = Lang::parse(&event_target_value(&ev)) {
                        language::choose(lang);
                    }
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <option
                                value=lang.code()
                                lang=lang.code()
                                selected=move || current.get() == lang
                            >
                                {lang.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
