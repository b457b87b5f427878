// Package demo loads the demo data: the alliances, members, fee schedule and
// population figures that the source documents describe, and nothing they
// do not. Where a document names only part of a member list, the alliance
// says so on its pages.
package demo

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/ssb"
	"github.com/samrad/samrad/store"
)

//go:embed data/*.csv data/*.txt
var data embed.FS

// Sources of the demo data, named on the pages that show it.
const (
	SourceORE          = "Bærum kommune: omtale av medlemskap i Osloregionens Europakontor (medlemmer pr. 01.01.2021)"
	SourceOsloregionen = "Osloregionen: Handlingsprogram 2017, godkjent i styremøte 6.12.2016"
	SourceVestregionen = "Vestregionen: sak 24/2017 Videreføring av Vestregionsamarbeidet etter 2018?, vedlegg til diskusjonsnotat"
	SourceViken        = "Viken fylkeskommune: Kommunenettverk for internasjonalt arbeid (oppstart 5.–6. mai i Drammen)"
)

// ErrLoaded is returned by Load when the demo is already in the database.
var ErrLoaded = errors.New("the demo data is already loaded")

// Load loads the demo into db, in its own transactions, or returns
// ErrLoaded if the demo alliances already exist.
func Load(ctx context.Context, db *store.DB) error {
	if _, err := db.AllianceBySlug(ctx, "ore"); err == nil {
		return ErrLoaded
	} else if samrad.ErrorCode(err) != samrad.ENOTFOUND {
		return err
	}
	if err := loadPopulation(ctx, db); err != nil {
		return err
	}
	orgs := map[string]int64{}
	for _, o := range []samrad.Organisation{
		{Kind: samrad.KindInstitution, Code: "oslomet", NameNB: "OsloMet", NameEN: "OsloMet", Note: "OsloMet – storbyuniversitetet"},
		{Kind: samrad.KindRegionalCouncil, Code: "drammensregionen", NameNB: "Drammensregionen", NameEN: "Drammensregionen"},
		{Kind: samrad.KindRegionalCouncil, Code: "hallingdal-regionrad", NameNB: "Hallingdal regionråd", NameEN: "Hallingdal regionråd"},
	} {
		if err := db.CreateOrganisation(ctx, &o); err != nil {
			return fmt.Errorf("demo organisation %s: %w", o.Code, err)
		}
		orgs[o.Code] = o.ID
	}
	reg, err := db.Registry(ctx)
	if err != nil {
		return err
	}
	for _, a := range alliances() {
		al := a.Alliance
		if a.organiser != "" {
			o, ok := reg.AtDate(a.organiser, a.organiserOn)
			if !ok {
				return fmt.Errorf("demo %s: organiser %s not in the registry", al.Slug, a.organiser)
			}
			al.OrganiserID = o.ID
		}
		if err := db.CreateAlliance(ctx, &al); err != nil {
			return fmt.Errorf("demo alliance %s: %w", al.Slug, err)
		}
		var rows []store.ImportRow
		for i, m := range a.members {
			kind, official := samrad.KindForCode(m.code)
			if !official {
				kind = m.kind
			}
			prec := samrad.PrecisionUnknown
			if !m.from.IsZero() {
				prec = m.precision
			}
			rows = append(rows, store.ImportRow{Line: i + 1, Code: m.code, Kind: kind, Membership: samrad.Membership{
				From: m.from, FromPrecision: prec, AttestedOn: a.attested, Category: samrad.DefaultCategory(kind),
				Status: samrad.StatusConfirmed, Note: m.note, Source: a.source,
			}})
		}
		if _, err := db.ImportMemberships(ctx, al.ID, "demo "+al.Slug, rows, false); err != nil {
			return fmt.Errorf("demo members of %s: %w", al.Slug, err)
		}
		if a.fees != nil {
			s := *a.fees
			s.AllianceID = al.ID
			if err := db.CreateFeeSchedule(ctx, &s); err != nil {
				return fmt.Errorf("demo fees of %s: %w", al.Slug, err)
			}
		}
	}
	if err := loadGovernance(ctx, db); err != nil {
		return err
	}
	if err := loadProgrammes(ctx, db); err != nil {
		return err
	}
	if err := loadEvents(ctx, db); err != nil {
		return err
	}
	if err := loadNews(ctx, db); err != nil {
		return err
	}
	if err := loadNewsletters(ctx, db); err != nil {
		return err
	}
	// Cooperation: networks first, since projects, agreements and
	// enquiries name the network they belong to; funding after projects.
	l, err := newLookup(ctx, db)
	if err != nil {
		return err
	}
	for _, load := range []func(context.Context, *store.DB, *lookup) error{loadNetworks, loadProjects, loadFunding, loadServices, loadAgreements, loadIndicators} {
		if err := load(ctx, db, l); err != nil {
			return err
		}
	}
	return loadSites(ctx, db)
}

