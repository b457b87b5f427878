// Package refresh brings indicators' figures up to date from their
// sources: SSB's statbank (through package statbank), an uploaded file
// (JSON-stat, or a statbank CSV), or the population figures already
// imported. Every attempt is a run in the indicator's run log; a run that
// fails keeps the figures from before and records why.
package refresh

import (
	"context"
	"log/slog"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/statbank"
	"github.com/samrad/samrad/store"
)

// Runner fetches, reads, fits and stores indicators' figures.
type Runner struct {
	DB     *store.DB
	Client *statbank.Client // nil: statbank indicators fail with a clear error
	Log    *slog.Logger
	Now    func() time.Time // nil: time.Now
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Run refreshes an indicator from its source (the statbank or the
// population figures), recording the run; an uploaded indicator cannot be
// run and gives an error. The run is returned even when it failed.
func (r *Runner) Run(ctx context.Context, in samrad.Indicator) (samrad.IndicatorRun, error) {
	return r.run(ctx, in, "", nil)
}

// Upload reads an uploaded file of figures for the indicator (JSON-stat
// 2.0 or 1.x, or a statbank CSV in the wide or the long form) and stores
// them as a run.
func (r *Runner) Upload(ctx context.Context, in samrad.Indicator, file string, data []byte) (samrad.IndicatorRun, error) {
	return r.run(ctx, in, file, data)
}

// RunDue refreshes every indicator that its schedule says is due, one
// after another, and returns how many runs succeeded. One indicator's
// failure is in its run log and does not stop the others.
func (r *Runner) RunDue(ctx context.Context, now time.Time) (int, error) {
	due, err := r.DB.DueIndicators(ctx, now)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, in := range due {
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		if _, err := r.Run(ctx, in); err != nil {
			if r.Log != nil {
				r.Log.Warn("indicator refresh failed", "indicator", in.Slug, "alliance", in.AllianceID, "err", err)
			}
			continue
		}
		n++
	}
	return n, nil
}
