//! The open conversation: header, messages (older pages on demand), composer.

use super::actions::ThreadActions;
use super::channel_switcher::ChannelSwitcher;
use super::composer::Composer;
use super::thread_search::ThreadSearch;
use super::use_inbox;
use crate::components::message_bubble::MessageBubble;
use crate::model::channels;
use crate::model::channels::kind_name as channel_name;
use crate::model::compose::Values;
use crate::model::reply;
use crate::model::snooze::until_text;
use crate::model::thread::{Entry, Outgoing};
use crate::model::time::local_offset;
use crate::model::typing::Announce;
use crate::routes;
use crate::state::session::use_session;
use crate::tr;
use crate::ui::avatar::Avatar;
use crate::ui::icons::Icon;
use crate::ui::perf;
use chrono::Utc;
use leptos::html;
use leptos::prelude::*;
use switchboard_protocol::channels::ContactChannel;
use switchboard_protocol::*;

/// Puts the cursor in the composer's text field.
fn focus_composer() {
    use wasm_bindgen::JsCast;
    if let Some(field) = document()
        .query_selector(".composer textarea")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = field.focus();
    }
}

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
    // The benchmark's "painted" (`ui::perf`): this conversation's first page is on screen,
    // drawn by this view (whose code may have arrived after the messages).
    Effect::new(move |marked: Option<bool>| {
        let shown = inbox.thread.with(|t| {
            t.as_ref()
                .is_some_and(|t| t.conversation == conversation && t.loaded)
        });
        let marked = marked.unwrap_or(false);
        if shown && !marked {
            perf::mark_after_paint(perf::THREAD_PAINTED);
        }
        marked || shown
    });
    let has_older = move || {
        inbox
            .thread
            .with(|t| t.as_ref().is_some_and(|t| t.older_cursor.is_some()))
    };
    let scroller = NodeRef::<html::Div>::new();
    let members = Signal::derive(move || {
        inbox.directory.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.members
                        .iter()
                        .map(|m| (m.user.id, m.user.name.clone()))
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    let snippets = Signal::derive(move || {
        inbox
            .directory
            .with(|d| d.as_ref().map(|d| d.snippets.clone()).unwrap_or_default())
    });
    let values = Signal::derive(move || {
        let contact = row().map(|r| r.contact);
        Values {
            first_name: contact
                .as_ref()
                .map(|c| c.first_name.clone())
                .unwrap_or_default(),
            last_name: contact
                .as_ref()
                .map(|c| c.last_name.clone())
                .unwrap_or_default(),
            email: contact
                .as_ref()
                .and_then(|c| c.email.clone())
                .unwrap_or_default(),
            phone: contact.and_then(|c| c.phone).unwrap_or_default(),
            agent_name: session
                .signed_in()
                .map(|me| me.user.name)
                .unwrap_or_default(),
            workspace_name: session
                .workspace(workspace)
                .map(|m| m.name)
                .unwrap_or_default(),
        }
    });
    let searching = inbox.thread_search;

    // The channel the next message goes through (K2): the agent's pick among the contact's
    // channels, else the current one (as the row says until the list is read).
    let sending = Memo::new(move |_| {
        let row = row()?;
        let choice = inbox.channel_choice.get();
        let listed = inbox
            .channels
            .with(|list| channels::sending(list, choice, row.channel_id).cloned());
        Some(listed.unwrap_or(ContactChannel {
            id: row.channel_id,
            kind: row.channel,
            name: String::new(),
            last_incoming_at: row.last_incoming_at,
        }))
    });
    let sending_kind = move || sending.with(|c| c.as_ref().map(|c| c.kind));
    // The sending channel's reply window, if it is closed, and why.
    let window_closed = Memo::new(move |_| {
        let channel = sending.get()?;
        let first_name = row().map(|r| r.contact.first_name).unwrap_or_default();
        // The thread may hold a newer message through it than the list was read with.
        let newest = inbox
            .thread
            .with(|t| t.as_ref().and_then(|t| t.newest_incoming(channel.kind)));
        let last = channel.last_incoming_at.max(newest);
        let notice = crate::model::reply_window::closed_notice(
            channel.kind,
            last,
            &first_name,
            chrono::Utc::now(),
        )?;
        Some((channel, notice))
    });
    let several_channels =
        Signal::derive(move || inbox.channels.with(|list| channels::has_choice(list)));
    // The contact wrote from a channel the list lacks: read it again (once per channel).
    let asked = StoredValue::new(None::<ChannelId>);
    Effect::new(move |_| {
        let Some(current) = row().map(|r| r.channel_id) else {
            return;
        };
        if inbox
            .channels
            .with(|list| channels::stale(list, current, asked.get_value()))
        {
            asked.set_value(Some(current));
            inbox.refresh_open(workspace);
        }
    });

    // "Show earlier messages" keeps the message at the top of what is read, and where it
    // was: the older page goes above it without moving it, whatever else changed meanwhile.
    // (The message, and its distance from the top of the scrolled view.)
    let kept = StoredValue::new_local(None::<(web_sys::HtmlElement, i32)>);
    let show_earlier = move |_| {
        kept.set_value(scroller.get_untracked().and_then(|el| {
            let first = el.query_selector("article").ok().flatten()?;
            let first = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(first).ok()?;
            let below = first.offset_top() - el.scroll_top();
            Some((first, below))
        }));
        inbox.load_older(workspace, conversation);
    };

    // New messages at the bottom scroll into view; older pages added on top keep what the
    // agent is reading in place. The effect may run before the rows are drawn, so it acts in
    // the next animation frame, when they are, and notes the height drawn then for the next
    // page (`drawn`).
    let drawn = StoredValue::new(0);
    Effect::new(move |previous: Option<(Option<String>, Option<String>)>| {
        let (first, last) = inbox.thread.with(|t| {
            t.as_ref().map_or((None, None), |t| {
                (
                    t.messages.first().map(Entry::key),
                    t.messages.last().map(Entry::key),
                )
            })
        });
        let first_changed = previous.as_ref().is_some_and(|(f, _)| *f != first);
        let last_changed = previous.as_ref().is_none_or(|(_, l)| *l != last);
        let anchor = if first_changed {
            kept.try_update_value(Option::take).flatten()
        } else {
            None
        };
        request_animation_frame(move || {
            let Some(el) = scroller.get_untracked() else {
                return;
            };
            match anchor {
                Some((anchor, below)) if anchor.is_connected() => {
                    el.set_scroll_top(anchor.offset_top() - below)
                }
                _ if first_changed && !last_changed => {
                    el.set_scroll_top(el.scroll_top() + el.scroll_height() - drawn.get_value())
                }
                _ if last_changed => el.set_scroll_top(el.scroll_height()),
                _ => {}
            }
            drawn.set_value(el.scroll_height());
        });
        (first, last)
    });

    let on_send = Callback::new(move |send: Outgoing| {
        // A template quotes nothing; the quote stays for the next message.
        let reply_to = if send.template.is_some() {
            None
        } else {
            let quote = inbox.reply.get_untracked();
            inbox.reply.set(None);
            quote
        };
        // Another channel than the current one is named; the current one goes without.
        let channel = sending.get_untracked().map(|c| c.id).filter(|id| {
            send.kind == MessageKind::Message && row().is_some_and(|r| r.channel_id != *id)
        });
        inbox.deliver(
            conversation,
            crate::api::new_client_id(),
            Outgoing {
                reply_to,
                channel,
                ..send
            },
        );
    });
    let on_retry = Callback::new(move |client_id: String| inbox.retry(client_id));
    let on_reply = Callback::new(move |quote: ReplyPreview| {
        match sending.with_untracked(|c| c.as_ref().map(|c| c.kind)) {
            Some(channel) if !reply::replies_supported(channel) => {
                inbox.notify(tr!("thread-no-quotes", channel = channel_name(channel)))
            }
            _ => {
                inbox.reply.set(Some(quote));
                focus_composer();
            }
        }
    });
    // "Reply with AI Assist" on a message: quoted where the channel allows, then drafted.
    let assist = RwSignal::new(None::<MessageId>);
    let translator = crate::components::translation::Translator::new(workspace);
    let on_assist = Callback::new(move |id: MessageId| {
        let quote = inbox.thread.with_untracked(|t| {
            t.as_ref()?.messages.iter().find_map(|e| match e {
                Entry::Stored(m) if m.id == id => Some(crate::model::reply::quote_of(m)),
                _ => None,
            })
        });
        let quotable = sending
            .with_untracked(|c| c.as_ref().map(|c| c.kind))
            .is_none_or(reply::replies_supported);
        if let Some(quote) = quote.filter(|_| quotable) {
            inbox.reply.set(Some(quote));
        }
        assist.set(Some(id));
        focus_composer();
    });
    let on_link = Callback::new(move |id: MessageId| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let origin = window.location().origin().unwrap_or_default();
        let url = format!(
            "{origin}{}",
            reply::message_path(workspace, conversation, id)
        );
        let clipboard = window.navigator().clipboard();
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&url)).await {
                Ok(_) => inbox.notify(tr!("thread-link-copied")),
                Err(_) => inbox.notify(tr!("thread-copy-this-link", url = url)),
            }
        });
    });
    let on_jump = Callback::new(move |id: MessageId| inbox.jump_to(workspace, conversation, id));
    let on_typing = Callback::new(move |announce: Announce| inbox.announce(conversation, announce));
    // Leaving the conversation ends whatever this agent was typing there.
    on_cleanup(move || inbox.announce(conversation, Announce::Stopped));
    let typing = move || {
        inbox
            .typists
            .with(|t| t.label(conversation, js_sys::Date::now()))
    };

    // A message to highlight (a link, a quote): scroll to it and make it blink.
    Effect::new(move |_| {
        let Some(id) = inbox.highlight.get() else {
            return;
        };
        let _ = entries();
        request_animation_frame(move || {
            let Some(el) = document().get_element_by_id(&format!("m-{id}")) else {
                return;
            };
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Center);
            el.scroll_into_view_with_scroll_into_view_options(&options);
            let classes = el.class_list();
            let _ = classes.remove_1("blink");
            let _ = classes.add_1("blink");
            inbox.highlight.set(None);
        });
    });

    view! {
        <header class="thread-header">
            <a
                class="icon-button back-button"
                href=move || routes::inbox_with(workspace, &inbox.view.get())
                aria-label=tr!("thread-back")
            >
                <Icon name="back"/>
            </a>
            {move || row().map(|row| {
                let status = row.status;
                view! {
                    <Avatar initials=row.contact.initials() key=row.contact.id.0/>
                    <div class="thread-title">
                        <h2 translate="no">{row.contact.display_name()}</h2>
                        <p class="muted small">
                            {channel_name(row.channel)}
                            {row.contact.email.clone().map(|e| view! { " · "<span translate="no">{e}</span> })}
                        </p>
                    </div>
                    <span class=format!("status-chip status-{}", status.as_str())>
                        {match status {
                            ConversationStatus::Open => tr!("thread-chip-open"),
                            ConversationStatus::Closed => tr!("thread-chip-closed"),
                            ConversationStatus::Snoozed => tr!("thread-chip-snoozed"),
                        }}
                    </span>
                    {row.contact.blocked.then(|| view! { <span class="status-chip status-blocked">{tr!("thread-chip-blocked")}</span> })}
                    {row.dialogflow_bot.then(|| view! { <span class="status-chip status-bot">{tr!("thread-chip-bot")}</span> })}
                    <button
                        type="button"
                        class="icon-button"
                        aria-label=tr!("thread-search-conversation")
                        title=tr!("thread-search-conversation")
                        aria-expanded=move || searching.get().to_string()
                        on:click=move |_| searching.update(|s| *s = !*s)
                    >
                        <Icon name="search"/>
                    </button>
                    <button
                        type="button"
                        class="icon-button"
                        aria-label=tr!("thread-contact-details")
                        title=tr!("thread-contact-details")
                        aria-expanded=move || inbox.contact_open.get().to_string()
                        on:click=move |_| inbox.set_contact_open(!inbox.contact_open.get_untracked())
                    >
                        <Icon name="user"/>
                    </button>
                    <ThreadActions workspace=workspace row=row.clone()/>
                }
            })}
        </header>
        <Show when=move || searching.get()>
            <ThreadSearch workspace=workspace conversation=conversation open=searching/>
        </Show>
        {move || row().and_then(|row| {
            let until = row.snoozed_until.filter(|_| row.status == ConversationStatus::Snoozed)?;
            Some(view! {
                <p class="reminder-bar" role="status">
                    <Icon name="clock"/>
                    <span>{tr!("thread-snoozed-until", until = until_text(until, Utc::now(), local_offset()))}</span>
                </p>
            })
        })}
        <div class="thread-scroller" node_ref=scroller>
            <div class="thread" role="log" aria-live="polite" aria-label=tr!("thread-messages")>
                <Show when=has_older>
                    <button type="button" class="button subtle load-older" on:click=show_earlier>
                        {tr!("thread-show-earlier")}
                    </button>
                </Show>
                <Show when=loaded fallback=|| view! { <p class="muted centered">{tr!("thread-loading")}</p> }>
                    <For
                        each=entries
                        key=render_key
                        children=move |entry| view! {
                            <MessageBubble entry=entry me=me() on_retry=on_retry on_reply=on_reply on_link=on_link on_assist=on_assist on_jump=on_jump show_channel=several_channels workspace=workspace translator=translator/>
                        }
                    />
                </Show>
            </div>
        </div>
        <p class="typing-indicator" role="status" aria-live="polite">
            {move || typing().map(|label| view! {
                <span class="typing-dots" aria-hidden="true"><i></i><i></i><i></i></span>
                <span>{label}</span>
            })}
        </p>
        <super::takeover::TakeoverBar workspace=workspace conversation=conversation inbox=inbox
            handled=Signal::derive(move || row().is_some_and(|r| r.assignee == Some(switchboard_protocol::Assignee::AiAgent)))
            restriction=Signal::derive(move || {
                let row = row()?;
                if row.contact.blocked {
                    return Some(tr!("thread-takeover-blocked", name = row.contact.display_name()));
                }
                if inbox.channels_loaded.get() && inbox.channels.with(Vec::is_empty) {
                    return Some(tr!("thread-takeover-no-channel"));
                }
                window_closed.get().map(|(_, notice)| notice)
            })
        />
        <Composer workspace=workspace on_send=on_send reply=inbox.reply on_jump=on_jump contact=Signal::derive(move || row().map(|r| r.contact.display_name()).unwrap_or_default())
            conversation=conversation
            assist=assist
            draft_key=format!("switchboard.draft.{workspace}.{conversation}")
            members=members
            snippets=snippets
            values=values
            on_typing=on_typing
            templates_channel=Signal::derive(move || {
                window_closed.get().filter(|(channel, _)| channel.kind == ChannelKind::Whatsapp).map(|(channel, _)| channel.id)
            })
            window_closed=Signal::derive(move || window_closed.get().map(|(_, notice)| notice))
            subject_default=Signal::derive(move || {
                sending_kind().filter(|k| k.capabilities().subject).map(|_| {
                    inbox.thread.with(|t| {
                        t.as_ref()
                            .map(|t| {
                                crate::model::email::reply_subject(t.messages.iter().rev().filter_map(|e| match e {
                                    crate::model::thread::Entry::Stored(m) => Some(&m.content),
                                    _ => None,
                                }))
                            })
                            .unwrap_or_default()
                    })
                })
            })
        >
            <ChannelSwitcher sending=Signal::derive(move || sending.with(|c| c.as_ref().map(|c| c.id)))/>
        </Composer>
    }
}