func loadPopulation(ctx context.Context, db *store.DB) error {
	for _, f := range []string{"folkemengde_2018-2019_kommune_fylke.csv", "befolkning_2013-2015_aldersgrupper_kommune.csv"} {
		b, err := data.ReadFile("data/" + f)
		if err != nil {
			return err
		}
		p, err := ssb.ParseStatbankCSV(bytes.NewReader(b), f)
		if err != nil {
			return err
		}
		rows := make([]store.PopulationRow, len(p.Observations))
		for i, o := range p.Observations {
			rows[i] = store.PopulationRow{Code: o.Region, Year: o.Year, Persons: o.Persons}
		}
		if _, err := db.ImportPopulation(ctx, f, "SSB, statistikkbanken (tabell 07459)", rows); err != nil {
			return err
		}
	}
	return nil
}

type member struct {
	code      string
	kind      samrad.OrgKind // for organisations without an official code
	from      samrad.Date
	precision samrad.Precision
	note      string
}

type demoAlliance struct {
	samrad.Alliance
	organiser   string
	organiserOn samrad.Date
	attested    samrad.Date // the day the source lists the members
	source      string
	members     []member
	fees        *samrad.FeeSchedule
}

func codes(list ...string) []member {
	out := make([]member, len(list))
	for i, c := range list {
		out[i] = member{code: c}
	}
	return out
}

