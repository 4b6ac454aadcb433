//! The composer: message or internal comment (K1), Enter to send, Shift+Enter for a new line.
//! The text is checked with the same rule as the server before it leaves. A reply's quote
//! (C4) shows above the field: colour-coded, one line, tap to see the original, × to cancel.
//! `$` inserts a variable (K6), filled in at send time; in a comment, `@` mentions a member
//! (K7); `/` inserts a saved reply (K5), previewed with this conversation's values before it
//! is chosen. Drafts are kept per conversation (K12). Typing is announced to the other agents
//! (C7) through `on_typing`.

use super::attachments::{AttachButton, FileChips};
use super::recorder::Recorder;
use super::templates::TemplateDialog;
use crate::components::picker::{Choice, Picker};
use crate::model::attachments::PendingFiles;
use crate::model::compose::{self, Trigger, VARIABLES, Values, variable_label};
use crate::model::reply::preview_title;
use crate::model::thread::Outgoing;
use crate::model::typing::{Announce, Announcer};
use crate::tr;
use crate::ui::icons::Icon;
use leptos::html;
use leptos::prelude::*;
use switchboard_protocol::settings::Snippet;
use switchboard_protocol::validation;
use switchboard_protocol::{ChannelId, Direction, MessageId, MessageKind, ReplyPreview, UserId};

