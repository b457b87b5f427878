package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// TestDemoFunding checks the funding programmes against the sources: the
// five ways to fund international work Viken's kick-off presented, and the
// four funders Transport 2.0 prepared applications to, with no calls,
// amounts or applications the sources do not give.
func TestDemoFunding(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		for slug, want := range map[string]map[string]samrad.FundingKind{
			"viken-nettverk": {"Erasmus+": samrad.FundingEU, "EØS-midlene": samrad.FundingEEA, "Internasjonale forprosjektmidler": samrad.FundingCounty,
				"Grenseregionale prosjekter (Interreg)": samrad.FundingInterreg, "Horisont Europa": samrad.FundingEU},
			"vestregionen": {"Norges forskningsråd": samrad.FundingResearchCouncil, "Horisont 2020": samrad.FundingEU, "Interreg": samrad.FundingInterreg,
				"Buskerud fylkeskommune": samrad.FundingCounty},
		} {
			a, err := db.AllianceBySlug(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			ps, err := db.FundingProgrammes(ctx, a.ID)
			if err != nil || len(ps) != len(want) {
				t.Fatalf("%s: %d programmes, %v", slug, len(ps), err)
			}
			for _, p := range ps {
				if kind, ok := want[p.NameNB]; !ok || kind != p.Kind {
					t.Errorf("%s: programme %q of kind %s", slug, p.NameNB, p.Kind)
				}
				if p.NameEN == "" || p.DescriptionEN == "" || p.Source == "" {
					t.Errorf("%s: %q lacks an English name, description or source", slug, p.NameNB)
				}
			}
			if slug == "vestregionen" {
				for _, p := range ps {
					if !strings.Contains(p.DescriptionNB, "Transport 2.0") {
						t.Errorf("%q does not say Transport 2.0 applied to it", p.NameNB)
					}
				}
			}
			calls, _ := db.AllianceCalls(ctx, a.ID)
			apps, _ := db.Applications(ctx, a.ID)
			if len(calls) != 0 || len(apps) != 0 {
				t.Errorf("%s: %d calls and %d applications the sources do not give", slug, len(calls), len(apps))
			}
		}
	})
}
