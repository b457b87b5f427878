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

// TestYearlyCycle reads Osloregionen's cycle and records, as the
// secretariat, which meeting and case set the fee in 2016.
func TestYearlyCycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		const page = "/allianser/osloregionen/arshjul"
		code, body := newBrowser(t, ts.URL).get(page)
		if code != http.StatusOK || !strings.Contains(body, "Styret vedtar handlingsprogram og budsjett") || !strings.Contains(body, "november–desember") ||
			!strings.Contains(body, "Neste steg") || !strings.Contains(body, "2016:") {
			t.Fatalf("the cycle page: %d", code)
		}
		or, _ := db.AllianceBySlug(ctx, "osloregionen")
		if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", or.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		sec := newBrowser(t, ts.URL)
		sec.login("s@example.no", "et langt passord her")
		_, body = sec.get(page)
		token := sec.csrf(body)
		steps, _ := db.CycleSteps(ctx, or.ID)
		var fee samrad.CycleStep
		for _, s := range steps {
			if s.Kind == samrad.CycleFee {
				fee = s
			}
		}
		action := page + "/steg/" + itoa(fee.ID) + "/gjennomfort"
		if code, body := post2(sec, token, action, url.Values{"year": {"2016"}, "case": {"x/16"}}); code != http.StatusBadRequest || !strings.Contains(body, `id="rec-case-`+itoa(fee.ID)+`-error"`) {
			t.Errorf("a bad case number: %d", code)
		}
		if code, _ := post2(sec, token, action, url.Values{"year": {"2016"}, "case": {"47/16"}, "done_on": {"2016-05-20"}}); code != http.StatusSeeOther {
			t.Fatalf("record: %d", code)
		}
		if code, _ := post2(sec, token, page+"/steg", url.Values{"kind": {"other"}, "title_nb": {"Sommeravslutning"}, "month": {"6"}, "last_month": {"5"}}); code != http.StatusBadRequest {
			t.Errorf("a step ending before it starts: %d", code)
		}
		_, body = newBrowser(t, ts.URL).get(page)
		if !strings.Contains(body, "/allianser/osloregionen/saker/2016/47") {
			t.Error("the fee step does not link case 47/16")
		}
	})
}
