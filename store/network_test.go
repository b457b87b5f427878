package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// newOrg stores an organisation without an official code.
func netTestOrg(t *testing.T, db *store.DB, code, name string) samrad.Organisation {
	t.Helper()
	o := samrad.Organisation{Kind: samrad.KindOther, Code: code, NameNB: name, NameEN: name}
	if err := db.CreateOrganisation(context.Background(), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// netCounts is what a refused change must leave as it was.
type netCounts struct {
	people, participants, groups, activities, audit int
	version                                         string
}

func netCountRows(t *testing.T, db *store.DB) netCounts {
	t.Helper()
	var c netCounts
	for _, x := range []struct {
		table string
		n     *int
	}{{"people", &c.people}, {"network_participants", &c.participants}, {"network_working_groups", &c.groups},
		{"network_activities", &c.activities}, {"audit_log", &c.audit}} {
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + x.table).Scan(x.n); err != nil {
			t.Fatal(err)
		}
	}
	v, err := db.Version(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c.version = v
	return c
}

// refused checks that err has the code and that nothing was written.
func netRefused(t *testing.T, db *store.DB, what string, before netCounts, err error, code string) {
	t.Helper()
	if samrad.ErrorCode(err) != code {
		t.Errorf("%s: %v, want %s", what, err, code)
	}
	if after := netCountRows(t, db); after != before {
		t.Errorf("%s wrote something: %+v, was %+v", what, after, before)
	}
}

func TestNetworksCreateAndRead(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "vestregionen")
		reg, err := db.Registry(ctx)
		if err != nil {
			t.Fatal(err)
		}
		viken, _ := reg.AtDate("30", d("2022-05-05"))
		contact := samrad.Person{Name: "Gunnar Selvik", Title: "daglig leder", Email: "gunnar@example.no"}
		if err := db.CreatePerson(ctx, &contact); err != nil {
			t.Fatal(err)
		}
		fee := samrad.NOK(12500)
		errin := samrad.Network{AllianceID: a.ID, Slug: "errin", Kind: samrad.NetworkExternal, NameNB: "ERRIN", Openness: samrad.OpenToMembership,
			Fee: &fee, FeeNote: "per år", ContactPersonID: contact.ID, RenewalDate: d("2031-01-01"), Published: true}
		transport := samrad.Network{AllianceID: a.ID, Slug: "transport-2-0", Kind: samrad.NetworkInternal, NameNB: "Transport 2.0 – Nettverk for grønn mobilitet",
			NameEN: "Transport 2.0 – Network for green mobility", Founded: d("2014-01-01"), FoundedPrecision: samrad.PrecisionYear,
			RhythmNB: "månedlige frokostmøter", RhythmEN: "monthly breakfast meetings", Published: true}
		kommunenettverk := samrad.Network{AllianceID: a.ID, Slug: "kommunenettverk", Kind: samrad.NetworkInternal, NameNB: "Kommunenettverk",
			OrganiserID: viken.ID, JoinInfoNB: "Ta kontakt med internasjonal seksjon."}
		for _, n := range []*samrad.Network{&errin, &transport, &kommunenettverk} {
			if err := db.CreateNetwork(ctx, n); err != nil {
				t.Fatalf("%s: %v", n.Slug, err)
			}
		}
		before := netCountRows(t, db)
		dup := samrad.Network{AllianceID: a.ID, Slug: "errin", Kind: samrad.NetworkExternal, NameNB: "ERRIN igjen"}
		err = db.CreateNetwork(ctx, &dup)
		netRefused(t, db, "duplicate slug", before, err, samrad.ECONFLICT)
		internalFee := samrad.Network{AllianceID: a.ID, Slug: "med-kontingent", Kind: samrad.NetworkInternal, NameNB: "Med kontingent", Fee: &fee}
		netRefused(t, db, "fee of an internal network", before, db.CreateNetwork(ctx, &internalFee), samrad.EINVALID)
		noDate := samrad.Network{AllianceID: a.ID, Slug: "uten-dato", Kind: samrad.NetworkInternal, NameNB: "Uten dato", FoundedPrecision: samrad.PrecisionYear}
		netRefused(t, db, "a precision without a date", before, db.CreateNetwork(ctx, &noDate), samrad.EINVALID)
		ghost := samrad.Network{AllianceID: a.ID, Slug: "ukjent", Kind: samrad.NetworkInternal, NameNB: "Ukjent arrangør", OrganiserID: 999999}
		netRefused(t, db, "an unknown organiser", before, db.CreateNetwork(ctx, &ghost), samrad.EINVALID)

		public, err := db.Networks(ctx, a.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(public) != 2 || public[0].Slug != "transport-2-0" || public[1].Slug != "errin" {
			t.Fatalf("public networks: %+v", public)
		}
		all, _ := db.Networks(ctx, a.ID, true)
		if len(all) != 3 || all[0].Slug != "kommunenettverk" || all[0].Organiser.Code != "30" || all[0].Organiser.NameNB != "Viken" {
			t.Fatalf("all networks: %+v", all)
		}
		got, err := db.Network(ctx, a.ID, "errin")
		if err != nil {
			t.Fatal(err)
		}
		if got.Fee == nil || *got.Fee != samrad.NOK(12500) || got.FeeNote != "per år" || got.Contact.Name != "Gunnar Selvik" || got.Contact.Email != "" ||
			!got.RenewalDate.Equal(d("2031-01-01")) || got.Openness != samrad.OpenToMembership || !got.Published {
			t.Errorf("errin read back as %+v", got)
		}
		tr, _ := db.Network(ctx, a.ID, "transport-2-0")
		if tr.Fee != nil || tr.Founded.FormatAs(tr.FoundedPrecision) != "2014" || tr.Rhythm("en") != "monthly breakfast meetings" || tr.Openness != samrad.OpenToAll {
			t.Errorf("transport read back as %+v", tr)
		}
		// Changing it: the slug moves, the fee goes.
		got.Slug, got.Fee, got.Published = "errin-nettverket", nil, false
		if err := db.UpdateNetwork(ctx, &got); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Network(ctx, a.ID, "errin"); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("old slug: %v", err)
		}
		moved, _ := db.Network(ctx, a.ID, "errin-nettverket")
		if moved.Fee != nil || moved.Published {
			t.Errorf("update not stored: %+v", moved)
		}
		moved.Slug = "transport-2-0"
		if err := db.UpdateNetwork(ctx, &moved); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("update to a taken slug: %v", err)
		}
		other := newAlliance(t, db, "ore")
		moved.Slug, moved.AllianceID = "errin-nettverket", other.ID
		if err := db.UpdateNetwork(ctx, &moved); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("update through another alliance: %v", err)
		}
	})
}

