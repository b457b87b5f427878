package demo

import (
	"context"
	"fmt"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// loadNewsletters makes the newsletters the seed pages offer ("MELD DEG PÅ
// VÅRT NYHETSBREV"): ORE's newsletter with a topic list for EU
// programmes, and Osloregionen's. No one subscribes: subscribers are
// people who confirm by e-mail.
func loadNewsletters(ctx context.Context, db *store.DB) error {
	for _, l := range []struct {
		alliance string
		list     samrad.NewsletterList
	}{
		{"ore", samrad.NewsletterList{Slug: "nyhetsbrev", NameNB: "Nyhetsbrev fra Europakontoret", NameEN: "Newsletter from the European Office",
			DescriptionNB: "Nyheter fra Brussel og medlemmene, arrangementer og frister.", DescriptionEN: "News from Brussels and the members, events and deadlines."}},
		{"ore", samrad.NewsletterList{Slug: "eu-programmer", NameNB: "EU-programmer og utlysninger", NameEN: "EU programmes and calls",
			DescriptionNB: "Bare utlysninger og søknadsfrister.", DescriptionEN: "Calls and application deadlines only."}},
		{"osloregionen", samrad.NewsletterList{Slug: "nyhetsbrev", NameNB: "Nyhetsbrev fra Osloregionen", NameEN: "Newsletter from the Oslo Region Alliance"}},
	} {
		a, err := db.AllianceBySlug(ctx, l.alliance)
		if err != nil {
			return err
		}
		l.list.AllianceID = a.ID
		if err := db.CreateList(ctx, &l.list); err != nil {
			return fmt.Errorf("demo newsletter %s/%s: %w", l.alliance, l.list.Slug, err)
		}
	}
	return nil
}
