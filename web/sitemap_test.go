package web_test

import (
	"encoding/xml"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/samrad/samrad/internal/testdb"
)

// Every page the sitemap lists answers 200 to a visitor, in both
// languages, and robots.txt points to the sitemap.
func TestSitemapListsLivePages(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	ts := httptest.NewServer(demoServer(t, db))
	defer ts.Close()
	c := ts.Client()
	get := func(u string) (int, string) {
		resp, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, robots := get(ts.URL + "/robots.txt")
	if status != 200 || !strings.Contains(robots, "Sitemap: "+ts.URL+"/sitemap.xml") {
		t.Fatalf("robots.txt: %d %q", status, robots)
	}
	status, body := get(ts.URL + "/sitemap.xml")
	if status != 200 {
		t.Fatalf("sitemap: %d", status)
	}
	var set struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Hreflang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(body), &set); err != nil {
		t.Fatal(err)
	}
	if len(set.URLs) < 30 {
		t.Fatalf("the sitemap lists %d pages", len(set.URLs))
	}
	want := map[string]bool{ts.URL + "/allianser/vestregionen/saker/2017/24": false, ts.URL + "/allianser/ore/om": false, ts.URL + "/allianser/ore/dokumenter": false, ts.URL + "/allianser/ore/kontakt": false, ts.URL + "/tilgjengelighet": false, ts.URL + "/allianser/ore/organer/styret": false}
	for _, u := range set.URLs {
		if _, ok := want[u.Loc]; ok {
			want[u.Loc] = true
		}
		if len(u.Links) != 2 || u.Links[0].Href != u.Loc || u.Links[1].Hreflang != "en" || !strings.Contains(u.Links[1].Href, "/en/") {
			t.Errorf("%s: alternates %+v", u.Loc, u.Links)
		}
		for _, l := range u.Links {
			if status, _ := get(l.Href); status != 200 {
				t.Errorf("%s (%s) answers %d", l.Href, l.Hreflang, status)
			}
		}
	}
	for u, found := range want {
		if !found {
			t.Errorf("the sitemap lacks %s", u)
		}
	}
}
