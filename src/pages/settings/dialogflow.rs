//! The workspace's Dialogflow agent (T7, A6): a service account's JSON key (written only:
//! the form says which project and account are kept, never the key) and the language the
//! agent is asked in. Owners and managers connect and disconnect; others see whether it is.

use super::{problem_line, refused, remove_confirmed, use_settings};
use crate::api;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::dialogflow::*;

#[component]
pub fn Dialogflow() -> impl IntoView {
    let context = use_settings();
    let ws = context.workspace;
    let current = RwSignal::new(None::<DialogflowSettings>);
    let key = RwSignal::new(String::new());
    let language = RwSignal::new("en".to_owned());
    let problem = RwSignal::new(None::<(String, String)>);
    // What the server holds. Typed secrets are cleared only once saved: the first answer
    // may come after typing began.
    let fill = move |settings: Option<DialogflowSettings>| {
        if let Some(s) = &settings {
            language.set(s.language_code.clone());
        }
        current.set(settings);
    };
    spawn_local(async move {
        match api::dialogflow_status(ws).await {
            Ok(status) => fill(status.dialogflow),
            Err(e) => context.failed(e),
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = key.get_untracked().trim().to_owned();
        let request = DialogflowSettingsRequest {
            key_file: (!typed.is_empty()).then_some(typed),
            language_code: language.get_untracked().trim().to_owned(),
        };
        problem.set(None);
        spawn_local(async move {
            match api::connect_dialogflow(ws, &request).await {
                Ok(saved) => {
                    fill(Some(saved));
                    key.set(String::new());
                    context.saved(tr!("settings-dialogflow-saved"));
                }
                Err(e) => refused(context, problem, e, "key_file"),
            }
        });
    };
    let disconnect = move |_| {
        remove_confirmed(
            context,
            tr!("settings-dialogflow-disconnect-confirm"),
            move || api::disconnect_dialogflow(ws),
            tr!("settings-dialogflow-disconnected"),
            move || {
                fill(None);
                key.set(String::new());
            },
        )
    };
    view! {
        <section class="settings-section" aria-labelledby="dialogflow-settings-title">
            <h2 id="dialogflow-settings-title" translate="no">"Dialogflow"</h2>
            <p class="muted small">{tr!("settings-dialogflow-hint")}</p>
            <Show
                when=move || context.manager.get()
                fallback=move || view! {
                    <p>{move || if current.with(Option::is_some) { tr!("settings-dialogflow-on") } else { tr!("settings-dialogflow-off") }}</p>
                }
            >
                <form class="settings-form" on:submit=save novalidate=true aria-label=tr!("settings-dialogflow-form")>
                    <label class="field">
                        <span>{tr!("settings-dialogflow-key")}</span>
                        <textarea name="dialogflow_key" rows="4" autocomplete="off" spellcheck="false"
                            prop:value=move || key.get() on:input=move |ev| key.set(event_target_value(&ev))></textarea>
                        <span class="muted small">{move || match current.get() {
                            Some(s) => tr!("settings-dialogflow-key-kept", project = s.project_id, account = s.client_email),
                            None => tr!("settings-dialogflow-key-none"),
                        }}</span>
                        {problem_line(problem, "key_file")}
                    </label>
                    <label class="field">
                        <span>{tr!("settings-dialogflow-language")}</span>
                        <input type="text" name="dialogflow_language" translate="no" autocomplete="off"
                            prop:value=move || language.get() on:input=move |ev| language.set(event_target_value(&ev))/>
                        <span class="muted small">{tr!("settings-dialogflow-language-hint")}</span>
                        {problem_line(problem, "language_code")}
                    </label>
                    <div class="modal-buttons">
                        <Show when=move || current.with(Option::is_some)>
                            <button type="button" class="button subtle" on:click=disconnect>{tr!("settings-dialogflow-disconnect")}</button>
                        </Show>
                        <button type="submit" class="button primary">{tr!("settings-dialogflow-save")}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
