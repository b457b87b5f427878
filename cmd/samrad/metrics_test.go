package main

import (
	"context"
	"strings"
	"testing"

	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/metrics"
	"github.com/samrad/samrad/outbox"
	"github.com/samrad/samrad/store"
)

func TestServerMetrics(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := newMetrics(db)
		msgs := make([]store.OutboxMessage, 3)
		for i := range msgs {
			msgs[i] = store.OutboxMessage{Kind: "reminder", RefID: 1, From: "post@example.no", To: "n@example.no", Data: []byte("Subject: x\r\n\r\nx\r\n")}
		}
		if err := db.Enqueue(ctx, msgs...); err != nil {
			t.Fatal(err)
		}
		m.email("reminder", outbox.Sent)
		m.email("reminder", outbox.Sent)
		m.email("newsletter_issue", outbox.Retried)
		var b strings.Builder
		if err := m.Write(ctx, &b); err != nil {
			t.Fatal(err)
		}
		samples, types, err := metrics.Parse(strings.NewReader(b.String()))
		if err != nil {
			t.Fatalf("%v\n%s", err, b.String())
		}
		check := func(want float64, name string, labels ...string) {
			t.Helper()
			if got, ok := metrics.Find(samples, name, labels...); !ok || got != want {
				t.Errorf("%s%v = %v (present %v), want %v\n%s", name, labels, got, ok, want, b.String())
			}
		}
		check(3, "samrad_outbox_queued")
		check(2, "samrad_emails_total", "kind", "reminder", "result", "sent")
		check(1, "samrad_emails_total", "kind", "newsletter_issue", "result", "retried")
		check(float64(db.SQL().Stats().MaxOpenConnections), "samrad_db_connections_max")
		for _, name := range []string{"samrad_db_wait_total", "samrad_db_wait_seconds_total", "samrad_db_closed_total"} {
			if types[name] != "counter" {
				t.Errorf("%s is %q", name, types[name])
			}
		}
		var build, start bool
		for _, s := range samples {
			build = build || s.Name == "samrad_build_info" && s.Value == 1 && strings.HasPrefix(s.Labels["goversion"], "go")
			start = start || s.Name == "process_start_time_seconds" && s.Value > 1.7e9
		}
		if !build || !start {
			t.Errorf("build info %v, start time %v:\n%s", build, start, b.String())
		}
	})
}
