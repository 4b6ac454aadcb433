//! The contact panel (P2–P4) beside the thread (a sheet on phones): who the contact is,
//! their custom fields, a call link, "Search in messages" (C6), and editing with each
//! field checked as the server checks it. Masked members never see a number: they cannot
//! call, and a number they add is hidden once saved. Also the "New contact" dialog (P1).

use super::use_inbox;
use crate::api::{self, ClientError};
use crate::model::contact_form::{ContactForm, is_empty, tel_link};
use crate::routes;
use crate::ui::avatar::Avatar;
use crate::ui::icons::Icon;
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
    let text_input = move |label: &'static str,
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
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
            };
        };
        let summary = c.summary.clone();
        let defined = fields.get();
        let masked = summary.phone_masked;
        let call = match (&summary.phone, masked) {
            (_, true) => view! {
                <p class="muted small contact-note">"Phone numbers are hidden for you, so calling is off."</p>
            }
            .into_any(),
            (Some(phone), false) => view! {
                <a class="button subtle small" href=tel_link(phone)>
                    <Icon name="phone"/>"Call"
                </a>
            }
            .into_any(),
            (None, false) => view! {
                <button type="button" class="button subtle small" on:click=move |_| focus_phone()>
                    <Icon name="phone"/>"Add a number to call"
                </button>
            }
            .into_any(),
        };
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
                {summary.blocked.then(|| view! { <span class="status-chip status-blocked">"Blocked"</span> })}
                <div class="contact-actions">
                    {call}
                    <button type="button" class="button subtle small" on:click=move |_| inbox.thread_search.set(true)>
                        <Icon name="search"/>"Search in messages"
                    </button>
                </div>
            </div>
            <dl class="contact-details">
                <div><dt>"E-mail"</dt><dd>{summary.email.clone().unwrap_or_else(|| "—".into())}</dd></div>
                <div>
                    <dt>"Phone"</dt>
                    <dd>{match (&summary.phone, masked) {
                        (_, true) => "Hidden".to_owned(),
                        (Some(phone), false) => phone.clone(),
                        (None, false) => "—".to_owned(),
                    }}</dd>
                </div>
                {values
                    .into_iter()
                    .map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> })
                    .collect_view()}
                <div><dt>"Added"</dt><dd>{c.created_at.with_timezone(&crate::model::time::local_offset()).format("%-d %b %Y").to_string()}</dd></div>
            </dl>
            <Show when=move || saved.get()>
                <p class="muted small" role="status">"Saved."</p>
            </Show>
            <button type="button" class="button subtle" on:click=move |_| start_editing()>"Edit details"</button>
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
                {text_input("First name", "first_name", "text", |f| f.first_name.clone(), |f, v| f.first_name = v)}
                {text_input("Last name", "last_name", "text", |f| f.last_name.clone(), |f, v| f.last_name = v)}
                {text_input("E-mail", "email", "email", |f| f.email.clone(), |f, v| f.email = v)}
                {if hidden {
                    view! {
                        <div class="field">
                            <span>"Phone"</span>
                            <p class="muted small contact-note">"The number is hidden for you, so it cannot be changed here."</p>
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        {text_input("Phone", "phone", "tel", |f| f.phone.clone(), |f, v| f.phone = v)}
                        {member_masked().then(|| view! {
                            <p class="muted small">"Numbers are hidden for you: a number you add is kept, and hidden once saved."</p>
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
                    <button type="button" class="button subtle" on:click=move |_| editing.set(false)>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=saving>"Save"</button>
                </div>
            </form>
        }
    };
    view! {
        <aside class="contact-panel" aria-labelledby="contact-panel-title">
            <header class="contact-panel-header">
                <h2 id="contact-panel-title">"Contact"</h2>
                <button
                    type="button"
                    class="icon-button"
                    aria-label="Close contact details"
                    on:click=move |_| inbox.set_contact_open(false)
                >
                    <Icon name="x"/>
                </button>
            </header>
            <div class="contact-panel-body">
                {move || if editing.get() { editor().into_any() } else { details() }}
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
        let first_name = check(name("first_name", &f.first_name).map(Some)).unwrap_or_default();
        let last_name = check(name("last_name", &f.last_name).map(Some)).unwrap_or_default();
        let email = check(email(Some(&f.email)));
        let phone = check(phone(Some(&f.phone)));
        if first_name.is_empty() && last_name.is_empty() && email.is_none() && phone.is_none() {
            found.insert(
                "first_name".into(),
                "Give a name, an e-mail address or a phone number.".into(),
            );
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
    let input = move |label: &'static str,
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
                <h2 id="new-contact-title">"New contact"</h2>
                <form class="modal-body" on:submit=submit novalidate=true>
                    {input("First name", "first_name", "text", |f, v| f.first_name = v)}
                    {input("Last name", "last_name", "text", |f, v| f.last_name = v)}
                    {input("E-mail", "email", "email", |f, v| f.email = v)}
                    {input("Phone", "phone", "tel", |f, v| f.phone = v)}
                    {move || problems.with(|p| p.get("form").cloned()).map(|m| view! {
                        <p class="form-error" role="alert">{m}</p>
                    })}
                    <p class="muted small">"The contact starts in the Closed tab until someone writes."</p>
                    <div class="modal-buttons">
                        <button type="button" class="button subtle" on:click=move |_| open.set(false)>"Cancel"</button>
                        <button type="submit" class="button primary" disabled=saving>"Add contact"</button>
                    </div>
                </form>
            </div>
        </div>
    }
}
