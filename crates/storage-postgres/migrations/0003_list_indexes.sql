-- Lists that sort a small set instead of walking a sort order: the conversations with a
-- recent incoming message (custom inboxes' "within" condition) and the blocked folder, both
-- read from the index alone.
DROP INDEX conversations_incoming;
CREATE INDEX conversations_incoming ON conversations (workspace_id, last_incoming_at)
    INCLUDE (status, blocked, channel_id, last_activity_at, status_since, id);
DROP INDEX conversations_blocked;
CREATE INDEX conversations_blocked ON conversations (workspace_id, status, last_activity_at)
    INCLUDE (status_since, id) WHERE blocked;
