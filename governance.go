package samrad

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// BodyKind is the kind of a body (organ) of an alliance.
type BodyKind string

const (
	BodyCouncil         BodyKind = "council"            // samarbeidsråd, representantskap
	BodyGeneralAssembly BodyKind = "general_assembly"   // generalforsamling
	BodyAnnualMeeting   BodyKind = "annual_meeting"     // årsmøte
	BodyBoard           BodyKind = "board"              // styre
	BodySteeringGroup   BodyKind = "steering_group"     // styringsgruppe
	BodyChiefExecutives BodyKind = "chief_executives"   // rådmannsgruppe
	BodySecretariat     BodyKind = "secretariat"        // sekretariat
	BodyCoordination    BodyKind = "coordination_group" // koordineringsgruppe
	BodyExpertGroup     BodyKind = "expert_group"       // faggruppe
	BodyProjectGroup    BodyKind = "project_group"      // prosjektgruppe
	BodyAdHocGroup      BodyKind = "ad_hoc_group"       // ad hoc-gruppe
	BodyContactGroup    BodyKind = "contact_group"      // kontaktgruppe
)

// BodyKinds lists the kinds, the highest bodies first.
var BodyKinds = []BodyKind{BodyCouncil, BodyGeneralAssembly, BodyAnnualMeeting, BodyBoard, BodySteeringGroup,
	BodyChiefExecutives, BodySecretariat, BodyCoordination, BodyExpertGroup, BodyProjectGroup, BodyAdHocGroup, BodyContactGroup}

// Valid reports whether k is a known kind.
func (k BodyKind) Valid() bool {
	for _, x := range BodyKinds {
		if x == k {
			return true
		}
	}
	return false
}

// VotingRule says how the votes of a body are counted.
type VotingRule string

const (
	VoteOnePerMember VotingRule = "one_per_member"
	VoteByPopulation VotingRule = "population" // weighted by the member's population
	VoteNone         VotingRule = ""           // the body does not vote
)

// Body is a body of an alliance: a council, a board, a group.
type Body struct {
	ID, AllianceID  int64
	Slug            string
	NameNB, NameEN  string
	Kind            BodyKind
	ParentID        int64 // 0: none
	Mandate         string
	CompositionRule string // e.g. "one representative for Oslo, each county and each sub-region"
	Term            string // e.g. "two years"
	Voting          VotingRule
	Meets           string // e.g. "once a year"
	Source          string
}

// Name returns the body's name in lang.
func (b Body) Name(lang string) string {
	if lang == "en" && b.NameEN != "" {
		return b.NameEN
	}
	return b.NameNB
}

// Validate checks a body before it is stored.
func (b Body) Validate() error {
	if b.AllianceID == 0 {
		return FieldErrorf("alliance", "an alliance is required")
	}
	if strings.TrimSpace(b.NameNB) == "" {
		return FieldErrorf("name_nb", "a Norwegian name is required")
	}
	if !slugPattern.MatchString(b.Slug) {
		return FieldErrorf("slug", "%q is not a slug (a–z, 0–9 and single '-')", b.Slug)
	}
	if !b.Kind.Valid() {
		return FieldErrorf("kind", "unknown kind %q", b.Kind)
	}
	switch b.Voting {
	case VoteOnePerMember, VoteByPopulation, VoteNone:
	default:
		return FieldErrorf("voting", "unknown voting rule %q", b.Voting)
	}
	return nil
}

// Person is a person once in the instance, whatever seats they hold.
type Person struct {
	ID    int64
	Name  string
	Title string // e.g. "ordfører i Bærum", "daglig leder"
	Email string // personal data: shown only to the secretariat
}

// SeatRole is what a person does in a body.
type SeatRole string

