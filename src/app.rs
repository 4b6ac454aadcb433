//! The router: every URL of the app in one place, and the global contexts.

use crate::pages::{
    channels::ChannelsPage, chat::ChatPage, home::Home, inbox::InboxPage, invite::InvitePage,
    login::LoginPage, settings::SettingsPage,
};
use crate::state::session::provide_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
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
    view! {
        <Show when=move || offline.get()>
            <p class="app-banner offline-banner" role="status">
                "You are offline. Conversations show as they were last loaded; what you send goes out when the connection is back."
            </p>
        </Show>
        <Show when=move || update_ready.get()>
            <p class="app-banner update-banner" role="status">
                "A new version of Switchboard is ready."
                <button type="button" class="button small" on:click=move |_| {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }>"Reload"</button>
            </p>
        </Show>
        <Router>
            <ServiceWorkerLinks/>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=Home/>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/invite/:token") view=InvitePage/>
                // One route for the list, a conversation and search, so moving between them
                // keeps the inbox mounted; it reads its path itself (`routes::parse_inbox`).
                <Route path=path!("/w/:ws/settings/channels") view=ChannelsPage/>
                <Route path=path!("/w/:ws/settings") view=SettingsPage/>
                <Route path=path!("/w/*inbox") view=InboxPage/>
                <Route path=path!("/chat/:key") view=ChatPage/>
            </Routes>
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
            <h1>"Page not found"</h1>
            <p><a href="/">"Go to your inbox"</a></p>
        </main>
    }
}
