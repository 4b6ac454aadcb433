-- Users, workspaces, channels, contacts, conversations, messages and realtime events.
-- Times are microseconds since the Unix epoch (UTC), as in the SQLite backend, so both read
-- the same rows; every integer is BIGINT (the shared row types decode i64).

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE workspaces (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT NOT NULL,
    last_seq   BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE memberships (
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'agent')),
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE teams (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE team_members (
    team_id BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE channels (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    public_key   TEXT UNIQUE,
    created_at   BIGINT NOT NULL
);
CREATE INDEX channels_workspace ON channels (workspace_id);

CREATE TABLE contacts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    first_name   TEXT NOT NULL,
    last_name    TEXT NOT NULL,
    email        TEXT,
    phone        TEXT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX contacts_workspace ON contacts (workspace_id);

CREATE TABLE conversations (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id     BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    contact_id       BIGINT NOT NULL UNIQUE REFERENCES contacts (id) ON DELETE CASCADE,
    channel_id       BIGINT NOT NULL REFERENCES channels (id),
    status           TEXT NOT NULL CHECK (status IN ('open', 'closed', 'snoozed')),
    status_since     BIGINT NOT NULL,
    snoozed_until    BIGINT,
    last_activity_at BIGINT NOT NULL,
    last_message_id  BIGINT,
    unread_count     BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL
);
CREATE INDEX conversations_activity ON conversations (workspace_id, last_activity_at DESC, id DESC);

CREATE TABLE messages (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id     BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    conversation_id  BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    client_id        TEXT,
    kind             TEXT NOT NULL CHECK (kind IN ('message', 'comment')),
    direction        TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
    sender_kind      TEXT NOT NULL,
    sender_user_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    channel_id       BIGINT NOT NULL REFERENCES channels (id),
    content          TEXT NOT NULL,
    delivery_status  TEXT,
    created_at       BIGINT NOT NULL,
    UNIQUE (workspace_id, client_id)
);
CREATE INDEX messages_thread ON messages (conversation_id, id DESC);

CREATE TABLE visitors (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel_id BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    contact_id BIGINT REFERENCES contacts (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE events (
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    seq          BIGINT NOT NULL,
    at           BIGINT NOT NULL,
    payload      TEXT NOT NULL,
    PRIMARY KEY (workspace_id, seq)
);
