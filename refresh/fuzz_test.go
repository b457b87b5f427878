package refresh_test

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/refresh"
)

// FuzzParseSpec reads an indicator's query as the secretariat types it:
// a failure is a field error on the query or the measure, and a spec that
// is accepted is accepted again after it is written out as JSON, the same.
func FuzzParseSpec(f *testing.F) {
	for _, c := range []struct{ source, measure, table, query string }{
		{"ssb", "count", "07459", `{"select": {"Region": ["*"], "Alder": ["*"], "ContentsCode": ["Personer1"], "Tid": ["from(2015)"]}}`},
		{"population", "share", "", `{"population": "growth"}`},
		{"population", "count", "", ``},
		{"upload", "share", "", `{"numerator": {"Alder": ["F65+"]}, "denominator": {"Alder": ["F0-19", "F20-64", "F65+"]}}`},
		{"ssb", "per1000", "07459", `{"select": {"Region": ["0219", "0220"], "ContentsCode": ["Levendefodte"], "Tid": ["2019"]}, "codelists": {"Region": "agg_KommSummer"}, "metric": "Levendefodte"}`},
		{"ssb", "value", "07459", `{"select": {"Region": ["K-0301"]}} {"select": {}}`},
		{"upload", "share", "", `{"numerator": {"Alder": [""]}, "denominator": {}, "colour": "red"}`},
	} {
		f.Add(c.source, c.measure, c.table, c.query)
	}
	f.Fuzz(func(t *testing.T, source, measure, table, query string) {
		in := samrad.Indicator{Source: samrad.IndicatorSource(source), Measure: samrad.IndicatorMeasure(measure), Table: table, Query: query}
		s, err := refresh.ParseSpec(in)
		if err != nil {
			var e *samrad.Error
			if !errors.As(err, &e) || e.Code != samrad.EINVALID || (e.Field != "query" && e.Field != "measure") || e.Message == "" {
				t.Fatalf("error %#v (%v), want a field error on query or measure", e, err)
			}
			return
		}
		for _, sel := range []map[string][]string{s.Numerator, s.Denominator} {
			for dim, codes := range sel {
				if len(codes) == 0 || slices.Contains(codes, "") {
					t.Fatalf("accepted empty categories of %q in %q", dim, query)
				}
			}
		}
		if in.Source == samrad.SourceSSB {
			if _, err := s.Query(table, "no"); err != nil {
				t.Fatalf("accepted %q, whose query does not validate: %v", query, err)
			}
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		in.Query = string(b)
		back, err := refresh.ParseSpec(in)
		if err != nil || !sameSpec(back, s) {
			t.Fatalf("%q was accepted as %s, which reads back as %+v (%v)", query, b, back, err)
		}
	})
}

// sameSpec compares specs, an empty map the same as none (JSON leaves both out).
func sameSpec(a, b refresh.Spec) bool {
	sel := func(x, y map[string][]string) bool {
		return len(x) == len(y) && maps.EqualFunc(x, y, func(p, q []string) bool { return slices.Equal(p, q) })
	}
	return sel(a.Select, b.Select) && sel(a.Numerator, b.Numerator) && sel(a.Denominator, b.Denominator) &&
		len(a.Codelists) == len(b.Codelists) && (len(a.Codelists) == 0 || maps.Equal(a.Codelists, b.Codelists)) &&
		a.Metric == b.Metric && a.Population == b.Population
}
