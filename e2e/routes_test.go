package e2e

import (
	"context"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/auth"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// tokenRoutes are the public pages that no page links to, because their
// address carries a secret that only an e-mail gives; the test builds
// their addresses from data it makes (see tokenPages). A route added here
// must be added there too.
var tokenRoutes = map[string]string{
	"registration": "the self-service link in a registration's confirmation e-mail: the token is made when one registers",
	"nl_confirm":   "the confirmation link in the e-mail a newsletter sign-up sends: signed for the subscriber",
	"nl_prefs":     "the link to a subscriber's settings in every newsletter e-mail: signed for the subscriber",
	"nl_unsub":     "the unsubscribe link of one list in a newsletter e-mail: signed for the subscriber and the list",
}

// fileRoutes answer a stored file (a picture, an uploaded document), not
// a page; the demo holds few or none, so the crawl need not reach them.
var fileRoutes = map[string]bool{"image": true, "document": true, "material": true, "agr_doc": true, "proj_doc": true,
	// An alliance's logo and colours, which pages load by <img> and <link>.
	"site_logo": true, "site_css": true}

// axePerRoute is how many pages of each route, in each language, axe
// checks: the largest one found and one more (with a query if there is
// one), so that a filled and a filtered state of a page are both seen.
const axePerRoute = 2

// site is the demo served twice on one database: to a visitor, and to a
// browser logged in as an administrator of every alliance.
type site struct {
	db       *store.DB
	srv      *web.Server
	visitor  *httptest.Server
	staff    *httptest.Server
	alliance []samrad.Alliance
}

func demoSite(t *testing.T, ctx context.Context) *site {
	t.Helper()
	db := testdb.Open(t, "sqlite")
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ore, err := db.AllianceBySlug(ctx, "ore")
	if err != nil {
		t.Fatal(err)
	}
	// The staff crawl finds what every role may reach: an administrator of
	// every alliance.
	u, err := db.CreateUser(ctx, "admin@example.no", "A", "et langt passord her", ore.ID, samrad.RoleAdministrator, auth.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16})
	if err != nil {
		t.Fatal(err)
	}
	alliances, err := db.Alliances(ctx)
	if err != nil || len(alliances) == 0 {
		t.Fatalf("the demo has no alliance: %v", err)
	}
	for _, a := range alliances {
		if a.ID != ore.ID {
			if _, err := db.SQL().ExecContext(ctx, `INSERT INTO grants (user_id, alliance_id, role) VALUES ($1, $2, $3)`, u.ID, a.ID, samrad.RoleAdministrator); err != nil {
				t.Fatal(err)
			}
		}
	}
	token, _, err := db.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	s := &site{db: db, srv: srv, visitor: httptest.NewServer(h), alliance: alliances}
	s.staff = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.AddCookie(&http.Cookie{Name: "samrad_session", Value: token})
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.visitor.Close)
	t.Cleanup(s.staff.Close)
	return s
}

// crawlSkip leaves out what is not a page: downloads, the OParl API, the
// static files and the operator's endpoints.
func crawlSkip(u *url.URL) bool {
	p := u.Path
	return IsDownload(p) && !strings.HasSuffix(p, "/sitemap.xml") ||
		strings.HasPrefix(p, "/oparl/") || p == "/oparl" || strings.HasPrefix(p, "/static/") ||
		p == "/healthz" || p == "/readyz" || p == "/metrics"
}

