package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/picture"
	"github.com/samrad/samrad/store"
)

// One instance serves several alliances, and each may have a host name of
// its own (osloregionen.no next to vestregionen.no). A request for such a
// host is routed to that alliance's pages: "/" is the alliance's home,
// "/medlemmer" its member list, "/en/news" its news in English. Paths the
// alliance has no page for (the registry, login, the accessibility
// statement) are the instance's own, and the long paths (/allianser/…)
// keep working on every host. Pages rendered for such a host link with the
// short paths.
//
// An alliance's pages also carry its look wherever they are shown: logo,
// header colour, link colour and footer.

var hostPaths = map[string][2]string{
	"site_edit": {"/allianser/{slug}/nettsted", "/en/alliances/{slug}/website"},
	"site_logo": {"/allianser/{slug}/logo", "/en/alliances/{slug}/logo"},
	"site_css":  {"/allianser/{slug}/tema.css", "/en/alliances/{slug}/theme.css"},
}

func (s *Server) hostRoutes(handle, post func(name string, h handlerFunc)) {
	handle("site_edit", s.handleSiteForm)
	post("site_edit", s.handleSaveSite)
	handle("site_logo", s.handleSiteLogo)
	handle("site_css", s.handleSiteCSS)
}

type siteKey struct{}

// hostSite returns the alliance whose own host name the request came in on.
func hostSite(r *http.Request) (store.HostedSite, bool) {
	h, ok := r.Context().Value(siteKey{}).(store.HostedSite)
	return h, ok
}

// routeHost sends a request for an alliance's own host name to its pages.
func (s *Server) routeHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, outer *http.Request) {
		byHost, _, err := s.db.HostedSites(outer.Context())
		if err != nil {
			s.log.Error("sites", "err", err)
		}
		site, ok := byHost[samrad.RequestHost(outer.Host)]
		if !ok {
			// The instance's own host: the request goes on as it came.
			next.ServeHTTP(w, outer)
			return
		}
		r := outer.WithContext(context.WithValue(outer.Context(), siteKey{}, site))
		if long, ok := s.longPath(r, site.Slug); ok {
			u := *r.URL
			u.Path, u.RawPath = long, ""
			r.URL = &u
		}
		next.ServeHTTP(w, r)
		// The mux names the route on the request it was given; the
		// metrics around this handler read it from theirs.
		outer.Pattern = r.Pattern
	})
}

// longPath returns the alliance's own path for a short one, if the
// alliance has such a page: "/medlemmer" → "/allianser/ore/medlemmer",
// "/en/" → "/en/alliances/ore".
func (s *Server) longPath(r *http.Request, slug string) (string, bool) {
	p := r.URL.Path
	for _, keep := range []string{"/allianser/", "/en/alliances/", "/static/", "/oparl/"} {
		if strings.HasPrefix(p, keep) {
			return "", false
		}
	}
	var long string
	switch {
	case p == "/en" || strings.HasPrefix(p, "/en/"):
		long = "/en/alliances/" + slug + strings.TrimSuffix(strings.TrimPrefix(p, "/en"), "/")
		if rest := strings.TrimPrefix(p, "/en"); rest != "/" && rest != "" {
			long = "/en/alliances/" + slug + rest
		}
	case p == "/":
		long = "/allianser/" + slug
	default:
		long = "/allianser/" + slug + p
	}
	probe := r.Clone(r.Context())
	probe.URL.Path, probe.URL.RawPath = long, ""
	if _, pattern := s.mux.Handler(probe); pattern == "" || pattern == "/" || pattern == "/en/" {
		return "", false
	}
	return long, true
}

// shorten rewrites the links of a page rendered for an alliance's own host:
// every quoted path into the alliance ("/allianser/ore/…",
// "/en/alliances/ore/…") loses its prefix.
func shorten(html, slug string) string {
	for _, pre := range [][2]string{{`"/allianser/` + slug, `"/`}, {`"/en/alliances/` + slug, `"/en/`}} {
		if !strings.Contains(html, pre[0]) {
			continue
		}
		var b strings.Builder
		b.Grow(len(html))
		rest := html
		for {
			i := strings.Index(rest, pre[0])
			if i < 0 {
				b.WriteString(rest)
				break
			}
			b.WriteString(rest[:i])
			after := rest[i+len(pre[0]):]
			if after == "" || !strings.ContainsRune(`/"?#`, rune(after[0])) {
				// Another alliance whose slug starts the same way.
				b.WriteString(pre[0])
				rest = after
				continue
			}
			b.WriteString(pre[1])
			if after[0] == '/' {
				after = after[1:]
			}
			rest = after
		}
		html = b.String()
	}
	return html
}

// shortPath is a path into the alliance as its own host links it.
func shortPath(p, slug string) string {
	return strings.Trim(shorten(`"`+p+`"`, slug), `"`)
}

// brand is an alliance's look on the pages of the view.
type brand struct {
	Slug    string
	Name    string
	OwnHost bool // the page was asked for on the alliance's own host name
	Logo    string
	CSS     string
	Footer  []string
}

