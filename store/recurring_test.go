package store_test

import (
	"context"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// recurringRows counts what a refused change of a programme must leave as
// it was.
func recurringRows(t *testing.T, db *store.DB) [5]int {
	t.Helper()
	var out [5]int
	for i, table := range []string{"people", "recurring_programmes", "recurring_partners", "recurring_years", "recurring_totals"} {
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestRecurringProgrammes(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "vestregionen")
		other := newAlliance(t, db, "ore")
		orchestra := samrad.RecurringProgramme{AllianceID: a.ID, Slug: "vestregionens-ungdomssymfonikere", Kind: samrad.RecurringOrchestra,
			NameNB: "Vestregionens Ungdomssymfonikere", AgeMin: 8, AgeMax: 18, GatheringsPerYear: 8, GatheringsNote: "ca. 8",
			Leader: samrad.Person{Name: "Kjell Seim"}, LeaderRole: "dirigent", Published: true}
		art := samrad.RecurringProgramme{AllianceID: a.ID, Slug: "kunst-rett-vest", Kind: samrad.RecurringExhibition, NameNB: "Kunst rett vest",
			FirstYear: 2007, Published: true}
		draft := samrad.RecurringProgramme{AllianceID: a.ID, Slug: "utkast", Kind: samrad.RecurringOther, NameNB: "Arbeidstittel"}
		for _, p := range []*samrad.RecurringProgramme{&orchestra, &art, &draft} {
			if err := db.CreateRecurring(ctx, p); err != nil {
				t.Fatalf("%s: %v", p.Slug, err)
			}
		}
		before := recurringRows(t, db)
		for _, c := range []struct {
			what string
			p    samrad.RecurringProgramme
			code string
		}{
			{"a taken slug", samrad.RecurringProgramme{AllianceID: a.ID, Slug: "kunst-rett-vest", Kind: samrad.RecurringExhibition, NameNB: "Igjen",
				Leader: samrad.Person{Name: "Ny Leder"}}, samrad.ECONFLICT},
			{"ages upside down", samrad.RecurringProgramme{AllianceID: a.ID, Slug: "baklengs", Kind: samrad.RecurringOrchestra, NameNB: "Baklengs",
				AgeMin: 18, AgeMax: 8}, samrad.EINVALID},
			{"an unknown kind", samrad.RecurringProgramme{AllianceID: a.ID, Slug: "ukjent", Kind: "circus", NameNB: "Sirkus"}, samrad.EINVALID},
		} {
			if err := db.CreateRecurring(ctx, &c.p); samrad.ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %s", c.what, err, c.code)
			}
		}
		if after := recurringRows(t, db); after != before {
			t.Errorf("refused programmes wrote %v, was %v", after, before)
		}

		list, err := db.RecurringProgrammes(ctx, a.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Slug != "kunst-rett-vest" || list[1].Slug != "vestregionens-ungdomssymfonikere" {
			t.Fatalf("published programmes: %+v", list)
		}
		if all, _ := db.RecurringProgrammes(ctx, a.ID, true); len(all) != 3 {
			t.Errorf("all programmes: %d", len(all))
		}
		got, err := db.RecurringProgramme(ctx, a.ID, "vestregionens-ungdomssymfonikere")
		if err != nil {
			t.Fatal(err)
		}
		if got.Leader.Name != "Kjell Seim" || got.Leader.Title != "dirigent" || got.LeaderRole != "dirigent" || got.AgeMin != 8 || got.AgeMax != 18 ||
			got.GatheringsPerYear != 8 || !got.GatheringsApprox() || got.FirstYear != 0 {
			t.Errorf("orchestra read back as %+v", got)
		}
		if _, err := db.RecurringProgramme(ctx, other.ID, "kunst-rett-vest"); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("another alliance's programme: %v", err)
		}

		// Partners, once each.
		kork := netTestOrg(t, db, "kork", "Kringkastingsorkesteret (KORK)")
		ofil := netTestOrg(t, db, "oslo-filharmonien", "Oslo-Filharmonien")
		for _, o := range []samrad.Organisation{kork, ofil} {
			if err := db.AddRecurringPartner(ctx, a.ID, &samrad.RecurringPartner{ProgrammeID: got.ID, Org: samrad.Organisation{ID: o.ID}, Role: samrad.PartnerRehearsals}); err != nil {
				t.Fatal(err)
			}
		}
		before = recurringRows(t, db)
		if err := db.AddRecurringPartner(ctx, a.ID, &samrad.RecurringPartner{ProgrammeID: got.ID, Org: samrad.Organisation{ID: kork.ID}}); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("a partner twice: %v", err)
		}
		if err := db.AddRecurringPartner(ctx, a.ID, &samrad.RecurringPartner{ProgrammeID: got.ID, Org: samrad.Organisation{ID: kork.ID}, Role: "sponsor"}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("an unknown role: %v", err)
		}
		if err := db.AddRecurringPartner(ctx, other.ID, &samrad.RecurringPartner{ProgrammeID: got.ID, Org: samrad.Organisation{ID: ofil.ID}}); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("a partner through another alliance: %v", err)
		}
		if after := recurringRows(t, db); after != before {
			t.Errorf("refused partners wrote %v, was %v", after, before)
		}

		// Years: stored, then replaced.
		reg, _ := db.Registry(ctx)
		baerum, _ := reg.AtDate("0219", d("2010-01-01"))
		asker, _ := reg.AtDate("0220", d("2010-01-01"))
		if err := db.SaveRecurringYear(ctx, a.ID, &samrad.RecurringYear{ProgrammeID: art.ID, Year: 2008, Host: samrad.Organisation{ID: asker.ID}, Visits: 9000}); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveRecurringYear(ctx, a.ID, &samrad.RecurringYear{ProgrammeID: art.ID, Year: 2007, Host: samrad.Organisation{ID: baerum.ID}, Participants: 20}); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveRecurringYear(ctx, a.ID, &samrad.RecurringYear{ProgrammeID: art.ID, Year: 2007, Host: samrad.Organisation{ID: baerum.ID}, Participants: 25, Visits: 12000, Note: "første år"}); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveRecurringYear(ctx, a.ID, &samrad.RecurringYear{ProgrammeID: art.ID, Year: 2006}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("a year before the first: %v", err)
		}
		if err := db.SaveRecurringYear(ctx, a.ID, &samrad.RecurringYear{ProgrammeID: art.ID, Year: 2009, Host: samrad.Organisation{ID: 999999}}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("an unknown host: %v", err)
		}

		// Totals: one per span and measure.
		src := "Vestregionen: sak 24/2017"
		for _, tot := range []samrad.RecurringTotal{{FirstYear: 2007, LastYear: 2016, Measure: samrad.MeasureArtists, Value: 315, Source: src},
			{FirstYear: 2007, LastYear: 2016, Measure: samrad.MeasureVisits, Value: 153000, Source: src}} {
			tot.ProgrammeID = art.ID
			if err := db.AddRecurringTotal(ctx, a.ID, &tot); err != nil {
				t.Fatal(err)
			}
		}
		before = recurringRows(t, db)
		if err := db.AddRecurringTotal(ctx, a.ID, &samrad.RecurringTotal{ProgrammeID: art.ID, FirstYear: 2007, LastYear: 2016, Measure: samrad.MeasureArtists, Value: 316}); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("a total twice: %v", err)
		}
		if err := db.AddRecurringTotal(ctx, a.ID, &samrad.RecurringTotal{ProgrammeID: art.ID, FirstYear: 2016, LastYear: 2007, Measure: samrad.MeasureArtists, Value: 1}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("a span backwards: %v", err)
		}
		if err := db.AddRecurringTotal(ctx, other.ID, &samrad.RecurringTotal{ProgrammeID: art.ID, FirstYear: 2017, LastYear: 2018, Measure: samrad.MeasureArtists, Value: 1}); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("a total through another alliance: %v", err)
		}
		if after := recurringRows(t, db); after != before {
			t.Errorf("refused totals wrote %v, was %v", after, before)
		}

		k, _ := db.RecurringProgramme(ctx, a.ID, "kunst-rett-vest")
		if len(k.Years) != 2 || k.Years[0].Year != 2007 || k.Years[0].Participants != 25 || k.Years[0].Visits != 12000 || k.Years[0].Note != "første år" ||
			k.Years[0].Host.Code != "0219" || k.Years[1].Host.NameNB != "Asker" || k.Years[1].Participants != 0 {
			t.Errorf("years: %+v", k.Years)
		}
		if len(k.Totals) != 2 || k.Totals[0].Value != 315 || k.Totals[0].Measure != samrad.MeasureArtists || k.Totals[1].Value != 153000 || k.Totals[1].Source != src {
			t.Errorf("totals: %+v", k.Totals)
		}
		o, _ := db.RecurringProgramme(ctx, a.ID, "vestregionens-ungdomssymfonikere")
		if len(o.Partners) != 2 || o.Partners[0].Org.NameNB != "Kringkastingsorkesteret (KORK)" || o.Partners[1].Role != samrad.PartnerRehearsals {
			t.Errorf("partners: %+v", o.Partners)
		}
		list, _ = db.RecurringProgrammes(ctx, a.ID, false)
		if len(list[0].Totals) != 2 || len(list[1].Totals) != 0 {
			t.Errorf("totals with the list: %+v", list)
		}

		// Changing a programme keeps its children and may give it a new leader.
		o.NameEN, o.Leader, o.LeaderRole = "Vestregionen Youth Symphony Orchestra", samrad.Person{Name: "Ny Dirigent"}, "dirigent"
		if err := db.UpdateRecurring(ctx, &o); err != nil {
			t.Fatal(err)
		}
		o2, _ := db.RecurringProgramme(ctx, a.ID, o.Slug)
		if o2.Name("en") != "Vestregionen Youth Symphony Orchestra" || o2.Leader.Name != "Ny Dirigent" || len(o2.Partners) != 2 {
			t.Errorf("after update: %+v", o2)
		}
	})
}
