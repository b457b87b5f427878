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
	baseURL := f.String("base-url", os.Getenv("SAMRAD_BASE_URL"), "public address for links in e-mail (default http://ADDR)")
	trustedProxies := f.String("trusted-proxies", os.Getenv("SAMRAD_TRUSTED_PROXIES"), "reverse proxies (addresses and CIDR ranges, comma-separated) whose X-Forwarded-For and X-Forwarded-Proto are believed; none by default")
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
	if err := srv.SetTrustedProxies(*trustedProxies); err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
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
		out := &outbox.Sender{DB: db, Transport: sender, Log: log, Rate: *mailRate}
		sending := make(chan error, 1)
		sendCtx, stopSending := context.WithCancel(ctx)
		go func() { sending <- out.Run(sendCtx) }()
		defer func() { stopSending(); <-sending }()
		srv.SetOutboxWake(out.Wake)
	}
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobsDone := make(chan struct{})
	runner := &refresh.Runner{DB: db, Log: log}
	if *statbankURL != "" {
		runner.Client = statbank.New(*statbankURL)
		runner.Client.UserAgent = "Samrad (" + base + ")"
	}
	srv.SetIndicatorRunner(runner)
	go func() { runJobs(jobsCtx, log, scheduled(db, srv, runner)); close(jobsDone) }()
	defer func() { stopJobs(); <-jobsDone }()
	return web.ListenAndServe(ctx, *addr, srv.Handler(), log)
}

// scheduled is the server's recurring work.
func scheduled(db *store.DB, srv *web.Server, runner *refresh.Runner) []job {
	return []job{
		{name: "events: reminders", every: 15 * time.Minute, run: srv.SendEventReminders},
		{name: "events: anonymise participants", every: time.Hour, run: db.AnonymiseRegistrations},
		{name: "newsletter: delete unconfirmed sign-ups", every: time.Hour, run: func(ctx context.Context, now time.Time) (int, error) {
			return db.PurgeUnconfirmed(ctx, now.Add(-samrad.UnconfirmedKept))
		}},
		{name: "funding: deadline reminders", every: time.Hour, run: srv.SendDeadlineReminders},
		{name: "indicators: fetch what is due", every: time.Hour, run: runner.RunDue},
	}
}
