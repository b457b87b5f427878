package web_test

import (
	"context"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// The funding routes: programmes and their calls are public; applications
// are for anyone with a role in the alliance; the deadlines page is the
// secretariat's; every action needs the secretariat and the form token.
// A programme, a call, an application and a reminder of ORE made here are
// what the paths name.
func init() {
	authzAreas = append(authzAreas, func(t *testing.T, ctx context.Context, db *store.DB) authzArea {
		ore, err := db.AllianceBySlug(ctx, "ore")
		if err != nil {
			t.Fatal(err)
		}
		p := samrad.FundingProgramme{AllianceID: ore.ID, NameNB: "Tilgangstest", Kind: samrad.FundingOther}
		if err := db.CreateFundingProgramme(ctx, &p); err != nil {
			t.Fatal(err)
		}
		c := samrad.FundingCall{ProgrammeID: p.ID, Code: "T-1", Title: "Tilgangstest", Deadline: samrad.DeadlineOn(samrad.Today().AddDays(30))}
		if err := db.SaveFundingCall(ctx, ore.ID, &c); err != nil {
			t.Fatal(err)
		}
		members, err := db.MembersOn(ctx, ore.ID, samrad.Today(), false)
		if err != nil || len(members) < 2 {
			t.Fatalf("members: %d, %v", len(members), err)
		}
		app := samrad.Application{AllianceID: ore.ID, ProgrammeID: p.ID, CallID: c.ID, ApplicantOrgID: members[0].Org.ID, Title: "Tilgangstest",
			Status: samrad.ApplicationDrafting, Partners: []samrad.ApplicationPartner{{OrgID: members[1].Org.ID}}}
		if err := db.CreateApplication(ctx, &app); err != nil {
			t.Fatal(err)
		}
		r := samrad.Reminder{AllianceID: ore.ID, Kind: samrad.DeadlineCall, RefID: c.ID, DaysBefore: 1, Email: "tilgang@example.no"}
		if err := db.AddReminder(ctx, &r, samrad.Today().Time()); err != nil {
			t.Fatal(err)
		}
		prog := map[string]string{"{code}": p.Slug}
		application := map[string]string{"{id}": itoa(app.ID)}
		return authzArea{
			special: map[string]map[string]string{
				"fund_programme": prog, "fund_prog_edit": prog, "fund_call_add": prog,
				"fund_call_edit":   {"{code}": p.Slug, "{id}": itoa(c.ID)},
				"fund_application": application, "fund_app_edit": application, "fund_partner_add": application, "fund_partner_remove": application,
				"fund_reminder_delete": {"{id}": itoa(r.ID)},
			},
			staffPages:  map[string]bool{"fund_deadlines": true},
			memberPages: map[string]bool{"fund_applications": true, "fund_application": true},
		}
	})
}
