package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/picture"
	"github.com/samrad/samrad/store"
)

// oreArticle is ORE's news article of 28 January 2020 on the contact
// group's gathering in Bærum, as published; its sub-headings are
// paragraphs of their own, since articles are plain paragraphs.
var oreArticle = samrad.Article{
	TitleNB:   "Kontaktgruppesamling i Bærum med fagseminar",
	SummaryNB: "Bærum kommune var vertskap for årets første kontaktgruppesamling 23.-24. januar hvor relevante temaer som bærekraft og omstilling stod på agendaen.",
	BodyNB: `Ordfører i Bærum Lisbeth Hammer Krog ønsket velkommen første dagen til et fagseminar for Osloregionens Europakontors kontaktgruppe i Kunnskapssenteret i Sandvika. Krog presenterte en rekke aktuelle utviklings- og innovasjonsprosjekter i kommunen og fremhevet betydningen av samarbeid som en forutsetning for å lykkes: -«Dørene og vinduene i alle rådhus må stå på vidt gap – vi må samarbeide», sier ordføreren.

Disse ordene ble startskuddet for en rekke spennende innlegg under seminaret, hvor seksjonsleder for arbeid og inkludering Gro Sværen Skansen holdt neste innlegg om Bærum kommunes integreringsarbeid. Bærum har blitt en mangfoldig kommune og fikk i 2018 bosettings- og integreringsprisen for sitt arbeid med å integrere flyktninger. Skansen trakk frem betydningen av å se til andre byer og kommuner for å utveksle kunnskap, og nevnte fjorårets årsmøte-utflukt til Mechelen som et godt eksempel. Den belgiske byen er godt kjent for sitt gode integreringsarbeid. –«Jeg ble veldig inspirert av besøket til Mechelen hvor jeg fikk se at åpenhet og visjon er sentralt for å lykkes», sier Skansen.

FNs bærekraftmål

Kommunedirektør Erik Kjeldstadli snakket videre om hvordan FNs bærekraftmål kan være en driver for omstilling. Hvordan kan kommuner forberede seg best mulig på de samfunnsutfordringene som ligger 20 år frem i tid? Bærum kommune jobber med å integrere bærekraftmålene og få disse ut i næringslivet og frivillig sektor. Bærum er også med i et prosjekt for å kartlegge hvordan det går med bærekraftmålene. Her er målet å identifisere indikatorer for å måle hvor langt man har kommet. Videre presenterte deler av sekretariatet i Europakontoret arbeidet med bærekraftmålene sett fra både et globalt perspektiv og ORE´s perspektiv. Her ble det lagt vekt på at alle målene henger sammen og må ses under ett.

Forskningsleder i NIVA, Sindre Langaas, presenterte nettverket Horisont Bærekraftig Osloregion, hvor CIENS, Oslo kommune og Europakontoret er blant initiativtakerne. Langaas la vekt på å formidle hva forskningssenteret for miljø og samfunn, CIENS er, og at terskelen må være lav for kommuner og fylker som ønsker å ta kontakt for mulig prosjektsamarbeid. CIENS jobber med å skape arenaer for samarbeid og har blant annet Cicero, NIBR, metrologisk institutt, TØI og UiO som medlemmer.

Tjenestedesign og samskaping

-«Mesteparten av identiteten til Bærum kommune handler om tjenestene kommunen yter. Bærum ønsker å være en viktig samarbeidspartner i menneskers liv og samfunnets utvikling», sier spesialrådgiver Øyvind Wee. Tjenestedesign og samskaping er en tilnærming til utviklingsarbeid hvor man tar med sluttbrukerne i utviklingsprosessene. Spesialrådgiver og tjenestedesigner Hege Fossum presenterte prosjektet «Livet i landsbyen» hvor Bærum utvikler og bygger en landsby for demente. I dette prosjektet er det brukerne - demente, pårørende og helsepersonell - som er i fokus. Her bruker man tjenestedesign systematisk for å skape bedre tjenester for innbyggerne.

Orienteringer fra sekretariatet

Dag 2 under samlingen ble innledet med orienteringer fra medlemmene om strukturelle endringer som følge av kommunesammenslåinger og regionreform. Europakontorets direktør Gunnar Selvik orienterte om aktuelle saker og politikkutvikling i EU/EØS. I tillegg orienterte sekretariatet om siste nytt om neste programperiode for EU-programmer og resultater for 2019. Medlemmene fikk også anledning til å komme med innspill til handlingsplanen for det neste året.`,
}

