package samrad_test

import (
	"testing"

	"github.com/samrad/samrad"
)

func TestParseTimeframe(t *testing.T) {
	for in, want := range map[string]samrad.Timeframe{
		"Løpende":         {Text: "Løpende", Ongoing: true},
		"2017-18":         {Text: "2017-18", From: 2017, To: 2018},
		"2016 - 2018":     {Text: "2016 - 2018", From: 2016, To: 2018},
		"1. kvartal 2017": {Text: "1. kvartal 2017", From: 2017, To: 2017},
		"16.02.2017":      {Text: "16.02.2017", From: 2017, To: 2017},
		"2017":            {Text: "2017", From: 2017, To: 2017},
		"Høsten":          {Text: "Høsten"},
	} {
		if got := samrad.ParseTimeframe(in); got != want {
			t.Errorf("ParseTimeframe(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestProgrammeValidate(t *testing.T) {
	good := func() samrad.Programme {
		return samrad.Programme{AllianceID: 1, Year: 2017, Sections: []samrad.Section{
			{Number: 1, Title: "Areal, transport og klima/miljø", Measures: []samrad.Measure{
				{Section: 1, Number: 1, Title: "Påvirkning", SeeAlso: []string{"4.1"}},
				{Section: 1, Number: 2, Title: "Østlandssamarbeidet"}}},
			{Number: 4, Title: "Interessepolitisk arbeid", Measures: []samrad.Measure{
				{Section: 4, Number: 1, Title: "Nasjonale rammebetingelser", SeeAlso: []string{"1.1"}}}},
		}}
	}
	if err := good().Validate(); err != nil {
		t.Fatal(err)
	}
	clash := good()
	clash.Sections[0].Measures[1].Number = 1
	if err := clash.Validate(); samrad.ErrorCode(err) != samrad.ECONFLICT {
		t.Errorf("two measures 1.1: %v, want ECONFLICT", err)
	}
	dangling := good()
	dangling.Sections[1].Measures[0].SeeAlso = []string{"9.9"}
	if err := dangling.Validate(); samrad.ErrorCode(err) != samrad.EINVALID {
		t.Errorf("reference to no measure: %v, want EINVALID", err)
	}
	untitled := good()
	untitled.Sections[0].Measures[0].Title = " "
	if err := untitled.Validate(); samrad.ErrorCode(err) != samrad.EINVALID {
		t.Errorf("measure without title: %v", err)
	}
}

func TestMeasureLateAndStale(t *testing.T) {
	d := samrad.MustDate
	m := samrad.Measure{Section: 1, Number: 2, Timeframe: samrad.ParseTimeframe("2017-18"), Status: samrad.MeasureOngoing,
		Notes: []samrad.ProgressNote{{ID: 1, On: d("2018-03-01")}, {ID: 2, On: d("2018-05-01")}}}
	if m.Late(d("2018-12-31")) || !m.Late(d("2019-01-01")) {
		t.Error("a 2017-18 measure is late from 2019, not before")
	}
	if n := m.LastNote(); n == nil || n.ID != 2 {
		t.Errorf("last note = %+v", n)
	}
	if m.Stale(d("2018-06-01"), 6, d("2018-01-01")) || !m.Stale(d("2018-06-13"), 6, d("2018-01-01")) {
		t.Error("stale after six weeks without a note")
	}
	m.Status = samrad.MeasureDone
	if m.Late(d("2020-01-01")) || m.Stale(d("2020-01-01"), 6, d("2018-01-01")) {
		t.Error("a done measure is neither late nor stale")
	}
	ongoing := samrad.Measure{Timeframe: samrad.ParseTimeframe("Løpende"), Status: samrad.MeasurePlanned}
	if ongoing.Late(d("2030-01-01")) {
		t.Error("an ongoing measure is never late")
	}
}
