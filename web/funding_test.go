package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/smtptest"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/mail"
	"github.com/samrad/samrad/outbox"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// fundServer serves the demo with users of every kind the funding pages
// tell apart: the secretariat and a reader of ORE, and the administrator
// of another alliance.
func fundServer(t *testing.T, db *store.DB) (*web.Server, *httptest.Server, map[string]*browser) {
	t.Helper()
	ctx := context.Background()
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	ore, _ := db.AllianceBySlug(ctx, "ore")
	vr, _ := db.AllianceBySlug(ctx, "vestregionen")
	users := map[string]*browser{"anonymous": newBrowser(t, ts.URL)}
	for _, u := range []struct {
		name     string
		alliance int64
		role     samrad.Role
	}{{"staff", ore.ID, samrad.RoleSecretariat}, {"reader", ore.ID, samrad.RoleReader}, {"other", vr.ID, samrad.RoleAdministrator}} {
		if _, err := db.CreateUser(ctx, u.name+"@example.no", u.name, "et langt passord her", u.alliance, u.role, fastHash); err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, ts.URL)
		if resp := b.login(u.name+"@example.no", "et langt passord her"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login %s: %d", u.name, resp.StatusCode)
		}
		users[u.name] = b
	}
	return srv, ts, users
}

func fundCount(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// upload posts a file as a multipart form with the form token.
func (b *browser) upload(path, csrf, filename string, data []byte) (int, string) {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("csrf", csrf)
	fw, _ := w.CreateFormFile("file", filename)
	_, _ = fw.Write(data)
	_ = w.Close()
	resp, err := b.c.Post(b.base+path, w.FormDataContentType(), &body)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page)
}

