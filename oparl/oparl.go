// Package oparl holds the objects of OParl 1.1, the open standard for
// council information systems (https://oparl.org): what each object type
// publishes, object lists with their paging, and the error object. It
// knows nothing of where the data comes from; web/ fills the objects.
package oparl

import "time"

// Version is the OParl version served.
const Version = "https://schema.oparl.org/1.1/"

// Types of the objects.
const (
	TypeSystem          = Version + "System"
	TypeBody            = Version + "Body"
	TypeOrganization    = Version + "Organization"
	TypePerson          = Version + "Person"
	TypeMembership      = Version + "Membership"
	TypeMeeting         = Version + "Meeting"
	TypeAgendaItem      = Version + "AgendaItem"
	TypePaper           = Version + "Paper"
	TypeConsultation    = Version + "Consultation"
	TypeFile            = Version + "File"
	TypeLocation        = Version + "Location"
	TypeLegislativeTerm = Version + "LegislativeTerm"
	TypeError           = Version + "Error"
)

// Common are the properties every object has (spec 3.1). Created and
// Modified are written as date-times; zero ones are left out.
type Common struct {
	ID       string   `json:"id"`
	Type     string   `json:"type"`
	License  string   `json:"license,omitempty"`
	Keyword  []string `json:"keyword,omitempty"`
	Created  *Time    `json:"created,omitempty"`
	Modified *Time    `json:"modified,omitempty"`
	Web      string   `json:"web,omitempty"`
	Deleted  bool     `json:"deleted,omitempty"`
}

// Time is a date-time written with its offset, e.g. 2017-04-27T10:00:00+02:00.
type Time struct{ time.Time }

// At returns t as a Time, nil when zero.
func At(t time.Time) *Time {
	if t.IsZero() {
		return nil
	}
	return &Time{t}
}

// MarshalJSON writes RFC 3339 with seconds.
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.Time.Format(time.RFC3339) + `"`), nil
}

// System is the entry point.
type System struct {
	Common
	OparlVersion string `json:"oparlVersion"`
	Body         string `json:"body"`
	Name         string `json:"name,omitempty"`
	ContactEmail string `json:"contactEmail,omitempty"`
	ContactName  string `json:"contactName,omitempty"`
	Website      string `json:"website,omitempty"`
	Vendor       string `json:"vendor,omitempty"`
	Product      string `json:"product,omitempty"`
}

// Body is one alliance.
type Body struct {
	Common
	System              string            `json:"system,omitempty"`
	ShortName           string            `json:"shortName,omitempty"`
	Name                string            `json:"name"`
	Website             string            `json:"website,omitempty"`
	Classification      string            `json:"classification,omitempty"`
	Organization        string            `json:"organization"`
	Person              string            `json:"person"`
	Meeting             string            `json:"meeting"`
	Paper               string            `json:"paper"`
	LegislativeTerm     []LegislativeTerm `json:"legislativeTerm"`
	AgendaItem          string            `json:"agendaItem,omitempty"`
	Consultation        string            `json:"consultation,omitempty"`
	File                string            `json:"file,omitempty"`
	LocationList        string            `json:"locationList,omitempty"`
	LegislativeTermList string            `json:"legislativeTermList,omitempty"`
	Membership          string            `json:"membership,omitempty"`
}

// Organization is a body of an alliance (board, council, working group…).
type Organization struct {
	Common
	Body              string   `json:"body,omitempty"`
	Name              string   `json:"name,omitempty"`
	Membership        []string `json:"membership,omitempty"`
	Meeting           string   `json:"meeting,omitempty"`
	SubOrganizationOf string   `json:"subOrganizationOf,omitempty"`
	OrganizationType  string   `json:"organizationType,omitempty"`
	Classification    string   `json:"classification,omitempty"`
}

// Person is someone who holds or held a seat. Contact data is not published.
type Person struct {
	Common
	Body       string       `json:"body,omitempty"`
	Name       string       `json:"name,omitempty"`
	Status     []string     `json:"status,omitempty"`
	Membership []Membership `json:"membership,omitempty"`
}

// Membership is a seat: a person in a body, perhaps on behalf of a member.
type Membership struct {
	Common
	Person       string `json:"person,omitempty"`
	Organization string `json:"organization,omitempty"`
	Role         string `json:"role,omitempty"`
	VotingRight  *bool  `json:"votingRight,omitempty"`
	StartDate    string `json:"startDate,omitempty"`
	EndDate      string `json:"endDate,omitempty"`
	OnBehalfOf   string `json:"onBehalfOf,omitempty"`
}

