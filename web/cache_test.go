package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// request sends one request with the headers given as name, value pairs.
func request(h http.Handler, method, path string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// nextSecond waits for the clock's next whole second: a Last-Modified is
// sent only once the second of the change is over.
func nextSecond() {
	now := time.Now()
	time.Sleep(now.Truncate(time.Second).Add(time.Second).Sub(now) + 10*time.Millisecond)
}

func lastModified(t *testing.T, rec *httptest.ResponseRecorder) time.Time {
	t.Helper()
	lm, err := http.ParseTime(rec.Header().Get("Last-Modified"))
	if err != nil {
		t.Fatalf("Last-Modified %q: %v", rec.Header().Get("Last-Modified"), err)
	}
	return lm
}

// decode undoes the answer's Content-Encoding.
func decode(t *testing.T, rec *httptest.ResponseRecorder) []byte {
	t.Helper()
	var r io.Reader
	switch enc := rec.Header().Get("Content-Encoding"); enc {
	case "":
		return rec.Body.Bytes()
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(rec.Body.Bytes()))
	default:
		t.Fatalf("Content-Encoding %q", enc)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", rec.Header().Get("Content-Encoding"), err)
	}
	return b
}

// TestConditionalGet checks ETag and Last-Modified, If-None-Match before
// If-Modified-Since, HEAD, and that a change gives a new ETag and a later
// Last-Modified, on both engines.
func TestConditionalGet(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		h := demoServer(t, db)
		nextSecond()
		const path = "/allianser/osloregionen/medlemmer?dato=2018-01-01"
		first := request(h, "GET", path)
		etag := first.Header().Get("ETag")
		if first.Code != 200 || etag == "" {
			t.Fatalf("first: %d, ETag %q", first.Code, etag)
		}
		lm := lastModified(t, first)
		if lm.After(time.Now()) {
			t.Errorf("Last-Modified %v is in the future", lm)
		}
		version, err := db.Version(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if want := store.VersionTime(version); !lm.Equal(want) {
			t.Errorf("Last-Modified %v, want the time of the last change %v", lm, want)
		}
		lmText := first.Header().Get("Last-Modified")
		for _, c := range []struct {
			name   string
			header []string
			status int
		}{
			{"If-None-Match", []string{"If-None-Match", etag}, 304},
			{"If-None-Match in a list, weak", []string{"If-None-Match", `"other", W/` + etag}, 304},
			{"If-None-Match *", []string{"If-None-Match", "*"}, 304},
			{"If-None-Match another", []string{"If-None-Match", `"other"`}, 200},
			{"If-Modified-Since the same", []string{"If-Modified-Since", lmText}, 304},
			{"If-Modified-Since later", []string{"If-Modified-Since", lm.Add(time.Hour).Format(http.TimeFormat)}, 304},
			{"If-Modified-Since earlier", []string{"If-Modified-Since", lm.Add(-time.Second).Format(http.TimeFormat)}, 200},
			{"If-Modified-Since malformed", []string{"If-Modified-Since", "yesterday"}, 200},
			{"If-None-Match wins", []string{"If-None-Match", `"other"`, "If-Modified-Since", lmText}, 200},
		} {
			rec := request(h, "GET", path, c.header...)
			if rec.Code != c.status {
				t.Errorf("%s: %d, want %d", c.name, rec.Code, c.status)
			}
			if c.status == 304 && (rec.Body.Len() != 0 || rec.Header().Get("ETag") == "") {
				t.Errorf("%s: 304 with %d bytes and ETag %q", c.name, rec.Body.Len(), rec.Header().Get("ETag"))
			}
		}

		head := request(h, "HEAD", path)
		if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") != strconv.Itoa(first.Body.Len()) ||
			head.Header().Get("ETag") != etag {
			t.Errorf("HEAD: %d, %d bytes, Content-Length %s (GET has %d), ETag %q", head.Code, head.Body.Len(),
				head.Header().Get("Content-Length"), first.Body.Len(), head.Header().Get("ETag"))
		}
		if rec := request(h, "HEAD", path, "If-None-Match", etag); rec.Code != 304 {
			t.Errorf("conditional HEAD: %d", rec.Code)
		}

		ctx := context.Background()
		a, _ := db.AllianceBySlug(ctx, "osloregionen")
		if _, err := db.ImportMemberships(ctx, a.ID, "ny.csv", []store.ImportRow{{Line: 2, Code: "0501", Kind: "municipality", Membership: samrad.Membership{
			From: samrad.MustDate("2017-01-01"), FromPrecision: samrad.PrecisionDay, Category: "municipality", Status: samrad.StatusConfirmed}}}, false); err != nil {
			t.Fatal(err)
		}
		// Within the second of the change no Last-Modified is sent, and
		// If-Modified-Since is not believed: the ETag tells the change.
		if rec := request(h, "GET", path, "If-None-Match", etag); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Lillehammer") {
			t.Errorf("after a change, with the old ETag: %d", rec.Code)
		}
		nextSecond()
		after := request(h, "GET", path, "If-Modified-Since", lmText)
		if after.Code != 200 || !strings.Contains(after.Body.String(), "Lillehammer") {
			t.Fatalf("after a change, If-Modified-Since the old time: %d", after.Code)
		}
		if after.Header().Get("ETag") == etag || !lastModified(t, after).After(lm) {
			t.Errorf("after a change: ETag %q (was %q), Last-Modified %v (was %v)", after.Header().Get("ETag"), etag, lastModified(t, after), lm)
		}
	})
}

