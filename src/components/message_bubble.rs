//! One entry of a thread: a message (incoming left, outgoing right), or a yellow internal
//! comment, with its sender, time and delivery status; unknown content degrades (C2). A
//! quoted message shows above the text and jumps to the original (C4). Its menu (hover on
//! desktop; long-press or double-tap on phones) offers Reply and Copy link (C5); a swipe to
//! the right replies.

use crate::components::markdown_view::MarkdownView;
use crate::components::translation::{TranslationNote, Translator};
use crate::model::media::{download_name, safe_image_url};
use crate::model::thread::Entry;
use crate::model::time::{local_offset, message_time};
use crate::tr;
use crate::ui::gestures::{Gestures, Swipes};
use crate::ui::icons::Icon;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use switchboard_protocol::*;
use wasm_bindgen::JsCast;

/// A sentence in the UI's language holding `data` (a name, a provider's words): the data is
/// marked `translate="no"`, as HTML says for words not to translate.
fn with_data(text: String, data: &str) -> AnyView {
    match text.find(data).filter(|_| !data.is_empty()) {
        Some(start) => {
            let end = start + data.len();
            let (before, data, after) = (
                text[..start].to_owned(),
                text[start..end].to_owned(),
                text[end..].to_owned(),
            );
            view! { {before}<span translate="no">{data}</span>{after} }.into_any()
        }
        None => text.into_any(),
    }
}

/// What the bubble shows, derived from an entry.
struct Shown {
    incoming: bool,
    comment: bool,
    sender: String,
    content: Content,
    at: DateTime<Utc>,
    status: Status,
    reply_to: Option<ReplyPreview>,
    attachments: Vec<Attachment>,
}

#[derive(Clone, PartialEq)]
enum Status {
    None,
    Delivery(DeliveryStatus),
    Pending,
    /// A send that did not reach the server.
    Failed(String),
    /// A stored message its channel's provider did not take (C1), with the reason if known.
    Undelivered(Option<String>),
}

