package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

func money(kr int64) *samrad.Money {
	m := samrad.NOK(kr)
	return &m
}

// newOrg stores an organisation without an official code.
func newOrg(t testing.TB, db *store.DB, kind samrad.OrgKind, code, name string) samrad.Organisation {
	t.Helper()
	o := samrad.Organisation{Kind: kind, Code: code, NameNB: name}
	if err := db.CreateOrganisation(context.Background(), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// newNetwork stores a network of an alliance with plain SQL, as the
// networks' own store functions would.
func newNetwork(t testing.TB, db *store.DB, allianceID int64, slug, name string, published bool) int64 {
	t.Helper()
	var id int64
	if err := db.SQL().QueryRowContext(context.Background(), `INSERT INTO networks (alliance_id, slug, kind, name_nb, published)
		VALUES ($1, $2, 'internal', $3, $4) RETURNING id`, allianceID, slug, name, published).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// newMeasure stores a programme for a year with one measure, 1.1.
func newMeasure(t testing.TB, db *store.DB, allianceID int64, year int) int64 {
	t.Helper()
	p := samrad.Programme{AllianceID: allianceID, Year: year, Sections: []samrad.Section{{Number: 1, Title: "Helse",
		Measures: []samrad.Measure{{Section: 1, Number: 1, Title: "Samhandling med spesialisthelsetjenesten"}}}}}
	if err := db.CreateProgramme(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	return p.Sections[0].Measures[0].ID
}

// projectRows counts the rows of every project table, and the audit entries about projects.
func projectRows(t testing.TB, db *store.DB) string {
	t.Helper()
	var parts []string
	for _, q := range []string{`SELECT COUNT(*) FROM projects`, `SELECT COUNT(*) FROM project_partners`, `SELECT COUNT(*) FROM project_funding`,
		`SELECT COUNT(*) FROM project_milestones`, `SELECT COUNT(*) FROM project_documents`, `SELECT COUNT(*) FROM audit_log WHERE entity LIKE 'project%'`} {
		var n int
		if err := db.SQL().QueryRowContext(context.Background(), q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprint(n))
	}
	return strings.Join(parts, "/")
}

func TestProjectWithPartnersFundingMilestonesAndDocuments(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		vr := newAlliance(t, db, "vestregionen")
		nhn := newOrg(t, db, samrad.KindStateAgency, "norsk-helsenett", "Norsk Helsenett")
		hod := newOrg(t, db, samrad.KindStateAgency, "hod", "Helse- og omsorgsdepartementet")
		own := newOrg(t, db, samrad.KindRegionalCouncil, "vestregionen", "Vestregionen")
		network := newNetwork(t, db, vr.ID, "digital-samhandling", "Nettverk for digital samhandling", true)
		measure := newMeasure(t, db, vr.ID, 2017)

		p := samrad.Project{AllianceID: vr.ID, NameNB: "KomUT – Elektronisk meldingsutveksling", NameEN: "KomUT – electronic messaging",
			DescriptionNB: "Gjennomføres av Norsk Helsenett.", OwnerOrgID: nhn.ID, Status: samrad.ProjectRunning,
			Starts: d("2015-01-01"), Ends: d("2018-12-31"), Budget: money(2_500_000), OwnContribution: money(250_000),
			NetworkID: network, MeasureID: measure, Website: "https://www.nhn.no", Published: true, Source: "Sak 24/2017"}
		if err := db.CreateProject(ctx, &p); err != nil {
			t.Fatal(err)
		}
		if p.Slug != "komut-elektronisk-meldingsutveksling" || p.ID == 0 || p.CreatedAt.IsZero() {
			t.Errorf("created %+v", p)
		}
		for _, x := range []samrad.ProjectPartner{{ProjectID: p.ID, OrgID: own.ID, Role: "prosjektledelse i Vestre Vikens opptaksområde"},
			{ProjectID: p.ID, OrgID: hod.ID, Role: "oppdragsgiver"}} {
			if err := db.AddPartner(ctx, vr.ID, &x); err != nil {
				t.Fatal(err)
			}
		}
		rows := projectRows(t, db)
		if err := db.AddPartner(ctx, vr.ID, &samrad.ProjectPartner{ProjectID: p.ID, OrgID: hod.ID, Role: "partner"}); samrad.ErrorCode(err) != samrad.ECONFLICT || fieldOf(err) != "partner" {
			t.Errorf("the same organisation twice: %v", err)
		}
		if err := db.AddPartner(ctx, vr.ID, &samrad.ProjectPartner{ProjectID: p.ID, OrgID: 999999}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("unknown organisation as partner: %v", err)
		}
		if after := projectRows(t, db); after != rows {
			t.Errorf("refused partners wrote rows: %s, then %s", rows, after)
		}
		for _, f := range []samrad.ProjectFunding{
			{ProjectID: p.ID, Kind: samrad.ProjectFundingState, FunderOrgID: hod.ID, Amount: samrad.NOK(1_500_000)},
			{ProjectID: p.ID, Kind: samrad.ProjectFundingState, Funder: "Helsedirektoratet", Amount: samrad.NOK(500_000), Note: "Tilskudd 2016"},
			{ProjectID: p.ID, Kind: samrad.ProjectFundingOwn, Amount: samrad.Money(25_000_050)},
		} {
			if err := db.AddFunding(ctx, vr.ID, &f); err != nil {
				t.Fatal(err)
			}
		}
		rows = projectRows(t, db)
		for name, f := range map[string]samrad.ProjectFunding{
			"negative":     {ProjectID: p.ID, Kind: samrad.ProjectFundingState, Funder: "Staten", Amount: -1},
			"unknown kind": {ProjectID: p.ID, Kind: "lottery", Funder: "Norsk Tipping", Amount: 1},
			"no funder":    {ProjectID: p.ID, Kind: samrad.ProjectFundingEU, Amount: 1},
			"unknown org":  {ProjectID: p.ID, Kind: samrad.ProjectFundingEU, FunderOrgID: 999999, Amount: 1},
		} {
			if err := db.AddFunding(ctx, vr.ID, &f); samrad.ErrorCode(err) != samrad.EINVALID {
				t.Errorf("funding %s: %v", name, err)
			}
		}
		if after := projectRows(t, db); after != rows {
			t.Errorf("refused funding wrote rows: %s, then %s", rows, after)
		}
		report := samrad.ProjectMilestone{ProjectID: p.ID, Kind: samrad.MilestoneReport, Title: "Sluttrapport", Due: d("2018-12-31")}
		for _, m := range []*samrad.ProjectMilestone{&report, {ProjectID: p.ID, Kind: samrad.MilestoneDeliverable, Title: "Kjernejournal hos fastleger"},
			{ProjectID: p.ID, Kind: samrad.MilestonePlain, Title: "Epikriser elektronisk", Due: d("2016-06-30")}} {
			if err := db.AddMilestone(ctx, vr.ID, m); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.AddMilestone(ctx, vr.ID, &samrad.ProjectMilestone{ProjectID: p.ID, Kind: "phase", Title: "Fase 1"}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("unknown milestone kind: %v", err)
		}
		if err := db.CompleteMilestone(ctx, vr.ID, report.ID, d("2018-12-20")); err != nil {
			t.Fatal(err)
		}
		if err := db.CompleteMilestone(ctx, vr.ID, report.ID, samrad.Date{}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("done without a date: %v", err)
		}
		doc := samrad.ProjectDocument{ProjectID: p.ID, Kind: samrad.ProjectDocumentReport, Title: "Statusrapport 2017", Filename: "status-2017.pdf"}
		if err := db.AddProjectDocument(ctx, vr.ID, &doc, []byte("%PDF-1.4\nstatus\n")); err != nil {
			t.Fatal(err)
		}
		before := projectRows(t, db)
		if err := db.AddProjectDocument(ctx, vr.ID, &samrad.ProjectDocument{ProjectID: p.ID, Title: "Skript", Filename: "x.pdf"}, []byte("<html><script>")); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("HTML as PDF: %v", err)
		}
		if err := db.AddProjectDocument(ctx, vr.ID, &samrad.ProjectDocument{ProjectID: p.ID, Title: "", Filename: "x.pdf"}, []byte("%PDF-1.4\n")); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("document without title: %v", err)
		}
		if after := projectRows(t, db); after != before {
			t.Errorf("refused inputs wrote rows: %s, then %s", before, after)
		}

		got, err := db.Project(ctx, vr.ID, p.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if got.Owner.NameNB != "Norsk Helsenett" || got.Network.Slug != "digital-samhandling" || got.Measure.Label != "1.1" || got.Measure.Year != 2017 ||
			*got.Budget != samrad.NOK(2_500_000) || *got.OwnContribution != samrad.NOK(250_000) || !got.Ends.Equal(d("2018-12-31")) || !got.Published {
			t.Errorf("project %+v", got)
		}
		if len(got.Partners) != 2 || got.Partners[0].Org.NameNB != "Helse- og omsorgsdepartementet" || got.Partners[0].Role != "oppdragsgiver" ||
			got.Partners[1].Org.Code != "vestregionen" {
			t.Errorf("partners %+v", got.Partners)
		}
		if len(got.Funding) != 3 || got.Funding[0].FunderName("nb") != "Helse- og omsorgsdepartementet" || got.Funding[1].FunderName("nb") != "Helsedirektoratet" ||
			got.FundingTotal() != samrad.Money(225_000_050) {
			t.Errorf("funding %+v, total %s", got.Funding, got.FundingTotal())
		}
		if len(got.Milestones) != 3 || got.Milestones[0].Title != "Epikriser elektronisk" || got.Milestones[1].Title != "Sluttrapport" ||
			!got.Milestones[1].Done.Equal(d("2018-12-20")) || got.Milestones[2].Due.IsZero() != true || !got.Milestones[0].Late(d("2017-01-01")) {
			t.Errorf("milestones %+v", got.Milestones)
		}
		if len(got.Documents) != 1 || got.Documents[0].ContentType != "application/pdf" || got.Documents[0].Size != 16 {
			t.Errorf("documents %+v", got.Documents)
		}
		if _, data, err := db.ProjectDocument(ctx, p.ID, doc.ID); err != nil || string(data) != "%PDF-1.4\nstatus\n" {
			t.Errorf("document file: %q %v", data, err)
		}
		if _, _, err := db.ProjectDocument(ctx, p.ID+1, doc.ID); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("document through another project: %v", err)
		}

		if err := db.RemovePartner(ctx, vr.ID, p.ID, hod.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.RemovePartner(ctx, vr.ID, p.ID, hod.ID); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("removing a partner twice: %v", err)
		}
		if got, _ := db.Project(ctx, vr.ID, p.Slug); len(got.Partners) != 1 {
			t.Errorf("partners after removal: %+v", got.Partners)
		}
		if _, err := db.Project(ctx, vr.ID, "finnes-ikke"); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("unknown project: %v", err)
		}
	})
}

