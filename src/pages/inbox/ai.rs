//! AI in the inbox's editors (K9, K10): what the AI writes streams into a text field after
//! what the agent typed, and Stop (or a failure) gives the agent back their own text. The
//! comment composer and the closing-notes dialog offer AI Summary; the message composer
//! offers AI Assist while it is empty (and a message's menu asks for a reply to it), with an
//! introduction on this device's first use; a finished draft takes a thumbs up (confetti)
//! or down, and every third thumbs-down asks what was wrong. Without a provider the tools
//! say so and where to set one up.

use super::ai_prompts::{Prompts, PromptsButton, PromptsPanel};
use crate::api::{AiTask, StreamEnd, Streaming};
use crate::model::ai_writing::{Step, Writing};
use crate::tr;
use crate::ui::icons::Icon;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::{ConversationId, MessageId, MessageKind, WorkspaceId};

/// Where this device remembers that AI Assist was introduced.
const INTRO_SEEN: &str = "switchboard.ai-assist-introduced";

/// One text field's AI writing: whether it is writing, and how to stop it.
#[derive(Clone, Copy)]
pub struct AiWriter {
    writing: RwSignal<bool>,
    streaming: StoredValue<Option<Streaming>, LocalStorage>,
}

impl AiWriter {
    pub fn new() -> AiWriter {
        AiWriter {
            writing: RwSignal::new(false),
            streaming: StoredValue::new_local(None),
        }
    }

    pub fn writing(self) -> RwSignal<bool> {
        self.writing
    }

    /// Streams `task` into `text` after what it holds; `done` gets the finished text.
    pub fn start(
        self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        task: AiTask,
        text: RwSignal<String>,
        error: RwSignal<Option<String>>,
        done: impl Fn(String) + 'static,
    ) {
        error.set(None);
        let before = text.get_untracked();
        let writing = self.writing;
        writing.set(true);
        let streaming = self.streaming;
        {
            let state = std::rc::Rc::new(std::cell::RefCell::new(Writing::after(&before)));
            let chunks = state.clone();
            let handle = crate::api::write(
                workspace,
                conversation,
                task,
                move |chunk| match chunks.borrow_mut().apply(chunk) {
                    Step::Writing(draft) => text.set(draft),
                    Step::Done(draft) => {
                        text.set(draft.clone());
                        writing.set(false);
                        done(draft);
                    }
                    Step::Failed { reason, draft } => {
                        text.set(draft);
                        error.set(Some(reason));
                        writing.set(false);
                    }
                },
                move |end| {
                    if writing.get_untracked() {
                        // Ended without `done`: stopped, refused or cut off.
                        let reason = match end {
                            StreamEnd::Stopped => None,
                            // No provider (409): said in the app's words, with where to go.
                            StreamEnd::Refused(e)
                                if e.code() == Some(switchboard_protocol::ErrorCode::Conflict) =>
                            {
                                Some(tr!("composer-ai-not-configured"))
                            }
                            StreamEnd::Refused(e) => Some(e.to_string()),
                            StreamEnd::Finished => Some(tr!("composer-ai-cut-off")),
                        };
                        if let Step::Failed { draft, .. } = state.borrow().stopped(String::new()) {
                            text.set(draft);
                        }
                        error.set(reason);
                        writing.set(false);
                    }
                },
            );
            streaming.set_value(Some(handle));
        }
    }

    pub fn stop(self) {
        self.streaming.with_value(|s| {
            if let Some(s) = s {
                s.stop();
            }
        });
    }
}

/// "Writing…" and Stop while the AI writes.
#[component]
fn WritingStatus(writer: AiWriter, #[prop(into)] label: Signal<String>) -> impl IntoView {
    view! {
        <span class="ai-writing" role="status">{label}</span>
        <button type="button" class="button subtle small" on:click=move |_| writer.stop()>{tr!("composer-ai-stop")}</button>
    }
}

