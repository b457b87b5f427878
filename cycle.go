package samrad

import (
	"sort"
	"strings"
	"time"
)

// CycleKind is what a step of the yearly cycle does.
type CycleKind string

const (
	CycleFee          CycleKind = "fee"           // the council sets next year's fee
	CycleProgramme    CycleKind = "programme"     // the board adopts the action programme and budget
	CycleAnnualReport CycleKind = "annual_report" // the board approves the annual report and accounts
	CycleReportToBody CycleKind = "report_to"     // the report and accounts are presented to the council
	CycleOther        CycleKind = "other"
)

// CycleKinds lists the kinds in the order of a year.
var CycleKinds = []CycleKind{CycleAnnualReport, CycleReportToBody, CycleFee, CycleProgramme, CycleOther}

// CycleStep is a step of an alliance's yearly cycle: what is done, by
// which body, in which months (e.g. the council sets the fee in May–June).
type CycleStep struct {
	ID         int64
	AllianceID int64
	Kind       CycleKind
	TitleNB    string
	TitleEN    string
	BodyID     int64 // 0 if no body
	Month      int   // first usual month, 1–12
	LastMonth  int   // last usual month, ≥ Month
	Records    map[int]CycleRecord
}

// Title returns the step's title in lang, falling back to Norwegian.
func (s CycleStep) Title(lang string) string {
	if lang == "en" && s.TitleEN != "" {
		return s.TitleEN
	}
	return s.TitleNB
}

// CycleRecord says which meeting and case did a step in a year.
type CycleRecord struct {
	StepID    int64
	Year      int
	MeetingID int64
	CaseID    int64
	Case      CaseRef // the case's number and title, as read
	DoneOn    Date
}

// Validate checks a step before it is stored.
func (s CycleStep) Validate() error {
	known := false
	for _, k := range CycleKinds {
		known = known || k == s.Kind
	}
	if !known {
		return FieldErrorf("kind", "unknown kind of step %q", s.Kind)
	}
	if strings.TrimSpace(s.TitleNB) == "" {
		return FieldErrorf("title_nb", "a step needs a Norwegian title")
	}
	if s.Month < 1 || s.Month > 12 {
		return FieldErrorf("month", "the month must be 1 to 12")
	}
	if s.LastMonth < s.Month || s.LastMonth > 12 {
		return FieldErrorf("last_month", "the last month must be from %d to 12", s.Month)
	}
	return nil
}

// CycleDue is a step's next occurrence.
type CycleDue struct {
	Step     CycleStep
	Year     int
	From, To Date
	Overdue  bool // its months are past and it is not done
}

// Upcoming lists each step's next occurrence on or after today, soonest
// first: this year's unless it is done, else next year's. A step whose
// months have passed without being done is overdue.
func Upcoming(steps []CycleStep, today Date) []CycleDue {
	var out []CycleDue
	for _, s := range steps {
		y := today.Year()
		if _, done := s.Records[y]; done {
			y++
		}
		from := NewDate(y, time.Month(s.Month), 1)
		to := NewDate(y, time.Month(s.LastMonth), 1).AddMonths(1).AddDays(-1)
		out = append(out, CycleDue{Step: s, Year: y, From: from, To: to, Overdue: today.After(to)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Overdue != out[j].Overdue {
			return out[i].Overdue
		}
		return out[i].From.Before(out[j].From)
	})
	return out
}
