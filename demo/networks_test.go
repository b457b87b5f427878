package demo_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// TestDemoNetworks checks the demo's networks and recurring programmes
// against what the sources say, and that nothing they do not say is
// stored: no fees, contacts or renewal dates for ORE's networks, no hosts
// or yearly figures for Kunst rett vest.
func TestDemoNetworks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		alliance := func(slug string) samrad.Alliance {
			a, err := db.AllianceBySlug(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		network := func(a samrad.Alliance, slug string) samrad.Network {
			n, err := db.Network(ctx, a.ID, slug)
			if err != nil {
				t.Fatalf("%s/%s: %v", a.Slug, slug, err)
			}
			return n
		}
		ore, vr, viken := alliance("ore"), alliance("vestregionen"), alliance("viken-nettverk")

		list, err := db.Networks(ctx, ore.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, n := range list {
			names = append(names, n.Slug)
			if n.Kind != samrad.NetworkExternal || n.Fee != nil || n.FeeNote != "" || n.ContactPersonID != 0 || !n.RenewalDate.IsZero() || !n.Published {
				t.Errorf("ORE's %s: %+v; the source gives no fee, contact or renewal date", n.Slug, n)
			}
		}
		if want := "aer bsssc cpmr errin euregha eurocities"; netJoin(names) != want {
			t.Errorf("ORE's networks: %s, want %s", netJoin(names), want)
		}

		t20 := network(vr, "transport-2-0")
		if t20.Kind != samrad.NetworkInternal || t20.Openness != samrad.OpenToAll || t20.Founded != samrad.Jan1(2014) ||
			t20.FoundedPrecision != samrad.PrecisionYear || t20.OrganiserID != 0 {
			t.Errorf("Transport 2.0: kind %s, openness %s, founded %s (%s), organiser %d", t20.Kind, t20.Openness, t20.Founded, t20.FoundedPrecision, t20.OrganiserID)
		}
		var coord []string
		for _, p := range t20.Coordination(samrad.Today()) {
			coord = append(coord, p.Org.Code)
		}
		if want := "buskerudbyen electric-mobility-norway forskningsradet innovasjon-norge smart-city-baerum vestregionen"; netJoin(coord) != want {
			t.Errorf("coordination group: %s, want %s", netJoin(coord), want)
		}
		if len(t20.Activities) != 4 {
			t.Fatalf("Transport 2.0 activities: %+v", t20.Activities)
		}
		kick := t20.Activities[0]
		if kick.Kind != samrad.ActivityConference || kick.Starts != samrad.MustDate("2015-02-01") || kick.Precision != samrad.PrecisionMonth {
			t.Errorf("kick-off conference: %+v", kick)
		}
		kinds := map[samrad.ActivityKind]int{}
		for _, a := range t20.Activities[1:] {
			kinds[a.Kind]++
			if !a.Starts.IsZero() {
				t.Errorf("%s is dated %s; the source gives no date", a.TitleNB, a.Starts)
			}
		}
		if kinds[samrad.ActivityStudyTrip] != 2 || kinds[samrad.ActivityBreakfast] != 1 {
			t.Errorf("activities: %v", kinds)
		}

		bpa := network(vr, "bpa-erfaringsnettverk")
		health := network(vr, "folkehelsenettverk")
		if len(bpa.Participants) != 0 || len(health.Participants) != 1 || health.Participants[0].Org.Code != "ks-btv" {
			t.Errorf("BPA participants %+v, public health %+v", bpa.Participants, health.Participants)
		}

		vn := network(viken, "internasjonalt-kommunenettverk")
		if vn.Organiser.Code != "30" || vn.RhythmNB != "to ganger i året" || vn.Openness != samrad.OpenToMembership || !vn.Founded.IsZero() {
			t.Errorf("Viken's network: organiser %q, rhythm %q, openness %q, founded %s", vn.Organiser.Code, vn.RhythmNB, vn.Openness, vn.Founded)
		}
		people := map[string]string{}
		for _, p := range vn.Participants {
			people[p.Person.Name] = p.Org.Code + " " + p.Title
		}
		for name, want := range map[string]string{"Martine Bonarjee": "30 rådgiver, internasjonal seksjon", "Dag Aanensen": "drammensregionen sekretariatsleder",
			"Roger Ryberg": "30 fylkesordfører", "Heidi Eriksson": "3014 prosjektleder", "Jan Olav Helling": "hallingdal-regionrad dagleg leiar",
			"Hanne Westerveld Jensen": "3014 prosjektleder", "Espen Holtan": "30 leder, internasjonal seksjon", "Johanne Meyer": "30 rådgiver"} {
			if people[name] != want {
				t.Errorf("%s: %q, want %q", name, people[name], want)
			}
		}
		if len(people) != 8 {
			t.Errorf("%d people in Viken's network, want the 8 the source names", len(people))
		}
		if len(vn.Activities) != 1 || vn.Activities[0].Event.Slug != "oppstart-drammen" || vn.Activities[0].Participants != 25 ||
			vn.Activities[0].Starts != samrad.MustDate("2022-05-05") || vn.Activities[0].Ends != samrad.MustDate("2022-05-06") {
			t.Errorf("kick-off: %+v", vn.Activities)
		}

		orch, err := db.RecurringProgramme(ctx, vr.ID, "vestregionens-ungdomssymfonikere")
		if err != nil {
			t.Fatal(err)
		}
		if orch.AgeMin != 8 || orch.AgeMax != 18 || orch.GatheringsPerYear != 8 || !orch.GatheringsApprox() || orch.Leader.Name != "Kjell Seim" ||
			orch.LeaderRole != "dirigent" || orch.FirstYear != 0 || len(orch.Years) != 0 {
			t.Errorf("orchestra: %+v", orch)
		}
		roles := map[string]string{}
		for _, p := range orch.Partners {
			roles[p.Org.Code] = p.Role
		}
		for code, role := range map[string]string{"oslo-filharmonien": samrad.PartnerRehearsals, "kork": samrad.PartnerRehearsals,
			"vus-venneforening": samrad.PartnerActivities, "de-unges-orkesterforbund": samrad.PartnerUmbrella, "vestregionen": samrad.PartnerFunding} {
			if roles[code] != role {
				t.Errorf("partner %s: %q, want %q", code, roles[code], role)
			}
		}
		krv, err := db.RecurringProgramme(ctx, vr.ID, "kunst-rett-vest")
		if err != nil {
			t.Fatal(err)
		}
		if krv.FirstYear != 2007 || len(krv.Years) != 0 || len(krv.Partners) != 0 || len(krv.Totals) != 2 {
			t.Fatalf("Kunst rett vest: %+v", krv)
		}
		totals := map[string]int64{}
		for _, x := range krv.Totals {
			if x.FirstYear != 2007 || x.LastYear != 2016 {
				t.Errorf("total over %d–%d", x.FirstYear, x.LastYear)
			}
			totals[x.Measure] = x.Value
		}
		if totals[samrad.MeasureArtists] != 315 || totals[samrad.MeasureVisits] != 153000 {
			t.Errorf("totals: %v", totals)
		}
	})
}

// netJoin sorts the names and joins them with spaces.
func netJoin(xs []string) string {
	sorted := append([]string(nil), xs...)
	sort.Strings(sorted)
	return strings.Join(sorted, " ")
}
