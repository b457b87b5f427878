package web_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// getHost asks the server for path as if the browser had come to host.
func getHost(t *testing.T, ts *httptest.Server, host, path string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestOwnHostNames serves each demo alliance under its own host name: the
// short paths reach the alliance's pages in both languages, its pages link
// with short paths, the instance's own pages stay reachable, and a cached
// page for one host is never served to another.
func TestOwnHostNames(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		const vest = "vestregionen.localhost"
		for _, c := range []struct {
			host, path string
			status     int
			contains   []string
			absent     []string
		}{
			{vest, "/", 200, []string{"<h1>Vestregionen</h1>", `href="/medlemmer"`, `href="/saker"`, `hreflang="en" href="/en/"`, "<title>Vestregionen</title>",
				"Vestregionen ble etablert i 1992", `href="/tema.css?v=`}, []string{`href="/allianser/vestregionen/`, `"/allianser/vestregionen"`}},
			{vest + ":8080", "/en/", 200, []string{`<html lang="en">`, `href="/en/members"`, "Vestregionen was founded in 1992"}, []string{"/en/alliances/vestregionen/members"}},
			{vest, "/saker/2017/24", 200, []string{"Vedlegg til diskusjonsnotat", `hreflang="en" href="/en/cases/2017/24"`}, nil},
			{vest, "/medlemmer?dato=2017-06-01", 200, []string{"Asker", `href="/medlemmer.csv?dato=2017-06-01"`}, nil},
			{vest, "/sok?q=kommunene", 200, []string{`aria-current="page"`}, nil},
			// The instance's own pages, and other alliances by their long paths.
			{vest, "/organisasjoner/3025", 200, []string{"Asker"}, nil},
			{vest, "/tilgjengelighet", 200, []string{"Tilgjengelighetserklæring"}, nil},
			{vest, "/allianser/ore", 200, []string{"Osloregionens Europakontor"}, nil},
			{vest, "/finnes/ikke", 404, []string{"Fant ikke siden"}, nil},
			// The same paths on the instance's host are the instance's.
			{"127.0.0.1", "/", 200, []string{`href="/allianser/vestregionen"`, "<title>Samarbeidsallianser – Samråd</title>"}, []string{"Vestregionen ble etablert"}},
			{"unknown.example", "/", 200, []string{`href="/allianser/vestregionen"`}, nil},
			{"127.0.0.1", "/medlemmer", 404, nil, nil},
		} {
			status, _, body := getHost(t, ts, c.host, c.path)
			if status != c.status {
				t.Errorf("%s%s: status %d, want %d", c.host, c.path, status, c.status)
				continue
			}
			for _, s := range c.contains {
				if !strings.Contains(body, s) {
					t.Errorf("%s%s: no %q", c.host, c.path, s)
				}
			}
			for _, s := range c.absent {
				if strings.Contains(body, s) {
					t.Errorf("%s%s: has %q", c.host, c.path, s)
				}
			}
		}

		// The sitemap of an own host lists its alliance only, by short paths.
		_, _, sm := getHost(t, ts, vest, "/sitemap.xml")
		var set struct {
			URLs []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal([]byte(sm), &set); err != nil {
			t.Fatal(err)
		}
		locs := map[string]bool{}
		for _, u := range set.URLs {
			locs[u.Loc] = true
			if !strings.HasPrefix(u.Loc, "http://"+vest+"/") || strings.Contains(u.Loc, "/allianser/") {
				t.Errorf("sitemap of %s lists %s", vest, u.Loc)
			}
		}
		for _, want := range []string{"http://" + vest + "/saker/2017/24", "http://" + vest + "/medlemmer"} {
			if !locs[want] {
				t.Errorf("sitemap of %s lacks %s (%d pages)", vest, want, len(set.URLs))
			}
		}
		// Every page the sitemap lists answers on the host.
		for loc := range locs {
			if status, _, _ := getHost(t, ts, vest, strings.TrimPrefix(loc, "http://"+vest)); status != 200 {
				t.Errorf("%s: %d", loc, status)
			}
		}

		// The theme is a stylesheet of the stored colours.
		_, h, css := getHost(t, ts, "127.0.0.1", "/allianser/vestregionen/tema.css")
		if !strings.Contains(css, ".site-header { background: #6b2c5f; color: #ffffff; }") || !strings.HasPrefix(h.Get("Content-Type"), "text/css") {
			t.Errorf("theme: %q %q", h.Get("Content-Type"), css)
		}
	})
}

