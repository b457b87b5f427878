package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	gomail "net/mail"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/ical"
	"github.com/samrad/samrad/internal/smtptest"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/mail"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// TestSendNoticeOverSMTP sends a meeting's notice to a real SMTP server
// started in the test and reads back the messages and their invitations.
func TestSendNoticeOverSMTP(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "sqlite")
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	var refuse atomic.Bool
	refuse.Store(true)
	smtp := smtptest.Start(t, smtptest.WithFailures(func(rcpt string) (int, string) {
		if refuse.Load() && strings.HasPrefix(rcpt, "avvist@") {
			return 550, "5.1.1 no such mailbox"
		}
		return 0, ""
	}))
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv.SetMailer(mail.NewSender(mail.SMTPConfig{Host: smtp.Host(), Port: smtp.Port(), Timeout: 10 * time.Second}),
		mail.Address{Name: "Sekretariatet", Email: "post@ore.example"}, "https://ore.example")
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	ore, _ := db.AllianceBySlug(ctx, "ore")
	if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash); err != nil {
		t.Fatal(err)
	}
	sec := newBrowser(t, ts.URL)
	sec.login("s@example.no", "et langt passord her")
	_, page := sec.get("/allianser/ore/organer/kontaktgruppen")
	token := sec.csrf(page)
	reg, _ := db.Registry(ctx)
	baerum, _ := reg.AtDate("3201", samrad.Today())
	for _, p := range []struct{ name, email string }{{"Åse Ødegård", "ase@example.no"}, {"Per Uten Epost", ""}, {"Avvist Adresse", "avvist@example.no"}} {
		form := url.Values{"csrf": {token}, "new_person": {p.name}, "new_email": {p.email}, "role": {"member"}, "represents": {itoa(baerum.ID)}, "from": {"2024-01-01"}}
		if resp, body := sec.post("/allianser/ore/organer/kontaktgruppen/seter", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("seat for %s: %d %s", p.name, resp.StatusCode, body[:min(200, len(body))])
		}
	}
	// The refused person holds a second seat: still one message, and it
	// is not counted as sent.
	for _, p := range mustPeople(t, db) {
		if p.Name == "Avvist Adresse" {
			form := url.Values{"csrf": {token}, "person": {itoa(p.ID)}, "role": {"deputy_member"}, "represents": {itoa(baerum.ID)}, "from": {"2024-01-01"}}
			if resp, body := sec.post("/allianser/ore/organer/kontaktgruppen/seter", form); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("second seat: %d %s", resp.StatusCode, body[:min(200, len(body))])
			}
		}
	}
	resp, _ := sec.post("/allianser/ore/organer/kontaktgruppen/moter", url.Values{"csrf": {token}, "number": {"1"}, "date": {"2025-02-10"}, "start": {"10:00"}, "end": {"15:00"}, "place": {"Sandvika"}})
	meeting := resp.Header.Get("Location")
	if _, body := sec.post(meeting+"/saker", url.Values{"csrf": {token}, "title": {"Innspill til handlingsplanen"}, "type": {"discussion"}}); strings.Contains(body, "field-error") {
		t.Fatal("case")
	}
	// One recipient is refused: the meeting stays planned and the page says who.
	resp, body := sec.post(meeting+"/send-innkalling", url.Values{"csrf": {token}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "1 innkallinger ble sendt, men ikke til: Avvist Adresse.") {
		t.Fatalf("send with a refused address: %d", resp.StatusCode)
	}
	if got := len(smtp.Messages()); got != 1 {
		t.Fatalf("%d messages delivered, want 1 (Åse)", got)
	}
	msg, err := gomail.ReadMessage(bytes.NewReader(smtp.Messages()[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	if subject != "Innkalling: Kontaktgruppen, møte 1/2025" || smtp.Messages()[0].To[0] != "ase@example.no" {
		t.Errorf("subject %q to %v", subject, smtp.Messages()[0].To)
	}
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var cal *ical.Calendar
	for {
		part, err := mr.NextPart()
		if err != nil {
			break
		}
		if strings.HasPrefix(part.Header.Get("Content-Type"), "text/calendar") {
			raw, _ := io.ReadAll(part)
			if part.Header.Get("Content-Transfer-Encoding") == "base64" {
				raw = decodeBase64(t, raw)
			}
			if cal, err = ical.Parse(bytes.NewReader(raw)); err != nil {
				t.Fatalf("the invitation is not valid iCalendar: %v", err)
			}
		}
	}
	if cal == nil || cal.Method != "REQUEST" || len(cal.Events) != 1 || cal.Events[0].Location != "Sandvika" ||
		!cal.Events[0].Start.Equal(time.Date(2025, 2, 10, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("invitation = %+v", cal)
	}
	if _, page := sec.get(meeting); !strings.Contains(page, "Planlagt") {
		t.Error("the meeting must stay planned after a failed send")
	}
	// When the address works again, sending again reaches everyone with an
	// address and marks the notice as sent.
	refuse.Store(false)
	if resp, _ := sec.post(meeting+"/send-innkalling", url.Values{"csrf": {token}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second send: %d", resp.StatusCode)
	}
	if got := len(smtp.Messages()); got != 2 {
		t.Errorf("%d messages in all, want 2 (Åse once, then the other address)", got)
	}
	_, page = sec.get(meeting)
	if !strings.Contains(page, "Innkalling sendt") {
		t.Error("the meeting is not marked as notice sent")
	}
	// The send log shows each person once, with the attempts it took.
	for _, want := range []string{"ase@example.no</td><td class=\"num\">1<", "avvist@example.no</td><td class=\"num\">2<"} {
		if !strings.Contains(page, want) {
			t.Errorf("the send log has no %q", want)
		}
	}
	if resp, _ := sec.post(meeting+"/send-innkalling", url.Values{"csrf": {token}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("third send: %d, want 409", resp.StatusCode)
	}
}

func decodeBase64(t *testing.T, raw []byte) []byte {
	t.Helper()
	out, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(raw)), ""))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustPeople(t *testing.T, db *store.DB) []samrad.Person {
	t.Helper()
	people, err := db.People(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return people
}
