package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// TestProgrammePageAndProgress reads the demo's action programme 2017 as
// a visitor and follows a measure up as the secretariat.
func TestProgrammePageAndProgress(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		const page = "/allianser/osloregionen/handlingsprogram/2017"
		code, body := newBrowser(t, ts.URL).get(page)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d", page, code)
		}
		for _, want := range []string{"Handlingsprogram 2017", "Osloregionen skal være en konkurransedyktig og bærekraftig region i Europa.",
			"Roller og arbeidsformer", "1.1 Påvirkning av og dialog med statlige myndigheter om nasjonale rammebetingelser",
			"5.2 BEST 2017/2018", "16.02.2017", "Tidsramme", "Ansvar/organisering", "Jfr. for øvrig"} {
			if !strings.Contains(body, want) {
				t.Errorf("the programme page has no %q", want)
			}
		}
		if strings.Contains(body, "Oppfølging") || strings.Contains(body, `name="csrf"`) {
			t.Error("a visitor sees the follow-up or its forms")
		}
		if code, _ := newBrowser(t, ts.URL).get("/en/alliances/osloregionen/action-programme/2017"); code != http.StatusOK {
			t.Errorf("English page: %d", code)
		}
		if code, _ := newBrowser(t, ts.URL).get("/allianser/osloregionen/handlingsprogram/2031"); code != http.StatusNotFound {
			t.Errorf("a year without a programme: %d", code)
		}

		or, _ := db.AllianceBySlug(ctx, "osloregionen")
		if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", or.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		sec := newBrowser(t, ts.URL)
		sec.login("s@example.no", "et langt passord her")
		_, body = sec.get(page)
		token := sec.csrf(body)
		if !strings.Contains(body, "Tiltak på etterskudd") || !strings.Contains(body, "1.2 Avklare innhold") {
			t.Error("the follow-up does not list 1.2 (2017-18) as late")
		}
		p, _ := db.Programme(ctx, or.ID, 2017)
		m12 := p.Sections[0].Measures[1]
		action := page + "/tiltak/" + itoa(m12.ID) + "/fremdrift"
		post := func(form url.Values) (int, string) {
			form.Set("csrf", token)
			resp, body := sec.post(action, form)
			return resp.StatusCode, body
		}
		if code, body := post(url.Values{"on": {"1.3.2017"}, "text": {"Forprosjekt startet."}}); code != http.StatusBadRequest ||
			!strings.Contains(body, "on-"+itoa(m12.ID)+"-error") || !strings.Contains(body, "Forprosjekt startet.") {
			t.Errorf("note with a bad date: %d", code)
		}
		if code, _ := post(url.Values{"on": {"2017-03-01"}, "text": {"Forprosjekt startet."}, "status": {"ongoing"}}); code != http.StatusSeeOther {
			t.Errorf("note: %d", code)
		}
		if code, _ := post(url.Values{"on": {"2018-12-15"}, "text": {"Avsluttet."}, "status": {"cancelled"}}); code != http.StatusSeeOther {
			t.Errorf("cancel: %d", code)
		}
		if code, body := post(url.Values{"on": {"2019-01-15"}, "text": {"Ny aktivitet."}}); code != http.StatusConflict || !strings.Contains(body, "Ny aktivitet.") {
			t.Errorf("note on a cancelled measure: %d, want 409 with the text kept", code)
		}
		p, _ = db.Programme(ctx, or.ID, 2017)
		if m := p.Sections[0].Measures[1]; m.Status != samrad.MeasureCancelled || len(m.Notes) != 2 {
			t.Errorf("1.2 = %s with %d notes", m.Status, len(m.Notes))
		}
		_, body = newBrowser(t, ts.URL).get(page)
		if !strings.Contains(body, "Avlyst") || !strings.Contains(body, "Forprosjekt startet.") {
			t.Error("the public page does not show the new status and notes")
		}
		// Measure 1.1 is carried out by the board's case 47/16.
		m11 := p.Sections[0].Measures[0]
		link := page + "/tiltak/" + itoa(m11.ID) + "/saker"
		if code, body := post2(sec, token, link, url.Values{"case": {"99/2016"}}); code != http.StatusBadRequest || !strings.Contains(body, `id="case-`+itoa(m11.ID)+`-error"`) || !strings.Contains(body, "99/2016") {
			t.Errorf("an unknown case: %d", code)
		}
		if code, _ := post2(sec, token, link, url.Values{"case": {"47/16"}}); code != http.StatusSeeOther {
			t.Errorf("link case 47/16: %d", code)
		}
		_, body = newBrowser(t, ts.URL).get(page)
		if !strings.Contains(body, "Gjennomføres i sak") || !strings.Contains(body, "/allianser/osloregionen/saker/2016/47") {
			t.Error("the programme does not show 1.1's case")
		}
		code, body = newBrowser(t, ts.URL).get(page + "/statusrapport")
		if code != http.StatusOK || !strings.Contains(body, "Statusrapport for handlingsprogram 2017") || !strings.Contains(body, "Avsluttet.") {
			t.Errorf("the status report: %d", code)
		}
	})
}

func post2(b *browser, token, path string, form url.Values) (int, string) {
	form.Set("csrf", token)
	resp, body := b.post(path, form)
	return resp.StatusCode, body
}
