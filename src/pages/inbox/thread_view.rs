//! The open conversation: header, messages (older pages on demand), composer.

use super::actions::ThreadActions;
use super::composer::Composer;
use super::use_inbox;
use crate::components::message_bubble::MessageBubble;
use crate::model::snooze::until_text;
use crate::model::thread::Entry;
use crate::model::time::local_offset;
use crate::routes;
use crate::state::session::use_session;
use crate::ui::avatar::Avatar;
use crate::ui::icons::Icon;
use chrono::Utc;
use leptos::html;
use leptos::prelude::*;
use switchboard_protocol::*;

/// A key that changes whenever an entry's look changes (pending → sent → read).
fn render_key(entry: &Entry) -> String {
    match entry {
        Entry::Stored(m) => format!("{}:{:?}", entry.key(), m.delivery_status),
        Entry::Pending { failed, .. } => format!("{}:pending:{}", entry.key(), failed.is_some()),
    }
}

#[component]
pub fn ThreadView(workspace: WorkspaceId, conversation: ConversationId) -> impl IntoView {
    let inbox = use_inbox();
    let session = use_session();
    let me = move || {
        session
            .signed_in()
            .map(|me| me.user.name)
            .unwrap_or_default()
    };
    let row = move || inbox.open.get().filter(|r| r.id == conversation);
    let entries = move || {
        inbox
            .thread
            .with(|t| t.as_ref().map(|t| t.messages.clone()).unwrap_or_default())
    };
    let loaded = move || inbox.thread.with(|t| t.as_ref().is_some_and(|t| t.loaded));
    let has_older = move || {
        inbox
            .thread
            .with(|t| t.as_ref().is_some_and(|t| t.older_cursor.is_some()))
    };
    let scroller = NodeRef::<html::Div>::new();

    // Keep the newest message in view as messages arrive.
    Effect::new(move |previous: Option<usize>| {
        let count = inbox
            .thread
            .with(|t| t.as_ref().map_or(0, |t| t.messages.len()));
        if count != previous.unwrap_or(0) {
            request_animation_frame(move || {
                if let Some(el) = scroller.get_untracked() {
                    el.set_scroll_top(el.scroll_height());
                }
            });
        }
        count
    });

    let on_send = Callback::new(move |(kind, text): (MessageKind, String)| {
        inbox.deliver(conversation, crate::api::new_client_id(), kind, text);
    });
    let on_retry = Callback::new(move |client_id: String| inbox.retry(client_id));

    view! {
        <header class="thread-header">
            <a
                class="icon-button back-button"
                href=move || routes::inbox_with(workspace, &inbox.view.get())
                aria-label="Back to conversations"
            >
                <Icon name="back"/>
            </a>
            {move || row().map(|row| {
                let status = row.status;
                view! {
                    <Avatar initials=row.contact.initials() key=row.contact.id.0/>
                    <div class="thread-title">
                        <h2>{row.contact.display_name()}</h2>
                        <p class="muted small">
                            {row.channel.label()}
                            {row.contact.email.clone().map(|e| format!(" · {e}"))}
                        </p>
                    </div>
                    <span class=format!("status-chip status-{}", status.as_str())>
                        {match status {
                            ConversationStatus::Open => "Open",
                            ConversationStatus::Closed => "Closed",
                            ConversationStatus::Snoozed => "Snoozed",
                        }}
                    </span>
                    {row.contact.blocked.then(|| view! { <span class="status-chip status-blocked">"Blocked"</span> })}
                    <ThreadActions workspace=workspace row=row.clone()/>
                }
            })}
        </header>
        {move || row().and_then(|row| {
            let until = row.snoozed_until.filter(|_| row.status == ConversationStatus::Snoozed)?;
            Some(view! {
                <p class="reminder-bar" role="status">
                    <Icon name="clock"/>
                    <span>{format!("Snoozed until {}. It comes back to Open then.", until_text(until, Utc::now(), local_offset()))}</span>
                </p>
            })
        })}
        <div class="thread-scroller" node_ref=scroller>
            <div class="thread" role="log" aria-live="polite" aria-label="Messages">
                <Show when=has_older>
                    <button type="button" class="button subtle load-older" on:click=move |_| inbox.load_older(workspace, conversation)>
                        "Show earlier messages"
                    </button>
                </Show>
                <Show when=loaded fallback=|| view! { <p class="muted centered">"Loading messages…"</p> }>
                    <For
                        each=entries
                        key=render_key
                        children=move |entry| view! { <MessageBubble entry=entry me=me() on_retry=on_retry/> }
                    />
                </Show>
            </div>
        </div>
        <Composer on_send=on_send/>
    }
}
