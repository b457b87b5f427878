package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
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
