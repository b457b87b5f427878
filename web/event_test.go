package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/ical"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/mail"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// eventServer is the demo server with an e-mail sender address, so that
// registrations can queue their confirmations.
func eventServer(t *testing.T, db *store.DB) *httptest.Server {
	t.Helper()
	if err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv.SetMailer(nil, mail.Address{Name: "Osloregionens Europakontor", Email: "post@example.no"}, "https://samrad.example.no")
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

type queued struct {
	kind, to string
	ref      int64
	text     string // the message with quoted-printable undone
	raw      string
}

func queuedMail(t *testing.T, db *store.DB) []queued {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT kind, recipient, ref_id, message FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []queued
	for rows.Next() {
		var q queued
		var data []byte
		if err := rows.Scan(&q.kind, &q.to, &q.ref, &data); err != nil {
			t.Fatal(err)
		}
		dec, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(data)))
		q.text, q.raw = string(dec), string(data)
		out = append(out, q)
	}
	return out
}

func TestEventPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ts := eventServer(t, db)
		b := newBrowser(t, ts.URL)
		code, body := b.get("/allianser/ore/arrangementer")
		if code != http.StatusOK || !strings.Contains(body, "Kontaktgruppesamling i Bærum med fagseminar") || !strings.Contains(body, "Tidligere arrangementer") {
			t.Fatalf("events: %d", code)
		}
		if _, body := b.get("/allianser/ore"); !strings.Contains(body, `href="/allianser/ore/arrangementer"`) {
			t.Error("the alliance page does not link to its events")
		}
		const page = "/allianser/ore/arrangementer/kontaktgruppesamling-baerum-2020"
		code, body = b.get(page)
		for _, want := range []string{"Lisbeth Hammer Krog, ordfører, Bærum kommune", "Gro Sværen Skansen, seksjonsleder for arbeid og inkludering, Bærum kommune",
			"Sindre Langaas, forskningsleder, NIVA", "Gunnar Selvik, direktør, Osloregionens Europakontor", "Kunnskapssenteret i Sandvika",
			"Dag 2: 24. januar 2020", "Påmeldingen er stengt.", `href="/organisasjoner/3024"`} {
			if !strings.Contains(body, want) {
				t.Errorf("event page lacks %q", want)
			}
		}
		// No personal data of participants on the public page.
		if code != http.StatusOK || strings.Contains(body, "@example.no") || strings.Contains(body, "Kari Nordmann") {
			t.Errorf("event page: %d, or it shows participants", code)
		}
		if code, body := b.get("/en/alliances/ore/events/kontaktgruppesamling-baerum-2020"); code != http.StatusOK || !strings.Contains(body, "Contact group gathering in Bærum") || !strings.Contains(body, "Day 1") {
			t.Errorf("English event page: %d", code)
		}
		resp, err := http.Get(ts.URL + page + "/arrangement.ics")
		if err != nil {
			t.Fatal(err)
		}
		cal, err := ical.Parse(resp.Body)
		resp.Body.Close()
		if err != nil || len(cal.Events) != 2 || !cal.Events[0].AllDay || !strings.Contains(cal.Events[0].Location, "Sandvika") {
			t.Fatalf("event .ics: %v %+v", err, cal)
		}
		resp, err = http.Get(ts.URL + "/allianser/viken-nettverk/arrangementer.ics")
		if err != nil {
			t.Fatal(err)
		}
		cal, err = ical.Parse(resp.Body)
		resp.Body.Close()
		if err != nil || len(cal.Events) != 2 || cal.Events[0].Start.Format(time.DateOnly) != "2022-05-05" {
			t.Errorf("alliance feed: %v %+v", err, cal)
		}
		if code, body := b.get("/allianser/osloregionen/arrangementer/best-2017"); code != http.StatusOK || !strings.Contains(body, "bypolitikk og byutvikling") {
			t.Errorf("BEST: %d", code)
		}
		if code, _ := b.get("/allianser/ore/arrangementer/finnes-ikke"); code != http.StatusNotFound {
			t.Errorf("unknown event: %d", code)
		}
	})
}

var tokenRe = regexp.MustCompile(`/pamelding/([A-Za-z0-9_-]{43})`)

