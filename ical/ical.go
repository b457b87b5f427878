// Package ical writes and reads iCalendar data (RFC 5545): the meeting notices
// and event confirmations Samråd attaches to e-mail as .ics files, and the
// calendar feeds of bodies and alliances.
//
// The writer emits timed events in UTC, all-day events as dates, and folds
// and escapes every line as the RFC requires. Parse is a small, strict reader
// meant for tests and for validating calendars; it understands what the
// writer emits and the common forms other producers use for start and end.
package ical

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one VEVENT.
type Event struct {
	UID      string // globally unique, e.g. "meeting-42@samrad"
	Sequence int    // revision; raise it on every change sent to attendees

	// Start and End of a timed event are written in UTC. If AllDay is set,
	// only their calendar dates count (in the times' own locations) and End
	// is exclusive: a one-day event on 1 March ends on 2 March. A zero End
	// writes no DTEND; so does an End equal to Start for a timed event.
	Start, End time.Time
	AllDay     bool

	Summary, Description, Location string
	URL                            string
	Status                         string // "CONFIRMED", "TENTATIVE", "CANCELLED" or ""

	Organizer *Person // required when the calendar's Method is REQUEST or CANCEL
	Attendees []Person

	// Created and LastModified become CREATED and LAST-MODIFIED. DTSTAMP
	// is Stamp, else LastModified, else Created, else the time of writing;
	// Parse fills Stamp from DTSTAMP.
	Created, LastModified time.Time
	Stamp                 time.Time
}

// Person is an organizer or attendee: a display name and an e-mail address.
type Person struct{ Name, Email string }

// Calendar is one VCALENDAR object.
type Calendar struct {
	ProdID string // default "-//Samråd//Samråd//NB"
	Name   string // X-WR-CALNAME, shown by clients as the feed's name
	// Method is "" for feeds, "REQUEST" for a meeting invitation or update,
	// "PUBLISH" for an informational event, and "CANCEL" for a cancellation.
	Method string
	Events []Event
}

const defaultProdID = "-//Samråd//Samråd//NB"

// The iCalendar forms of timestamps and dates.
const (
	utcLayout      = "20060102T150405Z"
	floatingLayout = "20060102T150405"
	dateLayout     = "20060102"
)

// WriteTo writes the calendar to w. It checks the whole calendar first and
// writes nothing if it is invalid: an error names the event by its index.
func (c *Calendar) WriteTo(w io.Writer) (int64, error) {
	b, err := c.encode(time.Now())
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	return int64(n), err
}

// Bytes returns the calendar as iCalendar text. On an invalid calendar it
// returns nil and the error WriteTo would.
func (c *Calendar) Bytes() ([]byte, error) {
	return c.encode(time.Now())
}

func (c *Calendar) encode(now time.Time) ([]byte, error) {
	switch c.Method {
	case "", "PUBLISH", "REQUEST", "CANCEL":
	default:
		return nil, fmt.Errorf("ical: unsupported method %q", c.Method)
	}
	prodID := c.ProdID
	if prodID == "" {
		prodID = defaultProdID
	}
	var w lineWriter
	w.prop("BEGIN", "", "VCALENDAR")
	w.prop("VERSION", "", "2.0")
	w.prop("PRODID", "", escapeText(prodID))
	w.prop("CALSCALE", "", "GREGORIAN")
	if c.Method != "" {
		w.prop("METHOD", "", c.Method)
	}
	if c.Name != "" {
		w.prop("X-WR-CALNAME", "", escapeText(c.Name))
	}
	for i := range c.Events {
		if err := c.encodeEvent(&w, i, now); err != nil {
			return nil, err
		}
	}
	w.prop("END", "", "VCALENDAR")
	return w.buf.Bytes(), nil
}

