package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestRoundTrip(t *testing.T) {
	long := strings.Repeat("Bærum kommune var vertskap for årets første kontaktgruppesamling; tema: bærekraft, omstilling. ", 4)
	c := &Calendar{Name: "Styret, ORE", Method: "REQUEST", Events: []Event{
		{UID: "meeting-1@samrad", Start: time.Date(2020, 1, 23, 9, 0, 0, 0, time.UTC), End: time.Date(2020, 1, 23, 15, 0, 0, 0, time.UTC),
			Summary: "Kontaktgruppesamling i Bærum", Description: long + "\nLinje to", Location: "Kunnskapssenteret, Sandvika",
			Organizer: &Person{Name: "Sekretariatet", Email: "post@example.no"}, Attendees: []Person{{Name: "Åse Ødegård", Email: "ase@example.no"}},
			Stamp: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)},
		{UID: "day@samrad", AllDay: true, Start: time.Date(2017, 2, 16, 0, 0, 0, 0, time.UTC), End: time.Date(2017, 2, 17, 0, 0, 0, 0, time.UTC), Summary: "BEST 2017"},
	}}
	b, err := c.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Errorf("line %d: %d octets, valid UTF-8 %v", i+1, len(l), utf8.ValidString(l))
		}
	}
	if bytes.Contains(bytes.ReplaceAll(b, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("a bare LF in the output")
	}
	got, err := Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Events) != 2 || got.Name != "Styret, ORE" || got.Method != "REQUEST" {
		t.Fatalf("parsed %+v", got)
	}
	e := got.Events[0]
	if e.Description != long+"\nLinje to" || e.Summary != "Kontaktgruppesamling i Bærum" || e.Location != "Kunnskapssenteret, Sandvika" ||
		!e.Start.Equal(c.Events[0].Start) || !e.End.Equal(c.Events[0].End) {
		t.Errorf("event 1 = %+v", e)
	}
	if d := got.Events[1]; !d.AllDay || d.Start.Format("2006-01-02") != "2017-02-16" {
		t.Errorf("all-day event = %+v", d)
	}
	if !strings.Contains(string(b), `ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE;CN="Åse Ødegård":mailto:ase@example.no`) &&
		!strings.Contains(strings.ReplaceAll(string(b), "\r\n ", ""), `CN="Åse Ødegård":mailto:ase@example.no`) {
		t.Error("attendee missing")
	}
}

func TestInvalid(t *testing.T) {
	if _, err := (&Calendar{Events: []Event{{Start: time.Now()}}}).Bytes(); err == nil {
		t.Error("an event without UID must be refused")
	}
	if _, err := (&Calendar{Events: []Event{{UID: "x", Start: time.Now(), End: time.Now().Add(-time.Hour)}}}).Bytes(); err == nil {
		t.Error("an event ending before it starts must be refused")
	}
	for name, in := range map[string]string{
		"no DTSTAMP": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20200101T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		"bad nest":   "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n",
		"LF only":    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nEND:VCALENDAR\n",
		"long line":  "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" + strings.Repeat("x", 80) + "\r\nEND:VCALENDAR\r\n",
	} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20200101T000000Z\r\nDTSTART;VALUE=DATE:20200101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		c, err := Parse(strings.NewReader(in))
		if err != nil {
			return
		}
		// Whatever parses must survive our own writer and parser unchanged.
		out, err := c.Bytes()
		if err != nil {
			return // e.g. an event ending before it starts: refused on writing
		}
		back, err := Parse(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("re-parse of our own output: %v\n%s", err, out)
		}
		for i, e := range back.Events {
			if e.UID != c.Events[i].UID || e.Summary != c.Events[i].Summary || e.Description != c.Events[i].Description {
				t.Fatalf("event %d changed: %+v → %+v", i, c.Events[i], e)
			}
		}
	})
}
