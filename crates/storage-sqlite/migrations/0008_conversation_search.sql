-- List search (N5) reads a copy of its contact's search columns on each conversation, so a
-- search walks one table in the list's order without joining contacts (few matches are
-- still found through contact_search). `refresh_contact_search` keeps the copies in step.

ALTER TABLE conversations ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN phone_digits TEXT NOT NULL DEFAULT '';
UPDATE conversations SET
  search_text = (SELECT search_text FROM contacts WHERE id = conversations.contact_id),
  phone_digits = (SELECT phone_digits FROM contacts WHERE id = conversations.contact_id);
