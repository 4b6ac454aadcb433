//! The open conversation's actions (A1–A4): assign to a member or team, close with the
//! closing-notes dialog the workspace asks for, snooze with presets or a custom time,
//! unsnooze, reopen, and block or unblock the contact after confirmation. The server enforces
//! every rule; the app offers what applies and explains what does not.

use super::use_inbox;
use crate::api;
use crate::model::snooze;
use crate::model::time::local_offset;
use crate::tr;
use crate::ui::icons::Icon;
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::api::MAX_NOTE_CHARS;
use switchboard_protocol::settings::ClosingNotes;
use switchboard_protocol::*;

/// The action dialog on screen (the keyboard opens them too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialog {
    Close,
    Snooze,
    Block,
}

/// The assignee select's value of an assignee.
fn assignee_value(assignee: Option<&Assignee>) -> String {
    match assignee {
        None => String::new(),
        Some(Assignee::User { id, .. }) => format!("user:{id}"),
        Some(Assignee::Team { id, .. }) => format!("team:{id}"),
        Some(Assignee::AiAgent) => "ai".to_owned(),
    }
}

fn assignee_of(value: &str) -> Option<AssigneeRef> {
    match value.split_once(':') {
        Some(("user", id)) => id
            .parse()
            .ok()
            .map(|id| AssigneeRef::User { id: UserId(id) }),
        Some(("team", id)) => id
            .parse()
            .ok()
            .map(|id| AssigneeRef::Team { id: TeamId(id) }),
        _ if value == "ai" => Some(AssigneeRef::AiAgent),
        _ => None,
    }
}

#[component]
pub fn ThreadActions(workspace: WorkspaceId, row: ConversationSummary) -> impl IntoView {
    let inbox = use_inbox();
    let busy = RwSignal::new(false);
    let dialog = inbox.dialog;
    let id = row.id;
    let status = row.status;
    let blocked = row.contact.blocked;

    let on_assign = move |ev: leptos::ev::Event| {
        let assignee = assignee_of(&event_target_value(&ev));
        inbox.run(api::assign(workspace, id, assignee), None, Some(busy));
    };
    let current = assignee_value(row.assignee.as_ref());
    let options = move || {
        inbox.directory.with(|d| {
            d.as_ref()
                .map(|d| (d.members.clone(), d.teams.clone(), d.ai_agent))
                .unwrap_or_default()
        })
    };
    // The current assignee stays selectable even before the directory loads.
    let current_label = match &row.assignee {
        Some(Assignee::User { name, .. } | Assignee::Team { name, .. }) => name.clone(),
        Some(Assignee::AiAgent) => tr!("actions-ai-agent"),
        None => String::new(),
    };

    view! {
        <div class="thread-actions">
            <label class="assignee-select">
                <Icon name="user"/>
                <select aria-label=tr!("actions-assignee") on:change=on_assign prop:disabled=move || busy.get()>
                    <option value="" selected=current.is_empty()>{tr!("actions-unassigned")}</option>
                    {move || {
                        let (members, teams, ai_agent) = options();
                        let current = current.clone();
                        let listed = members.iter().any(|m| format!("user:{}", m.user.id) == current)
                            || teams.iter().any(|t| format!("team:{}", t.id) == current);
                        view! {
                            {(!current.is_empty() && !listed).then(|| {
                                view! { <option value=current.clone() selected=true>{current_label.clone()}</option> }
                            })}
                            <optgroup label=tr!("actions-members")>
                                {members
                                    .into_iter()
                                    .map(|m| {
                                        let value = format!("user:{}", m.user.id);
                                        let selected = value == current;
                                        view! { <option value=value selected=selected translate="no">{m.user.name}</option> }
                                    })
                                    .collect_view()}
                            </optgroup>
                            <optgroup label=tr!("actions-teams")>
                                {teams
                                    .into_iter()
                                    .map(|t| {
                                        let value = format!("team:{}", t.id);
                                        let selected = value == current;
                                        view! { <option value=value selected=selected translate="no">{t.name}</option> }
                                    })
                                    .collect_view()}
                            </optgroup>
                            {(ai_agent && current != "ai").then(|| view! { <option value="ai">{tr!("actions-ai-agent")}</option> })}
                        }
                    }}
                </select>
            </label>
            {match status {
                ConversationStatus::Open => view! {
                    <button
                        type="button"
                        class="button subtle"
                        prop:disabled=move || busy.get() || blocked
                        title=if blocked { tr!("actions-snooze-blocked") } else { tr!("actions-snooze-title") }
                        on:click=move |_| dialog.set(Some(Dialog::Snooze))
                    >
                        <Icon name="clock"/>
                        <span>{tr!("actions-snooze")}</span>
                    </button>
                    <button
                        type="button"
                        class="button primary"
                        prop:disabled=move || busy.get()
                        on:click=move |_| dialog.set(Some(Dialog::Close))
                    >
                        <Icon name="check"/>
                        <span>{tr!("actions-close")}</span>
                    </button>
                }
                    .into_any(),
                ConversationStatus::Snoozed => view! {
                    <button
                        type="button"
                        class="button subtle"
                        prop:disabled=move || busy.get()
                        on:click=move |_| inbox.run(api::unsnooze(workspace, id), None, Some(busy))
                    >
                        {tr!("actions-unsnooze")}
                    </button>
                }
                    .into_any(),
                ConversationStatus::Closed => view! {
                    <button
                        type="button"
                        class="button subtle"
                        prop:disabled=move || busy.get()
                        on:click=move |_| inbox.run(api::reopen(workspace, id), None, Some(busy))
                    >
                        {tr!("actions-reopen")}
                    </button>
                }
                    .into_any(),
            }}
            <ShortcutsMenu workspace=workspace id=id/>
            <ConversationMenu workspace=workspace row=row.clone() busy=busy/>
            <button
                type="button"
                class="icon-button"
                class:danger=!blocked
                aria-label=if blocked { tr!("actions-unblock-contact") } else { tr!("actions-block-contact") }
                title=if blocked { tr!("actions-unblock-contact") } else { tr!("actions-block-contact") }
                prop:disabled=move || busy.get()
                on:click=move |_| dialog.set(Some(Dialog::Block))
            >
                <Icon name="block"/>
            </button>
            {move || match dialog.get() {
                None => ().into_any(),
                Some(Dialog::Close) => view! { <CloseDialog workspace=workspace row=row.clone() dialog=dialog busy=busy/> }.into_any(),
                Some(Dialog::Snooze) => view! { <SnoozeDialog workspace=workspace id=id dialog=dialog busy=busy/> }.into_any(),
                Some(Dialog::Block) => view! { <BlockDialog workspace=workspace row=row.clone() dialog=dialog/> }.into_any(),
            }}
        </div>
    }
}

