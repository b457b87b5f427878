package web

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
)

// The form fields below are read by small parsers of their own; what they
// accept must come back the same when the page writes it into the field
// again (a rejected form shows what was typed, a saved one what was read).

func FuzzParseDays(f *testing.F) {
	for _, s := range []string{"2020-01-23\n2020-01-24 09:00-16:00", "2020-01-23 09:00–16:00\r\n\n", "2020-01-23 9:00", "2026-03-29 02:30-03:30",
		"2026-10-25 02:30", "2020-02-30", "2020-01-23 09:00-", "2020-01-23 -16:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		days, ok := parseDays(text)
		if !ok {
			return
		}
		for _, d := range days {
			if d.Date.IsZero() || (d.Start.IsZero() && !d.End.IsZero()) {
				t.Fatalf("parseDays(%q) gave the day %+v", text, d)
			}
		}
		written := daysText(samrad.Event{Days: days})
		back, ok := parseDays(written)
		if !ok || !slices.EqualFunc(back, days, func(a, b samrad.EventDay) bool {
			return a.Date.Equal(b.Date) && a.Start.Equal(b.Start) && a.End.Equal(b.End)
		}) {
			t.Fatalf("parseDays(%q) = %+v, written %q, read back %+v (%v)", text, days, written, back, ok)
		}
	})
}

func FuzzParseAreas(f *testing.F) {
	for _, s := range []string{"Samferdsel | Transport\nKlima", " | \n|x\n\n", "a|b|c", "Næring\r\nKultur | Culture\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		areas := parseAreas(text)
		lines := 0
		for _, l := range strings.Split(text, "\n") {
			if strings.TrimSpace(l) != "" {
				lines++
			}
		}
		if len(areas) != lines {
			t.Fatalf("parseAreas(%q) gave %d areas for %d lines", text, len(areas), lines)
		}
		named := areas[:0:0]
		for _, a := range areas {
			if a.NameNB != strings.TrimSpace(a.NameNB) || a.NameEN != strings.TrimSpace(a.NameEN) {
				t.Fatalf("parseAreas(%q) kept spaces: %+v", text, a)
			}
			if a.NameNB != "" {
				named = append(named, a)
			}
		}
		// An area without a Norwegian name is refused when the agreement is
		// validated; the others come back from the field as they were.
		if back := parseAreas(areasText(named)); !slices.Equal(back, named) {
			t.Fatalf("parseAreas(%q) = %+v, read back %+v", text, named, back)
		}
	})
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"2024-03-01T09:30", "2024-03-01 09:30", "2024-03-01T09:30:15", "", " 2024-03-31T02:30 ", "2024-10-27T02:30", "2024-13-01T09:30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := parseClock(s)
		if !ok {
			return
		}
		if c.IsZero() != (strings.TrimSpace(s) == "") {
			t.Fatalf("parseClock(%q) = %v", s, c)
		}
		if c.IsZero() {
			return
		}
		written := c.In(samrad.Oslo()).Format("2006-01-02T15:04:05")
		back, ok := parseClock(written)
		if d := back.Sub(c); !ok || (d != 0 && d != time.Hour && d != -time.Hour) {
			t.Fatalf("parseClock(%q) = %v, written %q, read back %v", s, c, written, back)
		}
	})
}
