package samrad

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// NetworkKind tells a network the alliance runs from one it belongs to.
type NetworkKind string

const (
	// NetworkInternal is run by the alliance, or by an organisation on
	// its behalf (Viken county's municipal network).
	NetworkInternal NetworkKind = "internal"
	// NetworkExternal is a network the alliance is a member of (ERRIN,
	// Eurocities …), with a fee, a contact person and a renewal date.
	NetworkExternal NetworkKind = "external"
)

// NetworkKinds lists the kinds in display order: internal first.
var NetworkKinds = []NetworkKind{NetworkInternal, NetworkExternal}

// Valid reports whether k is a known kind.
func (k NetworkKind) Valid() bool { return k == NetworkInternal || k == NetworkExternal }

// Openness says who may take part in a network.
type Openness string

const (
	OpenToAll        Openness = "open"       // anyone who wants to contribute
	OpenToMembership Openness = "membership" // members only, or by joining
)

// Opennesses lists the values in form order.
var Opennesses = []Openness{OpenToAll, OpenToMembership}

// Valid reports whether o is a known openness.
func (o Openness) Valid() bool { return o == OpenToAll || o == OpenToMembership }

// ParticipantRole is what a participant does in a network.
type ParticipantRole string

const (
	ParticipantCoordination ParticipantRole = "coordination" // in the coordination group
	ParticipantOrdinary     ParticipantRole = "participant"
)

// ParticipantRoles lists the roles in form order.
var ParticipantRoles = []ParticipantRole{ParticipantOrdinary, ParticipantCoordination}

// Valid reports whether r is a known role.
func (r ParticipantRole) Valid() bool {
	return r == ParticipantCoordination || r == ParticipantOrdinary
}

// ActivityKind is the kind of a network's activity.
type ActivityKind string

const (
	ActivityMeeting    ActivityKind = "meeting"
	ActivityBreakfast  ActivityKind = "breakfast_meeting"
	ActivityConference ActivityKind = "conference"
	ActivityStudyTrip  ActivityKind = "study_trip"
	ActivityGathering  ActivityKind = "gathering"
)

// ActivityKinds lists the kinds in form order.
var ActivityKinds = []ActivityKind{ActivityMeeting, ActivityBreakfast, ActivityConference, ActivityStudyTrip, ActivityGathering}

// Valid reports whether k is a known kind.
func (k ActivityKind) Valid() bool {
	for _, x := range ActivityKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Network is a network an alliance runs or belongs to, with the people and
// organisations in it and what it has done.
type Network struct {
	ID               int64
	AllianceID       int64
	Slug             string
	Kind             NetworkKind
	NameNB, NameEN   string
	DescriptionNB    string // paragraphs; lines starting with "- " are a list
	DescriptionEN    string
	OrganiserID      int64 // the organisation that runs it; 0: the alliance itself
	Openness         Openness
	RhythmNB         string // how often it meets, as text: "to ganger i året"
	RhythmEN         string
	Founded          Date
	FoundedPrecision Precision
	Ended            Date
	Website          string
	JoinInfoNB       string // how to join
	JoinInfoEN       string
	Fee              *Money // a network the alliance belongs to: the yearly fee, nil if not known
	FeeNote          string
	ContactPersonID  int64 // the alliance's contact for an external network
	RenewalDate      Date  // when the membership of an external network is up for renewal
	Published        bool
	Source           string

	// Read with the network, never written from here.
	Organiser     Organisation // zero when the alliance runs it
	Contact       Person       // without e-mail address
	Participants  []NetworkParticipant
	WorkingGroups []WorkingGroup
	Activities    []NetworkActivity // in date order, undated last
}

// Name returns the name in lang, Norwegian if there is no English one.
func (n Network) Name(lang string) string { return netText(lang, n.NameNB, n.NameEN) }

// Description returns the description in lang.
func (n Network) Description(lang string) string {
	return netText(lang, n.DescriptionNB, n.DescriptionEN)
}

// Rhythm returns how often the network meets, in lang.
func (n Network) Rhythm(lang string) string { return netText(lang, n.RhythmNB, n.RhythmEN) }

// JoinInfo returns how to join, in lang.
func (n Network) JoinInfo(lang string) string { return netText(lang, n.JoinInfoNB, n.JoinInfoEN) }

func netText(lang, nb, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return nb
}

// netReservedSlugs are path words that cannot name a network or a programme.
var netReservedSlugs = map[string]bool{"nytt": true, "ny": true, "new": true}

func netSlug(field, slug string) error {
	switch {
	case !slugPattern.MatchString(slug) || len(slug) > 80:
		return FieldErrorf(field, "%q is not a slug (a–z, 0–9 and single '-')", slug)
	case netReservedSlugs[slug]:
		return FieldErrorf(field, "%q is reserved", slug)
	}
	return nil
}

// shortLine checks a one-line text of at most max characters.
func netLine(field, v string, max int, what string) error {
	if strings.ContainsAny(v, "\r\n") || utf8.RuneCountInString(v) > max {
		return FieldErrorf(field, "%s is one line of at most %d characters", what, max)
	}
	return nil
}

func netLink(field, v string) error {
	if v != "" && !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") {
		return FieldErrorf(field, "the address must start with https://")
	}
	return netLine(field, v, 300, "the address")
}

