package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

func newIndicator(t testing.TB, db *store.DB, allianceID int64, slug string, measure samrad.IndicatorMeasure, membersOnly bool) samrad.Indicator {
	t.Helper()
	in := samrad.Indicator{AllianceID: allianceID, Slug: slug, NameNB: "Indikator " + slug, Source: samrad.SourceSSB, Table: "07459",
		Query: `{"Region":["*"]}`, Measure: measure, MembersOnly: membersOnly, Schedule: samrad.ScheduleMonthly, Decimals: 1}
	if err := db.CreateIndicator(context.Background(), &in); err != nil {
		t.Fatal(err)
	}
	return in
}

func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// fitAndReplace fits observations to the structure of 2024-06-01 and
// writes them as a successful run.
func fitAndReplace(t *testing.T, db *store.DB, in samrad.Indicator, obs []samrad.Observation) samrad.IndicatorRun {
	t.Helper()
	ctx := context.Background()
	reg, err := db.Registry(ctx)
	if err != nil {
		t.Fatal(err)
	}
	run, err := db.StartRun(ctx, in.ID, store.RunSource{URL: "https://data.ssb.no/api/pxwebapi/v2/tables/07459/data", FittedOn: d("2024-06-01")})
	if err != nil {
		t.Fatal(err)
	}
	vs, err := reg.Fit(obs, run.FittedOn, in.Measure.Additive())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceValues(ctx, run.ID, in.ID, vs, len(obs)); err != nil {
		t.Fatal(err)
	}
	return run
}

func TestIndicatorDefinitions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "indikatorer")
		other := newAlliance(t, db, "andre")
		// Bad input: a field error, nothing written.
		bad := samrad.Indicator{AllianceID: a.ID, NameNB: "Sysselsetting", Source: samrad.SourceSSB, Table: "7459", Measure: samrad.MeasureShare}
		var e *samrad.Error
		if err := db.CreateIndicator(ctx, &bad); !errors.As(err, &e) || e.Field != "table" {
			t.Errorf("bad table: err = %v", err)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM indicators`); n != 0 {
			t.Errorf("%d indicators written by a failed create", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE entity = 'indicator'`); n != 0 {
			t.Errorf("%d audit entries written by a failed create", n)
		}
		pub := newIndicator(t, db, a.ID, "folketilvekst", samrad.MeasurePer1000, false)
		priv := newIndicator(t, db, a.ID, "arbeidsledighet", samrad.MeasureShare, true)
		newIndicator(t, db, other.ID, "folketilvekst", samrad.MeasureCount, false)
		dup := samrad.Indicator{AllianceID: a.ID, Slug: "folketilvekst", NameNB: "Igjen", Source: samrad.SourcePopulation, Measure: samrad.MeasureCount}
		if err := db.CreateIndicator(ctx, &dup); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("duplicate slug: err = %v", err)
		}
		public, err := db.Indicators(ctx, a.ID, false)
		if err != nil || len(public) != 1 || public[0].ID != pub.ID {
			t.Errorf("public indicators = %v, %v; want only %s", public, err, pub.Slug)
		}
		all, err := db.Indicators(ctx, a.ID, true)
		if err != nil || len(all) != 2 {
			t.Errorf("indicators for members = %d, %v; want 2", len(all), err)
		}
		got, err := db.IndicatorBySlug(ctx, a.ID, "arbeidsledighet")
		if err != nil || got.ID != priv.ID || !got.MembersOnly || got.Measure != samrad.MeasureShare || got.Table != "07459" || got.Query != `{"Region":["*"]}` || got.Decimals != 1 {
			t.Errorf("by slug = %+v, %v", got, err)
		}
		if _, err := db.IndicatorBySlug(ctx, other.ID, "arbeidsledighet"); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("other alliance's slug: err = %v", err)
		}
		got.MembersOnly, got.Unit, got.Schedule = false, "%", samrad.ScheduleWeekly
		if err := db.UpdateIndicator(ctx, &got); err != nil {
			t.Fatal(err)
		}
		if again, _ := db.IndicatorBySlug(ctx, a.ID, "arbeidsledighet"); again.MembersOnly || again.Unit != "%" || again.Schedule != samrad.ScheduleWeekly {
			t.Errorf("after update = %+v", again)
		}
		got.Query = "not json"
		if err := db.UpdateIndicator(ctx, &got); !errors.As(err, &e) || e.Field != "query" {
			t.Errorf("bad query: err = %v", err)
		}
		if again, _ := db.IndicatorBySlug(ctx, a.ID, "arbeidsledighet"); again.Query != `{"Region":["*"]}` {
			t.Errorf("a failed update changed the query to %q", again.Query)
		}
		got.Query, got.AllianceID = `{"Region":["*"]}`, other.ID
		if err := db.UpdateIndicator(ctx, &got); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("update through another alliance: err = %v", err)
		}
	})
}

