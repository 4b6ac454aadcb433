//! The contact panel (P2–P4) beside the thread (a sheet on phones): who the contact is,
//! their custom fields, a call link, "Search in messages" (C6), and editing with each
//! field checked as the server checks it. Masked members never see a number: they cannot
//! call, and a number they add is hidden once saved. Also the "New contact" dialog (P1).

use super::use_inbox;
use crate::api::{self, ClientError};
use crate::i18n::month_short;
use crate::model::contact_form::{self, ContactForm, is_empty, tel_link};
use crate::routes;
use crate::tr;
use crate::ui::avatar::Avatar;
use crate::ui::icons::Icon;
use chrono::Datelike;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use std::collections::BTreeMap;
use switchboard_protocol::contacts::*;
use switchboard_protocol::*;

/// The server's or the form's problems, by field name (`email`, `fields.3`, …).
type Problems = BTreeMap<String, String>;

fn problems_of(error: &ClientError) -> Problems {
    BTreeMap::from([error.problem("form")])
}

#[component]
pub fn ContactPanel(workspace: WorkspaceId, contact: ContactId) -> impl IntoView {
    let inbox = use_inbox();
    let loaded = RwSignal::new(None::<Contact>);
    let fields = RwSignal::new(Vec::<CustomField>::new());
    let error = RwSignal::new(None::<String>);
    let editing = RwSignal::new(false);
    let form = RwSignal::new(ContactForm::default());
    let problems = RwSignal::new(Problems::new());
    let saving = RwSignal::new(false);
    let saved = RwSignal::new(false);
    spawn_local(async move {
        let (one, defined) = futures::join!(
            api::contact(workspace, contact),
            api::custom_fields(workspace)
        );
        match (one, defined) {
            (Ok(one), Ok(defined)) => {
                fields.set(defined);
                loaded.set(Some(one));
            }
            (Err(e), _) | (_, Err(e)) => error.set(Some(e.to_string())),
        }
    });
    let start_editing = move || {
        if let Some(c) = loaded.get_untracked() {
            form.set(ContactForm::of(&c));
            problems.set(Problems::new());
            saved.set(false);
            editing.set(true);
        }
    };
    let focus_phone = move || {
        start_editing();
        request_animation_frame(|| {
            if let Some(input) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("contact-phone"))
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = input.focus();
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(current) = loaded.get_untracked() else {
            return;
        };
        let patch = match form
            .get_untracked()
            .patch(&current, &fields.get_untracked())
        {
            Ok(patch) => patch,
            Err(found) => {
                problems.set(found);
                return;
            }
        };
        if is_empty(&patch) {
            editing.set(false);
            return;
        }
        saving.set(true);
        spawn_local(async move {
            match api::update_contact(workspace, contact, &patch).await {
                Ok(updated) => {
                    loaded.set(Some(updated));
                    editing.set(false);
                    saved.set(true);
                    inbox.refresh_open(workspace);
                }
                Err(e) => problems.set(problems_of(&e)),
            }
            saving.set(false);
        });
    };
    let problem = move |name: &'static str| {
        move || {
            problems.with(|p| p.get(name).cloned()).map(|m| {
                view! { <p class="form-error" role="alert">{m}</p> }
            })
        }
    };
    let text_input = move |label: String,
                           name: &'static str,
                           kind: &'static str,
                           get: fn(&ContactForm) -> String,
                           set: fn(&mut ContactForm, String)| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input
                    id=format!("contact-{}", name.replace('_', "-"))
                    type=kind
                    name=name
                    aria-invalid=move || problems.with(|p| p.contains_key(name)).to_string()
                    prop:value=move || form.with(get)
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                />
                {problem(name)}
            </label>
        }
    };
    let details = move || {
        let Some(c) = loaded.get() else {
            return match error.get() {
                Some(e) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
                None => view! { <p class="muted">{tr!("contacts-loading")}</p> }.into_any(),
            };
        };
        let summary = c.summary.clone();
        let defined = fields.get();
        let masked = summary.phone_masked;
        let call = match (&summary.phone, masked) {
            (_, true) => view! {
                <p class="muted small contact-note">{tr!("contacts-call-hidden")}</p>
            }
            .into_any(),
            (Some(phone), false) => view! {
                <a class="button subtle small" href=tel_link(phone)>
                    <Icon name="phone"/>{tr!("contacts-call")}
                </a>
            }
            .into_any(),
            (None, false) => view! {
                <button type="button" class="button subtle small" on:click=move |_| focus_phone()>
                    <Icon name="phone"/>{tr!("contacts-add-number-to-call")}
                </button>
            }
            .into_any(),
        };
        let created = c
            .created_at
            .with_timezone(&crate::model::time::local_offset());
        let added = tr!(
            "date-day-month-year",
            day = created.day(),
            month = month_short(created.month()),
            year = created.year()
        );
        let values: Vec<(String, String)> = defined
            .iter()
            .filter_map(|f| {
                c.fields
                    .iter()
                    .find(|v| v.field == f.id)
                    .map(|v| (f.label.clone(), v.value.clone()))
            })
            .collect();
        view! {
            <div class="contact-hero">
                <Avatar initials=summary.initials() key=summary.id.0 large=true/>
                <h3>{summary.display_name()}</h3>
                {summary.blocked.then(|| view! { <span class="status-chip status-blocked">{tr!("contacts-blocked")}</span> })}
                <div class="contact-actions">
                    {call}
                    <button type="button" class="button subtle small" on:click=move |_| inbox.thread_search.set(true)>
                        <Icon name="search"/>{tr!("contacts-search-in-messages")}
                    </button>
                </div>
            </div>
            <dl class="contact-details">
                <div><dt>{tr!("contacts-email")}</dt><dd>{summary.email.clone().unwrap_or_else(|| "—".into())}</dd></div>
                <div>
                    <dt>{tr!("contacts-phone")}</dt>
                    <dd>{match (&summary.phone, masked) {
                        (_, true) => tr!("contacts-phone-hidden"),
                        (Some(phone), false) => phone.clone(),
                        (None, false) => "—".to_owned(),
                    }}</dd>
                </div>
                {values
                    .into_iter()
                    .map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> })
                    .collect_view()}
                <div><dt>{tr!("contacts-added")}</dt><dd>{added}</dd></div>
            </dl>
            <Show when=move || saved.get()>
                <p class="muted small" role="status">{tr!("contacts-saved")}</p>
            </Show>
            <button type="button" class="button subtle" on:click=move |_| start_editing()>{tr!("contacts-edit-details")}</button>
        }
        .into_any()
    };
    let member_masked = move || {
        inbox.workspace.get().is_some_and(|ws| {
            crate::state::session::use_session()
                .workspace(ws)
                .is_some_and(|m| m.permissions.phone_masked)
        })
    };
    let editor = move || {
        let hidden = loaded.with(|c| c.as_ref().is_some_and(|c| c.summary.phone_masked));
        let defined = fields.get();
        view! {
            <form class="contact-form" on:submit=save novalidate=true>
                {text_input(tr!("contacts-first-name"), "first_name", "text", |f| f.first_name.clone(), |f, v| f.first_name = v)}
                {text_input(tr!("contacts-last-name"), "last_name", "text", |f| f.last_name.clone(), |f, v| f.last_name = v)}
                {text_input(tr!("contacts-email"), "email", "email", |f| f.email.clone(), |f, v| f.email = v)}
                {if hidden {
                    view! {
                        <div class="field">
                            <span>{tr!("contacts-phone")}</span>
                            <p class="muted small contact-note">{tr!("contacts-phone-hidden-no-edit")}</p>
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        {text_input(tr!("contacts-phone"), "phone", "tel", |f| f.phone.clone(), |f, v| f.phone = v)}
                        {member_masked().then(|| view! {
                            <p class="muted small">{tr!("contacts-phone-masked-add")}</p>
                        })}
                    }
                    .into_any()
                }}
                {defined
                    .into_iter()
                    .map(|field| custom_input(field, form, problems))
                    .collect_view()}
                {problem("form")}
                <div class="modal-buttons">
                    <button type="button" class="button subtle" on:click=move |_| editing.set(false)>{tr!("contacts-cancel")}</button>
                    <button type="submit" class="button primary" disabled=saving>{tr!("contacts-save")}</button>
                </div>
            </form>
        }
    };
    view! {
        <aside class="contact-panel" aria-labelledby="contact-panel-title">
            <header class="contact-panel-header">
                <h2 id="contact-panel-title">{tr!("contacts-title")}</h2>
                <button
                    type="button"
                    class="icon-button"
                    aria-label=tr!("contacts-close-details")
                    on:click=move |_| inbox.set_contact_open(false)
                >
                    <Icon name="x"/>
                </button>
            </header>
            <div class="contact-panel-body">
                {move || if editing.get() { editor().into_any() } else { details() }}
                <super::ongoing_workflows::OngoingWorkflows workspace=workspace contact=contact/>
                {switchboard_protocol::crm::CrmProvider::ALL.map(|crm| view! {
                    <super::crm_panel::CrmPanel crm=crm workspace=workspace contact=contact/>
                })}
            </div>
        </aside>
    }
}