// setBrand gives the view the look of the alliance its page belongs to, or
// of the host's alliance.
func (v *view) setBrand(r *http.Request) {
	own, onHost := hostSite(r)
	slug := r.PathValue("slug")
	if slug == "" && onHost {
		slug = own.Slug
	}
	if slug == "" {
		return
	}
	_, bySlug, err := v.s.db.HostedSites(r.Context())
	if err != nil {
		return
	}
	h, ok := bySlug[slug]
	if !ok {
		return
	}
	b := &brand{Slug: h.Slug, Name: h.Name(v.Lang), OwnHost: onHost && own.Slug == slug}
	if h.Site.LogoType != "" {
		b.Logo = Path(v.Lang, "site_logo", h.Slug) + "?v=" + h.Site.LogoHash
	}
	if h.Site.Colour != "" || h.Site.LinkColour != "" {
		b.CSS = Path(v.Lang, "site_css", h.Slug) + "?v=" + themeVersion(h.Site)
	}
	if f := h.Site.Footer(v.Lang); f != "" {
		b.Footer = paragraphs(f)
	}
	if b.Logo == "" && b.CSS == "" && b.Footer == nil && !b.OwnHost {
		return
	}
	v.Brand = b
}

func themeVersion(s samrad.Site) string {
	h := sha256.Sum256([]byte(s.Colour + " " + s.LinkColour))
	return hex.EncodeToString(h[:6])
}

// themeCSS is an alliance's colours as a stylesheet: the page's CSP allows
// no inline style. Only colours as stored (#rrggbb) are written.
func themeCSS(s samrad.Site) string {
	var b strings.Builder
	if c := s.Colour; samrad.ValidColour(c) {
		t := s.HeaderText()
		fmt.Fprintf(&b, ".site-header { background: %s; color: %s; }\n", c, t)
		fmt.Fprintf(&b, ".site-header :focus-visible { outline-color: %s; box-shadow: 0 0 0 var(--samrad-focus-width) %s; }\n", t, c)
	}
	if c := s.LinkColour; samrad.ValidColour(c) {
		fmt.Fprintf(&b, "main a:not(.ds-button), .site-footer a { color: %s; }\n", c)
	}
	return b.String()
}

func (s *Server) siteOf(r *http.Request) (store.HostedSite, error) {
	_, bySlug, err := s.db.HostedSites(r.Context())
	if err != nil {
		return store.HostedSite{}, err
	}
	h, ok := bySlug[r.PathValue("slug")]
	if !ok {
		return h, samrad.Errorf(samrad.ENOTFOUND, "no site settings for %q", r.PathValue("slug"))
	}
	return h, nil
}

func (s *Server) handleSiteCSS(w http.ResponseWriter, r *http.Request, v *view) error {
	h, err := s.siteOf(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("v") == themeVersion(h.Site) {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	_, err = io.WriteString(w, themeCSS(h.Site))
	return err
}

func (s *Server) handleSiteLogo(w http.ResponseWriter, r *http.Request, v *view) error {
	h, err := s.siteOf(r)
	if err != nil {
		return err
	}
	data, typ, err := s.db.SiteLogo(r.Context(), h.Site.AllianceID)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("v") == h.Site.LogoHash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	w.Header().Set("Content-Type", typ)
	_, err = w.Write(data)
	return err
}

type siteData struct {
	Alliance samrad.Alliance
	Site     samrad.Site
	Forms    forms
	Contrast string // the header's contrast, e.g. "8.6:1"
}

func (s *Server) handleSiteForm(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.sitePage(w, r, v, http.StatusOK, nil)
}

func (s *Server) sitePage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if err := s.requireRole(v, a, samrad.RoleSecretariat); err != nil {
		return err
	}
	site, err := s.db.Site(ctx, a.ID)
	if err != nil {
		return err
	}
	d := siteData{Alliance: a, Site: site, Forms: fs}
	if site.Colour != "" {
		d.Contrast = fmt.Sprintf("%.1f:1", samrad.Contrast(site.Colour, site.HeaderText()))
	}
	v.Title = s.cat.T(v.Lang, "site_title")
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), v.Title, "")
	v.Data = d
	s.render(w, status, "site", v)
	return nil
}

// handleSaveSite stores the secretariat's colours, footer and logo. The
// host name is not in the form: the operator sets it (samrad site host).
func (s *Server) handleSaveSite(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.uploadAction(w, r, v, samrad.MaxLogoBytes)
	if err != nil {
		return err
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	f := newForm("site", r)
	site, err := s.db.Site(ctx, a.ID)
	if err != nil {
		return err
	}
	site.Colour, site.LinkColour = f.Get("colour"), f.Get("link_colour")
	site.FooterNB, site.FooterEN = f.Get("footer_nb"), f.Get("footer_en")
	site.Logo = nil
	if file, _, ferr := r.FormFile("logo"); ferr == nil {
		data, rerr := io.ReadAll(io.LimitReader(file, samrad.MaxLogoBytes+1))
		file.Close()
		if rerr != nil {
			return rerr
		}
		switch format, perr := picture.Sniff(data); {
		case len(data) > samrad.MaxLogoBytes:
			f.Errors["logo"] = s.cat.T(v.Lang, "site_logo_too_large", samrad.MaxLogoBytes>>10)
		case perr != nil:
			f.Errors["logo"] = s.cat.T(v.Lang, "site_logo_not_picture")
		default:
			if _, cerr := picture.Check(data); cerr != nil {
				f.Errors["logo"] = s.cat.T(v.Lang, "site_logo_not_picture")
				break
			}
			site.Logo, site.LogoType = data, "image/"+string(format)
		}
	}
	if len(f.Errors) == 0 {
		err = s.db.SaveSite(ctx, &site, f.Get("drop_logo") == "1")
	}
	return settle(w, r, f, err, "colour", Path(v.Lang, "site_edit", a.Slug),
		func(status int, fs forms) error { return s.sitePage(w, r, v, status, fs) })
}