// Meeting is a meeting of a body.
type Meeting struct {
	Common
	Name          string       `json:"name,omitempty"`
	MeetingState  string       `json:"meetingState,omitempty"`
	Cancelled     bool         `json:"cancelled,omitempty"`
	Start         *Time        `json:"start,omitempty"`
	End           *Time        `json:"end,omitempty"`
	Location      *Location    `json:"location,omitempty"`
	Organization  []string     `json:"organization,omitempty"`
	AuxiliaryFile []File       `json:"auxiliaryFile,omitempty"`
	AgendaItem    []AgendaItem `json:"agendaItem,omitempty"`
}

// AgendaItem is a case on a meeting's agenda.
type AgendaItem struct {
	Common
	Meeting        string `json:"meeting,omitempty"`
	Number         string `json:"number,omitempty"`
	Order          int    `json:"order"`
	Name           string `json:"name,omitempty"`
	Public         *bool  `json:"public,omitempty"`
	Consultation   string `json:"consultation,omitempty"`
	Result         string `json:"result,omitempty"`
	ResolutionText string `json:"resolutionText,omitempty"`
}

// Paper is a numbered case ("24/2017").
type Paper struct {
	Common
	Body          string         `json:"body,omitempty"`
	Name          string         `json:"name,omitempty"`
	Reference     string         `json:"reference,omitempty"`
	Date          string         `json:"date,omitempty"`
	PaperType     string         `json:"paperType,omitempty"`
	AuxiliaryFile []File         `json:"auxiliaryFile,omitempty"`
	Consultation  []Consultation `json:"consultation,omitempty"`
}

// Consultation is a case's treatment in one meeting of one body.
type Consultation struct {
	Common
	Paper         string   `json:"paper,omitempty"`
	AgendaItem    string   `json:"agendaItem,omitempty"`
	Meeting       string   `json:"meeting,omitempty"`
	Organization  []string `json:"organization,omitempty"`
	Authoritative *bool    `json:"authoritative,omitempty"`
	Role          string   `json:"role,omitempty"`
}

// File is a document.
type File struct {
	Common
	Name        string   `json:"name,omitempty"`
	FileName    string   `json:"fileName,omitempty"`
	MimeType    string   `json:"mimeType,omitempty"`
	Date        string   `json:"date,omitempty"`
	Size        int64    `json:"size,omitempty"`
	AccessURL   string   `json:"accessUrl"`
	DownloadURL string   `json:"downloadUrl,omitempty"`
	Meeting     []string `json:"meeting,omitempty"`
	Paper       []string `json:"paper,omitempty"`
}

// Location is where a meeting is held.
type Location struct {
	Common
	Description   string   `json:"description,omitempty"`
	StreetAddress string   `json:"streetAddress,omitempty"`
	Room          string   `json:"room,omitempty"`
	Meetings      []string `json:"meetings,omitempty"`
}

// LegislativeTerm is an electoral term.
type LegislativeTerm struct {
	Common
	Body      string `json:"body,omitempty"`
	Name      string `json:"name,omitempty"`
	StartDate string `json:"startDate,omitempty"`
	EndDate   string `json:"endDate,omitempty"`
}

// List is one page of an external object list (spec 2.5).
type List struct {
	Data       any        `json:"data"`
	Pagination Pagination `json:"pagination"`
	Links      Links      `json:"links"`
}

// Pagination says where a page is in its list.
type Pagination struct {
	TotalElements   int `json:"totalElements"`
	ElementsPerPage int `json:"elementsPerPage"`
	CurrentPage     int `json:"currentPage"`
	TotalPages      int `json:"totalPages"`
}

// Links are a page's neighbours; Next is required on every page but the last.
type Links struct {
	First string `json:"first,omitempty"`
	Prev  string `json:"prev,omitempty"`
	Self  string `json:"self,omitempty"`
	Next  string `json:"next,omitempty"`
	Last  string `json:"last,omitempty"`
	Web   string `json:"web,omitempty"`
}

// Error is the error object (spec 2.9).
type Error struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Debug   string `json:"debug,omitempty"`
}

// Term is a Norwegian municipal council term: elected in September of
// Year, from 1 October that year to 30 September four years on.
type Term struct{ Year int }

// Terms lists the municipal council terms that overlap the years from–to.
func Terms(from, to int) []Term {
	var out []Term
	for y := 1995; y <= to; y += 4 {
		if y+4 > from {
			out = append(out, Term{y})
		}
	}
	return out
}

// Start and End are the term's first and last days.
func (t Term) Start() string {
	return time.Date(t.Year, 10, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}
func (t Term) End() string {
	return time.Date(t.Year+4, 9, 30, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}
