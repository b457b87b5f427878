-- Funding programmes an alliance follows (Erasmus+, EEA and Norway Grants,
-- Interreg, Horizon Europe, a county's pre-project funds …), their calls
-- with deadlines, and applications by members and others: applicant,
-- partners, amount sought and granted, status and outcome. Reminders are
-- e-mails to send a number of days before a deadline (of a call, an
-- application, an agreement's expiry or renewal, or an external network's
-- renewal); the job that sends them queues the message in the outbox and
-- stamps sent_at in the same transaction, so none is sent twice.
CREATE TABLE funding_programmes (
    id              INTEGER PRIMARY KEY,
    alliance_id     INTEGER NOT NULL REFERENCES alliances (id),
    slug            TEXT NOT NULL,
    name_nb         TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    funder          TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    description_nb  TEXT NOT NULL DEFAULT '',
    description_en  TEXT NOT NULL DEFAULT '',
    website         TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT '',
    UNIQUE (alliance_id, slug)
);

CREATE TABLE funding_calls (
    id            INTEGER PRIMARY KEY,
    programme_id  INTEGER NOT NULL REFERENCES funding_programmes (id),
    code          TEXT NOT NULL,
    title         TEXT NOT NULL,
    opens         TEXT,
    deadline      TEXT NOT NULL,
    budget        INTEGER,
    url           TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    UNIQUE (programme_id, code)
);
CREATE INDEX funding_calls_deadline ON funding_calls (deadline);

CREATE TABLE applications (
    id                INTEGER PRIMARY KEY,
    alliance_id       INTEGER NOT NULL REFERENCES alliances (id),
    programme_id      INTEGER NOT NULL REFERENCES funding_programmes (id),
    call_id           INTEGER REFERENCES funding_calls (id),
    applicant_org_id  INTEGER NOT NULL REFERENCES organisations (id),
    project_id        INTEGER REFERENCES projects (id),
    title             TEXT NOT NULL,
    status            TEXT NOT NULL,
    deadline          TEXT,
    amount_sought     INTEGER,
    amount_granted    INTEGER,
    grant_note        TEXT NOT NULL DEFAULT '',
    outcome           TEXT NOT NULL DEFAULT '',
    submitted_on      TEXT,
    decided_on        TEXT,
    source            TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX applications_alliance ON applications (alliance_id, status);
CREATE INDEX applications_applicant ON applications (applicant_org_id);
CREATE INDEX applications_programme ON applications (programme_id);

CREATE TABLE application_partners (
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    org_id          INTEGER NOT NULL REFERENCES organisations (id),
    role            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (application_id, org_id)
);
CREATE INDEX application_partners_org ON application_partners (org_id);

CREATE TABLE reminders (
    id           INTEGER PRIMARY KEY,
    alliance_id  INTEGER NOT NULL REFERENCES alliances (id),
    kind         TEXT NOT NULL,
    ref_id       INTEGER NOT NULL,
    days_before  INTEGER NOT NULL,
    email        TEXT NOT NULL,
    lang         TEXT NOT NULL DEFAULT 'nb',
    created_at   TEXT NOT NULL,
    sent_at      TEXT,
    UNIQUE (kind, ref_id, days_before, email)
);
CREATE INDEX reminders_due ON reminders (sent_at, kind);
