package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/fulltext"
)

// The search index is kept by triggers (migration 0022): search_source says
// what each kind of document holds, search_documents holds a copy, and
// PostgreSQL's tsvector column or SQLite's FTS5 table search_index make it
// searchable. Both engines stem with the same Snowball Norwegian algorithm
// and stop words; they differ in the rank (ts_rank_cd against bm25), so the
// same documents are found but ties of rank may fall differently.

var registerOnce sync.Once

// registerSQLiteFunctions gives every SQLite connection the store opens the
// Go functions its triggers call: nb_stem(text) returns the Snowball stems of
// text's words, stop words left out, joined by spaces.
func registerSQLiteFunctions() {
	registerOnce.Do(func() {
		sqlite.MustRegisterDeterministicScalarFunction("nb_stem", 1,
			func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
				switch v := args[0].(type) {
				case nil:
					return "", nil
				case string:
					return fulltext.IndexText(v), nil
				case []byte:
					return fulltext.IndexText(string(v)), nil
				default:
					return fmt.Sprint(v), nil
				}
			})
	})
}

// Search finds the documents that match q's text and filters, best first:
// by rank, then the newest, then by id.
//
// Counting and ranking every match of a common word is what made search
// slow over many documents, so a search reads at most MaxSearchHits+1
// matches, the most recently indexed first (an order both indexes give
// without ranking: the row id), and ranks only those. The filters are words
// of the index (see migration 0024), so that a filtered search reads only
// its own matches. The facets are counted from the matches of the search
// without its kind and year filters, when there are no more than
// MaxSearchHits of them.
func (db *DB) Search(ctx context.Context, q samrad.SearchQuery) (samrad.SearchResults, error) {
	var out samrad.SearchResults
	if err := q.Validate(); err != nil {
		return out, err
	}
	parsed := fulltext.ParseQuery(q.Text)
	if parsed.Empty() {
		return out, nil
	}
	now := time.Now().UTC().Format(time.RFC3339)
	var src queryer = db.db
	if db.dialect == Postgres {
		// The planner would walk the primary key backwards and test every
		// row's tsvector, which is out of line and costly to read, or read
		// the whole table for a common word: the candidates are read from
		// the GIN index only (see docs/PERFORMANCE.md).
		tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return out, err
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
			return out, err
		}
		if _, err := tx.ExecContext(ctx, `SET LOCAL enable_indexscan = off`); err != nil {
			return out, err
		}
		// Parallel workers only cost more for the few thousand rows read.
		if _, err := tx.ExecContext(ctx, `SET LOCAL max_parallel_workers_per_gather = 0`); err != nil {
			return out, err
		}
		// Every query of the search runs in this transaction: one
		// connection a search, never a second one waited for while
		// holding the first.
		src = tx
	}
	// The facet sample: every filter but kind and year.
	sample, err := db.searchCandidates(ctx, src, parsed, q.AllianceID, q.BodyID, "", 0, now)
	if err != nil {
		return out, fmt.Errorf("search %q: %w", q.Text, err)
	}
	wantKind := func(k string) bool { return len(q.Kinds) == 0 || slices.Contains(q.Kinds, k) }
	var cands []searchCandidate
	if len(sample) <= samrad.MaxSearchHits {
		kinds, years := map[string]int{}, map[int]int{}
		for _, c := range sample {
			if q.Year == 0 || c.year == q.Year {
				kinds[c.kind]++
			}
			if wantKind(c.kind) {
				if c.year != 0 {
					years[c.year]++
				}
				if q.Year == 0 || c.year == q.Year {
					cands = append(cands, c)
				}
			}
		}
		for _, k := range samrad.DocKinds {
			if kinds[k] > 0 {
				out.Kinds = append(out.Kinds, samrad.Count{Value: k, N: kinds[k]})
			}
		}
		for y, n := range years {
			out.Years = append(out.Years, samrad.Count{Value: strconv.Itoa(y), N: n})
		}
	} else {
		if out.Years, err = db.searchYears(ctx, src); err != nil {
			return out, err
		}
		cands = sample
		if len(q.Kinds) > 0 || q.Year != 0 {
			kind := ""
			if len(q.Kinds) == 1 {
				kind = q.Kinds[0]
			}
			if cands, err = db.searchCandidates(ctx, src, parsed, q.AllianceID, q.BodyID, kind, q.Year, now); err != nil {
				return out, fmt.Errorf("search %q: %w", q.Text, err)
			}
			// More kinds than one are filtered here, from at most
			// MaxSearchHits+1 matches of any kind.
			cands = slices.DeleteFunc(cands, func(c searchCandidate) bool { return !wantKind(c.kind) })
		}
	}
	sort.Slice(out.Years, func(i, j int) bool { return out.Years[i].Value > out.Years[j].Value })
	if len(cands) > samrad.MaxSearchHits {
		cands, out.Capped = cands[:samrad.MaxSearchHits], true
	}
	out.Total = len(cands)
	first := (q.Page - 1) * q.PerPage
	if first >= out.Total {
		return out, nil
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if a.day != b.day {
			return a.day > b.day
		}
		return a.id < b.id
	})
	page := cands[first:min(len(cands), first+q.PerPage)]
	ids := make([]any, len(page))
	ph := make([]string, len(page))
	for i, c := range page {
		ids[i], ph[i] = c.id, "$"+strconv.Itoa(i+1)
	}
	rows, err := src.QueryContext(ctx, `SELECT d.id, d.kind, d.ref_id, d.alliance_id, a.slug, a.name_nb, a.name_en,
		COALESCE(d.body_id, 0), COALESCE(d.year, 0), d.day, d.title, d.title_en, d.text, d.path1, d.path2
		FROM search_documents d JOIN alliances a ON a.id = d.alliance_id
		WHERE d.id IN (`+strings.Join(ph, ", ")+`)`, ids...)
	if err != nil {
		return out, fmt.Errorf("search %q: %w", q.Text, err)
	}
	defer rows.Close()
	byID := map[int64]samrad.SearchHit{}
	for rows.Next() {
		var h samrad.SearchHit
		if err := rows.Scan(&h.ID, &h.Kind, &h.RefID, &h.AllianceID, &h.AllianceSlug, &h.AllianceNB, &h.AllianceEN,
			&h.BodyID, &h.Year, &h.Day, &h.TitleNB, &h.TitleEN, &h.Text, &h.Path1, &h.Path2); err != nil {
			return out, err
		}
		byID[h.ID] = h
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	for _, c := range page {
		if h, ok := byID[c.id]; ok {
			out.Hits = append(out.Hits, h)
		}
	}
	return out, nil
}

