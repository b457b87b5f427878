package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
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
	version string
	expires time.Time // zero: valid for the whole version
	status  int
	header  http.Header
	body    []byte
	etag    string
}

func newPageCache(max int) *pageCache {
	return &pageCache{entries: map[string]cachedPage{}, max: max}
}

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

// serve writes a cached page, answering a matching If-None-Match with 304.
func (p cachedPage) serve(w http.ResponseWriter, r *http.Request) {
	for k, v := range p.header {
		w.Header()[k] = v
	}
	w.Header().Set("ETag", p.etag)
	if p.header.Get("Cache-Control") == "" { // a fingerprinted answer keeps its own
		w.Header().Set("Cache-Control", "no-cache")
	}
	if match := r.Header.Get("If-None-Match"); match != "" && match == p.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(p.status)
	_, _ = w.Write(p.body)
}
