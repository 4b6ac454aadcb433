//! Search inside the open conversation (C6): the words typed find its messages and comments,
//! matches marked; choosing one brings it into view and makes it blink.

use super::use_inbox;
use crate::api;
use crate::components::highlighted::HighlightedText;
use crate::model::time::{local_offset, message_time};
use crate::tr;
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::search::SearchHit;
use switchboard_protocol::*;

#[component]
pub fn ThreadSearch(
    workspace: WorkspaceId,
    conversation: ConversationId,
    open: RwSignal<bool>,
) -> impl IntoView {
    let inbox = use_inbox();
    let text = RwSignal::new(String::new());
    let hits = RwSignal::new(None::<Vec<SearchHit>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = text.get_untracked();
        if q.trim().is_empty() {
            return;
        }
        spawn_local(async move {
            match api::search_conversation(workspace, conversation, &q).await {
                Ok(found) if text.get_untracked() == q => hits.set(Some(found.messages)),
                Ok(_) => {}
                Err(e) => inbox.error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="thread-search" role="search">
            <form on:submit=submit>
                <input
                    type="search"
                    aria-label=tr!("thread-search-conversation")
                    placeholder=tr!("thread-search-conversation")
                    autofocus
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
                <button type="submit" class="button subtle">{tr!("thread-search-find")}</button>
                <button type="button" class="link-button" on:click=move |_| open.set(false)>{tr!("thread-search-done")}</button>
            </form>
            {move || hits.get().map(|hits| {
                if hits.is_empty() {
                    view! { <p class="muted small">{tr!("thread-search-none")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="hits thread-hits" aria-label=tr!("thread-search-matches")>
                            {hits.into_iter().filter_map(|hit| match hit {
                                SearchHit::Message { message_id, sender_name, created_at, snippet, .. } => Some(view! {
                                    <li>
                                        <button
                                            type="button"
                                            class="hit"
                                            on:click=move |_| inbox.jump_to(workspace, conversation, message_id)
                                        >
                                            <span class="hit-main">
                                                <span class="hit-sender">
                                                    <span translate="no">{sender_name}</span>
                                                    {format!(" · {}", message_time(created_at, Utc::now(), local_offset()))}
                                                </span>
                                                <span class="hit-text" translate="no"><HighlightedText text=snippet/></span>
                                            </span>
                                        </button>
                                    </li>
                                }),
                                SearchHit::Contact { .. } => None,
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </div>
    }
}
