package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/web"
)

// BenchmarkPortfolioPage2000 serves ORE's portfolio page with 2,000
// projects (each with two partners and three sources of funding, two
// thirds of them in one of five networks): one op is one GET of the page,
// with its totals over all 2,000 and its first page of rows. "anonymous"
// is a visitor, served from the page cache after the first request;
// "secretariat" is a logged-in user, whose page is read and rendered every
// time. Each reports the 99th percentile of the requests' latency in
// milliseconds; run it with e.g. -benchtime 2000x.
func BenchmarkPortfolioPage2000(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := testdb.Open(b, engine)
			if err := demo.Load(ctx, db); err != nil {
				b.Fatal(err)
			}
			ore, _ := db.AllianceBySlug(ctx, "ore")
			var networks []int64
			for i := range 5 {
				n := samrad.Network{AllianceID: ore.ID, Slug: fmt.Sprintf("ytelsesnettverk-%d", i+1), Kind: samrad.NetworkInternal,
					NameNB: fmt.Sprintf("Ytelsesnettverk %d", i+1), Published: true}
				if err := db.CreateNetwork(ctx, &n); err != nil {
					b.Fatal(err)
				}
				networks = append(networks, n.ID)
			}
			if err := demo.LoadPortfolio(ctx, db, ore.ID, 2000, networks); err != nil {
				b.Fatal(err)
			}
			srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				b.Fatal(err)
			}
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()
			u, err := db.CreateUser(ctx, "ytelse@example.no", "Y", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash)
			if err != nil {
				b.Fatal(err)
			}
			token, _, err := db.CreateSession(ctx, u.ID)
			if err != nil {
				b.Fatal(err)
			}
			for _, who := range []string{"anonymous", "secretariat"} {
				b.Run(who, func(b *testing.B) {
					client := &http.Client{}
					get := func() time.Duration {
						req, _ := http.NewRequest(http.MethodGet, ts.URL+"/allianser/ore/prosjekter", nil)
						if who == "secretariat" {
							req.AddCookie(&http.Cookie{Name: "samrad_session", Value: token})
						}
						start := time.Now()
						resp, err := client.Do(req)
						if err != nil {
							b.Fatal(err)
						}
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						took := time.Since(start)
						if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Syntetisk prosjekt 1000") {
							b.Fatalf("portfolio: %d", resp.StatusCode)
						}
						return took
					}
					var times []time.Duration
					for b.Loop() {
						times = append(times, get())
					}
					slices.Sort(times)
					p99 := times[min(len(times)-1, len(times)*99/100)]
					b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
				})
			}
		})
	}
}
