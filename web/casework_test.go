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

// TestCaseThroughBoardAndCouncil takes one case from the board to the
// council in the browser: the council's meeting puts the numbered case on
// its agenda by number, each body records its decision, the secretariat
// edits and finally withdraws another case, and a board seat ends.
func TestCaseThroughBoardAndCouncil(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		vr, _ := db.AllianceBySlug(ctx, "vestregionen")
		if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", vr.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		sec := newBrowser(t, ts.URL)
		sec.login("s@example.no", "et langt passord her")
		_, page := sec.get("/allianser/vestregionen/organer/styringsgruppen")
		token := sec.csrf(page)
		call := func(body, date string) string {
			t.Helper()
			resp, page := sec.post("/allianser/vestregionen/organer/"+body+"/moter", url.Values{"csrf": {token}, "number": {"7"}, "date": {date}, "start": {"09:00"}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("call a meeting of %s: %d %.300s", body, resp.StatusCode, page)
			}
			return resp.Header.Get("Location")
		}
		steering, assembly := call("styringsgruppen", "2018-03-01"), call("generalforsamlingen", "2018-04-20")
		post := func(path string, form url.Values) (int, string) {
			t.Helper()
			form.Set("csrf", token)
			resp, body := sec.post(path, form)
			return resp.StatusCode, body
		}
		if code, _ := post(steering+"/saker", url.Values{"title": {"Strategi 2019–2022"}, "type": {"decision"}}); code != http.StatusSeeOther {
			t.Fatalf("new case: %d", code)
		}
		c, err := db.CaseByNumber(ctx, vr.ID, 2018, 1)
		if err != nil {
			t.Fatal(err)
		}
		// Bad input: an unknown number, and text that is no number, keep
		// what was typed and add nothing.
		for _, bad := range []string{"99/2018", "strategien"} {
			code, body := post(assembly+"/saker", url.Values{"existing": {bad}})
			if code != http.StatusBadRequest || !strings.Contains(body, `id="case-existing-error"`) || !strings.Contains(body, `value="`+bad+`"`) {
				t.Errorf("existing case %q: %d", bad, code)
			}
		}
		if code, body := post(assembly+"/saker", url.Values{"existing": {"1/2018"}}); code != http.StatusSeeOther {
			t.Fatalf("existing case on the assembly's agenda: %d %.300s", code, body)
		}
		if code, _ := post(steering+"/vedtak", url.Values{"case": {itoa(c.ID)}, "decision": {"Styringsgruppen anbefaler strategien."}}); code != http.StatusSeeOther {
			t.Fatalf("steering group decision: %d", code)
		}
		if code, _ := post(assembly+"/vedtak", url.Values{"case": {itoa(c.ID)}, "decision": {"Strategien vedtas."}}); code != http.StatusSeeOther {
			t.Fatalf("assembly decision: %d", code)
		}
		_, page = sec.get("/allianser/vestregionen/saker/2018/1")
		for _, want := range []string{"Styringsgruppen anbefaler strategien.", "Strategien vedtas.", "Generalforsamlingen"} {
			if !strings.Contains(page, want) {
				t.Errorf("the case page has no %q", want)
			}
		}
		// A visitor sees neither decision while the minutes are unpublished.
		if _, page := newBrowser(t, ts.URL).get("/allianser/vestregionen/saker/2018/1"); strings.Contains(page, "Strategien vedtas.") {
			t.Error("an unpublished decision is shown to the public")
		}
		if got, _ := db.CaseByNumber(ctx, vr.ID, 2018, 1); got.Decision != "Strategien vedtas." {
			t.Errorf("the case's decision = %q, want the assembly's", got.Decision)
		}
		// Edit: a rejected edit keeps the typed text; a good one saves.
		code, body := post("/allianser/vestregionen/saker/2018/1/endre", url.Values{"title": {""}, "type": {"decision"}, "presentation": {"Utkast til strategi."}})
		if code != http.StatusBadRequest || !strings.Contains(body, `id="edit-title-error"`) || !strings.Contains(body, "Utkast til strategi.") {
			t.Errorf("edit without title: %d", code)
		}
		if code, _ := post("/allianser/vestregionen/saker/2018/1/endre", url.Values{"title": {"Strategi for Vestregionen 2019–2022"}, "type": {"decision"}}); code != http.StatusSeeOther {
			t.Errorf("edit: %d", code)
		}
		if got, _ := db.CaseByNumber(ctx, vr.ID, 2018, 1); got.Title != "Strategi for Vestregionen 2019–2022" {
			t.Errorf("title after edit = %q", got.Title)
		}
		if code, _ := post("/allianser/vestregionen/saker/2018/1/trekk", url.Values{}); code != http.StatusSeeOther {
			t.Errorf("withdraw: %d", code)
		}
		if code, _ := post("/allianser/vestregionen/saker/2018/1/trekk", url.Values{}); code != http.StatusConflict {
			t.Errorf("withdraw twice: %d, want 409", code)
		}
		// The next case gets the next number; the withdrawn one keeps its own.
		if code, _ := post(steering+"/saker", url.Values{"title": {"Budsjett 2019"}, "type": {"decision"}}); code != http.StatusSeeOther {
			t.Fatalf("new case: %d", code)
		}
		if _, err := db.CaseByNumber(ctx, vr.ID, 2018, 2); err != nil {
			t.Errorf("the case after a withdrawn one: %v", err)
		}
		// End a seat; a bad date is refused and nothing changes.
		if code, body := post("/allianser/vestregionen/organer/styringsgruppen/seter", url.Values{"new_person": {"Kari Nordmann"}, "role": {"member"}, "from": {"2018-01-01"}}); code != http.StatusSeeOther {
			t.Fatalf("add seat: %d %.300s", code, body)
		}
		body2 := mustBody(t, db, vr.ID, "styringsgruppen")
		seats, _ := db.Seats(ctx, body2.ID)
		if len(seats) != 1 {
			t.Fatalf("%d seats, want the one just added", len(seats))
		}
		seatPath := "/allianser/vestregionen/organer/styringsgruppen/seter/" + itoa(seats[0].ID) + "/avslutt"
		if code, body := post(seatPath, url.Values{"to": {"31.12.2018"}}); code != http.StatusBadRequest || !strings.Contains(body, "seat-end-"+itoa(seats[0].ID)+"-error") {
			t.Errorf("end seat with a bad date: %d", code)
		}
		if code, _ := post(seatPath, url.Values{"to": {"2018-12-31"}}); code != http.StatusSeeOther {
			t.Errorf("end seat: %d", code)
		}
		seats, _ = db.Seats(ctx, body2.ID)
		if seats[0].To.String() != "2018-12-31" {
			t.Errorf("seat ends %s, want 2018-12-31", seats[0].To)
		}
	})
}