var askerObs = []samrad.Observation{
	{Code: "0220", Period: "2019", Numerator: 100, Denominator: 61523},
	{Code: "0627", Period: "2019", Numerator: 30, Denominator: 22179},
	{Code: "0628", Period: "2019", Numerator: 10, Denominator: 9977},
	{Code: "3025", Period: "2022", Numerator: 150, Denominator: 95000},
	{Code: "3203", Period: "2024", Numerator: 160, Denominator: 96000},
	{Code: "0301", Period: "2019", Numerator: 700, Denominator: 681071},
	{Code: "0301", Period: "2022", Numerator: 720, Denominator: 699827},
	{Code: "0301", Period: "2024", Status: ".."},
	{Code: "5011", Period: "2019", Numerator: 5, Denominator: 4200},
	{Code: "5012", Period: "2019", Numerator: 1, Denominator: 980},
	{Code: "5055", Period: "2024", Numerator: 9, Denominator: 6100},
}

func TestReplaceValuesIsAtomic(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "atomisk")
		in := newIndicator(t, db, a.ID, "fodte", samrad.MeasurePer1000, false)
		first := fitAndReplace(t, db, in, askerObs)
		before := count(t, db, `SELECT COUNT(*) FROM indicator_values WHERE indicator_id = $1`, in.ID)
		if before < 10 {
			t.Fatalf("%d values after the first run", before)
		}
		last, ok, err := db.LastSuccess(ctx, in.ID)
		if err != nil || !ok || last.ID != first.ID || last.Rows != before || last.Cells != len(askerObs) || last.Table != "07459" {
			t.Fatalf("last success = %+v %v %v", last, ok, err)
		}

		// A second run with a code not in the structure writes nothing.
		run, err := db.StartRun(ctx, in.ID, store.RunSource{File: "tall.json", FittedOn: d("2024-06-01")})
		if err != nil {
			t.Fatal(err)
		}
		vs := []samrad.IndicatorValue{
			{Code: "0301", Period: "2023", Numerator: 1, Denominator: 2, Method: samrad.FitFigure},
			{Code: "3025", Period: "2023", Numerator: 1, Denominator: 2, Method: samrad.FitFigure},
		}
		err = db.ReplaceValues(ctx, run.ID, in.ID, vs, 2)
		if err == nil || !strings.Contains(err.Error(), "3025") {
			t.Fatalf("err = %v, want one naming 3025", err)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM indicator_values WHERE indicator_id = $1 AND run_id = $2`, in.ID, first.ID); n != before {
			t.Errorf("%d values of the first run left, want %d", n, before)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM indicator_values WHERE period = '2023'`); n != 0 {
			t.Errorf("%d values of the failed run written", n)
		}
		runs, err := db.Runs(ctx, in.ID, 10)
		if err != nil || len(runs) != 2 {
			t.Fatalf("runs = %v, %v", runs, err)
		}
		if r := runs[0]; r.ID != run.ID || r.OK || !r.Finished() || !strings.Contains(r.Error, "3025") || r.File != "tall.json" {
			t.Errorf("failed run = %+v, want finished, not OK, with the reason", r)
		}
		if last, _, _ := db.LastSuccess(ctx, in.ID); last.ID != first.ID {
			t.Errorf("last success = %d, want the first run %d", last.ID, first.ID)
		}
		// A finished run cannot write.
		if err := db.ReplaceValues(ctx, run.ID, in.ID, vs[:1], 1); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("replace through a finished run: err = %v", err)
		}

		// A write that fails in the database (a value that breaks the
		// insert halfway through the batches) keeps the old values too.
		run, _ = db.StartRun(ctx, in.ID, store.RunSource{FittedOn: d("2024-06-01")})
		many := make([]samrad.IndicatorValue, 0, 2500)
		for y := 1900; y < 2000; y++ {
			for _, code := range []string{"0301", "3203", "3205", "5055", "0"} {
				for m := 1; m <= 5; m++ {
					many = append(many, samrad.IndicatorValue{Code: code, Period: samrad.NewDate(y, time.Month(m), 1).Time().Format("2006M01"), Numerator: 1, Method: samrad.FitFigure})
				}
			}
		}
		// Two values with the status "x" collide in this test's index only
		// after two batches have been written.
		if _, err := db.SQL().ExecContext(ctx, `CREATE UNIQUE INDEX indicator_block ON indicator_values (indicator_id) WHERE status = 'x'`); err != nil {
			t.Fatal(err)
		}
		many[100].Status, many[2400].Status = "x", "x"
		err = db.ReplaceValues(ctx, run.ID, in.ID, many, len(many))
		if err == nil {
			t.Fatal("a write failing in the third batch: want an error")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM indicator_values WHERE indicator_id = $1 AND run_id = $2`, in.ID, first.ID); n != before {
			t.Errorf("%d values of the first run after a failed large replace, want %d", n, before)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM indicator_values WHERE run_id = $1`, run.ID); n != 0 {
			t.Errorf("%d values of the failed run written", n)
		}
		if runs, _ := db.Runs(ctx, in.ID, 1); len(runs) != 1 || runs[0].OK || runs[0].Error == "" || !runs[0].Finished() {
			t.Errorf("run after a failed write = %+v", runs)
		}
		if _, err := db.SQL().ExecContext(ctx, `DROP INDEX indicator_block`); err != nil {
			t.Fatal(err)
		}

		// FinishRunFailed (a fetch that returned HTML) keeps the values.
		run, _ = db.StartRun(ctx, in.ID, store.RunSource{URL: "https://data.ssb.no/x"})
		if err := db.FinishRunFailed(ctx, run.ID, errors.New("the response is HTML, not JSON-stat")); err != nil {
			t.Fatal(err)
		}
		runs, _ = db.Runs(ctx, in.ID, 1)
		if len(runs) != 1 || runs[0].OK || runs[0].Error != "the response is HTML, not JSON-stat" || runs[0].FittedOn.IsZero() {
			t.Errorf("failed fetch = %+v", runs)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM indicator_values WHERE indicator_id = $1`, in.ID); n != before {
			t.Errorf("%d values after a failed fetch, want %d", n, before)
		}

		// A new successful run replaces every value.
		second := fitAndReplace(t, db, in, []samrad.Observation{{Code: "0301", Period: "2023", Numerator: 5, Denominator: 700000}})
		if n := count(t, db, `SELECT COUNT(*) FROM indicator_values WHERE indicator_id = $1`, in.ID); n != 1 {
			t.Errorf("%d values after the second run, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM indicator_values WHERE run_id = $1`, second.ID); n != 1 {
			t.Errorf("the value is not of the second run")
		}
	})
}

