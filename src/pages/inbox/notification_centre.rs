//! The notification centre (O1): a bell with the unread count in the list's header, and the
//! panel it opens: mentions, assignments, new messages in the member's conversations and
//! snoozes ending, newest first; an entry opens its message. Below the header, this
//! device's pushes (O2) and what is pushed (O3).

use super::use_inbox;
use crate::api;
use crate::chunks;
use crate::components::highlighted::NamedText;
use crate::model::notifications::{headline, icon, link, read_locally};
use crate::model::time::{list_time, local_offset};
use crate::pwa::{self, PushSupport};
use crate::tr;
use crate::ui::icons::Icon;
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use switchboard_protocol::notifications::*;
use switchboard_protocol::*;

#[component]
pub fn NotificationBell() -> impl IntoView {
    let inbox = use_inbox();
    let unread = move || inbox.centre.with(|c| c.as_ref().map_or(0, |c| c.unread));
    let label = move || match unread() {
        0 => tr!("inbox-centre-title"),
        n => tr!("inbox-centre-bell-unread", count = n),
    };
    view! {
        <button
            type="button"
            class="icon-button bell"
            aria-label=label
            title=tr!("inbox-centre-title")
            aria-haspopup="dialog"
            aria-expanded=move || inbox.centre_open.get().to_string()
            aria-controls="notification-centre"
            on:click=move |_| inbox.centre_open.update(|open| *open = !*open)
        >
            <Icon name="bell"/>
            <Show when=move || { unread() > 0 }>
                <span class="bell-badge" aria-hidden="true">
                    {move || match unread() {
                        n if n > 99 => "99+".to_owned(),
                        n => n.to_string(),
                    }}
                </span>
            </Show>
        </button>
        {move || inbox.centre_open.get().then(|| {
            chunks::popup(chunks::notification_centre, |draw: chunks::PageFn| draw())
        })}
    }
}

