package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// testMail builds a recognisable message for each registration e-mail.
func testMail(kind string, e samrad.Event, r samrad.Registration, token string) (store.OutboxMessage, error) {
	return store.OutboxMessage{From: "post@example.no", To: r.Email, Data: []byte(kind + " " + r.Status + " " + token)}, nil
}

func oslo(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, samrad.Oslo())
	if err != nil {
		panic(err)
	}
	return t
}

// newEvent stores a published event two days long starting 10 March 2030.
func newEvent(t *testing.T, db *store.DB, allianceID int64, slug string, reg samrad.RegistrationSettings) samrad.Event {
	t.Helper()
	e := samrad.Event{AllianceID: allianceID, Slug: slug, TitleNB: "Samling " + slug, Venue: "Sandvika", Published: true,
		Days:         []samrad.EventDay{{Date: d("2030-03-10"), Start: oslo("2030-03-10 09:00"), End: oslo("2030-03-10 16:00")}, {Date: d("2030-03-11")}},
		Registration: reg}
	if err := db.CreateEvent(context.Background(), &e); err != nil {
		t.Fatal(err)
	}
	return e
}

type outboxRow struct {
	kind, to, data string
	ref            int64
}

func outbox(t *testing.T, db *store.DB) []outboxRow {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT kind, recipient, message, ref_id FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		var data []byte
		if err := rows.Scan(&r.kind, &r.to, &data, &r.ref); err != nil {
			t.Fatal(err)
		}
		r.data = string(data)
		out = append(out, r)
	}
	return out
}

func TestEventProgramme(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		e := newEvent(t, db, a.ID, "kontaktgruppesamling", samrad.RegistrationSettings{})
		if e.Registration.RetentionDays != samrad.DefaultRetentionDays {
			t.Errorf("retention %d, want the default", e.Registration.RetentionDays)
		}
		dup := e
		if err := db.CreateEvent(ctx, &dup); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("duplicate slug: %v", err)
		}
		welcome := samrad.Session{EventID: e.ID, Day: d("2030-03-10"), TitleNB: "Velkommen", Topic: "Samarbeid"}
		if err := db.AddSession(ctx, a.ID, &welcome); err != nil {
			t.Fatal(err)
		}
		if err := db.AddSession(ctx, a.ID, &samrad.Session{EventID: e.ID, Day: d("2030-03-12"), TitleNB: "Utenfor"}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("session on no day of the event: %v", err)
		}
		if err := db.AddSession(ctx, 9999, &samrad.Session{EventID: e.ID, Day: d("2030-03-10"), TitleNB: "Feil allianse"}); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("session through another alliance: %v", err)
		}
		krog := samrad.Person{Name: "Lisbeth Hammer Krog"}
		if err := db.CreatePerson(ctx, &krog); err != nil {
			t.Fatal(err)
		}
		if err := db.AddSpeaker(ctx, a.ID, welcome.ID, &samrad.Speaker{Person: krog, Role: "ordfører", Organisation: "Bærum kommune"}); err != nil {
			t.Fatal(err)
		}
		if err := db.AddSpeaker(ctx, a.ID, welcome.ID, &samrad.Speaker{Person: samrad.Person{Name: "Gro Sværen Skansen"}, Role: "seksjonsleder"}); err != nil {
			t.Fatal(err)
		}
		if err := db.AddSpeaker(ctx, a.ID, welcome.ID, &samrad.Speaker{}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("a speaker without name: %v", err)
		}
		m := samrad.Material{SessionID: welcome.ID, Title: "Lysark", Filename: "lysark.pdf"}
		if err := db.AddMaterial(ctx, a.ID, &m, []byte("%PDF-1.4\nlysark\n")); err != nil {
			t.Fatal(err)
		}
		if err := db.AddMaterial(ctx, a.ID, &samrad.Material{SessionID: welcome.ID, Title: "Skript", Filename: "x.pdf"}, []byte("<html><script>")); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("HTML as PDF: %v", err)
		}
		got, err := db.Event(ctx, a.ID, "kontaktgruppesamling")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Days) != 2 || !got.Days[0].Start.Equal(oslo("2030-03-10 09:00")) || !got.Days[1].Start.IsZero() {
			t.Errorf("days %+v", got.Days)
		}
		if len(got.Sessions) != 1 || len(got.Sessions[0].Speakers) != 2 || got.Sessions[0].Speakers[0].Label() != "Lisbeth Hammer Krog, ordfører, Bærum kommune" ||
			len(got.Sessions[0].Materials) != 1 || got.Sessions[0].Materials[0].ContentType != "application/pdf" {
			t.Errorf("programme %+v", got.Sessions)
		}
		if _, data, err := db.MaterialFile(ctx, e.ID, m.ID); err != nil || string(data) != "%PDF-1.4\nlysark\n" {
			t.Errorf("material: %q %v", data, err)
		}
		if _, _, err := db.MaterialFile(ctx, e.ID+1, m.ID); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("material of another event: %v", err)
		}
		// A day with sessions cannot be removed.
		got.Days = got.Days[1:]
		if err := db.UpdateEvent(ctx, &got); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("removing a day with sessions: %v", err)
		}
		unpublished := newEvent(t, db, a.ID, "utkast", samrad.RegistrationSettings{})
		unpublished.Published = false
		if err := db.UpdateEvent(ctx, &unpublished); err != nil {
			t.Fatal(err)
		}
		if list, _ := db.Events(ctx, a.ID, false); len(list) != 1 || len(list[0].Days) != 2 {
			t.Errorf("public list %+v", list)
		}
		if list, _ := db.Events(ctx, a.ID, true); len(list) != 2 {
			t.Errorf("full list has %d", len(list))
		}
	})
}