func TestFundingProgrammesCallsImportAndApplications(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, _, users := fundServer(t, db)
		anon, staff, reader, other := users["anonymous"], users["staff"], users["reader"], users["other"]
		ore, _ := db.AllianceBySlug(ctx, "ore")

		// Viken's network follows the programmes its kick-off presented.
		code, page := anon.get("/allianser/viken-nettverk/finansiering")
		if code != http.StatusOK || !strings.Contains(page, "EØS-midlene") || !strings.Contains(page, "Horisont Europa") || strings.Contains(page, `name="csrf"`) {
			t.Fatalf("Viken's programmes: %d\n%s", code, page)
		}
		if code, page := anon.get("/en/alliances/viken-nettverk/funding"); code != http.StatusOK || !strings.Contains(page, "Horizon Europe") || !strings.Contains(page, `lang="en"`) {
			t.Errorf("English list: %d", code)
		}

		// A programme: bad input is refused on its field, nothing written.
		const list = "/allianser/ore/finansiering"
		_, page = staff.get(list)
		csrf := staff.csrf(page)
		before := fundCount(t, db, "funding_programmes")
		resp, body := staff.post(list+"/ny", url.Values{"csrf": {csrf}, "name_nb": {""}, "kind": {"eu"}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="np-name-nb-error"`) || fundCount(t, db, "funding_programmes") != before {
			t.Fatalf("a programme without a name: %d", resp.StatusCode)
		}
		resp, body = staff.post(list+"/ny", url.Values{"csrf": {csrf}, "name_nb": {"Horisont Europa"}, "name_en": {"Horizon Europe"}, "kind": {"eu"}, "website": {"ftp://x"}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="np-website-error"`) {
			t.Fatalf("a bad website: %d", resp.StatusCode)
		}
		resp, _ = staff.post(list+"/ny", url.Values{"csrf": {csrf}, "name_nb": {"Horisont Europa"}, "name_en": {"Horizon Europe"}, "kind": {"eu"}, "funder": {"EU"}})
		const prog = list + "/horisont-europa"
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != prog {
			t.Fatalf("new programme: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp, _ := reader.post(list+"/ny", url.Values{"csrf": {reader.csrf(page)}, "name_nb": {"X"}, "kind": {"eu"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a reader creates a programme: %d", resp.StatusCode)
		}

		// Calls: a bad deadline is refused; a good one is listed as open.
		calls := fundCount(t, db, "funding_calls")
		resp, body = staff.post(prog+"/utlysninger", url.Values{"csrf": {csrf}, "code": {"HE-1"}, "title": {"Klimanøytrale byer"}, "deadline": {"31.02.2030"}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="nc-deadline-error"`) || fundCount(t, db, "funding_calls") != calls {
			t.Fatalf("a bad deadline: %d", resp.StatusCode)
		}
		soon := samrad.Today().AddDays(20)
		resp, _ = staff.post(prog+"/utlysninger", url.Values{"csrf": {csrf}, "code": {"HE-1"}, "title": {"Klimanøytrale byer"},
			"deadline": {soon.String() + " 17:00"}, "budget": {"1 000 000"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("new call: %d", resp.StatusCode)
		}
		if code, page := anon.get(prog); code != http.StatusOK || !strings.Contains(page, "Klimanøytrale byer") || !strings.Contains(page, "kl. 17:00") {
			t.Errorf("programme page: %d\n%s", code, page)
		}
		if code, page := staff.get(prog); code != http.StatusOK || !strings.Contains(page, `value="`+soon.String()+` 17:00"`) || !strings.Contains(page, `value="1000000.00"`) {
			t.Errorf("the call's edit form: %d", code)
		}
		if code, page := anon.get("/en/alliances/ore/funding/horisont-europa"); code != http.StatusOK || !strings.Contains(page, "Horizon Europe") ||
			!strings.Contains(page, `href="/allianser/ore/finansiering/horisont-europa"`) {
			t.Errorf("English programme page or its language switch: %d", code)
		}

		// Import: one bad line refuses the whole file and names the line.
		calls = fundCount(t, db, "funding_calls")
		bad := "programme,code,title,opens,deadline,budget,url,note\nhorisont-europa,HE-2,Helse,,2030-05-01,,,\nhorisont-europa,HE-3,Mat,,1. mai,,,\n"
		code, page = staff.upload(list+"/import", csrf, "calls.csv", []byte(bad))
		if code != http.StatusBadRequest || !strings.Contains(page, "Linje 3, kolonne «deadline»") || fundCount(t, db, "funding_calls") != calls {
			t.Fatalf("a bad file: %d\n%s", code, page)
		}
		code, page = staff.upload(list+"/import", csrf, "calls.json", []byte(`[{"programme":"horisont-europa","code":"HE-2","title":"Helse","deadline":"2030-05-01"}]`))
		if code != http.StatusSeeOther || fundCount(t, db, "funding_calls") != calls+1 {
			t.Fatalf("import: %d\n%s", code, page)
		}
		if _, page := staff.get(list + "?importert=1-0"); !strings.Contains(page, "1 nye og 0 endrede") {
			t.Error("no word of the import")
		}

		// Applications are for the alliance's own people.
		const apps = "/allianser/ore/soknader"
		for who, want := range map[string]int{"anonymous": 401, "other": 403, "reader": 200, "staff": 200} {
			if code, _ := users[who].get(apps); code != want {
				t.Errorf("applications as %s: %d, want %d", who, code, want)
			}
		}
		programmes, _ := db.FundingProgrammes(ctx, ore.ID)
		members, _ := db.MembersOn(ctx, ore.ID, samrad.Today(), false)
		form := url.Values{"csrf": {csrf}, "title": {"Klimanøytral Bærum"}, "programme": {itoa(programmes[0].ID)}, "applicant": {itoa(members[0].Org.ID)},
			"status": {"granted"}, "amount_sought": {"100000"}, "amount_granted": {"150000"}}
		resp, body = staff.post(apps+"/ny", form)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="na-granted-error"`) || fundCount(t, db, "applications") != 0 {
			t.Fatalf("granted more than sought without a note: %d", resp.StatusCode)
		}
		form.Set("grant_note", "Økt etter forhandling")
		resp, _ = staff.post(apps+"/ny", form)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), apps+"/") {
			t.Fatalf("new application: %d", resp.StatusCode)
		}
		appPath := resp.Header.Get("Location")
		if code, page := reader.get(appPath); code != http.StatusOK || !strings.Contains(page, "Klimanøytral Bærum") || !strings.Contains(page, "Økt etter forhandling") || strings.Contains(page, "Endre søknaden") {
			t.Errorf("application as reader: %d", code)
		}
		if code, _ := other.get(appPath); code != http.StatusForbidden {
			t.Errorf("application as another alliance's administrator: %d", code)
		}
		partner := members[1].Org.ID
		if resp, _ := staff.post(appPath+"/partnere", url.Values{"csrf": {csrf}, "org": {itoa(partner)}, "role": {"partner"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add partner: %d", resp.StatusCode)
		}
		if resp, body := staff.post(appPath+"/partnere", url.Values{"csrf": {csrf}, "org": {itoa(partner)}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="pa-org-error"`) {
			t.Errorf("the same partner again: %d", resp.StatusCode)
		}
		if resp, _ := staff.post(appPath+"/partnere/fjern", url.Values{"csrf": {csrf}, "org": {itoa(partner)}}); resp.StatusCode != http.StatusSeeOther || fundCount(t, db, "application_partners") != 0 {
			t.Errorf("remove partner: %d", resp.StatusCode)
		}
		code, page = reader.get(apps)
		if code != http.StatusOK || !strings.Contains(page, "Klimanøytral Bærum") || !strings.Contains(page, "100,0 %") {
			t.Errorf("pipeline: %d\n%s", code, page)
		}
	})
}

// decodedHeader reads an RFC 2047 header.
func decodedHeader(t *testing.T, s string) string {
	t.Helper()
	out, err := new(mime.WordDecoder).DecodeHeader(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDeadlinesPageAndReminderOverSMTP is the done-when of the area: the
// secretariat sees the coming deadlines on one page, asks to be reminded,
// and the reminder arrives through a real SMTP server, once.
func TestDeadlinesPageAndReminderOverSMTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv, ts, users := fundServer(t, db)
		staff := users["staff"]
		ore, _ := db.AllianceBySlug(ctx, "ore")
		p := samrad.FundingProgramme{AllianceID: ore.ID, NameNB: "Interreg Europa", Kind: samrad.FundingInterreg}
		if err := db.CreateFundingProgramme(ctx, &p); err != nil {
			t.Fatal(err)
		}
		day := samrad.Today().AddDays(10)
		call := samrad.FundingCall{ProgrammeID: p.ID, Code: "IE-4", Title: "Fjerde utlysning", Deadline: samrad.DeadlineOn(day)}
		past := samrad.FundingCall{ProgrammeID: p.ID, Code: "IE-3", Title: "Tredje utlysning", Deadline: samrad.DeadlineOn(samrad.Today().AddDays(-1))}
		far := samrad.FundingCall{ProgrammeID: p.ID, Code: "IE-5", Title: "Femte utlysning", Deadline: samrad.DeadlineOn(samrad.Today().AddDays(200))}
		for _, c := range []*samrad.FundingCall{&call, &past, &far} {
			if err := db.SaveFundingCall(ctx, ore.ID, c); err != nil {
				t.Fatal(err)
			}
		}

		const page = "/allianser/ore/frister"
		for who, want := range map[string]int{"anonymous": 401, "other": 403, "reader": 403} {
			if code, _ := users[who].get(page); code != want {
				t.Errorf("deadlines as %s: %d, want %d", who, code, want)
			}
		}
		code, body := staff.get(page)
		if code != http.StatusOK || !strings.Contains(body, "Fjerde utlysning") || strings.Contains(body, "Tredje utlysning") || strings.Contains(body, "Femte utlysning") {
			t.Fatalf("deadlines: %d\n%s", code, body)
		}
		if code, body := staff.get(page + "?dager=365"); code != http.StatusOK || !strings.Contains(body, "Femte utlysning") || !strings.Contains(body, "/en/alliances/ore/deadlines?days=365") {
			t.Errorf("a year ahead: %d", code)
		}
		if code, body := staff.get(page + "?dager=5"); code != http.StatusOK || strings.Contains(body, "Fjerde utlysning") {
			t.Errorf("five days ahead: %d", code)
		}
		if code, body := staff.get(page + "?dager=tusen"); code != http.StatusBadRequest || !strings.Contains(body, `id="dl-days-error"`) {
			t.Errorf("a bad window: %d", code)
		}
		csrf := staff.csrf(body)
		key := "call:" + itoa(call.ID)
		resp, _ := staff.post(page+"/paminnelser", url.Values{"csrf": {csrf}, "deadline": {key}, "days_before": {"7"}, "email": {"kari@example.no"}, "lang": {"nb"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add reminder: %d", resp.StatusCode)
		}
		resp, _ = staff.post(page+"/paminnelser", url.Values{"csrf": {csrf}, "deadline": {key}, "days_before": {"1"}, "email": {"ola@example.no"}, "lang": {"en"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add English reminder: %d", resp.StatusCode)
		}
		n := fundCount(t, db, "reminders")
		for what, c := range map[string]struct {
			form   url.Values
			status int
			errID  string
		}{
			"the same again":  {url.Values{"deadline": {key}, "days_before": {"7"}, "email": {"kari@example.no"}}, http.StatusConflict, `id="rm-email-error"`},
			"a past deadline": {url.Values{"deadline": {"call:" + itoa(past.ID)}, "days_before": {"0"}, "email": {"kari@example.no"}}, http.StatusBadRequest, `id="rm-deadline-error"`},
			"a day passed":    {url.Values{"deadline": {key}, "days_before": {"30"}, "email": {"kari@example.no"}}, http.StatusBadRequest, `id="rm-days-error"`},
			"a bad address":   {url.Values{"deadline": {key}, "days_before": {"2"}, "email": {"kari"}}, http.StatusBadRequest, `id="rm-email-error"`},
			"no number":       {url.Values{"deadline": {key}, "days_before": {"sju"}, "email": {"kari@example.no"}}, http.StatusBadRequest, `id="rm-days-error"`},
		} {
			c.form.Set("csrf", csrf)
			resp, body := staff.post(page+"/paminnelser", c.form)
			if resp.StatusCode != c.status || !strings.Contains(body, c.errID) {
				t.Errorf("%s: %d, want %d with %s", what, resp.StatusCode, c.status, c.errID)
			}
		}
		if fundCount(t, db, "reminders") != n {
			t.Fatal("a refused reminder was stored")
		}
		if _, body := staff.get(page); !strings.Contains(body, "7 dager før, til kari@example.no") {
			t.Error("the reminder is not shown with its deadline")
		}

		smtp := smtptest.Start(t)
		transport := mail.NewSender(mail.SMTPConfig{Host: smtp.Host(), Port: smtp.Port(), Timeout: 10 * time.Second})
		srv.SetMailer(transport, mail.Address{Name: "Samråd", Email: "post@samrad.example.no"}, ts.URL)
		deliver := func(want int) []smtptest.Received {
			t.Helper()
			before := len(smtp.Messages())
			if _, err := (&outbox.Sender{DB: db, Transport: transport}).Drain(ctx); err != nil {
				t.Fatal(err)
			}
			got := smtp.Messages()[before:]
			if len(got) != want {
				t.Fatalf("delivered %d messages, want %d", len(got), want)
			}
			return got
		}
		// Not yet due: seven days before is three days ahead.
		if n, err := srv.SendDeadlineReminders(ctx, time.Now()); err != nil || n != 0 {
			t.Fatalf("before due: %d, %v", n, err)
		}
		deliver(0)
		due := time.Date(day.Year(), day.Month(), day.Day()-7, 0, 0, 0, 0, samrad.Oslo())
		if n, err := srv.SendDeadlineReminders(ctx, due); err != nil || n != 1 {
			t.Fatalf("when due: %d, %v", n, err)
		}
		got := deliver(1)[0]
		header, parts := mailParts(t, got.Data)
		subject := decodedHeader(t, header.Get("Subject"))
		link := ts.URL + "/allianser/ore/finansiering/interreg-europa"
		if got.To[0] != "kari@example.no" || !strings.Contains(subject, "Påminnelse: Fjerde utlysning") || !strings.Contains(parts["text/plain"], link) ||
			!strings.Contains(parts["text/plain"], "Dager igjen: 7") {
			t.Errorf("reminder to %v, subject %q:\n%s", got.To, subject, parts["text/plain"])
		}
		// Never twice, however often the job runs.
		for range 3 {
			if n, err := srv.SendDeadlineReminders(ctx, due.Add(time.Hour)); err != nil || n != 0 {
				t.Fatalf("again: %d, %v", n, err)
			}
		}
		deliver(0)
		// The English reminder, the day before, links to the English page.
		if n, _ := srv.SendDeadlineReminders(ctx, due.AddDate(0, 0, 6).Add(time.Hour)); n != 1 {
			t.Fatalf("the day before: %d", n)
		}
		got = deliver(1)[0]
		header, parts = mailParts(t, got.Data)
		if subject := decodedHeader(t, header.Get("Subject")); got.To[0] != "ola@example.no" || !strings.HasPrefix(subject, "Reminder: Fjerde utlysning") ||
			!strings.Contains(parts["text/plain"], ts.URL+"/en/alliances/ore/funding/interreg-europa") {
			t.Errorf("English reminder %q:\n%s", subject, parts["text/plain"])
		}
		if _, body := staff.get(page); !strings.Contains(body, "sendt ") {
			t.Error("the deadlines page does not say the reminder was sent")
		}
	})
}
