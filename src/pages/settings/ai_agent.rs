//! The workspace's AI Agent (A5): on or off, and its instructions. Owners and managers set
//! it; everyone else reads it. Conversations are given to it like to a teammate (Assign →
//! AI Agent), and Takeover in the conversation takes them back.

use super::{problem_line, refused, use_settings};
use crate::api;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::ai::*;

#[component]
pub fn AiAgent() -> impl IntoView {
    let context = use_settings();
    let ws = context.workspace;
    let enabled = RwSignal::new(false);
    let instructions = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<(String, String)>);
    let fill = move |settings: AiAgentSettings| {
        enabled.set(settings.enabled);
        instructions.set(settings.instructions);
    };
    spawn_local(async move {
        match api::ai_agent(ws).await {
            Ok(settings) => fill(settings),
            Err(e) => context.failed(e),
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let settings = AiAgentSettings {
            enabled: enabled.get_untracked(),
            instructions: instructions.get_untracked().trim().to_owned(),
        };
        if settings.enabled && settings.instructions.is_empty() {
            problem.set(Some((
                "instructions".into(),
                tr!("settings-agent-instructions-needed"),
            )));
            return;
        }
        problem.set(None);
        spawn_local(async move {
            match api::configure_ai_agent(ws, &settings).await {
                Ok(saved) => {
                    fill(saved);
                    context.saved(tr!("settings-agent-saved"));
                }
                Err(e) => refused(context, problem, e, "instructions"),
            }
        });
    };
    view! {
        <section class="settings-section" aria-labelledby="agent-title">
            <h2 id="agent-title">{tr!("settings-agent-title")}</h2>
            <p class="muted small">{tr!("settings-agent-hint")}</p>
            <Show
                when=move || context.manager.get()
                fallback=move || view! {
                    <p>{move || if enabled.get() { tr!("settings-agent-on") } else { tr!("settings-agent-off") }}</p>
                }
            >
                <form class="settings-form" on:submit=save novalidate=true aria-label=tr!("settings-agent-title")>
                    <label class="choice">
                        <input type="checkbox" name="agent_enabled" prop:checked=move || enabled.get()
                            on:change=move |ev| enabled.set(event_target_checked(&ev))/>
                        <span>{tr!("settings-agent-enabled")}</span>
                    </label>
                    <label class="field">
                        <span>{tr!("settings-agent-instructions")}</span>
                        <textarea name="agent_instructions" rows="5" maxlength="4000"
                            placeholder=tr!("settings-agent-instructions-example")
                            prop:value=move || instructions.get()
                            on:input=move |ev| instructions.set(event_target_value(&ev))></textarea>
                        {problem_line(problem, "instructions")}
                    </label>
                    <div class="modal-buttons">
                        <button type="submit" class="button primary">{tr!("settings-agent-save")}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
