package samrad

import "strings"

// MembershipStatus says whether a membership is in force.
type MembershipStatus string

const (
	StatusConfirmed MembershipStatus = "confirmed"
	// StatusPending is a membership proposed for a successor of a split
	// member; the secretariat confirms or rejects it.
	StatusPending  MembershipStatus = "pending"
	StatusRejected MembershipStatus = "rejected"
)

// Membership is an organisation's membership of an alliance during a period.
// A reform that merges or renumbers the member ends the membership and starts
// one in the successor; Provenance links them.
type Membership struct {
	ID         int64
	AllianceID int64
	Org        Organisation
	// From is the first day of this membership record. Zero with
	// FromPrecision unknown means the source does not say.
	From          Date
	FromPrecision Precision
	// AttestedOn is a day on which the source confirms the membership, used
	// when From is unknown ("members as of 2021-01-01").
	AttestedOn Date
	To         Date // last day, inclusive; zero = open
	Category   string
	Status     MembershipStatus
	Note       string
	Source     string
	Provenance []Provenance

	// Since is when the continuous membership began, counting predecessors
	// through reforms; SincePrecision is unknown if any root's start is.
	Since          Date
	SincePrecision Precision
	// Until is the last day of the continuous membership, counting
	// successors through reforms; zero while it goes on (or awaits a decision).
	Until Date
}

// Provenance records that a membership continues another through a change.
type Provenance struct {
	Predecessor Membership // only ID, Org, From, To filled
	Change      Change
}

// ActiveOn reports whether the membership counts on d. A membership with an
// unknown start counts from the day the source attests it (or, with no such
// day, for as long as the organisation existed).
func (m Membership) ActiveOn(d Date) bool {
	if !m.To.IsZero() && d.After(m.To) {
		return false
	}
	switch {
	case !m.From.IsZero():
		return !d.Before(m.From)
	case !m.AttestedOn.IsZero():
		return !d.Before(m.AttestedOn)
	default:
		return m.Org.ValidOn(d)
	}
}

// Validate checks a membership before it is stored.
func (m Membership) Validate() error {
	if m.AllianceID == 0 {
		return FieldErrorf("alliance", "an alliance is required")
	}
	if m.Org.ID == 0 {
		return FieldErrorf("organisation", "an organisation is required")
	}
	if !m.FromPrecision.Valid() {
		return FieldErrorf("member_from", "unknown precision %q", m.FromPrecision)
	}
	if m.From.IsZero() != (m.FromPrecision == PrecisionUnknown) {
		return FieldErrorf("member_from", "a start date needs a precision, and an unknown start no date")
	}
	if !m.From.IsZero() && !m.To.IsZero() && m.To.Before(m.From) {
		return FieldErrorf("member_to", "ends %s before it starts %s", m.To, m.From)
	}
	if strings.TrimSpace(m.Category) == "" {
		return FieldErrorf("category", "a category is required")
	}
	switch m.Status {
	case StatusConfirmed, StatusPending, StatusRejected:
	default:
		return FieldErrorf("status", "unknown status %q", m.Status)
	}
	return nil
}

// DefaultCategory is the fee category of an organisation kind.
func DefaultCategory(k OrgKind) string { return string(k) }
