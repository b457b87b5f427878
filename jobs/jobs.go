// Package jobs runs Samråd's scheduled work (reminders, anonymising,
// deleting unconfirmed sign-ups, fetching indicators) once per due slot,
// however many instances share the database.
//
// The schedule lives in the database (the jobs table): each instance's
// Scheduler registers the jobs it knows at start, then polls for a due job,
// claims it for a lease so that no other instance runs it, runs it, and
// records the outcome and the next slot. While a run lasts the lease is
// extended; if the instance dies the lease expires and another instance
// runs the slot. On SQLite, with one process, it works the same way.
//
// When its context ends a Scheduler claims nothing more; the run under
// way may finish within a grace period, after which its context is
// cancelled and, if it stops with an error, the job is given back for
// another instance (or the next start) to run.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// Job is work done on a schedule: each run handles what is due at now and
// says how many things it handled. A run must be safe to repeat (a crash
// after its work and before its record repeats it) and should stop soon
// when ctx is cancelled.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context, now time.Time) (int, error)
}

// Scheduler runs jobs on one instance. Set the fields before Run; zero
// values take the defaults.
type Scheduler struct {
	DB   *store.DB
	Jobs []Job
	Log  *slog.Logger

	Instance string        // this instance's id in claims and the history; default NewInstanceID()
	Poll     time.Duration // how often to look for due jobs; default 5 s
	Lease    time.Duration // how long a claim lasts unless extended; extended every third of it while a run lasts; default 2 min
	Grace    time.Duration // after a stop, how long a run may go on before its context is cancelled, and then how long to wait for it; default 30 s
	First    time.Duration // a job new to the database is first due this long after start; default 0, at once
	Now      func() time.Time

	byName map[string]Job
	names  []string
}

// NewInstanceID returns an id for this process that no other instance
// shares: host name, process id and random bits.
func NewInstanceID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
}

func (s *Scheduler) init() error {
	if s.Instance == "" {
		s.Instance = NewInstanceID()
	}
	if s.Poll <= 0 {
		s.Poll = 5 * time.Second
	}
	if s.Lease <= 0 {
		s.Lease = 2 * time.Minute
	}
	if s.Grace <= 0 {
		s.Grace = 30 * time.Second
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	s.byName = map[string]Job{}
	s.names = s.names[:0]
	for _, j := range s.Jobs {
		if j.Run == nil {
			return fmt.Errorf("jobs: %q has nothing to run", j.Name)
		}
		s.byName[j.Name] = j
		s.names = append(s.names, j.Name)
	}
	return nil
}

// Run registers the jobs, then runs them as they fall due until ctx ends,
// and returns when the run under way has finished or been given back. It
// returns an error only for jobs defined wrongly; database errors are
// logged and retried at the next poll.
func (s *Scheduler) Run(ctx context.Context) error {
	if err := s.init(); err != nil {
		return err
	}
	schedules := make([]store.JobSchedule, len(s.Jobs))
	for i, j := range s.Jobs {
		schedules[i] = store.JobSchedule{Name: j.Name, Every: j.Every}
	}
	registered := false
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if !registered {
			err := s.DB.RegisterJobs(ctx, s.Now().Add(s.First), schedules...)
			switch {
			case samrad.ErrorCode(err) == samrad.EINVALID:
				return err // the definitions are wrong; polling again will not help
			case err != nil:
				if ctx.Err() == nil {
					s.Log.Error("jobs: register", "err", err)
				}
			default:
				registered = true
			}
		}
		if registered {
			for ctx.Err() == nil {
				ran, err := s.runOne(ctx)
				if err != nil && ctx.Err() == nil {
					s.Log.Error("jobs", "err", err)
				}
				if !ran || err != nil {
					break
				}
			}
		}
		t.Reset(s.Poll)
	}
}

type outcome struct {
	handled int
	err     error
}

// runOne claims one due job and runs it; ran is false when none was due.
func (s *Scheduler) runOne(ctx context.Context) (ran bool, err error) {
	c, ok, err := s.DB.ClaimJob(ctx, s.Instance, s.Now(), s.Lease, s.names...)
	if err != nil || !ok {
		return false, err
	}
	j := s.byName[c.Name]
	log := s.Log.With("job", c.Name, "slot", c.Slot)
	// The record of the run is written even after ctx has ended.
	keep := context.WithoutCancel(ctx)
	runCtx, cancelRun := context.WithCancel(keep)
	defer cancelRun()
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- outcome{err: fmt.Errorf("panic: %v", p)}
			}
		}()
		n, err := j.Run(runCtx, s.Now())
		done <- outcome{n, err}
	}()
	heartbeat := time.NewTicker(max(s.Lease/3, time.Millisecond))
	defer heartbeat.Stop()
	stopping := ctx.Done()
	var grace, abandon <-chan time.Time
	lost := false
	for {
		select {
		case r := <-done:
			if r.err != nil && runCtx.Err() != nil && !lost {
				// Cut off by the stop: the slot is not done.
				log.Warn("jobs: stopped during a run; given back", "err", r.err)
				return true, s.DB.ReleaseJob(keep, c, s.Now(), "the instance stopped during the run")
			}
			next, err := s.DB.FinishJob(keep, c, s.Now(), r.handled, r.err)
			switch {
			case err != nil:
				return true, err
			case r.err != nil:
				log.Error("jobs: run failed", "err", r.err, "next", next)
			case r.handled > 0:
				log.Info("jobs: run done", "handled", r.handled, "next", next)
			}
			return true, nil
		case <-heartbeat.C:
			err := s.DB.ExtendJob(keep, c, s.Now().Add(s.Lease))
			switch {
			case errors.Is(err, store.ErrJobLost):
				// Another instance has the job: stop this run.
				log.Error("jobs: claim lost during the run; stopping it", "err", err)
				lost = true
				cancelRun()
			case err != nil:
				log.Warn("jobs: extend lease", "err", err)
			}
		case <-stopping:
			stopping = nil
			grace = time.After(s.Grace)
		case <-grace:
			grace = nil
			cancelRun()
			abandon = time.After(s.Grace)
		case <-abandon:
			// The run ignores its context. Its lease is left to expire rather
			// than given back, so that no one runs the job beside it.
			log.Error("jobs: run did not stop; its lease will expire", "lease", c.Until)
			return true, nil
		}
	}
}
