package samrad

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// IndicatorSource is where an indicator's figures come from.
type IndicatorSource string

const (
	SourceSSB        IndicatorSource = "ssb"        // a table of SSB's statbank and a query on it
	SourceUpload     IndicatorSource = "upload"     // a file uploaded by the secretariat, in the same formats
	SourcePopulation IndicatorSource = "population" // the population figures imported for the fees
)

// IndicatorSources lists the sources in display order.
var IndicatorSources = []IndicatorSource{SourceSSB, SourceUpload, SourcePopulation}

// Valid reports whether s is a known source.
func (s IndicatorSource) Valid() bool {
	for _, x := range IndicatorSources {
		if x == s {
			return true
		}
	}
	return false
}

// IndicatorMeasure is how a figure is computed from its numerator and
// denominator.
type IndicatorMeasure string

const (
	MeasureCount   IndicatorMeasure = "count"   // the numerator, a number of something
	MeasureShare   IndicatorMeasure = "share"   // numerator / denominator in per cent
	MeasurePer1000 IndicatorMeasure = "per1000" // numerator per 1,000 of the denominator (inhabitants)
	MeasureValue   IndicatorMeasure = "value"   // the numerator as published (an amount, an index)
)

// IndicatorMeasures lists the measures in display order.
var IndicatorMeasures = []IndicatorMeasure{MeasureCount, MeasureShare, MeasurePer1000, MeasureValue}

// Valid reports whether m is a known measure.
func (m IndicatorMeasure) Valid() bool {
	for _, x := range IndicatorMeasures {
		if x == m {
			return true
		}
	}
	return false
}

// NeedsDenominator reports whether a figure of this measure is a ratio.
func (m IndicatorMeasure) NeedsDenominator() bool { return m == MeasureShare || m == MeasurePer1000 }

// Additive reports whether figures of this measure may be summed across
// merged organisations. Shares and rates are summed by their numerators
// and denominators; a published value (an average, an index) cannot be.
func (m IndicatorMeasure) Additive() bool { return m != MeasureValue }

// IndicatorSchedule is how often an indicator is fetched.
type IndicatorSchedule string

const (
	ScheduleNone    IndicatorSchedule = "none" // only when someone asks
	ScheduleDaily   IndicatorSchedule = "daily"
	ScheduleWeekly  IndicatorSchedule = "weekly"
	ScheduleMonthly IndicatorSchedule = "monthly"
)

// IndicatorSchedules lists the schedules in display order.
var IndicatorSchedules = []IndicatorSchedule{ScheduleNone, ScheduleDaily, ScheduleWeekly, ScheduleMonthly}

// Valid reports whether s is a known schedule.
func (s IndicatorSchedule) Valid() bool {
	for _, x := range IndicatorSchedules {
		if x == s {
			return true
		}
	}
	return false
}

// next returns when a run after one that succeeded at last is due.
func (s IndicatorSchedule) next(last time.Time) time.Time {
	switch s {
	case ScheduleDaily:
		return last.AddDate(0, 0, 1)
	case ScheduleWeekly:
		return last.AddDate(0, 0, 7)
	case ScheduleMonthly:
		return last.AddDate(0, 1, 0)
	}
	return time.Time{}
}

// MaxIndicatorRetries caps the retries of a failed scheduled fetch.
const MaxIndicatorRetries = 10

// IndicatorRetryDelay is the least time between a failed scheduled fetch
// and its retry.
const IndicatorRetryDelay = time.Hour

