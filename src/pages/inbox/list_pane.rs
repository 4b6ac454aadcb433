//! The conversation list pane: the folder's title, list search (N5), status tabs (N3), sort
//! (N4), the unreplied toggle (N7) and the rows. Every control changes the URL, so each list
//! has its own address; search typing replaces the history entry instead of adding one.

use super::sidebar::folder_title;
use super::{Inbox, use_inbox};
use crate::api::{self, ClientError};
use crate::components::conversation_row::ConversationRow;
use crate::model::snooze;
use crate::model::time::local_offset;
use crate::model::view::InboxView;
use crate::model::window;
use crate::routes;
use crate::tr;
use crate::ui::gestures::{Gestures, Swipes};
use crate::ui::icons::Icon;
use chrono::{Timelike, Utc};
use leptos::leptos_dom::helpers::debounce;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use std::rc::Rc;
use std::time::Duration;
use switchboard_protocol::inbox::Sort;
use switchboard_protocol::settings::ClosingNotes;
use switchboard_protocol::*;
use wasm_bindgen::JsCast;

/// How long typing pauses before the list searches.
const SEARCH_PAUSE: Duration = Duration::from_millis(250);

const TABS: [Option<ConversationStatus>; 4] = [
    None,
    Some(ConversationStatus::Open),
    Some(ConversationStatus::Closed),
    Some(ConversationStatus::Snoozed),
];

fn tab_label(status: Option<ConversationStatus>) -> String {
    match status {
        None => tr!("inbox-tab-all"),
        Some(ConversationStatus::Open) => tr!("inbox-tab-open"),
        Some(ConversationStatus::Closed) => tr!("inbox-tab-closed"),
        Some(ConversationStatus::Snoozed) => tr!("inbox-tab-snoozed"),
    }
}

const SORTS: [Sort; 4] = [Sort::Newest, Sort::Oldest, Sort::Longest, Sort::Shortest];

fn sort_label(sort: Sort) -> String {
    match sort {
        Sort::Newest => tr!("inbox-sort-newest"),
        Sort::Oldest => tr!("inbox-sort-oldest"),
        Sort::Longest => tr!("inbox-sort-longest"),
        Sort::Shortest => tr!("inbox-sort-shortest"),
    }
}

/// A row's swipes (X5): left closes an open conversation (or opens it when the workspace asks
/// for a closing note), right snoozes it until tomorrow morning or unsnoozes it.
fn row_swipes(
    inbox: Inbox,
    navigate: impl Fn(&str, NavigateOptions) + Clone + 'static,
    row: &ConversationSummary,
    drag: RwSignal<i32>,
) -> Swipes {
    let (ws, id, status, blocked) = (row.workspace_id, row.id, row.status, row.contact.blocked);
    let left: Option<Rc<dyn Fn()>> = (status == ConversationStatus::Open).then(|| {
        Rc::new(move || {
            let mandatory = inbox.directory.with_untracked(|d| {
                d.as_ref()
                    .is_some_and(|d| d.closing_notes == ClosingNotes::Mandatory)
            });
            if mandatory {
                inbox.notify(tr!("inbox-list-closing-note-needed"));
                navigate(
                    &routes::conversation_with(ws, id, &inbox.view.get_untracked()),
                    NavigateOptions::default(),
                );
            } else {
                inbox.run(
                    api::close(ws, id, None),
                    Some(&tr!("inbox-list-closed")),
                    None,
                );
            }
        }) as Rc<dyn Fn()>
    });
    let right: Option<Rc<dyn Fn()>> = match status {
        ConversationStatus::Open if blocked => Some(Rc::new(move || {
            inbox.notify(tr!("inbox-blocked-no-snooze"))
        })),
        ConversationStatus::Open => Some(Rc::new(move || {
            let now = Utc::now();
            let offset = local_offset();
            // The "Tomorrow, 09:00" preset: the one at nine tomorrow (its label is translated).
            let tomorrow = now.with_timezone(&offset).date_naive() + chrono::Duration::days(1);
            let until = snooze::presets(now, offset)
                .into_iter()
                .map(|(_, at)| at)
                .find(|at| {
                    let local = at.with_timezone(&offset);
                    local.date_naive() == tomorrow && (local.hour(), local.minute()) == (9, 0)
                })
                .unwrap_or(now + chrono::Duration::hours(12));
            let done = tr!(
                "inbox-list-snoozed-until",
                until = snooze::until_text(until, now, offset)
            );
            inbox.run(api::snooze(ws, id, until), Some(&done), None);
        })),
        ConversationStatus::Snoozed => Some(Rc::new(move || {
            inbox.run(
                api::unsnooze(ws, id),
                Some(&tr!("inbox-list-back-in-open")),
                None,
            )
        })),
        ConversationStatus::Closed => None,
    };
    Swipes {
        left,
        right,
        press: None,
        drag: Some(Rc::new(move |dx| drag.set(dx.clamp(-120, 120)))),
    }
}

