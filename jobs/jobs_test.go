package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/jobs"
	"github.com/samrad/samrad/store"
)

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// clock is a time that moves only when the test moves it, shared by every
// instance.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time  { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Set(t time.Time) { c.ns.Store(t.UnixNano()) }

// instances opens n pools on one database, as n servers would.
func instances(t *testing.T, dsn string, n int) []*store.DB {
	t.Helper()
	var dbs []*store.DB
	for range n {
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs = append(dbs, db)
	}
	return dbs
}

// start runs s until the test ends, and returns a stop that waits for it.
func start(t *testing.T, s *jobs.Scheduler) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(stop)
	return stop
}

// waitFor polls cond until it holds, failing the test after a while.
func waitFor(t *testing.T, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok, err := cond()
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestExactlyOnce runs several schedulers, each with its own pool on one
// database, over many slots of two jobs: every slot runs, and runs once.
// Each run records the slot it ran for in a table of its own; the clock
// moves to the next slot once the jobs due have finished.
func TestExactlyOnce(t *testing.T) {
	const (
		nInstances = 3
		steps      = 300 // minutes
	)
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dbs := instances(t, testdb.DSN(t, engine), nInstances)
			if _, err := dbs[0].SQL().ExecContext(ctx, `CREATE TABLE ran (job TEXT NOT NULL, slot TEXT NOT NULL, instance TEXT NOT NULL)`); err != nil {
				t.Fatal(err)
			}
			var c clock
			c.Set(t0)
			every := map[string]time.Duration{"each minute": time.Minute, "every third minute": 3 * time.Minute}
			for i, db := range dbs {
				instance := fmt.Sprintf("instance-%d", i)
				var list []jobs.Job
				for name, d := range every {
					list = append(list, jobs.Job{Name: name, Every: d, Run: func(ctx context.Context, now time.Time) (int, error) {
						_, err := db.SQL().ExecContext(ctx, `INSERT INTO ran (job, slot, instance) VALUES ($1, $2, $3)`,
							name, now.Format(time.RFC3339), instance)
						return 1, err
					}})
				}
				start(t, &jobs.Scheduler{DB: db, Jobs: list, Instance: instance, Poll: time.Millisecond, Lease: time.Hour, Now: c.Now})
			}
			for k := range steps {
				now := t0.Add(time.Duration(k) * time.Minute)
				c.Set(now)
				waitFor(t, "the jobs due at "+now.Format(time.TimeOnly), func() (bool, error) {
					list, err := dbs[0].Jobs(ctx)
					if len(list) < len(every) {
						return false, err
					}
					for _, j := range list {
						if !j.NextRun.After(now) || j.ClaimedBy != "" {
							return false, err
						}
					}
					return true, err
				})
			}

			rows, err := dbs[0].SQL().QueryContext(ctx, `SELECT job, slot, COUNT(*), MIN(instance) FROM ran GROUP BY job, slot`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			got := map[string]int{}
			by := map[string]int{}
			for rows.Next() {
				var job, slot, instance string
				var n int
				if err := rows.Scan(&job, &slot, &n, &instance); err != nil {
					t.Fatal(err)
				}
				got[job+" "+slot] = n
				by[instance]++
				if n != 1 {
					t.Errorf("%s at %s ran %d times", job, slot, n)
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			want := 0
			for name, d := range every {
				for at := t0; at.Before(t0.Add(steps * time.Minute)); at = at.Add(d) {
					want++
					if _, ok := got[name+" "+at.Format(time.RFC3339)]; !ok {
						t.Errorf("%s at %s never ran", name, at.Format(time.RFC3339))
					}
				}
			}
			if len(got) != want {
				t.Errorf("%d slots ran, want %d", len(got), want)
			}
			// The history agrees: one run per slot, each ok.
			runs, err := dbs[1].JobRuns(ctx, "", 10*steps)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			again, notOK := 0, 0
			for _, r := range runs {
				key := r.Job + " " + r.Slot.Format(time.RFC3339)
				if seen[key] {
					again++
				}
				if r.Outcome != store.JobOK || r.Handled != 1 {
					notOK++
				}
				seen[key] = true
			}
			if len(runs) != want || again > 0 || notOK > 0 {
				t.Errorf("history: %d runs, %d of them for a slot run before, %d not ok; want %d runs, all ok", len(runs), again, notOK, want)
			}
			t.Logf("%d slots of 2 jobs over %d instances, runs per instance %v", want, nInstances, by)
		})
	}
}

// A stop during a run that does not end within the grace period cancels
// it and gives the job back: another instance runs the same slot at once.
func TestStopGivesBackTheJob(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var c clock
		c.Set(t0)
		started := make(chan struct{})
		blocking := jobs.Job{Name: "fetch", Every: time.Hour, Run: func(ctx context.Context, now time.Time) (int, error) {
			close(started)
			<-ctx.Done()
			return 0, ctx.Err()
		}}
		stop := start(t, &jobs.Scheduler{DB: db, Jobs: []jobs.Job{blocking}, Instance: "A", Poll: time.Millisecond, Grace: 10 * time.Millisecond, Now: c.Now})
		<-started
		stop()
		if n, err := db.JobsDue(ctx, c.Now()); err != nil || n != 1 {
			t.Fatalf("due after the stop: %d, %v; want the job given back", n, err)
		}
		var ranFor atomic.Value
		finishing := jobs.Job{Name: "fetch", Every: time.Hour, Run: func(ctx context.Context, now time.Time) (int, error) {
			ranFor.Store(now)
			return 5, nil
		}}
		start(t, &jobs.Scheduler{DB: db, Jobs: []jobs.Job{finishing}, Instance: "B", Poll: time.Millisecond, Now: c.Now})
		waitFor(t, "B to run the job", func() (bool, error) {
			runs, err := db.JobRuns(ctx, "fetch", 10)
			return len(runs) == 2 && runs[0].Outcome != "", err
		})
		runs, _ := db.JobRuns(ctx, "fetch", 10)
		if runs[1].Instance != "A" || runs[1].Outcome != store.JobReleased || runs[0].Instance != "B" || runs[0].Outcome != store.JobOK ||
			!runs[0].Slot.Equal(t0) || runs[0].Handled != 5 {
			t.Errorf("history: %+v", runs)
		}
	})
}

