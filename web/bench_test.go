package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/auth"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/web"
)

// BenchmarkYearPages serves the action programme (60 measures, 500
// progress notes) and the annual report of a year with 40 meetings, 600
// decisions, a budget and its accounts, on SQLite, as the secretariat (no
// page cache) and anonymously (the report approved, from the page cache).
// It reports the median and the 99th percentile of the server's time per
// request, measured in process without a network or a load generator.
func BenchmarkYearPages(b *testing.B) {
	ctx := context.Background()
	db := testdb.Open(b, "sqlite")
	if err := demo.Load(ctx, db); err != nil {
		b.Fatal(err)
	}
	a, err := demo.LoadTenYears(ctx, db, demo.TenYears{Bodies: 4, Years: 1, MeetingsPerYear: 10, CasesPerMeeting: 15})
	if err != nil {
		b.Fatal(err)
	}
	const year = 2015
	// The synthetic minutes are published, which closes them to changes:
	// their decisions are written directly.
	if _, err := db.SQL().ExecContext(ctx, `UPDATE agenda_items SET decision = 'Saken tas til orientering.'`); err != nil {
		b.Fatal(err)
	}
	p := samrad.Programme{AllianceID: a.ID, Year: year}
	for s := 1; s <= 6; s++ {
		sec := samrad.Section{Number: s, Title: "Innsatsområde"}
		for n := 1; n <= 10; n++ {
			sec.Measures = append(sec.Measures, samrad.Measure{Section: s, Number: n, Title: "Tiltak", Timeframe: samrad.ParseTimeframe("2015-16"),
				Responsible: "Sekretariatet", Content: []string{"Gjennomføre kartlegging", "Legge frem sak for styret"}})
		}
		p.Sections = append(p.Sections, sec)
	}
	if err := db.CreateProgramme(ctx, &p); err != nil {
		b.Fatal(err)
	}
	for i := range 500 {
		m := p.Sections[i%6].Measures[i%10]
		if err := db.AddProgressNote(ctx, a.ID, &samrad.ProgressNote{MeasureID: m.ID, On: samrad.MustDate("2015-01-01").AddDays(i % 300), Text: "Status"}); err != nil {
			b.Fatal(err)
		}
	}
	var ledger strings.Builder
	ledger.WriteString("konto;dato;beløp\n")
	for i, acc := range []string{"3400", "5000", "6800", "7700"} {
		l := samrad.BudgetLine{Account: acc, Title: "Post " + acc, Category: []samrad.BudgetCategory{samrad.BudgetGrants, samrad.BudgetFixed, samrad.BudgetGovernance, samrad.BudgetProjects}[i],
			Amount: samrad.NOK(100_000 * int64(i+1))}
		if err := db.SetBudgetLine(ctx, a.ID, year, &l); err != nil {
			b.Fatal(err)
		}
		for d := 0; d < 250; d++ {
			fmt.Fprintf(&ledger, "%s;2015-%02d-%02d;%d\n", acc, 1+d%12, 1+d%28, 100+d)
		}
	}
	if _, err := db.ImportLedger(ctx, a.ID, year, "regnskap.csv", []byte(ledger.String())); err != nil {
		b.Fatal(err)
	}
	u, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", a.ID, samrad.RoleSecretariat, auth.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16})
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := db.CreateSession(ctx, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	report := fmt.Sprintf("/allianser/lasttest/arsrapport/%d", year)
	for _, c := range []struct {
		name, path  string
		secretariat bool
	}{
		{"programme/secretariat", fmt.Sprintf("/allianser/lasttest/handlingsprogram/%d", year), true},
		{"programme/anonymous", fmt.Sprintf("/allianser/lasttest/handlingsprogram/%d", year), false},
		{"report/secretariat", report, true},
		{"report/anonymous", report, false},
	} {
		if c.name == "report/anonymous" {
			r := samrad.AnnualReport{AllianceID: a.ID, Year: year, ApprovedOn: samrad.MustDate("2016-03-10"), ApprovedBy: "Styret"}
			if err := db.SaveAnnualReport(ctx, &r); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(c.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, c.path, nil)
				if c.secretariat {
					req.AddCookie(&http.Cookie{Name: "samrad_session", Value: token})
				}
				w := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(w, req)
				times = append(times, time.Since(start))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", c.path, w.Code)
				}
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
