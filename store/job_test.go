package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func registerJob(t testing.TB, db *store.DB, first time.Time, jobs ...store.JobSchedule) {
	t.Helper()
	if err := db.RegisterJobs(context.Background(), first, jobs...); err != nil {
		t.Fatal(err)
	}
}

func claim(t testing.TB, db *store.DB, instance string, at time.Time, names ...string) (store.JobClaim, bool) {
	t.Helper()
	c, ok, err := db.ClaimJob(context.Background(), instance, at, time.Minute, names...)
	if err != nil {
		t.Fatal(err)
	}
	return c, ok
}

func jobNamed(t *testing.T, db *store.DB, name string) store.Job {
	t.Helper()
	list, err := db.Jobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range list {
		if j.Name == name {
			return j
		}
	}
	t.Fatalf("no job %q among %d", name, len(list))
	return store.Job{}
}

func TestNextSlot(t *testing.T) {
	h := time.Hour
	for _, tc := range []struct {
		name string
		at   time.Time
		want time.Time
	}{
		{"ended within its slot", t0.Add(5 * time.Minute), t0.Add(h)},
		{"ended before the slot (clock behind)", t0.Add(-time.Minute), t0.Add(h)},
		{"ended on the next slot", t0.Add(h), t0.Add(2 * h)},
		{"overran two slots", t0.Add(2*h + 30*time.Minute), t0.Add(3 * h)},
		{"a day late", t0.Add(24*h + time.Second), t0.Add(25 * h)},
	} {
		if got := store.NextSlot(t0, tc.at, h); !got.Equal(tc.want) {
			t.Errorf("%s: next slot after a run for %s ending %s is %s, want %s", tc.name, t0, tc.at, got, tc.want)
		}
	}
}

func TestRegisterJobs(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		registerJob(t, db, t0, store.JobSchedule{Name: "a", Every: time.Hour}, store.JobSchedule{Name: "b", Every: time.Hour})
		if j := jobNamed(t, db, "a"); !j.NextRun.Equal(t0) || j.Every != time.Hour || j.Runs != 0 || j.LastOutcome != "" {
			t.Errorf("new job: %+v, want due at %s every hour, never run", j, t0)
		}
		// A restart later keeps the schedule; a shorter interval brings the
		// next run forward, a longer one does not put it off.
		later := t0.Add(10 * time.Minute)
		registerJob(t, db, later, store.JobSchedule{Name: "a", Every: time.Hour}, store.JobSchedule{Name: "b", Every: 2 * time.Hour})
		if j := jobNamed(t, db, "a"); !j.NextRun.Equal(t0) {
			t.Errorf("re-registered job next runs at %s, want %s kept", j.NextRun, t0)
		}
		if j := jobNamed(t, db, "b"); !j.NextRun.Equal(t0) || j.Every != 2*time.Hour {
			t.Errorf("longer interval: %s every %s, want %s every 2h", j.NextRun, j.Every, t0)
		}
		if _, ok := claim(t, db, "x", t0, "a"); !ok {
			t.Fatal("a not claimed")
		}
		c, _ := claim(t, db, "x", t0, "b")
		if _, err := db.FinishJob(ctx, c, t0, 0, nil); err != nil {
			t.Fatal(err)
		}
		registerJob(t, db, later, store.JobSchedule{Name: "b", Every: 15 * time.Minute})
		if j := jobNamed(t, db, "b"); !j.NextRun.Equal(later) {
			t.Errorf("shorter interval: next run %s, want %s", j.NextRun, later)
		}

		for _, bad := range [][]store.JobSchedule{
			{{Name: "", Every: time.Hour}},
			{{Name: "c", Every: time.Microsecond}},
			{{Name: "c", Every: time.Hour}, {Name: "c", Every: time.Minute}},
		} {
			err := db.RegisterJobs(ctx, t0, bad...)
			if samrad.ErrorCode(err) != samrad.EINVALID {
				t.Errorf("register %+v: %v, want an invalid-input error", bad, err)
			}
		}
		if n := len(mustJobs(t, db)); n != 2 {
			t.Errorf("%d jobs after refused definitions, want 2", n)
		}
	})
}

