package samrad

import (
	"sort"
	"strings"
)

// BudgetCategory groups an alliance's budget lines the way its budget reads:
// income from fees, grants and other sources; fixed costs, the costs of
// the bodies, and the frame for projects and development measures.
type BudgetCategory string

const (
	BudgetFees        BudgetCategory = "fees"         // income: member fees, from the fee table
	BudgetGrants      BudgetCategory = "grants"       // income: state and project grants
	BudgetOtherIncome BudgetCategory = "other_income" // income: anything else
	BudgetFixed       BudgetCategory = "fixed"        // cost: salaries, rent, operations
	BudgetGovernance  BudgetCategory = "governance"   // cost: information, meetings of board and council
	BudgetProjects    BudgetCategory = "projects"     // cost: projects and development measures
)

// BudgetCategories lists the categories in the order a budget shows them.
var BudgetCategories = []BudgetCategory{BudgetFees, BudgetGrants, BudgetOtherIncome, BudgetFixed, BudgetGovernance, BudgetProjects}

// Income reports whether the category is income.
func (c BudgetCategory) Income() bool {
	return c == BudgetFees || c == BudgetGrants || c == BudgetOtherIncome
}

func (c BudgetCategory) order() int {
	for i, x := range BudgetCategories {
		if x == c {
			return i
		}
	}
	return len(BudgetCategories)
}

// Currency is the only currency a budget is kept in.
const Currency = "NOK"

// Budget is an alliance's budget for a year.
type Budget struct {
	ID         int64
	AllianceID int64
	Year       int
	AdoptedOn  Date
	AdoptedBy  string
	// OpeningBalance is the unspent funds carried over from the years
	// before the first budget kept here. A year whose previous year has a
	// budget carries over that year's result instead.
	OpeningBalance Money
	Note           string
	Lines          []BudgetLine
}

// BudgetLine is one line of a budget, booked on one account.
type BudgetLine struct {
	ID       int64
	Account  string // the account its actuals are booked on, e.g. "3100"
	Category BudgetCategory
	Title    string
	// Amount is the budgeted amount. A fee line has none: its amount is
	// the fee table's total, computed when the budget is read.
	Amount    Money
	Currency  string // empty or NOK
	MeasureID int64  // the measure the line funds, if any
}

