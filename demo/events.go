package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

type speakerSpec struct {
	name, role, org string // name "" for a group, such as the secretariat
}

type sessionSpec struct {
	day      string
	title    string
	topic    string
	speakers []speakerSpec
}

type eventSpec struct {
	alliance, body, host string // host: organisation code, valid on the first day
	samrad.Event
	sessions      []sessionSpec
	registrations []samrad.Registration
}

const (
	ore          = "Osloregionens Europakontor"
	baerum       = "Bærum kommune"
	viken        = "Viken fylkeskommune"
	secretariat  = "Sekretariatet i Osloregionens Europakontor"
	membersOfORE = "Medlemmene i Osloregionens Europakontor"
)

func events() []eventSpec {
	d := samrad.MustDate
	return []eventSpec{
		{
			alliance: "ore", body: "kontaktgruppen", host: "3024",
			Event: samrad.Event{Slug: "kontaktgruppesamling-baerum-2020", TitleNB: "Kontaktgruppesamling i Bærum med fagseminar",
				TitleEN:       "Contact group gathering in Bærum with a seminar",
				DescriptionNB: "Bærum kommune var vertskap for årets første kontaktgruppesamling, med bærekraft og omstilling på agendaen. Første dag var et fagseminar for kontaktgruppen i Kunnskapssenteret i Sandvika; andre dag orienteringer fra medlemmene og sekretariatet og medlemmenes innspill til handlingsplanen for det neste året.",
				DescriptionEN: "Bærum municipality hosted the year's first contact group gathering, with sustainability and transition on the agenda. Day one was a seminar for the contact group at Kunnskapssenteret in Sandvika; day two had briefings from the members and the secretariat, and the members' input to next year's action plan.",
				Venue:         "Kunnskapssenteret i Sandvika", Published: true, Source: SourceORE001,
				Days: []samrad.EventDay{{Date: d("2020-01-23")}, {Date: d("2020-01-24")}},
				Registration: samrad.RegistrationSettings{
					Fields: []string{samrad.AskOrganisation, samrad.AskDiet, samrad.AskAccessibility, samrad.AskSessions},
					// The demo keeps its example participants for as long as
					// the rules allow, so that the lists have something to show.
					RetentionDays: 3650,
					ConsentNB:     "Vi bruker navnet og e-postadressen din til å administrere påmeldingen til kontaktgruppesamlingen.",
					ConsentEN:     "We use your name and e-mail address to handle your registration for the contact group gathering.",
				}},
			sessions: []sessionSpec{
				{"2020-01-23", "Velkommen", "Utviklings- og innovasjonsprosjekter i kommunen; samarbeid som forutsetning for å lykkes",
					[]speakerSpec{{"Lisbeth Hammer Krog", "ordfører", baerum}}},
				{"2020-01-23", "Bærum kommunes integreringsarbeid", "Integrering",
					[]speakerSpec{{"Gro Sværen Skansen", "seksjonsleder for arbeid og inkludering", baerum}}},
				{"2020-01-23", "FNs bærekraftmål som driver for omstilling", "Bærekraft",
					[]speakerSpec{{"Erik Kjeldstadli", "kommunedirektør", baerum}}},
				{"2020-01-23", "Bærekraftmålene sett fra et globalt perspektiv og fra Europakontorets perspektiv", "Bærekraft",
					[]speakerSpec{{"", "", secretariat}}},
				{"2020-01-23", "Nettverket Horisont Bærekraftig Osloregion", "Forskningssamarbeid",
					[]speakerSpec{{"Sindre Langaas", "forskningsleder", "NIVA"}}},
				{"2020-01-23", "Tjenestedesign og samskaping: «Livet i landsbyen»", "Tjenestedesign",
					[]speakerSpec{{"Øyvind Wee", "spesialrådgiver", baerum}, {"Hege Fossum", "spesialrådgiver og tjenestedesigner", baerum}}},
				{"2020-01-24", "Orienteringer fra medlemmene om strukturelle endringer som følge av kommunesammenslåinger og regionreform", "",
					[]speakerSpec{{"", "", membersOfORE}}},
				{"2020-01-24", "Aktuelle saker og politikkutvikling i EU/EØS", "EU/EØS",
					[]speakerSpec{{"Gunnar Selvik", "direktør", ore}}},
				{"2020-01-24", "Siste nytt om neste programperiode for EU-programmer og resultater for 2019", "EU-programmer",
					[]speakerSpec{{"", "", secretariat}}},
				{"2020-01-24", "Medlemmenes innspill til handlingsplanen for det neste året", "Handlingsplan",
					[]speakerSpec{{"", "", membersOfORE}}},
			},
			registrations: []samrad.Registration{
				{Name: "Kari Nordmann", Email: "kari.nordmann@example.no", Organisation: "Asker kommune", Diet: "Vegetar"},
				{Name: "Ola Hansen", Email: "ola.hansen@example.no", Organisation: "Lillestrøm kommune"},
				{Name: "Ingrid Berg", Email: "ingrid.berg@example.no", Organisation: "Innlandet fylkeskommune", Accessibility: "Trinnfri adkomst"},
				{Name: "Per Johansen", Email: "per.johansen@example.no", Organisation: "OsloMet"},
			},
		},
		{
			alliance: "osloregionen",
			// The action programme gives the day and the partner, not the
			// venue: "Oslo" and no address.
			Event: samrad.Event{Slug: "best-2017", TitleNB: "BEST-konferansen 2017", TitleEN: "The BEST conference 2017",
				DescriptionNB: "BEST-konferansen med fokus på bypolitikk og byutvikling, i samarbeid med NHO og med egen programkomité.",
				DescriptionEN: "The BEST conference, on urban policy and urban development, with NHO and a programme committee of its own.",
				Venue:         "Oslo", Published: true, Source: SourceOsloregionen + ", tiltak 5.2",
				Days: []samrad.EventDay{{Date: d("2017-02-16")}}},
		},
		{
			alliance: "viken-nettverk",
			// The source names 5 and 6 May but not the year; Viken county
			// existed 2020–2023, and the kick-off is taken to be in 2022.
			Event: samrad.Event{Slug: "oppstart-drammen", TitleNB: "Oppstart av kommunenettverket for internasjonalt arbeid",
				TitleEN:       "Kick-off of the municipal network for international work",
				DescriptionNB: "Kick off for Viken fylkeskommunes internasjonale kommunenettverk i Drammen, med fylkesordfører Roger Ryberg som innleder og 25 fremmøtte. Målet for den første samlingen var å gi innsikt i EUs programmer og finansieringsordninger.",
				DescriptionEN: "Kick-off of Viken county's international municipal network in Drammen, opened by county mayor Roger Ryberg, with 25 participants. The first gathering aimed to give insight into the EU's programmes and funding.",
				Venue:         "Drammen", Published: true, Source: SourceViken,
				Days: []samrad.EventDay{{Date: d("2022-05-05")}, {Date: d("2022-05-06")}}},
			// The source lists the programme without saying which day; it is
			// shown under the first.
			sessions: []sessionSpec{
				{"2022-05-05", "Innledning", "Internasjonale muligheter for samfunnsutvikling i egne kommuner",
					[]speakerSpec{{"Roger Ryberg", "fylkesordfører", viken}}},
				{"2022-05-05", "Hvordan styrke kommunens arbeid med ungdom og utdanning gjennom Erasmus+-programmet", "Erasmus+", nil},
				{"2022-05-05", "Hvordan bruke EØS-midlene til internasjonalt arbeid i egen kommune", "EØS-midler", nil},
				{"2022-05-05", "Hvordan søke internasjonale forprosjektmidler fra Viken fylkeskommune til å utvikle egne prosjekter", "Forprosjektmidler", nil},
				{"2022-05-05", "Hvordan bruke grenseregionale prosjekt til samfunnsutvikling i egen kommune", "Grenseregionale prosjekter (Interreg)", nil},
				{"2022-05-05", "Hvordan bruke innovasjonsmidler fra Horisont Europa", "Horisont Europa", nil},
			},
		},
	}
}