#[component]
pub fn ConversationList() -> impl IntoView {
    let inbox = use_inbox();
    let navigate = use_navigate();
    let go = {
        let navigate = navigate.clone();
        move |view: InboxView, replace: bool| {
            if let Some(ws) = inbox.workspace.get_untracked() {
                navigate(
                    &routes::inbox_with(ws, &view),
                    NavigateOptions {
                        replace,
                        ..Default::default()
                    },
                );
            }
        }
    };

    // The search field: what was typed, and what was last sent to the URL, so a change of
    // URL from elsewhere (back, a folder link) updates the field but a debounced echo of
    // the user's own typing does not overwrite what they typed since.
    let typed = RwSignal::new(inbox.view.get_untracked().search);
    let sent = StoredValue::new(inbox.view.get_untracked().search);
    Effect::new(move |_| {
        let search = inbox.view.get().search;
        if search != sent.get_value() {
            sent.set_value(search.clone());
            typed.set(search);
        }
    });
    let mut search_later = debounce(SEARCH_PAUSE, {
        let go = go.clone();
        move |text: String| {
            sent.set_value(text.clone());
            let view = InboxView {
                search: text,
                ..inbox.view.get_untracked()
            };
            go(view, true);
        }
    });
    let on_search = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        typed.set(text.clone());
        search_later(text);
    };
    let clear_search = {
        let go = go.clone();
        move |_| {
            typed.set(String::new());
            sent.set_value(String::new());
            go(
                InboxView {
                    search: String::new(),
                    ..inbox.view.get_untracked()
                },
                true,
            );
        }
    };
    let on_sort = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let sort = Sort::parse(&event_target_value(&ev)).unwrap_or_default();
            go(
                InboxView {
                    sort,
                    ..inbox.view.get_untracked()
                },
                false,
            );
        }
    };
    let toggle_unreplied = move |_| {
        let view = inbox.view.get_untracked();
        go(
            InboxView {
                unreplied: !view.unreplied,
                ..view
            },
            false,
        );
    };

    let title = move || {
        inbox
            .folders
            .with(|f| folder_title(inbox.view.get().folder, f.as_ref()))
    };
    let total_unread = move || {
        inbox
            .list
            .with(|l| l.rows.iter().filter(|r| r.unread_count > 0).count())
    };
    // Long lists render only the rows in view (and a few more); the rest is empty space.
    let scroller = NodeRef::<leptos::html::Div>::new();
    let scrolled = RwSignal::new((0.0_f64, 800.0_f64));
    let row_px = RwSignal::new(64.0_f64);
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            scrolled.set((f64::from(el.scroll_top()), f64::from(el.client_height())));
            if let Ok(Some(row)) = el.query_selector(".swipe-row")
                && let Some(row) = row.dyn_ref::<web_sys::HtmlElement>()
                && row.offset_height() > 0
            {
                row_px.set(f64::from(row.offset_height()));
            }
        }
    };
    let shown = Memo::new(move |_| {
        let (top, height) = scrolled.get();
        let total = inbox.list.with(|l| l.rows.len());
        window::window(total, row_px.get(), top, height)
    });
    Effect::new(move |_| {
        inbox.list.track();
        request_animation_frame(measure);
    });
    let rows = move || {
        let w = shown.get();
        inbox.list.with(|l| l.rows[w.start..w.end].to_vec())
    };
    let tab_href = move |status: Option<ConversationStatus>| {
        let view = InboxView {
            status,
            ..inbox.view.get()
        };
        inbox
            .workspace
            .get()
            .map(|ws| routes::inbox_with(ws, &view))
            .unwrap_or_default()
    };
    let empty_text = move || {
        let view = inbox.view.get();
        if !view.search.trim().is_empty() {
            tr!("inbox-list-empty-search", search = view.search.trim())
        } else if view.unreplied {
            tr!("inbox-list-empty-unreplied")
        } else {
            tr!("inbox-list-empty")
        }
    };

    let adding = RwSignal::new(false);
    view! {
        <section class="list-pane" aria-label=tr!("inbox-list-label")>
            <header class="pane-header">
                <button
                    type="button"
                    class="icon-button menu-button"
                    aria-label=tr!("inbox-folders")
                    on:click=move |_| inbox.folders_open.set(true)
                >
                    <Icon name="menu"/>
                </button>
                {move || {
                    let (title, named) = title();
                    view! { <h1 translate=named.then_some("no")>{title}</h1> }
                }}
                <span class="muted small" aria-live="polite">
                    {move || match total_unread() {
                        0 => String::new(),
                        n => tr!("inbox-list-unread", count = n),
                    }}
                </span>
                <button
                    type="button"
                    class="icon-button"
                    aria-label=tr!("inbox-list-new-contact")
                    title=tr!("inbox-list-new-contact")
                    on:click=move |_| adding.set(true)
                >
                    <Icon name="plus"/>
                </button>
                <super::notification_centre::NotificationBell/>
            </header>
            {move || (adding.get()).then(|| inbox.workspace.get().map(|ws| {
                crate::chunks::popup(crate::chunks::new_contact_dialog, move |draw: crate::chunks::NewContactFn| {
                    draw(ws, adding)
                })
            }))}
            <div class="list-tools">
                <div class="search-field">
                    <Icon name="search"/>
                    <input
                        type="search"
                        class="list-search"
                        aria-label=tr!("inbox-list-search")
                        placeholder=tr!("inbox-list-search-placeholder")
                        prop:value=move || typed.get()
                        on:input=on_search
                    />
                    <Show when=move || !typed.get().is_empty()>
                        <button type="button" class="icon-button small" aria-label=tr!("inbox-list-clear-search") on:click=clear_search.clone()>
                            <Icon name="x"/>
                        </button>
                    </Show>
                </div>
                <div class="list-controls">
                    <nav class="status-tabs" role="tablist" aria-label=tr!("inbox-list-status")>
                        {TABS
                            .into_iter()
                            .map(|status| {
                                let selected = move || inbox.view.get().status == status;
                                view! {
                                    <a
                                        role="tab"
                                        class="status-tab"
                                        class:selected=selected
                                        aria-selected=move || selected().to_string()
                                        href=move || tab_href(status)
                                    >
                                        {tab_label(status)}
                                    </a>
                                }
                            })
                            .collect_view()}
                    </nav>
                </div>
                <div class="list-controls">
                    <label class="sort-select">
                        <span class="visually-hidden">{tr!("inbox-list-sort")}</span>
                        <select aria-label=tr!("inbox-list-sort") on:change=on_sort prop:value=move || inbox.view.get().sort.as_str()>
                            {SORTS
                                .into_iter()
                                .map(|sort| view! { <option value=sort.as_str()>{sort_label(sort)}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <button
                        type="button"
                        class="chip unreplied-toggle"
                        class:active=move || inbox.view.get().unreplied
                        aria-pressed=move || inbox.view.get().unreplied.to_string()
                        on:click=toggle_unreplied
                    >
                        <Icon name="reply"/>
                        <span>{tr!("inbox-list-unreplied")}</span>
                        <Show when=move || inbox.view.get().unreplied>
                            <Icon name="x"/>
                        </Show>
                    </button>
                </div>
            </div>
            <Show when=move || !inbox.connected.get()>
                <p class="connection-banner" role="status">{tr!("inbox-list-reconnecting")}</p>
            </Show>
            // Offline, the app-wide banner says it once.
            {move || inbox.error.get().filter(|e| {
                !(matches!(e, ClientError::Network(_)) && crate::state::connectivity::offline().get())
            }).map(|e| view! {
                <p class="error-banner" role="alert">
                    {e.to_string()}
                    <button type="button" class="link-button" on:click=move |_| inbox.error.set(None)>
                        {tr!("inbox-list-dismiss")}
                    </button>
                </p>
            })}
            <div
                class="conversation-list"
                role="list"
                aria-busy=move || (!inbox.list.with(|l| l.loaded)).to_string()
                node_ref=scroller
                on:scroll=move |_| measure()
            >
                <Show when=move || inbox.list.with(|l| l.loaded && l.rows.is_empty())>
                    <p class="muted empty-list">{empty_text}</p>
                </Show>
                <div class="list-spacer" aria-hidden="true" style:height=move || format!("{}px", shown.get().before_px)></div>
                <For
                    each=rows
                    key=|row| (row.id, row.last_activity_at, row.unread_count, row.status, row.assignee.clone())
                    children=move |row| {
                        let id = row.id;
                        let ws = row.workspace_id;
                        let href = Signal::derive(move || routes::conversation_with(ws, id, &inbox.view.get()));
                        let selected = Signal::derive(move || inbox.selected.get() == Some(id));
                        let drag = RwSignal::new(0);
                        let touch = Gestures::new(row_swipes(inbox, navigate.clone(), &row, drag));
                        let hint = match row.status {
                            ConversationStatus::Open => {
                                (tr!("inbox-list-swipe-close"), tr!("inbox-list-swipe-snooze"))
                            }
                            ConversationStatus::Snoozed => {
                                (String::new(), tr!("inbox-list-swipe-unsnooze"))
                            }
                            ConversationStatus::Closed => (String::new(), String::new()),
                        };
                        // The click that ends a swipe does not open the conversation.
                        let on_click = move |ev: leptos::ev::MouseEvent| {
                            if touch.swiped.get_value() {
                                ev.prevent_default();
                                touch.swiped.set_value(false);
                            }
                        };
                        let class = move || match drag.get() {
                            dx if dx < -16 => "swipe-row swiping-left",
                            dx if dx > 16 => "swipe-row swiping-right",
                            _ => "swipe-row",
                        };
                        let (start, moved, end) = (touch.start(), touch.moved(), touch.end());
                        view! {
                            <div
                                role="listitem"
                                class=class
                                on:touchstart=start
                                on:touchmove=moved
                                on:touchend=end
                                on:click=on_click
                            >
                                <span class="swipe-hint swipe-hint-right" aria-hidden="true">{hint.1}</span>
                                <span class="swipe-hint swipe-hint-left" aria-hidden="true">{hint.0}</span>
                                <div class="swipe-body" style:transform=move || format!("translateX({}px)", drag.get())>
                                    <ConversationRow row=row href=href selected=selected/>
                                </div>
                            </div>
                        }
                    }
                />
                <div class="list-spacer" aria-hidden="true" style:height=move || format!("{}px", shown.get().after_px)></div>
                <Show when=move || inbox.list.with(|l| l.next_cursor.is_some())>
                    <button
                        type="button"
                        class="button subtle load-more"
                        on:click=move |_| {
                            if let Some(ws) = inbox.workspace.get_untracked() {
                                inbox.load_more(ws);
                            }
                        }
                    >
                        {tr!("inbox-list-load-more")}
                    </button>
                </Show>
            </div>
        </section>
    }
}
