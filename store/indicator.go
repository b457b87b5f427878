package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/samrad/samrad"
)

// stampIndicators is renewed by every change of indicators and their figures.
const stampIndicators = "indicators_stamp"

const indicatorColumns = `i.id, i.alliance_id, i.slug, i.name_nb, i.name_en, i.description_nb, i.description_en, i.source, i.table_id, i.query,
	i.measure, i.unit, i.decimals, i.higher_is_better, i.members_only, i.schedule, i.retries, i.created_at, i.updated_at`

func scanIndicator(s interface{ Scan(...any) error }) (samrad.Indicator, error) {
	var in samrad.Indicator
	var source, measure, schedule string
	var created, updated timestamp
	err := s.Scan(&in.ID, &in.AllianceID, &in.Slug, &in.NameNB, &in.NameEN, &in.DescriptionNB, &in.DescriptionEN, &source, &in.Table, &in.Query,
		&measure, &in.Unit, &in.Decimals, &in.HigherIsBetter, &in.MembersOnly, &schedule, &in.Retries, &created, &updated)
	in.Source, in.Measure, in.Schedule = samrad.IndicatorSource(source), samrad.IndicatorMeasure(measure), samrad.IndicatorSchedule(schedule)
	in.CreatedAt, in.UpdatedAt = created.t, updated.t
	return in, err
}

func indicatorArgs(in *samrad.Indicator) []any {
	return []any{in.Slug, in.NameNB, in.NameEN, in.DescriptionNB, in.DescriptionEN, string(in.Source), in.Table, in.Query,
		string(in.Measure), in.Unit, in.Decimals, in.HigherIsBetter, in.MembersOnly, string(in.Schedule), in.Retries}
}

func indicatorSlugFree(ctx context.Context, tx *sql.Tx, in *samrad.Indicator) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM indicators WHERE alliance_id = $1 AND slug = $2 AND id <> $3`,
		in.AllianceID, in.Slug, in.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &samrad.Error{Code: samrad.ECONFLICT, Field: "slug", Message: "the alliance already has an indicator " + in.Slug}
	}
	return nil
}

// CreateIndicator stores a new indicator of an alliance.
func (db *DB) CreateIndicator(ctx context.Context, in *samrad.Indicator) error {
	if err := in.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		in.ID = 0
		var x int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM alliances WHERE id = $1`, in.AllianceID).Scan(&x); err != nil {
			return notFound(err, "no alliance %d", in.AllianceID)
		}
		if err := indicatorSlugFree(ctx, tx, in); err != nil {
			return err
		}
		at := time.Now().UTC().Truncate(time.Second)
		id, err := insertID(ctx, tx, `INSERT INTO indicators (alliance_id, slug, name_nb, name_en, description_nb, description_en, source, table_id, query,
			measure, unit, decimals, higher_is_better, members_only, schedule, retries, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)`,
			append(append([]any{in.AllianceID}, indicatorArgs(in)...), at.Format(time.RFC3339))...)
		if err != nil {
			return err
		}
		in.ID, in.CreatedAt, in.UpdatedAt = id, at, at
		if err := renew(ctx, tx, stampIndicators); err != nil {
			return err
		}
		return audit(ctx, tx, in.AllianceID, "create", "indicator", id, nil, in)
	})
}

// UpdateIndicator changes an indicator's definition. Its figures stay until
// the next fetch replaces them.
func (db *DB) UpdateIndicator(ctx context.Context, in *samrad.Indicator) error {
	if err := in.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanIndicator(tx.QueryRowContext(ctx, `SELECT `+indicatorColumns+` FROM indicators i WHERE i.id = $1`, in.ID))
		if err != nil || before.AllianceID != in.AllianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no indicator %d", in.ID)
		}
		if err := indicatorSlugFree(ctx, tx, in); err != nil {
			return err
		}
		in.CreatedAt, in.UpdatedAt = before.CreatedAt, time.Now().UTC().Truncate(time.Second)
		if _, err := tx.ExecContext(ctx, `UPDATE indicators SET slug = $1, name_nb = $2, name_en = $3, description_nb = $4, description_en = $5,
			source = $6, table_id = $7, query = $8, measure = $9, unit = $10, decimals = $11, higher_is_better = $12, members_only = $13,
			schedule = $14, retries = $15, updated_at = $16 WHERE id = $17`,
			append(indicatorArgs(in), in.UpdatedAt.Format(time.RFC3339), in.ID)...); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampIndicators); err != nil {
			return err
		}
		return audit(ctx, tx, in.AllianceID, "update", "indicator", in.ID, before, in)
	})
}

