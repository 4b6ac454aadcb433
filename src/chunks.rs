//! The app's parts fetched when first needed, so the first load carries the conversation
//! list only. In the release build (`--features split`; `cargo xtask` cuts the wasm with
//! wasm-split) each part's code goes into its own chunk, fetched the first time it is asked
//! for, together with the words only parts use (`i18n::LATER_AREAS`); elsewhere the parts
//! are plain functions, ready at once.
//!
//! A part answers the function that draws it, or `Unavailable` when its chunk or its words
//! could not be fetched (a dropped connection before the service worker kept them): the
//! screen says so with Try again instead of the app stopping. Pages show theirs with `page`,
//! pop-ups with `popup`; the inbox keeps its conversation and contact code (`fetch_into`)
//! and draws them synchronously.

use crate::tr;
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;
use switchboard_protocol::{
    ContactId, ConversationId, MessageId, NotificationId, UserId, WorkspaceId,
};

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
    /// Signing in (`/login`).
    login_page -> PageFn {
        fn draw() -> AnyView {
            view! { <crate::pages::login::LoginPage/> }.into_any()
        }
        draw as PageFn
    }
);

part!(
    /// The notification centre's panel and this device's push settings (O1–O3).
    notification_centre -> PageFn {
        fn draw() -> AnyView {
            view! { <crate::pages::inbox::notification_centre::NotificationCentre/> }.into_any()
        }
        draw as PageFn
    }
);

/// Draws the new-contact dialog: the workspace, and whether it is open.
pub type NewContactFn = fn(WorkspaceId, RwSignal<bool>) -> AnyView;

part!(
    /// The new-contact dialog (P1).
    new_contact_dialog -> NewContactFn {
        fn draw(workspace: WorkspaceId, open: RwSignal<bool>) -> AnyView {
            view! { <crate::pages::inbox::contact_panel::NewContactDialog workspace=workspace open=open/> }
                .into_any()
        }
        draw as NewContactFn
    }
);

part!(
    /// Desktop keyboard shortcuts (K11): the key listener, the `?` help and the command
    /// palette's opener. The inbox draws them once the list is shown, so its keys work from
    /// a moment after the list appears.
    keyboard_shortcuts -> PageFn {
        fn draw() -> AnyView {
            view! { <crate::pages::inbox::shortcuts::Shortcuts/> }.into_any()
        }
        draw as PageFn
    }
);

/// Draws the command palette: whether it is open, and what runs a command.
pub type PaletteFn = fn(RwSignal<bool>, Callback<crate::model::keys::Command>) -> AnyView;

part!(
    /// The ⌘K / Ctrl-K command palette (K11).
    palette -> PaletteFn {
        fn draw(open: RwSignal<bool>, run: Callback<crate::model::keys::Command>) -> AnyView {
            view! { <crate::pages::inbox::shortcuts::Palette open=open run=run/> }.into_any()
        }
        draw as PaletteFn
    }
);

part!(
    /// Telling the server this device's new language for its pushes (O2): the code that
    /// subscribes to pushes is only needed when they are turned on or the language changes.
    push_language -> fn() {
        fn tell() {
            spawn_local(crate::pwa::language_changed());
        }
        tell as fn()
    }
);

/// Reads the inbox's directory of a workspace (members, teams, rules, connections).
pub type DirectoryFn = fn(crate::pages::inbox::Inbox, WorkspaceId);

part!(
    /// Reading the inbox's directory, which only the conversation's actions use.
    directory -> DirectoryFn {
        crate::pages::inbox::Inbox::read_directory as DirectoryFn
    }
);

/// Reads the inbox's notification centre (O1).
#[derive(Clone, Copy)]
pub struct CentreReader {
    /// Reads the centre afresh (`Inbox::read_centre`).
    pub reload: fn(crate::pages::inbox::Inbox, WorkspaceId),
    /// Tells the server entries were read (`Inbox::tell_read`).
    pub mark_read: fn(crate::pages::inbox::Inbox, WorkspaceId, Vec<NotificationId>),
}

