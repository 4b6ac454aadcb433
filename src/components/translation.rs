//! Translation of a thread's incoming messages into the agent's language (C10): asked of the
//! server once per message (which keeps it for everyone), then "View original" and "View
//! translation" only switch what the bubble shows.

use crate::model::translations::{State, Translations};
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::{ErrorCode, MessageId, WorkspaceId};

#[derive(Clone, Copy)]
pub struct Translator {
    workspace: WorkspaceId,
    state: RwSignal<Translations>,
}

impl Translator {
    pub fn new(workspace: WorkspaceId) -> Translator {
        Translator {
            workspace,
            state: RwSignal::new(Translations::default()),
        }
    }

    /// Translate, or switch between the translation and the original.
    pub fn toggle(self, id: MessageId) {
        let ask = self.state.try_update(|t| t.toggle(id)).unwrap_or(false);
        if !ask {
            return;
        }
        let (workspace, state) = (self.workspace, self.state);
        spawn_local(async move {
            let answer = crate::api::translate_message(workspace, id)
                .await
                .map(|t| t.text)
                .map_err(|e| {
                    if e.code() == Some(ErrorCode::Conflict) {
                        tr!("composer-ai-not-configured")
                    } else {
                        e.to_string()
                    }
                });
            state.update(|t| t.arrived(id, answer));
        });
    }

    /// The translation while it is shown (tracked).
    pub fn shown(self, id: MessageId) -> Option<String> {
        self.state.with(|t| t.shown(id).map(str::to_owned))
    }

    pub fn state(self, id: MessageId) -> Option<State> {
        self.state.with(|t| t.get(id).cloned())
    }
}

/// Under a message: translating, translated (with "View original"), or why not.
#[component]
pub fn TranslationNote(translator: Translator, id: MessageId) -> impl IntoView {
    move || {
        let toggle = move |_| translator.toggle(id);
        match translator.state(id) {
            None => None,
            Some(State::Asking) => Some(
                view! { <p class="translation-note" role="status">{tr!("thread-translating")}</p> }
                    .into_any(),
            ),
            Some(State::Ready { showing, .. }) => Some(
                view! {
                    <p class="translation-note">
                        <span>{if showing { tr!("thread-translated") } else { tr!("thread-original") }}</span>
                        <button type="button" class="link-button" on:click=toggle>
                            {if showing { tr!("thread-view-original") } else { tr!("thread-view-translation") }}
                        </button>
                    </p>
                }
                .into_any(),
            ),
            Some(State::Failed(reason)) => Some(
                view! {
                    <p class="translation-note failed" role="alert">
                        <span>{reason}</span>
                        <button type="button" class="link-button" on:click=toggle>{tr!("thread-retry")}</button>
                    </p>
                }
                .into_any(),
            ),
        }
    }
}
