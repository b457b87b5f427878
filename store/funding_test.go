package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/callfile"
	"github.com/samrad/samrad/store"
)

// fundCounts is what a refused change must leave as it was.
type fundCounts struct {
	programmes, calls, applications, partners, reminders, outbox, audit int
}

func fundCountRows(t *testing.T, db *store.DB) fundCounts {
	t.Helper()
	var c fundCounts
	for _, x := range []struct {
		table string
		n     *int
	}{{"funding_programmes", &c.programmes}, {"funding_calls", &c.calls}, {"applications", &c.applications},
		{"application_partners", &c.partners}, {"reminders", &c.reminders}, {"outbox", &c.outbox}, {"audit_log", &c.audit}} {
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + x.table).Scan(x.n); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// fundRefused checks that err has the code and field and that nothing was written.
func fundRefused(t *testing.T, db *store.DB, what string, before fundCounts, err error, code, field string) {
	t.Helper()
	if samrad.ErrorCode(err) != code {
		t.Errorf("%s: %v, want %s", what, err, code)
	}
	var e *samrad.Error
	if field != "" && (!errors.As(err, &e) || e.Field != field) {
		t.Errorf("%s: %v, want an error on field %q", what, err, field)
	}
	if after := fundCountRows(t, db); after != before {
		t.Errorf("%s wrote something: %+v, was %+v", what, after, before)
	}
}

func fundOrg(t testing.TB, db *store.DB, code, name string) samrad.Organisation {
	t.Helper()
	o := samrad.Organisation{Kind: samrad.KindOther, Code: code, NameNB: name, NameEN: name}
	if err := db.CreateOrganisation(context.Background(), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

func fundProgramme(t testing.TB, db *store.DB, allianceID int64, name string, kind samrad.FundingKind) samrad.FundingProgramme {
	t.Helper()
	p := samrad.FundingProgramme{AllianceID: allianceID, NameNB: name, Kind: kind}
	if err := db.CreateFundingProgramme(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFundingProgrammesAndCalls(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, other := newAlliance(t, db, "viken"), newAlliance(t, db, "annen")
		erasmus := fundProgramme(t, db, a.ID, "Erasmus+", samrad.FundingEU)
		if erasmus.Slug != "erasmus" {
			t.Errorf("slug %q", erasmus.Slug)
		}
		eea := samrad.FundingProgramme{AllianceID: a.ID, NameNB: "EØS-midlene", NameEN: "EEA and Norway Grants", Kind: samrad.FundingEEA,
			Funder: "EØS", Website: "https://eeagrants.org"}
		if err := db.CreateFundingProgramme(ctx, &eea); err != nil {
			t.Fatal(err)
		}
		// Another alliance may use the same slug; the same alliance may not.
		fundProgramme(t, db, other.ID, "Erasmus+", samrad.FundingEU)
		before := fundCountRows(t, db)
		dup := samrad.FundingProgramme{AllianceID: a.ID, NameNB: "Erasmus+", Kind: samrad.FundingEU}
		fundRefused(t, db, "same slug", before, db.CreateFundingProgramme(ctx, &dup), samrad.ECONFLICT, "slug")
		bad := samrad.FundingProgramme{AllianceID: a.ID, NameNB: "X", Kind: "lottery"}
		fundRefused(t, db, "unknown kind", before, db.CreateFundingProgramme(ctx, &bad), samrad.EINVALID, "kind")
		bad = samrad.FundingProgramme{AllianceID: a.ID, NameNB: "Y", Kind: samrad.FundingEU, Website: "javascript:alert(1)"}
		fundRefused(t, db, "bad website", before, db.CreateFundingProgramme(ctx, &bad), samrad.EINVALID, "website")

		eea.DescriptionNB = "Midler til internasjonalt arbeid i egen kommune."
		if err := db.UpdateFundingProgramme(ctx, &eea); err != nil {
			t.Fatal(err)
		}
		got, err := db.FundingProgrammeBySlug(ctx, a.ID, eea.Slug)
		if err != nil || got.DescriptionNB != eea.DescriptionNB || got.Name("en") != "EEA and Norway Grants" || got.Funder != "EØS" {
			t.Fatalf("programme read back: %+v, %v", got, err)
		}
		if _, err := db.FundingProgrammeBySlug(ctx, other.ID, eea.Slug); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("another alliance's programme: %v", err)
		}
		moved := eea
		moved.AllianceID = other.ID
		before = fundCountRows(t, db)
		fundRefused(t, db, "update through another alliance", before, db.UpdateFundingProgramme(ctx, &moved), samrad.ENOTFOUND, "")

		// Calls: a deadline given as a date falls at the end of the day in Norway.
		deadline, _ := samrad.ParseDeadline("2030-03-31")
		if want := time.Date(2030, 3, 31, 21, 59, 59, 0, time.UTC); !deadline.Equal(want) {
			t.Fatalf("deadline %v, want %v", deadline, want)
		}
		call := samrad.FundingCall{ProgrammeID: erasmus.ID, Code: "KA1-2030", Title: "Mobilitet", Opens: d("2030-01-15"), Deadline: deadline, Budget: money(500000)}
		if err := db.SaveFundingCall(ctx, a.ID, &call); err != nil {
			t.Fatal(err)
		}
		before = fundCountRows(t, db)
		again := samrad.FundingCall{ProgrammeID: erasmus.ID, Code: "KA1-2030", Title: "Igjen", Deadline: deadline}
		fundRefused(t, db, "same code", before, db.SaveFundingCall(ctx, a.ID, &again), samrad.ECONFLICT, "code")
		late := samrad.FundingCall{ProgrammeID: erasmus.ID, Code: "KA2", Title: "Sent", Opens: d("2030-05-01"), Deadline: deadline}
		fundRefused(t, db, "opens after deadline", before, db.SaveFundingCall(ctx, a.ID, &late), samrad.EINVALID, "opens")
		foreign := samrad.FundingCall{ProgrammeID: erasmus.ID, Code: "KA3", Title: "Fremmed", Deadline: deadline}
		fundRefused(t, db, "call of another alliance's programme", before, db.SaveFundingCall(ctx, other.ID, &foreign), samrad.EINVALID, "programme")

		call.Title = "Mobilitet for ungdom"
		if err := db.SaveFundingCall(ctx, a.ID, &call); err != nil {
			t.Fatal(err)
		}
		c, err := db.FundingCall(ctx, a.ID, call.ID)
		if err != nil || c.Title != "Mobilitet for ungdom" || !c.Deadline.Equal(deadline) || c.Budget == nil || *c.Budget != *money(500000) || c.Opens != d("2030-01-15") {
			t.Fatalf("call read back: %+v, %v", c, err)
		}
		if _, err := db.FundingCall(ctx, other.ID, call.ID); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("call through another alliance: %v", err)
		}
		past := samrad.FundingCall{ProgrammeID: eea.ID, Code: "EOS-2020", Title: "Gammel", Deadline: samrad.DeadlineOn(d("2020-06-01"))}
		if err := db.SaveFundingCall(ctx, a.ID, &past); err != nil {
			t.Fatal(err)
		}
		open, err := db.OpenCalls(ctx, a.ID, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil || len(open) != 1 || open[0].ID != call.ID {
			t.Errorf("open calls: %+v, %v", open, err)
		}
		// Just after the deadline the call is closed.
		if open, _ := db.OpenCalls(ctx, a.ID, deadline.Add(time.Second)); len(open) != 0 {
			t.Errorf("open after the deadline: %+v", open)
		}
		all, err := db.AllianceCalls(ctx, a.ID)
		if err != nil || len(all) != 2 {
			t.Errorf("alliance calls: %+v, %v", all, err)
		}
	})
}

func TestImportCallsAllOrNothing(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "viken")
		p := fundProgramme(t, db, a.ID, "Eksempelprogram", samrad.FundingCounty)
		good := "programme,code,title,opens,deadline,budget,url,note\n" +
			"eksempelprogram,E-1,Forprosjekt,2030-01-15,2030-03-31,500000,https://example.org/e-1,\n" +
			"eksempelprogram,E-2,Samarbeid,15.02.2030,30.04.2030 17:00,,,Med klokkeslett\n"
		res, err := db.ImportCalls(ctx, a.ID, "calls.csv", []byte(good))
		if err != nil || res.Inserted != 2 || res.Updated != 0 {
			t.Fatalf("import: %+v, %v", res, err)
		}
		calls, _ := db.FundingCalls(ctx, p.ID)
		if len(calls) != 2 || calls[0].Code != "E-2" || !calls[0].Deadline.Equal(time.Date(2030, 4, 30, 15, 0, 0, 0, time.UTC)) {
			t.Fatalf("calls: %+v", calls)
		}
		// The same file again updates; a bad line anywhere leaves all as it was.
		before := fundCountRows(t, db)
		bad := good + "ukjent-program,E-3,Feil,,2030-05-01,,,\n"
		_, err = db.ImportCalls(ctx, a.ID, "calls.csv", []byte(bad))
		var ce *callfile.Error
		if !errors.As(err, &ce) || ce.Line != 4 || ce.Reason != callfile.ReasonProgramme {
			t.Fatalf("bad programme: %v", err)
		}
		if after := fundCountRows(t, db); after != before {
			t.Errorf("a refused import wrote: %+v, was %+v", after, before)
		}
		bad = "programme,code,title,opens,deadline,budget,url,note\neksempelprogram,E-1,Endret,,2030-03-31,,,\neksempelprogram,E-9,Ingen frist,,,,,\n"
		if _, err = db.ImportCalls(ctx, a.ID, "calls.csv", []byte(bad)); !errors.As(err, &ce) || ce.Line != 3 {
			t.Fatalf("missing deadline: %v", err)
		}
		if c, _ := db.FundingCalls(ctx, p.ID); c[1].Title != "Forprosjekt" {
			t.Errorf("the first line of a refused file was applied: %+v", c[1])
		}
		res, err = db.ImportCalls(ctx, a.ID, "calls.json", []byte(`[{"programme":"eksempelprogram","code":"E-1","title":"Forprosjekt, endret","deadline":"2030-04-01"}]`))
		if err != nil || res.Inserted != 0 || res.Updated != 1 {
			t.Fatalf("JSON update: %+v, %v", res, err)
		}
		if c, _ := db.FundingCalls(ctx, p.ID); len(c) != 2 || c[1].Title != "Forprosjekt, endret" {
			t.Errorf("after the update: %+v", c)
		}
	})
}

