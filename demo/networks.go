package demo

import (
	"context"
	"fmt"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// demoParticipant is a participant as the sources name it: an organisation
// (by the function that finds it), a person with a title, or both.
type demoParticipant struct {
	org         func() (samrad.Organisation, error)
	name, title string
	role        samrad.ParticipantRole
	note        string
}

// demoNetwork is a network with its participants and activities.
type demoNetwork struct {
	alliance     string
	network      samrad.Network
	organiser    func() (samrad.Organisation, error) // nil: the alliance runs it
	participants []demoParticipant
	activities   []samrad.NetworkActivity
}

// loadNetworks adds the networks the sources describe, and then the
// recurring programmes.
//
// Left out because the sources do not give them: the fees, contact persons,
// renewal dates and working groups of ORE's networks in Brussels; the year
// of Viken's kick-off (the demo event takes it to be 2022, and the activity
// takes its days from the event); the dates of Transport 2.0's breakfast
// meetings and study trips; the members of the BPA and public-health
// networks beyond what the text names.
func loadNetworks(ctx context.Context, db *store.DB, l *lookup) error {
	org := func(kind samrad.OrgKind, code, nb, en string) func() (samrad.Organisation, error) {
		return func() (samrad.Organisation, error) { return l.org(ctx, kind, code, nb, en) }
	}
	official := func(code string) func() (samrad.Organisation, error) {
		// Viken and Indre Østfold as they were when the network started.
		return func() (samrad.Organisation, error) { return l.official(code, "2022-05-05") }
	}
	vestregionen := org(samrad.KindRegionalCouncil, "vestregionen", "Vestregionen", "Vestregionen")
	viken, indreOstfold := official("30"), official("3014")
	drammensregionen := org(samrad.KindRegionalCouncil, "drammensregionen", "Drammensregionen", "Drammensregionen")
	hallingdal := org(samrad.KindRegionalCouncil, "hallingdal-regionrad", "Hallingdal regionråd", "Hallingdal regionråd")

	var nets []demoNetwork
	// ORE's networks in Brussels: the source names them and no more.
	for _, x := range []struct{ slug, name string }{
		{"errin", "ERRIN"}, {"eurocities", "Eurocities"}, {"euregha", "EUREGHA"},
		{"aer", "Assembly of European Regions (AER)"}, {"bsssc", "BSSSC"}, {"cpmr", "CPMR"},
	} {
		nets = append(nets, demoNetwork{alliance: "ore", network: samrad.Network{Slug: x.slug, Kind: samrad.NetworkExternal, NameNB: x.name, NameEN: x.name,
			DescriptionNB: "Osloregionens Europakontor er medlem i og følger nettverket i Brussel.",
			DescriptionEN: "The Oslo Region European Office is a member of the network in Brussels and follows its work.",
			Source:        SourceORE}})
	}
	kickoff := samrad.NetworkActivity{Kind: samrad.ActivityGathering, TitleNB: "Oppstartssamling (kick off) i Drammen",
		TitleEN: "Kick-off gathering in Drammen", Place: "Drammen", Participants: 25,
		Note: "Fylkesordfører Roger Ryberg innledet. Målet var å gi innsikt i EUs programmer og finansieringsordninger."}
	if ev, err := db.AllianceBySlug(ctx, "viken-nettverk"); err == nil {
		if _, err := db.Event(ctx, ev.ID, "oppstart-drammen"); err == nil {
			kickoff.Event.Slug = "oppstart-drammen"
		}
	}
	// The people in the photo from the kick-off, with the titles the
	// caption gives them.
	photo := "På bildet fra oppstartssamlingen"
	nets = append(nets,
		demoNetwork{alliance: "viken-nettverk", organiser: viken,
			network: samrad.Network{Slug: "internasjonalt-kommunenettverk", Kind: samrad.NetworkInternal,
				NameNB: "Kommunenettverk for internasjonalt arbeid", NameEN: "Municipal network for international work",
				DescriptionNB: "Viken fylkeskommunes internasjonale kommunenettverk skal hjelpe kommuner til å tenke strategisk rundt internasjonale muligheter og utvikle gode prosjekter som kan få internasjonal finansiering. Nettverket skal basere seg på behovet i Vikens kommuner, og form og innhold utvikles sammen med deltakerne.\n\n" +
					"Nettverket er åpent for kommuner med eller uten erfaring fra tidligere internasjonalt arbeid. Deltakerne får erfaringsdeling med andre kommuner og tett oppfølging fra internasjonale rådgivere i Viken fylkeskommune. Deltakelsen tilpasses ledere og ansatte som jobber med utviklingsoppgaver innen kommunens ansvarsområder.",
				DescriptionEN: "Viken County's international network of municipalities helps municipalities think strategically about international opportunities and develop good projects that can win international funding. The network is to build on the needs of Viken's municipalities, and its form and content are developed together with the participants.\n\n" +
					"The network is open to municipalities with or without experience of international work. Participants share experience with other municipalities and get close follow-up from the county's international advisers. Participation is adapted to managers and staff who work on development in the municipality's areas of responsibility.",
				Openness: samrad.OpenToMembership, RhythmNB: "to ganger i året", RhythmEN: "twice a year",
				JoinInfoNB: "Det er ikke for sent å melde seg inn. Ta kontakt med internasjonal seksjon i Viken fylkeskommune ved rådgiver Martine Bonarjee.",
				JoinInfoEN: "It is not too late to join. Contact the international section of Viken County, adviser Martine Bonarjee.",
				Source:     SourceViken},
			participants: []demoParticipant{
				{org: viken, name: "Martine Bonarjee", title: "rådgiver, internasjonal seksjon", note: photo},
				{org: drammensregionen, name: "Dag Aanensen", title: "sekretariatsleder", note: photo},
				{org: viken, name: "Roger Ryberg", title: "fylkesordfører", note: photo},
				{org: indreOstfold, name: "Heidi Eriksson", title: "prosjektleder", note: photo},
				{org: hallingdal, name: "Jan Olav Helling", title: "dagleg leiar", note: photo},
				{org: indreOstfold, name: "Hanne Westerveld Jensen", title: "prosjektleder", note: photo},
				{org: viken, name: "Espen Holtan", title: "leder, internasjonal seksjon", note: photo},
				{org: viken, name: "Johanne Meyer", title: "rådgiver", note: photo},
			},
			activities: []samrad.NetworkActivity{kickoff}},
		demoNetwork{alliance: "vestregionen",
			network: samrad.Network{Slug: "transport-2-0", Kind: samrad.NetworkInternal,
				NameNB: "Transport 2.0 – Nettverk for grønn mobilitet", NameEN: "Transport 2.0 – network for green mobility",
				DescriptionNB: "Transport 2.0 ble etablert i 2014 etter initiativ fra Vestregionen. Hensikten med nettverket er å stimulere til utviklingsprosjekter som fremmer framtidsrettet, bærekraftig transport og arealbruk gjennom å:\n" +
					"- avdekke behov for innovasjon og kunnskapsutvikling\n- fasilitere idé- og prosjektutvikling\n- skape grunnlag for kommersialisering av produkter og tjenester\n- legge grunnlag for politikkutforming knyttet til nye mobilitetskonsepter og -løsninger\n\n" +
					"Det er utarbeidet søknader til Norges forskningsråd, Horisont 2020, Interreg og Buskerud fylkeskommune, og det er iverksatt oppstart av et titalls prosjekter. Felles for alle prosjektene er at de har selvstendige prosjekteiere og finansiering.",
				DescriptionEN: "Transport 2.0 was founded in 2014 on Vestregionen's initiative. Its purpose is to stimulate development projects for forward-looking, sustainable transport and land use, by:\n" +
					"- uncovering needs for innovation and new knowledge\n- facilitating the development of ideas and projects\n- laying the ground for commercialising products and services\n- laying the ground for policy on new mobility concepts and solutions\n\n" +
					"Applications have been written to the Research Council of Norway, Horizon 2020, Interreg and Buskerud County, and some ten projects have been started. Each project has its own project owner and funding.",
				Openness: samrad.OpenToAll, RhythmNB: "månedlige frokostmøter", RhythmEN: "monthly breakfast meetings",
				Founded: samrad.Jan1(2014), FoundedPrecision: samrad.PrecisionYear,
				JoinInfoNB: "Nettverket er åpent for alle som ønsker å bidra til omstilling til mer bærekraftig mobilitet.",
				JoinInfoEN: "The network is open to everyone who wants to help the shift to more sustainable mobility.",
				Source:     SourceVestregionen},
			participants: []demoParticipant{
				{org: org(samrad.KindOther, "electric-mobility-norway", "Electric Mobility Norway", "Electric Mobility Norway"), role: samrad.ParticipantCoordination, note: "næringsklynge"},
				{org: org(samrad.KindOther, "buskerudbyen", "Buskerudbyen", "Buskerudbyen"), role: samrad.ParticipantCoordination},
				{org: org(samrad.KindOther, "smart-city-baerum", "Smart City Bærum", "Smart City Bærum"), role: samrad.ParticipantCoordination},
				{org: org(samrad.KindStateAgency, "forskningsradet", "Norges forskningsråd", "The Research Council of Norway"), role: samrad.ParticipantCoordination},
				{org: org(samrad.KindStateAgency, "innovasjon-norge", "Innovasjon Norge", "Innovation Norway"), role: samrad.ParticipantCoordination},
				{org: vestregionen, role: samrad.ParticipantCoordination},
			},
			activities: []samrad.NetworkActivity{
				{Kind: samrad.ActivityConference, TitleNB: "Oppstartskonferanse", TitleEN: "Kick-off conference",
					Starts: samrad.MustDate("2015-02-01"), Precision: samrad.PrecisionMonth},
				{Kind: samrad.ActivityBreakfast, TitleNB: "Månedlige frokostmøter med nasjonale og internasjonale innledere",
					TitleEN: "Monthly breakfast meetings with national and international speakers"},
				{Kind: samrad.ActivityStudyTrip, TitleNB: "Studietur til Gøteborg", TitleEN: "Study trip to Gothenburg", Place: "Gøteborg"},
				{Kind: samrad.ActivityStudyTrip, TitleNB: "Studietur til Helsinki", TitleEN: "Study trip to Helsinki", Place: "Helsinki"},
			}},
		// The source says who takes part, not how one joins: the networks
		// are for the municipalities' own staff, so they are taken to be by
		// membership.
		demoNetwork{alliance: "vestregionen",
			network: samrad.Network{Slug: bpaNetwork, Kind: samrad.NetworkInternal,
				NameNB: "Erfaringsnettverk for BPA", NameEN: "Experience network for user-controlled personal assistance (BPA)",
				DescriptionNB: "Brukerstyrt personlig assistanse (BPA) er en måte å organisere praktiske tjenester til hjemmeboende personer med langvarige og omfattende hjelpebehov. I tillegg til kommunal drift har 13 kommuner i Vestregionen samt Kongsberg og Jevnaker inngått likelydende avtaler med seks kommersielle leverandører for perioden 1.1.2016 til 31.12.2018.\n\n" +
					"Vestregionen har tatt initiativet til et erfaringsnettverk der tjenesteansvarlige, kommuneadvokater og andre kommunale ledere som er engasjert i BPA, deltar. Vestregionens sekretariat besvarer henvendelser fra brukere, eksterne leverandører og media på vegne av kommunene.",
				DescriptionEN: "User-controlled personal assistance (BPA) is a way of organising practical help for people living at home with long-lasting and extensive needs. Besides the municipalities' own services, 13 municipalities in Vestregionen and Kongsberg and Jevnaker have made identical agreements with six commercial suppliers for 1 January 2016 to 31 December 2018.\n\n" +
					"Vestregionen took the initiative to an experience network in which heads of services, municipal lawyers and other municipal managers working with BPA take part. Vestregionen's secretariat answers enquiries from users, external suppliers and the media on the municipalities' behalf.",
				Openness: samrad.OpenToMembership, Source: SourceVestregionen}},
		demoNetwork{alliance: "vestregionen",
			network: samrad.Network{Slug: "folkehelsenettverk", Kind: samrad.NetworkInternal,
				NameNB: "Erfaringsnettverk for folkehelse", NameEN: "Experience network for public health",
				DescriptionNB: "Folkehelse ble tatt inn som et nytt fokusområde i revisjonen av samarbeidsgrunnlaget for Vestregionen i 2014, og Vestregionens strategi for folkehelse ble vedtatt i mars 2016. Vestregionen har etablert et erfaringsnettverk for kommunalt ansatte, fylkeskommunenes folkehelsekoordinatorer og KS BTV.\n\n" +
					"I 2017 er det tatt initiativ til å koble folkehelsearbeidet sammen med Vestregionens kultursatsinger, gjennom felles koordinatorsamlinger og åpne møter.",
				DescriptionEN: "Public health became a new focus area when Vestregionen's basis for cooperation was revised in 2014, and Vestregionen's public-health strategy was adopted in March 2016. Vestregionen has set up an experience network for municipal staff, the counties' public-health coordinators and KS BTV.\n\n" +
					"In 2017 an initiative was taken to link the public-health work with Vestregionen's work on culture, through joint gatherings of coordinators and open meetings.",
				Openness: samrad.OpenToMembership, Source: SourceVestregionen},
			participants: []demoParticipant{{org: org(samrad.KindOther, "ks-btv", "KS BTV", "KS BTV")}}},
	)
	for _, spec := range nets {
		a, err := db.AllianceBySlug(ctx, spec.alliance)
		if err != nil {
			return fmt.Errorf("demo network %s: %w", spec.network.Slug, err)
		}
		n := spec.network
		n.AllianceID, n.Published = a.ID, true
		if spec.organiser != nil {
			o, err := spec.organiser()
			if err != nil {
				return err
			}
			n.OrganiserID = o.ID
		}
		if err := db.CreateNetwork(ctx, &n); err != nil {
			return fmt.Errorf("demo network %s: %w", n.Slug, err)
		}
		for _, dp := range spec.participants {
			p := samrad.NetworkParticipant{NetworkID: n.ID, Role: dp.role, Title: dp.title, Note: dp.note}
			if dp.org != nil {
				if p.Org, err = dp.org(); err != nil {
					return err
				}
			}
			if dp.name != "" {
				if p.Person, err = l.person(ctx, dp.name, dp.title); err != nil {
					return err
				}
			}
			if err := db.AddParticipant(ctx, a.ID, &p); err != nil {
				return fmt.Errorf("demo network %s, participant %s%s: %w", n.Slug, p.Org.Code, dp.name, err)
			}
		}
		for _, act := range spec.activities {
			act.NetworkID = n.ID
			if err := db.AddActivity(ctx, a.ID, &act); err != nil {
				return fmt.Errorf("demo network %s, activity %s: %w", n.Slug, act.TitleNB, err)
			}
		}
	}
	return loadRecurring(ctx, db, l)
}
