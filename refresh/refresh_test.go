package refresh_test

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/refresh"
	"github.com/samrad/samrad/statbank"
	"github.com/samrad/samrad/store"
)

// The fitting date of every run: Asker is 3203 and Bærum 3201.
var now = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

func setup(t *testing.T, db *store.DB) (samrad.Alliance, *refresh.Runner) {
	t.Helper()
	ctx := context.Background()
	a := samrad.Alliance{Slug: "vestregionen", NameNB: "Vestregionen", Kind: samrad.AllianceAssociation, FoundedPrecision: samrad.PrecisionUnknown}
	if err := db.CreateAlliance(ctx, &a); err != nil {
		t.Fatal(err)
	}
	// SSB's figures for 1.1.2018 and 1.1.2019 (table 07459).
	rows := []store.PopulationRow{
		{Code: "0219", Year: 2018, Persons: 124008}, {Code: "0219", Year: 2019, Persons: 126208},
		{Code: "0220", Year: 2018, Persons: 61523}, {Code: "0220", Year: 2019, Persons: 61775},
		{Code: "0627", Year: 2018, Persons: 22436}, {Code: "0627", Year: 2019, Persons: 22834},
		{Code: "0628", Year: 2018, Persons: 9468}, {Code: "0628", Year: 2019, Persons: 9573},
	}
	if _, err := db.ImportPopulation(ctx, "folkemengde.csv", "SSB, statistikkbanken (tabell 07459)", rows); err != nil {
		t.Fatal(err)
	}
	return a, &refresh.Runner{DB: db, Now: func() time.Time { return now }}
}

func create(t *testing.T, db *store.DB, in samrad.Indicator) samrad.Indicator {
	t.Helper()
	if err := db.CreateIndicator(context.Background(), &in); err != nil {
		t.Fatal(err)
	}
	return in
}

// cell returns the figure of a code in a period, and whether it has one.
func cell(t *testing.T, db *store.DB, id int64, code, period string) (float64, bool) {
	t.Helper()
	c, err := db.Comparison(context.Background(), id, []string{code}, period, period)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Cells) != 1 || len(c.Cells[0]) != 1 {
		return 0, false
	}
	x := c.Cells[0][0]
	return x.Value, x.OK
}

// TestPopulationIndicatorsFitToday computes the population and its growth
// from the imported figures: Asker today (3203) is Asker, Røyken and Hurum
// summed, and its growth is that of the sum.
func TestPopulationIndicatorsFitToday(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, r := setup(t, db)
		size := create(t, db, samrad.Indicator{AllianceID: a.ID, Slug: "folkemengde", NameNB: "Folkemengde", Source: samrad.SourcePopulation, Measure: samrad.MeasureCount})
		growth := create(t, db, samrad.Indicator{AllianceID: a.ID, Slug: "vekst", NameNB: "Befolkningsvekst", Source: samrad.SourcePopulation,
			Measure: samrad.MeasureShare, Query: `{"population": "growth"}`, Decimals: 2})
		for _, in := range []samrad.Indicator{size, growth} {
			run, err := r.Run(ctx, in)
			if err != nil || !run.OK {
				t.Fatalf("%s: %+v, %v", in.Slug, run, err)
			}
		}
		if v, ok := cell(t, db, size.ID, "3203", "2019"); !ok || v != 61775+22834+9573 {
			t.Errorf("Asker 2019: %v %v, want %d", v, ok, 61775+22834+9573)
		}
		want := 100 * float64((61775+22834+9573)-(61523+22436+9468)) / float64(61523+22436+9468)
		if v, ok := cell(t, db, growth.ID, "3203", "2019"); !ok || math.Abs(v-want) > 1e-9 {
			t.Errorf("Asker's growth 2019: %v %v, want %v", v, ok, want)
		}
		if _, ok := cell(t, db, growth.ID, "3201", "2018"); ok {
			t.Error("growth in 2018 without figures for 2017")
		}
	})
}

