-- The Dialogflow bot (A6): whether it answers a conversation's incoming messages. Agents
-- turn it on and off per conversation; a failure turns it off.
ALTER TABLE conversations ADD COLUMN dialogflow_bot BOOLEAN NOT NULL DEFAULT FALSE;
