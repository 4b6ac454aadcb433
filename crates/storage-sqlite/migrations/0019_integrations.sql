-- A workspace's connections to outside services (T7): the AI provider now, CRMs and bots
-- later. `settings` is a JSON document members may read; `secret` (an API key, a token)
-- is written, never read back to clients.
CREATE TABLE integrations (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    settings     TEXT NOT NULL,
    secret       TEXT,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, kind)
);