// searchCandidate is a match as a search ranks and counts it.
type searchCandidate struct {
	id   int64
	rank float64 // the smaller, the better
	day  string
	kind string
	year int
}

// searchCandidates returns the MaxSearchHits+1 most recently indexed
// documents that match the query and the filters (0 or "": none), visible
// at now, with their rank.
func (db *DB) searchCandidates(ctx context.Context, src queryer, q fulltext.Query, allianceID, bodyID int64, kind string, year int, now string) ([]searchCandidate, error) {
	args := []any{"", now}
	if db.dialect == Postgres {
		// The filters are lexemes of the tsvector that no text can make.
		var facets []string
		if allianceID != 0 {
			facets = append(facets, fmt.Sprintf("'a:%d'", allianceID))
		}
		if bodyID != 0 {
			facets = append(facets, fmt.Sprintf("'b:%d'", bodyID))
		}
		if kind != "" {
			facets = append(facets, "'k:"+kind+"'") // one of samrad.DocKinds
		}
		if year != 0 {
			facets = append(facets, fmt.Sprintf("'y:%d'", year))
		}
		tsq := `websearch_to_tsquery('norwegian', $1)`
		if len(facets) > 0 {
			tsq = `(` + tsq + ` && $3::tsquery)`
			args = append(args, strings.Join(facets, " & "))
		}
		args[0] = q.Websearch()
		// The newest matches are read from a window of the newest ids
		// first, widened only when it holds too few: a common word then
		// visits a few thousand rows, not all of its matches. The result is
		// the same as one read of every match.
		var maxID int64
		if err := src.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM search_documents`).Scan(&maxID); err != nil {
			return nil, err
		}
		for _, window := range []int64{8192, 65536, 0} {
			lo := int64(0)
			if window != 0 {
				lo = max(0, maxID-window)
			}
			out, err := scanSearchCandidates(ctx, src, `SELECT c.id, -ts_rank_cd(c.tsv, websearch_to_tsquery('norwegian', $1)), c.day, c.kind, c.year
				FROM (SELECT d.id, d.tsv, d.day, d.kind, COALESCE(d.year, 0) AS year FROM search_documents d
					WHERE d.tsv @@ `+tsq+` AND (d.visible_from IS NULL OR d.visible_from <= $2) AND d.id > `+strconv.FormatInt(lo, 10)+`
					ORDER BY d.id DESC LIMIT `+strconv.Itoa(samrad.MaxSearchHits+1)+`) c
				ORDER BY c.id DESC`, args...)
			if err != nil || len(out) > samrad.MaxSearchHits || lo == 0 {
				return out, err
			}
		}
		panic("unreachable") // the last window holds every id
	}
	var facets []string
	if allianceID != 0 {
		facets = append(facets, fmt.Sprintf(`"a%d"`, allianceID))
	}
	if bodyID != 0 {
		facets = append(facets, fmt.Sprintf(`"b%d"`, bodyID))
	}
	if kind != "" {
		facets = append(facets, `"k`+kind+`"`)
	}
	if year != 0 {
		facets = append(facets, fmt.Sprintf(`"y%d"`, year))
	}
	// The reader's words in title and text, the filters in facets.
	match := `{title text} : (` + q.FTS5() + `)`
	if len(facets) > 0 {
		match += ` AND facets : (` + strings.Join(facets, " AND ") + `)`
	}
	args[0] = match
	query := `SELECT d.id, bm25(search_index, 4.0, 1.0, 0.0), d.day, d.kind, COALESCE(d.year, 0)
			FROM search_index JOIN search_documents d ON d.id = search_index.rowid
			WHERE search_index MATCH $1 AND (d.visible_from IS NULL OR d.visible_from <= $2)
			ORDER BY search_index.rowid DESC LIMIT ` + strconv.Itoa(samrad.MaxSearchHits+1)
	return scanSearchCandidates(ctx, src, query, args...)
}

func scanSearchCandidates(ctx context.Context, src queryer, query string, args ...any) ([]searchCandidate, error) {
	rows, err := src.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []searchCandidate
	for rows.Next() {
		var c searchCandidate
		if err := rows.Scan(&c.id, &c.rank, &c.day, &c.kind, &c.year); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// searchYears lists every year of the index, for a search that matches too
// many documents to count them by year.
func (db *DB) searchYears(ctx context.Context, src queryer) ([]samrad.Count, error) {
	var lo, hi sql.NullInt64
	if err := src.QueryRowContext(ctx, `SELECT (SELECT MIN(year) FROM search_documents WHERE year IS NOT NULL),
		(SELECT MAX(year) FROM search_documents WHERE year IS NOT NULL)`).Scan(&lo, &hi); err != nil {
		return nil, err
	}
	var out []samrad.Count
	for y := hi.Int64; lo.Valid && y >= lo.Int64; y-- {
		out = append(out, samrad.Count{Value: strconv.FormatInt(y, 10)})
	}
	return out, nil
}

// Reindex rebuilds the whole search index from the source tables in one
// transaction: for a new stemmer, or after a bulk load with the triggers'
// work to check. The triggers keep it up to date otherwise.
func (db *DB) Reindex(ctx context.Context) (int, error) {
	var n int
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_documents`); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO search_documents (`+searchColumns+`)
			SELECT `+searchColumns+` FROM search_source`)
		if err != nil {
			return err
		}
		rows, err := res.RowsAffected()
		n = int(rows)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("reindex search: %w", err)
	}
	return n, nil
}

const searchColumns = `kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2`
