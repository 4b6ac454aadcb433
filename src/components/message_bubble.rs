//! One entry of a thread: a message (incoming left, outgoing right), or a yellow internal
//! comment, with its sender, time and delivery status; unknown content degrades (C2).

use crate::components::markdown_view::MarkdownView;
use crate::model::thread::Entry;
use crate::model::time::{local_offset, message_time};
use crate::ui::icons::Icon;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use switchboard_protocol::*;

/// What the bubble shows, derived from an entry.
struct Shown {
    incoming: bool,
    comment: bool,
    sender: String,
    content: Content,
    at: DateTime<Utc>,
    status: Status,
}

#[derive(Clone, PartialEq)]
enum Status {
    None,
    Delivery(DeliveryStatus),
    Pending,
    Failed(String),
}

fn shown(entry: &Entry, me: &str) -> Shown {
    match entry {
        Entry::Stored(m) => Shown {
            incoming: m.direction == Direction::Incoming,
            comment: m.kind == MessageKind::Comment,
            sender: m.sender.name.clone(),
            content: m.content.clone(),
            at: m.created_at,
            status: m.delivery_status.map_or(Status::None, Status::Delivery),
        },
        Entry::Pending {
            kind,
            text,
            at,
            failed,
            ..
        } => Shown {
            incoming: false,
            comment: *kind == MessageKind::Comment,
            sender: me.to_owned(),
            content: Content::Text { text: text.clone() },
            at: *at,
            status: failed.clone().map_or(Status::Pending, Status::Failed),
        },
    }
}

#[component]
pub fn MessageBubble(
    entry: Entry,
    /// The signed-in agent's name, for their pending sends.
    #[prop(into)]
    me: String,
    /// Called with the client id of a failed send to retry it.
    #[prop(optional, into)]
    on_retry: Option<Callback<String>>,
) -> impl IntoView {
    let client_id = match &entry {
        Entry::Pending { client_id, .. } => Some(client_id.clone()),
        Entry::Stored(_) => None,
    };
    let s = shown(&entry, &me);
    let time = message_time(s.at, Utc::now(), local_offset());
    let body = match s.content {
        Content::Text { text } => view! { <MarkdownView text=text/> }.into_any(),
        Content::Image { url, caption } => {
            let alt = caption.clone().unwrap_or_else(|| "Image".to_owned());
            view! {
                <figure class="message-image">
                    <a href=url.clone() target="_blank" rel="noopener">
                        <img src=url.clone() alt=alt loading="lazy"/>
                    </a>
                    {caption.map(|c| view! { <figcaption><MarkdownView text=c/></figcaption> })}
                </figure>
            }
            .into_any()
        }
        Content::Unsupported { .. } | Content::Unknown => {
            view! { <p class="message-fallback">"Unsupported message"</p> }.into_any()
        }
        Content::CustomPayload { .. } => {
            view! { <p class="message-fallback">"Custom payload"</p> }.into_any()
        }
    };
    let status = match s.status.clone() {
        Status::None => None,
        Status::Pending => Some(view! {
            <span class="message-status pending" title="Sending…"><Icon name="clock" label="Sending"/></span>
        }.into_any()),
        Status::Delivery(DeliveryStatus::Pending) => Some(view! {
            <span class="message-status pending" title="Pending"><Icon name="clock" label="Pending"/></span>
        }.into_any()),
        Status::Delivery(DeliveryStatus::Sent) => Some(view! {
            <span class="message-status sent" title="Sent"><Icon name="check" label="Sent"/></span>
        }.into_any()),
        Status::Delivery(DeliveryStatus::Delivered) => Some(view! {
            <span class="message-status delivered" title="Delivered"><Icon name="double-check" label="Delivered"/></span>
        }.into_any()),
        Status::Delivery(DeliveryStatus::Read) => Some(view! {
            <span class="message-status read" title="Read"><Icon name="double-check" label="Read"/></span>
        }.into_any()),
        Status::Delivery(DeliveryStatus::Failed) => Some(view! {
            <span class="message-status failed" title="Failed"><Icon name="alert" label="Failed"/></span>
        }.into_any()),
        Status::Failed(reason) => {
            let retry = move |_| {
                if let (Some(on_retry), Some(id)) = (on_retry, client_id.clone()) {
                    on_retry.run(id);
                }
            };
            Some(view! {
                <span class="message-status failed" role="alert">
                    <Icon name="alert"/>
                    <span>{format!("Not sent: {reason}")}</span>
                    <button type="button" class="link-button" on:click=retry>"Retry"</button>
                </span>
            }.into_any())
        }
    };
    view! {
        <article
            class="message"
            class:incoming=s.incoming
            class:outgoing={!s.incoming}
            class:comment=s.comment
            data-key=entry.key()
        >
            <div class="message-bubble">
                <header class="message-sender">
                    {s.sender}
                    {s.comment.then(|| view! { <span class="comment-tag">"Internal comment"</span> })}
                </header>
                {body}
                <footer class="message-meta">
                    <time datetime=s.at.to_rfc3339()>{time}</time>
                    {status}
                </footer>
            </div>
        </article>
    }
}
