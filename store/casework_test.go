package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// TestDecisionsFollowTheCasePath records a board's recommendation and then
// the council's decision: the case's decision is the council's, and the
// board's stays on its own agenda item.
func TestDecisionsFollowTheCasePath(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "vr")
		board := samrad.Body{AllianceID: a.ID, Slug: "styret", NameNB: "Styret", Kind: samrad.BodyBoard}
		council := samrad.Body{AllianceID: a.ID, Slug: "radet", NameNB: "Rådet", Kind: samrad.BodyCouncil}
		for _, b := range []*samrad.Body{&board, &council} {
			if err := db.CreateBody(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		c := samrad.Case{AllianceID: a.ID, Year: 2017, Title: "Videreføring av Vestregionsamarbeidet etter 2018?", Type: samrad.CaseDecision}
		if err := db.CreateCase(ctx, &c); err != nil {
			t.Fatal(err)
		}
		bm := samrad.Meeting{BodyID: board.ID, Number: 4, Year: 2017, Start: time.Date(2017, 9, 1, 9, 0, 0, 0, time.UTC)}
		cm := samrad.Meeting{BodyID: council.ID, Number: 2, Year: 2017, Start: time.Date(2017, 10, 20, 9, 0, 0, 0, time.UTC)}
		for _, m := range []*samrad.Meeting{&bm, &cm} {
			if err := db.CreateMeeting(ctx, m); err != nil {
				t.Fatal(err)
			}
			if err := db.AddAgendaItem(ctx, m.ID, c.ID, 1); err != nil {
				t.Fatal(err)
			}
		}
		// The council decides before the board's text is typed in: the
		// council's decision still wins, as it is the later meeting.
		if err := db.SetDecision(ctx, cm.ID, c.ID, "Samarbeidet videreføres."); err != nil {
			t.Fatal(err)
		}
		if err := db.SetDecision(ctx, bm.ID, c.ID, "Styret anbefaler videreføring."); err != nil {
			t.Fatal(err)
		}
		got, err := db.CaseByNumber(ctx, a.ID, 2017, c.Number)
		if err != nil || got.Decision != "Samarbeidet videreføres." {
			t.Errorf("case decision = %q, %v; want the council's", got.Decision, err)
		}
		items, err := db.Agenda(ctx, bm.ID)
		if err != nil || len(items) != 1 || items[0].Decision != "Styret anbefaler videreføring." {
			t.Errorf("board agenda = %+v, %v", items, err)
		}
		// Bad input: a case not on the agenda, approved minutes.
		other := samrad.Case{AllianceID: a.ID, Year: 2017, Title: "Annen sak", Type: samrad.CaseOrientation}
		if err := db.CreateCase(ctx, &other); err != nil {
			t.Fatal(err)
		}
		if err := db.SetDecision(ctx, bm.ID, other.ID, "x"); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("decision on a case not on the agenda: %v, want ENOTFOUND", err)
		}
		for _, st := range []samrad.MeetingStatus{samrad.MeetingNoticeSent, samrad.MeetingHeld, samrad.MeetingMinutesApproved} {
			if err := db.SetMeetingStatus(ctx, bm.ID, st); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetDecision(ctx, bm.ID, c.ID, "endret"); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("decision after approved minutes: %v, want ECONFLICT", err)
		}
		// Editing keeps the number; an invalid edit writes nothing.
		edit := got
		edit.Title, edit.ProposedDecision = "Vestregionen etter 2018", "Samarbeidet videreføres i fire år."
		if err := db.UpdateCase(ctx, &edit); err != nil {
			t.Fatal(err)
		}
		bad := edit
		bad.Title = ""
		if err := db.UpdateCase(ctx, &bad); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("empty title: %v, want EINVALID", err)
		}
		got, _ = db.CaseByNumber(ctx, a.ID, 2017, c.Number)
		if got.Title != "Vestregionen etter 2018" || got.Number != c.Number || got.Decision != "Samarbeidet videreføres." {
			t.Errorf("after edit: %+v", got)
		}
	})
}

func TestEndSeat(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		board := samrad.Body{AllianceID: a.ID, Slug: "styret", NameNB: "Styret", Kind: samrad.BodyBoard}
		if err := db.CreateBody(ctx, &board); err != nil {
			t.Fatal(err)
		}
		p := samrad.Person{Name: "Gunnar Selvik"}
		if err := db.CreatePerson(ctx, &p); err != nil {
			t.Fatal(err)
		}
		seat := samrad.Seat{BodyID: board.ID, Person: p, Role: samrad.RoleChair, From: d("2020-01-01")}
		if err := db.AddSeat(ctx, &seat); err != nil {
			t.Fatal(err)
		}
		if err := db.EndSeat(ctx, seat.ID, d("2019-12-31")); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("end before start: %v, want EINVALID", err)
		}
		if err := db.EndSeat(ctx, seat.ID, d("2021-12-31")); err != nil {
			t.Fatal(err)
		}
		if err := db.EndSeat(ctx, seat.ID, d("2022-12-31")); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("ending twice: %v, want ECONFLICT", err)
		}
		// Once the chair has gone, a new chair may follow.
		next := samrad.Seat{BodyID: board.ID, Person: p, Role: samrad.RoleChair, From: d("2022-01-01")}
		if err := db.AddSeat(ctx, &next); err != nil {
			t.Errorf("a chair after the last one ended: %v", err)
		}
	})
}

func TestNoticeDeliveries(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		board := samrad.Body{AllianceID: a.ID, Slug: "styret", NameNB: "Styret", Kind: samrad.BodyBoard}
		if err := db.CreateBody(ctx, &board); err != nil {
			t.Fatal(err)
		}
		m := samrad.Meeting{BodyID: board.ID, Number: 1, Year: 2024, Start: time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)}
		if err := db.CreateMeeting(ctx, &m); err != nil {
			t.Fatal(err)
		}
		ann, bo := samrad.Person{Name: "Ann"}, samrad.Person{Name: "Bo"}
		for _, p := range []*samrad.Person{&ann, &bo} {
			if err := db.CreatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.RecordDelivery(ctx, m.ID, ann.ID, "ann@example.no", nil); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordDelivery(ctx, m.ID, bo.ID, "bo@example.no", errors.New("550 no such mailbox")); err != nil {
			t.Fatal(err)
		}
		// A later failure does not undo a message already accepted.
		if err := db.RecordDelivery(ctx, m.ID, ann.ID, "ann@example.no", errors.New("421 try later")); err != nil {
			t.Fatal(err)
		}
		ds, err := db.Deliveries(ctx, m.ID)
		if err != nil || len(ds) != 2 {
			t.Fatalf("deliveries = %+v, %v", ds, err)
		}
		if !ds[0].Sent() || ds[0].Attempts != 2 || ds[0].Name != "Ann" {
			t.Errorf("Ann: %+v", ds[0])
		}
		if ds[1].Sent() || ds[1].Error != "550 no such mailbox" || ds[1].UpdatedAt.IsZero() {
			t.Errorf("Bo: %+v", ds[1])
		}
		if err := db.RecordDelivery(ctx, 999999, ann.ID, "x@example.no", nil); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("delivery for no meeting: %v, want ENOTFOUND", err)
		}
	})
}
