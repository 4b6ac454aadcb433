//! Custom contact fields (T4): their labels, types and a list's options, checked with the
//! server's own rules before sending.

use super::use_settings;
use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::contacts::*;

fn kind_label(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "Text",
        FieldKind::Number => "Number",
        FieldKind::Date => "Date",
        FieldKind::List => "List",
    }
}

/// The options typed one per line or separated by commas.
fn options_of(typed: &str) -> Vec<String> {
    typed
        .split([',', '\n'])
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
pub fn CustomFields() -> impl IntoView {
    let context = use_settings();
    let ws = context.workspace;
    let fields = context.fields;
    let reload = move || context.reload();
    let label = RwSignal::new(String::new());
    let kind = RwSignal::new(FieldKind::Text);
    let options = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<(String, String)>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = CustomFieldRequest {
            label: label.get_untracked(),
            kind: kind.get_untracked(),
            options: options_of(&options.get_untracked()),
        };
        let request = match field_definition(&request) {
            Ok(request) => request,
            Err(invalid) => {
                problem.set(Some((invalid.field, invalid.message)));
                return;
            }
        };
        problem.set(None);
        spawn_local(async move {
            match api::create_field(ws, &request).await {
                Ok(field) => {
                    label.set(String::new());
                    options.set(String::new());
                    context.saved(format!("Field {} added.", field.label));
                    reload();
                }
                Err(e) => super::refused(context, problem, e, "label"),
            }
        });
    };
    let remove = move |field: CustomField| {
        spawn_local(async move {
            match api::delete_field(ws, field.id).await {
                Ok(()) => context.saved(format!("Field {} deleted.", field.label)),
                Err(e) => context.failed(e),
            }
            reload();
        });
    };
    let error_of = move |name: &'static str| super::problem_line(problem, name);
    view! {
        <section class="settings-section" aria-labelledby="fields-title">
            <h2 id="fields-title">"Contact fields"</h2>
            <p class="muted small">"Extra details kept on every contact, shown in the contact panel."</p>
            <ul class="settings-list">
                <For each=move || fields.get() key=|f| (f.id, f.label.clone(), f.options.clone()) let:field>
                    {
                        let shown = field.clone();
                        view! {
                            <li class="settings-item">
                                <div class="settings-item-head">
                                    <span>
                                        <strong>{shown.label.clone()}</strong>
                                        " "
                                        <span class="muted small">{kind_label(shown.kind)}</span>
                                        {(!shown.options.is_empty()).then(|| view! {
                                            <span class="muted small">{format!(" · {}", shown.options.join(", "))}</span>
                                        })}
                                    </span>
                                    <Show when=move || context.manager.get()>
                                        {
                                            let field = field.clone();
                                            view! {
                                                <button type="button" class="button subtle small"
                                                    aria-label=format!("Delete field {}", field.label)
                                                    on:click=move |_| remove(field.clone())>"Delete"</button>
                                            }
                                        }
                                    </Show>
                                </div>
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || context.manager.get()>
                <form class="settings-form field-form" on:submit=create novalidate=true>
                    <label class="field">
                        <span>"Label"</span>
                        <input type="text" name="label" prop:value=move || label.get()
                            on:input=move |ev| label.set(event_target_value(&ev))/>
                        {error_of("label")}
                    </label>
                    <label class="field">
                        <span>"Type"</span>
                        <select name="kind" on:change=move |ev| {
                            if let Some(k) = FieldKind::parse(&event_target_value(&ev)) {
                                kind.set(k);
                            }
                        }>
                            {FieldKind::ALL.iter().map(|k| view! {
                                <option value=k.as_str() selected=move || kind.get() == *k>{kind_label(*k)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <Show when=move || kind.get() == FieldKind::List>
                        <label class="field">
                            <span>"Options"</span>
                            <input type="text" name="options" placeholder="Gold, Silver, Bronze" prop:value=move || options.get()
                                on:input=move |ev| options.set(event_target_value(&ev))/>
                            {error_of("options")}
                        </label>
                    </Show>
                    <div class="modal-buttons">
                        <button type="submit" class="button subtle">"Add field"</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_from_commas_or_lines() {
        assert_eq!(
            options_of(" Gold, Silver\nBronze ,, "),
            ["Gold", "Silver", "Bronze"]
        );
        assert!(options_of(" , ").is_empty());
    }
}
