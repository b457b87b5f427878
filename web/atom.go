package web

import (
	"encoding/xml"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// atomFeed is an Atom feed (RFC 4287): an alliance's published minutes,
// its news.
type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"xml:lang,attr"`
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type atomEntry struct {
	Title     string    `xml:"title"`
	ID        string    `xml:"id"`
	Published string    `xml:"published,omitempty"`
	Updated   string    `xml:"updated"`
	Link      atomLink  `xml:"link"`
	Summary   string    `xml:"summary"`
	Lang      string    `xml:"xml:lang,attr,omitempty"` // where it differs from the feed's
	Author    *atomName `xml:"author,omitempty"`
}

type atomName struct {
	Name string `xml:"name"`
}

// newAtomFeed starts a feed whose id and self link is self and whose
// alternate is page (both absolute URLs).
func newAtomFeed(lang, title, author, self, page string) *atomFeed {
	f := &atomFeed{Lang: lang, Title: title, ID: self, Links: []atomLink{{Href: self, Rel: "self"}, {Href: page}},
		Updated: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)}
	f.Author.Name = author
	return f
}

// add appends an entry and keeps the feed's updated time the latest.
func (f *atomFeed) add(e atomEntry, updated time.Time) {
	e.Updated = updated.UTC().Format(time.RFC3339)
	if e.Updated > f.Updated {
		f.Updated = e.Updated
	}
	f.Entries = append(f.Entries, e)
}

// maxAtomEntries is how many entries a feed holds: the newest. A reader
// polls a feed for what is new; ten years of minutes made a feed of 145 kB.
const maxAtomEntries = 50

// write sends the feed with its newest entries first, at most
// maxAtomEntries of them.
func (f *atomFeed) write(w http.ResponseWriter) error {
	slices.SortStableFunc(f.Entries, func(a, b atomEntry) int { return strings.Compare(b.Updated, a.Updated) })
	if len(f.Entries) > maxAtomEntries {
		f.Entries = f.Entries[:maxAtomEntries]
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	return xml.NewEncoder(w).Encode(f)
}
