package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/metrics"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

func newServer(t testing.TB, db *store.DB) *web.Server {
	t.Helper()
	srv, err := web.New(db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// get answers one request in process, from the client address.
func get(h http.Handler, path, remote string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", path, nil)
	r.RemoteAddr = remote
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

const loopback = "127.0.0.1:40000"

func TestReadyzChecksTheDatabaseAndItsSchema(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		h := newServer(t, db).Handler()
		if w := get(h, "/readyz", loopback); w.Code != 200 || w.Body.String() != "ok\n" {
			t.Fatalf("ready database: %d %q", w.Code, w.Body)
		}
		sch, err := db.Schema(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		// As if the database were restored from before the last migration.
		if _, err := db.SQL().Exec(`DELETE FROM schema_migrations WHERE version = $1`, sch.Latest); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("database: schema at migration %d, this binary needs %d\n", sch.Latest-1, sch.Latest)
		if w := get(h, "/readyz", loopback); w.Code != 503 || w.Body.String() != want {
			t.Fatalf("schema behind: %d %q, want 503 %q", w.Code, w.Body, want)
		}
		db.Close()
		if w := get(h, "/readyz", loopback); w.Code != 503 || !strings.HasPrefix(w.Body.String(), "database: no answer") {
			t.Fatalf("closed database: %d %q", w.Code, w.Body)
		}
		// Liveness does not depend on the database.
		if w := get(h, "/healthz", loopback); w.Code != 200 {
			t.Fatalf("healthz: %d", w.Code)
		}
	})
}

func TestMetricsCountRequestsByRouteName(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		reg := metrics.New()
		srv.SetMetrics(reg, "")
		h := srv.Handler()
		paths := map[string]int{"/": 200, "/en/": 200, "/organisasjoner": 200, "/en/organisations": 200, "/organisasjoner/9999": 404, "/finnes-ikke": 404}
		for p, status := range paths {
			for range 2 {
				if w := get(h, p, "198.51.100.7:5000"); w.Code != status {
					t.Fatalf("GET %s = %d, want %d", p, w.Code, status)
				}
			}
		}
		w := get(h, "/metrics", loopback)
		if w.Code != 200 || w.Header().Get("Content-Type") != metrics.ContentType {
			t.Fatalf("/metrics = %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		samples, types, err := metrics.Parse(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		check := func(want float64, name string, labels ...string) {
			t.Helper()
			if got, ok := metrics.Find(samples, name, labels...); !ok || got != want {
				t.Errorf("%s%v = %v (present %v), want %v", name, labels, got, ok, want)
			}
		}
		// Both languages count under one route name.
		check(4, "samrad_http_requests_total", "route", "home", "code", "2xx")
		check(4, "samrad_http_requests_total", "route", "orgs", "code", "2xx")
		check(2, "samrad_http_requests_total", "route", "org", "code", "4xx")
		check(2, "samrad_http_requests_total", "route", "not_found", "code", "4xx")
		check(4, "samrad_http_request_duration_seconds_count", "route", "home")
		check(4, "samrad_http_request_duration_seconds_bucket", "route", "home", "le", "+Inf")
		check(1, "samrad_http_requests_in_flight") // the scrape itself
		if types["samrad_http_request_duration_seconds"] != "histogram" {
			t.Errorf("types: %v", types)
		}
		// Raw paths never become labels.
		for _, s := range samples {
			if strings.Contains(s.Labels["route"], "/") {
				t.Errorf("a path as a label: %v", s)
			}
		}
		// The counters move between scrapes.
		get(h, "/", "198.51.100.7:5000")
		samples, _, err = metrics.Parse(get(h, "/metrics", loopback).Body)
		if err != nil {
			t.Fatal(err)
		}
		check(5, "samrad_http_requests_total", "route", "home", "code", "2xx")
		check(1, "samrad_http_requests_total", "route", "metrics", "code", "2xx")
	})
}

func TestMetricsOnlyForLoopbackOrTheToken(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	off := newServer(t, db).Handler()
	if w := get(off, "/metrics", loopback); w.Code != 404 {
		t.Errorf("metrics not set up: %d", w.Code)
	}
	open := newServer(t, db)
	open.SetMetrics(metrics.New(), "")
	withToken := newServer(t, db)
	withToken.SetMetrics(metrics.New(), "s3cret-token-for-scraping")
	for _, c := range []struct {
		name   string
		h      http.Handler
		remote string
		header []string
		status int
	}{
		{"loopback", open.Handler(), loopback, nil, 200},
		{"loopback v6", open.Handler(), "[::1]:40000", nil, 200},
		{"remote", open.Handler(), "203.0.113.9:4000", nil, 404},
		{"through a local proxy", open.Handler(), loopback, []string{"X-Forwarded-For", "203.0.113.9"}, 404},
		{"through a local proxy (Forwarded)", open.Handler(), loopback, []string{"Forwarded", "for=203.0.113.9"}, 404},
		{"remote with the token", withToken.Handler(), "203.0.113.9:4000", []string{"Authorization", "Bearer s3cret-token-for-scraping"}, 200},
		{"proxied with the token", withToken.Handler(), loopback, []string{"Authorization", "Bearer s3cret-token-for-scraping", "X-Forwarded-For", "203.0.113.9"}, 200},
		{"remote with a wrong token", withToken.Handler(), "203.0.113.9:4000", []string{"Authorization", "Bearer s3cret-token-for-scrapinG"}, 404},
		{"remote without a token", withToken.Handler(), "203.0.113.9:4000", nil, 404},
		{"loopback without a token", withToken.Handler(), loopback, nil, 200},
	} {
		if w := get(c.h, "/metrics", c.remote, c.header...); w.Code != c.status {
			t.Errorf("%s: %d, want %d", c.name, w.Code, c.status)
		}
	}
}

// TestGracefulShutdown begins a slow request, ends the server's context
// and sees readiness fail at once, new connections refused, and the slow
// request answered in full.
func TestGracefulShutdown(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	srv := newServer(t, db)
	started, release := make(chan struct{}), make(chan struct{})
	mux := http.NewServeMux()
	mux.Handle("/", srv.Handler())
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		fmt.Fprint(w, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln, mux, web.Shutdown{Timeout: time.Minute}) }()

	if w := get(mux, "/readyz", loopback); w.Code != 200 {
		t.Fatalf("readyz before shutdown: %d", w.Code)
	}
	type answer struct {
		status int
		body   string
		err    error
	}
	slow := make(chan answer, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			slow <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		slow <- answer{resp.StatusCode, string(b), err}
	}()
	<-started
	stop() // as SIGTERM does
	for !srv.Draining() {
		time.Sleep(time.Millisecond)
	}
	if w := get(mux, "/readyz", loopback); w.Code != 503 || w.Body.String() != "shutting down\n" {
		t.Fatalf("readyz during shutdown: %d %q", w.Code, w.Body)
	}
	// The listener closes while the slow request is still under way.
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close() // accepted just before the listener closed
		time.Sleep(time.Millisecond)
	}
	select {
	case a := <-slow:
		t.Fatalf("the slow request ended before it was released: %+v", a)
	case err := <-served:
		t.Fatalf("Serve returned with a request under way: %v", err)
	default:
	}
	close(release)
	if a := <-slow; a.err != nil || a.status != 200 || a.body != "finished" {
		t.Fatalf("slow request: %+v", a)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

// TestShutdownTimeoutCutsOffRequests checks the bound: a request that does
// not finish in time is cut off and Serve says so.
func TestShutdownTimeoutCutsOffRequests(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	srv := newServer(t, db)
	started, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln, h, web.Shutdown{Timeout: 50 * time.Millisecond}) }()
	go http.Get("http://" + ln.Addr().String() + "/")
	<-started
	stop()
	if err := <-served; err == nil || !strings.Contains(err.Error(), "cut off") {
		t.Fatalf("Serve = %v, want the requests cut off", err)
	}
}

// BenchmarkMeasure answers /healthz without and with the request metrics;
// the difference is the metrics' cost per request.
func BenchmarkMeasure(b *testing.B) {
	db := testdb.Open(b, "sqlite")
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("metrics=%v", on), func(b *testing.B) {
			srv := newServer(b, db)
			if on {
				srv.SetMetrics(metrics.New(), "")
			}
			h := srv.Handler()
			r := httptest.NewRequest("GET", "/healthz", nil)
			w := &discard{header: http.Header{}}
			for b.Loop() {
				clear(w.header)
				h.ServeHTTP(w, r)
			}
		})
	}
}

// BenchmarkScrape writes the metrics after requests to every route.
func BenchmarkScrape(b *testing.B) {
	db := testdb.Open(b, "sqlite")
	srv := newServer(b, db)
	srv.SetMetrics(metrics.New(), "")
	h := srv.Handler()
	for _, rt := range srv.Routes() {
		if rt.Method == "GET" && !strings.Contains(rt.Pattern, "{") {
			get(h, rt.Pattern, loopback)
		}
	}
	var size int
	for b.Loop() {
		w := get(h, "/metrics", loopback)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
		size = w.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes")
}

type discard struct{ header http.Header }

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}
