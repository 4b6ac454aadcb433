-- A contact writing from a new channel joins the contact with the same e-mail address or
-- phone number (K2): these find that contact without reading the workspace's contacts.
CREATE INDEX contacts_email_key ON contacts (workspace_id, email_key) WHERE email_key <> '';
CREATE INDEX contacts_phone_digits ON contacts (workspace_id, phone_digits) WHERE phone_digits <> '';