func (s *site) crawl(t *testing.T, ctx context.Context, base string) map[string]*Fetched {
	t.Helper()
	seeds := []string{"/", "/en/", "/sitemap.xml"}
	for _, a := range s.alliance {
		seeds = append(seeds, web.Path("nb", "alliance", a.Slug), web.Path("en", "alliance", a.Slug))
	}
	c := &Crawler{Client: &http.Client{CheckRedirect: NoRedirects, Timeout: time.Minute}, Base: base, Skip: crawlSkip, Limit: 20000, Parallel: 4}
	got, err := c.Crawl(ctx, seeds...)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// routeKey is a route in one language.
type routeKey struct{ Name, Lang string }

func (k routeKey) String() string { return k.Name + " (" + k.Lang + ")" }

// getRoutes returns the server's GET routes by pattern, and a matcher.
func getRoutes(srv *web.Server) (map[string]routeKey, *RouteMatcher) {
	byPattern := map[string]routeKey{}
	var patterns []string
	for _, r := range srv.Routes() {
		if r.Method != http.MethodGet {
			continue
		}
		lang := "nb"
		if strings.HasPrefix(r.Pattern, "/en/") {
			lang = "en"
		}
		byPattern[r.Pattern] = routeKey{r.Name, lang}
		patterns = append(patterns, r.Pattern)
	}
	return byPattern, NewRouteMatcher(patterns)
}

// TestEveryPublicRouteAccessible crawls the demo as a visitor from the home
// pages, every alliance's page and the sitemap, follows every link to a
// page, and runs axe-core (WCAG 2.1 A and AA) on up to two pages of every
// route in each language, on the error pages and on the pages that only an
// e-mail links to. It fails on any violation, on a link that leads
// nowhere, and on a public page that the crawl never reached: a route that
// answers a visitor with a page must be linked from somewhere (or be named
// in tokenRoutes).
//
// A route counts as public when one of its addresses answers a visitor 200
// with HTML. Routes the visitor never reached are looked for in a second
// crawl as the secretariat; their addresses are then asked for again as a
// visitor, so a page that a visitor may see but only the secretariat finds
// a link to is named too.
func TestEveryPublicRouteAccessible(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	start := time.Now()
	s := demoSite(t, ctx)
	ore, _ := s.db.AllianceBySlug(ctx, "ore")
	openEvent(t, ctx, s.db, ore)
	newsletterPages(t, ctx, s.db, ore)    // an issue, for the editor's pages
	fundingApplication(t, ctx, s.db, ore) // an application, for the secretariat's pages
	req := samrad.ServiceRequest{AllianceID: ore.ID, Kind: samrad.RequestKindEnquiry, RequesterKind: samrad.RequesterMember,
		Requester: "Bærum kommune", Subject: "Spørsmål om Erasmus+", ReceivedAt: time.Now()}
	if err := s.db.LogRequest(ctx, &req); err != nil { // a request, for the service desk's pages
		t.Fatal(err)
	}
	byPattern, matcher := getRoutes(s.srv)

	visited := s.crawl(t, ctx, s.visitor.URL)
	t.Logf("visitor crawl: %d addresses in %s", len(visited), time.Since(start).Round(time.Millisecond))

	// Every page a visitor reached, by route; a link that answers an error
	// is a broken link.
	pages := map[routeKey][]*Fetched{}
	downloads := map[routeKey]bool{}
	for _, key := range SortedKeys(visited) {
		f := visited[key]
		pattern := matcher.Match(f.URL)
		rk, isRoute := byPattern[pattern]
		switch {
		case f.Status/100 == 3:
		case f.Status != http.StatusOK:
			t.Errorf("broken link: %s answers %d (linked from %s)", f.URL, f.Status, f.From)
		case !isRoute:
		case !f.HTML:
			downloads[rk] = true
		default:
			pages[rk] = append(pages[rk], f)
		}
	}

	// The routes that no visitor's link reached.
	var unreached []routeKey
	for pattern, rk := range byPattern {
		if _, ok := pages[rk]; !ok && !downloads[rk] && !IsDownload(pattern) && !fileRoutes[rk.Name] {
			unreached = append(unreached, rk)
		}
	}
	staffStart := time.Now()
	staff := s.crawl(t, ctx, s.staff.URL)
	t.Logf("secretariat crawl: %d addresses in %s", len(staff), time.Since(staffStart).Round(time.Millisecond))
	staffSeen := map[routeKey][]string{}
	for _, key := range SortedKeys(staff) {
		f := staff[key]
		if rk, ok := byPattern[matcher.Match(f.URL)]; ok && f.Status == http.StatusOK {
			staffSeen[rk] = append(staffSeen[rk], f.URL)
		}
	}
	var secretariatOnly, notLinked []string
	for _, rk := range unreached {
		if _, ok := tokenRoutes[rk.Name]; ok {
			continue
		}
		urls := staffSeen[rk]
		if len(urls) == 0 {
			notLinked = append(notLinked, rk.String())
			continue
		}
		public := ""
		for _, u := range urls[:min(len(urls), 3)] {
			if status, isHTML := visitorGet(t, ctx, s.visitor.URL+u); status == http.StatusOK && isHTML {
				public = u
				break
			}
		}
		if public != "" {
			t.Errorf("%s: %s answers a visitor with a page, but no page a visitor sees links to it", rk, public)
		} else {
			secretariatOnly = append(secretariatOnly, rk.String())
		}
	}
	sort.Strings(secretariatOnly)
	sort.Strings(notLinked)
	t.Logf("secretariat only (%d): %s", len(secretariatOnly), strings.Join(secretariatOnly, ", "))
	for _, rk := range notLinked {
		t.Errorf("%s: no page links to this route, neither for a visitor nor for the secretariat; link it, or name it in tokenRoutes with why", rk)
	}

	// The pages axe checks.
	var check []string
	for _, rk := range sortedRouteKeys(pages) {
		check = append(check, pick(pages[rk], axePerRoute)...)
	}
	tokens := tokenPages(t, ctx, s.db, ore)
	for name := range tokenRoutes {
		if _, ok := tokens[name]; !ok {
			t.Errorf("tokenRoutes names %s, but tokenPages makes no address for it", name)
		}
	}
	for _, name := range SortedKeys(tokens) {
		for _, u := range tokens[name] {
			status, isHTML := visitorGet(t, ctx, s.visitor.URL+u)
			if status != http.StatusOK || !isHTML {
				t.Errorf("%s: %s answers %d (HTML %v), want a page", name, u, status, isHTML)
			}
			check = append(check, u)
		}
	}
	errorPages := map[string]int{
		"/finnes/ikke": http.StatusNotFound, "/en/does/not/exist": http.StatusNotFound,
		"/allianser/finnes-ikke":                     http.StatusNotFound,
		"/allianser/ore/medlemmer?dato=ikke-en-dato": http.StatusBadRequest,
		"/en/alliances/ore/members?date=2024-13-45":  http.StatusBadRequest,
	}
	for _, u := range SortedKeys(errorPages) {
		if status, isHTML := visitorGet(t, ctx, s.visitor.URL+u); status != errorPages[u] || !isHTML {
			t.Errorf("%s answers %d (HTML %v), want an error page %d", u, status, isHTML, errorPages[u])
		}
		check = append(check, u)
	}
	if os.Getenv("SAMRAD_CRAWL_ONLY") != "" {
		for _, u := range check {
			t.Log(u)
		}
		return
	}

	b := startBrowser(t, ctx)
	axeStart := time.Now()
	failed := axeAll(t, ctx, b, s.visitor.URL, check)
	t.Logf("checked %d public routes (%d route names in two languages, %d token routes) on %d pages with axe in %s; %d pages failed; total %s",
		len(pages), countNames(pages), len(tokenRoutes), len(check), time.Since(axeStart).Round(time.Second), failed, time.Since(start).Round(time.Second))
}

// axeAll runs axe on every page, two tabs at a time, and reports each
// page's violations; it returns the number of pages that failed.
func axeAll(t *testing.T, ctx context.Context, b *Browser, base string, paths []string) int {
	t.Helper()
	type result struct {
		path string
		vs   []Violation
		err  error
	}
	results := make([]result, len(paths))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			vs, err := b.Axe(ctx, base+p)
			results[i] = result{p, vs, err}
		}()
	}
	wg.Wait()
	failed := 0
	for _, r := range results {
		switch {
		case r.err != nil:
			failed++
			t.Errorf("%s: %v", r.path, r.err)
		case len(r.vs) > 0:
			failed++
			t.Errorf("%s: %d accessibility violations:\n%s", r.path, len(r.vs), FormatViolations(r.vs))
		}
	}
	return failed
}

