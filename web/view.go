package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/i18n"
)

// view is what every page template gets.
type view struct {
	Lang       string
	Title      string
	Nav        string
	Crumbs     []link
	Switch     *altLink
	Alternates []altLink
	// Canonical is the page's own address without parameters it does not
	// read; absolute when the server knows its public base URL.
	Canonical string
	Data      any
	User      *samrad.User // nil for visitors without a session
	CSRF      string       // the session's form token
	Brand     *brand       // the alliance's look, if its page or host has one

	// until is when a cached copy of the page goes stale without any
	// change of data, e.g. when a scheduled article is published.
	until time.Time

	route string
	r     *http.Request
	s     *Server
}

type link struct{ Label, URL string }

type altLink struct{ Lang, URL, Label string }

// paramNames translates query parameter names between the languages so the
// language switch keeps the page and its filters.
var paramNames = map[string][2]string{
	"date":     {"dato", "date"},
	"pending":  {"ventende", "pending"},
	"year":     {"ar", "year"},
	"kind":     {"type", "kind"},
	"line":     {"linje", "line"},
	"page":     {"side", "page"},
	"alliance": {"allianse", "alliance"},
	"body":     {"organ", "body"},
	"q":        {"q", "q"},
	"before":   {"before", "before"},
	"next":     {"next", "next"},
	"ok":       {"ok", "ok"},
}

// param reads a query parameter by its logical name in the view's language.
func (v *view) param(name string) string {
	n := paramNames[name][0]
	if v.Lang == "en" {
		n = paramNames[name][1]
	}
	return strings.TrimSpace(v.r.URL.Query().Get(n))
}

// routeArgs are the values of the page's route placeholders, in the order
// its path has them, for building its path in another language or form.
func (v *view) routeArgs() []string {
	var args []string
	pattern := routeTable[v.route][langIndex(v.Lang)]
	for {
		i := strings.Index(pattern, "{")
		j := strings.Index(pattern, "}")
		if i < 0 || j < i {
			break
		}
		args = append(args, v.r.PathValue(pattern[i+1:j]))
		pattern = pattern[j+1:]
	}
	return args
}

// setSwitch builds the link to the same page in the other language.
func (v *view) setSwitch(r *http.Request) {
	other, label := "en", "English"
	if v.Lang == "en" {
		other, label = "nb", "Norsk"
	}
	args := v.routeArgs()
	u := Path(other, v.route, args...)
	var own url.Values        // the parameters the page reads, for the canonical link
	if r.URL.RawQuery != "" { // parsed once, and only when there is a query
		from, to := 0, 1
		if v.Lang == "en" {
			from, to = 1, 0
		}
		in, q := r.URL.Query(), url.Values{}
		own = url.Values{}
		for _, names := range paramNames {
			if x := in.Get(names[from]); x != "" {
				q.Set(names[to], x)
				own.Set(names[from], x)
			}
		}
		if len(q) > 0 {
			u += "?" + q.Encode()
		}
	}
	v.Switch = &altLink{Lang: other, URL: u, Label: label}
	self := r.URL.Path
	if r.URL.RawQuery != "" {
		self += "?" + r.URL.RawQuery
	}
	v.Canonical = v.s.baseURL + Path(v.Lang, v.route, args...)
	if len(own) > 0 {
		v.Canonical += "?" + own.Encode()
	}
	// Norwegian is the default for readers whose language neither matches.
	def := self
	if v.Lang == "en" {
		def = u
	}
	v.Alternates = []altLink{{Lang: v.Lang, URL: self}, {Lang: other, URL: u}, {Lang: "x-default", URL: def}}
}

func (v *view) crumbs(pairs ...string) {
	v.Crumbs = []link{{Label: v.s.cat.T(v.Lang, "nav_alliances"), URL: Path(v.Lang, "home")}}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Crumbs = append(v.Crumbs, link{Label: pairs[i], URL: pairs[i+1]})
	}
}

func (s *Server) parseTemplates() error {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	// Files named _*.html hold partials that any page may use.
	partials, err := fs.Glob(templateFS, "templates/_*.html")
	if err != nil {
		return err
	}
	s.pages = map[string]map[string]*template.Template{}
	for _, lang := range i18n.Languages {
		s.pages[lang] = map[string]*template.Template{}
		for _, n := range names {
			base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
			if base == "layout" || strings.HasPrefix(base, "_") {
				continue
			}
			t := template.New(base).Funcs(s.funcs(lang))
			if _, err := t.ParseFS(templateFS, append([]string{"templates/layout.html", n}, partials...)...); err != nil {
				return fmt.Errorf("template %s: %w", n, err)
			}
			s.pages[lang][base] = t
		}
	}
	return nil
}

// funcs are the template functions, bound to one language.
func (s *Server) funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"t":         func(key string, args ...any) string { return s.cat.T(lang, key, args...) },
		"path":      func(name string, args ...string) string { return Path(lang, name, args...) },
		"hasPrefix": strings.HasPrefix,
		"date":      func(d samrad.Date) string { return formatDate(lang, d) },
		"money": func(m samrad.Money) string {
			if lang == "en" {
				return m.English()
			}
			return m.Norwegian()
		},
		"number": func(n int64) string {
			var s string
			if m := samrad.Money(n * 100); lang == "en" {
				s = m.English()
			} else {
				s = m.Norwegian()
			}
			return s[:len(s)-3]
		},
		"multiplier": samrad.Multiplier,
		"add":        func(a, b int) int { return a + b },
		"paragraphs": paragraphs,
		"addMoney":   func(a, b samrad.Money) samrad.Money { return a + b },
		"caseNumber": samrad.CaseNumber,
		"list":       func(xs ...string) []string { return xs },
		"kb":         func(n int64) string { return fmt.Sprintf("%d kB", (n+1023)/1024) },
		"pair":       func(a, b any) struct{ A, B any } { return struct{ A, B any }{a, b} },
		"static":     s.staticURL,
		"time": func(t time.Time) string {
			return t.In(samrad.Oslo()).Format("02.01.2006 15:04")
		},
	}
}

func (s *Server) staticURL(name string) string {
	return "/static/" + name + "?v=" + s.hashes[name]
}

var monthsNB = [...]string{"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"}

func formatDate(lang string, d samrad.Date) string {
	if d.IsZero() {
		return ""
	}
	if lang == "en" {
		return fmt.Sprintf("%d %s %d", d.Day(), d.Month(), d.Year())
	}
	return fmt.Sprintf("%d. %s %d", d.Day(), monthsNB[d.Month()-1], d.Year())
}

// At reports whether the page is the route name, for marking the menu.
func (v *view) At(name string) bool { return v.route == name }

// PDF reports whether the server can print pages as PDF.
func (v *view) PDF() bool { return v.s.pdf.Available() }
