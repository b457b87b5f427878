package web

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// The sitemap lists the public pages for search engines, each in Norwegian
// with its English version as an alternate (hreflang); robots.txt points
// to it and keeps crawlers out of forms and downloads.

type sitemapURLSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc        string        `xml:"loc"`
	Alternates []sitemapLink `xml:"xhtml:link"`
}

type sitemapLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "User-agent: *\nDisallow: /logg-inn\nDisallow: /en/login\nDisallow: /oparl/\nDisallow: /*.csv$\nDisallow: /*.xlsx$\nDisallow: /*.pdf$\n\nSitemap: %s/sitemap.xml\n", s.publicBase(r))
}

// handleSitemap lists the public pages of every alliance.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	base := s.publicBase(r)
	set := sitemapURLSet{XHTML: "http://www.w3.org/1999/xhtml"}
	// On an alliance's own host name the sitemap lists that alliance's pages,
	// by their short paths.
	own, onHost := hostSite(r)
	add := func(name string, args ...string) {
		nb, en := Path("nb", name, args...), Path("en", name, args...)
		if onHost {
			nb, en = shortPath(nb, own.Slug), shortPath(en, own.Slug)
		}
		nb, en = base+nb, base+en
		set.URLs = append(set.URLs, sitemapURL{Loc: nb, Alternates: []sitemapLink{
			{Rel: "alternate", Hreflang: "nb", Href: nb}, {Rel: "alternate", Hreflang: "en", Href: en}}})
	}
	if !onHost {
		add("home")
		add("orgs")
	}
	add("accessibility")
	alliances, err := s.db.Alliances(ctx)
	if err != nil {
		return err
	}
	for _, a := range alliances {
		if onHost && a.Slug != own.Slug {
			continue
		}
		for _, name := range []string{"alliance", "about", "members", "cases", "news", "events", "net_list", "documents", "contact"} {
			add(name, a.Slug)
		}
		bodies, err := s.db.Bodies(ctx, a.ID)
		if err != nil {
			return err
		}
		for _, b := range bodies {
			add("body", a.Slug, b.Slug)
		}
		meetings, err := s.db.AllianceMeetings(ctx, a.ID)
		if err != nil {
			return err
		}
		for _, m := range meetings {
			if m.Public() {
				add("meeting", a.Slug, strconv.FormatInt(m.ID, 10))
			}
		}
		cases, err := s.db.Cases(ctx, a.ID)
		if err != nil {
			return err
		}
		for _, c := range cases {
			add("case", a.Slug, strconv.Itoa(c.Year), strconv.Itoa(c.Number))
		}
		events, err := s.db.Events(ctx, a.ID, false)
		if err != nil {
			return err
		}
		for _, e := range events {
			add("event", a.Slug, e.Slug)
		}
		articles, err := s.db.Articles(ctx, a.ID, time.Now(), 10000)
		if err != nil {
			return err
		}
		for _, art := range articles {
			add("article", a.Slug, fmt.Sprintf("%d-%s", art.ID, art.Slug))
		}
		networks, err := s.db.Networks(ctx, a.ID, false)
		if err != nil {
			return err
		}
		for _, n := range networks {
			add("net_page", a.Slug, n.Slug)
		}
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	if _, err := fmt.Fprint(w, xml.Header); err != nil {
		return err
	}
	return xml.NewEncoder(w).Encode(set)
}
