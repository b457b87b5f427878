package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

func TestBodiesSeatsMeetingsCases(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		if _, err := db.ImportMemberships(ctx, a.ID, "m.csv", []store.ImportRow{row(1, "34", "", "2021-01-01"), row(2, "0219", "2018-01-01", "")}, false); err != nil {
			t.Fatal(err)
		}
		reg, _ := db.Registry(ctx)
		innlandet, _ := reg.AtDate("34", d("2021-01-01"))
		baerum, _ := reg.AtDate("3024", d("2021-01-01"))
		oslo, _ := reg.AtDate("0301", d("2021-01-01"))

		board := samrad.Body{AllianceID: a.ID, Slug: "styret", NameNB: "Styret", NameEN: "The board", Kind: samrad.BodyBoard, Voting: samrad.VoteOnePerMember}
		if err := db.CreateBody(ctx, &board); err != nil {
			t.Fatal(err)
		}
		dup := board
		if err := db.CreateBody(ctx, &dup); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("duplicate body slug: %v, want ECONFLICT", err)
		}
		if got, err := db.BodyBySlug(ctx, a.ID, "styret"); err != nil || got.ID != board.ID || got.Voting != samrad.VoteOnePerMember {
			t.Errorf("BodyBySlug = %+v, %v", got, err)
		}

		chair := samrad.Person{Name: "Anne Marte Kolbjørnshus"}
		krog := samrad.Person{Name: "Lisbeth Hammer Krog", Title: "ordfører i Bærum"}
		for _, p := range []*samrad.Person{&chair, &krog} {
			if err := db.CreatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		seat := samrad.Seat{BodyID: board.ID, Person: chair, Represents: innlandet, Role: samrad.RoleChair, AttestedOn: d("2021-01-01")}
		if err := db.AddSeat(ctx, &seat); err != nil {
			t.Fatal(err)
		}
		if err := db.AddSeat(ctx, &samrad.Seat{BodyID: board.ID, Person: krog, Represents: baerum, Role: samrad.RoleMember, AttestedOn: d("2021-01-01")}); err != nil {
			t.Fatal(err)
		}
		// Bad input: a second chair at the same time, a member that is not
		// a member, an unknown person.
		if err := db.AddSeat(ctx, &samrad.Seat{BodyID: board.ID, Person: krog, Role: samrad.RoleChair, From: d("2021-06-01")}); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("overlapping chair: %v, want ECONFLICT", err)
		}
		if err := db.AddSeat(ctx, &samrad.Seat{BodyID: board.ID, Person: krog, Represents: oslo, Role: samrad.RoleMember, AttestedOn: d("2021-01-01")}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("seat for a non-member: %v, want EINVALID", err)
		}
		if err := db.AddSeat(ctx, &samrad.Seat{BodyID: board.ID, Person: samrad.Person{ID: 9999}, Role: samrad.RoleMember}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("unknown person: %v, want EINVALID", err)
		}
		seats, err := db.Seats(ctx, board.ID)
		if err != nil || len(seats) != 2 || seats[0].Person.Name != "Anne Marte Kolbjørnshus" || seats[0].Represents.Code != "34" || seats[1].Person.Title != "ordfører i Bærum" {
			t.Errorf("seats = %+v, %v", seats, err)
		}

		m := samrad.Meeting{BodyID: board.ID, Number: 3, Year: 2024, Start: time.Date(2024, 5, 30, 10, 0, 0, 0, time.UTC), Place: "Brussel"}
		if err := db.CreateMeeting(ctx, &m); err != nil {
			t.Fatal(err)
		}
		again := m
		if err := db.CreateMeeting(ctx, &again); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("meeting 3/2024 twice: %v, want ECONFLICT", err)
		}
		ms, err := db.Meetings(ctx, board.ID)
		if err != nil || len(ms) != 1 || ms[0].Label() != "3/2024" || !ms[0].Start.Equal(m.Start) || ms[0].Status != samrad.MeetingPlanned {
			t.Errorf("meetings = %+v, %v", ms, err)
		}

		// Case numbers: an old case keeps its number, new ones follow it,
		// and a withdrawn case's number is never given again.
		old := samrad.Case{AllianceID: a.ID, Year: 2017, Number: 24, Title: "Videreføring etter 2018?", Type: samrad.CaseDiscussion}
		if err := db.CreateCase(ctx, &old); err != nil {
			t.Fatal(err)
		}
		next := samrad.Case{AllianceID: a.ID, Year: 2017, Title: "Neste sak", Type: samrad.CaseDecision}
		if err := db.CreateCase(ctx, &next); err != nil || next.Number != 25 {
			t.Fatalf("next case = %d, %v; want 25", next.Number, err)
		}
		if err := db.WithdrawCase(ctx, next.ID); err != nil {
			t.Fatal(err)
		}
		third := samrad.Case{AllianceID: a.ID, Year: 2017, Title: "Tredje", Type: samrad.CaseOrientation}
		if err := db.CreateCase(ctx, &third); err != nil || third.Number != 26 {
			t.Errorf("after a withdrawn case: %d, %v; want 26", third.Number, err)
		}
		clash := samrad.Case{AllianceID: a.ID, Year: 2017, Number: 24, Title: "x", Type: samrad.CaseDecision}
		if err := db.CreateCase(ctx, &clash); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("case 24/2017 twice: %v, want ECONFLICT", err)
		}
		got, err := db.CaseByNumber(ctx, a.ID, 2017, 25)
		if err != nil || !got.Withdrawn || got.Title != "Neste sak" {
			t.Errorf("case 25/2017 = %+v, %v", got, err)
		}
		if first := (samrad.Case{AllianceID: a.ID, Year: 2018, Title: "Ny", Type: samrad.CaseDecision}); db.CreateCase(ctx, &first) != nil || first.Number != 1 {
			t.Errorf("first case of 2018 = %d", first.Number)
		}

		r := samrad.Rotation{AllianceID: a.ID, Org: baerum, Duty: "leadership", From: d("2017-07-01"), To: d("2018-12-31")}
		if err := db.AddRotation(ctx, &r); err != nil {
			t.Fatal(err)
		}
		overlap := samrad.Rotation{AllianceID: a.ID, Org: innlandet, Duty: "leadership", From: d("2018-06-01")}
		if err := db.AddRotation(ctx, &overlap); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("overlapping rotation: %v, want ECONFLICT", err)
		}
		rs, err := db.Rotations(ctx, a.ID)
		if err != nil || len(rs) != 1 || rs[0].Org.Code != "3024" {
			t.Errorf("rotations = %+v, %v", rs, err)
		}
	})
}

