//! The worker that performs workflow runs (A7, T9): it claims due runs under a lease,
//! performs their steps one after another — each recorded in the run's log under the
//! workspace lock, after checking the run is still its own and running — and gives the run
//! up at a wait, which the store keeps: a wait survives a restart and ends on time on any
//! replica. A failed step ends the run with the reason. Steps act as the workflow
//! (`SenderKind::Workflow`), through the store and the outbox like an agent's actions.

use crate::automations;
use crate::state::AppState;
use chrono::Utc;
use std::time::Duration;
use switchboard_protocol::workflows::*;
use switchboard_protocol::*;
use switchboard_storage::{ContactChanges, HeldRun, RunProgress, StoreError, Transition};
use tokio::task::JoinHandle;

/// Runs claimed at once.
const BATCH: u32 = 20;
/// How long a worker holds a run before another may take it over.
const LEASE: chrono::Duration = chrono::Duration::seconds(120);
/// The longest the worker sleeps without looking for due runs.
const MAX_SLEEP: Duration = Duration::from_secs(30);

pub fn spawn(state: AppState) -> JoinHandle<()> {
    let worker = crate::due_work::Worker {
        name: "workflow runs",
        batch: BATCH as usize,
        max_sleep: MAX_SLEEP,
        wake: state.workflows.clone(),
    };
    crate::due_work::spawn(
        worker,
        state,
        |state| async move { run_once(&state).await },
        |state| async move { state.store.next_workflow_run_at().await },
    )
}

async fn run_once(state: &AppState) -> switchboard_storage::StoreResult<usize> {
    let now = Utc::now();
    let due = state
        .store
        .claim_workflow_runs(now, now + LEASE, BATCH)
        .await?;
    let count = due.len();
    futures_util::future::join_all(due.into_iter().map(|run| work(state, run))).await;
    Ok(count)
}

/// What a step came to.
enum Done {
    /// Go on with the next step.
    Next(String),
    /// Go on after `seconds`.
    Wait(u64, String),
    /// Skip the next `n` steps.
    Skip(u32, String),
    /// The run ends here.
    Failed(String),
}

/// Performs the run's steps until a wait, the end, a failure or a stop.
async fn work(state: &AppState, mut run: HeldRun) {
    loop {
        let Some(step) = run.steps.get(run.step as usize).cloned() else {
            let _ = state
                .store
                .advance_workflow_run(&run, "Finished.", RunProgress::Done, Utc::now())
                .await;
            return;
        };
        match state.store.workflow_run_held(&run).await {
            Ok(true) => {}
            Ok(false) => return,
            Err(error) => {
                tracing::warn!(%error, "a workflow run could not be read");
                return;
            }
        }
        let done = perform(state, &run, &step).await;
        let now = Utc::now();
        let last = run.steps.len();
        let after = |next: u32, due| {
            if next as usize >= last {
                RunProgress::Done
            } else {
                RunProgress::Next { step: next, due }
            }
        };
        let (outcome, progress) = match done {
            Done::Next(outcome) => (outcome, after(run.step + 1, now)),
            Done::Wait(seconds, outcome) => {
                // Saved waits are at most 30 days.
                let seconds = i64::try_from(seconds.min(MAX_WAIT_SECS)).unwrap_or(0);
                let due = now + chrono::Duration::seconds(seconds);
                (outcome, after(run.step + 1, due))
            }
            Done::Skip(n, outcome) => (outcome, after(run.step + 1 + n, now)),
            Done::Failed(reason) => (reason.clone(), RunProgress::Failed { reason }),
        };
        match state
            .store
            .advance_workflow_run(&run, &outcome, progress.clone(), now)
            .await
        {
            Ok(true) => {}
            Ok(false) => return,
            Err(error) => {
                tracing::warn!(%error, "a workflow run's step could not be recorded");
                return;
            }
        }
        match progress {
            RunProgress::Next { step, due } if due <= now => run.step = step,
            _ => return,
        }
    }
}

/// Writes a message or comment as the workflow, while the run is still its worker's.
async fn write(
    state: &AppState,
    run: &HeldRun,
    kind: MessageKind,
    text: &str,
) -> Result<(), String> {
    let conversation = state
        .store
        .conversation(run.workspace, run.conversation)
        .await
        .map_err(|e| e.to_string())?;
    if kind == MessageKind::Message && conversation.contact.blocked {
        return Err("The contact is blocked: no message was sent.".into());
    }
    let message = automations::message(
        run.workspace,
        &conversation,
        SenderKind::Workflow,
        kind,
        format!("workflow-{}-{}", run.id, run.step),
        text.to_owned(),
    );
    automations::published(
        state,
        state.store.append_workflow_message(run, message).await,
    )
    .map_err(|e| e.to_string())
}

