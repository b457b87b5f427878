package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/jobs"
	"github.com/samrad/samrad/mail"
	"github.com/samrad/samrad/outbox"
	"github.com/samrad/samrad/pdf"
	"github.com/samrad/samrad/refresh"
	"github.com/samrad/samrad/statbank"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

func cmdServe(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "serve")
	addr := f.String("addr", "127.0.0.1:8080", "address to listen on")
	withDemo := f.Bool("demo", false, "load the demo data (into a fresh temporary database unless --db is given)")
	smtpAddr := f.String("smtp", os.Getenv("SAMRAD_SMTP"), "SMTP server host:port for notices (empty: no e-mail)")
	smtpUser := f.String("smtp-user", os.Getenv("SAMRAD_SMTP_USER"), "SMTP user (password in SAMRAD_SMTP_PASSWORD)")
	smtpTLS := f.Bool("smtp-starttls", true, "require STARTTLS (off only for a local relay)")
	mailFrom := f.String("mail-from", os.Getenv("SAMRAD_MAIL_FROM"), "sender address of notices, e.g. \"Sekretariatet <post@example.no>\"")
	mailRate := f.Float64("mail-rate", 20, "e-mail messages per second at most (the relay's limit)")
	mailLease := f.Duration("mail-lease", 10*time.Minute, "how long the outbox sender holds a claim; after a crash, messages claimed and not begun wait this long")
	baseURL := f.String("base-url", os.Getenv("SAMRAD_BASE_URL"), "public address for links in e-mail (default http://ADDR)")
	statbankURL := f.String("statbank", cmp.Or(os.Getenv("SAMRAD_STATBANK"), statbank.DefaultBaseURL), "SSB's PxWebApi v2, for the indicators (\"\": none)")
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
	base := *baseURL
	if base == "" {
		base = "http://" + *addr
	}
	srv.SetBaseURL(base)
	if bin, err := pdf.FindChromium(); err != nil {
		log.Warn("PDF files are off", "reason", err)
	} else {
		printer := pdf.New(bin)
		defer printer.Close()
		srv.SetPDF(printer)
	}
	if *smtpAddr != "" {
		host, portText, err := net.SplitHostPort(*smtpAddr)
		if err != nil {
			return fmt.Errorf("--smtp: %w", err)
		}
		port, err := strconv.Atoi(portText)
		if err != nil {
			return fmt.Errorf("--smtp: bad port %q", portText)
		}
		from, err := netmail.ParseAddress(*mailFrom)
		if err != nil {
			return fmt.Errorf("--mail-from: %w", err)
		}
		sender := mail.NewSender(mail.SMTPConfig{Host: host, Port: port, Username: *smtpUser, Password: os.Getenv("SAMRAD_SMTP_PASSWORD"),
			StartTLS: *smtpTLS, Timeout: 30 * time.Second})
		srv.SetMailer(sender, mail.Address{Name: from.Name, Email: from.Address}, base)
		// The outbox is delivered while the server runs; stopping lets the
		// messages under way finish and gives back the rest.
		out := &outbox.Sender{DB: db, Transport: sender, Log: log, Rate: *mailRate, Lease: *mailLease}
		sending := make(chan error, 1)
		sendCtx, stopSending := context.WithCancel(ctx)
		go func() { sending <- out.Run(sendCtx) }()
		defer func() { stopSending(); <-sending }()
		srv.SetOutboxWake(out.Wake)
	}
	runner := &refresh.Runner{DB: db, Log: log}
	if *statbankURL != "" {
		runner.Client = statbank.New(*statbankURL)
		runner.Client.UserAgent = "Samrad (" + base + ")"
	}
	srv.SetIndicatorRunner(runner)
	// Scheduled work: every instance on the database runs the scheduler,
	// and each due slot of a job runs on one of them. Stopping lets the run
	// under way finish for a while, then gives it back.
	sched := &jobs.Scheduler{DB: db, Jobs: scheduled(db, srv, runner), Log: log, Instance: jobs.NewInstanceID(), First: time.Minute}
	log.Info("jobs: scheduler started", "instance", sched.Instance)
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobsDone := make(chan error, 1)
	go func() { jobsDone <- sched.Run(jobsCtx) }()
	defer func() {
		stopJobs()
		if err := <-jobsDone; err != nil {
			log.Error("jobs", "err", err)
		}
	}()
	return web.ListenAndServe(ctx, *addr, srv.Handler(), log)
}

// scheduled is the server's recurring work. A job's name is its key in the
// database: renaming one starts a new schedule.
func scheduled(db *store.DB, srv *web.Server, runner *refresh.Runner) []jobs.Job {
	return []jobs.Job{
		{Name: "events: reminders", Every: 15 * time.Minute, Run: srv.SendEventReminders},
		{Name: "events: anonymise participants", Every: time.Hour, Run: db.AnonymiseRegistrations},
		{Name: "newsletter: delete unconfirmed sign-ups", Every: time.Hour, Run: func(ctx context.Context, now time.Time) (int, error) {
			return db.PurgeUnconfirmed(ctx, now.Add(-samrad.UnconfirmedKept))
		}},
		{Name: "funding: deadline reminders", Every: time.Hour, Run: srv.SendDeadlineReminders},
		{Name: "indicators: fetch what is due", Every: time.Hour, Run: runner.RunDue},
	}
}
