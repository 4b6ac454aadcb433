-- Files contacts send through providers (CH): they have no uploader among the users.

ALTER TABLE attachments ALTER COLUMN uploader_id DROP NOT NULL;