func mustJobs(t *testing.T, db *store.DB) []store.Job {
	t.Helper()
	list, err := db.Jobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// Two instances, each with its own pool, claim the same due job at once
// many times over: exactly one of them gets each slot.
func TestClaimJobOneWinner(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := testdb.DSN(t, engine)
			var dbs []*store.DB
			for range 2 {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs = append(dbs, db)
			}
			registerJob(t, dbs[0], t0, store.JobSchedule{Name: "job", Every: time.Minute})
			const slots, claimers = 40, 4
			for i := range slots {
				at := t0.Add(time.Duration(i) * time.Minute)
				var wg sync.WaitGroup
				wins := make(chan store.JobClaim, claimers)
				start := make(chan struct{})
				for k := range claimers {
					wg.Go(func() {
						<-start
						c, ok, err := dbs[k%2].ClaimJob(ctx, string(rune('A'+k)), at, time.Hour, "job")
						if err != nil {
							t.Error(err)
						}
						if ok {
							wins <- c
						}
					})
				}
				close(start)
				wg.Wait()
				close(wins)
				var got []store.JobClaim
				for c := range wins {
					got = append(got, c)
				}
				if len(got) != 1 {
					t.Fatalf("slot %d: %d claimers won, want 1", i, len(got))
				}
				if !got[0].Slot.Equal(at) {
					t.Fatalf("slot %d: claim is for %s, want %s", i, got[0].Slot, at)
				}
				if _, ok := claim(t, dbs[1], "late", at); ok {
					t.Fatalf("slot %d: claimed again while held", i)
				}
				next, err := dbs[0].FinishJob(ctx, got[0], at.Add(time.Second), 1, nil)
				if err != nil || !next.Equal(at.Add(time.Minute)) {
					t.Fatalf("slot %d: finish: next %s, %v; want %s", i, next, err, at.Add(time.Minute))
				}
			}
			j := jobNamed(t, dbs[1], "job")
			if j.Runs != slots || j.LastOutcome != store.JobOK || j.ClaimedBy != "" || !j.ClaimedUntil.IsZero() {
				t.Errorf("after %d slots: %+v", slots, j)
			}
		})
	}
}

func TestJobLeaseExpiry(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		registerJob(t, db, t0, store.JobSchedule{Name: "job", Every: time.Hour})
		a, ok := claim(t, db, "A", t0.Add(time.Second), "job")
		if !ok {
			t.Fatal("not claimed")
		}
		if n, err := db.JobsDue(ctx, t0.Add(30*time.Second)); err != nil || n != 0 {
			t.Errorf("due while held: %d, %v; want 0", n, err)
		}
		if _, ok := claim(t, db, "B", t0.Add(30*time.Second), "job"); ok {
			t.Fatal("claimed while the lease holds")
		}
		// A extends its lease; B still waits.
		if err := db.ExtendJob(ctx, a, t0.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if _, ok := claim(t, db, "B", t0.Add(90*time.Second), "job"); ok {
			t.Fatal("claimed while the extended lease holds")
		}
		// A dies; after its lease B takes the same slot.
		if n, err := db.JobsDue(ctx, t0.Add(3*time.Minute)); err != nil || n != 1 {
			t.Errorf("due after the lease: %d, %v; want 1", n, err)
		}
		b, ok := claim(t, db, "B", t0.Add(3*time.Minute), "job")
		if !ok || !b.Slot.Equal(t0) {
			t.Fatalf("takeover: %+v, %v; want the slot %s", b, ok, t0)
		}
		// A comes back: its claim is gone.
		if err := db.ExtendJob(ctx, a, t0.Add(time.Hour)); !errors.Is(err, store.ErrJobLost) {
			t.Errorf("extend a lost claim: %v, want ErrJobLost", err)
		}
		if _, err := db.FinishJob(ctx, a, t0.Add(4*time.Minute), 3, nil); !errors.Is(err, store.ErrJobLost) {
			t.Errorf("finish a lost claim: %v, want ErrJobLost", err)
		}
		if _, err := db.FinishJob(ctx, b, t0.Add(5*time.Minute), 2, errors.New("statbank: 503")); err != nil {
			t.Fatal(err)
		}
		j := jobNamed(t, db, "job")
		if j.Runs != 1 || j.LastOutcome != store.JobFailed || j.LastError != "statbank: 503" || j.LastHandled != 2 || !j.NextRun.Equal(t0.Add(time.Hour)) {
			t.Errorf("after the takeover: %+v", j)
		}
		runs, err := db.JobRuns(ctx, "job", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 2 || runs[0].Instance != "B" || runs[0].Outcome != store.JobFailed || runs[1].Instance != "A" || runs[1].Outcome != store.JobLost ||
			!runs[1].Slot.Equal(t0) || !runs[0].Slot.Equal(t0) || runs[1].Finished.IsZero() {
			t.Errorf("history: %+v", runs)
		}
	})
}