fn shown(entry: &Entry, me: &str) -> Shown {
    match entry {
        Entry::Stored(m) => Shown {
            incoming: m.direction == Direction::Incoming,
            comment: m.kind == MessageKind::Comment,
            sender: m.sender.name.clone(),
            content: m.content.clone(),
            at: m.created_at,
            status: match m.delivery_status {
                Some(DeliveryStatus::Failed) => Status::Undelivered(m.delivery_error.clone()),
                status => status.map_or(Status::None, Status::Delivery),
            },
            reply_to: m.reply_to.clone(),
            attachments: m.attachments.clone(),
        },
        Entry::Pending {
            send, at, failed, ..
        } => Shown {
            incoming: false,
            comment: send.kind == MessageKind::Comment,
            sender: me.to_owned(),
            content: match &send.template {
                Some(template) => Content::Template {
                    name: template.name.clone(),
                    language: template.language.clone(),
                    variables: Vec::new(),
                    values: template.values.clone(),
                    text: send.text.clone(),
                },
                None => Content::Text {
                    text: send.text.clone(),
                },
            },
            at: *at,
            status: failed.clone().map_or(Status::Pending, Status::Failed),
            reply_to: send.reply_to.clone(),
            attachments: send.attachments.clone(),
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
    /// Reply to this message (offered for stored messages, not comments or pending sends).
    #[prop(optional, into)]
    on_reply: Option<Callback<ReplyPreview>>,
    /// Copy a link to this entry.
    #[prop(optional, into)]
    on_link: Option<Callback<MessageId>>,
    /// Draft a reply to this incoming message with AI Assist (K9).
    #[prop(optional, into)]
    on_assist: Option<Callback<MessageId>>,
    /// Bring a quoted message into view.
    #[prop(optional, into)]
    on_jump: Option<Callback<MessageId>>,
    /// Say which channel a message went through (the contact has several, K2).
    #[prop(optional, into)]
    show_channel: Signal<bool>,
    /// The workspace of the thread: stored e-mails can then fetch their remote images.
    #[prop(optional)]
    workspace: Option<WorkspaceId>,
    /// Translates incoming text messages into the agent's language (C10).
    #[prop(optional)]
    translator: Option<Translator>,
) -> impl IntoView {
    let stored = match &entry {
        Entry::Stored(m) => Some(m.clone()),
        Entry::Pending { .. } => None,
    };
    let dom_id = stored.as_ref().map(|m| format!("m-{}", m.id));
    let reply = stored
        .as_ref()
        .filter(|m| m.kind == MessageKind::Message)
        .and_then(|m| on_reply.map(|cb| (cb, crate::model::reply::quote_of(m))));
    let link = stored.as_ref().and_then(|m| on_link.map(|cb| (cb, m.id)));
    let assist = stored
        .as_ref()
        .filter(|m| m.kind == MessageKind::Message && m.direction == Direction::Incoming)
        .and_then(|m| on_assist.map(|cb| (cb, m.id)));
    let translating = stored
        .as_ref()
        .filter(|m| {
            m.kind == MessageKind::Message
                && m.direction == Direction::Incoming
                && matches!(m.content, Content::Text { .. })
        })
        .and_then(|m| translator.map(|t| (t, m.id)));
    // A message sent translated keeps the agent's own words for colleagues.
    let sent_original = stored.as_ref().and_then(|m| m.original.clone());
    let own_words = RwSignal::new(false);
    let menu_open = RwSignal::new(false);
    let do_reply = reply.clone().map(|(cb, quote)| {
        move || {
            menu_open.set(false);
            cb.run(quote.clone());
        }
    });
    let client_id = match &entry {
        Entry::Pending { client_id, .. } => Some(client_id.clone()),
        Entry::Stored(m) => m.client_id.clone(),
    };
    let channel = stored
        .as_ref()
        .filter(|m| m.kind == MessageKind::Message)
        .map(|m| crate::model::channels::kind_name(m.channel));
    let s = shown(&entry, &me);
    let time = message_time(s.at, Utc::now(), local_offset());
    let files_only = matches!(&s.content, Content::Text { text } if text.trim().is_empty());
    let body = match s.content {
        Content::Text { text } => match (translating, sent_original.clone()) {
            (Some((translator, id)), _) => (move || {
                let text = translator.shown(id).unwrap_or_else(|| text.clone());
                view! { <MarkdownView text=text/> }
            })
            .into_any(),
            (None, Some(original)) => (move || {
                let text = if own_words.get() { original.clone() } else { text.clone() };
                view! { <MarkdownView text=text/> }
            })
            .into_any(),
            (None, None) => view! { <MarkdownView text=text/> }.into_any(),
        },
        Content::Template { name, text, .. } => view! {
            <div class="message-template">
                <span class="template-tag">{with_data(tr!("thread-template-tag", name = &name), &name)}</span>
                <MarkdownView text=text/>
            </div>
        }
        .into_any(),
        Content::Image { url, caption } => match safe_image_url(&url).map(str::to_owned) {
            Some(url) => {
                let alt = caption.clone().unwrap_or_else(|| tr!("thread-image"));
                let viewing = RwSignal::new(false);
                view! {
                    <figure class="message-image">
                        <button type="button" class="image-open" aria-label=tr!("thread-image-open") on:click=move |_| viewing.set(true)>
                            <img src=url.clone() alt=alt.clone() translate=caption.is_some().then_some("no") loading="lazy"/>
                        </button>
                        {caption.clone().map(|c| view! { <figcaption><MarkdownView text=c/></figcaption> })}
                        <Show when=move || viewing.get()>
                            <ImageViewer url=url.clone() alt=alt.clone() open=viewing/>
                        </Show>
                    </figure>
                }
                .into_any()
            }
            None => view! { <p class="message-fallback">{tr!("thread-image-unavailable")}</p> }.into_any(),
        },
        Content::Email {
            subject,
            text,
            html,
            remote_images,
        } => {
            let source = workspace.zip(stored.as_ref().map(|m| m.id));
            view! { <EmailBody subject=subject text=text html=html remote_images=remote_images source=source/> }
                .into_any()
        }
        Content::Unsupported { .. } | Content::Unknown => {
            view! { <p class="message-fallback">{tr!("thread-unsupported")}</p> }.into_any()
        }
        Content::CustomPayload { .. } => {
            view! { <p class="message-fallback">{tr!("thread-custom-payload")}</p> }.into_any()
        }
    };
    let files = (!s.attachments.is_empty()).then(|| {
        view! {
            <ul class="message-files" aria-label=tr!("thread-files")>
                {s.attachments.iter().map(|a| view! { <li><AttachmentView attachment=a.clone()/></li> }).collect_view()}
            </ul>
        }
    });
    // A message of files only has no text to show.
    let body = (!(files_only && files.is_some())).then_some(body);
    let undelivered = matches!(s.status, Status::Failed(_) | Status::Undelivered(_));
    let status = match s.status.clone() {
        Status::None => None,
        Status::Pending => Some(view! {
            <span class="message-status pending" role="img" aria-label=tr!("thread-status-sending") title=tr!("thread-status-sending-title")><Icon name="clock"/></span>
        }.into_any()),
        Status::Delivery(DeliveryStatus::Pending) => Some(view! {
            <span class="message-status pending" role="img" aria-label=tr!("thread-status-pending") title=tr!("thread-status-pending")><Icon name="clock"/></span>
        }.into_any()),
        Status::Delivery(DeliveryStatus::Sent) => Some(view! {
            <span class="message-status sent" role="img" aria-label=tr!("thread-status-sent") title=tr!("thread-status-sent")><Icon name="check"/></span>
        }.into_any()),
        Status::Delivery(DeliveryStatus::Delivered) => Some(view! {
            <span class="message-status delivered" role="img" aria-label=tr!("thread-status-delivered") title=tr!("thread-status-delivered")><Icon name="double-check"/></span>
        }.into_any()),
        Status::Delivery(DeliveryStatus::Read) => Some(view! {
            <span class="message-status read" role="img" aria-label=tr!("thread-status-read") title=tr!("thread-status-read")><Icon name="double-check"/></span>
        }.into_any()),
        Status::Delivery(DeliveryStatus::Failed) => Some(view! {
            <span class="message-status failed" role="img" aria-label=tr!("thread-status-failed") title=tr!("thread-status-failed")><Icon name="alert"/></span>
        }.into_any()),
        Status::Failed(_) | Status::Undelivered(_) => {
            // A provider's reason is its own words (`translate="no"`); a send's is the app's.
            let (said, provider_reason) = match s.status {
                Status::Undelivered(Some(reason)) => {
                    (tr!("thread-not-delivered", reason = &reason), reason)
                }
                Status::Undelivered(None) => (tr!("thread-not-delivered-refused"), String::new()),
                Status::Failed(reason) => (tr!("thread-not-sent", reason = reason), String::new()),
                _ => (String::new(), String::new()),
            };
            let retry = move |_| {
                if let (Some(on_retry), Some(id)) = (on_retry, client_id.clone()) {
                    on_retry.run(id);
                }
            };
            Some(view! {
                <span class="message-status failed" role="alert">
                    <Icon name="alert"/>
                    <span>{with_data(said, &provider_reason)}</span>
                    <button type="button" class="link-button" on:click=retry>{tr!("thread-retry")}</button>
                </span>
            }.into_any())
        }
    };
    let quote = s.reply_to.map(|q| {
        let target = q.id;
        view! {
            <button
                type="button"
                class="message-quote"
                class:quote-incoming=q.direction == Direction::Incoming
                aria-label=tr!("thread-quoted-from", name = &q.sender_name)
                on:click=move |_| {
                    if let Some(jump) = on_jump {
                        jump.run(target);
                    }
                }
            >
                <span class="quote-sender" translate="no">{q.sender_name.clone()}</span>
                <span class="quote-text" translate="no">{q.text.clone()}</span>
            </button>
        }
    });
    let translation_note = match (translating, sent_original) {
        (Some((translator, id)), _) => {
            Some(view! { <TranslationNote translator=translator id=id/> }.into_any())
        }
        (None, Some(_)) => Some(
            view! {
                <p class="translation-note">
                    <span>{move || if own_words.get() { tr!("thread-own-words") } else { tr!("thread-sent-translated") }}</span>
                    <button type="button" class="link-button" on:click=move |_| own_words.update(|o| *o = !*o)>
                        {move || if own_words.get() { tr!("thread-view-sent") } else { tr!("thread-view-own-words") }}
                    </button>
                </p>
            }
            .into_any(),
        ),
        (None, None) => None,
    };
    let has_menu = reply.is_some() || link.is_some() || assist.is_some() || translating.is_some();
    let touch = Gestures::new(Swipes {
        right: do_reply
            .clone()
            .map(|r| std::rc::Rc::new(r) as std::rc::Rc<dyn Fn()>),
        left: None,
        press: Some(std::rc::Rc::new(move || menu_open.set(true))),
        drag: None,
    });
    view! {
        <article
            class="message"
            class:incoming=s.incoming
            class:outgoing={!s.incoming}
            class:comment=s.comment
            class:undelivered=undelivered
            class:menu-open=move || menu_open.get()
            data-key=entry.key()
            id=dom_id
            on:dblclick=move |_| {
                if has_menu {
                    menu_open.update(|o| *o = !*o);
                }
            }
            on:touchstart=touch.start()
            on:touchmove=touch.moved()
            on:touchend=touch.end()
        >
            <div class="message-bubble">
                <header class="message-sender">
                    <span translate="no">{s.sender}</span>
                    {s.comment.then(|| view! { <span class="comment-tag">{tr!("thread-internal-comment")}</span> })}
                </header>
                {quote}
                {body}
                {translation_note}
                {files}
                <footer class="message-meta">
                    <time datetime=s.at.to_rfc3339()>{time}</time>
                    {move || channel.clone().filter(|_| show_channel.get()).map(|label| view! {
                        <span class="message-channel">{tr!("thread-via-channel", channel = label)}</span>
                    })}
                    {status}
                </footer>
            </div>
            {has_menu.then(|| view! {
                <div class="message-actions" role="menu" aria-label=tr!("thread-message-actions")>
                    {do_reply.clone().map(|reply| view! {
                        <button type="button" role="menuitem" class="icon-button small" aria-label=tr!("thread-reply") title=tr!("thread-reply") on:click=move |_| reply()>
                            <Icon name="reply"/>
                        </button>
                    })}
                    {assist.map(|(cb, id)| view! {
                        <button
                            type="button"
                            role="menuitem"
                            class="icon-button small"
                            aria-label=tr!("composer-ai-reply-with")
                            title=tr!("composer-ai-reply-with")
                            on:click=move |_| {
                                menu_open.set(false);
                                cb.run(id);
                            }
                        >
                            <Icon name="sparkles"/>
                        </button>
                    })}
                    {translating.map(|(translator, id)| view! {
                        <button
                            type="button"
                            role="menuitem"
                            class="icon-button small"
                            aria-label=move || if translator.shown(id).is_some() { tr!("thread-view-original") } else { tr!("thread-translate") }
                            title=move || if translator.shown(id).is_some() { tr!("thread-view-original") } else { tr!("thread-translate") }
                            on:click=move |_| {
                                menu_open.set(false);
                                translator.toggle(id);
                            }
                        >
                            <Icon name="translate"/>
                        </button>
                    })}
                    {link.map(|(cb, id)| view! {
                        <button
                            type="button"
                            role="menuitem"
                            class="icon-button small"
                            aria-label=tr!("thread-copy-link")
                            title=tr!("thread-copy-link")
                            on:click=move |_| {
                                menu_open.set(false);
                                cb.run(id);
                            }
                        >
                            <Icon name="link"/>
                        </button>
                    })}
                </div>
            })}
        </article>
    }
}

/// A file sent with a message (K3): a picture opens in the viewer, anything else is a link
/// that downloads it under its name.
#[component]
fn AttachmentView(attachment: Attachment) -> impl IntoView {
    let Some(url) = safe_image_url(&attachment.url).map(str::to_owned) else {
        return view! { <p class="message-fallback">{with_data(tr!("thread-file-unavailable", name = &attachment.name), &attachment.name)}</p> }
            .into_any();
    };
    let size = file_size(attachment.size);
    if attachment.is_image() {
        let viewing = RwSignal::new(false);
        let name = attachment.name.clone();
        return view! {
            <button type="button" class="image-open" aria-label=tr!("thread-image-open-named", name = &attachment.name) on:click=move |_| viewing.set(true)>
                <img src=url.clone() alt=attachment.name.clone() translate="no" loading="lazy"/>
            </button>
            <Show when=move || viewing.get()>
                <ImageViewer url=url.clone() alt=name.clone() open=viewing name=name.clone()/>
            </Show>
        }
        .into_any();
    }
    if attachment.content_type.starts_with("audio/")
        || attachment.content_type.starts_with("video/")
    {
        return view! { <MediaAttachment url=url attachment=attachment/> }.into_any();
    }
    view! {
        <a class="file-chip" href=url download=attachment.name.clone() title=tr!("thread-download-named", name = &attachment.name)>
            <Icon name="file"/>
            <span class="file-name" translate="no">{attachment.name.clone()}</span>
            <span class="file-size">{size}</span>
        </a>
    }
    .into_any()
}

/// A voice or video file (K4): played in place, at a chosen speed, and downloadable.
#[component]
fn MediaAttachment(url: String, attachment: Attachment) -> impl IntoView {
    let audio = NodeRef::<leptos::html::Audio>::new();
    let video = NodeRef::<leptos::html::Video>::new();
    let is_video = attachment.content_type.starts_with("video/");
    let player = if is_video {
        view! { <video controls playsinline preload="metadata" src=url.clone() node_ref=video></video> }.into_any()
    } else {
        view! { <audio controls preload="metadata" src=url.clone() node_ref=audio></audio> }
            .into_any()
    };
    let set_speed = move |rate: f64| {
        if let Some(el) = audio.get_untracked() {
            el.set_playback_rate(rate);
        }
        if let Some(el) = video.get_untracked() {
            el.set_playback_rate(rate);
        }
    };
    view! {
        <div class="media-attachment">
            {player}
            <div class="media-controls">
                <select aria-label=tr!("thread-playback-speed") on:change=move |ev| {
                    if let Ok(rate) = event_target_value(&ev).parse::<f64>() {
                        set_speed(rate);
                    }
                }>
                    {crate::model::recording::SPEEDS.iter().map(|(rate, label)| view! {
                        <option value=rate.to_string() selected=*rate == 1.0>{*label}</option>
                    }).collect_view()}
                </select>
                <a href=url.clone() download=attachment.name.clone() title=tr!("thread-download-named", name = &attachment.name)>
                    {tr!("thread-download-size", size = file_size(attachment.size))}
                </a>
            </div>
        </div>
    }
}

/// "820 B", "14 KB", "3.2 MB" ("3,2 МБ" in Russian).
pub fn file_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        tr!("thread-size-bytes", bytes = bytes)
    } else if b < KB * KB {
        tr!("thread-size-kb", kb = (b / KB).round() as u64)
    } else {
        let tenths = (b / (KB * KB) * 10.0).round() as u64;
        tr!("thread-size-mb", whole = tenths / 10, tenth = tenths % 10)
    }
}

