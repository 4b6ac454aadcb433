//! The contact's record in a connected CRM, in the contact panel (P5 HubSpot, P6
//! Salesforce): the workspace's chosen fields, "View in HubSpot" (or Salesforce), a tap on a
//! value copies it, editable fields save on Enter, on leaving the field or with Save, and a
//! revert icon restores the value the record had when it was opened. The e-mail address and
//! phone numbers are read-only; masked members see no phone value. The CRM's refusals show
//! where they belong: a value's under its field, the rest (reconnect, try later) above.

use crate::tr;
use crate::ui::icons::Icon;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;
use switchboard_protocol::crm::{CrmField, CrmProvider, CrmRecord};
use switchboard_protocol::{ContactId, WorkspaceId};

#[derive(Clone, PartialEq)]
enum Panel {
    /// The CRM is not connected: nothing is shown.
    Hidden,
    Loading,
    Failed(String),
    NotFound,
    Found(CrmRecord),
}

#[component]
pub fn CrmPanel(crm: CrmProvider, workspace: WorkspaceId, contact: ContactId) -> impl IntoView {
    let panel = RwSignal::new(Panel::Hidden);
    // The values as the record was first read, for revert.
    let originals = StoredValue::new(HashMap::<String, Option<String>>::new());
    let load = move || {
        panel.set(Panel::Loading);
        spawn_local(async move {
            match crate::api::crm_record(workspace, contact, crm).await {
                Ok(lookup) => match lookup.record {
                    Some(record) => {
                        originals.update_value(|o| {
                            for f in &record.fields {
                                o.entry(f.name.clone()).or_insert_with(|| f.value.clone());
                            }
                        });
                        panel.set(Panel::Found(record));
                    }
                    None => panel.set(Panel::NotFound),
                },
                Err(e) => panel.set(Panel::Failed(e.to_string())),
            }
        });
    };
    // The workspace's directory says whether the CRM is connected (and is read again when
    // that changes); the record is asked for only then.
    let inbox = super::use_inbox();
    // Other changes to the directory leave the panel (and a field being edited) alone.
    let connected = Memo::new(move |_| {
        inbox
            .directory
            .with(|d| d.as_ref().map(|d| d.crm.contains(&crm)))
    });
    Effect::new(move |_| match connected.get() {
        Some(true) => load(),
        Some(false) => panel.set(Panel::Hidden),
        None => {}
    });
    let problem = RwSignal::new(None::<String>);
    view! {
        {move || (panel.get() != Panel::Hidden).then(|| view! {
            <section class="crm-panel" aria-labelledby=format!("{}-title", crm.as_str())>
                <header class="crm-panel-header">
                    <h3 id=format!("{}-title", crm.as_str()) translate="no">{crm.name()}</h3>
                    {move || match panel.get() {
                        Panel::Found(record) => Some(view! {
                            <a class="link-button" href=record.url target="_blank" rel="noopener noreferrer">
                                {tr!("crm-view-in", crm = crm.name())}
                            </a>
                        }),
                        _ => None,
                    }}
                </header>
                {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
                {move || match panel.get() {
                    Panel::Hidden => ().into_any(),
                    Panel::Loading => view! { <p class="muted small">{tr!("crm-loading")}</p> }.into_any(),
                    Panel::NotFound => view! { <p class="muted small">{tr!("crm-not-found")}</p> }.into_any(),
                    Panel::Failed(reason) => view! {
                        <p class="form-error" role="alert">{reason}</p>
                        <button type="button" class="button subtle small" on:click=move |_| load()>{tr!("crm-retry")}</button>
                    }.into_any(),
                    Panel::Found(record) => view! {
                        <dl class="crm-fields">
                            {record.fields.into_iter().map(|field| {
                                let original = originals.with_value(|o| o.get(&field.name).cloned().flatten());
                                view! {
                                    <FieldRow crm=crm workspace=workspace contact=contact field=field original=original
                                        problem=problem/>
                                }
                            }).collect_view()}
                        </dl>
                    }.into_any(),
                }}
            </section>
        })}
    }
}

/// Copies `text` to the clipboard; whether the browser took it.
async fn copy(text: String) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(window.navigator().clipboard().write_text(&text))
        .await
        .is_ok()
}