func TestRegistrationWaitingListAndPromotion(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		e := newEvent(t, db, a.ID, "seminar", samrad.RegistrationSettings{Open: true, Capacity: 2, WaitingList: true,
			Fields: []string{samrad.AskOrganisation, samrad.AskDiet, samrad.AskSessions}, ConsentNB: "Vi lagrer navn og e-post."})
		now := oslo("2030-03-01 12:00")
		tokens := map[string]string{}
		for _, name := range []string{"kari", "ola", "per", "liv"} {
			r := samrad.Registration{EventID: e.ID, Name: name, Email: name + "@example.no", Organisation: "Bærum kommune", Diet: "vegetar", ConsentText: "Vi lagrer navn og e-post."}
			tok, err := db.Register(ctx, &r, now, testMail)
			if err != nil {
				t.Fatal(err)
			}
			tokens[name] = tok
		}
		places, _ := db.EventPlaces(ctx, e.ID)
		if places.Confirmed != 2 || places.Waiting != 2 {
			t.Fatalf("places %+v", places)
		}
		box := outbox(t, db)
		if len(box) != 4 || box[0].data != "registration confirmed "+tokens["kari"] || box[2].data != "registration waiting "+tokens["per"] {
			t.Fatalf("outbox %+v", box)
		}
		// Only the digest is stored.
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM registrations WHERE token_digest = $1`, tokens["kari"]).Scan(&n); err != nil || n != 0 {
			t.Errorf("a token stored as it is: %d %v", n, err)
		}
		r, ev, err := db.RegistrationByToken(ctx, tokens["ola"])
		if err != nil || r.Name != "ola" || ev.ID != e.ID || r.ConsentText != "Vi lagrer navn og e-post." || r.ConsentAt.IsZero() {
			t.Fatalf("by token: %+v %v", r, err)
		}
		// Kari cancels: Per, first on the waiting list, gets her place and an e-mail.
		if err := db.CancelRegistration(ctx, tokens["kari"], testMail); err != nil {
			t.Fatal(err)
		}
		places, _ = db.EventPlaces(ctx, e.ID)
		if places.Confirmed != 2 || places.Waiting != 1 {
			t.Errorf("after cancelling: %+v", places)
		}
		box = outbox(t, db)
		if last := box[len(box)-1]; last.kind != store.MailPromotion || last.to != "per@example.no" || last.data != "promotion confirmed " {
			t.Errorf("promotion mail %+v", last)
		}
		if _, _, err := db.RegistrationByToken(ctx, tokens["kari"]); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("a cancelled token: %v", err)
		}
		if err := db.CancelRegistration(ctx, tokens["kari"], testMail); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("cancelling twice: %v", err)
		}
		// Liv, waiting, cancels: nobody is promoted.
		if err := db.CancelRegistration(ctx, tokens["liv"], testMail); err != nil {
			t.Fatal(err)
		}
		if got := len(outbox(t, db)); got != len(box) {
			t.Errorf("cancelling a waiting registration sent mail")
		}
		list, _ := db.Participants(ctx, e.ID)
		if len(list) != 2 || list[0].Name != "ola" || list[1].Name != "per" || list[1].Status != samrad.RegistrationConfirmed || list[0].Diet != "vegetar" {
			t.Errorf("participants %+v", list)
		}
		if err := db.SetCheckedIn(ctx, a.ID, e.ID, list[0].ID, true); err != nil {
			t.Fatal(err)
		}
		if err := db.SetCheckedIn(ctx, a.ID+1, e.ID, list[0].ID, true); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("check-in through another alliance: %v", err)
		}
		if list, _ = db.Participants(ctx, e.ID); !list[0].CheckedIn || list[1].CheckedIn {
			t.Errorf("checked in %+v", list)
		}
	})
}

// TestRegistrationBadInput: each bad registration is refused with its
// code, and nothing is stored or sent.
func TestRegistrationBadInput(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		full := newEvent(t, db, a.ID, "fullt", samrad.RegistrationSettings{Open: true, Capacity: 1, Deadline: oslo("2030-03-05 12:00"),
			Fields: []string{samrad.AskOrganisation, samrad.AskSessions}})
		limited := samrad.Session{EventID: full.ID, Day: d("2030-03-10"), TitleNB: "Verksted", Capacity: 1}
		if err := db.AddSession(ctx, a.ID, &limited); err != nil {
			t.Fatal(err)
		}
		now := oslo("2030-03-01 12:00")
		first := samrad.Registration{EventID: full.ID, Name: "Kari", Email: "Kari@Example.no"}
		if _, err := db.Register(ctx, &first, now, testMail); err != nil {
			t.Fatal(err)
		}
		before := len(outbox(t, db))
		for _, c := range []struct {
			name  string
			r     samrad.Registration
			at    time.Time
			code  string
			field string
		}{
			{"after the deadline", samrad.Registration{Name: "Ola", Email: "ola@example.no"}, oslo("2030-03-06 08:00"), samrad.ECONFLICT, ""},
			{"full without waiting list", samrad.Registration{Name: "Ola", Email: "ola@example.no"}, now, samrad.ECONFLICT, ""},
			{"the same e-mail again", samrad.Registration{Name: "Kari igjen", Email: "kari@example.no"}, now, samrad.ECONFLICT, "email"},
			{"invalid e-mail", samrad.Registration{Name: "Ola", Email: "ola@example"}, now, samrad.EINVALID, "email"},
			{"line break in the name", samrad.Registration{Name: "Ola\r\nBcc: x@example.no", Email: "ola@example.no"}, now, samrad.EINVALID, "name"},
			{"line break in the organisation", samrad.Registration{Name: "Ola", Email: "ola@example.no", Organisation: "Bærum\nBcc: x@example.no"}, now, samrad.EINVALID, "organisation"},
			{"line break in the e-mail", samrad.Registration{Name: "Ola", Email: "ola@example.no\r\nBcc: x@example.no"}, now, samrad.EINVALID, "email"},
			{"no name", samrad.Registration{Email: "ola@example.no"}, now, samrad.EINVALID, "name"},
			{"unknown session", samrad.Registration{Name: "Ola", Email: "ola@example.no", SessionIDs: []int64{limited.ID + 100}}, now, samrad.EINVALID, "sessions"},
		} {
			r := c.r
			r.EventID = full.ID
			_, err := db.Register(ctx, &r, c.at, testMail)
			var e *samrad.Error
			if samrad.ErrorCode(err) != c.code || (c.field != "" && (!asError(err, &e) || e.Field != c.field)) {
				t.Errorf("%s: %v, want %s on %q", c.name, err, c.code, c.field)
			}
		}
		// A full session refuses, even with places left in the event.
		open := newEvent(t, db, a.ID, "apent", samrad.RegistrationSettings{Open: true, Fields: []string{samrad.AskSessions}})
		ws := samrad.Session{EventID: open.ID, Day: d("2030-03-10"), TitleNB: "Verksted", Capacity: 1}
		if err := db.AddSession(ctx, a.ID, &ws); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Register(ctx, &samrad.Registration{EventID: open.ID, Name: "A", Email: "a@example.no", SessionIDs: []int64{ws.ID}}, now, testMail); err != nil {
			t.Fatal(err)
		}
		before++
		if _, err := db.Register(ctx, &samrad.Registration{EventID: open.ID, Name: "B", Email: "b@example.no", SessionIDs: []int64{ws.ID}}, now, testMail); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("a full session: %v", err)
		}
		// A consent text must be agreed to.
		consent := newEvent(t, db, a.ID, "samtykke", samrad.RegistrationSettings{Open: true, ConsentNB: "Vi lagrer navnet ditt."})
		if _, err := db.Register(ctx, &samrad.Registration{EventID: consent.ID, Name: "A", Email: "a@example.no"}, now, testMail); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("no consent: %v", err)
		}
		// A forged token.
		if _, _, err := db.RegistrationByToken(ctx, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("forged token: %v", err)
		}
		if got := len(outbox(t, db)); got != before {
			t.Errorf("bad registrations sent %d messages", got-before)
		}
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM registrations`).Scan(&n); err != nil || n != 2 {
			t.Errorf("%d registrations stored, want 2 (%v)", n, err)
		}
	})
}

