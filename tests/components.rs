//! Component tests in a real browser (`wasm-bindgen-test`, headless Chromium): the message
//! bubble and the inbox row render what agents rely on, and markup stays text.
#![cfg(target_arch = "wasm32")]
// `#[wasm_bindgen_test]` functions are tests, but clippy does not know them as such.
#![allow(clippy::unwrap_used)]

use chrono::{Duration, Utc};
use leptos::prelude::*;
use switchboard::components::conversation_row::ConversationRow;
use switchboard::components::message_bubble::MessageBubble;
use switchboard::model::thread::{Entry, Outgoing};
use switchboard_protocol::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh container in the page, and the handle that keeps the component mounted.
fn mount<V: IntoView + 'static>(
    view: impl FnOnce() -> V + 'static,
) -> (web_sys::HtmlElement, impl Drop) {
    let document = web_sys::window().unwrap().document().unwrap();
    let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), view);
    (container, handle)
}

fn message(direction: Direction, kind: MessageKind, content: Content) -> Message {
    Message {
        original: None,
        id: MessageId(5),
        conversation_id: ConversationId(1),
        client_id: None,
        kind,
        direction,
        sender: Sender {
            kind: if direction == Direction::Incoming {
                SenderKind::Contact
            } else {
                SenderKind::Agent
            },
            name: if direction == Direction::Incoming {
                "Olga Smirnova".into()
            } else {
                "Anna Petrova".into()
            },
            user_id: None,
        },
        channel: ChannelKind::WebsiteChat,
        content,
        delivery_status: (direction == Direction::Outgoing && kind == MessageKind::Message)
            .then_some(DeliveryStatus::Read),
        delivery_error: None,
        created_at: Utc::now() - Duration::minutes(3),
        reply_to: None,
        mentions: Vec::new(),
        attachments: Vec::new(),
    }
}

fn text(t: &str) -> Content {
    Content::Text { text: t.into() }
}

#[wasm_bindgen_test]
async fn incoming_markup_is_shown_as_text_not_elements() {
    let xss = "<img src=x onerror=alert(1)> **still bold**";
    let entry = Entry::Stored(message(
        Direction::Incoming,
        MessageKind::Message,
        text(xss),
    ));
    let (el, _keep) = mount(move || view! { <MessageBubble entry=entry me="Anna"/> });
    leptos::task::tick().await;
    let bubble = el.query_selector(".message").unwrap().expect("a message");
    assert!(bubble.class_list().contains("incoming"));
    assert_eq!(
        el.query_selector("img").unwrap(),
        None,
        "markup became an element"
    );
    let body = el.query_selector(".markdown").unwrap().unwrap();
    assert!(
        body.text_content()
            .unwrap()
            .contains("<img src=x onerror=alert(1)>")
    );
    assert_eq!(
        el.query_selector("strong")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "still bold"
    );
    assert!(el.text_content().unwrap().contains("Olga Smirnova"));
}

