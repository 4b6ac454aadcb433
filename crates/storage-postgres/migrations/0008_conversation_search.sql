-- List search (N5) reads a copy of its contact's search columns on each conversation, so a
-- search walks one table in the list's order, or finds its few matches by trigram index,
-- without joining contacts. `refresh_contact_search` keeps the copies in step.

ALTER TABLE conversations ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN phone_digits TEXT NOT NULL DEFAULT '';
UPDATE conversations c SET search_text = ct.search_text, phone_digits = ct.phone_digits
  FROM contacts ct WHERE ct.id = c.contact_id;
CREATE INDEX conversations_search_trgm ON conversations USING GIN (search_text gin_trgm_ops);
CREATE INDEX conversations_phone_trgm ON conversations USING GIN (phone_digits gin_trgm_ops);