// fieldOf is the field an error names.
func fieldOf(err error) string {
	if e, ok := err.(*samrad.Error); ok {
		return e.Field
	}
	return ""
}

func TestProjectRefusesBadInputAndWritesNothing(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		vr := newAlliance(t, db, "vestregionen")
		ore := newAlliance(t, db, "ore")
		ownNetwork := newNetwork(t, db, vr.ID, "transport-2-0", "Transport 2.0", true)
		otherNetwork := newNetwork(t, db, ore.ID, "errin", "ERRIN", true)
		ownMeasure := newMeasure(t, db, vr.ID, 2017)
		otherMeasure := newMeasure(t, db, ore.ID, 2020)
		existing := samrad.Project{AllianceID: vr.ID, Slug: "khs", NameNB: "Kommunehelsesamarbeidet", Status: samrad.ProjectRunning,
			NetworkID: ownNetwork, MeasureID: ownMeasure, Published: true}
		if err := db.CreateProject(ctx, &existing); err != nil {
			t.Fatal(err)
		}
		valid := func() samrad.Project {
			return samrad.Project{AllianceID: vr.ID, NameNB: "Videreutdanning for helsefagarbeidere", Status: samrad.ProjectIdea}
		}
		for _, tc := range []struct {
			name, field, code string
			change            func(p *samrad.Project)
		}{
			{"ends before it starts", "ends", samrad.EINVALID, func(p *samrad.Project) { p.Starts, p.Ends = d("2018-08-01"), d("2018-06-30") }},
			{"negative budget", "budget", samrad.EINVALID, func(p *samrad.Project) { p.Budget = money(-1) }},
			{"negative own contribution", "own_contribution", samrad.EINVALID, func(p *samrad.Project) { p.OwnContribution = money(-100) }},
			{"unknown status", "status", samrad.EINVALID, func(p *samrad.Project) { p.Status = "paused" }},
			{"no status", "status", samrad.EINVALID, func(p *samrad.Project) { p.Status = "" }},
			{"no name", "name_nb", samrad.EINVALID, func(p *samrad.Project) { p.NameNB = "  " }},
			{"bad slug", "slug", samrad.EINVALID, func(p *samrad.Project) { p.Slug = "Ikke En Slug" }},
			{"reserved slug", "slug", samrad.EINVALID, func(p *samrad.Project) { p.Slug = "ny" }},
			{"website without scheme", "website", samrad.EINVALID, func(p *samrad.Project) { p.Website = "javascript:alert(1)" }},
			{"network of another alliance", "network", samrad.EINVALID, func(p *samrad.Project) { p.NetworkID = otherNetwork }},
			{"unknown network", "network", samrad.EINVALID, func(p *samrad.Project) { p.NetworkID = 999999 }},
			{"measure of another alliance", "measure", samrad.EINVALID, func(p *samrad.Project) { p.MeasureID = otherMeasure }},
			{"unknown owner", "owner", samrad.EINVALID, func(p *samrad.Project) { p.OwnerOrgID = 999999 }},
			{"duplicate slug", "slug", samrad.ECONFLICT, func(p *samrad.Project) { p.Slug = "khs" }},
		} {
			before := projectRows(t, db)
			p := valid()
			tc.change(&p)
			err := db.CreateProject(ctx, &p)
			if samrad.ErrorCode(err) != tc.code || fieldOf(err) != tc.field {
				t.Errorf("create, %s: %v, want %s on %q", tc.name, err, tc.code, tc.field)
			}
			// The same change to the existing project is refused too, and
			// leaves it as it was.
			u, err := db.Project(ctx, vr.ID, "khs")
			if err != nil {
				t.Fatal(err)
			}
			up := u.Project
			tc.change(&up)
			if tc.name == "duplicate slug" {
				other := valid()
				if err := db.CreateProject(ctx, &other); err != nil {
					t.Fatal(err)
				}
				before = projectRows(t, db)
				up = other
				up.Slug = "khs"
			}
			err = db.UpdateProject(ctx, &up)
			if samrad.ErrorCode(err) != tc.code || fieldOf(err) != tc.field {
				t.Errorf("update, %s: %v, want %s on %q", tc.name, err, tc.code, tc.field)
			}
			if after := projectRows(t, db); after != before {
				t.Errorf("%s: rows %s before, %s after", tc.name, before, after)
			}
			if again, _ := db.Project(ctx, vr.ID, "khs"); again.NameNB != "Kommunehelsesamarbeidet" || again.Status != samrad.ProjectRunning ||
				again.NetworkID != ownNetwork || again.MeasureID != ownMeasure || again.Budget != nil {
				t.Errorf("%s: the project changed: %+v", tc.name, again.Project)
			}
		}
		// Nothing of another alliance's project can be changed through this one.
		before := projectRows(t, db)
		other := samrad.Project{ID: existing.ID, AllianceID: ore.ID, Slug: "khs", NameNB: "Kapret", Status: samrad.ProjectClosed}
		if err := db.UpdateProject(ctx, &other); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("update through another alliance: %v", err)
		}
		if after := projectRows(t, db); after != before {
			t.Errorf("an update through another alliance wrote rows: %s, then %s", before, after)
		}
		org := newOrg(t, db, samrad.KindInstitution, "hsn", "Høgskolen i Sørøst-Norge")
		before = projectRows(t, db)
		if err := db.AddPartner(ctx, ore.ID, &samrad.ProjectPartner{ProjectID: existing.ID, OrgID: org.ID}); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("partner through another alliance: %v", err)
		}
		if err := db.AddFunding(ctx, ore.ID, &samrad.ProjectFunding{ProjectID: existing.ID, Kind: samrad.ProjectFundingOwn, Amount: 1}); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("funding through another alliance: %v", err)
		}
		if err := db.AddMilestone(ctx, ore.ID, &samrad.ProjectMilestone{ProjectID: existing.ID, Kind: samrad.MilestonePlain, Title: "X"}); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("milestone through another alliance: %v", err)
		}
		if err := db.AddProjectDocument(ctx, ore.ID, &samrad.ProjectDocument{ProjectID: existing.ID, Title: "X", Filename: "x.pdf"}, []byte("%PDF-1.4\n")); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("document through another alliance: %v", err)
		}
		if err := db.RemovePartner(ctx, ore.ID, existing.ID, org.ID); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("removal through another alliance: %v", err)
		}
		if after := projectRows(t, db); after != before {
			t.Errorf("another alliance's actions wrote rows: %s, then %s", before, after)
		}
		ms := samrad.ProjectMilestone{ProjectID: existing.ID, Kind: samrad.MilestonePlain, Title: "Avtale med Vestre Viken"}
		if err := db.AddMilestone(ctx, vr.ID, &ms); err != nil {
			t.Fatal(err)
		}
		if err := db.CompleteMilestone(ctx, ore.ID, ms.ID, d("2017-05-01")); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("completing through another alliance: %v", err)
		}
		if got, _ := db.Project(ctx, vr.ID, "khs"); !got.Milestones[0].Done.IsZero() {
			t.Errorf("milestone done through another alliance: %+v", got.Milestones)
		}
	})
}

