//! One row of the inbox list: avatar, name, preview of the newest entry, time, unread badge.

use crate::components::highlighted::NamedText;
use crate::model::time::{list_time, local_offset};
use crate::tr;
use crate::ui::avatar::Avatar;
use chrono::Utc;
use leptos::prelude::*;
use switchboard_protocol::*;

/// The preview line: "You: …" for replies, "Comment: …" for comments, the text otherwise;
/// one line, without Markdown syntax getting in the way.
pub fn preview(row: &ConversationSummary) -> String {
    match (&row.last_message, preview_text(row)) {
        (Some(p), Some(text)) => match (p.kind, p.direction) {
            (MessageKind::Comment, _) => tr!("inbox-row-preview-comment", text = text),
            (MessageKind::Message, Direction::Outgoing) => {
                tr!("inbox-row-preview-you", text = text)
            }
            (MessageKind::Message, Direction::Incoming) => text,
        },
        _ => tr!("inbox-row-no-messages"),
    }
}

/// The newest entry's text as the preview shows it (what someone wrote: not translated); the
/// server has already taken the Markdown syntax out (`protocol::plain`).
fn preview_text(row: &ConversationSummary) -> Option<String> {
    row.last_message.as_ref().map(|p| p.text.replace('\n', " "))
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
                    <span class="conversation-row-name" translate="no">{name}</span>
                    <time class="conversation-row-time" datetime=row.last_activity_at.to_rfc3339()>
                        {time}
                    </time>
                </span>
                <span class="conversation-row-bottom">
                    <span class="conversation-row-preview">
                        <NamedText text=preview(&row) name=preview_text(&row).unwrap_or_default()/>
                    </span>
                    {(unread > 0)
                        .then(|| {
                            view! {
                                <span class="unread-badge">
                                    <span class="visually-hidden">{tr!("inbox-row-unread")}" "</span>
                                    {if unread > 99 { "99+".to_owned() } else { unread.to_string() }}
                                </span>
                            }
                        })}
                </span>
            </span>
        </a>
    }
}
