package main

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad/refresh"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// The server's jobs are accepted by the database, and `jobs list` shows
// their schedule, their last outcome and the runs.
func TestJobsCommand(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "jobs.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv, err := web.New(db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var schedules []store.JobSchedule
	var names []string
	for _, j := range scheduled(db, srv, &refresh.Runner{DB: db}) {
		schedules = append(schedules, store.JobSchedule{Name: j.Name, Every: j.Every})
		names = append(names, j.Name)
	}
	start := time.Now().Add(-time.Hour)
	if err := db.RegisterJobs(ctx, start, schedules...); err != nil {
		t.Fatal(err)
	}
	c, ok, err := db.ClaimJob(ctx, "web-1:42:ab12cd34", start, time.Minute, "funding: deadline reminders")
	if err != nil || !ok {
		t.Fatalf("claim: %v, %v", ok, err)
	}
	if _, err := db.FinishJob(ctx, c, start.Add(2*time.Second), 0, errors.New("smtp: 451 try again\nlater")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.ClaimJob(ctx, "web-2:7:00ff00ff", start.Add(time.Minute), time.Hour, "events: reminders"); err != nil {
		t.Fatal(err)
	}

	out, _, err := runCLI(t, "jobs", "list", "--db", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range append(names,
		"failed: smtp: 451 try again later", // the last outcome, on one line
		"running on web-2:7:00ff00ff",       // the claimed job
		"due",                               // the others
		"15m", "1h",
		"last 2 runs", "web-1:42:ab12cd34", "2s", "under way") {
		if !strings.Contains(out, want) {
			t.Errorf("jobs list lacks %q:\n%s", want, out)
		}
	}
	out, _, err = runCLI(t, "jobs", "list", "--job", "events: reminders", "--db", path)
	if err != nil || strings.Contains(out, "funding") || !strings.Contains(out, "last 1 runs") {
		t.Errorf("jobs list --job: %v\n%s", err, out)
	}
	if _, _, err := runCLI(t, "jobs", "list", "--job", "nothing", "--db", path); err == nil || !strings.Contains(err.Error(), `no job "nothing"`) {
		t.Errorf("an unknown job: %v", err)
	}
	if _, _, err := runCLI(t, "jobs", "run", "--db", path); err == nil {
		t.Error("jobs run: no error")
	}
}