func (c *Calendar) encodeEvent(w *lineWriter, i int, now time.Time) error {
	e := &c.Events[i]
	fail := func(format string, args ...any) error {
		name := fmt.Sprintf("event %d", i)
		if e.UID != "" {
			name += fmt.Sprintf(" (UID %q)", e.UID)
		}
		return fmt.Errorf("ical: %s: %s", name, fmt.Sprintf(format, args...))
	}
	if strings.TrimSpace(e.UID) == "" {
		return fail("empty UID")
	}
	if e.Sequence < 0 {
		return fail("negative sequence %d", e.Sequence)
	}
	if e.Start.IsZero() {
		return fail("no start")
	}
	switch e.Status {
	case "", "CONFIRMED", "TENTATIVE", "CANCELLED":
	default:
		return fail("unsupported status %q", e.Status)
	}
	if (c.Method == "REQUEST" || c.Method == "CANCEL") && e.Organizer == nil {
		return fail("method %s needs an organizer", c.Method)
	}

	var start, end, endParams string
	params := ""
	if e.AllDay {
		params = ";VALUE=DATE"
		s, err := formatDate(e.Start)
		if err != nil {
			return fail("start: %v", err)
		}
		start = s
		if !e.End.IsZero() {
			if !dateOf(e.End).After(dateOf(e.Start)) {
				return fail("end %s is not after start %s (the end of an all-day event is exclusive)",
					e.End.Format(time.DateOnly), e.Start.Format(time.DateOnly))
			}
			if end, err = formatDate(e.End); err != nil {
				return fail("end: %v", err)
			}
			endParams = params
		}
	} else {
		s, err := formatUTC(e.Start)
		if err != nil {
			return fail("start: %v", err)
		}
		start = s
		if !e.End.IsZero() {
			if e.End.Before(e.Start) {
				return fail("end %s before start %s",
					e.End.UTC().Format(time.RFC3339), e.Start.UTC().Format(time.RFC3339))
			}
			if !e.End.Equal(e.Start) {
				if end, err = formatUTC(e.End); err != nil {
					return fail("end: %v", err)
				}
			}
		}
	}

	stamp := e.Stamp
	if stamp.IsZero() {
		stamp = e.LastModified
	}
	if stamp.IsZero() {
		stamp = e.Created
	}
	if stamp.IsZero() {
		stamp = now
	}
	dtstamp, err := formatUTC(stamp)
	if err != nil {
		return fail("timestamp: %v", err)
	}

	var organizer string
	if e.Organizer != nil {
		v, err := calAddress(*e.Organizer)
		if err != nil {
			return fail("organizer: %v", err)
		}
		organizer = v
	}
	attendees := make([]string, len(e.Attendees))
	for j, a := range e.Attendees {
		v, err := calAddress(a)
		if err != nil {
			return fail("attendee %d: %v", j, err)
		}
		attendees[j] = v
	}
	if e.URL != "" {
		if err := checkURI(e.URL); err != nil {
			return fail("URL: %v", err)
		}
	}

	w.prop("BEGIN", "", "VEVENT")
	w.prop("UID", "", escapeText(e.UID))
	w.prop("SEQUENCE", "", strconv.Itoa(e.Sequence))
	w.prop("DTSTAMP", "", dtstamp)
	if !e.Created.IsZero() {
		v, err := formatUTC(e.Created)
		if err != nil {
			return fail("created: %v", err)
		}
		w.prop("CREATED", "", v)
	}
	if !e.LastModified.IsZero() {
		v, err := formatUTC(e.LastModified)
		if err != nil {
			return fail("last modified: %v", err)
		}
		w.prop("LAST-MODIFIED", "", v)
	}
	w.prop("DTSTART", params, start)
	if end != "" {
		w.prop("DTEND", endParams, end)
	}
	if e.Summary != "" {
		w.prop("SUMMARY", "", escapeText(e.Summary))
	}
	if e.Description != "" {
		w.prop("DESCRIPTION", "", escapeText(e.Description))
	}
	if e.Location != "" {
		w.prop("LOCATION", "", escapeText(e.Location))
	}
	if e.URL != "" {
		w.prop("URL", "", e.URL)
	}
	if e.Status != "" {
		w.prop("STATUS", "", e.Status)
	}
	if organizer != "" {
		w.prop("ORGANIZER", personParams(*e.Organizer, ""), organizer)
	}
	for j, a := range e.Attendees {
		extra := ""
		if c.Method == "REQUEST" {
			extra = ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE"
		}
		w.prop("ATTENDEE", personParams(a, extra), attendees[j])
	}
	w.prop("END", "", "VEVENT")
	return nil
}

// dateOf is the calendar date of t in its own location, as midnight UTC.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func formatUTC(t time.Time) (string, error) {
	u := t.UTC()
	if y := u.Year(); y < 0 || y > 9999 {
		return "", fmt.Errorf("year %d out of range", y)
	}
	return u.Format(utcLayout), nil
}

func formatDate(t time.Time) (string, error) {
	if y := t.Year(); y < 0 || y > 9999 {
		return "", fmt.Errorf("year %d out of range", y)
	}
	return t.Format(dateLayout), nil
}

func calAddress(p Person) (string, error) {
	if p.Email == "" {
		return "", fmt.Errorf("no e-mail address")
	}
	if err := checkURI(p.Email); err != nil {
		return "", err
	}
	return "mailto:" + p.Email, nil
}

// checkURI rejects what cannot stand in a URI value: control characters,
// spaces, double quotes and broken UTF-8.
func checkURI(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("invalid UTF-8 in %q", s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == ' ' || r == '"' {
			return fmt.Errorf("%q contains a space, quote or control character", s)
		}
	}
	return nil
}

// personParams is the CN parameter (when there is a name) and extra.
func personParams(p Person, extra string) string {
	if p.Name == "" {
		return extra
	}
	return `;CN="` + paramText(p.Name) + `"` + extra
}

// paramText makes s fit a quoted parameter value, which cannot hold double
// quotes or control characters.
func paramText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
}

// escapeText escapes a TEXT value: backslash, semicolon and comma get a
// backslash, line breaks become \n, and other control characters, which
// TEXT cannot hold, are dropped. Broken UTF-8 becomes U+FFFD.
func escapeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case '\n':
			b.WriteString(`\n`)
		default:
			if (c < 0x20 && c != '\t') || c == 0x7f {
				continue
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

// lineWriter collects content lines, folded and ended with CRLF.
type lineWriter struct{ buf bytes.Buffer }

// maxLine is the longest physical line, in octets, without its CRLF.
const maxLine = 75

func (w *lineWriter) prop(name, params, value string) {
	w.fold(name + params + ":" + value)
}

// fold writes s as lines of at most maxLine octets; each continuation line
// starts with a space, and no UTF-8 sequence is split.
func (w *lineWriter) fold(s string) {
	limit := maxLine
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if cut == 0 {
			cut = limit
		}
		w.buf.WriteString(s[:cut])
		w.buf.WriteString("\r\n ")
		s = s[cut:]
		limit = maxLine - 1
	}
	w.buf.WriteString(s)
	w.buf.WriteString("\r\n")
}