#[component]
pub fn NotificationCentre() -> impl IntoView {
    let inbox = use_inbox();
    let navigate = use_navigate();
    let close = move || inbox.centre_open.set(false);
    let mark_all = move |_| {
        let Some(ws) = inbox.workspace.get_untracked() else {
            return;
        };
        inbox.centre.update(|c| {
            if let Some(c) = c {
                let ids: Vec<NotificationId> = c.items.iter().map(|n| n.id).collect();
                read_locally(c, &ids);
            }
        });
        spawn_local(async move {
            match api::read_notifications(ws, None).await {
                Ok(list) => inbox.centre.set(Some(list)),
                Err(e) => inbox.error.set(Some(e)),
            }
        });
    };
    let open_entry = move |ws: WorkspaceId, n: &Notification| {
        let id = n.id;
        let to = link(ws, n);
        inbox.read_entries(ws, vec![id]);
        close();
        navigate(&to, NavigateOptions::default());
    };
    let entries = move || {
        let Some(ws) = inbox.workspace.get() else {
            return ().into_any();
        };
        let Some(list) = inbox.centre.get() else {
            return view! { <p class="muted centre-empty">{tr!("inbox-loading")}</p> }.into_any();
        };
        if list.items.is_empty() {
            return view! {
                <p class="muted centre-empty">{tr!("inbox-centre-empty")}</p>
            }
            .into_any();
        }
        let now = Utc::now();
        let offset = local_offset();
        view! {
            <ul class="centre-list">
                {list
                    .items
                    .into_iter()
                    .map(|n| {
                        let open = open_entry.clone();
                        let entry = n.clone();
                        let href = link(ws, &n);
                        let time = list_time(n.created_at, now, offset);
                        let title = headline(&n);
                        let actor = n.actor_name.clone().unwrap_or_default();
                        view! {
                            <li>
                                <a
                                    class="centre-entry"
                                    class:unread=!n.read
                                    href=href
                                    data-kind=n.kind.as_str()
                                    on:click=move |ev| {
                                        ev.prevent_default();
                                        open(ws, &entry);
                                    }
                                >
                                    <span class=format!("centre-icon kind-{}", n.kind.as_str())>
                                        <Icon name=icon(n.kind)/>
                                    </span>
                                    <span class="centre-main">
                                        <span class="centre-top">
                                            <strong class="centre-contact" translate="no">{n.contact_name.clone()}</strong>
                                            <time class="centre-time" datetime=n.created_at.to_rfc3339()>{time}</time>
                                        </span>
                                        <span class="centre-headline"><NamedText text=title name=actor/></span>
                                        {(!n.text.is_empty()).then(|| view! {
                                            <span class="centre-text" translate="no">{n.text.clone()}</span>
                                        })}
                                    </span>
                                    {(!n.read).then(|| view! {
                                        <span class="unread-dot"><span class="visually-hidden">{tr!("inbox-centre-unread")}</span></span>
                                    })}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.stop_propagation();
            close();
        }
    };
    view! {
        <div class="centre-scrim" aria-hidden="true" on:click=move |_| close()></div>
        <section
            id="notification-centre"
            class="centre"
            role="dialog"
            aria-labelledby="centre-title"
            on:keydown=on_key
        >
            <header class="centre-header">
                <h2 id="centre-title">{tr!("inbox-centre-title")}</h2>
                <button
                    type="button"
                    class="button subtle small"
                    disabled=move || inbox.centre.with(|c| c.as_ref().is_none_or(|c| c.unread == 0))
                    on:click=mark_all
                >
                    {tr!("inbox-centre-mark-all-read")}
                </button>
                <button
                    type="button"
                    class="icon-button"
                    aria-label=tr!("inbox-centre-close")
                    autofocus=true
                    on:click=move |_| close()
                >
                    <Icon name="x"/>
                </button>
            </header>
            <PushSettings/>
            <div class="centre-scroll" aria-live="polite">{entries}</div>
        </section>
    }
}

/// This device's pushes and the member's choice of what is pushed.
#[component]
fn PushSettings() -> impl IntoView {
    let inbox = use_inbox();
    let support = RwSignal::new(pwa::push_support_now());
    let subscribed = RwSignal::new(None::<bool>);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let preferences = RwSignal::new(None::<NotificationPreferences>);
    spawn_local(async move {
        subscribed.set(Some(pwa::current_endpoint().await.is_some()));
    });
    Effect::new(move |_| {
        if let Some(ws) = inbox.workspace.get() {
            spawn_local(async move {
                if let Ok(p) = api::notification_preferences(ws).await {
                    preferences.set(Some(p));
                }
            });
        }
    });
    let turn_on = move |_| {
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            let result = pwa::turn_on_push().await;
            support.set(pwa::push_support_now());
            match result {
                Ok(()) => subscribed.set(Some(true)),
                Err(e) => problem.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let turn_off = move |_| {
        busy.set(true);
        spawn_local(async move {
            pwa::turn_off_push().await;
            subscribed.set(Some(false));
            busy.set(false);
        });
    };
    let choose = move |change: fn(&mut NotificationPreferences, bool)| {
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            let (Some(ws), Some(mut p)) =
                (inbox.workspace.get_untracked(), preferences.get_untracked())
            else {
                return;
            };
            change(&mut p, on);
            preferences.set(Some(p));
            spawn_local(async move {
                if let Err(e) = api::set_notification_preferences(ws, p).await {
                    problem.set(Some(e.to_string()));
                }
            });
        }
    };
    let manager = move || inbox.is_manager();
    let snooze_push = move || {
        inbox
            .directory
            .with(|d| d.as_ref().is_some_and(|d| d.snooze_push))
    };
    let set_snooze_push = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let Some(ws) = inbox.workspace.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let patch = settings::SettingsPatch {
                snooze_push: Some(on),
                ..Default::default()
            };
            if let Err(e) = api::update_settings(ws, &patch).await {
                problem.set(Some(e.to_string()));
            }
        });
    };
    let status = move || match (support.get(), subscribed.get()) {
        (PushSupport::Unsupported, _) => view! {
            <p class="muted small">{tr!("inbox-push-unsupported")}</p>
        }
        .into_any(),
        (PushSupport::Denied, _) => view! {
            <p class="muted small">{tr!("inbox-push-denied")}</p>
        }
        .into_any(),
        (_, Some(true)) => view! {
            <p class="push-state">
                <span>{tr!("inbox-push-on")}</span>
                <button type="button" class="button subtle small" disabled=busy on:click=turn_off>
                    {tr!("inbox-push-turn-off")}
                </button>
            </p>
        }
        .into_any(),
        (_, _) => view! {
            <p class="push-state">
                <span class="muted small">{tr!("inbox-push-offer")}</span>
                <button type="button" class="button primary small" disabled=busy on:click=turn_on>
                    {tr!("inbox-push-turn-on")}
                </button>
            </p>
        }
        .into_any(),
    };
    view! {
        <div class="push-settings">
            {status}
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
            <details class="push-choices">
                <summary>{tr!("inbox-push-what")}</summary>
                {move || preferences.get().map(|p| view! {
                    <fieldset>
                        <legend class="visually-hidden">{tr!("inbox-push-legend")}</legend>
                        <label><input type="checkbox" prop:checked=p.mentions on:change=choose(|p, on| p.mentions = on)/>{tr!("inbox-push-mentions")}</label>
                        <label><input type="checkbox" prop:checked=p.assignments on:change=choose(|p, on| p.assignments = on)/>{tr!("inbox-push-assignments")}</label>
                        <label><input type="checkbox" prop:checked=p.new_messages on:change=choose(|p, on| p.new_messages = on)/>{tr!("inbox-push-new-messages")}</label>
                        <label><input type="checkbox" prop:checked=p.snooze_expired on:change=choose(|p, on| p.snooze_expired = on)/>{tr!("inbox-push-snoozes")}</label>
                    </fieldset>
                })}
                <Show when=manager>
                    <label class="workspace-choice">
                        <input type="checkbox" prop:checked=snooze_push on:change=set_snooze_push/>
                        {tr!("inbox-push-snoozes-workspace")}
                    </label>
                </Show>
            </details>
        </div>
    }
}
