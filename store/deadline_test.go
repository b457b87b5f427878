package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// deadlineFixture is one alliance with a deadline of every kind, and some
// that must not be listed.
type deadlineFixture struct {
	alliance, other                  samrad.Alliance
	call, ownApp, callApp            int64
	agreement, network, milestone    int64
	pastCall, doneMilestone, sentApp int64
}

// now is the moment the deadline tests run at: 1 March 2030, 12:00 in Oslo.
var deadlineNow = time.Date(2030, 3, 1, 11, 0, 0, 0, time.UTC)

func newDeadlineFixture(t testing.TB, db *store.DB) deadlineFixture {
	t.Helper()
	ctx := context.Background()
	var f deadlineFixture
	f.alliance, f.other = newAlliance(t, db, "vestregionen"), newAlliance(t, db, "annen")
	a := f.alliance.ID
	prog := fundProgramme(t, db, a, "Interreg", samrad.FundingInterreg)
	applicant := fundOrg(t, db, "t-asker", "Asker")
	save := func(c samrad.FundingCall) int64 {
		c.ProgrammeID = prog.ID
		if err := db.SaveFundingCall(ctx, a, &c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	at17 := time.Date(2030, 3, 20, 16, 0, 0, 0, time.UTC) // 17:00 in Oslo
	f.call = save(samrad.FundingCall{Code: "IR-1", Title: "Interreg-utlysning", Deadline: at17})
	f.pastCall = save(samrad.FundingCall{Code: "IR-0", Title: "Gammel", Deadline: samrad.DeadlineOn(d("2030-02-01"))})
	farCall := save(samrad.FundingCall{Code: "IR-9", Title: "Langt fram", Deadline: samrad.DeadlineOn(d("2031-01-01"))})
	_ = farCall
	app := func(status samrad.ApplicationStatus, call int64, own time.Time, title string) int64 {
		ap := samrad.Application{AllianceID: a, ProgrammeID: prog.ID, CallID: call, Deadline: own, ApplicantOrgID: applicant.ID, Title: title, Status: status}
		if err := db.CreateApplication(ctx, &ap); err != nil {
			t.Fatal(err)
		}
		return ap.ID
	}
	f.ownApp = app(samrad.ApplicationPlanned, 0, samrad.DeadlineOn(d("2030-04-10")), "Egen frist")
	f.callApp = app(samrad.ApplicationDrafting, f.call, time.Time{}, "Til utlysningen")
	f.sentApp = app(samrad.ApplicationSubmitted, 0, samrad.DeadlineOn(d("2030-04-11")), "Sendt inn")

	ag := samrad.Agreement{AllianceID: a, Kind: samrad.AgreementCooperation, Slug: "hsn", TitleNB: "Samarbeidsavtale", TitleEN: "Cooperation agreement",
		SignedPrecision: samrad.PrecisionUnknown, Starts: d("2014-05-01"), Ends: d("2030-05-29"), RenewalDate: d("2030-03-15"), Published: true}
	if err := db.CreateAgreement(ctx, &ag); err != nil {
		t.Fatal(err)
	}
	f.agreement = ag.ID
	net := samrad.Network{AllianceID: a, Slug: "errin", Kind: samrad.NetworkExternal, NameNB: "ERRIN", Openness: samrad.OpenToMembership,
		RenewalDate: d("2030-03-01"), Published: true}
	if err := db.CreateNetwork(ctx, &net); err != nil {
		t.Fatal(err)
	}
	f.network = net.ID
	p := samrad.Project{AllianceID: a, Slug: "komut", NameNB: "KomUT", NameEN: "KomUT (en)", Status: samrad.ProjectRunning, Published: true}
	if err := db.CreateProject(ctx, &p); err != nil {
		t.Fatal(err)
	}
	m := samrad.ProjectMilestone{ProjectID: p.ID, Kind: samrad.MilestoneReport, Title: "Sluttrapport", Due: d("2030-05-15")}
	if err := db.AddMilestone(ctx, a, &m); err != nil {
		t.Fatal(err)
	}
	f.milestone = m.ID
	done := samrad.ProjectMilestone{ProjectID: p.ID, Kind: samrad.MilestonePlain, Title: "Oppstart", Due: d("2030-03-10")}
	if err := db.AddMilestone(ctx, a, &done); err != nil {
		t.Fatal(err)
	}
	if err := db.CompleteMilestone(ctx, a, done.ID, d("2030-02-20")); err != nil {
		t.Fatal(err)
	}
	f.doneMilestone = done.ID

	// The other alliance's deadlines are not listed.
	op := fundProgramme(t, db, f.other.ID, "Fremmed", samrad.FundingOther)
	oc := samrad.FundingCall{ProgrammeID: op.ID, Code: "X", Title: "Fremmed utlysning", Deadline: samrad.DeadlineOn(d("2030-03-05"))}
	if err := db.SaveFundingCall(ctx, f.other.ID, &oc); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestDeadlinesAcrossProgrammesAgreementsNetworksAndProjects(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeadlineFixture(t, db)
		to := samrad.DeadlineOn(samrad.DateIn(deadlineNow).AddDays(90))
		got, err := db.Deadlines(ctx, f.alliance.ID, deadlineNow, to)
		if err != nil {
			t.Fatal(err)
		}
		var list []string
		for _, x := range got {
			list = append(list, fmt.Sprintf("%s %s %s/%d %s %s", x.Date(), x.Kind, x.Slug, x.RefID, x.Title("en"), x.Context("en")))
			if x.AllianceID != f.alliance.ID {
				t.Errorf("%+v: alliance %d", x, x.AllianceID)
			}
		}
		want := []string{
			fmt.Sprintf("2030-03-01 network_renewal errin/%d ERRIN ", f.network),
			fmt.Sprintf("2030-03-15 agreement_renewal hsn/%d Cooperation agreement ", f.agreement),
			fmt.Sprintf("2030-03-20 application interreg/%d Til utlysningen Interreg", f.callApp),
			fmt.Sprintf("2030-03-20 call interreg/%d Interreg-utlysning Interreg", f.call),
			fmt.Sprintf("2030-04-10 application interreg/%d Egen frist Interreg", f.ownApp),
			fmt.Sprintf("2030-05-15 milestone komut/%d Sluttrapport KomUT (en)", f.milestone),
			fmt.Sprintf("2030-05-29 agreement_end hsn/%d Cooperation agreement ", f.agreement),
		}
		if strings.Join(list, "\n") != strings.Join(want, "\n") {
			t.Errorf("deadlines:\n%s\nwant:\n%s", strings.Join(list, "\n"), strings.Join(want, "\n"))
		}
		if !got[3].At.Equal(time.Date(2030, 3, 20, 16, 0, 0, 0, time.UTC)) || got[3].AllDay() || !got[0].AllDay() {
			t.Errorf("times: %v %v", got[3].At, got[0].At)
		}
		// A narrower window; a date falls at the end of its day, so a window
		// ending at noon on 15 March leaves the renewal of that day out.
		got, _ = db.Deadlines(ctx, f.alliance.ID, deadlineNow, time.Date(2030, 3, 15, 11, 0, 0, 0, time.UTC))
		if len(got) != 1 || got[0].Kind != samrad.DeadlineNetworkRenewal {
			t.Errorf("narrow window: %+v", got)
		}
		if _, err := db.Deadlines(ctx, f.alliance.ID, to, deadlineNow); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("reversed window: %v", err)
		}
		if d, err := db.Deadline(ctx, f.alliance.ID, samrad.DeadlineMilestone, f.doneMilestone); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("a milestone done: %+v, %v", d, err)
		}
		if _, err := db.Deadline(ctx, f.other.ID, samrad.DeadlineCall, f.call); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("a call through another alliance: %v", err)
		}
	})
}

