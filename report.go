package samrad

import (
	"strings"
	"unicode/utf8"
)

// ReportChapters are the chapters of an annual report, in order. Each is
// generated from the year's data; the secretariat may add its own text.
var ReportChapters = []string{"intro", "members", "governance", "programme", "goals", "budget"}

// MaxChapterText is the longest text a chapter may have.
const MaxChapterText = 20000

// AnnualReport holds the secretariat's own texts for a year's annual report
// and its approval. Once approved, the texts are final.
type AnnualReport struct {
	ID         int64
	AllianceID int64
	Year       int
	Chapters   map[string]string
	ApprovedOn Date
	ApprovedBy string
}

// Approved reports whether the report is approved.
func (r AnnualReport) Approved() bool { return !r.ApprovedOn.IsZero() }

// Validate checks the texts.
func (r AnnualReport) Validate() error {
	if r.Year < 1900 || r.Year > 2200 {
		return FieldErrorf("year", "%d is not a plausible year", r.Year)
	}
	for k, v := range r.Chapters {
		known := false
		for _, c := range ReportChapters {
			known = known || c == k
		}
		if !known {
			return FieldErrorf("chapter", "unknown chapter %q", k)
		}
		if utf8.RuneCountInString(v) > MaxChapterText {
			return FieldErrorf("chapter_"+k, "the text is longer than %d characters", MaxChapterText)
		}
	}
	if r.Approved() && strings.TrimSpace(r.ApprovedBy) == "" {
		return FieldErrorf("approved_by", "say which body approved the report")
	}
	return nil
}

// MemberChanges is who joined and left during a year.
type MemberChanges struct {
	Members []Membership // members at some time during the year
	Joined  []Membership
	Left    []Membership
}

// ChangesIn sorts an alliance's confirmed memberships into the members of
// a year and those who joined or left during it. A member continued
// through a merger or a regional reform neither joins nor leaves: joining
// and leaving follow the continuous membership (Since and Until).
func ChangesIn(ms []Membership, year int) MemberChanges {
	var c MemberChanges
	first, last := Jan1(year), Jan1(year+1).AddDays(-1)
	for _, m := range ms {
		if m.Status != StatusConfirmed {
			continue
		}
		if (!m.From.IsZero() && m.From.After(last)) || (!m.To.IsZero() && m.To.Before(first)) {
			continue
		}
		c.Members = append(c.Members, m)
		if m.SincePrecision != PrecisionUnknown && !m.Since.IsZero() && m.Since.Year() == year && m.From.Equal(m.Since) {
			c.Joined = append(c.Joined, m)
		}
		if !m.Until.IsZero() && m.Until.Year() == year && m.To.Equal(m.Until) {
			c.Left = append(c.Left, m)
		}
	}
	return c
}