/// The input of one custom field, by its type.
fn custom_input(
    field: CustomField,
    form: RwSignal<ContactForm>,
    problems: RwSignal<Problems>,
) -> impl IntoView {
    let id = field.id;
    let name = format!("fields.{id}");
    let error_name = name.clone();
    let value = move || form.with(|f| f.fields.get(&id).cloned().unwrap_or_default());
    let set = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        form.update(|f| {
            f.fields.insert(id, v);
        });
    };
    let invalid_name = name.clone();
    let invalid = move || problems.with(|p| p.contains_key(&invalid_name)).to_string();
    let input = match field.kind {
        FieldKind::List => view! {
            <select name=name.clone() aria-invalid=invalid prop:value=value on:change=set>
                <option value="">"—"</option>
                {field
                    .options
                    .iter()
                    .map(|o| view! { <option value=o.clone()>{o.clone()}</option> })
                    .collect_view()}
            </select>
        }
        .into_any(),
        kind => {
            let kind = match kind {
                FieldKind::Number => "text",
                FieldKind::Date => "date",
                _ => "text",
            };
            let mode = if field.kind == FieldKind::Number {
                "decimal"
            } else {
                "text"
            };
            view! {
                <input
                    type=kind
                    inputmode=mode
                    name=name.clone()
                    aria-invalid=invalid
                    prop:value=value
                    on:input=set
                />
            }
            .into_any()
        }
    };
    view! {
        <label class="field">
            <span>{field.label.clone()}</span>
            {input}
            {move || problems.with(|p| p.get(&error_name).cloned()).map(|m| view! {
                <p class="form-error" role="alert">{m}</p>
            })}
        </label>
    }
}