/// The image viewer (C3): the picture at full size over the thread, with Download, Share
/// (the device's share sheet where there is one, else the link is copied) and Close; Escape
/// or a click beside the picture closes it.
#[component]
fn ImageViewer(
    url: String,
    alt: String,
    open: RwSignal<bool>,
    /// The file's name for Download (else taken from the address).
    #[prop(optional)]
    name: Option<String>,
) -> impl IntoView {
    let file_name = name.unwrap_or_else(|| download_name(&url));
    let shared = RwSignal::new(None::<String>);
    // The viewer takes the focus, so Escape reaches it and Tab stays in it.
    let close_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = close_button.get() {
            let _ = button.focus();
        }
    });
    let share_url = url.clone();
    let share = move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let absolute =
            web_sys::Url::new_with_base(&share_url, &window.location().href().unwrap_or_default())
                .map(|u| u.href())
                .unwrap_or_else(|_| share_url.clone());
        let navigator = window.navigator();
        let share_fn = js_sys::Reflect::get(&navigator, &"share".into()).ok();
        if let Some(share_fn) = share_fn.and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
            let data = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&data, &"url".into(), &absolute.clone().into());
            let _ = share_fn.call1(&navigator, &data);
            return;
        }
        let clipboard = navigator.clipboard();
        leptos::task::spawn_local(async move {
            let copied =
                wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&absolute)).await;
            shared.set(Some(if copied.is_ok() {
                tr!("thread-link-copied")
            } else {
                tr!("thread-copy-from-download")
            }));
        });
    };
    view! {
        <div
            class="image-viewer"
            role="dialog"
            aria-modal="true"
            aria-label=tr!("thread-image")
            tabindex="-1"
            on:click=move |_| open.set(false)
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    open.set(false);
                }
            }
        >
            <img src=url.clone() alt=alt on:click=|ev| ev.stop_propagation()/>
            <div class="image-viewer-bar" on:click=|ev| ev.stop_propagation()>
                <a class="button subtle" href=url.clone() download=file_name>{tr!("thread-download")}</a>
                <button type="button" class="button subtle" on:click=share>{tr!("thread-share")}</button>
                <button type="button" class="button primary" node_ref=close_button on:click=move |_| open.set(false)>{tr!("thread-close")}</button>
                {move || shared.get().map(|text| view! { <span class="image-viewer-note" role="status">{text}</span> })}
            </div>
        </div>
    }
}

