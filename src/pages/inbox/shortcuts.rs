//! Desktop keyboard shortcuts (K11): the keys of [`crate::model::keys`], the `?` help
//! overlay and the ⌘K / Ctrl-K command palette, which lists every command and runs the one
//! chosen.

use super::actions::Dialog;
use super::{Inbox, use_inbox};
use crate::api;
use crate::chunks;
use crate::components::picker::{Choice, Picker};
use crate::model::keys::{self, Command, Press};
use crate::model::view::InboxView;
use crate::routes;
use crate::state::session::use_session;
use crate::tr;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use switchboard_protocol::*;
use wasm_bindgen::JsCast;

fn focus(selector: &str) {
    if let Some(el) = document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Whether the focus is in a field that takes text.
fn typing() -> bool {
    document().active_element().is_some_and(|el| {
        let tag = el.tag_name().to_ascii_lowercase();
        matches!(tag.as_str(), "input" | "textarea" | "select")
            || el.get_attribute("contenteditable").is_some()
    })
}

#[component]
pub fn Shortcuts() -> impl IntoView {
    let inbox = use_inbox();
    let session = use_session();
    let navigate = use_navigate();
    let help = RwSignal::new(false);
    let palette = RwSignal::new(false);
    let after_g = StoredValue::new(false);

    let run = {
        let navigate = navigate.clone();
        move |command: Command| {
            let Some(ws) = inbox.workspace.get_untracked() else {
                return;
            };
            let go = |path: String| navigate(&path, NavigateOptions::default());
            let view = inbox.view.get_untracked();
            match command {
                Command::NextConversation | Command::PreviousConversation => {
                    let ids: Vec<ConversationId> = inbox
                        .list
                        .with_untracked(|l| l.rows.iter().map(|r| r.id).collect());
                    let at = inbox
                        .selected
                        .get_untracked()
                        .and_then(|s| ids.iter().position(|id| *id == s));
                    let next = match (command, at) {
                        (Command::NextConversation, Some(i)) => ids.get(i + 1),
                        (Command::PreviousConversation, Some(i)) => {
                            i.checked_sub(1).and_then(|i| ids.get(i))
                        }
                        (_, None) => ids.first(),
                        _ => None,
                    };
                    if let Some(id) = next {
                        go(routes::conversation_with(ws, *id, &view));
                    }
                }
                Command::FocusListSearch => focus("input.list-search"),
                Command::SearchEverything => go(routes::search(ws)),
                Command::GoTo(folder) => go(routes::inbox_with(
                    ws,
                    &InboxView {
                        folder,
                        search: String::new(),
                        ..view
                    },
                )),
                Command::ToggleUnreplied => go(routes::inbox_with(
                    ws,
                    &InboxView {
                        unreplied: !view.unreplied,
                        ..view
                    },
                )),
                Command::AssignToMe => {
                    if let (Some(id), Some(me)) = (
                        inbox.selected.get_untracked(),
                        session.signed_in().map(|m| m.user.id),
                    ) {
                        inbox.run(
                            api::assign(ws, id, Some(AssigneeRef::User { id: me })),
                            Some(&tr!("inbox-shortcuts-assigned-to-you")),
                            None,
                        );
                    }
                }
                Command::CloseConversation | Command::Snooze => open_dialog(inbox, command),
                Command::Reply => focus(".composer textarea"),
                Command::ShowHelp => help.update(|h| *h = !*h),
                Command::OpenPalette => palette.set(true),
            }
        }
    };

    let run_key = run.clone();
    let run = StoredValue::new_local(run);
    let run = Callback::new(move |command: Command| run.with_value(|run| run(command)));
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.default_prevented() || ev.is_composing() {
            return;
        }
        let press = Press {
            key: ev.key(),
            ctrl_or_meta: ev.ctrl_key() || ev.meta_key(),
            alt: ev.alt_key(),
            typing: typing(),
            after_g: after_g.get_value(),
        };
        // Dialogs take their own keys.
        let overlay = help.get_untracked()
            || palette.get_untracked()
            || inbox.dialog.get_untracked().is_some();
        after_g
            .set_value(!press.typing && !press.ctrl_or_meta && press.key.eq_ignore_ascii_case("g"));
        if overlay
            && press.key != "?"
            && !(press.ctrl_or_meta && press.key.eq_ignore_ascii_case("k"))
        {
            // Also when the focus has not reached the dialog yet.
            if press.key == "Escape" {
                help.set(false);
                palette.set(false);
                inbox.dialog.set(None);
            }
            return;
        }
        if let Some(command) = keys::command(&press) {
            ev.prevent_default();
            run_key(command);
        }
    });
    on_cleanup(move || handle.remove());

    view! {
        <Show when=move || help.get()>
            <div class="modal-scrim" on:click=move |_| help.set(false)>
                <div class="modal shortcuts-help" role="dialog" aria-modal="true" aria-labelledby="help-title" on:click=|ev| ev.stop_propagation()>
                    <h2 id="help-title">{tr!("inbox-command-help")}</h2>
                    <dl class="shortcut-list">
                        {keys::ALL.into_iter().map(|c| view! {
                            <div class="shortcut"><dt>{c.label()}</dt><dd><kbd>{c.keys()}</kbd></dd></div>
                        }).collect_view()}
                    </dl>
                    <p class="muted small">{tr!("inbox-shortcuts-help-note")}</p>
                </div>
            </div>
        </Show>
        {move || palette.get().then(|| {
            chunks::popup(chunks::palette, move |draw: chunks::PaletteFn| draw(palette, run))
        })}
    }
}

