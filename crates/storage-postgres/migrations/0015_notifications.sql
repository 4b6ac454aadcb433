-- The notification centre (O1), Web Push (O2) and who is told what (O3).
--
-- An entry tells one member about one conversation: a mention, an assignment, messages
-- the contact wrote in a conversation assigned to them, or a snooze that ended. Entries are
-- written in the transaction of what they tell of. The messages of one conversation gather
-- in its member's one unread `new_message` entry (the partial unique index), so a chatty
-- contact is one line, not fifty.
--
-- push_at is when the member's devices are due to be told: set when the entry is written
-- (or gathers another message), moved to the end of a lease while a worker pushes it, and
-- cleared once pushed; push_attempts counts the tries of the current push.
CREATE TABLE notifications (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    conversation_id BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_id      BIGINT REFERENCES messages (id) ON DELETE SET NULL,
    actor_user_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    text            TEXT NOT NULL DEFAULT '',
    count           BIGINT NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    read_at         BIGINT,
    push_at         BIGINT,
    push_attempts   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notifications_user ON notifications (user_id, workspace_id, id);
CREATE INDEX notifications_push ON notifications (push_at) WHERE push_at IS NOT NULL;
CREATE UNIQUE INDEX notifications_gathering ON notifications (user_id, conversation_id)
    WHERE kind = 'new_message' AND read_at IS NULL;

-- A device's push subscription (one per browser; a new login there takes it over).
CREATE TABLE push_subscriptions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    endpoint   TEXT NOT NULL UNIQUE,
    p256dh     TEXT NOT NULL,
    auth       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

-- What a member wants pushed in a workspace (O3), and whether a workspace pushes snooze
-- expiry to assignees at all (A2).
ALTER TABLE memberships ADD COLUMN push_kinds TEXT NOT NULL DEFAULT 'mention,assignment,new_message,snooze_expired';
ALTER TABLE workspaces ADD COLUMN snooze_push BOOLEAN NOT NULL DEFAULT TRUE;

-- Secrets the server makes on its first start and keeps (the VAPID key pair), shared by
-- every replica.
CREATE TABLE server_keys (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