const (
	RoleChair        SeatRole = "chair"         // leder
	RoleDeputyChair  SeatRole = "deputy_chair"  // nestleder
	RoleMember       SeatRole = "member"        // medlem
	RoleDeputyMember SeatRole = "deputy_member" // varamedlem / vararepresentant
	RoleObserver     SeatRole = "observer"      // observatør
	RoleSecretary    SeatRole = "secretary"     // sekretær
	RoleDirector     SeatRole = "director"      // daglig leder / direktør (secretariat)
	RoleStaff        SeatRole = "staff"         // rådgiver o.l. (secretariat)
)

// SeatRoles lists the roles in display order.
var SeatRoles = []SeatRole{RoleChair, RoleDeputyChair, RoleDirector, RoleMember, RoleDeputyMember, RoleObserver, RoleSecretary, RoleStaff}

// Valid reports whether r is a known role.
func (r SeatRole) Valid() bool {
	for _, x := range SeatRoles {
		if x == r {
			return true
		}
	}
	return false
}

// Seat is a person's place in a body, on behalf of a member organisation.
type Seat struct {
	ID         int64
	BodyID     int64
	Person     Person
	Represents Organisation // zero if the seat represents no member
	Role       SeatRole
	From       Date // zero: not given by the source
	AttestedOn Date // a day the source confirms the seat, when From is unknown
	To         Date
	Note       string
	Source     string
}

// ActiveOn reports whether the seat is held on d (see Membership.ActiveOn).
func (s Seat) ActiveOn(d Date) bool {
	if !s.To.IsZero() && d.After(s.To) {
		return false
	}
	switch {
	case !s.From.IsZero():
		return !d.Before(s.From)
	case !s.AttestedOn.IsZero():
		return !d.Before(s.AttestedOn)
	}
	return true
}

// Validate checks a seat before it is stored.
func (s Seat) Validate() error {
	if s.BodyID == 0 {
		return FieldErrorf("body", "a body is required")
	}
	if s.Person.ID == 0 {
		return FieldErrorf("person", "a person is required")
	}
	if !s.Role.Valid() {
		return FieldErrorf("role", "unknown role %q", s.Role)
	}
	if !s.From.IsZero() && !s.To.IsZero() && s.To.Before(s.From) {
		return FieldErrorf("to", "ends %s before it starts %s", s.To, s.From)
	}
	return nil
}

// Rotation is a period in which a member holds a rotating duty, such as
// Vestregionen's leadership (Bærum from July 2017 to 2018-12-31).
type Rotation struct {
	ID, AllianceID int64
	BodyID         int64 // 0: the alliance as a whole
	Org            Organisation
	Duty           string // "leadership", "chair", "host"
	From, To       Date
	Source         string
}

// MeetingStatus is where a meeting is in its life.
type MeetingStatus string

const (
	MeetingPlanned         MeetingStatus = "planned"
	MeetingNoticeSent      MeetingStatus = "notice_sent"
	MeetingHeld            MeetingStatus = "held"
	MeetingMinutesApproved MeetingStatus = "minutes_approved"
	MeetingPublished       MeetingStatus = "published"
)

// MeetingStatuses lists the statuses in order; a meeting only moves forward.
var MeetingStatuses = []MeetingStatus{MeetingPlanned, MeetingNoticeSent, MeetingHeld, MeetingMinutesApproved, MeetingPublished}

func (s MeetingStatus) rank() int {
	for i, x := range MeetingStatuses {
		if x == s {
			return i
		}
	}
	return -1
}

// Valid reports whether s is a known status.
func (s MeetingStatus) Valid() bool { return s.rank() >= 0 }

// Meeting is one meeting of a body.
type Meeting struct {
	ID, BodyID int64
	Number     int // within the body and year; 0 when the source gives none
	Year       int
	Start, End time.Time
	Place      string // venue
	Address    string
	OnlineURL  string
	DateOnly   bool // the source gives the day(s), not the time: Start and End are dates
	Status     MeetingStatus
	Source     string
}

