//! The channel switcher above the composer (K2): the contact's channels, the one the next
//! messages go through checked. Shown when the contact has more than one; switching to a
//! channel without quotes drops the quote being written (C4).

use super::use_inbox;
use crate::model::channels;
use crate::tr;
use leptos::prelude::*;
use switchboard_protocol::ChannelId;

#[component]
pub fn ChannelSwitcher(
    /// The channel messages go through now.
    #[prop(into)]
    sending: Signal<Option<ChannelId>>,
) -> impl IntoView {
    let inbox = use_inbox();
    let choose = move |id: ChannelId| {
        inbox.channel_choice.set(Some(id));
        let kind = inbox
            .channels
            .with_untracked(|list| list.iter().find(|c| c.id == id).map(|c| c.kind));
        if let Some(notice) = kind.and_then(channels::quote_dropped_notice)
            && inbox.reply.with_untracked(Option::is_some)
        {
            inbox.reply.set(None);
            inbox.notify(notice);
        }
    };
    view! {
        <Show when=move || inbox.channels.with(|list| channels::has_choice(list))>
            <div class="channel-switcher" role="radiogroup" aria-label=tr!("composer-send-through")>
                <span class="channel-switcher-label" aria-hidden="true">{tr!("composer-send-through")}</span>
                <For
                    each=move || inbox.channels.get()
                    key=|c| c.id
                    children=move |c| {
                        let id = c.id;
                        let checked = move || sending.get() == Some(id);
                        view! {
                            <button
                                type="button"
                                role="radio"
                                class="channel-chip"
                                class:selected=checked
                                aria-checked=move || checked().to_string()
                                on:click=move |_| choose(id)
                            >
                                <span class=format!("channel-dot channel-{}", c.kind.as_str()) aria-hidden="true"></span>
                                <span class="channel-kind">{c.kind.label()}</span>
                                {channels::name(&c).map(|name| view! { <span class="channel-name">{format!(" · {name}")}</span> })}
                            </button>
                        }
                    }
                />
            </div>
        </Show>
    }
}
