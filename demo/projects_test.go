package demo_test

import (
	"context"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// TestDemoProjects checks Vestregionen's projects against case 24/2017:
// the three it names, their owners, partners and roles, and no amounts
// or dates, which the source does not give.
func TestDemoProjects(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		vr, _ := db.AllianceBySlug(ctx, "vestregionen")
		pf, err := db.Portfolio(ctx, vr.ID, store.PortfolioFilter{IncludeUnpublished: true})
		if err != nil {
			t.Fatal(err)
		}
		status := map[string]samrad.ProjectStatus{}
		for _, r := range pf.Rows {
			status[r.Slug] = r.Status
			if !r.Published || r.Budget != nil || r.OwnContribution != nil || r.Funding != 0 || !r.Starts.IsZero() || !r.Ends.IsZero() {
				t.Errorf("%s: the source gives no amounts or dates: %+v", r.Slug, r.Project)
			}
		}
		want := map[string]samrad.ProjectStatus{"kommunehelsesamarbeidet": samrad.ProjectRunning, "komut": samrad.ProjectRunning,
			"videreutdanning-helsefagarbeidere": samrad.ProjectIdea}
		if len(status) != len(want) {
			t.Errorf("projects %v, want %v", status, want)
		}
		for slug, s := range want {
			if status[slug] != s {
				t.Errorf("%s: status %q, want %q", slug, status[slug], s)
			}
		}
		for slug, w := range map[string]struct {
			owner    string
			partners map[string]string
		}{
			"kommunehelsesamarbeidet":           {"", map[string]string{}},
			"komut":                             {"norsk-helsenett", map[string]string{"helse-og-omsorgsdepartementet": "oppdragsgiver", "vestregionen": "prosjektledelse for Vestre Vikens opptaksområde"}},
			"videreutdanning-helsefagarbeidere": {"", map[string]string{"fagskolen-tinius-olsen": "utvikler studietilbudet sammen med kommunene"}},
		} {
			p, err := db.Project(ctx, vr.ID, slug)
			if err != nil {
				t.Fatal(err)
			}
			if p.Owner.Code != w.owner || p.Source != demo.SourceVestregionen || p.DescriptionNB == "" || p.DescriptionEN == "" || p.NameEN == "" {
				t.Errorf("%s: owner %q, source %q", slug, p.Owner.Code, p.Source)
			}
			got := map[string]string{}
			for _, x := range p.Partners {
				got[x.Org.Code] = x.Role
			}
			if len(got) != len(w.partners) {
				t.Errorf("%s: partners %v, want %v", slug, got, w.partners)
			}
			for code, role := range w.partners {
				if got[code] != role {
					t.Errorf("%s: partner %s as %q, want %q", slug, code, got[code], role)
				}
			}
		}
	})
}