// TestSetUpBodyAndRotation sets up a body and a rotating chair in the
// browser, with the bad input the secretariat will type.
func TestSetUpBodyAndRotation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		vr, _ := db.AllianceBySlug(ctx, "vestregionen")
		if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", vr.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		sec := newBrowser(t, ts.URL)
		sec.login("s@example.no", "et langt passord her")
		_, page := sec.get("/allianser/vestregionen")
		token := sec.csrf(page)
		post := func(path string, form url.Values) (*http.Response, string) {
			t.Helper()
			form.Set("csrf", token)
			return sec.post(path, form)
		}
		bodyForm := url.Values{"name_nb": {""}, "kind": {"expert_group"}, "parent": {"radmannsgruppen"}, "mandate": {"Følge opp BPA-avtalen."}, "voting": {""}}
		resp, body := post("/allianser/vestregionen/organer", bodyForm)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="body-name-nb-error"`) || !strings.Contains(body, "Følge opp BPA-avtalen.") {
			t.Errorf("body without a name: %d", resp.StatusCode)
		}
		bodyForm.Set("name_nb", "Faggruppe for BPA")
		resp, _ = post("/allianser/vestregionen/organer", bodyForm)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/allianser/vestregionen/organer/faggruppe-for-bpa" {
			t.Fatalf("set up body: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		b, err := db.BodyBySlug(ctx, vr.ID, "faggruppe-for-bpa")
		if err != nil || b.ParentID == 0 || b.Kind != samrad.BodyExpertGroup {
			t.Errorf("stored body = %+v, %v", b, err)
		}
		if resp, _ := post("/allianser/vestregionen/organer", bodyForm); resp.StatusCode != http.StatusConflict {
			t.Errorf("the same body again: %d, want 409", resp.StatusCode)
		}
		bodyForm.Set("parent", "finnes-ikke")
		bodyForm.Set("slug", "annen")
		if resp, body := post("/allianser/vestregionen/organer", bodyForm); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="body-parent-error"`) {
			t.Errorf("unknown parent: %d", resp.StatusCode)
		}
		// The rotating chair: Bærum from July 2017 to the end of 2018 is in
		// the demo; an overlapping period for another member is refused.
		reg, _ := db.Registry(ctx)
		asker, _ := reg.AtDate("0220", samrad.MustDate("2018-01-01"))
		rot := url.Values{"duty": {"leadership"}, "org": {itoa(asker.ID)}, "from": {"2018-06-01"}, "to": {"2019-12-31"}}
		rots, _ := db.Rotations(ctx, vr.ID)
		if resp, body := post("/allianser/vestregionen/rotasjon", rot); resp.StatusCode != http.StatusConflict {
			t.Errorf("overlapping rotation: %d (demo rotations %+v) %.300s", resp.StatusCode, rots, body)
		}
		rot.Set("from", "1.1.2019")
		if resp, body := post("/allianser/vestregionen/rotasjon", rot); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="rot-from-error"`) {
			t.Errorf("bad date: %d", resp.StatusCode)
		}
		rot.Set("from", "2019-01-01")
		if resp, _ := post("/allianser/vestregionen/rotasjon", rot); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("rotation: %d", resp.StatusCode)
		}
		if after, _ := db.Rotations(ctx, vr.ID); len(after) != len(rots)+1 {
			t.Errorf("%d rotations, want %d", len(after), len(rots)+1)
		}
	})
}
