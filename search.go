package samrad

import (
	"slices"
	"unicode/utf8"
)

// Kinds of document that full-text search finds, in the order a reader
// sees them offered.
const (
	DocCase      = "case"      // a case: its title, presentation and proposed decision
	DocDecision  = "decision"  // what was decided on a case, at meetings and finally
	DocMinutes   = "minutes"   // the minutes of a meeting, once published
	DocDocument  = "document"  // a meeting's or a case's document: its title, and its text unless exempt
	DocArticle   = "article"   // a published news article
	DocEvent     = "event"     // a published event
	DocMeasure   = "measure"   // a measure of an action programme
	DocProgramme = "programme" // an action programme's own text: its economic framework
	DocProject   = "project"   // a published project
	DocPerson    = "person"    // a person's name and roles in one body, never contact data
)

// DocKinds lists every kind of document search knows.
var DocKinds = []string{DocCase, DocDecision, DocMinutes, DocDocument, DocArticle, DocEvent, DocMeasure, DocProgramme, DocProject, DocPerson}

// Limits of a search.
const (
	MaxSearchPerPage = 50
	MaxSearchPage    = 500
	MaxSearchText    = 1000 // bytes read from the box; the parser keeps fewer runes
	// MaxSearchHits is how many documents a search ranks, counts and pages
	// through: the most recently indexed of its matches. A search that
	// matches more says so (SearchResults.Capped) and shows its best
	// among these; a narrower search or a filter finds the rest.
	MaxSearchHits = 1000
)

// SearchQuery is what a reader asks: the text typed, and filters.
type SearchQuery struct {
	Text       string
	AllianceID int64    // 0: every alliance
	Kinds      []string // empty: every kind
	BodyID     int64    // 0: every body
	Year       int      // 0: every year
	Page       int      // from 1
	PerPage    int
}

// Validate checks the filters, and fills in the defaults of page and size.
func (q *SearchQuery) Validate() error {
	if len(q.Text) > MaxSearchText {
		// Cut at a rune boundary; the parser cuts further.
		n := MaxSearchText
		for n > 0 && !utf8.RuneStart(q.Text[n]) {
			n--
		}
		q.Text = q.Text[:n]
	}
	for _, k := range q.Kinds {
		if !slices.Contains(DocKinds, k) {
			return Errorf(EINVALID, "unknown type of document %q", k)
		}
	}
	if q.Year != 0 && (q.Year < 1900 || q.Year > 2100) {
		return Errorf(EINVALID, "year %d is outside 1900–2100", q.Year)
	}
	if q.AllianceID < 0 || q.BodyID < 0 {
		return Errorf(EINVALID, "negative id")
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Page < 1 || q.Page > MaxSearchPage {
		return Errorf(EINVALID, "page %d is outside 1–%d", q.Page, MaxSearchPage)
	}
	if q.PerPage == 0 {
		q.PerPage = 20
	}
	if q.PerPage < 1 || q.PerPage > MaxSearchPerPage {
		return Errorf(EINVALID, "%d results a page is outside 1–%d", q.PerPage, MaxSearchPerPage)
	}
	return nil
}

// SearchHit is one document found.
type SearchHit struct {
	ID           int64 // the search document
	Kind         string
	RefID        int64 // the case, meeting, article … it was made from
	AllianceID   int64
	AllianceSlug string
	AllianceNB   string
	AllianceEN   string
	BodyID       int64
	Year         int
	Day          string // YYYY-MM-DD, or "" when the document has no date
	TitleNB      string
	TitleEN      string
	Text         string // the text searched, for snippets
	Path1, Path2 string // the parts of its address, which depend on the kind
}

// Title returns the title in lang, the Norwegian one when there is no other.
func (h SearchHit) Title(lang string) Text { return localized(lang, h.TitleNB, h.TitleEN) }

// Alliance returns the alliance's name in lang.
func (h SearchHit) Alliance(lang string) string {
	return localized(lang, h.AllianceNB, h.AllianceEN).Text
}

// Count is a number of documents with one value of a facet.
type Count struct {
	Value string
	N     int
}

// SearchResults is one page of a search.
type SearchResults struct {
	Hits  []SearchHit
	Total int
	// Capped tells that more than MaxSearchHits documents match: Total is
	// then MaxSearchHits, and the hits are ranked among the MaxSearchHits
	// most recently indexed matches.
	Capped bool
	// The facets count with every filter but their own. When more than
	// MaxSearchHits documents match without the kind and year filters,
	// they are not counted: Kinds is empty and Years holds every year of
	// the index with N 0.
	Kinds []Count // documents by kind
	Years []Count // documents by year, newest first
}
