-- Events of an alliance with their days and programme (sessions, speakers
-- from the people table, material stored in files), and registrations
-- with their chosen sessions. A registration's self-service token is
-- stored only as its digest; its personal data is blanked after the event
-- (anonymised_at), keeping the row so that counts stay right.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    alliance_id     INTEGER NOT NULL REFERENCES alliances (id),
    body_id         INTEGER REFERENCES bodies (id),
    host_org_id     INTEGER REFERENCES organisations (id),
    slug            TEXT NOT NULL,
    title_nb        TEXT NOT NULL,
    title_en        TEXT NOT NULL DEFAULT '',
    description_nb  TEXT NOT NULL DEFAULT '',
    description_en  TEXT NOT NULL DEFAULT '',
    venue           TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    online_url      TEXT NOT NULL DEFAULT '',
    published       INTEGER NOT NULL DEFAULT 0,
    source          TEXT NOT NULL DEFAULT '',
    reg_open        INTEGER NOT NULL DEFAULT 0,
    capacity        INTEGER NOT NULL DEFAULT 0,
    deadline        TEXT,
    waiting_list    INTEGER NOT NULL DEFAULT 0,
    fields          TEXT NOT NULL DEFAULT '[]',
    consent_nb      TEXT NOT NULL DEFAULT '',
    consent_en      TEXT NOT NULL DEFAULT '',
    retention_days  INTEGER NOT NULL DEFAULT 30,
    UNIQUE (alliance_id, slug)
);

CREATE TABLE event_days (
    event_id   INTEGER NOT NULL REFERENCES events (id),
    day        TEXT NOT NULL,
    starts_at  TEXT,
    ends_at    TEXT,
    PRIMARY KEY (event_id, day)
);

CREATE TABLE event_sessions (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events (id),
    day        TEXT NOT NULL,
    starts_at  TEXT,
    ends_at    TEXT,
    position   INTEGER NOT NULL,
    title_nb   TEXT NOT NULL,
    title_en   TEXT NOT NULL DEFAULT '',
    topic      TEXT NOT NULL DEFAULT '',
    capacity   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_sessions_event ON event_sessions (event_id);

CREATE TABLE event_speakers (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER NOT NULL REFERENCES event_sessions (id),
    person_id     INTEGER REFERENCES people (id),
    role          TEXT NOT NULL DEFAULT '',
    organisation  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX event_speakers_session ON event_speakers (session_id);

CREATE TABLE event_materials (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES event_sessions (id),
    title       TEXT NOT NULL,
    filename    TEXT NOT NULL,
    sha256      TEXT NOT NULL REFERENCES files (sha256),
    created_at  TEXT NOT NULL
);
CREATE INDEX event_materials_session ON event_materials (session_id);

CREATE TABLE registrations (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES events (id),
    lang           TEXT NOT NULL DEFAULT 'nb',
    name           TEXT NOT NULL,
    email          TEXT NOT NULL,
    organisation   TEXT NOT NULL DEFAULT '',
    diet           TEXT NOT NULL DEFAULT '',
    accessibility  TEXT NOT NULL DEFAULT '',
    comment        TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    token_digest   TEXT,
    consent_text   TEXT NOT NULL DEFAULT '',
    consent_at     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    checked_in     INTEGER NOT NULL DEFAULT 0,
    reminded_at    TEXT,
    anonymised_at  TEXT
);
CREATE INDEX registrations_event ON registrations (event_id, status);
CREATE UNIQUE INDEX registrations_email ON registrations (event_id, email) WHERE anonymised_at IS NULL;
CREATE UNIQUE INDEX registrations_token ON registrations (token_digest);

CREATE TABLE registration_sessions (
    registration_id  INTEGER NOT NULL REFERENCES registrations (id),
    session_id       INTEGER NOT NULL REFERENCES event_sessions (id),
    PRIMARY KEY (registration_id, session_id)
);
CREATE INDEX registration_sessions_session ON registration_sessions (session_id);
