//! Saved replies (T3, K5): agents insert them with `/` in the composer, with their files.
//! Owners and managers add, change and delete them; a name is one line of up to 60
//! characters, unique without regard to case (the server says when it is taken), the text a
//! valid message, the files up to 50 checked as the composer checks them.

use super::use_settings;
use crate::api;
use crate::model::attachments::PendingFiles;
use crate::pages::inbox::attachments::{AttachButton, FileChips};
use crate::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::settings::*;
use switchboard_protocol::validation::{self, MAX_MESSAGE_CHARS, MessageTextError};
use switchboard_protocol::{AttachmentId, SnippetId};

/// The form's problem, by field (`name`, `text`).
type Problem = Option<(String, String)>;

/// The request as the server will take it, or what is wrong.
fn checked(
    name: &str,
    text: &str,
    files: Vec<AttachmentId>,
) -> Result<SnippetRequest, (String, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_SNIPPET_NAME_CHARS || name.contains('\n') {
        return Err((
            "name".into(),
            tr!(
                "settings-snippet-name-invalid",
                max = MAX_SNIPPET_NAME_CHARS
            ),
        ));
    }
    let text = validation::message_text(text).map_err(|e| ("text".to_owned(), text_problem(e)))?;
    Ok(SnippetRequest {
        name: name.to_owned(),
        text: text.to_owned(),
        files,
    })
}

/// Why a snippet's text was refused, in the language in use.
fn text_problem(error: MessageTextError) -> String {
    match error {
        MessageTextError::Empty => tr!("settings-snippet-text-empty"),
        MessageTextError::TooLong { chars } => tr!(
            "settings-snippet-text-too-long",
            chars = chars,
            max = MAX_MESSAGE_CHARS
        ),
        MessageTextError::ControlCharacter => tr!("settings-snippet-text-control"),
    }
}

