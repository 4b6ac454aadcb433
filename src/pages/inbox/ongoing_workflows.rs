//! The contact's ongoing workflows in the contact panel (A8): each running run with its
//! step and, while it waits, when it goes on; Stop for one and Stop all, each after a
//! confirmation. Read when the panel opens, when a Shortcut starts here, and every few
//! seconds while any is running.

use super::use_inbox;
use crate::api;
use crate::model::snooze::until_text;
use crate::model::time::local_offset;
use crate::tr;
use crate::ui::confirm::confirmed;
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use switchboard_protocol::workflows::WorkflowRun;
use switchboard_protocol::{ContactId, WorkspaceId};

/// How often the list is read again while runs are ongoing.
const REFRESH: Duration = Duration::from_secs(5);

#[component]
pub fn OngoingWorkflows(workspace: WorkspaceId, contact: ContactId) -> impl IntoView {
    let inbox = use_inbox();
    let runs = RwSignal::new(Vec::<WorkflowRun>::new());
    let load = move || {
        spawn_local(async move {
            if let Ok(list) = api::ongoing_runs(workspace, contact).await {
                runs.set(list);
            }
        });
    };
    Effect::new(move |_| {
        inbox.runs_changed.track();
        load();
    });
    let ticker = leptos::leptos_dom::helpers::set_interval_with_handle(
        move || {
            if runs.with_untracked(|r| !r.is_empty()) {
                load();
            }
        },
        REFRESH,
    )
    .ok();
    on_cleanup(move || {
        if let Some(ticker) = ticker {
            ticker.clear();
        }
    });
    let stop = move |run: Option<i64>| {
        let question = match run {
            Some(_) => tr!("workflows-stop-confirm"),
            None => tr!(
                "workflows-stop-all-confirm",
                count = runs.with_untracked(Vec::len)
            ),
        };
        if !confirmed(&question) {
            return;
        }
        spawn_local(async move {
            match api::stop_runs(workspace, contact, run).await {
                Ok(stopped) => {
                    inbox.notify(tr!("workflows-stopped", count = stopped.len()));
                    load();
                }
                Err(e) => {
                    inbox.error.set(Some(e));
                    load();
                }
            }
        });
    };
    view! {
        <Show when=move || runs.with(|r| !r.is_empty())>
            <section class="ongoing-workflows" aria-labelledby="ongoing-workflows-title">
                <header class="crm-panel-header">
                    <h3 id="ongoing-workflows-title">{tr!("workflows-ongoing")}</h3>
                    <Show when=move || runs.with(|r| r.len() > 1)>
                        <button type="button" class="link-button" on:click=move |_| stop(None)>
                            {tr!("workflows-stop-all")}
                        </button>
                    </Show>
                </header>
                <ul class="ongoing-list">
                    <For each=move || runs.get() key=|r| (r.id, r.step, r.due_at) let:run>
                        {
                            let id = run.id;
                            let progress = tr!(
                                "workflows-step-of",
                                step = (run.step + 1).min(run.steps_total),
                                total = run.steps_total
                            );
                            let waiting = run
                                .due_at
                                .filter(|due| *due > Utc::now())
                                .map(|due| tr!("workflows-waits-until", until = until_text(due, Utc::now(), local_offset())));
                            view! {
                                <li class="ongoing-run">
                                    <div>
                                        <strong translate="no">{run.workflow_name.clone()}</strong>
                                        <p class="muted small">{progress}{waiting.map(|w| view! { " · "{w} })}</p>
                                    </div>
                                    <button type="button" class="button subtle small"
                                        aria-label=tr!("workflows-stop-named", name = run.workflow_name.clone())
                                        on:click=move |_| stop(Some(id))>{tr!("workflows-stop")}</button>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </section>
        </Show>
    }
}
