package demo

import (
	"context"
	"fmt"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// DemoHost is the host name under which the demo serves an alliance's own
// site: browsers send every *.localhost name to this machine, so
// http://osloregionen.localhost:8080/ reaches `samrad serve --demo` with no
// setup.
func DemoHost(slug string) string { return slug + ".localhost" }

// loadSites gives each demo alliance a host name of its own and a look. The
// colours are the demo's choice (the sources give none), each with white
// header text above 4.5:1; the footers quote the sources.
func loadSites(ctx context.Context, db *store.DB) error {
	sites := []struct {
		slug, colour, link string
		footerNB, footerEN string
	}{
		{"osloregionen", "#0b4f6c", "", "Den strategiske samarbeidsalliansen Osloregionen ble etablert 1.1.2005. Fra 01.01.17 omfatter alliansen 79 kommuner og fem fylkeskommuner i hovedstadsområdet.",
			"The strategic cooperation alliance Osloregionen was founded on 1 January 2005. From 1 January 2017 it includes 79 municipalities and five county authorities in the capital region."},
		{"vestregionen", "#6b2c5f", "#6b2c5f", "Vestregionen ble etablert i 1992 som et samarbeid mellom seks kommuner og fylkeskommunene Akershus og Buskerud. I 2017 er alliansen utvidet til 15 kommuner samt Akershus og Buskerud fylkeskommuner.",
			"Vestregionen was founded in 1992 as a cooperation between six municipalities and the county authorities of Akershus and Buskerud. In 2017 the alliance has grown to 15 municipalities and the two county authorities."},
		{"ore", "#1d4e89", "", "", ""},
		{"viken-nettverk", "#2f5d34", "", "", ""},
	}
	for _, x := range sites {
		a, err := db.AllianceBySlug(ctx, x.slug)
		if err != nil {
			return fmt.Errorf("demo site %s: %w", x.slug, err)
		}
		s := samrad.Site{AllianceID: a.ID, Host: DemoHost(x.slug), Colour: x.colour, LinkColour: x.link, FooterNB: x.footerNB, FooterEN: x.footerEN}
		if err := db.SaveSite(ctx, &s, false); err != nil {
			return fmt.Errorf("demo site %s: %w", x.slug, err)
		}
	}
	return nil
}
