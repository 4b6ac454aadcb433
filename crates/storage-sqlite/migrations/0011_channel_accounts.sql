-- The provider account a channel reaches (a Telegram bot, a WhatsApp number, a mailbox):
-- at most one connected channel per account, across all workspaces.

ALTER TABLE channels ADD COLUMN account TEXT;
CREATE UNIQUE INDEX channels_account ON channels (kind, account)
    WHERE account IS NOT NULL AND disconnected_at IS NULL;
