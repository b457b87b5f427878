package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/ical"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// scenario is one request and what the response must hold.
type scenario struct {
	name     string
	path     string
	status   int
	contains []string
	absent   []string
	ctype    string
}

func demoServer(t *testing.T, db *store.DB) http.Handler {
	t.Helper()
	if err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return srv.Handler()
}

func TestPages(t *testing.T) {
	scenarios := []scenario{
		{name: "home nb", path: "/", status: 200, contains: []string{`<html lang="nb">`, "Osloregionens Europakontor", "Vestregionen", `href="/allianser/ore"`, "Hopp til hovedinnhold", `hreflang="en" href="/en/"`}},
		{name: "home en", path: "/en/", status: 200, contains: []string{`<html lang="en">`, "Oslo Region European Office", `href="/en/alliances/ore"`, "Skip to main content"}},
		{name: "alliance", path: "/allianser/osloregionen", status: 200, contains: []string{"Osloregionen", "Frivillig sammenslutning", "/allianser/osloregionen/kontingent"}},
		{name: "members on 2021", path: "/allianser/ore/medlemmer?dato=2021-01-01", status: 200,
			contains: []string{`<caption id="members-caption">`, `scope="col"`, "3025", "Asker", "3024", "Bærum", "OsloMet", "Viken", "17 medlemmer", "Ufullstendig liste:", "medlemmer.csv?dato=2021-01-01"},
			absent:   []string{"3203"}},
		{name: "members on 2024 with pending", path: "/en/alliances/ore/members?date=2024-06-01&pending=1", status: 200,
			contains: []string{"3203", "3201", "Pending", "Akershus", "Renumbering", "Split"}, absent: []string{">3025<"}},
		{name: "members csv", path: "/allianser/ore/medlemmer.csv?dato=2021-01-01", status: 200, ctype: "text/csv",
			contains: []string{"code,name,kind,member_from,member_to,status\n", "3024,Bærum,municipality,2018-01-01,,confirmed\n"}},
		{name: "members bad date", path: "/allianser/ore/medlemmer?dato=2021-02-30", status: 400, contains: []string{"«2021-02-30» er ikke en dato"}},
		{name: "unknown alliance", path: "/allianser/nope", status: 404, contains: []string{"Fant ikke siden"}},
		{name: "cases of a year", path: "/allianser/osloregionen/saker?ar=2016", status: 200, contains: []string{"Medlemskontingent 2017", "Saker i Osloregionen i 2016 – 2"}},
		{name: "cases of the latest year", path: "/en/alliances/osloregionen/cases", status: 200, contains: []string{"Medlemskontingent 2017", "Cases of The Oslo Region Alliance in 2016 – 2"}},
		{name: "no cases", path: "/allianser/ore/saker", status: 200, contains: []string{"Alliansen har ingen saker ennå."}},
		{name: "cases of a year without", path: "/allianser/osloregionen/saker?ar=1999", status: 404, contains: []string{"Osloregionen har ingen saker fra 1999."}},
		{name: "cases of no year", path: "/allianser/osloregionen/saker?ar=nitten", status: 400, contains: []string{"«nitten» er ikke et årstall."}},
		{name: "accessibility statement", path: "/tilgjengelighet", status: 200, contains: []string{"<h1>Tilgjengelighetserklæring</h1>", "WCAG 2.1", "axe-core", "uutilsynet.no", `<meta property="og:title" content="Tilgjengelighetserklæring">`, `content="nb_NO"`, `hreflang="en" href="/en/accessibility"`}},
		{name: "accessibility statement en", path: "/en/accessibility", status: 200, contains: []string{"<h1>Accessibility statement</h1>", "level AA", `content="en_GB"`}},
		{name: "case with its attachment", path: "/allianser/vestregionen/saker/2017/24", status: 200, contains: []string{"Vedlegg til diskusjonsnotat", "sak-24-2017-vedlegg.txt"}},
		{name: "fees 2019", path: "/allianser/osloregionen/kontingent?ar=2019", status: 200,
			contains: []string{"2\u00a0020\u00a0407,00", "673\u00a0469", "1. januar 2018", "dobbel kontingent", "Sum", "kontingent.csv?ar=2019"}},
		{name: "fees 2019 en", path: "/en/alliances/osloregionen/fees?year=2019", status: 200, contains: []string{"2,020,407.00", "1 January 2018"}},
		{name: "fees csv", path: "/allianser/osloregionen/kontingent.csv?ar=2019", status: 200, ctype: "text/csv",
			contains: []string{"0301,Oslo,municipality,673469,2018-01-01,1.50,2,2020407.00\n"}},
		{name: "fees missing population", path: "/allianser/osloregionen/kontingent?ar=2021", status: 200,
			contains: []string{"kan ikke beregnes", "2020-01-01", "0301 Oslo", "30 Viken"}},
		{name: "fees bad year", path: "/allianser/osloregionen/kontingent?ar=tjue", status: 400},
		{name: "org", path: "/organisasjoner/3025", status: 200,
			contains: []string{"0220 Asker (–2019) → 3025 Asker (2020–2023) → 3203 Asker (2024–)", "Røyken", "Sammenslåing", "Osloregionens Europakontor"}},
		{name: "org en", path: "/en/organisations/0220", status: 200, contains: []string{"Merger", "Vestregionen"}},
		{name: "unknown org", path: "/organisasjoner/9898", status: 404},
		{name: "registry", path: "/organisasjoner?dato=2024-01-01&type=county", status: 200, contains: []string{"Akershus", "Buskerud", "– 15</caption>"}, absent: []string{"Viken"}},
		{name: "unknown path", path: "/finnes/ikke", status: 404, contains: []string{`<html lang="nb">`}},
		{name: "unknown path en", path: "/en/nothing", status: 404, contains: []string{`<html lang="en">`, "Page not found"}},
		{name: "static css", path: "/static/samrad.css", status: 200, ctype: "text/css"},
		{name: "alliance bodies", path: "/allianser/vestregionen", status: 200,
			contains: []string{"Generalforsamlingen", "Styringsgruppen", "Rådmannsgruppen", "Lederskap", "Bærum", "1. juli 2017", "31. desember 2018", "/allianser/vestregionen/saker"}},
		{name: "board", path: "/allianser/ore/organer/styret", status: 200,
			contains: []string{"Anne Marte Kolbjørnshus", "Leder", "Innlandet", "Lisbeth Hammer Krog, ordfører i Bærum", "Yngve Foss", "OsloMet", "Årsmøtet"}},
		{name: "ad hoc group en", path: "/en/alliances/osloregionen/bodies/politisk-ad-hoc-gruppe", status: 200,
			contains: []string{"Raymond Johansen", "Lars Salvesen", "Ad hoc group", "47/16"}},
		{name: "unknown body", path: "/allianser/ore/organer/nope", status: 404},
		{name: "contact group", path: "/allianser/ore/organer/kontaktgruppen", status: 200, contains: []string{"2020-01-23–2020-01-24", "Avholdt", "moter.ics"}},
		{name: "body ics", path: "/allianser/ore/organer/kontaktgruppen/moter.ics", status: 200, ctype: "text/calendar",
			contains: []string{"BEGIN:VCALENDAR\r\n", "DTSTART;VALUE=DATE:20200123\r\n", "DTEND;VALUE=DATE:20200125\r\n", "Kontaktgruppen\\, møte 2020-01-23"}},
		{name: "cases", path: "/allianser/vestregionen/saker", status: 200, contains: []string{"24/2017", "Videreføring av Vestregionsamarbeidet etter 2018?"}},
		{name: "case", path: "/allianser/vestregionen/saker/2017/24", status: 200, contains: []string{"Sak 24/2017: Videreføring", "Drøftingssak"}},
		{name: "case en switch", path: "/allianser/vestregionen/saker/2017/24", status: 200, contains: []string{`href="/en/alliances/vestregionen/cases/2017/24"`}},
		{name: "alliance meetings", path: "/allianser/ore/moter", status: 200, contains: []string{"Kontaktgruppen, møte 2020-01-23", "Tidligere møter i 2020", "protokoller.atom"}},
		{name: "minutes feed", path: "/en/alliances/ore/minutes.atom", status: 200, ctype: "application/atom+xml", contains: []string{`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">`, "<title>Minutes – Oslo Region European Office</title>"}},
		{name: "unknown case", path: "/allianser/vestregionen/saker/2017/99", status: 404},
		{name: "bad case number", path: "/allianser/vestregionen/saker/x/24", status: 404},
		{name: "language switch keeps page and filter", path: "/allianser/ore/medlemmer?dato=2019-01-01", status: 200,
			contains: []string{`href="/en/alliances/ore/members?date=2019-01-01"`}},
	}
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		h := demoServer(t, db)
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", sc.path, nil))
				body := rec.Body.String()
				if rec.Code != sc.status {
					t.Fatalf("GET %s: status %d, want %d\n%s", sc.path, rec.Code, sc.status, body)
				}
				if sc.ctype != "" && !strings.HasPrefix(rec.Header().Get("Content-Type"), sc.ctype) {
					t.Errorf("content type %q, want %s", rec.Header().Get("Content-Type"), sc.ctype)
				}
				for _, want := range sc.contains {
					if !strings.Contains(body, want) {
						t.Errorf("GET %s: body lacks %q", sc.path, want)
					}
				}
				for _, bad := range sc.absent {
					if strings.Contains(body, bad) {
						t.Errorf("GET %s: body has %q", sc.path, bad)
					}
				}
				if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
					t.Errorf("CSP = %q", csp)
				}
			})
		}
	})
}

