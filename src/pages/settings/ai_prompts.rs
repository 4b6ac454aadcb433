//! The workspace's own AI prompts (T8): a name and what the AI is told to do with a draft.
//! Owners and managers add, change and delete them; every member finds them in the AI
//! prompts menu of each editor, and here read-only.

use super::{problem_line, refused, use_settings};
use crate::api;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::ai::*;

#[component]
pub fn AiPrompts() -> impl IntoView {
    let context = use_settings();
    let ws = context.workspace;
    let prompts = RwSignal::new(Vec::<AiPrompt>::new());
    // The prompt being changed; `None` adds a new one.
    let editing = RwSignal::new(None::<i64>);
    let name = RwSignal::new(String::new());
    let instructions = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<(String, String)>);
    let load = move || {
        spawn_local(async move {
            match api::ai_prompts(ws).await {
                Ok(list) => prompts.set(list),
                Err(e) => context.failed(e),
            }
        });
    };
    load();
    let clear = move || {
        editing.set(None);
        name.set(String::new());
        instructions.set(String::new());
        problem.set(None);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = AiPromptRequest {
            name: name.get_untracked().trim().to_owned(),
            instructions: instructions.get_untracked().trim().to_owned(),
        };
        if request.name.is_empty() {
            problem.set(Some(("name".into(), tr!("settings-prompts-name-needed"))));
            return;
        }
        if request.instructions.is_empty() {
            problem.set(Some((
                "instructions".into(),
                tr!("settings-prompts-instructions-needed"),
            )));
            return;
        }
        let id = editing.get_untracked();
        spawn_local(async move {
            let saved = match id {
                Some(id) => api::update_ai_prompt(ws, id, &request).await,
                None => api::create_ai_prompt(ws, &request).await,
            };
            match saved {
                Ok(_) => {
                    clear();
                    load();
                    context.saved(tr!("settings-prompts-saved"));
                }
                Err(e) => refused(context, problem, e, "name"),
            }
        });
    };
    let remove = move |id: i64| {
        if !crate::ui::confirm::confirmed(&tr!("settings-prompts-delete-confirm")) {
            return;
        }
        spawn_local(async move {
            match api::delete_ai_prompt(ws, id).await {
                Ok(()) => {
                    if editing.get_untracked() == Some(id) {
                        clear();
                    }
                    load();
                    context.saved(tr!("settings-prompts-deleted"));
                }
                Err(e) => context.failed(e),
            }
        });
    };
    let error_of = move |field: &'static str| problem_line(problem, field);
    view! {
        <section class="settings-section" aria-labelledby="prompts-title">
            <h2 id="prompts-title">{tr!("settings-prompts-title")}</h2>
            <p class="muted small">{tr!("settings-prompts-hint")}</p>
            <Show when=move || prompts.with(Vec::is_empty)>
                <p class="muted">{tr!("settings-prompts-none")}</p>
            </Show>
            <ul class="settings-list" aria-label=tr!("settings-prompts-title")>
                <For each=move || prompts.get() key=|p| (p.id, p.name.clone(), p.instructions.clone()) let:prompt>
                    {
                        let id = prompt.id;
                        let (n, i) = (prompt.name.clone(), prompt.instructions.clone());
                        view! {
                            <li class="settings-item">
                                <div class="settings-item-head">
                                    <strong translate="no">{prompt.name.clone()}</strong>
                                    <span class="settings-item-actions">
                                <Show when=move || context.manager.get()>
                                    <button type="button" class="button subtle small"
                                        aria-label=tr!("settings-prompts-edit-named", name = &n)
                                        on:click={
                                            let (n, i) = (n.clone(), i.clone());
                                            move |_| {
                                                editing.set(Some(id));
                                                name.set(n.clone());
                                                instructions.set(i.clone());
                                                problem.set(None);
                                            }
                                        }>{tr!("settings-prompts-edit")}</button>
                                    <button type="button" class="button subtle small"
                                        aria-label=tr!("settings-prompts-delete-named", name = &n)
                                        on:click=move |_| remove(id)>{tr!("settings-prompts-delete")}</button>
                                </Show>
                                    </span>
                                </div>
                                <p class="snippet-text" translate="no">{prompt.instructions.clone()}</p>
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || context.manager.get()>
                <form class="settings-form" on:submit=save novalidate=true aria-label=tr!("settings-prompts-form")>
                    <label class="field">
                        <span>{tr!("settings-prompts-name")}</span>
                        <input type="text" name="prompt_name" maxlength="60"
                            prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                        {error_of("name")}
                    </label>
                    <label class="field">
                        <span>{tr!("settings-prompts-instructions")}</span>
                        <textarea name="prompt_instructions" rows="3" maxlength="2000"
                            placeholder=tr!("settings-prompts-instructions-example")
                            prop:value=move || instructions.get()
                            on:input=move |ev| instructions.set(event_target_value(&ev))></textarea>
                        {error_of("instructions")}
                    </label>
                    <div class="modal-buttons">
                        <Show when=move || editing.with(Option::is_some)>
                            <button type="button" class="button subtle" on:click=move |_| clear()>{tr!("settings-prompts-cancel")}</button>
                        </Show>
                        <button type="submit" class="button primary">
                            {move || if editing.with(Option::is_some) { tr!("settings-prompts-save") } else { tr!("settings-prompts-add") }}
                        </button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
