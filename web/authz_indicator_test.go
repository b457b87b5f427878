package web_test

import (
	"context"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// The portal's routes: the list and a member's profile are public; the
// comparison and its downloads are checked on an indicator for members
// only (a public one is open to all, which TestIndicatorPortal shows); the
// forms and the run log are the secretariat's; every action is the
// secretariat's, with the form token.
func init() {
	authzAreas = append(authzAreas, func(t *testing.T, ctx context.Context, db *store.DB) authzArea {
		ore, err := db.AllianceBySlug(ctx, "ore")
		if err != nil {
			t.Fatal(err)
		}
		in := samrad.Indicator{AllianceID: ore.ID, Slug: "tilgangstest-styringsdata", NameNB: "Tilgangstest", Source: samrad.SourceUpload,
			Measure: samrad.MeasureCount, MembersOnly: true}
		if err := db.CreateIndicator(ctx, &in); err != nil {
			t.Fatal(err)
		}
		members, err := db.MembersOn(ctx, ore.ID, samrad.Today(), false)
		if err != nil {
			t.Fatal(err)
		}
		code := ""
		for _, m := range members {
			if m.Org.Kind == samrad.KindMunicipality && code == "" {
				code = m.Org.Code
			}
		}
		if code == "" {
			t.Fatal("ORE has no municipality among its members today")
		}
		indicator := map[string]string{"{indicator}": in.Slug}
		return authzArea{
			special: map[string]map[string]string{
				"ind_page":   indicator,
				"ind_csv":    indicator,
				"ind_xlsx":   indicator,
				"ind_edit":   indicator,
				"ind_upload": indicator,
				"ind_run":    indicator,
				"ind_runs":   indicator,
				"ind_member": {"{code}": code},
			},
			staffPages:  map[string]bool{"ind_new": true, "ind_edit": true, "ind_runs": true},
			memberPages: map[string]bool{"ind_page": true, "ind_csv": true, "ind_xlsx": true},
		}
	})
}
