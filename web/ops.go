package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/samrad/samrad/metrics"
)

// This file holds what an operator needs of the server: liveness and
// readiness, metrics, and serving with a graceful shutdown.

// ops is the operational state of a Server.
type ops struct {
	draining atomic.Bool // shutdown has begun: not ready

	metrics      *metrics.Registry
	metricsToken string
	routeStats   map[string]*routeStats // mux pattern → its route's figures
	otherStats   *routeStats            // requests no pattern matched
	inFlight     *metrics.Gauge
}

// readyTimeout bounds the database check of /readyz.
const readyTimeout = 2 * time.Second

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	plain(w, http.StatusOK, "ok")
}

// handleReadyz answers 200 when the instance should get traffic: the
// database answers in time and its schema is at this binary's latest
// migration (or newer, during a rolling upgrade), and shutdown has not
// begun. Otherwise 503 with the reason.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	if s.ops.draining.Load() {
		plain(w, http.StatusServiceUnavailable, "shutting down")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.log.Warn("not ready", "err", err)
		plain(w, http.StatusServiceUnavailable, fmt.Sprintf("database: no answer within %s", readyTimeout))
		return
	}
	sch, err := s.db.Schema(ctx)
	if err != nil {
		s.log.Warn("not ready", "err", err)
		plain(w, http.StatusServiceUnavailable, "database: schema version unreadable")
		return
	}
	if !sch.Current() {
		plain(w, http.StatusServiceUnavailable, fmt.Sprintf("database: schema at migration %d, this binary needs %d", sch.Version, sch.Latest))
		return
	}
	plain(w, http.StatusOK, "ok")
}

func plain(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintln(w, text)
}

// SetMetrics turns on the request metrics, registered in reg, and serves
// reg at /metrics to loopback clients that are not proxied, and to any
// client that sends "Authorization: Bearer token" when token is not
// empty. Call it before Handler.
func (s *Server) SetMetrics(reg *metrics.Registry, token string) {
	s.ops.metrics = reg
	s.ops.metricsToken = token
	requests := reg.Counter("samrad_http_requests_total", "HTTP requests answered, by route name and status class.", "route", "code")
	latency := reg.Histogram("samrad_http_request_duration_seconds", "Time to answer an HTTP request, by route name.", metrics.DefaultBuckets, "route")
	s.ops.inFlight = reg.Gauge("samrad_http_requests_in_flight", "HTTP requests being answered.")
	stats := func(name string) *routeStats {
		rs := &routeStats{latency: latency.With(name)}
		for i, class := range statusClasses {
			rs.byClass[i] = requests.With(name, class)
		}
		return rs
	}
	// Each mux pattern is labelled with its route's name, the same in both
	// languages, so the label set is as small as the route table.
	byName := map[string]*routeStats{}
	s.ops.routeStats = map[string]*routeStats{}
	for _, rt := range s.registered {
		pattern := rt.Method + " " + rt.Pattern
		if rt.Method == http.MethodGet && strings.HasSuffix(rt.Pattern, "/") {
			pattern += "{$}"
		}
		if byName[rt.Name] == nil {
			byName[rt.Name] = stats(rt.Name)
		}
		s.ops.routeStats[pattern] = byName[rt.Name]
	}
	for pattern, name := range opsPatterns {
		s.ops.routeStats[pattern] = stats(name)
	}
	s.ops.otherStats = stats("other")
}

// opsPatterns are the mux patterns outside the route table, by name.
var opsPatterns = map[string]string{
	"GET /static/": "static",
	"GET /healthz": "healthz",
	"GET /readyz":  "readyz",
	"GET /metrics": "metrics",
	"/en/":         "not_found",
	"/":            "not_found",
}

var statusClasses = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

// routeStats are one route's request counters (per status class) and
// latency histogram, looked up once so that a request only adds.
type routeStats struct {
	byClass [len(statusClasses)]*metrics.Counter
	latency *metrics.Histogram
}

// measure counts requests and their latency by route name. The route is
// known once the mux has matched the request (Request.Pattern).
func (s *Server) measure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.ops.inFlight.Add(1)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			s.ops.inFlight.Add(-1)
			rs := s.ops.routeStats[r.Pattern]
			if rs == nil {
				rs = s.ops.otherStats
			}
			class := sw.status/100 - 1
			if class < 0 || class >= len(statusClasses) {
				class = len(statusClasses) - 1
			}
			rs.byClass[class].Inc()
			rs.latency.Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(sw, r)
	})
}

// handleMetrics writes the registry, to those allowed to read it; to
// anyone else /metrics does not exist.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if s.ops.metrics == nil || !s.metricsAllowed(r) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", metrics.ContentType)
	w.Header().Set("Cache-Control", "no-store")
	if err := s.ops.metrics.Write(r.Context(), w); err != nil {
		s.log.Warn("metrics: some left out", "err", err)
	}
}

func (s *Server) metricsAllowed(r *http.Request) bool {
	if tok := s.ops.metricsToken; tok != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if ok && subtle.ConstantTimeCompare([]byte(got), []byte(tok)) == 1 {
			return true
		}
	}
	// A request relayed by a proxy on this host comes from loopback too;
	// the proxy's headers tell it from a local scraper.
	for _, h := range []string{"X-Forwarded-For", "X-Real-Ip", "Forwarded"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Shutdown bounds a graceful shutdown.
type Shutdown struct {
	// Delay is how long the listener stays open after readiness turns to
	// 503, for load balancers that poll /readyz to stop sending traffic.
	Delay time.Duration
	// Timeout bounds how long requests under way may take to finish.
	Timeout time.Duration
}

// DefaultShutdownTimeout is Shutdown.Timeout when it is zero.
const DefaultShutdownTimeout = 15 * time.Second

// Draining reports whether shutdown has begun.
func (s *Server) Draining() bool { return s.ops.draining.Load() }

// ListenAndServe serves h on addr until ctx ends; see Serve.
func (s *Server) ListenAndServe(ctx context.Context, addr string, h http.Handler, sd Shutdown) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln, h, sd)
}

// Serve serves h on ln until ctx ends, then shuts down in order: /readyz
// answers 503, after sd.Delay the listener closes, and requests under way
// get sd.Timeout to finish. It returns nil when every request finished.
func (s *Server) Serve(ctx context.Context, ln net.Listener, h http.Handler, sd Shutdown) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 16,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving", "addr", "http://"+ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.ops.draining.Store(true)
	s.log.Info("shutting down: not ready", "delay", sd.Delay.String())
	if sd.Delay > 0 {
		time.Sleep(sd.Delay)
	}
	timeout := sd.Timeout
	if timeout <= 0 {
		timeout = DefaultShutdownTimeout
	}
	shutdown, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := srv.Shutdown(shutdown)
	if errors.Is(err, context.DeadlineExceeded) {
		srv.Close()
		return fmt.Errorf("shutdown: requests still under way after %s were cut off", timeout)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	s.log.Info("requests finished")
	return nil
}