func TestProjectUpdateIsAudited(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := samrad.WithActor(context.Background(), samrad.Actor{Name: "sekretariat@example.no"})
		vr := newAlliance(t, db, "vestregionen")
		p := samrad.Project{AllianceID: vr.ID, NameNB: "Videreutdanning for helsefagarbeidere", Status: samrad.ProjectIdea, Published: true}
		if err := db.CreateProject(ctx, &p); err != nil {
			t.Fatal(err)
		}
		version, _ := db.Version(ctx)
		p.Status, p.Starts, p.Budget = samrad.ProjectRunning, d("2018-08-15"), money(400_000)
		if err := db.UpdateProject(ctx, &p); err != nil {
			t.Fatal(err)
		}
		if v, _ := db.Version(ctx); v == version {
			t.Error("the data version did not change, so cached pages would not refresh")
		}
		var actor, before, after string
		if err := db.SQL().QueryRowContext(ctx, `SELECT actor, before_json, after_json FROM audit_log WHERE entity = 'project' AND action = 'update'`).
			Scan(&actor, &before, &after); err != nil {
			t.Fatal(err)
		}
		var b, a map[string]any
		if err := json.Unmarshal([]byte(before), &b); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(after), &a); err != nil {
			t.Fatal(err)
		}
		if actor != "sekretariat@example.no" || b["Status"] != "idea" || a["Status"] != "running" || b["Budget"] != nil || a["Budget"] != float64(40_000_000) ||
			a["Starts"] != "2018-08-15" {
			t.Errorf("audit: %s: %s → %s", actor, before, after)
		}
		got, _ := db.Project(ctx, vr.ID, p.Slug)
		if got.Status != samrad.ProjectRunning || !got.Starts.Equal(d("2018-08-15")) || *got.Budget != samrad.NOK(400_000) || !got.UpdatedAt.After(got.CreatedAt.Add(-1)) {
			t.Errorf("after update: %+v", got.Project)
		}
	})
}