fn open_dialog(inbox: Inbox, command: Command) {
    let Some(row) = inbox.open.get_untracked() else {
        return;
    };
    match command {
        Command::CloseConversation if row.status == ConversationStatus::Open => {
            inbox.dialog.set(Some(Dialog::Close))
        }
        Command::Snooze if row.status == ConversationStatus::Open && !row.contact.blocked => {
            inbox.dialog.set(Some(Dialog::Snooze))
        }
        Command::Snooze if row.contact.blocked => inbox.notify(tr!("inbox-blocked-no-snooze")),
        _ => inbox.notify(tr!("inbox-shortcuts-not-applicable")),
    }
}

#[component]
pub fn Palette(open: RwSignal<bool>, run: Callback<Command>) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let commands = Memo::new(move |_| keys::palette(&filter.get()));
    let choices = Signal::derive(move || {
        commands
            .get()
            .into_iter()
            .map(|c| Choice {
                label: c.label(),
                hint: c.keys(),
            })
            .collect::<Vec<_>>()
    });
    let choose = Callback::new(move |i: usize| {
        if let Some(command) = commands.get_untracked().get(i).copied() {
            open.set(false);
            run.run(command);
        }
    });
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = commands.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1) % count);
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + count - 1) % count);
            }
            "Enter" => {
                ev.prevent_default();
                choose.run(active.get_untracked());
            }
            "Escape" => open.set(false),
            _ => {}
        }
    };
    view! {
        <div class="modal-scrim palette-scrim" on:click=move |_| open.set(false)>
            <div class="modal palette" role="dialog" aria-modal="true" aria-label=tr!("inbox-command-palette") on:click=|ev| ev.stop_propagation()>
                <input
                    type="text"
                    aria-label=tr!("inbox-shortcuts-command")
                    placeholder=tr!("inbox-shortcuts-command-placeholder")
                    autofocus
                    prop:value=move || filter.get()
                    on:input=move |ev| {
                        filter.set(event_target_value(&ev));
                        active.set(0);
                    }
                    on:keydown=on_keydown
                />
                <Picker title=tr!("inbox-shortcuts-commands") choices=choices active=active on_choose=choose/>
            </div>
        </div>
    }
}