#[component]
pub fn Snippets() -> impl IntoView {
    let context = use_settings();
    let ws = context.workspace;
    let snippets = RwSignal::new(Vec::<Snippet>::new());
    let reload = move || {
        spawn_local(async move {
            match api::snippets(ws).await {
                Ok(list) => snippets.set(list),
                Err(e) => context.failed(e),
            }
        });
    };
    reload();
    // The snippet being edited (`None`: a new one) and the form's fields.
    let editing = RwSignal::new(None::<Option<SnippetId>>);
    let name = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(Problem::None);
    let files = RwSignal::new(PendingFiles::default());
    let file_error = RwSignal::new(None::<String>);
    let start = move |snippet: Option<Snippet>| {
        name.set(snippet.as_ref().map(|s| s.name.clone()).unwrap_or_default());
        text.set(snippet.as_ref().map(|s| s.text.clone()).unwrap_or_default());
        let mut pending = PendingFiles::default();
        // A snippet holds no more files than a message may carry.
        let _ = pending.add_stored(snippet.as_ref().map(|s| s.files.as_slice()).unwrap_or(&[]));
        files.set(pending);
        file_error.set(None);
        problem.set(None);
        editing.set(Some(snippet.map(|s| s.id)));
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let ready = match files.with_untracked(PendingFiles::ready) {
            Ok(ready) => ready.iter().map(|a| a.id).collect(),
            Err(not_ready) => {
                problem.set(Some(("files".into(), not_ready.to_string())));
                return;
            }
        };
        let request = match checked(&name.get_untracked(), &text.get_untracked(), ready) {
            Ok(request) => request,
            Err(found) => {
                problem.set(Some(found));
                return;
            }
        };
        let Some(target) = editing.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let done = match target {
                Some(id) => api::update_snippet(ws, id, &request).await,
                None => api::create_snippet(ws, &request).await,
            };
            match done {
                Ok(snippet) => {
                    editing.set(None);
                    context.saved(tr!("settings-snippet-saved", name = &snippet.name));
                    reload();
                }
                Err(e) => super::refused(context, problem, e, "name"),
            }
        });
    };
    let remove = move |snippet: Snippet| {
        spawn_local(async move {
            match api::delete_snippet(ws, snippet.id).await {
                Ok(()) => context.saved(tr!("settings-snippet-deleted", name = &snippet.name)),
                Err(e) => context.failed(e),
            }
            reload();
        });
    };
    let error_of = move |field: &'static str| super::problem_line(problem, field);
    view! {
        <section class="settings-section" aria-labelledby="snippets-title">
            <h2 id="snippets-title">{tr!("settings-snippets-title")}</h2>
            <p class="muted small">{tr!("settings-snippets-hint")}</p>
            <ul class="settings-list">
                <For each=move || snippets.get() key=|s| (s.id, s.name.clone(), s.text.clone(), s.files.iter().map(|f| f.id).collect::<Vec<_>>()) let:snippet>
                    {
                        let for_edit = snippet.clone();
                        let for_delete = snippet.clone();
                        view! {
                            <li class="settings-item">
                                <div class="settings-item-head">
                                    <strong translate="no">{format!("/{}", snippet.name)}</strong>
                                    <Show when=move || context.manager.get()>
                                        {
                                            let for_edit = for_edit.clone();
                                            let for_delete = for_delete.clone();
                                            view! {
                                                <span class="settings-item-actions">
                                                    <button type="button" class="button subtle small"
                                                        aria-label=tr!("settings-snippet-edit-label", name = &for_edit.name)
                                                        on:click=move |_| start(Some(for_edit.clone()))>{tr!("settings-edit")}</button>
                                                    <button type="button" class="button subtle small"
                                                        aria-label=tr!("settings-snippet-delete-label", name = &for_delete.name)
                                                        on:click=move |_| remove(for_delete.clone())>{tr!("settings-delete")}</button>
                                                </span>
                                            }
                                        }
                                    </Show>
                                </div>
                                <p class="snippet-text" translate="no">{snippet.text.clone()}</p>
                                {(!snippet.files.is_empty()).then(|| view! {
                                    <ul class="snippet-files" aria-label=tr!("settings-snippet-files")>
                                        {snippet.files.iter().map(|f| view! {
                                            <li><a href=f.url.clone() translate="no" target="_blank" rel="noopener">{f.name.clone()}</a></li>
                                        }).collect_view()}
                                    </ul>
                                })}
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || context.manager.get() && editing.get().is_none()>
                <div>
                    <button type="button" class="button subtle" on:click=move |_| start(None)>{tr!("settings-snippet-new")}</button>
                </div>
            </Show>
            <Show when=move || editing.get().is_some()>
                <form class="settings-form field-form" on:submit=save novalidate=true aria-label=tr!("settings-snippet-form")>
                    <label class="field">
                        <span>{tr!("settings-snippet-name")}</span>
                        <input type="text" name="snippet_name" prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev))/>
                        {error_of("name")}
                    </label>
                    <label class="field">
                        <span>{tr!("settings-snippet-text")}</span>
                        <textarea name="snippet_text" rows="4" prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                        {error_of("text")}
                    </label>
                    <div class="field snippet-files-field">
                        <span>{tr!("settings-snippet-files")}</span>
                        <div class="snippet-files-row">
                            <AttachButton workspace=ws files=files error=file_error/>
                            <span class="muted small">{tr!("settings-snippet-files-hint")}</span>
                        </div>
                        <FileChips files=files/>
                        {move || file_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                        {error_of("files")}
                    </div>
                    <div class="modal-buttons">
                        <button type="button" class="button subtle" on:click=move |_| editing.set(None)>{tr!("settings-cancel")}</button>
                        <button type="submit" class="button primary">{tr!("settings-snippet-save")}</button>
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
    fn snippets_are_checked_as_the_server_checks_them() {
        let ok = checked("  refund  ", " Your refund is on its way. ", vec![]).expect("valid");
        assert_eq!(
            (ok.name.as_str(), ok.text.as_str()),
            ("refund", "Your refund is on its way.")
        );
        assert_eq!(checked("", "text", vec![]).expect_err("no name").0, "name");
        assert_eq!(
            checked(&"n".repeat(61), "text", vec![])
                .expect_err("long")
                .0,
            "name"
        );
        assert_eq!(
            checked("two\nlines", "text", vec![]).expect_err("lines").0,
            "name"
        );
        assert_eq!(checked("name", "   ", vec![]).expect_err("empty").0, "text");
        assert_eq!(
            checked("name", &"x".repeat(4097), vec![])
                .expect_err("long")
                .0,
            "text"
        );
    }

    #[test]
    fn problems_read_in_english_and_russian() {
        assert_eq!(
            checked("name", &"x".repeat(4097), vec![])
                .expect_err("long")
                .1,
            MessageTextError::TooLong { chars: 4097 }.to_string()
        );
        crate::i18n::set_lang(crate::i18n::Lang::Ru);
        let (name, long) = (
            checked("", "text", vec![]).expect_err("no name").1,
            checked("name", &"x".repeat(4101), vec![])
                .expect_err("long")
                .1,
        );
        crate::i18n::set_lang(crate::i18n::Lang::En);
        assert_eq!(name, "Название сниппета — одна строка от 1 до 60 символов.");
        assert_eq!(
            long,
            "Длина сообщения — 4101 символ, а допустимо не больше 4096."
        );
    }
}
