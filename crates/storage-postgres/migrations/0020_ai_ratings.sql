-- Agents' ratings of AI Assist drafts (K9): thumbs up or down, the draft rated, and the
-- feedback a thumbs-down may get. Kept for the workspace, to judge its provider and prompts.
CREATE TABLE ai_ratings (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    good         BOOLEAN NOT NULL,
    draft        TEXT NOT NULL,
    feedback     TEXT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX ai_ratings_user ON ai_ratings (workspace_id, user_id, good);
