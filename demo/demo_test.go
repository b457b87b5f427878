package demo_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

func TestDemo(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		if err := demo.Load(ctx, db); !errors.Is(err, demo.ErrLoaded) {
			t.Errorf("second load: %v, want ErrLoaded", err)
		}
		list, err := db.Alliances(ctx)
		if err != nil || len(list) != 4 {
			t.Fatalf("%d alliances, %v", len(list), err)
		}
		for _, a := range list {
			if a.MembersNote("nb") == "" || a.MembersNote("en") == "" {
				t.Errorf("%s: every demo member list is partial and must say so", a.Slug)
			}
		}
		// Vestregionen's founders: Asker, Røyken and Hurum become one
		// membership of Asker in 2020; Akershus and Buskerud one of Viken.
		v, _ := db.AllianceBySlug(ctx, "vestregionen")
		ms, err := db.MembersOn(ctx, v.ID, samrad.MustDate("2021-01-01"), false)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, m := range ms {
			got[m.Org.Code] = len(m.Provenance)
			if m.Since.String() != "1992-01-01" || m.SincePrecision != samrad.PrecisionYear {
				t.Errorf("%s: since %s (%s), want 1992", m.Org.Code, m.Since, m.SincePrecision)
			}
		}
		want := map[string]int{"3024": 1, "3025": 3, "3005": 1, "3049": 1, "30": 2}
		for code, n := range want {
			if got[code] != n {
				t.Errorf("Vestregionen 2021: %s has %d predecessors, want %d (all: %v)", code, got[code], n, got)
			}
		}
		if len(got) != len(want) {
			t.Errorf("Vestregionen 2021: %v", got)
		}
	})
}