// TestRegistrationFlow registers, waits, cancels and promotes through the
// web, and checks what each step queues.
func TestRegistrationFlow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := eventServer(t, db)
		ore, _ := db.AllianceBySlug(ctx, "ore")
		start := time.Now().AddDate(0, 1, 0)
		day := samrad.NewDate(start.Year(), start.Month(), start.Day())
		e := samrad.Event{AllianceID: ore.ID, Slug: "seminar", TitleNB: "Seminar om EU-programmer", Venue: "Sandvika", Published: true,
			Days: []samrad.EventDay{{Date: day}}, Registration: samrad.RegistrationSettings{Open: true, Capacity: 1, WaitingList: true,
				Fields: []string{samrad.AskOrganisation}, ConsentNB: "Vi lagrer navnet ditt."}}
		if err := db.CreateEvent(ctx, &e); err != nil {
			t.Fatal(err)
		}
		const form = "/allianser/ore/arrangementer/seminar/pamelding"
		register := func(b *browser, v url.Values) (*http.Response, string) {
			_, page := b.get(form)
			v.Set("csrf", b.csrf(page))
			return b.post(form, v)
		}
		kari := newBrowser(t, ts.URL)
		resp, _ := register(kari, url.Values{"name": {"Kari Nordmann"}, "email": {"kari@example.no"}, "organisation": {"Asker kommune"}, "consent": {"yes"}})
		if resp.StatusCode != http.StatusSeeOther || !tokenRe.MatchString(resp.Header.Get("Location")) {
			t.Fatalf("register: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		karisPage := resp.Header.Get("Location")
		box := queuedMail(t, db)
		if len(box) != 1 || box[0].kind != "registration" || box[0].to != "kari@example.no" {
			t.Fatalf("outbox %+v", box)
		}
		m := box[0]
		if !strings.Contains(m.raw, "Content-Type: text/calendar; charset=utf-8; method=PUBLISH") || !strings.Contains(m.raw, "filename=seminar.ics") ||
			!strings.Contains(m.text, "https://samrad.example.no"+karisPage) || !strings.Contains(m.raw, "Subject: =?utf-8?") {
			t.Errorf("confirmation lacks the calendar file or the link:\n%s", m.text)
		}
		code, body := kari.get(karisPage)
		if code != http.StatusOK || !strings.Contains(body, "Du er påmeldt.") || !strings.Contains(body, "Asker kommune") || !strings.Contains(body, "Vi lagrer navnet ditt.") {
			t.Errorf("own page: %d", code)
		}
		ola := newBrowser(t, ts.URL)
		resp, _ = register(ola, url.Values{"name": {"Ola Hansen"}, "email": {"ola@example.no"}, "consent": {"yes"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("second registration: %d", resp.StatusCode)
		}
		if _, body := ola.get(resp.Header.Get("Location")); !strings.Contains(body, "Du står på ventelisten.") {
			t.Error("the second is not told they are waiting")
		}
		if box = queuedMail(t, db); len(box) != 2 || !strings.Contains(box[1].text, "venteliste") {
			t.Errorf("waiting mail %+v", box)
		}
		// Kari cancels: Ola gets the place and an e-mail.
		_, body = kari.get(karisPage)
		resp, body = kari.post(karisPage+"/avmeld", url.Values{"csrf": {kari.csrf(body)}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "er slettet") {
			t.Fatalf("cancel: %d", resp.StatusCode)
		}
		box = queuedMail(t, db)
		if len(box) != 3 || box[2].kind != "promotion" || box[2].to != "ola@example.no" || !strings.Contains(box[2].raw, "text/calendar") {
			t.Errorf("promotion %+v", box)
		}
		list, _ := db.Participants(ctx, e.ID)
		if len(list) != 1 || list[0].Name != "Ola Hansen" || list[0].Status != samrad.RegistrationConfirmed {
			t.Errorf("participants after cancelling: %+v", list)
		}
		// The cancelled link is a clear 404.
		if code, body := kari.get(karisPage); code != http.StatusNotFound || !strings.Contains(body, "Påmeldingen finnes ikke") {
			t.Errorf("cancelled link: %d", code)
		}
	})
}

// TestRegistrationBadInputWeb: each bad registration gets a clear answer,
// and nothing is stored or sent.
func TestRegistrationBadInputWeb(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := eventServer(t, db)
		ore, _ := db.AllianceBySlug(ctx, "ore")
		start := time.Now().AddDate(0, 1, 0)
		day := samrad.NewDate(start.Year(), start.Month(), start.Day())
		mk := func(slug string, rs samrad.RegistrationSettings) {
			e := samrad.Event{AllianceID: ore.ID, Slug: slug, TitleNB: "Samling " + slug, Venue: "Sandvika", Published: true, Days: []samrad.EventDay{{Date: day}}, Registration: rs}
			if err := db.CreateEvent(ctx, &e); err != nil {
				t.Fatal(err)
			}
		}
		mk("apen", samrad.RegistrationSettings{Open: true, Fields: []string{samrad.AskOrganisation}})
		mk("full", samrad.RegistrationSettings{Open: true, Capacity: 1})
		mk("fristen-er-ute", samrad.RegistrationSettings{Open: true, Deadline: time.Now().Add(-time.Hour)})
		b := newBrowser(t, ts.URL)
		_, page := b.get("/allianser/ore/arrangementer/apen/pamelding")
		token := b.csrf(page)
		post := func(slug string, v url.Values) (int, string) {
			path := "/allianser/ore/arrangementer/" + slug + "/pamelding"
			if v.Get("csrf") == "" {
				v.Set("csrf", token)
			} else if v.Get("csrf") == "none" {
				v.Del("csrf")
			}
			resp, body := b.post(path, v)
			return resp.StatusCode, body
		}
		if code, _ := post("apen", url.Values{"name": {"Kari"}, "email": {"kari@example.no"}}); code != http.StatusSeeOther {
			t.Fatalf("first registration: %d", code)
		}
		if code, _ := post("full", url.Values{"name": {"Kari"}, "email": {"kari@example.no"}}); code != http.StatusSeeOther {
			t.Fatalf("first registration for the full one: %d", code)
		}
		before := len(queuedMail(t, db))
		for _, c := range []struct {
			name, slug string
			form       url.Values
			status     int
			says       string
		}{
			{"duplicate", "apen", url.Values{"name": {"Kari igjen"}, "email": {"KARI@example.no"}}, http.StatusConflict, "already registered"},
			{"invalid e-mail", "apen", url.Values{"name": {"Ola"}, "email": {"ola@example"}}, http.StatusBadRequest, "is not an e-mail address"},
			{"line break in name", "apen", url.Values{"name": {"Ola\r\nBcc: x@example.no"}, "email": {"ola@example.no"}}, http.StatusBadRequest, "line breaks are not allowed"},
			{"line break in organisation", "apen", url.Values{"name": {"Ola"}, "email": {"ola@example.no"}, "organisation": {"Asker\nBcc: x@example.no"}}, http.StatusBadRequest, "line breaks are not allowed"},
			{"full without waiting list", "full", url.Values{"name": {"Ola"}, "email": {"ola@example.no"}}, http.StatusConflict, "the event is full"},
			{"after the deadline", "fristen-er-ute", url.Values{"name": {"Ola"}, "email": {"ola@example.no"}}, http.StatusConflict, "is closed"},
			{"without form token", "apen", url.Values{"name": {"Ola"}, "email": {"ola@example.no"}, "csrf": {"none"}}, http.StatusForbidden, "expired"},
		} {
			code, body := post(c.slug, c.form)
			if code != c.status || !strings.Contains(body, c.says) {
				t.Errorf("%s: %d, want %d saying %q", c.name, code, c.status, c.says)
			}
		}
		if got := len(queuedMail(t, db)); got != before {
			t.Errorf("bad registrations queued %d messages", got-before)
		}
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.slug IN ('apen', 'full', 'fristen-er-ute')`).Scan(&n); err != nil || n != 2 {
			t.Errorf("%d registrations stored, want 2 (%v)", n, err)
		}
		for _, path := range []string{"/pamelding/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/pamelding/kort", "/en/registration/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
			if code, body := b.get(path); code != http.StatusNotFound || !(strings.Contains(body, "Påmeldingen finnes ikke") || strings.Contains(body, "There is no such registration")) {
				t.Errorf("forged token %s: %d", path, code)
			}
		}
	})
}

// TestParticipantsAndCheckin: the organiser's list in three forms, and
// checking in at the door without JavaScript.
func TestParticipantsAndCheckin(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := eventServer(t, db)
		ore, _ := db.AllianceBySlug(ctx, "ore")
		if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		sec := newBrowser(t, ts.URL)
		sec.login("s@example.no", "et langt passord her")
		const ev = "/allianser/ore/arrangementer/kontaktgruppesamling-baerum-2020"
		if code, body := sec.get(ev + "/endre"); code != http.StatusOK || !strings.Contains(body, "Legg til foredragsholder") || !strings.Contains(body, "2020-01-23") {
			t.Errorf("edit page: %d", code)
		}
		if code, body := sec.get("/allianser/ore/arrangementer/nytt"); code != http.StatusOK || !strings.Contains(body, "Vi bruker navnet og e-postadressen din") {
			t.Errorf("new event page: %d", code)
		}
		code, body := sec.get(ev + "/deltakere")
		if code != http.StatusOK || !strings.Contains(body, "Kari Nordmann") || !strings.Contains(body, "Trinnfri adkomst") {
			t.Fatalf("participants: %d", code)
		}
		resp, err := sec.c.Get(ts.URL + ev + "/deltakere.csv")
		if err != nil {
			t.Fatal(err)
		}
		csvBody, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.Contains(string(csvBody), "kari.nordmann@example.no") {
			t.Errorf("CSV: %s %s", resp.Header.Get("Content-Type"), csvBody)
		}
		resp, err = sec.c.Get(ts.URL + ev + "/deltakere.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		xl, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/vnd.openxmlformats") || !bytes.HasPrefix(xl, []byte("PK")) {
			t.Errorf("Excel: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		code, body = sec.get(ev + "/innsjekk?q=ingrid")
		if code != http.StatusOK || !strings.Contains(body, "Ingrid Berg") || strings.Contains(body, "Kari Nordmann") {
			t.Fatalf("check-in search: %d", code)
		}
		list, _ := db.Participants(ctx, mustEvent(t, db, ore.ID).ID)
		var ingrid samrad.Registration
		for _, p := range list {
			if p.Name == "Ingrid Berg" {
				ingrid = p
			}
		}
		resp, _ = sec.post(ev+"/innsjekk/"+itoa(ingrid.ID), url.Values{"csrf": {sec.csrf(body)}, "in": {"yes"}, "q": {"ingrid"}})
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "q=ingrid") {
			t.Fatalf("check in: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if _, body = sec.get(ev + "/innsjekk?q=ingrid"); !strings.Contains(body, "Ankommet") {
			t.Error("not shown as arrived")
		}
		// A visitor sees none of it.
		if code, _ := newBrowser(t, ts.URL).get(ev + "/deltakere"); code != http.StatusUnauthorized {
			t.Errorf("participants for a visitor: %d", code)
		}
	})
}

func mustEvent(t *testing.T, db *store.DB, allianceID int64) samrad.Event {
	t.Helper()
	e, err := db.Event(context.Background(), allianceID, "kontaktgruppesamling-baerum-2020")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestSecretariatBuildsAnEvent creates an event, a session with a speaker
// and slides, through the forms.
func TestSecretariatBuildsAnEvent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := eventServer(t, db)
		ore, _ := db.AllianceBySlug(ctx, "ore")
		if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		sec := newBrowser(t, ts.URL)
		sec.login("s@example.no", "et langt passord her")
		_, page := sec.get("/allianser/ore/arrangementer/nytt")
		token := sec.csrf(page)
		form := url.Values{"csrf": {token}, "title_nb": {"Kontaktgruppesamling 2031"}, "days": {"2031-01-23 09:00-16:00\n2031-01-24"},
			"venue": {"Sandvika"}, "published": {"yes"}, "reg_open": {"yes"}, "capacity": {"40"}, "retention_days": {"30"}, "fields": {"organisation", "diet"}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("days", "23.01.2031")
		if resp, body := sec.post("/allianser/ore/arrangementer/nytt", bad); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Skriv én dag per linje") {
			t.Errorf("bad days: %d", resp.StatusCode)
		}
		resp, _ := sec.post("/allianser/ore/arrangementer/nytt", form)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/allianser/ore/arrangementer/kontaktgruppesamling-2031/endre" {
			t.Fatalf("create: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		const ev = "/allianser/ore/arrangementer/kontaktgruppesamling-2031"
		if resp, _ := sec.post(ev+"/okter", url.Values{"csrf": {token}, "session_day": {"2031-01-23"}, "session_start": {"09:30"}, "session_end": {"10:00"},
			"session_title_nb": {"Velkommen"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("session: %d", resp.StatusCode)
		}
		e, err := db.Event(ctx, ore.ID, "kontaktgruppesamling-2031")
		if err != nil || len(e.Sessions) != 1 || e.Sessions[0].Hours() != "09:30–10:00" || e.Registration.Capacity != 40 || !e.Registration.Asks(samrad.AskDiet) {
			t.Fatalf("stored %+v %v", e, err)
		}
		sid := itoa(e.Sessions[0].ID)
		if resp, _ := sec.post(ev+"/okter/"+sid+"/foredragsholdere", url.Values{"csrf": {token}, "speaker_name": {"Lisbeth Hammer Krog"},
			"speaker_role": {"ordfører"}, "speaker_org": {"Bærum kommune"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("speaker: %d", resp.StatusCode)
		}
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf", token)
		mw.WriteField("material_title", "Lysark")
		fw, _ := mw.CreateFormFile("file", "lysark.pdf")
		fw.Write([]byte("%PDF-1.4\nlysark\n"))
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, ts.URL+ev+"/okter/"+sid+"/materiell", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		up, err := sec.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		up.Body.Close()
		if up.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d", up.StatusCode)
		}
		_, body := newBrowser(t, ts.URL).get(ev)
		if !strings.Contains(body, "09:30–10:00") || !strings.Contains(body, "Lisbeth Hammer Krog, ordfører, Bærum kommune") || !strings.Contains(body, "40 av 40 ledige") {
			t.Errorf("the public page does not show the programme")
		}
		e, _ = db.Event(ctx, ore.ID, "kontaktgruppesamling-2031")
		resp, err = http.Get(ts.URL + ev + "/materiell/" + itoa(e.Sessions[0].Materials[0].ID))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("material served as %q %q", resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
		}
	})
}

// BenchmarkEventPage serves the gathering's public page (two days, ten
// sessions with their speakers) anonymously, from the page cache after
// the first request, and reports the median and 99th percentile of the
// server's time per request.
func BenchmarkEventPage(b *testing.B) {
	ctx := context.Background()
	db := testdb.Open(b, "sqlite")
	if err := demo.Load(ctx, db); err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	for _, path := range []string{"/allianser/ore/arrangementer/kontaktgruppesamling-baerum-2020", "/allianser/ore/arrangementer"} {
		b.Run(path, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				w := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(w, req)
				times = append(times, time.Since(start))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", path, w.Code)
				}
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// TestConcurrentRegistrationsThroughTheWeb signs 40 visitors up at once
// through the form for 10 places: every one gets an answer (no request
// waits on another's transaction for a connection), 10 are confirmed and
// 30 wait, and each gets exactly one e-mail.
func TestConcurrentRegistrationsThroughTheWeb(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := eventServer(t, db)
		ore, _ := db.AllianceBySlug(ctx, "ore")
		start := time.Now().AddDate(0, 1, 0)
		e := samrad.Event{AllianceID: ore.ID, Slug: "fullt", TitleNB: "Fullt seminar", Venue: "Sandvika", Published: true,
			Days:         []samrad.EventDay{{Date: samrad.NewDate(start.Year(), start.Month(), start.Day())}},
			Registration: samrad.RegistrationSettings{Open: true, Capacity: 10, WaitingList: true, ConsentNB: "Vi lagrer navnet ditt."}}
		if err := db.CreateEvent(ctx, &e); err != nil {
			t.Fatal(err)
		}
		const form = "/allianser/ore/arrangementer/fullt/pamelding"
		const n = 40
		visitors := make([]*browser, n)
		tokens := make([]string, n)
		for i := range visitors {
			visitors[i] = newBrowser(t, ts.URL)
			_, page := visitors[i].get(form)
			tokens[i] = visitors[i].csrf(page)
		}
		codes := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				resp, err := visitors[i].c.PostForm(ts.URL+form, url.Values{"csrf": {tokens[i]}, "name": {"Deltaker"},
					"email": {"deltaker" + strconv.Itoa(i) + "@example.no"}, "consent": {"yes"}})
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				codes[i] = resp.StatusCode
			})
		}
		wg.Wait()
		for i, c := range codes {
			if c != http.StatusSeeOther {
				t.Errorf("visitor %d: %d", i, c)
			}
		}
		places, err := db.EventPlaces(ctx, e.ID)
		if err != nil || places.Confirmed != 10 || places.Waiting != 30 {
			t.Fatalf("places %+v, %v; want 10 confirmed and 30 waiting", places, err)
		}
		if box := queuedMail(t, db); len(box) != n {
			t.Fatalf("%d e-mails queued, want %d", len(box), n)
		}
	})
}
