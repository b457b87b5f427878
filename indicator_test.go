package samrad_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/registry"
)

// realRegistry builds the registry from the embedded reference data, as
// storage does when it seeds it.
func realRegistry(t *testing.T) *samrad.Registry {
	t.Helper()
	rorgs, err := registry.Organisations()
	if err != nil {
		t.Fatal(err)
	}
	rchanges, err := registry.Changes()
	if err != nil {
		t.Fatal(err)
	}
	orgs := make([]samrad.Organisation, len(rorgs))
	for i, o := range rorgs {
		orgs[i] = samrad.Organisation{ID: int64(i + 1), Kind: samrad.OrgKind(o.Kind), Code: o.Code, NameNB: o.Name}
		if o.ValidFrom != "" {
			orgs[i].ValidFrom = d(o.ValidFrom)
		}
		if o.ValidTo != "" {
			orgs[i].ValidTo = d(o.ValidTo)
		}
	}
	find := func(kind, code string, on samrad.Date) int64 {
		for _, o := range orgs {
			if string(o.Kind) == kind && o.Code == code && o.ValidOn(on) {
				return o.ID
			}
		}
		t.Fatalf("no %s %s on %s", kind, code, on)
		return 0
	}
	changes := make([]samrad.Change, len(rchanges))
	for i, c := range rchanges {
		date := d(c.Date)
		changes[i] = samrad.Change{ID: int64(i + 1), Kind: samrad.ChangeKind(c.Change), Date: date,
			From: samrad.Organisation{ID: find(c.Kind, c.OldCode, date.AddDays(-1))},
			To:   samrad.Organisation{ID: find(c.Kind, c.NewCode, date)}}
	}
	r, err := samrad.NewRegistry(orgs, changes)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func fitted(t *testing.T, vs []samrad.IndicatorValue, code, period string) samrad.IndicatorValue {
	t.Helper()
	for _, v := range vs {
		if v.Code == code && v.Period == period {
			return v
		}
	}
	t.Fatalf("no value for %s %s in %d values", code, period, len(vs))
	return samrad.IndicatorValue{}
}

func TestFitToTodaysStructure(t *testing.T) {
	r := realRegistry(t)
	on := d("2024-06-01")
	// Figures as statbank tables give them: each code in the periods it
	// existed, empty cells ("..") where it did not.
	obs := []samrad.Observation{
		// Asker 3203 ← 3025 ← 0220 Asker + 0627 Røyken + 0628 Hurum.
		{Code: "0220", Period: "2019", Numerator: 100, Denominator: 61523},
		{Code: "0627", Period: "2019", Numerator: 30, Denominator: 22179},
		{Code: "0628", Period: "2019", Numerator: 10, Denominator: 9977},
		{Code: "0220", Period: "2022", Status: ".."},
		{Code: "3025", Period: "2019", Status: ".."},
		{Code: "3025", Period: "2022", Numerator: 150, Denominator: 95000},
		{Code: "3203", Period: "2022", Status: ".."},
		{Code: "3203", Period: "2024", Numerator: 160, Denominator: 96000},
		// Lillestrøm 3205 ← 3030 ← 0226 Sørum + 0227 Fet + 0231 Skedsmo.
		{Code: "0226", Period: "2019", Numerator: 1, Denominator: 18000},
		{Code: "0227", Period: "2019", Numerator: 2, Denominator: 11700},
		{Code: "0231", Period: "2019", Numerator: 3, Denominator: 55000},
		// Lørenskog: renumbering only, 0230 → 3029 → 3222.
		{Code: "0230", Period: "2019", Numerator: 7, Denominator: 40000},
		// Heim 5055 ← 1571 Halsa (split) + 5011 Hemne + 5012 Snillfjord (split).
		{Code: "5011", Period: "2019", Numerator: 5, Denominator: 4200},
		{Code: "5012", Period: "2019", Numerator: 1, Denominator: 980},
		{Code: "5055", Period: "2019", Status: ".."},
		{Code: "5055", Period: "2021", Numerator: 9, Denominator: 5900},
		// Oslo has the same code throughout.
		{Code: "0301", Period: "2019", Numerator: 700, Denominator: 681071},
		// The whole country is kept as it is.
		{Code: "0", Period: "2019", Numerator: 50000, Denominator: 5328212},
	}
	vs, err := r.Fit(obs, on, true)
	if err != nil {
		t.Fatal(err)
	}
	asker := fitted(t, vs, "3203", "2019")
	if asker.Method != samrad.FitSumPredecessors || asker.Numerator != 140 || asker.Denominator != 61523+22179+9977 ||
		strings.Join(asker.Parts, ",") != "0220,0627,0628" {
		t.Errorf("Asker 2019 = %+v, want the sum of 0220, 0627 and 0628", asker)
	}
	// A rate is computed from the summed parts, never averaged.
	if got, _ := asker.Value(samrad.MeasurePer1000); got != 1000*140.0/93679 {
		t.Errorf("Asker 2019 per 1,000 = %v", got)
	}
	if v := fitted(t, vs, "3203", "2022"); v.Method != samrad.FitSumPredecessors || v.Numerator != 150 || strings.Join(v.Parts, ",") != "3025" {
		t.Errorf("Asker 2022 = %+v, want 3025's figure (0220's empty cell after it ended dropped)", v)
	}
	if v := fitted(t, vs, "3203", "2024"); v.Method != samrad.FitFigure || v.Numerator != 160 || len(v.Parts) != 0 {
		t.Errorf("Asker 2024 = %+v, want its own figure", v)
	}
	if v := fitted(t, vs, "3205", "2019"); v.Numerator != 6 || v.Denominator != 18000+11700+55000 || len(v.Parts) != 3 {
		t.Errorf("Lillestrøm 2019 = %+v", v)
	}
	if v := fitted(t, vs, "3222", "2019"); v.Numerator != 7 || strings.Join(v.Parts, ",") != "0230" || v.Method != samrad.FitSumPredecessors {
		t.Errorf("Lørenskog 2019 = %+v, want 0230 carried through two renumberings", v)
	}
	heim := fitted(t, vs, "5055", "2019")
	if heim.Method != samrad.FitSplit || heim.HasFigure() || !strings.Contains(heim.Reason, "Snillfjord") {
		t.Errorf("Heim 2019 = %+v, want flagged for the Snillfjord split", heim)
	}
	if _, ok := heim.Value(samrad.MeasureCount); ok {
		t.Error("a flagged split must have no value")
	}
	// Snillfjord's other successors are flagged too.
	for _, code := range []string{"5056", "5059"} {
		if v := fitted(t, vs, code, "2019"); v.Method != samrad.FitSplit {
			t.Errorf("%s 2019 = %+v, want flagged", code, v)
		}
	}
	if v := fitted(t, vs, "5055", "2021"); v.Method != samrad.FitFigure || v.Numerator != 9 {
		t.Errorf("Heim 2021 = %+v, want its own figure", v)
	}
	if v := fitted(t, vs, "0301", "2019"); v.Method != samrad.FitFigure || v.Numerator != 700 {
		t.Errorf("Oslo 2019 = %+v", v)
	}
	if v := fitted(t, vs, "0", "2019"); v.Numerator != 50000 {
		t.Errorf("country = %+v", v)
	}
	for _, v := range vs {
		if v.Code == "0220" || v.Code == "3025" || v.Code == "5012" {
			t.Errorf("a code not in today's structure was kept: %+v", v)
		}
	}
}

func TestFitMissingPartAndValues(t *testing.T) {
	r := realRegistry(t)
	on := d("2024-06-01")
	obs := []samrad.Observation{
		{Code: "0220", Period: "2019", Numerator: 100},
		{Code: "0627", Period: "2019", Status: ":"},
		{Code: "0628", Period: "2019", Numerator: 10},
	}
	vs, err := r.Fit(obs, on, true)
	if err != nil {
		t.Fatal(err)
	}
	if v := fitted(t, vs, "3203", "2019"); v.HasFigure() || v.Status != ":" || v.Numerator != 0 {
		t.Errorf("a sum with a confidential part = %+v, want no figure with status ':'", v)
	}
	// Published averages cannot be summed; a renumbering alone carries them.
	obs = []samrad.Observation{
		{Code: "0220", Period: "2019", Numerator: 4.5},
		{Code: "0627", Period: "2019", Numerator: 4.1},
		{Code: "0230", Period: "2019", Numerator: 3.9},
	}
	vs, err = r.Fit(obs, on, false)
	if err != nil {
		t.Fatal(err)
	}
	if v := fitted(t, vs, "3203", "2019"); v.Method != samrad.FitSplit || v.HasFigure() || !strings.Contains(v.Reason, "cannot be summed") {
		t.Errorf("averages of a merger = %+v, want flagged", v)
	}
	if v := fitted(t, vs, "3222", "2019"); v.Numerator != 3.9 || !v.HasFigure() {
		t.Errorf("renumbered average = %+v", v)
	}
}

func TestFitErrorsNameTheCodes(t *testing.T) {
	r := realRegistry(t)
	obs := []samrad.Observation{
		{Code: "0301", Period: "2019", Numerator: 1},
		{Code: "9999", Period: "2019", Numerator: 1},
		{Code: "0301", Period: "2019", Numerator: 2},
		{Code: "0301", Period: "2019-01", Numerator: 2},
	}
	vs, err := r.Fit(obs, d("2024-06-01"), true)
	var fe *samrad.FitError
	if !errors.As(err, &fe) || vs != nil {
		t.Fatalf("err = %v, values = %d; want a FitError and no values", err, len(vs))
	}
	msg := err.Error()
	for _, want := range []string{"9999 2019: the code is not in the registry", "0301 2019: appears twice", "2019-01", "3 figures"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	// A code that ended before the fitting date has no place in the
	// structure of an earlier date.
	_, err = r.Fit([]samrad.Observation{{Code: "3203", Period: "2024", Numerator: 1}}, d("2019-06-01"), true)
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "3203") {
		t.Errorf("3203 fitted to 2019: err = %v", err)
	}
}

func TestPeriodRange(t *testing.T) {
	for _, tc := range []struct{ p, from, to string }{
		{"2019", "2019-01-01", "2019-12-31"}, {"2024K2", "2024-04-01", "2024-06-30"}, {"2024M02", "2024-02-01", "2024-02-29"},
	} {
		from, to, err := samrad.PeriodRange(tc.p)
		if err != nil || from.String() != tc.from || to.String() != tc.to {
			t.Errorf("%s = %s–%s %v, want %s–%s", tc.p, from, to, err, tc.from, tc.to)
		}
	}
	for _, bad := range []string{"", "19", "2024M13", "2024K5", "2024M5", "year"} {
		if _, _, err := samrad.PeriodRange(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

func validIndicator() samrad.Indicator {
	return samrad.Indicator{AllianceID: 1, NameNB: "Sysselsatte", Source: samrad.SourceSSB, Table: "07459",
		Query: `{"Region":["*"],"ContentsCode":["Personer1"]}`, Measure: samrad.MeasureCount, Schedule: samrad.ScheduleMonthly, Retries: 2}
}

func TestIndicatorValidate(t *testing.T) {
	in := validIndicator()
	if err := in.Validate(); err != nil || in.Slug != "sysselsatte" {
		t.Fatalf("valid indicator: %v, slug %q", err, in.Slug)
	}
	for field, change := range map[string]func(*samrad.Indicator){
		"name_nb":  func(in *samrad.Indicator) { in.NameNB = " " },
		"slug":     func(in *samrad.Indicator) { in.Slug = "Ny Slug" },
		"source":   func(in *samrad.Indicator) { in.Source = "ftp" },
		"measure":  func(in *samrad.Indicator) { in.Measure = "average" },
		"schedule": func(in *samrad.Indicator) { in.Schedule = "hourly" },
		"table":    func(in *samrad.Indicator) { in.Table = "7459" },
		"query":    func(in *samrad.Indicator) { in.Query = "Region=*" },
		"decimals": func(in *samrad.Indicator) { in.Decimals = 9 },
		"retries":  func(in *samrad.Indicator) { in.Retries = -1 },
	} {
		in := validIndicator()
		change(&in)
		var e *samrad.Error
		if err := in.Validate(); !errors.As(err, &e) || e.Field != field {
			t.Errorf("%s: err = %v", field, err)
		}
	}
	up := validIndicator()
	up.Source, up.Table = samrad.SourceUpload, ""
	if err := up.Validate(); err == nil || !strings.Contains(err.Error(), "schedule") {
		t.Errorf("an uploaded indicator on a schedule: err = %v", err)
	}
	pop := samrad.Indicator{NameNB: "Folketall", Source: samrad.SourcePopulation, Measure: samrad.MeasurePer1000}
	if err := pop.Validate(); err == nil {
		t.Error("population as a rate: want an error")
	}
}

func TestIndicatorDue(t *testing.T) {
	at := func(s string) time.Time { x, _ := time.Parse(time.RFC3339, s); return x }
	in := validIndicator()
	last := at("2024-05-15T03:00:00Z")
	for _, tc := range []struct {
		schedule samrad.IndicatorSchedule
		now      string
		want     bool
	}{
		{samrad.ScheduleMonthly, "2024-06-15T02:59:59Z", false},
		{samrad.ScheduleMonthly, "2024-06-15T03:00:00Z", true},
		{samrad.ScheduleWeekly, "2024-05-22T03:00:00Z", true},
		{samrad.ScheduleWeekly, "2024-05-21T23:00:00Z", false},
		{samrad.ScheduleDaily, "2024-05-16T03:00:00Z", true},
		{samrad.ScheduleNone, "2030-01-01T00:00:00Z", false},
	} {
		in.Schedule = tc.schedule
		if got := in.Due(last, at(tc.now)); got != tc.want {
			t.Errorf("%s at %s: due = %v, want %v", tc.schedule, tc.now, got, tc.want)
		}
	}
	in.Schedule = samrad.ScheduleMonthly
	if !in.Due(time.Time{}, at("2024-01-01T00:00:00Z")) {
		t.Error("never fetched: want due")
	}
	// Retries: two allowed after the first failure, an hour apart.
	now := at("2024-06-16T12:00:00Z")
	fails := []time.Time{at("2024-06-15T03:00:00Z")}
	if !in.ShouldRun(last, fails, now) {
		t.Error("one failure, two retries: want a retry")
	}
	if in.ShouldRun(last, append(fails, now.Add(-30*time.Minute)), now) {
		t.Error("failed half an hour ago: want to wait")
	}
	if in.ShouldRun(last, append(fails, at("2024-06-15T05:00:00Z"), at("2024-06-15T07:00:00Z")), now) {
		t.Error("three failures with two retries: want no more runs")
	}
	// A month later the next period starts and it is tried again.
	if !in.ShouldRun(last, append(fails, at("2024-06-15T05:00:00Z"), at("2024-06-15T07:00:00Z")), at("2024-07-16T12:00:00Z")) {
		t.Error("a period later: want a new try")
	}
}

func TestIndicatorValue(t *testing.T) {
	v := samrad.IndicatorValue{Numerator: 25, Denominator: 200, Method: samrad.FitFigure}
	for m, want := range map[samrad.IndicatorMeasure]float64{samrad.MeasureCount: 25, samrad.MeasureShare: 12.5, samrad.MeasurePer1000: 125, samrad.MeasureValue: 25} {
		if got, ok := v.Value(m); !ok || got != want {
			t.Errorf("%s = %v %v, want %v", m, got, ok, want)
		}
	}
	if _, ok := (samrad.IndicatorValue{Numerator: 1}).Value(samrad.MeasureShare); ok {
		t.Error("a share of nothing: want no value")
	}
	in := samrad.Indicator{Measure: samrad.MeasureShare, Decimals: 1}
	if got := in.FormatValue(v); got != "12.5" {
		t.Errorf("formatted = %q", got)
	}
}
