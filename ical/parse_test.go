package ical

import (
	"strings"
	"testing"
	"time"
)

// cal wraps event lines in a minimal calendar with CRLF line ends.
func cal(lines ...string) string {
	return crlf(append(append([]string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//NB"}, lines...), "END:VCALENDAR")...)
}

func event(lines ...string) string {
	return cal(append(append([]string{"BEGIN:VEVENT", "UID:a@test", "DTSTAMP:20200101T000000Z"}, lines...), "END:VEVENT")...)
}

func crlf(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }

func TestParseTimeForms(t *testing.T) {
	utc := func(y int, m time.Month, d, h, mi int) time.Time { return time.Date(y, m, d, h, mi, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name       string
		start, end string
		wantStart  time.Time
		wantEnd    time.Time
		allDay     bool
	}{
		{"UTC", "DTSTART:20200123T090000Z", "DTEND:20200123T150000Z", utc(2020, 1, 23, 9, 0), utc(2020, 1, 23, 15, 0), false},
		{"floating is Norwegian winter time", "DTSTART:20200123T090000", "DTEND:20200123T100000", utc(2020, 1, 23, 8, 0), utc(2020, 1, 23, 9, 0), false},
		{"floating is Norwegian summer time", "DTSTART:20260611T180000", "", utc(2026, 6, 11, 16, 0), time.Time{}, false},
		{"TZID Europe/Oslo", "DTSTART;TZID=Europe/Oslo:20261025T010000", "DTEND;TZID=Europe/Oslo:20261025T040000", utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 3, 0), false},
		{"quoted TZID", `DTSTART;TZID="Europe/Oslo":20260101T120000`, "", utc(2026, 1, 1, 11, 0), time.Time{}, false},
		{"explicit DATE-TIME", "DTSTART;VALUE=DATE-TIME:20260101T120000Z", "", utc(2026, 1, 1, 12, 0), time.Time{}, false},
		{"dates", "DTSTART;VALUE=DATE:20170216", "DTEND;VALUE=DATE:20170218", utc(2017, 2, 16, 0, 0), utc(2017, 2, 18, 0, 0), true},
		{"lower-case names", "dtstart;value=date:20170216", "", utc(2017, 2, 16, 0, 0), time.Time{}, true},
	} {
		lines := []string{tc.start}
		if tc.end != "" {
			lines = append(lines, tc.end)
		}
		c, err := Parse(strings.NewReader(event(lines...)))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		e := c.Events[0]
		if !e.Start.Equal(tc.wantStart) || !e.End.Equal(tc.wantEnd) || e.AllDay != tc.allDay {
			t.Errorf("%s: start %v, end %v, all-day %v; want %v, %v, %v", tc.name, e.Start.UTC(), e.End.UTC(), e.AllDay, tc.wantStart, tc.wantEnd, tc.allDay)
		}
	}
}

func TestParseOtherTimeZone(t *testing.T) {
	if _, err := time.LoadLocation("America/New_York"); err != nil {
		t.Skip("no time zone database:", err)
	}
	c, err := Parse(strings.NewReader(event("DTSTART;TZID=America/New_York:20260701T090000")))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 7, 1, 13, 0, 0, 0, time.UTC); !c.Events[0].Start.Equal(want) {
		t.Errorf("start %v, want %v", c.Events[0].Start.UTC(), want)
	}
}

// The rule used without a time zone database agrees with the database.
func TestOsloByRule(t *testing.T) {
	for _, tc := range []struct {
		wall time.Time
		want time.Time
	}{
		{time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), time.Date(2026, 1, 15, 11, 0, 0, 0, time.UTC)},
		{time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC), time.Date(2026, 7, 15, 10, 0, 0, 0, time.UTC)},
		{time.Date(2026, 3, 29, 1, 59, 0, 0, time.UTC), time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC)}, // last minute of CET
		{time.Date(2026, 3, 29, 3, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)},   // first of CEST
		{time.Date(2026, 10, 25, 4, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 3, 0, 0, 0, time.UTC)}, // CET again
	} {
		if got := osloByRule(tc.wall); !got.Equal(tc.want) {
			t.Errorf("osloByRule(%v) = %v, want %v", tc.wall, got, tc.want)
		}
	}
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for wall := time.Date(1997, 1, 1, 0, 30, 0, 0, time.UTC); wall.Year() < 2040; wall = wall.Add(7*time.Hour + 13*time.Minute) {
		db := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), 0, 0, loc)
		if got := osloByRule(wall); !got.Equal(db) && db.Format("15:04") == wall.Format("15:04") {
			t.Fatalf("osloByRule(%v) = %v, database %v", wall, got.UTC(), db.UTC())
		}
	}
}

