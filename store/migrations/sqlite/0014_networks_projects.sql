-- Networks an alliance runs (internal: run by the alliance or by a member,
-- open to all or by membership) or belongs to (external: ERRIN, Eurocities
-- …, with fee, contact person, working groups followed and renewal date).
-- Participants are organisations and people, from members or outside;
-- those in the coordination group have role 'coordination'. Activities are
-- the network's meetings, conferences and study trips, linked to a meeting
-- or an event where one exists; their dates carry a precision, since
-- sources often name only a month or a year.
--
-- Projects belong to an alliance's portfolio, whoever owns them: the
-- alliance, a member or another organisation. Partners, funding per
-- source, milestones and deliverables, documents, and the network or
-- measure a project came from.
CREATE TABLE networks (
    id                  INTEGER PRIMARY KEY,
    alliance_id         INTEGER NOT NULL REFERENCES alliances (id),
    slug                TEXT NOT NULL,
    kind                TEXT NOT NULL,
    name_nb             TEXT NOT NULL,
    name_en             TEXT NOT NULL DEFAULT '',
    description_nb      TEXT NOT NULL DEFAULT '',
    description_en      TEXT NOT NULL DEFAULT '',
    organiser_org_id    INTEGER REFERENCES organisations (id),
    openness            TEXT NOT NULL DEFAULT 'open',
    rhythm_nb           TEXT NOT NULL DEFAULT '',
    rhythm_en           TEXT NOT NULL DEFAULT '',
    founded             TEXT,
    founded_precision   TEXT NOT NULL DEFAULT 'unknown',
    ended               TEXT,
    website             TEXT NOT NULL DEFAULT '',
    join_info_nb        TEXT NOT NULL DEFAULT '',
    join_info_en        TEXT NOT NULL DEFAULT '',
    fee                 INTEGER,
    fee_note            TEXT NOT NULL DEFAULT '',
    contact_person_id   INTEGER REFERENCES people (id),
    renewal_date        TEXT,
    published           INTEGER NOT NULL DEFAULT 1,
    source              TEXT NOT NULL DEFAULT '',
    UNIQUE (alliance_id, slug)
);

CREATE TABLE network_participants (
    id            INTEGER PRIMARY KEY,
    network_id    INTEGER NOT NULL REFERENCES networks (id),
    org_id        INTEGER REFERENCES organisations (id),
    person_id     INTEGER REFERENCES people (id),
    role          TEXT NOT NULL DEFAULT 'participant',
    title         TEXT NOT NULL DEFAULT '',
    joined        TEXT,
    left_on       TEXT,
    note          TEXT NOT NULL DEFAULT '',
    CHECK (org_id IS NOT NULL OR person_id IS NOT NULL)
);
CREATE INDEX network_participants_network ON network_participants (network_id);
CREATE INDEX network_participants_org ON network_participants (org_id);

CREATE TABLE network_working_groups (
    id          INTEGER PRIMARY KEY,
    network_id  INTEGER NOT NULL REFERENCES networks (id),
    name        TEXT NOT NULL,
    person_id   INTEGER REFERENCES people (id),
    note        TEXT NOT NULL DEFAULT '',
    UNIQUE (network_id, name)
);

CREATE TABLE network_activities (
    id              INTEGER PRIMARY KEY,
    network_id      INTEGER NOT NULL REFERENCES networks (id),
    kind            TEXT NOT NULL,
    title_nb        TEXT NOT NULL,
    title_en        TEXT NOT NULL DEFAULT '',
    starts          TEXT,
    ends            TEXT,
    date_precision  TEXT NOT NULL DEFAULT 'unknown',
    place           TEXT NOT NULL DEFAULT '',
    participants    INTEGER,
    event_id        INTEGER REFERENCES events (id),
    meeting_id      INTEGER REFERENCES meetings (id),
    note            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX network_activities_network ON network_activities (network_id);

CREATE TABLE projects (
    id                INTEGER PRIMARY KEY,
    alliance_id       INTEGER NOT NULL REFERENCES alliances (id),
    slug              TEXT NOT NULL,
    name_nb           TEXT NOT NULL,
    name_en           TEXT NOT NULL DEFAULT '',
    description_nb    TEXT NOT NULL DEFAULT '',
    description_en    TEXT NOT NULL DEFAULT '',
    owner_org_id      INTEGER REFERENCES organisations (id),
    status            TEXT NOT NULL,
    starts            TEXT,
    ends              TEXT,
    budget            INTEGER,
    own_contribution  INTEGER,
    network_id        INTEGER REFERENCES networks (id),
    measure_id        INTEGER REFERENCES measures (id),
    website           TEXT NOT NULL DEFAULT '',
    published         INTEGER NOT NULL DEFAULT 1,
    source            TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (alliance_id, slug)
);
CREATE INDEX projects_alliance_status ON projects (alliance_id, status);
CREATE INDEX projects_network ON projects (network_id);
CREATE INDEX projects_owner ON projects (owner_org_id);

CREATE TABLE project_partners (
    project_id  INTEGER NOT NULL REFERENCES projects (id),
    org_id      INTEGER NOT NULL REFERENCES organisations (id),
    role        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, org_id)
);
CREATE INDEX project_partners_org ON project_partners (org_id);

CREATE TABLE project_funding (
    id             INTEGER PRIMARY KEY,
    project_id     INTEGER NOT NULL REFERENCES projects (id),
    kind           TEXT NOT NULL,
    funder         TEXT NOT NULL DEFAULT '',
    funder_org_id  INTEGER REFERENCES organisations (id),
    amount         INTEGER NOT NULL,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX project_funding_project ON project_funding (project_id);

CREATE TABLE project_milestones (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects (id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    due         TEXT,
    done_on     TEXT,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX project_milestones_project ON project_milestones (project_id);

CREATE TABLE project_documents (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects (id),
    kind        TEXT NOT NULL DEFAULT 'document',
    title       TEXT NOT NULL,
    filename    TEXT NOT NULL,
    sha256      TEXT NOT NULL REFERENCES files (sha256),
    created_at  TEXT NOT NULL
);
CREATE INDEX project_documents_project ON project_documents (project_id);
