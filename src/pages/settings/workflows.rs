//! The workspace's workflows (T9): a list with each one's trigger, steps and whether it is
//! on, and the editor — a name, a trigger and ordered steps, each edited in place, moved up
//! or down, or removed. The rules are checked here first (the server checks them again and
//! names the step a refusal is about). Owners and managers change workflows; others read.

use super::{refused, use_settings};
use crate::api;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::workflows::*;
use switchboard_protocol::{AssigneeRef, ConversationStatus, CustomFieldId, TeamId, UserId};

/// The step kinds in the order the editor offers them.
const KINDS: [&str; 8] = [
    "send_message",
    "add_comment",
    "assign",
    "close",
    "update_contact_field",
    "wait",
    "branch",
    "http_request",
];

fn kind_of(step: &WorkflowStep) -> &'static str {
    match step {
        WorkflowStep::SendMessage { .. } => "send_message",
        WorkflowStep::AddComment { .. } => "add_comment",
        WorkflowStep::Assign { .. } => "assign",
        WorkflowStep::Close => "close",
        WorkflowStep::UpdateContactField { .. } => "update_contact_field",
        WorkflowStep::Wait { .. } => "wait",
        WorkflowStep::Branch { .. } => "branch",
        WorkflowStep::HttpRequest { .. } => "http_request",
    }
}

fn kind_label(kind: &str) -> String {
    match kind {
        "send_message" => tr!("workflows-step-send-message"),
        "add_comment" => tr!("workflows-step-add-comment"),
        "assign" => tr!("workflows-step-assign"),
        "close" => tr!("workflows-step-close"),
        "update_contact_field" => tr!("workflows-step-update-field"),
        "wait" => tr!("workflows-step-wait"),
        "branch" => tr!("workflows-step-branch"),
        _ => tr!("workflows-step-http"),
    }
}

/// A new step of a kind, with what the editor starts from.
fn new_step(kind: &str, first_field: Option<CustomFieldId>) -> WorkflowStep {
    match kind {
        "send_message" => WorkflowStep::SendMessage {
            text: String::new(),
        },
        "add_comment" => WorkflowStep::AddComment {
            text: String::new(),
        },
        "assign" => WorkflowStep::Assign { assignee: None },
        "close" => WorkflowStep::Close,
        "update_contact_field" => WorkflowStep::UpdateContactField {
            field: first_field.unwrap_or(CustomFieldId(0)),
            value: String::new(),
        },
        "wait" => WorkflowStep::Wait { seconds: 3600 },
        "branch" => WorkflowStep::Branch {
            condition: WorkflowCondition::Assigned { assigned: true },
            skip: 1,
        },
        _ => WorkflowStep::HttpRequest {
            method: HttpMethod::Post,
            url: String::new(),
            body: None,
        },
    }
}

fn trigger_value(trigger: &WorkflowTrigger) -> String {
    match trigger {
        WorkflowTrigger::Shortcut => "shortcut".into(),
        WorkflowTrigger::ConversationOpened => "opened".into(),
        WorkflowTrigger::ConversationClosed => "closed".into(),
        WorkflowTrigger::ContactFieldUpdated { field: None } => "field".into(),
        WorkflowTrigger::ContactFieldUpdated { field: Some(f) } => format!("field:{f}"),
    }
}

fn trigger_of(value: &str) -> WorkflowTrigger {
    match value {
        "opened" => WorkflowTrigger::ConversationOpened,
        "closed" => WorkflowTrigger::ConversationClosed,
        "field" => WorkflowTrigger::ContactFieldUpdated { field: None },
        v => match v.strip_prefix("field:").and_then(|id| id.parse().ok()) {
            Some(id) => WorkflowTrigger::ContactFieldUpdated {
                field: Some(CustomFieldId(id)),
            },
            None => WorkflowTrigger::Shortcut,
        },
    }
}

pub fn trigger_label(trigger: &WorkflowTrigger) -> String {
    match trigger {
        WorkflowTrigger::Shortcut => tr!("workflows-trigger-shortcut"),
        WorkflowTrigger::ConversationOpened => tr!("workflows-trigger-opened"),
        WorkflowTrigger::ConversationClosed => tr!("workflows-trigger-closed"),
        WorkflowTrigger::ContactFieldUpdated { .. } => tr!("workflows-trigger-field"),
    }
}

