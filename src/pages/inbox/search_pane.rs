//! `/w/:ws/search`: search everything (S1). Contacts, messages and comments across the
//! workspace, with their matches marked; a contact opens its conversation, a message opens
//! the thread at that message (C5). What a member may not see is never found.

use super::use_inbox;
use crate::api;
use crate::components::highlighted::{HighlightedText, NamedText};
use crate::model::reply::message_path;
use crate::model::time::{list_time, local_offset};
use crate::routes;
use crate::tr;
use crate::ui::avatar::Avatar;
use crate::ui::icons::Icon;
use chrono::Utc;
use leptos::leptos_dom::helpers::debounce;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use std::time::Duration;
use switchboard_protocol::search::{SearchHit, SearchResults};
use switchboard_protocol::*;

#[component]
pub fn SearchPane() -> impl IntoView {
    let inbox = use_inbox();
    // The router's location: it follows every move (`InboxPage` says why).
    let query = use_location().query;
    let navigate = use_navigate();
    let asked = Memo::new(move |_| query.with(|q| q.get("q").unwrap_or_default()));
    let typed = RwSignal::new(asked.get_untracked());
    let results = RwSignal::new(None::<SearchResults>);
    let loading = RwSignal::new(false);

    // Each query (the URL's) is searched once; older answers never overwrite newer ones.
    Effect::new(move |_| {
        let q = asked.get();
        let Some(ws) = inbox.workspace.get() else {
            return;
        };
        // Results of another query never show under this one.
        results.set(None);
        if q.trim().is_empty() {
            return;
        }
        loading.set(true);
        spawn_local(async move {
            let answer = api::search(ws, &q, None).await;
            if asked.get_untracked() != q {
                return;
            }
            loading.set(false);
            match answer {
                Ok(found) => results.set(Some(found)),
                Err(e) => inbox.error.set(Some(e)),
            }
        });
    });
    let more = move |_| {
        let (Some(ws), Some(cursor)) = (
            inbox.workspace.get_untracked(),
            results.with_untracked(|r| r.as_ref().and_then(|r| r.next_cursor.clone())),
        ) else {
            return;
        };
        let q = asked.get_untracked();
        spawn_local(async move {
            match api::search(ws, &q, Some(&cursor)).await {
                Ok(page) if asked.get_untracked() == q => results.update(|r| {
                    if let Some(r) = r {
                        r.messages.extend(page.messages);
                        r.next_cursor = page.next_cursor;
                    }
                }),
                Ok(_) => {}
                Err(e) => inbox.error.set(Some(e)),
            }
        });
    };

    let mut search_later = debounce(Duration::from_millis(300), move |text: String| {
        if let Some(ws) = inbox.workspace.get_untracked() {
            navigate(
                &format!("{}{}", routes::search(ws), routes::query(&[("q", text)])),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        typed.set(text.clone());
        search_later(text);
    };

    view! {
        <section class="list-pane search-pane" aria-label=tr!("inbox-search-label")>
            <header class="pane-header">
                <button type="button" class="icon-button menu-button" aria-label=tr!("inbox-folders") on:click=move |_| inbox.folders_open.set(true)>
                    <Icon name="menu"/>
                </button>
                <h1>{tr!("inbox-search-everything")}</h1>
            </header>
            <div class="list-tools">
                <div class="search-field">
                    <Icon name="search"/>
                    <input
                        type="search"
                        aria-label=tr!("inbox-search-field")
                        placeholder=tr!("inbox-search-placeholder")
                        autofocus
                        prop:value=move || typed.get()
                        on:input=on_input
                    />
                </div>
            </div>
            <div class="search-results" aria-busy=move || loading.get().to_string()>
                {move || match results.get() {
                    None if asked.with(|q| q.trim().is_empty()) => view! { <p class="muted empty-list">{tr!("inbox-search-hint")}</p> }.into_any(),
                    None => view! { <p class="muted empty-list" role="status">{tr!("inbox-search-searching")}</p> }.into_any(),
                    Some(r) if r.contacts.is_empty() && r.messages.is_empty() => view! {
                        <p class="muted empty-list">
                            {tr!("inbox-search-nothing", search = asked.get_untracked().trim())}
                        </p>
                    }.into_any(),
                    Some(r) => {
                        let Some(ws) = inbox.workspace.get_untracked() else {
                            return ().into_any();
                        };
                        view! {
                            {(!r.contacts.is_empty()).then(|| view! {
                                <h2 class="folder-heading">{tr!("inbox-search-contacts")}</h2>
                                <ul class="hits" aria-label=tr!("inbox-search-contacts-found")>
                                    {r.contacts.into_iter().map(|hit| hit_view(ws, hit)).collect_view()}
                                </ul>
                            })}
                            {(!r.messages.is_empty()).then(|| view! {
                                <h2 class="folder-heading">{tr!("inbox-search-messages")}</h2>
                                <ul class="hits" aria-label=tr!("inbox-search-messages-found")>
                                    {r.messages.into_iter().map(|hit| hit_view(ws, hit)).collect_view()}
                                </ul>
                            })}
                            {r.next_cursor.is_some().then(|| view! {
                                <button type="button" class="button subtle load-more" on:click=more>
                                    {tr!("inbox-search-more")}
                                </button>
                            })}
                        }.into_any()
                    }
                }}
            </div>
        </section>
    }
}

fn hit_view(ws: WorkspaceId, hit: SearchHit) -> impl IntoView {
    match hit {
        SearchHit::Contact {
            contact,
            conversation_id,
            matched,
        } => view! {
            <li>
                <a class="hit" href=routes::conversation(ws, conversation_id)>
                    <Avatar initials=contact.initials() key=contact.id.0/>
                    <span class="hit-main">
                        <span class="hit-title" translate="no">{contact.display_name()}</span>
                        <span class="hit-text" translate="no"><HighlightedText text=matched/></span>
                    </span>
                </a>
            </li>
        }
        .into_any(),
        SearchHit::Message {
            message_id,
            conversation_id,
            kind,
            contact,
            sender_name,
            created_at,
            snippet,
        } => {
            let time = list_time(created_at, Utc::now(), local_offset());
            let label = if kind == MessageKind::Comment {
                tr!("inbox-search-comment-by", sender = &sender_name)
            } else {
                sender_name.clone()
            };
            view! {
                <li>
                    <a class="hit" class:hit-comment=kind == MessageKind::Comment href=message_path(ws, conversation_id, message_id)>
                        <Avatar initials=contact.initials() key=contact.id.0/>
                        <span class="hit-main">
                            <span class="hit-title">
                                <span translate="no">{contact.display_name()}</span>
                                <time class="conversation-row-time">{time}</time>
                            </span>
                            <span class="hit-sender"><NamedText text=label name=sender_name/></span>
                            <span class="hit-text" translate="no"><HighlightedText text=snippet/></span>
                        </span>
                    </a>
                </li>
            }
            .into_any()
        }
    }
}
