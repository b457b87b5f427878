package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/pdftext"
	"github.com/samrad/samrad/store"
)

// Sources of the governance demo.
const (
	SourceOREBoard = "Bærum kommune: omtale av medlemskap i Osloregionens Europakontor (daglig leder og styre)"
	SourceORE001   = "Osloregionens Europakontor: Kontaktgruppesamling i Bærum med fagseminar (28.1.2020)"
)

type seatSpec struct {
	person     string
	title      string
	represents string // organisation code, "" for none
	role       samrad.SeatRole
}

type bodySpec struct {
	samrad.Body
	parent string
	seats  []seatSpec
}

func loadGovernance(ctx context.Context, db *store.DB) error {
	reg, err := db.Registry(ctx)
	if err != nil {
		return err
	}
	people := map[string]samrad.Person{}
	person := func(name, title string) (samrad.Person, error) {
		if p, ok := people[name]; ok {
			return p, nil
		}
		p := samrad.Person{Name: name, Title: title}
		if err := db.CreatePerson(ctx, &p); err != nil {
			return p, err
		}
		people[name] = p
		return p, nil
	}
	for _, g := range governance() {
		a, err := db.AllianceBySlug(ctx, g.alliance)
		if err != nil {
			return err
		}
		ids := map[string]int64{}
		for _, bs := range g.bodies {
			b := bs.Body
			b.AllianceID, b.ParentID, b.Source = a.ID, ids[bs.parent], g.source
			if err := db.CreateBody(ctx, &b); err != nil {
				return fmt.Errorf("demo body %s/%s: %w", g.alliance, b.Slug, err)
			}
			ids[b.Slug] = b.ID
			for _, ss := range bs.seats {
				p, err := person(ss.person, ss.title)
				if err != nil {
					return err
				}
				s := samrad.Seat{BodyID: b.ID, Person: p, Role: ss.role, AttestedOn: g.attested, Source: g.source}
				if ss.represents != "" {
					o, ok := reg.AtDate(ss.represents, g.attested)
					if !ok {
						return fmt.Errorf("demo seat of %s: %s not in the registry on %s", ss.person, ss.represents, g.attested)
					}
					s.Represents = o
				}
				if err := db.AddSeat(ctx, &s); err != nil {
					return fmt.Errorf("demo seat of %s in %s: %w", ss.person, b.Slug, err)
				}
			}
		}
		for _, r := range g.rotations {
			r.AllianceID, r.Source = a.ID, g.source
			o, ok := reg.AtDate(r.Org.Code, r.From)
			if !ok {
				return fmt.Errorf("demo rotation: %s not in the registry", r.Org.Code)
			}
			r.Org = o
			if err := db.AddRotation(ctx, &r); err != nil {
				return err
			}
		}
		for _, ms := range g.meetings {
			m := ms.Meeting
			m.BodyID = ids[ms.body]
			if err := db.CreateMeeting(ctx, &m); err != nil {
				return fmt.Errorf("demo meeting of %s: %w", ms.body, err)
			}
		}
		for _, c := range g.cases {
			c.AllianceID = a.ID
			if err := db.CreateCase(ctx, &c); err != nil {
				return fmt.Errorf("demo case %d/%d: %w", c.Number, c.Year, err)
			}
			for _, cd := range g.documents {
				if cd.year != c.Year || cd.number != c.Number {
					continue
				}
				b, err := data.ReadFile("data/" + cd.file)
				if err != nil {
					return err
				}
				doc := samrad.Document{AllianceID: a.ID, CaseID: c.ID, Title: cd.title, Filename: cd.file}
				ct, err := samrad.DetectDocumentType(cd.file, b)
				if err != nil {
					return fmt.Errorf("demo document %s: %w", cd.file, err)
				}
				if doc.Text, err = pdftext.FromFile(ct, b, samrad.MaxDocumentText); err != nil {
					return fmt.Errorf("demo document %s: %w", cd.file, err)
				}
				if err := db.AddDocument(ctx, &doc, b); err != nil {
					return fmt.Errorf("demo document %s: %w", cd.file, err)
				}
			}
		}
	}
	return nil
}

type governanceSpec struct {
	alliance  string
	source    string
	attested  samrad.Date // the day the source describes the seats
	bodies    []bodySpec
	rotations []samrad.Rotation
	cases     []samrad.Case
	meetings  []meetingSpec
	documents []caseDocument
}

// caseDocument is a file of the seed documents attached to a case.
type caseDocument struct {
	year, number int
	title, file  string
}