// ValidAccount reports whether s looks like an account number: 1 to 12
// digits.
func ValidAccount(s string) bool {
	if s == "" || len(s) > 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Validate checks a line before it is stored.
func (l BudgetLine) Validate() error {
	if !ValidAccount(l.Account) {
		return FieldErrorf("account", "the account must be a number of 1 to 12 digits, not %q", l.Account)
	}
	if strings.TrimSpace(l.Title) == "" {
		return FieldErrorf("title", "a budget line needs a title")
	}
	if l.Category.order() == len(BudgetCategories) {
		return FieldErrorf("category", "unknown budget category %q", l.Category)
	}
	if c := strings.ToUpper(strings.TrimSpace(l.Currency)); c != "" && c != Currency {
		return FieldErrorf("currency", "the budget is kept in NOK; convert the %s amount to NOK before it is entered", c)
	}
	if l.Amount < 0 {
		return FieldErrorf("amount", "a budgeted amount cannot be negative; put income and costs in their own categories")
	}
	if l.Category == BudgetFees && l.Amount != 0 {
		return FieldErrorf("amount", "fee income is computed from the fee table and cannot be typed in")
	}
	return nil
}

// Validate checks a budget and its lines: accounts are distinct and there
// is at most one fee line.
func (b Budget) Validate() error {
	if b.Year < 1900 || b.Year > 2200 {
		return FieldErrorf("year", "%d is not a plausible year", b.Year)
	}
	if b.OpeningBalance < -1<<50 || b.OpeningBalance > 1<<50 {
		return FieldErrorf("opening_balance", "the amount is out of range")
	}
	accounts := map[string]bool{}
	fees := 0
	for _, l := range b.Lines {
		if err := l.Validate(); err != nil {
			return err
		}
		if accounts[l.Account] {
			return FieldErrorf("account", "account %s is already on a line of the budget", l.Account)
		}
		accounts[l.Account] = true
		if l.Category == BudgetFees {
			fees++
		}
	}
	if fees > 1 {
		return FieldErrorf("category", "a budget has one line for member fees")
	}
	return nil
}

// Accounts returns the set of the budget's accounts.
func (b Budget) Accounts() map[string]bool {
	m := make(map[string]bool, len(b.Lines))
	for _, l := range b.Lines {
		m[l.Account] = true
	}
	return m
}

// BudgetRow is a budget line against its actuals.
type BudgetRow struct {
	Line   BudgetLine
	Budget Money
	Actual Money // income and costs both positive
	Diff   Money // Actual − Budget
}

// MeasureFunds is what a measure was budgeted and has used.
type MeasureFunds struct {
	MeasureID      int64
	Budget, Actual Money
}

// BudgetStatement is a year's budget against the accounts, with the funds
// carried in from earlier years and out to the next.
type BudgetStatement struct {
	Budget   Budget
	Income   []BudgetRow
	Costs    []BudgetRow
	FeeTotal Money
	// FeeError says why the fee table cannot be computed (e.g. a missing
	// population figure); the fee line's budget is then 0.
	FeeError                   string
	IncomeBudget, IncomeActual Money
	CostBudget, CostActual     Money
	ResultBudget, ResultActual Money // income − costs
	HasActuals                 bool  // accounts are imported for the year
	CarryIn                    Money // unspent funds from earlier years
	CarryOut                   Money // carried to next year: CarryIn + ResultActual
	ByMeasure                  []MeasureFunds
}

// CarryYear is one earlier year in the chain of carried-over funds.
type CarryYear struct {
	Year           int
	OpeningBalance Money
	Result         Money // actual income − costs from the accounts
}

// CarryIn follows the budgets before a year: each year starts from the
// carry-out of the year before it, or, when the year before has no budget,
// from its own opening balance; its carry-out adds the year's actual
// result. opening is the year's own opening balance.
func CarryIn(year int, opening Money, earlier []CarryYear) Money {
	sort.Slice(earlier, func(i, j int) bool { return earlier[i].Year < earlier[j].Year })
	var carry Money
	last := 0
	for _, e := range earlier {
		if e.Year >= year {
			break
		}
		if last == 0 || e.Year != last+1 {
			carry = e.OpeningBalance
		}
		carry += e.Result
		last = e.Year
	}
	if last != year-1 {
		return opening
	}
	return carry
}

// NewBudgetStatement sets a budget against the accounts. actuals are the
// accounts' sums as booked: costs positive and income negative (credit),
// as in the Norwegian standard chart of accounts. fees is the fee table's
// total for the year.
func NewBudgetStatement(b Budget, fees Money, feeErr string, actuals map[string]Money, carryIn Money) BudgetStatement {
	st := BudgetStatement{Budget: b, FeeTotal: fees, FeeError: feeErr, CarryIn: carryIn, HasActuals: len(actuals) > 0}
	lines := append([]BudgetLine(nil), b.Lines...)
	sort.SliceStable(lines, func(i, j int) bool {
		if lines[i].Category != lines[j].Category {
			return lines[i].Category.order() < lines[j].Category.order()
		}
		return lines[i].Account < lines[j].Account
	})
	measures := map[int64]*MeasureFunds{}
	var order []int64
	for _, l := range lines {
		row := BudgetRow{Line: l, Budget: l.Amount, Actual: actuals[l.Account]}
		if l.Category == BudgetFees {
			row.Budget = fees
		}
		if l.Category.Income() {
			row.Actual = -row.Actual
			st.IncomeBudget += row.Budget
			st.IncomeActual += row.Actual
		} else {
			st.CostBudget += row.Budget
			st.CostActual += row.Actual
		}
		row.Diff = row.Actual - row.Budget
		if l.Category.Income() {
			st.Income = append(st.Income, row)
		} else {
			st.Costs = append(st.Costs, row)
		}
		if l.MeasureID != 0 {
			f := measures[l.MeasureID]
			if f == nil {
				f = &MeasureFunds{MeasureID: l.MeasureID}
				measures[l.MeasureID] = f
				order = append(order, l.MeasureID)
			}
			f.Budget += row.Budget
			f.Actual += row.Actual
		}
	}
	for _, id := range order {
		st.ByMeasure = append(st.ByMeasure, *measures[id])
	}
	st.ResultBudget = st.IncomeBudget - st.CostBudget
	st.ResultActual = st.IncomeActual - st.CostActual
	st.CarryOut = st.CarryIn + st.ResultActual
	return st
}