func TestComparisonMatrix(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "sammenligning")
		in := newIndicator(t, db, a.ID, "rate", samrad.MeasurePer1000, false)
		run := fitAndReplace(t, db, in, askerObs)
		c, err := db.Comparison(ctx, in.ID, []string{"3203", "0301", "5055", "3205"}, "2019", "2022")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(c.Codes, ",") != "3203,0301,5055,3205" || strings.Join(c.Periods, ",") != "2019,2022" {
			t.Fatalf("codes %v periods %v", c.Codes, c.Periods)
		}
		asker := c.Cells[0][0]
		if !asker.OK || asker.Method != samrad.FitSumPredecessors || asker.Value != 1000*140.0/93679 || strings.Join(asker.Parts, ",") != "0220,0627,0628" {
			t.Errorf("Asker 2019 = %+v", asker)
		}
		if p := asker.Provenance; p == nil || p.RunID != run.ID || p.Table != "07459" || p.Source != samrad.SourceSSB ||
			p.FetchedAt.IsZero() || p.FittedOn.String() != "2024-06-01" || !strings.Contains(p.URL, "07459") {
			t.Errorf("provenance = %+v", asker.Provenance)
		}
		if oslo := c.Cells[1][1]; !oslo.OK || oslo.Value != 1000*720.0/699827 || oslo.Method != samrad.FitFigure {
			t.Errorf("Oslo 2022 = %+v", oslo)
		}
		if heim := c.Cells[2][0]; heim.OK || !heim.Found || heim.Method != samrad.FitSplit || !strings.Contains(heim.Reason, "Snillfjord") {
			t.Errorf("Heim 2019 = %+v, want a flagged split", heim)
		}
		if lille := c.Cells[3][1]; lille.Found || lille.OK || lille.Code != "3205" || lille.Period != "2022" {
			t.Errorf("Lillestrøm 2022 = %+v, want an empty cell", lille)
		}
		if len(c.Runs) != 1 {
			t.Errorf("runs = %d", len(c.Runs))
		}
		// Open ranges and every code; a missing figure keeps its status.
		c, err = db.Comparison(ctx, in.ID, nil, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(c.Periods, ",") != "2019,2022,2024" || c.Codes[0] != "0301" {
			t.Fatalf("codes %v periods %v", c.Codes, c.Periods)
		}
		if oslo := c.Cells[0][2]; oslo.OK || oslo.Status != ".." || !oslo.Found {
			t.Errorf("Oslo 2024 = %+v, want status ..", oslo)
		}

		// A member's profile: every indicator of the code, members-only ones
		// only for members.
		priv := newIndicator(t, db, a.ID, "intern", samrad.MeasureCount, true)
		fitAndReplace(t, db, priv, []samrad.Observation{{Code: "0301", Period: "2024", Numerator: 42}})
		series, err := db.IndicatorValuesOf(ctx, a.ID, "0301", false)
		if err != nil || len(series) != 1 || len(series[0].Values) != 3 || series[0].Values[0].Period != "2019" || series[0].Provenance == nil {
			t.Fatalf("public profile = %+v, %v", series, err)
		}
		series, err = db.IndicatorValuesOf(ctx, a.ID, "0301", true)
		if err != nil || len(series) != 2 {
			t.Fatalf("members' profile = %d series, %v", len(series), err)
		}
		for _, s := range series {
			if s.Indicator.ID == priv.ID && (len(s.Values) != 1 || s.Values[0].Numerator != 42) {
				t.Errorf("members-only series = %+v", s.Values)
			}
		}
	})
}

