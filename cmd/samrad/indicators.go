package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/refresh"
	"github.com/samrad/samrad/statbank"
)

// cmdIndicators lists an alliance's indicators with their last run, and
// refreshes them from their sources or from a file.
func cmdIndicators(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("indicators: expected list, refresh or upload")
	}
	sub := args[0]
	f := newFlags(e, "indicators "+sub)
	alliance := f.String("alliance", "", "the alliance's slug")
	statbankURL := f.String("statbank", statbank.DefaultBaseURL, "SSB's PxWebApi v2")
	pos, err := f.parse(args[1:])
	if err != nil {
		return err
	}
	if *alliance == "" {
		return fmt.Errorf("indicators %s: --alliance is required", sub)
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := db.AllianceBySlug(ctx, *alliance)
	if err != nil {
		return err
	}
	runner := &refresh.Runner{DB: db, Client: statbank.New(*statbankURL)}
	one := func(slug string) (samrad.Indicator, error) { return db.IndicatorBySlug(ctx, a.ID, slug) }
	report := func(run samrad.IndicatorRun, err error) error {
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "run %d: %d cells read, %d figures written (fitted to %s)\n", run.ID, run.Cells, run.Rows, run.FittedOn)
		return nil
	}
	switch sub {
	case "list":
		list, err := db.Indicators(ctx, a.ID, true)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "slug\tsource\tschedule\tlast run\tresult")
		for _, in := range list {
			runs, err := db.Runs(ctx, in.ID, 1)
			if err != nil {
				return err
			}
			last, result := "–", ""
			if len(runs) > 0 {
				last, result = runs[0].StartedAt.Format("2006-01-02 15:04"), "ok"
				if !runs[0].OK {
					result = runs[0].Error
				}
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", in.Slug, in.Source, in.Schedule, last, result)
		}
		return w.Flush()
	case "refresh":
		if len(pos) == 0 {
			// Every indicator that has a source to refresh from.
			list, err := db.Indicators(ctx, a.ID, true)
			if err != nil {
				return err
			}
			failed := 0
			for _, in := range list {
				if in.Source == samrad.SourceUpload {
					continue
				}
				fmt.Fprintf(e.stdout, "%s: ", in.Slug)
				if err := report(runner.Run(ctx, in)); err != nil {
					fmt.Fprintln(e.stdout, errorText(err))
					failed++
				}
			}
			if failed > 0 {
				return fmt.Errorf("indicators refresh: %d failed", failed)
			}
			return nil
		}
		in, err := one(pos[0])
		if err != nil {
			return err
		}
		return report(runner.Run(ctx, in))
	case "upload":
		if len(pos) != 2 {
			return fmt.Errorf("indicators upload: expected SLUG FILE")
		}
		in, err := one(pos[0])
		if err != nil {
			return err
		}
		b, name, err := readInput(pos[1:])
		if err != nil {
			return err
		}
		return report(runner.Upload(ctx, in, name, b))
	}
	return fmt.Errorf("indicators: unknown command %q", sub)
}
