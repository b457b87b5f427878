-- Strategy periods with focus areas, yearly action programmes with
-- numbered measures, links between measures by id (so renumbering never
-- breaks them), and dated progress notes.
CREATE TABLE strategy_periods (
    id           INTEGER PRIMARY KEY,
    alliance_id  INTEGER NOT NULL REFERENCES alliances (id),
    first_year   INTEGER NOT NULL,
    last_year    INTEGER NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    vision       TEXT NOT NULL DEFAULT '',
    vision_text  TEXT NOT NULL DEFAULT '',
    roles        TEXT NOT NULL DEFAULT '[]',
    source       TEXT NOT NULL DEFAULT '',
    UNIQUE (alliance_id, first_year, last_year)
);

CREATE TABLE focus_areas (
    id          INTEGER PRIMARY KEY,
    period_id   INTEGER NOT NULL REFERENCES strategy_periods (id),
    number      INTEGER NOT NULL,
    title       TEXT NOT NULL,
    intro       TEXT NOT NULL DEFAULT '',
    activities  TEXT NOT NULL DEFAULT '[]',
    UNIQUE (period_id, number)
);

CREATE TABLE programmes (
    id           INTEGER PRIMARY KEY,
    alliance_id  INTEGER NOT NULL REFERENCES alliances (id),
    year         INTEGER NOT NULL,
    period_id    INTEGER REFERENCES strategy_periods (id),
    title        TEXT NOT NULL DEFAULT '',
    adopted_on   TEXT,
    adopted_by   TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    UNIQUE (alliance_id, year)
);

CREATE TABLE programme_sections (
    id            INTEGER PRIMARY KEY,
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    number        INTEGER NOT NULL,
    title         TEXT NOT NULL,
    UNIQUE (programme_id, number)
);

CREATE TABLE measures (
    id            INTEGER PRIMARY KEY,
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    section_id    INTEGER NOT NULL REFERENCES programme_sections (id),
    number        INTEGER NOT NULL,
    title         TEXT NOT NULL,
    timeframe     TEXT NOT NULL DEFAULT '',
    responsible   TEXT NOT NULL DEFAULT '',
    partners      TEXT NOT NULL DEFAULT '[]',
    intro         TEXT NOT NULL DEFAULT '',
    content       TEXT NOT NULL DEFAULT '[]',
    status        TEXT NOT NULL DEFAULT 'planned',
    continues_id  INTEGER REFERENCES measures (id),
    UNIQUE (section_id, number)
);
CREATE INDEX measures_programme ON measures (programme_id);

CREATE TABLE measure_links (
    measure_id  INTEGER NOT NULL REFERENCES measures (id),
    target_id   INTEGER NOT NULL REFERENCES measures (id),
    PRIMARY KEY (measure_id, target_id)
);

CREATE TABLE progress_notes (
    id          INTEGER PRIMARY KEY,
    measure_id  INTEGER NOT NULL REFERENCES measures (id),
    noted_on    TEXT NOT NULL,
    text        TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT '',
    author      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX progress_notes_measure ON progress_notes (measure_id);
