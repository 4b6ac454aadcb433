-- Provider channels (CH) and the durable outbox (C1).
--
-- A channel keeps its provider credentials (a JSON document only its adapter reads, never
-- sent to clients) and, once removed, the time it was disconnected: its conversations and
-- messages stay readable, nothing more goes out through it.
ALTER TABLE channels ADD COLUMN credentials TEXT;
ALTER TABLE channels ADD COLUMN disconnected_at INTEGER;

-- A message's id at its provider: an incoming message's (a repeated webhook finds it and
-- stores nothing new) or an outgoing one's once the provider accepted it (status reports and
-- replies find it). Unique within a channel; most messages have none.
ALTER TABLE messages ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX messages_external ON messages (channel_id, external_id)
    WHERE external_id IS NOT NULL;
-- Why a failed message was not delivered, in the provider's words.
ALTER TABLE messages ADD COLUMN delivery_error TEXT;

-- Outgoing messages waiting to be delivered, one row per message. A worker claims due rows
-- by moving next_attempt_at to the end of its lease, so a worker that dies mid-send leaves
-- the row to be claimed again; the row goes once the provider accepted or refused it. Ids
-- are never reused (AUTOINCREMENT), so a worker reporting late on an entry that is gone
-- cannot touch another one.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id    INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    message_id      INTEGER NOT NULL UNIQUE REFERENCES messages (id) ON DELETE CASCADE,
    channel_id      INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id);
CREATE INDEX outbox_channel ON outbox (channel_id);

-- Edits of incoming messages rewrite their search text; the FTS5 index follows.
CREATE TRIGGER message_search_update AFTER UPDATE OF search_text ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
    INSERT INTO message_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
