-- Scheduled jobs, run once per due slot across every instance on the
-- database. A job is due when next_run has come; an instance claims it for
-- a while (claimed_until, claimed_by: its instance id) and, when the run
-- ends, moves next_run on by the interval from the slot it ran (so runs do
-- not drift) past any slots it missed. A claim that expires without a
-- finish (a crashed instance) leaves the job due, and another takes it.
-- Times are UTC text of fixed width (see store/outbox.go), so comparing the
-- text compares the times.
CREATE TABLE jobs (
    name           TEXT PRIMARY KEY,
    every_ms       INTEGER NOT NULL CHECK (every_ms > 0),
    next_run       TEXT NOT NULL,
    claimed_until  TEXT,
    claimed_by     TEXT NOT NULL DEFAULT '',
    last_started   TEXT,
    last_finished  TEXT,
    last_outcome   TEXT NOT NULL DEFAULT '',
    last_error     TEXT NOT NULL DEFAULT '',
    last_handled   INTEGER NOT NULL DEFAULT 0,
    runs           INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs (next_run);

-- Every run: which instance, the slot it ran for, how it ended. A run that
-- has no finished_at is under way, or was cut off by a crash. The last
-- runs of each job are kept (see store/job.go).
CREATE TABLE job_runs (
    id           INTEGER PRIMARY KEY,
    job          TEXT NOT NULL REFERENCES jobs (name) ON DELETE CASCADE,
    instance     TEXT NOT NULL,
    slot         TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    handled      INTEGER NOT NULL DEFAULT 0,
    outcome      TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_job ON job_runs (job, id);
