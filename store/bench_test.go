package store_test

import (
	"context"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// nationalAlliance creates an alliance of every municipality and county of
// 2024 (357 + 15), a fee schedule and synthetic population figures for
// 1 January 2024.
func nationalAlliance(b *testing.B, db *store.DB) samrad.Alliance {
	b.Helper()
	ctx := context.Background()
	reg, err := db.Registry(ctx)
	if err != nil {
		b.Fatal(err)
	}
	a := samrad.Alliance{Slug: "norge", NameNB: "Alle", Kind: samrad.AllianceAssociation, FoundedPrecision: samrad.PrecisionUnknown}
	if err := db.CreateAlliance(ctx, &a); err != nil {
		b.Fatal(err)
	}
	var rows []store.ImportRow
	var pop []store.PopulationRow
	for i, o := range reg.ValidOn(d("2024-01-01"), "") {
		rows = append(rows, store.ImportRow{Line: i + 1, Code: o.Code, Kind: o.Kind, Membership: samrad.Membership{
			From: d("2024-01-01"), FromPrecision: samrad.PrecisionDay, Category: string(o.Kind), Status: samrad.StatusConfirmed}})
		pop = append(pop, store.PopulationRow{Code: o.Code, Year: 2024, Persons: int64(1000 + i*37)})
	}
	if len(rows) != 372 {
		b.Fatalf("%d organisations on 2024-01-01, want 372", len(rows))
	}
	if _, err := db.ImportMemberships(ctx, a.ID, "all.csv", rows, false); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ImportPopulation(ctx, "pop.json", "synthetic", pop); err != nil {
		b.Fatal(err)
	}
	s := samrad.FeeSchedule{AllianceID: a.ID, FromYear: 2024, Population: samrad.PopulationFeeYear, RoundingUnit: 1,
		Rates:   []samrad.FeeRate{{Category: "municipality", PerInhabitant: 150}, {Category: "county", PerInhabitant: 150}},
		Members: []samrad.FeeMemberRule{{OrgKind: samrad.KindMunicipality, OrgCode: "0301", MultiplierPermille: 2000}}}
	if err := db.CreateFeeSchedule(ctx, &s); err != nil {
		b.Fatal(err)
	}
	return a
}

func benchEngines(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) { fn(b, testdb.Open(b, engine)) })
	}
}

// BenchmarkFees372Members computes a year's fees for all 357 municipalities
// and 15 counties (target: under 5 ms).
func BenchmarkFees372Members(b *testing.B) {
	benchEngines(b, func(b *testing.B, db *store.DB) {
		a := nationalAlliance(b, db)
		ctx := context.Background()
		b.ResetTimer()
		for b.Loop() {
			t, err := db.FeeTable(ctx, a.ID, 2024)
			if err != nil || len(t.Lines) != 372 {
				b.Fatalf("%v, %d lines", err, len(t.Lines))
			}
		}
	})
}

// BenchmarkMembersOn372 lists the members of a 372-member alliance on a date
// (target: under 1 ms).
func BenchmarkMembersOn372(b *testing.B) {
	benchEngines(b, func(b *testing.B, db *store.DB) {
		a := nationalAlliance(b, db)
		ctx := context.Background()
		b.ResetTimer()
		for b.Loop() {
			ms, err := db.MembersOn(ctx, a.ID, d("2024-06-01"), false)
			if err != nil || len(ms) != 372 {
				b.Fatalf("%v, %d members", err, len(ms))
			}
		}
	})
}

// BenchmarkImportPopulationTenYears stores ten years of figures for every
// region code the registry knows (target: under 1 s including parsing,
// which package ssb measures separately).
func BenchmarkImportPopulationTenYears(b *testing.B) {
	benchEngines(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		reg, err := db.Registry(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var rows []store.PopulationRow
		for year := 2015; year < 2025; year++ {
			for i, o := range reg.ValidOn(samrad.Jan1(year), "") {
				rows = append(rows, store.PopulationRow{Code: o.Code, Year: year, Persons: int64(500 + i)})
			}
		}
		b.ReportMetric(float64(len(rows)), "rows")
		b.ResetTimer()
		for b.Loop() {
			if _, err := db.ImportPopulation(ctx, "ten-years.json", "synthetic", rows); err != nil {
				b.Fatal(err)
			}
		}
	})
}
