package samrad

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// StrategyPeriod is an alliance's strategy for some years (2017–2020): the
// vision, the roles and working methods, and the focus areas
// (innsatsområder) with their prioritised activities.
type StrategyPeriod struct {
	ID, AllianceID      int64
	FirstYear, LastYear int
	Title               string
	Vision              string // one sentence
	VisionText          string // how the vision is to be supported
	Roles               []string
	FocusAreas          []FocusArea
	Source              string
}

// FocusArea is one innsatsområde of a strategy period.
type FocusArea struct {
	ID         int64
	Number     int
	Title      string
	Intro      string
	Activities []string
}

// Validate checks a strategy period before it is stored.
func (p StrategyPeriod) Validate() error {
	if p.AllianceID == 0 {
		return FieldErrorf("alliance", "an alliance is required")
	}
	if p.FirstYear < 1900 || p.LastYear < p.FirstYear || p.LastYear > p.FirstYear+20 {
		return FieldErrorf("years", "the period %d–%d is not a range of years", p.FirstYear, p.LastYear)
	}
	seen := map[int]bool{}
	for _, f := range p.FocusAreas {
		if strings.TrimSpace(f.Title) == "" {
			return FieldErrorf("focus_areas", "focus area %d has no title", f.Number)
		}
		if f.Number < 1 || seen[f.Number] {
			return FieldErrorf("focus_areas", "focus area number %d is missing or used twice", f.Number)
		}
		seen[f.Number] = true
	}
	return nil
}

// Years is "2017–2020".
func (p StrategyPeriod) Years() string { return fmt.Sprintf("%d–%d", p.FirstYear, p.LastYear) }

// Programme is the yearly action programme (handlingsprogram): numbered
// sections, usually the focus areas, each with numbered measures (tiltak).
type Programme struct {
	ID, AllianceID int64
	Year           int
	PeriodID       int64 // the strategy period it carries out, 0 if none
	Title          string
	AdoptedOn      Date
	AdoptedBy      string // e.g. "styret"
	Source         string
	Sections       []Section
	// Economy is the programme's chapter on its economic framework: the
	// fee decided for the year, the income it gives, the frame left for
	// projects and the funds carried over, as the programme words it.
	Economy string
}

// Section is a numbered chapter of measures.
type Section struct {
	ID       int64
	Number   int
	Title    string
	Measures []Measure
}

// MeasureStatus is how a measure is going.
type MeasureStatus string

const (
	MeasurePlanned   MeasureStatus = "planned"
	MeasureOngoing   MeasureStatus = "ongoing"
	MeasureDone      MeasureStatus = "done"
	MeasurePostponed MeasureStatus = "postponed"
	MeasureCancelled MeasureStatus = "cancelled"
)

// MeasureStatuses lists the statuses in their usual order.
var MeasureStatuses = []MeasureStatus{MeasurePlanned, MeasureOngoing, MeasureDone, MeasurePostponed, MeasureCancelled}