/// The conversation's ⋮ menu: what applies beyond the buttons (A6: the Dialogflow bot, while
/// an agent is connected). Hidden when nothing applies; a click outside or Escape closes it.
#[component]
fn ConversationMenu(
    workspace: WorkspaceId,
    row: ConversationSummary,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let inbox = use_inbox();
    let open = RwSignal::new(false);
    let id = row.id;
    let bot_on = row.dialogflow_bot;
    let dialogflow = move || {
        inbox
            .directory
            .with(|d| d.as_ref().is_some_and(|d| d.dialogflow))
    };
    // Turning it off stays possible after Dialogflow was disconnected.
    let shown = move || dialogflow() || bot_on || has_shortcuts(inbox);
    let switch = move |_| {
        open.set(false);
        inbox.run(
            api::switch_dialogflow_bot(workspace, id, !bot_on),
            None,
            Some(busy),
        );
    };
    view! {
        <Show when=shown>
            <MenuButton open=open label=tr!("actions-more") icon="more">
                <Show when=move || dialogflow() || bot_on>
                    <button type="button" role="menuitem" prop:disabled=move || busy.get() on:click=switch>
                        <Icon name="bot"/>
                        <span>{if bot_on { tr!("actions-dialogflow-off") } else { tr!("actions-dialogflow-on") }}</span>
                    </button>
                </Show>
                <ShortcutItems workspace=workspace id=id open=open/>
            </MenuButton>
        </Show>
    }
}

/// A button opening a small menu of actions; a click outside or Escape closes it.
#[component]
fn MenuButton(
    open: RwSignal<bool>,
    label: String,
    icon: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let list_label = label.clone();
    view! {
        <div class="conversation-menu" on:keydown=move |ev| if ev.key() == "Escape" { open.set(false) }>
            <button
                type="button"
                class="icon-button"
                aria-label=label.clone()
                title=label
                aria-haspopup="menu"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <Icon name=icon/>
            </button>
            <Show when=move || open.get()>
                <div class="menu-scrim" on:click=move |_| open.set(false)></div>
                <div class="conversation-menu-list" role="menu" aria-label=list_label.clone()>
                    {children()}
                </div>
            </Show>
        </div>
    }
}

/// Whether the workspace has Shortcut workflows an agent may run.
fn has_shortcuts(inbox: super::Inbox) -> bool {
    inbox
        .directory
        .with(|d| d.as_ref().is_some_and(|d| !d.shortcuts.is_empty()))
}

