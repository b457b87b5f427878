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

// TestDemoAgreementsAndServices checks the agreements and service
// catalogues against what the sources say.
func TestDemoAgreementsAndServices(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		vr, _ := db.AllianceBySlug(ctx, "vestregionen")
		list, err := db.Agreements(ctx, vr.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 {
			t.Fatalf("%d published agreements of Vestregionen, want 3", len(list))
		}

		hsn, err := db.Agreement(ctx, vr.ID, "hogskolen-i-sorost-norge")
		if err != nil {
			t.Fatal(err)
		}
		if hsn.Kind != samrad.AgreementCooperation || hsn.SignedOn.FormatAs(hsn.SignedPrecision) != "2014-05" || !hsn.Starts.IsZero() || !hsn.Ends.IsZero() {
			t.Errorf("HSN agreement: %s signed %s (%s), %s–%s", hsn.Kind, hsn.SignedOn, hsn.SignedPrecision, hsn.Starts, hsn.Ends)
		}
		var areas []string
		for _, a := range hsn.Areas {
			areas = append(areas, a.NameNB)
		}
		if got := strings.Join(areas, "; "); got != "Ledelse; Helse og omsorg; Velferdsteknologi; Region- og byutvikling; Kommunalutvikling" {
			t.Errorf("HSN areas: %s", got)
		}
		if len(hsn.Signatories) != 1 || hsn.Signatories[0].Person.ID != 0 || hsn.Signatories[0].Label("nb") != "rektor, Høgskolen i Sørøst-Norge" {
			t.Errorf("HSN signatories: %+v", hsn.Signatories)
		}
		var codes []string
		for _, p := range hsn.PartiesAs(samrad.PartyParty) {
			codes = append(codes, p.Org.Code)
		}
		if strings.Join(codes, ",") != "hsn,vestregionen" {
			t.Errorf("HSN parties: %v", codes)
		}

		fag, err := db.Agreement(ctx, vr.ID, "fagskolen-tinius-olsen")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := fag.Party(fagskolenID(t, ctx, db)); !ok || !fag.SignedOn.IsZero() || len(fag.Signatories) != 0 {
			t.Errorf("Fagskolen agreement: parties %+v, signed %s, %d signatories", fag.Parties, fag.SignedOn, len(fag.Signatories))
		}

		bpa, err := db.Agreement(ctx, vr.ID, "bpa-rammeavtale-2016-2018")
		if err != nil {
			t.Fatal(err)
		}
		if bpa.Kind != samrad.AgreementFramework || bpa.Starts.String() != "2016-01-01" || bpa.Ends.String() != "2018-12-31" {
			t.Errorf("BPA: %s %s–%s", bpa.Kind, bpa.Starts, bpa.Ends)
		}
		joined := bpa.PartiesAs(samrad.PartyJoined)
		if len(bpa.Parties) != 2 || len(joined) != 2 || joined[0].Org.Code != "0532" || joined[1].Org.Code != "0604" {
			t.Errorf("BPA parties: %+v", bpa.Parties)
		}
		if !strings.Contains(bpa.PartiesNoteNB, "13 kommuner") || !strings.Contains(bpa.PartiesNoteNB, "seks kommersielle leverandører") ||
			!strings.Contains(bpa.PartiesNoteEN, "six commercial suppliers") {
			t.Errorf("BPA note: %q / %q", bpa.PartiesNoteNB, bpa.PartiesNoteEN)
		}
		for _, g := range list {
			if g.Source != demo.SourceVestregionen || g.DescriptionNB == "" || g.DescriptionEN == "" || g.TitleEN == "" {
				t.Errorf("%s: source %q, or a text missing", g.Slug, g.Source)
			}
		}

		// ORE's six services in the source's order; Vestregionen's one.
		ore, _ := db.AllianceBySlug(ctx, "ore")
		svcs, err := db.Services(ctx, ore.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(svcs) != 6 || !strings.HasPrefix(svcs[0].NameNB, "Henvendelser til EU/EFTAs") || !strings.HasPrefix(svcs[5].NameNB, "Yte bistand til å knytte internasjonale kontakter") {
			t.Fatalf("ORE services: %d", len(svcs))
		}
		for i, s := range svcs {
			if s.Position != i+1 || s.NameEN == "" || s.Source != demo.SourceORE {
				t.Errorf("ORE service %d: position %d, English %q, source %q", i+1, s.Position, s.NameEN, s.Source)
			}
		}
		vsv, err := db.Services(ctx, vr.ID, false)
		if err != nil || len(vsv) != 1 || !strings.Contains(vsv[0].DescriptionNB, "brukere, eksterne leverandører og media") {
			t.Errorf("Vestregionen services: %v %+v", err, vsv)
		}
		// The sources name no single request, so the logs are empty.
		for _, a := range []samrad.Alliance{ore, vr} {
			if reqs, err := db.Requests(ctx, a.ID, samrad.RequestFilter{}); err != nil || len(reqs) != 0 {
				t.Errorf("%s request log: %d, %v", a.Slug, len(reqs), err)
			}
		}
	})
}

func fagskolenID(t *testing.T, ctx context.Context, db *store.DB) int64 {
	t.Helper()
	reg, err := db.Registry(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range reg.ByCode("fagskolen-tinius-olsen") {
		return o.ID
	}
	t.Fatal("no Fagskolen Tinius Olsen in the registry")
	return 0
}