// Valid reports whether s is a known status.
func (s MeasureStatus) Valid() bool {
	for _, x := range MeasureStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// Closed reports whether no more work is expected.
func (s MeasureStatus) Closed() bool { return s == MeasureDone || s == MeasureCancelled }

// Measure is one tiltak. Its ID never changes: links to it from other
// measures, cases and projects survive renumbering.
type Measure struct {
	ID          int64
	Section     int // the section's number
	Number      int // within the section
	Title       string
	Timeframe   Timeframe
	Responsible string   // as the programme says it ("Sekretariatet/Faggruppe …")
	Partners    []string // other organisations it works with
	Intro       string
	Content     []string // the points of "Nærmere om innhold"
	SeeAlso     []string // labels of other measures in the same programme ("4.1")
	SeeAlsoIDs  []int64  // the same, as stored
	Status      MeasureStatus
	ContinuesID int64     // the measure of an earlier programme this one continues
	Cases       []CaseRef // the cases and decisions that carry it out
	Notes       []ProgressNote
}

// Label is the measure's number, "1.2".
func (m Measure) Label() string { return fmt.Sprintf("%d.%d", m.Section, m.Number) }

// LastNote returns the newest progress note, or nil.
func (m Measure) LastNote() *ProgressNote {
	if len(m.Notes) == 0 {
		return nil
	}
	last := &m.Notes[0]
	for i := range m.Notes {
		if m.Notes[i].On.After(last.On) || (m.Notes[i].On.Equal(last.On) && m.Notes[i].ID > last.ID) {
			last = &m.Notes[i]
		}
	}
	return last
}

// Late reports whether the measure's timeframe ended before today's year
// and it is not closed.
func (m Measure) Late(today Date) bool {
	return !m.Status.Closed() && !m.Timeframe.Ongoing && m.Timeframe.To != 0 && m.Timeframe.To < today.Year()
}

// Stale reports whether the measure is open and has had no progress note
// in the last weeks (counting from since, e.g. the programme's start, when
// it has none at all).
func (m Measure) Stale(today Date, weeks int, since Date) bool {
	if m.Status.Closed() || m.Status == MeasurePostponed {
		return false
	}
	last := since
	if n := m.LastNote(); n != nil {
		last = n.On
	}
	return last.AddDays(7 * weeks).Before(today)
}

// Timeframe is when a measure runs, as written ("Løpende", "2017-18",
// "2016 - 2018", "1. kvartal 2017", "16.02.2017") with the years read from it.
type Timeframe struct {
	Text     string
	Ongoing  bool
	From, To int // years, 0 when not known
}

var yearsRe = regexp.MustCompile(`(?:^|\D)((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)?\d\d))?(?:\D|$)`)

// ParseTimeframe reads a timeframe as programmes write it.
func ParseTimeframe(text string) Timeframe {
	t := Timeframe{Text: strings.TrimSpace(text)}
	lower := strings.ToLower(t.Text)
	if lower == "" || strings.Contains(lower, "løpende") || strings.Contains(lower, "ongoing") {
		t.Ongoing = lower != ""
		return t
	}
	m := yearsRe.FindStringSubmatch(t.Text)
	if m == nil {
		return t
	}
	t.From, _ = strconv.Atoi(m[1])
	t.To = t.From
	if m[2] != "" {
		to, _ := strconv.Atoi(m[2])
		if to < 100 {
			to += t.From / 100 * 100
		}
		if to >= t.From {
			t.To = to
		}
	}
	return t
}

// measureLabelRe matches a measure label such as "4.1".
var measureLabelRe = regexp.MustCompile(`^\d+\.\d+$`)

// Validate checks a programme before it is stored: sections and measures
// numbered once each, titles present, and references that point to a
// measure of the programme.
func (p Programme) Validate() error {
	if p.AllianceID == 0 {
		return FieldErrorf("alliance", "an alliance is required")
	}
	if p.Year < 1900 || p.Year > 2200 {
		return FieldErrorf("year", "%d is not a year", p.Year)
	}
	labels := map[string]bool{}
	sections := map[int]bool{}
	for _, s := range p.Sections {
		if s.Number < 1 || sections[s.Number] {
			return FieldErrorf("section", "section number %d is missing or used twice", s.Number)
		}
		sections[s.Number] = true
		if strings.TrimSpace(s.Title) == "" {
			return FieldErrorf("section", "section %d has no title", s.Number)
		}
		for _, m := range s.Measures {
			if m.Section != s.Number {
				return FieldErrorf("number", "measure %s is in section %d", m.Label(), s.Number)
			}
			if err := m.Validate(); err != nil {
				return err
			}
			if labels[m.Label()] {
				return Errorf(ECONFLICT, "measure number %s is used twice", m.Label())
			}
			labels[m.Label()] = true
		}
	}
	for _, s := range p.Sections {
		for _, m := range s.Measures {
			for _, ref := range m.SeeAlso {
				if !labels[ref] || ref == m.Label() {
					return FieldErrorf("see_also", "measure %s refers to %q, which is not another measure of the programme", m.Label(), ref)
				}
			}
		}
	}
	return nil
}

// Validate checks one measure.
func (m Measure) Validate() error {
	if m.Section < 1 || m.Number < 1 {
		return FieldErrorf("number", "a measure needs a section and a number from 1")
	}
	if strings.TrimSpace(m.Title) == "" {
		return FieldErrorf("title", "measure %s has no title", m.Label())
	}
	if m.Status != "" && !m.Status.Valid() {
		return FieldErrorf("status", "unknown status %q", m.Status)
	}
	for _, ref := range m.SeeAlso {
		if !measureLabelRe.MatchString(ref) {
			return FieldErrorf("see_also", "%q is not a measure number like 4.1", ref)
		}
	}
	return nil
}

// ProgressNote is a dated note on how a measure is going; it may change
// the measure's status.
type ProgressNote struct {
	ID        int64
	MeasureID int64
	On        Date
	Text      string
	Status    MeasureStatus // the status from this note on; "" keeps it
	Author    string
}

// Validate checks a note before it is stored.
func (n ProgressNote) Validate() error {
	if n.On.IsZero() {
		return FieldErrorf("on", "a date is required")
	}
	if strings.TrimSpace(n.Text) == "" && n.Status == "" {
		return FieldErrorf("text", "write what happened, or change the status")
	}
	if n.Status != "" && !n.Status.Valid() {
		return FieldErrorf("status", "unknown status %q", n.Status)
	}
	return nil
}

// CaseRef names a case linked from elsewhere, with its decision if made.
type CaseRef struct {
	ID           int64
	Year, Number int
	Title        string
	Decision     string
}