// Indicator is a figure an alliance follows for its members, from SSB's
// statbank, an uploaded file or the population figures.
type Indicator struct {
	ID             int64
	AllianceID     int64
	Slug           string
	NameNB         string
	NameEN         string
	DescriptionNB  string
	DescriptionEN  string
	Source         IndicatorSource
	Table          string // SSB table number, e.g. "07459"; empty for the other sources
	Query          string // the statbank selection as JSON, e.g. {"ContentsCode":["Personer1"],"Kjonn":["*"]}
	Measure        IndicatorMeasure
	Unit           string // shown after the figure, e.g. "personer", "%", "per 1 000 innbyggere"
	Decimals       int
	HigherIsBetter bool
	MembersOnly    bool // shown only to people with a role in the alliance
	Schedule       IndicatorSchedule
	Retries        int // how many times a failed scheduled fetch is tried again
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Name returns the indicator's name in lang, Norwegian if there is no English one.
func (in Indicator) Name(lang string) string {
	if lang == "en" && in.NameEN != "" {
		return in.NameEN
	}
	return in.NameNB
}

// Description returns the description in lang, Norwegian if there is no English one.
func (in Indicator) Description(lang string) string {
	if lang == "en" && in.DescriptionEN != "" {
		return in.DescriptionEN
	}
	return in.DescriptionNB
}

var tablePattern = regexp.MustCompile(`^[0-9]{5}$`)

// Validate checks an indicator before it is stored, deriving the slug from
// the Norwegian name if it has none.
func (in *Indicator) Validate() error {
	in.NameNB, in.NameEN = strings.TrimSpace(in.NameNB), strings.TrimSpace(in.NameEN)
	in.DescriptionNB, in.DescriptionEN = strings.TrimSpace(in.DescriptionNB), strings.TrimSpace(in.DescriptionEN)
	in.Table, in.Query, in.Unit = strings.TrimSpace(in.Table), strings.TrimSpace(in.Query), strings.TrimSpace(in.Unit)
	if in.Schedule == "" {
		in.Schedule = ScheduleNone
	}
	if in.NameNB == "" || utf8.RuneCountInString(in.NameNB) > 200 || strings.ContainsAny(in.NameNB, "\r\n") {
		return FieldErrorf("name_nb", "the indicator needs a Norwegian name of one line and at most 200 characters")
	}
	if utf8.RuneCountInString(in.NameEN) > 200 || strings.ContainsAny(in.NameEN, "\r\n") {
		return FieldErrorf("name_en", "the English name is one line of at most 200 characters")
	}
	if in.Slug == "" {
		in.Slug = Slugify(in.NameNB)
	}
	if err := netSlug("slug", in.Slug); err != nil {
		return err
	}
	switch {
	case utf8.RuneCountInString(in.DescriptionNB) > 5000 || utf8.RuneCountInString(in.DescriptionEN) > 5000:
		return FieldErrorf("description_nb", "the description is longer than 5,000 characters")
	case !in.Source.Valid():
		return FieldErrorf("source", "unknown source %q", in.Source)
	case !in.Measure.Valid():
		return FieldErrorf("measure", "unknown measure %q", in.Measure)
	case !in.Schedule.Valid():
		return FieldErrorf("schedule", "unknown schedule %q", in.Schedule)
	case in.Decimals < 0 || in.Decimals > 6:
		return FieldErrorf("decimals", "decimals must be between 0 and 6")
	case in.Retries < 0 || in.Retries > MaxIndicatorRetries:
		return FieldErrorf("retries", "retries must be between 0 and %d", MaxIndicatorRetries)
	case utf8.RuneCountInString(in.Unit) > 60 || strings.ContainsAny(in.Unit, "\r\n"):
		return FieldErrorf("unit", "the unit is one line of at most 60 characters")
	}
	switch in.Source {
	case SourceSSB:
		if !tablePattern.MatchString(in.Table) {
			return FieldErrorf("table", "an SSB table number has 5 digits, got %q", in.Table)
		}
		if in.Query == "" {
			return FieldErrorf("query", "an SSB indicator needs a query (the selection of the table's dimensions)")
		}
	case SourceUpload:
		if in.Table != "" {
			return FieldErrorf("table", "an uploaded indicator has no SSB table")
		}
		if in.Schedule != ScheduleNone {
			return FieldErrorf("schedule", "an uploaded indicator cannot be fetched on a schedule")
		}
	case SourcePopulation:
		if in.Table != "" {
			return FieldErrorf("table", "the population indicator has no SSB table of its own")
		}
		if in.Measure != MeasureCount && in.Measure != MeasureShare {
			return FieldErrorf("measure", "the population is a count, and its growth a share of the year before")
		}
	}
	if in.Query != "" {
		if len(in.Query) > 10000 {
			return FieldErrorf("query", "the query is longer than 10,000 characters")
		}
		var sel map[string]json.RawMessage
		if err := json.Unmarshal([]byte(in.Query), &sel); err != nil {
			return FieldErrorf("query", "the query must be a JSON object of dimension selections: %v", err)
		}
	}
	return nil
}

// DueAt returns when the next scheduled run is due after the last
// successful one (zero: never succeeded, due at once). ok is false when
// the indicator has no schedule.
func (in Indicator) DueAt(lastSuccess time.Time) (at time.Time, ok bool) {
	if in.Schedule == ScheduleNone || in.Schedule == "" || in.Source == SourceUpload {
		return time.Time{}, false
	}
	if lastSuccess.IsZero() {
		return time.Time{}, true
	}
	return in.Schedule.next(lastSuccess), true
}

// Due reports whether a scheduled fetch is due at now, given when the last
// one succeeded (zero: never).
func (in Indicator) Due(lastSuccess, now time.Time) bool {
	at, ok := in.DueAt(lastSuccess)
	return ok && !now.Before(at)
}

// ShouldRun reports whether a scheduled fetch is to start at now: it is
// due, fewer than 1+Retries fetches have failed since it became due (or in
// the last period of the schedule, for one that has never succeeded), and
// the last failure is at least IndicatorRetryDelay ago. failures are the
// start times of the runs that failed after lastSuccess.
func (in Indicator) ShouldRun(lastSuccess time.Time, failures []time.Time, now time.Time) bool {
	if !in.Due(lastSuccess, now) {
		return false
	}
	at, _ := in.DueAt(lastSuccess)
	// A source broken for longer than a period is tried again in the next one.
	if window := now.Add(-in.Schedule.next(now).Sub(now)); at.Before(window) {
		at = window
	}
	n := 0
	for _, f := range failures {
		if f.Before(at) {
			continue
		}
		n++
		if now.Sub(f) < IndicatorRetryDelay {
			return false
		}
	}
	return n <= in.Retries
}

// Fitting methods: how a figure for an organisation in the structure on the
// fitting date was found.
const (
	FitFigure          = "figure"           // the organisation's own figure
	FitSumPredecessors = "sum_predecessors" // the sum of what it was made from (merges, renumberings)
	FitSplit           = "split"            // a predecessor was split: no figure, see Reason
)

// CountryCode is the code of the whole country in SSB's tables; it is not
// in the registry and is kept as it is.
const CountryCode = "0"

// IndicatorValue is one figure of an indicator for an organisation code in
// the structure on the fitting date and a period.
type IndicatorValue struct {
	Code        string   // region code in the structure on the fitting date
	Period      string   // "2019", "2024K2" or "2024M05"
	Numerator   float64  // the count, the part of a share, the events of a rate
	Denominator float64  // the whole of a share, the inhabitants of a rate; 0 for a count or a value
	Status      string   // SSB's symbol for a cell without a figure ("..", ":", "."); "" when there is one
	Method      string   // FitFigure, FitSumPredecessors or FitSplit
	Parts       []string // the codes summed (FitSumPredecessors) or the split one (FitSplit)
	Reason      string   // why there is no figure, for FitSplit
}

// HasFigure reports whether the value holds a figure.
func (v IndicatorValue) HasFigure() bool { return v.Status == "" && v.Method != FitSplit }

// Value computes the figure by the measure; ok is false when there is none
// (a status, a split, a ratio over nothing).
func (v IndicatorValue) Value(m IndicatorMeasure) (float64, bool) {
	if !v.HasFigure() {
		return 0, false
	}
	switch m {
	case MeasureShare:
		if v.Denominator == 0 {
			return 0, false
		}
		return 100 * v.Numerator / v.Denominator, true
	case MeasurePer1000:
		if v.Denominator == 0 {
			return 0, false
		}
		return 1000 * v.Numerator / v.Denominator, true
	}
	return v.Numerator, true
}

// FormatValue writes the figure with the indicator's decimals, "" if there
// is none.
func (in Indicator) FormatValue(v IndicatorValue) string {
	x, ok := v.Value(in.Measure)
	if !ok {
		return ""
	}
	return strconv.FormatFloat(x, 'f', in.Decimals, 64)
}

// IndicatorRun is one fetch or upload of an indicator's figures.
type IndicatorRun struct {
	ID          int64
	IndicatorID int64
	StartedAt   time.Time
	FinishedAt  time.Time // zero: still running (or the process stopped)
	OK          bool
	Error       string // why it failed, for the run log
	URL         string // the statbank address fetched
	File        string // the uploaded file's name
	Table       string // the SSB table, copied from the indicator at the start
	FittedOn    Date   // the date of the structure the figures were fitted to
	Cells       int    // cells read from the source
	Rows        int    // values written
}

// Finished reports whether the run has ended.
func (r IndicatorRun) Finished() bool { return !r.FinishedAt.IsZero() }

// periodPattern accepts a year, a quarter (SSB's "K") or a month.
var periodPattern = regexp.MustCompile(`^([12][0-9]{3})(?:K([1-4])|M(0[1-9]|1[0-2]))?$`)

// PeriodRange returns the first and last day of a period "2019",
// "2024K2" or "2024M05".
func PeriodRange(p string) (from, to Date, err error) {
	m := periodPattern.FindStringSubmatch(p)
	if m == nil {
		return from, to, FieldErrorf("period", "%q is not a period (2019, 2024K2 or 2024M05)", p)
	}
	y, _ := strconv.Atoi(m[1])
	switch {
	case m[2] != "":
		q, _ := strconv.Atoi(m[2])
		from = NewDate(y, time.Month(3*q-2), 1)
		return from, from.AddMonths(3).AddDays(-1), nil
	case m[3] != "":
		mo, _ := strconv.Atoi(m[3])
		from = NewDate(y, time.Month(mo), 1)
		return from, from.AddMonths(1).AddDays(-1), nil
	}
	return Jan1(y), NewDate(y, time.December, 31), nil
}

// Observation is one raw figure as the source gives it: the code is the one
// the organisation had in that period.
type Observation struct {
	Code        string
	Period      string
	Numerator   float64
	Denominator float64
	Status      string // "" for a figure; SSB's symbol for a cell without one ("-" is a figure 0 and should come as one)
}

// FitProblem is an observation that cannot be fitted.
type FitProblem struct {
	Code, Period, Reason string
}

// FitError lists every observation that could not be fitted; nothing is
// fitted when there is one.
type FitError struct {
	On       Date
	Problems []FitProblem
}

func (e *FitError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d figures cannot be fitted to the structure on %s", len(e.Problems), e.On)
	for i, p := range e.Problems {
		if i == 10 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-10)
			break
		}
		fmt.Fprintf(&b, "; %s %s: %s", p.Code, p.Period, p.Reason)
	}
	return b.String()
}

