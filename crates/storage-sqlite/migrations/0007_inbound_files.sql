-- Files contacts send through providers (CH): they have no uploader among the users, so the
-- column becomes nullable (SQLite rebuilds the table to drop a NOT NULL).

CREATE TABLE attachments_new (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    uploader_id  INTEGER REFERENCES users (id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size >= 0),
    storage_key  TEXT NOT NULL UNIQUE,
    message_id   INTEGER REFERENCES messages (id) ON DELETE CASCADE,
    position     INTEGER,
    created_at   INTEGER NOT NULL
);
INSERT INTO attachments_new
    (id, workspace_id, uploader_id, name, content_type, size, storage_key, message_id, position, created_at)
    SELECT id, workspace_id, uploader_id, name, content_type, size, storage_key, message_id, position, created_at
    FROM attachments;
DROP TABLE attachments;
ALTER TABLE attachments_new RENAME TO attachments;
CREATE INDEX attachments_message ON attachments (message_id, position);