func alliances() []demoAlliance {
	d := samrad.MustDate
	oreMembers := append(codes("34", "38", "30", "3025", "3005", "3420", "3050", "3403", "3006", "3405", "3030", "3412", "0301", "3411", "3413"),
		member{code: "0219", from: d("2018-01-01"), precision: samrad.PrecisionDay, note: "Medlemskapet har virkning fra 1. januar 2018."},
		member{code: "oslomet", kind: samrad.KindInstitution})
	founders := func(list ...string) []member {
		out := codes(list...)
		for i := range out {
			out[i].from, out[i].precision = d("1992-01-01"), samrad.PrecisionYear
			out[i].note = "Med i samarbeidet fra etableringen i 1992."
		}
		return out
	}
	return []demoAlliance{
		{
			Alliance: samrad.Alliance{
				Slug: "ore", NameNB: "Osloregionens Europakontor", NameEN: "Oslo Region European Office",
				Kind: samrad.AllianceAssociation, LegalForm: "Forening",
				Founded: d("2004-01-01"), FoundedPrecision: samrad.PrecisionYear,
				DescriptionNB: "Forening der kommuner, fylker og kunnskapsinstitusjoner i Østlandsområdet kan være medlemmer. Representerer medlemmenes interesser i Brussel, med avdelingskontor i Oslo.",
				DescriptionEN: "An association whose members are municipalities, counties and knowledge institutions in Eastern Norway. It represents its members in Brussels and has a branch office in Oslo.",
				MembersNoteNB: "Kilden lister medlemmene pr. 01.01.2021. Når hvert medlemskap begynte, sier den bare for Bærum (1. januar 2018).",
				MembersNoteEN: "The source lists the members as of 1 January 2021. It gives the start of a membership only for Bærum (1 January 2018).",
				Website:       "https://www.osloregion.org",
			},
			attested: d("2021-01-01"), source: SourceORE, members: oreMembers,
		},
		{
			Alliance: samrad.Alliance{
				Slug: "osloregionen", NameNB: "Osloregionen", NameEN: "The Oslo Region Alliance",
				Kind: samrad.AllianceAssociation, LegalForm: "Frivillig sammenslutning",
				Founded: d("2005-01-01"), FoundedPrecision: samrad.PrecisionDay,
				DescriptionNB: "Strategisk samarbeidsallianse i hovedstadsområdet. Målet er å styrke Osloregionen som en konkurransedyktig og bærekraftig region i Europa.",
				DescriptionEN: "A strategic alliance in the capital region. Its aim is to strengthen the Oslo Region as a competitive and sustainable region in Europe.",
				MembersNoteNB: "Fra 01.01.2017 omfatter alliansen 79 kommuner og fem fylkeskommuner. Kilden navngir bare Oslo kommune og fylkeskommunene Akershus, Buskerud, Hedmark og Østfold; listen er derfor ufullstendig.",
				MembersNoteEN: "From 1 January 2017 the alliance has 79 municipalities and five counties. The source names only Oslo and the counties of Akershus, Buskerud, Hedmark and Østfold, so this list is partial.",
			},
			attested: d("2017-01-01"), source: SourceOsloregionen, members: codes("0301", "02", "06", "04", "01"),
			fees: &samrad.FeeSchedule{
				FromYear: 2017, Population: samrad.PopulationPreviousYear, RoundingUnit: 1,
				Rates: []samrad.FeeRate{
					{Category: string(samrad.KindMunicipality), PerInhabitant: 150},
					{Category: string(samrad.KindCounty), PerInhabitant: 150},
				},
				Members: []samrad.FeeMemberRule{{OrgKind: samrad.KindMunicipality, OrgCode: "0301", MultiplierPermille: 2000, Note: "Dobbel kontingent for Oslo kommune"}},
				Note:    "Kr 1,50 pr. innbygger i kommunene og fylkeskommunene, med dobbel kontingent for Oslo kommune. Folketall pr. 1. januar året før kontingentåret.",
				Source:  SourceOsloregionen + ", kapittel 5",
			},
		},
		{
			Alliance: samrad.Alliance{
				Slug: "vestregionen", NameNB: "Vestregionen", NameEN: "Vestregionen (the West Region)",
				Kind: samrad.AllianceIntermunicipal, LegalForm: "Selvstendig rettssubjekt etter kommuneloven § 27",
				Founded: d("1992-01-01"), FoundedPrecision: samrad.PrecisionYear,
				DescriptionNB: "Samarbeid etablert i 1992 av seks kommuner og fylkeskommunene Akershus og Buskerud. Formål: «Vestregionen skal ivareta og utvikle felles regionale og øvrige interesser for de kommuner og fylkeskommuner som til enhver tid er medlemmer.»",
				DescriptionEN: "A cooperation founded in 1992 by six municipalities and the counties of Akershus and Buskerud, to look after and develop the common regional interests of its members.",
				MembersNoteNB: "I 2017 hadde alliansen 15 kommuner og fylkeskommunene Akershus og Buskerud. Kilden navngir bare de seks kommunene som grunnla samarbeidet i 1992 (Bærum, Asker, Lier, Drammen, Røyken og Hurum); listen er derfor ufullstendig.",
				MembersNoteEN: "In 2017 the alliance had 15 municipalities and the counties of Akershus and Buskerud. The source names only the six founding municipalities of 1992, so this list is partial.",
			},
			source: SourceVestregionen, members: founders("0219", "0220", "0626", "0602", "0627", "0628", "02", "06"),
		},
		{
			Alliance: samrad.Alliance{
				Slug: "viken-nettverk", NameNB: "Viken fylkeskommunes internasjonale kommunenettverk", NameEN: "Viken County's international network of municipalities",
				Kind: samrad.AllianceNetwork, LegalForm: "Nettverk drevet av fylkeskommunen", FoundedPrecision: samrad.PrecisionUnknown,
				DescriptionNB: "Nettverk for kommuner med eller uten erfaring fra internasjonalt arbeid. Møtes to ganger i året for kunnskapsutveksling, erfaringsdeling og veiledning. Oppstart 5.–6. mai i Drammen med 25 deltakere.",
				DescriptionEN: "A network for municipalities with or without experience of international work. It meets twice a year. Kick-off on 5–6 May in Drammen with 25 participants.",
				MembersNoteNB: "Kilden navngir bare noen av de 25 deltakerne på oppstartssamlingen: Viken fylkeskommune, Drammensregionen, Indre Østfold kommune og Hallingdal regionråd. Året for oppstarten står ikke i kilden.",
				MembersNoteEN: "The source names only some of the 25 participants at the kick-off: Viken County, Drammensregionen, Indre Østfold and Hallingdal regionråd. It does not give the year.",
			},
			organiser: "30", organiserOn: d("2020-01-01"), source: SourceViken,
			members: []member{{code: "30"}, {code: "3014"}, {code: "drammensregionen", kind: samrad.KindRegionalCouncil}, {code: "hallingdal-regionrad", kind: samrad.KindRegionalCouncil}},
		},
	}
}
