package samrad

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Event is a gathering an alliance organises: a seminar, a conference, a
// network meeting. It runs over one or more days at a venue or online, has
// a programme of sessions, and may take registrations.
type Event struct {
	ID            int64
	AllianceID    int64
	BodyID        int64 // the organising body, 0 if the alliance itself
	HostOrgID     int64 // the member that hosts it, 0 if none
	Slug          string
	TitleNB       string
	TitleEN       string
	DescriptionNB string
	DescriptionEN string
	Venue         string // e.g. "Kunnskapssenteret i Sandvika"
	Address       string
	OnlineURL     string
	Days          []EventDay // in order
	Published     bool
	Source        string

	Registration RegistrationSettings
	Sessions     []Session // the programme, by day and time
}

// EventDay is one day of an event. Start and End are zero when the day's
// hours are not known.
type EventDay struct {
	Date       Date
	Start, End time.Time
}

// Registration fields an organiser may ask for, besides name and e-mail.
const (
	AskOrganisation  = "organisation"
	AskDiet          = "diet"
	AskAccessibility = "accessibility"
	AskSessions      = "sessions"
	AskComment       = "comment"
)

// AskableFields lists the optional registration fields in form order.
var AskableFields = []string{AskOrganisation, AskDiet, AskAccessibility, AskSessions, AskComment}

// DefaultRetentionDays is how long after an event its participants' data
// is kept unless the organiser says otherwise.
const DefaultRetentionDays = 30

// RegistrationSettings are how an event takes registrations.
type RegistrationSettings struct {
	Open          bool
	Capacity      int       // places; 0 is no limit
	Deadline      time.Time // zero: until the event starts
	WaitingList   bool      // when full, take registrations on a waiting list
	Fields        []string  // the optional fields asked, from AskableFields
	ConsentNB     string    // the consent text shown on the form
	ConsentEN     string
	RetentionDays int // participants' data is anonymised this many days after the end
}

// Asks reports whether the form asks for an optional field.
func (s RegistrationSettings) Asks(field string) bool {
	for _, f := range s.Fields {
		if f == field {
			return true
		}
	}
	return false
}

// Session is one item of an event's programme. Start and End are zero
// when the source gives no times; sessions are then shown in order.
type Session struct {
	ID         int64
	EventID    int64
	Day        Date
	Start, End time.Time
	Position   int
	TitleNB    string
	TitleEN    string
	Topic      string
	Capacity   int // 0: no limit of its own
	Speakers   []Speaker
	Materials  []Material
}

// Speaker is a person speaking in a session, with the title and
// organisation the programme names. A speaker without a person is a group,
// such as the secretariat.
type Speaker struct {
	ID           int64
	Person       Person
	Role         string // e.g. "ordfører"
	Organisation string // e.g. "Bærum kommune"
}

// Label is the speaker as a programme prints it: name, title, organisation.
func (s Speaker) Label() string {
	var parts []string
	for _, p := range []string{s.Person.Name, s.Role, s.Organisation} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// Material is a file shown with a session, such as the slides.
type Material struct {
	ID          int64
	SessionID   int64
	Title       string
	Filename    string
	SHA256      string
	ContentType string
	Size        int64
}

// Title returns the event's title in lang, Norwegian if there is no English one.
func (e Event) Title(lang string) string {
	if lang == "en" && e.TitleEN != "" {
		return e.TitleEN
	}
	return e.TitleNB
}

// Description returns the description in lang, Norwegian if there is no English one.
func (e Event) Description(lang string) string {
	if lang == "en" && e.DescriptionEN != "" {
		return e.DescriptionEN
	}
	return e.DescriptionNB
}

// Consent returns the consent text in lang.
func (s RegistrationSettings) Consent(lang string) string {
	if lang == "en" && s.ConsentEN != "" {
		return s.ConsentEN
	}
	return s.ConsentNB
}

// Title returns the session's title in lang.
func (s Session) Title(lang string) string {
	if lang == "en" && s.TitleEN != "" {
		return s.TitleEN
	}
	return s.TitleNB
}

// FirstDay and LastDay are the event's first and last days.
func (e Event) FirstDay() Date {
	if len(e.Days) == 0 {
		return Date{}
	}
	return e.Days[0].Date
}

func (e Event) LastDay() Date {
	if len(e.Days) == 0 {
		return Date{}
	}
	return e.Days[len(e.Days)-1].Date
}

// Starts is when the event begins: the first day's start, or its
// midnight in Oslo when the hours are not known.
func (e Event) Starts() time.Time {
	if len(e.Days) == 0 {
		return time.Time{}
	}
	d := e.Days[0]
	if !d.Start.IsZero() {
		return d.Start
	}
	return time.Date(d.Date.Year(), d.Date.Month(), d.Date.Day(), 0, 0, 0, 0, Oslo())
}

// Ends is when the event is over: the last day's end, or the midnight
// after it in Oslo.
func (e Event) Ends() time.Time {
	if len(e.Days) == 0 {
		return time.Time{}
	}
	d := e.Days[len(e.Days)-1]
	if !d.End.IsZero() {
		return d.End
	}
	n := d.Date.AddDays(1)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, Oslo())
}

