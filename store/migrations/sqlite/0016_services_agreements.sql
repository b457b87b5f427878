-- Member services: an alliance's catalogue of what it does for members,
-- and a log of requests (a member asks for help) and enquiries answered
-- on members' behalf (from users, suppliers, media), with the times that
-- give response times. Requesters are named only as the secretariat needs.
--
-- Cooperation agreements and joint framework agreements: parties (each
-- organisation once, as a party, a member that has joined, or a supplier),
-- areas of cooperation, signatories, documents, period and renewal.
--
-- Recurring programmes (a youth orchestra, a yearly exhibition) with
-- rotating hosts, partners, figures per year, and totals over a span of
-- years kept as totals where the source gives no yearly figures.
CREATE TABLE services (
    id              INTEGER PRIMARY KEY,
    alliance_id     INTEGER NOT NULL REFERENCES alliances (id),
    slug            TEXT NOT NULL,
    position        INTEGER NOT NULL,
    name_nb         TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    description_nb  TEXT NOT NULL DEFAULT '',
    description_en  TEXT NOT NULL DEFAULT '',
    active          INTEGER NOT NULL DEFAULT 1,
    source          TEXT NOT NULL DEFAULT '',
    UNIQUE (alliance_id, slug)
);

CREATE TABLE service_requests (
    id                 INTEGER PRIMARY KEY,
    alliance_id        INTEGER NOT NULL REFERENCES alliances (id),
    kind               TEXT NOT NULL,
    service_id         INTEGER REFERENCES services (id),
    network_id         INTEGER REFERENCES networks (id),
    member_org_id      INTEGER REFERENCES organisations (id),
    requester_kind     TEXT NOT NULL,
    requester          TEXT NOT NULL DEFAULT '',
    subject            TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL,
    outcome            TEXT NOT NULL DEFAULT '',
    received_at        TEXT NOT NULL,
    first_response_at  TEXT,
    closed_at          TEXT,
    handled_by         INTEGER REFERENCES users (id),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX service_requests_alliance ON service_requests (alliance_id, received_at);
CREATE INDEX service_requests_member ON service_requests (member_org_id);

CREATE TABLE agreements (
    id                INTEGER PRIMARY KEY,
    alliance_id       INTEGER NOT NULL REFERENCES alliances (id),
    slug              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    title_nb          TEXT NOT NULL,
    title_en          TEXT NOT NULL DEFAULT '',
    description_nb    TEXT NOT NULL DEFAULT '',
    description_en    TEXT NOT NULL DEFAULT '',
    signed_on         TEXT,
    signed_precision  TEXT NOT NULL DEFAULT 'unknown',
    starts            TEXT,
    ends              TEXT,
    renewal_date      TEXT,
    parties_note_nb   TEXT NOT NULL DEFAULT '',
    parties_note_en   TEXT NOT NULL DEFAULT '',
    network_id        INTEGER REFERENCES networks (id),
    published         INTEGER NOT NULL DEFAULT 1,
    source            TEXT NOT NULL DEFAULT '',
    UNIQUE (alliance_id, slug)
);

CREATE TABLE agreement_parties (
    agreement_id  INTEGER NOT NULL REFERENCES agreements (id),
    org_id        INTEGER NOT NULL REFERENCES organisations (id),
    role          TEXT NOT NULL,
    joined_on     TEXT,
    PRIMARY KEY (agreement_id, org_id)
);
CREATE INDEX agreement_parties_org ON agreement_parties (org_id);

CREATE TABLE agreement_areas (
    agreement_id  INTEGER NOT NULL REFERENCES agreements (id),
    position      INTEGER NOT NULL,
    name_nb       TEXT NOT NULL,
    name_en       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (agreement_id, position)
);

CREATE TABLE agreement_signatories (
    id            INTEGER PRIMARY KEY,
    agreement_id  INTEGER NOT NULL REFERENCES agreements (id),
    person_id     INTEGER REFERENCES people (id),
    title         TEXT NOT NULL DEFAULT '',
    org_id        INTEGER REFERENCES organisations (id),
    signed_on     TEXT
);
CREATE INDEX agreement_signatories_agreement ON agreement_signatories (agreement_id);

CREATE TABLE agreement_documents (
    id            INTEGER PRIMARY KEY,
    agreement_id  INTEGER NOT NULL REFERENCES agreements (id),
    title         TEXT NOT NULL,
    filename      TEXT NOT NULL,
    sha256        TEXT NOT NULL REFERENCES files (sha256),
    created_at    TEXT NOT NULL
);
CREATE INDEX agreement_documents_agreement ON agreement_documents (agreement_id);

CREATE TABLE recurring_programmes (
    id                   INTEGER PRIMARY KEY,
    alliance_id          INTEGER NOT NULL REFERENCES alliances (id),
    slug                 TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    name_nb              TEXT NOT NULL,
    name_en              TEXT NOT NULL DEFAULT '',
    description_nb       TEXT NOT NULL DEFAULT '',
    description_en       TEXT NOT NULL DEFAULT '',
    age_min              INTEGER,
    age_max              INTEGER,
    gatherings_per_year  INTEGER,
    gatherings_note      TEXT NOT NULL DEFAULT '',
    leader_person_id     INTEGER REFERENCES people (id),
    leader_role          TEXT NOT NULL DEFAULT '',
    first_year           INTEGER,
    published            INTEGER NOT NULL DEFAULT 1,
    source               TEXT NOT NULL DEFAULT '',
    UNIQUE (alliance_id, slug)
);

CREATE TABLE recurring_partners (
    programme_id  INTEGER NOT NULL REFERENCES recurring_programmes (id),
    org_id        INTEGER NOT NULL REFERENCES organisations (id),
    role          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (programme_id, org_id)
);
CREATE INDEX recurring_partners_org ON recurring_partners (org_id);

CREATE TABLE recurring_years (
    programme_id  INTEGER NOT NULL REFERENCES recurring_programmes (id),
    year          INTEGER NOT NULL,
    host_org_id   INTEGER REFERENCES organisations (id),
    participants  INTEGER,
    visits        INTEGER,
    note          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (programme_id, year)
);
CREATE INDEX recurring_years_host ON recurring_years (host_org_id);

CREATE TABLE recurring_totals (
    id            INTEGER PRIMARY KEY,
    programme_id  INTEGER NOT NULL REFERENCES recurring_programmes (id),
    first_year    INTEGER NOT NULL,
    last_year     INTEGER NOT NULL,
    measure       TEXT NOT NULL,
    value         INTEGER NOT NULL,
    source        TEXT NOT NULL DEFAULT '',
    UNIQUE (programme_id, first_year, last_year, measure)
);
