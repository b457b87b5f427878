package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/samrad/samrad"
)

// JobRunsKept is how many runs of each job the history keeps; a finished
// run deletes the ones before them.
const JobRunsKept = 1000

// How a run ended.
const (
	JobOK       = "ok"       // the run returned without error
	JobFailed   = "failed"   // the run returned an error; the job waits for its next slot
	JobReleased = "released" // the instance stopped before the run ended and gave the job back
	JobLost     = "lost"     // the claim expired before the run ended (a crash); another instance took the job
)

// ErrJobLost is returned when an instance settles a claim that is no
// longer its own: the lease expired and another instance took the job.
var ErrJobLost = errors.New("the claim on the job was lost: its lease expired and another instance took it")

// JobSchedule is a job as the code defines it: its name and how often it
// runs.
type JobSchedule struct {
	Name  string
	Every time.Duration
}

// Job is a scheduled job's state in the database.
type Job struct {
	Name         string
	Every        time.Duration
	NextRun      time.Time
	ClaimedUntil time.Time // zero when no instance holds the job
	ClaimedBy    string
	LastStarted  time.Time // zero before the first run
	LastFinished time.Time
	LastOutcome  string // JobOK, JobFailed, JobReleased, or "" before the first run
	LastError    string
	LastHandled  int
	Runs         int // runs finished, with or without error
}

// JobClaim is one instance's hold on a job for one slot, until it
// finishes, releases or loses it.
type JobClaim struct {
	Name     string
	Every    time.Duration
	Slot     time.Time // the scheduled time this run is for
	Instance string
	Started  time.Time
	Until    time.Time // when the lease ends unless extended
	RunID    int64
}

// JobRun is one run in the history.
type JobRun struct {
	ID       int64
	Job      string
	Instance string
	Slot     time.Time
	Started  time.Time
	Finished time.Time // zero while the run is under way
	Handled  int
	Outcome  string // "" while under way
	Error    string
}