// Deadline is the last moment to register: the set deadline, else the start.
func (e Event) Deadline() time.Time {
	if !e.Registration.Deadline.IsZero() {
		return e.Registration.Deadline
	}
	return e.Starts()
}

// RegistrationOpen reports whether the event takes registrations at now.
func (e Event) RegistrationOpen(now time.Time) bool {
	return e.Published && e.Registration.Open && now.Before(e.Deadline()) && now.Before(e.Ends())
}

// SessionsOn returns the sessions of one day, in programme order.
func (e Event) SessionsOn(d Date) []Session {
	var out []Session
	for _, s := range e.Sessions {
		if s.Day.Equal(d) {
			out = append(out, s)
		}
	}
	return out
}

// Session returns the session with the id.
func (e Event) Session(id int64) (Session, bool) {
	for _, s := range e.Sessions {
		if s.ID == id {
			return s, true
		}
	}
	return Session{}, false
}

// Validate checks an event before it is stored.
func (e *Event) Validate() error {
	e.TitleNB, e.TitleEN = strings.TrimSpace(e.TitleNB), strings.TrimSpace(e.TitleEN)
	switch {
	case e.TitleNB == "" || utf8.RuneCountInString(e.TitleNB) > 200:
		return FieldErrorf("title_nb", "the event needs a Norwegian title of at most 200 characters")
	case utf8.RuneCountInString(e.TitleEN) > 200:
		return FieldErrorf("title_en", "the English title is longer than 200 characters")
	case !slugPattern.MatchString(e.Slug) || len(e.Slug) > 80:
		return FieldErrorf("slug", "%q is not a slug (a–z, 0–9 and single '-')", e.Slug)
	case e.Slug == "nytt" || e.Slug == "new":
		return FieldErrorf("slug", "%q is reserved", e.Slug)
	case len(e.Days) == 0:
		return FieldErrorf("days", "an event needs at least one day")
	case e.Venue == "" && e.OnlineURL == "":
		return FieldErrorf("venue", "give a venue or an online link")
	case e.OnlineURL != "" && !strings.HasPrefix(e.OnlineURL, "https://") && !strings.HasPrefix(e.OnlineURL, "http://"):
		return FieldErrorf("online_url", "the online link must start with https://")
	case e.Registration.Capacity < 0:
		return FieldErrorf("capacity", "the capacity cannot be negative")
	case e.Registration.RetentionDays < 0 || e.Registration.RetentionDays > 3650:
		return FieldErrorf("retention_days", "keep participants' data between 0 and 3650 days")
	}
	for _, s := range []string{e.TitleNB, e.TitleEN, e.Venue, e.Address, e.OnlineURL} {
		if strings.ContainsAny(s, "\r\n") {
			return FieldErrorf("title_nb", "titles, venue and links are one line each")
		}
	}
	for i, d := range e.Days {
		if d.Date.IsZero() {
			return FieldErrorf("days", "day %d has no date", i+1)
		}
		if i > 0 && !e.Days[i-1].Date.Before(d.Date) {
			return FieldErrorf("days", "the days must be in order, each once")
		}
		if !d.Start.IsZero() && !d.End.IsZero() && !d.End.After(d.Start) {
			return FieldErrorf("days", "day %d ends before it starts", i+1)
		}
	}
	for _, f := range e.Registration.Fields {
		known := false
		for _, k := range AskableFields {
			known = known || f == k
		}
		if !known {
			return FieldErrorf("fields", "unknown registration field %q", f)
		}
	}
	return nil
}