// Indicators lists an alliance's indicators by Norwegian name; those for
// members only are left out unless includeMembersOnly.
func (db *DB) Indicators(ctx context.Context, allianceID int64, includeMembersOnly bool) ([]samrad.Indicator, error) {
	if includeMembersOnly {
		return db.queryIndicators(ctx, `SELECT `+indicatorColumns+` FROM indicators i WHERE i.alliance_id = $1 ORDER BY i.name_nb, i.id`, allianceID)
	}
	return db.queryIndicators(ctx, `SELECT `+indicatorColumns+` FROM indicators i WHERE i.alliance_id = $1 AND i.members_only = $2
		ORDER BY i.name_nb, i.id`, allianceID, false)
}

func (db *DB) queryIndicators(ctx context.Context, q string, args ...any) ([]samrad.Indicator, error) {
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Indicator
	for rows.Next() {
		in, err := scanIndicator(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// IndicatorBySlug returns an alliance's indicator, members only or not.
func (db *DB) IndicatorBySlug(ctx context.Context, allianceID int64, slug string) (samrad.Indicator, error) {
	in, err := scanIndicator(db.db.QueryRowContext(ctx, `SELECT `+indicatorColumns+` FROM indicators i WHERE i.alliance_id = $1 AND i.slug = $2`, allianceID, slug))
	return in, notFound(err, "no indicator %q", slug)
}

// IndicatorByID returns an indicator by its id.
func (db *DB) IndicatorByID(ctx context.Context, id int64) (samrad.Indicator, error) {
	in, err := scanIndicator(db.db.QueryRowContext(ctx, `SELECT `+indicatorColumns+` FROM indicators i WHERE i.id = $1`, id))
	return in, notFound(err, "no indicator %d", id)
}

// RunSource says where a run reads its figures from.
type RunSource struct {
	URL      string      // the statbank address fetched
	File     string      // the uploaded file's name
	FittedOn samrad.Date // the date of the structure the figures are fitted to; zero: today
}

const runColumns = `r.id, r.indicator_id, r.started_at, r.finished_at, r.ok, r.error, r.url, r.file, r.table_id, r.fitted_on, r.cells, r.rows_written`

func scanRun(s interface{ Scan(...any) error }) (samrad.IndicatorRun, error) {
	var r samrad.IndicatorRun
	var started, finished timestamp
	var fitted *samrad.Date
	err := s.Scan(&r.ID, &r.IndicatorID, &started, &finished, &r.OK, &r.Error, &r.URL, &r.File, &r.Table, &fitted, &r.Cells, &r.Rows)
	r.StartedAt, r.FinishedAt = started.t, finished.t
	if fitted != nil {
		r.FittedOn = *fitted
	}
	return r, err
}

// StartRun records the start of a fetch or upload of an indicator.
func (db *DB) StartRun(ctx context.Context, indicatorID int64, src RunSource) (samrad.IndicatorRun, error) {
	if src.FittedOn.IsZero() {
		src.FittedOn = samrad.Today()
	}
	in, err := db.IndicatorByID(ctx, indicatorID)
	if err != nil {
		return samrad.IndicatorRun{}, err
	}
	r := samrad.IndicatorRun{IndicatorID: indicatorID, StartedAt: time.Now().UTC().Truncate(time.Second), URL: src.URL, File: src.File,
		Table: in.Table, FittedOn: src.FittedOn}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		r.ID, err = insertID(ctx, tx, `INSERT INTO indicator_runs (indicator_id, started_at, url, file, table_id, fitted_on) VALUES ($1, $2, $3, $4, $5, $6)`,
			indicatorID, r.StartedAt.Format(time.RFC3339), r.URL, r.File, r.Table, r.FittedOn)
		return err
	})
	return r, err
}

// runOf reads an unfinished run of the indicator.
func runOf(ctx context.Context, q queryer, runID, indicatorID int64) (samrad.IndicatorRun, error) {
	r, err := scanRun(q.QueryRowContext(ctx, `SELECT `+runColumns+` FROM indicator_runs r WHERE r.id = $1`, runID))
	if err != nil || (indicatorID != 0 && r.IndicatorID != indicatorID) {
		return r, samrad.Errorf(samrad.ENOTFOUND, "no run %d of indicator %d", runID, indicatorID)
	}
	if r.Finished() {
		return r, samrad.Errorf(samrad.ECONFLICT, "run %d has already finished", runID)
	}
	return r, nil
}

// FinishRunFailed records why a run failed. The indicator keeps the
// figures of its last successful run.
func (db *DB) FinishRunFailed(ctx context.Context, runID int64, cause error) error {
	msg := "failed"
	if cause != nil {
		msg = cause.Error()
	}
	if len(msg) > 4000 {
		msg = msg[:4000] + "…"
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := runOf(ctx, tx, runID, 0); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE indicator_runs SET finished_at = $1, ok = $2, error = $3 WHERE id = $4`, now(), false, msg, runID)
		return err
	})
}

// checkValues checks figures, sorted by code and period, before anything
// is written: codes in the structure on the fitting date, periods, methods,
// numbers and no duplicates.
func checkValues(reg *samrad.Registry, on samrad.Date, values []samrad.IndicatorValue) error {
	codes := map[string]bool{}
	periods := map[string]bool{}
	for i, v := range values {
		if !codes[v.Code] {
			if _, ok := reg.AtDate(v.Code, on); !ok && v.Code != samrad.CountryCode {
				return samrad.FieldErrorf("code", "%q is not a code in the structure on %s", v.Code, on)
			}
			codes[v.Code] = true
		}
		if !periods[v.Period] {
			if _, _, err := samrad.PeriodRange(v.Period); err != nil {
				return fmt.Errorf("%s: %w", v.Code, err)
			}
			periods[v.Period] = true
		}
		if i > 0 && values[i-1].Code == v.Code && values[i-1].Period == v.Period {
			return samrad.FieldErrorf("code", "%s %s appears twice", v.Code, v.Period)
		}
		switch v.Method {
		case samrad.FitFigure, samrad.FitSumPredecessors, samrad.FitSplit:
		default:
			return samrad.FieldErrorf("method", "%s %s: unknown fitting method %q", v.Code, v.Period, v.Method)
		}
		if math.IsNaN(v.Numerator) || math.IsInf(v.Numerator, 0) || math.IsNaN(v.Denominator) || math.IsInf(v.Denominator, 0) {
			return samrad.FieldErrorf("value", "%s %s: not a number", v.Code, v.Period)
		}
		if len(v.Status) > 8 || len(v.Reason) > 500 {
			return samrad.FieldErrorf("status", "%s %s: status or reason too long", v.Code, v.Period)
		}
	}
	return nil
}

// valueBatch is how many values one INSERT writes on SQLite: the same
// statement is prepared once per replacement and run for every full batch.
const valueBatch = 1000

// ReplaceValues replaces every figure of an indicator by values in one
// transaction and marks the run successful with cells read from the source.
// If anything is wrong (a code not in the structure on the run's fitting
// date, a bad period, a duplicate) or the write fails, nothing is written:
// the indicator keeps its previous figures and the run is recorded as
// failed with the reason, which is also returned.
func (db *DB) ReplaceValues(ctx context.Context, runID, indicatorID int64, values []samrad.IndicatorValue, cells int) error {
	var in samrad.Indicator
	err := func() error {
		run, err := runOf(ctx, db.db, runID, indicatorID)
		if err != nil {
			return err
		}
		if in, err = db.IndicatorByID(ctx, indicatorID); err != nil {
			return err
		}
		reg, err := db.Registry(ctx)
		if err != nil {
			return err
		}
		if !sort.SliceIsSorted(values, func(i, j int) bool { return valueLess(values[i], values[j]) }) {
			// Sorted: duplicates are neighbours, and in the order of the
			// primary key the rows are appended.
			values = append([]samrad.IndicatorValue(nil), values...)
			sort.Slice(values, func(i, j int) bool { return valueLess(values[i], values[j]) })
		}
		if err := checkValues(reg, run.FittedOn, values); err != nil {
			return err
		}
		return db.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := runOf(ctx, tx, runID, indicatorID); err != nil {
				return err
			}
			if db.dialect == SQLite {
				// Room for the pages of a large replacement, so that they are
				// not written out before the commit.
				if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -32768`); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM indicator_values WHERE indicator_id = $1`, indicatorID); err != nil {
				return err
			}
			if err := db.insertValues(ctx, tx, indicatorID, runID, values); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE indicator_runs SET finished_at = $1, ok = $2, error = '', cells = $3, rows_written = $4 WHERE id = $5`,
				now(), true, cells, len(values), runID); err != nil {
				return err
			}
			if err := renew(ctx, tx, stampIndicators); err != nil {
				return err
			}
			return audit(ctx, tx, in.AllianceID, "replace_values", "indicator", indicatorID, nil,
				map[string]any{"run": runID, "cells": cells, "rows": len(values)})
		})
	}()
	if err != nil && samrad.ErrorCode(err) != samrad.ENOTFOUND && samrad.ErrorCode(err) != samrad.ECONFLICT {
		if ferr := db.FinishRunFailed(context.WithoutCancel(ctx), runID, err); ferr != nil {
			return errors.Join(err, ferr)
		}
	}
	return err
}