// When formats the meeting's time, or only its days when DateOnly.
func (m Meeting) When() string {
	if m.DateOnly {
		s := m.Start.Format(time.DateOnly)
		if !m.End.IsZero() && m.End.Format(time.DateOnly) != s {
			s += "–" + m.End.Format(time.DateOnly)
		}
		return s
	}
	s := m.Start.In(Oslo()).Format("2006-01-02 15:04")
	if !m.End.IsZero() {
		s += "–" + m.End.In(Oslo()).Format("15:04")
	}
	return s
}

// Label is "3/2024", or the date when the meeting has no number.
func (m Meeting) Label() string {
	if m.Number > 0 {
		return fmt.Sprintf("%d/%d", m.Number, m.Year)
	}
	return m.Start.Format(time.DateOnly)
}

// Validate checks a meeting before it is stored.
func (m Meeting) Validate() error {
	if m.BodyID == 0 {
		return FieldErrorf("body", "a body is required")
	}
	if m.Start.IsZero() {
		return FieldErrorf("start", "a start time is required")
	}
	if m.Year != m.Start.Year() {
		return FieldErrorf("year", "the meeting year %d is not the year of its start %s", m.Year, m.Start.Format(time.DateOnly))
	}
	if m.Number < 0 {
		return FieldErrorf("number", "a meeting number is positive")
	}
	if !m.End.IsZero() && m.End.Before(m.Start) {
		return FieldErrorf("end", "ends before it starts")
	}
	if !m.Status.Valid() {
		return FieldErrorf("status", "unknown status %q", m.Status)
	}
	return nil
}

// CaseType is the kind of a numbered case.
type CaseType string

const (
	CaseDecision    CaseType = "decision"    // vedtakssak
	CaseOrientation CaseType = "orientation" // orienteringssak
	CaseDiscussion  CaseType = "discussion"  // drøftingssak
	CaseReport      CaseType = "report"      // referatsak
)

// Valid reports whether t is a known type.
func (t CaseType) Valid() bool {
	switch t {
	case CaseDecision, CaseOrientation, CaseDiscussion, CaseReport:
		return true
	}
	return false
}

// Case is a numbered case of an alliance ("24/2017"). A number is never
// reused; a withdrawn case keeps its number.
type Case struct {
	ID, AllianceID   int64
	Year, Number     int
	Title            string
	Type             CaseType
	Presentation     string // saksframstilling
	ProposedDecision string // forslag til vedtak
	Decision         string // vedtak
	Withdrawn        bool
	Source           string
}

// CaseNumber formats a case number with an alliance's scheme: "{n}/{yyyy}"
// (24/2017, the default) or "{n}/{yy}" (47/16).
func CaseNumber(scheme string, number, year int) string {
	if scheme == "" {
		scheme = "{n}/{yyyy}"
	}
	switch scheme { // the common schemes without building a replacer
	case "{n}/{yyyy}":
		return strconv.Itoa(number) + "/" + fmt.Sprintf("%04d", year)
	case "{n}/{yy}":
		return strconv.Itoa(number) + "/" + fmt.Sprintf("%02d", year%100)
	}
	r := strings.NewReplacer("{n}", fmt.Sprint(number), "{yyyy}", fmt.Sprintf("%04d", year), "{yy}", fmt.Sprintf("%02d", year%100))
	return r.Replace(scheme)
}

// ParseCaseNumber reads a case number as people write it: "24/2017",
// "47/16" (a two-digit year is this century's) or "sak 24/2017".
func ParseCaseNumber(s string) (number, year int, err error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "sak"))
	n, y, ok := strings.Cut(s, "/")
	number, err1 := strconv.Atoi(strings.TrimSpace(n))
	year, err2 := strconv.Atoi(strings.TrimSpace(y))
	if !ok || err1 != nil || err2 != nil || number < 1 || year < 0 || (year >= 100 && (year < 1900 || year > 2200)) {
		return 0, 0, FieldErrorf("case_number", "%q is not a case number like 24/2017", s)
	}
	if year < 100 {
		year += 2000
	}
	return number, year, nil
}

