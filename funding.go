package samrad

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// FundingKind is what sort of funder runs a funding programme.
type FundingKind string

const (
	FundingEU              FundingKind = "eu"               // EU programmes: Erasmus+, Horizon Europe …
	FundingEEA             FundingKind = "eea"              // EØS-midlene, the EEA and Norway Grants
	FundingInterreg        FundingKind = "interreg"         // grenseregionale prosjekter
	FundingCounty          FundingKind = "county"           // a county's own funds
	FundingState           FundingKind = "state"            // a ministry or directorate
	FundingResearchCouncil FundingKind = "research_council" // Norges forskningsråd
	FundingOther           FundingKind = "other"
)

// FundingKinds lists the kinds in display order.
var FundingKinds = []FundingKind{FundingEU, FundingEEA, FundingInterreg, FundingCounty, FundingState, FundingResearchCouncil, FundingOther}

// Valid reports whether k is a known kind.
func (k FundingKind) Valid() bool {
	for _, x := range FundingKinds {
		if x == k {
			return true
		}
	}
	return false
}

// FundingProgramme is a source of funding an alliance follows, such as
// Erasmus+ or a county's pre-project funds. Its calls and the applications
// to it hang under it.
type FundingProgramme struct {
	ID            int64
	AllianceID    int64
	Slug          string
	NameNB        string
	NameEN        string
	Funder        string // e.g. "EU", "Viken fylkeskommune"
	Kind          FundingKind
	DescriptionNB string
	DescriptionEN string
	Website       string
	Source        string
}

// Name returns the programme's name in lang, Norwegian if there is no English one.
func (p FundingProgramme) Name(lang string) string {
	if lang == "en" && p.NameEN != "" {
		return p.NameEN
	}
	return p.NameNB
}

// Description returns the description in lang.
func (p FundingProgramme) Description(lang string) Text {
	return localized(lang, p.DescriptionNB, p.DescriptionEN)
}

// Validate checks a programme before it is stored, deriving the slug from
// the name if it has none.
func (p *FundingProgramme) Validate() error {
	p.NameNB, p.NameEN, p.Funder = strings.TrimSpace(p.NameNB), strings.TrimSpace(p.NameEN), strings.TrimSpace(p.Funder)
	p.Website, p.Source = strings.TrimSpace(p.Website), strings.TrimSpace(p.Source)
	p.DescriptionNB, p.DescriptionEN = strings.TrimSpace(p.DescriptionNB), strings.TrimSpace(p.DescriptionEN)
	if p.Slug == "" && p.NameNB != "" {
		p.Slug = Slugify(p.NameNB)
	}
	switch {
	case p.NameNB == "" || utf8.RuneCountInString(p.NameNB) > 200:
		return FieldErrorf("name_nb", "the programme needs a Norwegian name of at most 200 characters")
	case utf8.RuneCountInString(p.NameEN) > 200:
		return FieldErrorf("name_en", "the English name is longer than 200 characters")
	case !slugPattern.MatchString(p.Slug) || len(p.Slug) > 80:
		return FieldErrorf("slug", "%q is not a slug (a–z, 0–9 and single '-')", p.Slug)
	case p.Slug == "ny" || p.Slug == "new":
		return FieldErrorf("slug", "%q is reserved", p.Slug)
	case !p.Kind.Valid():
		return FieldErrorf("kind", "unknown kind of programme %q", p.Kind)
	case utf8.RuneCountInString(p.Funder) > 200:
		return FieldErrorf("funder", "the funder is longer than 200 characters")
	case !webAddress(p.Website):
		return FieldErrorf("website", "%q is not a web address (https://…)", p.Website)
	case utf8.RuneCountInString(p.DescriptionNB) > 10000 || utf8.RuneCountInString(p.DescriptionEN) > 10000:
		return FieldErrorf("description_nb", "the description is longer than 10 000 characters")
	case utf8.RuneCountInString(p.Source) > 500:
		return FieldErrorf("source", "the source is longer than 500 characters")
	}
	return nil
}

