//! `/w/:ws` and `/w/:ws/c/:conversation`: the inbox. Sidebar, conversation list, and the
//! open conversation's thread with its composer. On narrow screens one pane shows at a time.
//!
//! The realtime socket feeds both the list and the thread through their models
//! ([`InboxList`], [`Thread`]); a fresh connection reloads them, a resumed one replays.

mod composer;
mod thread_view;

use crate::api::{self, ClientError, live};
use crate::components::conversation_row::ConversationRow;
use crate::model::inbox::InboxList;
use crate::model::thread::Thread;
use crate::routes;
use crate::state::session::use_session;
use crate::ui::icons::Icon;
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use switchboard_protocol::api::SendMessageRequest;
use switchboard_protocol::events::EventPayload;
use switchboard_protocol::*;
use thread_view::ThreadView;

/// The inbox screen's shared state, provided to its parts.
#[derive(Clone, Copy)]
pub struct Inbox {
    pub workspace: Memo<Option<WorkspaceId>>,
    pub selected: Memo<Option<ConversationId>>,
    pub list: RwSignal<InboxList>,
    pub thread: RwSignal<Option<Thread>>,
    pub connected: RwSignal<bool>,
    pub error: RwSignal<Option<ClientError>>,
}

impl Inbox {
    fn reload_list(self, workspace: WorkspaceId) {
        self.list.update(InboxList::begin_load);
        spawn_local(async move {
            match api::conversations(workspace, None).await {
                Ok(page) => self
                    .list
                    .update(|l| l.finish_load(page.items, page.next_cursor)),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    fn load_more(self, workspace: WorkspaceId) {
        let Some(cursor) = self.list.with_untracked(|l| l.next_cursor.clone()) else {
            return;
        };
        spawn_local(async move {
            match api::conversations(workspace, Some(&cursor)).await {
                Ok(page) => self
                    .list
                    .update(|l| l.append_page(page.items, page.next_cursor)),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    fn reload_thread(self, workspace: WorkspaceId, conversation: ConversationId) {
        self.thread.update(|t| match t {
            Some(t) if t.conversation == conversation => {}
            _ => *t = Some(Thread::new(conversation)),
        });
        spawn_local(async move {
            match api::messages(workspace, conversation, None).await {
                Ok(page) => self.thread.update(|t| {
                    if let Some(t) = t.as_mut().filter(|t| t.conversation == conversation) {
                        t.finish_load(page.items, page.next_cursor);
                    }
                }),
                Err(e) => self.error.set(Some(e)),
            }
        });
        self.mark_read(workspace, conversation);
    }

    pub fn load_older(self, workspace: WorkspaceId, conversation: ConversationId) {
        let Some(cursor) = self
            .thread
            .with_untracked(|t| t.as_ref().and_then(|t| t.older_cursor.clone()))
        else {
            return;
        };
        spawn_local(async move {
            match api::messages(workspace, conversation, Some(&cursor)).await {
                Ok(page) => self.thread.update(|t| {
                    if let Some(t) = t.as_mut().filter(|t| t.conversation == conversation) {
                        t.prepend_older(page.items, page.next_cursor);
                    }
                }),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    fn mark_read(self, workspace: WorkspaceId, conversation: ConversationId) {
        let unread = self
            .list
            .with_untracked(|l| l.get(conversation).map(|r| r.unread_count))
            .unwrap_or(1);
        if unread == 0 {
            return;
        }
        self.list.update(|l| l.clear_unread(conversation));
        spawn_local(async move {
            if let Err(e) = api::mark_read(workspace, conversation).await {
                self.error.set(Some(e));
            }
        });
    }

    fn apply(self, workspace: WorkspaceId, payload: &EventPayload) {
        self.list.update(|l| l.apply(payload));
        self.thread.update(|t| {
            if let Some(t) = t {
                t.apply(payload);
            }
        });
        // A message arriving in the conversation on screen is read at once.
        if let EventPayload::MessageCreated { message, .. } = payload
            && Some(message.conversation_id) == self.selected.get_untracked()
            && message.direction == Direction::Incoming
            && page_visible()
        {
            self.mark_read(workspace, message.conversation_id);
        }
    }

    /// Sends (or re-sends, with the same client id) a message or comment, retrying while the
    /// server cannot be reached.
    pub fn deliver(
        self,
        conversation: ConversationId,
        client_id: String,
        kind: MessageKind,
        text: String,
    ) {
        let Some(workspace) = self.workspace.get_untracked() else {
            return;
        };
        self.thread.update(|t| {
            if let Some(t) = t.as_mut().filter(|t| t.conversation == conversation) {
                t.add_pending(client_id.clone(), kind, text.clone(), Utc::now());
            }
        });
        spawn_local(async move {
            let request = SendMessageRequest {
                client_id: client_id.clone(),
                kind,
                text,
                reply_to: None,
                mentions: Vec::new(),
            };
            let mut backoff = live::Backoff::new();
            let mut attempts = 0;
            loop {
                attempts += 1;
                match api::send_message(workspace, conversation, &request).await {
                    Ok(message) => {
                        self.thread.update(|t| {
                            if let Some(t) = t.as_mut().filter(|t| t.conversation == conversation) {
                                t.confirm(message);
                            }
                        });
                        return;
                    }
                    Err(e) if e.is_transient() && attempts < 6 => backoff.wait().await,
                    Err(e) => {
                        self.thread.update(|t| {
                            if let Some(t) = t.as_mut() {
                                t.fail(&client_id, e.to_string());
                            }
                        });
                        return;
                    }
                }
            }
        });
    }

    pub fn retry(self, client_id: String) {
        let Some(conversation) = self.selected.get_untracked() else {
            return;
        };
        let failed = self
            .thread
            .try_update(|t| t.as_mut().and_then(|t| t.take_failed(&client_id)))
            .flatten();
        if let Some((kind, text)) = failed {
            self.deliver(conversation, client_id, kind, text);
        }
    }
}

fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .map(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
        .unwrap_or(true)
}

pub fn use_inbox() -> Inbox {
    expect_context::<Inbox>()
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let location = use_location();
    let navigate = use_navigate();
    let workspace = Memo::new(move |_| {
        params
            .read()
            .get("ws")
            .and_then(|s| s.parse().ok())
            .map(WorkspaceId)
    });
    let selected = Memo::new(move |_| {
        params
            .read()
            .get("conversation")
            .and_then(|s| s.parse().ok())
            .map(ConversationId)
    });
    let inbox = Inbox {
        workspace,
        selected,
        list: RwSignal::new(InboxList::default()),
        thread: RwSignal::new(None),
        connected: RwSignal::new(true),
        error: RwSignal::new(None),
    };
    provide_context(inbox);

    // Signed out (or never signed in): log in, then come back here.
    Effect::new(move |_| {
        if session.checked() && session.signed_in().is_none() {
            // Untracked: the navigation below changes the location, which must not re-run this.
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            navigate(
                &routes::login_then(&here),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    let membership = Memo::new(move |_| workspace.get().and_then(|ws| session.workspace(ws)));

    // One socket per workspace; replacing the handle closes the previous one.
    let socket = StoredValue::new_local(None::<live::LiveHandle>);
    Effect::new(move |_| {
        let Some(ws) = membership.get().map(|m| m.id) else {
            socket.set_value(None);
            return;
        };
        let handle = live::follow(ws, move |signal| match signal {
            live::LiveSignal::Ready { fresh } => {
                inbox.connected.set(true);
                if fresh {
                    inbox.reload_list(ws);
                    if let Some(conversation) = inbox.selected.get_untracked() {
                        inbox.reload_thread(ws, conversation);
                    }
                }
            }
            live::LiveSignal::Event(event) => inbox.apply(ws, &event.payload),
            live::LiveSignal::Disconnected => inbox.connected.set(false),
            live::LiveSignal::SignedOut => session.set(None),
        });
        socket.set_value(Some(handle));
    });

    // Opening a conversation loads its thread and clears its unread badge.
    Effect::new(
        move |_| match (membership.get().map(|m| m.id), selected.get()) {
            (Some(ws), Some(conversation)) => inbox.reload_thread(ws, conversation),
            _ => inbox.thread.set(None),
        },
    );

    view! {
        <Show
            when=move || membership.get().is_some()
            fallback=move || {
                view! {
                    <main class="centered-page">
                        {move || {
                            if session.signed_in().is_some() {
                                view! {
                                    <h1>"Workspace not found"</h1>
                                    <p><a href="/">"Go to your inbox"</a></p>
                                }
                                    .into_any()
                            } else {
                                view! { <p class="muted">"Loading…"</p> }.into_any()
                            }
                        }}
                    </main>
                }
            }
        >
            <div class="inbox" class:has-selection=move || selected.get().is_some()>
                <Sidebar/>
                <ConversationList/>
                <section class="thread-pane" aria-label="Conversation">
                    {move || match (workspace.get(), selected.get()) {
                        (Some(ws), Some(id)) => view! { <ThreadView workspace=ws conversation=id/> }.into_any(),
                        _ => view! {
                            <div class="empty-thread">
                                <Icon name="chat"/>
                                <p>"Pick a conversation to read and reply."</p>
                            </div>
                        }
                            .into_any(),
                    }}
                </section>
            </div>
        </Show>
    }
}

#[component]
fn Sidebar() -> impl IntoView {
    let session = use_session();
    let inbox = use_inbox();
    let navigate = use_navigate();
    let name = move || {
        inbox
            .workspace
            .get()
            .and_then(|ws| session.workspace(ws))
            .map(|m| m.name)
            .unwrap_or_default()
    };
    let user = move || {
        session
            .signed_in()
            .map(|me| me.user.name)
            .unwrap_or_default()
    };
    let logout = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let _ = api::logout().await;
            session.set(None);
            navigate(routes::LOGIN, NavigateOptions::default());
        });
    };
    let all_href = move || inbox.workspace.get().map(routes::inbox).unwrap_or_default();
    view! {
        <nav class="sidebar" aria-label="Folders">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">"Switchboard"</span>
            </div>
            <p class="workspace-name">{name}</p>
            <ul class="folders">
                <li>
                    <a class="folder active" href=all_href aria-current="page">
                        <Icon name="inbox"/>
                        <span>"All conversations"</span>
                    </a>
                </li>
            </ul>
            <div class="sidebar-footer">
                <span class="current-user">{user}</span>
                <button type="button" class="icon-button" on:click=logout title="Sign out" aria-label="Sign out">
                    <Icon name="logout"/>
                </button>
            </div>
        </nav>
    }
}

#[component]
fn ConversationList() -> impl IntoView {
    let inbox = use_inbox();
    let rows = move || inbox.list.with(|l| l.rows.clone());
    let total_unread = move || {
        inbox
            .list
            .with(|l| l.rows.iter().filter(|r| r.unread_count > 0).count())
    };
    view! {
        <section class="list-pane" aria-label="Conversations">
            <header class="pane-header">
                <h1>"All conversations"</h1>
                <span class="muted small" aria-live="polite">
                    {move || match total_unread() {
                        0 => String::new(),
                        1 => "1 unread".to_owned(),
                        n => format!("{n} unread"),
                    }}
                </span>
            </header>
            <Show when=move || !inbox.connected.get()>
                <p class="connection-banner" role="status">"Reconnecting…"</p>
            </Show>
            {move || inbox.error.get().map(|e| view! {
                <p class="error-banner" role="alert">
                    {e.to_string()}
                    <button type="button" class="link-button" on:click=move |_| inbox.error.set(None)>"Dismiss"</button>
                </p>
            })}
            <div class="conversation-list" role="list">
                <Show when=move || inbox.list.with(|l| l.loaded && l.rows.is_empty())>
                    <p class="muted empty-list">"No conversations yet."</p>
                </Show>
                <For
                    each=rows
                    key=|row| (row.id, row.last_activity_at, row.unread_count, row.status)
                    children=move |row| {
                        let id = row.id;
                        let href = routes::conversation(row.workspace_id, id);
                        let selected = Signal::derive(move || inbox.selected.get() == Some(id));
                        view! { <div role="listitem"><ConversationRow row=row href=href selected=selected/></div> }
                    }
                />
                <Show when=move || inbox.list.with(|l| l.next_cursor.is_some())>
                    <button
                        type="button"
                        class="button subtle load-more"
                        on:click=move |_| {
                            if let Some(ws) = inbox.workspace.get_untracked() {
                                inbox.load_more(ws);
                            }
                        }
                    >
                        "Load more"
                    </button>
                </Show>
            </div>
        </section>
    }
}
