package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/oparl"
	"github.com/samrad/samrad/store"
)

// TestMalformedRequests sends nonsense to the public pages and the OParl
// API: every malformed parameter is a 400 with the reason, every unknown id
// or slug a 404, as a page in the request's language or an OParl error
// object; never a 500, never a 200. Text typed into the search box is
// searched for, whatever it holds. On both engines.
func TestMalformedRequests(t *testing.T) {
	fts := "%22%2A%20OR%20NEAR%28%20%5E%20%3A%20-"                                                                              // "* OR NEAR( ^ : -
	mixed := "B%C3%A6rum%20%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0%20%E6%9D%B1%E4%BA%AC%20%D8%B9%D8%B1%D8%A8%D9%8A%20%F0%9F%98%80" // Bærum Москва 東京 عربي 😀
	long := strings.Repeat("kontaktgruppen%20", 200)                                                                            // about 3.4 KB, under the URL limit
	huge := strings.Repeat("x", 5*1024)                                                                                         // over the 4 KiB URL limit
	type malformed struct {
		path   string
		status int
		reason string // in the body, for 400
	}
	cases := []malformed{
		// members, fees, the registry
		{"/allianser/ore/medlemmer?dato=2021-02-30", 400, "2021-02-30"},
		{"/allianser/ore/medlemmer?dato=abc", 400, "abc"},
		{"/allianser/ore/medlemmer?dato=-1", 400, "-1"},
		{"/allianser/ore/medlemmer?dato=99999999999999999999", 400, "99999999999999999999"},
		{"/allianser/ore/medlemmer?dato=%00", 400, ""},
		{"/allianser/ore/medlemmer?dato=%FF%FE", 400, ""},
		{"/allianser/ore/medlemmer?dato=2021-01-01%00", 400, ""},
		{"/allianser/ore/medlemmer?dato=" + fts, 400, ""},
		{"/allianser/ore/medlemmer?ventende=kanskje", 400, "kanskje"},
		{"/en/alliances/ore/members?date=tomorrow", 400, "tomorrow"},
		{"/allianser/ore/medlemmer.csv?dato=2021-13-01", 400, "2021-13-01"},
		{"/allianser/nope/medlemmer", 404, ""},
		{"/allianser/osloregionen/kontingent?ar=tjue", 400, "tjue"},
		{"/allianser/osloregionen/kontingent?ar=-2019", 400, "-2019"},
		{"/allianser/osloregionen/kontingent?ar=2019.5", 400, "2019.5"},
		{"/allianser/osloregionen/kontingent?ar=99999999999999999999999", 400, ""},
		{"/allianser/osloregionen/kontingent?ar=%E2%80%8B2019", 400, ""},
		{"/allianser/osloregionen/kontingent.csv?ar=x", 400, ""},
		{"/en/alliances/osloregionen/fees?year=MMXIX", 400, "MMXIX"},
		{"/organisasjoner?dato=2024-13-01", 400, "2024-13-01"},
		{"/organisasjoner?type=planet", 400, "planet"},
		{"/organisasjoner?type=%3Cscript%3E", 400, "&lt;script&gt;"},
		{"/organisasjoner/9898", 404, ""},
		{"/organisasjoner/%00", 404, ""},
		{"/organisasjoner/" + strings.Repeat("9", 300), 404, ""},
		// alliances, bodies, meetings, cases
		{"/allianser/nope", 404, ""},
		{"/allianser/%00", 404, ""},
		{"/allianser/ore/organer/%00", 404, ""},
		{"/allianser/ore/organer/%FF", 404, ""},
		{"/sok?q=x&allianse=%00", 400, "allianse"},
		{"/sok?q=x&allianse=%C3%28", 400, "allianse"},
		{"/allianser/ore/prosjekter?eier=%00", 400, "eier"},
		{"/allianser/ore/medlemmer?%FF=1", 400, ""},
		{"/oparl/v1/body/%00", 404, ""},
		{"/oparl/v1/body/%C3%28/papers", 404, ""},
		{"/oparl/v1/bodies?page=%00", 400, "page"},
		{"/allianser/%C3%28", 404, ""},
		{"/allianser/" + mixed, 404, ""},
		{"/allianser/ore/organer/nope", 404, ""},
		{"/allianser/ore/moter?ar=tjue", 400, "tjue"},
		{"/allianser/ore/moter?ar=99999999999", 400, ""},
		{"/allianser/ore/moter/abc", 404, ""},
		{"/allianser/ore/moter/-1", 404, ""},
		{"/allianser/ore/moter/0", 404, ""},
		{"/allianser/ore/moter/99999999999999999999", 404, ""},
		{"/allianser/ore/moter/999999/innkalling", 404, ""},
		{"/allianser/vestregionen/saker/2017/99", 404, ""},
		{"/allianser/vestregionen/saker/x/24", 404, ""},
		{"/allianser/vestregionen/saker/2017/-1", 404, ""},
		{"/allianser/vestregionen/saker/99999999999999999999/1", 404, ""},
		{"/allianser/vestregionen/dokumenter/abc", 404, ""},
		{"/allianser/vestregionen/dokumenter/999999", 404, ""},
		{"/allianser/ore/handlingsprogram/abc", 404, ""},
		{"/allianser/ore/budsjett/99999999999999999999", 404, ""},
		{"/allianser/ore/arsrapport/-5", 404, ""},
		// news, events
		{"/allianser/ore/nyheter?side=abc", 400, "abc"},
		{"/allianser/ore/nyheter?side=0", 400, ""},
		{"/allianser/ore/nyheter?side=-1", 400, ""},
		{"/allianser/ore/nyheter?side=9223372036854775807", 400, ""},
		{"/allianser/ore/nyheter?side=99999999999999999999", 400, ""},
		{"/allianser/ore/nyheter?side=500", 404, ""},
		{"/en/alliances/ore/news?page=two", 400, "two"},
		{"/allianser/ore/nyheter/abc", 404, ""},
		{"/allianser/ore/nyheter/999999", 404, ""},
		{"/allianser/ore/arrangementer/nope", 404, ""},
		// search
		{"/sok?q=x&side=0", 400, ""},
		{"/sok?q=x&side=abc", 400, "abc"},
		{"/sok?q=x&side=99999999999999999999", 400, ""},
		{"/sok?q=x&ar=20x", 400, "20x"},
		{"/sok?q=x&ar=-2017", 400, ""},
		{"/sok?q=x&type=planet", 400, "planet"},
		{"/sok?q=x&allianse=nope", 400, "nope"},
		{"/allianser/ore/sok?q=x&organ=nope", 400, "nope"},
		{"/allianser/nope/sok?q=x", 404, ""},
		{"/sok?q=" + fts, 200, ""},
		{"/sok?q=" + mixed, 200, ""},
		{"/sok?q=" + long, 200, ""},
		{"/sok?q=%00%FF%FE", 400, "q"},
		{"/sok?q=NEAR%28a%20b%29%20AND%20%2A", 200, ""},
		{"/en/search?q=x&page=-3", 400, ""},
		{"/sok?q=" + huge, 414, ""},
		// projects, services, indicators
		{"/allianser/ore/prosjekter?side=abc", 400, "abc"},
		{"/allianser/ore/prosjekter?status=planet", 400, "planet"},
		{"/allianser/ore/prosjekter?ar=20000", 400, ""},
		{"/allianser/ore/prosjekter?sorter=%3Bdrop", 400, ""},
		{"/allianser/ore/prosjekter/999999", 404, ""},
		{"/allianser/ore/styringsdata/nope", 404, ""},
		// OParl
		{"/oparl/v1/bodies?page=abc", 400, "page"},
		{"/oparl/v1/bodies?page=0", 400, "page"},
		{"/oparl/v1/bodies?page=-1", 400, "page"},
		{"/oparl/v1/bodies?page=99999999999999999999", 400, "page"},
		{"/oparl/v1/bodies?page=50", 404, ""},
		{"/oparl/v1/body/ore/papers?elementsPerPage=abc", 400, "elementsPerPage"},
		{"/oparl/v1/body/ore/papers?elementsPerPage=0", 400, "elementsPerPage"},
		{"/oparl/v1/body/ore/papers?limit=abc", 400, "limit"},
		{"/oparl/v1/body/ore/papers?limit=-5", 400, "limit"},
		{"/oparl/v1/body/ore/papers?created_since=yesterday", 400, "created_since"},
		{"/oparl/v1/body/ore/papers?modified_until=2020-13-01T00:00:00Z", 400, "modified_until"},
		{"/oparl/v1/body/ore/papers?created_since=%00", 400, "created_since"},
		{"/oparl/v1/body/ore/meetings?modified_since=" + fts, 400, "modified_since"},
		{"/oparl/v1/body/nope", 404, ""},
		{"/oparl/v1/body/nope/papers", 404, ""},
		{"/oparl/v1/body/ore/paper/abc", 404, ""},
		{"/oparl/v1/body/ore/paper/-1", 404, ""},
		{"/oparl/v1/body/ore/paper/99999999999999999999", 404, ""},
		{"/oparl/v1/body/ore/agenda-item/1-x", 404, ""},
		{"/oparl/v1/body/ore/file/999999/access", 404, ""},
		{"/oparl/v1/nothing", 404, ""},
		// anything else
		{"/finnes/ikke", 404, ""},
		{"/en/nothing/" + mixed, 404, ""},
	}
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		h := demoServer(t, db)
		for _, c := range cases {
			for _, method := range []string{"GET", "HEAD"} {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(method, c.path, nil))
				resp := rec.Result()
				if resp.StatusCode != c.status {
					t.Errorf("%s %.120s: %d, want %d\n%.300s", method, c.path, resp.StatusCode, c.status, rec.Body.String())
					continue
				}
				if method == "HEAD" {
					continue // the status is that of GET; net/http drops a body
				}
				if c.status == 200 {
					if !strings.Contains(rec.Body.String(), `type="search"`) {
						t.Errorf("%.120s: not the search page", c.path)
					}
					continue
				}
				checkShape(t, c.path, resp, rec.Body.String(), c.status, c.reason)
			}
		}
	})
}

