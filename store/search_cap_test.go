package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
)

// A search that matches more than samrad.MaxSearchHits documents ranks the
// most recently indexed of them, says it was capped, and pages through
// them; its filters still find every match of their own, and both engines
// answer alike.
func TestSearchCapped(t *testing.T) {
	const n = samrad.MaxSearchHits + 200
	answers := map[string]string{}
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := testdb.Open(t, engine)
			a := newAlliance(t, db, "cap")
			// Every document holds "fiskevelferd"; every tenth is a
			// project of 2019 and holds "sjelden" once more in its title.
			tx, err := db.SQL().BeginTx(ctx, nil)
			must(t, err)
			for start := 0; start < n; start += 200 {
				var sb strings.Builder
				var args []any
				sb.WriteString(`INSERT INTO search_documents (kind, ref_id, alliance_id, year, day, title, text) VALUES `)
				for i := start; i < start+200; i++ {
					if i > start {
						sb.WriteString(", ")
					}
					k := len(args)
					fmt.Fprintf(&sb, "($%d, $%d, $%d, $%d, $%d, $%d, $%d)", k+1, k+2, k+3, k+4, k+5, k+6, k+7)
					kind, year, title := samrad.DocCase, 2010+i%9, fmt.Sprintf("Sak %d", i)
					if i%10 == 0 {
						kind, year, title = samrad.DocProject, 2019, fmt.Sprintf("Sjelden sak %d", i)
					}
					args = append(args, kind, i+1, a.ID, year, fmt.Sprintf("%d-01-01", year), title,
						strings.Repeat("fiskevelferd ", 1+i%3)+"i havbruket")
				}
				_, err := tx.ExecContext(ctx, sb.String(), args...)
				must(t, err)
			}
			must(t, tx.Commit())

			res, err := db.Search(ctx, samrad.SearchQuery{Text: "fiskevelferden", PerPage: 50})
			must(t, err)
			if !res.Capped || res.Total != samrad.MaxSearchHits || len(res.Hits) != 50 {
				t.Fatalf("common word: capped %v, total %d, %d hits", res.Capped, res.Total, len(res.Hits))
			}
			if len(res.Kinds) != 0 || len(res.Years) != 10 || res.Years[0] != (samrad.Count{Value: "2019"}) || res.Years[9].Value != "2010" {
				t.Errorf("capped facets: kinds %+v, years %+v", res.Kinds, res.Years)
			}
			// Only the newest MaxSearchHits documents are ranked; the
			// first page is the best of them, the last page is full, and
			// there is none after it.
			var ids []int64
			for page := 1; page <= samrad.MaxSearchHits/50+1; page++ {
				res, err := db.Search(ctx, samrad.SearchQuery{Text: "fiskevelferden", PerPage: 50, Page: page})
				must(t, err)
				if page <= samrad.MaxSearchHits/50 && len(res.Hits) != 50 || page > samrad.MaxSearchHits/50 && len(res.Hits) != 0 {
					t.Fatalf("page %d: %d hits", page, len(res.Hits))
				}
				for _, h := range res.Hits {
					if h.RefID <= n-samrad.MaxSearchHits {
						t.Fatalf("page %d: document %d is older than the newest %d", page, h.RefID, samrad.MaxSearchHits)
					}
					ids = append(ids, h.RefID)
				}
			}
			seen := map[int64]bool{}
			for _, id := range ids {
				if seen[id] {
					t.Fatalf("document %d on two pages", id)
				}
				seen[id] = true
			}
			// Many searches at once, more than the pool has connections,
			// each finish.
			cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
			defer cancel()
			errs := make(chan error, 64)
			for i := range 64 {
				go func() {
					_, err := db.Search(cctx, samrad.SearchQuery{Text: "fiskevelferd", Year: 2010 + i%10})
					errs <- err
				}()
			}
			for range 64 {
				if err := <-errs; err != nil {
					t.Fatalf("concurrent searches: %v", err)
				}
			}
			// A filter finds every match of its own, counted exactly.
			res, err = db.Search(ctx, samrad.SearchQuery{Text: "fiskevelferd", Kinds: []string{samrad.DocProject}, PerPage: 50})
			must(t, err)
			if res.Capped || res.Total != n/10 {
				t.Errorf("projects: capped %v, total %d, want %d", res.Capped, res.Total, n/10)
			}
			res, err = db.Search(ctx, samrad.SearchQuery{Text: "fiskevelferd", Year: 2019, Kinds: []string{samrad.DocCase}})
			must(t, err)
			if res.Capped || res.Total != 0 {
				t.Errorf("cases of 2019: capped %v, total %d", res.Capped, res.Total)
			}
			res, err = db.Search(ctx, samrad.SearchQuery{Text: "fiskevelferd", Year: 2015})
			must(t, err)
			want := 0
			for i := 0; i < n; i++ {
				if i%10 != 0 && 2010+i%9 == 2015 {
					want++
				}
			}
			if res.Capped || res.Total != want || res.Hits[0].Year != 2015 {
				t.Errorf("documents of 2015: capped %v, total %d, want %d", res.Capped, res.Total, want)
			}
			// Few matches: exact facets.
			res, err = db.Search(ctx, samrad.SearchQuery{Text: "sjelden", PerPage: 50})
			must(t, err)
			if res.Capped || res.Total != n/10 || !reflect.DeepEqual(res.Kinds, []samrad.Count{{Value: samrad.DocProject, N: n / 10}}) ||
				!reflect.DeepEqual(res.Years, []samrad.Count{{Value: "2019", N: n / 10}}) {
				t.Errorf("rare word: capped %v, total %d, kinds %+v, years %+v", res.Capped, res.Total, res.Kinds, res.Years)
			}
			// Filters are not words a reader can search for.
			for _, text := range []string{"kproject", "y2019", "k:project", "a" + fmt.Sprint(a.ID)} {
				res, err = db.Search(ctx, samrad.SearchQuery{Text: text})
				must(t, err)
				if res.Total != 0 {
					t.Errorf("%q found %d documents", text, res.Total)
				}
			}
			// The engines rank differently (bm25, ts_rank_cd), but rank
			// the same documents.
			slices.Sort(ids)
			answers[engine] = fmt.Sprint(ids)
		})
	}
	if answers["sqlite"] != answers["postgres"] {
		t.Errorf("the engines found different documents:\nsqlite   %s\npostgres %s", answers["sqlite"], answers["postgres"])
	}
}

// A change to a row writes its search documents once, not once more for the
// trigger that stamps the row's modified time. Only SQLite stamps with an
// UPDATE of its own (PostgreSQL sets the time in a BEFORE trigger); the rows
// a statement changes, its triggers' included, are counted on one
// connection.
func TestSearchIndexWrittenOncePerChange(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "sqlite")
	f := newSearchFixture(t, db)
	conn, err := db.SQL().Conn(ctx)
	must(t, err)
	defer conn.Close()
	changes := func() (n int64) {
		must(t, conn.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&n))
		return n
	}
	before := changes()
	_, err = conn.ExecContext(ctx, `UPDATE cases SET title = 'Medlemsavgift for 2018' WHERE id = $1`, f.feeCase.ID)
	must(t, err)
	// The case, its modified time, its two search documents deleted and
	// inserted, and the full-text index's own rows: 21. Written twice, it
	// was 40.
	if got := changes() - before; got != 21 {
		t.Errorf("one change of a case changed %d rows, want 21", got)
	}
}