/// The enabled Shortcut workflows as menu items: one runs for the conversation (A7).
#[component]
fn ShortcutItems(
    workspace: WorkspaceId,
    id: ConversationId,
    open: RwSignal<bool>,
) -> impl IntoView {
    let inbox = use_inbox();
    let shortcuts = move || {
        inbox
            .directory
            .with(|d| d.as_ref().map(|d| d.shortcuts.clone()).unwrap_or_default())
    };
    let start = move |workflow: i64, name: String| {
        open.set(false);
        spawn_local(async move {
            match api::run_workflow(workspace, id, workflow).await {
                Ok(_) => {
                    inbox.runs_changed.update(|n| *n += 1);
                    inbox.notify(tr!("actions-shortcut-started", name = name));
                }
                Err(e) => inbox.error.set(Some(e)),
            }
        });
    };
    view! {
        {move || shortcuts().into_iter().map(|(workflow, name)| {
            let label = name.clone();
            view! {
                <button type="button" role="menuitem" on:click=move |_| start(workflow, name.clone())>
                    <Icon name="bolt"/>
                    <span translate="no">{label}</span>
                </button>
            }
        }).collect_view()}
    }
}

/// The ⚡ menu: the enabled Shortcut workflows (A7), shown when there are any.
#[component]
fn ShortcutsMenu(workspace: WorkspaceId, id: ConversationId) -> impl IntoView {
    let inbox = use_inbox();
    let open = RwSignal::new(false);
    view! {
        <Show when=move || has_shortcuts(inbox)>
            <MenuButton open=open label=tr!("actions-shortcuts") icon="bolt">
                <ShortcutItems workspace=workspace id=id open=open/>
            </MenuButton>
        </Show>
    }
}

/// A modal dialog: Escape or the scrim cancels.
#[component]
fn Modal(title: String, dialog: RwSignal<Option<Dialog>>, children: Children) -> impl IntoView {
    view! {
        <div class="modal-scrim" on:click=move |_| dialog.set(None)>
            <div
                class="modal"
                role="dialog"
                aria-modal="true"
                aria-labelledby="modal-title"
                on:click=|ev| ev.stop_propagation()
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        dialog.set(None);
                    }
                }
            >
                <h2 id="modal-title">{title}</h2>
                {children()}
            </div>
        </div>
    }
}

#[component]
fn CloseDialog(
    workspace: WorkspaceId,
    row: ConversationSummary,
    dialog: RwSignal<Option<Dialog>>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let inbox = use_inbox();
    let rule = move || {
        inbox.directory.with(|d| {
            d.as_ref()
                .map_or(ClosingNotes::Optional, |d| d.closing_notes)
        })
    };
    let note = RwSignal::new(String::new());
    let too_long = move || note.with(|n| n.chars().count() > MAX_NOTE_CHARS);
    let blank = move || note.with(|n| n.trim().is_empty());
    let id = row.id;
    let close = move || {
        let text = note.get_untracked();
        let text = (!text.trim().is_empty()).then_some(text);
        dialog.set(None);
        inbox.run(api::close(workspace, id, text), None, Some(busy));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !(too_long() || (rule() == ClosingNotes::Mandatory && blank())) {
            close();
        }
    };
    view! {
        <Modal title=tr!("actions-close-title", name = row.contact.display_name()) dialog=dialog>
            <form class="modal-body" on:submit=submit>
                {move || match rule() {
                    ClosingNotes::Off => view! {
                        <p class="muted">{tr!("actions-close-explained")}</p>
                    }
                        .into_any(),
                    rule => {
                        let required = rule == ClosingNotes::Mandatory;
                        view! {
                            <label class="field">
                                <span>{if required { tr!("actions-closing-note-required") } else { tr!("actions-closing-note-optional") }}</span>
                                <textarea
                                    rows="4"
                                    autofocus
                                    placeholder=tr!("actions-closing-note-placeholder")
                                    prop:value=move || note.get()
                                    on:input=move |ev| note.set(event_target_value(&ev))
                                ></textarea>
                            </label>
                            <super::ai::SummaryTool workspace=workspace conversation=id text=note/>
                            {required.then(|| view! { <p class="muted small">{tr!("actions-closing-note-asked")}</p> })}
                            <Show when=too_long>
                                <p class="form-error" role="alert">{tr!("actions-closing-note-too-long", max = MAX_NOTE_CHARS)}</p>
                            </Show>
                        }
                            .into_any()
                    }
                }}
                <div class="modal-buttons">
                    <button type="button" class="button subtle" on:click=move |_| dialog.set(None)>{tr!("actions-cancel")}</button>
                    {move || (rule() == ClosingNotes::Optional).then(|| {
                        view! {
                            <button type="button" class="button subtle" on:click=move |_| { note.set(String::new()); close() }>
                                {tr!("actions-close-without-note")}
                            </button>
                        }
                    })}
                    <button
                        type="submit"
                        class="button primary"
                        prop:disabled=move || too_long() || (rule() == ClosingNotes::Mandatory && blank())
                    >
                        {tr!("actions-close-conversation")}
                    </button>
                </div>
            </form>
        </Modal>
    }
}

