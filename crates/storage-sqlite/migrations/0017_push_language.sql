-- The language a device's pushes are written in (X3): the one its member uses on it.
ALTER TABLE push_subscriptions ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
