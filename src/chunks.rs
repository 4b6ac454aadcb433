//! The app's parts fetched when first needed, so the first load carries the sign-in and the
//! conversation list only. In the release build (`--features split`; `cargo xtask` cuts the
//! wasm with wasm-split) each part's code goes into its own chunk, fetched the first time it
//! is asked for; elsewhere the parts are plain functions, ready at once.
//!
//! A part answers the function that draws it, or `Unavailable` when its chunk could not be
//! fetched (a dropped connection before the service worker kept it): the screen says so
//! with Try again instead of the app stopping. Pages show theirs with `page`; the inbox
//! keeps its conversation and contact code (`fetch_into`) and draws them synchronously.

use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use switchboard_protocol::{ContactId, ConversationId, WorkspaceId};

/// A part's code could not be fetched; asking again tries afresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unavailable;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for Unavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Unavailable
    }
}

/// Declares a part: with `split`, a wasm-split point whose load may fail; without, an
/// `async fn` that is ready at once. Either way, called as `part().await`.
macro_rules! part {
    ($(#[$doc:meta])* $name:ident -> $ret:ty $body:block) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible)]
        pub fn $name() -> Result<$ret, Unavailable> {
            Ok($body)
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name() -> Result<$ret, Unavailable> {
            Ok($body)
        }
    };
}

/// Draws a page.
pub type PageFn = fn() -> AnyView;
/// Draws a conversation: thread, composer and actions.
pub type ThreadFn = fn(WorkspaceId, ConversationId) -> AnyView;
/// Draws the contact panel beside a conversation.
pub type ContactFn = fn(WorkspaceId, ContactId) -> AnyView;

part!(
    /// Workspace settings (`/w/:ws/settings`).
    settings_page -> PageFn {
        fn draw() -> AnyView {
            view! { <crate::pages::settings::SettingsPage/> }.into_any()
        }
        draw as PageFn
    }
);

part!(
    /// Channel settings (`/w/:ws/settings/channels`).
    channels_page -> PageFn {
        fn draw() -> AnyView {
            view! { <crate::pages::channels::ChannelsPage/> }.into_any()
        }
        draw as PageFn
    }
);

part!(
    /// The visitor's website chat (`/chat/:key`).
    chat_page -> PageFn {
        fn draw() -> AnyView {
            view! { <crate::pages::chat::ChatPage/> }.into_any()
        }
        draw as PageFn
    }
);

part!(
    /// Joining through an invitation (`/invite/:token`).
    invite_page -> PageFn {
        fn draw() -> AnyView {
            view! { <crate::pages::invite::InvitePage/> }.into_any()
        }
        draw as PageFn
    }
);

part!(
    /// Search everything (S1).
    search_pane -> PageFn {
        fn draw() -> AnyView {
            view! { <crate::pages::inbox::search_pane::SearchPane/> }.into_any()
        }
        draw as PageFn
    }
);

part!(
    /// A conversation's view; the inbox asks for it when it opens.
    thread_view -> ThreadFn {
        fn draw(workspace: WorkspaceId, conversation: ConversationId) -> AnyView {
            view! { <crate::pages::inbox::thread_view::ThreadView workspace=workspace conversation=conversation/> }
                .into_any()
        }
        draw as ThreadFn
    }
);

part!(
    /// The contact panel, asked for like the conversation's view.
    contact_panel -> ContactFn {
        fn draw(workspace: WorkspaceId, contact: ContactId) -> AnyView {
            view! { <crate::pages::inbox::contact_panel::ContactPanel workspace=workspace contact=contact/> }
                .into_any()
        }
        draw as ContactFn
    }
);

/// Where a part's code arrives: `None` while it is being fetched.
pub type Arrival<T> = RwSignal<Option<Result<T, Unavailable>>>;

/// Fetches a part's code into `arrival`, in the background.
pub fn fetch_into<T>(
    arrival: Arrival<T>,
    code: impl Future<Output = Result<T, Unavailable>> + 'static,
) where
    T: Send + Sync + 'static,
{
    arrival.set(None);
    spawn_local(async move { arrival.set(Some(code.await)) });
}

/// A page that is a part: "Loading…" until its code has arrived, then the page; if the code
/// could not be fetched, why, with Try again.
pub fn page<F, Fut>(code: F) -> impl IntoView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<PageFn, Unavailable>> + 'static,
{
    let arrival: Arrival<PageFn> = RwSignal::new(None);
    fetch_into(arrival, code());
    move || match arrival.get() {
        None => view! { <p class="muted part-loading" role="status">{tr!("part-loading")}</p> }
            .into_any(),
        Some(Ok(draw)) => draw(),
        Some(Err(Unavailable)) => unavailable(move || fetch_into(arrival, code())).into_any(),
    }
}

/// Says a part could not be loaded, with Try again.
pub fn unavailable(retry: impl Fn() + 'static) -> impl IntoView {
    view! {
        <div class="part-unavailable" role="alert">
            <p>{tr!("part-unavailable")}</p>
            <button type="button" class="button" on:click=move |_| retry()>{tr!("part-retry")}</button>
        </div>
    }
}