// pick chooses up to n pages of one route for axe: the largest first (the
// most content), then one with a query if there is one, then the next
// largest.
func pick(fs []*Fetched, n int) []string {
	sorted := append([]*Fetched(nil), fs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Size != sorted[j].Size {
			return sorted[i].Size > sorted[j].Size
		}
		return sorted[i].URL < sorted[j].URL
	})
	var out []string
	taken := map[string]bool{}
	take := func(f *Fetched) {
		if len(out) < n && !taken[f.URL] {
			out = append(out, f.URL)
			taken[f.URL] = true
		}
	}
	if len(sorted) > 0 {
		take(sorted[0])
	}
	if len(sorted) > 0 && !strings.Contains(sorted[0].URL, "?") {
		for _, f := range sorted {
			if strings.Contains(f.URL, "?") {
				take(f)
				break
			}
		}
	}
	for _, f := range sorted {
		take(f)
	}
	return out
}

func sortedRouteKeys[V any](m map[routeKey]V) []routeKey {
	out := make([]routeKey, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

func countNames[V any](m map[routeKey]V) int {
	names := map[string]bool{}
	for k := range m {
		names[k.Name] = true
	}
	return len(names)
}

// visitorGet asks for an address as a visitor and tells its status and
// whether the answer is HTML.
func visitorGet(t *testing.T, ctx context.Context, u string) (int, bool) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{CheckRedirect: NoRedirects, Timeout: time.Minute}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return resp.StatusCode, mt == "text/html"
}

// tokenPages makes the data behind the pages of tokenRoutes and returns
// their addresses in both languages, by route name: a registration for
// the open seminar (openEvent), and a subscriber of ORE's newsletter who
// has not yet confirmed and one who has.
func tokenPages(t *testing.T, ctx context.Context, db *store.DB, ore samrad.Alliance) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	both := func(name string, args ...string) {
		out[name] = append(out[name], web.Path("nb", name, args...), web.Path("en", name, args...))
	}
	e, err := db.Event(ctx, ore.ID, "apent-seminar")
	if err != nil {
		t.Fatal(err)
	}
	reg := samrad.Registration{EventID: e.ID, Lang: "nb", Name: "Kari Nordmann", Email: "kari@example.no", Organisation: "Bærum kommune",
		Diet: "vegetar", ConsentText: e.Registration.ConsentNB}
	if len(e.Sessions) > 0 {
		reg.SessionIDs = []int64{e.Sessions[0].ID}
	}
	token, err := db.Register(ctx, &reg, time.Now(), func(kind string, _ samrad.Event, r samrad.Registration, _ string) (store.OutboxMessage, error) {
		return store.OutboxMessage{Kind: kind, From: "post@example.no", To: r.Email, Data: []byte("Subject: x\r\n\r\nx\r\n")}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	both("registration", token)

	lists, err := db.Lists(ctx, ore.ID)
	if err != nil || len(lists) == 0 {
		t.Fatalf("the demo has no newsletter for ORE: %v", err)
	}
	secret, err := db.Secret(ctx, "newsletter")
	if err != nil {
		t.Fatal(err)
	}
	subscribe := func(email string, confirm bool) int64 {
		sub := samrad.Subscriber{AllianceID: ore.ID, Email: email, Lists: []int64{lists[0].ID}, Consent: "samtykke"}
		if err := db.Subscribe(ctx, &sub, func(s samrad.Subscriber) (store.OutboxMessage, error) {
			return store.OutboxMessage{Kind: "newsletter_confirm", From: "post@example.no", To: s.Email, Data: []byte("Subject: x\r\n\r\nx\r\n")}, nil
		}); err != nil {
			t.Fatal(err)
		}
		if confirm {
			if err := db.ConfirmSubscriber(ctx, ore.ID, sub.ID); err != nil {
				t.Fatal(err)
			}
		}
		return sub.ID
	}
	pending, confirmed := subscribe("ny@example.no", false), subscribe("liv@example.no", true)
	both("nl_confirm", ore.Slug, auth.Sign(secret, "newsletter-confirm", pending, time.Now().Add(24*time.Hour)))
	both("nl_prefs", ore.Slug, auth.Sign(secret, "newsletter-manage", confirmed, time.Time{}))
	list := strconv.FormatInt(lists[0].ID, 10)
	both("nl_unsub", ore.Slug, list, auth.Sign(secret, "newsletter-unsubscribe-"+list, confirmed, time.Time{}))
	return out
}