#[wasm_bindgen_test]
async fn a_message_sent_translated_shows_colleagues_the_words_before_translation() {
    let mut sent = message(
        Direction::Outgoing,
        MessageKind::Message,
        text("Ihr Paket kommt morgen."),
    );
    sent.original = Some("Your <b>parcel</b> arrives tomorrow.".into());
    let entry = Entry::Stored(sent);
    let (el, _keep) = mount(move || view! { <MessageBubble entry=entry me="Anna"/> });
    leptos::task::tick().await;
    let body = || {
        el.query_selector(".markdown")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert_eq!(body().trim(), "Ihr Paket kommt morgen.");
    let note = el
        .query_selector(".translation-note")
        .unwrap()
        .expect("a note");
    assert!(note.text_content().unwrap().contains("Sent translated"));
    let toggle: web_sys::HtmlElement = note
        .query_selector("button")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    toggle.click();
    leptos::task::tick().await;
    // The agent's own words, as text.
    assert_eq!(body().trim(), "Your <b>parcel</b> arrives tomorrow.");
    assert_eq!(el.query_selector(".markdown b").unwrap(), None);
    toggle.click();
    leptos::task::tick().await;
    assert_eq!(body().trim(), "Ihr Paket kommt morgen.");
    // A message sent as written has no note.
    let plain = Entry::Stored(message(
        Direction::Outgoing,
        MessageKind::Message,
        text("Hello"),
    ));
    let (other, _keep2) = mount(move || view! { <MessageBubble entry=plain me="Anna"/> });
    leptos::task::tick().await;
    assert_eq!(other.query_selector(".translation-note").unwrap(), None);
}

#[wasm_bindgen_test]
async fn comments_are_marked_internal_and_outgoing_shows_delivery() {
    let comment = Entry::Stored(message(
        Direction::Outgoing,
        MessageKind::Comment,
        text("Refund approved"),
    ));
    let (el, _keep) = mount(move || view! { <MessageBubble entry=comment me="Anna"/> });
    leptos::task::tick().await;
    let bubble = el.query_selector(".message").unwrap().unwrap();
    assert!(bubble.class_list().contains("comment"));
    assert!(el.text_content().unwrap().contains("Internal comment"));
    assert_eq!(
        el.query_selector(".message-status").unwrap(),
        None,
        "comments have no delivery status"
    );

    let sent = Entry::Stored(message(
        Direction::Outgoing,
        MessageKind::Message,
        text("On its way"),
    ));
    let (el, _keep2) = mount(move || view! { <MessageBubble entry=sent me="Anna"/> });
    leptos::task::tick().await;
    assert!(el.query_selector(".message.outgoing").unwrap().is_some());
    let status = el.query_selector(".message-status").unwrap().unwrap();
    assert_eq!(status.get_attribute("title").as_deref(), Some("Read"));
}

#[wasm_bindgen_test]
async fn unknown_content_degrades_to_a_readable_fallback() {
    let unsupported = Entry::Stored(message(
        Direction::Incoming,
        MessageKind::Message,
        Content::Unknown,
    ));
    let payload = Entry::Stored(message(
        Direction::Incoming,
        MessageKind::Message,
        Content::CustomPayload {
            payload: "{\"x\":1}".into(),
        },
    ));
    let (el, _keep) = mount(
        move || view! { <MessageBubble entry=unsupported me="Anna"/><MessageBubble entry=payload me="Anna"/> },
    );
    leptos::task::tick().await;
    let text = el.text_content().unwrap();
    assert!(text.contains("Unsupported message"), "{text}");
    assert!(text.contains("Custom payload"), "{text}");
    assert!(
        !text.contains("{\"x\":1}"),
        "raw payloads are not dumped into the thread"
    );
}

#[wasm_bindgen_test]
async fn a_failed_send_offers_retry_with_its_client_id() {
    let retried = RwSignal::new(None::<String>);
    let entry = Entry::Pending {
        client_id: "abc-1".into(),
        send: Outgoing {
            kind: MessageKind::Message,
            text: "Hello?".into(),
            reply_to: None,
            mentions: Vec::new(),
            attachments: Vec::new(),
            subject: None,
            channel: None,
            template: None,
            original: None,
        },
        at: Utc::now(),
        failed: Some("Cannot reach the server.".into()),
    };
    let on_retry = Callback::new(move |id: String| retried.set(Some(id)));
    let (el, _keep) =
        mount(move || view! { <MessageBubble entry=entry me="Anna Petrova" on_retry=on_retry/> });
    leptos::task::tick().await;
    assert!(
        el.text_content()
            .unwrap()
            .contains("Not sent: Cannot reach the server.")
    );
    assert!(el.text_content().unwrap().contains("Anna Petrova"));
    let button: web_sys::HtmlElement = el
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(button.text_content().unwrap(), "Retry");
    button.click();
    leptos::task::tick().await;
    assert_eq!(retried.get_untracked().as_deref(), Some("abc-1"));
}

#[wasm_bindgen_test]
async fn a_message_its_channel_refused_shows_why_and_offers_retry() {
    let retried = RwSignal::new(None::<String>);
    let mut refused = message(Direction::Outgoing, MessageKind::Message, text("Алло?"));
    refused.client_id = Some("tg-1".into());
    refused.channel = ChannelKind::Telegram;
    refused.delivery_status = Some(DeliveryStatus::Failed);
    refused.delivery_error = Some("Forbidden: bot was blocked by the user".into());
    let entry = Entry::Stored(refused);
    let on_retry = Callback::new(move |id: String| retried.set(Some(id)));
    let (el, _keep) =
        mount(move || view! { <MessageBubble entry=entry me="Anna Petrova" on_retry=on_retry/> });
    leptos::task::tick().await;
    let status = el
        .query_selector("[role='alert']")
        .unwrap()
        .expect("the failure is announced");
    assert_eq!(
        status.text_content().unwrap(),
        "Not delivered: Forbidden: bot was blocked by the userRetry"
    );
    let button: web_sys::HtmlElement = status
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    leptos::task::tick().await;
    assert_eq!(retried.get_untracked().as_deref(), Some("tg-1"));
}

fn row(unread: u32, last: Option<MessagePreview>) -> ConversationSummary {
    ConversationSummary {
        id: ConversationId(9),
        workspace_id: WorkspaceId(1),
        contact: ContactSummary {
            id: ContactId(3),
            first_name: "Дмитрий".into(),
            last_name: "Соколов".into(),
            email: None,
            phone: None,
            phone_masked: false,
            blocked: false,
        },
        status: ConversationStatus::Open,
        channel: ChannelKind::WebsiteChat,
        channel_id: ChannelId(1),
        last_message: last,
        last_activity_at: Utc::now() - Duration::minutes(5),
        unread_count: unread,
        snoozed_until: None,
        status_since: Utc::now() - Duration::hours(1),
        assignee: None,
        last_incoming_at: None,
        awaiting_reply: false,
        dialogflow_bot: false,
    }
}

#[wasm_bindgen_test]
async fn an_inbox_row_shows_name_preview_time_and_a_blue_unread_badge() {
    let preview = MessagePreview {
        kind: MessageKind::Message,
        direction: Direction::Incoming,
        text: "Можно помолоть для турки?".into(),
    };
    let r = row(3, Some(preview));
    let (el, _keep) =
        mount(move || view! { <ConversationRow row=r href="/w/1/c/9".to_owned() selected=false/> });
    leptos::task::tick().await;
    let link = el.query_selector("a").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("/w/1/c/9"));
    let name = link
        .query_selector(".conversation-row-name")
        .unwrap()
        .expect("a name");
    assert_eq!(name.text_content().unwrap(), "Дмитрий Соколов");
    assert!(link.class_list().contains("unread"));
    let badge = el
        .query_selector(".unread-badge")
        .unwrap()
        .expect("a badge");
    // The count is read out with what it counts.
    assert_eq!(badge.text_content().unwrap(), "unread: 3");
    let preview = el
        .query_selector(".conversation-row-preview")
        .unwrap()
        .unwrap();
    assert_eq!(preview.text_content().unwrap(), "Можно помолоть для турки?");
    assert_eq!(
        el.query_selector(".conversation-row-time")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "5 min"
    );
    assert_eq!(
        el.query_selector(".avatar")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "ДС"
    );
}

