package main

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// job is work the server does on a schedule: each run handles what is due
// at now and says how many things it handled.
type job struct {
	name  string
	every time.Duration
	run   func(ctx context.Context, now time.Time) (int, error)
}

// runJobs runs each job once a minute after start and then at its
// interval, until ctx ends; it returns when the runs under way are done.
// Every job is safe to run twice, or on two instances at once: each finds
// in the database what is due and marks it done in the same transaction.
func runJobs(ctx context.Context, log *slog.Logger, jobs []job) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() {
			t := time.NewTimer(time.Minute)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
				n, err := j.run(ctx, time.Now())
				switch {
				case err != nil && ctx.Err() == nil:
					log.Error("job failed", "job", j.name, "err", err)
				case n > 0:
					log.Info("job done", "job", j.name, "handled", n)
				}
				t.Reset(j.every)
			}
		})
	}
	wg.Wait()
}
