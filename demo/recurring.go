package demo

import (
	"context"
	"fmt"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// loadRecurring adds Vestregionen's two recurring cultural programmes.
//
// The source names no host and no figures for any single year of Kunst rett
// vest, only the totals for 2007–2016, so those are stored as totals and no
// years are stored. It gives the youth orchestra no first year and no
// yearly figures. Frifond is a grant scheme the friends' association may
// apply to through its membership of De unges orkesterforbund, not a
// partner, so it is told in the description.
func loadRecurring(ctx context.Context, db *store.DB, l *lookup) error {
	vr, err := db.AllianceBySlug(ctx, "vestregionen")
	if err != nil {
		return err
	}
	seim, err := l.person(ctx, "Kjell Seim", "dirigent")
	if err != nil {
		return err
	}
	type partner struct {
		code, nb, en, role string
		kind               samrad.OrgKind
	}
	for _, spec := range []struct {
		samrad.RecurringProgramme
		partners []partner
		totals   []samrad.RecurringTotal
	}{
		{
			RecurringProgramme: samrad.RecurringProgramme{Slug: "vestregionens-ungdomssymfonikere", Kind: samrad.RecurringOrchestra,
				NameNB: "Vestregionens Ungdomssymfonikere", NameEN: "Vestregionen Youth Symphony Orchestra",
				DescriptionNB: "Vestregionens Ungdomssymfonikere er et gratis tilbud til unge mellom 8 og 18 år som har lyst til å lære å spille i et orkester. Deltakerne rekrutteres fra de kommunale musikk- og kulturskolene, skoleorkestre, skolekorps og videregående skoler i Vestregionen.\n\n" +
					"Orkesteret samles ca. 8 ganger i året på forskjellige steder i regionen under ledelse av dirigent Kjell Seim. Gruppeøvelsene ledes av musikere fra Oslo-Filharmonien, Kringkastingsorkesteret (KORK) og lærere ved musikk- og kulturskoler i Vestregionen. Orkesterets venneforening organiserer faglige og sosiale aktiviteter for medlemmene i orkesteret.\n\n" +
					"Medlemskap i De unges orkesterforbund gjør det mulig for venneforeningen å søke Frifond-midler, som kan supplere den faste driften som finansieres av Vestregionen.",
				DescriptionEN: "Vestregionen Youth Symphony Orchestra is free for young people aged 8 to 18 who want to learn to play in an orchestra. They are recruited from the municipal music and culture schools, school orchestras, school bands and upper secondary schools in Vestregionen.\n\n" +
					"The orchestra gathers about eight times a year in different places in the region, led by the conductor Kjell Seim. Sectional rehearsals are led by musicians from the Oslo Philharmonic, the Norwegian Radio Orchestra (KORK) and teachers at music and culture schools in Vestregionen. The orchestra's friends' association organises musical and social activities for its members.\n\n" +
					"Membership of De unges orkesterforbund lets the friends' association apply for Frifond grants, which can add to the running costs that Vestregionen pays.",
				AgeMin: 8, AgeMax: 18, GatheringsPerYear: 8, GatheringsNote: "ca. 8 ganger i året, på forskjellige steder i regionen",
				Leader: seim, LeaderRole: "dirigent"},
			partners: []partner{
				{"oslo-filharmonien", "Oslo-Filharmonien", "Oslo Philharmonic", samrad.PartnerRehearsals, samrad.KindOther},
				{"kork", "Kringkastingsorkesteret (KORK)", "Norwegian Radio Orchestra (KORK)", samrad.PartnerRehearsals, samrad.KindOther},
				{"vus-venneforening", "Orkesterets venneforening (Vestregionens Ungdomssymfonikere)", "The orchestra's friends' association (Vestregionen Youth Symphony Orchestra)", samrad.PartnerActivities, samrad.KindOther},
				{"de-unges-orkesterforbund", "De unges orkesterforbund", "De unges orkesterforbund (the young people's orchestra association)", samrad.PartnerUmbrella, samrad.KindOther},
				{"vestregionen", "Vestregionen", "Vestregionen", samrad.PartnerFunding, samrad.KindRegionalCouncil},
			},
		},
		{
			RecurringProgramme: samrad.RecurringProgramme{Slug: "kunst-rett-vest", Kind: samrad.RecurringExhibition, NameNB: "Kunst rett vest", NameEN: "Kunst rett vest",
				DescriptionNB: "Kunst rett vest er en årlig kunstrunde der juryerte billedkunstnere og kunsthåndverkere i Vestregionen viser hvert sitt verk i en fellesutstilling som ambulerer mellom kommunene. I tillegg inviteres publikum til å besøke kunstnernes atelierer og verksteder i helgene i arrangementsperioden.\n\n" +
					"Formålet er å styrke og vise mangfoldet av det profesjonelle kunstlivet i regionen, og å gjøre visuell kunst tilgjengelig for et bredt publikum. Arrangementet har siden oppstarten i 2007 utviklet seg til å bli Norges største regionale mønstring av visuelle, profesjonelle samtidskunstnere.",
				DescriptionEN: "Kunst rett vest is a yearly art round in which juried visual artists and craftspeople in Vestregionen each show a work in a joint exhibition that moves from municipality to municipality. The public is also invited to the artists' studios and workshops at the weekends of the period.\n\n" +
					"Its purpose is to strengthen and show the variety of professional art in the region, and to make visual art available to a wide audience. Since it began in 2007 it has become Norway's largest regional showing of professional contemporary visual artists.",
				FirstYear: 2007},
			totals: []samrad.RecurringTotal{
				{FirstYear: 2007, LastYear: 2016, Measure: samrad.MeasureArtists, Value: 315, Source: "kunstnere som har deltatt"},
				{FirstYear: 2007, LastYear: 2016, Measure: samrad.MeasureVisits, Value: 153000, Source: "besøk registrert i fellesutstillingene og hos kunstnerne"},
			},
		},
	} {
		p := spec.RecurringProgramme
		p.AllianceID, p.Published, p.Source = vr.ID, true, SourceVestregionen
		if err := db.CreateRecurring(ctx, &p); err != nil {
			return fmt.Errorf("demo programme %s: %w", p.Slug, err)
		}
		for _, x := range spec.partners {
			o, err := l.org(ctx, x.kind, x.code, x.nb, x.en)
			if err != nil {
				return err
			}
			if err := db.AddRecurringPartner(ctx, vr.ID, &samrad.RecurringPartner{ProgrammeID: p.ID, Org: o, Role: x.role}); err != nil {
				return fmt.Errorf("demo programme %s, partner %s: %w", p.Slug, x.code, err)
			}
		}
		for _, t := range spec.totals {
			t.ProgrammeID = p.ID
			if err := db.AddRecurringTotal(ctx, vr.ID, &t); err != nil {
				return fmt.Errorf("demo programme %s, total: %w", p.Slug, err)
			}
		}
	}
	return nil
}
