package samrad

import (
	"strings"
	"unicode/utf8"
)

// MemberGoal is one of a member's own goals for its membership of an
// alliance (e.g. Bærum's four goals for its membership of ORE), with what
// was achieved, reported year by year in the annual report.
type MemberGoal struct {
	ID         int64
	AllianceID int64
	Org        Organisation
	Position   int
	Text       string
	FromYear   int
	ToYear     int // 0 = open
	Source     string
	Reports    map[int]string // year → what came of it
}

// ActiveIn reports whether the goal applies in year.
func (g MemberGoal) ActiveIn(year int) bool {
	return year >= g.FromYear && (g.ToYear == 0 || year <= g.ToYear)
}

// Validate checks a goal before it is stored.
func (g MemberGoal) Validate() error {
	if g.Org.ID == 0 {
		return FieldErrorf("org", "choose the member the goal belongs to")
	}
	if t := strings.TrimSpace(g.Text); t == "" || utf8.RuneCountInString(t) > 2000 {
		return FieldErrorf("text", "a goal needs a text of at most 2000 characters")
	}
	if g.FromYear < 1900 || g.FromYear > 2200 {
		return FieldErrorf("from_year", "%d is not a plausible year", g.FromYear)
	}
	if g.ToYear != 0 && g.ToYear < g.FromYear {
		return FieldErrorf("to_year", "the goal ends %d before it starts %d", g.ToYear, g.FromYear)
	}
	return nil
}
