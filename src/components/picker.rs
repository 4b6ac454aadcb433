//! A pop-up list to choose from while typing (mentions, variables, snippets): arrow keys
//! move, Enter or Tab chooses, Escape closes; a click chooses too. The owner keeps the active
//! index, and may give a preview of the active choice, shown beside the list.

use crate::tr;
use leptos::prelude::*;

/// One choice: what it shows and a hint beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    pub hint: String,
}

#[component]
pub fn Picker(
    /// What the list is of, for screen readers ("Mention", "Variable").
    #[prop(into)]
    title: String,
    #[prop(into)] choices: Signal<Vec<Choice>>,
    active: RwSignal<usize>,
    on_choose: Callback<usize>,
    /// The active choice's full content, when the owner has one to show.
    #[prop(optional, into)]
    preview: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let preview = move || preview.and_then(|p| p.get());
    view! {
        <div class="picker" class:with-preview=move || preview().is_some()>
        <ul class="picker-list" role="listbox" aria-label=title>
            {move || {
                let choices = choices.get();
                if choices.is_empty() {
                    return view! { <li class="picker-empty muted small">{tr!("inbox-picker-no-match")}</li> }.into_any();
                }
                choices
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let selected = move || active.get() == i;
                        view! {
                            <li
                                role="option"
                                class="picker-option"
                                class:active=selected
                                aria-selected=move || selected().to_string()
                                // Keep the text field's focus: choose on mousedown.
                                on:mousedown=move |ev| {
                                    ev.prevent_default();
                                    on_choose.run(i);
                                }
                            >
                                <span class="picker-label">{c.label}</span>
                                <span class="picker-hint">{c.hint}</span>
                            </li>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </ul>
        {move || preview().map(|text| view! {
            <div class="picker-preview" aria-live="polite">
                <p class="picker-preview-title">{tr!("inbox-picker-preview")}</p>
                <p class="picker-preview-text">{text}</p>
            </div>
        })}
        </div>
    }
}