func TestFinishJobKeepsTheSchedule(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		registerJob(t, db, t0, store.JobSchedule{Name: "job", Every: time.Hour})
		// Runs that start and end late do not move the schedule.
		c, _ := claim(t, db, "A", t0.Add(40*time.Second), "job")
		if _, err := db.FinishJob(ctx, c, t0.Add(7*time.Minute), 0, nil); err != nil {
			t.Fatal(err)
		}
		if n, err := db.JobsDue(ctx, t0.Add(59*time.Minute)); err != nil || n != 0 {
			t.Errorf("due before its slot: %d, %v", n, err)
		}
		if _, ok := claim(t, db, "A", t0.Add(59*time.Minute), "job"); ok {
			t.Fatal("claimed before its slot")
		}
		c, ok := claim(t, db, "A", t0.Add(61*time.Minute), "job")
		if !ok || !c.Slot.Equal(t0.Add(time.Hour)) {
			t.Fatalf("second run: %+v, %v; want the slot %s", c, ok, t0.Add(time.Hour))
		}
		// This one overruns by two and a half hours: the missed slots are skipped.
		next, err := db.FinishJob(ctx, c, t0.Add(3*time.Hour+30*time.Minute), 0, nil)
		if err != nil || !next.Equal(t0.Add(4*time.Hour)) {
			t.Errorf("after an overrun: next %s, %v; want %s", next, err, t0.Add(4*time.Hour))
		}
		if _, ok := claim(t, db, "A", t0.Add(3*time.Hour+31*time.Minute), "job"); ok {
			t.Error("a missed slot was claimed")
		}
		if j := jobNamed(t, db, "job"); j.Runs != 2 || !j.NextRun.Equal(t0.Add(4*time.Hour)) || !j.LastFinished.Equal(t0.Add(3*time.Hour+30*time.Minute)) {
			t.Errorf("job: %+v", j)
		}
	})
}

func TestReleaseJob(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		registerJob(t, db, t0, store.JobSchedule{Name: "job", Every: time.Hour}, store.JobSchedule{Name: "other", Every: time.Hour})
		// An instance claims only the jobs it knows.
		if _, ok := claim(t, db, "A", t0, "unknown"); ok {
			t.Fatal("claimed a job the instance does not know")
		}
		c, ok := claim(t, db, "A", t0, "job")
		if !ok {
			t.Fatal("not claimed")
		}
		if err := db.ReleaseJob(ctx, c, t0.Add(time.Second), "stopping"); err != nil {
			t.Fatal(err)
		}
		b, ok := claim(t, db, "B", t0.Add(2*time.Second), "job")
		if !ok || !b.Slot.Equal(t0) {
			t.Fatalf("after release: %+v, %v; want the slot %s at once", b, ok, t0)
		}
		if err := db.ReleaseJob(ctx, c, t0.Add(3*time.Second), "again"); !errors.Is(err, store.ErrJobLost) {
			t.Errorf("release a claim no longer held: %v, want ErrJobLost", err)
		}
		runs, err := db.JobRuns(ctx, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 2 || runs[0].Instance != "B" || !runs[0].Finished.IsZero() || runs[0].Outcome != "" ||
			runs[1].Outcome != store.JobReleased || runs[1].Error != "stopping" {
			t.Errorf("history: %+v", runs)
		}
		if n, err := db.JobsDue(ctx, t0.Add(3*time.Second)); err != nil || n != 1 {
			t.Errorf("due: %d, %v; want 1 (other)", n, err)
		}
	})
}

func TestJobRunsBounded(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		registerJob(t, db, t0, store.JobSchedule{Name: "job", Every: time.Minute}, store.JobSchedule{Name: "other", Every: time.Minute})
		// A long history, written directly.
		if _, err := db.SQL().ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
			INSERT INTO job_runs (job, instance, slot, started_at, finished_at, outcome)
			SELECT 'job', 'old', '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:01.000000Z', 'ok' FROM n`,
			store.JobRunsKept+5); err != nil {
			t.Fatal(err)
		}
		o, _ := claim(t, db, "A", t0, "other")
		if _, err := db.FinishJob(ctx, o, t0, 0, nil); err != nil {
			t.Fatal(err)
		}
		c, _ := claim(t, db, "A", t0, "job")
		if _, err := db.FinishJob(ctx, c, t0, 0, nil); err != nil {
			t.Fatal(err)
		}
		runs, err := db.JobRuns(ctx, "job", 2*store.JobRunsKept)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != store.JobRunsKept || runs[0].ID != c.RunID {
			t.Errorf("%d runs kept, newest %d; want %d, newest %d", len(runs), runs[0].ID, store.JobRunsKept, c.RunID)
		}
		if others, err := db.JobRuns(ctx, "other", 10); err != nil || len(others) != 1 {
			t.Errorf("other job's runs: %d, %v; want 1", len(others), err)
		}
	})
}

// BenchmarkClaimFinishJob measures one claim and one finish of a due job
// (two transactions), the scheduler's cost per run.
func BenchmarkClaimFinishJob(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := testdb.Open(b, engine)
			registerJob(b, db, t0, store.JobSchedule{Name: "job", Every: time.Millisecond})
			at := t0
			for b.Loop() {
				c, ok, err := db.ClaimJob(ctx, "bench", at, time.Minute, "job")
				if err != nil || !ok {
					b.Fatalf("claim at %s: %v, %v", at, ok, err)
				}
				if at, err = db.FinishJob(ctx, c, at, 1, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
