-- The inbox domain: settings, permissions, blocked contacts, custom fields, identities,
-- assignment, reply tracking, replies and mentions, closing notes, custom inboxes.

ALTER TABLE workspaces ADD COLUMN closing_notes TEXT NOT NULL DEFAULT 'optional'
    CHECK (closing_notes IN ('off', 'optional', 'mandatory'));
ALTER TABLE workspaces ADD COLUMN unreplied_cutoff TEXT NOT NULL DEFAULT '2025-02-12';

ALTER TABLE memberships ADD COLUMN view_blocked BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE memberships ADD COLUMN phone_masked BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE memberships SET view_blocked = TRUE WHERE role IN ('owner', 'manager');

ALTER TABLE contacts ADD COLUMN blocked BOOLEAN NOT NULL DEFAULT FALSE;
-- Lower-cased (by the application, whatever the database's locale) forms for search and
-- filters: "first last e-mail" for list search (N5), each part for conditions, and the
-- phone's digits.
ALTER TABLE contacts ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN first_name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN last_name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN phone_digits TEXT NOT NULL DEFAULT '';
UPDATE contacts SET search_text = LOWER(first_name || ' ' || last_name || ' ' || COALESCE(email, '')),
    first_name_key = LOWER(first_name), last_name_key = LOWER(last_name),
    email_key = LOWER(COALESCE(email, ''));

CREATE TABLE custom_fields (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date', 'list')),
    options      TEXT NOT NULL DEFAULT '[]',
    created_at   INTEGER NOT NULL
);
CREATE INDEX custom_fields_workspace ON custom_fields (workspace_id);

CREATE TABLE contact_field_values (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    field_id   INTEGER NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,
    value      TEXT NOT NULL,
    value_key  TEXT NOT NULL,
    PRIMARY KEY (contact_id, field_id)
);
CREATE INDEX contact_field_values_field ON contact_field_values (field_id, value);

CREATE TABLE contact_identities (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    channel_id  INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    UNIQUE (channel_id, external_id)
);
CREATE INDEX contact_identities_contact ON contact_identities (contact_id);

ALTER TABLE conversations ADD COLUMN assignee_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE conversations ADD COLUMN assignee_team_id INTEGER REFERENCES teams (id) ON DELETE SET NULL;
ALTER TABLE conversations ADD COLUMN assignee_ai BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE conversations ADD COLUMN last_incoming_at INTEGER;
ALTER TABLE conversations ADD COLUMN last_reply_at INTEGER;
-- The list's orders (N4) with and without a status tab.
CREATE INDEX conversations_since ON conversations (workspace_id, status_since, id);
CREATE INDEX conversations_status ON conversations (workspace_id, status, status_since, id);
CREATE INDEX conversations_status_activity ON conversations (workspace_id, status, last_activity_at, id);
CREATE INDEX conversations_user ON conversations (workspace_id, assignee_user_id, last_activity_at);
CREATE INDEX conversations_user_since ON conversations (workspace_id, assignee_user_id, status_since);
CREATE INDEX conversations_team ON conversations (workspace_id, assignee_team_id, last_activity_at);
CREATE INDEX conversations_team_since ON conversations (workspace_id, assignee_team_id, status_since);
CREATE INDEX conversations_incoming ON conversations (workspace_id, last_incoming_at);
-- The contact's blocked flag, kept on its conversation too so lists filter without a join;
-- the Blocked folder reads the few blocked ones first.
ALTER TABLE conversations ADD COLUMN blocked BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX conversations_blocked ON conversations (workspace_id, last_activity_at) WHERE blocked;
CREATE INDEX conversations_snoozed ON conversations (snoozed_until) WHERE status = 'snoozed';

ALTER TABLE messages ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN reply_to_id INTEGER REFERENCES messages (id) ON DELETE SET NULL;

CREATE TABLE message_mentions (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (message_id, user_id)
);
CREATE INDEX message_mentions_user ON message_mentions (user_id);

CREATE TABLE closing_notes (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    note            TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX closing_notes_conversation ON closing_notes (conversation_id);

CREATE TABLE custom_inboxes (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    owner_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    filter        TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX custom_inboxes_workspace ON custom_inboxes (workspace_id);

CREATE TABLE custom_inbox_user_shares (
    inbox_id INTEGER NOT NULL REFERENCES custom_inboxes (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (inbox_id, user_id)
);

CREATE TABLE custom_inbox_team_shares (
    inbox_id INTEGER NOT NULL REFERENCES custom_inboxes (id) ON DELETE CASCADE,
    team_id  INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    PRIMARY KEY (inbox_id, team_id)
);

-- Full-text search of messages and comments (S1, C6): an FTS5 index over the lower-cased
-- text (written by the application), kept in step by triggers.
CREATE VIRTUAL TABLE message_search USING fts5(
    search_text,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
END;

-- List search (N5): a trigram index over the contact's lower-cased search text and phone
-- digits, which answers `LIKE '%…%'` without reading every contact.
CREATE VIRTUAL TABLE contact_search USING fts5(
    search_text,
    phone_digits,
    content = 'contacts',
    content_rowid = 'id',
    tokenize = 'trigram'
);
INSERT INTO contact_search (rowid, search_text, phone_digits)
    SELECT id, search_text, phone_digits FROM contacts;
CREATE TRIGGER contact_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_search (rowid, search_text, phone_digits)
    VALUES (new.id, new.search_text, new.phone_digits);
END;
CREATE TRIGGER contact_search_update AFTER UPDATE OF search_text, phone_digits ON contacts BEGIN
    INSERT INTO contact_search (contact_search, rowid, search_text, phone_digits)
    VALUES ('delete', old.id, old.search_text, old.phone_digits);
    INSERT INTO contact_search (rowid, search_text, phone_digits)
    VALUES (new.id, new.search_text, new.phone_digits);
END;
CREATE TRIGGER contact_search_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contact_search (contact_search, rowid, search_text, phone_digits)
    VALUES ('delete', old.id, old.search_text, old.phone_digits);
END;