part!(
    /// Reading the notification centre, with its readers: the bell is drawn, with its count,
    /// once the list is shown.
    centre_reader -> CentreReader {
        CentreReader {
            reload: crate::pages::inbox::Inbox::read_centre,
            mark_read: crate::pages::inbox::Inbox::tell_read,
        }
    }
);

/// Follows a workspace's socket for the inbox, as the signed-in member.
pub type LiveFn = fn(
    crate::pages::inbox::Inbox,
    WorkspaceId,
    UserId,
    crate::state::session::Session,
    Option<u64>,
) -> crate::api::live::LiveHandle;

part!(
    /// The inbox's realtime socket, with its reader of frames and what the inbox does with
    /// each: the list is painted from its first reads without it.
    inbox_live -> LiveFn {
        crate::pages::inbox::follow_live as LiveFn
    }
);

/// Reads a conversation's messages into the inbox's thread.
#[derive(Clone, Copy)]
pub struct ThreadReader {
    /// Reads the conversation afresh (`Inbox::reload_thread`).
    pub reload: fn(crate::pages::inbox::Inbox, WorkspaceId, ConversationId),
    /// Brings a message into view, reading older pages (`Inbox::jump_to`).
    pub jump_to: fn(crate::pages::inbox::Inbox, WorkspaceId, ConversationId, MessageId),
}

