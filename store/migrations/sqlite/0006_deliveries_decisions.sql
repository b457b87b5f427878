-- Every notice e-mail sent or attempted, one row per meeting and person, so
-- that sending again reaches only those who did not get it, and the
-- secretariat can see who got what and when.
CREATE TABLE notice_deliveries (
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id),
    person_id   INTEGER NOT NULL REFERENCES people (id),
    email       TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    sent_at     TEXT,
    error       TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (meeting_id, person_id)
);

-- The decision a body made on a case at one meeting (a board's
-- recommendation before the council decides); the case's own decision is
-- the final one.
ALTER TABLE agenda_items ADD COLUMN decision TEXT NOT NULL DEFAULT '';