// RegisterJobs records the jobs the code defines. A job new to the database
// first falls due at first; a known job keeps its next run, except that a
// shorter interval than before brings it forward to first at the latest.
// Jobs of the database that the code no longer defines stay as they are.
func (db *DB) RegisterJobs(ctx context.Context, first time.Time, jobs ...JobSchedule) error {
	seen := map[string]bool{}
	for _, j := range jobs {
		switch {
		case j.Name == "":
			return samrad.Errorf(samrad.EINVALID, "jobs: a job needs a name")
		case seen[j.Name]:
			return samrad.Errorf(samrad.EINVALID, "jobs: %q is defined twice", j.Name)
		case j.Every < time.Millisecond:
			return samrad.Errorf(samrad.EINVALID, "jobs: %q: interval %s is less than a millisecond", j.Name, j.Every)
		}
		seen[j.Name] = true
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		for _, j := range jobs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO jobs (name, every_ms, next_run, created_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (name) DO UPDATE SET every_ms = excluded.every_ms,
					next_run = CASE WHEN excluded.every_ms < jobs.every_ms AND excluded.next_run < jobs.next_run
						THEN excluded.next_run ELSE jobs.next_run END`,
				j.Name, j.Every.Milliseconds(), stamp(first), now()); err != nil {
				return fmt.Errorf("jobs: register %q: %w", j.Name, err)
			}
		}
		return nil
	})
}

// jobDue is when a job may be claimed at $1: its slot has come and no
// lease holds it.
const jobDue = `next_run <= $1 AND (claimed_until IS NULL OR claimed_until < $1)`

// ClaimJob claims the job among names that has been due longest at now, for
// instance until now+lease, and records the run as started. ok is false
// when none is due. No other claimer, in this process or another instance
// on the same database, gets the job until the claim is settled or
// expires: on PostgreSQL the row is locked (FOR UPDATE SKIP LOCKED, so
// claimers pass over each other instead of waiting), on SQLite the one
// UPDATE runs under the database's write lock; on both the UPDATE checks
// again that the job is still due and unclaimed.
func (db *DB) ClaimJob(ctx context.Context, instance string, now time.Time, lease time.Duration, names ...string) (c JobClaim, ok bool, err error) {
	if len(names) == 0 {
		return JobClaim{}, false, nil
	}
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	args := []any{stamp(now), stamp(now.Add(lease)), instance}
	for _, n := range names {
		args = append(args, n)
	}
	c = JobClaim{Instance: instance, Started: now, Until: now.Add(lease)}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var everyMS int64
		var slot string
		err := tx.QueryRowContext(ctx, `UPDATE jobs SET claimed_until = $2, claimed_by = $3, last_started = $1
			WHERE name IN (SELECT name FROM jobs WHERE `+jobDue+` AND name IN (`+placeholders(4, len(names))+`)
				ORDER BY next_run, name LIMIT 1`+lock+`)
			AND `+jobDue+`
			RETURNING name, every_ms, next_run`, args...).Scan(&c.Name, &everyMS, &slot)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		ok = true
		c.Every = time.Duration(everyMS) * time.Millisecond
		if c.Slot, err = time.Parse(stampLayout, slot); err != nil {
			return fmt.Errorf("%q: next run %q: %w", c.Name, slot, err)
		}
		// A run left without an end was cut off: its lease expired.
		if _, err := tx.ExecContext(ctx, `UPDATE job_runs SET finished_at = $2, outcome = $3, error = $4
			WHERE job = $1 AND finished_at IS NULL`,
			c.Name, stamp(now), JobLost, "its lease expired before it ended; the job was taken over"); err != nil {
			return err
		}
		c.RunID, err = insertID(ctx, tx, `INSERT INTO job_runs (job, instance, slot, started_at) VALUES ($1, $2, $3, $4)`,
			c.Name, instance, slot, stamp(now))
		return err
	})
	if err != nil {
		return JobClaim{}, false, fmt.Errorf("jobs: claim: %w", err)
	}
	return c, ok, nil
}

// claimHeld is the claim c still holding its job; the parameters $1–$4
// are c's name, instance, slot and start.
const claimHeld = `name = $1 AND claimed_by = $2 AND next_run = $3 AND last_started = $4`

// runOpen is the run $1 not yet settled, or marked lost by the instance
// that took its job over (its own record of what it did is better).
const runOpen = `id = $1 AND outcome IN ('', 'lost')`

func (c JobClaim) args(more ...any) []any {
	return append([]any{c.Name, c.Instance, stamp(c.Slot), stamp(c.Started)}, more...)
}

// ExtendJob moves the end of a claim's lease to until, for a run that
// takes longer than its lease. It returns ErrJobLost if the claim is no
// longer held.
func (db *DB) ExtendJob(ctx context.Context, c JobClaim, until time.Time) error {
	res, err := db.db.ExecContext(ctx, `UPDATE jobs SET claimed_until = $5 WHERE `+claimHeld, c.args(stamp(until))...)
	if err != nil {
		return fmt.Errorf("jobs: extend %q: %w", c.Name, err)
	}
	held, err := res.RowsAffected()
	switch {
	case err != nil:
		return fmt.Errorf("jobs: extend %q: %w", c.Name, err)
	case held == 0:
		return fmt.Errorf("jobs: extend %q: %w", c.Name, ErrJobLost)
	}
	return nil
}

// FinishJob records the end of a claimed run at at: how many things it
// handled and its error, if any. The job's next run is its slot plus the
// interval, not at plus the interval, so runs keep to their times; a run
// that ended after later slots skips them and is next due at the first
// slot after at. It returns the next run, or ErrJobLost (with the run
// recorded as lost) if the claim expired and another instance took the job.
func (db *DB) FinishJob(ctx context.Context, c JobClaim, at time.Time, handled int, runErr error) (time.Time, error) {
	outcome, msg := JobOK, ""
	if runErr != nil {
		outcome, msg = JobFailed, errText(runErr)
	}
	next := NextSlot(c.Slot, at, c.Every)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET next_run = $5, claimed_until = NULL, claimed_by = '',
				last_finished = $6, last_outcome = $7, last_error = $8, last_handled = $9, runs = runs + 1
			WHERE `+claimHeld, c.args(stamp(next), stamp(at), outcome, msg, handled)...)
		if err != nil {
			return err
		}
		held, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if held == 0 {
			outcome = JobLost
			msg = joinText("the lease expired before the run ended", msg)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE job_runs SET finished_at = $2, handled = $3, outcome = $4, error = $5 WHERE `+runOpen,
			c.RunID, stamp(at), handled, outcome, msg); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM job_runs WHERE job = $1
			AND id <= (SELECT id FROM job_runs WHERE job = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`, c.Name, JobRunsKept)
		return err
	})
	switch {
	case err != nil:
		return time.Time{}, fmt.Errorf("jobs: finish %q: %w", c.Name, err)
	case outcome == JobLost:
		return time.Time{}, fmt.Errorf("jobs: finish %q: %w", c.Name, ErrJobLost)
	}
	return next, nil
}

