package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// runSite asks the demo server for each scenario's page, as a visitor, on
// both engines.
func runSite(t *testing.T, scenarios []scenario) {
	t.Helper()
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
					t.Errorf("GET %s: content type %q, want %s", sc.path, rec.Header().Get("Content-Type"), sc.ctype)
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
			})
		}
	})
}

// The council's fee decision for 2017 is public in the action programme,
// so the case shows it without minutes, and the programme shows its
// economic framework.
func TestFeeInCaseAndProgramme(t *testing.T) {
	runSite(t, []scenario{
		{name: "case", path: "/allianser/osloregionen/saker/2016/48", status: 200,
			contains: []string{"Medlemskontingent 2017", "kr 1,50 pr. innbygger", "dobbel kontingent for Oslo kommune", "«sak x/16»", "møtet er ikke registrert"}},
		{name: "programme", path: "/allianser/osloregionen/handlingsprogram/2017", status: 200,
			contains: []string{`<h2 id="okonomi">Økonomiske rammer</h2>`, "inntektsramme på x,x mill. kroner"}},
		{name: "programme en", path: "/en/alliances/osloregionen/action-programme/2017", status: 200,
			contains: []string{`<h2 id="okonomi">Economic framework</h2>`}},
	})
}

// An alliance's website: the home page with its news, calendar and key
// figures, the about page with bodies and people, the documents and the
// contact page, in both languages.
func TestAllianceSite(t *testing.T) {
	runSite(t, []scenario{
		{name: "home", path: "/allianser/ore", status: 200,
			contains: []string{"Siste nytt", "Neste møter", "Neste arrangementer", "Innbyggere i medlemskommunene", `href="/allianser/ore/om"`,
				`href="/allianser/ore/dokumenter"`, `href="/allianser/ore/kontakt"`, `href="/allianser/ore/nyheter/`}},
		{name: "home en", path: "/en/alliances/osloregionen", status: 200,
			contains: []string{"Latest news", "Next meetings", "Inhabitants of the member municipalities", `href="/en/alliances/osloregionen/about"`}},
		{name: "about", path: "/allianser/ore/om", status: 200,
			contains: []string{"Om Osloregionens Europakontor", "Organer og personer", "Anne Marte Kolbjørnshus", "Lisbeth Hammer Krog, ordfører i Bærum",
				`href="/organisasjoner/3024"`, "Sekretariatet", "Gunnar Selvik, direktør", `id="kontakt"`},
			absent: []string{"@"}},
		{name: "about en", path: "/en/alliances/osloregionen/about", status: 200,
			contains: []string{"About The Oslo Region Alliance", "Bodies and people", "Raymond Johansen", "The secretariat"}},
		{name: "documents", path: "/allianser/vestregionen/dokumenter", status: 200,
			contains: []string{"Vedlegg til diskusjonsnotat", `href="/allianser/vestregionen/saker/2017/24"`, "Viser 1–1 av 1."}},
		{name: "documents none", path: "/en/alliances/ore/documents", status: 200, contains: []string{"No public documents yet."}},
		{name: "documents bad page", path: "/allianser/ore/dokumenter?side=x", status: 400},
		{name: "documents beyond", path: "/allianser/vestregionen/dokumenter?side=2", status: 404},
		{name: "contact", path: "/allianser/ore/kontakt", status: 200, contains: []string{"<h1>Kontakt</h1>", "Brussel"}, absent: []string{"@"}},
		// A member's page names each alliance it belongs to with the period
		// of its membership: Bærum in ORE from 1 January 2018 and in
		// Vestregionen (Osloregionen's source names no municipality but
		// Oslo), Oslo in ORE and Osloregionen.
		{name: "member across alliances", path: "/organisasjoner/3024", status: 200,
			contains: []string{`href="/allianser/ore"`, `href="/allianser/vestregionen"`, "2018-01-01"}},
		{name: "oslo across alliances", path: "/organisasjoner/0301", status: 200,
			contains: []string{`href="/allianser/ore"`, `href="/allianser/osloregionen"`}},
		{name: "contact en", path: "/en/alliances/ore/contact", status: 200, contains: []string{"<h1>Contact</h1>"}},
	})
}

// Every page names its other-language version, the default for readers of
// neither language, and its canonical address; the language switch keeps
// the page and the parameters it reads, and drops the ones it does not.
func TestLanguageLinksKeepThePage(t *testing.T) {
	runSite(t, []scenario{
		{name: "members with a date", path: "/allianser/ore/medlemmer?dato=2021-01-01&utm_source=x", status: 200,
			contains: []string{
				`<a class="site-header__lang" href="/en/alliances/ore/members?date=2021-01-01" hreflang="en" lang="en">English</a>`,
				`<link rel="alternate" hreflang="en" href="/en/alliances/ore/members?date=2021-01-01">`,
				`<link rel="alternate" hreflang="x-default" href="/allianser/ore/medlemmer?dato=2021-01-01&amp;utm_source=x">`,
				`<link rel="canonical" href="/allianser/ore/medlemmer?dato=2021-01-01">`,
				`<meta property="og:locale:alternate" content="en_GB">`},
			absent: []string{`og:url`}},
		{name: "english search", path: "/en/search?q=kommunene&page=1", status: 200,
			contains: []string{`href="/sok?q=kommunene&amp;side=1" hreflang="nb"`, `<link rel="alternate" hreflang="x-default" href="/sok?q=kommunene&amp;side=1">`,
				`<link rel="canonical" href="/en/search?page=1&amp;q=kommunene">`}},
		{name: "new pages", path: "/en/alliances/ore/about", status: 200,
			contains: []string{`<link rel="alternate" hreflang="nb" href="/allianser/ore/om">`, `<link rel="alternate" hreflang="x-default" href="/allianser/ore/om">`}},
		{name: "case", path: "/allianser/osloregionen/saker/2016/48", status: 200,
			contains: []string{`hreflang="en" href="/en/alliances/osloregionen/cases/2016/48"`}},
	})
}

// With a public base URL, the canonical address is absolute and is the
// page's Open Graph URL too.
func TestCanonicalWithBaseURL(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	if err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv.SetBaseURL("https://samrad.example.no/")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/en/alliances/ore/news", nil))
	body := rec.Body.String()
	for _, want := range []string{`<link rel="canonical" href="https://samrad.example.no/en/alliances/ore/news">`,
		`<meta property="og:url" content="https://samrad.example.no/en/alliances/ore/news">`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

// The print stylesheet leaves out navigation, forms and footer links, and
// prints where links to other sites go.
func TestPrintStylesheet(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/tilgjengelighet", nil))
	i := strings.Index(rec.Body.String(), `/static/samrad.`)
	if i < 0 {
		t.Fatalf("the page links no stylesheet:\n%s", rec.Body.String())
	}
	href := rec.Body.String()[i:]
	href = href[:strings.Index(href, `"`)]
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", href, nil))
	css := rec.Body.String()
	p := strings.Index(css, "@media print {")
	if rec.Code != 200 || p < 0 {
		t.Fatalf("GET %s: %d, no print rules", href, rec.Code)
	}
	rules := css[p:]
	for _, want := range []string{".site-header__nav", "main form", ".site-footer a", `main a[href^="https:"]::after { content: " (" attr(href) ")"`, "color: #000000", "background: #ffffff"} {
		if !strings.Contains(rules, want) {
			t.Errorf("print rules lack %s", want)
		}
	}
}
