package ical

import (
	"bytes"
	"testing"
)

// FuzzParse checks that Parse never panics, and that whatever it accepts and
// the writer can write comes back from the writer unchanged: writing is a
// fixed point after one parse.
func FuzzParse(f *testing.F) {
	if b, err := invitation().Bytes(); err == nil {
		f.Add(b)
	}
	f.Add([]byte(event("DTSTART;VALUE=DATE:20200101", "SUMMARY:a\\, b\\; c\\n", " d")))
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := Parse(bytes.NewReader(in))
		if err != nil {
			return
		}
		first, err := c.Bytes()
		if err != nil {
			return // e.g. a METHOD or STATUS the writer does not support
		}
		back, err := Parse(bytes.NewReader(first))
		if err != nil {
			t.Fatalf("our own output does not parse: %v\n%s", err, first)
		}
		second, err := back.Bytes()
		if err != nil {
			t.Fatalf("what we wrote and read back cannot be written: %v\n%s", err, first)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("writing is not stable:\n%s\n---\n%s", first, second)
		}
	})
}
