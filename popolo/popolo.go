// Package popolo holds the Popolo open-data types (https://www.popoloproject.com)
// for people, organisations, memberships, posts, motions, vote events and
// votes, and the export document that gathers them. It knows nothing of
// where the data comes from; web/ fills the export.
package popolo

import "embed"

// Schemas are the Popolo project's JSON schemas (schema/README.md).
//
//go:embed schema/*.json
var Schemas embed.FS

// Export is one alliance's people, organisations and votes in Popolo's
// shape: each list holds objects that refer to each other by id.
type Export struct {
	Persons       []Person       `json:"persons"`
	Organizations []Organization `json:"organizations"`
	Memberships   []Membership   `json:"memberships"`
	Posts         []Post         `json:"posts"`
	Motions       []Motion       `json:"motions"`
	VoteEvents    []VoteEvent    `json:"vote_events"`
}

// Identifier is an official code of an organisation, e.g. scheme
// "kommunenummer", identifier "3024".
type Identifier struct {
	Identifier string `json:"identifier"`
	Scheme     string `json:"scheme,omitempty"`
}

// Link is a web page about an object.
type Link struct {
	URL  string `json:"url"`
	Note string `json:"note,omitempty"`
}

// Person is someone holding a seat or casting a vote. Contact data is not
// published.
type Person struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Links []Link `json:"links,omitempty"`
}

// Organization is an alliance, one of its bodies or a member.
type Organization struct {
	ID              string       `json:"id"`
	Name            string       `json:"name"`
	OtherNames      []OtherName  `json:"other_names,omitempty"`
	Identifiers     []Identifier `json:"identifiers,omitempty"`
	Classification  string       `json:"classification,omitempty"`
	ParentID        string       `json:"parent_id,omitempty"`
	FoundingDate    string       `json:"founding_date,omitempty"`
	DissolutionDate string       `json:"dissolution_date,omitempty"`
	Links           []Link       `json:"links,omitempty"`
}

// OtherName is a name in another language.
type OtherName struct {
	Name string `json:"name"`
	Note string `json:"note,omitempty"`
}

// Membership is a seat: a person in a body, perhaps on behalf of a member.
type Membership struct {
	ID             string `json:"id"`
	Role           string `json:"role,omitempty"`
	PersonID       string `json:"person_id"`
	OrganizationID string `json:"organization_id"`
	PostID         string `json:"post_id,omitempty"`
	OnBehalfOfID   string `json:"on_behalf_of_id,omitempty"`
	StartDate      string `json:"start_date,omitempty"`
	EndDate        string `json:"end_date,omitempty"`
}

// Post is a position in a body held by one person at a time (the chair).
type Post struct {
	ID             string `json:"id"`
	Label          string `json:"label"`
	Role           string `json:"role,omitempty"`
	OrganizationID string `json:"organization_id"`
}

// Motion is a case's proposal put to a body.
type Motion struct {
	ID             string `json:"id"`
	OrganizationID string `json:"organization_id,omitempty"`
	Identifier     string `json:"identifier,omitempty"`
	Text           string `json:"text"`
	Classification string `json:"classification,omitempty"`
	Date           string `json:"date,omitempty"`
	Result         string `json:"result,omitempty"`
}

// VoteEvent is the vote on a case in one meeting.
type VoteEvent struct {
	ID             string  `json:"id"`
	OrganizationID string  `json:"organization_id"`
	MotionID       string  `json:"motion_id"`
	StartDate      string  `json:"start_date,omitempty"`
	Result         string  `json:"result"`
	Counts         []Count `json:"counts"`
	Votes          []Vote  `json:"votes"`
}

// Count sums the weights of one option.
type Count struct {
	Option string `json:"option"`
	Value  int64  `json:"value"`
}

// Vote is one member's vote, cast by a person; Weight is the member's
// weight in a weighted body (its population), else 1.
type Vote struct {
	ID          string `json:"id"`
	VoteEventID string `json:"vote_event_id"`
	VoterID     string `json:"voter_id"`
	Option      string `json:"option"`
	GroupID     string `json:"group_id"`
	Weight      int64  `json:"weight"`
}

// Options of a vote.
const (
	OptionYes       = "yes"
	OptionNo        = "no"
	OptionAbstain   = "abstain"
	OptionNotVoting = "not voting"
)
