package metrics_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/samrad/samrad/metrics"
)

func scrape(t *testing.T, r *metrics.Registry) (string, []metrics.Scraped, map[string]string) {
	t.Helper()
	var b strings.Builder
	if err := r.Write(context.Background(), &b); err != nil {
		t.Fatalf("Write: %v", err)
	}
	samples, types, err := metrics.Parse(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, b.String())
	}
	return b.String(), samples, types
}

func TestCountersGaugesHistogramsWriteAndParse(t *testing.T) {
	r := metrics.New()
	req := r.Counter("http_requests_total", "Requests answered.", "route", "code")
	lat := r.Histogram("http_request_duration_seconds", "Time to answer.", []float64{0.1, 0.5, 1}, "route")
	inflight := r.Gauge("http_in_flight", "Requests being answered.")
	queued := 7.0
	r.GaugeFunc("outbox_queued", "Queued messages.", func(context.Context) (float64, error) { return queued, nil })
	r.GaugeFuncVec("db_connections", "Connections by state.", []string{"state"}, func(context.Context) ([]metrics.Sample, error) {
		return []metrics.Sample{{Labels: []string{"idle"}, Value: 2}, {Labels: []string{"in_use"}, Value: 1}}, nil
	})

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				req.With("home", "2xx").Inc()
			}
		})
	}
	wg.Wait()
	req.With(`we"ird\`+"\n", "5xx").Add(2)
	for _, x := range []float64{0.05, 0.1, 0.3, 0.7, 3} {
		lat.With("home").Observe(x)
	}
	inflight.Add(3)
	inflight.Add(-1)

	text, samples, types := scrape(t, r)
	for name, want := range map[string]string{"http_requests_total": "counter", "http_request_duration_seconds": "histogram", "http_in_flight": "gauge", "outbox_queued": "gauge"} {
		if types[name] != want {
			t.Errorf("type of %s = %q, want %q", name, types[name], want)
		}
	}
	check := func(want float64, name string, labels ...string) {
		t.Helper()
		got, ok := metrics.Find(samples, name, labels...)
		if !ok || got != want {
			t.Errorf("%s%v = %v (present %v), want %v\n%s", name, labels, got, ok, want, text)
		}
	}
	check(800, "http_requests_total", "route", "home", "code", "2xx")
	check(2, "http_requests_total", "route", `we"ird\`+"\n", "code", "5xx")
	check(2, "http_request_duration_seconds_bucket", "route", "home", "le", "0.1") // 0.1 is in the bucket ≤ 0.1
	check(3, "http_request_duration_seconds_bucket", "route", "home", "le", "0.5")
	check(4, "http_request_duration_seconds_bucket", "route", "home", "le", "1")
	check(5, "http_request_duration_seconds_bucket", "route", "home", "le", "+Inf")
	check(5, "http_request_duration_seconds_count", "route", "home")
	check(0.05+0.1+0.3+0.7+3, "http_request_duration_seconds_sum", "route", "home")
	check(2, "http_in_flight")
	check(7, "outbox_queued")
	check(2, "db_connections", "state", "idle")
	// Families come sorted by name, so two scrapes compare line by line.
	if i, j := strings.Index(text, "# HELP db_connections"), strings.Index(text, "# HELP outbox_queued"); i < 0 || j < 0 || i > j {
		t.Errorf("families not in name order:\n%s", text)
	}
}

func TestFailingGaugeIsLeftOutAndReported(t *testing.T) {
	r := metrics.New()
	r.GaugeFunc("broken", "Fails.", func(context.Context) (float64, error) { return 0, errors.New("database gone") })
	r.Gauge("fine", "Works.").Set(1)
	var b strings.Builder
	err := r.Write(context.Background(), &b)
	if err == nil || !strings.Contains(err.Error(), "broken: database gone") {
		t.Fatalf("Write error = %v", err)
	}
	samples, _, perr := metrics.Parse(strings.NewReader(b.String()))
	if perr != nil {
		t.Fatal(perr)
	}
	if _, ok := metrics.Find(samples, "broken"); ok {
		t.Error("a failed gauge has a sample")
	}
	if v, ok := metrics.Find(samples, "fine"); !ok || v != 1 {
		t.Errorf("fine = %v %v", v, ok)
	}
}

func TestParseRejectsMalformedText(t *testing.T) {
	head := "# HELP a A.\n# TYPE a counter\n"
	for name, text := range map[string]string{
		"no type":          "a 1\n",
		"bad value":        head + "a one\n",
		"unclosed labels":  head + `a{x="1" 1` + "\n",
		"unquoted label":   head + "a{x=1} 1\n",
		"repeated series":  head + "a 1\na 2\n",
		"negative counter": head + "a -1\n",
		"timestamp":        head + "a 1 1700000000\n",
		"bad name":         "# HELP 1a A.\n",
		"bad escape":       head + `a{x="\t"} 1` + "\n",
	} {
		if _, _, err := metrics.Parse(strings.NewReader(text)); err == nil {
			t.Errorf("%s: parsed %q", name, text)
		}
	}
}

func TestRegisteringANameTwicePanics(t *testing.T) {
	r := metrics.New()
	r.Gauge("x", "X.")
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	r.Counter("x", "X again.")
}

func BenchmarkCounterAndHistogram(b *testing.B) {
	r := metrics.New()
	c := r.Counter("c", "C.", "route", "code")
	h := r.Histogram("h", "H.", metrics.DefaultBuckets, "route")
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.With("members", "2xx").Inc()
			h.With("members").Observe(0.012)
		}
	})
}

func TestSeriesMadeAheadAppearAtFirstUse(t *testing.T) {
	r := metrics.New()
	c := r.Counter("c_total", "C.", "route")
	h := r.Histogram("h_seconds", "H.", []float64{1}, "route")
	unused, used := c.With("unused"), c.With("used")
	h.With("unused")
	used.Inc()
	h.With("used").Observe(2)
	_ = unused
	_, samples, _ := scrape(t, r)
	for _, s := range samples {
		if s.Labels["route"] == "unused" {
			t.Errorf("unused series written: %+v", s)
		}
	}
	if v, ok := metrics.Find(samples, "c_total", "route", "used"); !ok || v != 1 {
		t.Errorf("used counter = %v %v", v, ok)
	}
	if v, ok := metrics.Find(samples, "h_seconds_bucket", "route", "used", "le", "+Inf"); !ok || v != 1 {
		t.Errorf("used histogram = %v %v", v, ok)
	}
}
