package refresh_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/refresh"
	"github.com/samrad/samrad/statbank"
)

// BenchmarkRun100kCells fetches a JSON-stat answer of 100,440 cells (the
// 357 municipalities and 15 counties of 2024 × 27 age groups × 10 years)
// from a local statbank, sums the age groups, fits the figures and
// replaces the indicator's values: the whole of a scheduled run.
func BenchmarkRun100kCells(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := testdb.Open(b, engine)
			reg, err := db.Registry(ctx)
			if err != nil {
				b.Fatal(err)
			}
			on := samrad.Jan1(2024)
			regions := append(reg.ValidOn(on, samrad.KindMunicipality), reg.ValidOn(on, samrad.KindCounty)...)
			var body strings.Builder
			body.WriteString(`{"version":"2.0","class":"dataset","label":"07459: Befolkning","id":["Region","Alder","ContentsCode","Tid"],`)
			fmt.Fprintf(&body, `"size":[%d,27,1,10],"dimension":{"Region":{"category":{"index":[`, len(regions))
			for i, o := range regions {
				if i > 0 {
					body.WriteByte(',')
				}
				fmt.Fprintf(&body, "%q", o.Code)
			}
			body.WriteString(`]}},"Alder":{"category":{"index":[`)
			for i := range 27 {
				if i > 0 {
					body.WriteByte(',')
				}
				fmt.Fprintf(&body, `"A%02d"`, i)
			}
			body.WriteString(`]}},"ContentsCode":{"category":{"index":["Personer1"]}},"Tid":{"category":{"index":[`)
			for y := range 10 {
				if y > 0 {
					body.WriteByte(',')
				}
				fmt.Fprintf(&body, `"%d"`, 2015+y)
			}
			body.WriteString(`]}}},"role":{"geo":["Region"],"metric":["ContentsCode"],"time":["Tid"]},"value":[`)
			cells := len(regions) * 27 * 10
			for i := range cells {
				if i > 0 {
					body.WriteByte(',')
				}
				fmt.Fprintf(&body, "%d", 100+i%977)
			}
			body.WriteString("]}")
			doc := body.String()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(doc))
			}))
			defer srv.Close()
			a := samrad.Alliance{Slug: "last", NameNB: "Last", Kind: samrad.AllianceAssociation, FoundedPrecision: samrad.PrecisionUnknown}
			if err := db.CreateAlliance(ctx, &a); err != nil {
				b.Fatal(err)
			}
			in := samrad.Indicator{AllianceID: a.ID, Slug: "folk", NameNB: "Folk", Source: samrad.SourceSSB, Table: "07459", Measure: samrad.MeasureCount,
				Query: `{"select": {"Region": ["*"], "Alder": ["*"], "ContentsCode": ["Personer1"], "Tid": ["from(2015)"]}}`}
			if err := db.CreateIndicator(ctx, &in); err != nil {
				b.Fatal(err)
			}
			r := &refresh.Runner{DB: db, Client: statbank.New(srv.URL), Now: func() time.Time { return time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC) }}
			for b.Loop() {
				run, err := r.Run(ctx, in)
				if err != nil || !run.OK || run.Cells != cells || run.Rows != len(regions)*10 {
					b.Fatalf("run %+v, %v", run, err)
				}
			}
			b.ReportMetric(float64(cells), "cells")
		})
	}
}