type meetingSpec struct {
	body string
	samrad.Meeting
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func governance() []governanceSpec {
	d := samrad.MustDate
	return []governanceSpec{
		{
			alliance: "ore", source: SourceOREBoard, attested: d("2021-01-01"),
			bodies: []bodySpec{
				{Body: samrad.Body{Slug: "arsmotet", NameNB: "Årsmøtet", NameEN: "Annual meeting", Kind: samrad.BodyAnnualMeeting, Voting: samrad.VoteOnePerMember,
					Mandate: "Foreningens årsmøte. Innkalling og referat publiseres på nettsiden."}},
				{Body: samrad.Body{Slug: "styret", NameNB: "Styret", NameEN: "The board", Kind: samrad.BodyBoard, Voting: samrad.VoteOnePerMember,
					CompositionRule: "Sju styremedlemmer, hvert på vegne av et medlem"}, parent: "arsmotet",
					seats: []seatSpec{
						{"Anne Marte Kolbjørnshus", "", "34", samrad.RoleChair},
						{"Marte Ingul", "", "0301", samrad.RoleMember},
						{"Siv Henriette Jacobsen", "", "30", samrad.RoleMember},
						{"Lisbeth Hammer Krog", "ordfører i Bærum", "3024", samrad.RoleMember},
						{"Kåre Pettersen", "", "38", samrad.RoleMember},
						{"Mizanur Rahaman", "", "3405", samrad.RoleMember},
						{"Yngve Foss", "", "oslomet", samrad.RoleMember},
					}},
				{Body: samrad.Body{Slug: "sekretariatet", NameNB: "Sekretariatet", NameEN: "The secretariat", Kind: samrad.BodySecretariat,
					Mandate: "Kontor i Brussel med avdelingskontor i Oslo, under daglig leders ledelse."},
					seats: []seatSpec{{"Gunnar Selvik", "direktør", "", samrad.RoleDirector}}},
				{Body: samrad.Body{Slug: "kontaktgruppen", NameNB: "Kontaktgruppen", NameEN: "The contact group", Kind: samrad.BodyContactGroup,
					Mandate: "Samlinger hos medlemmene med fagseminar og innspill til handlingsplanen."}},
			},
			meetings: []meetingSpec{{body: "kontaktgruppen", Meeting: samrad.Meeting{Year: 2020, Start: day("2020-01-23"), End: day("2020-01-24"), DateOnly: true,
				Place: "Kunnskapssenteret i Sandvika (vertskap: Bærum kommune)", Status: samrad.MeetingHeld, Source: SourceORE001}}},
		},
		{
			alliance: "osloregionen", source: SourceOsloregionen, attested: d("2017-01-01"),
			bodies: []bodySpec{
				{Body: samrad.Body{Slug: "samarbeidsradet", NameNB: "Samarbeidsrådet", NameEN: "The council", Kind: samrad.BodyCouncil, Voting: samrad.VoteOnePerMember,
					Mandate: "Osloregionens høyeste organ, ledes av styrets leder. Fastlegger strategier for samarbeidet og vedtar kontingent for kommende år (mai/juni).",
					Meets:   "Én gang hvert kalenderår"}},
				{Body: samrad.Body{Slug: "styret", NameNB: "Styret", NameEN: "The board", Kind: samrad.BodyBoard, Voting: samrad.VoteOnePerMember,
					Mandate:         "Utøvende organ mellom møtene i samarbeidsrådet. Iverksetter rådets beslutninger og vedtar årlig handlingsprogram og budsjett (november/desember); godkjenner årsrapport og regnskap (mars).",
					CompositionRule: "Oslo kommune, fylkeskommunene og delregionene innen hvert fylke har én representant hver"}, parent: "samarbeidsradet"},
				{Body: samrad.Body{Slug: "sekretariatet", NameNB: "Sekretariatet", NameEN: "The secretariat", Kind: samrad.BodySecretariat,
					Mandate: "Sekretariatsansvar for samarbeidsrådet, styret og øvrige grupper; løpende plan- og budsjettansvar."}},
				{Body: samrad.Body{Slug: "koordineringsgruppen", NameNB: "Koordineringsgruppen", NameEN: "The coordination group", Kind: samrad.BodyCoordination,
					Mandate:         "Bidra til helhetlige strategier, forankre arbeidet i medlemsorganisasjonene og målbære innspill fra medlemmene.",
					CompositionRule: "Representanter fra Oslo kommune og de deltakende fylkeskommunene og delregionene"}},
				{Body: samrad.Body{Slug: "faggruppe-areal-og-transport", NameNB: "Faggruppe for areal og transport", Kind: samrad.BodyExpertGroup,
					Mandate: "Strategiutvikling og utredningsoppdrag på oppdrag fra styret.", CompositionRule: "Medlemmer fra fylkeskommunene, Oslo kommune og delregionene"}},
				{Body: samrad.Body{Slug: "faggruppe-profilering-verdiskaping-kompetanse", NameNB: "Faggruppe for profilering, verdiskaping og kompetanse", Kind: samrad.BodyExpertGroup,
					Mandate: "Strategiutvikling og utredningsoppdrag på oppdrag fra styret.", CompositionRule: "Medlemmer fra fylkeskommunene, Oslo kommune og delregionene"}},
				{Body: samrad.Body{Slug: "politisk-ad-hoc-gruppe", NameNB: "Politisk ad hoc-gruppe for interessepolitisk arbeid", NameEN: "Political ad hoc group on interest policy", Kind: samrad.BodyAdHocGroup,
					Mandate: "Nedsatt av styret i 2016 (styresak 47/16): definere Osloregionens interessepolitiske rolle, utvikle strategier for gjennomslag i prioriterte saker og avklare rammer for tettere interessepolitisk samarbeid med Østlandssamarbeidet."},
					parent: "styret",
					seats: []seatSpec{
						{"Raymond Johansen", "", "", samrad.RoleMember},
						{"Tage Pettersen", "", "", samrad.RoleMember},
						{"Lise Selnes", "", "", samrad.RoleMember},
						{"Siv Jacobsen", "", "", samrad.RoleMember},
						{"Lars Salvesen", "", "", samrad.RoleMember},
					}},
			},
			meetings: []meetingSpec{{body: "styret", Meeting: samrad.Meeting{Year: 2016, Start: day("2016-12-06"), DateOnly: true,
				Status: samrad.MeetingHeld, Source: SourceOsloregionen + " (handlingsprogrammet godkjent i styremøtet)"}}},
			cases: []samrad.Case{{Year: 2016, Number: 47, Title: "Politisk ad hoc-gruppe for interessepolitisk arbeid", Type: samrad.CaseDecision,
				Presentation: "Styret nedsatte en politisk ad hoc-gruppe for interessepolitisk arbeid, med oppgave å definere Osloregionens interessepolitiske rolle, utvikle strategier for gjennomslag i prioriterte saker og avklare rammer for et tettere interessepolitisk samarbeid med Østlandssamarbeidet.",
				Source:       SourceOsloregionen + ", tiltak 4.1"},
				// Chapter 5 of the programme reports the council's fee decision
				// without its day or number ("xx. mai 2016", "sak x/16"): the
				// case gets the next number of the alliance's series, no meeting
				// is made up for it, and the presentation says so.
				{Year: 2016, Title: "Medlemskontingent 2017", Type: samrad.CaseDecision,
					Presentation: "Samarbeidsrådet vedtar i sitt årlige møte i mai/juni kontingent for kommende år. " +
						"Rådet behandlet sak om medlemskontingent 2017 i møte i mai 2016. Kilden oppgir verken møtedagen («xx. mai 2016») " +
						"eller saksnummeret («sak x/16»); nummeret her er neste ledige i Osloregionens saksnummerserie, og møtet er ikke registrert fordi datoen er ukjent.",
					Decision: "Medlemskontingenten for 2017 ble fastsatt til kr 1,50 pr. innbygger i kommunene og fylkeskommunene, med dobbel kontingent for Oslo kommune.",
					Source:   SourceOsloregionen + ", kap. 3 og 5"}},
		},
		{
			alliance: "vestregionen", source: SourceVestregionen, attested: d("2017-07-01"),
			bodies: []bodySpec{
				{Body: samrad.Body{Slug: "generalforsamlingen", NameNB: "Generalforsamlingen", NameEN: "The general assembly", Kind: samrad.BodyGeneralAssembly,
					Mandate: "Vestregionens øverste formelle organ.", CompositionRule: "Formannskapene i kommunene og fylkesutvalgene", Meets: "Årlig"}},
				{Body: samrad.Body{Slug: "styringsgruppen", NameNB: "Styringsgruppen", NameEN: "The steering group", Kind: samrad.BodySteeringGroup,
					Mandate: "Vestregionens høyeste organ mellom generalforsamlingene.", CompositionRule: "Alliansens ordførere og fylkesordførere"}, parent: "generalforsamlingen"},
				{Body: samrad.Body{Slug: "radmannsgruppen", NameNB: "Rådmannsgruppen", NameEN: "The chief executives' group", Kind: samrad.BodyChiefExecutives,
					Mandate: "Forbereder og fremmer saker til styringsgruppen i samarbeid med sekretariatet, og deltar i styringsgruppens møter."}, parent: "styringsgruppen"},
				{Body: samrad.Body{Slug: "sekretariatet", NameNB: "Sekretariatet", NameEN: "The secretariat", Kind: samrad.BodySecretariat,
					Mandate: "Sekretariatet disponerer 4,2 årsverk."}},
			},
			rotations: []samrad.Rotation{{Org: samrad.Organisation{Code: "0219"}, Duty: "leadership", From: d("2017-07-01"), To: d("2018-12-31")}},
			cases: []samrad.Case{{Year: 2017, Number: 24, Title: "Videreføring av Vestregionsamarbeidet etter 2018?", Type: samrad.CaseDiscussion,
				Presentation: "Vedlegg til diskusjonsnotat: organisering, samarbeidsgrunnlag, vedtatte innsatsområder (regional utvikling, helse og kultur) og Vestregionens nettverk, prosjekter og samarbeidsavtaler.",
				Source:       SourceVestregionen}},
			// The seed document is this case's attachment, as its first line says.
			documents: []caseDocument{{year: 2017, number: 24, title: "Vedlegg til diskusjonsnotat", file: "sak-24-2017-vedlegg.txt"}},
		},
	}
}