/// AI Summary for a text field outside the composer (the closing notes).
#[component]
pub fn SummaryTool(
    workspace: WorkspaceId,
    conversation: ConversationId,
    text: RwSignal<String>,
) -> impl IntoView {
    let writer = AiWriter::new();
    let error = RwSignal::new(None::<String>);
    let prompts = Prompts::new(workspace, conversation, text, error, None);
    view! {
        <div class="ai-tools">
            <PromptsButton prompts=prompts message=false busy=writer.writing()/>
            <Show
                when=move || writer.writing().get()
                fallback=move || view! {
                    <button type="button" class="button subtle small ai-summary"
                        on:click=move |_| writer.start(workspace, conversation, AiTask::Summary, text, error, |_| {})>
                        <Icon name="sparkles"/>
                        {tr!("composer-ai-summary")}
                    </button>
                }
            >
                <WritingStatus writer=writer label=Signal::derive(|| tr!("composer-ai-writing"))/>
            </Show>
        </div>
        <PromptsPanel prompts=prompts/>
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
    }
}

fn intro_seen() -> bool {
    crate::state::local_storage()
        .and_then(|s| s.get_item(INTRO_SEEN).ok().flatten())
        .is_some()
}

fn remember_intro() {
    if let Some(storage) = crate::state::local_storage() {
        let _ = storage.set_item(INTRO_SEEN, "1");
    }
}