// TestCachedPagesFollowTheData checks the ETag answer and that a change to
// the data is shown at once, on both engines.
func TestCachedPagesFollowTheData(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		h := demoServer(t, db)
		get := func(path, etag string) *httptest.ResponseRecorder {
			req := httptest.NewRequest("GET", path, nil)
			if etag != "" {
				req.Header.Set("If-None-Match", etag)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec
		}
		const path = "/allianser/osloregionen/medlemmer?dato=2018-01-01"
		first := get(path, "")
		etag := first.Header().Get("ETag")
		if first.Code != 200 || etag == "" {
			t.Fatalf("first: %d, ETag %q", first.Code, etag)
		}
		if again := get(path, etag); again.Code != http.StatusNotModified || again.Body.Len() != 0 {
			t.Errorf("conditional GET: %d with %d bytes, want 304 and no body", again.Code, again.Body.Len())
		}
		if strings.Contains(first.Body.String(), "Lillehammer") {
			t.Fatal("Lillehammer is not a demo member of Osloregionen")
		}
		ctx := context.Background()
		a, _ := db.AllianceBySlug(ctx, "osloregionen")
		_, err := db.ImportMemberships(ctx, a.ID, "ny.csv", []store.ImportRow{{Line: 2, Code: "0501", Kind: "municipality", Membership: samrad.Membership{
			From: samrad.MustDate("2017-01-01"), FromPrecision: samrad.PrecisionDay, Category: "municipality", Status: samrad.StatusConfirmed}}}, false)
		if err != nil {
			t.Fatal(err)
		}
		after := get(path, etag)
		if after.Code != 200 || !strings.Contains(after.Body.String(), "Lillehammer") || after.Header().Get("ETag") == etag {
			t.Errorf("after a change: %d, new ETag %v, shows the new member %v", after.Code, after.Header().Get("ETag") != etag, strings.Contains(after.Body.String(), "Lillehammer"))
		}
	})
}

