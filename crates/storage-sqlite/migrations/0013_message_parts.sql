-- A message sent as several provider messages (text, then each file) remembers how many of
-- them the provider accepted and the first one's id: a retry (the outbox's, or an agent's
-- after a later part was refused) resumes there instead of sending earlier parts again.
ALTER TABLE messages ADD COLUMN parts_sent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN first_part_id TEXT;
