//! `/`: sends a signed-in user to their first workspace's inbox, others to the login page.

use crate::routes;
use crate::state::session::use_session;
use crate::tr;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if !session.checked() {
            return;
        }
        let target = match session.signed_in() {
            Some(me) => match me.workspaces.first() {
                Some(ws) => routes::inbox(ws.id),
                None => return,
            },
            None => routes::LOGIN.to_owned(),
        };
        navigate(
            &target,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
    view! {
        <main class="centered-page">
            <Show
                when=move || session.signed_in().is_some_and(|me| me.workspaces.is_empty())
                fallback=|| view! { <p class="muted">{tr!("login-loading")}</p> }
            >
                <h1>{tr!("login-home-no-workspace")}</h1>
                <p>{tr!("login-home-ask-owner")}</p>
            </Show>
        </main>
    }
}