// checkShape checks that an answer is an error page in lang, or an OParl
// error object, with the reason.
func checkShape(t *testing.T, path string, rec *http.Response, body string, status int, reason string) {
	t.Helper()
	ct := rec.Header.Get("Content-Type")
	if strings.HasPrefix(path, "/oparl/") {
		var e oparl.Error
		if !strings.HasPrefix(ct, "application/json") || json.Unmarshal([]byte(body), &e) != nil || e.Type != oparl.TypeError || e.Message == "" {
			t.Errorf("%s: not an OParl error object (%s): %.200s", path, ct, body)
		}
		if reason != "" && !strings.Contains(e.Message, reason) {
			t.Errorf("%s: message %q does not name %q", path, e.Message, reason)
		}
		return
	}
	lang, title := "nb", map[int]string{400: "Ugyldig forespørsel", 404: "Fant ikke siden", 414: "For lang adresse"}[status]
	if strings.HasPrefix(path, "/en/") {
		lang, title = "en", map[int]string{400: "Bad request", 404: "Page not found", 414: "URI too long"}[status]
	}
	if !strings.HasPrefix(ct, "text/html") || !strings.Contains(body, `<html lang="`+lang+`">`) || !strings.Contains(body, title) {
		t.Errorf("%s: not an error page in %s titled %q (%s): %.300s", path, lang, title, ct, body)
	}
	if reason != "" && !strings.Contains(body, reason) {
		t.Errorf("%s: the page does not give the reason %q", path, reason)
	}
}
