//! One row of the inbox list: avatar, name, preview of the newest entry, time, unread badge.

use crate::model::time::{list_time, local_offset};
use crate::ui::avatar::Avatar;
use chrono::Utc;
use leptos::prelude::*;
use switchboard_protocol::*;

/// The preview line: "You: …" for replies, "Comment: …" for comments, the text otherwise;
/// one line, without Markdown syntax getting in the way.
pub fn preview(row: &ConversationSummary) -> String {
    match &row.last_message {
        None => "No messages yet".to_owned(),
        Some(p) => {
            let text =
                crate::markdown::plain_text(&crate::markdown::parse(&p.text)).replace('\n', " ");
            match (p.kind, p.direction) {
                (MessageKind::Comment, _) => format!("Comment: {text}"),
                (MessageKind::Message, Direction::Outgoing) => format!("You: {text}"),
                (MessageKind::Message, Direction::Incoming) => text,
            }
        }
    }
}

#[component]
pub fn ConversationRow(
    row: ConversationSummary,
    #[prop(into)] href: Signal<String>,
    #[prop(into)] selected: Signal<bool>,
) -> impl IntoView {
    let name = row.contact.display_name();
    let unread = row.unread_count;
    let time = list_time(row.last_activity_at, Utc::now(), local_offset());
    view! {
        <a
            class="conversation-row"
            class:selected=move || selected.get()
            class:unread={unread > 0}
            href=move || href.get()
            aria-current=move || selected.get().then_some("page")
            data-conversation=row.id.to_string()
        >
            <Avatar initials=row.contact.initials() key=row.contact.id.0/>
            <span class="conversation-row-main">
                <span class="conversation-row-top">
                    <span class="conversation-row-name">{name}</span>
                    <time class="conversation-row-time" datetime=row.last_activity_at.to_rfc3339()>
                        {time}
                    </time>
                </span>
                <span class="conversation-row-bottom">
                    <span class="conversation-row-preview">{preview(&row)}</span>
                    {(unread > 0)
                        .then(|| {
                            view! {
                                <span class="unread-badge">
                                    <span class="visually-hidden">"unread: "</span>
                                    {if unread > 99 { "99+".to_owned() } else { unread.to_string() }}
                                </span>
                            }
                        })}
                </span>
            </span>
        </a>
    }
}