// Validate checks a case before it is stored.
func (c Case) Validate() error {
	if c.AllianceID == 0 {
		return FieldErrorf("alliance", "an alliance is required")
	}
	if strings.TrimSpace(c.Title) == "" {
		return FieldErrorf("title", "a title is required")
	}
	if !c.Type.Valid() {
		return FieldErrorf("type", "unknown case type %q", c.Type)
	}
	if c.Year < 1900 || c.Year > 2200 {
		return FieldErrorf("year", "%d is not a plausible year", c.Year)
	}
	return nil
}

// CanMoveTo reports whether a meeting may go from status s to next: one
// step forward at a time, never back.
func (s MeetingStatus) CanMoveTo(next MeetingStatus) bool {
	return next.Valid() && next.rank() == s.rank()+1
}

// Public reports whether the meeting is shown to everyone: once the notice
// has been sent.
func (m Meeting) Public() bool { return m.Status.rank() >= MeetingNoticeSent.rank() }

// MinutesPublic reports whether the minutes are shown to everyone.
func (m Meeting) MinutesPublic() bool { return m.Status == MeetingPublished }

// AgendaItem is a case on a meeting's agenda.
type AgendaItem struct {
	MeetingID int64
	Case      Case
	Position  int
	Decision  string // what this meeting decided on the case, if anything yet
}

// Choice is how a member voted.
type Choice string

const (
	VoteYes     Choice = "yes"
	VoteNo      Choice = "no"
	VoteAbstain Choice = "abstain"
)

// Valid reports whether c is a known choice.
func (c Choice) Valid() bool { return c == VoteYes || c == VoteNo || c == VoteAbstain }

// Vote is one member's vote on a case in a meeting. A member with a
// declared conflict of interest (inhabilitet) does not vote; the
// declaration is recorded instead.
type Vote struct {
	ID        int64
	MeetingID int64
	CaseID    int64
	Member    Organisation
	Person    Person // who cast it, holding a seat for the member
	Choice    Choice // "" when Conflict
	Conflict  bool
	Weight    int64 // 1, or the member's population for weighted bodies
	Note      string
}

// VoteResult sums the votes of a case in a meeting.
type VoteResult struct {
	Yes, No, Abstain int64 // weights
	Voters           int
	Conflicts        []Organisation
	Adopted          bool
}

// Tally counts votes: a simple majority of the weights cast for or against;
// abstentions and members with a conflict of interest are not counted.
func Tally(votes []Vote) VoteResult {
	var r VoteResult
	for _, v := range votes {
		if v.Conflict {
			r.Conflicts = append(r.Conflicts, v.Member)
			continue
		}
		r.Voters++
		switch v.Choice {
		case VoteYes:
			r.Yes += v.Weight
		case VoteNo:
			r.No += v.Weight
		case VoteAbstain:
			r.Abstain += v.Weight
		}
	}
	r.Adopted = r.Yes > r.No
	return r
}

// Explain says the result in words.
func (r VoteResult) Explain(lang string) string {
	var s string
	switch {
	case lang == "en" && r.Adopted:
		s = fmt.Sprintf("Adopted with %d votes to %d", r.Yes, r.No)
	case lang == "en":
		s = fmt.Sprintf("Not adopted: %d votes for and %d against", r.Yes, r.No)
	case r.Adopted:
		s = fmt.Sprintf("Vedtatt med %d mot %d stemmer", r.Yes, r.No)
	default:
		s = fmt.Sprintf("Ikke vedtatt: %d stemmer for og %d mot", r.Yes, r.No)
	}
	if r.Abstain > 0 {
		if lang == "en" {
			s += fmt.Sprintf(", %d abstaining", r.Abstain)
		} else {
			s += fmt.Sprintf(", %d avsto", r.Abstain)
		}
	}
	if n := len(r.Conflicts); n > 0 {
		if lang == "en" {
			s += fmt.Sprintf("; %d member(s) disqualified", n)
		} else {
			s += fmt.Sprintf("; %d medlem(mer) inhabil(e)", n)
		}
	}
	return s + "."
}
