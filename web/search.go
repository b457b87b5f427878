package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/fulltext"
)

// searchPaths are the public search pages: across every alliance, and
// within one.
var searchPaths = map[string][2]string{
	"search":          {"/sok", "/en/search"},
	"search_alliance": {"/allianser/{slug}/sok", "/en/alliances/{slug}/search"},
}

// searchRoutes registers the pages of this area.
func (s *Server) searchRoutes(handle, _ func(name string, h handlerFunc)) {
	handle("search", s.handleSearch)
	handle("search_alliance", s.handleSearch)
}

// snippetWords is how many words of a document's text a result shows.
const snippetWords = 30

type searchHit struct {
	samrad.SearchHit
	URL     string
	Snippet template.HTML
}

type searchOption struct {
	Value, Label string
	N            int
	Selected     bool
}

type searchData struct {
	Alliance   *samrad.Alliance // nil on the page across alliances
	Action     string
	Text       string // as typed
	Understood string // the query as parsed, when it differs
	Truncated  bool
	Searched   bool // there was something to look for
	Results    samrad.SearchResults
	Hits       []searchHit
	Alliances  []searchOption
	Kinds      []searchOption
	Bodies     []searchOption
	Years      []searchOption
	Param      map[string]string
	Cap        int64 // samrad.MaxSearchHits, for the text of a capped search
	First      int   // the number of the first hit on the page
	Last       int
	PrevURL    string
	NextURL    string
}

// handleSearch searches cases, decisions, minutes, documents, news, events, measures,
// projects and people. Filters come as GET parameters; one that cannot be
// read is refused with 400 and the reason.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	d := searchData{Text: r.URL.Query().Get("q"), Param: map[string]string{}, Cap: samrad.MaxSearchHits}
	for _, n := range []string{"kind", "year", "page", "alliance", "body"} {
		d.Param[n] = paramNames[n][langIndex(v.Lang)]
	}
	q := samrad.SearchQuery{Text: d.Text, PerPage: 20}
	bad := func(key string, args ...any) error {
		return samrad.Errorf(samrad.EINVALID, "%s", s.cat.T(v.Lang, key, args...))
	}
	if x := v.param("page"); x != "" {
		n, err := strconv.Atoi(x)
		if err != nil || n < 1 || n > samrad.MaxSearchPage {
			return bad("search_bad_page", x, samrad.MaxSearchPage)
		}
		q.Page = n
	}
	if x := v.param("year"); x != "" {
		n, err := strconv.Atoi(x)
		if err != nil || n < 1900 || n > 2100 {
			return bad("search_bad_year", x)
		}
		q.Year = n
	}
	if k := v.param("kind"); k != "" {
		if !slices.Contains(samrad.DocKinds, k) {
			return bad("search_bad_kind", k, strings.Join(samrad.DocKinds, ", "))
		}
		q.Kinds = []string{k}
	}
	alliances, err := s.db.Alliances(ctx)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if slug == "" {
		slug = v.param("alliance")
	}
	var bodies []samrad.Body
	if slug != "" {
		a, err := s.db.AllianceBySlug(ctx, slug)
		if samrad.ErrorCode(err) == samrad.ENOTFOUND && r.PathValue("slug") == "" {
			return bad("search_bad_alliance", slug)
		} else if err != nil {
			return err
		}
		q.AllianceID = a.ID
		if r.PathValue("slug") != "" {
			d.Alliance = &a
		}
		if bodies, err = s.db.Bodies(ctx, a.ID); err != nil {
			return err
		}
		if b := v.param("body"); b != "" {
			for _, x := range bodies {
				if x.Slug == b {
					q.BodyID = x.ID
				}
			}
			if q.BodyID == 0 {
				return bad("search_bad_body", b, a.Name(v.Lang))
			}
		}
	}
	if err := q.Validate(); err != nil {
		return err
	}
	parsed := fulltext.ParseQuery(q.Text)
	d.Truncated, d.Searched = parsed.Truncated, !parsed.Empty()
	if u := parsed.String(); u != d.Text && d.Searched {
		d.Understood = u
	}
	if d.Results, err = s.db.Search(ctx, q); err != nil {
		return err
	}
	for _, h := range d.Results.Hits {
		d.Hits = append(d.Hits, searchHit{SearchHit: h, URL: hitURL(v.Lang, h),
			Snippet: template.HTML(fulltext.Snippet(h.Text, parsed, snippetWords))}) // escaped by Snippet
	}

	// The filters, with the counts of the query where there are some.
	if d.Alliance == nil {
		for _, a := range alliances {
			d.Alliances = append(d.Alliances, searchOption{Value: a.Slug, Label: a.Name(v.Lang), Selected: a.ID == q.AllianceID})
		}
	}
	counts := map[string]int{}
	for _, c := range d.Results.Kinds {
		counts[c.Value] = c.N
	}
	for _, k := range samrad.DocKinds {
		d.Kinds = append(d.Kinds, searchOption{Value: k, Label: s.cat.T(v.Lang, "search_kind_"+k), N: counts[k],
			Selected: len(q.Kinds) == 1 && q.Kinds[0] == k})
	}
	for _, b := range bodies {
		d.Bodies = append(d.Bodies, searchOption{Value: b.Slug, Label: b.Name(v.Lang), Selected: b.ID == q.BodyID})
	}
	seen := false
	for _, c := range d.Results.Years {
		sel := c.Value == strconv.Itoa(q.Year)
		seen = seen || sel
		d.Years = append(d.Years, searchOption{Value: c.Value, Label: c.Value, N: c.N, Selected: sel})
	}
	if q.Year != 0 && !seen {
		d.Years = append(d.Years, searchOption{Value: strconv.Itoa(q.Year), Label: strconv.Itoa(q.Year), Selected: true})
	}

	// Pages.
	d.Action = Path(v.Lang, "search")
	if d.Alliance != nil {
		d.Action = Path(v.Lang, "search_alliance", d.Alliance.Slug)
	}
	if len(d.Hits) > 0 {
		d.First = (q.Page-1)*q.PerPage + 1
		d.Last = d.First + len(d.Hits) - 1
	}
	pageURL := func(page int) string {
		u := url.Values{}
		for k, vals := range r.URL.Query() {
			u[k] = vals
		}
		if page == 1 {
			u.Del(d.Param["page"])
		} else {
			u.Set(d.Param["page"], strconv.Itoa(page))
		}
		return d.Action + "?" + u.Encode()
	}
	if q.Page > 1 {
		d.PrevURL = pageURL(q.Page - 1)
	}
	if q.Page*q.PerPage < d.Results.Total {
		d.NextURL = pageURL(q.Page + 1)
	}

	title := s.cat.T(v.Lang, "search_title")
	v.Title, v.Nav, v.Data = title, "search", d
	if d.Alliance != nil {
		v.Title = title + " – " + d.Alliance.Name(v.Lang)
		v.crumbs(d.Alliance.Name(v.Lang), Path(v.Lang, "alliance", d.Alliance.Slug), title, "")
	}
	s.render(w, http.StatusOK, "search", v)
	return nil
}

