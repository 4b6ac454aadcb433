-- Where a polling adapter left off reading its channel (e-mail: the IMAP UIDVALIDITY and
-- the last UID read), so a restart neither skips nor rereads mail.

ALTER TABLE channels ADD COLUMN poll_cursor TEXT;