func TestPortfolioTotalsFiltersAndQueryCount(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		vr := newAlliance(t, db, "vestregionen")
		ore := newAlliance(t, db, "ore")
		transport := newNetwork(t, db, vr.ID, "transport-2-0", "Transport 2.0", true)
		nhn := newOrg(t, db, samrad.KindStateAgency, "norsk-helsenett", "Norsk Helsenett")
		add := func(allianceID int64, name string, status samrad.ProjectStatus, budget *samrad.Money, network, owner int64, published bool, funding ...samrad.ProjectFunding) samrad.Project {
			t.Helper()
			p := samrad.Project{AllianceID: allianceID, NameNB: name, Status: status, Budget: budget, NetworkID: network, OwnerOrgID: owner, Published: published}
			if err := db.CreateProject(ctx, &p); err != nil {
				t.Fatal(err)
			}
			for _, f := range funding {
				f.ProjectID = p.ID
				if f.Funder == "" {
					f.Funder = "Finansiør"
				}
				if err := db.AddFunding(ctx, allianceID, &f); err != nil {
					t.Fatal(err)
				}
			}
			return p
		}
		fund := func(kind samrad.ProjectFundingKind, kr int64) samrad.ProjectFunding {
			return samrad.ProjectFunding{Kind: kind, Amount: samrad.NOK(kr)}
		}
		add(vr.ID, "Øvre Eiker mobilitet", samrad.ProjectRunning, money(1_000_000), transport, 0, true,
			fund(samrad.ProjectFundingResearchCouncil, 600_000), fund(samrad.ProjectFundingCounty, 100_000), fund(samrad.ProjectFundingCounty, 50_000))
		add(vr.ID, "Elbil-deling", samrad.ProjectApplication, nil, transport, 0, true, fund(samrad.ProjectFundingEU, 2_000_000))
		add(vr.ID, "KomUT", samrad.ProjectRunning, money(500_000), 0, nhn.ID, true, fund(samrad.ProjectFundingState, 300_000))
		add(vr.ID, "Ålesund-modellen", samrad.ProjectIdea, money(10), 0, 0, false, fund(samrad.ProjectFundingOwn, 7))
		add(vr.ID, "Avsluttet", samrad.ProjectClosed, nil, 0, 0, true)
		add(ore.ID, "ORE-prosjekt", samrad.ProjectRunning, money(99), 0, 0, true, fund(samrad.ProjectFundingEU, 99))

		pf, err := db.Portfolio(ctx, vr.ID, store.PortfolioFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range pf.Rows {
			names = append(names, r.NameNB)
		}
		// Norwegian order: Ø and Å after Z; the unpublished one is left out.
		if got := strings.Join(names, ", "); got != "Avsluttet, Elbil-deling, KomUT, Øvre Eiker mobilitet" {
			t.Errorf("public portfolio: %s", got)
		}
		if pf.Funding != samrad.NOK(3_050_000) || pf.Budget != samrad.NOK(1_500_000) {
			t.Errorf("totals: funding %s, budget %s", pf.Funding, pf.Budget)
		}
		want := map[samrad.ProjectStatus]store.StatusTotal{
			samrad.ProjectIdea:        {Status: samrad.ProjectIdea},
			samrad.ProjectApplication: {Status: samrad.ProjectApplication, Projects: 1, Funding: samrad.NOK(2_000_000)},
			samrad.ProjectRunning:     {Status: samrad.ProjectRunning, Projects: 2, Budget: samrad.NOK(1_500_000), Funding: samrad.NOK(1_050_000)},
			samrad.ProjectClosed:      {Status: samrad.ProjectClosed, Projects: 1},
		}
		if len(pf.ByStatus) != 4 {
			t.Errorf("by status: %+v", pf.ByStatus)
		}
		for _, st := range pf.ByStatus {
			if st != want[st.Status] {
				t.Errorf("status %s: %+v, want %+v", st.Status, st, want[st.Status])
			}
		}
		kinds := map[samrad.ProjectFundingKind]samrad.Money{}
		for _, k := range pf.ByKind {
			kinds[k.Kind] = k.Amount
		}
		if len(pf.ByKind) != len(samrad.ProjectFundingKinds) || kinds[samrad.ProjectFundingCounty] != samrad.NOK(150_000) ||
			kinds[samrad.ProjectFundingResearchCouncil] != samrad.NOK(600_000) || kinds[samrad.ProjectFundingEU] != samrad.NOK(2_000_000) ||
			kinds[samrad.ProjectFundingState] != samrad.NOK(300_000) || kinds[samrad.ProjectFundingOwn] != 0 {
			t.Errorf("by kind: %+v", pf.ByKind)
		}
		for _, r := range pf.Rows {
			switch r.NameNB {
			case "Øvre Eiker mobilitet":
				if r.Network.Slug != "transport-2-0" || r.Funding != samrad.NOK(750_000) || r.FundingByKind[samrad.ProjectFundingCounty] != samrad.NOK(150_000) || r.Owner.ID != 0 {
					t.Errorf("row %+v", r)
				}
			case "KomUT":
				if r.Owner.NameNB != "Norsk Helsenett" || r.Network.ID != 0 || *r.Budget != samrad.NOK(500_000) {
					t.Errorf("row %+v", r)
				}
			case "Avsluttet":
				if r.Funding != 0 || r.FundingByKind != nil {
					t.Errorf("row without funding %+v", r)
				}
			}
		}

		all, _ := db.Portfolio(ctx, vr.ID, store.PortfolioFilter{IncludeUnpublished: true})
		running, _ := db.Portfolio(ctx, vr.ID, store.PortfolioFilter{Status: samrad.ProjectRunning})
		inNetwork, _ := db.Portfolio(ctx, vr.ID, store.PortfolioFilter{NetworkID: transport})
		owned, _ := db.Portfolio(ctx, vr.ID, store.PortfolioFilter{OwnerOrgID: nhn.ID})
		if len(all.Rows) != 5 || all.Funding != samrad.Money(305_000_700) || len(running.Rows) != 2 || running.Funding != samrad.NOK(1_050_000) ||
			len(inNetwork.Rows) != 2 || inNetwork.Funding != samrad.NOK(2_750_000) || len(owned.Rows) != 1 || owned.Rows[0].NameNB != "KomUT" {
			t.Errorf("filters: all %d (%s), running %d (%s), network %d (%s), owner %d", len(all.Rows), all.Funding, len(running.Rows), running.Funding,
				len(inNetwork.Rows), inNetwork.Funding, len(owned.Rows))
		}
		if none, err := db.Portfolio(ctx, vr.ID, store.PortfolioFilter{Status: samrad.ProjectIdea}); err != nil || len(none.Rows) != 0 || none.Funding != 0 || len(none.ByStatus) != 4 {
			t.Errorf("no projects: %+v %v", none, err)
		}

		// The portfolio takes the same number of queries however many
		// projects and funding sources it has: read afresh after a change
		// (here a project renamed), the stamp and two.
		renamed := add(vr.ID, "Omdøpes", samrad.ProjectIdea, nil, 0, 0, false)
		count := func() int64 {
			renamed.NameNB += "!"
			if err := db.UpdateProject(ctx, &renamed); err != nil {
				t.Fatal(err)
			}
			before := db.Queries()
			if _, err := db.Portfolio(ctx, vr.ID, store.PortfolioFilter{}); err != nil {
				t.Fatal(err)
			}
			return db.Queries() - before
		}
		small := count()
		for i := range 30 {
			add(vr.ID, fmt.Sprintf("Prosjekt %02d", i), samrad.ProjectRunning, money(int64(i)), transport, nhn.ID, true,
				fund(samrad.ProjectFundingState, 1), fund(samrad.ProjectFundingEU, 2), fund(samrad.ProjectFundingPrivate, 3))
		}
		if large := count(); large != small || small > 3 {
			t.Errorf("portfolio queries: %d with 5 projects, %d with 35", small, large)
		}
	})
}

