package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"net/url"
	"regexp"
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

// mailParts reads a received message: its header and its text parts by
// media type, decoded.
func mailParts(t *testing.T, data []byte) (netmail.Header, map[string]string) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	var walk func(ctype, enc string, body io.Reader)
	walk = func(ctype, enc string, body io.Reader) {
		mt, params, err := mime.ParseMediaType(ctype)
		if err != nil {
			t.Fatalf("Content-Type %q: %v", ctype, err)
		}
		if strings.HasPrefix(mt, "multipart/") {
			r := multipart.NewReader(body, params["boundary"])
			for {
				p, err := r.NextRawPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
			}
		}
		if strings.EqualFold(enc, "quoted-printable") {
			body = quotedprintable.NewReader(body)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		parts[mt] = string(b)
	}
	walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return msg.Header, parts
}

// TestNewsletterSubscribeConfirmReceiveUnsubscribe is the newsletter's
// whole path through a real SMTP server: a visitor signs up, confirms by
// the link in the e-mail, gets an issue with one-click unsubscribe
// headers, and leaves with one POST from the mail program.
func TestNewsletterSubscribeConfirmReceiveUnsubscribe(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "sqlite")
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
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

	ore, _ := db.AllianceBySlug(ctx, "ore")
	if _, err := db.CreateUser(ctx, "sekretariat@example.no", "Sekretariatet", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash); err != nil {
		t.Fatal(err)
	}
	staff := newBrowser(t, ts.URL)
	if resp := staff.login("sekretariat@example.no", "et langt passord her"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	st, page := staff.get("/allianser/ore/nyhetsbrev/redaksjon")
	if st != 200 {
		t.Fatalf("editor page: %d\n%s", st, page)
	}
	if resp, body := staff.post("/allianser/ore/nyhetsbrev/lister", url.Values{"csrf": {staff.csrf(page)}, "name_nb": {"EU-nytt"}, "name_en": {"EU news"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new list: %d\n%s", resp.StatusCode, body)
	}
	lists, _ := db.Lists(ctx, ore.ID)
	var list samrad.NewsletterList
	for _, l := range lists {
		if l.Slug == "eu-nytt" {
			list = l
		}
	}
	if list.ID == 0 {
		t.Fatalf("list not made: %+v", lists)
	}
	listID := itoa(list.ID)

	// A visitor signs up; bad input is refused with a message and queues nothing.
	visitor := newBrowser(t, ts.URL)
	status, page := visitor.get("/allianser/ore/nyhetsbrev")
	if status != 200 || !strings.Contains(page, "EU-nytt") || !strings.Contains(page, "lagrer e-postadressen din") || !strings.Contains(page, `name="csrf"`) {
		t.Fatalf("sign-up page: %d\n%s", status, page)
	}
	csrf := visitor.csrf(page)
	for _, bad := range []url.Values{
		{"email": {"ikke-en-adresse"}, "lists": {listID}, "consent": {"yes"}},
		{"email": {"kari@example.no"}, "name": {"Kari\r\nBcc: alle@example.no"}, "lists": {listID}, "consent": {"yes"}},
		{"email": {"kari@example.no"}, "lists": {listID}},
		{"email": {"kari@example.no"}, "consent": {"yes"}},
	} {
		bad.Set("csrf", csrf)
		if resp, body := visitor.post("/allianser/ore/nyhetsbrev", bad); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "field-error") {
			t.Errorf("%v: %d", bad, resp.StatusCode)
		}
	}
	if resp, _ := visitor.post("/allianser/ore/nyhetsbrev", url.Values{"email": {"kari@example.no"}, "lists": {listID}, "consent": {"yes"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("without the form token: %d", resp.StatusCode)
	}
	deliver(0)
	resp, _ := visitor.post("/allianser/ore/nyhetsbrev", url.Values{"csrf": {csrf}, "email": {"Kari@Example.no"}, "name": {"Kari Nordmann"}, "lists": {listID}, "lang": {"nb"}, "consent": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-up: %d", resp.StatusCode)
	}
	confirm := deliver(1)[0]
	if confirm.To[0] != "kari@example.no" {
		t.Fatalf("confirmation to %v", confirm.To)
	}
	_, parts := mailParts(t, confirm.Data)
	link := regexp.MustCompile(regexp.QuoteMeta(ts.URL) + `(/allianser/ore/nyhetsbrev/bekreft/\S+)`).FindStringSubmatch(parts["text/plain"])
	if link == nil {
		t.Fatalf("no confirmation link in:\n%s", parts["text/plain"])
	}
	// Nothing happens on GET (a scanner may follow the link); a forged
	// token is refused.
	status, page = newBrowser(t, ts.URL).get(link[1])
	if status != 200 || !strings.Contains(page, "Bekreft påmeldingen") {
		t.Fatalf("confirmation page: %d", status)
	}
	if lists, _ := db.Lists(ctx, ore.ID); lists[len(lists)-1].Subscribers != 0 {
		t.Fatal("confirmed by GET")
	}
	forged := link[1][:len(link[1])-3] + "AAA"
	if status, page := newBrowser(t, ts.URL).get(forged); status != 404 || !strings.Contains(page, "Lenken er ikke gyldig") {
		t.Fatalf("forged token: %d", status)
	}
	if resp, _ := newBrowser(t, ts.URL).post(link[1], nil); resp.StatusCode != 200 {
		t.Fatalf("confirming: %d", resp.StatusCode)
	}

	// The secretariat writes and sends an issue; it cannot be sent twice.
	st, page = staff.get("/allianser/ore/nyhetsbrev/redaksjon")
	if st != 200 {
		t.Fatalf("editor: %d %s", st, page)
	}
	resp, _ = staff.post("/allianser/ore/nyhetsbrev/utgaver", url.Values{"csrf": {staff.csrf(page)}, "list": {listID}, "subject": {"Nytt fra Brussel"}, "intro": {"Hei!\n\nHer er nytt fra kontoret."}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new issue: %d", resp.StatusCode)
	}
	issuePath := resp.Header.Get("Location")
	status, page = staff.get(issuePath)
	if status != 200 || !strings.Contains(page, "Send til 1 abonnenter") || !strings.Contains(page, "Her er nytt fra kontoret.") {
		t.Fatalf("issue page: %d\n%s", status, page)
	}
	if resp, body := staff.post(issuePath+"/send", url.Values{"csrf": {staff.csrf(page)}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := staff.post(issuePath+"/send", url.Values{"csrf": {staff.csrf(page)}}); resp.StatusCode != http.StatusConflict {
		t.Fatalf("second send: %d", resp.StatusCode)
	}
	issue := deliver(1)[0]
	h, parts := mailParts(t, issue.Data)
	if h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", h.Get("List-Unsubscribe-Post"))
	}
	unsub := regexp.MustCompile(`^<(https?://\S+)>$`).FindStringSubmatch(h.Get("List-Unsubscribe"))
	if unsub == nil {
		t.Fatalf("List-Unsubscribe = %q", h.Get("List-Unsubscribe"))
	}
	if !strings.Contains(parts["text/plain"], "Her er nytt fra kontoret.") || !strings.Contains(parts["text/html"], "<p>Her er nytt fra kontoret.</p>") ||
		!strings.Contains(parts["text/html"], unsub[1]) {
		t.Errorf("parts: %v", parts)
	}
	status, page = staff.get(issuePath)
	if status != 200 || !strings.Contains(page, "kari@example.no") || !strings.Contains(page, "Levert") {
		t.Errorf("send log: %d\n%s", status, page)
	}

	// One click in the mail program: a POST without cookies or form token.
	post, err := http.Post(unsub[1], "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	post.Body.Close()
	if post.StatusCode != 200 {
		t.Fatalf("one-click unsubscribe: %d", post.StatusCode)
	}
	if subs, _ := db.Subscribers(ctx, ore.ID); len(subs) != 0 {
		t.Fatalf("subscriber kept: %+v", subs)
	}
	// Again: the same answer.
	if post, err := http.Post(unsub[1], "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click")); err != nil || post.StatusCode != 200 {
		t.Fatalf("second unsubscribe: %v %v", post.StatusCode, err)
	}
	// The next issue reaches no one.
	second := samrad.NewsletterIssue{AllianceID: ore.ID, ListID: list.ID, Subject: "Igjen", Intro: "Hei."}
	if err := db.SaveIssue(ctx, &second); err != nil {
		t.Fatal(err)
	}
	if n, err := db.SendIssue(ctx, ore.ID, second.ID, func(samrad.Subscriber) (store.OutboxMessage, error) { return store.OutboxMessage{}, nil }); n != 0 || err != nil {
		t.Fatalf("second issue queued %d, %v", n, err)
	}
}

// TestIssueInDoubtShownAndResent: messages a sender left in the middle of
// their SMTP transaction (it crashed) are counted and listed as "may have
// been sent", are not sent again by themselves, and are sent again when
// the secretariat asks for it.
func TestIssueInDoubtShownAndResent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		defer ts.Close()
		smtp := smtptest.Start(t)
		transport := mail.NewSender(mail.SMTPConfig{Host: smtp.Host(), Port: smtp.Port(), Timeout: 10 * time.Second})
		srv.SetMailer(transport, mail.Address{Name: "Samråd", Email: "post@samrad.example.no"}, ts.URL)
		ore, _ := db.AllianceBySlug(ctx, "ore")
		lists, _ := db.Lists(ctx, ore.ID)
		at := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
		for i := range 3 {
			if _, err := db.SQL().ExecContext(ctx, `INSERT INTO subscribers (alliance_id, email, name, lang, status, consent, signed_up_at, confirmed_at)
				VALUES ($1, $2, 'A', 'nb', 'confirmed', 'samtykke', $3, $3)`, ore.ID, fmt.Sprintf("a%d@example.no", i), at); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.SQL().ExecContext(ctx, `INSERT INTO subscriptions (subscriber_id, list_id) SELECT id, $1 FROM subscribers WHERE alliance_id = $2`, lists[0].ID, ore.ID); err != nil {
			t.Fatal(err)
		}
		issue := samrad.NewsletterIssue{AllianceID: ore.ID, ListID: lists[0].ID, Subject: "Nytt fra Brussel", Intro: "Hei."}
		if err := db.SaveIssue(ctx, &issue); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateUser(ctx, "sekretariat@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		staff := newBrowser(t, ts.URL)
		if resp := staff.login("sekretariat@example.no", "et langt passord her"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %d", resp.StatusCode)
		}
		issuePath := fmt.Sprintf("/allianser/ore/nyhetsbrev/utgaver/%d", issue.ID)
		_, page := staff.get(issuePath)
		if resp, body := staff.post(issuePath+"/send", url.Values{"csrf": {staff.csrf(page)}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("send: %d\n%s", resp.StatusCode, body)
		}
		// A sender claims the three, marks two as being sent and dies.
		now := time.Now()
		claimed, err := db.ClaimOutbox(ctx, "krasjet", now, 10, time.Minute)
		if err != nil || len(claimed) != 3 {
			t.Fatalf("claimed %d, %v", len(claimed), err)
		}
		if marked, err := db.MarkSending(ctx, "krasjet", now, claimed[0].ID, claimed[1].ID); err != nil || len(marked) != 2 {
			t.Fatalf("marked %v, %v", marked, err)
		}
		// Its claim expires: the third is sent, the two are in doubt.
		later := now.Add(2 * time.Minute)
		s := &outbox.Sender{DB: db, Transport: transport, Now: func() time.Time { return later }}
		if _, err := s.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if len(smtp.Messages()) != 1 {
			t.Fatalf("delivered %d, want 1", len(smtp.Messages()))
		}
		if c, _ := db.CountOutbox(ctx, "newsletter_issue", issue.ID); c != (store.OutboxCounts{Sent: 1, Unknown: 2}) {
			t.Fatalf("counts %+v", c)
		}
		_, page = staff.get(issuePath)
		if strings.Count(page, "<td>Kan være sendt</td>") != 2 || !strings.Contains(page, "Sendingen stoppet mens 2 meldinger") {
			t.Errorf("the issue page does not show the two in doubt:\n%s", page)
		}
		if _, en := staff.get(fmt.Sprintf("/en/alliances/ore/newsletter/issues/%d", issue.ID)); !strings.Contains(en, "May have been sent") || !strings.Contains(en, "Send again to the 2") {
			t.Errorf("the English issue page does not show them")
		}
		if _, admin := staff.get("/allianser/ore/nyhetsbrev/redaksjon"); !strings.Contains(admin, "Kan være sendt") {
			t.Errorf("the editor's page has no column for them")
		}
		// Not sent again by themselves.
		if n, _ := s.Drain(ctx); n != 0 || len(smtp.Messages()) != 1 {
			t.Fatalf("drained %d; server has %d", n, len(smtp.Messages()))
		}
		// The secretariat sends them again.
		if resp, body := staff.post(issuePath+"/send-pa-nytt", url.Values{"csrf": {staff.csrf(page)}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("resend: %d\n%s", resp.StatusCode, body)
		}
		s.Now = time.Now
		if _, err := s.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if len(smtp.Messages()) != 3 {
			t.Fatalf("delivered %d after the resend, want 3", len(smtp.Messages()))
		}
		if c, _ := db.CountOutbox(ctx, "newsletter_issue", issue.ID); c != (store.OutboxCounts{Sent: 3}) {
			t.Fatalf("counts after the resend %+v", c)
		}
	})
}
