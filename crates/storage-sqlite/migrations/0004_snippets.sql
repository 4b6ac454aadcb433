-- Saved replies (K5, T3): agents insert them with a slash in the composer. Names are unique
-- in a workspace without regard to case: name_key is the name lower-cased by the
-- application, whatever the database's locale.

CREATE TABLE snippets (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    text         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (workspace_id, name_key)
);
