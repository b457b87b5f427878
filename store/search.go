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
func (db *DB) Search(ctx context.Context, q samrad.SearchQuery) (samrad.SearchResults, error) {
	var out samrad.SearchResults
	if err := q.Validate(); err != nil {
		return out, err
	}
	parsed := fulltext.ParseQuery(q.Text)
	if parsed.Empty() {
		return out, nil
	}
	match := parsed.FTS5()
	from := `search_index JOIN search_documents d ON d.id = search_index.rowid
		JOIN alliances a ON a.id = d.alliance_id
		WHERE search_index MATCH $1`
	// rank: the smaller, the better.
	rank := `bm25(search_index, 4.0, 1.0)`
	if db.dialect == Postgres {
		match = parsed.Websearch()
		from = `search_documents d JOIN alliances a ON a.id = d.alliance_id
		WHERE d.tsv @@ websearch_to_tsquery('norwegian', $1)`
		rank = `-ts_rank_cd(d.tsv, websearch_to_tsquery('norwegian', $1))`
	}
	args := []any{match, time.Now().UTC().Format(time.RFC3339)}
	from += ` AND (d.visible_from IS NULL OR d.visible_from <= $2)`
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.AllianceID != 0 {
		from += ` AND d.alliance_id = ` + arg(q.AllianceID)
	}
	if q.BodyID != 0 {
		from += ` AND d.body_id = ` + arg(q.BodyID)
	}
	// The facets count with every filter but their own; kind and year
	// filters are applied in Go to the one count by kind and year.
	rows, err := db.db.QueryContext(ctx, `SELECT d.kind, COALESCE(d.year, 0), COUNT(*) FROM `+from+` GROUP BY d.kind, COALESCE(d.year, 0)`, args...)
	if err != nil {
		return out, fmt.Errorf("search %q: %w", q.Text, err)
	}
	kinds, years := map[string]int{}, map[int]int{}
	wantKind := func(k string) bool { return len(q.Kinds) == 0 || slices.Contains(q.Kinds, k) }
	for rows.Next() {
		var kind string
		var year, n int
		if err := rows.Scan(&kind, &year, &n); err != nil {
			rows.Close()
			return out, err
		}
		if q.Year == 0 || year == q.Year {
			kinds[kind] += n
		}
		if wantKind(kind) {
			if year != 0 {
				years[year] += n
			}
			if q.Year == 0 || year == q.Year {
				out.Total += n
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	for _, k := range samrad.DocKinds {
		if kinds[k] > 0 {
			out.Kinds = append(out.Kinds, samrad.Count{Value: k, N: kinds[k]})
		}
	}
	for y, n := range years {
		out.Years = append(out.Years, samrad.Count{Value: strconv.Itoa(y), N: n})
	}
	sort.Slice(out.Years, func(i, j int) bool { return out.Years[i].Value > out.Years[j].Value })
	if out.Total == 0 || (q.Page-1)*q.PerPage >= out.Total {
		return out, nil
	}

	if len(q.Kinds) > 0 {
		var ph []string
		for _, k := range q.Kinds {
			ph = append(ph, arg(k))
		}
		from += ` AND d.kind IN (` + strings.Join(ph, ", ") + `)`
	}
	if q.Year != 0 {
		from += ` AND d.year = ` + arg(q.Year)
	}
	// The page is chosen from the ids alone, so that sorting every match
	// does not carry its text along; the texts of the page are read after.
	rows, err = db.db.QueryContext(ctx, `SELECT d.id, d.kind, d.ref_id, d.alliance_id, a.slug, a.name_nb, a.name_en,
		COALESCE(d.body_id, 0), COALESCE(d.year, 0), d.day, d.title, d.title_en, d.text, d.path1, d.path2
		FROM (SELECT d.id, `+rank+` AS r, d.day FROM `+from+`
			ORDER BY r, d.day DESC, d.id LIMIT `+arg(q.PerPage)+` OFFSET `+arg((q.Page-1)*q.PerPage)+`) page
		JOIN search_documents d ON d.id = page.id JOIN alliances a ON a.id = d.alliance_id
		ORDER BY page.r, page.day DESC, page.id`, args...)
	if err != nil {
		return out, fmt.Errorf("search %q: %w", q.Text, err)
	}
	defer rows.Close()
	for rows.Next() {
		var h samrad.SearchHit
		if err := rows.Scan(&h.ID, &h.Kind, &h.RefID, &h.AllianceID, &h.AllianceSlug, &h.AllianceNB, &h.AllianceEN,
			&h.BodyID, &h.Year, &h.Day, &h.TitleNB, &h.TitleEN, &h.Text, &h.Path1, &h.Path2); err != nil {
			return out, err
		}
		out.Hits = append(out.Hits, h)
	}
	return out, rows.Err()
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