func TestDueIndicators(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "plan")
		monthly := newIndicator(t, db, a.ID, "maanedlig", samrad.MeasureCount, false)
		never := newIndicator(t, db, a.ID, "aldri", samrad.MeasureCount, false)
		manual := samrad.Indicator{AllianceID: a.ID, Slug: "manuell", NameNB: "Manuell", Source: samrad.SourceUpload, Measure: samrad.MeasureCount}
		if err := db.CreateIndicator(ctx, &manual); err != nil {
			t.Fatal(err)
		}
		flaky := newIndicator(t, db, a.ID, "ustabil", samrad.MeasureCount, false)
		flaky.Retries = 1
		if err := db.UpdateIndicator(ctx, &flaky); err != nil {
			t.Fatal(err)
		}
		fitAndReplace(t, db, monthly, []samrad.Observation{{Code: "0301", Period: "2024", Numerator: 1}})
		for range 2 {
			run, _ := db.StartRun(ctx, flaky.ID, store.RunSource{})
			if err := db.FinishRunFailed(ctx, run.ID, errors.New("the table's dimensions changed")); err != nil {
				t.Fatal(err)
			}
		}
		slugs := func(now time.Time) string {
			list, err := db.DueIndicators(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, in := range list {
				s = append(s, in.Slug)
			}
			return strings.Join(s, ",")
		}
		now := time.Now().UTC()
		if got := slugs(now.Add(2 * time.Hour)); got != never.Slug {
			t.Errorf("due in two hours = %q, want only %q (monthly fetched, flaky out of retries, upload not scheduled)", got, never.Slug)
		}
		if got := slugs(now.AddDate(0, 1, 2)); got != "maanedlig,aldri,ustabil" {
			t.Errorf("due in a month = %q", got)
		}
	})
}

// TestComparisonFollowsChanges reads a comparison twice (the second time
// from the cache) and sees a new run's figures at once.
func TestComparisonFollowsChanges(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "vestregionen")
		in := samrad.Indicator{AllianceID: a.ID, Slug: "folk", NameNB: "Folk", Source: samrad.SourceUpload, Measure: samrad.MeasureCount}
		if err := db.CreateIndicator(ctx, &in); err != nil {
			t.Fatal(err)
		}
		write := func(n float64) {
			t.Helper()
			run, err := db.StartRun(ctx, in.ID, store.RunSource{File: "folk.json", FittedOn: samrad.MustDate("2024-06-01")})
			if err != nil {
				t.Fatal(err)
			}
			vals := []samrad.IndicatorValue{{Code: "3201", Period: "2024", Numerator: n, Method: samrad.FitFigure}}
			if err := db.ReplaceValues(ctx, run.ID, in.ID, vals, 1); err != nil {
				t.Fatal(err)
			}
		}
		read := func() float64 {
			t.Helper()
			c, err := db.Comparison(ctx, in.ID, []string{"3201"}, "", "")
			if err != nil || len(c.Cells) != 1 || len(c.Cells[0]) != 1 {
				t.Fatalf("comparison %+v, %v", c, err)
			}
			return c.Cells[0][0].Value
		}
		write(130000)
		if v := read(); v != 130000 {
			t.Fatalf("first read %v", v)
		}
		before := db.Queries()
		if v := read(); v != 130000 {
			t.Fatalf("second read %v", v)
		}
		if n := db.Queries() - before; n > 1 {
			t.Errorf("a repeated read ran %d queries, want at most 1 (the stamp)", n)
		}
		write(131000)
		if v := read(); v != 131000 {
			t.Errorf("after a new run: %v, want 131000", v)
		}
	})
}
