package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

func cmdServe(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "serve")
	addr := f.String("addr", "127.0.0.1:8080", "address to listen on")
	withDemo := f.Bool("demo", false, "load the demo data (into a fresh temporary database unless --db is given)")
	if _, err := f.parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	dbGiven := os.Getenv("SAMRAD_DB") != ""
	f.Visit(func(fl *flag.Flag) { dbGiven = dbGiven || fl.Name == "db" })
	dsn := *f.db
	if *withDemo && !dbGiven {
		dir, err := os.MkdirTemp("", "samrad-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = filepath.Join(dir, "demo.db")
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		switch err := demo.Load(ctx, db); {
		case errors.Is(err, demo.ErrLoaded):
			log.Info("demo data already in the database", "db", dsn)
		case err != nil:
			return fmt.Errorf("demo: %w", err)
		default:
			log.Info("demo data loaded", "db", dsn)
		}
	}
	srv, err := web.New(db, log)
	if err != nil {
		return err
	}
	return web.ListenAndServe(ctx, *addr, srv.Handler(), log)
}