// loadEvents loads the events the sources describe, with their
// programmes. The gathering in Bærum gets a few example registrations,
// taken while it was open; every demo event is past, and so closed.
func loadEvents(ctx context.Context, db *store.DB) error {
	reg, err := db.Registry(ctx)
	if err != nil {
		return err
	}
	existing, err := db.People(ctx)
	if err != nil {
		return err
	}
	people := map[string]samrad.Person{}
	for _, p := range existing {
		people[p.Name] = p
	}
	for _, es := range events() {
		a, err := db.AllianceBySlug(ctx, es.alliance)
		if err != nil {
			return fmt.Errorf("demo event %s: %w", es.Slug, err)
		}
		e := es.Event
		e.AllianceID = a.ID
		if es.body != "" {
			b, err := db.BodyBySlug(ctx, a.ID, es.body)
			if err != nil {
				return err
			}
			e.BodyID = b.ID
		}
		if es.host != "" {
			o, ok := reg.AtDate(es.host, e.FirstDay())
			if !ok {
				return fmt.Errorf("demo event %s: host %s not in the registry", e.Slug, es.host)
			}
			e.HostOrgID = o.ID
		}
		if len(es.registrations) > 0 {
			e.Registration.Open = true
		}
		if err := db.CreateEvent(ctx, &e); err != nil {
			return fmt.Errorf("demo event %s: %w", e.Slug, err)
		}
		var sessionIDs []int64
		for _, ss := range es.sessions {
			s := samrad.Session{EventID: e.ID, Day: samrad.MustDate(ss.day), TitleNB: ss.title, Topic: ss.topic}
			if err := db.AddSession(ctx, a.ID, &s); err != nil {
				return fmt.Errorf("demo session %q: %w", ss.title, err)
			}
			sessionIDs = append(sessionIDs, s.ID)
			for _, sp := range ss.speakers {
				speaker := samrad.Speaker{Person: people[sp.name], Role: sp.role, Organisation: sp.org}
				if speaker.Person.ID == 0 {
					speaker.Person.Name = sp.name
				}
				if err := db.AddSpeaker(ctx, a.ID, s.ID, &speaker); err != nil {
					return fmt.Errorf("demo speaker %s: %w", sp.name, err)
				}
				if sp.name != "" {
					people[sp.name] = speaker.Person
				}
			}
		}
		if len(es.registrations) == 0 {
			continue
		}
		// Registered a fortnight before; no e-mail is queued for the demo.
		at := e.Starts().Add(-14 * 24 * time.Hour)
		for i, r := range es.registrations {
			r.EventID, r.Lang, r.ConsentText = e.ID, "nb", e.Registration.ConsentNB
			r.SessionIDs = sessionIDs[:1+i%len(sessionIDs)]
			if _, err := db.Register(ctx, &r, at.Add(time.Duration(i)*time.Hour), nil); err != nil {
				return fmt.Errorf("demo registration %s: %w", r.Email, err)
			}
		}
		e.Registration.Open = false
		if err := db.UpdateEvent(ctx, &e); err != nil {
			return err
		}
	}
	return nil
}
