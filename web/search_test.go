package web_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

func TestSearchPages(t *testing.T) {
	long := url.QueryEscape(strings.Repeat("kommunene ", 300))     // within the 4 KiB address limit: cut to 200 characters
	tooLong := url.QueryEscape(strings.Repeat("kommunene ", 2000)) // beyond it: 414 before any search
	scenarios := []scenario{
		{name: "across alliances", path: "/sok?q=kommunene", status: 200,
			contains: []string{`role="search"`, `<label for="search-q">Søkeord</label>`, `aria-live="polite"`, "10 treff for «kommunene».",
				"<mark>kommunene</mark>", `href="/allianser/vestregionen/prosjekter/`, `href="/allianser/osloregionen/handlingsprogram/2017#tiltak-`,
				`<option value="project">Prosjekt (3)</option>`, `href="/en/search?q=kommunene"`}},
		{name: "english", path: "/en/search?q=kommunene", status: 200, contains: []string{"10 results for «kommunene».", "Oslo Region European Office"}},
		{name: "one alliance", path: "/allianser/ore/sok?q=kommunene", status: 200,
			contains: []string{"2 treff", `href="/allianser/ore/nyheter/`, `href="/allianser/ore/arrangementer/`}, absent: []string{"vestregionen/prosjekter"}},
		{name: "alliance filter", path: "/sok?q=kommunene&allianse=vestregionen&type=project", status: 200, contains: []string{"3 treff"}},
		{name: "year filter", path: "/en/search?q=kommunene&year=2017", status: 200, contains: []string{"4 results"}},
		{name: "document text", path: "/sok?q=" + url.QueryEscape("brønnøysundsregistrene"), status: 200,
			contains: []string{"1 treff", `<option value="document">Dokument (1)</option>`, "Vedlegg til diskusjonsnotat",
				`href="/allianser/vestregionen/saker/2017/24#dokumenter"`, "<mark>Brønnøysundsregistrene</mark>"}},
		{name: "body filter", path: "/allianser/ore/sok?q=kontaktgruppen&organ=kontaktgruppen", status: 200},
		{name: "people", path: "/sok?q=ordfører", status: 200, contains: []string{"Person", "Lisbeth Hammer Krog"}, absent: []string{"@"}},
		{name: "fee", path: "/sok?q=kontingent&allianse=osloregionen", status: 200,
			contains: []string{`href="/allianser/osloregionen/saker/2016/48"`, `href="/allianser/osloregionen/handlingsprogram/2017#okonomi"`, "Handlingsprogram"}},
		{name: "empty", path: "/sok", status: 200, absent: []string{"treff for"}},
		{name: "stop words only", path: "/sok?q=og+i", status: 200, contains: []string{"Skriv ord å søke etter"}},
		{name: "bad page", path: "/sok?q=x&side=abc", status: 400, contains: []string{"Sidetallet «abc» er ikke et tall"}},
		{name: "bad year", path: "/en/search?q=x&year=99999", status: 400, contains: []string{"The year «99999» is not a year"}},
		{name: "bad type", path: "/sok?q=x&type=bogus", status: 400, contains: []string{"«bogus» er ikke en type treff"}},
		{name: "bad alliance", path: "/sok?q=x&allianse=nope", status: 400},
		{name: "unknown alliance page", path: "/allianser/nope/sok?q=x", status: 404},
		{name: "bad body", path: "/allianser/ore/sok?q=x&organ=nope", status: 400},
		{name: "very long", path: "/sok?q=" + long, status: 200, contains: []string{"kortet ned"}},
		{name: "too long an address", path: "/sok?q=" + tooLong, status: 414, contains: []string{"For lang adresse"}},
		{name: "fts syntax", path: "/sok?q=" + url.QueryEscape(`kommun* OR "NEAR(a b)" ^title: col:x {a} -"`), status: 200},
		{name: "emoji and scripts", path: "/sok?q=" + url.QueryEscape("😀 Москва Sámediggi čáhci đŋŧž"), status: 200, contains: []string{"Ingen treff"}},
		{name: "markup", path: "/sok?q=" + url.QueryEscape(`<script>alert(1)</script>`), status: 200, absent: []string{"<script>alert"}},
	}
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		h := demoServer(t, db)
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", sc.path, nil))
				body := rec.Body.String()
				if rec.Code != sc.status {
					t.Fatalf("GET %.80s: status %d, want %d\n%s", sc.path, rec.Code, sc.status, body)
				}
				for _, want := range sc.contains {
					if !strings.Contains(body, want) {
						t.Errorf("GET %.80s: body lacks %q", sc.path, want)
					}
				}
				for _, bad := range sc.absent {
					if strings.Contains(body, bad) {
						t.Errorf("GET %.80s: body has %q", sc.path, bad)
					}
				}
			})
		}
		// Pages: 20 a page, with rel next and prev (25 cases and the demo's four
		// documents on the fee, the appendix to case 24/2017 among them).
		ctx := context.Background()
		a, err := db.AllianceBySlug(ctx, "vestregionen")
		if err != nil {
			t.Fatal(err)
		}
		// Searches are kept like pages, for the data version: asked before
		// and after a change, the answer follows the data.
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/sok?q=kontingent", nil))
		if body := rec.Body.String(); !strings.Contains(body, "4 treff") || rec.Header().Get("ETag") == "" {
			t.Errorf("before the new cases: %d %q %s", rec.Code, rec.Header().Get("ETag"), body)
		}
		for range 25 {
			if err := db.CreateCase(ctx, &samrad.Case{AllianceID: a.ID, Year: 2019, Title: "Kontingentsak", Presentation: "Om kontingenten.", Type: samrad.CaseDecision}); err != nil {
				t.Fatal(err)
			}
		}
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/sok?q=kontingent", nil))
		if body := rec.Body.String(); !strings.Contains(body, "29 treff") || !strings.Contains(body, `rel="next"`) || strings.Contains(body, `rel="prev"`) ||
			!strings.Contains(body, `href="/sok?q=kontingent&amp;side=2"`) {
			t.Errorf("first page: %d %s", rec.Code, body)
		}
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/sok?q=kontingent&side=2", nil))
		if body := rec.Body.String(); !strings.Contains(body, "Viser 21–29.") || !strings.Contains(body, `rel="prev"`) || strings.Contains(body, `rel="next"`) {
			t.Errorf("second page: %d %s", rec.Code, body)
		}
	})
}
