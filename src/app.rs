//! The router: every URL of the app in one place, and the global contexts.

use crate::pages::{home::Home, inbox::InboxPage};
use crate::state::session::provide_session;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let session = provide_session();
    spawn_local(async move {
        // Only a definite "not signed in" signs out; other failures are retried by the views.
        match crate::api::me().await {
            Ok(me) => session.set(Some(me)),
            Err(_) => session.set(None),
        }
    });
    let update_ready = RwSignal::new(false);
    crate::pwa::watch_for_updates(update_ready);
    let offline = crate::state::connectivity::offline();
    let language = crate::state::language::language();
    view! {
        <Show when=move || offline.get()>
            <p class="app-banner offline-banner" role="status">
                {move || { language.track(); tr!("app-offline") }}
            </p>
        </Show>
        <Show when=move || update_ready.get()>
            <p class="app-banner update-banner" role="status">
                {move || { language.track(); tr!("app-update-ready") }}
                <button type="button" class="button small" on:click=move |_| {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }>{move || { language.track(); tr!("app-reload") }}</button>
            </p>
        </Show>
        <Router>
            <ServiceWorkerLinks/>
            // Every page renders again in a newly chosen language.
            {move || {
                language.track();
                view! {
            <FlatRoutes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=Home/>
                <Route path=path!("/login") view=|| crate::chunks::first_words_page(crate::chunks::login_page)/>
                <Route path=path!("/invite/:token") view=|| crate::chunks::page(crate::chunks::invite_page)/>
                // One route for the list, a conversation and search, so moving between them
                // keeps the inbox mounted; it reads its path itself (`routes::parse_inbox`).
                <Route path=path!("/w/:ws/settings/channels") view=|| crate::chunks::page(crate::chunks::channels_page)/>
                <Route path=path!("/w/:ws/settings") view=|| crate::chunks::page(crate::chunks::settings_page)/>
                <Route path=path!("/w/*inbox") view=InboxPage/>
                <Route path=path!("/chat/:key") view=|| crate::chunks::page(crate::chunks::chat_page)/>
            </FlatRoutes>
                }
            }}
        </Router>
    }
}

/// Registers the service worker; links its notifications open are routed in the app.
#[component]
fn ServiceWorkerLinks() -> impl IntoView {
    let navigate = leptos_router::hooks::use_navigate();
    crate::pwa::register(move |url| navigate(&url, Default::default()));
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <main class="centered-page">
            <h1>{tr!("not-found-title")}</h1>
            <p><a href="/">{tr!("not-found-home")}</a></p>
        </main>
    }
}
