package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// BenchmarkPortfolio2000 reads the public portfolio of an alliance with
// 2,000 projects, each with two partners and three sources of funding,
// two thirds of them in one of five networks: rows, owners, networks and
// funding per kind, with the totals (two queries).
func BenchmarkPortfolio2000(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := testdb.Open(b, engine)
			a := newAlliance(b, db, "prosjekttest")
			var networks []int64
			for i := range 5 {
				networks = append(networks, newNetwork(b, db, a.ID, fmt.Sprintf("nettverk-%d", i+1), fmt.Sprintf("Nettverk %d", i+1), true))
			}
			if err := demo.LoadPortfolio(ctx, db, a.ID, 2000, networks); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				pf, err := db.Portfolio(ctx, a.ID, store.PortfolioFilter{})
				if err != nil {
					b.Fatal(err)
				}
				if len(pf.Rows) != 2000 {
					b.Fatalf("%d projects", len(pf.Rows))
				}
			}
		})
	}
}
