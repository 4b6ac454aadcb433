//! The workspace's AI provider (T7): an OpenAI-compatible endpoint, its model, an optional
//! organisation and the API key. Owners and managers set it; the key is written only (the
//! form says whether one is kept, never what it is). Others see which model answers.

use super::{problem_line, refused, remove_confirmed, use_settings};
use crate::api;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::ai::*;

#[component]
pub fn AiProvider() -> impl IntoView {
    let context = use_settings();
    let ws = context.workspace;
    let current = RwSignal::new(None::<AiSettings>);
    let base_url = RwSignal::new(String::new());
    let model = RwSignal::new(String::new());
    let organization = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<(String, String)>);
    let fill = move |settings: Option<AiSettings>| {
        base_url.set(
            settings
                .as_ref()
                .map(|s| s.base_url.clone())
                .unwrap_or_default(),
        );
        model.set(
            settings
                .as_ref()
                .map(|s| s.model.clone())
                .unwrap_or_default(),
        );
        organization.set(
            settings
                .as_ref()
                .and_then(|s| s.organization.clone())
                .unwrap_or_default(),
        );
        key.set(String::new());
        current.set(settings);
    };
    spawn_local(async move {
        match api::ai_status(ws).await {
            Ok(status) => fill(status.provider),
            Err(e) => context.failed(e),
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed_key = key.get_untracked().trim().to_owned();
        let request = AiSettingsRequest {
            base_url: base_url.get_untracked().trim().to_owned(),
            model: model.get_untracked().trim().to_owned(),
            organization: Some(organization.get_untracked().trim().to_owned())
                .filter(|o| !o.is_empty()),
            api_key: (!typed_key.is_empty()).then_some(typed_key),
        };
        if request.model.is_empty() {
            problem.set(Some(("model".into(), tr!("settings-ai-model-needed"))));
            return;
        }
        problem.set(None);
        spawn_local(async move {
            match api::configure_ai(ws, &request).await {
                Ok(saved) => {
                    fill(Some(saved));
                    context.saved(tr!("settings-ai-saved"));
                }
                Err(e) => refused(context, problem, e, "base_url"),
            }
        });
    };
    let remove = move |_| {
        remove_confirmed(
            context,
            tr!("settings-ai-remove-confirm"),
            move || api::remove_ai(ws),
            tr!("settings-ai-removed"),
            move || {
                fill(None);
            },
        )
    };
    let error_of = move |field: &'static str| problem_line(problem, field);
    let key_hint = move || {
        if current.with(|c| c.as_ref().is_some_and(|c| c.key_set)) {
            tr!("settings-ai-key-kept")
        } else {
            tr!("settings-ai-key-none")
        }
    };
    view! {
        <section class="settings-section" aria-labelledby="ai-title">
            <h2 id="ai-title">{tr!("settings-ai-title")}</h2>
            <p class="muted small">{tr!("settings-ai-hint")}</p>
            <Show
                when=move || context.manager.get()
                fallback=move || view! {
                    <p>{move || match current.get() {
                        Some(s) => view! {
                            <span>{tr!("settings-ai-answers")}" "<strong translate="no">{s.model}</strong></span>
                        }.into_any(),
                        None => tr!("settings-ai-none").into_any(),
                    }}</p>
                }
            >
                <form class="settings-form" on:submit=save novalidate=true aria-label=tr!("settings-ai-title")>
                    <label class="field">
                        <span>{tr!("settings-ai-base-url")}</span>
                        <input type="url" name="ai_base_url" placeholder="https://api.openai.com/v1" translate="no"
                            prop:value=move || base_url.get() on:input=move |ev| base_url.set(event_target_value(&ev))/>
                        {error_of("base_url")}
                    </label>
                    <label class="field">
                        <span>{tr!("settings-ai-model")}</span>
                        <input type="text" name="ai_model" placeholder="gpt-4o-mini" translate="no"
                            prop:value=move || model.get() on:input=move |ev| model.set(event_target_value(&ev))/>
                        {error_of("model")}
                    </label>
                    <label class="field">
                        <span>{tr!("settings-ai-organization")}</span>
                        <input type="text" name="ai_organization"
                            prop:value=move || organization.get() on:input=move |ev| organization.set(event_target_value(&ev))/>
                        {error_of("organization")}
                    </label>
                    <label class="field">
                        <span>{tr!("settings-ai-key")}</span>
                        <input type="password" name="ai_api_key" autocomplete="off"
                            prop:value=move || key.get() on:input=move |ev| key.set(event_target_value(&ev))/>
                        <span class="muted small">{key_hint}</span>
                        {error_of("api_key")}
                    </label>
                    <div class="modal-buttons">
                        <Show when=move || current.with(Option::is_some)>
                            <button type="button" class="button subtle" on:click=remove>{tr!("settings-ai-remove")}</button>
                        </Show>
                        <button type="submit" class="button primary">{tr!("settings-ai-save")}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
