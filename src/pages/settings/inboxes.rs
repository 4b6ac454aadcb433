//! Custom inboxes (T2): saved filters shown as folders. Any member builds their own (channels,
//! statuses, assignee, the newest incoming message's age, conditions on contact fields) and
//! shares it with members or teams; owners and managers may change anyone's. A change shows
//! in everyone's folders at once (`workspace_changed`).

use super::use_settings;
use crate::api;
use crate::model::inbox_form::{Age, Condition, InboxForm, needs_value, ops_for, toggle};
use crate::state::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::inbox::*;
use switchboard_protocol::*;

fn op_label(op: FieldOp) -> &'static str {
    match op {
        FieldOp::Equals => "is",
        FieldOp::Contains => "contains",
        FieldOp::IsSet => "is set",
        FieldOp::IsNotSet => "is not set",
        FieldOp::GreaterThan => "is more than",
        FieldOp::LessThan => "is less than",
    }
}

fn field_key(field: ContactField) -> String {
    match field {
        ContactField::FirstName => "first_name".into(),
        ContactField::LastName => "last_name".into(),
        ContactField::Email => "email".into(),
        ContactField::Phone => "phone".into(),
        ContactField::Custom(id) => format!("custom:{id}"),
    }
}

fn field_of(key: &str) -> Option<ContactField> {
    Some(match key {
        "first_name" => ContactField::FirstName,
        "last_name" => ContactField::LastName,
        "email" => ContactField::Email,
        "phone" => ContactField::Phone,
        other => ContactField::Custom(CustomFieldId(other.strip_prefix("custom:")?.parse().ok()?)),
    })
}

fn assignee_key(a: Option<AssigneeCondition>) -> String {
    match a {
        None => "any".into(),
        Some(AssigneeCondition::Unassigned) => "unassigned".into(),
        Some(AssigneeCondition::Me) => "me".into(),
        Some(AssigneeCondition::AiAgent) => "ai".into(),
        Some(AssigneeCondition::User { id }) => format!("user:{id}"),
        Some(AssigneeCondition::Team { id }) => format!("team:{id}"),
    }
}

fn assignee_of(key: &str) -> Option<AssigneeCondition> {
    match key {
        "unassigned" => Some(AssigneeCondition::Unassigned),
        "me" => Some(AssigneeCondition::Me),
        "ai" => Some(AssigneeCondition::AiAgent),
        other => match other.split_once(':') {
            Some(("user", id)) => id
                .parse()
                .ok()
                .map(|id| AssigneeCondition::User { id: UserId(id) }),
            Some(("team", id)) => id
                .parse()
                .ok()
                .map(|id| AssigneeCondition::Team { id: TeamId(id) }),
            _ => None,
        },
    }
}

