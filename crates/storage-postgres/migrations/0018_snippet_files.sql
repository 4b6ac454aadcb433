-- Snippets with files (T3): a file belongs to a message once sent, or to a snippet, whose
-- members copy it into their own messages. Deleting the snippet deletes its files.
ALTER TABLE attachments ADD COLUMN snippet_id BIGINT REFERENCES snippets (id) ON DELETE CASCADE;
CREATE INDEX attachments_snippet ON attachments (snippet_id, position);