// TestCountyPopulationThroughTransfers: Viken did not exist on 1.1.2019,
// so its population then is that of its 2020 municipalities. Jevnaker and
// Lunner came from Oppland and Svelvik from Vestfold, so the sum is
// Østfold + Akershus + Buskerud + those three, not the three counties alone.
func TestCountyPopulationThroughTransfers(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	ctx := context.Background()
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	reg, _ := db.Registry(ctx)
	d := samrad.MustDate("2019-01-01")
	f, err := db.Figures(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	viken, _ := reg.AtDate("30", samrad.MustDate("2020-01-01"))
	p, err := reg.Population(viken, d, f)
	if err != nil {
		t.Fatal(err)
	}
	want := f["01"] + f["02"] + f["06"] + f["0532"] + f["0533"] + f["0711"]
	if p.Persons != want || f["0532"] == 0 || f["0711"] == 0 {
		t.Errorf("Viken on 2019-01-01 = %d (%d parts), want %d", p.Persons, len(p.Parts), want)
	}
	// Oppland on the same day still counts Jevnaker and Lunner.
	oppland, _ := reg.AtDate("05", d)
	withoutOwn := samrad.Figures{}
	for k, v := range f {
		if k != "05" {
			withoutOwn[k] = v
		}
	}
	p, err = reg.Population(oppland, d, withoutOwn)
	if err != nil || p.Persons != f["05"] {
		t.Errorf("Oppland summed from municipalities = %d, %v; the county figure is %d", p.Persons, err, f["05"])
	}
}

func TestDemoGovernance(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	ctx := context.Background()
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	ore, _ := db.AllianceBySlug(ctx, "ore")
	board, err := db.BodyBySlug(ctx, ore.ID, "styret")
	if err != nil {
		t.Fatal(err)
	}
	seats, _ := db.Seats(ctx, board.ID)
	if len(seats) != 7 || seats[0].Role != samrad.RoleChair || seats[0].Person.Name != "Anne Marte Kolbjørnshus" || seats[0].Represents.Code != "34" {
		t.Errorf("ORE board: %d seats, first %+v", len(seats), seats[0])
	}
	sec, _ := db.BodyBySlug(ctx, ore.ID, "sekretariatet")
	if s, _ := db.Seats(ctx, sec.ID); len(s) != 1 || s[0].Person.Name != "Gunnar Selvik" || s[0].Role != samrad.RoleDirector {
		t.Errorf("ORE secretariat: %+v", s)
	}
	or, _ := db.AllianceBySlug(ctx, "osloregionen")
	adhoc, _ := db.BodyBySlug(ctx, or.ID, "politisk-ad-hoc-gruppe")
	if s, _ := db.Seats(ctx, adhoc.ID); len(s) != 5 {
		t.Errorf("ad hoc group: %d members, want 5", len(s))
	}
	vr, _ := db.AllianceBySlug(ctx, "vestregionen")
	c, err := db.CaseByNumber(ctx, vr.ID, 2017, 24)
	if err != nil || c.Title != "Videreføring av Vestregionsamarbeidet etter 2018?" {
		t.Errorf("case 24/2017: %+v, %v", c, err)
	}
	rs, _ := db.Rotations(ctx, vr.ID)
	if len(rs) != 1 || rs[0].Org.Code != "0219" || rs[0].From.String() != "2017-07-01" || rs[0].To.String() != "2018-12-31" {
		t.Errorf("rotation: %+v", rs)
	}
}

func TestDemoProgramme(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		or, _ := db.AllianceBySlug(ctx, "osloregionen")
		p, err := db.Programme(ctx, or.ID, 2017)
		if err != nil {
			t.Fatal(err)
		}
		var labels []string
		for _, s := range p.Sections {
			for _, m := range s.Measures {
				labels = append(labels, m.Label())
				if m.Responsible == "" || len(m.Content) == 0 || m.Timeframe.Text == "" {
					t.Errorf("measure %s lacks timeframe, responsibility or content", m.Label())
				}
			}
		}
		if got := strings.Join(labels, " "); got != "1.1 1.2 1.3 2.1 2.2 2.3 3.1 3.2 4.1 5.1 5.2" {
			t.Errorf("measures = %s", got)
		}
		if m := p.Sections[0].Measures[0]; len(m.SeeAlso) != 1 || m.SeeAlso[0] != "4.1" {
			t.Errorf("1.1 refers to %v, want 4.1", m.SeeAlso)
		}
		periods, _ := db.StrategyPeriods(ctx, or.ID)
		if len(periods) != 1 || len(periods[0].FocusAreas) != 3 || len(periods[0].Roles) != 6 || p.PeriodID != periods[0].ID {
			t.Errorf("strategy = %+v", periods)
		}
		// The budget's fee income is the fee table's, with no figure typed
		// in; 2017's needs figures for 1 January 2016, which are not shipped.
		st, err := db.BudgetStatement(ctx, or.ID, 2017)
		if err != nil || !strings.Contains(st.FeeError, "2016-01-01") || st.FeeTotal != 0 {
			t.Errorf("budget 2017: %q, %s, %v; want the missing 2016 figures named", st.FeeError, st.FeeTotal, err)
		}
		st, err = db.BudgetStatement(ctx, or.ID, 2019)
		if err != nil {
			t.Fatal(err)
		}
		ft, err := db.FeeTable(ctx, or.ID, 2019)
		if err != nil {
			t.Fatal(err)
		}
		if st.FeeError != "" || st.FeeTotal == 0 || st.FeeTotal != ft.Total || st.IncomeBudget != ft.Total || len(st.Costs) != 0 {
			t.Errorf("budget 2019: fees %s (%q), fee table %s, income %s, %d cost lines", st.FeeTotal, st.FeeError, ft.Total, st.IncomeBudget, len(st.Costs))
		}
		steps, err := db.CycleSteps(ctx, or.ID)
		if err != nil || len(steps) != 4 || steps[0].Month != 3 || steps[3].Kind != samrad.CycleProgramme || steps[3].Records[2016].MeetingID == 0 {
			t.Errorf("Osloregionen's yearly cycle: %+v, %v", steps, err)
		}
		ore, _ := db.AllianceBySlug(ctx, "ore")
		goals, err := db.MemberGoals(ctx, ore.ID)
		if err != nil || len(goals) != 4 || goals[0].Org.Code != "3024" || goals[3].Position != 4 || !strings.HasPrefix(goals[3].Text, "Økt samarbeid om internasjonalisering") {
			t.Errorf("Bærum's goals for ORE: %+v, %v", goals, err)
		}
		for slug, want := range map[string]int{"vestregionen": 3, "ore": 2} {
			a, _ := db.AllianceBySlug(ctx, slug)
			ps, _ := db.StrategyPeriods(ctx, a.ID)
			if len(ps) != 1 || len(ps[0].FocusAreas) != want {
				t.Errorf("%s: strategy %+v, want %d focus areas", slug, ps, want)
			}
		}
	})
}
