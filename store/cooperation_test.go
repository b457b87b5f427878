package store_test

import (
	"context"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// TestCooperationCountsPublishedOnly counts one alliance's items in each
// area and leaves out drafts, inactive services and other alliances'.
func TestCooperationCountsPublishedOnly(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		vr := newAlliance(t, db, "vestregionen")
		ore := newAlliance(t, db, "ore")
		c, err := db.CooperationOf(ctx, vr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Any() {
			t.Fatalf("new alliance has %+v", c)
		}
		stamp := "2021-01-01T00:00:00Z"
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO networks (alliance_id, slug, kind, name_nb) VALUES ($1, 'a', 'internal', 'A'), ($1, 'b', 'external', 'B')`, []any{vr.ID}},
			{`INSERT INTO networks (alliance_id, slug, kind, name_nb, published) VALUES ($1, 'c', 'internal', 'C', $2)`, []any{vr.ID, false}},
			{`INSERT INTO networks (alliance_id, slug, kind, name_nb) VALUES ($1, 'a', 'internal', 'A')`, []any{ore.ID}},
			{`INSERT INTO projects (alliance_id, slug, name_nb, status, created_at, updated_at) VALUES ($1, 'khs', 'KHS', 'running', $2, $2)`, []any{vr.ID, stamp}},
			{`INSERT INTO funding_programmes (alliance_id, slug, name_nb, kind) VALUES ($1, 'erasmus', 'Erasmus+', 'eu')`, []any{vr.ID}},
			{`INSERT INTO services (alliance_id, slug, name_nb, position) VALUES ($1, 'bpa', 'BPA', 1), ($1, 'gammel', 'Gammel', 2)`, []any{vr.ID}},
			{`UPDATE services SET active = $1 WHERE slug = 'gammel'`, []any{false}},
			{`INSERT INTO agreements (alliance_id, slug, kind, title_nb) VALUES ($1, 'hsn', 'cooperation', 'HSN')`, []any{vr.ID}},
			{`INSERT INTO recurring_programmes (alliance_id, slug, kind, name_nb) VALUES ($1, 'krv', 'exhibition', 'Kunst rett vest')`, []any{vr.ID}},
		} {
			if _, err := db.SQL().ExecContext(ctx, q.sql, q.args...); err != nil {
				t.Fatalf("%s: %v", q.sql, err)
			}
		}
		for _, in := range []samrad.Indicator{
			{AllianceID: vr.ID, Slug: "folkemengde", NameNB: "Folkemengde", Source: samrad.SourcePopulation, Measure: samrad.MeasureCount},
			{AllianceID: vr.ID, Slug: "eldre", NameNB: "Eldre", Source: samrad.SourcePopulation, Measure: samrad.MeasureCount, MembersOnly: true},
		} {
			if err := db.CreateIndicator(ctx, &in); err != nil {
				t.Fatal(err)
			}
		}
		if c, err = db.CooperationOf(ctx, vr.ID); err != nil {
			t.Fatal(err)
		}
		want := store.Cooperation{Networks: 2, Projects: 1, FundingProgrammes: 1, Services: 1, Agreements: 1, Recurring: 1, Indicators: 1}
		if c != want {
			t.Fatalf("got %+v, want %+v", c, want)
		}
	})
}
