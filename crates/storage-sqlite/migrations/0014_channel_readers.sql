-- A channel read by polling (e-mail's IMAP) is read by one server at a time: the holder of
-- a lease that it renews while it reads; another server takes over once it runs out.
ALTER TABLE channels ADD COLUMN reader TEXT;
ALTER TABLE channels ADD COLUMN reader_until BIGINT;
