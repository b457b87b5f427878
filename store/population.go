package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/samrad/samrad"
)

// PopulationRow is one imported figure: persons with an organisation code on
// 1 January of Year.
type PopulationRow struct {
	Code    string
	Year    int
	Persons int64
}

// PopulationReport says what an import changed.
type PopulationReport struct {
	ImportID                int64
	Years                   []int
	Added, Changed, Removed int
	Unchanged               int
	Examples                []string // a few changed figures, "0301 2019: 681071 → 681072"
}

func (r PopulationReport) String() string {
	years := make([]string, len(r.Years))
	for i, y := range r.Years {
		years[i] = fmt.Sprint(y)
	}
	s := fmt.Sprintf("years %s: %d added, %d changed, %d removed, %d unchanged",
		strings.Join(years, ", "), r.Added, r.Changed, r.Removed, r.Unchanged)
	for _, e := range r.Examples {
		s += "\n  " + e
	}
	return s
}

// ImportPopulation replaces the figures of every year present in rows, in
// one transaction, and reports what changed. Codes must be "0" (the whole
// country), a county or a municipality code.
func (db *DB) ImportPopulation(ctx context.Context, file, source string, rows []PopulationRow) (PopulationReport, error) {
	var rep PopulationReport
	years := map[int]bool{}
	seen := map[string]bool{}
	for _, r := range rows {
		if r.Persons < 0 {
			return rep, samrad.Errorf(samrad.EINVALID, "%s: %s %d: negative persons", file, r.Code, r.Year)
		}
		if _, ok := samrad.KindForCode(r.Code); !ok && r.Code != "0" {
			return rep, samrad.Errorf(samrad.EINVALID, "%s: %q is not a region code", file, r.Code)
		}
		k := fmt.Sprint(r.Code, "/", r.Year)
		if seen[k] {
			return rep, samrad.Errorf(samrad.EINVALID, "%s: %s %d appears twice", file, r.Code, r.Year)
		}
		seen[k] = true
		years[r.Year] = true
	}
	if len(rows) == 0 {
		return rep, samrad.Errorf(samrad.EINVALID, "%s: no figures to import", file)
	}
	for y := range years {
		rep.Years = append(rep.Years, y)
	}
	sort.Ints(rep.Years)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		rep.Added, rep.Changed, rep.Removed, rep.Unchanged, rep.Examples = 0, 0, 0, 0, nil
		old := map[string]int64{}
		for _, y := range rep.Years {
			qr, err := tx.QueryContext(ctx, `SELECT code, persons FROM population WHERE ref_date = $1`, samrad.Jan1(y))
			if err != nil {
				return err
			}
			for qr.Next() {
				var code string
				var n int64
				if err := qr.Scan(&code, &n); err != nil {
					qr.Close()
					return err
				}
				old[fmt.Sprint(code, "/", y)] = n
			}
			qr.Close()
			if err := qr.Err(); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM population WHERE ref_date = $1`, samrad.Jan1(y)); err != nil {
				return err
			}
		}
		id, err := insertID(ctx, tx, `INSERT INTO population_imports (file, source, imported_at) VALUES ($1, $2, $3)`, file, source, now())
		if err != nil {
			return err
		}
		rep.ImportID = id
		if err := db.insertPopulation(ctx, tx, id, rows); err != nil {
			return err
		}
		for _, r := range rows {
			k := fmt.Sprint(r.Code, "/", r.Year)
			prev, ok := old[k]
			switch {
			case !ok:
				rep.Added++
			case prev != r.Persons:
				rep.Changed++
				if len(rep.Examples) < 10 {
					rep.Examples = append(rep.Examples, fmt.Sprintf("%s %d: %d → %d", r.Code, r.Year, prev, r.Persons))
				}
			default:
				rep.Unchanged++
			}
			delete(old, k)
		}
		rep.Removed = len(old)
		if _, err := tx.ExecContext(ctx, `UPDATE population_imports SET summary = $1 WHERE id = $2`, rep.String(), id); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampPopulation); err != nil {
			return err
		}
		return audit(ctx, tx, 0, "import", "population", file, nil, rep)
	})
	return rep, err
}

// insertPopulation inserts rows in multi-row statements.
func (db *DB) insertPopulation(ctx context.Context, tx *sql.Tx, importID int64, rows []PopulationRow) error {
	vals := make([][]any, len(rows))
	for i, r := range rows {
		vals[i] = []any{r.Code, samrad.Jan1(r.Year), r.Persons, importID}
	}
	return insertBatch(ctx, tx, `INSERT INTO population (code, ref_date, persons, import_id) VALUES `, vals)
}

// Figures returns every population figure on a reference date.
//
// The map is shared with other callers: do not modify it.
func (db *DB) Figures(ctx context.Context, d samrad.Date) (samrad.Figures, error) {
	st, err := db.readStamps(ctx)
	if err != nil {
		return nil, err
	}
	return db.figuresAt(ctx, st, d)
}

func (db *DB) figuresAt(ctx context.Context, st stamps, d samrad.Date) (samrad.Figures, error) {
	if f, ok := getCached(db, &db.cache.figures, d, st[stampPopulation]); ok {
		return f, nil
	}
	f, err := figuresTx(ctx, db.db, d)
	if err != nil {
		return nil, err
	}
	putCached(db, &db.cache.figures, d, st[stampPopulation], f)
	return f, nil
}

func figuresTx(ctx context.Context, q queryer, d samrad.Date) (samrad.Figures, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, persons FROM population WHERE ref_date = $1`, d)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	f := samrad.Figures{}
	for rows.Next() {
		var code string
		var n int64
		if err := rows.Scan(&code, &n); err != nil {
			return nil, err
		}
		f[code] = n
	}
	return f, rows.Err()
}

// PopulationSource describes where the figures of a date came from.
type PopulationSource struct {
	File, Source, ImportedAt string
}

// PopulationSources lists the imports that hold figures for date d.
func (db *DB) PopulationSources(ctx context.Context, d samrad.Date) ([]PopulationSource, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT i.file, i.source, i.imported_at FROM population_imports i
		WHERE i.id IN (SELECT DISTINCT import_id FROM population WHERE ref_date = $1) ORDER BY i.id`, d)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PopulationSource
	for rows.Next() {
		var s PopulationSource
		if err := rows.Scan(&s.File, &s.Source, &s.ImportedAt); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// PopulationDates lists the reference dates that have population figures,
// oldest first.
func (db *DB) PopulationDates(ctx context.Context) ([]samrad.Date, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT DISTINCT ref_date FROM population ORDER BY ref_date`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Date
	for rows.Next() {
		var d samrad.Date
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
