package samrad

import (
	"fmt"
	"sort"
	"strings"
)

// PopulationRule says which 1 January population a fee year uses.
type PopulationRule string

const (
	PopulationFeeYear      PopulationRule = "jan1_fee_year"      // 1 January of the fee year
	PopulationPreviousYear PopulationRule = "jan1_previous_year" // 1 January of the year before
)

// RefDate returns the population reference date for a fee year.
func (p PopulationRule) RefDate(year int) Date {
	if p == PopulationPreviousYear {
		return Jan1(year - 1)
	}
	return Jan1(year)
}

// FeeSchedule is an alliance's rule for membership fees during a period of years.
type FeeSchedule struct {
	ID         int64
	AllianceID int64
	FromYear   int
	ToYear     int // 0 = open
	Population PopulationRule
	// RoundingUnit is the unit fees are rounded to (half up), in øre:
	// 1 = whole øre, 100 = whole kroner.
	RoundingUnit int64
	// ProRata charges members for the months of the fee year they were
	// members (counted on the first of each month); otherwise whoever is a
	// member on 1 January pays the whole year.
	ProRata bool
	Minimum Money // 0 = none
	Maximum Money // 0 = none
	Rates   []FeeRate
	Members []FeeMemberRule
	Note    string
	Source  string
}

// FeeRate is the fee for one membership category: per inhabitant, or flat.
type FeeRate struct {
	Category      string
	PerInhabitant Money // øre per inhabitant
	Flat          Money // a flat fee instead, when PerInhabitant is 0
}

// FeeMemberRule adjusts the fee of one member, e.g. Oslo pays double.
type FeeMemberRule struct {
	OrgKind            OrgKind
	OrgCode            string
	MultiplierPermille int64  // 2000 = ×2
	Flat               *Money // overrides the category rate
	Note               string
}

// AppliesTo reports whether the schedule covers the fee year.
func (s FeeSchedule) AppliesTo(year int) bool {
	return year >= s.FromYear && (s.ToYear == 0 || year <= s.ToYear)
}

// Validate checks a schedule before it is stored.
func (s FeeSchedule) Validate() error {
	if s.FromYear < 1900 || s.FromYear > 2200 {
		return FieldErrorf("from_year", "%d is not a plausible year", s.FromYear)
	}
	if s.ToYear != 0 && s.ToYear < s.FromYear {
		return FieldErrorf("to_year", "ends %d before it starts %d", s.ToYear, s.FromYear)
	}
	if s.Population != PopulationFeeYear && s.Population != PopulationPreviousYear {
		return FieldErrorf("population_rule", "unknown rule %q", s.Population)
	}
	if s.RoundingUnit <= 0 {
		return FieldErrorf("rounding_unit", "must be at least 1 øre")
	}
	if s.Minimum < 0 || s.Maximum < 0 || (s.Maximum != 0 && s.Maximum < s.Minimum) {
		return FieldErrorf("maximum", "minimum and maximum must be positive and in order")
	}
	seen := map[string]bool{}
	for _, r := range s.Rates {
		if strings.TrimSpace(r.Category) == "" || seen[r.Category] {
			return FieldErrorf("category", "each rate needs a distinct category")
		}
		seen[r.Category] = true
		if r.PerInhabitant < 0 || r.Flat < 0 {
			return FieldErrorf("rate", "rates cannot be negative")
		}
	}
	for _, m := range s.Members {
		if m.MultiplierPermille <= 0 {
			return FieldErrorf("multiplier", "multiplier for %s must be positive", m.OrgCode)
		}
	}
	return nil
}

// Multiplier formats a per-mille multiplier as "2" or "1.5".
func Multiplier(permille int64) string {
	s := fmt.Sprintf("%d.%03d", permille/1000, permille%1000)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// FeeLine is one member's fee with everything used to compute it.
type FeeLine struct {
	Membership         Membership
	Category           string
	Population         PopulationFigure // zero for flat fees
	Rate               Money            // per inhabitant; 0 for flat fees
	Flat               Money            // the flat fee, when flat
	MultiplierPermille int64
	Months             int // months charged (12 unless pro rata)
	Fee                Money
	Note               string
}

// FeeTable is the fee calculation for an alliance and year.
type FeeTable struct {
	Schedule       FeeSchedule
	Year           int
	PopulationDate Date
	Lines          []FeeLine
	Total          Money
	Pending        []Membership // members awaiting a decision: not charged
}

// MissingPopulationError lists every member without a population figure.
type MissingPopulationError struct {
	Date    Date
	Missing []*ErrNoPopulation
}

func (e *MissingPopulationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "no population figure on %s for %d member(s):", e.Date, len(e.Missing))
	for _, m := range e.Missing {
		fmt.Fprintf(&b, "\n  %s: %s", m.Org.Label("nb"), m.Reason)
	}
	return b.String()
}

