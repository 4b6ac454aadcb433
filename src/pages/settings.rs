//! `/w/:ws/settings`: the workspace's settings (T1, T4, T5, N7's cutoff, A2's pushes).
//! Every member reads them; owners and managers change them (the server enforces it, and
//! other members' open apps take the change live through `workspace_changed`). Sections:
//! general (name, closing notes, the unreplied cutoff, snooze pushes), members (roles and
//! permissions), teams, custom contact fields, snippets (T3), custom inboxes (T2, which
//! every member may build) and the AI provider (T7).

mod ai;
mod ai_agent;
mod ai_prompts;
mod dialogflow;
mod fields;
mod hubspot;
mod inboxes;
mod invitations;
mod members;
mod salesforce;
mod snippets;
mod workflows;

use crate::api::{self, ClientError};
use crate::routes;
use crate::tr;
use crate::ui::icons::Icon;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::WorkspaceId;
use switchboard_protocol::settings::*;

/// What every section of the page shares.
#[derive(Clone, Copy)]
pub struct SettingsContext {
    pub workspace: WorkspaceId,
    /// The signed-in member may change settings.
    pub manager: Signal<bool>,
    /// A short confirmation ("Saved.") or the server's refusal.
    pub notice: RwSignal<Option<Result<String, String>>>,
    /// The workspace's members, teams and custom fields, read once for every section and
    /// read again by [`SettingsContext::reload`] after a change.
    pub members: RwSignal<Vec<Member>>,
    pub teams: RwSignal<Vec<Team>>,
    pub fields: RwSignal<Vec<switchboard_protocol::contacts::CustomField>>,
}

impl SettingsContext {
    pub fn saved(self, what: impl Into<String>) {
        self.notice.set(Some(Ok(what.into())));
    }

    pub fn failed(self, error: impl std::fmt::Display) {
        self.notice.set(Some(Err(error.to_string())));
    }

    /// Reads members, teams and custom fields again (together: one change can touch several).
    pub fn reload(self) {
        let ws = self.workspace;
        spawn_local(async move {
            let (m, t, f) =
                futures::join!(api::members(ws), api::teams(ws), api::custom_fields(ws));
            match (m, t, f) {
                (Ok(m), Ok(t), Ok(f)) => {
                    self.members.set(m);
                    self.teams.set(t);
                    self.fields.set(f);
                }
                (Err(e), ..) | (_, Err(e), _) | (.., Err(e)) => self.failed(e),
            }
        });
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let (workspace, manager) = super::workspace_settings_screen();
    let notice = RwSignal::new(None::<Result<String, String>>);
    view! {
        <main class="settings-page">
            <header class="settings-header">
                {move || workspace.get().map(|ws| view! {
                    <a class="icon-button" href=routes::inbox(ws) aria-label=tr!("settings-back-to-inbox")>
                        <Icon name="back"/>
                    </a>
                })}
                <h1>{tr!("settings-title")}</h1>
                {move || workspace.get().map(|ws| view! {
                    <a class="button subtle small" href=routes::channel_settings(ws)>{tr!("settings-channels-link")}</a>
                })}
            </header>
            <Show when=move || !manager.get()>
                <p class="muted">{tr!("settings-read-only-note")}</p>
            </Show>
            {move || notice.get().map(|n| match n {
                Ok(text) => view! { <p class="settings-notice" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="form-error settings-error" role="alert">{text}</p> }.into_any(),
            })}
            {move || workspace.get().map(|ws| {
                let context = SettingsContext {
                    workspace: ws,
                    manager,
                    notice,
                    members: RwSignal::new(Vec::new()),
                    teams: RwSignal::new(Vec::new()),
                    fields: RwSignal::new(Vec::new()),
                };
                context.reload();
                provide_context(context);
                view! {
                    <General/>
                    <members::Members/>
                    <invitations::Invitations/>
                    <members::Teams/>
                    <fields::CustomFields/>
                    <snippets::Snippets/>
                    <inboxes::CustomInboxes/>
                    <ai::AiProvider/>
                    <ai_prompts::AiPrompts/>
                    <ai_agent::AiAgent/>
                    <hubspot::Hubspot/>
                    <salesforce::Salesforce/>
                    <dialogflow::Dialogflow/>
                    <workflows::Workflows/>
                }
            })}
        </main>
    }
}

pub fn use_settings() -> SettingsContext {
    expect_context::<SettingsContext>()
}

/// A form's problem: the field it is about (as the server names fields) and what is wrong.
pub type Problem = RwSignal<Option<(String, String)>>;

/// The error line under `field`, while the form's problem is about it.
pub fn problem_line(problem: Problem, field: &'static str) -> impl Fn() -> Option<AnyView> + Copy {
    move || {
        problem
            .get()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| view! { <p class="form-error" role="alert">{m}</p> }.into_any())
    }
}

/// A refused save: the server's words under the field they name (`fallback` when none);
/// other failures go to the page's notice.
pub fn refused(context: SettingsContext, problem: Problem, error: ClientError, fallback: &str) {
    match error {
        ClientError::Server(_) => problem.set(Some(error.problem(fallback))),
        other => context.failed(other),
    }
}