func asError(err error, target **samrad.Error) bool {
	e, ok := err.(*samrad.Error)
	if ok {
		*target = e
	}
	return ok
}

// TestRegistrationNeverOverbooks runs 200 registrations at once for 50
// places, and for a session of 20 places in an event without a limit.
func TestRegistrationNeverOverbooks(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		e := newEvent(t, db, a.ID, "konferanse", samrad.RegistrationSettings{Open: true, Capacity: 50, WaitingList: true})
		se := newEvent(t, db, a.ID, "verksted", samrad.RegistrationSettings{Open: true, Fields: []string{samrad.AskSessions}})
		ws := samrad.Session{EventID: se.ID, Day: d("2030-03-10"), TitleNB: "Verksted", Capacity: 20}
		if err := db.AddSession(ctx, a.ID, &ws); err != nil {
			t.Fatal(err)
		}
		now := oslo("2030-03-01 12:00")
		var wg sync.WaitGroup
		errs := make(chan error, 400)
		full := make(chan struct{}, 400)
		for i := range 200 {
			wg.Add(2)
			go func() {
				defer wg.Done()
				r := samrad.Registration{EventID: e.ID, Name: fmt.Sprintf("Deltaker %d", i), Email: fmt.Sprintf("d%d@example.no", i)}
				if _, err := db.Register(ctx, &r, now, testMail); err != nil {
					errs <- err
				}
			}()
			go func() {
				defer wg.Done()
				r := samrad.Registration{EventID: se.ID, Name: fmt.Sprintf("Deltaker %d", i), Email: fmt.Sprintf("d%d@example.no", i), SessionIDs: []int64{ws.ID}}
				if _, err := db.Register(ctx, &r, now, testMail); samrad.ErrorCode(err) == samrad.ECONFLICT {
					full <- struct{}{}
				} else if err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		p, _ := db.EventPlaces(ctx, e.ID)
		if p.Confirmed != 50 || p.Waiting != 150 {
			t.Errorf("%d confirmed and %d waiting, want 50 and 150", p.Confirmed, p.Waiting)
		}
		sp, _ := db.EventPlaces(ctx, se.ID)
		if sp.Sessions[ws.ID] != 20 || sp.Confirmed != 20 || len(full) != 180 {
			t.Errorf("session: %d taken, %d confirmed, %d refused; want 20, 20, 180", sp.Sessions[ws.ID], sp.Confirmed, len(full))
		}
		var mails int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM outbox WHERE kind = 'registration'`).Scan(&mails); err != nil || mails != 220 {
			t.Errorf("%d confirmations queued, want 220 (%v)", mails, err)
		}
	})
}

func TestRemindersAndAnonymisation(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		e := newEvent(t, db, a.ID, "samling", samrad.RegistrationSettings{Open: true, Capacity: 1, WaitingList: true, RetentionDays: 10,
			Fields: []string{samrad.AskOrganisation, samrad.AskDiet, samrad.AskAccessibility, samrad.AskComment}})
		now := oslo("2030-03-01 12:00")
		for _, name := range []string{"kari", "ola"} {
			r := samrad.Registration{EventID: e.ID, Name: name, Email: name + "@example.no", Organisation: "Asker kommune", Diet: "glutenfri",
				Accessibility: "rullestol", Comment: "Kommer sent"}
			if _, err := db.Register(ctx, &r, now, testMail); err != nil {
				t.Fatal(err)
			}
		}
		// Too early for reminders; then two days before, the confirmed one once.
		if n, err := db.RemindRegistrations(ctx, oslo("2030-03-05 09:00"), 48*time.Hour, testMail); err != nil || n != 0 {
			t.Errorf("early reminders: %d %v", n, err)
		}
		if n, err := db.RemindRegistrations(ctx, oslo("2030-03-08 10:00"), 48*time.Hour, testMail); err != nil || n != 1 {
			t.Errorf("reminders: %d %v", n, err)
		}
		if n, err := db.RemindRegistrations(ctx, oslo("2030-03-08 12:00"), 48*time.Hour, testMail); err != nil || n != 0 {
			t.Errorf("reminders again: %d %v", n, err)
		}
		var reminders int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM outbox WHERE kind = 'reminder' AND recipient = 'kari@example.no'`).Scan(&reminders); err != nil || reminders != 1 {
			t.Errorf("%d reminders to kari (%v)", reminders, err)
		}
		// The event ends at midnight after 11 March; ten days later the data goes.
		if n, err := db.AnonymiseRegistrations(ctx, oslo("2030-03-21 23:00")); err != nil || n != 0 {
			t.Errorf("anonymised too early: %d %v", n, err)
		}
		if n, err := db.AnonymiseRegistrations(ctx, oslo("2030-03-22 00:30")); err != nil || n != 2 {
			t.Errorf("anonymised %d, %v; want 2", n, err)
		}
		list, _ := db.Participants(ctx, e.ID)
		if len(list) != 2 {
			t.Fatalf("the registrations were deleted: %d", len(list))
		}
		for _, r := range list {
			if r.Name != "" || r.Email != "" || r.Organisation != "" || r.Diet != "" || r.Accessibility != "" || r.Comment != "" || !r.Anonymised {
				t.Errorf("not anonymised: %+v", r)
			}
		}
		if p, _ := db.EventPlaces(ctx, e.ID); p.Confirmed != 1 || p.Waiting != 1 {
			t.Errorf("counts after anonymising: %+v", p)
		}
		if n, err := db.AnonymiseRegistrations(ctx, oslo("2030-04-22 00:30")); err != nil || n != 0 {
			t.Errorf("anonymised twice: %d %v", n, err)
		}
	})
}