func TestProjectNetworksAndMeasures(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		vr := newAlliance(t, db, "vestregionen")
		newNetwork(t, db, vr.ID, "transport-2-0", "Transport 2.0", true)
		newNetwork(t, db, vr.ID, "bpa-erfaringsnettverk", "BPA-erfaringsnettverk", false)
		m := newMeasure(t, db, vr.ID, 2017)
		public, err := db.ProjectNetworks(ctx, vr.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		all, _ := db.ProjectNetworks(ctx, vr.ID, true)
		if len(public) != 1 || public[0].Slug != "transport-2-0" || len(all) != 2 {
			t.Errorf("networks: %+v, all %+v", public, all)
		}
		n, err := db.ProjectNetworkBySlug(ctx, vr.ID, "bpa-erfaringsnettverk")
		if err != nil || n.Published || n.NameNB != "BPA-erfaringsnettverk" {
			t.Errorf("network by slug: %+v %v", n, err)
		}
		if _, err := db.ProjectNetworkBySlug(ctx, vr.ID, "errin"); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("unknown network: %v", err)
		}
		ms, err := db.AllianceMeasures(ctx, vr.ID)
		if err != nil || len(ms) != 1 || ms[0].ID != m || ms[0].Label != "1.1" || ms[0].Year != 2017 {
			t.Errorf("measures: %+v %v", ms, err)
		}
	})
}

