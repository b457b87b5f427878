-- Bodies, people and seats, rotating duties, meetings and numbered cases.

ALTER TABLE alliances ADD COLUMN case_scheme TEXT NOT NULL DEFAULT '{n}/{yyyy}';

CREATE TABLE bodies (
    id                INTEGER PRIMARY KEY,
    alliance_id       INTEGER NOT NULL REFERENCES alliances (id),
    slug              TEXT NOT NULL,
    name_nb           TEXT NOT NULL,
    name_en           TEXT NOT NULL DEFAULT '',
    kind              TEXT NOT NULL,
    parent_id         INTEGER REFERENCES bodies (id),
    mandate           TEXT NOT NULL DEFAULT '',
    composition_rule  TEXT NOT NULL DEFAULT '',
    term              TEXT NOT NULL DEFAULT '',
    voting            TEXT NOT NULL DEFAULT '',
    meets             TEXT NOT NULL DEFAULT '',
    source            TEXT NOT NULL DEFAULT '',
    UNIQUE (alliance_id, slug)
);

CREATE TABLE people (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    title  TEXT NOT NULL DEFAULT '',
    email  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE seats (
    id                 INTEGER PRIMARY KEY,
    body_id            INTEGER NOT NULL REFERENCES bodies (id),
    person_id          INTEGER NOT NULL REFERENCES people (id),
    represents_org_id  INTEGER REFERENCES organisations (id),
    role               TEXT NOT NULL,
    valid_from         TEXT,
    attested_on        TEXT,
    valid_to           TEXT,
    note               TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX seats_body ON seats (body_id);
CREATE INDEX seats_person ON seats (person_id);

CREATE TABLE rotations (
    id           INTEGER PRIMARY KEY,
    alliance_id  INTEGER NOT NULL REFERENCES alliances (id),
    body_id      INTEGER REFERENCES bodies (id),
    org_id       INTEGER NOT NULL REFERENCES organisations (id),
    duty         TEXT NOT NULL,
    valid_from   TEXT NOT NULL,
    valid_to     TEXT,
    source       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY,
    body_id     INTEGER NOT NULL REFERENCES bodies (id),
    number      INTEGER,
    year        INTEGER NOT NULL,
    starts_at   TEXT NOT NULL,
    ends_at     TEXT,
    place       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    online_url  TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'planned',
    source      TEXT NOT NULL DEFAULT '',
    UNIQUE (body_id, year, number)
);
CREATE INDEX meetings_start ON meetings (starts_at);

CREATE TABLE case_counters (
    alliance_id  INTEGER NOT NULL REFERENCES alliances (id),
    year         INTEGER NOT NULL,
    last         INTEGER NOT NULL,
    PRIMARY KEY (alliance_id, year)
);

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    alliance_id        INTEGER NOT NULL REFERENCES alliances (id),
    year               INTEGER NOT NULL,
    number             INTEGER NOT NULL,
    title              TEXT NOT NULL,
    type               TEXT NOT NULL,
    presentation       TEXT NOT NULL DEFAULT '',
    proposed_decision  TEXT NOT NULL DEFAULT '',
    decision           TEXT NOT NULL DEFAULT '',
    withdrawn          INTEGER NOT NULL DEFAULT 0,
    source             TEXT NOT NULL DEFAULT '',
    UNIQUE (alliance_id, year, number)
);

CREATE TABLE agenda_items (
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id),
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, case_id)
);
CREATE INDEX agenda_items_case ON agenda_items (case_id);
