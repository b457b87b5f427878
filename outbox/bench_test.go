package outbox_test

import (
	"context"
	"testing"

	"github.com/samrad/samrad/internal/smtptest"
	"github.com/samrad/samrad/internal/testdb"
)

// BenchmarkSend10000 sends a newsletter issue to 10,000 subscribers
// through a local SMTP server: one op is the whole issue, from the queued
// outbox to every message recorded as sent.
func BenchmarkSend10000(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) {
			srv := smtptest.Start(b)
			for b.Loop() {
				b.StopTimer()
				db := testdb.Open(b, engine)
				queue(b, db, "newsletter_issue", 10000)
				b.StartTimer()
				n, err := sender(db, srv).Drain(context.Background())
				if err != nil || n != 10000 {
					b.Fatalf("Drain = %d, %v", n, err)
				}
			}
			b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