#[component]
pub fn CustomInboxes() -> impl IntoView {
    let context = use_settings();
    let session = use_session();
    let ws = context.workspace;
    let me = move || session.signed_in().map(|me| me.user.id);
    let inboxes = RwSignal::new(Vec::<CustomInbox>::new());
    let (fields, members, teams) = (context.fields, context.members, context.teams);
    let reload = move || {
        spawn_local(async move {
            match api::custom_inboxes(ws).await {
                Ok(list) => inboxes.set(list),
                Err(e) => context.failed(e),
            }
        });
    };
    reload();
    let editing = RwSignal::new(None::<Option<CustomInboxId>>);
    let form = RwSignal::new(InboxForm::default());
    let problem = RwSignal::new(None::<(String, String)>);
    let start = move |inbox: Option<CustomInbox>| {
        form.set(inbox.as_ref().map(InboxForm::of).unwrap_or_default());
        problem.set(None);
        editing.set(Some(inbox.map(|i| i.id)));
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = match form.get_untracked().request(&fields.get_untracked()) {
            Ok(r) => r,
            Err(p) => {
                problem.set(Some(p));
                return;
            }
        };
        let Some(target) = editing.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match api::save_custom_inbox(ws, target, &request).await {
                Ok(inbox) => {
                    editing.set(None);
                    context.saved(format!("Custom inbox {} saved.", inbox.name));
                    reload();
                }
                Err(e) => super::refused(context, problem, e, "name"),
            }
        });
    };
    let remove = move |inbox: CustomInbox| {
        spawn_local(async move {
            match api::delete_custom_inbox(ws, inbox.id).await {
                Ok(()) => context.saved(format!("Custom inbox {} deleted.", inbox.name)),
                Err(e) => context.failed(e),
            }
            reload();
        });
    };
    let may_change = move |inbox: &CustomInbox| context.manager.get() || me() == Some(inbox.owner);
    let error_of = move |field: &'static str| super::problem_line(problem, field);
    let editor = move || {
        let field_options = move || {
            let mut list = vec![
                ("first_name".to_owned(), "First name".to_owned()),
                ("last_name".to_owned(), "Last name".to_owned()),
                ("email".to_owned(), "E-mail".to_owned()),
                ("phone".to_owned(), "Phone".to_owned()),
            ];
            list.extend(
                fields
                    .get()
                    .into_iter()
                    .map(|f| (format!("custom:{}", f.id), f.label)),
            );
            list
        };
        view! {
            <form class="settings-form field-form inbox-builder" on:submit=save novalidate=true aria-label="Custom inbox">
                <label class="field">
                    <span>"Name"</span>
                    <input type="text" name="inbox_name" prop:value=move || form.with(|f| f.name.clone())
                        on:input=move |ev| form.update(|f| f.name = event_target_value(&ev))/>
                    {error_of("name")}
                </label>
                <fieldset class="choice-row">
                    <legend>"Channels (none: any)"</legend>
                    {ChannelKind::ALL.iter().map(|kind| {
                        let kind = *kind;
                        view! {
                            <label class="choice">
                                <input type="checkbox" prop:checked=move || form.with(|f| f.channels.contains(&kind))
                                    on:change=move |ev| form.update(|f| toggle(&mut f.channels, kind, event_target_checked(&ev)))/>
                                <span>{kind.label()}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <fieldset class="choice-row">
                    <legend>"Status (none: any)"</legend>
                    {[(ConversationStatus::Open, "Open"), (ConversationStatus::Closed, "Closed"), (ConversationStatus::Snoozed, "Snoozed")]
                        .into_iter()
                        .map(|(status, label)| view! {
                            <label class="choice">
                                <input type="checkbox" prop:checked=move || form.with(|f| f.statuses.contains(&status))
                                    on:change=move |ev| form.update(|f| toggle(&mut f.statuses, status, event_target_checked(&ev)))/>
                                <span>{label}</span>
                            </label>
                        })
                        .collect_view()}
                </fieldset>
                <label class="field">
                    <span>"Assigned to"</span>
                    <select name="assignee" prop:value=move || form.with(|f| assignee_key(f.assignee))
                        on:change=move |ev| form.update(|f| f.assignee = assignee_of(&event_target_value(&ev)))>
                        <option value="any">"Anyone or no one"</option>
                        <option value="unassigned">"No one"</option>
                        <option value="me">"Whoever looks"</option>
                        <option value="ai">"The AI Agent"</option>
                        {move || members.get().into_iter().map(|m| view! {
                            <option value=format!("user:{}", m.user.id)>{m.user.name}</option>
                        }).collect_view()}
                        {move || teams.get().into_iter().map(|t| view! {
                            <option value=format!("team:{}", t.id)>{format!("Team {}", t.name)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <div class="field">
                    <span>"Last message from the contact"</span>
                    <div class="inline-form">
                        <select name="age" aria-label="Last message from the contact"
                            on:change=move |ev| form.update(|f| f.age = match event_target_value(&ev).as_str() {
                                "within" => Age::Within,
                                "older" => Age::OlderThan,
                                _ => Age::Any,
                            })>
                            <option value="any" selected=move || form.with(|f| f.age == Age::Any)>"Any time"</option>
                            <option value="within" selected=move || form.with(|f| f.age == Age::Within)>"Within the last"</option>
                            <option value="older" selected=move || form.with(|f| f.age == Age::OlderThan)>"More than"</option>
                        </select>
                        <Show when=move || form.with(|f| f.age != Age::Any)>
                            <input type="text" inputmode="numeric" name="minutes" aria-label="Minutes"
                                prop:value=move || form.with(|f| f.minutes.clone())
                                on:input=move |ev| form.update(|f| f.minutes = event_target_value(&ev))/>
                            <span class="muted small">"minutes"</span>
                        </Show>
                    </div>
                    {error_of("filter.last_incoming")}
                </div>
                <div class="field">
                    <span>"Contact conditions (all must hold)"</span>
                    {move || form.with(|f| f.conditions.len()).gt(&0).then(|| {
                        let count = form.with(|f| f.conditions.len());
                        (0..count).map(|i| {
                            let ops = move || form.with(|f| f.conditions.get(i).map(|c| ops_for(c.field, &fields.get())).unwrap_or_default());
                            view! {
                                <div class="inline-form condition-row">
                                    <select aria-label=format!("Condition {} field", i + 1)
                                        prop:value=move || form.with(|f| f.conditions.get(i).map(|c| field_key(c.field)).unwrap_or_default())
                                        on:change=move |ev| {
                                            if let Some(field) = field_of(&event_target_value(&ev)) {
                                                form.update(|f| if let Some(c) = f.conditions.get_mut(i) { c.field = field; });
                                            }
                                        }>
                                        {move || field_options().into_iter().map(|(key, label)| view! {
                                            <option value=key>{label}</option>
                                        }).collect_view()}
                                    </select>
                                    <select aria-label=format!("Condition {} comparison", i + 1)
                                        prop:value=move || form.with(|f| f.conditions.get(i).map(|c| c.op.as_str().to_owned()).unwrap_or_default())
                                        on:change=move |ev| {
                                            if let Some(op) = FieldOp::parse(&event_target_value(&ev)) {
                                                form.update(|f| if let Some(c) = f.conditions.get_mut(i) { c.op = op; });
                                            }
                                        }>
                                        {move || ops().into_iter().map(|op| view! {
                                            <option value=op.as_str()>{op_label(op)}</option>
                                        }).collect_view()}
                                    </select>
                                    <Show when=move || form.with(|f| f.conditions.get(i).is_some_and(|c| needs_value(c.op)))>
                                        <input type="text" aria-label=format!("Condition {} value", i + 1)
                                            prop:value=move || form.with(|f| f.conditions.get(i).map(|c| c.value.clone()).unwrap_or_default())
                                            on:input=move |ev| form.update(|f| if let Some(c) = f.conditions.get_mut(i) { c.value = event_target_value(&ev); })/>
                                    </Show>
                                    <button type="button" class="button subtle small" aria-label=format!("Remove condition {}", i + 1)
                                        on:click=move |_| form.update(|f| { if i < f.conditions.len() { f.conditions.remove(i); } })>"Remove"</button>
                                </div>
                            }
                        }).collect_view()
                    })}
                    <div>
                        <button type="button" class="button subtle small" on:click=move |_| form.update(|f| f.conditions.push(Condition {
                            field: ContactField::FirstName,
                            op: FieldOp::Equals,
                            value: String::new(),
                        }))>"Add a condition"</button>
                    </div>
                    {error_of("filter.contact")}
                </div>
                <fieldset class="choice-row">
                    <legend>"Shared with (none: only you)"</legend>
                    {move || members.get().into_iter().filter(|m| Some(m.user.id) != me()).map(|m| {
                        let id = m.user.id;
                        view! {
                            <label class="choice">
                                <input type="checkbox" prop:checked=move || form.with(|f| f.users.contains(&id))
                                    on:change=move |ev| form.update(|f| toggle(&mut f.users, id, event_target_checked(&ev)))/>
                                <span>{m.user.name}</span>
                            </label>
                        }
                    }).collect_view()}
                    {move || teams.get().into_iter().map(|t| {
                        let id = t.id;
                        view! {
                            <label class="choice">
                                <input type="checkbox" prop:checked=move || form.with(|f| f.teams.contains(&id))
                                    on:change=move |ev| form.update(|f| toggle(&mut f.teams, id, event_target_checked(&ev)))/>
                                <span>{format!("Team {}", t.name)}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="modal-buttons">
                    <button type="button" class="button subtle" on:click=move |_| editing.set(None)>"Cancel"</button>
                    <button type="submit" class="button primary">"Save inbox"</button>
                </div>
            </form>
        }
    };
    view! {
        <section class="settings-section" aria-labelledby="inboxes-title">
            <h2 id="inboxes-title">"Custom inboxes"</h2>
            <p class="muted small">"Saved filters that show as folders, for you or for the members and teams you share them with."</p>
            <ul class="settings-list">
                <For each=move || inboxes.get() key=|i| (i.id, i.name.clone(), format!("{:?}", i.filter)) let:inbox>
                    {
                        let changeable = may_change(&inbox);
                        let for_edit = inbox.clone();
                        let for_delete = inbox.clone();
                        view! {
                            <li class="settings-item">
                                <div class="settings-item-head">
                                    <strong>{inbox.name.clone()}</strong>
                                    {changeable.then(|| view! {
                                        <span class="settings-item-actions">
                                            <button type="button" class="button subtle small"
                                                aria-label=format!("Edit inbox {}", for_edit.name)
                                                on:click=move |_| start(Some(for_edit.clone()))>"Edit"</button>
                                            <button type="button" class="button subtle small"
                                                aria-label=format!("Delete inbox {}", for_delete.name)
                                                on:click=move |_| remove(for_delete.clone())>"Delete"</button>
                                        </span>
                                    })}
                                </div>
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || editing.get().is_none()>
                <div>
                    <button type="button" class="button subtle" on:click=move |_| start(None)>"New custom inbox"</button>
                </div>
            </Show>
            <Show when=move || editing.get().is_some()>{editor}</Show>
        </section>
    }
}
