-- The persistent outbox: every e-mail Samråd sends is written here in the
-- same transaction as the change that causes it, and a sender delivers it.
-- A message is queued, claimed by one sender for a while (claimed_until),
-- then sent or, after its last attempt, failed; the log of attempts is
-- outbox_attempts.
CREATE TABLE outbox (
    id             INTEGER PRIMARY KEY,
    alliance_id    INTEGER REFERENCES alliances (id),
    kind           TEXT NOT NULL,
    ref_id         INTEGER NOT NULL DEFAULT 0,
    sender         TEXT NOT NULL,
    recipient      TEXT NOT NULL,
    message        BLOB NOT NULL,
    status         TEXT NOT NULL DEFAULT 'queued',
    attempts       INTEGER NOT NULL DEFAULT 0,
    next_attempt   TEXT NOT NULL,
    claimed_until  TEXT,
    last_error     TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    sent_at        TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt);
CREATE INDEX outbox_ref ON outbox (kind, ref_id, status);

CREATE TABLE outbox_attempts (
    message_id  INTEGER NOT NULL REFERENCES outbox (id),
    at          TEXT NOT NULL,
    ok          INTEGER NOT NULL,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_attempts_message ON outbox_attempts (message_id);
