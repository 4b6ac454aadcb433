//! `/chat/:key`: the website-chat visitor page, mobile-first, also shown inside the
//! embeddable widget. The visitor's anonymous identity is a token kept in localStorage.

use crate::api::live::LiveHandle;
use crate::api::visitor::{self as api, VisitorSignal};
use crate::api::{ClientError, new_client_id};
use crate::components::markdown_view::MarkdownView;
use crate::model::time::{local_offset, message_time};
use crate::model::visitor_chat::{SendState, VisitorChat, VisitorEntry, text_refusal};
use crate::tr;
use crate::ui::icons::Icon;
use chrono::Utc;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use switchboard_protocol::visitor::*;
use switchboard_protocol::{MessageId, validation};
use wasm_bindgen::JsCast;

fn token_key(chat: &str) -> String {
    format!("switchboard.visitor.{chat}")
}

/// The stored visitor token, or a new one from the server.
async fn visitor_token(key: &str, renew: bool) -> Result<String, ClientError> {
    if !renew
        && let Some(token) =
            crate::state::local_storage().and_then(|s| s.get_item(&token_key(key)).ok().flatten())
    {
        return Ok(token);
    }
    let session = api::new_visitor(key).await?;
    if let Some(s) = crate::state::local_storage() {
        let _ = s.set_item(&token_key(key), &session.token);
    }
    Ok(session.token)
}

#[derive(Clone, Copy)]
struct ChatState {
    key: StoredValue<String>,
    token: RwSignal<Option<String>>,
    chat: RwSignal<VisitorChat>,
    info: RwSignal<Option<Result<ChatInfo, ClientError>>>,
    connected: RwSignal<bool>,
}

impl ChatState {
    fn refresh(self) {
        let (key, Some(token)) = (self.key.get_value(), self.token.get_untracked()) else {
            return;
        };
        spawn_local(async move {
            if let Ok(page) = api::messages(&key, &token).await {
                self.chat.update(|c| c.merge_page(page.items));
            }
        });
    }

    fn send(self, client_id: String, text: String) {
        let (key, Some(token)) = (self.key.get_value(), self.token.get_untracked()) else {
            return;
        };
        spawn_local(async move {
            let request = VisitorSendRequest {
                client_id: client_id.clone(),
                text,
            };
            match api::post_message(&key, &token, &request).await {
                Ok(message) => self.chat.update(|c| c.confirm(message)),
                Err(e) => self.chat.update(|c| c.fail(&client_id, e.to_string())),
            }
        });
    }
}