// orePhotoCaptions are the captions ("Foto: …") of the article's five
// photos. The source names no photographer, so the demo gives no credit.
var orePhotoCaptions = []string{
	"Seksjonsleder for arbeid og inkludering i Bærum kommune Gro Sværen Skansen",
	"Vi fikk også servert et kunstnerisk innslag fra Bærum kulturskole.",
	"Direktør Gunnar Selvik i Osloregionens Europakontor.",
	"Fagseminar i Kunnskapssenteret i Sandvika.",
	"Kommunedirektør i Bærum kommune Erik Kjeldstadli.",
}

// loadNews loads ORE's article, with placeholder images for its photos
// (the photos themselves are not part of the demo), and ORE's contact
// block: the director and the offices in Brussels and Oslo.
func loadNews(ctx context.Context, db *store.DB) error {
	ore, err := db.AllianceBySlug(ctx, "ore")
	if err != nil {
		return err
	}
	art := oreArticle
	art.AllianceID, art.Author = ore.ID, "Osloregionens Europakontor"
	art.PublishAt = time.Date(2020, 1, 28, 9, 0, 0, 0, samrad.Oslo())
	cg, err := db.BodyBySlug(ctx, ore.ID, "kontaktgruppen")
	if err != nil {
		return err
	}
	meetings, err := db.Meetings(ctx, cg.ID)
	if err != nil {
		return err
	}
	for _, m := range meetings {
		if m.Start.In(samrad.Oslo()).Format("2006-01-02") == "2020-01-23" {
			art.MeetingID = m.ID
		}
	}
	// The article reports on the gathering (loaded before the news).
	gathering, err := db.Event(ctx, ore.ID, "kontaktgruppesamling-baerum-2020")
	if err != nil {
		return fmt.Errorf("demo article: %w", err)
	}
	art.EventID = gathering.ID
	if err := db.CreateArticle(ctx, &art); err != nil {
		return fmt.Errorf("demo article: %w", err)
	}
	colours := []color.NRGBA{{0x1e, 0x4f, 0x7a, 255}, {0x7a, 0x3e, 0x1e, 255}, {0x2f, 0x6b, 0x3a, 255}, {0x5a, 0x2f, 0x6b, 255}, {0x6b, 0x5a, 0x1e, 255}}
	for i, caption := range orePhotoCaptions {
		variants, err := picture.Process(placeholder(960, 640, colours[i]))
		if err != nil {
			return err
		}
		im := samrad.ArticleImage{ArticleID: art.ID, AltNB: "Plassholder for foto: " + caption, AltEN: "Placeholder for a photo: " + caption, CaptionNB: caption}
		if err := db.AddArticleImage(ctx, ore.ID, &im, variants); err != nil {
			return fmt.Errorf("demo image %d: %w", i+1, err)
		}
	}
	people, err := db.People(ctx)
	if err != nil {
		return err
	}
	director := samrad.Contact{AllianceID: ore.ID, Name: "Gunnar Selvik", Title: "Direktør", Phone: "+32 (0) 460 94 1393", Email: "direktor@ore.example.no"}
	for _, p := range people {
		if p.Name == "Gunnar Selvik" {
			director.PersonID = p.ID
		}
	}
	if err := db.SaveContact(ctx, &director); err != nil {
		return fmt.Errorf("demo contact: %w", err)
	}
	for _, o := range []samrad.Office{
		{AllianceID: ore.ID, Name: "Brussel", Lines: []string{"Nordic House, Brussel", "Rue du Luxembourg 3 / 5"}, PostalCode: "1000", City: "Brussel"},
		{AllianceID: ore.ID, Name: "Oslo", Lines: []string{"Mesh, Oslo", "Tordenskiolds gate 2"}, PostalCode: "0160", City: "Oslo"},
	} {
		if err := db.SaveOffice(ctx, &o); err != nil {
			return fmt.Errorf("demo office %s: %w", o.Name, err)
		}
	}
	return nil
}

// placeholder draws a PNG of one colour with lighter diagonal stripes.
func placeholder(w, h int, c color.NRGBA) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	light := color.NRGBA{c.R/2 + 127, c.G/2 + 127, c.B/2 + 127, 255}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if (x+y)/40%4 == 0 {
				img.SetNRGBA(x, y, light)
			} else {
				img.SetNRGBA(x, y, c)
			}
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img) // writing to memory cannot fail
	return b.Bytes()
}
