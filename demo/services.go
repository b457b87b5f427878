package demo

import (
	"context"
	"fmt"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// services are the service catalogues the sources list: the six things
// Osloregionens Europakontor helps its members with, in the source's order,
// and Vestregionen's answers to enquiries about BPA. The sources name no
// single request or enquiry, so the request log stays empty.
func services() map[string][]samrad.Service {
	return map[string][]samrad.Service{
		"ore": {
			{Slug: "eu-efta-institusjoner", NameNB: "Henvendelser til EU/EFTAs institusjoner og organer",
				NameEN: "Contact with the institutions and bodies of the EU and EFTA"},
			{Slug: "kontakt-regioner-og-byer", NameNB: "Etablere kontakt med europeiske regioner og byer, samt andre interesseorganisasjoner",
				NameEN: "Making contact with European regions and cities, and with other interest organisations"},
			{Slug: "soknader-eu-eos", NameNB: "Bistå med søknader til programmer og prosjekter innenfor EU og EØS",
				NameEN: "Help with applications to EU and EEA programmes and projects"},
			{Slug: "informasjon", NameNB: "Innhente og videreformidle informasjon som er av interesse for offentlige myndigheter, utdannings- og forskningsinstitusjoner og næringsliv",
				NameEN: "Gathering and passing on information of interest to public authorities, education and research institutions and business"},
			{Slug: "synlighet-i-brussel", NameNB: "Bruke Brusselmiljøet til å synliggjøre Osloregionen som en attraktiv og relevant samarbeidspartner",
				NameEN: "Using the Brussels community to make the Oslo Region visible as an attractive and relevant partner"},
			{Slug: "internasjonale-kontakter", NameNB: "Yte bistand til å knytte internasjonale kontakter i forbindelse med møter, studiebesøk og hospitering",
				NameEN: "Help with making international contacts for meetings, study visits and secondments"},
		},
		"vestregionen": {
			{Slug: "henvendelser-om-bpa", NameNB: "Besvare henvendelser om BPA på vegne av kommunene",
				NameEN:        "Answering enquiries about BPA on the municipalities' behalf",
				DescriptionNB: "Vestregionens sekretariat besvarer henvendelser om brukerstyrt personlig assistanse (BPA) fra brukere, eksterne leverandører og media på vegne av kommunene.",
				DescriptionEN: "Vestregionen's secretariat answers enquiries about user-controlled personal assistance (BPA) from users, external suppliers and the media on the municipalities' behalf."},
		},
	}
}

// bpaNetwork is the network Vestregionen's BPA work belongs to, if the
// demo has it.
const bpaNetwork = "bpa-erfaringsnettverk"

// networkID returns the id of an alliance's network by slug, 0 if the demo
// has no such network.
func networkID(ctx context.Context, db *store.DB, allianceID int64, slug string) (int64, error) {
	list, err := db.NetworkRefs(ctx, allianceID)
	if err != nil {
		return 0, err
	}
	for _, n := range list {
		if n.Slug == slug {
			return n.ID, nil
		}
	}
	return 0, nil
}

func loadServices(ctx context.Context, db *store.DB, l *lookup) error {
	sources := map[string]string{"ore": SourceORE, "vestregionen": SourceVestregionen}
	for _, slug := range []string{"ore", "vestregionen"} {
		a, err := db.AllianceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		net := int64(0)
		if slug == "vestregionen" {
			if net, err = networkID(ctx, db, a.ID, bpaNetwork); err != nil {
				return err
			}
		}
		for _, s := range services()[slug] {
			s.AllianceID, s.Active, s.Source, s.NetworkID = a.ID, true, sources[slug], net
			if err := db.CreateService(ctx, &s); err != nil {
				return fmt.Errorf("demo service %s: %w", s.Slug, err)
			}
		}
	}
	return nil
}