// datePrecision fills in a missing precision and checks that a date and
// its precision agree: a date has a precision, and "unknown" has no date.
func netPrecision(field string, d Date, p *Precision) error {
	if *p == "" {
		*p = PrecisionUnknown
		if !d.IsZero() {
			*p = PrecisionDay
		}
	}
	if !p.Valid() {
		return FieldErrorf(field, "unknown precision %q", *p)
	}
	if d.IsZero() != (*p == PrecisionUnknown) {
		return FieldErrorf(field, "give a date with its precision, or neither")
	}
	return nil
}

// Validate checks a network before it is stored, trimming its texts.
func (n *Network) Validate() error {
	for _, s := range []*string{&n.Slug, &n.NameNB, &n.NameEN, &n.DescriptionNB, &n.DescriptionEN, &n.RhythmNB, &n.RhythmEN,
		&n.Website, &n.JoinInfoNB, &n.JoinInfoEN, &n.FeeNote, &n.Source} {
		*s = strings.TrimSpace(*s)
	}
	if n.Openness == "" {
		n.Openness = OpenToAll
	}
	if err := netSlug("slug", n.Slug); err != nil {
		return err
	}
	switch {
	case !n.Kind.Valid():
		return FieldErrorf("kind", "unknown network kind %q", n.Kind)
	case n.NameNB == "":
		return FieldErrorf("name_nb", "the network needs a Norwegian name")
	case !n.Openness.Valid():
		return FieldErrorf("openness", "unknown openness %q", n.Openness)
	case n.Fee != nil && *n.Fee < 0:
		return FieldErrorf("fee", "the fee cannot be negative")
	case n.Kind != NetworkExternal && (n.Fee != nil || n.FeeNote != "" || !n.RenewalDate.IsZero()):
		return FieldErrorf("fee", "only a network the alliance belongs to has a fee and a renewal date")
	}
	for _, f := range []struct {
		field, v, what string
	}{{"name_nb", n.NameNB, "the name"}, {"name_en", n.NameEN, "the name"}, {"rhythm_nb", n.RhythmNB, "the meeting rhythm"},
		{"rhythm_en", n.RhythmEN, "the meeting rhythm"}, {"fee_note", n.FeeNote, "the fee note"}, {"source", n.Source, "the source"}} {
		if err := netLine(f.field, f.v, 200, f.what); err != nil {
			return err
		}
	}
	if err := netLink("website", n.Website); err != nil {
		return err
	}
	if err := netPrecision("founded", n.Founded, &n.FoundedPrecision); err != nil {
		return err
	}
	if !n.Ended.IsZero() && !n.Founded.IsZero() && n.Ended.Before(n.Founded) {
		return FieldErrorf("ended", "the network ends before it was founded")
	}
	for _, s := range []string{n.DescriptionNB, n.DescriptionEN, n.JoinInfoNB, n.JoinInfoEN} {
		if utf8.RuneCountInString(s) > 10000 {
			return FieldErrorf("description_nb", "the text is longer than 10,000 characters")
		}
	}
	return nil
}

// NetworkParticipant is an organisation, a person, or a person for an
// organisation, taking part in a network: the alliance's members or
// anyone from outside.
type NetworkParticipant struct {
	ID        int64
	NetworkID int64
	Org       Organisation // by ID; zero for a person on their own
	Person    Person       // by ID, or a new person by name; zero for an organisation
	Role      ParticipantRole
	Title     string // the person's title as the source gives it, "rådgiver"
	Joined    Date
	Left      Date // the day the participation ended; zero while active
	Note      string
}

// ActiveOn reports whether the participant takes part on d.
func (p NetworkParticipant) ActiveOn(d Date) bool {
	return (p.Joined.IsZero() || !p.Joined.After(d)) && (p.Left.IsZero() || d.Before(p.Left))
}

// Validate checks a participant before it is stored.
func (p *NetworkParticipant) Validate() error {
	p.Person.Name, p.Title, p.Note = strings.TrimSpace(p.Person.Name), strings.TrimSpace(p.Title), strings.TrimSpace(p.Note)
	if p.Role == "" {
		p.Role = ParticipantOrdinary
	}
	switch {
	case p.Org.ID == 0 && p.Person.ID == 0 && p.Person.Name == "":
		return FieldErrorf("org", "choose an organisation or give a person")
	case !p.Role.Valid():
		return FieldErrorf("role", "unknown role %q", p.Role)
	case !p.Left.IsZero() && !p.Joined.IsZero() && p.Left.Before(p.Joined):
		return FieldErrorf("left", "the participation ends before it starts")
	}
	if err := netLine("person_name", p.Person.Name, 200, "the name"); err != nil {
		return err
	}
	if err := netLine("title", p.Title, 200, "the title"); err != nil {
		return err
	}
	return netLine("note", p.Note, 500, "the note")
}

// ParticipantGroup is the active participants of one organisation (a
// zero Org: people taking part on their own).
type ParticipantGroup struct {
	Org    Organisation
	People []NetworkParticipant // those with a person; the organisation alone has none
}

