-- PostgreSQL gains an index here for custom inboxes with a "last message within" window and
-- a status. SQLite needs none: it reads such windows from conversations_incoming, which
-- already holds the status (0003). The file keeps both databases' migrations in step.
SELECT 1;
