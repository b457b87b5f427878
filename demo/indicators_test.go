package demo_test

import (
	"context"
	"math"
	"testing"

	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
)

// TestDemoIndicators checks the demo's steering data against SSB's files:
// Asker today (3203) is Asker, Røyken and Hurum summed; Bærum (3201) is
// Bærum; the share aged 65 and over is for members only.
func TestDemoIndicators(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "sqlite")
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	vr, err := db.AllianceBySlug(ctx, "vestregionen")
	if err != nil {
		t.Fatal(err)
	}
	public, err := db.Indicators(ctx, vr.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	all, err := db.Indicators(ctx, vr.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(public) != 3 || len(all) != 4 {
		t.Fatalf("%d public and %d in all, want 3 and 4", len(public), len(all))
	}
	want := map[string]map[[2]string]float64{
		"folkemengde":       {{"3203", "2019"}: 61523 + 22635 + 9521, {"3201", "2018"}: 125454},
		"befolkningsvekst":  {{"3203", "2019"}: 100 * float64((61523+22635+9521)-(60926+22452+9450)) / float64(60926+22452+9450)},
		"andel-65-og-eldre": {{"3201", "2015"}: 100 * 18863.0 / (32240 + 69582 + 18863)},
	}
	for _, in := range all {
		for key, v := range want[in.Slug] {
			c, err := db.Comparison(ctx, in.ID, []string{key[0]}, key[1], key[1])
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Cells) != 1 || len(c.Cells[0]) != 1 || !c.Cells[0][0].OK || math.Abs(c.Cells[0][0].Value-v) > 1e-9 {
				t.Errorf("%s %v: %+v, want %v", in.Slug, key, c.Cells, v)
			}
		}
		runs, err := db.Runs(ctx, in.ID, 5)
		if err != nil || len(runs) != 1 || !runs[0].OK {
			t.Errorf("%s: runs %+v, %v", in.Slug, runs, err)
		}
	}
}
