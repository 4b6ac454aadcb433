-- File attachments (K3). A file is recorded when it is uploaded, before any message carries
-- it; sending a message sets message_id and position (its place among the message's files)
-- in the same transaction. The bytes live outside the database, under storage_key, which is
-- random and never derived from the file name.

CREATE TABLE attachments (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    uploader_id  BIGINT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL CHECK (size >= 0),
    storage_key  TEXT NOT NULL UNIQUE,
    message_id   BIGINT REFERENCES messages (id) ON DELETE CASCADE,
    position     BIGINT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id, position);