/// The frame's own type: the app's font, readable margins (styles are allowed, scripts not).
const EMAIL_FRAME_STYLE: &str = "<style>body{margin:10px;font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1f24;overflow-wrap:anywhere}img{max-width:100%}</style>";

/// Where an e-mail's remote images are (they load only when the agent asks).
#[derive(Clone, Debug, PartialEq)]
enum Images {
    HeldBack,
    Loading,
    Loaded { failed: u32 },
    Failed(String),
}

/// An e-mail in the thread (C9): its subject, its new text with the quoted history folded,
/// and — on request — its formatting: the HTML the server sanitized, shown in a frame
/// sandboxed without scripts, forms or same-origin access (links open in a new tab). Remote
/// images stay unloaded until the agent asks; the server then fetches them and the frame
/// shows them inline, so the sender never sees the agent's browser.
#[component]
fn EmailBody(
    subject: String,
    text: String,
    html: Option<String>,
    remote_images: bool,
    /// The stored e-mail's workspace and id, to fetch its remote images.
    source: Option<(WorkspaceId, MessageId)>,
) -> impl IntoView {
    let split = crate::model::email::split(&text);
    let formatted = RwSignal::new(false);
    let has_html = html.is_some();
    let can_load = source.is_some()
        && html
            .as_deref()
            .is_some_and(crate::model::email::has_remote_images);
    let shown = RwSignal::new(html.as_deref().map(crate::model::email::hold_back_images));
    let images = RwSignal::new(Images::HeldBack);
    let load = move |_| {
        let Some((workspace, id)) = source else {
            return;
        };
        images.set(Images::Loading);
        leptos::task::spawn_local(async move {
            match crate::api::remote_images(workspace, id).await {
                Ok(loaded) => {
                    shown.set(Some(loaded.html));
                    formatted.set(true);
                    images.set(Images::Loaded {
                        failed: loaded.failed,
                    });
                }
                Err(error) => images.set(Images::Failed(error.to_string())),
            }
        });
    };
    let text_view = move || {
        let split = split.clone();
        view! {
            <p class="email-text" translate="no">{split.fresh}</p>
            {split.quoted.map(|quoted| view! {
                <details class="email-quoted">
                    <summary>{tr!("thread-email-show-quoted")}</summary>
                    <p class="email-text" translate="no">{quoted}</p>
                </details>
            })}
        }
    };
    let note = move || {
        match images.get() {
        Images::HeldBack if can_load => view! {
            <p class="email-note">
                {tr!("thread-email-images-held")}
                " "
                <button type="button" class="link-button" on:click=load>{tr!("thread-email-load-images")}</button>
            </p>
        }
        .into_any(),
        Images::HeldBack => view! {
            <p class="email-note">{tr!("thread-email-images-not-loaded")}</p>
        }
        .into_any(),
        Images::Loading => view! { <p class="email-note" aria-live="polite">{tr!("thread-email-loading-images")}</p> }.into_any(),
        Images::Loaded { failed: 0 } => ().into_any(),
        Images::Loaded { failed } => view! {
            <p class="email-note" aria-live="polite">
                {tr!("thread-email-images-failed-count", count = failed)}
            </p>
        }
        .into_any(),
        Images::Failed(reason) => view! {
            <p class="email-note" role="alert">
                {tr!("thread-email-images-failed", reason = reason)}
                " "
                <button type="button" class="link-button" on:click=load>{tr!("thread-email-try-again")}</button>
            </p>
        }
        .into_any(),
    }
    };
    view! {
        <div class="email">
            {(!subject.trim().is_empty()).then(|| view! { <p class="email-subject" translate="no">{subject.clone()}</p> })}
            <Show when=move || formatted.get() fallback=text_view>
                <iframe
                    class="email-html"
                    title=tr!("thread-email-frame-title")
                    sandbox="allow-popups allow-popups-to-escape-sandbox"
                    referrerpolicy="no-referrer"
                    srcdoc=move || shown.get().map(|h| format!("{EMAIL_FRAME_STYLE}{h}")).unwrap_or_default()
                ></iframe>
            </Show>
            {has_html.then(|| view! {
                <button type="button" class="email-toggle" on:click=move |_| formatted.update(|f| *f = !*f)>
                    {move || if formatted.get() { tr!("thread-email-show-plain") } else { tr!("thread-email-show-formatting") }}
                </button>
            })}
            {remote_images.then_some(note)}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::file_size;
    use crate::i18n::{Lang, set_lang};

    #[test]
    fn file_sizes_read_in_the_language_in_use() {
        assert_eq!(file_size(820), "820 B");
        assert_eq!(file_size(14 * 1024), "14 KB");
        assert_eq!(file_size(3_355_443), "3.2 MB");
        set_lang(Lang::Ru);
        let (bytes, megabytes) = (file_size(820), file_size(3_355_443));
        set_lang(Lang::En);
        assert_eq!(bytes, "820 Б");
        assert_eq!(megabytes, "3,2 МБ");
    }
}
