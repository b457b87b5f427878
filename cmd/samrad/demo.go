package main

import (
	"context"
	"fmt"
	"time"

	"github.com/samrad/samrad/demo"
)

func cmdDemo(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && args[0] == "ten-years" {
		return cmdDemoTenYears(ctx, e, args[1:])
	}
	if len(args) == 0 || args[0] != "load" {
		return fmt.Errorf("demo: expected demo load or demo ten-years")
	}
	f := newFlags(e, "demo load")
	if _, err := f.parse(args[1:]); err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := demo.Load(ctx, db); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo data loaded into %s\n", *f.db)
	return nil
}

// cmdDemoTenYears adds the synthetic "lasttest" alliance with ten years of
// meetings, cases and documents, for load tests.
func cmdDemoTenYears(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "demo ten-years")
	docs := f.Int("documents", demo.DefaultTenYears.Documents, "number of documents")
	if _, err := f.parse(args); err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	size := demo.DefaultTenYears
	size.Documents = *docs
	start := time.Now()
	if _, err := demo.LoadTenYears(ctx, db, size); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "lasttest: %d bodies × %d years × %d meetings × %d cases, %d documents, in %s\n",
		size.Bodies, size.Years, size.MeetingsPerYear, size.CasesPerMeeting, size.Documents, time.Since(start).Round(time.Second))
	return nil
}