#[component]
fn FieldRow(
    crm: CrmProvider,
    workspace: WorkspaceId,
    contact: ContactId,
    field: CrmField,
    /// The value when the record was opened.
    original: Option<String>,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let name = field.name.clone();
    let saved = RwSignal::new(field.value.clone().unwrap_or_default());
    let draft = RwSignal::new(field.value.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let save_name = name.clone();
    let save = move |value: String| {
        if value == saved.get_untracked() || saving.get_untracked() {
            return;
        }
        saving.set(true);
        error.set(None);
        problem.set(None);
        let name = save_name.clone();
        spawn_local(async move {
            match crate::api::save_crm_field(workspace, contact, crm, &name, &value).await {
                Ok(record) => {
                    let now = record
                        .fields
                        .iter()
                        .find(|f| f.name == name)
                        .and_then(|f| f.value.clone())
                        .unwrap_or_default();
                    // Only this row changes: another field being edited keeps its text.
                    saved.set(now.clone());
                    draft.set(now);
                }
                Err(e) => match e.problem("") {
                    (field, message) if field == name => error.set(Some(message)),
                    _ => problem.set(Some(e.to_string())),
                },
            }
            saving.set(false);
        });
    };
    let label = field.label.clone();
    let value = field.value.clone();
    let shown = if field.masked {
        view! { <dd class="muted">{tr!("crm-hidden")}</dd> }.into_any()
    } else if field.editable {
        let original_value = original.clone().unwrap_or_default();
        let revert_to = original_value.clone();
        let save_blur = save.clone();
        let save_key = save.clone();
        let save_button = save.clone();
        view! {
            <dd class="crm-edit">
                <input type="text" name=format!("crm.{name}") aria-label=label.clone() translate="no"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    on:blur=move |_| save_blur(draft.get_untracked())
                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); save_key(draft.get_untracked()) }
                />
                <Show when=move || draft.get() != saved.get()>
                    <button type="button" class="button primary small" disabled=move || saving.get()
                        on:mousedown=|ev| ev.prevent_default()
                        on:click={
                            let save_button = save_button.clone();
                            move |_| save_button(draft.get_untracked())
                        }>{tr!("crm-save")}</button>
                </Show>
                <Show when=move || saved.get() != original_value>
                    <button type="button" class="icon-button small" aria-label=tr!("crm-revert") title=tr!("crm-revert")
                        on:mousedown=|ev| ev.prevent_default()
                        on:click={
                            let revert_to = revert_to.clone();
                            let save = save.clone();
                            move |_| {
                                draft.set(revert_to.clone());
                                save(revert_to.clone());
                            }
                        }>
                        <Icon name="undo"/>
                    </button>
                </Show>
            </dd>
        }
        .into_any()
    } else {
        match value {
            Some(text) => view! {
                <dd>
                    <button type="button" class="crm-copy" translate="no" title=tr!("crm-copy")
                        on:click=move |_| {
                            let text = text.clone();
                            spawn_local(async move {
                                if copy(text).await {
                                    copied.set(true);
                                    set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
                                }
                            });
                        }>
                        {field.value.clone()}
                    </button>
                    <Show when=move || copied.get()>
                        <span class="crm-copied" role="status">{tr!("crm-copied")}</span>
                    </Show>
                </dd>
            }
            .into_any(),
            None => view! { <dd class="muted">"—"</dd> }.into_any(),
        }
    };
    view! {
        <div class="crm-field">
            <dt translate="no">{field.label.clone()}</dt>
            {shown}
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </div>
    }
}