// webAddress reports whether s is empty or an http(s) address.
func webAddress(s string) bool {
	return s == "" || (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) && len(s) <= 500 && !strings.ContainsAny(s, " \t\r\n")
}

// FundingCall is one call for proposals of a programme, with its deadline.
//
// A deadline is a moment (stored in UTC). Funders usually give a time
// ("17:00 Brussels time"); a deadline given as a date alone means the end
// of that day in Norway, 23:59:59 Europe/Oslo (see DeadlineOn).
type FundingCall struct {
	ID          int64
	ProgrammeID int64
	Code        string // the funder's identifier, unique in the programme
	Title       string
	Opens       Date // zero: not known
	Deadline    time.Time
	Budget      *Money // nil: not known
	URL         string
	Note        string
}

// OpenAt reports whether the call takes applications at now.
func (c FundingCall) OpenAt(now time.Time) bool {
	if !c.Opens.IsZero() && now.Before(time.Date(c.Opens.Year(), c.Opens.Month(), c.Opens.Day(), 0, 0, 0, 0, Oslo())) {
		return false
	}
	return now.Before(c.Deadline)
}

// Validate checks a call before it is stored.
func (c *FundingCall) Validate() error {
	c.Code, c.Title = strings.TrimSpace(c.Code), strings.TrimSpace(c.Title)
	c.URL, c.Note = strings.TrimSpace(c.URL), strings.TrimSpace(c.Note)
	switch {
	case c.Code == "" || utf8.RuneCountInString(c.Code) > 100 || strings.ContainsAny(c.Code, "\r\n\t"):
		return FieldErrorf("code", "the call needs a code of at most 100 characters on one line")
	case c.Title == "" || utf8.RuneCountInString(c.Title) > 300:
		return FieldErrorf("title", "the call needs a title of at most 300 characters")
	case c.Deadline.IsZero():
		return FieldErrorf("deadline", "the call needs a deadline")
	case !c.Opens.IsZero() && c.Opens.After(DateIn(c.Deadline)):
		return FieldErrorf("opens", "the call opens %s, after its deadline %s", c.Opens, DateIn(c.Deadline))
	case c.Budget != nil && *c.Budget < 0:
		return FieldErrorf("budget", "the budget cannot be negative")
	case !webAddress(c.URL):
		return FieldErrorf("url", "%q is not a web address (https://…)", c.URL)
	case utf8.RuneCountInString(c.Note) > 2000:
		return FieldErrorf("note", "the note is longer than 2000 characters")
	}
	c.Deadline = c.Deadline.UTC().Truncate(time.Second)
	return nil
}

// DeadlineOn is the moment a deadline given as a date alone falls: the
// end of that day in Norway (23:59:59 Europe/Oslo).
func DeadlineOn(d Date) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, Oslo()).UTC()
}

// AllDay reports whether a deadline was given as a date alone (it falls
// at the end of its day in Norway), so that no time need be shown.
func AllDay(t time.Time) bool {
	o := t.In(Oslo())
	return o.Hour() == 23 && o.Minute() == 59 && o.Second() == 59
}

// DateIn is the date of a moment in Norway.
func DateIn(t time.Time) Date {
	o := t.In(Oslo())
	return NewDate(o.Year(), o.Month(), o.Day())
}

// ParseCallDate reads a date as a form or an import file gives it:
// "2026-03-31" or the Norwegian "31.03.2026".
func ParseCallDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if d, err := ParseDate(s); err == nil {
		return d, nil
	}
	t, err := time.Parse("02.01.2006", s)
	if err != nil {
		if t, err = time.Parse("2.1.2006", s); err != nil {
			return Date{}, fmt.Errorf("%q is not a date (YYYY-MM-DD or DD.MM.YYYY)", s)
		}
	}
	// Read again as YYYY-MM-DD, so that both forms keep ParseDate's rules
	// (no year before 1000).
	d, err := ParseDate(t.Format(time.DateOnly))
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date (YYYY-MM-DD or DD.MM.YYYY)", s)
	}
	return d, nil
}