func TestParseTextAndPeople(t *testing.T) {
	c, err := Parse(strings.NewReader(cal(
		"METHOD:request",
		"X-WR-CALNAME:Rådet\\, Vestlandet",
		"BEGIN:VTIMEZONE",
		"TZID:Europe/Oslo",
		"BEGIN:STANDARD",
		"DTSTART:19701025T030000",
		"TZOFFSETFROM:+0200",
		"TZOFFSETTO:+0100",
		"END:STANDARD",
		"END:VTIMEZONE",
		"BEGIN:VEVENT",
		"UID:x@test",
		"DTSTAMP:20200101T000000Z",
		"DTSTART:20200101T100000Z",
		"SUMMARY:Møte\\; sak 1\\, 2 og 3\\nNeste linje \\\\ slutt",
		"ORGANIZER;CN=\"Sekretariatet; Øst:Vest\":MAILTO:post@example.no",
		"ATTENDEE;ROLE=CHAIR;CN=Åse:mailto:ase@example.no",
		"ATTENDEE:mailto:per@example.no",
		"X-CUSTOM;X-PARAM=\"a,b\",c:whatever",
		"BEGIN:VALARM",
		"ACTION:DISPLAY",
		"TRIGGER:-PT15M",
		"DESCRIPTION:Påminnelse",
		"END:VALARM",
		"END:VEVENT",
	)))
	if err != nil {
		t.Fatal(err)
	}
	if c.Method != "REQUEST" || c.Name != "Rådet, Vestlandet" || c.ProdID != "-//Test//NB" || len(c.Events) != 1 {
		t.Fatalf("calendar %+v", c)
	}
	e := c.Events[0]
	if e.Summary != "Møte; sak 1, 2 og 3\nNeste linje \\ slutt" {
		t.Errorf("summary %q", e.Summary)
	}
	if e.Description != "" {
		t.Errorf("the alarm's description leaked into the event: %q", e.Description)
	}
	if e.Organizer == nil || *e.Organizer != (Person{"Sekretariatet; Øst:Vest", "post@example.no"}) {
		t.Errorf("organizer %+v", e.Organizer)
	}
	if len(e.Attendees) != 2 || e.Attendees[0] != (Person{"Åse", "ase@example.no"}) || e.Attendees[1] != (Person{"", "per@example.no"}) {
		t.Errorf("attendees %+v", e.Attendees)
	}
}