/// P1: a new contact, who starts in the Closed tab; the agent lands on their conversation.
#[component]
pub fn NewContactDialog(workspace: WorkspaceId, open: RwSignal<bool>) -> impl IntoView {
    let navigate = use_navigate();
    let form = RwSignal::new(ContactForm::default());
    let problems = RwSignal::new(Problems::new());
    let saving = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = form.get_untracked();
        let mut found = Problems::new();
        let mut check = |r: Result<Option<String>, Invalid>| match r {
            Ok(v) => v,
            Err(i) => {
                found.insert(i.field, i.message);
                None
            }
        };
        let first_name =
            check(contact_form::name("first_name", &f.first_name).map(Some)).unwrap_or_default();
        let last_name =
            check(contact_form::name("last_name", &f.last_name).map(Some)).unwrap_or_default();
        let email = check(contact_form::email(&f.email));
        let phone = check(contact_form::phone(&f.phone));
        if first_name.is_empty() && last_name.is_empty() && email.is_none() && phone.is_none() {
            found.insert("first_name".into(), tr!("contacts-new-needs-something"));
        }
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        let request = NewContactRequest {
            first_name,
            last_name,
            email,
            phone,
            fields: Vec::new(),
        };
        saving.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::create_contact(workspace, &request).await {
                Ok(contact) => {
                    open.set(false);
                    let view = crate::model::view::InboxView {
                        status: Some(ConversationStatus::Closed),
                        ..Default::default()
                    };
                    navigate(
                        &format!(
                            "{}{}",
                            routes::conversation(workspace, contact.conversation_id),
                            routes::query(&view.to_pairs())
                        ),
                        NavigateOptions::default(),
                    );
                }
                Err(e) => problems.set(problems_of(&e)),
            }
            saving.set(false);
        });
    };
    let input = move |label: String,
                      name: &'static str,
                      kind: &'static str,
                      set: fn(&mut ContactForm, String)| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input
                    type=kind
                    name=name
                    aria-invalid=move || problems.with(|p| p.contains_key(name)).to_string()
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                />
                {move || problems.with(|p| p.get(name).cloned()).map(|m| view! {
                    <p class="form-error" role="alert">{m}</p>
                })}
            </label>
        }
    };
    view! {
        <div class="modal-scrim" on:click=move |_| open.set(false)>
            <div
                class="modal"
                role="dialog"
                aria-modal="true"
                aria-labelledby="new-contact-title"
                on:click=|ev| ev.stop_propagation()
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        open.set(false);
                    }
                }
            >
                <h2 id="new-contact-title">{tr!("contacts-new-title")}</h2>
                <form class="modal-body" on:submit=submit novalidate=true>
                    {input(tr!("contacts-first-name"), "first_name", "text", |f, v| f.first_name = v)}
                    {input(tr!("contacts-last-name"), "last_name", "text", |f, v| f.last_name = v)}
                    {input(tr!("contacts-email"), "email", "email", |f, v| f.email = v)}
                    {input(tr!("contacts-phone"), "phone", "tel", |f, v| f.phone = v)}
                    {move || problems.with(|p| p.get("form").cloned()).map(|m| view! {
                        <p class="form-error" role="alert">{m}</p>
                    })}
                    <p class="muted small">{tr!("contacts-new-starts-closed")}</p>
                    <div class="modal-buttons">
                        <button type="button" class="button subtle" on:click=move |_| open.set(false)>{tr!("contacts-cancel")}</button>
                        <button type="submit" class="button primary" disabled=saving>{tr!("contacts-add")}</button>
                    </div>
                </form>
            </div>
        </div>
    }
}
