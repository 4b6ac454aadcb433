//! The workspace's HubSpot connection (T7, P5): a private app's access token (written only:
//! the form says whether one is kept, never what it is) and the contact properties the
//! contact panel shows. Owners and managers connect and disconnect; others see whether it is.

use super::{problem_line, refused, remove_confirmed, use_settings};
use crate::api;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::crm::*;

/// What a new connection shows unless the manager chooses otherwise.
const DEFAULT_PROPERTIES: &str = "email, phone, company, jobtitle, lifecyclestage, hs_lead_status";

#[component]
pub fn Hubspot() -> impl IntoView {
    let context = use_settings();
    let ws = context.workspace;
    let current = RwSignal::new(None::<HubspotSettings>);
    let token = RwSignal::new(String::new());
    let properties = RwSignal::new(DEFAULT_PROPERTIES.to_owned());
    let problem = RwSignal::new(None::<(String, String)>);
    // What the server holds. Typed secrets are cleared only once saved: the first answer
    // may come after typing began.
    let fill = move |settings: Option<HubspotSettings>| {
        if let Some(s) = &settings {
            properties.set(s.properties.join(", "));
        }
        current.set(settings);
    };
    spawn_local(async move {
        match api::hubspot_status(ws).await {
            Ok(status) => fill(status.hubspot),
            Err(e) => context.failed(e),
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = token.get_untracked().trim().to_owned();
        let request = HubspotSettingsRequest {
            access_token: (!typed.is_empty()).then_some(typed),
            properties: properties
                .get_untracked()
                .split([',', '\n'])
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect(),
        };
        problem.set(None);
        spawn_local(async move {
            match api::connect_hubspot(ws, &request).await {
                Ok(saved) => {
                    fill(Some(saved));
                    token.set(String::new());
                    context.saved(tr!("settings-hubspot-saved"));
                }
                Err(e) => refused(context, problem, e, "access_token"),
            }
        });
    };
    let disconnect = move |_| {
        remove_confirmed(
            context,
            tr!("settings-hubspot-disconnect-confirm"),
            move || api::disconnect_hubspot(ws),
            tr!("settings-hubspot-disconnected"),
            move || {
                fill(None);
                token.set(String::new());
            },
        )
    };
    view! {
        <section class="settings-section" aria-labelledby="hubspot-settings-title">
            <h2 id="hubspot-settings-title" translate="no">"HubSpot"</h2>
            <p class="muted small">{tr!("settings-hubspot-hint")}</p>
            <Show
                when=move || context.manager.get()
                fallback=move || view! {
                    <p>{move || if current.with(Option::is_some) { tr!("settings-hubspot-on") } else { tr!("settings-hubspot-off") }}</p>
                }
            >
                <form class="settings-form" on:submit=save novalidate=true aria-label=tr!("settings-hubspot-form")>
                    <label class="field">
                        <span>{tr!("settings-hubspot-token")}</span>
                        <input type="password" name="hubspot_token" autocomplete="off"
                            prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev))/>
                        <span class="muted small">{move || match current.get() {
                            Some(s) => tr!("settings-hubspot-token-kept", portal = s.portal_id.to_string()),
                            None => tr!("settings-hubspot-token-none"),
                        }}</span>
                        {problem_line(problem, "access_token")}
                    </label>
                    <label class="field">
                        <span>{tr!("settings-hubspot-properties")}</span>
                        <input type="text" name="hubspot_properties" translate="no"
                            prop:value=move || properties.get() on:input=move |ev| properties.set(event_target_value(&ev))/>
                        <span class="muted small">{tr!("settings-hubspot-properties-hint")}</span>
                        {problem_line(problem, "properties")}
                    </label>
                    <div class="modal-buttons">
                        <Show when=move || current.with(Option::is_some)>
                            <button type="button" class="button subtle" on:click=disconnect>{tr!("settings-hubspot-disconnect")}</button>
                        </Show>
                        <button type="submit" class="button primary">{tr!("settings-hubspot-save")}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