func TestParseUnfolds(t *testing.T) {
	c, err := Parse(strings.NewReader(event(
		"DTSTART:20200101T100000Z",
		"SUMMARY:Kontakt",
		" gruppe",
		"\tsamling på Sandv",
		" ika",
	)))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Events[0].Summary; got != "Kontaktgruppesamling på Sandvika" {
		t.Errorf("summary %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	start := "DTSTART:20200101T100000Z"
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "no VCALENDAR"},
		{"bare LF", "BEGIN:VCALENDAR\nVERSION:2.0\n", "line 1 ends with a bare LF"},
		{"no final line end", "BEGIN:VCALENDAR\r\nEND:VCALENDAR", "line 2 does not end with CRLF"},
		{"bare CR", "BEGIN:VCALENDAR\r\nVERSION:2.0\rPRODID:x\r\n", "line 2 holds a bare CR"},
		{"long line", cal("X-WR-CALNAME:" + strings.Repeat("x", 70)), "line 4 is 83 octets long"},
		{"broken UTF-8", cal("X-WR-CALNAME:\xc3"), "line 4 is not valid UTF-8"},
		{"continuation first", " BEGIN:VCALENDAR\r\n", "line 1 continues no line"},
		{"empty line", cal("", "METHOD:PUBLISH"), "line 4 is empty"},
		{"no VERSION", crlf("BEGIN:VCALENDAR", "PRODID:x", "END:VCALENDAR"), "VCALENDAR has no VERSION"},
		{"no PRODID", crlf("BEGIN:VCALENDAR", "VERSION:2.0", "END:VCALENDAR"), "VCALENDAR has no PRODID"},
		{"VERSION 1.0", crlf("BEGIN:VCALENDAR", "VERSION:1.0", "PRODID:x", "END:VCALENDAR"), `VERSION "1.0" is not 2.0`},
		{"two VERSIONs", cal("VERSION:2.0"), "VERSION twice"},
		{"CALSCALE", cal("CALSCALE:JULIAN"), "CALSCALE"},
		{"not closed", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\n", "VEVENT is not closed"},
		{"bad nesting", cal("BEGIN:VEVENT", "END:VALARM"), "END:VALARM closes BEGIN:VEVENT"},
		{"END first", "END:VCALENDAR\r\n", "END:VCALENDAR without BEGIN"},
		{"VEVENT outside", "BEGIN:VEVENT\r\nEND:VEVENT\r\n", "BEGIN:VEVENT outside VCALENDAR"},
		{"property outside", "VERSION:2.0\r\n", "VERSION outside VCALENDAR"},
		{"nested VEVENT", event(start, "BEGIN:VEVENT", "END:VEVENT"), "VEVENT inside VEVENT"},
		{"nested VCALENDAR", cal("BEGIN:VCALENDAR"), "VCALENDAR inside VCALENDAR"},
		{"after END", cal() + "METHOD:PUBLISH\r\n", "METHOD after END:VCALENDAR"},
		{"no UID", cal("BEGIN:VEVENT", "DTSTAMP:20200101T000000Z", start, "END:VEVENT"), "VEVENT 0 has no UID"},
		{"no DTSTAMP", cal("BEGIN:VEVENT", "UID:a", start, "END:VEVENT"), "VEVENT 0 has no DTSTAMP"},
		{"no DTSTART", event(), "VEVENT 0 has no DTSTART"},
		{"two UIDs", event(start, "UID:b"), "UID twice in VEVENT"},
		{"DTEND and DURATION", event(start, "DTEND:20200101T110000Z", "DURATION:PT1H"), "both DTEND and DURATION"},
		{"no colon", event(start, "SUMMARY"), "SUMMARY: no ':'"},
		{"no name", event(start, ":value"), "no property name"},
		{"bad parameter", event(start, "SUMMARY;CN:x"), "malformed parameter"},
		{"unterminated quote", event(start, `ORGANIZER;CN="x:mailto:a@b.no`), "unterminated quoted parameter CN"},
		{"control character", event(start, "SUMMARY:a\x01b"), "control character"},
		{"bad date-time", event("DTSTART:2020-01-01T10:00:00Z"), "is not a date-time"},
		{"bad date", event("DTSTART;VALUE=DATE:2020011"), "is not a date"},
		{"date without VALUE", event("DTSTART:20200101"), "a date without VALUE=DATE"},
		{"month 13", event("DTSTART:20201301T100000Z"), "month out of range"},
		{"UTC with TZID", event("DTSTART;TZID=Europe/Oslo:20200101T100000Z"), "UTC time with TZID"},
		{"unknown TZID", event("DTSTART;TZID=Mars/Olympus:20200101T100000"), `unknown TZID "Mars/Olympus"`},
		{"unsupported VALUE", event("DTSTART;VALUE=PERIOD:20200101T100000Z/PT1H"), "unsupported VALUE=PERIOD"},
		{"end before start", event(start, "DTEND:20200101T090000Z"), "DTEND of VEVENT 0 is before DTSTART"},
		{"date end equal to start", event("DTSTART;VALUE=DATE:20200101", "DTEND;VALUE=DATE:20200101"), "is before DTSTART"},
		{"mixed value types", event("DTSTART;VALUE=DATE:20200101", "DTEND:20200102T000000Z"), "differ in value type"},
		{"DTSTAMP as date", cal("BEGIN:VEVENT", "UID:a", "DTSTAMP;VALUE=DATE:20200101", start, "END:VEVENT"), "DTSTAMP must be a date-time"},
		{"bad SEQUENCE", event(start, "SEQUENCE:-1"), "SEQUENCE \"-1\""},
		{"empty UID", cal("BEGIN:VEVENT", "UID:", "DTSTAMP:20200101T000000Z", start, "END:VEVENT"), "empty UID"},
	} {
		_, err := Parse(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestParseTooLarge(t *testing.T) {
	_, err := Parse(strings.NewReader(strings.Repeat("X-A:b\r\n", maxInput/7+1)))
	if err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("error %v", err)
	}
}
