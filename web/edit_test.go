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

func TestEditBodySeatsAndMeetings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		ore, _ := db.AllianceBySlug(ctx, "ore")
		if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		sec := newBrowser(t, ts.URL)
		sec.login("s@example.no", "et langt passord her")
		_, page := sec.get("/allianser/ore/organer/styret")
		token := sec.csrf(page)
		reg, _ := db.Registry(ctx)
		oslo, _ := reg.AtDate("0301", samrad.Today())

		// A second chair is refused; the form comes back with its values and the reason.
		resp, body := sec.post("/allianser/ore/organer/styret/seter", url.Values{"csrf": {token}, "new_person": {"Ny Leder"}, "role": {"chair"},
			"represents": {itoa(oslo.ID)}, "from": {"2021-01-01"}})
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "already has a chair") || !strings.Contains(body, `value="Ny Leder"`) {
			t.Errorf("second chair: %d", resp.StatusCode)
		}
		// A bad date is shown next to its field.
		resp, body = sec.post("/allianser/ore/organer/styret/seter", url.Values{"csrf": {token}, "new_person": {"Ny Person"}, "role": {"member"}, "from": {"2021-02-30"}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="seat-from-error"`) || !strings.Contains(body, `aria-invalid="true" aria-describedby="seat-from-error"`) {
			t.Errorf("bad date: %d", resp.StatusCode)
		}
		// A valid seat.
		resp, _ = sec.post("/allianser/ore/organer/styret/seter", url.Values{"csrf": {token}, "new_person": {"Ny Person"}, "new_title": {"varaordfører"},
			"role": {"deputy_member"}, "represents": {itoa(oslo.ID)}, "from": {"2021-01-01"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add seat: %d", resp.StatusCode)
		}
		if _, page = sec.get("/allianser/ore/organer/styret"); !strings.Contains(page, "Ny Person, varaordfører") {
			t.Error("the new seat is not on the page")
		}
		// Meetings: a new one, then the same number again.
		form := url.Values{"csrf": {token}, "number": {"3"}, "date": {"2024-05-30"}, "start": {"10:00"}, "end": {"12:30"}, "place": {"Brussel"}}
		resp, _ = sec.post("/allianser/ore/organer/styret/moter", form)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/allianser/ore/moter/") {
			t.Fatalf("new meeting: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, mpage := sec.get(resp.Header.Get("Location"))
		if !strings.Contains(mpage, "2024-05-30 10:00–12:30") || !strings.Contains(mpage, "Styret, møte 3/2024") {
			t.Error("the meeting page does not show the meeting")
		}
		resp, body = sec.post("/allianser/ore/organer/styret/moter", form)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "meeting 3/2024 of this body already exists") {
			t.Errorf("duplicate meeting number: %d", resp.StatusCode)
		}
		// A planned meeting is not public.
		anon := newBrowser(t, ts.URL)
		if code, _ := anon.get(newestBoardMeeting(t, db, ore.ID)); code != http.StatusNotFound {
			t.Errorf("planned meeting for anonymous: %d, want 404", code)
		}
	})
}

// newestBoardMeeting is the path of the newest meeting of ORE's board.
func newestBoardMeeting(t *testing.T, db *store.DB, allianceID int64) string {
	b, err := db.BodyBySlug(context.Background(), allianceID, "styret")
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := db.Meetings(context.Background(), b.ID)
	return "/allianser/ore/moter/" + itoa(ms[0].ID)
}