// ReleaseJob gives a claimed job back unfinished, as an instance does when
// it stops during a run: the job stays due for its slot, and the next
// claimer, here or on another instance, runs it without waiting for the
// lease to expire. why goes into the history.
func (db *DB) ReleaseJob(ctx context.Context, c JobClaim, at time.Time, why string) error {
	lost := false
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET claimed_until = NULL, claimed_by = '',
				last_finished = $5, last_outcome = $6, last_error = $7
			WHERE `+claimHeld, c.args(stamp(at), JobReleased, why)...)
		if err != nil {
			return err
		}
		held, err := res.RowsAffected()
		if err != nil {
			return err
		}
		outcome := JobReleased
		if held == 0 {
			lost, outcome, why = true, JobLost, joinText("the lease expired before the run ended", why)
		}
		_, err = tx.ExecContext(ctx, `UPDATE job_runs SET finished_at = $2, outcome = $3, error = $4 WHERE `+runOpen,
			c.RunID, stamp(at), outcome, why)
		return err
	})
	switch {
	case err != nil:
		return fmt.Errorf("jobs: release %q: %w", c.Name, err)
	case lost:
		return fmt.Errorf("jobs: release %q: %w", c.Name, ErrJobLost)
	}
	return nil
}

// NextSlot is when a job whose run for slot ended at at is next due: the
// first of slot+every, slot+2·every, … that is after at (slot+every when
// at is before it).
func NextSlot(slot, at time.Time, every time.Duration) time.Time {
	if every <= 0 {
		return at
	}
	k := int64(1)
	if d := at.Sub(slot); d >= every {
		k = int64(d/every) + 1
	}
	return slot.Add(time.Duration(k) * every)
}

// JobsDue counts the jobs due at now that no instance holds: the scheduler's
// queue.
func (db *DB) JobsDue(ctx context.Context, now time.Time) (int, error) {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE `+jobDue, stamp(now)).Scan(&n); err != nil {
		return 0, fmt.Errorf("jobs: due: %w", err)
	}
	return n, nil
}

// Jobs lists every job of the database, next due first.
func (db *DB) Jobs(ctx context.Context) ([]Job, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT name, every_ms, next_run, claimed_until, claimed_by, last_started, last_finished,
			last_outcome, last_error, last_handled, runs
		FROM jobs ORDER BY next_run, name`)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		var j Job
		var everyMS int64
		var next string
		var until, started, finished sql.NullString
		if err := rows.Scan(&j.Name, &everyMS, &next, &until, &j.ClaimedBy, &started, &finished,
			&j.LastOutcome, &j.LastError, &j.LastHandled, &j.Runs); err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		j.Every = time.Duration(everyMS) * time.Millisecond
		j.NextRun, _ = time.Parse(stampLayout, next)
		j.ClaimedUntil = parseStamp(until)
		j.LastStarted = parseStamp(started)
		j.LastFinished = parseStamp(finished)
		out = append(out, j)
	}
	return out, rows.Err()
}

// JobRuns lists the last runs, newest first: of one job, or of every job
// when name is "".
func (db *DB) JobRuns(ctx context.Context, name string, limit int) ([]JobRun, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, job, instance, slot, started_at, finished_at, handled, outcome, error
		FROM job_runs WHERE $1 = '' OR job = $1 ORDER BY id DESC LIMIT $2`, name, limit)
	if err != nil {
		return nil, fmt.Errorf("jobs: runs: %w", err)
	}
	defer rows.Close()
	var out []JobRun
	for rows.Next() {
		var r JobRun
		var slot, started string
		var finished sql.NullString
		if err := rows.Scan(&r.ID, &r.Job, &r.Instance, &slot, &started, &finished, &r.Handled, &r.Outcome, &r.Error); err != nil {
			return nil, fmt.Errorf("jobs: runs: %w", err)
		}
		r.Slot, _ = time.Parse(stampLayout, slot)
		r.Started, _ = time.Parse(stampLayout, started)
		r.Finished = parseStamp(finished)
		out = append(out, r)
	}
	return out, rows.Err()
}

// parseStamp reads a nullable time written by stamp; NULL is the zero time.
func parseStamp(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	t, _ := time.Parse(stampLayout, s.String)
	return t
}

func joinText(a, b string) string {
	if b == "" {
		return a
	}
	return a + ": " + b
}
