package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// svcBrowser logs in a new user with a role in an alliance.
func svcBrowser(t *testing.T, ctx context.Context, db *store.DB, base, email string, allianceID int64, role samrad.Role) *browser {
	t.Helper()
	if _, err := db.CreateUser(ctx, email, email, "et langt passord her", allianceID, role, fastHash); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, base)
	if resp := b.login(email, "et langt passord her"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %d", email, resp.StatusCode)
	}
	return b
}

func svcCount(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestServiceCatalogue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		ore, _ := db.AllianceBySlug(ctx, "ore")

		anon := newBrowser(t, ts.URL)
		code, body := anon.get("/allianser/ore/tjenester")
		if code != http.StatusOK {
			t.Fatalf("catalogue: %d", code)
		}
		first := strings.Index(body, "Henvendelser til EU/EFTAs institusjoner og organer")
		last := strings.Index(body, "Yte bistand til å knytte internasjonale kontakter")
		if first < 0 || last < first || strings.Contains(body, `name="csrf"`) {
			t.Errorf("catalogue: the six services in order, and no forms for visitors (%d, %d)", first, last)
		}
		if code, body := anon.get("/en/alliances/ore/services"); code != http.StatusOK || !strings.Contains(body, "Contact with the institutions and bodies of the EU and EFTA") ||
			!strings.Contains(body, `href="/allianser/ore/tjenester"`) {
			t.Errorf("English catalogue: %d, or no switch to Norwegian", code)
		}

		sec := svcBrowser(t, ctx, db, ts.URL, "sekretariat@example.no", ore.ID, samrad.RoleSecretariat)
		_, page := sec.get("/allianser/ore/tjenester")
		token := sec.csrf(page)

		// A service without a name: the error next to the field, nothing stored.
		before := svcCount(t, db, "services")
		resp, body := sec.post("/allianser/ore/tjenester", url.Values{"csrf": {token}, "name_nb": {""}, "description_nb": {"Noe"}, "active": {"yes"}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="svc-new-name-nb-error"`) || !strings.Contains(body, `aria-invalid="true"`) ||
			!strings.Contains(body, ">Noe</textarea>") {
			t.Errorf("nameless service: %d, error shown next to the field with the text kept?", resp.StatusCode)
		}
		if n := svcCount(t, db, "services"); n != before {
			t.Errorf("a refused service was stored: %d → %d", before, n)
		}
		resp, _ = sec.post("/allianser/ore/tjenester", url.Values{"csrf": {token}, "name_nb": {"Studiebesøk"}, "name_en": {"Study visits"}, "active": {"yes"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("new service: %d", resp.StatusCode)
		}
		list, _ := db.Services(ctx, ore.ID, true)
		if len(list) != 7 || list[6].NameNB != "Studiebesøk" || list[6].Slug != "studiebesok" {
			t.Fatalf("new service not last: %+v", list[len(list)-1])
		}
		added := itoa(list[6].ID)
		// Move it up once, then take it off the catalogue.
		if resp, _ := sec.post("/allianser/ore/tjenester/flytt/"+added, url.Values{"csrf": {token}, "dir": {"up"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("move: %d", resp.StatusCode)
		}
		if resp, _ := sec.post("/allianser/ore/tjenester/flytt/"+added, url.Values{"csrf": {token}, "dir": {"sideways"}}); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("move sideways: %d, want 400", resp.StatusCode)
		}
		list, _ = db.Services(ctx, ore.ID, true)
		if list[5].NameNB != "Studiebesøk" || !strings.HasPrefix(list[6].NameNB, "Yte bistand") {
			t.Errorf("after moving up: %s, %s", list[5].NameNB, list[6].NameNB)
		}
		if resp, _ := sec.post("/allianser/ore/tjenester/"+added, url.Values{"csrf": {token}, "name_nb": {"Studiebesøk i Brussel"}, "slug": {"studiebesok"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
		if _, body := anon.get("/allianser/ore/tjenester"); strings.Contains(body, "Studiebesøk") {
			t.Error("an inactive service is in the public catalogue")
		}
		if _, body := sec.get("/allianser/ore/tjenester"); !strings.Contains(body, "Studiebesøk i Brussel") || !strings.Contains(body, "Tilbys ikke nå") {
			t.Error("the secretariat does not see the inactive service as such")
		}
		// Another alliance's secretariat may not edit ORE's catalogue.
		other, _ := db.AllianceBySlug(ctx, "vestregionen")
		vsec := svcBrowser(t, ctx, db, ts.URL, "vr@example.no", other.ID, samrad.RoleSecretariat)
		_, vpage := vsec.get("/allianser/vestregionen/tjenester")
		if resp, _ := vsec.post("/allianser/ore/tjenester/"+added, url.Values{"csrf": {vsec.csrf(vpage)}, "name_nb": {"Kapret"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("other alliance's secretariat: %d, want 403", resp.StatusCode)
		}
	})
}

func TestRequestLog(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		ore, _ := db.AllianceBySlug(ctx, "ore")
		svcs, _ := db.Services(ctx, ore.ID, false)
		members, _ := db.MembersOn(ctx, ore.ID, samrad.Today(), false)
		var baerum samrad.Organisation
		for _, m := range members {
			if m.Org.NameNB == "Bærum" {
				baerum = m.Org
			}
		}
		if baerum.ID == 0 {
			t.Fatal("Bærum is not a member of ORE today")
		}

		anon := newBrowser(t, ts.URL)
		if code, _ := anon.get("/allianser/ore/tjenester/henvendelser"); code != http.StatusUnauthorized {
			t.Errorf("anonymous request log: %d, want 401", code)
		}
		reader := svcBrowser(t, ctx, db, ts.URL, "leser@example.no", ore.ID, samrad.RoleReader)
		if code, _ := reader.get("/allianser/ore/tjenester/henvendelser.csv"); code != http.StatusForbidden {
			t.Errorf("reader's CSV: %d, want 403", code)
		}

		sec := svcBrowser(t, ctx, db, ts.URL, "sekretariat@example.no", ore.ID, samrad.RoleSecretariat)
		const log = "/allianser/ore/tjenester/henvendelser"
		code, page := sec.get(log)
		if code != http.StatusOK || !strings.Contains(page, "Ingen henvendelser passer til filteret.") {
			t.Fatalf("empty log: %d", code)
		}
		token := sec.csrf(page)

		// Bad input: no subject, a time that is not one, an unknown service.
		before := svcCount(t, db, "service_requests")
		for _, c := range []struct {
			name, field string
			form        url.Values
		}{
			{"no subject", "rq-subject-error", url.Values{"subject": {""}}},
			{"bad time", "rq-received-error", url.Values{"received_at": {"i går"}}},
			{"unknown service", "rq-service-error", url.Values{"service": {"999999"}}},
			{"unknown kind", "rq-kind-error", url.Values{"kind": {"complaint"}}},
		} {
			f := url.Values{"csrf": {token}, "kind": {"request"}, "requester_kind": {"member"}, "subject": {"Partnersøk"}, "received_at": {"2024-03-04T09:00"}}
			for k, v := range c.form {
				f[k] = v
			}
			resp, body := sec.post(log, f)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="`+c.field+`"`) {
				t.Errorf("%s: %d, want 400 with %s", c.name, resp.StatusCode, c.field)
			}
		}
		if n := svcCount(t, db, "service_requests"); n != before {
			t.Errorf("refused requests were stored: %d → %d", before, n)
		}

		// Four requests received on Monday 4 March 2024 at 09:00 Oslo time.
		ids := map[string]string{}
		for _, r := range []struct{ subject, kind, rkind, service, member string }{
			{"Partnersøk Horisont Europa", "request", "member", itoa(svcs[1].ID), itoa(baerum.ID)},
			{"Søknadsgjennomgang", "request", "member", itoa(svcs[2].ID), itoa(baerum.ID)},
			{"Kontakt med Kommisjonen", "request", "member", itoa(svcs[0].ID), ""},
			{"Spørsmål fra pressen", "enquiry", "media", "", ""},
		} {
			resp, _ := sec.post(log, url.Values{"csrf": {token}, "kind": {r.kind}, "requester_kind": {r.rkind}, "requester": {"Kari Nordmann"},
				"subject": {r.subject}, "service": {r.service}, "member": {r.member}, "received_at": {"2024-03-04T09:00"}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("log %s: %d", r.subject, resp.StatusCode)
			}
			ids[r.subject] = regexp.MustCompile(`/(\d+)$`).FindStringSubmatch(resp.Header.Get("Location"))[1]
		}
		// Answered after 2 h, 4 h and 10 h; the press enquiry stays open.
		for subject, at := range map[string]string{"Partnersøk Horisont Europa": "2024-03-04T11:00", "Søknadsgjennomgang": "2024-03-04T13:00",
			"Kontakt med Kommisjonen": "2024-03-04T19:00"} {
			if resp, _ := sec.post(log+"/"+ids[subject]+"/besvart", url.Values{"csrf": {token}, "at": {at}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("respond %s: %d", subject, resp.StatusCode)
			}
		}
		// Answering twice is refused.
		if resp, body := sec.post(log+"/"+ids["Søknadsgjennomgang"]+"/besvart", url.Values{"csrf": {token}}); resp.StatusCode != http.StatusConflict ||
			!strings.Contains(body, "Henvendelsen er allerede besvart.") {
			t.Errorf("second response: %d", resp.StatusCode)
		}
		// Closing needs an outcome; then it is done.
		closeURL := log + "/" + ids["Partnersøk Horisont Europa"] + "/avslutt"
		if resp, body := sec.post(closeURL, url.Values{"csrf": {token}, "status": {"done"}, "outcome": {""}}); resp.StatusCode != http.StatusBadRequest ||
			!strings.Contains(body, `id="cl-outcome-error"`) {
			t.Errorf("close without outcome: %d", resp.StatusCode)
		}
		if resp, _ := sec.post(closeURL, url.Values{"csrf": {token}, "status": {"done"}, "outcome": {"Tre partnere funnet"}, "at": {"2024-03-08T12:00"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("close: %d", resp.StatusCode)
		}
		q, _ := db.Request(ctx, ore.ID, mustID(t, ids["Partnersøk Horisont Europa"]))
		if q.Status != samrad.RequestDone || q.Outcome != "Tre partnere funnet" || q.ClosedAt.In(samrad.Oslo()).Format("2006-01-02 15:04") != "2024-03-08 12:00" {
			t.Errorf("closed request: %+v", q)
		}

		// Statistics over all four: median of 2, 4, 10 h is 4 h; the 90th
		// percentile 8 h 48 min; three open (two in progress, one new).
		_, page = sec.get(log)
		for _, want := range []string{"<dt>Antall</dt><dd>4</dd>", "<dt>Åpne</dt><dd>3</dd>", "<dt>Median svartid</dt><dd>4 t 0 min</dd>",
			"<dt>90. persentil</dt><dd>8 t 48 min</dd>", "Spørsmål fra pressen", "Ikke besvart", `aria-labelledby="svc-log-caption"`} {
			if !strings.Contains(page, want) {
				t.Errorf("request log lacks %q", want)
			}
		}
		// Filters: by member, by status, by service, by period.
		for _, c := range []struct {
			query string
			want  []string
			not   []string
		}{
			{"?medlem=" + itoa(baerum.ID), []string{"Partnersøk Horisont Europa", "Søknadsgjennomgang"}, []string{"Kontakt med Kommisjonen", "Spørsmål fra pressen"}},
			{"?status=open", []string{"Spørsmål fra pressen"}, []string{"Søknadsgjennomgang"}},
			{"?tjeneste=" + itoa(svcs[0].ID), []string{"Kontakt med Kommisjonen", "<dt>Median svartid</dt><dd>10 t 0 min</dd>"}, []string{"Søknadsgjennomgang"}},
			{"?fra=2024-03-05", []string{"Ingen henvendelser passer"}, []string{"Søknadsgjennomgang"}},
			{"?fra=2024-03-04&til=2024-03-04", []string{"Søknadsgjennomgang", "<dd>4</dd>"}, nil},
		} {
			code, body := sec.get(log + c.query)
			if code != http.StatusOK {
				t.Errorf("%s: %d", c.query, code)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: lacks %q", c.query, w)
				}
			}
			for _, w := range c.not {
				if strings.Contains(body, ">"+w+"<") {
					t.Errorf("%s: shows %q", c.query, w)
				}
			}
		}
		// A filter it cannot read: 400, the error next to the field, no list.
		for _, c := range []struct{ query, field string }{
			{"?fra=4.+mars", "fl-from-error"}, {"?status=lost", "fl-status-error"}, {"?tjeneste=abc", "fl-service-error"},
			{"?fra=2024-03-05&til=2024-03-01", "fl-to-error"}, {"?medlem=999999", "fl-member-error"},
		} {
			code, body := sec.get(log + c.query)
			if code != http.StatusBadRequest || !strings.Contains(body, `id="`+c.field+`"`) || strings.Contains(body, "Søknadsgjennomgang</a>") {
				t.Errorf("filter %s: %d, want 400 with %s and no list", c.query, code, c.field)
			}
		}
		// The language switch keeps the filter under its English names.
		if _, body := sec.get(log + "?status=open&medlem=" + itoa(baerum.ID)); !strings.Contains(body, `href="/en/alliances/ore/services/requests?member=`+itoa(baerum.ID)+`&amp;status=open"`) {
			t.Error("the language switch drops or misnames the filter")
		}

		// The CSV has the same selection, with response times in hours.
		resp, err := sec.c.Get(ts.URL + log + ".csv?medlem=" + itoa(baerum.ID))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(resp.Body).ReadAll()
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || len(rows) != 3 || rows[0][0] != "Nr." {
			t.Fatalf("CSV: %d, %v, %d rows", resp.StatusCode, err, len(rows))
		}
		got := map[string][]string{}
		for _, r := range rows[1:] {
			got[r[7]] = r
		}
		if r := got["Søknadsgjennomgang"]; r == nil || r[10] != "4.0" || r[4] != "Bærum" || r[8] != "Under arbeid" {
			t.Errorf("CSV row: %v", r)
		}
		if r := got["Partnersøk Horisont Europa"]; r == nil || r[12] != "Tre partnere funnet" || r[11] != "2024-03-08 12:00" {
			t.Errorf("CSV row: %v", r)
		}
		if code, _ := sec.get(log + ".csv?status=lost"); code != http.StatusBadRequest {
			t.Errorf("CSV with a bad filter: %d, want 400", code)
		}

		// Editing a request: a closing time without closing is refused.
		edit := log + "/" + ids["Spørsmål fra pressen"]
		_, page = sec.get(edit)
		if !strings.Contains(page, "Henvendelse "+ids["Spørsmål fra pressen"]) || !strings.Contains(page, "Media: Kari Nordmann") {
			t.Errorf("request page")
		}
		base := url.Values{"csrf": {token}, "kind": {"enquiry"}, "requester_kind": {"media"}, "requester": {"Journalist"}, "subject": {"Spørsmål fra pressen"},
			"status": {"open"}, "received_at": {"2024-03-04T09:00"}, "closed_at": {"2024-03-05T10:00"}}
		if resp, body := sec.post(edit, base); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="ed-status-error"`) || !strings.Contains(body, `value="Journalist"`) {
			t.Errorf("closing time on an open request: %d", resp.StatusCode)
		}
		base.Set("closed_at", "")
		base.Set("first_response_at", "2024-03-04T09:30")
		if resp, _ := sec.post(edit, base); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
		q, _ = db.Request(ctx, ore.ID, mustID(t, ids["Spørsmål fra pressen"]))
		if rt, ok := q.ResponseTime(); !ok || rt != 30*time.Minute || q.Requester != "Journalist" {
			t.Errorf("edited request: %v %v %q", rt, ok, q.Requester)
		}
		// The log is not public, and no page shows its personal data.
		for _, p := range []string{"/allianser/ore/tjenester", "/en/alliances/ore/services"} {
			if _, body := anon.get(p); strings.Contains(body, "Kari Nordmann") || strings.Contains(body, "Partnersøk Horisont") {
				t.Errorf("%s shows the request log", p)
			}
		}
	})
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not an id: %q", s)
		}
		n = n*10 + int64(c-'0')
	}
	return n
}
