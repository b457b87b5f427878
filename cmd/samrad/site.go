package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/samrad/samrad/store"
)

// cmdSite shows the alliances' websites, or gives an alliance its own host
// name. Host names are the operator's to set, here rather than in the web
// form: they go with DNS and TLS certificates, and a host name given to the
// wrong alliance would take over another site's address.
func cmdSite(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "host") {
		return fmt.Errorf("site: expected site list, or site host ALLIANCE HOST (\"\" removes the host name)")
	}
	f := newFlags(e, "site "+args[0])
	rest, err := f.parse(args[1:])
	if err != nil {
		return err
	}
	if args[0] == "host" && len(rest) != 2 {
		return fmt.Errorf("site host: expected an alliance's slug and a host name, e.g. site host osloregionen osloregionen.no")
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "host" {
		return setSiteHost(ctx, e, db, rest[0], rest[1])
	}
	alliances, err := db.Alliances(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "alliance\thost\tcolour\tlink colour\tlogo")
	for _, a := range alliances {
		s, err := db.Site(ctx, a.ID)
		if err != nil {
			return err
		}
		logo := "–"
		if s.LogoType != "" {
			logo = s.LogoType
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.Slug, cmpText(s.Host, "–"), cmpText(s.Colour, "–"), cmpText(s.LinkColour, "–"), logo)
	}
	return w.Flush()
}

func setSiteHost(ctx context.Context, e env, db *store.DB, slug, host string) error {
	a, err := db.AllianceBySlug(ctx, slug)
	if err != nil {
		return err
	}
	s, err := db.Site(ctx, a.ID)
	if err != nil {
		return err
	}
	s.Host = host
	if err := db.SaveSite(ctx, &s, false); err != nil {
		return err
	}
	if s.Host == "" {
		fmt.Fprintf(e.stdout, "%s has no host name of its own now\n", a.Slug)
	} else {
		fmt.Fprintf(e.stdout, "%s answers on %s\n", a.Slug, s.Host)
	}
	return nil
}