// ParseDeadline reads a deadline in Norwegian time: a date and a time
// ("2026-03-31 17:00", "2026-03-31T17:00", "31.03.2026 17:00"), a moment
// with its offset (RFC 3339), or a date alone, which means the end of that
// day (DeadlineOn).
func ParseDeadline(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "02.01.2006 15:04", "2.1.2006 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, Oslo()); err == nil {
			return t.UTC(), nil
		}
	}
	d, err := ParseCallDate(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date or a date and time (YYYY-MM-DD HH:MM)", s)
	}
	return DeadlineOn(d), nil
}

// ApplicationStatus is where an application stands.
type ApplicationStatus string

const (
	ApplicationPlanned   ApplicationStatus = "planned"
	ApplicationDrafting  ApplicationStatus = "drafting"
	ApplicationSubmitted ApplicationStatus = "submitted"
	ApplicationGranted   ApplicationStatus = "granted"
	ApplicationRejected  ApplicationStatus = "rejected"
	ApplicationWithdrawn ApplicationStatus = "withdrawn"
)

// ApplicationStatuses lists the statuses in the order an application moves
// through them.
var ApplicationStatuses = []ApplicationStatus{ApplicationPlanned, ApplicationDrafting, ApplicationSubmitted, ApplicationGranted, ApplicationRejected, ApplicationWithdrawn}

