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

// TestMembersInput follows an input from a member's officer to the
// measure it led to, and back to the member.
func TestMembersInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		or, _ := db.AllianceBySlug(ctx, "osloregionen")
		const page = "/allianser/osloregionen/innspill/2017"
		if code, _ := newBrowser(t, ts.URL).get(page); code != http.StatusNotFound {
			t.Errorf("input as a visitor: %d, want 404", code)
		}
		for _, u := range []struct {
			email string
			role  samrad.Role
		}{{"kontakt@example.no", samrad.RoleMemberContact}, {"s@example.no", samrad.RoleSecretariat}} {
			if _, err := db.CreateUser(ctx, u.email, "Kari Kontakt", "et langt passord her", or.ID, u.role, fastHash); err != nil {
				t.Fatal(err)
			}
		}
		contact := newBrowser(t, ts.URL)
		contact.login("kontakt@example.no", "et langt passord her")
		_, body := contact.get(page)
		token := contact.csrf(body)
		members, _ := db.MembersOn(ctx, or.ID, samrad.Today(), false)
		oslo := members[0].Org
		if code, body := post2(contact, token, page+"/nytt", url.Values{"org": {itoa(oslo.ID)}, "title": {""}, "text": {"Ta med godstransport."}}); code != http.StatusBadRequest ||
			!strings.Contains(body, `id="input-title-error"`) || !strings.Contains(body, "Ta med godstransport.") {
			t.Errorf("input without a title: %d", code)
		}
		if code, _ := post2(contact, token, page+"/nytt", url.Values{"org": {itoa(oslo.ID)}, "title": {"Godstransport"}, "text": {"Ta med godstransport."}}); code != http.StatusSeeOther {
			t.Fatalf("give input: %d", code)
		}
		ins, _ := db.Inputs(ctx, or.ID, 2017)
		if len(ins) != 1 || ins[0].SubmittedBy != "Kari Kontakt" || ins[0].UserID == 0 {
			t.Fatalf("inputs = %+v", ins)
		}
		// The member's officer may not handle it.
		answer := page + "/" + itoa(ins[0].ID) + "/svar"
		if code, _ := post2(contact, token, answer, url.Values{"tags": {"transport"}}); code != http.StatusForbidden {
			t.Errorf("the officer answers: %d, want 403", code)
		}
		sec := newBrowser(t, ts.URL)
		sec.login("s@example.no", "et langt passord her")
		_, body = sec.get(page)
		stoken := sec.csrf(body)
		p, _ := db.Programme(ctx, or.ID, 2017)
		m11 := p.Sections[0].Measures[0]
		if code, _ := post2(sec, stoken, answer, url.Values{"tags": {"Transport, gods , transport"}, "measures": {itoa(m11.ID)}, "response": {"Tatt inn i tiltak 1.1."}}); code != http.StatusSeeOther {
			t.Fatalf("answer: %d", code)
		}
		ins, _ = db.Inputs(ctx, or.ID, 2017)
		if strings.Join(ins[0].Tags, "|") != "transport|gods" || len(ins[0].MeasureIDs) != 1 || ins[0].MeasureIDs[0] != m11.ID {
			t.Errorf("after the answer: %+v", ins[0])
		}
		_, body = contact.get(page)
		if !strings.Contains(body, "Førte til") || !strings.Contains(body, "#tiltak-"+itoa(m11.ID)) || !strings.Contains(body, "Tatt inn i tiltak 1.1.") {
			t.Error("the member does not see what became of the input")
		}
	})
}
