-- Minutes of meetings, and votes per member on a case in a meeting.

ALTER TABLE meetings ADD COLUMN minutes TEXT NOT NULL DEFAULT '';
-- date_only: the source gives the day(s) but not the time.
ALTER TABLE meetings ADD COLUMN date_only INTEGER NOT NULL DEFAULT 0;

CREATE TABLE votes (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id),
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    org_id      INTEGER NOT NULL REFERENCES organisations (id),
    person_id   INTEGER NOT NULL REFERENCES people (id),
    choice      TEXT NOT NULL DEFAULT '',
    conflict    INTEGER NOT NULL DEFAULT 0,
    weight      INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    UNIQUE (meeting_id, case_id, org_id)
);
