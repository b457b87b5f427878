package store_test

import (
	"context"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

func programme2017(allianceID int64) samrad.Programme {
	return samrad.Programme{AllianceID: allianceID, Year: 2017, Title: "Handlingsprogram 2017", AdoptedOn: d("2016-12-06"), AdoptedBy: "styret",
		Sections: []samrad.Section{
			{Number: 1, Title: "Areal, transport og klima/miljø", Measures: []samrad.Measure{
				{Section: 1, Number: 1, Title: "Påvirkning av og dialog med statlige myndigheter", Timeframe: samrad.ParseTimeframe("Løpende"),
					Responsible: "Sekretariatet", Partners: []string{"Østlandssamarbeidet"}, Content: []string{"Tema: …", "Prosess: …"}, SeeAlso: []string{"4.1"}},
				{Section: 1, Number: 2, Title: "Avklare innhold i tettere samarbeid", Timeframe: samrad.ParseTimeframe("2017-18"), Responsible: "Sekretariatet"},
			}},
			{Number: 4, Title: "Interessepolitisk arbeid", Measures: []samrad.Measure{
				{Section: 4, Number: 1, Title: "Påvirkning av nasjonale rammebetingelser", SeeAlso: []string{"1.1"}},
			}},
		}}
}

func TestProgrammeWithLinksAndProgress(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "or")
		period := samrad.StrategyPeriod{AllianceID: a.ID, FirstYear: 2017, LastYear: 2020, Vision: "Osloregionen skal være en konkurransedyktig og bærekraftig region i Europa.",
			Roles: []string{"skape møteplasser og nettverk"}, FocusAreas: []samrad.FocusArea{{Number: 1, Title: "Areal, transport og klima/miljø", Activities: []string{"Kartlegge"}},
				{Number: 2, Title: "Verdiskaping og kompetanse"}}}
		if err := db.CreateStrategyPeriod(ctx, &period); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateStrategyPeriod(ctx, &period); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("the same period twice: %v", err)
		}
		periods, err := db.StrategyPeriods(ctx, a.ID)
		if err != nil || len(periods) != 1 || len(periods[0].FocusAreas) != 2 || periods[0].Roles[0] != "skape møteplasser og nettverk" || periods[0].FocusAreas[0].Activities[0] != "Kartlegge" {
			t.Fatalf("periods = %+v, %v", periods, err)
		}
		p := programme2017(a.ID)
		p.PeriodID = period.ID
		if err := db.CreateProgramme(ctx, &p); err != nil {
			t.Fatal(err)
		}
		// A clash writes nothing: the programme for another year with two
		// measures 1.1 is refused whole.
		bad := programme2017(a.ID)
		bad.Year = 2018
		bad.Sections[0].Measures[1].Number = 1
		if err := db.CreateProgramme(ctx, &bad); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("clashing numbers: %v, want ECONFLICT", err)
		}
		if years, _ := db.ProgrammeYears(ctx, a.ID); len(years) != 1 {
			t.Errorf("years = %v, want only 2017", years)
		}
		got, err := db.Programme(ctx, a.ID, 2017)
		if err != nil {
			t.Fatal(err)
		}
		m11 := got.Sections[0].Measures[0]
		if len(got.Sections) != 2 || m11.Label() != "1.1" || m11.SeeAlso[0] != "4.1" || m11.Partners[0] != "Østlandssamarbeidet" ||
			!m11.Timeframe.Ongoing || got.AdoptedOn != d("2016-12-06") || got.PeriodID != period.ID {
			t.Fatalf("programme = %+v", got)
		}
		// Renumbering 4.1 to 4.3 keeps the link from 1.1; a clash is refused.
		m41 := got.Sections[1].Measures[0]
		if err := db.RenumberMeasure(ctx, m41.ID, 3); err != nil {
			t.Fatal(err)
		}
		if err := db.RenumberMeasure(ctx, got.Sections[0].Measures[1].ID, 1); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("renumber onto 1.1: %v", err)
		}
		got, _ = db.Programme(ctx, a.ID, 2017)
		if got.Sections[0].Measures[0].SeeAlso[0] != "4.3" {
			t.Errorf("after renumbering, 1.1 refers to %v, want 4.3", got.Sections[0].Measures[0].SeeAlso)
		}
		// Progress: a note with a status, then cancelled, then refused.
		m12 := got.Sections[0].Measures[1]
		for _, n := range []samrad.ProgressNote{
			{MeasureID: m12.ID, On: d("2017-03-01"), Text: "Forprosjekt startet.", Status: samrad.MeasureOngoing},
			{MeasureID: m12.ID, On: d("2017-09-01"), Text: "Lagt på is etter styrevedtak.", Status: samrad.MeasureCancelled},
		} {
			if err := db.AddProgressNote(ctx, a.ID, &n); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.AddProgressNote(ctx, a.ID, &samrad.ProgressNote{MeasureID: m12.ID, On: d("2017-10-01"), Text: "Møte holdt."}); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("a note on a cancelled measure: %v, want ECONFLICT", err)
		}
		if err := db.AddProgressNote(ctx, a.ID, &samrad.ProgressNote{MeasureID: m12.ID, Text: "uten dato"}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("a note without a date: %v", err)
		}
		outsider := newAlliance(t, db, "annen")
		if err := db.AddProgressNote(ctx, outsider.ID, &samrad.ProgressNote{MeasureID: m11.ID, On: d("2017-10-01"), Text: "x"}); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("a note through another alliance: %v, want ENOTFOUND", err)
		}
		got, _ = db.Programme(ctx, a.ID, 2017)
		m12 = got.Sections[0].Measures[1]
		if m12.Status != samrad.MeasureCancelled || len(m12.Notes) != 2 || m12.LastNote().Text != "Lagt på is etter styrevedtak." {
			t.Errorf("1.2 after notes = %+v", m12)
		}
		// Next year's programme continues 1.1; a measure of another
		// alliance cannot be continued.
		next := samrad.Programme{AllianceID: a.ID, Year: 2018, Sections: []samrad.Section{{Number: 1, Title: "Areal", Measures: []samrad.Measure{
			{Section: 1, Number: 1, Title: "Påvirkning (videreført)", ContinuesID: m11.ID}}}}}
		if err := db.CreateProgramme(ctx, &next); err != nil {
			t.Fatal(err)
		}
		other := newAlliance(t, db, "vr")
		foreign := samrad.Programme{AllianceID: other.ID, Year: 2018, Sections: []samrad.Section{{Number: 1, Title: "x", Measures: []samrad.Measure{
			{Section: 1, Number: 1, Title: "y", ContinuesID: m11.ID}}}}}
		if err := db.CreateProgramme(ctx, &foreign); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("continuing another alliance's measure: %v", err)
		}
		if years, _ := db.ProgrammeYears(ctx, other.ID); len(years) != 0 {
			t.Errorf("a refused programme left %v behind", years)
		}
		// A case carries out 1.1; another alliance's case cannot.
		c := samrad.Case{AllianceID: a.ID, Year: 2017, Title: "Høring om nasjonal transportplan", Type: samrad.CaseDecision}
		if err := db.CreateCase(ctx, &c); err != nil {
			t.Fatal(err)
		}
		foreignCase := samrad.Case{AllianceID: other.ID, Year: 2017, Title: "x", Type: samrad.CaseDecision}
		if err := db.CreateCase(ctx, &foreignCase); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			if err := db.LinkMeasureCase(ctx, a.ID, m11.ID, c.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.LinkMeasureCase(ctx, a.ID, m11.ID, foreignCase.ID); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("another alliance's case: %v", err)
		}
		if err := db.LinkMeasureCase(ctx, other.ID, m11.ID, foreignCase.ID); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("another alliance's measure: %v", err)
		}
		got, _ = db.Programme(ctx, a.ID, 2017)
		if cs := got.Sections[0].Measures[0].Cases; len(cs) != 1 || cs[0].ID != c.ID || cs[0].Title != c.Title {
			t.Errorf("1.1's cases = %+v", cs)
		}
	})
}

