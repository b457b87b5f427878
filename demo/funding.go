package demo

import (
	"context"
	"fmt"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// demoFundingProgrammes are the funding programmes the sources name, by
// alliance.
//
// Viken's international network presented five ways to fund international
// work at its kick-off; they are its programmes, described as the
// programme of the gathering put them. Vestregionen's strategic platform
// tells that Transport 2.0 prepared applications to the Research Council,
// Horizon 2020, Interreg and Buskerud county; those are Vestregionen's
// programmes.
//
// Left out because the sources do not give them: any call, deadline or
// amount; and the applications of Transport 2.0 themselves, since the text
// says only that applications were prepared to these four funders, not
// who applied, for what, when, for how much or with what outcome (an
// application needs at least an applicant and a status).
var demoFundingProgrammes = []samrad.FundingProgramme{
	{NameNB: "Erasmus+", NameEN: "Erasmus+", Funder: "EU", Kind: samrad.FundingEU,
		DescriptionNB: "Hvordan styrke kommunens arbeid med ungdom og utdanning gjennom Erasmus+-programmet (tema på nettverkets første samling).",
		DescriptionEN: "How to strengthen the municipality's work with young people and education through the Erasmus+ programme (a topic of the network's first gathering).",
		Source:        SourceViken},
	{NameNB: "EØS-midlene", NameEN: "EEA and Norway Grants", Kind: samrad.FundingEEA,
		DescriptionNB: "Hvordan bruke EØS-midlene til internasjonalt arbeid i egen kommune (tema på nettverkets første samling).",
		DescriptionEN: "How to use the EEA and Norway Grants for international work in one's own municipality (a topic of the network's first gathering).",
		Source:        SourceViken},
	{NameNB: "Internasjonale forprosjektmidler", NameEN: "International pre-project funds", Funder: "Viken fylkeskommune", Kind: samrad.FundingCounty,
		DescriptionNB: "Hvordan søke internasjonale forprosjektmidler fra Viken fylkeskommune til å utvikle egne prosjekter (tema på nettverkets første samling).",
		DescriptionEN: "How to apply for international pre-project funds from Viken County Council to develop one's own projects (a topic of the network's first gathering).",
		Source:        SourceViken},
	{NameNB: "Grenseregionale prosjekter (Interreg)", NameEN: "Cross-border projects (Interreg)", Kind: samrad.FundingInterreg,
		DescriptionNB: "Hvordan bruke grenseregionale prosjekt til samfunnsutvikling i egen kommune (tema på nettverkets første samling).",
		DescriptionEN: "How to use cross-border projects for community development in one's own municipality (a topic of the network's first gathering).",
		Source:        SourceViken},
	{NameNB: "Horisont Europa", NameEN: "Horizon Europe", Funder: "EU", Kind: samrad.FundingEU,
		DescriptionNB: "Hvordan bruke innovasjonsmidler fra Horisont Europa (tema på nettverkets første samling).",
		DescriptionEN: "How to use innovation funds from Horizon Europe (a topic of the network's first gathering).",
		Source:        SourceViken},
}

var demoVestregionenProgrammes = []samrad.FundingProgramme{
	{NameNB: "Norges forskningsråd", NameEN: "The Research Council of Norway", Funder: "Norges forskningsråd", Kind: samrad.FundingResearchCouncil,
		DescriptionNB: "Transport 2.0 – Nettverk for grønn mobilitet har utarbeidet søknader til Norges forskningsråd. Forskningsrådet er også med i nettverkets koordineringsgruppe.",
		DescriptionEN: "Transport 2.0 – Network for green mobility has prepared applications to the Research Council of Norway, which also sits in the network's coordination group.",
		Source:        SourceVestregionen},
	{NameNB: "Horisont 2020", NameEN: "Horizon 2020", Funder: "EU", Kind: samrad.FundingEU,
		DescriptionNB: "Transport 2.0 – Nettverk for grønn mobilitet har utarbeidet søknader til Horisont 2020.",
		DescriptionEN: "Transport 2.0 – Network for green mobility has prepared applications to Horizon 2020.",
		Source:        SourceVestregionen},
	{NameNB: "Interreg", NameEN: "Interreg", Kind: samrad.FundingInterreg,
		DescriptionNB: "Transport 2.0 – Nettverk for grønn mobilitet har utarbeidet søknader til Interreg.",
		DescriptionEN: "Transport 2.0 – Network for green mobility has prepared applications to Interreg.",
		Source:        SourceVestregionen},
	{NameNB: "Buskerud fylkeskommune", NameEN: "Buskerud County Council", Funder: "Buskerud fylkeskommune", Kind: samrad.FundingCounty,
		DescriptionNB: "Transport 2.0 – Nettverk for grønn mobilitet har utarbeidet søknader til Buskerud fylkeskommune.",
		DescriptionEN: "Transport 2.0 – Network for green mobility has prepared applications to Buskerud County Council.",
		Source:        SourceVestregionen},
}

// loadFunding adds the funding programmes of Viken's network and of
// Vestregionen.
func loadFunding(ctx context.Context, db *store.DB, l *lookup) error {
	for _, x := range []struct {
		slug       string
		programmes []samrad.FundingProgramme
	}{{"viken-nettverk", demoFundingProgrammes}, {"vestregionen", demoVestregionenProgrammes}} {
		a, err := db.AllianceBySlug(ctx, x.slug)
		if err != nil {
			return fmt.Errorf("demo funding: %w", err)
		}
		for _, p := range x.programmes {
			p.AllianceID = a.ID
			if err := db.CreateFundingProgramme(ctx, &p); err != nil {
				return fmt.Errorf("demo funding programme %s: %w", p.NameNB, err)
			}
		}
	}
	return nil
}
