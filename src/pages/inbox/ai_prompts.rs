//! AI prompts in the inbox's editors (K8, T8, C10): the standard prompts, a translation into
//! a chosen language or (for messages) the contact's, and the workspace's own prompts. The
//! result streams into a suggestion beside the draft; the draft changes only when the agent
//! replaces it, and Undo gives it back. A message replaced by its translation keeps the
//! agent's own words to send along for colleagues.

use super::ai::AiWriter;
use crate::api::AiTask;
use crate::tr;
use crate::ui::icons::Icon;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::ai::{AiPrompt, LANGUAGES, PromptChoice, StandardPrompt};
use switchboard_protocol::{ConversationId, WorkspaceId};

/// What Undo gives back.
#[derive(Clone)]
struct Replaced {
    before: String,
    original_before: Option<String>,
    accepted: String,
}

/// One editor's prompts: the menu, the suggestion being written and the last replacement.
#[derive(Clone, Copy)]
pub struct Prompts {
    workspace: WorkspaceId,
    conversation: ConversationId,
    text: RwSignal<String>,
    error: RwSignal<Option<String>>,
    /// The agent's own words of a translated message; `None` in editors that send no message.
    original: Option<RwSignal<Option<String>>>,
    writer: AiWriter,
    open: RwSignal<bool>,
    custom: RwSignal<Option<Result<Vec<AiPrompt>, String>>>,
    suggestion: RwSignal<String>,
    /// A finished suggestion waiting for the agent; whether it is a translation.
    ready: RwSignal<Option<bool>>,
    translating: RwSignal<bool>,
    replaced: RwSignal<Option<Replaced>, LocalStorage>,
}

impl Prompts {
    pub fn new(
        workspace: WorkspaceId,
        conversation: ConversationId,
        text: RwSignal<String>,
        error: RwSignal<Option<String>>,
        original: Option<RwSignal<Option<String>>>,
    ) -> Prompts {
        Prompts {
            workspace,
            conversation,
            text,
            error,
            original,
            writer: AiWriter::new(),
            open: RwSignal::new(false),
            custom: RwSignal::new(None),
            suggestion: RwSignal::new(String::new()),
            ready: RwSignal::new(None),
            translating: RwSignal::new(false),
            replaced: RwSignal::new_local(None),
        }
    }

    fn toggle_menu(self) {
        let opening = !self.open.get_untracked();
        self.open.set(opening);
        if opening && !matches!(self.custom.get_untracked(), Some(Ok(_))) {
            let (workspace, custom) = (self.workspace, self.custom);
            spawn_local(async move {
                let loaded = crate::api::ai_prompts(workspace)
                    .await
                    .map_err(|e| e.to_string());
                custom.set(Some(loaded));
            });
        }
    }

    fn choose(self, prompt: PromptChoice) {
        self.open.set(false);
        self.ready.set(None);
        self.suggestion.set(String::new());
        let translation = matches!(
            prompt,
            PromptChoice::Translate { .. } | PromptChoice::ContactLanguage
        );
        self.translating.set(translation);
        let ready = self.ready;
        let task = AiTask::Rewrite {
            text: self.text.get_untracked(),
            prompt,
        };
        self.writer.start(
            self.workspace,
            self.conversation,
            task,
            self.suggestion,
            self.error,
            move |_| ready.set(Some(translation)),
        );
    }

    fn accept(self) {
        let Some(translation) = self.ready.get_untracked() else {
            return;
        };
        self.ready.set(None);
        let before = self.text.get_untracked();
        let accepted = self.suggestion.get_untracked();
        let original_before = self.original.and_then(|o| o.get_untracked());
        if translation && let Some(original) = self.original {
            // Translated twice: the agent's own words are still the first ones.
            original.set(Some(
                original_before.clone().unwrap_or_else(|| before.clone()),
            ));
        }
        self.text.set(accepted.clone());
        self.replaced.set(Some(Replaced {
            before,
            original_before,
            accepted,
        }));
    }

    fn undo(self) {
        if let Some(replaced) = self.replaced.get_untracked() {
            self.text.set(replaced.before);
            if let Some(original) = self.original {
                original.set(replaced.original_before);
            }
            self.replaced.set(None);
        }
    }

    /// Whether AI is writing a suggestion.
    pub fn writing(self) -> bool {
        self.writer.writing().get()
    }
}

fn standard_label(prompt: StandardPrompt) -> String {
    match prompt {
        StandardPrompt::Rephrase => tr!("composer-ai-prompt-rephrase"),
        StandardPrompt::FixSpelling => tr!("composer-ai-prompt-fix-spelling"),
        StandardPrompt::Friendlier => tr!("composer-ai-prompt-friendlier"),
        StandardPrompt::MoreFormal => tr!("composer-ai-prompt-more-formal"),
        StandardPrompt::Simplify => tr!("composer-ai-prompt-simplify"),
        StandardPrompt::Shorter => tr!("composer-ai-prompt-shorter"),
        StandardPrompt::Longer => tr!("composer-ai-prompt-longer"),
    }
}

