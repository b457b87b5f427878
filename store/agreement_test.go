package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

var agreementTables = []string{"agreements", "agreement_parties", "agreement_areas", "agreement_signatories", "agreement_documents", "people", "audit_log"}

func TestAgreementsWithPartiesAreasAndValidation(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		vr := newAlliance(t, db, "vestregionen")
		ore := newAlliance(t, db, "ore")
		var net, foreignNet int64
		for _, n := range []struct {
			id   *int64
			alli int64
			slug string
		}{{&net, vr.ID, "bpa-erfaringsnettverk"}, {&foreignNet, ore.ID, "errin"}} {
			if err := db.SQL().QueryRow(`INSERT INTO networks (alliance_id, slug, kind, name_nb) VALUES ($1, $2, 'internal', $2) RETURNING id`, n.alli, n.slug).Scan(n.id); err != nil {
				t.Fatal(err)
			}
		}
		reg, _ := db.Registry(ctx)
		kongsberg, ok1 := reg.AtDate("0604", samrad.MustDate("2016-01-01"))
		jevnaker, ok2 := reg.AtDate("0532", samrad.MustDate("2016-01-01"))
		if !ok1 || !ok2 {
			t.Fatal("registry lacks Kongsberg or Jevnaker in 2016")
		}
		hsn := samrad.Organisation{Kind: samrad.KindInstitution, Code: "hsn", NameNB: "Høgskolen i Sørøst-Norge", Note: "tidligere Høgskolen i Buskerud"}
		if err := db.CreateOrganisation(ctx, &hsn); err != nil {
			t.Fatal(err)
		}
		d := samrad.MustDate
		good := func() samrad.Agreement {
			return samrad.Agreement{AllianceID: vr.ID, Kind: samrad.AgreementFramework, TitleNB: "Rammeavtale om brukerstyrt personlig assistanse",
				Starts: d("2016-01-01"), Ends: d("2018-12-31"), NetworkID: net, Published: true,
				PartiesNoteNB: "13 kommuner i Vestregionen og seks kommersielle leverandører (ikke navngitt i kilden)",
				Parties:       []samrad.AgreementParty{{Org: kongsberg, Role: samrad.PartyJoined}, {Org: jevnaker, Role: samrad.PartyJoined}},
				Areas:         []samrad.AgreementArea{{NameNB: "Brukerstyrt personlig assistanse"}}}
		}
		before := rowCounts(t, db, agreementTables...)
		for _, c := range []struct {
			name, field, code string
			edit              func(a *samrad.Agreement)
		}{
			{"ends before it starts", "ends", samrad.EINVALID, func(a *samrad.Agreement) { a.Ends = d("2015-12-31") }},
			{"renewal before the start", "renewal_date", samrad.EINVALID, func(a *samrad.Agreement) { a.RenewalDate = d("2015-06-01") }},
			{"the same organisation twice", "org", samrad.ECONFLICT, func(a *samrad.Agreement) {
				a.Parties = append(a.Parties, samrad.AgreementParty{Org: kongsberg, Role: samrad.PartyParty})
			}},
			{"another alliance's network", "network", samrad.EINVALID, func(a *samrad.Agreement) { a.NetworkID = foreignNet }},
			{"no such organisation", "org", samrad.EINVALID, func(a *samrad.Agreement) { a.Parties[1].Org.ID = 1 << 40 }},
			{"unknown role", "role", samrad.EINVALID, func(a *samrad.Agreement) { a.Parties[0].Role = "owner" }},
			{"unknown kind", "kind", samrad.EINVALID, func(a *samrad.Agreement) { a.Kind = "contract" }},
			{"no title", "title_nb", samrad.EINVALID, func(a *samrad.Agreement) { a.TitleNB = "" }},
			{"an empty area", "areas", samrad.EINVALID, func(a *samrad.Agreement) { a.Areas = append(a.Areas, samrad.AgreementArea{NameEN: "Leadership"}) }},
			{"a reserved slug", "slug", samrad.EINVALID, func(a *samrad.Agreement) { a.Slug = "ny" }},
		} {
			a := good()
			c.edit(&a)
			err := db.CreateAgreement(ctx, &a)
			var e *samrad.Error
			if samrad.ErrorCode(err) != c.code || !errors.As(err, &e) || e.Field != c.field {
				t.Errorf("%s: %v, want %s on %s", c.name, err, c.code, c.field)
			}
		}
		sameCounts(t, "refused agreements", before, rowCounts(t, db, agreementTables...))

		// A renewal date after the end is allowed.
		bpa := good()
		bpa.RenewalDate = d("2019-06-30")
		if err := db.CreateAgreement(ctx, &bpa); err != nil {
			t.Fatal(err)
		}
		if bpa.Slug != "rammeavtale-om-brukerstyrt-personlig-assistanse" {
			t.Errorf("slug %q", bpa.Slug)
		}
		again := good()
		if err := db.CreateAgreement(ctx, &again); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("the same slug again: %v", err)
		}
		coop := samrad.Agreement{AllianceID: vr.ID, Kind: samrad.AgreementCooperation, Slug: "hsn", TitleNB: "Samarbeidsavtale med Høgskolen i Sørøst-Norge",
			SignedOn: d("2014-05-01"), SignedPrecision: samrad.PrecisionMonth, Published: true,
			Parties: []samrad.AgreementParty{{Org: hsn, Role: samrad.PartyParty}},
			Areas:   []samrad.AgreementArea{{NameNB: "Ledelse", NameEN: "Leadership"}, {NameNB: "Helse og omsorg"}, {NameNB: "Velferdsteknologi"}}}
		draft := samrad.Agreement{AllianceID: vr.ID, Kind: samrad.AgreementCooperation, Slug: "utkast", TitleNB: "Utkast"}
		for _, a := range []*samrad.Agreement{&coop, &draft} {
			if err := db.CreateAgreement(ctx, a); err != nil {
				t.Fatal(err)
			}
		}

		// Adding a party twice is refused and writes nothing.
		before = rowCounts(t, db, agreementTables...)
		err := db.AddParty(ctx, vr.ID, bpa.ID, &samrad.AgreementParty{Org: samrad.Organisation{ID: jevnaker.ID}, Role: samrad.PartySupplier})
		var e *samrad.Error
		if samrad.ErrorCode(err) != samrad.ECONFLICT || !errors.As(err, &e) || e.Field != "org" || !strings.Contains(e.Message, "Jevnaker") {
			t.Errorf("the same party twice: %v", err)
		}
		if err := db.AddParty(ctx, ore.ID, bpa.ID, &samrad.AgreementParty{Org: hsn, Role: samrad.PartyParty}); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("a party to another alliance's agreement: %v", err)
		}
		if err := db.AddSignatory(ctx, vr.ID, &samrad.Signatory{AgreementID: coop.ID}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("a signatory without name or title: %v", err)
		}
		if err := db.AddAgreementDocument(ctx, vr.ID, &samrad.AgreementDocument{AgreementID: coop.ID, Title: "Avtalen", Filename: "avtale.exe"}, []byte("MZ")); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("a program as a document: %v", err)
		}
		if err := db.RemoveParty(ctx, vr.ID, bpa.ID, hsn.ID); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("removing a non-party: %v", err)
		}
		upd := coop
		upd.Ends = d("2013-01-01")
		upd.Starts = d("2014-06-01")
		if err := db.UpdateAgreement(ctx, &upd); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("editing to end before the start: %v", err)
		}
		sameCounts(t, "refused changes", before, rowCounts(t, db, agreementTables...))

		if err := db.AddParty(ctx, vr.ID, coop.ID, &samrad.AgreementParty{Org: samrad.Organisation{ID: kongsberg.ID}, Role: samrad.PartyJoined, JoinedOn: d("2015-01-01")}); err != nil {
			t.Fatal(err)
		}
		if err := db.RemoveParty(ctx, vr.ID, coop.ID, kongsberg.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.AddSignatory(ctx, vr.ID, &samrad.Signatory{AgreementID: coop.ID, Title: "rektor", Org: samrad.Organisation{ID: hsn.ID}}); err != nil {
			t.Fatal(err)
		}
		named := samrad.Signatory{AgreementID: coop.ID, Person: samrad.Person{Name: "Kari Leder"}, Title: "daglig leder", SignedOn: d("2014-05-20")}
		if err := db.AddSignatory(ctx, vr.ID, &named); err != nil {
			t.Fatal(err)
		}
		pdf := []byte("%PDF-1.4\navtale\n")
		doc := samrad.AgreementDocument{AgreementID: coop.ID, Title: "Signert avtale", Filename: "avtale.pdf"}
		if err := db.AddAgreementDocument(ctx, vr.ID, &doc, pdf); err != nil {
			t.Fatal(err)
		}
		// Areas are replaced in order by an update.
		upd = coop
		upd.Areas = append(coop.Areas, samrad.AgreementArea{NameNB: "Region- og byutvikling"}, samrad.AgreementArea{NameNB: "Kommunalutvikling"})
		upd.DescriptionNB = "Resultater: et utviklingsprogram for erfarne ledere."
		if err := db.UpdateAgreement(ctx, &upd); err != nil {
			t.Fatal(err)
		}

		got, err := db.Agreement(ctx, vr.ID, "hsn")
		if err != nil {
			t.Fatal(err)
		}
		if got.SignedOn.FormatAs(got.SignedPrecision) != "2014-05" || got.DescriptionNB != upd.DescriptionNB || !got.Published {
			t.Errorf("read back: %+v", got)
		}
		var areas []string
		for _, a := range got.Areas {
			areas = append(areas, a.NameNB)
		}
		if strings.Join(areas, "; ") != "Ledelse; Helse og omsorg; Velferdsteknologi; Region- og byutvikling; Kommunalutvikling" || got.Areas[0].NameEN != "Leadership" {
			t.Errorf("areas %q", areas)
		}
		if len(got.Parties) != 1 || got.Parties[0].Org.NameNB != "Høgskolen i Sørøst-Norge" || got.Parties[0].Role != samrad.PartyParty {
			t.Errorf("parties %+v", got.Parties)
		}
		if len(got.Signatories) != 2 || got.Signatories[0].Label("nb") != "rektor, Høgskolen i Sørøst-Norge" ||
			got.Signatories[1].Label("nb") != "Kari Leder, daglig leder" || got.Signatories[1].SignedOn.String() != "2014-05-20" {
			t.Errorf("signatories %+v", got.Signatories)
		}
		if len(got.Documents) != 1 || got.Documents[0].ContentType != "application/pdf" || got.Documents[0].Size != int64(len(pdf)) {
			t.Fatalf("documents %+v", got.Documents)
		}
		file, data, err := db.AgreementDocument(ctx, coop.ID, got.Documents[0].ID)
		if err != nil || string(data) != string(pdf) || file.Filename != "avtale.pdf" {
			t.Errorf("document: %v %+v", err, file)
		}
		if _, _, err := db.AgreementDocument(ctx, bpa.ID, got.Documents[0].ID); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("a document through another agreement: %v", err)
		}

		// The list: published only unless all, newest first, with parties.
		list, err := db.Agreements(ctx, vr.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Slug != bpa.Slug || list[1].Slug != "hsn" || len(list[0].Parties) != 2 || list[0].PartiesNoteNB == "" {
			t.Errorf("published agreements: %+v", list)
		}
		if !list[0].Ended(d("2019-01-01")) || list[0].Ended(d("2018-12-31")) || list[1].Ended(d("2030-01-01")) {
			t.Error("Ended is wrong")
		}
		if all, _ := db.Agreements(ctx, vr.ID, true); len(all) != 3 || all[2].Slug != "utkast" {
			t.Errorf("all agreements: %d", len(all))
		}
		if other, _ := db.Agreements(ctx, ore.ID, true); len(other) != 0 {
			t.Errorf("another alliance sees %d agreements", len(other))
		}
	})
}
