//! Sending an approved WhatsApp template when the 24-hour window is closed: a dialog lists
//! the number's templates (read from Meta through the server), shows the chosen one filled
//! in as the contact will read it, with a field per variable, and sends it.

use crate::model::thread::Outgoing;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::templates::{self, MessageTemplate, TemplateError, TemplateSend};
use switchboard_protocol::{ChannelId, MessageKind, WorkspaceId};

/// Why the values do not fit the template, in the language in use.
fn template_error(error: &TemplateError) -> String {
    match error {
        TemplateError::Count { expected, given } => tr!(
            "composer-template-count",
            expected = *expected,
            given = *given
        ),
        TemplateError::Empty(name) => tr!("composer-template-empty", name = name),
        TemplateError::Shape(name) => tr!("composer-template-shape", name = name),
    }
}

#[component]
pub fn TemplateDialog(
    workspace: WorkspaceId,
    /// The WhatsApp channel the template goes through.
    channel: ChannelId,
    on_send: Callback<Outgoing>,
    open: RwSignal<bool>,
) -> impl IntoView {
    let loaded = RwSignal::new(None::<Result<Vec<MessageTemplate>, String>>);
    spawn_local(async move {
        let answer = crate::api::templates(workspace, channel)
            .await
            .map_err(|e| e.to_string());
        loaded.set(Some(answer));
    });
    let chosen = RwSignal::new(None::<MessageTemplate>);
    let values = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<String>);
    let choose = move |template: MessageTemplate| {
        values.set(vec![String::new(); template.variables.len()]);
        error.set(None);
        chosen.set(Some(template));
    };
    let send = move || {
        let Some(template) = chosen.get_untracked() else {
            return;
        };
        let given: Vec<String> = values
            .get_untracked()
            .iter()
            .map(|v| v.trim().to_owned())
            .collect();
        if let Err(e) = templates::check_values(&template.variables, &given) {
            error.set(Some(template_error(&e)));
            return;
        }
        on_send.run(Outgoing {
            kind: MessageKind::Message,
            text: templates::text(&template, &given),
            reply_to: None,
            mentions: Vec::new(),
            attachments: Vec::new(),
            subject: None,
            channel: Some(channel),
            template: Some(TemplateSend {
                name: template.name.clone(),
                language: template.language.clone(),
                values: given,
            }),
            original: None,
        });
        open.set(false);
    };
    let list = move || {
        match loaded.get() {
        None => view! { <p class="muted">{tr!("composer-template-loading")}</p> }.into_any(),
        Some(Err(e)) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! {
            <p class="muted">{tr!("composer-template-none")}</p>
        }
        .into_any(),
        Some(Ok(list)) => view! {
            <ul class="template-list" role="listbox" aria-label=tr!("composer-template-list")>
                {list.into_iter().map(|template| {
                    let key = (template.name.clone(), template.language.clone());
                    let selected = {
                        let key = key.clone();
                        move || chosen.with(|c| c.as_ref().is_some_and(|c| (c.name.clone(), c.language.clone()) == key))
                    };
                    let preview = template.body.clone();
                    let label = format!("{} · {}", template.name, template.language);
                    view! {
                        <li>
                            <button
                                type="button"
                                role="option"
                                class="template-option"
                                class:selected=selected.clone()
                                aria-selected=move || selected().to_string()
                                on:click=move |_| choose(template.clone())
                            >
                                <span class="template-name">{label}</span>
                                <span class="template-preview">{preview}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    };
    let form = move || {
        chosen.get().map(|template| {
            let variables = template.variables.clone();
            let shown = template.clone();
            view! {
                <div class="template-fill">
                    {variables.into_iter().enumerate().map(|(i, variable)| view! {
                        <label class="field">
                            <span>{format!("{{{{{variable}}}}}")}</span>
                            <input
                                type="text"
                                maxlength="1024"
                                prop:value=move || values.with(|v| v.get(i).cloned().unwrap_or_default())
                                on:input=move |ev| {
                                    let value = event_target_value(&ev);
                                    values.update(|v| if let Some(slot) = v.get_mut(i) { *slot = value; });
                                    error.set(None);
                                }
                            />
                        </label>
                    }).collect_view()}
                    <p class="template-result" aria-label=tr!("composer-template-result")>
                        {move || values.with(|v| templates::text(&shown, v))}
                    </p>
                </div>
            }
        })
    };
    view! {
        <div class="modal-scrim" on:click=move |_| open.set(false)>
            <div
                class="modal template-dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby="template-title"
                on:click=|ev| ev.stop_propagation()
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        open.set(false);
                    }
                }
            >
                <h2 id="template-title">{tr!("composer-template-title")}</h2>
                <p class="muted small">{tr!("composer-template-window")}</p>
                {list}
                {form}
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <div class="modal-buttons">
                    <button type="button" class="button subtle" on:click=move |_| open.set(false)>{tr!("composer-template-cancel")}</button>
                    <button
                        type="button"
                        class="button primary"
                        disabled=move || chosen.with(Option::is_none)
                        on:click=move |_| send()
                    >
                        {tr!("composer-template-send")}
                    </button>
                </div>
            </div>
        </div>
    }
}
