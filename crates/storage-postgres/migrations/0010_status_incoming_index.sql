-- Custom inboxes with a "last message within" window and a status (or a status tab) read
-- only that status's part of the window, from the index alone.

CREATE INDEX conversations_status_incoming ON conversations (workspace_id, status, last_incoming_at)
    INCLUDE (blocked, channel_id, last_activity_at, status_since, id);