// hitURL is the address of the page that shows a document found.
func hitURL(lang string, h samrad.SearchHit) string {
	switch h.Kind {
	case samrad.DocCase, samrad.DocDecision:
		return Path(lang, "case", h.AllianceSlug, h.Path1, h.Path2)
	case samrad.DocMinutes:
		return Path(lang, "m_record", h.AllianceSlug, h.Path1)
	case samrad.DocDocument:
		// A meeting's document (path1 the meeting), else a case's.
		if h.Path2 == "" {
			return Path(lang, "meeting", h.AllianceSlug, h.Path1) + "#dokumenter"
		}
		return Path(lang, "case", h.AllianceSlug, h.Path1, h.Path2) + "#dokumenter"
	case samrad.DocArticle:
		return Path(lang, "article", h.AllianceSlug, h.Path1)
	case samrad.DocEvent:
		return Path(lang, "event", h.AllianceSlug, h.Path1)
	case samrad.DocMeasure:
		return Path(lang, "programme", h.AllianceSlug, h.Path1) + "#tiltak-" + h.Path2
	case samrad.DocProgramme:
		return Path(lang, "programme", h.AllianceSlug, h.Path1) + "#okonomi"
	case samrad.DocProject:
		return Path(lang, "proj_page", h.AllianceSlug, h.Path1)
	case samrad.DocPerson:
		return Path(lang, "body", h.AllianceSlug, h.Path1)
	}
	return Path(lang, "alliance", h.AllianceSlug)
}
