//! Custom contact fields (T4): their labels, types and a list's options, checked with the
//! server's own rules before sending.

use super::use_settings;
use crate::api;
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::contacts::*;
use switchboard_protocol::validation::has_control;

fn kind_label(kind: FieldKind) -> String {
    match kind {
        FieldKind::Text => tr!("settings-field-kind-text"),
        FieldKind::Number => tr!("settings-field-kind-number"),
        FieldKind::Date => tr!("settings-field-kind-date"),
        FieldKind::List => tr!("settings-field-kind-list"),
    }
}

/// What is wrong with a definition [`field_definition`] refused, in the language in use: the
/// protocol names the problem in English, so its rules are followed here in the same order.
fn problem_text(request: &CustomFieldRequest, invalid: &Invalid) -> String {
    let label = request.label.trim();
    if has_control(label, false) || request.options.iter().any(|o| has_control(o, false)) {
        return tr!("settings-field-control-characters");
    }
    if label.is_empty() || label.chars().count() > MAX_NAME_CHARS {
        return tr!("settings-field-label-length", max = MAX_NAME_CHARS);
    }
    let mut seen: Vec<&str> = Vec::new();
    for option in &request.options {
        let option = option.trim();
        if option.is_empty() || option.chars().count() > MAX_NAME_CHARS {
            return tr!("settings-field-option-length", max = MAX_NAME_CHARS);
        }
        if seen.contains(&option) {
            return tr!("settings-field-option-twice", option = option);
        }
        seen.push(option);
    }
    match (request.kind, seen.is_empty()) {
        (FieldKind::List, true) => tr!("settings-field-list-needs-options"),
        (FieldKind::List, false) | (_, true) => invalid.message.clone(),
        (_, false) => tr!("settings-field-only-list-options"),
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
                problem.set(Some((
                    invalid.field.clone(),
                    problem_text(&request, &invalid),
                )));
                return;
            }
        };
        problem.set(None);
        spawn_local(async move {
            match api::create_field(ws, &request).await {
                Ok(field) => {
                    label.set(String::new());
                    options.set(String::new());
                    context.saved(tr!("settings-field-added", label = &field.label));
                    reload();
                }
                Err(e) => super::refused(context, problem, e, "label"),
            }
        });
    };
    let remove = move |field: CustomField| {
        spawn_local(async move {
            match api::delete_field(ws, field.id).await {
                Ok(()) => context.saved(tr!("settings-field-deleted", label = &field.label)),
                Err(e) => context.failed(e),
            }
            reload();
        });
    };
    let error_of = move |name: &'static str| super::problem_line(problem, name);
    view! {
        <section class="settings-section" aria-labelledby="fields-title">
            <h2 id="fields-title">{tr!("settings-fields-title")}</h2>
            <p class="muted small">{tr!("settings-fields-hint")}</p>
            <ul class="settings-list">
                <For each=move || fields.get() key=|f| (f.id, f.label.clone(), f.options.clone()) let:field>
                    {
                        let shown = field.clone();
                        view! {
                            <li class="settings-item">
                                <div class="settings-item-head">
                                    <span>
                                        <strong translate="no">{shown.label.clone()}</strong>
                                        " "
                                        <span class="muted small">{kind_label(shown.kind)}</span>
                                        {(!shown.options.is_empty()).then(|| view! {
                                            <span class="muted small" translate="no">{format!(" · {}", shown.options.join(", "))}</span>
                                        })}
                                    </span>
                                    <Show when=move || context.manager.get()>
                                        {
                                            let field = field.clone();
                                            view! {
                                                <button type="button" class="button subtle small"
                                                    aria-label=tr!("settings-field-delete-label", label = &field.label)
                                                    on:click=move |_| remove(field.clone())>{tr!("settings-delete")}</button>
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
                        <span>{tr!("settings-field-label")}</span>
                        <input type="text" name="label" prop:value=move || label.get()
                            on:input=move |ev| label.set(event_target_value(&ev))/>
                        {error_of("label")}
                    </label>
                    <label class="field">
                        <span>{tr!("settings-field-type")}</span>
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
                            <span>{tr!("settings-field-options")}</span>
                            <input type="text" name="options" placeholder=tr!("settings-field-options-placeholder") prop:value=move || options.get()
                                on:input=move |ev| options.set(event_target_value(&ev))/>
                            {error_of("options")}
                        </label>
                    </Show>
                    <div class="modal-buttons">
                        <button type="submit" class="button subtle">{tr!("settings-field-add")}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The English problem is the protocol's own; Russian has its words and plurals.
    #[test]
    fn refused_definitions_are_named_in_the_language_in_use() {
        let request = |label: &str, kind: FieldKind, options: &[&str]| CustomFieldRequest {
            label: label.into(),
            kind,
            options: options.iter().map(|o| (*o).to_owned()).collect(),
        };
        let cases = [
            request("Plan\u{0}", FieldKind::Text, &[]),
            request(" ", FieldKind::Text, &[]),
            request("Plan", FieldKind::List, &["Gold", " "]),
            request("Plan", FieldKind::List, &["Gold", "Gold"]),
            request("Plan", FieldKind::List, &[]),
            request("Plan", FieldKind::Number, &["Gold"]),
        ];
        for case in &cases {
            let invalid = field_definition(case).expect_err("refused");
            assert_eq!(problem_text(case, &invalid), invalid.message, "{case:?}");
        }
        crate::i18n::set_lang(crate::i18n::Lang::Ru);
        let label = problem_text(&cases[1], &field_definition(&cases[1]).expect_err("label"));
        let twice = problem_text(&cases[3], &field_definition(&cases[3]).expect_err("twice"));
        crate::i18n::set_lang(crate::i18n::Lang::En);
        assert_eq!(label, "Название — от 1 до 100 символов.");
        assert_eq!(twice, "Вариант «Gold» указан дважды.");
    }

    #[test]
    fn options_are_read_from_commas_or_lines() {
        assert_eq!(
            options_of(" Gold, Silver\nBronze ,, "),
            ["Gold", "Silver", "Bronze"]
        );
        assert!(options_of(" , ").is_empty());
    }
}
