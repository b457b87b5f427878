-- Indicators of the steering-data portal: what an alliance follows for its
-- members (from SSB's statbank, an uploaded file or the population figures),
-- a record of every fetch, and the figures of the last successful fetch,
-- fitted to the structure of its date. A fetch replaces all of an
-- indicator's figures at once, so a failed one leaves the previous figures.
CREATE TABLE indicators (
    id                INTEGER PRIMARY KEY,
    alliance_id       INTEGER NOT NULL REFERENCES alliances (id),
    slug              TEXT NOT NULL,
    name_nb           TEXT NOT NULL,
    name_en           TEXT NOT NULL DEFAULT '',
    description_nb    TEXT NOT NULL DEFAULT '',
    description_en    TEXT NOT NULL DEFAULT '',
    source            TEXT NOT NULL,
    table_id          TEXT NOT NULL DEFAULT '',
    query             TEXT NOT NULL DEFAULT '',
    measure           TEXT NOT NULL,
    unit              TEXT NOT NULL DEFAULT '',
    decimals          INTEGER NOT NULL DEFAULT 0,
    higher_is_better  INTEGER NOT NULL DEFAULT 1,
    members_only      INTEGER NOT NULL DEFAULT 0,
    schedule          TEXT NOT NULL DEFAULT 'none',
    retries           INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (alliance_id, slug)
);
CREATE INDEX indicators_schedule ON indicators (schedule);

CREATE TABLE indicator_runs (
    id            INTEGER PRIMARY KEY,
    indicator_id  INTEGER NOT NULL REFERENCES indicators (id),
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    ok            INTEGER NOT NULL DEFAULT 0,
    error         TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    file          TEXT NOT NULL DEFAULT '',
    table_id      TEXT NOT NULL DEFAULT '',
    fitted_on     TEXT,
    cells         INTEGER NOT NULL DEFAULT 0,
    rows_written  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX indicator_runs_indicator ON indicator_runs (indicator_id, id);

-- numerator and denominator are NULL for a figure that is missing (status)
-- or cannot be given (method 'split', with the reason).
CREATE TABLE indicator_values (
    indicator_id  INTEGER NOT NULL REFERENCES indicators (id),
    code          TEXT NOT NULL,
    period        TEXT NOT NULL,
    numerator     REAL,
    denominator   REAL,
    status        TEXT NOT NULL DEFAULT '',
    method        TEXT NOT NULL,
    parts         TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    run_id        INTEGER NOT NULL REFERENCES indicator_runs (id),
    PRIMARY KEY (indicator_id, code, period)
) WITHOUT ROWID;
-- The primary key serves both a comparison (one indicator's codes over a
-- range of periods) and a member's profile (one code in each of an
-- alliance's indicators).
