// Package ical writes iCalendar (RFC 5545) calendars of events, for feeds
// and for e-mail invitations, and parses them back for validation.
package ical

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one VEVENT.
type Event struct {
	UID                            string
	Sequence                       int
	Start, End                     time.Time
	AllDay                         bool // Start and End are dates; End is exclusive
	Summary, Description, Location string
	URL                            string
	Status                         string // CONFIRMED, TENTATIVE, CANCELLED or ""
	Organizer                      *Person
	Attendees                      []Person
	Stamp                          time.Time // DTSTAMP; now when zero
}

// Person is an organiser or attendee.
type Person struct{ Name, Email string }

// Calendar is a VCALENDAR.
type Calendar struct {
	ProdID string // default "-//Samråd//Samråd//NB"
	Name   string // X-WR-CALNAME
	Method string // "" for feeds, "REQUEST" or "PUBLISH" for e-mail
	Events []Event
}

// WriteTo writes the calendar with CRLF line ends and lines folded at 75 octets.
func (c *Calendar) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	line := func(name, value string) { fold(&b, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	prod := c.ProdID
	if prod == "" {
		prod = "-//Samråd//Samråd//NB"
	}
	line("PRODID", text(prod))
	line("CALSCALE", "GREGORIAN")
	if c.Method != "" {
		line("METHOD", c.Method)
	}
	if c.Name != "" {
		line("X-WR-CALNAME", text(c.Name))
	}
	for i, e := range c.Events {
		if e.UID == "" {
			return 0, fmt.Errorf("event %d: UID is required", i)
		}
		if e.Start.IsZero() {
			return 0, fmt.Errorf("event %d: a start is required", i)
		}
		if !e.End.IsZero() && e.End.Before(e.Start) {
			return 0, fmt.Errorf("event %d: ends before it starts", i)
		}
		line("BEGIN", "VEVENT")
		line("UID", text(e.UID))
		stamp := e.Stamp
		if stamp.IsZero() {
			stamp = time.Now()
		}
		line("DTSTAMP", utc(stamp))
		if e.AllDay {
			line("DTSTART;VALUE=DATE", e.Start.Format("20060102"))
			if !e.End.IsZero() {
				line("DTEND;VALUE=DATE", e.End.Format("20060102"))
			}
		} else {
			line("DTSTART", utc(e.Start))
			if !e.End.IsZero() {
				line("DTEND", utc(e.End))
			}
		}
		if e.Sequence > 0 {
			line("SEQUENCE", fmt.Sprint(e.Sequence))
		}
		line("SUMMARY", text(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION", text(e.Description))
		}
		if e.Location != "" {
			line("LOCATION", text(e.Location))
		}
		if e.URL != "" {
			line("URL", e.URL)
		}
		if e.Status != "" {
			line("STATUS", e.Status)
		}
		if e.Organizer != nil {
			fold(&b, "ORGANIZER"+cn(e.Organizer.Name)+":mailto:"+e.Organizer.Email)
		}
		for _, a := range e.Attendees {
			fold(&b, "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE"+cn(a.Name)+":mailto:"+a.Email)
		}
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	n, err := w.Write(b.Bytes())
	return int64(n), err
}

// Bytes returns the calendar as bytes (nil on an invalid event).
func (c *Calendar) Bytes() ([]byte, error) {
	var b bytes.Buffer
	_, err := c.WriteTo(&b)
	return b.Bytes(), err
}

func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

func cn(name string) string {
	if name == "" {
		return ""
	}
	return `;CN="` + strings.NewReplacer(`"`, "'", "\r", "", "\n", " ").Replace(name) + `"`
}

// text escapes a TEXT value (RFC 5545 3.3.11).
func text(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// fold writes a content line, folding it at 75 octets without splitting a
// UTF-8 sequence; continuation lines start with one space.
func fold(b *bytes.Buffer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