func TestAddReminderRefusesBadInput(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeadlineFixture(t, db)
		a := f.alliance.ID
		r := samrad.Reminder{AllianceID: a, Kind: samrad.DeadlineCall, RefID: f.call, DaysBefore: 7, Email: "Post@Example.no"}
		if err := db.AddReminder(ctx, &r, deadlineNow); err != nil {
			t.Fatal(err)
		}
		if r.Email != "post@example.no" || r.Lang != "nb" || r.ID == 0 {
			t.Errorf("stored: %+v", r)
		}
		before := fundCountRows(t, db)
		for _, c := range []struct {
			what        string
			r           samrad.Reminder
			code, field string
		}{
			{"a past deadline", samrad.Reminder{AllianceID: a, Kind: samrad.DeadlineCall, RefID: f.pastCall, DaysBefore: 1, Email: "a@example.no"}, samrad.EINVALID, "ref"},
			{"a send day passed", samrad.Reminder{AllianceID: a, Kind: samrad.DeadlineCall, RefID: f.call, DaysBefore: 30, Email: "a@example.no"}, samrad.EINVALID, "days_before"},
			{"the same again", samrad.Reminder{AllianceID: a, Kind: samrad.DeadlineCall, RefID: f.call, DaysBefore: 7, Email: "post@example.NO"}, samrad.ECONFLICT, "email"},
			{"another alliance's", samrad.Reminder{AllianceID: f.other.ID, Kind: samrad.DeadlineCall, RefID: f.call, DaysBefore: 1, Email: "a@example.no"}, samrad.EINVALID, "ref"},
			{"a milestone done", samrad.Reminder{AllianceID: a, Kind: samrad.DeadlineMilestone, RefID: f.doneMilestone, DaysBefore: 1, Email: "a@example.no"}, samrad.EINVALID, "ref"},
			{"an application submitted", samrad.Reminder{AllianceID: a, Kind: samrad.DeadlineApplication, RefID: f.sentApp, DaysBefore: 1, Email: "a@example.no"}, samrad.EINVALID, "ref"},
			{"a bad address", samrad.Reminder{AllianceID: a, Kind: samrad.DeadlineCall, RefID: f.call, DaysBefore: 1, Email: "Kari <a@example.no>"}, samrad.EINVALID, "email"},
			{"negative days", samrad.Reminder{AllianceID: a, Kind: samrad.DeadlineCall, RefID: f.call, DaysBefore: -1, Email: "a@example.no"}, samrad.EINVALID, "days_before"},
			{"an unknown kind", samrad.Reminder{AllianceID: a, Kind: "birthday", RefID: f.call, DaysBefore: 1, Email: "a@example.no"}, samrad.EINVALID, "kind"},
			{"a bad language", samrad.Reminder{AllianceID: a, Kind: samrad.DeadlineCall, RefID: f.call, DaysBefore: 1, Email: "a@example.no", Lang: "de"}, samrad.EINVALID, "lang"},
		} {
			r := c.r
			fundRefused(t, db, c.what, before, db.AddReminder(ctx, &r, deadlineNow), c.code, c.field)
		}
		// The same address may be reminded of the same deadline on another day.
		r2 := samrad.Reminder{AllianceID: a, Kind: samrad.DeadlineCall, RefID: f.call, DaysBefore: 1, Email: "post@example.no", Lang: "en"}
		if err := db.AddReminder(ctx, &r2, deadlineNow); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Deadlines(ctx, a, deadlineNow, deadlineNow.AddDate(0, 1, 0))
		for _, x := range got {
			if x.Kind == samrad.DeadlineCall && len(x.Reminders) != 2 {
				t.Errorf("the call's reminders: %+v", x.Reminders)
			}
			if x.Kind != samrad.DeadlineCall && len(x.Reminders) != 0 {
				t.Errorf("%s has reminders: %+v", x.Kind, x.Reminders)
			}
		}
		before = fundCountRows(t, db)
		fundRefused(t, db, "delete through another alliance", before, db.DeleteReminder(ctx, f.other.ID, r2.ID), samrad.ENOTFOUND, "")
		if err := db.DeleteReminder(ctx, a, r2.ID); err != nil {
			t.Fatal(err)
		}
		if rs, _ := db.Reminders(ctx, a); len(rs) != 1 || rs[0].ID != r.ID {
			t.Errorf("after delete: %+v", rs)
		}
	})
}

