-- AI prompts and translations (K8, T8, C10): the workspace's own prompts for rewriting a
-- draft; translations of messages, one per message and language, so that toggling between
-- a message and its translation never asks the provider again; and the agent's own words
-- of a message sent translated, kept for colleagues and never sent to the contact.
CREATE TABLE ai_prompts (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    instructions TEXT NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX ai_prompts_name ON ai_prompts (workspace_id, name_key);

CREATE TABLE message_translations (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    language   TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, language)
);

ALTER TABLE messages ADD COLUMN original_text TEXT;