// Valid reports whether s is a known status.
func (s ApplicationStatus) Valid() bool {
	for _, x := range ApplicationStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// Preparing reports whether the application is still being written, so
// that its deadline lies ahead of it.
func (s ApplicationStatus) Preparing() bool {
	return s == ApplicationPlanned || s == ApplicationDrafting
}

// Application is an application for funding, by a member or another
// organisation, to a programme (and usually one of its calls).
type Application struct {
	ID             int64
	AllianceID     int64
	ProgrammeID    int64
	CallID         int64 // 0: none (a programme without calls, or not known)
	ApplicantOrgID int64
	ProjectID      int64 // 0: none
	Title          string
	Status         ApplicationStatus
	Deadline       time.Time // its own, when there is no call; zero: none
	AmountSought   *Money    // nil: not known
	AmountGranted  *Money    // nil: none or not known
	GrantNote      string    // why more was granted than sought, conditions …
	Outcome        string
	SubmittedOn    Date
	DecidedOn      Date
	Source         string
	Partners       []ApplicationPartner
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// ApplicationPartner is an organisation taking part in an application.
type ApplicationPartner struct {
	OrgID int64
	Role  string // e.g. "partner", "associated partner"
}

// Validate checks an application before it is stored: amounts, the status
// they fit, the order of its dates and its partners.
func (a *Application) Validate() error {
	a.Title, a.GrantNote, a.Outcome, a.Source = strings.TrimSpace(a.Title), strings.TrimSpace(a.GrantNote), strings.TrimSpace(a.Outcome), strings.TrimSpace(a.Source)
	switch {
	case a.Title == "" || utf8.RuneCountInString(a.Title) > 300:
		return FieldErrorf("title", "the application needs a title of at most 300 characters")
	case a.ProgrammeID == 0:
		return FieldErrorf("programme", "choose the programme applied to")
	case a.ApplicantOrgID == 0:
		return FieldErrorf("applicant", "choose the applicant")
	case !a.Status.Valid():
		return FieldErrorf("status", "unknown status %q", a.Status)
	case a.CallID != 0 && !a.Deadline.IsZero():
		return FieldErrorf("deadline", "the call's deadline applies; give a deadline of its own only to an application without a call")
	case a.AmountSought != nil && *a.AmountSought < 0:
		return FieldErrorf("amount_sought", "the amount sought cannot be negative")
	case a.AmountGranted != nil && *a.AmountGranted < 0:
		return FieldErrorf("amount_granted", "the amount granted cannot be negative")
	case a.AmountGranted != nil && a.Status != ApplicationGranted:
		return FieldErrorf("amount_granted", "only a granted application has an amount granted (the status is %s)", a.Status)
	case a.AmountGranted != nil && a.AmountSought != nil && *a.AmountGranted > *a.AmountSought && a.GrantNote == "":
		return FieldErrorf("amount_granted", "more was granted (%s) than sought (%s): explain it in the grant note", a.AmountGranted, a.AmountSought)
	case !a.SubmittedOn.IsZero() && !a.DecidedOn.IsZero() && a.DecidedOn.Before(a.SubmittedOn):
		return FieldErrorf("decided_on", "the decision (%s) cannot come before the submission (%s)", a.DecidedOn, a.SubmittedOn)
	case utf8.RuneCountInString(a.GrantNote) > 2000 || utf8.RuneCountInString(a.Outcome) > 10000:
		return FieldErrorf("outcome", "the text is too long")
	case utf8.RuneCountInString(a.Source) > 500:
		return FieldErrorf("source", "the source is longer than 500 characters")
	}
	seen := map[int64]bool{a.ApplicantOrgID: true}
	for i := range a.Partners {
		p := &a.Partners[i]
		p.Role = strings.TrimSpace(p.Role)
		switch {
		case p.OrgID == 0:
			return FieldErrorf("partners", "a partner needs an organisation")
		case p.OrgID == a.ApplicantOrgID:
			return FieldErrorf("partners", "the applicant cannot also be a partner")
		case seen[p.OrgID]:
			return FieldErrorf("partners", "organisation %d is a partner twice", p.OrgID)
		case utf8.RuneCountInString(p.Role) > 200:
			return FieldErrorf("partners", "a partner's role is longer than 200 characters")
		}
		seen[p.OrgID] = true
	}
	if !a.Deadline.IsZero() {
		a.Deadline = a.Deadline.UTC().Truncate(time.Second)
	}
	return nil
}

// DeadlineKind is what a deadline belongs to.
type DeadlineKind string

const (
	DeadlineCall             DeadlineKind = "call"              // a call's deadline
	DeadlineApplication      DeadlineKind = "application"       // an application's, own or its call's, while it is prepared
	DeadlineAgreementEnd     DeadlineKind = "agreement_end"     // the day an agreement ends
	DeadlineAgreementRenewal DeadlineKind = "agreement_renewal" // the day an agreement is to be renewed
	DeadlineNetworkRenewal   DeadlineKind = "network_renewal"   // the renewal of the membership of an external network
	DeadlineMilestone        DeadlineKind = "milestone"         // a project milestone not yet reached
)

// DeadlineKinds lists the kinds in display order.
var DeadlineKinds = []DeadlineKind{DeadlineCall, DeadlineApplication, DeadlineAgreementEnd, DeadlineAgreementRenewal, DeadlineNetworkRenewal, DeadlineMilestone}

// Valid reports whether k is a known kind.
func (k DeadlineKind) Valid() bool {
	for _, x := range DeadlineKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Deadline is one dated thing an alliance must not miss. Deadlines given
// as dates (agreements, networks, milestones) fall at the end of the day
// in Norway, like a call's deadline without a time.
type Deadline struct {
	Kind       DeadlineKind
	RefID      int64 // the call, application, agreement, network or milestone
	AllianceID int64
	TitleNB    string
	TitleEN    string
	ContextNB  string // what it belongs to: a call's programme, a milestone's project
	ContextEN  string
	At         time.Time
	// Slug is the slug of the page to link to: the programme (of a call or
	// an application), the agreement, the network or the project.
	Slug      string
	Reminders []Reminder
}

// Title returns the title in lang.
func (d Deadline) Title(lang string) string {
	if lang == "en" && d.TitleEN != "" {
		return d.TitleEN
	}
	return d.TitleNB
}

// Context returns what the deadline belongs to, in lang.
func (d Deadline) Context(lang string) string {
	if lang == "en" && d.ContextEN != "" {
		return d.ContextEN
	}
	return d.ContextNB
}

// Date is the deadline's date in Norway.
func (d Deadline) Date() Date { return DateIn(d.At) }

// AllDay reports whether the deadline has no time of its own.
func (d Deadline) AllDay() bool { return AllDay(d.At) }

// Reminder is an e-mail to send a number of days before a deadline.
type Reminder struct {
	ID         int64
	AllianceID int64
	Kind       DeadlineKind
	RefID      int64
	DaysBefore int
	Email      string
	Lang       string // of the e-mail: "nb" or "en"
	CreatedAt  time.Time
	SentAt     time.Time // zero until sent
}

// MaxReminderDays is the furthest ahead of a deadline a reminder may be.
const MaxReminderDays = 366

// Validate checks a reminder's own fields.
func (r *Reminder) Validate() error {
	r.Email = strings.TrimSpace(r.Email)
	if r.Lang == "" {
		r.Lang = "nb"
	}
	switch {
	case !r.Kind.Valid():
		return FieldErrorf("kind", "unknown kind of deadline %q", r.Kind)
	case r.RefID == 0:
		return FieldErrorf("ref", "choose the deadline to be reminded of")
	case r.DaysBefore < 0 || r.DaysBefore > MaxReminderDays:
		return FieldErrorf("days_before", "the number of days before must be between 0 and %d", MaxReminderDays)
	case r.Lang != "nb" && r.Lang != "en":
		return FieldErrorf("lang", "the language must be nb or en")
	}
	a, err := mail.ParseAddress(r.Email)
	if err != nil || a.Name != "" || a.Address != r.Email || len(r.Email) > 254 {
		return FieldErrorf("email", "%q is not an e-mail address", r.Email)
	}
	return nil
}

// SendDay is the day in Norway the reminder of a deadline at is due.
func (r Reminder) SendDay(at time.Time) Date { return DateIn(at).AddDays(-r.DaysBefore) }

// DueAt is when the reminder of a deadline at falls due: the start of its
// send day in Norway, so that "7 days before" means seven calendar days
// whatever the deadline's hour.
func (r Reminder) DueAt(at time.Time) time.Time {
	d := r.SendDay(at)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, Oslo()).UTC()
}

// clock is the time of day of a deadline in Norway ("17:00"), "" for one
// given as a date alone.
func clock(t time.Time) string {
	if t.IsZero() || AllDay(t) {
		return ""
	}
	return t.In(Oslo()).Format("15:04")
}

// deadlineText is a deadline as a form shows it: "2030-03-31" or
// "2030-04-30 17:00", in Norwegian time; "" for none.
func deadlineText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if c := clock(t); c != "" {
		return DateIn(t).String() + " " + c
	}
	return DateIn(t).String()
}

// DeadlineDay is the date of the call's deadline in Norway.
func (c FundingCall) DeadlineDay() Date { return DateIn(c.Deadline) }

// DeadlineClock is the time of day of the call's deadline, "" if it has none.
func (c FundingCall) DeadlineClock() string { return clock(c.Deadline) }

// DeadlineText is the call's deadline as a form shows it.
func (c FundingCall) DeadlineText() string { return deadlineText(c.Deadline) }

// DeadlineDay is the date of the application's own deadline in Norway.
func (a Application) DeadlineDay() Date {
	if a.Deadline.IsZero() {
		return Date{}
	}
	return DateIn(a.Deadline)
}

// DeadlineClock is the time of day of the application's own deadline.
func (a Application) DeadlineClock() string { return clock(a.Deadline) }

// DeadlineText is the application's own deadline as a form shows it.
func (a Application) DeadlineText() string { return deadlineText(a.Deadline) }

// Clock is the time of day of the deadline, "" if it falls at the end of its day.
func (d Deadline) Clock() string { return clock(d.At) }
