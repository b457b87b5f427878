package demo

import (
	"context"
	"fmt"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// Sources of the strategy data besides the action programme itself.
const (
	SourceORE000 = "ORE: beskrivelse av Osloregionens Europakontor (fokusområder 2017–2021)"
)

// loadProgrammes stores the strategies and the action programme the seed
// documents give: Osloregionen's strategic direction 2017–2020 and its
// action programme 2017 in full, Vestregionen's strategic platform
// 2015–2018 and ORE's focus areas 2017–2021. Where a document leaves
// something out, so does the demo.
func loadProgrammes(ctx context.Context, db *store.DB) error {
	slugs := map[string]int64{}
	for _, s := range []string{"osloregionen", "vestregionen", "ore"} {
		a, err := db.AllianceBySlug(ctx, s)
		if err != nil {
			return err
		}
		slugs[s] = a.ID
	}
	or := osloregionenStrategy(slugs["osloregionen"])
	for _, p := range []*samrad.StrategyPeriod{&or, ptr(vestregionenStrategy(slugs["vestregionen"])), ptr(oreStrategy(slugs["ore"]))} {
		if err := db.CreateStrategyPeriod(ctx, p); err != nil {
			return fmt.Errorf("demo strategy %s: %w", p.Years(), err)
		}
	}
	prog := osloregionenProgramme2017(slugs["osloregionen"], or.ID)
	if err := db.CreateProgramme(ctx, &prog); err != nil {
		return fmt.Errorf("demo action programme 2017: %w", err)
	}
	if err := loadBudget(ctx, db, slugs["osloregionen"]); err != nil {
		return err
	}
	if err := loadGoals(ctx, db, slugs["ore"]); err != nil {
		return err
	}
	return loadCycle(ctx, db, slugs["osloregionen"])
}

// loadCycle stores Osloregionen's plan and budget process as the action
// programme describes it (chapter 3), and records that the board's meeting
// of 6 December 2016 adopted the programme for 2017.
func loadCycle(ctx context.Context, db *store.DB, allianceID int64) error {
	bodies := map[string]int64{}
	for _, slug := range []string{"samarbeidsradet", "styret"} {
		b, err := db.BodyBySlug(ctx, allianceID, slug)
		if err != nil {
			return fmt.Errorf("demo cycle: %w", err)
		}
		bodies[slug] = b.ID
	}
	steps := []samrad.CycleStep{
		{Kind: samrad.CycleAnnualReport, BodyID: bodies["styret"], Month: 3, LastMonth: 3,
			TitleNB: "Styret godkjenner årsrapport og regnskap", TitleEN: "The board approves the annual report and accounts"},
		{Kind: samrad.CycleReportToBody, BodyID: bodies["samarbeidsradet"], Month: 5, LastMonth: 6,
			TitleNB: "Årsrapport og regnskap legges fram for rådet til orientering", TitleEN: "The annual report and accounts are presented to the council"},
		{Kind: samrad.CycleFee, BodyID: bodies["samarbeidsradet"], Month: 5, LastMonth: 6,
			TitleNB: "Samarbeidsrådet vedtar kontingent for kommende år, evt. nye strategiske føringer", TitleEN: "The council sets next year's fee and, if any, new strategic directions"},
		{Kind: samrad.CycleProgramme, BodyID: bodies["styret"], Month: 11, LastMonth: 12,
			TitleNB: "Styret vedtar handlingsprogram og budsjett", TitleEN: "The board adopts the action programme and budget"},
	}
	for i := range steps {
		steps[i].AllianceID = allianceID
		if err := db.AddCycleStep(ctx, &steps[i]); err != nil {
			return fmt.Errorf("demo cycle: %w", err)
		}
	}
	meetings, err := db.Meetings(ctx, bodies["styret"])
	if err != nil {
		return err
	}
	for _, m := range meetings {
		if m.Start.Format("2006-01-02") == "2016-12-06" {
			return db.RecordCycleStep(ctx, allianceID, samrad.CycleRecord{StepID: steps[3].ID, Year: 2016, MeetingID: m.ID, DoneOn: samrad.MustDate("2016-12-06")})
		}
	}
	return fmt.Errorf("demo cycle: no board meeting on 6 December 2016")
}

// loadGoals stores Bærum's four goals for its membership of ORE, as the
// municipality describes them (members as of 1 January 2021).
func loadGoals(ctx context.Context, db *store.DB, oreID int64) error {
	reg, err := db.Registry(ctx)
	if err != nil {
		return err
	}
	baerum, ok := reg.AtDate("3024", samrad.MustDate("2021-01-01"))
	if !ok {
		return fmt.Errorf("demo goals: no Bærum (3024) in the registry")
	}
	for _, text := range []string{
		"Økt deltakelse i europeisk samarbeid gjennom EUs programmer for forskning, innovasjon og utveksling",
		"Økt kompetanse om politikkutforming og regelverksutvikling i EU på viktige samfunnsområder",
		"Økt synlighet gjennom medlemskap i nettverk innenfor prioriterte politikk- og utviklingsområder og kontakt om felles utviklingsbehov med byer/kommuner",
		"Økt samarbeid om internasjonalisering med kommuner og fylker i hovedstadsregionen",
	} {
		g := samrad.MemberGoal{AllianceID: oreID, Org: baerum, Text: text, FromYear: 2021, Source: SourceORE}
		if err := db.AddMemberGoal(ctx, &g); err != nil {
			return fmt.Errorf("demo goals: %w", err)
		}
	}
	return nil
}

// loadBudget stores what the action programme says of the 2017 budget:
// the fee income, computed from the fee decision (NOK 1.50 per inhabitant,
// Oslo double). The document gives the income frame, the frame for
// projects and the funds carried over as "x,x mill.", so the demo has no
// figures for them. The 2017 fees use the population on 1 January 2016,
// which the shipped statistics do not hold, so the budget says so; 2019's
// fee income, from the 2018 figures that are shipped, shows the
// computation.
func loadBudget(ctx context.Context, db *store.DB, allianceID int64) error {
	notes := map[int]string{
		2017: "Kontingenten for 2017 ble fastsatt av Samarbeidsrådet i mai 2016: kr 1,50 per innbygger i kommunene og fylkeskommunene, " +
			"dobbel kontingent for Oslo kommune. Handlingsprogrammet oppgir inntektsrammen, rammen til prosjekter og utviklingstiltak " +
			"og overførte midler fra 2016 som «x,x mill.»; de er derfor ikke lagt inn her.",
		2019: "Bare kontingentinntekten, beregnet fra folketallet 1. januar 2018 (SSB) med samme sats. Kildene har ingen andre beløp for 2019.",
	}
	for _, year := range []int{2017, 2019} {
		b := samrad.Budget{AllianceID: allianceID, Year: year, Note: notes[year]}
		if year == 2017 {
			b.AdoptedBy = "Styret"
		}
		if err := db.SaveBudget(ctx, &b); err != nil {
			return fmt.Errorf("demo budget %d: %w", year, err)
		}
		fees := samrad.BudgetLine{Account: "3100", Category: samrad.BudgetFees, Title: "Medlemskontingent"}
		if err := db.SetBudgetLine(ctx, allianceID, year, &fees); err != nil {
			return fmt.Errorf("demo budget %d: %w", year, err)
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

func osloregionenStrategy(allianceID int64) samrad.StrategyPeriod {
	return samrad.StrategyPeriod{AllianceID: allianceID, FirstYear: 2017, LastYear: 2020, Source: SourceOsloregionen,
		Title:  "Strategiske føringer og tematiske innsatsområder vedtatt i Samarbeidsrådet 2016",
		Vision: "Osloregionen skal være en konkurransedyktig og bærekraftig region i Europa.",
		VisionText: "Visjonen skal underbygges med flerkjernet utvikling basert på ulike regionale fortrinn, kvaliteter og muligheter, " +
			"sterkere byer/byklynger, og samordnede areal og transportløsninger som ivaretar klima og miljø.",
		Roles: []string{
			"skape møteplasser og nettverk",
			"styrke felles identitet",
			"drive erfaringsoverføring og kunnskapsutvikling",
			"utvikle felles holdninger og strategier",
			"ha dialog med og påvirke nasjonale myndigheter",
			"samarbeide og bygge nettverk med andre organisasjoner",
		},
		FocusAreas: []samrad.FocusArea{
			{Number: 1, Title: "Areal, transport og klima/miljø",
				Intro: "Følge opp revidert versjon av «Samordnet areal- og transportstrategi for Osloregionen» (2016) innenfor temaene:",
				Activities: []string{
					"Dialog og samarbeid knyttet til oppfølging av strategien i regionale og kommunale planer og avtaler",
					"Påvirkning og dialog knyttet til nasjonale rammebetingelser. Virkemidler for flerkjernet utvikling, klimavennlige transportløsninger og reell samordning mellom transportprioriteringer og areal- og byutvikling vil bli spesielt vektlagt",
					"internasjonalt samarbeid om transportløsninger til utlandet",
					"Samarbeid, samordning og læring, både internt i Osloregionen og i samarbeid med eksterne aktører regionalt, nasjonalt og internasjonalt",
					"Løpende vurdering av behovet for nye regionale utredninger på fylkesovergripende nivå",
				}},
			{Number: 2, Title: "Verdiskaping og kompetanse",
				Activities: []string{
					"Kartlegge regionale styrker i regionen",
					"Støtte opp rundt utvikling av næringsklynger, byer som regionale vekstmotorer og andre territorielt baserte strategier for næringsutvikling",
					"Arbeide for bedre samarbeid om virkemiddelbruk og næringspolitikk innenfor Osloregionen",
					"Arbeide for å styrke samarbeidet med universiteter, høyskoler og forskningsinstitusjoner som regionale strategiske aktører",
				}},
			{Number: 3, Title: "Felles internasjonal profilering av Osloregionen",
				Intro: "Følge opp «Internasjonal profileringstrategi for Osloregionen» (2015) gjennom å:",
				Activities: []string{
					"Utvikle samarbeidet innenfor Oslo Brand Alliance",
					"Kartlegge kvaliteter og mobilisere aktører i regionen som kan være ressurser i den internasjonale profileringen av Osloregionen",
				}},
		},
	}
}

func vestregionenStrategy(allianceID int64) samrad.StrategyPeriod {
	return samrad.StrategyPeriod{AllianceID: allianceID, FirstYear: 2015, LastYear: 2018, Source: SourceVestregionen,
		Title: "Strategisk plattform 2015–2018",
		VisionText: "Vestregionen skal både være en regional utviklingsaktør og en interessepolitisk aktør som skal «opptre som en samstemt " +
			"premissleverandør og høringsinnstans i forhold til nasjonale satsinger og føringer som vil ha konsekvenser for regionen».",
		FocusAreas: []samrad.FocusArea{
			{Number: 1, Title: "Regional utvikling",
				Intro: "Hovedfokuset er rettet mot regionens areal- og transportutfordringer; hvordan Vestregionen kan bidra til et mer bærekraftig transportsystem og økt fokus på mobilitet i kommunenes områdeutvikling (bo- og næringsområder)."},
			{Number: 2, Title: "Helse"},
			{Number: 3, Title: "Kultur"},
		},
	}
}

func oreStrategy(allianceID int64) samrad.StrategyPeriod {
	return samrad.StrategyPeriod{AllianceID: allianceID, FirstYear: 2017, LastYear: 2021, Source: SourceORE000,
		Title: "Fokusområder 2017–2021",
		VisionText: "Osloregionens Europakontor skal bidra til å knytte Osloregionen nærmere Europa, og skape nye muligheter for innovasjon, " +
			"regional utvikling og verdiskapning hos medlemmene gjennom europeisk samarbeid.",
		FocusAreas: []samrad.FocusArea{{Number: 1, Title: "Det grønne skiftet"}, {Number: 2, Title: "Inkluderende samfunn"}},
	}
}

// osloregionenProgramme2017 is "4.2 Tiltak 2017" of the programme, every
// measure with its timeframe, responsibility and content as written.
func osloregionenProgramme2017(allianceID, periodID int64) samrad.Programme {
	tf := samrad.ParseTimeframe
	const ostland = "Østlandssamarbeidet"
	return samrad.Programme{AllianceID: allianceID, Year: 2017, PeriodID: periodID, Title: "Handlingsprogram 2017",
		AdoptedOn: samrad.MustDate("2016-12-06"), AdoptedBy: "styret", Source: SourceOsloregionen,
		// Chapter 5, "Økonomiske rammer og fordeling av utviklingsmidler
		// 2017", as written: the amounts are "x,x mill." in the source.
		Economy: "Samarbeidsrådet behandlet sak om medlemskontingent 2017 i møte den xx. mai 2016 (sak x/16). " +
			"Medlemskontingenten for 2017 ble fastsatt til kr 1,50 pr. innbygger i kommunene og fylkeskommunene, med dobbel kontingent for Oslo kommune. " +
			"Dette gir en inntektsramme på x,x mill. kroner. Fratrasket andel av inntektene som går til faste driftsutgifter (lønn/kontorleie/drift) " +
			"samt informasjon og møteutgifter til styre og råd, har samarbeidsalliansen en ramme på i størrelsesorden x,x mill. kroner til prosjekter " +
			"og utviklingstiltak i 2017. I tillegg kommer overføring av ubrukte midler fra 2016 og tidligere år, på i størrelsesorden x,x mill. kroner. " +
			"Konkret prioritering av midler er beskrevet i forslag til budsjett 2017.",
		Sections: []samrad.Section{
			{Number: 1, Title: "Areal, transport og klima/miljø", Measures: []samrad.Measure{
				{Section: 1, Number: 1, Title: "Påvirkning av og dialog med statlige myndigheter om nasjonale rammebetingelser",
					Timeframe: tf("Løpende"), Responsible: "Sekretariatet. Arbeidet skjer i samarbeid med Østlandssamarbeidet", Partners: []string{ostland},
					Content: []string{
						"Tema: Virkemidler for flerkjernet utvikling, klimavennlige transportløsninger og reell samordning mellom transportprioriteringer og areal- og byutvikling vil bli spesielt vektlagt.",
						"Prosess: Påvirkning av og dialog med regjering og Storting, først og fremst knyttet til behandling og oppfølging av St.meld. om NTP 2018-2029 og St.meld. om bærekraftige byer og sterke distrikter.",
						"Samarbeid: Arbeidet vil skje i tett samarbeid med Østlandssamarbeidet.",
					}, SeeAlso: []string{"4.1"}},
				{Section: 1, Number: 2, Title: "Avklare innhold i tettere samarbeid mellom Osloregionen og Østlandssamarbeidet",
					Timeframe: tf("2017-18"), Responsible: "Sekretariatet", Partners: []string{ostland},
					Content: []string{
						"Initiere et forprosjekt i samarbeid med Østlandssamarbeidet som avklarer innholdsmessige rammer for tettere samarbeid mellom de to organisasjonene på områdene areal, transport og klima/miljø. Forprosjektet vil bl.a. omfatte dialog med staten om evt. samarbeid i utredningsfasen i neste NTP-rullering og rammer for neste generasjons strategidokumenter for Østlandet, jfr. dagens «Østlandspakka» og «Samordnet areal- og transportstrategi for Osloregionen».",
					}},
				{Section: 1, Number: 3, Title: "Samhandling for økt kompetanse og læring",
					Timeframe: tf("Løpende"), Responsible: "Sekretariatet; Faggruppe for areal og transport; etablering av bynettverk m.m.",
					Content: []string{
						"Samarbeide med relevante kompetansemiljøer, bl.a. ved å understøtte FoU-prosjekter der Osloregionens fagmiljø innen areal, transport og byutvikling brukes som referanse-/ressursmiljø. FoU-prosjekter knyttet til Norges forskningsråds BYFORSK vil være spesielt relevante i tiden fremover.",
						"Formidle resultater fra FoU-prosjekter og annet utviklingsarbeid.",
						"Videreutvikle nettverk som arbeidsform, i første omgang gjennom nettverk på faglig/administrativt nivå for mellomstore byer i Osloregionen.",
					},
					Intro: "Om BYFORSK: BYFORSK er et forskningsprogram i regi av Norges forskningsråd som skal frembringe ny innsikt og nye løsninger som bidrar til attraktive, bærekraftige og økonomisk levedyktige byområder. Osloregionen er faglig partner i et knippe prosjektsøknader som alle har en tematikk som er svært relevant for oppfølging av mål og strategier i «Samordnet areal- og transportstrategi for Osloregionen». Den økonomiske rammen for BYFORSK er drøyt 70 mill. kr. Søknadsfristen var i slutten av november 2016, og lansering av prioriterte prosjekter skjer i mai 2017."},
			}},
			{Number: 2, Title: "Verdiskaping og kompetanse", Measures: []samrad.Measure{
				{Section: 2, Number: 1, Title: "Kartlegge regionale styrker og offentlige virkemidler for innovasjon og næringsutvikling i Osloregionen",
					Timeframe: tf("2016 - 2018"), Responsible: "Sekretariatet/Faggruppe profilering, verdiskaping, kompetanse, Samarbeid med Østlandssamarbeidet og Osloregionens Europakontor",
					Partners: []string{ostland, "Osloregionens Europakontor"},
					Content: []string{
						"Gjennomføre kartleggingsprosjekt som ser på de sterkeste nærings-, innovasjons- og kompetansemiljøene i regionen, samt hvordan offentlige virkemidler på lokalt, regionalt og nasjonalt nivå er rettet inn mot disse.",
						"Legge frem sak til styre om prosjekt innenfor Smart spesialisering på Østlandet",
						"Eventuelt igangsette Smart spesialiseringsprosjekt for Østlandet",
						"Gi innspill til nasjonale myndigheter om næringspolitikk som bidrar til å styrke Osloregionen og en flerkjernet utvikling på Østlandet, bl.a. i oppfølgingen av St. meld om bærekraftige byer og sterke distrikter.",
					}},
				{Section: 2, Number: 2, Title: "Styrke samarbeidet med universiteter og høyskoler som regionale strategiske aktører",
					Timeframe: tf("2017"), Responsible: "Sekretariatet",
					Content: []string{
						"Gjennomføre en enkel kartlegging av universitetenes og høyskolenes roller som regionale strategiske aktører, avdekke områder hvor vi har felles interesse av samarbeid. Eventuelt kartlegge omfanget av samarbeidsprosjekter mellom institusjonene og kommunene og fylkeskommunene i regionen.",
						"Innlede dialog med institusjonene om mulige samarbeidsområder",
					}},
				{Section: 2, Number: 3, Title: "Styrke samarbeidet om offentlige og private om innovasjon i Osloregionen",
					Timeframe: tf("1. kvartal 2017"), Responsible: "Sekretariatet i samarbeid med Nasjonalt program for leverandørutvikling og Østlandssamarbeidet",
					Partners: []string{"Nasjonalt program for leverandørutvikling", ostland},
					Content: []string{
						"Gjennomføre konferanse om innovasjon gjennom offentlige anskaffelser knyttet til bærekraftige plan- og byggeprosesser i samarbeid med Østlandssamarbeidet og Nasjonalt program for leverandørutvikling.",
						"Eventuelt gjennomføre konferanse om innovative offentlige anskaffelser innenfor velferdsteknologi/helseteknologi i samarbeid med bl.a. Oslo Medtech.",
					}},
			}},
			{Number: 3, Title: "Felles internasjonal profilering av Osloregionen", Measures: []samrad.Measure{
				{Section: 3, Number: 1, Title: "Styrke samarbeidet om profilering gjennom Oslo Brand Alliance (OBA)",
					Timeframe: tf("Løpende"), Responsible: "Sekretariatet i samarbeid med Oslo Business Region og VisitOSLO",
					Partners: []string{"Oslo Business Region", "VisitOSLO"},
					Content: []string{
						"Bidra i oppfølgingen av vedtatt budsjett og handlingsplan for OBA for 2017",
						"Arbeide for å løfte frem profileringsprosjekter fra hele Osloregionen",
						"Arbeide for at flere medlemmer i Osloregionen velger å være Oslo Brand Partners og derigjennom delta i samarbeidet om og finansieringen av internasjonal profilering av Osloregionen",
						"Tilrettelegge arenaer for Oslo Brand Partners for innspill og påvirkning av arbeidet innenfor OBA",
						"Delta i videreutviklingen av oslobrandbox.no. Gjennomføre prosjekt for å øke tilfanget av fotografier og filmer fra regionen som er «on brand»",
						"Utrede ny organisasjonsmodell for OBA med sikte på implementering fra 1. januar 2018",
					}},
				{Section: 3, Number: 2, Title: "Kartlegge kvaliteter og mobilisere aktører i regionen",
					Timeframe: tf("2017"), Responsible: "Sekretariatet/Faggruppe for Profilering, verdiskapning, kompetanse",
					Content: []string{
						"Etablere nettverk som kan være med og fremme profileringsarbeidet i regionen, bl.a. lokale omdømmeprosjekter, reiseliv (VisitOSLOregionen), pr/kommunikasjonsmiljøer, media mm.",
						"Utvikle profileringsprosjekter og strategiarbeid sammen med næringsklynger og næringsnettverk i Osloregionen. Samarbeide med Innovasjon Norges klyngeprogram",
						"Benytte kartleggingen i punkt 2.1. til å lage en strategisk plan for profilering av sterke internasjonale næringer og miljøer i regionen",
						"Arbeide for at relevante stakeholdere synliggjør sin tilhørighet til Oslo eller Osloregionen",
					}},
			}},
			{Number: 4, Title: "Interessepolitisk arbeid", Measures: []samrad.Measure{
				{Section: 4, Number: 1, Title: "Påvirkning av nasjonale rammebetingelser og prioriteringer innenfor Osloregionens satsingsområder",
					Timeframe: tf("Løpende"), Responsible: "Sekretariatet og Politisk ad hoc-gruppe for interessepolitikk. Samarbeid med Østlandssamarbeidet.",
					Partners: []string{ostland},
					Intro:    "I 2016 nedsatte Osloregionens styre en politisk ad hoc gruppe for interessepolitisk arbeid (sammensetning: Raymond Johansen, Tage Pettersen, Lise Selnes, Siv Jacobsen og Lars Salvesen), som har i oppgave å definere Osloregionens interessepolitiske rolle, utvikle strategier for gjennomslag i prioriterte saker og avklare rammer for et tettere interessepolitisk samarbeid med Østlandssamarbeidet (styresak 47/16).",
					Content: []string{
						"Styregodkjenning av mandat og milepælsplan for arbeidet i politisk ad hoc gruppe for interessepolitisk arbeid (januar/februar).",
						"Gjennomføre aktiviteter knyttet til vedtatt milepælsplan.",
					}, SeeAlso: []string{"1.1"}},
			}},
			{Number: 5, Title: "Kommunikasjon og regional identitetsbygging", Measures: []samrad.Measure{
				{Section: 5, Number: 1, Title: "Drive formidling knyttet til Osloregionens satsingsområder",
					Timeframe: tf("Løpende"), Responsible: "Sekretariatet i samarbeid med Faggruppe for areal og transport og Faggruppe for profilerings, verdiskapning og kompetanse",
					Content: []string{
						"Utarbeide informasjonsmaterieil om revidert versjon av «Samordnet areal- og transportstrategi for Osloregionen» (ATP-strategi)",
						"Etablere arenaer og involvere aktører i Osloregionen slik at profileringsarbeidet omfatter hele regionen",
						"Drive formidlingsarbeid i medlemsorganisasjonene og andre relevante fora",
						"Reise relevante problemstillinger knyttet til vedtatte strategidokumenter til debatt, både i eksterne og interne fora.",
						"Styrke og synliggjøre samarbeidet med andre organisasjoner om arbeid innenfor Osloregionens prioriterte satsingsområder",
						"Anmode kommuner og fylkeskommuner om å synliggjøre at de er med i Osloregionen på sine websider",
					}},
				{Section: 5, Number: 2, Title: "BEST 2017/2018",
					Timeframe: tf("16.02.2017"), Responsible: "Egen programkomite. Samarbeid med NHO", Partners: []string{"NHO"},
					Content: []string{
						"Gjennomføre BEST- konferansen 16. februar 2017 med fokus på bypolitikk og byutvikling",
						"Starte planlegging av BEST-konferansen 2018",
					}},
			}},
		}}
}