func reminderMail(r samrad.Reminder, d samrad.Deadline) (store.OutboxMessage, error) {
	return store.OutboxMessage{From: "post@samrad.example.no", To: r.Email,
		Data: []byte("Subject: " + d.TitleNB + "\r\n\r\nFrist " + d.Date().String() + "\r\n")}, nil
}

func TestSendRemindersOnceWhenDue(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeadlineFixture(t, db)
		a := f.alliance.ID
		add := func(kind samrad.DeadlineKind, ref int64, days int, email string) samrad.Reminder {
			r := samrad.Reminder{AllianceID: a, Kind: kind, RefID: ref, DaysBefore: days, Email: email}
			if err := db.AddReminder(ctx, &r, deadlineNow); err != nil {
				t.Fatal(err)
			}
			return r
		}
		// The call's deadline is 20 March 17:00; 7 days before is 13 March,
		// due from midnight in Oslo (12 March 23:00 UTC).
		week := add(samrad.DeadlineCall, f.call, 7, "a@example.no")
		add(samrad.DeadlineMilestone, f.milestone, 10, "b@example.no")
		add(samrad.DeadlineAgreementEnd, f.agreement, 0, "c@example.no")
		before := fundCountRows(t, db)
		if n, err := db.SendReminders(ctx, time.Date(2030, 3, 12, 22, 59, 59, 0, time.UTC), reminderMail); err != nil || n != 0 {
			t.Fatalf("before due: %d, %v", n, err)
		}
		if after := fundCountRows(t, db); after != before {
			t.Errorf("nothing due, but written: %+v", after)
		}
		// A builder that fails leaves the reminder unsent.
		failing := func(samrad.Reminder, samrad.Deadline) (store.OutboxMessage, error) {
			return store.OutboxMessage{}, errors.New("no template")
		}
		due := time.Date(2030, 3, 12, 23, 0, 0, 0, time.UTC)
		if _, err := db.SendReminders(ctx, due, failing); err == nil {
			t.Fatal("a failing builder succeeded")
		}
		if after := fundCountRows(t, db); after != before {
			t.Errorf("a failed send wrote: %+v", after)
		}
		if n, err := db.SendReminders(ctx, due, reminderMail); err != nil || n != 1 {
			t.Fatalf("when due: %d, %v", n, err)
		}
		var kind, to string
		var ref int64
		if err := db.SQL().QueryRow(`SELECT kind, recipient, ref_id FROM outbox`).Scan(&kind, &to, &ref); err != nil || kind != store.MailDeadlineReminder || to != "a@example.no" || ref != week.ID {
			t.Errorf("outbox: %s %s %d %v", kind, to, ref, err)
		}
		rs, _ := db.Reminders(ctx, a)
		if !rs[0].SentAt.Equal(due) || !rs[1].SentAt.IsZero() {
			t.Errorf("sent at: %+v", rs)
		}
		if n, _ := db.SendReminders(ctx, due.Add(time.Hour), reminderMail); n != 0 {
			t.Errorf("sent again: %d", n)
		}
		// The milestone is done before its reminder falls due: none is sent.
		if err := db.CompleteMilestone(ctx, a, f.milestone, d("2030-03-02")); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.SendReminders(ctx, time.Date(2030, 5, 29, 10, 0, 0, 0, time.UTC), reminderMail); n != 1 {
			t.Errorf("on the agreement's last day: %d, want 1 (the agreement only)", n)
		}
		// After the deadline nothing more goes.
		if n, _ := db.SendReminders(ctx, time.Date(2030, 6, 2, 10, 0, 0, 0, time.UTC), reminderMail); n != 0 {
			t.Errorf("after the deadlines: %d", n)
		}
	})
}