fn assignee_value(assignee: &Option<AssigneeRef>) -> String {
    match assignee {
        None => String::new(),
        Some(AssigneeRef::User { id }) => format!("user:{id}"),
        Some(AssigneeRef::Team { id }) => format!("team:{id}"),
        Some(AssigneeRef::AiAgent) => "ai".into(),
    }
}

fn assignee_of(value: &str) -> Option<AssigneeRef> {
    match value.split_once(':') {
        Some(("user", id)) => id
            .parse()
            .ok()
            .map(|id| AssigneeRef::User { id: UserId(id) }),
        Some(("team", id)) => id
            .parse()
            .ok()
            .map(|id| AssigneeRef::Team { id: TeamId(id) }),
        _ => None,
    }
}

fn condition_value(condition: &WorkflowCondition) -> String {
    match condition {
        WorkflowCondition::Assigned { assigned: true } => "assigned".into(),
        WorkflowCondition::Assigned { assigned: false } => "unassigned".into(),
        WorkflowCondition::Status { is } => format!("status:{}", is.as_str()),
        WorkflowCondition::Channel { is } => format!("channel:{}", is.as_str()),
        WorkflowCondition::ContactField { field, .. } => format!("field:{field}"),
    }
}

fn condition_of(value: &str, equals: String) -> WorkflowCondition {
    match value.split_once(':') {
        Some(("status", s)) => WorkflowCondition::Status {
            is: ConversationStatus::parse(s).unwrap_or(ConversationStatus::Open),
        },
        Some(("field", id)) => WorkflowCondition::ContactField {
            field: CustomFieldId(id.parse().unwrap_or(0)),
            equals,
        },
        _ if value == "unassigned" => WorkflowCondition::Assigned { assigned: false },
        _ => WorkflowCondition::Assigned { assigned: true },
    }
}

/// A wait as an amount and a unit.
const UNITS: [(u64, &str); 4] = [
    (86_400, "days"),
    (3600, "hours"),
    (60, "minutes"),
    (1, "seconds"),
];

fn wait_parts(seconds: u64) -> (u64, u64) {
    UNITS
        .iter()
        .find(|(unit, _)| seconds >= *unit && seconds.is_multiple_of(*unit))
        .map_or((seconds, 1), |(unit, _)| (seconds / unit, *unit))
}

fn unit_label(unit: u64) -> String {
    match unit {
        86_400 => tr!("workflows-unit-days"),
        3600 => tr!("workflows-unit-hours"),
        60 => tr!("workflows-unit-minutes"),
        _ => tr!("workflows-unit-seconds"),
    }
}

fn empty_draft() -> WorkflowRequest {
    WorkflowRequest {
        name: String::new(),
        trigger: WorkflowTrigger::Shortcut,
        steps: vec![new_step("send_message", None)],
        enabled: true,
    }
}

