//! The folders sidebar: workspace switcher (N1), folders with their open counts and blue
//! unread badges (N2, N6), custom inboxes created by me and shared with me, and the signed-in
//! user. On narrow screens it slides over the list from the list's menu button.

use super::use_inbox;
use crate::api;
use crate::model::view::InboxView;
use crate::routes;
use crate::state::session::use_session;
use crate::tr;
use crate::ui::icons::Icon;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use switchboard_protocol::inbox::{FolderCount, Folders};
use switchboard_protocol::*;

/// One entry of the sidebar.
#[derive(Clone, PartialEq)]
struct Entry {
    folder: inbox::Folder,
    name: String,
    icon: &'static str,
    count: FolderCount,
    /// The name is the workspace's own (a team's, a custom inbox's): not translated.
    named: bool,
}

/// The sidebar's entries in order, grouped under optional headings.
fn groups(folders: &Folders) -> Vec<(Option<String>, Vec<Entry>)> {
    use inbox::Folder;
    let entry = |folder, name: String, icon, count, named| Entry {
        folder,
        name,
        icon,
        count,
        named,
    };
    let builtin =
        |folder: Folder, icon, count| entry(folder, builtin_name(folder), icon, count, false);
    let mut main = vec![
        builtin(Folder::All, "inbox", folders.all),
        builtin(Folder::Mine, "user", folders.mine),
        builtin(Folder::Unassigned, "tray", folders.unassigned),
    ];
    if let Some(blocked) = folders.blocked {
        main.push(builtin(Folder::Blocked, "block", blocked));
    }
    let named = |list: &[inbox::NamedFolder<CustomInboxId>]| {
        list.iter()
            .map(|f| {
                entry(
                    Folder::Custom(f.id),
                    f.name.clone(),
                    "filter",
                    f.count,
                    true,
                )
            })
            .collect::<Vec<_>>()
    };
    let teams = folders
        .teams
        .iter()
        .map(|t| entry(Folder::Team(t.id), t.name.clone(), "users", t.count, true))
        .collect();
    vec![
        (None, main),
        (Some(tr!("inbox-sidebar-teams")), teams),
        (
            Some(tr!("inbox-sidebar-created-by-me")),
            named(&folders.created_by_me),
        ),
        (
            Some(tr!("inbox-sidebar-shared-with-me")),
            named(&folders.shared_with_me),
        ),
    ]
    .into_iter()
    .filter(|(_, entries)| !entries.is_empty())
    .collect()
}

/// The list's title for a folder, from the sidebar's names when loaded, and whether it is
/// the workspace's own name (a team's, a custom inbox's), which is not translated.
pub fn folder_title(folder: inbox::Folder, folders: Option<&Folders>) -> (String, bool) {
    folders
        .and_then(|f| {
            groups(f)
                .into_iter()
                .flat_map(|(_, entries)| entries)
                .find(|e| e.folder == folder)
                .map(|e| (e.name, e.named))
        })
        .unwrap_or_else(|| (builtin_name(folder), false))
}

/// A folder's name in the UI's language (a team or custom inbox not known yet: what it is).
fn builtin_name(folder: inbox::Folder) -> String {
    match folder {
        inbox::Folder::All => tr!("inbox-folder-all"),
        inbox::Folder::Mine => tr!("inbox-folder-mine"),
        inbox::Folder::Unassigned => tr!("inbox-folder-unassigned"),
        inbox::Folder::Blocked => tr!("inbox-folder-blocked"),
        inbox::Folder::Team(_) => tr!("inbox-folder-team"),
        inbox::Folder::Custom(_) => tr!("inbox-folder-custom"),
    }
}

