-- Workflows (A7, A8, T9): a workspace's workflows (one trigger, ordered steps kept as JSON)
-- and their runs for conversations. A run keeps the steps it started with, the next step to
-- perform and when (a wait is a later `due_at`), and is claimed by a worker under a lease
-- (`lease_until`) so a run survives a restart and no two workers perform it. Each step
-- performed is logged. A workflow's `updated_at` is when its trigger started to count.
CREATE TABLE workflows (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    trigger_json TEXT NOT NULL,
    steps        TEXT NOT NULL,
    enabled      BOOLEAN NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX workflows_name ON workflows (workspace_id, name_key);

CREATE TABLE workflow_runs (
    id              INTEGER PRIMARY KEY,
    workspace_id    INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    workflow_id     INTEGER REFERENCES workflows (id) ON DELETE SET NULL,
    workflow_name   TEXT NOT NULL,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    contact_id      INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    steps           TEXT NOT NULL,
    step            INTEGER NOT NULL,
    status          TEXT NOT NULL,
    due_at          INTEGER,
    lease_until     INTEGER,
    started_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    started_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    outcome         TEXT,
    -- What started it, for triggers that must start one run per occurrence
    -- ("closed:<conversation>:<when>"); none for Shortcut runs.
    trigger_key     TEXT
);
CREATE UNIQUE INDEX workflow_runs_trigger ON workflow_runs (workflow_id, trigger_key);
CREATE INDEX workflow_runs_due ON workflow_runs (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX workflow_runs_contact ON workflow_runs (workspace_id, contact_id);

CREATE TABLE workflow_run_steps (
    run_id  INTEGER NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
    step    INTEGER NOT NULL,
    at      INTEGER NOT NULL,
    outcome TEXT NOT NULL
);
CREATE INDEX workflow_run_steps_run ON workflow_run_steps (run_id);
