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
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// BenchmarkIndicatorPage372x10 serves the comparison page of an alliance
// whose members are the 372 municipalities and counties of today, with an
// indicator's figures for ten years: one op is one GET of the page with
// its bar chart, trend lines (one highlighted), the 3,720 figures as a
// table and their sources. "anonymous" is served from the page cache after
// the first request; "secretariat" is read and rendered every time. Each
// reports the 99th percentile of the requests' latency in milliseconds.
func BenchmarkIndicatorPage372x10(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := testdb.Open(b, engine)
			if err := demo.Load(ctx, db); err != nil {
				b.Fatal(err)
			}
			a := samrad.Alliance{Slug: "ytelse", NameNB: "Ytelse", Kind: samrad.AllianceAssociation, FoundedPrecision: samrad.PrecisionUnknown}
			if err := db.CreateAlliance(ctx, &a); err != nil {
				b.Fatal(err)
			}
			reg, err := db.Registry(ctx)
			if err != nil {
				b.Fatal(err)
			}
			var codes []string
			for _, o := range reg.ValidOn(samrad.Today(), "") {
				if o.Kind != samrad.KindMunicipality && o.Kind != samrad.KindCounty {
					continue
				}
				m := samrad.Membership{AllianceID: a.ID, Org: o, Status: samrad.StatusConfirmed, FromPrecision: samrad.PrecisionUnknown,
					AttestedOn: samrad.MustDate("2024-01-01"), Category: string(o.Kind)}
				if err := db.AddMembership(ctx, &m); err != nil {
					b.Fatal(err)
				}
				codes = append(codes, o.Code)
			}
			if len(codes) != 372 {
				b.Fatalf("%d regions", len(codes))
			}
			in := samrad.Indicator{AllianceID: a.ID, Slug: "rate", NameNB: "Rate", Source: samrad.SourceUpload, Measure: samrad.MeasurePer1000,
				Unit: "per 1 000 innbyggere", Decimals: 1}
			if err := db.CreateIndicator(ctx, &in); err != nil {
				b.Fatal(err)
			}
			var values []samrad.IndicatorValue
			for i, code := range codes {
				for y := 2015; y <= 2024; y++ {
					values = append(values, samrad.IndicatorValue{Code: code, Period: fmt.Sprint(y), Numerator: float64(i + y),
						Denominator: 1000 + float64(i), Method: samrad.FitFigure})
				}
			}
			run, err := db.StartRun(ctx, in.ID, store.RunSource{File: "syntetisk.json"})
			if err != nil {
				b.Fatal(err)
			}
			if err := db.ReplaceValues(ctx, run.ID, in.ID, values, len(values)); err != nil {
				b.Fatal(err)
			}
			srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				b.Fatal(err)
			}
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()
			u, err := db.CreateUser(ctx, "ytelse@example.no", "Y", "et langt passord her", a.ID, samrad.RoleSecretariat, fastHash)
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
						req, _ := http.NewRequest(http.MethodGet, ts.URL+"/allianser/ytelse/styringsdata/rate?medlem="+codes[0], nil)
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
						if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "syntetisk.json") {
							b.Fatalf("comparison: %d", resp.StatusCode)
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