func TestPortfolioByYearOwnerAndOwnContribution(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		vr := newAlliance(t, db, "vestregionen")
		nhn := newOrg(t, db, samrad.KindStateAgency, "norsk-helsenett", "Norsk Helsenett")
		d := samrad.MustDate
		add := func(name string, starts, ends samrad.Date, owner int64, own *samrad.Money) {
			t.Helper()
			p := samrad.Project{AllianceID: vr.ID, NameNB: name, Status: samrad.ProjectRunning, Starts: starts, Ends: ends, OwnerOrgID: owner,
				OwnContribution: own, Published: true}
			if err := db.CreateProject(ctx, &p); err != nil {
				t.Fatal(err)
			}
		}
		add("A 2016–2018", d("2016-03-01"), d("2018-06-30"), 0, money(100))
		add("B fra 2019", d("2019-01-01"), samrad.Date{}, nhn.ID, money(20))
		add("C til 2015", samrad.Date{}, d("2015-12-31"), 0, nil)
		add("D uten datoer", samrad.Date{}, samrad.Date{}, nhn.ID, money(3))
		names := func(f store.PortfolioFilter) string {
			t.Helper()
			pf, err := db.Portfolio(ctx, vr.ID, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range pf.Rows {
				out = append(out, r.NameNB[:1])
			}
			return strings.Join(out, "")
		}
		for _, tc := range []struct {
			f    store.PortfolioFilter
			want string
		}{
			{store.PortfolioFilter{Year: 2015}, "C"},
			{store.PortfolioFilter{Year: 2016}, "A"},
			{store.PortfolioFilter{Year: 2018}, "A"},
			{store.PortfolioFilter{Year: 2019}, "B"},
			{store.PortfolioFilter{Year: 2030}, "B"},
			{store.PortfolioFilter{Year: 2014}, "C"},
			{store.PortfolioFilter{OwnedByAlliance: true}, "AC"},
			{store.PortfolioFilter{OwnedByAlliance: true, OwnerOrgID: nhn.ID}, "AC"},
			{store.PortfolioFilter{OwnerOrgID: nhn.ID}, "BD"},
			{store.PortfolioFilter{OwnerOrgID: nhn.ID, Year: 2020}, "B"},
		} {
			if got := names(tc.f); got != tc.want {
				t.Errorf("%+v: %q, want %q", tc.f, got, tc.want)
			}
		}
		pf, err := db.Portfolio(ctx, vr.ID, store.PortfolioFilter{})
		if err != nil || pf.OwnContribution != samrad.NOK(123) {
			t.Errorf("own contribution %s, %v", pf.OwnContribution, err)
		}
	})
}

