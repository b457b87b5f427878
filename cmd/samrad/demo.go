package main

import (
	"context"
	"fmt"

	"github.com/samrad/samrad/demo"
)

func cmdDemo(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "load" {
		return fmt.Errorf("demo: expected demo load")
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
