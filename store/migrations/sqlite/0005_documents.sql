-- Files stored once by their SHA-256, and documents of meetings and cases
-- that point to them. A document exempt from public access
-- (offentleglova) is shown by title with its legal ground only.

CREATE TABLE files (
    sha256        TEXT PRIMARY KEY,
    size          INTEGER NOT NULL,
    content_type  TEXT NOT NULL,
    data          BLOB NOT NULL
);

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    alliance_id   INTEGER NOT NULL REFERENCES alliances (id),
    meeting_id    INTEGER REFERENCES meetings (id),
    case_id       INTEGER REFERENCES cases (id),
    title         TEXT NOT NULL,
    filename      TEXT NOT NULL,
    sha256        TEXT NOT NULL REFERENCES files (sha256),
    exempt        INTEGER NOT NULL DEFAULT 0,
    legal_ground  TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);
CREATE INDEX documents_meeting ON documents (meeting_id);
CREATE INDEX documents_case ON documents (case_id);