// TestSendRemindersConcurrently runs several senders at once, as several
// instances of the server would: every reminder is queued exactly once.
func TestSendRemindersConcurrently(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeadlineFixture(t, db)
		const n = 20
		for i := range n {
			r := samrad.Reminder{AllianceID: f.alliance.ID, Kind: samrad.DeadlineCall, RefID: f.call, DaysBefore: 1, Email: fmt.Sprintf("p%d@example.no", i)}
			if err := db.AddReminder(ctx, &r, deadlineNow); err != nil {
				t.Fatal(err)
			}
		}
		due := time.Date(2030, 3, 19, 8, 0, 0, 0, time.UTC)
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				k, err := db.SendReminders(ctx, due, reminderMail)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += k
				mu.Unlock()
			}()
		}
		wg.Wait()
		var queued, distinct int
		if err := db.SQL().QueryRow(`SELECT COUNT(*), COUNT(DISTINCT recipient) FROM outbox WHERE kind = $1`, store.MailDeadlineReminder).Scan(&queued, &distinct); err != nil {
			t.Fatal(err)
		}
		if total != n || queued != n || distinct != n {
			t.Errorf("senders counted %d, outbox has %d (%d recipients), want %d each", total, queued, distinct, n)
		}
	})
}

// BenchmarkSendReminders200 queues 200 due reminders, each in its own
// transaction with the outbox message and the mark that it is sent.
func BenchmarkSendReminders200(b *testing.B) {
	benchEngines(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		f := newDeadlineFixture(b, db)
		due := time.Date(2030, 3, 19, 8, 0, 0, 0, time.UTC)
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			for j := range 200 {
				r := samrad.Reminder{AllianceID: f.alliance.ID, Kind: samrad.DeadlineCall, RefID: f.call, DaysBefore: 1, Email: fmt.Sprintf("p%d-%d@example.no", i, j)}
				if err := db.AddReminder(ctx, &r, deadlineNow); err != nil {
					b.Fatal(err)
				}
			}
			b.StartTimer()
			if n, err := db.SendReminders(ctx, due, reminderMail); err != nil || n != 200 {
				b.Fatalf("%d, %v", n, err)
			}
		}
	})
}