/// The composer's AI: Summary for comments, Assist while the message is empty, the rating of
/// a finished draft and the feedback every third thumbs-down asks for.
#[component]
pub fn AiTools(
    workspace: WorkspaceId,
    conversation: ConversationId,
    kind: RwSignal<MessageKind>,
    text: RwSignal<String>,
    error: RwSignal<Option<String>>,
    /// A message to answer, asked for from its menu.
    assist: Option<RwSignal<Option<MessageId>>>,
    /// The agent's own words of a draft replaced by its translation (C10).
    original: RwSignal<Option<String>>,
) -> impl IntoView {
    let writer = AiWriter::new();
    let prompts = Prompts::new(workspace, conversation, text, error, Some(original));
    // The finished draft waiting for a rating, and the rating asking for feedback.
    let to_rate = RwSignal::new(None::<String>);
    let asking = RwSignal::new(None::<i64>);
    let cheered = RwSignal::new(false);
    // AI Assist asked for before its introduction was read.
    let introducing = RwSignal::new(None::<AiTask>);
    let run = move |task: AiTask| {
        to_rate.set(None);
        asking.set(None);
        cheered.set(false);
        let assisting = task != AiTask::Summary;
        writer.start(workspace, conversation, task, text, error, move |draft| {
            if assisting {
                to_rate.set(Some(draft));
            }
        });
    };
    let start = move |task: AiTask| {
        if task != AiTask::Summary && !intro_seen() {
            introducing.set(Some(task));
        } else {
            run(task);
        }
    };
    if let Some(assist) = assist {
        Effect::new(move |_| {
            if let Some(quote) = assist.get() {
                assist.set(None);
                kind.set(MessageKind::Message);
                start(AiTask::Assist { quote: Some(quote) });
            }
        });
    }
    let rate = move |good: bool| {
        let Some(draft) = to_rate.get_untracked() else {
            return;
        };
        to_rate.set(None);
        cheered.set(good);
        spawn_local(async move {
            match crate::api::rate_ai_draft(workspace, good, &draft).await {
                Ok(answer) if answer.ask_feedback => asking.set(Some(answer.id)),
                Ok(_) => {}
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let feedback = RwSignal::new(String::new());
    let send_feedback = move |_| {
        let Some(id) = asking.get_untracked() else {
            return;
        };
        let words = feedback.get_untracked();
        if words.trim().is_empty() {
            return;
        }
        spawn_local(async move {
            match crate::api::ai_feedback(workspace, id, &words).await {
                Ok(()) => {
                    asking.set(None);
                    feedback.set(String::new());
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let assist_shown =
        move || kind.get() == MessageKind::Message && text.with(|t| t.trim().is_empty());
    let label = Signal::derive(move || {
        if kind.get() == MessageKind::Comment {
            tr!("composer-ai-writing")
        } else {
            tr!("composer-ai-drafting")
        }
    });
    view! {
        <div class="ai-tools">
            <PromptsButton prompts=prompts message=Signal::derive(move || kind.get() == MessageKind::Message)
                busy=writer.writing()/>
            <Show
                when=move || writer.writing().get()
                fallback=move || view! {
                    <Show when=move || kind.get() == MessageKind::Comment>
                        <button type="button" class="button subtle small ai-summary" on:click=move |_| start(AiTask::Summary)>
                            <Icon name="sparkles"/>
                            {tr!("composer-ai-summary")}
                        </button>
                    </Show>
                    <Show when=assist_shown>
                        <button type="button" class="button subtle small ai-assist" on:click=move |_| start(AiTask::Assist { quote: None })>
                            <Icon name="sparkles"/>
                            {tr!("composer-ai-assist")}
                        </button>
                    </Show>
                    <Show when=move || to_rate.with(Option::is_some)>
                        <span class="ai-rating" role="group" aria-label=tr!("composer-ai-rate")>
                            <span class="muted small">{tr!("composer-ai-rate")}</span>
                            <button type="button" class="icon-button small" aria-label=tr!("composer-ai-rate-good")
                                title=tr!("composer-ai-rate-good") on:click=move |_| rate(true)><Icon name="thumb-up"/></button>
                            <button type="button" class="icon-button small" aria-label=tr!("composer-ai-rate-bad")
                                title=tr!("composer-ai-rate-bad") on:click=move |_| rate(false)><Icon name="thumb-down"/></button>
                        </span>
                    </Show>
                    <Show when=move || cheered.get()>
                        <span class="confetti" role="status" on:animationend=move |_| cheered.set(false)>
                            <span class="visually-hidden">{tr!("composer-ai-thanks")}</span>
                            {(0..12).map(|i| view! { <i style=format!("--i:{i}")></i> }).collect_view()}
                        </span>
                    </Show>
                }
            >
                <WritingStatus writer=writer label=label/>
            </Show>
        </div>
        <PromptsPanel prompts=prompts/>
        <Show when=move || introducing.with(Option::is_some)>
            <div class="ai-intro" role="group" aria-label=tr!("composer-ai-intro-title")>
                <strong>{tr!("composer-ai-intro-title")}</strong>
                <p class="muted small">{tr!("composer-ai-intro")}</p>
                <div class="modal-buttons">
                    <button type="button" class="button subtle small" on:click=move |_| introducing.set(None)>{tr!("composer-ai-intro-later")}</button>
                    <button type="button" class="button primary small" on:click=move |_| {
                        remember_intro();
                        if let Some(task) = introducing.get_untracked() {
                            introducing.set(None);
                            run(task);
                        }
                    }>{tr!("composer-ai-intro-go")}</button>
                </div>
            </div>
        </Show>
        <Show when=move || asking.with(Option::is_some)>
            <div class="ai-feedback" role="group" aria-label=tr!("composer-ai-feedback-title")>
                <label class="field">
                    <span>{tr!("composer-ai-feedback-title")}</span>
                    <textarea name="ai_feedback" rows="2" prop:value=move || feedback.get()
                        on:input=move |ev| feedback.set(event_target_value(&ev))></textarea>
                </label>
                <div class="modal-buttons">
                    <button type="button" class="button subtle small" on:click=move |_| asking.set(None)>{tr!("composer-ai-feedback-skip")}</button>
                    <button type="button" class="button primary small" on:click=send_feedback>{tr!("composer-ai-feedback-send")}</button>
                </div>
            </div>
        </Show>
    }
}
