package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// regions2024 are the 357 municipalities and 15 counties valid on 2024-06-01.
func regions2024(b *testing.B, db *store.DB) []string {
	reg, err := db.Registry(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	var codes []string
	for _, o := range reg.ValidOn(d("2024-06-01"), "") {
		if o.Kind.Official() {
			codes = append(codes, o.Code)
		}
	}
	if len(codes) != 372 {
		b.Fatalf("%d regions", len(codes))
	}
	return codes
}

// BenchmarkReplaceValues100k replaces an indicator's figures by 100,000
// monthly values for the 372 regions in one transaction, with the checks
// against the registry.
func BenchmarkReplaceValues100k(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := testdb.Open(b, engine)
			a := newAlliance(b, db, "ytelse")
			in := newIndicator(b, db, a.ID, "maanedlig", samrad.MeasureShare, false)
			codes := regions2024(b, db)
			values := make([]samrad.IndicatorValue, 0, 100_000)
			for m := 0; len(values) < 100_000; m++ {
				period := fmt.Sprintf("%dM%02d", 2000+m/12, m%12+1)
				for i, code := range codes {
					if len(values) == 100_000 {
						break
					}
					values = append(values, samrad.IndicatorValue{Code: code, Period: period, Numerator: float64(i + m),
						Denominator: 1000 + float64(i), Method: samrad.FitFigure})
				}
			}
			b.ResetTimer()
			for b.Loop() {
				run, err := db.StartRun(ctx, in.ID, store.RunSource{FittedOn: d("2024-06-01")})
				if err != nil {
					b.Fatal(err)
				}
				if err := db.ReplaceValues(ctx, run.ID, in.ID, values, len(values)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkComparison372x10 reads the comparison of the 372 regions over
// ten years, as the comparison page does.
func BenchmarkComparison372x10(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := testdb.Open(b, engine)
			a := newAlliance(b, db, "sammenlikning")
			in := newIndicator(b, db, a.ID, "aarlig", samrad.MeasurePer1000, false)
			codes := regions2024(b, db)
			var values []samrad.IndicatorValue
			for y := 2015; y <= 2024; y++ {
				for i, code := range codes {
					values = append(values, samrad.IndicatorValue{Code: code, Period: fmt.Sprint(y), Numerator: float64(i + y),
						Denominator: 1000 + float64(i), Method: samrad.FitFigure})
				}
			}
			run, err := db.StartRun(ctx, in.ID, store.RunSource{FittedOn: d("2024-06-01")})
			if err != nil {
				b.Fatal(err)
			}
			if err := db.ReplaceValues(ctx, run.ID, in.ID, values, len(values)); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				c, err := db.Comparison(ctx, in.ID, codes, "2015", "2024")
				if err != nil {
					b.Fatal(err)
				}
				if len(c.Codes) != 372 || len(c.Periods) != 10 || !c.Cells[371][9].OK {
					b.Fatalf("%d × %d", len(c.Codes), len(c.Periods))
				}
			}
		})
	}
}
