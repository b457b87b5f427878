package ical

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var (
	jan23 = time.Date(2020, 1, 23, 9, 0, 0, 0, time.UTC)
	stamp = time.Date(2019, 12, 1, 10, 30, 0, 0, time.UTC)
)

// invitation is a meeting notice as the e-mail of a body's secretariat
// carries it.
func invitation() *Calendar {
	return &Calendar{
		ProdID: "-//Samråd//Samråd//NB",
		Name:   "Styret, Osloregionen",
		Method: "REQUEST",
		Events: []Event{{
			UID:         "meeting-42@samrad",
			Sequence:    2,
			Start:       jan23,
			End:         jan23.Add(6 * time.Hour),
			Summary:     "Kontaktgruppesamling i Bærum; sak 3/2020, budsjett",
			Description: "Sakliste:\n1. Åpning\n2. Økonomi \\ regnskap\n3. Eventuelt",
			Location:    "Kunnskapssenteret, Sandvika",
			URL:         "https://samrad.example.no/allianser/ore/moter/42",
			Status:      "CONFIRMED",
			Organizer:   &Person{Name: "Sekretariatet", Email: "post@osloregionen.no"},
			Attendees: []Person{
				{Name: "Åse Ødegård", Email: "ase@baerum.kommune.no"},
				{Name: `Per "Pelle" Ås`, Email: "per@as.kommune.no"},
				{Email: "uten.navn@example.no"},
			},
			Created:      stamp.Add(-24 * time.Hour),
			LastModified: stamp,
			Stamp:        stamp,
		}, {
			UID:     "day@samrad",
			AllDay:  true,
			Start:   time.Date(2017, 2, 16, 0, 0, 0, 0, time.UTC),
			End:     time.Date(2017, 2, 18, 0, 0, 0, 0, time.UTC),
			Summary: "BEST 2017",
			Stamp:   stamp,
			Organizer: &Person{
				Name: "Sekretariatet", Email: "post@osloregionen.no",
			},
		}},
	}
}

func mustBytes(t *testing.T, c *Calendar) []byte {
	t.Helper()
	b, err := c.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t *testing.T, b []byte) *Calendar {
	t.Helper()
	c, err := Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	return c
}

// unfolded joins folded lines, for looking for whole properties.
func unfolded(b []byte) string {
	return strings.ReplaceAll(string(b), "\r\n ", "")
}

func TestRoundTrip(t *testing.T) {
	c := invitation()
	got := mustParse(t, mustBytes(t, c))
	want := invitation()
	// A person's double quotes cannot stand in a parameter value.
	want.Events[0].Attendees[1].Name = "Per 'Pelle' Ås"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\ngot  %+v\nwant %+v", got, want)
	}
}

func TestCalendarProperties(t *testing.T) {
	b := mustBytes(t, &Calendar{Events: []Event{{UID: "a@samrad", Start: jan23, Stamp: stamp}}})
	want := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Samråd//Samråd//NB\r\nCALSCALE:GREGORIAN\r\n" +
		"BEGIN:VEVENT\r\nUID:a@samrad\r\nSEQUENCE:0\r\nDTSTAMP:20191201T103000Z\r\nDTSTART:20200123T090000Z\r\nEND:VEVENT\r\n" +
		"END:VCALENDAR\r\n"
	if string(b) != want {
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}
	if strings.Contains(string(b), "METHOD") || strings.Contains(string(b), "X-WR-CALNAME") {
		t.Error("a feed without name has neither METHOD nor X-WR-CALNAME")
	}
}

func TestTimesInUTC(t *testing.T) {
	oslo := time.FixedZone("CEST", 2*3600)
	start := time.Date(2026, 6, 11, 18, 0, 0, 0, oslo)
	b := mustBytes(t, &Calendar{Events: []Event{{UID: "a@samrad", Start: start, End: start.Add(90 * time.Minute), Stamp: stamp}}})
	for _, l := range []string{"DTSTART:20260611T160000Z\r\n", "DTEND:20260611T173000Z\r\n"} {
		if !strings.Contains(string(b), l) {
			t.Errorf("no %q in\n%s", l, b)
		}
	}
}

