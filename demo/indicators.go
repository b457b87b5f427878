package demo

import (
	"context"
	"fmt"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/refresh"
	"github.com/samrad/samrad/store"
)

// ageFile is SSB's population by age group on 1 January 2013–2015, which
// the demo also imports as population figures.
const ageFile = "befolkning_2013-2015_aldersgrupper_kommune.csv"

// demoIndicators are the steering data every demo alliance follows,
// computed from the population figures the demo ships with: the
// population and its growth from the imported figures, and the shares by
// age group from SSB's file by age group, uploaded as a file would be. The
// share aged 65 and over is for the alliance's members only, to show an
// indicator behind login. Nothing here is fetched: the demo works without
// a network.
func demoIndicators() []samrad.Indicator {
	ageQuery := func(group string) string {
		return fmt.Sprintf(`{"numerator": {"Alder": [%q]}, "denominator": {"Alder": ["F0-19", "F20-64", "F65+"]}}`, group)
	}
	return []samrad.Indicator{
		{Slug: "folkemengde", NameNB: "Folkemengde", NameEN: "Population", Source: samrad.SourcePopulation, Measure: samrad.MeasureCount,
			Unit: "personer", HigherIsBetter: true,
			DescriptionNB: "Innbyggere 1. januar (SSB, tabell 07459), regnet om til dagens kommuner.",
			DescriptionEN: "Inhabitants on 1 January (Statistics Norway, table 07459), fitted to today's municipalities."},
		{Slug: "befolkningsvekst", NameNB: "Befolkningsvekst", NameEN: "Population growth", Source: samrad.SourcePopulation,
			Measure: samrad.MeasureShare, Query: `{"population": "growth"}`, Unit: "%", Decimals: 2, HigherIsBetter: true,
			DescriptionNB: "Endring i folkemengden fra 1. januar året før, i prosent av folkemengden året før.",
			DescriptionEN: "Change in the population from 1 January the year before, as a percentage of the population the year before."},
		{Slug: "andel-0-19", NameNB: "Andel 0–19 år", NameEN: "Share aged 0–19", Source: samrad.SourceUpload, Measure: samrad.MeasureShare,
			Query: ageQuery("F0-19"), Unit: "%", Decimals: 1,
			DescriptionNB: "Innbyggere 0–19 år i prosent av alle innbyggere 1. januar (SSB, folkemengde etter aldersgruppe).",
			DescriptionEN: "Inhabitants aged 0–19 as a percentage of all inhabitants on 1 January (Statistics Norway, population by age group)."},
		{Slug: "andel-65-og-eldre", NameNB: "Andel 65 år og eldre", NameEN: "Share aged 65 and over", Source: samrad.SourceUpload,
			Measure: samrad.MeasureShare, Query: ageQuery("F65+"), Unit: "%", Decimals: 1, MembersOnly: true,
			DescriptionNB: "Innbyggere 65 år og eldre i prosent av alle innbyggere 1. januar (SSB, folkemengde etter aldersgruppe). Kun for medlemmene.",
			DescriptionEN: "Inhabitants aged 65 and over as a percentage of all inhabitants on 1 January (Statistics Norway, population by age group). For members only."},
	}
}

func loadIndicators(ctx context.Context, db *store.DB, _ *lookup) error {
	ages, err := data.ReadFile("data/" + ageFile)
	if err != nil {
		return err
	}
	alliances, err := db.Alliances(ctx)
	if err != nil {
		return err
	}
	runner := &refresh.Runner{DB: db}
	for _, a := range alliances {
		for _, in := range demoIndicators() {
			in.AllianceID = a.ID
			if err := db.CreateIndicator(ctx, &in); err != nil {
				return fmt.Errorf("demo indicator %s: %w", in.Slug, err)
			}
			if in.Source == samrad.SourceUpload {
				_, err = runner.Upload(ctx, in, ageFile, ages)
			} else {
				_, err = runner.Run(ctx, in)
			}
			if err != nil {
				return fmt.Errorf("demo indicator %s in %s: %w", in.Slug, a.Slug, err)
			}
		}
	}
	return nil
}
