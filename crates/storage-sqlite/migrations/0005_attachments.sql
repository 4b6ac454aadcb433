-- File attachments (K3). A file is recorded when it is uploaded, before any message carries
-- it; sending a message sets message_id and position (its place among the message's files)
-- in the same transaction. The bytes live outside the database, under storage_key, which is
-- random and never derived from the file name.

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    uploader_id  INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size >= 0),
    storage_key  TEXT NOT NULL UNIQUE,
    message_id   INTEGER REFERENCES messages (id) ON DELETE CASCADE,
    position     INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id, position);