#[component]
pub fn Workflows() -> impl IntoView {
    let context = use_settings();
    let ws = context.workspace;
    let workflows = RwSignal::new(Vec::<Workflow>::new());
    // The workflow being changed; `None` adds a new one.
    let editing = RwSignal::new(None::<i64>);
    let draft = RwSignal::new(empty_draft());
    // Changes when steps are added, removed, moved or change kind: the step editors are
    // built again then (and not while a step's text is typed).
    let shape = RwSignal::new(0_u32);
    let problem = RwSignal::new(None::<(String, String)>);
    let load = move || {
        spawn_local(async move {
            match api::workflows(ws).await {
                Ok(list) => workflows.set(list),
                Err(e) => context.failed(e),
            }
        });
    };
    load();
    let clear = move || {
        editing.set(None);
        draft.set(empty_draft());
        shape.update(|n| *n += 1);
        problem.set(None);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut request = draft.get_untracked();
        request.name = request.name.trim().to_owned();
        if let Err(p) = check(&request) {
            problem.set(Some((p.field, p.message)));
            return;
        }
        let id = editing.get_untracked();
        spawn_local(async move {
            let saved = match id {
                Some(id) => api::update_workflow(ws, id, &request).await,
                None => api::create_workflow(ws, &request).await,
            };
            match saved {
                Ok(_) => {
                    clear();
                    load();
                    context.saved(tr!("workflows-saved"));
                }
                Err(e) => refused(context, problem, e, "name"),
            }
        });
    };
    let remove = move |id: i64| {
        if !crate::ui::confirm::confirmed(&tr!("workflows-delete-confirm")) {
            return;
        }
        spawn_local(async move {
            match api::delete_workflow(ws, id).await {
                Ok(()) => {
                    if editing.get_untracked() == Some(id) {
                        clear();
                    }
                    load();
                    context.saved(tr!("workflows-deleted"));
                }
                Err(e) => context.failed(e),
            }
        });
    };
    let toggle = move |workflow: Workflow| {
        let request = WorkflowRequest {
            name: workflow.name,
            trigger: workflow.trigger,
            steps: workflow.steps,
            enabled: !workflow.enabled,
        };
        spawn_local(async move {
            match api::update_workflow(ws, workflow.id, &request).await {
                Ok(_) => load(),
                Err(e) => context.failed(e),
            }
        });
    };
    // The problem's words when it is about `field` (a step's are shown at the step).
    let problem_at = move |field: String| {
        move || {
            problem
                .get()
                .filter(|(f, _)| *f == field)
                .map(|(_, m)| view! { <p class="form-error" role="alert">{m}</p> })
        }
    };
    view! {
        <section class="settings-section" aria-labelledby="workflows-title">
            <h2 id="workflows-title">{tr!("workflows-title")}</h2>
            <p class="muted small">{tr!("workflows-hint")}</p>
            <Show when=move || workflows.with(Vec::is_empty)>
                <p class="muted">{tr!("workflows-none")}</p>
            </Show>
            <ul class="settings-list" aria-label=tr!("workflows-title")>
                <For each=move || workflows.get() key=|w| (w.id, w.updated_at) let:workflow>
                    {
                        let id = workflow.id;
                        let name = workflow.name.clone();
                        let for_edit = workflow.clone();
                        let for_toggle = workflow.clone();
                        view! {
                            <li class="settings-item">
                                <div class="settings-item-head">
                                    <strong translate="no">{workflow.name.clone()}</strong>
                                    <span class="muted small">
                                        {trigger_label(&workflow.trigger)}" · "
                                        {tr!("workflows-steps-count", count = workflow.steps.len())}
                                        {(!workflow.enabled).then(|| view! { " · "{tr!("workflows-off")} })}
                                    </span>
                                    <span class="settings-item-actions">
                                        <Show when=move || context.manager.get()>
                                            <button type="button" class="button subtle small"
                                                on:click={
                                                    let w = for_toggle.clone();
                                                    move |_| toggle(w.clone())
                                                }>
                                                {if workflow.enabled { tr!("workflows-disable") } else { tr!("workflows-enable") }}
                                            </button>
                                            <button type="button" class="button subtle small"
                                                aria-label=tr!("workflows-edit-named", name = &name)
                                                on:click={
                                                    let w = for_edit.clone();
                                                    move |_| {
                                                        editing.set(Some(id));
                                                        draft.set(WorkflowRequest {
                                                            name: w.name.clone(),
                                                            trigger: w.trigger.clone(),
                                                            steps: w.steps.clone(),
                                                            enabled: w.enabled,
                                                        });
                                                        shape.update(|n| *n += 1);
                                                        problem.set(None);
                                                    }
                                                }>{tr!("workflows-edit")}</button>
                                            <button type="button" class="button subtle small"
                                                aria-label=tr!("workflows-delete-named", name = &name)
                                                on:click=move |_| remove(id)>{tr!("workflows-delete")}</button>
                                        </Show>
                                    </span>
                                </div>
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || context.manager.get()>
                <form class="settings-form workflow-form" on:submit=save novalidate=true aria-label=tr!("workflows-form")>
                    <label class="field">
                        <span>{tr!("workflows-name")}</span>
                        <input type="text" name="workflow_name" maxlength="80"
                            prop:value=move || draft.with(|d| d.name.clone())
                            on:input=move |ev| draft.update(|d| d.name = event_target_value(&ev))/>
                        {problem_at("name".into())}
                    </label>
                    <label class="field">
                        <span>{tr!("workflows-trigger")}</span>
                        <select name="workflow_trigger"
                            prop:value=move || draft.with(|d| trigger_value(&d.trigger))
                            on:change=move |ev| draft.update(|d| d.trigger = trigger_of(&event_target_value(&ev)))>
                            <option value="shortcut">{tr!("workflows-trigger-shortcut")}</option>
                            <option value="opened">{tr!("workflows-trigger-opened")}</option>
                            <option value="closed">{tr!("workflows-trigger-closed")}</option>
                            <option value="field">{tr!("workflows-trigger-any-field")}</option>
                            {move || context.fields.get().into_iter().map(|f| view! {
                                <option value=format!("field:{}", f.id) translate="no">{tr!("workflows-trigger-one-field", field = f.label)}</option>
                            }).collect_view()}
                        </select>
                        {problem_at("trigger".into())}
                    </label>
                    <label class="choice">
                        <input type="checkbox" name="workflow_enabled"
                            prop:checked=move || draft.with(|d| d.enabled)
                            on:change=move |ev| draft.update(|d| d.enabled = event_target_checked(&ev))/>
                        <span>{tr!("workflows-enabled")}</span>
                    </label>
                    <ol class="workflow-steps" aria-label=tr!("workflows-steps")>
                        {move || {
                            shape.track();
                            let count = draft.with_untracked(|d| d.steps.len());
                            (0..count).map(|i| view! { <StepEditor index=i draft=draft shape=shape problem=problem/> }).collect_view()
                        }}
                    </ol>
                    {problem_at("steps".into())}
                    <div class="workflow-add">
                        <label class="field">
                            <span>{tr!("workflows-add-step")}</span>
                            <select name="workflow_add_step" on:change=move |ev| {
                                let kind = event_target_value(&ev);
                                if !kind.is_empty() {
                                    let first = context.fields.with_untracked(|f| f.first().map(|f| f.id));
                                    draft.update(|d| d.steps.push(new_step(&kind, first)));
                                    shape.update(|n| *n += 1);
                                }
                                if let Some(select) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok()) {
                                    select.set_value("");
                                }
                            }>
                                <option value="">{tr!("workflows-add-step-choose")}</option>
                                {KINDS.iter().map(|k| view! { <option value=*k>{kind_label(k)}</option> }).collect_view()}
                            </select>
                        </label>
                    </div>
                    <div class="modal-buttons">
                        <Show when=move || editing.get().is_some()>
                            <button type="button" class="button subtle" on:click=move |_| clear()>{tr!("workflows-cancel")}</button>
                        </Show>
                        <button type="submit" class="button primary">
                            {move || if editing.get().is_some() { tr!("workflows-save") } else { tr!("workflows-add") }}
                        </button>
                    </div>
                </form>
            </Show>
        </section>
    }
}

/// One step of the draft: its kind, its inputs, and moving or removing it.
#[component]
fn StepEditor(
    index: usize,
    draft: RwSignal<WorkflowRequest>,
    shape: RwSignal<u32>,
    problem: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let context = use_settings();
    // Read once: the editor is built again when the steps' shape changes.
    let step = move || draft.with_untracked(|d| d.steps.get(index).cloned());
    let reshape = move || shape.update(|n| *n += 1);
    let set = move |new: WorkflowStep| {
        draft.update(|d| {
            if let Some(s) = d.steps.get_mut(index) {
                *s = new;
            }
        })
    };
    let error = move || {
        problem
            .get()
            .filter(|(f, _)| {
                f.starts_with(&format!("steps.{index}.")) || *f == format!("steps.{index}")
            })
            .map(|(_, m)| view! { <p class="form-error" role="alert">{m}</p> })
    };
    let inputs = match step() {
        None => ().into_any(),
        Some(current) => match current {
            WorkflowStep::SendMessage { text } | WorkflowStep::AddComment { text } => {
                let comment = matches!(step(), Some(WorkflowStep::AddComment { .. }));
                view! {
                    <textarea name=format!("step_{index}_text") rows="2" aria-label=tr!("workflows-text")
                        prop:value=text
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            set(if comment { WorkflowStep::AddComment { text } } else { WorkflowStep::SendMessage { text } })
                        }></textarea>
                }
                .into_any()
            }
            WorkflowStep::Assign { assignee } => view! {
                <select name=format!("step_{index}_assignee") aria-label=tr!("workflows-assignee")
                    prop:value=assignee_value(&assignee)
                    on:change=move |ev| set(WorkflowStep::Assign { assignee: assignee_of(&event_target_value(&ev)) })>
                    <option value="">{tr!("workflows-unassign")}</option>
                    {context.members.get_untracked().into_iter().map(|m| view! {
                        <option value=format!("user:{}", m.user.id) translate="no">{m.user.name}</option>
                    }).collect_view()}
                    {context.teams.get_untracked().into_iter().map(|t| view! {
                        <option value=format!("team:{}", t.id) translate="no">{t.name}</option>
                    }).collect_view()}
                </select>
            }
            .into_any(),
            WorkflowStep::Close => ().into_any(),
            WorkflowStep::UpdateContactField { field, value } => {
                let value_now = value.clone();
                view! {
                    <select name=format!("step_{index}_field") aria-label=tr!("workflows-field")
                        prop:value=field.to_string()
                        on:change={
                            let value = value.clone();
                            move |ev| set(WorkflowStep::UpdateContactField {
                                field: CustomFieldId(event_target_value(&ev).parse().unwrap_or(0)),
                                value: value.clone(),
                            })
                        }>
                        {context.fields.get_untracked().into_iter().map(|f| view! {
                            <option value=f.id.to_string() translate="no">{f.label}</option>
                        }).collect_view()}
                    </select>
                    <input type="text" name=format!("step_{index}_value") aria-label=tr!("workflows-value")
                        prop:value=value_now
                        on:input=move |ev| set(WorkflowStep::UpdateContactField { field, value: event_target_value(&ev) })/>
                }
                .into_any()
            }
            WorkflowStep::Wait { seconds } => {
                let (amount, unit) = wait_parts(seconds);
                view! {
                    <input type="number" min="1" name=format!("step_{index}_amount") aria-label=tr!("workflows-wait-amount")
                        prop:value=amount.to_string()
                        on:input=move |ev| {
                            let amount: u64 = event_target_value(&ev).parse().unwrap_or(0);
                            set(WorkflowStep::Wait { seconds: amount.saturating_mul(unit) })
                        }/>
                    <select name=format!("step_{index}_unit") aria-label=tr!("workflows-wait-unit")
                        prop:value=unit.to_string()
                        on:change=move |ev| {
                            let unit: u64 = event_target_value(&ev).parse().unwrap_or(1);
                            set(WorkflowStep::Wait { seconds: amount.saturating_mul(unit) })
                        }>
                        {UNITS.iter().map(|(u, _)| view! { <option value=u.to_string()>{unit_label(*u)}</option> }).collect_view()}
                    </select>
                }
                .into_any()
            }
            WorkflowStep::Branch { condition, skip } => {
                let equals = match &condition {
                    WorkflowCondition::ContactField { equals, .. } => Some(equals.clone()),
                    _ => None,
                };
                let chosen = condition_value(&condition);
                let keep = condition.clone();
                view! {
                    <select name=format!("step_{index}_condition") aria-label=tr!("workflows-condition")
                        prop:value=chosen
                        on:change=move |ev| {
                            set(WorkflowStep::Branch {
                                condition: condition_of(&event_target_value(&ev), String::new()),
                                skip,
                            });
                            reshape();
                        }>
                        <option value="assigned">{tr!("workflows-if-assigned")}</option>
                        <option value="unassigned">{tr!("workflows-if-unassigned")}</option>
                        <option value="status:open">{tr!("workflows-if-open")}</option>
                        <option value="status:closed">{tr!("workflows-if-closed")}</option>
                        {context.fields.get_untracked().into_iter().map(|f| view! {
                            <option value=format!("field:{}", f.id) translate="no">{tr!("workflows-if-field", field = f.label)}</option>
                        }).collect_view()}
                    </select>
                    {equals.map(|equals| {
                        let keep = keep.clone();
                        view! {
                            <input type="text" name=format!("step_{index}_equals") aria-label=tr!("workflows-equals")
                                prop:value=equals
                                on:input=move |ev| {
                                    if let WorkflowCondition::ContactField { field, .. } = &keep {
                                        set(WorkflowStep::Branch {
                                            condition: WorkflowCondition::ContactField { field: *field, equals: event_target_value(&ev) },
                                            skip,
                                        })
                                    }
                                }/>
                        }
                    })}
                    <label class="inline-field">
                        <span>{tr!("workflows-otherwise-skip")}</span>
                        <input type="number" min="1" name=format!("step_{index}_skip")
                            prop:value=skip.to_string()
                            on:input={
                                let condition = condition.clone();
                                move |ev| set(WorkflowStep::Branch {
                                    condition: condition.clone(),
                                    skip: event_target_value(&ev).parse().unwrap_or(0),
                                })
                            }/>
                    </label>
                }
                .into_any()
            }
            WorkflowStep::HttpRequest { method, url, body } => {
                let body_now = body.clone().unwrap_or_default();
                let url_now = url.clone();
                view! {
                    <select name=format!("step_{index}_method") aria-label=tr!("workflows-method")
                        prop:value=if method == HttpMethod::Get { "GET" } else { "POST" }
                        on:change={
                            let (url, body) = (url.clone(), body.clone());
                            move |ev| set(WorkflowStep::HttpRequest {
                                method: if event_target_value(&ev) == "GET" { HttpMethod::Get } else { HttpMethod::Post },
                                url: url.clone(),
                                body: body.clone(),
                            })
                        }>
                        <option value="POST">"POST"</option>
                        <option value="GET">"GET"</option>
                    </select>
                    <input type="url" name=format!("step_{index}_url") aria-label=tr!("workflows-url") placeholder="https://"
                        prop:value=url_now
                        on:input={
                            let body = body.clone();
                            move |ev| set(WorkflowStep::HttpRequest { method, url: event_target_value(&ev), body: body.clone() })
                        }/>
                    <textarea name=format!("step_{index}_body") rows="2" aria-label=tr!("workflows-body")
                        prop:value=body_now
                        on:input={
                            let url = url.clone();
                            move |ev| {
                                let text = event_target_value(&ev);
                                set(WorkflowStep::HttpRequest {
                                    method,
                                    url: url.clone(),
                                    body: (!text.trim().is_empty()).then_some(text),
                                })
                            }
                        }></textarea>
                }
                .into_any()
            }
        },
    };
    let kind = step().map(|s| kind_of(&s)).unwrap_or("close");
    let first = index == 0;
    let last = index + 1 >= draft.with_untracked(|d| d.steps.len());
    view! {
        <li class="workflow-step">
            <div class="workflow-step-head">
                <span class="workflow-step-number">{index + 1}"."</span>
                <select name=format!("step_{index}_kind") aria-label=tr!("workflows-step-kind")
                    prop:value=kind
                    on:change=move |ev| {
                        let first = context.fields.with_untracked(|f| f.first().map(|f| f.id));
                        set(new_step(&event_target_value(&ev), first));
                        reshape();
                    }>
                    {KINDS.iter().map(|k| view! { <option value=*k>{kind_label(k)}</option> }).collect_view()}
                </select>
                <span class="workflow-step-tools">
                    <button type="button" class="icon-button small" aria-label=tr!("workflows-move-up")
                        disabled=first
                        on:click=move |_| { draft.update(|d| if index > 0 { d.steps.swap(index, index - 1) }); reshape(); }>"↑"</button>
                    <button type="button" class="icon-button small" aria-label=tr!("workflows-move-down")
                        disabled=last
                        on:click=move |_| { draft.update(|d| if index + 1 < d.steps.len() { d.steps.swap(index, index + 1) }); reshape(); }>"↓"</button>
                    <button type="button" class="icon-button small" aria-label=tr!("workflows-remove-step")
                        on:click=move |_| { draft.update(|d| { if index < d.steps.len() { d.steps.remove(index); } }); reshape(); }>"×"</button>
                </span>
            </div>
            <div class="workflow-step-inputs">{inputs}</div>
            {error}
        </li>
    }
}