// A stop during a run that ends within the grace period waits for it and
// records it as done.
func TestStopLetsTheRunFinish(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var c clock
		c.Set(t0)
		started, release := make(chan struct{}), make(chan struct{})
		var cancelled atomic.Bool
		job := jobs.Job{Name: "remind", Every: time.Hour, Run: func(ctx context.Context, now time.Time) (int, error) {
			close(started)
			<-release
			cancelled.Store(ctx.Err() != nil)
			return 2, nil
		}}
		stop := start(t, &jobs.Scheduler{DB: db, Jobs: []jobs.Job{job}, Poll: time.Millisecond, Grace: time.Minute, Now: c.Now})
		<-started
		go func() { time.Sleep(20 * time.Millisecond); close(release) }()
		stop()
		if cancelled.Load() {
			t.Error("the run's context was cancelled within the grace period")
		}
		runs, err := db.JobRuns(ctx, "remind", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 1 || runs[0].Outcome != store.JobOK || runs[0].Handled != 2 {
			t.Errorf("history: %+v", runs)
		}
		if n, err := db.JobsDue(ctx, c.Now()); err != nil || n != 0 {
			t.Errorf("due after the run: %d, %v", n, err)
		}
	})
}

// A run that lasts longer than its lease keeps it: the scheduler extends
// the lease, and a second instance polling meanwhile never takes the job.
func TestLongRunKeepsItsLease(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dbs := instances(t, testdb.DSN(t, engine), 2)
			var runs atomic.Int32
			done := make(chan struct{}, 2)
			for i, db := range dbs {
				slow := jobs.Job{Name: "slow", Every: time.Hour, Run: func(ctx context.Context, now time.Time) (int, error) {
					runs.Add(1)
					defer func() { done <- struct{}{} }()
					select {
					case <-time.After(3 * time.Second):
						return 1, nil
					case <-ctx.Done():
						return 0, ctx.Err()
					}
				}}
				start(t, &jobs.Scheduler{DB: db, Jobs: []jobs.Job{slow}, Instance: fmt.Sprint(i), Poll: 5 * time.Millisecond, Lease: time.Second})
			}
			<-done
			if n := runs.Load(); n != 1 {
				t.Fatalf("the slot ran %d times", n)
			}
			waitFor(t, "the run's record", func() (bool, error) {
				list, err := dbs[0].JobRuns(ctx, "slow", 10)
				return len(list) > 0 && list[0].Outcome != "", err
			})
			list, err := dbs[0].JobRuns(ctx, "slow", 10)
			if err != nil || len(list) != 1 || list[0].Outcome != store.JobOK {
				t.Errorf("history: %+v, %v", list, err)
			}
		})
	}
}

// A run that panics is recorded as failed; the scheduler goes on.
func TestPanicIsAFailedRun(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var c clock
		c.Set(t0)
		var calls atomic.Int32
		job := jobs.Job{Name: "fragile", Every: time.Minute, Run: func(ctx context.Context, now time.Time) (int, error) {
			if calls.Add(1) == 1 {
				panic("index out of range")
			}
			return 0, errors.New("statbank: 503")
		}}
		start(t, &jobs.Scheduler{DB: db, Jobs: []jobs.Job{job}, Poll: time.Millisecond, Now: c.Now})
		waitFor(t, "the first run", func() (bool, error) {
			runs, err := db.JobRuns(ctx, "fragile", 10)
			return len(runs) == 1 && runs[0].Outcome != "", err
		})
		c.Set(t0.Add(time.Minute))
		waitFor(t, "the second run", func() (bool, error) {
			runs, err := db.JobRuns(ctx, "fragile", 10)
			return len(runs) == 2 && runs[0].Outcome != "", err
		})
		runs, _ := db.JobRuns(ctx, "fragile", 10)
		if runs[1].Outcome != store.JobFailed || runs[1].Error != "panic: index out of range" ||
			runs[0].Outcome != store.JobFailed || runs[0].Error != "statbank: 503" {
			t.Errorf("history: %+v", runs)
		}
	})
}

func TestWrongDefinitions(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	for _, list := range [][]jobs.Job{
		{{Name: "a", Every: time.Hour}},
		{{Name: "a", Every: 0, Run: func(context.Context, time.Time) (int, error) { return 0, nil }}},
	} {
		s := &jobs.Scheduler{DB: db, Jobs: list, Poll: time.Millisecond}
		if err := s.Run(context.Background()); err == nil {
			t.Errorf("%+v: no error", list)
		}
	}
}