#[component]
pub fn ChatPage() -> impl IntoView {
    let params = use_params_map();
    let key = params.read_untracked().get("key").unwrap_or_default();
    let state = ChatState {
        key: StoredValue::new(key.clone()),
        token: RwSignal::new(None),
        chat: RwSignal::new(VisitorChat::default()),
        info: RwSignal::new(None),
        connected: RwSignal::new(true),
    };
    let socket = StoredValue::new_local(None::<LiveHandle>);

    spawn_local(async move {
        let info = api::info(&key).await;
        let ok = info.is_ok();
        state.info.set(Some(info));
        if !ok {
            return;
        }
        let mut token = match visitor_token(&key, false).await {
            Ok(token) => token,
            Err(e) => {
                state.info.set(Some(Err(e)));
                return;
            }
        };
        // A token the server no longer knows (its data was reset) is replaced.
        let page = match api::messages(&key, &token).await {
            Err(e) if e.is_unauthorized() => {
                token = match visitor_token(&key, true).await {
                    Ok(token) => token,
                    Err(e) => {
                        state.info.set(Some(Err(e)));
                        return;
                    }
                };
                api::messages(&key, &token).await
            }
            other => other,
        };
        if let Ok(page) = page {
            state.chat.update(|c| c.merge_page(page.items));
        }
        state.token.set(Some(token.clone()));
        let handle = api::follow(key.clone(), token, move |signal| match signal {
            VisitorSignal::Connected => {
                state.connected.set(true);
                state.refresh();
            }
            VisitorSignal::Message(message) => state.chat.update(|c| c.confirm(message)),
            VisitorSignal::Disconnected => state.connected.set(false),
        });
        socket.set_value(Some(handle));
    });

    let title = move || match state.info.get() {
        Some(Ok(info)) => info.title,
        _ => tr!("chat-title-default"),
    };
    view! {
        <div class="visitor-chat">
            <header class="visitor-header">
                <span class="brand-mark" aria-hidden="true"></span>
                <div>
                    // The chat's own title is the workspace's words.
                    <h1 translate=move || state.info.with(|i| matches!(i, Some(Ok(_)))).then_some("no")>{title}</h1>
                    <p class="small">
                        {move || if state.connected.get() { tr!("chat-status-live") } else { tr!("chat-status-reconnecting") }}
                    </p>
                </div>
            </header>
            {move || match state.info.get() {
                None => view! { <p class="muted centered">{tr!("chat-loading")}</p> }.into_any(),
                Some(Err(e)) => {
                    let message = if e.code() == Some(switchboard_protocol::ErrorCode::NotFound) {
                        tr!("chat-not-found")
                    } else {
                        e.to_string()
                    };
                    view! { <p class="error-banner" role="alert">{message}</p> }.into_any()
                }
                Some(Ok(info)) => view! { <Conversation state=state greeting=info.greeting/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Conversation(state: ChatState, greeting: String) -> impl IntoView {
    let scroller = NodeRef::<html::Div>::new();
    Effect::new(move |previous: Option<usize>| {
        let count = state.chat.with(|c| c.messages.len());
        if Some(count) != previous {
            request_animation_frame(move || {
                if let Some(el) = scroller.get_untracked() {
                    el.set_scroll_top(el.scroll_height());
                }
            });
        }
        count
    });
    let entries = move || state.chat.with(|c| c.messages.clone());
    view! {
        <div class="visitor-scroller" node_ref=scroller>
            <div class="visitor-messages" role="log" aria-live="polite" aria-label=tr!("chat-messages-label")>
                <div class="visitor-message team greeting">
                    <div class="visitor-bubble"><p translate="no">{greeting}</p></div>
                </div>
                <For
                    each=entries
                    key=|e| format!("{}:{:?}", e.key(), e.state)
                    children=move |entry| view! { <VisitorBubble entry=entry state=state/> }
                />
            </div>
        </div>
        <VisitorComposer state=state/>
    }
}

#[component]
fn VisitorBubble(entry: VisitorEntry, state: ChatState) -> impl IntoView {
    let m = entry.message;
    let files = (!m.files.is_empty()).then(|| {
        view! {
            <ul class="visitor-files" aria-label=tr!("chat-files-label")>
                {m.files.iter().map(|f| view! { <li><VisitorFileLink file=f.clone() state=state/></li> }).collect_view()}
            </ul>
        }
    });
    let team = m.author == VisitorAuthor::Team;
    let time = message_time(m.created_at, Utc::now(), local_offset());
    let status = match entry.state {
        SendState::Stored => None,
        SendState::Pending => Some(view! { <span class="pending">{tr!("chat-sending")}</span> }.into_any()),
        SendState::Failed(reason) => Some(
            view! { <span class="failed" role="alert">{tr!("chat-not-sent", reason = reason)}</span> }
                .into_any(),
        ),
    };
    view! {
        <div class="visitor-message" class:team=team class:mine=!team>
            {team.then(|| m.author_name.clone().map(|name| view! { <span class="visitor-author" translate="no">{name}</span> }))}
            <div class="visitor-bubble">
                {(!m.text.is_empty()).then(|| view! { <MarkdownView text=m.text.clone()/> })}
                {files}
                <span class="visitor-meta"><time>{time}</time>{status}</span>
            </div>
        </div>
    }
}

/// A file the team sent: fetched with the visitor's token when asked for, then saved under
/// its name.
#[component]
fn VisitorFileLink(file: VisitorFile, state: ChatState) -> impl IntoView {
    let failed = RwSignal::new(None::<String>);
    let name = file.name.clone();
    let save = move |_| {
        let (key, Some(token)) = (state.key.get_value(), state.token.get_untracked()) else {
            return;
        };
        let name = name.clone();
        leptos::task::spawn_local(async move {
            match crate::api::visitor::file_url(&key, &token, file.id).await {
                Ok(url) => {
                    let link = document()
                        .create_element("a")
                        .ok()
                        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok());
                    if let Some(link) = link {
                        let _ = link.set_attribute("href", &url);
                        let _ = link.set_attribute("download", &name);
                        link.click();
                    }
                    // The download has taken the bytes by the time this runs.
                    set_timeout(
                        move || {
                            let _ = web_sys::Url::revoke_object_url(&url);
                        },
                        std::time::Duration::from_secs(60),
                    );
                    failed.set(None);
                }
                Err(e) => failed.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <button type="button" class="file-chip" title=tr!("chat-download", name = &file.name) on:click=save>
            <span class="file-name" translate="no">{format!("📄 {}", file.name)}</span>
            <span class="file-size">{crate::components::message_bubble::file_size(file.size)}</span>
        </button>
        {move || failed.get().map(|reason| view! { <span class="failed" role="alert">{reason}</span> })}
    }
}

#[component]
fn VisitorComposer(state: ChatState) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let send = move || {
        let draft = text.get_untracked();
        let valid = match validation::message_text(&draft) {
            Ok(valid) => valid.to_owned(),
            Err(validation::MessageTextError::Empty) => return,
            Err(e) => {
                error.set(Some(text_refusal(e)));
                return;
            }
        };
        let client_id = new_client_id();
        state.chat.update(|c| {
            c.add_pending(VisitorMessage {
                id: MessageId(-1),
                client_id: Some(client_id.clone()),
                author: VisitorAuthor::Visitor,
                author_name: None,
                text: valid.clone(),
                created_at: Utc::now(),
                files: Vec::new(),
            })
        });
        text.set(String::new());
        error.set(None);
        state.send(client_id, valid);
    };
    view! {
        <form
            class="visitor-composer"
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                send();
            }
        >
            <textarea
                name="message"
                rows="1"
                placeholder=tr!("chat-message-placeholder")
                aria-label=tr!("chat-message-label")
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    error.set(None);
                }
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                        ev.prevent_default();
                        send();
                    }
                }
            ></textarea>
            <button
                type="submit"
                class="send-button"
                aria-label=tr!("chat-send")
                disabled=move || text.with(|t| t.trim().is_empty()) || state.token.with(Option::is_none)
            >
                <Icon name="send"/>
            </button>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
