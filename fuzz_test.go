package samrad_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/samrad/samrad"
)

// The parse functions below read what people type into forms and import
// files. Each fuzz function checks what the function promises of what it
// accepts, mostly that writing it out and reading it again gives it back.

// fieldError fails t unless err is an EINVALID *samrad.Error on field.
func fieldError(t *testing.T, err error, field string) {
	t.Helper()
	var e *samrad.Error
	if !errors.As(err, &e) || e.Code != samrad.EINVALID || e.Field != field || e.Message == "" {
		t.Fatalf("error %#v (%v), want an EINVALID error on %q", e, err, field)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-01-01", "2023-02-29", "2024-02-29", "0001-01-01", "9999-12-31", "2024-1-1", " 2024-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := samrad.ParseDate(s)
		if err != nil {
			return
		}
		if d.IsZero() || d.String() != s {
			t.Fatalf("ParseDate(%q) = %q (zero %v)", s, d, d.IsZero())
		}
		var back samrad.Date
		if b, _ := d.MarshalText(); back.UnmarshalText(b) != nil || !back.Equal(d) {
			t.Fatalf("%q does not come back through its text form", s)
		}
	})
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"1.50", "1,50", "2020407", "-3.1", "2 020 407,00", "2\u00a0020\u00a0407,00", "1.", ".5", "-", "92233720368547758.07", "4611686018427387904"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := samrad.ParseMoney(s)
		if err != nil {
			return
		}
		if neg := strings.HasPrefix(strings.TrimSpace(s), "-"); (m < 0 && !neg) || (m > 0 && neg) {
			t.Fatalf("ParseMoney(%q) = %d: wrong sign", s, m)
		}
		for _, text := range []string{m.String(), m.Norwegian()} {
			if back, err := samrad.ParseMoney(text); err != nil || back != m {
				t.Fatalf("ParseMoney(%q) = %d, written %q, read back %d (%v)", s, m, text, back, err)
			}
		}
	})
}

func FuzzParseTags(f *testing.F) {
	for _, s := range []string{"samferdsel, Klima", "a,,a, A ,b", strings.Repeat("x", 41), " to  ord ", "ÆØÅ,æøå"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tags, err := samrad.ParseTags(s)
		if err != nil {
			fieldError(t, err, "tags")
			return
		}
		for i, tag := range tags {
			if tag == "" || strings.Contains(tag, ",") || tag != strings.Join(strings.Fields(tag), " ") ||
				tag != strings.ToLower(tag) || utf8.RuneCountInString(tag) > 40 || slices.Contains(tags[:i], tag) {
				t.Fatalf("ParseTags(%q) gave the tag %q of %q", s, tag, tags)
			}
		}
		if back, err := samrad.ParseTags(strings.Join(tags, ", ")); err != nil || !slices.Equal(back, tags) {
			t.Fatalf("tags %q read back as %q (%v)", tags, back, err)
		}
	})
}

func FuzzParseCaseNumber(f *testing.F) {
	for _, s := range []string{"24/2017", "47/16", "sak 24/2017", "Sak 3 / 2020", "0/2017", "1/1899", "1/-5", "1/+5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, y, err := samrad.ParseCaseNumber(s)
		if err != nil {
			fieldError(t, err, "case_number")
			return
		}
		if n < 1 || y < 1900 || y > 2200 {
			t.Fatalf("ParseCaseNumber(%q) = %d/%d", s, n, y)
		}
		if n2, y2, err := samrad.ParseCaseNumber(samrad.CaseNumber("", n, y)); err != nil || n2 != n || y2 != y {
			t.Fatalf("%d/%d read back as %d/%d (%v)", n, y, n2, y2, err)
		}
	})
}

