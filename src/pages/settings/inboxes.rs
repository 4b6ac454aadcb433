//! Custom inboxes (T2): saved filters shown as folders. Any member builds their own (channels,
//! statuses, assignee, the newest incoming message's age, conditions on contact fields) and
//! shares it with members or teams; owners and managers may change anyone's. A change shows
//! in everyone's folders at once (`workspace_changed`).

use super::use_settings;
use crate::api;
use crate::model::inbox_form::{Age, Condition, InboxForm, needs_value, ops_for, toggle};
use crate::state::session::use_session;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::inbox::*;
use switchboard_protocol::*;

fn op_label(op: FieldOp) -> String {
    match op {
        FieldOp::Equals => tr!("settings-inbox-op-is"),
        FieldOp::Contains => tr!("settings-inbox-op-contains"),
        FieldOp::IsSet => tr!("settings-inbox-op-is-set"),
        FieldOp::IsNotSet => tr!("settings-inbox-op-is-not-set"),
        FieldOp::GreaterThan => tr!("settings-inbox-op-more"),
        FieldOp::LessThan => tr!("settings-inbox-op-less"),
    }
}

/// The word after the typed number of minutes ("minutes"; «минуты», «минут назад»).
fn minutes_unit(age: Age, typed: &str) -> String {
    let count = typed.trim().parse::<u32>().unwrap_or(0);
    let age = if age == Age::OlderThan {
        "older"
    } else {
        "within"
    };
    tr!("settings-inbox-minutes", age = age, count = count)
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
                    context.saved(tr!("settings-inbox-saved", name = &inbox.name));
                    reload();
                }
                Err(e) => super::refused(context, problem, e, "name"),
            }
        });
    };
    let remove = move |inbox: CustomInbox| {
        spawn_local(async move {
            match api::delete_custom_inbox(ws, inbox.id).await {
                Ok(()) => context.saved(tr!("settings-inbox-deleted", name = &inbox.name)),
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
                (
                    "first_name".to_owned(),
                    tr!("settings-inbox-field-first-name"),
                ),
                (
                    "last_name".to_owned(),
                    tr!("settings-inbox-field-last-name"),
                ),
                ("email".to_owned(), tr!("settings-inbox-field-email")),
                ("phone".to_owned(), tr!("settings-inbox-field-phone")),
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
            <form class="settings-form field-form inbox-builder" on:submit=save novalidate=true aria-label=tr!("settings-inbox-form")>
                <label class="field">
                    <span>{tr!("settings-inbox-name")}</span>
                    <input type="text" name="inbox_name" prop:value=move || form.with(|f| f.name.clone())
                        on:input=move |ev| form.update(|f| f.name = event_target_value(&ev))/>
                    {error_of("name")}
                </label>
                <fieldset class="choice-row">
                    <legend>{tr!("settings-inbox-channels")}</legend>
                    {ChannelKind::ALL.iter().map(|kind| {
                        let kind = *kind;
                        view! {
                            <label class="choice">
                                <input type="checkbox" prop:checked=move || form.with(|f| f.channels.contains(&kind))
                                    on:change=move |ev| form.update(|f| toggle(&mut f.channels, kind, event_target_checked(&ev)))/>
                                <span>{crate::model::channels::kind_name(kind)}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <fieldset class="choice-row">
                    <legend>{tr!("settings-inbox-statuses")}</legend>
                    {[
                        (ConversationStatus::Open, tr!("settings-inbox-status-open")),
                        (ConversationStatus::Closed, tr!("settings-inbox-status-closed")),
                        (ConversationStatus::Snoozed, tr!("settings-inbox-status-snoozed")),
                    ]
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
                    <span>{tr!("settings-inbox-assignee")}</span>
                    <select name="assignee" prop:value=move || form.with(|f| assignee_key(f.assignee))
                        on:change=move |ev| form.update(|f| f.assignee = assignee_of(&event_target_value(&ev)))>
                        <option value="any">{tr!("settings-inbox-assignee-any")}</option>
                        <option value="unassigned">{tr!("settings-inbox-assignee-none")}</option>
                        <option value="me">{tr!("settings-inbox-assignee-me")}</option>
                        <option value="ai">{tr!("settings-inbox-assignee-ai")}</option>
                        {move || members.get().into_iter().map(|m| view! {
                            <option value=format!("user:{}", m.user.id) translate="no">{m.user.name}</option>
                        }).collect_view()}
                        {move || teams.get().into_iter().map(|t| view! {
                            <option value=format!("team:{}", t.id)>{tr!("settings-inbox-assignee-team", name = &t.name)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <div class="field">
                    <span>{tr!("settings-inbox-age")}</span>
                    <div class="inline-form">
                        <select name="age" aria-label=tr!("settings-inbox-age")
                            on:change=move |ev| form.update(|f| f.age = match event_target_value(&ev).as_str() {
                                "within" => Age::Within,
                                "older" => Age::OlderThan,
                                _ => Age::Any,
                            })>
                            <option value="any" selected=move || form.with(|f| f.age == Age::Any)>{tr!("settings-inbox-age-any")}</option>
                            <option value="within" selected=move || form.with(|f| f.age == Age::Within)>{tr!("settings-inbox-age-within")}</option>
                            <option value="older" selected=move || form.with(|f| f.age == Age::OlderThan)>{tr!("settings-inbox-age-older")}</option>
                        </select>
                        <Show when=move || form.with(|f| f.age != Age::Any)>
                            <input type="text" inputmode="numeric" name="minutes" aria-label=tr!("settings-inbox-minutes-label")
                                prop:value=move || form.with(|f| f.minutes.clone())
                                on:input=move |ev| form.update(|f| f.minutes = event_target_value(&ev))/>
                            <span class="muted small">{move || form.with(|f| minutes_unit(f.age, &f.minutes))}</span>
                        </Show>
                    </div>
                    {error_of("filter.last_incoming")}
                </div>
                <div class="field">
                    <span>{tr!("settings-inbox-conditions")}</span>
                    {move || form.with(|f| f.conditions.len()).gt(&0).then(|| {
                        let count = form.with(|f| f.conditions.len());
                        (0..count).map(|i| {
                            let ops = move || form.with(|f| f.conditions.get(i).map(|c| ops_for(c.field, &fields.get())).unwrap_or_default());
                            view! {
                                <div class="inline-form condition-row">
                                    <select aria-label=tr!("settings-inbox-condition-field", number = i + 1)
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
                                    <select aria-label=tr!("settings-inbox-condition-op", number = i + 1)
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
                                        <input type="text" aria-label=tr!("settings-inbox-condition-value", number = i + 1)
                                            prop:value=move || form.with(|f| f.conditions.get(i).map(|c| c.value.clone()).unwrap_or_default())
                                            on:input=move |ev| form.update(|f| if let Some(c) = f.conditions.get_mut(i) { c.value = event_target_value(&ev); })/>
                                    </Show>
                                    <button type="button" class="button subtle small" aria-label=tr!("settings-inbox-condition-remove-label", number = i + 1)
                                        on:click=move |_| form.update(|f| { if i < f.conditions.len() { f.conditions.remove(i); } })>{tr!("settings-inbox-condition-remove")}</button>
                                </div>
                            }
                        }).collect_view()
                    })}
                    <div>
                        <button type="button" class="button subtle small" on:click=move |_| form.update(|f| f.conditions.push(Condition {
                            field: ContactField::FirstName,
                            op: FieldOp::Equals,
                            value: String::new(),
                        }))>{tr!("settings-inbox-condition-add")}</button>
                    </div>
                    {error_of("filter.contact")}
                </div>
                <fieldset class="choice-row">
                    <legend>{tr!("settings-inbox-shared")}</legend>
                    {move || members.get().into_iter().filter(|m| Some(m.user.id) != me()).map(|m| {
                        let id = m.user.id;
                        view! {
                            <label class="choice">
                                <input type="checkbox" prop:checked=move || form.with(|f| f.users.contains(&id))
                                    on:change=move |ev| form.update(|f| toggle(&mut f.users, id, event_target_checked(&ev)))/>
                                <span translate="no">{m.user.name}</span>
                            </label>
                        }
                    }).collect_view()}
                    {move || teams.get().into_iter().map(|t| {
                        let id = t.id;
                        view! {
                            <label class="choice">
                                <input type="checkbox" prop:checked=move || form.with(|f| f.teams.contains(&id))
                                    on:change=move |ev| form.update(|f| toggle(&mut f.teams, id, event_target_checked(&ev)))/>
                                <span><crate::components::highlighted::NamedText text=tr!("settings-inbox-share-team", name = &t.name) name=t.name.clone()/></span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="modal-buttons">
                    <button type="button" class="button subtle" on:click=move |_| editing.set(None)>{tr!("settings-cancel")}</button>
                    <button type="submit" class="button primary">{tr!("settings-inbox-save")}</button>
                </div>
            </form>
        }
    };
    view! {
        <section class="settings-section" aria-labelledby="inboxes-title">
            <h2 id="inboxes-title">{tr!("settings-inboxes-title")}</h2>
            <p class="muted small">{tr!("settings-inboxes-hint")}</p>
            <ul class="settings-list">
                <For each=move || inboxes.get() key=|i| (i.id, i.name.clone(), format!("{:?}", i.filter)) let:inbox>
                    {
                        let changeable = may_change(&inbox);
                        let for_edit = inbox.clone();
                        let for_delete = inbox.clone();
                        view! {
                            <li class="settings-item">
                                <div class="settings-item-head">
                                    <strong translate="no">{inbox.name.clone()}</strong>
                                    {changeable.then(|| view! {
                                        <span class="settings-item-actions">
                                            <button type="button" class="button subtle small"
                                                aria-label=tr!("settings-inbox-edit-label", name = &for_edit.name)
                                                on:click=move |_| start(Some(for_edit.clone()))>{tr!("settings-edit")}</button>
                                            <button type="button" class="button subtle small"
                                                aria-label=tr!("settings-inbox-delete-label", name = &for_delete.name)
                                                on:click=move |_| remove(for_delete.clone())>{tr!("settings-delete")}</button>
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
                    <button type="button" class="button subtle" on:click=move |_| start(None)>{tr!("settings-inbox-new")}</button>
                </div>
            </Show>
            <Show when=move || editing.get().is_some()>{editor}</Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minutes_agree_with_the_number_typed() {
        assert_eq!(minutes_unit(Age::Within, "1"), "minutes");
        assert_eq!(minutes_unit(Age::OlderThan, "60"), "minutes");
        crate::i18n::set_lang(crate::i18n::Lang::Ru);
        let words = [
            minutes_unit(Age::Within, "1"),
            minutes_unit(Age::Within, " 3 "),
            minutes_unit(Age::Within, "60"),
            minutes_unit(Age::OlderThan, "21"),
            minutes_unit(Age::OlderThan, "15"),
            minutes_unit(Age::OlderThan, ""),
        ];
        crate::i18n::set_lang(crate::i18n::Lang::En);
        assert_eq!(
            words,
            [
                "минуту",
                "минуты",
                "минут",
                "минуты назад",
                "минут назад",
                "минут назад"
            ]
        );
    }
}