#[component]
pub fn Sidebar() -> impl IntoView {
    let session = use_session();
    let inbox = use_inbox();
    let navigate = use_navigate();
    let memberships = move || {
        session
            .signed_in()
            .map(|me| me.workspaces)
            .unwrap_or_default()
    };
    let user = move || {
        session
            .signed_in()
            .map(|me| me.user.name)
            .unwrap_or_default()
    };
    let logout = {
        let navigate = navigate.clone();
        move |_| {
            let navigate = navigate.clone();
            spawn_local(async move {
                // While still signed in: the device's subscription is the account's to drop.
                crate::pwa::signed_out().await;
                let _ = api::logout().await;
                session.set(None);
                navigate(routes::LOGIN, NavigateOptions::default());
            });
        }
    };
    let switch = move |ev: leptos::ev::Event| {
        if let Ok(id) = event_target_value(&ev).parse() {
            navigate(&routes::inbox(WorkspaceId(id)), NavigateOptions::default());
        }
    };
    let current = move || inbox.workspace.get().map(|w| w.0.to_string());
    let location = use_location();
    let searching = Memo::new(move |_| location.pathname.get().ends_with("/search"));
    view! {
        <nav class="sidebar" aria-label=tr!("inbox-folders")>
            <div class="sidebar-top">
                <div class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">"Switchboard"</span>
                </div>
                <button
                    type="button"
                    class="icon-button sidebar-close"
                    aria-label=tr!("inbox-sidebar-close")
                    on:click=move |_| inbox.folders_open.set(false)
                >
                    <Icon name="x"/>
                </button>
            </div>
            {move || {
                let list = memberships();
                if list.len() > 1 {
                    view! {
                        <label class="workspace-switcher">
                            <span class="visually-hidden">{tr!("inbox-sidebar-workspace")}</span>
                            <select on:change=switch.clone() prop:value=current translate="no">
                                {list
                                    .into_iter()
                                    .map(|m| {
                                        view! { <option value=m.id.0.to_string()>{m.name}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                    }
                        .into_any()
                } else {
                    let name = list.into_iter().next().map(|m| m.name).unwrap_or_default();
                    view! { <p class="workspace-name" translate="no">{name}</p> }.into_any()
                }
            }}
            {move || inbox.workspace.get().map(|ws| view! {
                <a
                    class="folder search-link"
                    class:active=move || searching.get()
                    aria-current=move || searching.get().then_some("page")
                    href=routes::search(ws)
                    on:click=move |_| inbox.folders_open.set(false)
                >
                    <Icon name="search"/>
                    <span class="folder-name">{tr!("inbox-search-everything")}</span>
                </a>
            })}
            <div class="folder-groups">
                {move || {
                    let Some(ws) = inbox.workspace.get() else {
                        return ().into_any();
                    };
                    let view = inbox.view.get();
                    let searching = searching.get();
                    let folders = inbox.folders.get();
                    let groups = folders.as_ref().map(groups).unwrap_or_else(|| {
                        groups(&Folders {
                            all: FolderCount::default(),
                            mine: FolderCount::default(),
                            unassigned: FolderCount::default(),
                            teams: vec![],
                            created_by_me: vec![],
                            shared_with_me: vec![],
                            blocked: None,
                        })
                    });
                    let loaded = folders.is_some();
                    groups
                        .into_iter()
                        .map(|(heading, entries)| {
                            view! {
                                <div class="folder-group">
                                    {heading.map(|h| view! { <h2 class="folder-heading">{h}</h2> })}
                                    <ul class="folders">
                                        {entries
                                            .into_iter()
                                            .map(|e| folder_link(ws, &view, e, loaded, searching))
                                            .collect_view()}
                                    </ul>
                                </div>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </div>
            <div class="sidebar-footer">
                <crate::components::language_picker::LanguagePicker/>
                <span class="current-user" translate="no">{user}</span>
                {move || inbox.workspace.get().map(|ws| view! {
                    <a
                        class="icon-button"
                        href=routes::channel_settings(ws)
                        title=tr!("inbox-sidebar-channels")
                        aria-label=tr!("inbox-sidebar-channels")
                    >
                        <Icon name="channels"/>
                    </a>
                    <a
                        class="icon-button"
                        href=routes::settings(ws)
                        title=tr!("inbox-sidebar-settings")
                        aria-label=tr!("inbox-sidebar-settings")
                    >
                        <Icon name="settings"/>
                    </a>
                })}
                <button
                    type="button"
                    class="icon-button"
                    on:click=logout
                    title=tr!("inbox-sidebar-sign-out")
                    aria-label=tr!("inbox-sidebar-sign-out")
                >
                    <Icon name="logout"/>
                </button>
            </div>
        </nav>
    }
}

/// A folder's link: it keeps the tab, sort and unreplied filter and starts a new search.
fn folder_link(
    ws: WorkspaceId,
    current: &InboxView,
    e: Entry,
    loaded: bool,
    searching: bool,
) -> impl IntoView {
    let inbox = use_inbox();
    let target = InboxView {
        folder: e.folder,
        search: String::new(),
        ..current.clone()
    };
    let active = !searching && current.folder == e.folder;
    let unread = e.count.unread;
    let open = e.count.open;
    view! {
        <li>
            <a
                class="folder"
                class:active=active
                href=routes::inbox_with(ws, &target)
                aria-current=active.then_some("page")
                data-folder=e.folder.to_string()
                on:click=move |_| inbox.folders_open.set(false)
            >
                <Icon name=e.icon/>
                <span class="folder-name" translate=e.named.then_some("no")>{e.name}</span>
                {(loaded && open > 0)
                    .then(|| {
                        view! {
                            <span class="folder-count" title=tr!("inbox-sidebar-open-title")>
                                <span class="visually-hidden">{tr!("inbox-sidebar-open")}" "</span>
                                {open.to_string()}
                            </span>
                        }
                    })}
                {(loaded && unread > 0)
                    .then(|| {
                        view! {
                            <span class="unread-badge" title=tr!("inbox-sidebar-unread-title")>
                                <span class="visually-hidden">{tr!("inbox-row-unread")}" "</span>
                                {unread.to_string()}
                            </span>
                        }
                    })}
            </a>
        </li>
    }
}
