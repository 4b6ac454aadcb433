//! Workflows and their runs (A7, A8, T9). A run keeps the steps it started with and the next
//! one to perform; workers claim due runs under a lease (the outbox's way: a run is due
//! again when its lease ends, so a worker that dies mid-run leaves it to another), record
//! each step under the workspace lock, and give the lease up at a wait. Stopping takes the
//! same lock: once it commits, no record of a further step is accepted.

use crate::backend::{Backend, Bind, Conn, Sql};
use crate::queries::{lock_workspace, placeholders};
use crate::rows::{corrupt, micros, time};
use chrono::{DateTime, Utc};
use switchboard_protocol::workflows::*;
use switchboard_protocol::*;
use switchboard_storage::*;

type Row = (i64, String, String, String, bool, i64);

const COLUMNS: &str = "id, name, trigger_json, steps, enabled, updated_at";

fn json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|_| corrupt(what, text))
}

fn text<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn workflow((id, name, trigger, steps, enabled, updated_at): Row) -> StoreResult<Workflow> {
    Ok(Workflow {
        id,
        name,
        trigger: json("workflow trigger", &trigger)?,
        steps: json("workflow steps", &steps)?,
        enabled,
        updated_at: time(updated_at)?,
    })
}

pub async fn list(conn: &mut impl Conn, workspace: WorkspaceId) -> StoreResult<Vec<Workflow>> {
    let rows: Vec<Row> = conn
        .fetch_all(
            Sql::new(format!(
                "SELECT {COLUMNS} FROM workflows WHERE workspace_id = ? ORDER BY name_key, id"
            ))
            .bind(workspace.0),
        )
        .await?;
    rows.into_iter().map(workflow).collect()
}

pub async fn get(conn: &mut impl Conn, workspace: WorkspaceId, id: i64) -> StoreResult<Workflow> {
    let row: Option<Row> = conn
        .fetch_optional(
            Sql::new(format!(
                "SELECT {COLUMNS} FROM workflows WHERE id = ? AND workspace_id = ?"
            ))
            .bind(id)
            .bind(workspace.0),
        )
        .await?;
    row.map(workflow).ok_or(StoreError::NotFound)?
}

pub async fn create(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    request: &WorkflowRequest,
    now: DateTime<Utc>,
) -> StoreResult<Workflow> {
    let row: Row = conn
        .fetch_one(
            Sql::new(format!(
                "INSERT INTO workflows (workspace_id, name, name_key, trigger_json, steps, enabled, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
            ))
            .bind(workspace.0)
            .bind(request.name.trim())
            .bind(request.name.trim().to_lowercase())
            .bind(text(&request.trigger)?)
            .bind(text(&request.steps)?)
            .bind(request.enabled)
            .bind(micros(now)),
        )
        .await?;
    workflow(row)
}

pub async fn update(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    id: i64,
    request: &WorkflowRequest,
    now: DateTime<Utc>,
) -> StoreResult<Workflow> {
    let row: Option<Row> = conn
        .fetch_optional(
            Sql::new(format!(
                "UPDATE workflows SET name = ?, name_key = ?, trigger_json = ?, steps = ?, enabled = ?,
                   updated_at = ?
                 WHERE id = ? AND workspace_id = ? RETURNING {COLUMNS}"
            ))
            .bind(request.name.trim())
            .bind(request.name.trim().to_lowercase())
            .bind(text(&request.trigger)?)
            .bind(text(&request.steps)?)
            .bind(request.enabled)
            .bind(micros(now))
            .bind(id)
            .bind(workspace.0),
        )
        .await?;
    row.map(workflow).ok_or(StoreError::NotFound)?
}