func TestNetworkParticipants(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "vestregionen")
		n := samrad.Network{AllianceID: a.ID, Slug: "transport-2-0", Kind: samrad.NetworkInternal, NameNB: "Transport 2.0", Published: true}
		if err := db.CreateNetwork(ctx, &n); err != nil {
			t.Fatal(err)
		}
		emn := netTestOrg(t, db, "electric-mobility-norway", "Electric Mobility Norway")
		bbyen := netTestOrg(t, db, "buskerudbyen", "Buskerudbyen")
		viken := netTestOrg(t, db, "viken-test", "Viken fylkeskommune")
		for _, p := range []samrad.NetworkParticipant{
			{NetworkID: n.ID, Org: samrad.Organisation{ID: emn.ID}, Role: samrad.ParticipantCoordination},
			{NetworkID: n.ID, Org: samrad.Organisation{ID: bbyen.ID}, Role: samrad.ParticipantCoordination},
			{NetworkID: n.ID, Org: samrad.Organisation{ID: viken.ID}, Person: samrad.Person{Name: "Martine Bonarjee"}, Title: "rådgiver", Joined: d("2022-05-05")},
			{NetworkID: n.ID, Org: samrad.Organisation{ID: viken.ID}, Person: samrad.Person{Name: "Johanne Meyer"}, Title: "rådgiver"},
			{NetworkID: n.ID, Person: samrad.Person{Name: "Kari Uavhengig"}, Title: "konsulent"},
		} {
			if err := db.AddParticipant(ctx, a.ID, &p); err != nil {
				t.Fatalf("%+v: %v", p, err)
			}
		}
		got, err := db.Network(ctx, a.ID, n.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Participants) != 5 || got.Participants[2].Person.Name != "Martine Bonarjee" || got.Participants[2].Person.Title != "rådgiver" ||
			got.Participants[2].Org.NameNB != "Viken fylkeskommune" || !got.Participants[2].Joined.Equal(d("2022-05-05")) {
			t.Fatalf("participants: %+v", got.Participants)
		}
		today := samrad.Today()
		if c := got.Coordination(today); len(c) != 2 || c[0].Org.NameNB != "Electric Mobility Norway" || c[1].Org.NameNB != "Buskerudbyen" {
			t.Errorf("coordination group: %+v", c)
		}
		groups := got.ParticipantsByOrg(today)
		if len(groups) != 2 || groups[0].Org.NameNB != "Viken fylkeskommune" || len(groups[0].People) != 2 || groups[1].Org.ID != 0 ||
			groups[1].People[0].Person.Name != "Kari Uavhengig" {
			t.Errorf("participants by organisation: %+v", groups)
		}
		martine := got.Participants[2]

		other := newAlliance(t, db, "ore")
		before := netCountRows(t, db)
		for _, p := range []samrad.NetworkParticipant{
			{NetworkID: n.ID, Org: samrad.Organisation{ID: viken.ID}, Person: samrad.Person{ID: martine.Person.ID}},    // the same person again
			{NetworkID: n.ID, Org: samrad.Organisation{ID: viken.ID}, Person: samrad.Person{Name: "Martine Bonarjee"}}, // the same form sent twice
			{NetworkID: n.ID, Org: samrad.Organisation{ID: emn.ID}},                                                    // the organisation again
		} {
			netRefused(t, db, "participant twice", before, db.AddParticipant(ctx, a.ID, &p), samrad.ECONFLICT)
		}
		netRefused(t, db, "no one", before, db.AddParticipant(ctx, a.ID, &samrad.NetworkParticipant{NetworkID: n.ID}), samrad.EINVALID)
		netRefused(t, db, "unknown organisation", before, db.AddParticipant(ctx, a.ID, &samrad.NetworkParticipant{NetworkID: n.ID,
			Org: samrad.Organisation{ID: 999999}, Person: samrad.Person{Name: "Ny Person"}}), samrad.EINVALID)
		netRefused(t, db, "left before joined", before, db.AddParticipant(ctx, a.ID, &samrad.NetworkParticipant{NetworkID: n.ID,
			Person: samrad.Person{Name: "Ny Person"}, Joined: d("2022-05-05"), Left: d("2022-01-01")}), samrad.EINVALID)
		netRefused(t, db, "through another alliance", before, db.AddParticipant(ctx, other.ID, &samrad.NetworkParticipant{NetworkID: n.ID,
			Person: samrad.Person{Name: "Ny Person"}}), samrad.ENOTFOUND)
		netRefused(t, db, "end before joining", before, db.EndParticipant(ctx, a.ID, martine.ID, d("2022-01-01")), samrad.EINVALID)
		netRefused(t, db, "end through another alliance", before, db.EndParticipant(ctx, other.ID, martine.ID, d("2023-01-01")), samrad.ENOTFOUND)

		// Once she has left, she may join again.
		if err := db.EndParticipant(ctx, a.ID, martine.ID, d("2023-12-31")); err != nil {
			t.Fatal(err)
		}
		if err := db.EndParticipant(ctx, a.ID, martine.ID, d("2024-01-01")); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("ended twice: %v", err)
		}
		again := samrad.NetworkParticipant{NetworkID: n.ID, Org: samrad.Organisation{ID: viken.ID}, Person: samrad.Person{ID: martine.Person.ID}, Joined: d("2024-01-01")}
		if err := db.AddParticipant(ctx, a.ID, &again); err != nil {
			t.Fatalf("joining again: %v", err)
		}
		got, _ = db.Network(ctx, a.ID, n.Slug)
		if len(got.Participants) != 6 || !got.Participants[2].Left.Equal(d("2023-12-31")) || got.Participants[2].ActiveOn(d("2023-12-31")) ||
			!got.Participants[2].ActiveOn(d("2023-12-30")) {
			t.Errorf("after leaving: %+v", got.Participants[2])
		}
		var people int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM people WHERE name = 'Martine Bonarjee'`).Scan(&people); err != nil || people != 1 {
			t.Errorf("Martine Bonarjee stored %d times: %v", people, err)
		}
	})
}

func TestNetworkWorkingGroupsAndActivities(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "viken-nettverk")
		other := newAlliance(t, db, "ore")
		internal := samrad.Network{AllianceID: a.ID, Slug: "kommunenettverk", Kind: samrad.NetworkInternal, NameNB: "Kommunenettverk for internasjonalt arbeid", Published: true}
		external := samrad.Network{AllianceID: a.ID, Slug: "errin", Kind: samrad.NetworkExternal, NameNB: "ERRIN", Published: true}
		for _, n := range []*samrad.Network{&internal, &external} {
			if err := db.CreateNetwork(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		kickoff := newEvent(t, db, a.ID, "oppstart-drammen", samrad.RegistrationSettings{})
		foreign := newEvent(t, db, other.ID, "kontaktgruppesamling", samrad.RegistrationSettings{})
		body := samrad.Body{AllianceID: other.ID, Slug: "styret", NameNB: "Styret", Kind: samrad.BodyBoard}
		if err := db.CreateBody(ctx, &body); err != nil {
			t.Fatal(err)
		}
		meeting := samrad.Meeting{BodyID: body.ID, Number: 1, Year: 2022, Start: time.Date(2022, 3, 1, 9, 0, 0, 0, time.UTC)}
		if err := db.CreateMeeting(ctx, &meeting); err != nil {
			t.Fatal(err)
		}

		g := samrad.WorkingGroup{NetworkID: external.ID, Name: "Smart Cities and Mobility", Person: samrad.Person{Name: "Gunnar Selvik"}, Note: "følges fra Brussel"}
		if err := db.AddWorkingGroup(ctx, a.ID, &g); err != nil {
			t.Fatal(err)
		}
		before := netCountRows(t, db)
		netRefused(t, db, "a working group twice", before, db.AddWorkingGroup(ctx, a.ID, &samrad.WorkingGroup{NetworkID: external.ID, Name: "Smart Cities and Mobility"}), samrad.ECONFLICT)
		netRefused(t, db, "a working group of an internal network", before, db.AddWorkingGroup(ctx, a.ID, &samrad.WorkingGroup{NetworkID: internal.ID,
			Name: "Helse", Person: samrad.Person{Name: "Ny Person"}}), samrad.EINVALID)

		add := func(act samrad.NetworkActivity) error {
			act.NetworkID = internal.ID
			return db.AddActivity(ctx, a.ID, &act)
		}
		// Linked to the kick-off event and given no date: it takes the event's days.
		if err := add(samrad.NetworkActivity{Kind: samrad.ActivityGathering, TitleNB: "Oppstart i Drammen", Place: "Drammen", Participants: 25,
			Event: samrad.Event{Slug: "oppstart-drammen"}}); err != nil {
			t.Fatal(err)
		}
		for _, act := range []samrad.NetworkActivity{
			{Kind: samrad.ActivityStudyTrip, TitleNB: "Studietur til Helsinki"},
			{Kind: samrad.ActivityConference, TitleNB: "Oppstartskonferanse", Starts: d("2015-02-01"), Precision: samrad.PrecisionMonth},
			{Kind: samrad.ActivityMeeting, TitleNB: "Nettverksmøte", Starts: d("2023-05-01"), Ends: d("2023-05-02"), Precision: samrad.PrecisionDay},
		} {
			if err := add(act); err != nil {
				t.Fatalf("%s: %v", act.TitleNB, err)
			}
		}
		before = netCountRows(t, db)
		netRefused(t, db, "ends before it starts", before, add(samrad.NetworkActivity{Kind: samrad.ActivityMeeting, TitleNB: "Baklengs",
			Starts: d("2023-05-02"), Ends: d("2023-05-01"), Precision: samrad.PrecisionDay}), samrad.EINVALID)
		netRefused(t, db, "another alliance's event by slug", before, add(samrad.NetworkActivity{Kind: samrad.ActivityMeeting, TitleNB: "Fremmed",
			Event: samrad.Event{Slug: "kontaktgruppesamling"}}), samrad.EINVALID)
		netRefused(t, db, "another alliance's event by id", before, add(samrad.NetworkActivity{Kind: samrad.ActivityMeeting, TitleNB: "Fremmed",
			Event: samrad.Event{ID: foreign.ID}}), samrad.EINVALID)
		netRefused(t, db, "another alliance's meeting", before, add(samrad.NetworkActivity{Kind: samrad.ActivityMeeting, TitleNB: "Fremmed",
			Meeting: samrad.Meeting{ID: meeting.ID}}), samrad.EINVALID)
		netRefused(t, db, "unknown kind", before, add(samrad.NetworkActivity{Kind: "party", TitleNB: "Fest"}), samrad.EINVALID)

		got, err := db.Network(ctx, a.ID, "kommunenettverk")
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, act := range got.Activities {
			titles = append(titles, act.TitleNB)
		}
		if len(titles) != 4 || titles[0] != "Oppstartskonferanse" || titles[1] != "Nettverksmøte" || titles[2] != "Oppstart i Drammen" || titles[3] != "Studietur til Helsinki" {
			t.Fatalf("activities in date order, undated last: %q", titles)
		}
		kick := got.Activities[2]
		if kick.Event.ID != kickoff.ID || kick.Event.Slug != "oppstart-drammen" || kick.Event.TitleNB != kickoff.TitleNB || kick.Participants != 25 ||
			!kick.Starts.Equal(d("2030-03-10")) || !kick.Ends.Equal(d("2030-03-11")) || kick.Precision != samrad.PrecisionDay {
			t.Errorf("kick-off: %+v", kick)
		}
		if c := got.Activities[0]; c.Starts.FormatAs(c.Precision) != "2015-02" || c.Participants != 0 {
			t.Errorf("conference: %+v", c)
		}
		if h := got.Activities[3]; h.Precision != samrad.PrecisionUnknown || !h.Starts.IsZero() {
			t.Errorf("study trip: %+v", h)
		}
		ext, _ := db.Network(ctx, a.ID, "errin")
		if len(ext.WorkingGroups) != 1 || ext.WorkingGroups[0].Person.Name != "Gunnar Selvik" || ext.WorkingGroups[0].Note != "følges fra Brussel" {
			t.Errorf("working groups: %+v", ext.WorkingGroups)
		}
	})
}

func TestParseApproxDate(t *testing.T) {
	for _, c := range []struct {
		in, out string
		p       samrad.Precision
		bad     bool
	}{{"", "", samrad.PrecisionUnknown, false}, {"2014", "2014", samrad.PrecisionYear, false}, {"2015-02", "2015-02", samrad.PrecisionMonth, false},
		{"2022-05-05", "2022-05-05", samrad.PrecisionDay, false}, {"2015-13", "", "", true}, {"mai 2022", "", "", true}, {"2023-02-30", "", "", true}} {
		got, p, err := samrad.ParseApproxDate(c.in)
		if (err != nil) != c.bad || (!c.bad && (got.FormatAs(p) != c.out || p != c.p)) {
			t.Errorf("%q: %v %s %v", c.in, got, p, err)
		}
	}
}