func FuzzParseApproxDate(f *testing.F) {
	for _, s := range []string{"2014", "2015-02", "2022-05-05", "", " 2014 ", "0999", "2015-13", "+999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, p, err := samrad.ParseApproxDate(s)
		if err != nil {
			fieldError(t, err, "")
			return
		}
		if !p.Valid() || (p == samrad.PrecisionUnknown) != d.IsZero() {
			t.Fatalf("ParseApproxDate(%q) = %v at %q", s, d, p)
		}
		text := d.FormatAs(p)
		if d2, p2, err := samrad.ParseApproxDate(text); err != nil || !d2.Equal(d) || p2 != p {
			t.Fatalf("ParseApproxDate(%q) = %v %s, written %q, read back %v %s (%v)", s, d, p, text, d2, p2, err)
		}
	})
}

func FuzzParseDeadline(f *testing.F) {
	for _, s := range []string{"2026-03-31", "31.03.2026", "1.4.2026", "2026-03-31 17:00", "2026-03-31T17:00", "31.03.2026 17:00",
		"2026-03-31T17:00:00+02:00", "2026-10-25 02:30", "2026-03-29 02:30", "31.02.2026"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := samrad.ParseCallDate(s); err == nil {
			if d.IsZero() {
				t.Fatalf("ParseCallDate(%q) is no date", s)
			}
			if back, err := samrad.ParseCallDate(d.String()); err != nil || !back.Equal(d) {
				t.Fatalf("ParseCallDate(%q) = %v, read back %v (%v)", s, d, back, err)
			}
		}
		dl, err := samrad.ParseDeadline(s)
		if err != nil {
			return
		}
		if dl.IsZero() || dl.Location() != time.UTC {
			t.Fatalf("ParseDeadline(%q) = %v", s, dl)
		}
		if back, err := samrad.ParseDeadline(dl.Format(time.RFC3339)); err != nil || !back.Equal(dl) {
			t.Fatalf("ParseDeadline(%q) = %v, read back %v (%v)", s, dl, back, err)
		}
	})
}

func FuzzParsePublishTime(f *testing.F) {
	for _, s := range []string{"2020-01-28T09:00", "2020-01-28 09:00", "2020-01-28", "", "2020-01-28T09:00:30", "28.01.2020"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := samrad.ParsePublishTime(s)
		if err != nil {
			fieldError(t, err, "publish_at")
			return
		}
		if p.IsZero() != (strings.TrimSpace(s) == "") || (!p.IsZero() && p.Location() != time.UTC) {
			t.Fatalf("ParsePublishTime(%q) = %v", s, p)
		}
		if p.IsZero() {
			return
		}
		// Written as a browser's field shows it, the time reads back the same
		// (in the hour that comes twice in October, as one of the two).
		text := p.In(samrad.Oslo()).Format("2006-01-02T15:04:05")
		back, err := samrad.ParsePublishTime(text)
		if d := back.Sub(p); err != nil || (d != 0 && d != time.Hour && d != -time.Hour) {
			t.Fatalf("ParsePublishTime(%q) = %v, written %q, read back %v (%v)", s, p, text, back, err)
		}
	})
}

func FuzzParseTimeframe(f *testing.F) {
	for _, s := range []string{"Løpende", "2017-18", "2016 - 2018", "1. kvartal 2017", "16.02.2017", "2019–2017", "ongoing", "1999-05", "20172018"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tf := samrad.ParseTimeframe(s)
		if tf.Text != strings.TrimSpace(s) {
			t.Fatalf("ParseTimeframe(%q).Text = %q", s, tf.Text)
		}
		if tf.From == 0 && tf.To != 0 || tf.From != 0 && (tf.From < 1900 || tf.To < tf.From || tf.To > 2099 || !strings.Contains(s, fmt.Sprint(tf.From))) {
			t.Fatalf("ParseTimeframe(%q) = %+v", s, tf)
		}
		if tf.Ongoing && tf.From != 0 {
			t.Fatalf("ParseTimeframe(%q) is ongoing and has years: %+v", s, tf)
		}
	})
}