// ComputeFees computes what each member owes for year under schedule s.
// memberships are all of the alliance's memberships; figures are the
// population figures on the schedule's reference date.
func ComputeFees(reg *Registry, s FeeSchedule, year int, memberships []Membership, figures Figures) (*FeeTable, error) {
	if !s.AppliesTo(year) {
		return nil, Errorf(ENOTFOUND, "the fee schedule does not cover %d", year)
	}
	t := &FeeTable{Schedule: s, Year: year, PopulationDate: s.Population.RefDate(year)}
	rates := map[string]FeeRate{}
	for _, r := range s.Rates {
		rates[r.Category] = r
	}
	rules := map[string]FeeMemberRule{}
	for _, m := range s.Members {
		rules[string(m.OrgKind)+"/"+m.OrgCode] = m
	}
	missing := &MissingPopulationError{Date: t.PopulationDate}
	var problems []string
	for _, m := range memberships {
		months := 12
		if s.ProRata {
			months = 0
			for mo := 1; mo <= 12; mo++ {
				if m.ActiveOn(NewDate(year, 1, 1).AddMonths(mo - 1)) {
					months++
				}
			}
		} else if !m.ActiveOn(Jan1(year)) {
			months = 0
		}
		if months == 0 {
			continue
		}
		if m.Status == StatusPending {
			t.Pending = append(t.Pending, m)
			continue
		}
		if m.Status != StatusConfirmed {
			continue
		}
		line := FeeLine{Membership: m, Category: m.Category, MultiplierPermille: 1000, Months: months}
		rule, hasRule := rules[string(m.Org.Kind)+"/"+m.Org.Code]
		if hasRule {
			line.MultiplierPermille = rule.MultiplierPermille
			line.Note = rule.Note
		}
		rate, ok := rates[m.Category]
		if !ok && !(hasRule && rule.Flat != nil) {
			problems = append(problems, fmt.Sprintf("%s: no rate for category %q", m.Org.Label("nb"), m.Category))
			continue
		}
		var num, den int64
		switch {
		case hasRule && rule.Flat != nil:
			line.Flat = *rule.Flat
		case rate.PerInhabitant == 0:
			line.Flat = rate.Flat
		}
		if line.Flat != 0 || rate.PerInhabitant == 0 {
			num, den = int64(line.Flat)*line.MultiplierPermille*int64(months), 1000*12
		} else {
			p, err := reg.Population(m.Org, t.PopulationDate, figures)
			if err != nil {
				var np *ErrNoPopulation
				if e, ok := err.(*ErrNoPopulation); ok {
					np = e
				} else {
					np = &ErrNoPopulation{m.Org, t.PopulationDate, err.Error()}
				}
				np.Org = m.Org
				missing.Missing = append(missing.Missing, np)
				continue
			}
			line.Population, line.Rate = p, rate.PerInhabitant
			num, den = p.Persons*int64(rate.PerInhabitant)*line.MultiplierPermille*int64(months), 1000*12
		}
		line.Fee = roundHalfUp(num, den, s.RoundingUnit)
		if line.Flat == 0 {
			if s.Minimum > 0 && line.Fee < s.Minimum {
				line.Fee = s.Minimum
			}
			if s.Maximum > 0 && line.Fee > s.Maximum {
				line.Fee = s.Maximum
			}
		}
		t.Lines = append(t.Lines, line)
		t.Total += line.Fee
	}
	if len(problems) > 0 {
		return nil, Errorf(EINVALID, "fee schedule incomplete:\n  %s", strings.Join(problems, "\n  "))
	}
	if len(missing.Missing) > 0 {
		return nil, missing
	}
	sort.SliceStable(t.Lines, func(i, j int) bool { return lineKey(t.Lines[i]) < lineKey(t.Lines[j]) })
	return t, nil
}

func lineKey(l FeeLine) string {
	k := 9
	for i, kind := range OrgKinds {
		if kind == l.Membership.Org.Kind {
			k = i
		}
	}
	return fmt.Sprintf("%d %s", k, l.Membership.Org.Code)
}

// roundHalfUp returns num/den in øre rounded half up to a multiple of unit.
func roundHalfUp(num, den, unit int64) Money {
	d := den * unit
	q, r := num/d, num%d
	if 2*r >= d {
		q++
	}
	return Money(q * unit)
}