// TestCachedPagesFollowAnotherInstance: two servers on one database, as
// behind a load balancer. A change made through one is shown by the other
// once the data version it read last is older than its TTL, never later.
func TestCachedPagesFollowAnotherInstance(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := testdb.DSN(t, engine)
			var dbs [2]*store.DB
			for i := range dbs {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs[i] = db
			}
			const ttl = 100 * time.Millisecond
			dbs[0].SetVersionTTL(ttl)
			h := demoServer(t, dbs[0])
			const path = "/allianser/osloregionen/medlemmer?dato=2018-01-01"
			get := func() string {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
				if rec.Code != 200 {
					t.Fatalf("GET %s: %d", path, rec.Code)
				}
				return rec.Body.String()
			}
			if strings.Contains(get(), "Lillehammer") {
				t.Fatal("Lillehammer is not a demo member of Osloregionen")
			}
			get() // from the page cache
			a, err := dbs[1].AllianceBySlug(ctx, "osloregionen")
			if err != nil {
				t.Fatal(err)
			}
			_, err = dbs[1].ImportMemberships(ctx, a.ID, "ny.csv", []store.ImportRow{{Line: 2, Code: "0501", Kind: "municipality", Membership: samrad.Membership{
				From: samrad.MustDate("2017-01-01"), FromPrecision: samrad.PrecisionDay, Category: "municipality", Status: samrad.StatusConfirmed}}}, false)
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(ttl)
			if !strings.Contains(get(), "Lillehammer") {
				t.Errorf("%s after the TTL: the other instance's change is not shown", path)
			}
		})
	}
}

