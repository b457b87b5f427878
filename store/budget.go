package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/ledger"
)

// stampBudget is renewed by every change to budgets and accounts.
const stampBudget = "budget_stamp"

// LedgerImport records one import of a year's accounts.
type LedgerImport struct {
	ID         int64
	AllianceID int64
	Year       int
	Filename   string
	SHA256     string
	Entries    int
	ImportedAt time.Time
	ImportedBy string
}

// SaveBudget creates the alliance's budget for a year, or updates its
// adoption, opening balance and note. Lines are set with SetBudgetLine.
func (db *DB) SaveBudget(ctx context.Context, b *samrad.Budget) error {
	head := *b
	head.Lines = nil
	if err := head.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := budgetHead(ctx, tx, b.AllianceID, b.Year)
		switch {
		case samrad.ErrorCode(err) == samrad.ENOTFOUND:
			id, err := insertID(ctx, tx, `INSERT INTO budgets (alliance_id, year, adopted_on, adopted_by, opening_balance, note) VALUES ($1, $2, $3, $4, $5, $6)`,
				b.AllianceID, b.Year, b.AdoptedOn, b.AdoptedBy, b.OpeningBalance, b.Note)
			if err != nil {
				return err
			}
			b.ID = id
			if err := renew(ctx, tx, stampBudget); err != nil {
				return err
			}
			return audit(ctx, tx, b.AllianceID, "create", "budget", id, nil, head)
		case err != nil:
			return err
		}
		b.ID = before.ID
		if _, err := tx.ExecContext(ctx, `UPDATE budgets SET adopted_on = $1, adopted_by = $2, opening_balance = $3, note = $4 WHERE id = $5`,
			b.AdoptedOn, b.AdoptedBy, b.OpeningBalance, b.Note, b.ID); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampBudget); err != nil {
			return err
		}
		head.ID = b.ID
		return audit(ctx, tx, b.AllianceID, "update", "budget", b.ID, before, head)
	})
}

func budgetHead(ctx context.Context, q queryer, allianceID int64, year int) (samrad.Budget, error) {
	b := samrad.Budget{AllianceID: allianceID, Year: year}
	err := q.QueryRowContext(ctx, `SELECT id, adopted_on, adopted_by, opening_balance, note FROM budgets WHERE alliance_id = $1 AND year = $2`,
		allianceID, year).Scan(&b.ID, &b.AdoptedOn, &b.AdoptedBy, &b.OpeningBalance, &b.Note)
	return b, notFound(err, "no budget for %d", year)
}

