package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// pageCache keeps rendered public pages keyed by language and request URI,
// each valid for one data version (store.DB.Version). A page is served from
// it only while the version is unchanged, so it never shows stale data, and
// losing it costs only rendering time. Its size is bounded.
type pageCache struct {
	mu      sync.Mutex
	entries map[string]cachedPage
	max     int
}

type cachedPage struct {
	version  string
	expires  time.Time // zero: valid for the whole version
	status   int
	header   http.Header
	body     []byte
	etag     string
	modified time.Time // Last-Modified
	enc      *variants // the compressed forms of body
}

func newPageCache(max int) *pageCache {
	return &pageCache{entries: map[string]cachedPage{}, max: max}
}

// get returns the page kept under key for version. When there is none, the
// page it returns may be one of the same version gone stale at its expiry
// (or the zero page), which newPage uses for Last-Modified.
func (c *pageCache) get(key, version string) (cachedPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.entries[key]
	return p, ok && p.version == version && (p.expires.IsZero() || time.Now().Before(p.expires))
}

func (c *pageCache) put(key string, p cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		for k := range c.entries { // drop an arbitrary half: cheap and good enough
			delete(c.entries, k)
			if len(c.entries) < c.max/2 {
				break
			}
		}
	}
	c.entries[key] = p
}

// recorder captures a response so that it can be cached.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

func etagFor(version, key string) string {
	h := sha256.Sum256([]byte(version + "\x00" + key))
	return `"` + hex.EncodeToString(h[:12]) + `"`
}

// newPage makes a recorded answer to key a page of version. A page that
// shows scheduled content is valid only until the next publish time the
// handler noted (until), though no data changes. It was last modified when
// the version was made, or at the start of the day (pages without a date
// show today's), or when the stale page before it expired, whichever is
// latest; start is the fallback for a database never changed.
func newPage(key, version string, until time.Time, rec *recorder, stale cachedPage, start time.Time) cachedPage {
	p := cachedPage{version: version, expires: until, status: rec.status, header: rec.header, body: rec.body.Bytes(),
		etag: etagFor(version, key), enc: &variants{}}
	if !until.IsZero() {
		p.etag = etagFor(version+" "+until.UTC().Format(time.RFC3339), key)
	}
	if p.status == 0 {
		p.status = http.StatusOK
	}
	p.modified = store.VersionTime(version)
	if p.modified.IsZero() {
		p.modified = start
	}
	if day := samrad.Today().Time(); day.After(p.modified) {
		p.modified = day
	}
	if stale.version == version && !stale.expires.IsZero() && stale.expires.After(p.modified) && !stale.expires.After(time.Now()) {
		p.modified = stale.expires
	}
	return p
}

// serve writes a cached page: compressed as the client asks when that is
// worthwhile, and, for a 200, with its ETag and Last-Modified, answering a
// matching If-None-Match or, without one, an If-Modified-Since no earlier
// than Last-Modified with 304 (RFC 9110 13.2.2). An answer with its own
// validators (an ETag the handler set) or marked no-store is written as the
// handler made it. HEAD gets the headers of GET and no body.
func (p cachedPage) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	head := r.Method == http.MethodHead
	if p.header.Get("ETag") != "" || strings.Contains(p.header.Get("Cache-Control"), "no-store") {
		w.WriteHeader(p.status)
		if !head {
			_, _ = w.Write(p.body)
		}
		return
	}
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	coding := ""
	if compressible(p.header, len(p.body)) && p.enc != nil {
		h.Add("Vary", "Accept-Encoding")
		coding = negotiate(r.Header.Get("Accept-Encoding"))
	}
	body := p.body
	if coding != "" {
		body, coding = p.enc.of(p.body, coding)
	}
	if p.status == http.StatusOK {
		h.Set("ETag", withSuffix(p.etag, etagSuffix[coding]))
		if p.lastModified() {
			h.Set("Last-Modified", p.modified.UTC().Format(http.TimeFormat))
		}
		if tag, ok := p.notModified(r); ok {
			if tag != "" {
				h.Set("ETag", tag)
			}
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if coding != "" {
		h.Set("Content-Encoding", coding)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(p.status)
	if !head {
		_, _ = w.Write(body)
	}
}

// notModified evaluates the request's conditions (GET and HEAD only). An
// If-None-Match entity tag matches the page's tag in any of its codings,
// compared weakly, and the matching tag is returned so that the client's
// stored representation is the one the 304 refreshes.
func (p cachedPage) notModified(r *http.Request) (string, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return "", false
	}
	if inm := r.Header.Values("If-None-Match"); len(inm) > 0 {
		for _, line := range inm {
			for _, tag := range strings.Split(line, ",") {
				tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
				if tag == "*" {
					return "", true
				}
				for _, suffix := range []string{"", etagSuffix[codingGzip], etagSuffix[codingBrotli]} {
					if tag == withSuffix(p.etag, suffix) {
						return tag, true
					}
				}
			}
		}
		return "", false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && p.lastModified() {
		t, err := http.ParseTime(ims)
		return "", err == nil && !p.modified.Truncate(time.Second).After(t)
	}
	return "", false
}

// lastModified reports whether the page's modification time may be sent
// and compared: not during the second it happened in, as a later change in
// the same second would have the same Last-Modified (RFC 9110 8.8.2.2).
// The ETag tells such changes apart.
func (p cachedPage) lastModified() bool {
	return !p.modified.IsZero() && time.Now().Truncate(time.Second).After(p.modified)
}

// withSuffix puts suffix inside the quotes of an entity tag.
func withSuffix(etag, suffix string) string {
	if suffix == "" || len(etag) < 2 {
		return etag
	}
	return etag[:len(etag)-1] + suffix + `"`
}