// BenchmarkProgramme reads a programme of 60 measures with 500 progress
// notes.
func BenchmarkProgramme(b *testing.B) {
	benchEngines(b, benchProgramme)
}

func benchProgramme(b *testing.B, db *store.DB) {
	ctx := context.Background()
	a := newAlliance(b, db, "bench")
	p := samrad.Programme{AllianceID: a.ID, Year: 2017}
	for s := 1; s <= 6; s++ {
		sec := samrad.Section{Number: s, Title: "Innsatsområde"}
		for n := 1; n <= 10; n++ {
			sec.Measures = append(sec.Measures, samrad.Measure{Section: s, Number: n, Title: "Tiltak", Timeframe: samrad.ParseTimeframe("2017-18"),
				Content: []string{"Gjennomføre kartlegging", "Legge frem sak for styret"}})
		}
		p.Sections = append(p.Sections, sec)
	}
	if err := db.CreateProgramme(ctx, &p); err != nil {
		b.Fatal(err)
	}
	for i := range 500 {
		m := p.Sections[i%6].Measures[i%10]
		if err := db.AddProgressNote(ctx, a.ID, &samrad.ProgressNote{MeasureID: m.ID, On: samrad.MustDate("2017-01-01").AddDays(i % 300), Text: "Status"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := db.Programme(ctx, a.ID, 2017); err != nil {
			b.Fatal(err)
		}
	}
}
