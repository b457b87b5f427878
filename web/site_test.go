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