// tinyPNG is a 4×2 picture.
func tinyPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 2))
	for x := range 4 {
		img.Set(x, 0, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// postSite sends the website form with an optional logo.
func postSite(t *testing.T, b *browser, slug, csrf string, fields map[string]string, logo []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("csrf", csrf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if logo != nil {
		fw, _ := w.CreateFormFile("logo", "logo.png")
		_, _ = fw.Write(logo)
	}
	_ = w.Close()
	resp, err := b.c.Post(b.base+"/allianser/"+slug+"/nettsted", w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page)
}

// TestSiteForm: the secretariat sets colours, footer and logo; bad input
// comes back by its field and changes nothing; others may not.
func TestSiteForm(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		staff := staffBrowser(t, ctx, db, ts.URL, "sek@ore.example", "ore", samrad.RoleSecretariat)
		reader := staffBrowser(t, ctx, db, ts.URL, "les@ore.example", "ore", samrad.RoleReader)
		anon := newBrowser(t, ts.URL)
		ore, _ := db.AllianceBySlug(ctx, "ore")

		if code, _ := anon.get("/allianser/ore/nettsted"); code != http.StatusUnauthorized {
			t.Errorf("visitor sees the form: %d", code)
		}
		if code, _ := reader.get("/allianser/ore/nettsted"); code != http.StatusForbidden {
			t.Errorf("reader sees the form: %d", code)
		}
		code, page := staff.get("/allianser/ore/nettsted")
		if code != 200 || !strings.Contains(page, "ore.localhost") || !strings.Contains(page, "#1d4e89") {
			t.Fatalf("form: %d\n%s", code, page)
		}
		csrf := staff.csrf(page)

		before, _ := db.Site(ctx, ore.ID)
		for _, bad := range []struct {
			fields map[string]string
			logo   []byte
			want   string
		}{
			{map[string]string{"colour": "blue"}, nil, "#rrggbb"},
			{map[string]string{"colour": "#1d4e89", "link_colour": "#999999"}, nil, "contrast of 2.8:1"},
			{map[string]string{"colour": "#1d4e89"}, []byte("GIF89a not a logo"), "PNG- eller JPEG"},
		} {
			code, page := postSite(t, staff, "ore", csrf, bad.fields, bad.logo)
			if code != http.StatusBadRequest || !strings.Contains(page, bad.want) || !strings.Contains(page, `aria-invalid="true"`) {
				t.Errorf("%v: %d, want 400 with %q", bad.fields, code, bad.want)
			}
		}
		if after, _ := db.Site(ctx, ore.ID); after.String() != before.String() || after.FooterNB != before.FooterNB {
			t.Errorf("a refused form changed the site: %+v → %+v", before, after)
		}

		logo := tinyPNG(t)
		code, _ = postSite(t, staff, "ore", csrf, map[string]string{"colour": "#FFD700", "link_colour": "#1d4e89", "footer_nb": "Rue du Luxembourg 3, Brussel", "footer_en": "Rue du Luxembourg 3, Brussels"}, logo)
		if code != http.StatusSeeOther {
			t.Fatalf("save: %d", code)
		}
		s, _ := db.Site(ctx, ore.ID)
		if s.Colour != "#ffd700" || s.HeaderText() != "#000000" || s.LogoType != "image/png" || s.Host != "ore.localhost" {
			t.Fatalf("stored: %+v", s)
		}
		code, page = anon.get("/en/alliances/ore")
		if code != 200 || !strings.Contains(page, `<img class="site-header__logo" src="/en/alliances/ore/logo?v=`+s.LogoHash+`" alt="">`) || !strings.Contains(page, "Rue du Luxembourg 3, Brussels") {
			t.Errorf("the alliance page does not show the logo and footer:\n%s", page)
		}
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/allianser/ore/logo?v="+s.LogoHash, nil)
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !bytes.Equal(got, logo) || resp.Header.Get("Content-Type") != "image/png" || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("logo: %s %q, %d bytes", resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"), len(got))
		}
		_, css := anon.get("/allianser/ore/tema.css")
		if !strings.Contains(css, "background: #ffd700; color: #000000;") {
			t.Errorf("theme after the change: %q", css)
		}

		// Saving again without a file keeps the logo; dropping removes it.
		postSite(t, staff, "ore", csrf, map[string]string{"colour": "#1d4e89"}, nil)
		if s, _ := db.Site(ctx, ore.ID); s.LogoType != "image/png" {
			t.Errorf("the logo went when no file was sent: %+v", s)
		}
		postSite(t, staff, "ore", csrf, map[string]string{"colour": "#1d4e89", "drop_logo": "1"}, nil)
		if s, _ := db.Site(ctx, ore.ID); s.LogoType != "" {
			t.Errorf("the logo stayed: %+v", s)
		}
		if code, _ := anon.get("/allianser/ore/logo"); code != http.StatusNotFound {
			t.Errorf("logo after removal: %d", code)
		}
		var audited int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'site' AND alliance_id = $1`, ore.ID).Scan(&audited); err != nil || audited < 4 {
			t.Errorf("audit rows for the site: %d (%v)", audited, err)
		}
	})
}