func TestCaseNumberScheme(t *testing.T) {
	for scheme, want := range map[string]string{"": "24/2017", "{n}/{yyyy}": "24/2017", "{n}/{yy}": "24/17", "sak {n}/{yy}": "sak 24/17"} {
		if got := samrad.CaseNumber(scheme, 24, 2017); got != want {
			t.Errorf("CaseNumber(%q) = %q, want %q", scheme, got, want)
		}
	}
}

func TestMeetingAgendaVotesAndCasePath(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "or")
		if _, err := db.ImportMemberships(ctx, a.ID, "m.csv", []store.ImportRow{row(1, "0301", "2010-01-01", ""), row(2, "0219", "2010-01-01", "")}, false); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportPopulation(ctx, "p.csv", "SSB", []store.PopulationRow{{Code: "0301", Year: 2019, Persons: 681071}, {Code: "0219", Year: 2019, Persons: 126621}}); err != nil {
			t.Fatal(err)
		}
		reg, _ := db.Registry(ctx)
		oslo, _ := reg.AtDate("0301", d("2019-03-01"))
		baerum, _ := reg.AtDate("0219", d("2019-03-01"))
		board := samrad.Body{AllianceID: a.ID, Slug: "styret", NameNB: "Styret", Kind: samrad.BodyBoard, Voting: samrad.VoteOnePerMember}
		council := samrad.Body{AllianceID: a.ID, Slug: "radet", NameNB: "Rådet", Kind: samrad.BodyCouncil, Voting: samrad.VoteByPopulation}
		for _, b := range []*samrad.Body{&board, &council} {
			if err := db.CreateBody(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		p1, p2, outsider := samrad.Person{Name: "Ordfører Oslo"}, samrad.Person{Name: "Ordfører Bærum"}, samrad.Person{Name: "Tilskuer"}
		for _, p := range []*samrad.Person{&p1, &p2, &outsider} {
			if err := db.CreatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		for _, b := range []samrad.Body{board, council} {
			for _, s := range []samrad.Seat{{BodyID: b.ID, Person: p1, Represents: oslo, Role: samrad.RoleMember, From: d("2019-01-01")},
				{BodyID: b.ID, Person: p2, Represents: baerum, Role: samrad.RoleMember, From: d("2019-01-01")}} {
				if err := db.AddSeat(ctx, &s); err != nil {
					t.Fatal(err)
				}
			}
		}
		fee := samrad.Case{AllianceID: a.ID, Year: 2019, Title: "Kontingent 2020", Type: samrad.CaseDecision}
		if err := db.CreateCase(ctx, &fee); err != nil {
			t.Fatal(err)
		}
		bm := samrad.Meeting{BodyID: board.ID, Number: 1, Year: 2019, Start: time.Date(2019, 3, 5, 9, 0, 0, 0, time.UTC)}
		cm := samrad.Meeting{BodyID: council.ID, Number: 1, Year: 2019, Start: time.Date(2019, 5, 28, 9, 0, 0, 0, time.UTC)}
		for _, m := range []*samrad.Meeting{&cm, &bm} {
			if err := db.CreateMeeting(ctx, m); err != nil {
				t.Fatal(err)
			}
			if err := db.AddAgendaItem(ctx, m.ID, fee.ID, 1); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.AddAgendaItem(ctx, bm.ID, fee.ID, 2); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("the same case twice on an agenda: %v", err)
		}
		path, err := db.CasePath(ctx, fee.ID)
		if err != nil || len(path) != 2 || path[0].Body.Slug != "styret" || path[1].Body.Slug != "radet" {
			t.Fatalf("case path = %+v, %v; want board then council", path, err)
		}
		// Votes only in a held meeting, from seat holders.
		vote := func(m samrad.Meeting, p samrad.Person, org samrad.Organisation, c samrad.Choice) error {
			return db.RecordVote(ctx, &samrad.Vote{MeetingID: m.ID, CaseID: fee.ID, Member: org, Person: p, Choice: c})
		}
		if err := vote(bm, p1, oslo, samrad.VoteYes); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("vote before the meeting is held: %v, want ECONFLICT", err)
		}
		if err := db.SetMeetingStatus(ctx, bm.ID, samrad.MeetingHeld); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("skipping a status: %v, want ECONFLICT", err)
		}
		for _, m := range []samrad.Meeting{bm, cm} {
			for _, st := range []samrad.MeetingStatus{samrad.MeetingNoticeSent, samrad.MeetingHeld} {
				if err := db.SetMeetingStatus(ctx, m.ID, st); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := vote(bm, outsider, oslo, samrad.VoteYes); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("vote by someone without a seat: %v, want EINVALID", err)
		}
		if err := vote(bm, p2, oslo, samrad.VoteYes); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("vote for another member: %v, want EINVALID", err)
		}
		if err := vote(bm, p1, oslo, samrad.VoteYes); err != nil {
			t.Fatal(err)
		}
		if err := vote(bm, p1, oslo, samrad.VoteNo); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("voting twice: %v", err)
		}
		if err := db.RecordVote(ctx, &samrad.Vote{MeetingID: bm.ID, CaseID: fee.ID, Member: baerum, Person: p2, Conflict: true}); err != nil {
			t.Fatal(err)
		}
		votes, _ := db.Votes(ctx, bm.ID, fee.ID)
		if r := samrad.Tally(votes); !r.Adopted || r.Yes != 1 || len(r.Conflicts) != 1 {
			t.Errorf("board result: %+v", r)
		}
		// The council weighs votes by population on 1 January of the meeting year.
		if err := vote(cm, p1, oslo, samrad.VoteNo); err != nil {
			t.Fatal(err)
		}
		if err := vote(cm, p2, baerum, samrad.VoteYes); err != nil {
			t.Fatal(err)
		}
		votes, _ = db.Votes(ctx, cm.ID, fee.ID)
		if r := samrad.Tally(votes); r.Adopted || r.No != 681071 || r.Yes != 126621 {
			t.Errorf("council result: %+v", r)
		}
		// Minutes change until approved.
		if err := db.SetMinutes(ctx, bm.ID, "Vedtak: kontingenten videreføres."); err != nil {
			t.Fatal(err)
		}
		if err := db.SetMeetingStatus(ctx, bm.ID, samrad.MeetingMinutesApproved); err != nil {
			t.Fatal(err)
		}
		if err := db.SetMinutes(ctx, bm.ID, "endret"); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("changing approved minutes: %v", err)
		}
		m, b, err := db.Meeting(ctx, bm.ID)
		if err != nil || m.Minutes != "Vedtak: kontingenten videreføres." || b.Slug != "styret" || m.MinutesPublic() {
			t.Errorf("meeting = %+v, body %s, %v", m, b.Slug, err)
		}
	})
}
