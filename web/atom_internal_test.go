package web

import (
	"encoding/xml"
	"net/http/httptest"
	"testing"
	"time"
)

// A feed holds its newest entries first, at most maxAtomEntries.
func TestAtomFeedKeepsTheNewest(t *testing.T) {
	f := newAtomFeed("nb", "Protokoller", "Vestregionen", "https://x/feed", "https://x/")
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range maxAtomEntries + 10 {
		// Added oldest and newest alternately, as the store lists them.
		day := i / 2
		if i%2 == 1 {
			day = maxAtomEntries + 10 - 1 - i/2
		}
		f.add(atomEntry{Title: "m", ID: start.AddDate(0, 0, day).Format(time.DateOnly)}, start.AddDate(0, 0, day))
	}
	rec := httptest.NewRecorder()
	if err := f.write(rec); err != nil {
		t.Fatal(err)
	}
	var got atomFeed
	if err := xml.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Entries) != maxAtomEntries {
		t.Fatalf("%d entries, want %d", len(got.Entries), maxAtomEntries)
	}
	newest := start.AddDate(0, 0, maxAtomEntries+10-1).Format(time.DateOnly)
	oldestKept := start.AddDate(0, 0, 10).Format(time.DateOnly)
	if got.Entries[0].ID != newest || got.Entries[len(got.Entries)-1].ID != oldestKept {
		t.Errorf("entries run from %s to %s, want %s to %s", got.Entries[0].ID, got.Entries[len(got.Entries)-1].ID, newest, oldestKept)
	}
}