/// Deletes the workflow after stopping its ongoing runs.
pub async fn delete(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    conn.execute(
        Sql::new(
            "UPDATE workflow_runs SET status = 'stopped', due_at = NULL, lease_until = NULL,
               finished_at = ?, outcome = 'The workflow was deleted.'
             WHERE workflow_id = ? AND workspace_id = ? AND status = 'running'",
        )
        .bind(micros(now))
        .bind(id)
        .bind(workspace.0),
    )
    .await?;
    let gone = conn
        .execute(
            Sql::new("DELETE FROM workflows WHERE id = ? AND workspace_id = ?")
                .bind(id)
                .bind(workspace.0),
        )
        .await?;
    if gone == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

type RunRow = (
    i64,
    Option<i64>,
    String,
    i64,
    i64,
    String,
    i64,
    String,
    Option<i64>,
    Option<i64>,
    i64,
    Option<i64>,
    Option<String>,
);

const RUN_COLUMNS: &str = "id, workflow_id, workflow_name, conversation_id, contact_id, steps, \
    step, status, due_at, started_by, started_at, finished_at, outcome";

async fn run_of(conn: &mut impl Conn, row: RunRow) -> StoreResult<WorkflowRun> {
    let (
        id,
        workflow_id,
        name,
        conversation,
        contact,
        steps,
        step,
        status,
        due,
        by,
        started,
        finished,
        outcome,
    ) = row;
    let steps: Vec<WorkflowStep> = json("run steps", &steps)?;
    let log: Vec<(i64, i64, String)> = conn
        .fetch_all(
            Sql::new(
                "SELECT step, at, outcome FROM workflow_run_steps WHERE run_id = ? ORDER BY at, step",
            )
            .bind(id),
        )
        .await?;
    let status = RunStatus::parse(&status).ok_or_else(|| corrupt("run status", &status))?;
    Ok(WorkflowRun {
        id,
        workflow_id,
        workflow_name: name,
        conversation_id: ConversationId(conversation),
        contact_id: ContactId(contact),
        status,
        step: u32::try_from(step).unwrap_or(0),
        steps_total: u32::try_from(steps.len()).unwrap_or(u32::MAX),
        due_at: if status == RunStatus::Running {
            due.map(time).transpose()?
        } else {
            None
        },
        started_by: by.map(UserId),
        started_at: time(started)?,
        finished_at: finished.map(time).transpose()?,
        outcome,
        log: log
            .into_iter()
            .map(|(step, at, outcome)| {
                Ok(RunStepLog {
                    step: u32::try_from(step).unwrap_or(0),
                    at: time(at)?,
                    outcome,
                })
            })
            .collect::<StoreResult<_>>()?,
    })
}

async fn run(conn: &mut impl Conn, id: i64) -> StoreResult<WorkflowRun> {
    let row: RunRow = conn
        .fetch_optional(
            Sql::new(format!(
                "SELECT {RUN_COLUMNS} FROM workflow_runs WHERE id = ?"
            ))
            .bind(id),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    run_of(conn, row).await
}

/// Starts a run; `None` when one for `trigger_key` exists.
pub async fn start(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    workflow_id: i64,
    conversation: ConversationId,
    started_by: Option<UserId>,
    trigger_key: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<Option<WorkflowRun>> {
    let found = get(conn, workspace, workflow_id).await?;
    let contact: (i64,) = conn
        .fetch_optional(
            Sql::new("SELECT contact_id FROM conversations WHERE id = ? AND workspace_id = ?")
                .bind(conversation.0)
                .bind(workspace.0),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let id: Option<(i64,)> = conn
        .fetch_optional(
            Sql::new(
                "INSERT INTO workflow_runs (workspace_id, workflow_id, workflow_name, conversation_id,
                   contact_id, steps, step, status, due_at, started_by, started_at, trigger_key)
                 VALUES (?, ?, ?, ?, ?, ?, 0, 'running', ?, ?, ?, ?)
                 ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(workspace.0)
            .bind(workflow_id)
            .bind(found.name.as_str())
            .bind(conversation.0)
            .bind(contact.0)
            .bind(text(&found.steps)?)
            .bind(micros(now))
            .bind(started_by.map(|u| u.0))
            .bind(micros(now))
            .bind(trigger_key),
        )
        .await?;
    match id {
        Some((id,)) => Ok(Some(run(conn, id).await?)),
        None => Ok(None),
    }
}

pub async fn of_contact(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    contact: ContactId,
    ongoing: bool,
) -> StoreResult<Vec<WorkflowRun>> {
    let rows: Vec<RunRow> = conn
        .fetch_all(
            Sql::new(format!(
                "SELECT {RUN_COLUMNS} FROM workflow_runs WHERE workspace_id = ? AND contact_id = ?{}
                 ORDER BY started_at DESC, id DESC LIMIT 100",
                if ongoing { " AND status = 'running'" } else { "" }
            ))
            .bind(workspace.0)
            .bind(contact.0),
        )
        .await?;
    let mut runs = Vec::with_capacity(rows.len());
    for row in rows {
        runs.push(run_of(conn, row).await?);
    }
    Ok(runs)
}

/// Stops running runs (the caller holds the workspace lock); the runs stopped.
pub async fn stop(
    conn: &mut impl Conn,
    workspace: WorkspaceId,
    contact: ContactId,
    only: Option<i64>,
    by_name: &str,
    now: DateTime<Utc>,
) -> StoreResult<Vec<WorkflowRun>> {
    let mut select = Sql::new(
        "SELECT id FROM workflow_runs WHERE workspace_id = ? AND contact_id = ? AND status = 'running'",
    )
    .bind(workspace.0)
    .bind(contact.0);
    if let Some(id) = only {
        select.push(" AND id = ?", [Bind::Int(id)]);
    }
    let ids: Vec<(i64,)> = conn.fetch_all(select).await?;
    if only.is_some() && ids.is_empty() {
        return Err(StoreError::NotFound);
    }
    let mut stopped = Vec::with_capacity(ids.len());
    for (id,) in ids {
        conn.execute(
            Sql::new(
                "UPDATE workflow_runs SET status = 'stopped', due_at = NULL, lease_until = NULL,
                   finished_at = ?, outcome = ? WHERE id = ?",
            )
            .bind(micros(now))
            .bind(format!("Stopped by {by_name}."))
            .bind(id),
        )
        .await?;
        stopped.push(run(conn, id).await?);
    }
    Ok(stopped)
}

/// A held run's row: its id, workspace, conversation, contact, steps and step.
type HeldRow = (i64, i64, i64, i64, String, i64);

pub async fn claim<B: Backend>(
    tx: &mut B::Tx,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u32,
) -> StoreResult<Vec<HeldRun>> {
    let ids: Vec<(i64,)> = tx
        .fetch_all(
            Sql::new(format!(
                "SELECT id FROM workflow_runs
                 WHERE status = 'running' AND due_at <= ?
                   AND (lease_until IS NULL OR lease_until <= ?)
                 ORDER BY due_at, id LIMIT ?{}",
                B::FOR_UPDATE_SKIP_LOCKED
            ))
            .bind(micros(now))
            .bind(micros(now))
            .bind(limit),
        )
        .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut lease = Sql::new("UPDATE workflow_runs SET lease_until = ?").bind(micros(lease_until));
    lease.push(
        &format!(" WHERE id IN ({})", placeholders(ids.len())),
        ids.iter().map(|(id,)| Bind::Int(*id)),
    );
    tx.execute(lease).await?;
    let mut held = Vec::with_capacity(ids.len());
    for (id,) in ids {
        let (id, workspace, conversation, contact, steps, step): HeldRow = tx
            .fetch_one(
                Sql::new(
                    "SELECT id, workspace_id, conversation_id, contact_id, steps, step
                     FROM workflow_runs WHERE id = ?",
                )
                .bind(id),
            )
            .await?;
        held.push(HeldRun {
            id,
            workspace: WorkspaceId(workspace),
            conversation: ConversationId(conversation),
            contact: ContactId(contact),
            steps: json("run steps", &steps)?,
            step: u32::try_from(step).unwrap_or(u32::MAX),
            lease_until,
        });
    }
    Ok(held)
}

pub async fn next_due(conn: &mut impl Conn) -> StoreResult<Option<DateTime<Utc>>> {
    let next: (Option<i64>,) = conn
        .fetch_one(Sql::new(
            "SELECT MIN(CASE WHEN lease_until IS NOT NULL AND lease_until > due_at
                        THEN lease_until ELSE due_at END)
             FROM workflow_runs WHERE status = 'running' AND due_at IS NOT NULL",
        ))
        .await?;
    next.0.map(time).transpose()
}

/// Whether the run is running and held with this lease.
pub async fn held(conn: &mut impl Conn, run: &HeldRun) -> StoreResult<bool> {
    let found: Option<(i64,)> = conn
        .fetch_optional(
            Sql::new(
                "SELECT id FROM workflow_runs WHERE id = ? AND status = 'running' AND lease_until = ?",
            )
            .bind(run.id)
            .bind(micros(run.lease_until)),
        )
        .await?;
    Ok(found.is_some())
}

/// Records a step and moves the run on (the caller holds the workspace lock).
pub async fn advance<B: Backend>(
    tx: &mut B::Tx,
    run: &HeldRun,
    outcome: &str,
    progress: RunProgress,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    lock_workspace::<B>(tx, run.workspace).await?;
    if !held(tx, run).await? {
        return Ok(false);
    }
    tx.execute(
        Sql::new("INSERT INTO workflow_run_steps (run_id, step, at, outcome) VALUES (?, ?, ?, ?)")
            .bind(run.id)
            .bind(run.step)
            .bind(micros(now))
            .bind(outcome),
    )
    .await?;
    let update = match progress {
        RunProgress::Next { step, due } => {
            // A wait gives the lease up: any worker takes the run when it is due.
            let lease = if due > now {
                None
            } else {
                Some(micros(run.lease_until))
            };
            Sql::new("UPDATE workflow_runs SET step = ?, due_at = ?, lease_until = ? WHERE id = ?")
                .bind(step)
                .bind(micros(due))
                .bind(lease)
                .bind(run.id)
        }
        RunProgress::Done => Sql::new(
            "UPDATE workflow_runs SET step = ?, status = 'done', due_at = NULL, lease_until = NULL,
               finished_at = ? WHERE id = ?",
        )
        .bind(u32::try_from(run.steps.len()).unwrap_or(u32::MAX))
        .bind(micros(now))
        .bind(run.id),
        RunProgress::Failed { reason } => Sql::new(
            "UPDATE workflow_runs SET status = 'failed', due_at = NULL, lease_until = NULL,
               finished_at = ?, outcome = ? WHERE id = ?",
        )
        .bind(micros(now))
        .bind(reason)
        .bind(run.id),
    };
    tx.execute(update).await?;
    Ok(true)
}
