package demo

import (
	"context"
	"fmt"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// loadProjects adds the projects that Vestregionen's case 24/2017 names.
// The source gives no amounts and no dates to the day, so none are stored:
// Kommunehelsesamarbeidet was established in 2009 and the further
// education aims to start in 2018, which the descriptions say, since a
// project's start is a day and a year alone would be read as 1 January.
// None of them is said to come from a network. Transport 2.0's projects
// are not named in the source and are left out, and so is the web portal
// on the use of specialist health services that Vestregionen, Vestre
// Viken, Helse Sør-Øst and Microsoft developed together, since the source
// does not say who owns it.
func loadProjects(ctx context.Context, db *store.DB, l *lookup) error {
	vr, err := db.AllianceBySlug(ctx, "vestregionen")
	if err != nil {
		return err
	}
	own, err := l.org(ctx, samrad.KindRegionalCouncil, "vestregionen", "Vestregionen", "Vestregionen")
	if err != nil {
		return err
	}
	nhn, err := l.org(ctx, samrad.KindStateAgency, "norsk-helsenett", "Norsk Helsenett", "Norsk Helsenett (Norwegian Health Network)")
	if err != nil {
		return err
	}
	hod, err := l.org(ctx, samrad.KindStateAgency, "helse-og-omsorgsdepartementet", "Helse- og omsorgsdepartementet", "Ministry of Health and Care Services")
	if err != nil {
		return err
	}
	fagskolen, err := l.org(ctx, samrad.KindInstitution, "fagskolen-tinius-olsen", "Fagskolen Tinius Olsen", "Fagskolen Tinius Olsen (vocational college)")
	if err != nil {
		return err
	}
	for _, spec := range []struct {
		samrad.Project
		partners []samrad.ProjectPartner
	}{
		{
			Project: samrad.Project{Slug: "kommunehelsesamarbeidet", NameNB: "Kommunehelsesamarbeidet (KHS)", NameEN: "The municipal health cooperation (KHS)",
				Status: samrad.ProjectRunning,
				DescriptionNB: "Vestregionen etablerte Kommunehelsesamarbeidet i 2009 som et prosjekt sammen med de øvrige kommunene i Vestre Viken helseforetaks opptaksområde, for å sikre kommunene likeverdig innflytelse i samarbeidet med spesialisthelsetjenesten da samhandlingsreformen ble innført. Fra 2012 ble samarbeidet mellom kommunene og spesialisthelsetjenesten lov- og avtalefestet.\n\n" +
					"KHS har i økende grad lagt vekt på å utvikle kommunenes egen organisering og tjenesteproduksjon gjennom erfaringsdeling og felles prosjektgjennomføring. Det er etablert prosjekter for helhetlige pasientforløp for personer med omfattende behov, innen både somatikk og psykisk helse og rus, og forpliktende samhandlingsmodeller der brukeren medvirker.\n\n" +
					"Psykisk helse, helhetlige pasientforløp og barn og unge som pårørende er prioriterte innsatsområder i 2017/2018.",
				DescriptionEN: "Vestregionen established the municipal health cooperation in 2009 as a project together with the other municipalities in the catchment area of Vestre Viken hospital trust, to give the municipalities an equal say in their cooperation with the specialist health service when the coordination reform was introduced. From 2012 the cooperation between the municipalities and the specialist health service has been required by law and set out in agreements.\n\n" +
					"KHS has increasingly worked on the municipalities' own organisation and services through shared experience and joint projects. Projects have been set up for coherent patient pathways for people with extensive needs, in somatic care as well as mental health and substance abuse, and binding models of cooperation in which the user takes part.\n\n" +
					"Mental health, coherent patient pathways, and children and young people as next of kin are priorities in 2017/2018."},
		},
		{
			Project: samrad.Project{Slug: "komut", NameNB: "KomUT – Elektronisk meldingsutveksling mellom kommuner, sykehus og fastleger",
				NameEN: "KomUT – electronic messaging between municipalities, hospitals and GPs", OwnerOrgID: nhn.ID, Status: samrad.ProjectRunning,
				DescriptionNB: "Prosjektet gjennomføres av Norsk Helsenett på oppdrag fra Helse- og omsorgsdepartementet. Prosjektledelsen for Vestre Vikens opptaksområde er lagt til Vestregionen.\n\n" +
					"Prosjektet har så langt arbeidet med å legge til rette for elektronisk samhandling (epikriser og pleie- og omsorgsmeldinger) mellom kommunene, medregnet helsestasjoner og jordmortjenester, og helseforetaket. KomUT arbeider også med å innføre kjernejournal hos fastleger og legevakt, og bistår kommunene med å innføre velferdsteknologi i tråd med nasjonale anbefalinger og kravspesifikasjoner.\n\n" +
					"Prosjektlederen koordinerer nettverket for digital samhandling som Overordnet samarbeidsorgan har etablert, og bistår i driften av nettverket for velferdsteknologi som ble etablert etter initiativ fra Lier kommune.",
				DescriptionEN: "The project is carried out by Norsk Helsenett on commission from the Ministry of Health and Care Services. Project management for the catchment area of Vestre Viken lies with Vestregionen.\n\n" +
					"So far the project has prepared electronic exchange (discharge summaries and care messages) between the municipalities, including health centres and midwife services, and the hospital trust. KomUT is also introducing the summary care record at general practitioners and emergency clinics, and helps the municipalities introduce welfare technology according to national recommendations and specifications.\n\n" +
					"The project manager coordinates the network for digital cooperation set up by the joint cooperation body, and helps run the network for welfare technology set up on the initiative of Lier municipality."},
			partners: []samrad.ProjectPartner{
				{OrgID: hod.ID, Role: "oppdragsgiver"},
				{OrgID: own.ID, Role: "prosjektledelse for Vestre Vikens opptaksområde"},
			},
		},
		{
			Project: samrad.Project{Slug: "videreutdanning-helsefagarbeidere", NameNB: "Videreutdanning for helsefagarbeidere i hverdagsmestring og rehabilitering",
				NameEN: "Further education for health workers in everyday coping and rehabilitation", Status: samrad.ProjectIdea,
				DescriptionNB: "Vestregionen har innledet et samarbeid med Fagskolen Tinius Olsen på Kongsberg, som eies av Buskerud fylkeskommune, om å etablere helse som et utdanningstilbud ved fagskolen. Som første studietilbud utvikler kommunene og fagskolen i fellesskap en videreutdanning for helsefagarbeidere med tema hverdagsmestring og rehabilitering, med sikte på oppstart i 2018.",
				DescriptionEN: "Vestregionen has begun a cooperation with Fagskolen Tinius Olsen in Kongsberg, owned by Buskerud county, to offer health as a subject at the vocational college. As its first course, the municipalities and the college are developing together a further education for health workers in everyday coping and rehabilitation, aiming to start in 2018."},
			partners: []samrad.ProjectPartner{{OrgID: fagskolen.ID, Role: "utvikler studietilbudet sammen med kommunene"}},
		},
	} {
		p := spec.Project
		p.AllianceID, p.Published, p.Source = vr.ID, true, SourceVestregionen
		if err := db.CreateProject(ctx, &p); err != nil {
			return fmt.Errorf("demo project %s: %w", p.Slug, err)
		}
		for _, x := range spec.partners {
			x.ProjectID = p.ID
			if err := db.AddPartner(ctx, vr.ID, &x); err != nil {
				return fmt.Errorf("demo project %s: %w", p.Slug, err)
			}
		}
	}
	return nil
}

// LoadPortfolio adds n synthetic projects to an alliance for benchmarks
// and load tests, each with two partners and three sources of funding,
// spread over the networks given (none if the list is empty). Their
// content is made up and says so; they are never part of the demo.
func LoadPortfolio(ctx context.Context, db *store.DB, allianceID int64, n int, networkIDs []int64) error {
	reg, err := db.Registry(ctx)
	if err != nil {
		return err
	}
	orgs := reg.ValidOn(samrad.Jan1(2024), samrad.KindMunicipality)
	if len(orgs) < 3 {
		return fmt.Errorf("demo portfolio: the registry has too few municipalities")
	}
	kinds := samrad.ProjectFundingKinds
	for i := range n {
		budget := samrad.NOK(int64(100_000 + i*1000))
		p := samrad.Project{AllianceID: allianceID, Slug: fmt.Sprintf("syntetisk-prosjekt-%d", i+1), NameNB: fmt.Sprintf("Syntetisk prosjekt %d", i+1),
			NameEN: fmt.Sprintf("Synthetic project %d", i+1), DescriptionNB: "Oppdiktet prosjekt for ytelsesmålinger.", Status: samrad.ProjectStatuses[i%4],
			Starts: samrad.Jan1(2015 + i%8), Ends: samrad.Jan1(2018 + i%8).AddDays(-1), Budget: &budget, OwnerOrgID: orgs[i%len(orgs)].ID, Published: true}
		if len(networkIDs) > 0 && i%3 != 0 {
			p.NetworkID = networkIDs[i%len(networkIDs)]
		}
		if err := db.CreateProject(ctx, &p); err != nil {
			return fmt.Errorf("demo portfolio: %w", err)
		}
		for j, role := range []string{"lead partner", "partner"} {
			if err := db.AddPartner(ctx, allianceID, &samrad.ProjectPartner{ProjectID: p.ID, OrgID: orgs[(i+j+1)%len(orgs)].ID, Role: role}); err != nil {
				return fmt.Errorf("demo portfolio: %w", err)
			}
		}
		for j := range 3 {
			f := samrad.ProjectFunding{ProjectID: p.ID, Kind: kinds[(i+j)%len(kinds)], Funder: "Oppdiktet finansiør", Amount: samrad.NOK(int64(10_000 * (j + 1)))}
			if err := db.AddFunding(ctx, allianceID, &f); err != nil {
				return fmt.Errorf("demo portfolio: %w", err)
			}
		}
	}
	return nil
}
