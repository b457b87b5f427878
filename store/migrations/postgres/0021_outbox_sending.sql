-- No e-mail twice after a crash. A sender claims messages (claimed_until)
-- in the name of one running instance (claimed_by), and right before the
-- SMTP transaction of a message commits status 'sending' and sending_at.
-- A message still 'sending' when its claim has expired was perhaps taken
-- by the server and perhaps not: it becomes 'unknown' and is not sent
-- again unless a person asks for it. A message claimed but never marked
-- 'sending' was not sent and is simply claimed again.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN sending_at TEXT;