func TestApplicationsPartnersPipelineAndSuccess(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, other := newAlliance(t, db, "vestregionen"), newAlliance(t, db, "annen")
		rc := fundProgramme(t, db, a.ID, "Norges forskningsråd", samrad.FundingResearchCouncil)
		interreg := fundProgramme(t, db, a.ID, "Interreg", samrad.FundingInterreg)
		foreignProg := fundProgramme(t, db, other.ID, "Fremmed", samrad.FundingOther)
		call := samrad.FundingCall{ProgrammeID: rc.ID, Code: "T2025", Title: "Transport 2025", Deadline: samrad.DeadlineOn(d("2030-09-15"))}
		if err := db.SaveFundingCall(ctx, a.ID, &call); err != nil {
			t.Fatal(err)
		}
		baerum, asker, hsn := fundOrg(t, db, "t-baerum", "Bærum"), fundOrg(t, db, "t-asker", "Asker"), fundOrg(t, db, "t-hsn", "Høgskolen")

		app := samrad.Application{AllianceID: a.ID, ProgrammeID: rc.ID, CallID: call.ID, ApplicantOrgID: baerum.ID, Title: "Grønn mobilitet",
			Status: samrad.ApplicationDrafting, AmountSought: money(1000000), Partners: []samrad.ApplicationPartner{{OrgID: hsn.ID, Role: "partner"}}}
		if err := db.CreateApplication(ctx, &app); err != nil {
			t.Fatal(err)
		}
		before := fundCountRows(t, db)
		over := app
		over.ID, over.Status, over.AmountGranted = 0, samrad.ApplicationGranted, money(1200000)
		fundRefused(t, db, "granted more than sought without a note", before, db.CreateApplication(ctx, &over), samrad.EINVALID, "amount_granted")
		wrongCall := samrad.Application{AllianceID: a.ID, ProgrammeID: interreg.ID, CallID: call.ID, ApplicantOrgID: baerum.ID, Title: "X", Status: samrad.ApplicationPlanned}
		fundRefused(t, db, "call of another programme", before, db.CreateApplication(ctx, &wrongCall), samrad.EINVALID, "call")
		foreign := samrad.Application{AllianceID: a.ID, ProgrammeID: foreignProg.ID, ApplicantOrgID: baerum.ID, Title: "X", Status: samrad.ApplicationPlanned}
		fundRefused(t, db, "another alliance's programme", before, db.CreateApplication(ctx, &foreign), samrad.EINVALID, "programme")
		twice := samrad.Application{AllianceID: a.ID, ProgrammeID: interreg.ID, ApplicantOrgID: baerum.ID, Title: "X", Status: samrad.ApplicationPlanned,
			Partners: []samrad.ApplicationPartner{{OrgID: asker.ID}, {OrgID: asker.ID}}}
		fundRefused(t, db, "a partner twice", before, db.CreateApplication(ctx, &twice), samrad.EINVALID, "partners")
		noOrg := samrad.Application{AllianceID: a.ID, ProgrammeID: interreg.ID, ApplicantOrgID: 999999, Title: "X", Status: samrad.ApplicationPlanned}
		fundRefused(t, db, "unknown applicant", before, db.CreateApplication(ctx, &noOrg), samrad.EINVALID, "applicant")
		// Partners added and removed one at a time.
		fundRefused(t, db, "the applicant as partner", before, db.AddApplicationPartner(ctx, a.ID, app.ID, samrad.ApplicationPartner{OrgID: baerum.ID}), samrad.EINVALID, "partners")
		fundRefused(t, db, "a partner again", before, db.AddApplicationPartner(ctx, a.ID, app.ID, samrad.ApplicationPartner{OrgID: hsn.ID}), samrad.EINVALID, "partners")
		fundRefused(t, db, "partner through another alliance", before, db.AddApplicationPartner(ctx, other.ID, app.ID, samrad.ApplicationPartner{OrgID: asker.ID}), samrad.ENOTFOUND, "")
		fundRefused(t, db, "remove one not a partner", before, db.RemoveApplicationPartner(ctx, a.ID, app.ID, asker.ID), samrad.EINVALID, "org")
		if err := db.AddApplicationPartner(ctx, a.ID, app.ID, samrad.ApplicationPartner{OrgID: asker.ID, Role: " associated "}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Application(ctx, a.ID, app.ID)
		if err != nil || len(got.Partners) != 2 || got.Partners[0].OrgID != asker.ID || got.Partners[0].Role != "associated" {
			t.Fatalf("partners: %+v, %v", got.Partners, err)
		}
		if err := db.RemoveApplicationPartner(ctx, a.ID, app.ID, hsn.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Application(ctx, other.ID, app.ID); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("application through another alliance: %v", err)
		}

		// Granted with a note may exceed the amount sought.
		got, _ = db.Application(ctx, a.ID, app.ID)
		got.Status, got.AmountGranted, got.GrantNote, got.SubmittedOn, got.DecidedOn = samrad.ApplicationGranted, money(1100000), "Økt ramme", d("2030-09-01"), d("2030-12-01")
		if err := db.UpdateApplication(ctx, &got); err != nil {
			t.Fatal(err)
		}
		for _, x := range []struct {
			prog   int64
			org    int64
			status samrad.ApplicationStatus
			sought int64
		}{
			{rc.ID, baerum.ID, samrad.ApplicationRejected, 300000},
			{interreg.ID, asker.ID, samrad.ApplicationRejected, 200000},
			{interreg.ID, asker.ID, samrad.ApplicationSubmitted, 400000},
			{interreg.ID, asker.ID, samrad.ApplicationWithdrawn, 0},
		} {
			ap := samrad.Application{AllianceID: a.ID, ProgrammeID: x.prog, ApplicantOrgID: x.org, Title: "Søknad", Status: x.status}
			if x.sought > 0 {
				ap.AmountSought = money(x.sought)
			}
			if err := db.CreateApplication(ctx, &ap); err != nil {
				t.Fatal(err)
			}
		}
		cols, err := db.Pipeline(ctx, a.ID)
		if err != nil || len(cols) != len(samrad.ApplicationStatuses) {
			t.Fatalf("pipeline: %v", err)
		}
		count := map[samrad.ApplicationStatus]int{}
		for _, c := range cols {
			count[c.Status] = c.Count
			if len(c.Applications) != c.Count {
				t.Errorf("%s: %d applications listed, count %d", c.Status, len(c.Applications), c.Count)
			}
			if c.Status == samrad.ApplicationGranted && (c.Granted != *money(1100000) || c.Sought != *money(1000000)) {
				t.Errorf("granted column sums: %+v", c)
			}
		}
		if count[samrad.ApplicationGranted] != 1 || count[samrad.ApplicationRejected] != 2 || count[samrad.ApplicationSubmitted] != 1 || count[samrad.ApplicationDrafting] != 0 {
			t.Errorf("pipeline counts: %v", count)
		}
		byProg, byOrg, total, err := db.SuccessRates(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The Research Council: 1 granted of 2 decided; Interreg: 0 of 1; in all 1 of 3 (333 ‰).
		rate := map[int64]store.SuccessRate{}
		for _, r := range append(byProg, byOrg...) {
			rate[r.ID] = r
		}
		if r := rate[rc.ID]; r.Permille != 500 || r.Decided() != 2 || r.AmountGranted != *money(1100000) || r.SoughtDecided != *money(1300000) {
			t.Errorf("research council: %+v", r)
		}
		if r := rate[interreg.ID]; r.Permille != 0 || r.Applications != 3 || r.Decided() != 1 {
			t.Errorf("interreg: %+v", r)
		}
		if r := rate[asker.ID]; r.Permille != 0 || r.Applications != 3 {
			t.Errorf("asker: %+v", r)
		}
		if total.Permille != 333 || total.Applications != 5 || !total.HasRate() {
			t.Errorf("total: %+v", total)
		}
		if _, _, none, _ := db.SuccessRates(ctx, other.ID); none.HasRate() {
			t.Errorf("an alliance without applications has a rate: %+v", none)
		}
	})
}