// fitTarget is where the figures of an organisation end up on the fitting
// date, and whether it reaches it through a split.
type fitTarget struct {
	org   *Organisation
	split *Organisation // the split predecessor on the way, nil if none
}

// successorsOn follows org forward through its changes to the organisations
// valid on d. Transfers are not followed: a part moved out is counted with
// org's main successor, as SSB's KommSummer does.
func (r *Registry) successorsOn(org *Organisation, d Date, split *Organisation, depth int, out []fitTarget) ([]fitTarget, bool) {
	if org.ValidOn(d) {
		return append(out, fitTarget{org, split}), true
	}
	if depth > 16 || (!org.ValidFrom.IsZero() && org.ValidFrom.After(d)) {
		return out, false
	}
	found := false
	for _, c := range r.out[org.ID] {
		if c.Kind == ChangeTransfer {
			continue
		}
		s := split
		if c.Kind == ChangeSplit && s == nil {
			s = org
		}
		var ok bool
		out, ok = r.successorsOn(r.byID[c.To.ID], d, s, depth+1, out)
		found = found || ok
	}
	return out, found
}

// fitKey is an organisation in the structure and a period.
type fitKey struct {
	code, period string
}

type fitAcc struct {
	direct    *Observation // the organisation's own figure for the period
	sum       IndicatorValue
	summed    int
	splitFrom *Organisation
}

