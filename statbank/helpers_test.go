package statbank

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// apiPath is where the test server puts the API, as on data.ssb.no.
const apiPath = "/api/pxwebapi/v2"

// fetchTime is what the test clients' clock says.
var fetchTime = time.Date(2025, 3, 3, 6, 0, 0, 0, time.UTC)

// received is one request as the test server got it.
type received struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
}

// reply is one answer of the test server.
type reply struct {
	status  int
	header  map[string]string
	body    []byte
	hangUp  bool // close the connection without an answer
	chunked bool // send the body without Content-Length
	block   bool // wait until the client gives up
}

// fakeSSB serves its replies in order, the last one again and again, and
// records every request.
type fakeSSB struct {
	mu      sync.Mutex
	replies []reply
	reqs    []received
	started chan struct{} // gets a value when a blocking reply starts
}

func (f *fakeSSB) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	n := len(f.reqs)
	f.reqs = append(f.reqs, received{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
	rep := f.replies[min(n, len(f.replies)-1)]
	f.mu.Unlock()
	switch {
	case rep.hangUp:
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	case rep.block:
		f.started <- struct{}{}
		<-r.Context().Done()
		return
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	}
	status := rep.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	if rep.chunked && len(rep.body) > 1 {
		w.Write(rep.body[:1])
		w.(http.Flusher).Flush()
		w.Write(rep.body[1:])
		return
	}
	w.Write(rep.body)
}

func (f *fakeSSB) requests() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]received(nil), f.reqs...)
}

// serve starts a server answering with replies and a client for it whose
// waits are recorded instead of slept.
func serve(t testing.TB, replies ...reply) (*Client, *fakeSSB, *[]time.Duration) {
	t.Helper()
	f := &fakeSSB{replies: replies, started: make(chan struct{}, 1)}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c := New(srv.URL + apiPath)
	c.HTTP = srv.Client()
	c.Now = func() time.Time { return fetchTime }
	var mu sync.Mutex
	waits := &[]time.Duration{}
	c.Sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		*waits = append(*waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	return c, f, waits
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// kommSummerQuery asks for today's Oslo and Asker summed back in time.
func kommSummerQuery() Query {
	return Query{
		Table: "07459",
		Selections: []Selection{
			{Variable: "Region", Codelist: "agg_KommSummer", OutputValues: Aggregated, Codes: []string{"K-0301", "K-3203"}},
			{Variable: "ContentsCode", Codes: []string{"Personer1"}},
			{Variable: "Tid", Codes: []string{"top(1)"}},
		},
	}
}
