package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/smtptest"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/mail"
	"github.com/samrad/samrad/outbox"
	"github.com/samrad/samrad/web"
)

// BenchmarkNewsletterIssue10000 sends one issue to 10,000 confirmed
// subscribers, as the secretariat does: one op is the press on "send"
// (every subscriber's own message built and queued in one transaction)
// and the outbox delivering all of them to a local SMTP server.
func BenchmarkNewsletterIssue10000(b *testing.B) {
	const subscribers = 10000
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := testdb.Open(b, engine)
			if err := demo.Load(ctx, db); err != nil {
				b.Fatal(err)
			}
			srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				b.Fatal(err)
			}
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()
			smtp := smtptest.Start(b)
			transport := mail.NewSender(mail.SMTPConfig{Host: smtp.Host(), Port: smtp.Port(), Timeout: 10 * time.Second})
			srv.SetMailer(transport, mail.Address{Email: "post@samrad.example.no"}, ts.URL)

			ore, _ := db.AllianceBySlug(ctx, "ore")
			lists, _ := db.Lists(ctx, ore.ID)
			list := lists[0]
			at := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
			for start := 0; start < subscribers; start += 500 {
				var q strings.Builder
				q.WriteString(`INSERT INTO subscribers (alliance_id, email, name, lang, status, consent, signed_up_at, confirmed_at) VALUES `)
				for i := start; i < start+500; i++ {
					if i > start {
						q.WriteString(", ")
					}
					fmt.Fprintf(&q, "(%d, 'abonnent%d@example.no', 'Abonnent %d', 'nb', 'confirmed', 'samtykke', '%s', '%s')", ore.ID, i, i, at, at)
				}
				if _, err := db.SQL().ExecContext(ctx, q.String()); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := db.SQL().ExecContext(ctx, `INSERT INTO subscriptions (subscriber_id, list_id) SELECT id, $1 FROM subscribers WHERE alliance_id = $2`, list.ID, ore.ID); err != nil {
				b.Fatal(err)
			}
			u, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash)
			if err != nil {
				b.Fatal(err)
			}
			token, _, err := db.CreateSession(ctx, u.ID)
			if err != nil {
				b.Fatal(err)
			}
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			do := func(method, path string, form url.Values) (int, string) {
				req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.AddCookie(&http.Cookie{Name: "samrad_session", Value: token})
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				defer resp.Body.Close()
				body, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(body)
			}
			for b.Loop() {
				b.StopTimer()
				issue := samrad.NewsletterIssue{AllianceID: ore.ID, ListID: list.ID, Subject: "Nytt fra Brussel", Intro: "Hei!\n\nHer er nytt fra kontoret."}
				if err := db.SaveIssue(ctx, &issue); err != nil {
					b.Fatal(err)
				}
				path := fmt.Sprintf("/allianser/ore/nyhetsbrev/utgaver/%d", issue.ID)
				_, page := do("GET", path, nil)
				csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
				if csrf == nil {
					b.Fatal("no form token on the issue page")
				}
				b.StartTimer()
				if code, body := do("POST", path+"/send", url.Values{"csrf": {csrf[1]}}); code != http.StatusSeeOther {
					b.Fatalf("send: %d\n%s", code, body)
				}
				n, err := (&outbox.Sender{DB: db, Transport: transport}).Drain(ctx)
				if err != nil || n != subscribers {
					b.Fatalf("delivered %d, %v", n, err)
				}
				b.StopTimer()
				if c, _ := db.CountOutbox(ctx, "newsletter_issue", issue.ID); c.Sent != subscribers {
					b.Fatalf("counts %+v", c)
				}
				b.StartTimer()
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/issue")
		})
	}
}

// BenchmarkRegistration signs people up for an open event through the
// web form, many at once (b.RunParallel with 16 visitors per core): one op
// is one visitor opening the form and posting it with a new address. It
// reports registrations per second; any answer but the redirect to the
// confirmation fails the benchmark.
func BenchmarkRegistration(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := testdb.Open(b, engine)
			if err := demo.Load(ctx, db); err != nil {
				b.Fatal(err)
			}
			srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				b.Fatal(err)
			}
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()
			ore, _ := db.AllianceBySlug(ctx, "ore")
			start := time.Now().AddDate(0, 1, 0)
			e := samrad.Event{AllianceID: ore.ID, Slug: "stort-seminar", TitleNB: "Stort seminar", Venue: "Oslo", Published: true,
				Days:         []samrad.EventDay{{Date: samrad.NewDate(start.Year(), start.Month(), start.Day())}},
				Registration: samrad.RegistrationSettings{Open: true, Capacity: 500, WaitingList: true, ConsentNB: "Vi lagrer navnet ditt."}}
			if err := db.CreateEvent(ctx, &e); err != nil {
				b.Fatal(err)
			}
			form := ts.URL + "/allianser/ore/arrangementer/stort-seminar/pamelding"
			csrfRe := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
			var n atomic.Int64
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					jar, _ := cookiejar.New(nil)
					c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
					resp, err := c.Get(form)
					if err != nil {
						b.Error(err)
						return
					}
					page, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					m := csrfRe.FindSubmatch(page)
					if m == nil {
						b.Errorf("form: %d", resp.StatusCode)
						return
					}
					i := n.Add(1)
					resp, err = c.PostForm(form, url.Values{"csrf": {string(m[1])}, "name": {fmt.Sprintf("Deltaker %d", i)},
						"email": {fmt.Sprintf("deltaker%d@example.no", i)}, "consent": {"yes"}})
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusSeeOther {
						b.Errorf("registration %d: %d", i, resp.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "registrations/s")
			places, err := db.EventPlaces(ctx, e.ID)
			if err != nil || places.Confirmed > 500 {
				b.Fatalf("places %+v, %v", places, err)
			}
		})
	}
}