func TestMeetingPageAndCalendarFeed(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	h := demoServer(t, db)
	ctx := context.Background()
	ore, _ := db.AllianceBySlug(ctx, "ore")
	cg, _ := db.BodyBySlug(ctx, ore.ID, "kontaktgruppen")
	ms, _ := db.Meetings(ctx, cg.ID)
	if len(ms) != 1 {
		t.Fatalf("%d meetings", len(ms))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/allianser/ore/moter/"+strconv.FormatInt(ms[0].ID, 10), nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Kunnskapssenteret i Sandvika") || !strings.Contains(rec.Body.String(), "Sakslisten er ikke klar") {
		t.Errorf("meeting page: %d", rec.Code)
	}
	// A meeting of another alliance's URL is not found.
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/allianser/vestregionen/moter/"+strconv.FormatInt(ms[0].ID, 10), nil))
	if rec.Code != 404 {
		t.Errorf("meeting under the wrong alliance: %d", rec.Code)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/en/alliances/ore/bodies/kontaktgruppen/meetings.ics", nil))
	cal, err := ical.Parse(rec.Body)
	if err != nil {
		t.Fatalf("the feed is not valid iCalendar: %v", err)
	}
	if len(cal.Events) != 1 || !cal.Events[0].AllDay || cal.Events[0].Summary != "The contact group, meeting 2020-01-23" {
		t.Errorf("feed events = %+v", cal.Events)
	}
}

// TestCasesByYear: the case list shows one year at a time, the latest by
// default, with links to the other years.
func TestCasesByYear(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		h := demoServer(t, db)
		ctx := context.Background()
		a, _ := db.AllianceBySlug(ctx, "osloregionen")
		if err := db.CreateCase(ctx, &samrad.Case{AllianceID: a.ID, Year: 2019, Title: "Handlingsprogram 2020", Type: samrad.CaseDecision}); err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/allianser/osloregionen/saker", nil))
		body := rec.Body.String()
		for _, want := range []string{"Handlingsprogram 2020", `<span aria-current="page">2019</span>`, `href="/allianser/osloregionen/saker?ar=2016"`, "Saker i Osloregionen i 2019 – 1"} {
			if !strings.Contains(body, want) {
				t.Errorf("latest year: no %q", want)
			}
		}
		if strings.Contains(body, "Medlemskontingent 2017") {
			t.Error("the latest year shows a case of 2016")
		}
	})
}
