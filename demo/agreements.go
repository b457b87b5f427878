package demo

import (
	"context"
	"fmt"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// loadAgreements adds the agreements Vestregionen's case 24/2017 describes:
//
//   - the cooperation agreement with the university college (then
//     Høgskolen i Buskerud, now Høgskolen i Sørøst-Norge), entered into with
//     the rector in May 2014, with the five areas of cooperation it lists.
//     The source names no rector and gives no period, so neither is stored;
//   - the cooperation with Fagskolen Tinius Olsen in Kongsberg, on health
//     as a subject at the college. The source gives no date, period or
//     signatory;
//   - the identical BPA agreements that 13 municipalities in Vestregionen,
//     Kongsberg and Jevnaker have with six commercial suppliers for
//     2016-01-01 to 2018-12-31, kept as one joint framework agreement. The
//     source names only Kongsberg and Jevnaker, not the 13 municipalities or
//     the suppliers, nor when each one joined; the parties note says so.
func loadAgreements(ctx context.Context, db *store.DB, l *lookup) error {
	vr, err := db.AllianceBySlug(ctx, "vestregionen")
	if err != nil {
		return err
	}
	own, err := l.org(ctx, samrad.KindRegionalCouncil, "vestregionen", "Vestregionen", "Vestregionen")
	if err != nil {
		return err
	}
	hsn, err := l.org(ctx, samrad.KindInstitution, "hsn", "Høgskolen i Sørøst-Norge", "University College of Southeast Norway")
	if err != nil {
		return err
	}
	fagskolen, err := l.org(ctx, samrad.KindInstitution, "fagskolen-tinius-olsen", "Fagskolen Tinius Olsen", "Fagskolen Tinius Olsen (vocational college)")
	if err != nil {
		return err
	}
	kongsberg, err := l.official("0604", "2016-01-01")
	if err != nil {
		return err
	}
	jevnaker, err := l.official("0532", "2016-01-01")
	if err != nil {
		return err
	}
	bpaNet, err := networkID(ctx, db, vr.ID, bpaNetwork)
	if err != nil {
		return err
	}
	d := samrad.MustDate
	list := []struct {
		samrad.Agreement
		signatories []samrad.Signatory
	}{
		{
			Agreement: samrad.Agreement{Slug: "hogskolen-i-sorost-norge", Kind: samrad.AgreementCooperation,
				TitleNB: "Samarbeidsavtale med Høgskolen i Sørøst-Norge", TitleEN: "Cooperation agreement with the University College of Southeast Norway",
				DescriptionNB: "Etter diskusjon i rådmannsgruppen vinteren 2013/2014 tok Vestregionen kontakt med Høgskolen i Buskerud, nå Høgskolen i Sørøst-Norge, for å etablere et samarbeid som fremmer kompetanseutvikling, forskningsbasert utvikling og innovasjon i regionen. Samarbeidsavtalen ble inngått med rektor ved høgskolen i mai 2014.\n\n" +
					"Samarbeidet har så langt gitt et utviklingsprogram for erfarne ledere i offentlig og privat sektor, organisert som et masteremne i graden Executive Master of Management. Det er også etablert samarbeid med Vitensenteret helse og teknologi om utvikling og innføring av velferdsteknologi i kommunene, og Vestregionen bidrar i utviklingen av nye studieemner om helse og teknologi ved høgskolen.",
				DescriptionEN: "After discussion in the chief executives' group in the winter of 2013/2014, Vestregionen approached Buskerud University College, now the University College of Southeast Norway, to set up a cooperation that furthers skills, research-based development and innovation in the region. The cooperation agreement was entered into with the rector of the college in May 2014.\n\n" +
					"So far the cooperation has produced a development programme for experienced leaders in the public and private sectors, organised as a master's course in the Executive Master of Management. A cooperation has also been set up with the science centre for health and technology on developing and introducing welfare technology in the municipalities, and Vestregionen takes part in developing new courses on health and technology at the college.",
				SignedOn: d("2014-05-01"), SignedPrecision: samrad.PrecisionMonth,
				Parties: []samrad.AgreementParty{{Org: own, Role: samrad.PartyParty}, {Org: hsn, Role: samrad.PartyParty}},
				Areas: []samrad.AgreementArea{{NameNB: "Ledelse", NameEN: "Leadership"}, {NameNB: "Helse og omsorg", NameEN: "Health and care"},
					{NameNB: "Velferdsteknologi", NameEN: "Welfare technology"}, {NameNB: "Region- og byutvikling", NameEN: "Regional and urban development"},
					{NameNB: "Kommunalutvikling", NameEN: "Municipal development"}}},
			signatories: []samrad.Signatory{{Title: "rektor", Org: hsn}},
		},
		{
			Agreement: samrad.Agreement{Slug: "fagskolen-tinius-olsen", Kind: samrad.AgreementCooperation,
				TitleNB: "Samarbeid med Fagskolen Tinius Olsen", TitleEN: "Cooperation with Fagskolen Tinius Olsen",
				DescriptionNB: "Vestregionen har innledet et samarbeid med Fagskolen Tinius Olsen på Kongsberg, som eies av Buskerud fylkeskommune. Samarbeidet går ut på å etablere helse som et utdanningstilbud ved fagskolen. Som første studietilbud utvikler kommunene og fagskolen i fellesskap videreutdanning for helsefagarbeidere med tema hverdagsmestring og rehabilitering, med sikte på oppstart i 2018.",
				DescriptionEN: "Vestregionen has begun a cooperation with Fagskolen Tinius Olsen in Kongsberg, a vocational college owned by Buskerud county. The cooperation is to establish health as a subject at the college. As the first course, the municipalities and the college are developing together a further education for health workers in everyday coping and rehabilitation, aiming to start in 2018.",
				Parties:       []samrad.AgreementParty{{Org: own, Role: samrad.PartyParty}, {Org: fagskolen, Role: samrad.PartyParty}},
				Areas:         []samrad.AgreementArea{{NameNB: "Helse som utdanningstilbud ved fagskolen", NameEN: "Health as a subject at the college"}}},
		},
		{
			Agreement: samrad.Agreement{Slug: "bpa-rammeavtale-2016-2018", Kind: samrad.AgreementFramework,
				TitleNB: "Avtaler om brukerstyrt personlig assistanse (BPA) 2016–2018", TitleEN: "Agreements on user-controlled personal assistance (BPA) 2016–2018",
				DescriptionNB: "Brukerstyrt personlig assistanse er en måte å organisere praktiske tjenester til hjemmeboende personer med langvarige og omfattende hjelpebehov. Bruker og kommune vurderer sammen om bruker kan nyttiggjøre seg ordningen. I tillegg til kommunal drift har 13 kommuner i Vestregionen samt Kongsberg og Jevnaker inngått likelydende avtaler med seks kommersielle leverandører for perioden 1.1.2016 til 31.12.2018.\n\n" +
					"Vestregionen har tatt initiativet til et erfaringsnettverk der tjenesteansvarlige, kommuneadvokater og andre kommunale ledere som arbeider med BPA deltar, og sekretariatet besvarer henvendelser fra brukere, eksterne leverandører og media på vegne av kommunene.",
				DescriptionEN: "User-controlled personal assistance is a way of organising practical help for people living at home with long-term and extensive needs. The user and the municipality decide together whether the user can benefit from it. Besides the municipalities' own services, 13 municipalities in Vestregionen together with Kongsberg and Jevnaker have entered into identical agreements with six commercial suppliers for 1 January 2016 to 31 December 2018.\n\n" +
					"Vestregionen took the initiative for an experience network in which service managers, municipal lawyers and other municipal leaders working with BPA take part, and the secretariat answers enquiries from users, external suppliers and the media on the municipalities' behalf.",
				Starts: d("2016-01-01"), Ends: d("2018-12-31"), NetworkID: bpaNet,
				PartiesNoteNB: "Avtalene omfatter også 13 kommuner i Vestregionen og seks kommersielle leverandører, som kilden ikke navngir. Når hver kommune sluttet seg til, står ikke i kilden.",
				PartiesNoteEN: "The agreements also cover 13 municipalities in Vestregionen and six commercial suppliers, whom the source does not name. It does not say when each municipality joined.",
				Parties:       []samrad.AgreementParty{{Org: kongsberg, Role: samrad.PartyJoined}, {Org: jevnaker, Role: samrad.PartyJoined}},
				Areas:         []samrad.AgreementArea{{NameNB: "Brukerstyrt personlig assistanse (BPA)", NameEN: "User-controlled personal assistance (BPA)"}}},
		},
	}
	for _, x := range list {
		g := x.Agreement
		g.AllianceID, g.Published, g.Source = vr.ID, true, SourceVestregionen
		if err := db.CreateAgreement(ctx, &g); err != nil {
			return fmt.Errorf("demo agreement %s: %w", g.Slug, err)
		}
		for _, sg := range x.signatories {
			sg.AgreementID = g.ID
			if err := db.AddSignatory(ctx, vr.ID, &sg); err != nil {
				return fmt.Errorf("demo signatory of %s: %w", g.Slug, err)
			}
		}
	}
	return nil
}
