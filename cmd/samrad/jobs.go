package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/samrad/samrad/store"
)

// cmdJobs shows the scheduled jobs that `samrad serve` runs: each job's
// schedule, who holds it, how its last run went, and the recent runs.
func cmdJobs(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "list" {
		return fmt.Errorf("jobs: expected list")
	}
	f := newFlags(e, "jobs list")
	job := f.String("job", "", "show the runs of this job only")
	n := f.Int("runs", 10, "how many recent runs to show")
	if _, err := f.parse(args[1:]); err != nil {
		return err
	}
	if *n < 0 {
		return fmt.Errorf("jobs list: --runs must not be negative")
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Jobs(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(e.stdout, "no jobs yet: samrad serve registers them when it starts")
		return nil
	}
	now := time.Now()
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "job\tevery\tnext run (UTC)\tstate\tlast run (UTC)\toutcome\thandled\truns")
	for _, j := range list {
		if *job != "" && j.Name != *job {
			continue
		}
		state := "waiting"
		switch {
		case j.ClaimedBy != "" && j.ClaimedUntil.After(now):
			state = "running on " + j.ClaimedBy
		case j.ClaimedBy != "":
			state = "lease of " + j.ClaimedBy + " expired"
		case !j.NextRun.After(now):
			state = "due"
		}
		outcome := cmpText(j.LastOutcome, "–")
		if j.LastError != "" {
			outcome += ": " + oneLine(j.LastError)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\n", j.Name, every(j.Every), clock(j.NextRun), state, clock(j.LastStarted), outcome, j.LastHandled, j.Runs)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if *job != "" && !hasJob(list, *job) {
		return fmt.Errorf("jobs list: no job %q", *job)
	}
	if *n == 0 {
		return nil
	}
	runs, err := db.JobRuns(ctx, *job, *n)
	if err != nil {
		return err
	}
	if len(runs) == 0 {
		fmt.Fprintln(e.stdout, "\nno runs yet")
		return nil
	}
	fmt.Fprintf(e.stdout, "\nlast %d runs\n", len(runs))
	w = tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "started (UTC)\tjob\tinstance\tslot (UTC)\ttook\thandled\toutcome")
	for _, r := range runs {
		took, outcome := "–", cmpText(r.Outcome, "under way")
		if !r.Finished.IsZero() {
			took = r.Finished.Sub(r.Started).Round(time.Millisecond).String()
		}
		if r.Error != "" {
			outcome += ": " + oneLine(r.Error)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", clock(r.Started), r.Job, r.Instance, clock(r.Slot), took, r.Handled, outcome)
	}
	return w.Flush()
}

func hasJob(list []store.Job, name string) bool {
	for _, j := range list {
		if j.Name == name {
			return true
		}
	}
	return false
}

func clock(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

// every writes an interval without its zero parts: 15m, 1h, 1h30m.
func every(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func cmpText(s, empty string) string {
	if s == "" {
		return empty
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
