//! The router: every URL of the app in one place, and the global contexts.

use crate::pages::{
    channels::ChannelsPage, chat::ChatPage, home::Home, inbox::InboxPage, login::LoginPage,
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
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=Home/>
                <Route path=path!("/login") view=LoginPage/>
                // One route for the list, a conversation and search, so moving between them
                // keeps the inbox mounted; it reads its path itself (`routes::parse_inbox`).
                <Route path=path!("/w/:ws/settings/channels") view=ChannelsPage/>
                <Route path=path!("/w/*inbox") view=InboxPage/>
                <Route path=path!("/chat/:key") view=ChatPage/>
            </Routes>
        </Router>
    }
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