// TestCompression checks gzip and Brotli against the identity body, the
// choice by q-values, Vary, and the ETag of each coding, on both engines.
func TestCompression(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		h := demoServer(t, db)
		nextSecond()
		home := request(h, "GET", "/")
		css := regexp.MustCompile(`/static/samrad\.css\?v=[0-9a-f]+`).FindString(home.Body.String())
		if css == "" {
			t.Fatal("the home page links no fingerprinted stylesheet")
		}
		for _, path := range []string{
			"/allianser/ore/medlemmer?dato=2021-01-01", // a cached page
			"/allianser/ore/arrangementer.ics",         // a calendar download
			"/oparl/v1/body/ore/organizations",         // the OParl API
			"/allianser/ore/popolo.json",               // open data
			"/sok?q=kontaktgruppen",                    // a search, not kept
			css,                                        // a static file
		} {
			plain := request(h, "GET", path)
			if plain.Code != 200 || plain.Body.Len() < 1024 {
				t.Fatalf("%s: %d with %d bytes; the test wants a page of at least 1 KiB", path, plain.Code, plain.Body.Len())
			}
			etag := plain.Header().Get("ETag")
			if plain.Header().Get("Content-Encoding") != "" || etag == "" || plain.Header().Get("Last-Modified") == "" ||
				!strings.Contains(plain.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s identity: Content-Encoding %q, ETag %q, Last-Modified %q, Vary %q", path, plain.Header().Get("Content-Encoding"),
					etag, plain.Header().Get("Last-Modified"), plain.Header().Get("Vary"))
			}
			for _, c := range []struct{ accept, coding, suffix string }{
				{"gzip", "gzip", "-gz"},
				{"br", "br", "-br"},
				{"gzip, deflate, br, zstd", "br", "-br"},
				{"br;q=0, gzip", "gzip", "-gz"},
				{"gzip;q=0.5, br;q=0.4", "gzip", "-gz"},
				{"*", "br", "-br"},
				{"*;q=0", "", ""},
				{"gzip;q=0, br;q=0", "", ""},
				{"identity", "", ""},
				{"gzip;q=2", "", ""}, // not a q-value
			} {
				rec := request(h, "GET", path, "Accept-Encoding", c.accept)
				if got := rec.Header().Get("Content-Encoding"); got != c.coding {
					t.Errorf("%s, Accept-Encoding %q: Content-Encoding %q, want %q", path, c.accept, got, c.coding)
					continue
				}
				if body := decode(t, rec); !bytes.Equal(body, plain.Body.Bytes()) {
					t.Errorf("%s, Accept-Encoding %q: decoded body differs from the identity body (%d and %d bytes)", path, c.accept, len(body), plain.Body.Len())
				}
				if c.coding != "" && rec.Body.Len() >= plain.Body.Len() {
					t.Errorf("%s %s: %d bytes, not smaller than %d", path, c.coding, rec.Body.Len(), plain.Body.Len())
				}
				if want := strings.TrimSuffix(etag, `"`) + c.suffix + `"`; rec.Header().Get("ETag") != want {
					t.Errorf("%s, Accept-Encoding %q: ETag %q, want %q", path, c.accept, rec.Header().Get("ETag"), want)
				}
				if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
					t.Errorf("%s, Accept-Encoding %q: Vary %q", path, c.accept, rec.Header().Get("Vary"))
				}
				if rec.Header().Get("Content-Length") != strconv.Itoa(rec.Body.Len()) {
					t.Errorf("%s, Accept-Encoding %q: Content-Length %s for %d bytes", path, c.accept, rec.Header().Get("Content-Length"), rec.Body.Len())
				}
				// The ETag of any coding revalidates, and the 304 names the
				// representation the client holds.
				tag := rec.Header().Get("ETag")
				for _, accept := range []string{"", "gzip", "br"} {
					nm := request(h, "GET", path, "Accept-Encoding", accept, "If-None-Match", tag)
					if nm.Code != 304 || nm.Body.Len() != 0 || nm.Header().Get("ETag") != tag {
						t.Errorf("%s, If-None-Match %s with Accept-Encoding %q: %d, %d bytes, ETag %q", path, tag, accept, nm.Code, nm.Body.Len(), nm.Header().Get("ETag"))
					}
				}
			}
			headBr := request(h, "HEAD", path, "Accept-Encoding", "br")
			if headBr.Code != 200 || headBr.Body.Len() != 0 || headBr.Header().Get("Content-Encoding") != "br" {
				t.Errorf("%s HEAD br: %d, %d bytes, Content-Encoding %q", path, headBr.Code, headBr.Body.Len(), headBr.Header().Get("Content-Encoding"))
			}
		}

		// Static files are cached for a year under their fingerprint.
		if rec := request(h, "GET", css, "Accept-Encoding", "br"); !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
			t.Errorf("%s: Cache-Control %q", css, rec.Header().Get("Cache-Control"))
		}
		if rec := request(h, "GET", "/static/nothing.css"); rec.Code != 404 {
			t.Errorf("an unknown static file: %d", rec.Code)
		}

		// Small answers are sent as they are, without Vary.
		small := request(h, "GET", "/oparl/v1/system", "Accept-Encoding", "gzip, br")
		if small.Code != 200 || small.Body.Len() >= 1024 || small.Header().Get("Content-Encoding") != "" || small.Header().Get("Vary") != "" {
			t.Errorf("a small answer: %d, %d bytes, Content-Encoding %q, Vary %q", small.Code, small.Body.Len(),
				small.Header().Get("Content-Encoding"), small.Header().Get("Vary"))
		}
		if small.Header().Get("Last-Modified") == "" {
			t.Error("an OParl answer without Last-Modified")
		}
	})
}

