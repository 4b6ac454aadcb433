//! The workspace's Salesforce connection (T7, P6): a connected app's consumer key, how it
//! signs in (a refresh token with the consumer secret, or the JWT bearer flow with a user
//! and the certificate's private key; written only, the form says which is kept), production
//! or sandbox, and the Contact fields the contact panel shows. Owners and managers connect
//! and disconnect; others see whether it is.

use super::{problem_line, refused, remove_confirmed, use_settings};
use crate::api;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::crm::*;

/// What a new connection shows unless the manager chooses otherwise.
const DEFAULT_FIELDS: &str = "Email, Phone, Title, Department, LeadSource";

#[component]
pub fn Salesforce() -> impl IntoView {
    let context = use_settings();
    let ws = context.workspace;
    let current = RwSignal::new(None::<SalesforceSettings>);
    let client_id = RwSignal::new(String::new());
    let sandbox = RwSignal::new(false);
    let flow = RwSignal::new(SalesforceFlow::RefreshToken);
    let client_secret = RwSignal::new(String::new());
    let refresh_token = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let private_key = RwSignal::new(String::new());
    let fields = RwSignal::new(DEFAULT_FIELDS.to_owned());
    let problem = RwSignal::new(None::<(String, String)>);
    // What the server holds. Typed secrets are cleared only once saved: the first answer
    // may come after typing began.
    let fill = move |settings: Option<SalesforceSettings>| {
        if let Some(s) = &settings {
            client_id.set(s.client_id.clone());
            sandbox.set(s.sandbox);
            flow.set(s.flow);
            username.set(s.username.clone().unwrap_or_default());
            fields.set(s.fields.join(", "));
        }
        current.set(settings);
    };
    let forget_typed = move || {
        client_secret.set(String::new());
        refresh_token.set(String::new());
        private_key.set(String::new());
    };
    spawn_local(async move {
        match api::salesforce_status(ws).await {
            Ok(status) => fill(status.salesforce),
            Err(e) => context.failed(e),
        }
    });
    // Credentials go only when typed: an untouched form keeps the ones kept.
    let credentials = move || match flow.get_untracked() {
        SalesforceFlow::RefreshToken => {
            let (secret, token) = (
                client_secret.get_untracked().trim().to_owned(),
                refresh_token.get_untracked().trim().to_owned(),
            );
            (!secret.is_empty() || !token.is_empty()).then_some(
                SalesforceCredentials::RefreshToken {
                    client_secret: secret,
                    refresh_token: token,
                },
            )
        }
        SalesforceFlow::JwtBearer => {
            let key = private_key.get_untracked().trim().to_owned();
            let user = username.get_untracked().trim().to_owned();
            let changed_user = current.with_untracked(|c| {
                c.as_ref()
                    .and_then(|c| c.username.clone())
                    .unwrap_or_default()
                    != user
            });
            (!key.is_empty() || changed_user).then_some(SalesforceCredentials::JwtBearer {
                username: user,
                private_key: key,
            })
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = SalesforceSettingsRequest {
            client_id: client_id.get_untracked().trim().to_owned(),
            sandbox: sandbox.get_untracked(),
            credentials: credentials(),
            fields: fields
                .get_untracked()
                .split([',', '\n'])
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect(),
        };
        problem.set(None);
        spawn_local(async move {
            match api::connect_salesforce(ws, &request).await {
                Ok(saved) => {
                    fill(Some(saved));
                    forget_typed();
                    context.saved(tr!("settings-salesforce-saved"));
                }
                Err(e) => refused(context, problem, e, "credentials"),
            }
        });
    };
    let disconnect = move |_| {
        remove_confirmed(
            context,
            tr!("settings-salesforce-disconnect-confirm"),
            move || api::disconnect_salesforce(ws),
            tr!("settings-salesforce-disconnected"),
            move || {
                fill(None);
                forget_typed();
            },
        )
    };
    let kept = move || {
        current.with(|c| match c {
            Some(s) if s.flow == flow.get() => {
                tr!("settings-salesforce-kept", org = s.instance_url.clone())
            }
            _ => tr!("settings-salesforce-none"),
        })
    };
    view! {
        <section class="settings-section" aria-labelledby="salesforce-settings-title">
            <h2 id="salesforce-settings-title" translate="no">"Salesforce"</h2>
            <p class="muted small">{tr!("settings-salesforce-hint")}</p>
            <Show
                when=move || context.manager.get()
                fallback=move || view! {
                    <p>{move || if current.with(Option::is_some) { tr!("settings-salesforce-on") } else { tr!("settings-salesforce-off") }}</p>
                }
            >
                <form class="settings-form" on:submit=save novalidate=true aria-label=tr!("settings-salesforce-form")>
                    <label class="field">
                        <span>{tr!("settings-salesforce-client-id")}</span>
                        <input type="text" name="salesforce_client_id" autocomplete="off" translate="no"
                            prop:value=move || client_id.get() on:input=move |ev| client_id.set(event_target_value(&ev))/>
                        {problem_line(problem, "client_id")}
                    </label>
                    <label class="choice">
                        <input type="checkbox" name="salesforce_sandbox"
                            prop:checked=move || sandbox.get() on:change=move |ev| sandbox.set(event_target_checked(&ev))/>
                        <span>{tr!("settings-salesforce-sandbox")}</span>
                    </label>
                    <fieldset class="choice-row">
                        <legend>{tr!("settings-salesforce-flow")}</legend>
                        <label class="choice">
                            <input type="radio" name="salesforce_flow" value="refresh_token"
                                prop:checked=move || flow.get() == SalesforceFlow::RefreshToken
                                on:change=move |_| flow.set(SalesforceFlow::RefreshToken)/>
                            <span>{tr!("settings-salesforce-flow-refresh")}</span>
                        </label>
                        <label class="choice">
                            <input type="radio" name="salesforce_flow" value="jwt_bearer"
                                prop:checked=move || flow.get() == SalesforceFlow::JwtBearer
                                on:change=move |_| flow.set(SalesforceFlow::JwtBearer)/>
                            <span>{tr!("settings-salesforce-flow-jwt")}</span>
                        </label>
                    </fieldset>
                    <Show
                        when=move || flow.get() == SalesforceFlow::RefreshToken
                        fallback=move || view! {
                            <label class="field">
                                <span>{tr!("settings-salesforce-username")}</span>
                                <input type="text" name="salesforce_username" autocomplete="off" translate="no"
                                    prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev))/>
                                {problem_line(problem, "username")}
                            </label>
                            <label class="field">
                                <span>{tr!("settings-salesforce-private-key")}</span>
                                <textarea name="salesforce_private_key" rows="4" autocomplete="off" spellcheck="false"
                                    prop:value=move || private_key.get() on:input=move |ev| private_key.set(event_target_value(&ev))></textarea>
                                <span class="muted small">{kept}</span>
                                {problem_line(problem, "private_key")}
                            </label>
                        }
                    >
                        <label class="field">
                            <span>{tr!("settings-salesforce-client-secret")}</span>
                            <input type="password" name="salesforce_client_secret" autocomplete="off"
                                prop:value=move || client_secret.get() on:input=move |ev| client_secret.set(event_target_value(&ev))/>
                            {problem_line(problem, "client_secret")}
                        </label>
                        <label class="field">
                            <span>{tr!("settings-salesforce-refresh-token")}</span>
                            <input type="password" name="salesforce_refresh_token" autocomplete="off"
                                prop:value=move || refresh_token.get() on:input=move |ev| refresh_token.set(event_target_value(&ev))/>
                            <span class="muted small">{kept}</span>
                            {problem_line(problem, "refresh_token")}
                        </label>
                    </Show>
                    {problem_line(problem, "credentials")}
                    <label class="field">
                        <span>{tr!("settings-salesforce-fields")}</span>
                        <input type="text" name="salesforce_fields" translate="no"
                            prop:value=move || fields.get() on:input=move |ev| fields.set(event_target_value(&ev))/>
                        <span class="muted small">{tr!("settings-salesforce-fields-hint")}</span>
                        {problem_line(problem, "fields")}
                    </label>
                    <div class="modal-buttons">
                        <Show when=move || current.with(Option::is_some)>
                            <button type="button" class="button subtle" on:click=disconnect>{tr!("settings-salesforce-disconnect")}</button>
                        </Show>
                        <button type="submit" class="button primary">{tr!("settings-salesforce-save")}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
