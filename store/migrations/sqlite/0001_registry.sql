-- Organisations, their succession, alliances, memberships, population and fees.
-- Dates are TEXT 'YYYY-MM-DD' (NULL = unknown or open); money is INTEGER øre.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    code        TEXT NOT NULL,
    org_number  TEXT NOT NULL DEFAULT '',
    name_nb     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    valid_from  TEXT,
    valid_to    TEXT,
    note        TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX organisations_period ON organisations (kind, code, COALESCE(valid_from, ''));
CREATE INDEX organisations_code ON organisations (code);

CREATE TABLE org_changes (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    change_date  TEXT NOT NULL,
    from_org_id  INTEGER NOT NULL REFERENCES organisations (id),
    to_org_id    INTEGER NOT NULL REFERENCES organisations (id),
    source       TEXT NOT NULL DEFAULT '',
    UNIQUE (from_org_id, to_org_id)
);
CREATE INDEX org_changes_to ON org_changes (to_org_id);

CREATE TABLE alliances (
    id                INTEGER PRIMARY KEY,
    slug              TEXT NOT NULL UNIQUE,
    name_nb           TEXT NOT NULL,
    name_en           TEXT NOT NULL DEFAULT '',
    kind              TEXT NOT NULL,
    legal_form        TEXT NOT NULL DEFAULT '',
    founded           TEXT,
    founded_precision TEXT NOT NULL DEFAULT 'unknown',
    description_nb    TEXT NOT NULL DEFAULT '',
    description_en    TEXT NOT NULL DEFAULT '',
    members_note_nb   TEXT NOT NULL DEFAULT '',
    members_note_en   TEXT NOT NULL DEFAULT '',
    website           TEXT NOT NULL DEFAULT '',
    organiser_org_id  INTEGER REFERENCES organisations (id)
);

CREATE TABLE memberships (
    id              INTEGER PRIMARY KEY,
    alliance_id     INTEGER NOT NULL REFERENCES alliances (id),
    org_id          INTEGER NOT NULL REFERENCES organisations (id),
    valid_from      TEXT,
    from_precision  TEXT NOT NULL DEFAULT 'day',
    attested_on     TEXT,
    valid_to        TEXT,
    category        TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'confirmed',
    note            TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT '',
    decided_at      TEXT,
    decided_by      TEXT NOT NULL DEFAULT '',
    -- carried: the reform that ended the organisation has been applied.
    carried         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX memberships_alliance ON memberships (alliance_id, status);
CREATE INDEX memberships_org ON memberships (org_id);

CREATE TABLE membership_provenance (
    membership_id   INTEGER NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    predecessor_id  INTEGER NOT NULL REFERENCES memberships (id),
    change_id       INTEGER NOT NULL REFERENCES org_changes (id),
    PRIMARY KEY (membership_id, predecessor_id)
);

CREATE TABLE population_imports (
    id           INTEGER PRIMARY KEY,
    file         TEXT NOT NULL,
    source       TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE population (
    code       TEXT NOT NULL,
    ref_date   TEXT NOT NULL,
    persons    INTEGER NOT NULL CHECK (persons >= 0),
    import_id  INTEGER NOT NULL REFERENCES population_imports (id),
    PRIMARY KEY (code, ref_date)
);
CREATE INDEX population_date ON population (ref_date);

CREATE TABLE fee_schedules (
    id               INTEGER PRIMARY KEY,
    alliance_id      INTEGER NOT NULL REFERENCES alliances (id),
    from_year        INTEGER NOT NULL,
    to_year          INTEGER,
    population_rule  TEXT NOT NULL,
    rounding_unit    INTEGER NOT NULL DEFAULT 1,
    pro_rata         INTEGER NOT NULL DEFAULT 0,
    minimum          INTEGER NOT NULL DEFAULT 0,
    maximum          INTEGER NOT NULL DEFAULT 0,
    note             TEXT NOT NULL DEFAULT '',
    source           TEXT NOT NULL DEFAULT ''
);

CREATE TABLE fee_rates (
    schedule_id     INTEGER NOT NULL REFERENCES fee_schedules (id) ON DELETE CASCADE,
    category        TEXT NOT NULL,
    per_inhabitant  INTEGER NOT NULL DEFAULT 0,
    flat            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (schedule_id, category)
);

CREATE TABLE fee_member_rules (
    schedule_id          INTEGER NOT NULL REFERENCES fee_schedules (id) ON DELETE CASCADE,
    org_kind             TEXT NOT NULL,
    org_code             TEXT NOT NULL,
    multiplier_permille  INTEGER NOT NULL DEFAULT 1000,
    flat                 INTEGER,
    note                 TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (schedule_id, org_kind, org_code)
);
