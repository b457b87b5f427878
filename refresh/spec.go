package refresh

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/ssb"
	"github.com/samrad/samrad/statbank"
)

// Spec is what an indicator's query (samrad.Indicator.Query, JSON) says:
// what to ask the statbank for, and how to read the answer or an
// uploaded file.
//
//	{"select":      {"Region": ["*"], "ContentsCode": ["Personer1"], "Tid": ["from(2015)"]},
//	 "codelists":   {"Region": "agg_KommSummer"},
//	 "metric":      "Personer1",
//	 "numerator":   {"Alder": ["F65+"]},
//	 "denominator": {"Alder": ["F0-19", "F20-64", "F65+"]}}
//
// select and codelists make the statbank request (statbank indicators
// only). metric is the statistic read when the table has several.
// numerator chooses the categories summed for the figure (a dimension not
// named is summed over entirely); denominator those of the whole of a
// share, from the same table. A rate per 1,000 inhabitants without a
// denominator is computed on the population of 1 January of the period's
// year from the imported population figures.
//
// A population indicator's query is empty (persons on 1 January), or
// {"population": "growth"}: the change from the year before, a share of
// the year before's population.
type Spec struct {
	Select      map[string][]string `json:"select,omitempty"`
	Codelists   map[string]string   `json:"codelists,omitempty"`
	Metric      string              `json:"metric,omitempty"`
	Numerator   map[string][]string `json:"numerator,omitempty"`
	Denominator map[string][]string `json:"denominator,omitempty"`
	Population  string              `json:"population,omitempty"` // "" (persons) or "growth"
}

// ParseSpec reads and checks an indicator's query against its source and
// measure. Errors are field errors on "query" (or "measure").
func ParseSpec(in samrad.Indicator) (Spec, error) {
	var s Spec
	if strings.TrimSpace(in.Query) != "" {
		dec := json.NewDecoder(bytes.NewReader([]byte(in.Query)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			return s, samrad.FieldErrorf("query", "the query is not a selection this product reads: %v", err)
		}
		if dec.More() {
			return s, samrad.FieldErrorf("query", "the query holds more than one JSON object")
		}
	}
	switch in.Source {
	case samrad.SourcePopulation:
		switch {
		case len(s.Select)+len(s.Codelists)+len(s.Numerator)+len(s.Denominator) > 0 || s.Metric != "":
			return s, samrad.FieldErrorf("query", "a population indicator takes no selection, only {\"population\": \"growth\"}")
		case s.Population == "" && in.Measure != samrad.MeasureCount:
			return s, samrad.FieldErrorf("measure", "the population on 1 January is a count")
		case s.Population == "growth" && in.Measure != samrad.MeasureShare:
			return s, samrad.FieldErrorf("measure", "growth is a share (per cent) of the year before")
		case s.Population != "" && s.Population != "growth":
			return s, samrad.FieldErrorf("query", "population is \"growth\" or left out, not %q", s.Population)
		}
		return s, nil
	case samrad.SourceSSB:
		if len(s.Select) == 0 {
			return s, samrad.FieldErrorf("query", "a statbank indicator needs \"select\": the value codes of the table's variables")
		}
		if _, err := s.Query(in.Table, "no"); err != nil {
			return s, samrad.FieldErrorf("query", "%v", err)
		}
	case samrad.SourceUpload:
		if len(s.Select)+len(s.Codelists) > 0 {
			return s, samrad.FieldErrorf("query", "an uploaded indicator is not fetched: leave out \"select\" and \"codelists\"")
		}
	}
	if s.Population != "" {
		return s, samrad.FieldErrorf("query", "\"population\" is for population indicators")
	}
	switch {
	case in.Measure == samrad.MeasureShare && len(s.Denominator) == 0:
		return s, samrad.FieldErrorf("query", "a share needs \"denominator\": the categories of the whole")
	case in.Measure != samrad.MeasureShare && in.Measure != samrad.MeasurePer1000 && len(s.Denominator) > 0:
		return s, samrad.FieldErrorf("query", "only a share or a rate has a denominator")
	}
	for _, sel := range []map[string][]string{s.Numerator, s.Denominator} {
		for dim, codes := range sel {
			if len(codes) == 0 || slices.Contains(codes, "") {
				return s, samrad.FieldErrorf("query", "the categories of %q are empty", dim)
			}
		}
	}
	return s, nil
}

// Query is the statbank request of the spec.
func (s Spec) Query(table, lang string) (statbank.Query, error) {
	q := statbank.Query{Table: table, Lang: lang}
	for _, v := range slices.Sorted(maps.Keys(s.Select)) {
		sel := statbank.Selection{Variable: v, Codes: s.Select[v], Codelist: s.Codelists[v]}
		if strings.HasPrefix(sel.Codelist, "agg_") {
			sel.OutputValues = statbank.Aggregated
		}
		q.Selections = append(q.Selections, sel)
	}
	for v := range s.Codelists {
		if _, ok := s.Select[v]; !ok {
			return q, fmt.Errorf("codelist for %q, which is not selected", v)
		}
	}
	return q, q.Validate()
}

func (s Spec) numerator() ssb.Selection {
	return ssb.Selection{Metric: s.Metric, Keep: s.Numerator}
}

func (s Spec) denominator() ssb.Selection {
	return ssb.Selection{Metric: s.Metric, Keep: s.Denominator}
}
