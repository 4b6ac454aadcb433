//! The composer: message or internal comment (K1), Enter to send, Shift+Enter for a new line.
//! The text is checked with the same rule as the server before it leaves. A reply's quote
//! (C4) shows above the field: colour-coded, one line, tap to see the original, × to cancel.

use crate::model::reply::preview_title;
use crate::ui::icons::Icon;
use leptos::prelude::*;
use switchboard_protocol::validation;
use switchboard_protocol::{Direction, MessageId, MessageKind, ReplyPreview};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn load_draft(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Keeps a draft, or forgets it once empty.
fn save_draft(key: &str, text: &str) {
    if let Some(storage) = storage() {
        let _ = if text.is_empty() {
            storage.remove_item(key)
        } else {
            storage.set_item(key, text)
        };
    }
}

#[component]
pub fn Composer(
    on_send: Callback<(MessageKind, String)>,
    /// The message the next send quotes; the composer clears it on cancel.
    reply: RwSignal<Option<ReplyPreview>>,
    on_jump: Callback<MessageId>,
    /// The contact's name, for the quote's title.
    #[prop(into)]
    contact: Signal<String>,
    /// Where this conversation's draft is kept, so it survives a reload (K12).
    draft_key: String,
) -> impl IntoView {
    let text = RwSignal::new(load_draft(&draft_key).unwrap_or_default());
    let key = StoredValue::new(draft_key);
    Effect::new(move |_| {
        let draft = text.get();
        key.with_value(|k| save_draft(k, &draft));
    });
    let kind = RwSignal::new(MessageKind::Message);
    let error = RwSignal::new(None::<String>);
    let send = move || {
        let draft = text.get_untracked();
        match validation::message_text(&draft) {
            Ok(valid) => {
                on_send.run((kind.get_untracked(), valid.to_owned()));
                text.set(String::new());
                error.set(None);
            }
            Err(validation::MessageTextError::Empty) => {}
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            send();
        }
    };
    let is_comment = move || kind.get() == MessageKind::Comment;
    view! {
        <form
            class="composer"
            class:comment-mode=is_comment
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                send();
            }
        >
            <div class="composer-modes" role="radiogroup" aria-label="Write a">
                <button
                    type="button"
                    role="radio"
                    class="mode"
                    class:active=move || !is_comment()
                    aria-checked=move || (!is_comment()).to_string()
                    on:click=move |_| kind.set(MessageKind::Message)
                >
                    <Icon name="message"/>
                    "Message"
                </button>
                <button
                    type="button"
                    role="radio"
                    class="mode"
                    class:active=is_comment
                    aria-checked=move || is_comment().to_string()
                    on:click=move |_| kind.set(MessageKind::Comment)
                >
                    <Icon name="comment"/>
                    "Comment"
                </button>
            </div>
            {move || reply.get().map(|q| {
                let target = q.id;
                view! {
                    <div class="reply-preview" class:quote-incoming=q.direction == Direction::Incoming>
                        <button type="button" class="reply-preview-body" on:click=move |_| on_jump.run(target) title="Show the original">
                            <span class="quote-sender">{preview_title(&q, &contact.get())}</span>
                            <span class="quote-text">{q.text.clone()}</span>
                        </button>
                        <button type="button" class="icon-button small" aria-label="Cancel reply" on:click=move |_| reply.set(None)>
                            <Icon name="x"/>
                        </button>
                    </div>
                }
            })}
            <div class="composer-row">
                <textarea
                    name="message"
                    rows="1"
                    placeholder=move || if is_comment() { "Write an internal comment — only your team sees it" } else { "Write a reply" }
                    aria-label=move || if is_comment() { "Comment" } else { "Message" }
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        error.set(None);
                    }
                    on:keydown=on_keydown
                ></textarea>
                <button
                    type="submit"
                    class="send-button"
                    aria-label=move || if is_comment() { "Add comment" } else { "Send" }
                    disabled=move || text.with(|t| t.trim().is_empty())
                >
                    <Icon name="send"/>
                </button>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
