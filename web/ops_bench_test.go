package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/samrad/samrad/metrics"
)

// BenchmarkMeasureOverhead is the request metrics' own cost: a handler
// that does nothing, bare and inside the middleware.
func BenchmarkMeasureOverhead(b *testing.B) {
	noop := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	s := &Server{registered: []Route{{Name: "members", Method: "GET", Pattern: "/allianser/{slug}/medlemmer"}}}
	s.SetMetrics(metrics.New(), "")
	r := httptest.NewRequest("GET", "/allianser/ore/medlemmer", nil)
	r.Pattern = "GET /allianser/{slug}/medlemmer"
	w := httptest.NewRecorder()
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"bare", noop}, {"measured", s.measure(noop)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.h.ServeHTTP(w, r)
			}
		})
	}
	if got := s.ops.routeStats[r.Pattern].byClass[1].Value(); got == 0 {
		b.Fatal("the requests were not counted under their route")
	}
}