// TestUploadedShareAndABadFile reads SSB's long CSV by age group as an
// uploaded file for the share aged 65 and over; a second file that is not
// the table fails, says why in the run log, and keeps the figures.
func TestUploadedShareAndABadFile(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, r := setup(t, db)
		in := create(t, db, samrad.Indicator{AllianceID: a.ID, Slug: "eldre", NameNB: "Andel 65 år og eldre", Source: samrad.SourceUpload,
			Measure: samrad.MeasureShare, Query: `{"numerator": {"Alder": ["F65+"]}, "denominator": {"Alder": ["F0-19", "F20-64", "F65+"]}}`, MembersOnly: true})
		file := "Region;Alder;Tid;value\n0219;F0-19;2015;30000\n0219;F20-64;2015;70000\n0219;F65+;2015;20000\n"
		run, err := r.Upload(ctx, in, "alder.csv", []byte(file))
		if err != nil || !run.OK || run.File != "alder.csv" || run.Cells != 3 {
			t.Fatalf("upload: %+v, %v", run, err)
		}
		if v, ok := cell(t, db, in.ID, "3201", "2015"); !ok || math.Abs(v-100*20000.0/120000) > 1e-9 {
			t.Errorf("Bærum (3201 today) 2015: %v %v", v, ok)
		}
		for _, bad := range []struct{ file, want string }{
			{"<html><body>Vedlikehold</body></html>", "HTML"},
			{"Region;Kjonn;Tid;value\n0219;1;2015;5\n", `no dimension "Alder"`},
			{"Region;Alder;Tid;value\n9999;F65+;2015;5\n9999;F0-19;2015;5\n9999;F20-64;2015;5\n", "codes left out: 9999"},
			{"Region;Alder;Tid;value\n0299;F65+;2015;5\n0299;F0-19;2015;5\n0299;F20-64;2015;5\n", "0299"},
		} {
			run, err := r.Upload(ctx, in, "feil.csv", []byte(bad.file))
			if err == nil || run.OK || !strings.Contains(run.Error, bad.want) {
				t.Errorf("%q: run %+v, err %v; want a failed run naming %q", bad.file, run, err, bad.want)
			}
		}
		if v, ok := cell(t, db, in.ID, "3201", "2015"); !ok || math.Abs(v-100*20000.0/120000) > 1e-9 {
			t.Errorf("after the bad files Bærum 2015 is %v %v: the old figures are lost", v, ok)
		}
		if _, err := r.Run(ctx, in); err == nil {
			t.Error("an uploaded indicator was run without a file")
		}
	})
}

// TestStatbankIndicatorOnScheduleAndItsFailures fetches a rate per 1,000
// inhabitants from a local statbank on schedule, then meets an HTML page
// and keeps the figures it had.
func TestStatbankIndicatorOnScheduleAndItsFailures(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, r := setup(t, db)
		var html atomic.Bool
		var requests atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			requests.Add(1)
			if html.Load() {
				w.Header().Set("Content-Type", "text/html")
				w.Write([]byte("<!DOCTYPE html><html><body>Vedlikehold</body></html>"))
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"version":"2.0","class":"dataset","label":"12345: Fødte","id":["Region","ContentsCode","Tid"],"size":[2,1,1],
			  "dimension":{"Region":{"category":{"index":{"0219":0,"0220":1}}},"ContentsCode":{"category":{"index":{"Levendefodte":0}}},
			  "Tid":{"category":{"index":{"2019":0}}}},"role":{"geo":["Region"],"metric":["ContentsCode"],"time":["Tid"]},"value":[1262,null]}`))
		}))
		defer srv.Close()
		r.Client = statbank.New(srv.URL)
		r.Client.Sleep = func(context.Context, time.Duration) error { return nil }
		in := create(t, db, samrad.Indicator{AllianceID: a.ID, Slug: "fodte", NameNB: "Fødte per 1 000", Source: samrad.SourceSSB, Table: "12345",
			Query: `{"select": {"Region": ["0219", "0220"], "ContentsCode": ["Levendefodte"], "Tid": ["2019"]}}`, Measure: samrad.MeasurePer1000,
			Decimals: 1, Schedule: samrad.ScheduleMonthly})
		n, err := r.RunDue(ctx, now)
		if err != nil || n != 1 {
			t.Fatalf("run due: %d, %v", n, err)
		}
		if v, ok := cell(t, db, in.ID, "3201", "2019"); !ok || math.Abs(v-1000*1262.0/126208) > 1e-9 {
			t.Errorf("Bærum's births per 1,000 in 2019: %v %v", v, ok)
		}
		if _, ok := cell(t, db, in.ID, "3203", "2019"); ok {
			t.Error("Asker has a figure though 0220 had none and 0627 and 0628 were not asked for")
		}
		if n, _ := r.RunDue(ctx, now.Add(time.Hour)); n != 0 {
			t.Errorf("ran again an hour later: %d", n)
		}
		html.Store(true)
		before := requests.Load()
		run, err := r.Run(ctx, in)
		if err == nil || run.OK || !strings.Contains(run.Error, "HTML") || !strings.Contains(run.URL, "/tables/12345/data") {
			t.Errorf("HTML answer: run %+v, %v", run, err)
		}
		if requests.Load() != before+1 {
			t.Errorf("an HTML answer was asked %d times, want once", requests.Load()-before)
		}
		if _, ok := cell(t, db, in.ID, "3201", "2019"); !ok {
			t.Error("the failed fetch lost the figures")
		}
		runs, err := db.Runs(ctx, in.ID, 10)
		if err != nil || len(runs) != 2 || runs[0].OK == runs[1].OK {
			t.Errorf("run log: %+v, %v", runs, err)
		}
	})
}