func budgetLines(ctx context.Context, q queryer, budgetID int64) ([]samrad.BudgetLine, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, account, category, title, amount, COALESCE(measure_id, 0) FROM budget_lines WHERE budget_id = $1 ORDER BY account`, budgetID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.BudgetLine
	for rows.Next() {
		var l samrad.BudgetLine
		var cat string
		if err := rows.Scan(&l.ID, &l.Account, &cat, &l.Title, &l.Amount, &l.MeasureID); err != nil {
			return nil, err
		}
		l.Category = samrad.BudgetCategory(cat)
		out = append(out, l)
	}
	return out, rows.Err()
}

// SetBudgetLine adds a line to the alliance's budget for a year, creating
// the budget if there is none, or changes the line with l.ID. The budget
// must stay valid as a whole: one line per account, one fee line.
func (db *DB) SetBudgetLine(ctx context.Context, allianceID int64, year int, l *samrad.BudgetLine) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		b, err := budgetHead(ctx, tx, allianceID, year)
		if samrad.ErrorCode(err) == samrad.ENOTFOUND {
			b.ID, err = insertID(ctx, tx, `INSERT INTO budgets (alliance_id, year) VALUES ($1, $2)`, allianceID, year)
			if err == nil {
				err = audit(ctx, tx, allianceID, "create", "budget", b.ID, nil, b)
			}
		}
		if err != nil {
			return err
		}
		if b.Lines, err = budgetLines(ctx, tx, b.ID); err != nil {
			return err
		}
		var before *samrad.BudgetLine
		for i := range b.Lines {
			if l.ID != 0 && b.Lines[i].ID == l.ID {
				before = &samrad.BudgetLine{}
				*before = b.Lines[i]
				b.Lines[i] = *l
			}
		}
		if l.ID != 0 && before == nil {
			return samrad.Errorf(samrad.ENOTFOUND, "no budget line %d in the budget for %d", l.ID, year)
		}
		if l.ID == 0 {
			b.Lines = append(b.Lines, *l)
		}
		if err := b.Validate(); err != nil {
			return err
		}
		var measure any
		if l.MeasureID != 0 {
			if err := sameAllianceMeasure(ctx, tx, allianceID, l.MeasureID); err != nil {
				return samrad.FieldErrorf("measure", "the measure is not one of the alliance's")
			}
			measure = l.MeasureID
		}
		if l.ID == 0 {
			if l.ID, err = insertID(ctx, tx, `INSERT INTO budget_lines (budget_id, account, category, title, amount, measure_id) VALUES ($1, $2, $3, $4, $5, $6)`,
				b.ID, l.Account, l.Category, l.Title, l.Amount, measure); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `UPDATE budget_lines SET account = $1, category = $2, title = $3, amount = $4, measure_id = $5 WHERE id = $6`,
			l.Account, l.Category, l.Title, l.Amount, measure, l.ID); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampBudget); err != nil {
			return err
		}
		action := "create"
		if before != nil {
			action = "update"
		}
		return audit(ctx, tx, allianceID, action, "budget_line", l.ID, before, l)
	})
}

// Budget reads the alliance's budget for a year with its lines.
func (db *DB) Budget(ctx context.Context, allianceID int64, year int) (samrad.Budget, error) {
	b, err := budgetHead(ctx, db.db, allianceID, year)
	if err != nil {
		return b, err
	}
	b.Lines, err = budgetLines(ctx, db.db, b.ID)
	return b, err
}

// BudgetYears lists the years the alliance has a budget for, newest first.
func (db *DB) BudgetYears(ctx context.Context, allianceID int64) ([]int, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT year FROM budgets WHERE alliance_id = $1 ORDER BY year DESC`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// ImportLedger replaces the alliance's accounts for a year with the
// entries of an accounting export, all or nothing. Every entry must be
// booked on an account of the year's budget.
func (db *DB) ImportLedger(ctx context.Context, allianceID int64, year int, filename string, data []byte) (LedgerImport, error) {
	imp := LedgerImport{AllianceID: allianceID, Year: year, Filename: filename, ImportedBy: samrad.ActorFrom(ctx).Name, ImportedAt: time.Now().UTC()}
	sum := sha256.Sum256(data)
	imp.SHA256 = hex.EncodeToString(sum[:])
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		b, err := budgetHead(ctx, tx, allianceID, year)
		if err != nil {
			return samrad.Errorf(samrad.EINVALID, "there is no budget for %d to import accounts against; add its lines first", year)
		}
		if b.Lines, err = budgetLines(ctx, tx, b.ID); err != nil {
			return err
		}
		entries, err := ledger.Parse(bytes.NewReader(data), filename, year, b.Accounts())
		var le *ledger.Error
		if errors.As(err, &le) {
			return &samrad.Error{Code: samrad.EINVALID, Field: "file", Message: le.Error()}
		}
		if err != nil {
			return err
		}
		imp.Entries = len(entries)
		if imp.ID, err = insertID(ctx, tx, `INSERT INTO ledger_imports (alliance_id, year, filename, sha256, entries, imported_at, imported_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			allianceID, year, filename, imp.SHA256, imp.Entries, imp.ImportedAt.Format(time.RFC3339), imp.ImportedBy); err != nil {
			return err
		}
		var removed int64
		res, err := tx.ExecContext(ctx, `DELETE FROM ledger_entries WHERE alliance_id = $1 AND year = $2`, allianceID, year)
		if err != nil {
			return err
		}
		removed, _ = res.RowsAffected()
		rows := make([][]any, len(entries))
		for i, e := range entries {
			rows[i] = []any{imp.ID, allianceID, year, e.Line, e.Account, e.On, e.Amount, e.Text}
		}
		if err := insertBatch(ctx, tx, `INSERT INTO ledger_entries (import_id, alliance_id, year, line, account, booked_on, amount, text) VALUES `, rows); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampBudget); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "import", "ledger", imp.ID, map[string]int64{"entries": removed}, imp)
	})
	return imp, err
}

// LedgerImports lists the imports of a year's accounts, newest first.
func (db *DB) LedgerImports(ctx context.Context, allianceID int64, year int) ([]LedgerImport, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, filename, sha256, entries, imported_at, imported_by FROM ledger_imports
		WHERE alliance_id = $1 AND year = $2 ORDER BY id DESC`, allianceID, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LedgerImport
	for rows.Next() {
		imp := LedgerImport{AllianceID: allianceID, Year: year}
		var at timestamp
		if err := rows.Scan(&imp.ID, &imp.Filename, &imp.SHA256, &imp.Entries, &at, &imp.ImportedBy); err != nil {
			return nil, err
		}
		imp.ImportedAt = at.t
		out = append(out, imp)
	}
	return out, rows.Err()
}

// BudgetStatement sets the alliance's budget for a year against its
// accounts: fee income from the fee table as it stands, actuals per
// account, and the funds carried in from earlier years' results.
func (db *DB) BudgetStatement(ctx context.Context, allianceID int64, year int) (samrad.BudgetStatement, error) {
	b, err := db.Budget(ctx, allianceID, year)
	if err != nil {
		return samrad.BudgetStatement{}, err
	}
	actuals := map[string]samrad.Money{}
	rows, err := db.db.QueryContext(ctx, `SELECT account, CAST(SUM(amount) AS BIGINT) FROM ledger_entries WHERE alliance_id = $1 AND year = $2 GROUP BY account`, allianceID, year)
	if err != nil {
		return samrad.BudgetStatement{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var acc string
		var sum samrad.Money
		if err := rows.Scan(&acc, &sum); err != nil {
			return samrad.BudgetStatement{}, err
		}
		actuals[acc] = sum
	}
	if err := rows.Err(); err != nil {
		return samrad.BudgetStatement{}, err
	}
	// Income is booked negative and costs positive, so a year's result is
	// the negated sum of all its entries.
	chain, err := db.db.QueryContext(ctx, `SELECT b.year, b.opening_balance,
		COALESCE((SELECT CAST(-SUM(e.amount) AS BIGINT) FROM ledger_entries e WHERE e.alliance_id = b.alliance_id AND e.year = b.year), 0)
		FROM budgets b WHERE b.alliance_id = $1 AND b.year < $2 ORDER BY b.year`, allianceID, year)
	if err != nil {
		return samrad.BudgetStatement{}, err
	}
	defer chain.Close()
	var earlier []samrad.CarryYear
	for chain.Next() {
		var c samrad.CarryYear
		if err := chain.Scan(&c.Year, &c.OpeningBalance, &c.Result); err != nil {
			return samrad.BudgetStatement{}, err
		}
		earlier = append(earlier, c)
	}
	if err := chain.Err(); err != nil {
		return samrad.BudgetStatement{}, err
	}
	var fees samrad.Money
	var feeErr string
	hasFeeLine := false
	for _, l := range b.Lines {
		hasFeeLine = hasFeeLine || l.Category == samrad.BudgetFees
	}
	if hasFeeLine {
		t, err := db.FeeTable(ctx, allianceID, year)
		var missing *samrad.MissingPopulationError
		switch {
		case err == nil:
			fees = t.Total
		case errors.As(err, &missing), samrad.ErrorCode(err) != samrad.EINTERNAL:
			feeErr = samrad.ErrorMessage(err)
			if missing != nil {
				feeErr = missing.Error()
			}
		default:
			return samrad.BudgetStatement{}, err
		}
	}
	return samrad.NewBudgetStatement(b, fees, feeErr, actuals, samrad.CarryIn(year, b.OpeningBalance, earlier)), nil
}
