package web_test

import (
	"context"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// The networks' and programmes' routes: their pages are public, their
// forms are for the secretariat, and their actions need the secretariat
// and the form token. ORE's network ERRIN and a programme made here are
// what the paths name.
func init() {
	authzAreas = append(authzAreas, func(t *testing.T, ctx context.Context, db *store.DB) authzArea {
		ore, err := db.AllianceBySlug(ctx, "ore")
		if err != nil {
			t.Fatal(err)
		}
		errin, err := db.Network(ctx, ore.ID, "errin")
		if err != nil {
			t.Fatal(err)
		}
		reg, err := db.Registry(ctx)
		if err != nil {
			t.Fatal(err)
		}
		baerum, _ := reg.AtDate("3024", samrad.MustDate("2021-01-01"))
		p := samrad.NetworkParticipant{NetworkID: errin.ID, Org: baerum}
		if err := db.AddParticipant(ctx, ore.ID, &p); err != nil {
			t.Fatal(err)
		}
		prog := samrad.RecurringProgramme{AllianceID: ore.ID, Slug: "tilgangstest", Kind: samrad.RecurringOther, NameNB: "Tilgangstest", Published: true}
		if err := db.CreateRecurring(ctx, &prog); err != nil {
			t.Fatal(err)
		}
		net := map[string]string{"{network}": "errin"}
		rec := map[string]string{"{programme}": prog.Slug}
		return authzArea{
			special: map[string]map[string]string{
				"net_page": net, "net_edit": net, "net_participant_add": net, "net_group_add": net, "net_activity_add": net,
				"net_participant_end": {"{network}": "errin", "{id}": itoa(p.ID)},
				"rec_page":            rec, "rec_edit": rec, "rec_partner_add": rec, "rec_year_save": rec, "rec_total_add": rec,
			},
			staffPages: map[string]bool{"net_new": true, "net_edit": true, "rec_new": true, "rec_edit": true},
		}
	})
}
