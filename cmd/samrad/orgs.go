package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/samrad/samrad"
)

func cmdOrgs(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("orgs: expected show CODE or list --at DATE")
	}
	switch args[0] {
	case "show":
		return cmdOrgsShow(ctx, e, args[1:])
	case "list":
		return cmdOrgsList(ctx, e, args[1:])
	}
	return fmt.Errorf("orgs: unknown subcommand %q", args[0])
}

func cmdOrgsShow(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "orgs show")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if err := needArgs(pos, 1, "orgs show CODE"); err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	orgs, err := db.FindOrganisations(ctx, pos[0])
	if err != nil {
		return err
	}
	reg, err := db.Registry(ctx)
	if err != nil {
		return err
	}
	for i, o := range orgs {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		fmt.Fprintf(e.stdout, "%s %s (%s) %s\n", o.Code, o.NameNB, o.Kind, o.Period())
		fmt.Fprintln(e.stdout, reg.Chain(o.ID))
		s, _ := reg.Succession(o.ID)
		for _, c := range s.Changes {
			fmt.Fprintf(e.stdout, "  %s  %-12s %s %s → %s %s\n", c.Date, c.Kind, c.From.Code, c.From.NameNB, c.To.Code, c.To.NameNB)
		}
	}
	return nil
}

func cmdOrgsList(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "orgs list")
	at := f.String("at", samrad.Today().String(), "date (YYYY-MM-DD)")
	kind := f.String("kind", "", "only this kind (municipality, county, …)")
	format := f.String("format", "table", "table, csv or json")
	if _, err := f.parse(args); err != nil {
		return err
	}
	d, err := samrad.ParseDate(*at)
	if err != nil {
		return fmt.Errorf("--at: %w", err)
	}
	if *kind != "" && !samrad.OrgKind(*kind).Valid() {
		return fmt.Errorf("--kind: unknown kind %q", *kind)
	}
	fmtName, err := parseFormat(*format)
	if err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	reg, err := db.Registry(ctx)
	if err != nil {
		return err
	}
	list := reg.ValidOn(d, samrad.OrgKind(*kind))
	switch fmtName {
	case "json":
		type row struct {
			Code, Name, Kind   string
			ValidFrom, ValidTo string
		}
		out := make([]row, len(list))
		for i, o := range list {
			out[i] = row{o.Code, o.NameNB, string(o.Kind), o.ValidFrom.String(), o.ValidTo.String()}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "csv":
		w := csv.NewWriter(e.stdout)
		w.Write([]string{"code", "name", "kind", "valid_from", "valid_to"})
		for _, o := range list {
			w.Write([]string{o.Code, o.NameNB, string(o.Kind), o.ValidFrom.String(), o.ValidTo.String()})
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tNAME\tKIND\tVALID")
	for _, o := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", o.Code, o.NameNB, o.Kind, o.Period())
	}
	fmt.Fprintf(tw, "\n%s on %s\n", plural(len(list), "organisation", "organisations"), d)
	return tw.Flush()
}
