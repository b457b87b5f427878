-- The yearly cycle and what comes of it: the annual report's own texts and
-- approval, the cycle's steps with the meeting and case that did each in a
-- year, members' input to the next programme and their own goals, and
-- measures linked to the cases that carry them out.
CREATE TABLE annual_reports (
    id           INTEGER PRIMARY KEY,
    alliance_id  INTEGER NOT NULL REFERENCES alliances (id),
    year         INTEGER NOT NULL,
    chapters     TEXT NOT NULL DEFAULT '{}',
    approved_on  TEXT,
    approved_by  TEXT NOT NULL DEFAULT '',
    UNIQUE (alliance_id, year)
);

CREATE TABLE cycle_steps (
    id           INTEGER PRIMARY KEY,
    alliance_id  INTEGER NOT NULL REFERENCES alliances (id),
    kind         TEXT NOT NULL,
    title_nb     TEXT NOT NULL,
    title_en     TEXT NOT NULL DEFAULT '',
    body_id      INTEGER REFERENCES bodies (id),
    month        INTEGER NOT NULL,
    last_month   INTEGER NOT NULL,
    UNIQUE (alliance_id, kind, title_nb)
);

CREATE TABLE cycle_records (
    step_id     INTEGER NOT NULL REFERENCES cycle_steps (id),
    year        INTEGER NOT NULL,
    meeting_id  INTEGER REFERENCES meetings (id),
    case_id     INTEGER REFERENCES cases (id),
    done_on     TEXT,
    PRIMARY KEY (step_id, year)
);

CREATE TABLE member_inputs (
    id            INTEGER PRIMARY KEY,
    alliance_id   INTEGER NOT NULL REFERENCES alliances (id),
    org_id        INTEGER NOT NULL REFERENCES organisations (id),
    year          INTEGER NOT NULL,
    title         TEXT NOT NULL,
    text          TEXT NOT NULL DEFAULT '',
    submitted_by  TEXT NOT NULL DEFAULT '',
    user_id       INTEGER REFERENCES users (id),
    submitted_at  TEXT NOT NULL,
    tags          TEXT NOT NULL DEFAULT '[]',
    response      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX member_inputs_year ON member_inputs (alliance_id, year);

CREATE TABLE input_measures (
    input_id    INTEGER NOT NULL REFERENCES member_inputs (id),
    measure_id  INTEGER NOT NULL REFERENCES measures (id),
    PRIMARY KEY (input_id, measure_id)
);

CREATE TABLE member_goals (
    id           INTEGER PRIMARY KEY,
    alliance_id  INTEGER NOT NULL REFERENCES alliances (id),
    org_id       INTEGER NOT NULL REFERENCES organisations (id),
    position     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    from_year    INTEGER NOT NULL,
    to_year      INTEGER NOT NULL DEFAULT 0,
    source       TEXT NOT NULL DEFAULT '',
    UNIQUE (alliance_id, org_id, position)
);

CREATE TABLE goal_reports (
    goal_id  INTEGER NOT NULL REFERENCES member_goals (id),
    year     INTEGER NOT NULL,
    text     TEXT NOT NULL,
    PRIMARY KEY (goal_id, year)
);

CREATE TABLE measure_cases (
    measure_id  INTEGER NOT NULL REFERENCES measures (id),
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    PRIMARY KEY (measure_id, case_id)
);