func valueLess(a, b samrad.IndicatorValue) bool {
	return a.Code < b.Code || a.Code == b.Code && a.Period < b.Period
}

// insertValues writes values. PostgreSQL takes them as one array per
// column in one statement; SQLite in multi-row statements of valueBatch
// rows with anonymous parameters (its driver looks numbered parameters up
// one by one), the full batch prepared once.
func (db *DB) insertValues(ctx context.Context, tx *sql.Tx, indicatorID, runID int64, values []samrad.IndicatorValue) error {
	if len(values) == 0 {
		return nil
	}
	if db.dialect == Postgres {
		n := len(values)
		codes, periods, statuses, methods, parts, reasons := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		nums, dens := make([]*float64, n), make([]*float64, n)
		for i := range values {
			v := &values[i]
			codes[i], periods[i], statuses[i], methods[i], parts[i], reasons[i] = v.Code, v.Period, v.Status, v.Method, strings.Join(v.Parts, " "), v.Reason
			if v.HasFigure() {
				nums[i], dens[i] = &v.Numerator, &v.Denominator
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO indicator_values (indicator_id, run_id, code, period, numerator, denominator, status, method, parts, reason)
			SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[], $8::text[], $9::text[], $10::text[])`,
			indicatorID, runID, codes, periods, nums, dens, statuses, methods, parts, reasons)
		return err
	}
	const cols = 10
	stmtFor := func(n int) string {
		var b strings.Builder
		b.WriteString(`INSERT INTO indicator_values (indicator_id, run_id, code, period, numerator, denominator, status, method, parts, reason) VALUES `)
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		}
		return b.String()
	}
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, cols*valueBatch)
	for start := 0; start < len(values); start += valueBatch {
		batch := values[start:min(start+valueBatch, len(values))]
		args = args[:0]
		for _, v := range batch {
			var num, den any
			if v.HasFigure() {
				num, den = v.Numerator, v.Denominator
			}
			args = append(args, indicatorID, runID, v.Code, v.Period, num, den, v.Status, v.Method, strings.Join(v.Parts, " "), v.Reason)
		}
		var err error
		if len(batch) == valueBatch {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, stmtFor(valueBatch)); err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, stmtFor(len(batch)), args...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Runs returns the newest n runs of an indicator, newest first.
func (db *DB) Runs(ctx context.Context, indicatorID int64, n int) ([]samrad.IndicatorRun, error) {
	if n <= 0 || n > 1000 {
		n = 50
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+runColumns+` FROM indicator_runs r WHERE r.indicator_id = $1 ORDER BY r.id DESC LIMIT $2`, indicatorID, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.IndicatorRun
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// LastSuccess returns the indicator's last successful run; ok is false if
// there is none.
func (db *DB) LastSuccess(ctx context.Context, indicatorID int64) (samrad.IndicatorRun, bool, error) {
	r, err := scanRun(db.db.QueryRowContext(ctx, `SELECT `+runColumns+` FROM indicator_runs r WHERE r.indicator_id = $1 AND r.ok = $2
		ORDER BY r.id DESC LIMIT 1`, indicatorID, true))
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

// DueIndicators lists the indicators whose scheduled fetch is to start at
// now, with their retries (see samrad.Indicator.ShouldRun), in two queries.
func (db *DB) DueIndicators(ctx context.Context, now time.Time) ([]samrad.Indicator, error) {
	all, err := db.queryIndicators(ctx, `SELECT `+indicatorColumns+` FROM indicators i WHERE i.schedule <> $1 ORDER BY i.id`, string(samrad.ScheduleNone))
	if err != nil || len(all) == 0 {
		return nil, err
	}
	rows, err := db.db.QueryContext(ctx, `SELECT r.indicator_id, r.started_at, r.ok FROM indicator_runs r
		JOIN indicators i ON i.id = r.indicator_id WHERE i.schedule <> $1 AND r.finished_at IS NOT NULL ORDER BY r.indicator_id, r.id`,
		string(samrad.ScheduleNone))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type state struct {
		last     time.Time
		failures []time.Time
	}
	states := map[int64]*state{}
	for rows.Next() {
		var id int64
		var started timestamp
		var ok bool
		if err := rows.Scan(&id, &started, &ok); err != nil {
			return nil, err
		}
		s := states[id]
		if s == nil {
			s = &state{}
			states[id] = s
		}
		if ok {
			s.last, s.failures = started.t, s.failures[:0]
		} else {
			s.failures = append(s.failures, started.t)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []samrad.Indicator
	for _, in := range all {
		s := states[in.ID]
		if s == nil {
			s = &state{}
		}
		if in.ShouldRun(s.last, s.failures, now) {
			out = append(out, in)
		}
	}
	return out, nil
}

// Provenance says where a figure comes from: the run that wrote it.
type Provenance struct {
	RunID     int64
	Source    samrad.IndicatorSource
	Table     string
	URL, File string
	FetchedAt time.Time // when the run finished
	FittedOn  samrad.Date
}

// ComparisonCell is one figure of a comparison.
type ComparisonCell struct {
	samrad.IndicatorValue
	Value      float64 // computed by the indicator's measure, when OK
	OK         bool    // there is a figure (false: no value for the cell, a status or a split)
	Found      bool    // the indicator has a value for the cell
	Provenance *Provenance
}

// Comparison is an indicator's figures for regions over periods, ready
// for a page: Cells[i][j] is Codes[i] in Periods[j].
type Comparison struct {
	Indicator samrad.Indicator
	Codes     []string
	Periods   []string
	Cells     [][]ComparisonCell
	Runs      []*Provenance // every run the figures come from
}

// Comparison reads an indicator's figures for codes (nil: every code) in
// the periods from fromPeriod to toPeriod (inclusive, compared as text of
// the same form; empty: open), in a query for the indicator, one for the
// figures and one per run they come from (one after a full replacement). Codes are kept in the
// order given; periods are those that have a figure, in order.
//
// The answer is kept while the indicators' stamp is unchanged (a page
// reads it on every view); callers must not change it.
func (db *DB) Comparison(ctx context.Context, indicatorID int64, codes []string, fromPeriod, toPeriod string) (Comparison, error) {
	stamp, err := db.stampOf(ctx, stampIndicators)
	if err != nil {
		return Comparison{}, err
	}
	key := fmt.Sprint(indicatorID, codes == nil, codes, fromPeriod, toPeriod)
	return keep(db, &db.cache.comparisons, key, stamp, comparisonsKept, func() (Comparison, error) {
		return db.readComparison(ctx, indicatorID, codes, fromPeriod, toPeriod)
	})
}

// comparisonsKept bounds the cache of comparisons.
const comparisonsKept = 256

func (db *DB) readComparison(ctx context.Context, indicatorID int64, codes []string, fromPeriod, toPeriod string) (Comparison, error) {
	c := Comparison{}
	var err error
	if c.Indicator, err = db.IndicatorByID(ctx, indicatorID); err != nil {
		return c, err
	}
	if toPeriod == "" {
		toPeriod = "~" // after every period
	}
	var want map[string]bool
	if codes != nil {
		if len(codes) == 0 {
			return c, nil
		}
		want = make(map[string]bool, len(codes))
		for _, code := range codes {
			want[code] = true
		}
	}
	// Every code of the range is read and those not asked for skipped: one
	// statement whatever the codes, and the runs in a second query.
	rows, err := db.db.QueryContext(ctx, `SELECT v.code, v.period, v.numerator, v.denominator, v.status, v.method, v.parts, v.reason, v.run_id
		FROM indicator_values v WHERE v.indicator_id = $1 AND v.period >= $2 AND v.period <= $3`, indicatorID, fromPeriod, toPeriod)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	type key struct{ code, period string }
	found := map[key]ComparisonCell{}
	runs := map[int64]*Provenance{}
	periods := map[string]bool{}
	seenCode := map[string]bool{}
	for rows.Next() {
		var v samrad.IndicatorValue
		var num, den sql.NullFloat64
		var parts string
		var runID int64
		if err := rows.Scan(&v.Code, &v.Period, &num, &den, &v.Status, &v.Method, &parts, &v.Reason, &runID); err != nil {
			return c, err
		}
		if want != nil && !want[v.Code] {
			continue
		}
		v.Numerator, v.Denominator = num.Float64, den.Float64
		if parts != "" {
			v.Parts = strings.Fields(parts)
		}
		prov := runs[runID]
		if prov == nil {
			prov = &Provenance{RunID: runID, Source: c.Indicator.Source}
			runs[runID] = prov
			c.Runs = append(c.Runs, prov)
		}
		cell := ComparisonCell{IndicatorValue: v, Found: true, Provenance: prov}
		cell.Value, cell.OK = v.Value(c.Indicator.Measure)
		found[key{v.Code, v.Period}] = cell
		periods[v.Period] = true
		if codes == nil && !seenCode[v.Code] {
			seenCode[v.Code] = true
			c.Codes = append(c.Codes, v.Code)
		}
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	rows.Close()
	for _, p := range c.Runs {
		var finished timestamp
		var fitted *samrad.Date
		if err := db.db.QueryRowContext(ctx, `SELECT r.table_id, r.url, r.file, r.finished_at, r.fitted_on FROM indicator_runs r WHERE r.id = $1`,
			p.RunID).Scan(&p.Table, &p.URL, &p.File, &finished, &fitted); err != nil {
			return c, err
		}
		p.FetchedAt = finished.t
		if fitted != nil {
			p.FittedOn = *fitted
		}
	}
	if codes != nil {
		c.Codes = append([]string(nil), codes...)
	} else {
		sort.Strings(c.Codes)
	}
	for p := range periods {
		c.Periods = append(c.Periods, p)
	}
	sort.Strings(c.Periods)
	sort.Slice(c.Runs, func(i, j int) bool { return c.Runs[i].RunID < c.Runs[j].RunID })
	c.Cells = make([][]ComparisonCell, len(c.Codes))
	for i, code := range c.Codes {
		c.Cells[i] = make([]ComparisonCell, len(c.Periods))
		for j, p := range c.Periods {
			cell, ok := found[key{code, p}]
			if !ok {
				cell.Code, cell.Period = code, p
			}
			c.Cells[i][j] = cell
		}
	}
	return c, nil
}

// IndicatorSeries is one indicator's figures for one code, oldest period first.
type IndicatorSeries struct {
	Indicator  samrad.Indicator
	Values     []samrad.IndicatorValue
	Provenance *Provenance
}

// IndicatorValuesOf returns the figures of every indicator of an alliance
// for one code, for a member's profile, in two queries; indicators for
// members only are left out unless includeMembersOnly.
func (db *DB) IndicatorValuesOf(ctx context.Context, allianceID int64, code string, includeMembersOnly bool) ([]IndicatorSeries, error) {
	list, err := db.Indicators(ctx, allianceID, includeMembersOnly)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	byID := map[int64]int{}
	out := make([]IndicatorSeries, len(list))
	for i, in := range list {
		out[i].Indicator = in
		byID[in.ID] = i
	}
	rows, err := db.db.QueryContext(ctx, `SELECT v.indicator_id, v.period, v.numerator, v.denominator, v.status, v.method, v.parts, v.reason,
		v.run_id, r.table_id, r.url, r.file, r.finished_at, r.fitted_on
		FROM indicator_values v JOIN indicator_runs r ON r.id = v.run_id
		WHERE v.indicator_id IN (SELECT i.id FROM indicators i WHERE i.alliance_id = $2) AND v.code = $1
		ORDER BY v.indicator_id, v.period`, code, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, runID int64
		v := samrad.IndicatorValue{Code: code}
		var num, den sql.NullFloat64
		var parts string
		var p Provenance
		var finished timestamp
		var fitted *samrad.Date
		if err := rows.Scan(&id, &v.Period, &num, &den, &v.Status, &v.Method, &parts, &v.Reason, &runID,
			&p.Table, &p.URL, &p.File, &finished, &fitted); err != nil {
			return nil, err
		}
		i, ok := byID[id]
		if !ok {
			continue // members only
		}
		v.Numerator, v.Denominator = num.Float64, den.Float64
		if parts != "" {
			v.Parts = strings.Fields(parts)
		}
		s := &out[i]
		if s.Provenance == nil || s.Provenance.RunID != runID {
			p.RunID, p.Source, p.FetchedAt = runID, s.Indicator.Source, finished.t
			if fitted != nil {
				p.FittedOn = *fitted
			}
			s.Provenance = &p
		}
		s.Values = append(s.Values, v)
	}
	return out, rows.Err()
}