/// Removes something after `question` is confirmed: `call` asks the server; on success
/// `done` clears the form and `said` is the notice, otherwise the page says why.
pub fn remove_confirmed<F>(
    context: SettingsContext,
    question: String,
    call: impl FnOnce() -> F,
    said: String,
    done: impl FnOnce() + 'static,
) where
    F: std::future::Future<Output = Result<(), ClientError>> + 'static,
{
    if !crate::ui::confirm::confirmed(&question) {
        return;
    }
    let asked = call();
    spawn_local(async move {
        match asked.await {
            Ok(()) => {
                done();
                context.saved(said);
            }
            Err(e) => context.failed(e),
        }
    });
}

/// Name, closing notes (T5), the unreplied cutoff (N7) and snooze pushes (A2, O3).
#[component]
fn General() -> impl IntoView {
    let context = use_settings();
    let ws = context.workspace;
    let current = RwSignal::new(None::<WorkspaceSettings>);
    let name = RwSignal::new(String::new());
    let closing = RwSignal::new(ClosingNotes::Optional);
    let cutoff = RwSignal::new(String::new());
    let snooze_push = RwSignal::new(true);
    let fill = move |s: &WorkspaceSettings| {
        name.set(s.name.clone());
        closing.set(s.closing_notes);
        cutoff.set(s.unreplied_cutoff.to_string());
        snooze_push.set(s.snooze_push);
    };
    spawn_local(async move {
        match api::settings(ws).await {
            Ok(s) => {
                fill(&s);
                current.set(Some(s));
            }
            Err(e) => context.failed(e),
        }
    });
    let problem = RwSignal::new(None::<(String, String)>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(before) = current.get_untracked() else {
            return;
        };
        let typed = name.get_untracked().trim().to_owned();
        if typed.is_empty() || typed.chars().count() > 100 {
            problem.set(Some(("name".into(), tr!("settings-name-length"))));
            return;
        }
        let Ok(date) = chrono::NaiveDate::parse_from_str(&cutoff.get_untracked(), "%Y-%m-%d")
        else {
            problem.set(Some(("cutoff".into(), tr!("settings-pick-date"))));
            return;
        };
        problem.set(None);
        let patch = SettingsPatch {
            name: (typed != before.name).then_some(typed),
            closing_notes: Some(closing.get_untracked()).filter(|c| *c != before.closing_notes),
            unreplied_cutoff: Some(date).filter(|d| *d != before.unreplied_cutoff),
            snooze_push: Some(snooze_push.get_untracked()).filter(|p| *p != before.snooze_push),
        };
        spawn_local(async move {
            match api::update_settings(ws, &patch).await {
                Ok(s) => {
                    fill(&s);
                    current.set(Some(s));
                    context.saved(tr!("settings-saved"));
                }
                Err(e) => context.failed(e),
            }
        });
    };
    let disabled = move || !context.manager.get();
    let error_of = move |field: &'static str| problem_line(problem, field);
    view! {
        <section class="settings-section" aria-labelledby="general-title">
            <h2 id="general-title">{tr!("settings-general-title")}</h2>
            <Show when=move || current.with(Option::is_some)
                fallback=|| view! { <p class="muted" role="status">{tr!("settings-loading")}</p> }>
            <form class="settings-form" on:submit=save>
                <label class="field">
                    <span>{tr!("settings-workspace-name")}</span>
                    <input type="text" name="name" disabled=disabled prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                    {error_of("name")}
                </label>
                <fieldset class="field choice-group" disabled=disabled>
                    <legend>{tr!("settings-closing-notes")}</legend>
                    {[
                        (ClosingNotes::Off, tr!("settings-closing-off"), tr!("settings-closing-off-hint")),
                        (ClosingNotes::Optional, tr!("settings-closing-optional"), tr!("settings-closing-optional-hint")),
                        (ClosingNotes::Mandatory, tr!("settings-closing-required"), tr!("settings-closing-required-hint")),
                    ]
                        .into_iter()
                        .map(|(value, label, hint)| view! {
                            <label class="choice">
                                <input type="radio" name="closing_notes" value=value.as_str()
                                    prop:checked=move || closing.get() == value
                                    on:change=move |_| closing.set(value)/>
                                <span><strong>{label}</strong><span class="muted small">{hint}</span></span>
                            </label>
                        })
                        .collect_view()}
                </fieldset>
                <label class="field">
                    <span>{tr!("settings-unreplied-from")}</span>
                    <input type="date" name="unreplied_cutoff" disabled=disabled prop:value=move || cutoff.get()
                        on:input=move |ev| cutoff.set(event_target_value(&ev))/>
                    <span class="muted small">{tr!("settings-unreplied-hint")}</span>
                    {error_of("cutoff")}
                </label>
                <label class="choice">
                    <input type="checkbox" name="snooze_push" disabled=disabled prop:checked=move || snooze_push.get()
                        on:change=move |ev| snooze_push.set(event_target_checked(&ev))/>
                    <span><strong>{tr!("settings-snooze-push")}</strong><span class="muted small">{tr!("settings-snooze-push-hint")}</span></span>
                </label>
                <Show when=move || context.manager.get()>
                    <div class="modal-buttons">
                        <button type="submit" class="button primary">{tr!("settings-save")}</button>
                    </div>
                </Show>
            </form>
            </Show>
        </section>
    }
}
