package samrad

import (
	"strings"
	"time"
	"unicode/utf8"
)

// MemberInput is a member's input to an alliance's action programme for a
// year, as gathered at a contact-group meeting or sent by a member's
// officer. The secretariat tags it, links it to the measures it led to and
// answers it, so the member can see what became of it.
type MemberInput struct {
	ID          int64
	AllianceID  int64
	Org         Organisation
	Year        int // the programme year the input is for
	Title       string
	Text        string
	SubmittedBy string
	UserID      int64
	SubmittedAt time.Time
	Tags        []string
	Response    string
	MeasureIDs  []int64
}

// Validate checks an input before it is stored.
func (in MemberInput) Validate() error {
	if in.Org.ID == 0 {
		return FieldErrorf("org", "choose the member the input comes from")
	}
	if t := strings.TrimSpace(in.Title); t == "" || utf8.RuneCountInString(t) > 200 {
		return FieldErrorf("title", "the input needs a title of at most 200 characters")
	}
	if utf8.RuneCountInString(in.Text) > 10000 {
		return FieldErrorf("text", "the text is longer than 10,000 characters")
	}
	if in.Year < 1900 || in.Year > 2200 {
		return FieldErrorf("year", "%d is not a plausible year", in.Year)
	}
	return nil
}

// ParseTags reads tags separated by commas: trimmed, lower-cased, each
// once, in the order given. A tag is at most 40 characters.
func ParseTags(s string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, t := range strings.Split(s, ",") {
		t = strings.ToLower(strings.Join(strings.Fields(t), " "))
		if t == "" || seen[t] {
			continue
		}
		if utf8.RuneCountInString(t) > 40 {
			return nil, FieldErrorf("tags", "the tag %q is longer than 40 characters", t)
		}
		seen[t] = true
		out = append(out, t)
	}
	return out, nil
}
