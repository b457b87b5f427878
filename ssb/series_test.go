package ssb

import (
	"errors"
	"strings"
	"testing"
)

// ageCube is a slice of table 07459 by age group: Asker (as K-3203, summed
// to today's structure), a split remainder, two age groups and two years.
const ageCube = `{
  "version": "2.0", "class": "dataset", "label": "07459: Befolkning, etter region, alder, statistikkvariabel og år",
  "source": "Statistisk sentralbyrå", "updated": "2024-02-21T07:00:00Z",
  "id": ["Region", "Alder", "ContentsCode", "Tid"], "size": [3, 3, 1, 2],
  "dimension": {
    "Region": {"category": {"index": {"K-3203": 0, "K-Rest": 1, "0301": 2}}},
    "Alder": {"category": {"index": ["F0-19", "F20-64", "F65+"]}},
    "ContentsCode": {"category": {"index": {"Personer1": 0}}},
    "Tid": {"category": {"index": {"2023": 0, "2024": 1}}}
  },
  "role": {"geo": ["Region"], "metric": ["ContentsCode"], "time": ["Tid"]},
  "value": [25000, 25100, 58000, 58500, 15000, 15215,
            1, 2, 3, 4, 5, 6,
            150000, 151000, 460000, 466000, 99037, null],
  "status": {"17": ".."}
}`

func TestSeriesSumsTheChosenCategories(t *testing.T) {
	c, err := DecodeJSONStat(strings.NewReader(ageCube), "07459.json")
	if err != nil {
		t.Fatal(err)
	}
	old, err := SeriesFromCube(c, "07459.json", Selection{Keep: map[string][]string{"Alder": {"F65+"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Figure{
		{Region: "0301", Period: "2023", Value: 99037},
		{Region: "0301", Period: "2024", Missing: true, Status: ".."},
		{Region: "3203", Period: "2023", Value: 15000},
		{Region: "3203", Period: "2024", Value: 15215},
	}
	if len(old.Figures) != len(want) {
		t.Fatalf("got %+v, want %+v", old.Figures, want)
	}
	for i := range want {
		if old.Figures[i] != want[i] {
			t.Errorf("figure %d: got %+v, want %+v", i, old.Figures[i], want[i])
		}
	}
	if len(old.Skipped) != 1 || old.Skipped[0] != "K-Rest" || old.Table != "07459" {
		t.Errorf("skipped %v, table %q", old.Skipped, old.Table)
	}
	// Every age group: the whole population.
	all, err := SeriesFromCube(c, "07459.json", Selection{Metric: "Personer1"})
	if err != nil {
		t.Fatal(err)
	}
	if f := all.Figures[2]; f.Region != "3203" || f.Period != "2023" || f.Value != 98000 {
		t.Errorf("Asker 2023, every age: %+v, want 98000", f)
	}
	if f := all.Figures[1]; !f.Missing {
		t.Errorf("Oslo 2024 with one age group missing: %+v, want missing", f)
	}
}

func TestSeriesRefusesWhatTheCubeLacks(t *testing.T) {
	c, err := DecodeJSONStat(strings.NewReader(ageCube), "07459.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sel  Selection
		want string
	}{
		{Selection{Keep: map[string][]string{"Kjonn": {"2"}}}, `no dimension "Kjonn"; dimensions are Region, Alder, ContentsCode, Tid`},
		{Selection{Keep: map[string][]string{"Alder": {"F67+"}}}, `has no category "F67+"; it has F0-19, F20-64, F65+`},
		{Selection{Metric: "Personer2"}, `has no category "Personer2"`},
		{Selection{Keep: map[string][]string{"Tid": {"2023"}}}, "cannot be summed over"},
		{Selection{Keep: map[string][]string{"Alder": {}}}, "no categories chosen"},
	} {
		_, err := SeriesFromCube(c, "07459.json", tc.sel)
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want a ParseError with %q", tc.sel, err, tc.want)
		}
	}
}

// TestSeriesReadsRatesAndMonths reads a table whose values are rates with
// decimals and whose periods are months.
func TestSeriesReadsRatesAndMonths(t *testing.T) {
	doc := `{"version": "2.0", "class": "dataset", "id": ["Region", "ContentsCode", "Tid"], "size": [1, 2, 2],
	  "dimension": {"Region": {"category": {"index": ["3024"]}},
	    "ContentsCode": {"category": {"index": ["Rate", "Antall"]}},
	    "Tid": {"category": {"index": ["2024M04", "2024M05"]}}},
	  "role": {"geo": ["Region"], "metric": ["ContentsCode"], "time": ["Tid"]},
	  "value": [12.5, 13.25, 1600, 1700]}`
	c, err := DecodeJSONStat(strings.NewReader(doc), "rate.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SeriesFromCube(c, "rate.json", Selection{}); err == nil || !strings.Contains(err.Error(), "choose one") {
		t.Errorf("two statistics, none chosen: %v", err)
	}
	s, err := SeriesFromCube(c, "rate.json", Selection{Metric: "Rate"})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Figures) != 2 || s.Figures[1].Period != "2024M05" || s.Figures[1].Value != 13.25 {
		t.Errorf("got %+v", s.Figures)
	}
}

// FuzzSeriesFromCube reads any decodable dataset with a selection taken
// from the input: it never panics, errors are ParseErrors naming the file,
// and figures are sorted, once each, with finite values.
func FuzzSeriesFromCube(f *testing.F) {
	f.Add([]byte(ageCube), "", "Alder", "F65+")
	f.Add([]byte(ageCube), "Personer1", "", "")
	f.Add([]byte(`{"class":"dataset","id":["Region","Tid"],"size":[1,1],"dimension":{"Region":{"category":{"index":{"K-0301":0}}},"Tid":{"category":{"index":["2024"]}}},"value":{"0":1.5},"status":"."}`), "", "", "")
	f.Fuzz(func(t *testing.T, data []byte, metric, dim, code string) {
		c, err := DecodeJSONStat(strings.NewReader(string(data)), "f.json")
		if err != nil {
			return
		}
		sel := Selection{Metric: metric}
		if dim != "" {
			sel.Keep = map[string][]string{dim: {code}}
		}
		s, err := SeriesFromCube(c, "f.json", sel)
		if err != nil {
			checkError(t, err, "f.json")
			return
		}
		for i, fig := range s.Figures {
			if i > 0 {
				p := s.Figures[i-1]
				if p.Region > fig.Region || (p.Region == fig.Region && p.Period >= fig.Period) {
					t.Fatalf("figures out of order or repeated: %+v then %+v", p, fig)
				}
			}
			if fig.Value != fig.Value {
				t.Fatalf("NaN in %+v", fig)
			}
		}
	})
}