// Coordination returns the coordination group as it is on d.
func (n Network) Coordination(d Date) []NetworkParticipant {
	var out []NetworkParticipant
	for _, p := range n.Participants {
		if p.Role == ParticipantCoordination && p.ActiveOn(d) {
			out = append(out, p)
		}
	}
	return out
}

// ParticipantsByOrg groups the other active participants on d by
// organisation, in the organisations' Norwegian name order; people on
// their own come last.
func (n Network) ParticipantsByOrg(d Date) []ParticipantGroup {
	var groups []ParticipantGroup
	at := map[int64]int{}
	for _, p := range n.Participants {
		if p.Role == ParticipantCoordination || !p.ActiveOn(d) {
			continue
		}
		i, ok := at[p.Org.ID]
		if !ok {
			i = len(groups)
			at[p.Org.ID] = i
			groups = append(groups, ParticipantGroup{Org: p.Org})
		}
		if p.Person.ID != 0 {
			groups[i].People = append(groups[i].People, p)
		}
	}
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i].Org, groups[j].Org
		if (a.ID == 0) != (b.ID == 0) {
			return b.ID == 0
		}
		return a.NameNB < b.NameNB
	})
	return groups
}

// WorkingGroup is a working group of an external network that the
// alliance follows, and who follows it.
type WorkingGroup struct {
	ID        int64
	NetworkID int64
	Name      string
	Person    Person // who follows it; zero if no one is named
	Note      string
}

// Validate checks a working group before it is stored.
func (g *WorkingGroup) Validate() error {
	g.Name, g.Note = strings.TrimSpace(g.Name), strings.TrimSpace(g.Note)
	if g.Name == "" {
		return FieldErrorf("group_name", "the working group needs a name")
	}
	if err := netLine("group_name", g.Name, 200, "the name"); err != nil {
		return err
	}
	return netLine("group_note", g.Note, 500, "the note")
}

// NetworkActivity is a meeting, conference or study trip of a network.
// Its dates carry a precision, since sources often name only a month or a
// year, or no date at all.
type NetworkActivity struct {
	ID           int64
	NetworkID    int64
	Kind         ActivityKind
	TitleNB      string
	TitleEN      string
	Starts, Ends Date // Ends zero: one day (or month, or year)
	Precision    Precision
	Place        string
	Participants int // how many took part; 0: not known
	Note         string

	// Event links an event of the alliance, by Slug in forms or by ID;
	// its titles are read with the activity.
	Event Event
	// Meeting links a meeting of one of the alliance's bodies; its start
	// is read with the activity.
	Meeting Meeting
}

// Title returns the title in lang.
func (a NetworkActivity) Title(lang string) string { return netText(lang, a.TitleNB, a.TitleEN) }

// Validate checks an activity before it is stored.
func (a *NetworkActivity) Validate() error {
	a.TitleNB, a.TitleEN, a.Place, a.Note = strings.TrimSpace(a.TitleNB), strings.TrimSpace(a.TitleEN), strings.TrimSpace(a.Place), strings.TrimSpace(a.Note)
	switch {
	case !a.Kind.Valid():
		return FieldErrorf("activity_kind", "unknown activity kind %q", a.Kind)
	case a.TitleNB == "":
		return FieldErrorf("activity_title_nb", "the activity needs a Norwegian title")
	case a.Participants < 0:
		return FieldErrorf("participants", "the number of participants cannot be negative")
	}
	for _, f := range []struct{ field, v string }{{"activity_title_nb", a.TitleNB}, {"activity_title_en", a.TitleEN}, {"place", a.Place}} {
		if err := netLine(f.field, f.v, 200, "the text"); err != nil {
			return err
		}
	}
	if err := netLine("activity_note", a.Note, 500, "the note"); err != nil {
		return err
	}
	if err := netPrecision("starts", a.Starts, &a.Precision); err != nil {
		return err
	}
	if !a.Ends.IsZero() {
		if a.Starts.IsZero() {
			return FieldErrorf("ends", "an activity with an end needs a start")
		}
		if a.Ends.Before(a.Starts) {
			return FieldErrorf("ends", "the activity ends before it starts")
		}
	}
	return nil
}

// ParseApproxDate reads a date as precise as it is written: "2014" (a
// year), "2015-02" (a month), "2022-05-05" (a day), or "" (unknown). A
// year or month is stored as its first day.
func ParseApproxDate(s string) (Date, Precision, error) {
	s = strings.TrimSpace(s)
	switch len(s) {
	case 0:
		return Date{}, PrecisionUnknown, nil
	case 4:
		y, err := strconv.Atoi(s)
		if err == nil && y >= 1000 {
			return Jan1(y), PrecisionYear, nil
		}
	case 7:
		if d, err := ParseDate(s + "-01"); err == nil {
			return d, PrecisionMonth, nil
		}
	default:
		if d, err := ParseDate(s); err == nil {
			return d, PrecisionDay, nil
		}
	}
	return Date{}, PrecisionUnknown, FieldErrorf("", "%q is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", s)
}
