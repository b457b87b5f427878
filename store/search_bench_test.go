package store_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// BenchmarkSearch100k searches 100,000 synthetic documents made of the
// Snowball sample's Norwegian words, drawn with a Zipf law as words in real
// text are, from 1, 2 (the cores), 8 and 64 goroutines at once, and reports the 50th, 95th
// and 99th percentile of a query's time and the load average of the machine
// (it is shared: read the figures with it). The queries mix a rare word, a
// common word, two words, and a word with a kind, year or alliance filter;
// each asks for the first page of 20 with totals and facets.
//
//	go test -run XXX -bench Search100k -benchtime 2000x -timeout 30m ./store/
func BenchmarkSearch100k(b *testing.B) {
	words := benchWords(b)
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := testdb.Open(b, engine)
			a := loadSearchDocuments(b, db, words, 100_000)
			for _, conc := range []int{1, 2, 8, 64} {
				b.Run(fmt.Sprintf("c%d", conc), func(b *testing.B) {
					rng := rand.New(rand.NewPCG(2, 3))
					zipf := rand.NewZipf(rand.New(rand.NewPCG(4, 5)), 1.1, 50, uint64(len(words)-1))
					queries := make([]samrad.SearchQuery, b.N)
					for i := range queries {
						q := samrad.SearchQuery{Text: words[zipf.Uint64()]}
						switch i % 6 {
						case 0: // rare
							q.Text = words[len(words)-1-rng.IntN(len(words)/2)]
						case 1: // common
							q.Text = words[rng.IntN(10)]
						case 2:
							q.Text += " " + words[zipf.Uint64()]
						case 3:
							q.Kinds = []string{samrad.DocKinds[rng.IntN(len(samrad.DocKinds))]}
						case 4:
							q.Year = 2010 + rng.IntN(15)
						case 5:
							q.AllianceID = a.ID
						}
						queries[i] = q
					}
					took := make([]time.Duration, b.N)
					var next atomic.Int64
					var wg sync.WaitGroup
					b.ResetTimer()
					for range conc {
						wg.Add(1)
						go func() {
							defer wg.Done()
							for {
								i := int(next.Add(1)) - 1
								if i >= b.N {
									return
								}
								start := time.Now()
								if _, err := db.Search(ctx, queries[i]); err != nil {
									b.Error(err)
									return
								}
								took[i] = time.Since(start)
							}
						}()
					}
					wg.Wait()
					b.StopTimer()
					slices.Sort(took)
					pct := func(p float64) float64 {
						return float64(took[min(len(took)-1, int(p*float64(len(took))))].Microseconds()) / 1000
					}
					load, _ := os.ReadFile("/proc/loadavg")
					b.ReportMetric(pct(0.50), "p50-ms")
					b.ReportMetric(pct(0.95), "p95-ms")
					b.ReportMetric(pct(0.99), "p99-ms")
					b.Logf("%s, %d at once: %d queries over 100,000 documents: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; load average %s",
						engine, conc, b.N, pct(0.50), pct(0.95), pct(0.99), float64(took[len(took)-1].Microseconds())/1000, strings.TrimSpace(string(load)))
				})
			}
		})
	}
}

func benchWords(b testing.TB) []string {
	f, err := os.Open("../fulltext/testdata/voc_output.tsv")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var words []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w, _, _ := strings.Cut(sc.Text(), "\t")
		if len(w) > 3 {
			words = append(words, w)
		}
	}
	// Shuffle, so that the common words are not all early in the alphabet.
	rand.New(rand.NewPCG(1, 1)).Shuffle(len(words), func(i, j int) { words[i], words[j] = words[j], words[i] })
	return words
}

// loadSearchDocuments writes n documents straight into the index table (the
// triggers of the index itself run), 500 a statement, in one transaction.
func loadSearchDocuments(b testing.TB, db *store.DB, words []string, n int) samrad.Alliance {
	b.Helper()
	ctx := context.Background()
	a := newAlliance(b, db, "bench")
	zipf := rand.NewZipf(rand.New(rand.NewPCG(6, 7)), 1.1, 50, uint64(len(words)-1))
	rng := rand.New(rand.NewPCG(8, 9))
	text := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = words[zipf.Uint64()]
		}
		return strings.Join(ws, " ")
	}
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	const batch = 500
	for start := 0; start < n; start += batch {
		var sb strings.Builder
		var args []any
		sb.WriteString(`INSERT INTO search_documents (kind, ref_id, alliance_id, year, day, title, text) VALUES `)
		for i := start; i < min(n, start+batch); i++ {
			if i > start {
				sb.WriteString(", ")
			}
			k := len(args)
			fmt.Fprintf(&sb, "($%d, $%d, $%d, $%d, $%d, $%d, $%d)", k+1, k+2, k+3, k+4, k+5, k+6, k+7)
			year := 2010 + rng.IntN(15)
			args = append(args, samrad.DocKinds[rng.IntN(len(samrad.DocKinds))], i+1, a.ID, year,
				fmt.Sprintf("%d-%02d-%02d", year, 1+rng.IntN(12), 1+rng.IntN(28)), text(6), text(40+rng.IntN(120)))
		}
		if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if db.Dialect() == store.Postgres {
		if _, err := db.SQL().ExecContext(ctx, `ANALYZE search_documents`); err != nil {
			b.Fatal(err)
		}
	}
	return a
}