func TestStampDefaults(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	created := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	modified := time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		e    Event
		want string
	}{
		{Event{}, "DTSTAMP:20260301T120000Z"},
		{Event{Created: created}, "DTSTAMP:20260101T080000Z"},
		{Event{Created: created, LastModified: modified}, "DTSTAMP:20260201T080000Z"},
		{Event{Created: created, LastModified: modified, Stamp: now.Add(time.Hour)}, "DTSTAMP:20260301T130000Z"},
	} {
		tc.e.UID, tc.e.Start = "a@samrad", jan23
		b, err := (&Calendar{Events: []Event{tc.e}}).encode(now)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), tc.want+"\r\n") {
			t.Errorf("%+v: no %s in\n%s", tc.e, tc.want, b)
		}
	}
	// Without any time, DTSTAMP is the time of writing.
	before := time.Now().Add(-time.Second)
	c := mustParse(t, mustBytes(t, &Calendar{Events: []Event{{UID: "a@samrad", Start: jan23}}}))
	if s := c.Events[0].Stamp; s.Before(before.Truncate(time.Second)) || s.After(time.Now()) {
		t.Errorf("DTSTAMP %v is not now", s)
	}
}

func TestFolding(t *testing.T) {
	para := "Årsmøtet i Østre Toten og Våler drøftet ærlig og åpent økonomien til samarbeidsrådet, " +
		"blant annet særskilte tilskudd til småkommunene i Nord-Østerdalen 🌲 og Sør-Trøndelag. "
	// Shifting the start by one octet at a time puts the fold points at
	// every offset inside the two-, three- and four-octet sequences.
	for shift := range 6 {
		desc := strings.Repeat("x", shift) + strings.Repeat(para, 8)
		name := strings.Repeat("ø", shift) + " Samråd"
		b := mustBytes(t, &Calendar{Name: name, Events: []Event{{UID: "a@samrad", Start: jan23, Stamp: stamp,
			Description: desc, Location: strings.Repeat("æ", 60),
			Attendees: []Person{{Name: strings.Repeat("Ødegård ", 12), Email: "a@example.no"}}}}})
		if !bytes.HasSuffix(b, []byte("\r\n")) {
			t.Fatal("no final CRLF")
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
		folds := 0
		for i, l := range lines {
			if len(l) > 75 {
				t.Errorf("shift %d: line %d is %d octets", shift, i+1, len(l))
			}
			if !utf8.ValidString(l) {
				t.Errorf("shift %d: line %d splits a UTF-8 sequence: %q", shift, i+1, l)
			}
			if strings.ContainsAny(l, "\r\n") {
				t.Errorf("shift %d: line %d holds a bare CR or LF", shift, i+1)
			}
			if strings.HasPrefix(l, " ") {
				folds++
			}
		}
		if folds < 10 {
			t.Errorf("shift %d: only %d continuation lines", shift, folds)
		}
		c := mustParse(t, b)
		if e := c.Events[0]; e.Description != desc || e.Attendees[0].Name != strings.Repeat("Ødegård ", 12) || c.Name != name {
			t.Errorf("shift %d: folded values did not survive", shift)
		}
	}
}

func TestFoldShortLinesUntouched(t *testing.T) {
	var w lineWriter
	exact := "SUMMARY:" + strings.Repeat("a", 75-len("SUMMARY:"))
	w.fold(exact)
	if got := w.buf.String(); got != exact+"\r\n" {
		t.Errorf("a line of exactly 75 octets was folded: %q", got)
	}
	w.buf.Reset()
	w.fold(exact + "å")
	if got := w.buf.String(); got != exact+"\r\n å\r\n" {
		t.Errorf("76 octets: %q", got)
	}
}

func TestEscaping(t *testing.T) {
	for _, tc := range []struct{ in, out, back string }{
		{"Sak 3; budsjett, regnskap", `Sak 3\; budsjett\, regnskap`, ""},
		{`C:\møter\2020`, `C:\\møter\\2020`, ""},
		{"Linje 1\nLinje 2", `Linje 1\nLinje 2`, ""},
		{"Linje 1\r\nLinje 2\rLinje 3", `Linje 1\nLinje 2\nLinje 3`, "Linje 1\nLinje 2\nLinje 3"},
		{"tab\there", "tab\there", ""},
		{"nul\x00bell\x07del\x7f", "nulbelldel", "nulbelldel"},
		{"ugyldig \xff UTF-8", "ugyldig \uFFFD UTF-8", "ugyldig \uFFFD UTF-8"},
		{`ærlig: "sitat" \n`, `ærlig: "sitat" \\n`, ""},
	} {
		if got := escapeText(tc.in); got != tc.out {
			t.Errorf("escapeText(%q) = %q, want %q", tc.in, got, tc.out)
		}
		want := tc.back
		if want == "" {
			want = tc.in
		}
		c := mustParse(t, mustBytes(t, &Calendar{Events: []Event{{UID: "a@samrad", Start: jan23, Stamp: stamp, Summary: tc.in}}}))
		if got := c.Events[0].Summary; got != want {
			t.Errorf("round trip of %q = %q, want %q", tc.in, got, want)
		}
	}
	// UID, PRODID and the calendar name are TEXT too.
	c := &Calendar{ProdID: "-//Samråd, test//NB", Name: "Rådet; vår", Events: []Event{{UID: "a,b;c@samrad", Start: jan23, Stamp: stamp}}}
	b := unfolded(mustBytes(t, c))
	for _, l := range []string{`PRODID:-//Samråd\, test//NB`, `X-WR-CALNAME:Rådet\; vår`, `UID:a\,b\;c@samrad`} {
		if !strings.Contains(b, l+"\r\n") {
			t.Errorf("no %s in\n%s", l, b)
		}
	}
	if got := mustParse(t, []byte(b)); got.ProdID != c.ProdID || got.Name != c.Name || got.Events[0].UID != c.Events[0].UID {
		t.Errorf("parsed %+v", got)
	}
}

func TestUnescapeText(t *testing.T) {
	for in, want := range map[string]string{
		`a\\b`:   `a\b`,
		`a\;b`:   `a;b`,
		`a\,b`:   `a,b`,
		`a\nb`:   "a\nb",
		`a\Nb`:   "a\nb",
		`a\xb`:   `a\xb`,
		`slutt\`: `slutt\`,
		`\\n`:    `\n`,
	} {
		if got := unescapeText(in); got != want {
			t.Errorf("unescapeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAllDay(t *testing.T) {
	oslo := time.FixedZone("CET", 3600)
	for _, tc := range []struct {
		name       string
		start, end time.Time
		want       []string
		noEnd      bool
	}{
		{"one day without end", time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), time.Time{},
			[]string{"DTSTART;VALUE=DATE:20260315"}, true},
		{"two days", time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 17, 0, 0, 0, 0, time.UTC),
			[]string{"DTSTART;VALUE=DATE:20260315", "DTEND;VALUE=DATE:20260317"}, false},
		// Dates are taken in the times' own location, not converted to UTC.
		{"Norwegian midnight", time.Date(2026, 3, 15, 0, 0, 0, 0, oslo), time.Date(2026, 3, 16, 0, 0, 0, 0, oslo),
			[]string{"DTSTART;VALUE=DATE:20260315", "DTEND;VALUE=DATE:20260316"}, false},
		{"over new year", time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
			[]string{"DTSTART;VALUE=DATE:20251231", "DTEND;VALUE=DATE:20260102"}, false},
	} {
		b := mustBytes(t, &Calendar{Events: []Event{{UID: "d@samrad", AllDay: true, Start: tc.start, End: tc.end, Stamp: stamp}}})
		for _, l := range tc.want {
			if !strings.Contains(string(b), l+"\r\n") {
				t.Errorf("%s: no %s in\n%s", tc.name, l, b)
			}
		}
		if tc.noEnd && strings.Contains(string(b), "DTEND") {
			t.Errorf("%s: DTEND written", tc.name)
		}
		e := mustParse(t, b).Events[0]
		if !e.AllDay || !e.Start.Equal(dateOf(tc.start)) || (tc.end.IsZero() != e.End.IsZero()) ||
			(!tc.end.IsZero() && !e.End.Equal(dateOf(tc.end))) {
			t.Errorf("%s: parsed %+v", tc.name, e)
		}
	}
}

func TestInvitationProperties(t *testing.T) {
	b := unfolded(mustBytes(t, invitation()))
	for _, l := range []string{
		"METHOD:REQUEST",
		"X-WR-CALNAME:Styret\\, Osloregionen",
		"SEQUENCE:2",
		"CREATED:20191130T103000Z",
		"LAST-MODIFIED:20191201T103000Z",
		"STATUS:CONFIRMED",
		"URL:https://samrad.example.no/allianser/ore/moter/42",
		`ORGANIZER;CN="Sekretariatet":mailto:post@osloregionen.no`,
		`ATTENDEE;CN="Åse Ødegård";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:ase@baerum.kommune.no`,
		`ATTENDEE;CN="Per 'Pelle' Ås";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:per@as.kommune.no`,
		`ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:uten.navn@example.no`,
	} {
		if !strings.Contains(b, "\r\n"+l+"\r\n") {
			t.Errorf("no %s in\n%s", l, b)
		}
	}
	// A feed lists attendees without asking them to answer.
	feed := invitation()
	feed.Method = ""
	b = unfolded(mustBytes(t, feed))
	if !strings.Contains(b, "\r\nATTENDEE;CN=\"Åse Ødegård\":mailto:ase@baerum.kommune.no\r\n") || strings.Contains(b, "RSVP") {
		t.Errorf("feed attendees:\n%s", b)
	}
}

func TestWriteErrors(t *testing.T) {
	ok := Event{UID: "ok@samrad", Start: jan23, Stamp: stamp}
	for _, tc := range []struct {
		name   string
		method string
		e      Event
		want   string
	}{
		{"empty UID", "", Event{Start: jan23}, "event 1: empty UID"},
		{"blank UID", "", Event{UID: " ", Start: jan23}, "empty UID"},
		{"end before start", "", Event{UID: "x@samrad", Start: jan23, End: jan23.Add(-time.Minute)}, `event 1 (UID "x@samrad"): end`},
		{"all-day end not after start", "", Event{UID: "x@samrad", AllDay: true, Start: jan23, End: jan23.Add(2 * time.Hour)}, "event 1 (UID \"x@samrad\"): end 2020-01-23 is not after start"},
		{"no start", "", Event{UID: "x@samrad"}, "no start"},
		{"negative sequence", "", Event{UID: "x@samrad", Start: jan23, Sequence: -1}, "negative sequence"},
		{"status", "", Event{UID: "x@samrad", Start: jan23, Status: "DONE"}, `unsupported status "DONE"`},
		{"request without organizer", "REQUEST", Event{UID: "x@samrad", Start: jan23}, "method REQUEST needs an organizer"},
		{"attendee without e-mail", "", Event{UID: "x@samrad", Start: jan23, Attendees: []Person{{Name: "Åse"}}}, "attendee 0: no e-mail address"},
		{"organizer e-mail with a line break", "", Event{UID: "x@samrad", Start: jan23, Organizer: &Person{Email: "a@b.no\r\nATTENDEE:x"}}, "organizer:"},
		{"URL with a space", "", Event{UID: "x@samrad", Start: jan23, URL: "https://example.no/a b"}, "URL:"},
		{"year 10000", "", Event{UID: "x@samrad", Start: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "year 10000 out of range"},
		{"method", "REFRESH", ok, `unsupported method "REFRESH"`},
	} {
		c := &Calendar{Method: tc.method, Events: []Event{ok, tc.e}}
		var buf bytes.Buffer
		n, err := c.WriteTo(&buf)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
		if n != 0 || buf.Len() != 0 {
			t.Errorf("%s: %d octets written before the error", tc.name, buf.Len())
		}
		if b, err := c.Bytes(); b != nil || err == nil {
			t.Errorf("%s: Bytes = %d octets, %v", tc.name, len(b), err)
		}
	}
}

func TestZeroLengthEvent(t *testing.T) {
	b := mustBytes(t, &Calendar{Events: []Event{{UID: "a@samrad", Start: jan23, End: jan23, Stamp: stamp}}})
	if strings.Contains(string(b), "DTEND") {
		t.Errorf("an event ending as it starts has no DTEND:\n%s", b)
	}
}

func TestWriteToCount(t *testing.T) {
	var buf bytes.Buffer
	n, err := invitation().WriteTo(&buf)
	if err != nil || n != int64(buf.Len()) || n == 0 {
		t.Errorf("WriteTo = %d, %v; buffer holds %d", n, err, buf.Len())
	}
}
