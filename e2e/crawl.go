package e2e

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"

	"golang.org/x/net/html"
)

// Fetched is one address the crawler asked for and what it answered.
type Fetched struct {
	URL    string // path and query, without the host
	From   string // the first page that links here ("" for a seed)
	Status int
	HTML   bool // the answer is text/html
	Size   int  // bytes of the body read
}

// Crawler visits a site from its seeds, following every same-origin link
// (<a href>, redirects, and the <loc> and alternate addresses of a sitemap)
// and reading only HTML answers for more links. It makes GET requests
// only, so it changes nothing that a GET does not.
type Crawler struct {
	Client *http.Client // must not follow redirects; see NoRedirects
	Base   string       // scheme and host of the site, as http://127.0.0.1:1234
	// Skip leaves out an address before it is requested: downloads, an API.
	Skip func(u *url.URL) bool
	// Limit bounds the number of addresses requested; past it the crawl
	// fails, so that a site that grows without end is noticed.
	Limit int
	// Parallel is the number of requests at once (1 if not set).
	Parallel int
}

// NoRedirects is a CheckRedirect for Crawler.Client: the crawler follows a
// redirect as one more link, so that the answer of each address is seen.
func NoRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// DownloadSuffixes are the endings of addresses that answer with a file
// for download rather than a page.
var DownloadSuffixes = []string{".csv", ".xlsx", ".ics", ".atom", ".json", ".pdf", ".xml", ".txt"}

// IsDownload tells whether an address path ends as a download does.
func IsDownload(p string) bool {
	for _, s := range DownloadSuffixes {
		if strings.HasSuffix(p, s) {
			return true
		}
	}
	return false
}

// Crawl visits the site from seeds (paths, or sitemap addresses ending in
// .xml, which are read for their addresses) and returns every address it
// requested, by path and query.
func (c *Crawler) Crawl(ctx context.Context, seeds ...string) (map[string]*Fetched, error) {
	base, err := url.Parse(c.Base)
	if err != nil {
		return nil, err
	}
	limit := c.Limit
	if limit <= 0 {
		limit = 10000
	}
	par := max(c.Parallel, 1)
	var (
		mu      sync.Mutex
		seen    = map[string]*Fetched{}
		queue   []string
		firstEr error
	)
	// enqueue notes an address found on page from; the caller holds mu.
	enqueue := func(raw, from string, pageURL *url.URL) {
		u, err := pageURL.Parse(strings.TrimSpace(raw))
		if err != nil || u.Host != base.Host || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		u.Fragment, u.RawFragment = "", ""
		if c.Skip != nil && c.Skip(u) {
			return
		}
		key := u.RequestURI()
		if _, ok := seen[key]; ok {
			return
		}
		if len(seen) >= limit {
			if firstEr == nil {
				firstEr = fmt.Errorf("crawl: more than %d addresses (the last found %s on %s)", limit, key, from)
			}
			return
		}
		seen[key] = &Fetched{URL: key, From: from}
		queue = append(queue, key)
	}
	mu.Lock()
	for _, s := range seeds {
		enqueue(s, "", base)
	}
	mu.Unlock()

	var wg sync.WaitGroup
	work := make(chan string)
	results := make(chan struct {
		f     *Fetched
		links []string
		err   error
	})
	for range par {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for key := range work {
				f, links, err := c.fetch(ctx, base, key)
				results <- struct {
					f     *Fetched
					links []string
					err   error
				}{f, links, err}
			}
		}()
	}
	busy := 0
	for {
		mu.Lock()
		if firstEr != nil && busy == 0 {
			mu.Unlock()
			break
		}
		var next string
		var send chan string
		if len(queue) > 0 && firstEr == nil {
			next, send = queue[0], work
		}
		if send == nil && busy == 0 {
			mu.Unlock()
			break
		}
		mu.Unlock()
		select {
		case send <- next:
			mu.Lock()
			queue = queue[1:]
			busy++
			mu.Unlock()
		case r := <-results:
			mu.Lock()
			busy--
			if r.err != nil {
				if firstEr == nil {
					firstEr = r.err
				}
			} else {
				got := seen[r.f.URL]
				got.Status, got.HTML, got.Size = r.f.Status, r.f.HTML, r.f.Size
				pageURL, _ := base.Parse(r.f.URL)
				for _, l := range r.links {
					enqueue(l, r.f.URL, pageURL)
				}
			}
			mu.Unlock()
		case <-ctx.Done():
			close(work)
			go func() { wg.Wait(); close(results) }()
			for range results {
			}
			return seen, ctx.Err()
		}
	}
	close(work)
	wg.Wait()
	return seen, firstEr
}

// fetch requests one address and returns its answer and the links in it.
func (c *Crawler) fetch(ctx context.Context, base *url.URL, key string) (*Fetched, []string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.Scheme+"://"+base.Host+key, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := c.Client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("crawl %s: %w", key, err)
	}
	defer resp.Body.Close()
	f := &Fetched{URL: key, Status: resp.StatusCode}
	var links []string
	if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode/100 == 3 {
		links = append(links, loc)
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("crawl %s: %w", key, err)
	}
	f.Size = len(body)
	switch {
	case mt == "text/html":
		f.HTML = true
		links = append(links, htmlLinks(string(body))...)
	case strings.HasSuffix(mt, "xml") && path.Base(strings.SplitN(key, "?", 2)[0]) == "sitemap.xml":
		ls, err := sitemapLinks(body)
		if err != nil {
			return nil, nil, fmt.Errorf("crawl %s: %w", key, err)
		}
		links = append(links, ls...)
	}
	return f, links, nil
}

// htmlLinks returns the href of every <a> element of a page.
func htmlLinks(page string) []string {
	var out []string
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "a" || !hasAttr {
				continue
			}
			for {
				k, v, more := z.TagAttr()
				if string(k) == "href" {
					out = append(out, string(v))
				}
				if !more {
					break
				}
			}
		}
	}
}

// sitemapLinks returns the <loc> and the alternate addresses of a sitemap.
func sitemapLinks(b []byte) ([]string, error) {
	var set struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b, &set); err != nil {
		return nil, err
	}
	var out []string
	for _, u := range set.URLs {
		out = append(out, u.Loc)
		for _, l := range u.Links {
			out = append(out, l.Href)
		}
	}
	return out, nil
}

// RouteMatcher finds the route pattern that serves an address, the way the
// server's http.ServeMux chooses it.
type RouteMatcher struct {
	mux *http.ServeMux
}

// NewRouteMatcher builds a matcher from GET route patterns. A pattern that
// ends in a slash matches only that path, as the server registers it.
func NewRouteMatcher(patterns []string) *RouteMatcher {
	m := &RouteMatcher{mux: http.NewServeMux()}
	nop := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	done := map[string]bool{}
	for _, p := range patterns {
		if done[p] {
			continue
		}
		done[p] = true
		reg := p
		if strings.HasSuffix(reg, "/") {
			reg += "{$}"
		}
		m.mux.Handle("GET "+reg, nop)
	}
	return m
}

// Match returns the pattern (as given to NewRouteMatcher) that serves the
// address, or "" if none does.
func (m *RouteMatcher) Match(address string) string {
	req, err := http.NewRequest(http.MethodGet, address, nil)
	if err != nil {
		return ""
	}
	_, p := m.mux.Handler(req)
	p = strings.TrimPrefix(p, "GET ")
	return strings.TrimSuffix(p, "{$}")
}

// SortedKeys returns a map's keys in order, for stable reports.
func SortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
