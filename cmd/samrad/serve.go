package main

import (
	"context"
	"errors"
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
	c := newServeConfig(e, "serve")
	if err := c.load(args); err != nil {
		return err
	}
	if problems := c.validate(); len(problems) > 0 {
		return fmt.Errorf("configuration:\n%w", errors.Join(problems...))
	}
	// The names the wiring below uses.
	addr, withDemo, smtpAddr, smtpUser, smtpTLS, mailFrom, mailRate, baseURL, statbankURL := c.addr, c.demo, c.smtp, c.smtpUser, c.smtpTLS, c.mailFrom, c.mailRate, c.baseURL, c.statbank
	log := slog.New(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	dbGiven := c.source["db"] != "default"
	dsn := *c.f.db
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
	if err := srv.SetTrustedProxies(*c.trustedProxies); err != nil {
		return fmt.Errorf("trusted-proxies: %w", err)
	}
	reg := newMetrics(db)
	srv.SetMetrics(reg.Registry, *c.metricsToken)
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
		sender := mail.NewSender(mail.SMTPConfig{Host: host, Port: port, Username: *smtpUser, Password: *c.smtpPassword,
			StartTLS: *smtpTLS, Timeout: 30 * time.Second})
		srv.SetMailer(sender, mail.Address{Name: from.Name, Email: from.Address}, base)
		// The outbox is delivered while the server runs; stopping lets the
		// messages under way finish and gives back the rest.
		out := &outbox.Sender{DB: db, Transport: sender, Log: log, Rate: *mailRate, Lease: *c.mailLease, Observe: reg.email}
		sending := make(chan error, 1)
		sendCtx, stopSending := context.WithCancel(context.WithoutCancel(ctx)) // stopped after the last request
		go func() { sending <- out.Run(sendCtx) }()
		defer func() { stopSending(); <-sending; log.Info("outbox stopped") }()
		srv.SetOutboxWake(out.Wake)
	}
	runner := &refresh.Runner{DB: db, Log: log}
	if *statbankURL != "" {
		runner.Client = statbank.New(*statbankURL)
		runner.Client.UserAgent = "Samrad (" + base + ")"
	}
	srv.SetIndicatorRunner(runner)
	// Scheduled work: every instance on the database runs the scheduler,
	// and each due slot of a job runs on one of them. It is stopped after the
	// last request: the run under way finishes for a while, then is given back.
	sched := &jobs.Scheduler{DB: db, Jobs: scheduled(db, srv, runner), Log: log, Instance: jobs.NewInstanceID(), First: time.Minute}
	log.Info("jobs: scheduler started", "instance", sched.Instance)
	jobsCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	jobsDone := make(chan error, 1)
	go func() { jobsDone <- sched.Run(jobsCtx) }()
	defer func() {
		stopJobs()
		if err := <-jobsDone; err != nil {
			log.Error("jobs", "err", err)
		}
	}()
	// On SIGTERM: /readyz turns 503, the listener closes, requests under
	// way finish; then the deferred calls stop the jobs and the outbox and
	// close the database.
	return srv.ListenAndServe(ctx, *addr, srv.Handler(), web.Shutdown{Delay: *c.shutdownDelay, Timeout: *c.shutdownTimeout})
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