func TestPortfolioIsCachedUntilAProjectChanges(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		vr := newAlliance(t, db, "vestregionen")
		p := samrad.Project{AllianceID: vr.ID, NameNB: "Først", Status: samrad.ProjectRunning, Published: true}
		if err := db.CreateProject(ctx, &p); err != nil {
			t.Fatal(err)
		}
		first, err := db.Portfolio(ctx, vr.ID, store.PortfolioFilter{})
		if err != nil || len(first.Rows) != 1 {
			t.Fatalf("%+v %v", first, err)
		}
		// The caller may reorder its copy without changing the next one's.
		first.Rows[0].NameNB = "Endret av den som leste"
		before := db.Queries()
		again, err := db.Portfolio(ctx, vr.ID, store.PortfolioFilter{})
		if n := db.Queries() - before; err != nil || n != 1 || again.Rows[0].NameNB != "Først" {
			t.Errorf("repeated read: %d queries, %q, %v", n, again.Rows[0].NameNB, err)
		}
		// Each change is seen at once: a new project, a source of funding.
		q := samrad.Project{AllianceID: vr.ID, NameNB: "Andre", Status: samrad.ProjectIdea, Published: true}
		if err := db.CreateProject(ctx, &q); err != nil {
			t.Fatal(err)
		}
		if pf, _ := db.Portfolio(ctx, vr.ID, store.PortfolioFilter{}); len(pf.Rows) != 2 {
			t.Errorf("after a new project: %d rows", len(pf.Rows))
		}
		if err := db.AddFunding(ctx, vr.ID, &samrad.ProjectFunding{ProjectID: q.ID, Kind: samrad.ProjectFundingEU, Funder: "Interreg", Amount: samrad.NOK(5)}); err != nil {
			t.Fatal(err)
		}
		if pf, _ := db.Portfolio(ctx, vr.ID, store.PortfolioFilter{}); pf.Funding != samrad.NOK(5) {
			t.Errorf("after new funding: %s", pf.Funding)
		}
		// Filters are kept apart.
		if pf, _ := db.Portfolio(ctx, vr.ID, store.PortfolioFilter{Status: samrad.ProjectIdea}); len(pf.Rows) != 1 || pf.Rows[0].NameNB != "Andre" {
			t.Errorf("filtered after unfiltered: %+v", pf.Rows)
		}
	})
}