// Fit fits raw observations, each under the code its organisation had in
// the period, to the organisations valid on date on, as SSB's KommSummer
// grouping does:
//   - an organisation's own figure is kept (SSB often gives series in
//     today's codes back in time);
//   - otherwise the numerators and denominators of the organisations it was
//     made from by merges and renumberings are summed (never their ratios);
//     a sum with a part without a figure has no figure;
//   - a figure of an organisation that was later split cannot be divided:
//     every successor is flagged with FitSplit and a reason, without a figure;
//   - an empty cell of a code in a period when it did not exist is dropped
//     (statbank tables hold every code for every period).
//
// A code the registry does not know, or whose organisation ended with no
// successor valid on on, is a problem; Fit then returns a *FitError naming
// every such code and no values. The code "0" (the whole country) is kept as
// it is. additive is false for published values that cannot be summed
// (averages, indices): organisations that would need a sum are then flagged
// with the reason. The values are ordered by code and period.
func (r *Registry) Fit(obs []Observation, on Date, additive bool) ([]IndicatorValue, error) {
	fe := &FitError{On: on}
	acc := map[fitKey]*fitAcc{}
	seen := make(map[fitKey]bool, len(obs))
	var targets []fitTarget
	for i := range obs {
		o := &obs[i]
		from, to, err := PeriodRange(o.Period)
		if err != nil {
			fe.Problems = append(fe.Problems, FitProblem{o.Code, o.Period, "not a period (2019, 2024K2 or 2024M05)"})
			continue
		}
		k := fitKey{o.Code, o.Period}
		if seen[k] {
			fe.Problems = append(fe.Problems, FitProblem{o.Code, o.Period, "appears twice"})
			continue
		}
		seen[k] = true
		if o.Status == "" && (math.IsNaN(o.Numerator) || math.IsInf(o.Numerator, 0) || math.IsNaN(o.Denominator) || math.IsInf(o.Denominator, 0)) {
			fe.Problems = append(fe.Problems, FitProblem{o.Code, o.Period, "not a number"})
			continue
		}
		if o.Code == CountryCode {
			a := accOf(acc, k)
			a.direct = o
			continue
		}
		org, existed := r.orgInPeriod(o.Code, from, to, on)
		if org == nil {
			fe.Problems = append(fe.Problems, FitProblem{o.Code, o.Period, "the code is not in the registry"})
			continue
		}
		if !existed && o.Status != "" {
			continue // the table's empty cell for a code that did not exist then
		}
		var ok bool
		targets, ok = r.successorsOn(org, on, nil, 0, targets[:0])
		if !ok {
			fe.Problems = append(fe.Problems, FitProblem{o.Code, o.Period,
				fmt.Sprintf("%s (%s) is not in the structure on %s and has no successor there", org.Label("nb"), org.Period(), on)})
			continue
		}
		for i, t := range targets {
			if slices.ContainsFunc(targets[:i], func(x fitTarget) bool { return x.org == t.org }) {
				continue // reached by two paths
			}
			a := accOf(acc, fitKey{t.org.Code, o.Period})
			switch {
			case t.org == org && t.split == nil:
				a.direct = o
			case t.split != nil:
				if a.splitFrom == nil || t.split.Code < a.splitFrom.Code {
					a.splitFrom = t.split
				}
			default:
				a.summed++
				a.sum.Parts = append(a.sum.Parts, o.Code)
				if o.Status != "" {
					if a.sum.Status == "" {
						a.sum.Status = o.Status
					}
					continue
				}
				a.sum.Numerator += o.Numerator
				a.sum.Denominator += o.Denominator
			}
		}
	}
	if len(fe.Problems) > 0 {
		sort.Slice(fe.Problems, func(i, j int) bool {
			a, b := fe.Problems[i], fe.Problems[j]
			return a.Code < b.Code || a.Code == b.Code && a.Period < b.Period
		})
		return nil, fe
	}
	out := make([]IndicatorValue, 0, len(acc))
	for k, a := range acc {
		v := IndicatorValue{Code: k.code, Period: k.period}
		switch {
		case a.direct != nil && (a.direct.Status == "" || a.summed == 0 && a.splitFrom == nil):
			v.Numerator, v.Denominator, v.Status, v.Method = a.direct.Numerator, a.direct.Denominator, a.direct.Status, FitFigure
		case a.splitFrom != nil:
			v.Method, v.Parts = FitSplit, []string{a.splitFrom.Code}
			v.Reason = fmt.Sprintf("%s was split; its figures cannot be divided", a.splitFrom.Label("nb"))
		case !additive && a.summed > 1:
			sort.Strings(a.sum.Parts)
			v.Method, v.Parts = FitSplit, a.sum.Parts
			v.Reason = "the figures of " + strings.Join(a.sum.Parts, ", ") + " cannot be summed"
		default:
			v = a.sum
			v.Code, v.Period, v.Method = k.code, k.period, FitSumPredecessors
			sort.Strings(v.Parts)
			if v.Status != "" {
				v.Numerator, v.Denominator = 0, 0
			}
		}
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Code != out[j].Code {
			return out[i].Code < out[j].Code
		}
		return out[i].Period < out[j].Period
	})
	return out, nil
}

func accOf(m map[fitKey]*fitAcc, k fitKey) *fitAcc {
	a := m[k]
	if a == nil {
		a = &fitAcc{}
		m[k] = a
	}
	return a
}

// orgInPeriod finds the organisation a code named in a period: the period
// of the code that overlaps it (existed), else the one valid on the fitting
// date (a series given in today's codes back in time), else the latest
// before the period.
func (r *Registry) orgInPeriod(code string, from, to, on Date) (org *Organisation, existed bool) {
	list := r.byCode[code]
	for _, o := range list {
		if (o.ValidFrom.IsZero() || !o.ValidFrom.After(to)) && (o.ValidTo.IsZero() || !o.ValidTo.Before(from)) {
			return o, true
		}
	}
	for _, o := range list {
		if o.ValidOn(on) {
			return o, false
		}
	}
	for i := len(list) - 1; i >= 0; i-- {
		if !list[i].ValidTo.IsZero() && list[i].ValidTo.Before(from) {
			return list[i], false
		}
	}
	if len(list) > 0 {
		return list[len(list)-1], false
	}
	return nil, false
}
