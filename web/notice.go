package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/ical"
	"github.com/samrad/samrad/mail"
	"github.com/samrad/samrad/pdf"
	"github.com/samrad/samrad/store"
)

// Mailer sends one message; *mail.Sender is one.
type Mailer interface {
	Send(ctx context.Context, m *mail.Message) error
}

// SetMailer lets the server send e-mail from the given address, with links
// to baseURL (e.g. https://samrad.example.no).
func (s *Server) SetMailer(m Mailer, from mail.Address, baseURL string) {
	s.mailer, s.mailFrom, s.baseURL = m, from, strings.TrimRight(baseURL, "/")
}

// SetBaseURL sets the site's public address (e.g. https://samrad.example.no),
// used for links in e-mail and PDF files.
func (s *Server) SetBaseURL(u string) { s.baseURL = strings.TrimRight(u, "/") }

// publicBase is the scheme and host of the addresses the server publishes
// (feeds, open data, the sitemap): the base URL when one is set, else the
// host the request came to.
func (s *Server) publicBase(r *http.Request) string {
	if _, ok := hostSite(r); ok {
		// An alliance's own host name: its scheme is the base URL's, or
		// what the request came in over.
		if strings.HasPrefix(s.baseURL, "https://") || s.overTLS(r) {
			return "https://" + r.Host
		}
		return "http://" + r.Host
	}
	if s.baseURL != "" {
		return s.baseURL
	}
	return "http://" + r.Host
}

// hostKey is the part of a cached page's key that the host decides: the
// alliance of an own host name, or without a configured base URL the host
// itself (it appears in feeds and the sitemap).
func (s *Server) hostKey(r *http.Request) string {
	if own, ok := hostSite(r); ok {
		return own.Slug + "@" + strings.ToLower(r.Host)
	}
	if s.baseURL == "" {
		return samrad.RequestHost(r.Host)
	}
	return ""
}

// SetPDF lets the server print notices, minutes and reports as PDF.
func (s *Server) SetPDF(r *pdf.Renderer) { s.pdf = r }

// meetingSendNotice e-mails the notice to every seat holder with an e-mail
// address, one message each with the meeting as an iCalendar invitation,
// and then marks the notice as sent. If any message fails, the meeting
// stays planned and the form says who did not get it; every attempt is
// logged, and sending again reaches only those who have not got it.
func (s *Server) meetingSendNotice(ctx context.Context, v *view, m store.MeetingRow, b samrad.Body, f *form) error {
	if s.mailer == nil {
		return samrad.Errorf(samrad.EINVALID, "%s", s.cat.T(v.Lang, "mail_not_configured"))
	}
	if m.Status != samrad.MeetingPlanned {
		return samrad.Errorf(samrad.ECONFLICT, "%s", s.cat.T(v.Lang, "notice_already_sent"))
	}
	a, err := s.db.AllianceBySlug(ctx, f.Values.Get("alliance"))
	if err != nil {
		return err
	}
	seats, err := s.db.Seats(ctx, b.ID)
	if err != nil {
		return err
	}
	items, err := s.db.Agenda(ctx, m.ID)
	if err != nil {
		return err
	}
	day := samrad.NewDate(m.Start.Year(), m.Start.Month(), m.Start.Day())
	title := s.cat.T(v.Lang, "meeting_title", b.Name(v.Lang), m.Label())
	link := s.baseURL + Path(v.Lang, "meeting", a.Slug, strconv.FormatInt(m.ID, 10))
	var text strings.Builder
	fmt.Fprintf(&text, "%s\n\n%s: %s\n", s.cat.T(v.Lang, "notice_title", b.Name(v.Lang), m.Label()), s.cat.T(v.Lang, "time"), m.When())
	if m.Place != "" {
		fmt.Fprintf(&text, "%s: %s\n", s.cat.T(v.Lang, "place"), m.Place)
	}
	fmt.Fprintf(&text, "\n%s:\n", s.cat.T(v.Lang, "agenda"))
	for _, it := range items {
		fmt.Fprintf(&text, "- %s %s\n", samrad.CaseNumber(a.CaseScheme, it.Case.Number, it.Case.Year), it.Case.Title)
	}
	fmt.Fprintf(&text, "\n%s\n", link)
	ev := ical.Event{UID: fmt.Sprintf("meeting-%d@samrad", m.ID), Start: m.Start, End: m.End, Summary: title,
		Location: m.Place, URL: link, Status: "CONFIRMED", Organizer: &ical.Person{Name: s.mailFrom.Name, Email: s.mailFrom.Email},
		Stamp: time.Now()}
	if m.DateOnly {
		ev.AllDay, ev.End = true, m.Start.AddDate(0, 0, 1)
		if !m.End.IsZero() {
			ev.End = m.End.AddDate(0, 0, 1)
		}
	} else if ev.End.IsZero() {
		ev.End = m.Start.Add(2 * time.Hour)
	}
	deliveries, err := s.db.Deliveries(ctx, m.ID)
	if err != nil {
		return err
	}
	sentBefore := map[int64]bool{}
	for _, d := range deliveries {
		sentBefore[d.PersonID] = d.Sent()
	}
	seen := map[int64]bool{} // one message per person, whatever seats they hold
	var failed, skipped []string
	sent := 0
	for _, st := range seats {
		if !st.ActiveOn(day) || seen[st.Person.ID] {
			continue
		}
		seen[st.Person.ID] = true
		if sentBefore[st.Person.ID] {
			// Sent by an earlier try that failed for someone else: once
			// is enough.
			sent++
			continue
		}
		if st.Person.Email == "" {
			skipped = append(skipped, st.Person.Name)
			continue
		}
		e := ev
		e.Attendees = []ical.Person{{Name: st.Person.Name, Email: st.Person.Email}}
		cal := ical.Calendar{Method: "REQUEST", Events: []ical.Event{e}}
		ics, err := cal.Bytes()
		if err != nil {
			return err
		}
		msg := &mail.Message{From: s.mailFrom, To: []mail.Address{{Name: st.Person.Name, Email: st.Person.Email}},
			Subject: s.cat.T(v.Lang, "notice_title", b.Name(v.Lang), m.Label()), Text: text.String(),
			Attachments: []mail.Attachment{{Filename: "innkalling.ics", ContentType: "text/calendar; method=REQUEST; charset=utf-8", Data: ics}}}
		sendErr := s.mailer.Send(ctx, msg)
		if err := s.db.RecordDelivery(ctx, m.ID, st.Person.ID, st.Person.Email, sendErr); err != nil {
			return err
		}
		if sendErr != nil {
			s.log.Warn("notice not sent", "meeting", m.ID, "to", st.Person.Name, "err", sendErr)
			failed = append(failed, st.Person.Name)
			continue
		}
		sent++
	}
	if len(failed) > 0 {
		return samrad.Errorf(samrad.EINVALID, "%s", s.cat.T(v.Lang, "notice_failed", sent, strings.Join(failed, ", ")))
	}
	if sent == 0 {
		return samrad.Errorf(samrad.EINVALID, "%s", s.cat.T(v.Lang, "notice_nobody", strings.Join(skipped, ", ")))
	}
	return s.db.SetMeetingStatus(ctx, m.ID, samrad.MeetingNoticeSent)
}