part!(
    /// Reading a conversation's messages, with their readers: the list does without them.
    thread_reader -> ThreadReader {
        ThreadReader {
            reload: crate::pages::inbox::Inbox::reload_thread,
            jump_to: crate::pages::inbox::Inbox::jump_to,
        }
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

/// Fetches a part's code into `arrival`, in the background, with the words of the areas
/// only parts use (`i18n::LATER_AREAS`) in the language in use.
pub fn fetch_into<T>(
    arrival: Arrival<T>,
    code: impl Future<Output = Result<T, Unavailable>> + 'static,
) where
    T: Send + Sync + 'static,
{
    fetch_with(arrival, code, true);
}

fn fetch_with<T>(
    arrival: Arrival<T>,
    code: impl Future<Output = Result<T, Unavailable>> + 'static,
    later_words: bool,
) where
    T: Send + Sync + 'static,
{
    arrival.set(None);
    let words = assets(later_words);
    spawn_local(async move {
        let code = code.await;
        arrival.set(Some(words.await.and(code)))
    });
}

/// The words and styles a part is drawn with, already being fetched alongside its code. (Not
/// generic: every part shares this code.)
fn assets(later: bool) -> LocalBoxFuture<'static, Result<(), Unavailable>> {
    if !later {
        return Box::pin(async { Ok(()) });
    }
    let lang = crate::i18n::lang();
    let both = async move {
        futures::future::try_join(crate::i18n::complete(lang), crate::styles::later())
            .await
            .map(|_| ())
    }
    .boxed_local()
    .shared();
    let started = both.clone();
    spawn_local(async move {
        let _ = started.await;
    });
    Box::pin(both)
}

/// What a fetch that is done once shares with every caller.
pub type Loading = Shared<LocalBoxFuture<'static, Result<(), Unavailable>>>;

/// A fetch done once and shared by all who wait for it; a failed one is forgotten, so the
/// next caller (Try again) fetches afresh.
#[derive(Default)]
pub struct Once(RefCell<Option<Loading>>);

impl Once {
    pub const fn new() -> Once {
        Once(RefCell::new(None))
    }

    /// Whether the fetch has succeeded.
    pub fn is_done(&self) -> bool {
        self.0.borrow().as_ref().and_then(|f| f.peek().cloned()) == Some(Ok(()))
    }

    /// The fetch under way or done, started with `fetch` if there is none.
    pub fn loading(
        &self,
        fetch: impl FnOnce() -> LocalBoxFuture<'static, Result<(), Unavailable>>,
    ) -> Loading {
        self.0
            .borrow_mut()
            .get_or_insert_with(|| fetch().shared())
            .clone()
    }

    /// Forgets the fetch if it failed.
    pub fn forget_failure(&self) {
        let mut loading = self.0.borrow_mut();
        if loading
            .as_ref()
            .and_then(|f| f.peek())
            .is_some_and(Result::is_err)
        {
            *loading = None;
        }
    }
}

/// A text file of the app's own (words, a stylesheet) fetched whole; any failure is
/// `Unavailable`.
pub async fn fetch_text(url: String) -> Result<String, Unavailable> {
    let response = gloo_net::http::Request::get(&url)
        .send()
        .await
        .map_err(|_| Unavailable)?;
    if !response.ok() {
        return Err(Unavailable);
    }
    response.text().await.map_err(|_| Unavailable)
}

/// A page that is a part: "Loading…" until its code has arrived, then the page; if the code
/// could not be fetched, why, with Try again.
pub fn page<F, Fut>(code: F) -> impl IntoView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<PageFn, Unavailable>> + 'static,
{
    shown(erased(code, |draw: PageFn| draw()), page_loading, true)
}

/// A page drawn with the first load's words only (signing in): it does not wait for the
/// words of the other parts.
pub fn first_words_page<F, Fut>(code: F) -> impl IntoView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<PageFn, Unavailable>> + 'static,
{
    shown(erased(code, |draw: PageFn| draw()), page_loading, false)
}

fn page_loading() -> AnyView {
    view! { <p class="muted part-loading" role="status">{tr!("part-loading")}</p> }.into_any()
}

/// A part that pops up (a panel, a dialog): nothing until its code has arrived (usually
/// fetched already, see `prefetch`), then `draw` with it; if it could not be fetched, why.
pub fn popup<T, F, Fut>(
    code: F,
    draw: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl IntoView
where
    T: Copy + Send + Sync + 'static,
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<T, Unavailable>> + 'static,
{
    shown(erased(code, draw), || ().into_any(), true)
}

/// A part's drawing, once its code has arrived.
type Drawing = Arc<dyn Fn() -> AnyView + Send + Sync>;
/// Fetches a part's code and gives its drawing.
type Fetch = Arc<dyn Fn() -> LocalBoxFuture<'static, Result<Drawing, Unavailable>> + Send + Sync>;

/// A part's fetch and drawing with their types erased, so that `shown`, its signal and its
/// view exist once in the first load instead of once per part.
fn erased<T, F, Fut>(code: F, draw: impl Fn(T) -> AnyView + Send + Sync + 'static) -> Fetch
where
    T: Copy + Send + Sync + 'static,
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<T, Unavailable>> + 'static,
{
    let draw = Arc::new(draw);
    Arc::new(move || {
        let draw = draw.clone();
        Box::pin(async move {
            let part = code().await?;
            Ok(Arc::new(move || draw(part)) as Drawing)
        })
    })
}

fn shown(fetch: Fetch, loading: fn() -> AnyView, later_words: bool) -> AnyView {
    let arrival: Arrival<Drawing> = RwSignal::new(None);
    fetch_with(arrival, fetch(), later_words);
    (move || match arrival.get() {
        None => loading(),
        Some(Ok(draw)) => draw(),
        Some(Err(Unavailable)) => {
            let fetch = fetch.clone();
            unavailable(move || fetch_with(arrival, fetch(), later_words)).into_any()
        }
    })
    .into_any()
}

/// Fetches parts in the background so they are there when first asked for; a part that
/// could not be fetched is asked for again when shown.
pub fn prefetch<T: 'static>(code: impl Future<Output = Result<T, Unavailable>> + 'static) {
    spawn_local(async move {
        let _ = code.await;
    });
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

/// What the first screens are drawn from, before any part (`crate::chunks`) has arrived,
/// and the sign-in page, which does not wait for the other parts' words.
#[cfg(test)]
pub const FIRST_SCREENS: &[&str] = &[
    "app.rs",
    "pages/home.rs",
    "pages/login.rs",
    "pages/inbox.rs",
    "pages/inbox/list_pane.rs",
    "pages/inbox/sidebar.rs",
    "pages/inbox/notification_centre.rs",
    "components/conversation_row.rs",
    "components/language_picker.rs",
    "model/typing.rs",
    "model/time.rs",
    "api.rs",
    "chunks.rs",
];