#[component]
fn SnoozeDialog(
    workspace: WorkspaceId,
    id: ConversationId,
    dialog: RwSignal<Option<Dialog>>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let inbox = use_inbox();
    let custom = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<snooze::BadTime>);
    let snooze_at = move |until| {
        dialog.set(None);
        inbox.run(api::snooze(workspace, id, until), None, Some(busy));
    };
    let presets = snooze::presets(Utc::now(), local_offset());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match snooze::custom(&custom.get_untracked(), Utc::now(), local_offset()) {
            Ok(until) => snooze_at(until),
            Err(e) => problem.set(Some(e)),
        }
    };
    view! {
        <Modal title=tr!("actions-snooze-until") dialog=dialog>
            <div class="modal-body">
                <ul class="snooze-presets">
                    {presets
                        .into_iter()
                        .map(|(label, until)| {
                            let when = snooze::preset_when(until, local_offset());
                            view! {
                                <li>
                                    <button type="button" class="preset" on:click=move |_| snooze_at(until)>
                                        <span>{label}</span>
                                        <span class="muted small">{when}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <form class="snooze-custom" on:submit=submit>
                    <label class="field">
                        <span>{tr!("actions-snooze-custom-time")}</span>
                        <input
                            type="datetime-local"
                            prop:value=move || custom.get()
                            on:input=move |ev| {
                                problem.set(None);
                                custom.set(event_target_value(&ev));
                            }
                        />
                    </label>
                    {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p.to_string()}</p> })}
                    <div class="modal-buttons">
                        <button type="button" class="button subtle" on:click=move |_| dialog.set(None)>{tr!("actions-cancel")}</button>
                        <button type="submit" class="button primary">{tr!("actions-snooze")}</button>
                    </div>
                </form>
            </div>
        </Modal>
    }
}

#[component]
fn BlockDialog(
    workspace: WorkspaceId,
    row: ConversationSummary,
    dialog: RwSignal<Option<Dialog>>,
) -> impl IntoView {
    let inbox = use_inbox();
    let blocked = row.contact.blocked;
    let contact = row.contact.id;
    let name = row.contact.display_name();
    let confirm = move |_| {
        dialog.set(None);
        spawn_local(async move {
            match api::set_blocked(workspace, contact, !blocked).await {
                Ok(()) => inbox.refresh_open(workspace),
                Err(e) => inbox.error.set(Some(e)),
            }
        });
    };
    let (title, text, action) = if blocked {
        (
            tr!("actions-unblock-title", name = &name),
            tr!("actions-unblock-explained"),
            tr!("actions-unblock"),
        )
    } else {
        (
            tr!("actions-block-title", name = &name),
            tr!("actions-block-explained"),
            tr!("actions-block-contact"),
        )
    };
    view! {
        <Modal title=title dialog=dialog>
            <div class="modal-body">
                <p class="muted">{text}</p>
                <div class="modal-buttons">
                    <button type="button" class="button subtle" on:click=move |_| dialog.set(None)>{tr!("actions-cancel")}</button>
                    <button type="button" class="button" class:danger=!blocked class:primary=blocked on:click=confirm autofocus>
                        {action}
                    </button>
                </div>
            </div>
        </Modal>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignee_values_round_trip() {
        for assignee in [
            AssigneeRef::User { id: UserId(3) },
            AssigneeRef::Team { id: TeamId(4) },
            AssigneeRef::AiAgent,
        ] {
            let full = match assignee {
                AssigneeRef::User { id } => Assignee::User {
                    id,
                    name: "U".into(),
                },
                AssigneeRef::Team { id } => Assignee::Team {
                    id,
                    name: "T".into(),
                },
                AssigneeRef::AiAgent => Assignee::AiAgent,
            };
            assert_eq!(assignee_of(&assignee_value(Some(&full))), Some(assignee));
        }
        assert_eq!(assignee_of(&assignee_value(None)), None);
        assert_eq!(assignee_of("user:x"), None);
    }
}