/// A language of [`LANGUAGES`] in the app's language.
pub fn language_label(code: &str) -> String {
    match code {
        "en" => tr!("ai-language-en"),
        "ru" => tr!("ai-language-ru"),
        "uk" => tr!("ai-language-uk"),
        "de" => tr!("ai-language-de"),
        "fr" => tr!("ai-language-fr"),
        "es" => tr!("ai-language-es"),
        "it" => tr!("ai-language-it"),
        "pt" => tr!("ai-language-pt"),
        "tr" => tr!("ai-language-tr"),
        "ar" => tr!("ai-language-ar"),
        "zh" => tr!("ai-language-zh"),
        "ja" => tr!("ai-language-ja"),
        other => other.to_owned(),
    }
}

/// The "AI prompts" button and its menu; shown while the draft has words and nothing writes.
#[component]
pub fn PromptsButton(
    prompts: Prompts,
    /// A message to the contact (its language is offered); else a comment or a note.
    #[prop(into)]
    message: Signal<bool>,
    /// Another AI tool is writing into the draft.
    #[prop(into)]
    busy: Signal<bool>,
) -> impl IntoView {
    let shown =
        move || !busy.get() && !prompts.writing() && prompts.text.with(|t| !t.trim().is_empty());
    view! {
        <Show when=shown>
            <span class="ai-prompts">
                <button type="button" class="button subtle small" aria-haspopup="menu"
                    aria-expanded=move || prompts.open.get().to_string()
                    on:click=move |_| prompts.toggle_menu()>
                    <Icon name="wand"/>
                    {tr!("composer-ai-prompts")}
                </button>
                <Show when=move || prompts.open.get()>
                    <div class="ai-prompt-menu" role="menu" aria-label=tr!("composer-ai-prompts")>
                        {StandardPrompt::ALL.into_iter().map(|p| view! {
                            <button type="button" role="menuitem"
                                on:click=move |_| prompts.choose(PromptChoice::Standard { prompt: p })>
                                {standard_label(p)}
                            </button>
                        }).collect_view()}
                        <hr/>
                        <Show when=move || message.get()>
                            <button type="button" role="menuitem"
                                on:click=move |_| prompts.choose(PromptChoice::ContactLanguage)>
                                <Icon name="translate"/>
                                {tr!("composer-ai-translate-contact")}
                            </button>
                        </Show>
                        <label class="ai-translate-into">
                            <span>{tr!("composer-ai-translate-into")}</span>
                            <select name="translate_into" on:change=move |ev| {
                                let language = event_target_value(&ev);
                                if !language.is_empty() {
                                    prompts.choose(PromptChoice::Translate { language });
                                }
                            }>
                                <option value="" selected>{tr!("composer-ai-translate-choose")}</option>
                                {LANGUAGES.iter().map(|(code, _)| view! {
                                    <option value=*code>{language_label(code)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        {move || match prompts.custom.get() {
                            None => view! { <p class="muted small">{tr!("composer-ai-prompts-loading")}</p> }.into_any(),
                            Some(Err(e)) => view! { <p class="form-error small">{e}</p> }.into_any(),
                            Some(Ok(list)) if list.is_empty() => ().into_any(),
                            Some(Ok(list)) => view! {
                                <hr/>
                                <span class="muted small">{tr!("composer-ai-custom-prompts")}</span>
                                {list.into_iter().map(|p| {
                                    let id = p.id;
                                    view! {
                                        <button type="button" role="menuitem" translate="no" title=p.instructions.clone()
                                            on:click=move |_| prompts.choose(PromptChoice::Custom { id })>
                                            {p.name.clone()}
                                        </button>
                                    }
                                }).collect_view()}
                            }.into_any(),
                        }}
                    </div>
                </Show>
            </span>
        </Show>
    }
}

/// The suggestion as it is written, to replace the draft with or discard; then Undo.
#[component]
pub fn PromptsPanel(prompts: Prompts) -> impl IntoView {
    let visible = move || prompts.writing() || prompts.ready.with(Option::is_some);
    let can_undo = move || {
        prompts.replaced.with(|r| {
            r.as_ref()
                .is_some_and(|r| prompts.text.with(|t| *t == r.accepted))
        })
    };
    view! {
        <Show when=visible>
            <div class="ai-suggestion" role="group" aria-label=tr!("composer-ai-suggestion")>
                <span class="muted small">
                    {move || if prompts.writing() { tr!("composer-ai-rewriting") } else { tr!("composer-ai-suggestion") }}
                </span>
                <p class="ai-suggestion-text" translate="no">{move || prompts.suggestion.get()}</p>
                <Show when=move || prompts.translating.get() && prompts.original.is_some()>
                    <p class="muted small">{tr!("composer-ai-translated-note")}</p>
                </Show>
                <div class="modal-buttons">
                    <Show
                        when=move || prompts.writing()
                        fallback=move || view! {
                            <button type="button" class="button subtle small" on:click=move |_| prompts.ready.set(None)>
                                {tr!("composer-ai-discard")}
                            </button>
                            <button type="button" class="button primary small" on:click=move |_| prompts.accept()>
                                {tr!("composer-ai-replace")}
                            </button>
                        }
                    >
                        <button type="button" class="button subtle small" on:click=move |_| prompts.writer.stop()>
                            {tr!("composer-ai-stop")}
                        </button>
                    </Show>
                </div>
            </div>
        </Show>
        <Show when=can_undo>
            <div class="ai-undo" role="status">
                <span class="muted small">{tr!("composer-ai-replaced")}</span>
                <button type="button" class="button subtle small" on:click=move |_| prompts.undo()>
                    <Icon name="undo"/>
                    {tr!("composer-ai-undo")}
                </button>
            </div>
        </Show>
    }
}
