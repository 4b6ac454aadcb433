//! `/login`: e-mail and password; afterwards back to the page that asked for it (`?next=`).

use crate::api;
use crate::components::language_picker::LanguagePicker;
use crate::routes;
use crate::state::session::use_session;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    // The router's location: it follows every move (`InboxPage` says why).
    let query = use_location().query;
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let next = move || routes::safe_next(query.read().get("next").as_deref());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::login(&email.get_untracked(), &password.get_untracked()).await {
                Ok(me) => {
                    session.set(Some(me));
                    navigate(
                        &next(),
                        NavigateOptions {
                            replace: true,
                            ..Default::default()
                        },
                    );
                }
                Err(e) => {
                    let message = if e.is_unauthorized() {
                        tr!("login-wrong-credentials")
                    } else {
                        e.to_string()
                    };
                    error.set(Some(message));
                    busy.set(false);
                }
            }
        });
    };

    view! {
        <main class="login-page">
            <form class="login-card" on:submit=submit novalidate>
                <div class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">"Switchboard"</span>
                </div>
                <h1>{tr!("login-title")}</h1>
                <label class="field">
                    <span>{tr!("login-email")}</span>
                    <input
                        type="email"
                        name="email"
                        autocomplete="username"
                        required
                        prop:value=move || email.get()
                        on:input=move |ev| email.set(event_target_value(&ev))
                    />
                </label>
                <label class="field">
                    <span>{tr!("login-password")}</span>
                    <input
                        type="password"
                        name="password"
                        autocomplete="current-password"
                        required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </label>
                <p class="form-error" role="alert">{move || error.get()}</p>
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {move || if busy.get() { tr!("login-submitting") } else { tr!("login-submit") }}
                </button>
            </form>
            <LanguagePicker/>
        </main>
    }
}
