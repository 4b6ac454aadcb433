//! The app's parts fetched when first needed, so the first load carries the sign-in and the
//! conversation list only. In the release build (`--features split`; `cargo xtask` cuts the
//! wasm with wasm-split) each function's code goes into its own chunk, loaded the first time
//! it is called; elsewhere they are plain functions whose views are ready at once.
//! A page shows one with `Suspend::new(chunks::…())`; the inbox keeps the code of its
//! conversation and contact views (`fetch`) and draws them synchronously.

use leptos::prelude::*;
use switchboard_protocol::{ContactId, ConversationId, WorkspaceId};

/// Workspace settings (`/w/:ws/settings`).
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn settings_page() -> AnyView {
    view! { <crate::pages::settings::SettingsPage/> }.into_any()
}

/// Channel settings (`/w/:ws/settings/channels`).
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn channels_page() -> AnyView {
    view! { <crate::pages::channels::ChannelsPage/> }.into_any()
}

/// The visitor's website chat (`/chat/:key`).
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn chat_page() -> AnyView {
    view! { <crate::pages::chat::ChatPage/> }.into_any()
}

/// Joining through an invitation (`/invite/:token`).
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn invite_page() -> AnyView {
    view! { <crate::pages::invite::InvitePage/> }.into_any()
}

/// Draws a conversation: thread, composer and actions.
pub type ThreadFn = fn(WorkspaceId, ConversationId) -> AnyView;

/// The code of a conversation's view. The inbox asks for it when it opens and then draws
/// every conversation with it at once, as the selection changes.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn thread_view() -> ThreadFn {
    fn draw(workspace: WorkspaceId, conversation: ConversationId) -> AnyView {
        view! { <crate::pages::inbox::thread_view::ThreadView workspace=workspace conversation=conversation/> }
            .into_any()
    }
    draw as ThreadFn
}

/// Draws the contact panel beside a conversation.
pub type ContactFn = fn(WorkspaceId, ContactId) -> AnyView;

/// The code of the contact panel, asked for like the conversation's.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn contact_panel() -> ContactFn {
    fn draw(workspace: WorkspaceId, contact: ContactId) -> AnyView {
        view! { <crate::pages::inbox::contact_panel::ContactPanel workspace=workspace contact=contact/> }
            .into_any()
    }
    draw as ContactFn
}

/// Search everything (S1).
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn search_pane() -> AnyView {
    view! { <crate::pages::inbox::search_pane::SearchPane/> }.into_any()
}

/// `code` once it has arrived (`None` until then); the fetch starts now, in the background.
pub fn fetch<T>(code: impl Future<Output = T> + 'static) -> ReadSignal<Option<T>>
where
    T: Send + Sync + 'static,
{
    let (arrived, set) = signal(None);
    leptos::task::spawn_local(async move { set.set(Some(code.await)) });
    arrived
}
