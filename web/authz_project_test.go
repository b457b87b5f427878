package web_test

import (
	"context"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// The projects' routes: the portfolio, its downloads, the network's
// portfolio, the project page and its documents are public (a published
// project of ORE here); the new and edit forms are the secretariat's;
// every action is the secretariat's, with the form token.
func init() {
	authzAreas = append(authzAreas, func(t *testing.T, ctx context.Context, db *store.DB) authzArea {
		ore, err := db.AllianceBySlug(ctx, "ore")
		if err != nil {
			t.Fatal(err)
		}
		n := samrad.Network{AllianceID: ore.ID, Slug: "tilgangstest-prosjekter", Kind: samrad.NetworkInternal, NameNB: "Tilgangstest for prosjekter", Published: true}
		if err := db.CreateNetwork(ctx, &n); err != nil {
			t.Fatal(err)
		}
		p := samrad.Project{AllianceID: ore.ID, Slug: "tilgangstest", NameNB: "Tilgangstest", Status: samrad.ProjectRunning, NetworkID: n.ID, Published: true}
		if err := db.CreateProject(ctx, &p); err != nil {
			t.Fatal(err)
		}
		members, err := db.MembersOn(ctx, ore.ID, samrad.MustDate("2021-01-01"), false)
		if err != nil || len(members) == 0 {
			t.Fatalf("members %v", err)
		}
		partner := samrad.ProjectPartner{ProjectID: p.ID, OrgID: members[0].Org.ID, Role: "partner"}
		if err := db.AddPartner(ctx, ore.ID, &partner); err != nil {
			t.Fatal(err)
		}
		m := samrad.ProjectMilestone{ProjectID: p.ID, Kind: samrad.MilestonePlain, Title: "Oppstart"}
		if err := db.AddMilestone(ctx, ore.ID, &m); err != nil {
			t.Fatal(err)
		}
		d := samrad.ProjectDocument{ProjectID: p.ID, Title: "Søknad", Filename: "soknad.pdf"}
		if err := db.AddProjectDocument(ctx, ore.ID, &d, []byte("%PDF-1.4\nsoknad\n")); err != nil {
			t.Fatal(err)
		}
		project := map[string]string{"{id}": p.Slug}
		return authzArea{
			special: map[string]map[string]string{
				"proj_network":        {"{id}": n.Slug},
				"proj_page":           project,
				"proj_edit":           project,
				"proj_partner_add":    project,
				"proj_funding_add":    project,
				"proj_milestone_add":  project,
				"proj_doc_add":        project,
				"proj_partner_remove": {"{id}": p.Slug, "{number}": itoa(partner.OrgID)},
				"proj_milestone_done": {"{id}": p.Slug, "{number}": itoa(m.ID)},
				"proj_doc":            {"{id}": p.Slug, "{number}": itoa(d.ID)},
			},
			staffPages: map[string]bool{"proj_new": true, "proj_edit": true},
		}
	})
}
