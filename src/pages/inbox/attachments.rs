//! The composer's files (K3): the paperclip that opens the file chooser, and the chips of the
//! files chosen (uploading, ready or failed, each removable). Files are checked against the
//! rules before they are uploaded; every refusal names its file.

use crate::api;
use crate::components::message_bubble::file_size;
use crate::model::attachments::{self, FileState, PendingFiles};
use crate::tr;
use crate::ui::icons::Icon;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::WorkspaceId;
use switchboard_protocol::validation::ATTACHMENT_TYPES;

/// Checks `picked` against the rules and starts uploading those that pass; refusals are
/// said in `error`, each naming its file. Shared by the paperclip and the recorder (K4).
pub fn start_uploads(
    workspace: WorkspaceId,
    files: RwSignal<PendingFiles>,
    error: RwSignal<Option<String>>,
    picked: Vec<web_sys::File>,
) {
    let described: Vec<(String, u64)> =
        picked.iter().map(|f| (f.name(), f.size() as u64)).collect();
    let (accepted, refused) = files.try_update(|f| f.add(&described)).unwrap_or_default();
    error.set(attachments::refusals(&refused));
    for (key, index) in accepted {
        let Some(file) = picked.get(index).cloned() else {
            continue;
        };
        spawn_local(async move {
            match api::upload(workspace, &file).await {
                Ok(attachment) => files.update(|f| f.uploaded(key, attachment)),
                Err(e) => files.update(|f| f.failed(key, e.to_string())),
            }
        });
    }
}

/// The paperclip and its hidden file input; chosen files are checked and start uploading.
#[component]
pub fn AttachButton(
    workspace: WorkspaceId,
    files: RwSignal<PendingFiles>,
    /// Where refusals are said.
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let input = NodeRef::<html::Input>::new();
    let accept = ATTACHMENT_TYPES
        .iter()
        .map(|(ext, _)| format!(".{ext}"))
        .collect::<Vec<_>>()
        .join(",");
    let chosen = move |_| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let Some(list) = el.files() else {
            return;
        };
        let picked: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        // The same file may be chosen again later.
        el.set_value("");
        start_uploads(workspace, files, error, picked);
    };
    view! {
        <input
            type="file"
            multiple
            class="visually-hidden"
            tabindex="-1"
            aria-hidden="true"
            accept=accept
            node_ref=input
            on:change=chosen
        />
        <button
            type="button"
            class="icon-button attach-button"
            aria-label=tr!("composer-attach")
            title=attachments::attach_hint()
            on:click=move |_| {
                if let Some(el) = input.get_untracked() {
                    el.click();
                }
            }
        >
            <Icon name="paperclip"/>
        </button>
    }
}

/// The files about to be sent.
#[component]
pub fn FileChips(files: RwSignal<PendingFiles>) -> impl IntoView {
    view! {
        <Show when=move || !files.with(PendingFiles::is_empty)>
            <ul class="file-chips" aria-label=tr!("composer-attached-files")>
                <For
                    each=move || files.with(|f| f.files().to_vec())
                    key=|file| (file.key, format!("{:?}", file.state))
                    children=move |file| {
                        let key = file.key;
                        let (class, status) = match &file.state {
                            FileState::Uploading => ("uploading", tr!("composer-file-uploading")),
                            FileState::Ready(_) => ("ready", file_size(file.size)),
                            FileState::Failed(reason) => ("failed", reason.clone()),
                        };
                        view! {
                            <li class=format!("file-chip pending-file {class}") role=if class == "failed" { "alert" } else { "listitem" }>
                                <Icon name="file"/>
                                <span class="file-name">{file.name.clone()}</span>
                                <span class="file-size">{status}</span>
                                <button
                                    type="button"
                                    class="icon-button small"
                                    aria-label=tr!("composer-file-remove", name = &file.name)
                                    on:click=move |_| files.update(|f| f.remove(key))
                                >
                                    <Icon name="x"/>
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
        </Show>
    }
}