// BenchmarkCachedPage serves a cached page (the members of a date) from
// the page cache as the identity, gzip and Brotli: the compressed forms are
// made on the first request and kept, so each request after it costs the
// version query and the write. The compress-* cases measure making a form
// once per data version, with the settings pages use (gzip's default level,
// Brotli level 5).
func BenchmarkCachedPage(b *testing.B) {
	ctx := context.Background()
	db := testdb.Open(b, "sqlite")
	if err := demo.Load(ctx, db); err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	const path = "/allianser/ore/medlemmer?dato=2021-01-01"
	identity := request(h, "GET", path).Body.Bytes()
	for _, accept := range []string{"", "gzip", "br"} {
		name := accept
		if name == "" {
			name = "identity"
		}
		b.Run(name, func(b *testing.B) {
			first := request(h, "GET", path, "Accept-Encoding", accept)
			if first.Code != 200 || first.Header().Get("Content-Encoding") != accept {
				b.Fatalf("%d, Content-Encoding %q", first.Code, first.Header().Get("Content-Encoding"))
			}
			for b.Loop() {
				request(h, "GET", path, "Accept-Encoding", accept)
			}
			b.ReportMetric(float64(first.Body.Len()), "bytes/answer")
		})
	}
	b.Run("compress-gzip", func(b *testing.B) {
		b.SetBytes(int64(len(identity)))
		for b.Loop() {
			var out bytes.Buffer
			zw := gzip.NewWriter(&out)
			_, _ = zw.Write(identity)
			_ = zw.Close()
		}
	})
	b.Run("compress-br", func(b *testing.B) {
		b.SetBytes(int64(len(identity)))
		for b.Loop() {
			var out bytes.Buffer
			zw := brotli.NewWriterLevel(&out, 5)
			_, _ = zw.Write(identity)
			_ = zw.Close()
		}
	})
}
