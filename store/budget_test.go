package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// feeAlliance is Osloregionen in small: Oslo (double fee) and Akershus at
// NOK 1.50 per inhabitant from 1 January of the year before.
func feeAlliance(t *testing.T, db *store.DB) samrad.Alliance {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ImportPopulation(ctx, "pop.csv", "SSB", []store.PopulationRow{{Code: "0301", Year: 2016, Persons: 658390}, {Code: "02", Year: 2016, Persons: 594533}}); err != nil {
		t.Fatal(err)
	}
	a := newAlliance(t, db, "osloregionen")
	if _, err := db.ImportMemberships(ctx, a.ID, "m.csv", []store.ImportRow{row(1, "0301", "", "2017-01-01"), row(2, "02", "", "2017-01-01")}, false); err != nil {
		t.Fatal(err)
	}
	s := samrad.FeeSchedule{AllianceID: a.ID, FromYear: 2017, Population: samrad.PopulationPreviousYear, RoundingUnit: 1,
		Rates:   []samrad.FeeRate{{Category: "municipality", PerInhabitant: 150}, {Category: "county", PerInhabitant: 150}},
		Members: []samrad.FeeMemberRule{{OrgKind: samrad.KindMunicipality, OrgCode: "0301", MultiplierPermille: 2000}}}
	if err := db.CreateFeeSchedule(ctx, &s); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestBudgetAgainstAccounts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := feeAlliance(t, db)
		p := programme2017(a.ID)
		if err := db.CreateProgramme(ctx, &p); err != nil {
			t.Fatal(err)
		}
		measure := p.Sections[0].Measures[0].ID
		b := samrad.Budget{AllianceID: a.ID, Year: 2017, AdoptedOn: d("2016-12-06"), AdoptedBy: "Styret", OpeningBalance: samrad.NOK(1_200_000)}
		if err := db.SaveBudget(ctx, &b); err != nil {
			t.Fatal(err)
		}
		for _, l := range []samrad.BudgetLine{
			{Account: "3100", Category: samrad.BudgetFees, Title: "Medlemskontingent"},
			{Account: "3400", Category: samrad.BudgetGrants, Title: "Statstilskudd", Amount: samrad.NOK(500_000)},
			{Account: "5000", Category: samrad.BudgetFixed, Title: "Lønn", Amount: samrad.NOK(1_800_000)},
			{Account: "6800", Category: samrad.BudgetGovernance, Title: "Møter i styre og råd", Amount: samrad.NOK(150_000)},
			{Account: "7700", Category: samrad.BudgetProjects, Title: "Tiltak 1.1", Amount: samrad.NOK(400_000), MeasureID: measure},
		} {
			if err := db.SetBudgetLine(ctx, a.ID, 2017, &l); err != nil {
				t.Fatalf("line %s: %v", l.Account, err)
			}
		}
		// Bad lines are refused and write nothing.
		for name, l := range map[string]samrad.BudgetLine{
			"another currency": {Account: "7710", Category: samrad.BudgetProjects, Title: "Studietur", Amount: 100, Currency: "EUR"},
			"typed fee income": {Account: "3110", Category: samrad.BudgetFees, Title: "Kontingent", Amount: samrad.NOK(1)},
			"second fee line":  {Account: "3110", Category: samrad.BudgetFees, Title: "Kontingent 2"},
			"same account":     {Account: "5000", Category: samrad.BudgetFixed, Title: "Husleie", Amount: 1},
		} {
			if err := db.SetBudgetLine(ctx, a.ID, 2017, &l); samrad.ErrorCode(err) != samrad.EINVALID {
				t.Errorf("%s: %v, want EINVALID", name, err)
			}
		}
		got, err := db.Budget(ctx, a.ID, 2017)
		if err != nil || len(got.Lines) != 5 || got.AdoptedBy != "Styret" || got.OpeningBalance != samrad.NOK(1_200_000) {
			t.Fatalf("budget = %+v, %v", got, err)
		}

		// Fee income is the fee table's total, not a typed figure:
		// 658 390 × 1.50 × 2 + 594 533 × 1.50 = 1 975 170 + 891 799.50.
		st, err := db.BudgetStatement(ctx, a.ID, 2017)
		if err != nil {
			t.Fatal(err)
		}
		ft, _ := db.FeeTable(ctx, a.ID, 2017)
		if st.FeeTotal != ft.Total || st.Income[0].Budget.String() != "2866969.50" || st.FeeError != "" {
			t.Errorf("fee income %s (%q), fee table %s, want 2866969.50", st.Income[0].Budget, st.FeeError, ft.Total)
		}
		if st.HasActuals || st.CarryIn != samrad.NOK(1_200_000) {
			t.Errorf("before accounts: %+v", st)
		}

		// Bad accounting files name the line and write nothing.
		good := "konto;dato;beløp;tekst\n3100;15.02.2017;-2 866 969,50;Kontingent\n3400;2017-03-01;-500000;Tilskudd\n5000;2017-12-31;1 750 000,00;Lønn\n7700;2017-06-01;380000;Tiltak 1.1\n"
		for name, c := range map[string]struct{ file, want string }{
			"bad amount":      {strings.Replace(good, "380000", "380 000,005", 1), `line 5: column "beløp"`},
			"unknown account": {strings.Replace(good, "6800", "x", 1) + "9999;2017-06-01;1;?\n", `line 6: column "konto": account 9999 is not in the budget`},
			"another year":    {strings.Replace(good, "2017-03-01", "2016-03-01", 1), `line 3: column "dato"`},
			"no amount col":   {"konto;dato\n3100;2017-01-01\n", "no amount column"},
		} {
			_, err := db.ImportLedger(ctx, a.ID, 2017, "regnskap.csv", []byte(c.file))
			if samrad.ErrorCode(err) != samrad.EINVALID || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v, want EINVALID naming %q", name, err, c.want)
			}
		}
		if imps, _ := db.LedgerImports(ctx, a.ID, 2017); len(imps) != 0 {
			t.Errorf("failed imports left %d records", len(imps))
		}
		imp, err := db.ImportLedger(ctx, a.ID, 2017, "regnskap.csv", []byte(good))
		if err != nil || imp.Entries != 4 {
			t.Fatalf("import: %+v, %v", imp, err)
		}
		// A second export of the year replaces the first.
		if _, err := db.ImportLedger(ctx, a.ID, 2017, "regnskap2.csv", []byte(good+"6800,x\n")); err == nil {
			t.Fatal("a line with two cells: want an error")
		}
		if _, err := db.ImportLedger(ctx, a.ID, 2017, "regnskap2.csv", []byte(good+"6800;2017-11-30;120000;Rådsmøte\n")); err != nil {
			t.Fatal(err)
		}
		st, err = db.BudgetStatement(ctx, a.ID, 2017)
		if err != nil {
			t.Fatal(err)
		}
		// Income 3 366 969.50, costs 1 750 000 + 120 000 + 380 000.
		if st.IncomeActual.String() != "3366969.50" || st.CostActual.String() != "2250000.00" || st.ResultActual.String() != "1116969.50" {
			t.Errorf("actuals: income %s, costs %s, result %s", st.IncomeActual, st.CostActual, st.ResultActual)
		}
		if st.CarryOut.String() != "2316969.50" {
			t.Errorf("carry-out %s, want 2316969.50", st.CarryOut)
		}
		if len(st.ByMeasure) != 1 || st.ByMeasure[0].MeasureID != measure || st.ByMeasure[0].Actual != samrad.NOK(380_000) || st.ByMeasure[0].Budget != samrad.NOK(400_000) {
			t.Errorf("by measure: %+v", st.ByMeasure)
		}
		// The next year carries in 2017's carry-out, whatever its own
		// opening balance says.
		next := samrad.Budget{AllianceID: a.ID, Year: 2018, OpeningBalance: samrad.NOK(1)}
		if err := db.SaveBudget(ctx, &next); err != nil {
			t.Fatal(err)
		}
		st18, err := db.BudgetStatement(ctx, a.ID, 2018)
		if err != nil || st18.CarryIn != st.CarryOut {
			t.Errorf("2018 carry-in %s, want %s (%v)", st18.CarryIn, st.CarryOut, err)
		}
		if years, _ := db.BudgetYears(ctx, a.ID); len(years) != 2 || years[0] != 2018 {
			t.Errorf("years = %v", years)
		}
		// A budget line cannot fund another alliance's measure.
		other := newAlliance(t, db, "vestregionen")
		if err := db.SetBudgetLine(ctx, other.ID, 2017, &samrad.BudgetLine{Account: "7700", Category: samrad.BudgetProjects, Title: "x", MeasureID: measure}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("another alliance's measure: %v", err)
		}
		if _, err := db.Budget(ctx, other.ID, 2017); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("the refused line created a budget: %v", err)
		}
	})
}