async fn perform(state: &AppState, run: &HeldRun, step: &WorkflowStep) -> Done {
    let ws = run.workspace;
    match step {
        WorkflowStep::SendMessage { text } => {
            match write(state, run, MessageKind::Message, text).await {
                Ok(()) => Done::Next("Message sent.".into()),
                Err(reason) => Done::Failed(reason),
            }
        }
        WorkflowStep::AddComment { text } => {
            match write(state, run, MessageKind::Comment, text).await {
                Ok(()) => Done::Next("Comment added.".into()),
                Err(reason) => Done::Failed(reason),
            }
        }
        WorkflowStep::Assign { assignee } => {
            match state.store.assign(ws, run.conversation, *assignee).await {
                Ok(event) => {
                    state.publish(event);
                    Done::Next(
                        if assignee.is_some() {
                            "Assigned."
                        } else {
                            "Unassigned."
                        }
                        .into(),
                    )
                }
                Err(StoreError::Invalid { reason, .. }) => Done::Failed(reason),
                Err(error) => Done::Failed(error.to_string()),
            }
        }
        WorkflowStep::Close => {
            let close = Transition::Close {
                note: None,
                by: None,
            };
            match state
                .store
                .transition(ws, run.conversation, close, Utc::now())
                .await
            {
                Ok(event) => {
                    state.publish(Some(event));
                    Done::Next("Closed.".into())
                }
                // Already closed: nothing to do.
                Err(StoreError::Refused(_)) => Done::Next("Already closed.".into()),
                Err(error) => Done::Failed(error.to_string()),
            }
        }
        WorkflowStep::UpdateContactField { field, value } => {
            let fields = match state.store.custom_fields(ws).await {
                Ok(fields) => fields,
                Err(error) => return Done::Failed(error.to_string()),
            };
            let Some(definition) = fields.iter().find(|f| f.id == *field) else {
                return Done::Failed("The custom field no longer exists.".into());
            };
            let value = match switchboard_protocol::contacts::field_value(definition, value) {
                Ok(value) => value,
                Err(invalid) => return Done::Failed(invalid.message),
            };
            let changes = ContactChanges {
                fields: vec![(*field, value)],
                ..ContactChanges::default()
            };
            match state.store.update_contact(ws, run.contact, &changes).await {
                Ok((_, event)) => {
                    state.publish(Some(event));
                    Done::Next(format!("{} set.", definition.label))
                }
                Err(error) => Done::Failed(error.to_string()),
            }
        }
        WorkflowStep::Wait { seconds } => Done::Wait(*seconds, format!("Waiting {seconds} s.")),
        WorkflowStep::Branch { condition, skip } => match holds(state, run, condition).await {
            Ok(true) => Done::Next("The condition holds.".into()),
            Ok(false) => Done::Skip(
                *skip,
                format!("The condition does not hold: {skip} steps skipped."),
            ),
            Err(reason) => Done::Failed(reason),
        },
        WorkflowStep::HttpRequest { method, url, body } => {
            match super::http::request(
                &state.config.workflow_http_private_hosts,
                *method,
                url,
                body.as_deref(),
            )
            .await
            {
                Ok(outcome) => Done::Next(outcome),
                Err(reason) => Done::Failed(reason),
            }
        }
    }
}

/// Whether the condition holds for the run's conversation now.
async fn holds(
    state: &AppState,
    run: &HeldRun,
    condition: &WorkflowCondition,
) -> Result<bool, String> {
    let conversation = state
        .store
        .conversation(run.workspace, run.conversation)
        .await
        .map_err(|e| e.to_string())?;
    Ok(match condition {
        WorkflowCondition::Status { is } => conversation.status == *is,
        WorkflowCondition::Assigned { assigned } => conversation.assignee.is_some() == *assigned,
        WorkflowCondition::Channel { is } => conversation.channel == *is,
        WorkflowCondition::ContactField { field, equals } => {
            let contact = state
                .store
                .contact(run.workspace, run.contact)
                .await
                .map_err(|e| e.to_string())?;
            contact
                .fields
                .iter()
                .find(|f| f.field == *field)
                .is_some_and(|f| f.value.trim().eq_ignore_ascii_case(equals.trim()))
        }
    })
}
