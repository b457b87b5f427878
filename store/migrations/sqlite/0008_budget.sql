-- Yearly budgets with lines booked on accounts, and the actuals imported
-- from the accounting system. Amounts are integer øre. An import replaces
-- the year's entries; every import is kept as a record.
CREATE TABLE budgets (
    id               INTEGER PRIMARY KEY,
    alliance_id      INTEGER NOT NULL REFERENCES alliances (id),
    year             INTEGER NOT NULL,
    adopted_on       TEXT,
    adopted_by       TEXT NOT NULL DEFAULT '',
    opening_balance  INTEGER NOT NULL DEFAULT 0,
    note             TEXT NOT NULL DEFAULT '',
    UNIQUE (alliance_id, year)
);

CREATE TABLE budget_lines (
    id          INTEGER PRIMARY KEY,
    budget_id   INTEGER NOT NULL REFERENCES budgets (id),
    account     TEXT NOT NULL,
    category    TEXT NOT NULL,
    title       TEXT NOT NULL,
    amount      INTEGER NOT NULL DEFAULT 0,
    measure_id  INTEGER REFERENCES measures (id),
    UNIQUE (budget_id, account)
);

CREATE TABLE ledger_imports (
    id           INTEGER PRIMARY KEY,
    alliance_id  INTEGER NOT NULL REFERENCES alliances (id),
    year         INTEGER NOT NULL,
    filename     TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    entries      INTEGER NOT NULL,
    imported_at  TEXT NOT NULL,
    imported_by  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE ledger_entries (
    id           INTEGER PRIMARY KEY,
    import_id    INTEGER NOT NULL REFERENCES ledger_imports (id),
    alliance_id  INTEGER NOT NULL REFERENCES alliances (id),
    year         INTEGER NOT NULL,
    line         INTEGER NOT NULL,
    account      TEXT NOT NULL,
    booked_on    TEXT NOT NULL,
    amount       INTEGER NOT NULL,
    text         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ledger_entries_year ON ledger_entries (alliance_id, year, account);
