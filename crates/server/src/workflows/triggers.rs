//! What starts workflows besides Shortcuts (T9): a conversation opened or closed (seen in the
//! events this replica commits: a conversation whose status changed moments ago), and a
//! member's change of a contact's custom field. Each occurrence starts one run per workflow
//! (the store keeps a key per occurrence, so replicas that see the same change start it once),
//! and only for changes made after the workflow was last saved. Each replica remembers the
//! occurrences it acted on, so the events that follow a change ask nothing more of the store.

use crate::state::AppState;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use switchboard_protocol::events::Event;
use switchboard_protocol::workflows::*;
use switchboard_protocol::*;

/// A status change is acted on while this fresh.
const FRESH: chrono::Duration = chrono::Duration::minutes(5);

/// The occurrences this replica already acted on, with when they happened: every later
/// event of the same conversation shows the same status, and asks nothing of the store.
#[derive(Clone, Default)]
pub struct Seen(Arc<Mutex<HashMap<String, DateTime<Utc>>>>);

impl Seen {
    /// Whether `key` is new here (and remembers it); forgets what is no longer fresh.
    fn first(&self, key: &str, at: DateTime<Utc>) -> bool {
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let now = Utc::now();
        seen.retain(|_, when| now - *when <= FRESH);
        seen.insert(key.to_owned(), at).is_none()
    }
}

/// Looks at an event committed on this replica: a conversation opened or closed just now
/// starts the workflows with that trigger.
pub fn observe(state: &AppState, event: &Event) {
    let Some(conversation) = event.payload.conversation() else {
        return;
    };
    let trigger = match conversation.status {
        ConversationStatus::Open => WorkflowTrigger::ConversationOpened,
        ConversationStatus::Closed => WorkflowTrigger::ConversationClosed,
        ConversationStatus::Snoozed => return,
    };
    let since = conversation.status_since;
    if Utc::now() - since > FRESH {
        return;
    }
    let key = format!(
        "{}:{}:{}",
        trigger_name(&trigger),
        conversation.id,
        since.timestamp_micros()
    );
    if !state.workflow_triggers.first(&key, since) {
        return;
    }
    let (state, workspace, id) = (state.clone(), event.workspace_id, conversation.id);
    tokio::spawn(async move {
        start(&state, workspace, id, since, &key, |t| *t == trigger).await;
    });
}

fn trigger_name(trigger: &WorkflowTrigger) -> &'static str {
    match trigger {
        WorkflowTrigger::Shortcut => "shortcut",
        WorkflowTrigger::ConversationOpened => "opened",
        WorkflowTrigger::ConversationClosed => "closed",
        WorkflowTrigger::ContactFieldUpdated { .. } => "field",
    }
}

/// A member changed these custom fields of a contact at `at`.
pub async fn fields_changed(
    state: &AppState,
    workspace: WorkspaceId,
    conversation: ConversationId,
    fields: &[CustomFieldId],
    at: DateTime<Utc>,
) {
    if fields.is_empty() {
        return;
    }
    let key = format!("field:{conversation}:{}", at.timestamp_micros());
    start(state, workspace, conversation, at, &key, |t| {
        matches!(t, WorkflowTrigger::ContactFieldUpdated { field } if field.is_none_or(|f| fields.contains(&f)))
    })
    .await;
}

/// Starts a run of each enabled workflow whose trigger matches, saved before `at`.
async fn start(
    state: &AppState,
    workspace: WorkspaceId,
    conversation: ConversationId,
    at: DateTime<Utc>,
    key: &str,
    matches: impl Fn(&WorkflowTrigger) -> bool,
) {
    let workflows = match state.store.workflows(workspace).await {
        Ok(workflows) => workflows,
        Err(error) => {
            tracing::warn!(%error, "workflows could not be read");
            return;
        }
    };
    let mut started = false;
    for workflow in workflows
        .iter()
        .filter(|w| w.enabled && w.updated_at <= at && matches(&w.trigger))
    {
        match state
            .store
            .start_workflow_run(
                workspace,
                workflow.id,
                conversation,
                None,
                Some(key),
                Utc::now(),
            )
            .await
        {
            Ok(run) => started |= run.is_some(),
            Err(error) => tracing::warn!(%error, "a workflow run could not be started"),
        }
    }
    if started {
        state.workflows.notify_one();
    }
}