// Validate checks a session against its event's days.
func (s *Session) Validate(e Event) error {
	s.TitleNB, s.TitleEN, s.Topic = strings.TrimSpace(s.TitleNB), strings.TrimSpace(s.TitleEN), strings.TrimSpace(s.Topic)
	if s.TitleNB == "" || utf8.RuneCountInString(s.TitleNB) > 300 {
		return FieldErrorf("session_title", "the session needs a title of at most 300 characters")
	}
	onDay := false
	for _, d := range e.Days {
		onDay = onDay || d.Date.Equal(s.Day)
	}
	if !onDay {
		return FieldErrorf("session_day", "the session must be on one of the event's days")
	}
	if !s.Start.IsZero() && !s.End.IsZero() && !s.End.After(s.Start) {
		return FieldErrorf("session_end", "the session ends before it starts")
	}
	if s.Capacity < 0 {
		return FieldErrorf("session_capacity", "the capacity cannot be negative")
	}
	return nil
}

// Registration statuses.
const (
	RegistrationConfirmed = "confirmed"
	RegistrationWaiting   = "waiting"
)

// Registration is one person's registration for an event. Its personal
// data is blanked some days after the event (Anonymised), keeping the count.
type Registration struct {
	ID            int64
	EventID       int64
	Lang          string // the language of the form, for the e-mails
	Name          string
	Email         string
	Organisation  string
	Diet          string
	Accessibility string
	Comment       string
	SessionIDs    []int64
	Status        string
	ConsentText   string // the consent text as shown on the form
	ConsentAt     time.Time
	CreatedAt     time.Time
	CheckedIn     bool
	RemindedAt    time.Time
	Anonymised    bool
}

// oneLine refuses line breaks and control characters in a value that
// reaches an e-mail header.
func oneLine(field, v string) error {
	for _, r := range v {
		if r == '\r' || r == '\n' {
			return FieldErrorf(field, "line breaks are not allowed here")
		}
		if r < 0x20 && r != '\t' || r == 0x7f {
			return FieldErrorf(field, "control characters are not allowed here")
		}
	}
	return nil
}

// Validate checks a registration against what the event asks for, and
// normalises it: fields not asked are dropped, the e-mail is lower-cased.
func (r *Registration) Validate(e Event) error {
	r.Name, r.Organisation = strings.TrimSpace(r.Name), strings.TrimSpace(r.Organisation)
	if err := oneLine("name", r.Name); err != nil {
		return err
	}
	if r.Name == "" || utf8.RuneCountInString(r.Name) > 200 {
		return FieldErrorf("name", "give your name (at most 200 characters)")
	}
	if err := oneLine("email", r.Email); err != nil {
		return err
	}
	email, err := NormaliseEmail(r.Email)
	if err != nil {
		return err
	}
	r.Email = email
	s := e.Registration
	if !s.Asks(AskOrganisation) {
		r.Organisation = ""
	}
	if err := oneLine("organisation", r.Organisation); err != nil {
		return err
	}
	if utf8.RuneCountInString(r.Organisation) > 200 {
		return FieldErrorf("organisation", "the organisation is longer than 200 characters")
	}
	for _, f := range []struct {
		ask   string
		value *string
	}{{AskDiet, &r.Diet}, {AskAccessibility, &r.Accessibility}, {AskComment, &r.Comment}} {
		*f.value = strings.TrimSpace(*f.value)
		if !s.Asks(f.ask) {
			*f.value = ""
		}
		if utf8.RuneCountInString(*f.value) > 2000 {
			return FieldErrorf(f.ask, "the text is longer than 2,000 characters")
		}
	}
	if !s.Asks(AskSessions) {
		r.SessionIDs = nil
	}
	seen := map[int64]bool{}
	var ids []int64
	for _, id := range r.SessionIDs {
		if _, ok := e.Session(id); !ok {
			return FieldErrorf("sessions", "the session %d is not in the programme", id)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	r.SessionIDs = ids
	if s.Consent(r.Lang) != "" && r.ConsentText == "" {
		return FieldErrorf("consent", "you must agree to how your data is used to register")
	}
	if r.Lang != "en" {
		r.Lang = "nb"
	}
	return nil
}

// hours formats a span of clock times in Oslo: "09:00–16:00", "" if unknown.
func hours(start, end time.Time) string {
	if start.IsZero() {
		return ""
	}
	s := start.In(Oslo()).Format("15:04")
	if !end.IsZero() {
		s += "–" + end.In(Oslo()).Format("15:04")
	}
	return s
}

// Hours is the day's opening hours in Oslo, "" if not known.
func (d EventDay) Hours() string { return hours(d.Start, d.End) }

// Hours is the session's time in Oslo, "" if not known.
func (s Session) Hours() string { return hours(s.Start, s.End) }