#[wasm_bindgen_test]
async fn a_read_row_has_no_badge_and_replies_and_comments_are_labelled() {
    let reply = MessagePreview {
        kind: MessageKind::Message,
        direction: Direction::Outgoing,
        text: "Sent today".into(),
    };
    let comment = MessagePreview {
        kind: MessageKind::Comment,
        direction: Direction::Outgoing,
        text: "VIP".into(),
    };
    let (r1, r2, r3) = (row(0, Some(reply)), row(0, Some(comment)), row(0, None));
    let (el, _keep) = mount(move || {
        view! {
            <ConversationRow row=r1 href="/a".to_owned() selected=true/>
            <ConversationRow row=r2 href="/b".to_owned() selected=false/>
            <ConversationRow row=r3 href="/c".to_owned() selected=false/>
        }
    });
    leptos::task::tick().await;
    assert_eq!(el.query_selector(".unread-badge").unwrap(), None);
    let previews = el.query_selector_all(".conversation-row-preview").unwrap();
    let texts: Vec<String> = (0..previews.length())
        .map(|i| previews.item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(
        texts,
        vec!["You: Sent today", "Comment: VIP", "No messages yet"]
    );
    let first = el.query_selector("a").unwrap().unwrap();
    assert!(first.class_list().contains("selected"));
    assert_eq!(first.get_attribute("aria-current").as_deref(), Some("page"));
}

fn button_labelled(el: &web_sys::HtmlElement, label: &str) -> Option<web_sys::HtmlElement> {
    el.query_selector(&format!("button[aria-label='{label}']"))
        .unwrap()
        .map(|b| b.unchecked_into())
}

#[wasm_bindgen_test]
async fn a_reply_shows_its_quote_and_jumps_to_the_original() {
    let jumped = RwSignal::new(None::<MessageId>);
    let mut m = message(
        Direction::Outgoing,
        MessageKind::Message,
        text("They ship on Thursday."),
    );
    m.reply_to = Some(ReplyPreview {
        id: MessageId(2),
        direction: Direction::Incoming,
        sender_name: "Olga Smirnova".into(),
        text: "Hi! I ordered the beans on Monday. Any idea when they ship? ".repeat(5),
    });
    let on_jump = Callback::new(move |id: MessageId| jumped.set(Some(id)));
    let (el, _keep) = mount(move || {
        view! { <MessageBubble entry=Entry::Stored(m) me="Anna Petrova" on_jump=on_jump/> }
    });
    leptos::task::tick().await;
    let quote: web_sys::HtmlElement = el
        .query_selector(".message-quote")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(
        quote.class_list().contains("quote-incoming"),
        "colour-coded as the contact's"
    );
    assert_eq!(
        quote
            .query_selector(".quote-sender")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Olga Smirnova")
    );
    // The whole text is there; the stylesheet cuts it to one line with an ellipsis.
    assert!(
        quote
            .query_selector(".quote-text")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
            .starts_with("Hi! I ordered the beans")
    );
    quote.click();
    assert_eq!(jumped.get_untracked(), Some(MessageId(2)));
}

#[wasm_bindgen_test]
async fn the_menu_replies_to_stored_messages_and_links_to_any_entry() {
    let replied = RwSignal::new(None::<ReplyPreview>);
    let linked = RwSignal::new(None::<MessageId>);
    let on_reply = Callback::new(move |q: ReplyPreview| replied.set(Some(q)));
    let on_link = Callback::new(move |id: MessageId| linked.set(Some(id)));
    let incoming = message(
        Direction::Incoming,
        MessageKind::Message,
        text("**Where** is my order?"),
    );
    let (el, _keep) = mount(move || {
        view! { <MessageBubble entry=Entry::Stored(incoming) me="Anna" on_reply=on_reply on_link=on_link/> }
    });
    leptos::task::tick().await;
    button_labelled(&el, "Reply").unwrap().click();
    let quote = replied.get_untracked().unwrap();
    assert_eq!(
        (quote.id, quote.sender_name.as_str()),
        (MessageId(5), "Olga Smirnova")
    );
    assert_eq!(quote.text, "Where is my order?", "the quote is plain text");
    button_labelled(&el, "Copy link").unwrap().click();
    assert_eq!(linked.get_untracked(), Some(MessageId(5)));

    // A comment can be linked, not replied to; a send on its way has no menu at all.
    let comment = message(
        Direction::Outgoing,
        MessageKind::Comment,
        text("Refund approved"),
    );
    let (el, _keep2) = mount(move || {
        view! { <MessageBubble entry=Entry::Stored(comment) me="Anna" on_reply=on_reply on_link=on_link/> }
    });
    leptos::task::tick().await;
    assert!(button_labelled(&el, "Reply").is_none());
    assert!(button_labelled(&el, "Copy link").is_some());
    let pending = Entry::Pending {
        client_id: "p-1".into(),
        send: Outgoing {
            kind: MessageKind::Message,
            text: "On its way".into(),
            reply_to: None,
            mentions: Vec::new(),
            attachments: Vec::new(),
            subject: None,
            channel: None,
            template: None,
            original: None,
        },
        at: Utc::now(),
        failed: None,
    };
    let (el, _keep3) = mount(move || {
        view! { <MessageBubble entry=pending me="Anna" on_reply=on_reply on_link=on_link/> }
    });
    leptos::task::tick().await;
    assert!(el.query_selector(".message-actions").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn search_matches_are_marked_and_markup_stays_text() {
    use switchboard::components::highlighted::HighlightedText;
    use switchboard_protocol::search::Highlighted;
    let text = Highlighted {
        text: "<b>Кофе</b> and coffee".into(),
        matches: vec![(3, 11), (20, 26)],
    };
    let (el, _keep) = mount(move || view! { <HighlightedText text=text/> });
    leptos::task::tick().await;
    assert!(el.query_selector("b").unwrap().is_none(), "markup is text");
    let marks = el.query_selector_all("mark").unwrap();
    assert_eq!(marks.length(), 2);
    assert_eq!(
        marks.get(0).unwrap().text_content().as_deref(),
        Some("Кофе")
    );
    assert_eq!(
        marks.get(1).unwrap().text_content().as_deref(),
        Some("coffee")
    );
    assert_eq!(el.text_content().as_deref(), Some("<b>Кофе</b> and coffee"));
}

#[wasm_bindgen_test]
async fn a_picker_marks_the_active_choice_and_chooses_on_press() {
    use switchboard::components::picker::{Choice, Picker};
    let choices = RwSignal::new(vec![
        Choice {
            label: "Boris Kim".into(),
            hint: "mention".into(),
        },
        Choice {
            label: "Maria Lopez".into(),
            hint: "mention".into(),
        },
    ]);
    let active = RwSignal::new(1usize);
    let chosen = RwSignal::new(None::<usize>);
    let on_choose = Callback::new(move |i: usize| chosen.set(Some(i)));
    let (el, _keep) = mount(move || {
        view! { <Picker title="Mention" choices=choices active=active on_choose=on_choose/> }
    });
    leptos::task::tick().await;
    let options = el.query_selector_all("[role='option']").unwrap();
    assert_eq!(options.length(), 2);
    let selected = el
        .query_selector("[aria-selected='true']")
        .unwrap()
        .unwrap();
    assert!(selected.text_content().unwrap().contains("Maria Lopez"));
    let first: web_sys::HtmlElement = options.get(0).unwrap().unchecked_into();
    let press = web_sys::MouseEvent::new("mousedown").unwrap();
    first.dispatch_event(&press).unwrap();
    assert_eq!(chosen.get_untracked(), Some(0));
    choices.set(Vec::new());
    leptos::task::tick().await;
    assert!(el.text_content().unwrap().contains("No match"));
}

#[wasm_bindgen_test]
async fn a_snippet_picker_previews_the_active_choice_as_text() {
    use switchboard::components::picker::{Choice, Picker};
    let choices = Signal::stored(vec![
        Choice {
            label: "/greeting".into(),
            hint: "Hi Lena!".into(),
        },
        Choice {
            label: "/refund".into(),
            hint: "Refunds".into(),
        },
    ]);
    let texts = [
        "Hi Lena!\nHow can I help?",
        "Refunds within 30 days <b>no</b> questions",
    ];
    let active = RwSignal::new(0usize);
    let preview = Signal::derive(move || Some(texts[active.get()].to_owned()));
    let (el, _keep) = mount(move || {
        view! {
            <Picker title="Snippet" choices=choices active=active on_choose=Callback::new(|_: usize| {}) preview=preview/>
        }
    });
    leptos::task::tick().await;
    let shown = || {
        el.query_selector(".picker-preview-text")
            .unwrap()
            .and_then(|p| p.text_content())
    };
    assert_eq!(shown().as_deref(), Some("Hi Lena!\nHow can I help?"));
    assert!(el.query_selector(".picker.with-preview").unwrap().is_some());
    active.set(1);
    leptos::task::tick().await;
    assert_eq!(
        shown().as_deref(),
        Some("Refunds within 30 days <b>no</b> questions")
    );
    assert!(
        el.query_selector(".picker-preview b").unwrap().is_none(),
        "markup in a snippet stays text"
    );
}

#[wasm_bindgen_test]
async fn images_from_unsafe_addresses_are_not_shown_or_linked() {
    let image = |url: &str| {
        message(
            Direction::Incoming,
            MessageKind::Message,
            Content::Image {
                url: url.into(),
                caption: None,
            },
        )
    };
    let evil = image("javascript:alert(1)");
    let (el, _keep) = mount(move || view! { <MessageBubble entry=Entry::Stored(evil) me="Anna"/> });
    leptos::task::tick().await;
    assert!(el.text_content().unwrap().contains("Image unavailable"));
    assert!(el.query_selector("img, a[href]").unwrap().is_none());
    let fine = image("/public/demo/latte-art.svg");
    let (el, _keep2) =
        mount(move || view! { <MessageBubble entry=Entry::Stored(fine) me="Anna"/> });
    leptos::task::tick().await;
    let img = el
        .query_selector("button[aria-label='Open image'] img")
        .unwrap()
        .unwrap();
    assert_eq!(
        img.get_attribute("src").as_deref(),
        Some("/public/demo/latte-art.svg")
    );
}
