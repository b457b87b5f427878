package main

import (
	"context"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/samrad/samrad/metrics"
	"github.com/samrad/samrad/outbox"
	"github.com/samrad/samrad/store"
)

// serverMetrics are the figures /metrics shows beside the requests (which
// web.Server.SetMetrics registers): the build, the process, the database
// pool, the outbox's backlog and the e-mails sent.
// and the scheduled jobs due and not yet run.
type serverMetrics struct {
	*metrics.Registry
	emails *metrics.CounterVec
}

// scrapeTimeout bounds the queries a scrape runs.
const scrapeTimeout = 2 * time.Second

func newMetrics(db *store.DB) *serverMetrics {
	reg := metrics.New()
	m := &serverMetrics{Registry: reg}

	version, revision := "(devel)", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		version = bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				revision = s.Value
			}
		}
	}
	reg.GaugeFuncVec("samrad_build_info", "The running binary: module version, VCS revision and Go version (always 1).",
		[]string{"version", "revision", "goversion"}, func(context.Context) ([]metrics.Sample, error) {
			return []metrics.Sample{{Labels: []string{version, revision, runtime.Version()}, Value: 1}}, nil
		})
	reg.Gauge("process_start_time_seconds", "When the process started, in seconds since 1970.").Set(float64(time.Now().UnixNano()) / 1e9)

	m.emails = reg.Counter("samrad_emails_total", "E-mail delivery attempts by kind of message and result: sent, retried (a temporary failure, queued again) or failed.", "kind", "result")
	reg.GaugeFunc("samrad_outbox_queued", "E-mails queued and not yet sent, due or not.", func(ctx context.Context) (float64, error) {
		ctx, cancel := context.WithTimeout(ctx, scrapeTimeout)
		defer cancel()
		n, err := db.OutboxDepth(ctx)
		return float64(n), err
	})

	reg.GaugeFunc("samrad_jobs_due", "Scheduled jobs due and not yet claimed by an instance.", func(ctx context.Context) (float64, error) {
		ctx, cancel := context.WithTimeout(ctx, scrapeTimeout)
		defer cancel()
		n, err := db.JobsDue(ctx, time.Now())
		return float64(n), err
	})

	pool := db.SQL()
	reg.GaugeFuncVec("samrad_db_connections", "Database pool connections by state.", []string{"state"}, func(context.Context) ([]metrics.Sample, error) {
		st := pool.Stats()
		return []metrics.Sample{
			{Labels: []string{"in_use"}, Value: float64(st.InUse)},
			{Labels: []string{"idle"}, Value: float64(st.Idle)},
		}, nil
	})
	reg.GaugeFunc("samrad_db_connections_max", "Database pool's limit of open connections.", func(context.Context) (float64, error) {
		return float64(pool.Stats().MaxOpenConnections), nil
	})
	reg.CounterFunc("samrad_db_wait_total", "Times a query waited for a free database connection.", func() float64 {
		return float64(pool.Stats().WaitCount)
	})
	reg.CounterFunc("samrad_db_wait_seconds_total", "Time queries waited for a free database connection.", func() float64 {
		return pool.Stats().WaitDuration.Seconds()
	})
	reg.CounterFunc("samrad_db_closed_total", "Database connections closed for being idle or too old.", func() float64 {
		st := pool.Stats()
		return float64(st.MaxIdleClosed + st.MaxIdleTimeClosed + st.MaxLifetimeClosed)
	})
	return m
}

// email counts one delivery attempt; it is outbox.Sender's Observe.
func (m *serverMetrics) email(kind string, outcome outbox.Outcome) {
	m.emails.With(kind, string(outcome)).Inc()
}