/// A JavaScript (UTF-16) offset into `text` as a byte offset.
fn byte_offset(text: &str, utf16: u32) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 as usize {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn utf16_offset(text: &str, byte: usize) -> u32 {
    text.get(..byte)
        .map_or(0, |t| t.encode_utf16().count() as u32)
}

fn load_draft(key: &str) -> Option<String> {
    crate::state::local_storage()?.get_item(key).ok()?
}

/// Keeps a draft, or forgets it once empty.
fn save_draft(key: &str, text: &str) {
    if let Some(storage) = crate::state::local_storage() {
        let _ = if text.is_empty() {
            storage.remove_item(key)
        } else {
            storage.set_item(key, text)
        };
    }
}

/// Why a text cannot be sent, in the language in use.
fn text_error(error: &validation::MessageTextError) -> String {
    match error {
        validation::MessageTextError::TooLong { chars } => tr!(
            "composer-text-too-long",
            chars = *chars,
            limit = validation::MAX_MESSAGE_CHARS
        ),
        validation::MessageTextError::ControlCharacter => tr!("composer-text-control"),
        validation::MessageTextError::Empty => tr!("composer-text-empty"),
    }
}

/// The variables whose key or name has a word starting with what was typed after `$`.
fn matching_variables(filter: &str) -> impl Iterator<Item = (&'static str, String)> + '_ {
    VARIABLES
        .iter()
        .map(|key| (*key, variable_label(key)))
        .filter(move |(key, label)| {
            compose::matches_filter(key, filter) || compose::matches_filter(label, filter)
        })
}

/// A snippet's files go with its text (T3): copies are made for this member to send, shown
/// as uploading until they are ready.
fn attach_snippet_files(
    workspace: switchboard_protocol::WorkspaceId,
    snippet: &Snippet,
    files: RwSignal<PendingFiles>,
    error: RwSignal<Option<String>>,
) {
    if snippet.files.is_empty() {
        return;
    }
    let described: Vec<(String, u64)> = snippet
        .files
        .iter()
        .map(|f| (f.name.clone(), f.size))
        .collect();
    let (accepted, refused) = files.try_update(|f| f.add(&described)).unwrap_or_default();
    if let Some(refusals) = crate::model::attachments::refusals(&refused) {
        error.set(Some(refusals));
    }
    if accepted.is_empty() {
        return;
    }
    let id = snippet.id;
    leptos::task::spawn_local(async move {
        match crate::api::copy_snippet_files(workspace, id).await {
            Ok(copies) => files.update(|f| {
                for (key, index) in &accepted {
                    match copies.get(*index) {
                        Some(copy) => f.uploaded(*key, copy.clone()),
                        None => f.failed(*key, tr!("composer-snippet-file-gone")),
                    }
                }
            }),
            Err(e) => files.update(|f| {
                for (key, _) in &accepted {
                    f.failed(*key, e.to_string());
                }
            }),
        }
    });
}

/// The snippets whose name or text has a word starting with what was typed after `/`.
fn matching_snippets<'a>(all: &'a [Snippet], filter: &'a str) -> impl Iterator<Item = &'a Snippet> {
    all.iter().filter(move |snippet| {
        compose::matches_filter(&snippet.name, filter)
            || compose::matches_filter(&snippet.text, filter)
    })
}

#[component]
pub fn Composer(
    /// Where files are uploaded.
    workspace: switchboard_protocol::WorkspaceId,
    /// What an AI summary summarises (K10).
    conversation: switchboard_protocol::ConversationId,
    /// A message to answer with AI Assist, asked for from its menu (K9).
    #[prop(optional)]
    assist: Option<RwSignal<Option<MessageId>>>,
    /// A send (its quote is the owner's to add).
    on_send: Callback<Outgoing>,
    /// The message the next send quotes; the composer clears it on cancel.
    reply: RwSignal<Option<ReplyPreview>>,
    on_jump: Callback<MessageId>,
    /// The contact's name, for the quote's title.
    #[prop(into)]
    contact: Signal<String>,
    /// Where this conversation's draft is kept, so it survives a reload (K12).
    draft_key: String,
    /// Members who can be mentioned: id and name.
    #[prop(into)]
    members: Signal<Vec<(UserId, String)>>,
    /// The workspace's saved replies.
    #[prop(into)]
    snippets: Signal<Vec<Snippet>>,
    /// What variables become in this conversation.
    #[prop(into)]
    values: Signal<Values>,
    /// Typing started, renewed or stopped (C7).
    on_typing: Callback<Announce>,
    /// Why messages cannot be sent here now (a channel's reply window closed); comments can.
    #[prop(optional, into)]
    window_closed: Signal<Option<String>>,
    /// For channels whose messages carry a subject (e-mail, C9): the one an answer starts
    /// with ("Re: …"), which the agent may change.
    #[prop(optional, into)]
    subject_default: Signal<Option<String>>,
    /// The WhatsApp channel whose approved templates can be sent now (its window closed).
    #[prop(optional, into)]
    templates_channel: Signal<Option<ChannelId>>,
    /// Shown beside the message/comment toggle while writing a message (the channel
    /// switcher, K2).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let template_open = RwSignal::new(false);
    let subject = RwSignal::new(String::new());
    let subject_edited = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(default) = subject_default.get()
            && !subject_edited.get_untracked()
        {
            subject.set(default);
        }
    });
    let field = NodeRef::<html::Textarea>::new();
    let open_picker = RwSignal::new(None::<(Trigger, usize)>);
    let active = RwSignal::new(0usize);
    let picked = StoredValue::new(Vec::<(UserId, String)>::new());
    let text = RwSignal::new(load_draft(&draft_key).unwrap_or_default());
    let key = StoredValue::new(draft_key);
    Effect::new(move |_| {
        let draft = text.get();
        key.with_value(|k| save_draft(k, &draft));
    });
    let kind = RwSignal::new(MessageKind::Message);
    // The agent's own words when the draft was replaced by its translation (C10).
    let original = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if text.with(|t| t.trim().is_empty()) {
            original.set(None);
        }
    });
    let announcer = StoredValue::new(Announcer::default());
    let typed = move || {
        let now = js_sys::Date::now();
        let announce = text.with_untracked(|t| {
            announcer
                .try_update_value(|a| a.edited(t, kind.get_untracked(), now))
                .flatten()
        });
        if let Some(announce) = announce {
            on_typing.run(announce);
        }
    };
    let error = RwSignal::new(None::<String>);
    let files = RwSignal::new(PendingFiles::default());
    let is_comment = move || kind.get() == MessageKind::Comment;
    // Messages wait for the contact to write again; comments are internal and always go.
    let blocked = move || !is_comment() && window_closed.with(Option::is_some);
    let send = move || {
        if kind.get_untracked() == MessageKind::Message
            && window_closed.with_untracked(Option::is_some)
        {
            return;
        }
        let attachments = match files.with_untracked(PendingFiles::ready) {
            Ok(ready) => ready,
            Err(not_ready) => {
                error.set(Some(not_ready.to_string()));
                return;
            }
        };
        let draft = text.get_untracked();
        let filled = match compose::fill(&draft, &values.get_untracked()) {
            Ok(filled) => filled,
            Err(e) => {
                error.set(Some(e.to_string()));
                return;
            }
        };
        let valid = match validation::message_text(&filled) {
            Ok(valid) => valid.to_owned(),
            // Files may go without words.
            Err(validation::MessageTextError::Empty) if !attachments.is_empty() => String::new(),
            Err(validation::MessageTextError::Empty) => return,
            Err(e) => {
                error.set(Some(text_error(&e)));
                return;
            }
        };
        let kind = kind.get_untracked();
        let mentions = if kind == MessageKind::Comment {
            picked.with_value(|p| compose::mentioned(&valid, p))
        } else {
            Vec::new()
        };
        let email = kind == MessageKind::Message && subject_default.with_untracked(Option::is_some);
        let subject = email
            .then(|| subject.get_untracked().trim().to_owned())
            .filter(|s| !s.is_empty());
        on_send.run(Outgoing {
            kind,
            text: valid,
            reply_to: None,
            mentions,
            attachments,
            subject,
            channel: None,
            template: None,
            original: (kind == MessageKind::Message)
                .then(|| original.get_untracked())
                .flatten(),
        });
        if let Some(announce) = announcer.try_update_value(Announcer::stopped).flatten() {
            on_typing.run(announce);
        }
        text.set(String::new());
        files.update(PendingFiles::clear);
        picked.set_value(Vec::new());
        open_picker.set(None);
        error.set(None);
    };
    // The picker's choices for what is typed after `@` or `$`.
    let choices = Memo::new(move |_| match open_picker.get() {
        Some((Trigger::Mention { filter, .. }, _)) => members
            .get()
            .into_iter()
            .filter(|(_, name)| compose::matches_filter(name, &filter))
            .map(|(_, name)| Choice {
                label: name,
                hint: tr!("composer-hint-mention"),
            })
            .collect(),
        Some((Trigger::Snippet { filter, .. }, _)) => {
            let values = values.get();
            snippets.with(|all| {
                matching_snippets(all, &filter)
                    .map(|snippet| {
                        let first = snippet.text.lines().next().unwrap_or_default();
                        Choice {
                            label: format!("/{}", snippet.name),
                            hint: compose::fill(first, &values)
                                .unwrap_or_else(|_| first.to_owned()),
                        }
                    })
                    .collect()
            })
        }
        Some((Trigger::Variable { filter, .. }, _)) => {
            let values = values.get();
            matching_variables(&filter)
                .map(|(key, label)| Choice {
                    label,
                    hint: {
                        let value =
                            compose::fill(&format!("{{{{{key}|}}}}"), &values).unwrap_or_default();
                        if value.is_empty() {
                            tr!("composer-hint-empty")
                        } else {
                            value
                        }
                    },
                })
                .collect()
        }
        None => Vec::new(),
    });
    let choose = Callback::new(move |i: usize| {
        let Some((trigger, caret)) = open_picker.get_untracked() else {
            return;
        };
        let insert = match &trigger {
            Trigger::Mention { filter, .. } => {
                let Some((id, name)) = members
                    .get_untracked()
                    .into_iter()
                    .filter(|(_, name)| compose::matches_filter(name, filter))
                    .nth(i)
                else {
                    return;
                };
                picked.update_value(|p| p.push((id, name.clone())));
                format!("@{name} ")
            }
            Trigger::Snippet { filter, .. } => {
                let Some(snippet) =
                    snippets.with_untracked(|all| matching_snippets(all, filter).nth(i).cloned())
                else {
                    return;
                };
                attach_snippet_files(workspace, &snippet, files, error);
                snippet.text
            }
            Trigger::Variable { filter, .. } => {
                let Some((key, _)) = matching_variables(filter).nth(i) else {
                    return;
                };
                format!("{{{{{key}}}}} ")
            }
        };
        let at = trigger.at();
        let (new_text, new_caret) =
            compose::replace_trigger(&text.get_untracked(), at, caret, &insert);
        let caret16 = utf16_offset(&new_text, new_caret);
        text.set(new_text);
        open_picker.set(None);
        request_animation_frame(move || {
            if let Some(el) = field.get_untracked() {
                let _ = el.focus();
                let _ = el.set_selection_range(caret16, caret16);
            }
        });
    });
    // The active snippet's whole text, as it will read in this conversation (K5).
    let snippet_preview = Signal::derive(move || {
        let Some((Trigger::Snippet { filter, .. }, _)) = open_picker.get() else {
            return None;
        };
        let snippet =
            snippets.with(|all| matching_snippets(all, &filter).nth(active.get()).cloned())?;
        let text = compose::fill(&snippet.text, &values.get()).unwrap_or(snippet.text);
        // Its files are named under the text, so the agent knows what goes with it.
        Some(if snippet.files.is_empty() {
            text
        } else {
            let names: Vec<&str> = snippet.files.iter().map(|f| f.name.as_str()).collect();
            let files = tr!(
                "composer-snippet-files",
                count = names.len(),
                names = names.join(", ")
            );
            format!("{text}\n\n📎 {files}")
        })
    });
    // Looks for a trigger before the caret after every edit or caret move.
    let look = move || {
        let Some(el) = field.get_untracked() else {
            return;
        };
        let value = el.value();
        let caret = byte_offset(&value, el.selection_start().ok().flatten().unwrap_or(0));
        let found = compose::trigger(&value, caret).filter(|t| match t {
            Trigger::Mention { .. } => kind.get_untracked() == MessageKind::Comment,
            Trigger::Variable { .. } | Trigger::Snippet { .. } => true,
        });
        if found.as_ref().map(|t| (t.clone(), caret)) != open_picker.get_untracked() {
            active.set(0);
        }
        open_picker.set(found.map(|t| (t, caret)));
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if open_picker.with_untracked(Option::is_some) {
            let count = choices.with_untracked(Vec::len);
            match ev.key().as_str() {
                "ArrowDown" if count > 0 => {
                    ev.prevent_default();
                    active.update(|a| *a = (*a + 1) % count);
                    return;
                }
                "ArrowUp" if count > 0 => {
                    ev.prevent_default();
                    active.update(|a| *a = (*a + count - 1) % count);
                    return;
                }
                "Enter" | "Tab" if count > 0 => {
                    ev.prevent_default();
                    choose.run(active.get_untracked());
                    return;
                }
                "Escape" => {
                    ev.prevent_default();
                    open_picker.set(None);
                    return;
                }
                _ => {}
            }
        }
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            send();
        }
    };
    view! {
        <form
            class="composer"
            class:comment-mode=is_comment
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                send();
            }
        >
            <div class="composer-top">
            <div class="composer-modes" role="radiogroup" aria-label=tr!("composer-mode-group")>
                <button
                    type="button"
                    role="radio"
                    class="mode"
                    class:active=move || !is_comment()
                    aria-checked=move || (!is_comment()).to_string()
                    on:click=move |_| {
                        kind.set(MessageKind::Message);
                        typed();
                    }
                >
                    <Icon name="message"/>
                    {tr!("composer-mode-message")}
                </button>
                <button
                    type="button"
                    role="radio"
                    class="mode"
                    class:active=is_comment
                    aria-checked=move || is_comment().to_string()
                    on:click=move |_| {
                        kind.set(MessageKind::Comment);
                        typed();
                    }
                >
                    <Icon name="comment"/>
                    {tr!("composer-mode-comment")}
                </button>
            </div>
            <div class="composer-extra" hidden=is_comment>
                {children.map(|children| children())}
            </div>
            </div>
            {move || reply.get().map(|q| {
                let target = q.id;
                view! {
                    <div class="reply-preview" class:quote-incoming=q.direction == Direction::Incoming>
                        <button type="button" class="reply-preview-body" on:click=move |_| on_jump.run(target) title=tr!("composer-show-original")>
                            <span class="quote-sender">{preview_title(&q, &contact.get())}</span>
                            <span class="quote-text">{q.text.clone()}</span>
                        </button>
                        <button type="button" class="icon-button small" aria-label=tr!("composer-cancel-reply") on:click=move |_| reply.set(None)>
                            <Icon name="x"/>
                        </button>
                    </div>
                }
            })}
            <Show when=move || open_picker.with(Option::is_some)>
                <Picker
                    title=match open_picker.get_untracked() {
                        Some((Trigger::Mention { .. }, _)) => tr!("composer-picker-mention"),
                        Some((Trigger::Snippet { .. }, _)) => tr!("composer-picker-snippet"),
                        _ => tr!("composer-picker-variable"),
                    }
                    choices=choices
                    active=active
                    on_choose=choose
                    preview=snippet_preview
                />
            </Show>
            <Show when=blocked>
                <div class="composer-notice" role="status">
                    <Icon name="clock"/>
                    <span>{move || window_closed.get().unwrap_or_default()}</span>
                    {move || templates_channel.get().map(|_| view! {
                        <button type="button" class="button subtle template-button" on:click=move |_| template_open.set(true)>
                            {tr!("composer-send-template")}
                        </button>
                    })}
                </div>
            </Show>
            {move || templates_channel.get().filter(|_| template_open.get()).map(|channel| view! {
                <TemplateDialog workspace=workspace channel=channel on_send=on_send open=template_open/>
            })}
            <Show when=move || !is_comment() && subject_default.with(Option::is_some)>
                <input
                    class="composer-subject"
                    name="subject"
                    type="text"
                    maxlength="250"
                    placeholder=tr!("composer-subject")
                    aria-label=tr!("composer-subject")
                    prop:value=move || subject.get()
                    on:input=move |ev| {
                        subject.set(event_target_value(&ev));
                        subject_edited.set(true);
                    }
                />
            </Show>
            <FileChips files=files/>
            <super::ai::AiTools workspace=workspace conversation=conversation kind=kind text=text error=error assist=assist original=original/>
            <div class="composer-row">
                <AttachButton workspace=workspace files=files error=error/>
                <Recorder workspace=workspace files=files error=error/>
                <textarea
                    node_ref=field
                    name="message"
                    rows="1"
                    placeholder=move || if is_comment() { tr!("composer-placeholder-comment") } else { tr!("composer-placeholder-message") }
                    aria-label=move || if is_comment() { tr!("composer-mode-comment") } else { tr!("composer-mode-message") }
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        error.set(None);
                        look();
                        typed();
                    }
                    on:keydown=on_keydown
                    on:click=move |_| look()
                    on:blur=move |_| open_picker.set(None)
                ></textarea>
                <button
                    type="submit"
                    class="send-button"
                    aria-label=move || if is_comment() { tr!("composer-add-comment") } else { tr!("composer-send") }
                    disabled=move || blocked() || (text.with(|t| t.trim().is_empty()) && files.with(PendingFiles::is_empty))
                >
                    <Icon name="send"/>
                </button>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
