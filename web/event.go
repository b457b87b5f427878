package web

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/ical"
	"github.com/samrad/samrad/mail"
	"github.com/samrad/samrad/store"
)

// ReminderWindow is how long before an event its participants are reminded.
const ReminderWindow = 48 * time.Hour

type eventsData struct {
	Alliance       samrad.Alliance
	Upcoming, Past []samrad.Event
	CanEdit        bool
}

// handleEvents lists an alliance's published events, upcoming and past;
// the secretariat sees the unpublished ones too.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	canEdit := v.User.Can(a.ID, samrad.RoleSecretariat)
	events, err := s.db.Events(ctx, a.ID, canEdit)
	if err != nil {
		return err
	}
	data := eventsData{Alliance: a, CanEdit: canEdit}
	today := samrad.Today()
	for _, e := range events {
		if e.LastDay().Before(today) {
			data.Past = append(data.Past, e)
		} else {
			data.Upcoming = append([]samrad.Event{e}, data.Upcoming...) // soonest first
		}
	}
	title := s.cat.T(v.Lang, "events_title")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, http.StatusOK, "events", v)
	return nil
}

type programmeDay struct {
	Day      samrad.EventDay
	Sessions []samrad.Session
}

type eventData struct {
	Alliance samrad.Alliance
	Event    samrad.Event
	Body     *samrad.Body
	Host     *samrad.Organisation
	Days     []programmeDay
	Places   store.Places
	Open     bool
	Full     bool // no places left (a waiting list may still take registrations)
	Left     int  // places left when the event has a limit
	CanEdit  bool
}

// loadEvent reads the alliance and event a path names. Unpublished events
// are for the secretariat only.
func (s *Server) loadEvent(ctx context.Context, r *http.Request, v *view) (samrad.Alliance, samrad.Event, error) {
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return a, samrad.Event{}, err
	}
	e, err := s.db.Event(ctx, a.ID, r.PathValue("event"))
	if err != nil {
		return a, e, err
	}
	if !e.Published && !v.User.Can(a.ID, samrad.RoleSecretariat) {
		return a, e, samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	return a, e, nil
}

func (s *Server) eventData(ctx context.Context, v *view, a samrad.Alliance, e samrad.Event) (eventData, error) {
	data := eventData{Alliance: a, Event: e, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat), Open: e.RegistrationOpen(time.Now())}
	for _, d := range e.Days {
		data.Days = append(data.Days, programmeDay{Day: d, Sessions: e.SessionsOn(d.Date)})
	}
	if e.BodyID != 0 {
		bodies, err := s.db.Bodies(ctx, a.ID)
		if err != nil {
			return data, err
		}
		for i := range bodies {
			if bodies[i].ID == e.BodyID {
				data.Body = &bodies[i]
			}
		}
	}
	if e.HostOrgID != 0 {
		reg, err := s.db.Registry(ctx)
		if err != nil {
			return data, err
		}
		if o, ok := reg.Org(e.HostOrgID); ok {
			data.Host = &o
		}
	}
	var err error
	if data.Places, err = s.db.EventPlaces(ctx, e.ID); err != nil {
		return data, err
	}
	if c := e.Registration.Capacity; c > 0 {
		data.Left = max(0, c-data.Places.Confirmed)
		data.Full = data.Left == 0
	}
	return data, nil
}

// handleEvent shows an event with its programme by day.
func (s *Server) handleEvent(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, e, err := s.loadEvent(ctx, r, v)
	if err != nil {
		return err
	}
	data, err := s.eventData(ctx, v, a, e)
	if err != nil {
		return err
	}
	if data.Open {
		// A cached copy says registration is open only until it closes.
		v.until = e.Deadline()
		if e.Ends().Before(v.until) {
			v.until = e.Ends()
		}
	}
	v.Title, v.Nav, v.Data = e.Title(v.Lang)+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "events_title"), Path(v.Lang, "events", a.Slug), e.Title(v.Lang), "")
	s.render(w, http.StatusOK, "event", v)
	return nil
}

// eventCalendarEvents are an event's days as calendar entries.
func (s *Server) eventCalendarEvents(lang string, a samrad.Alliance, e samrad.Event) []ical.Event {
	link := s.baseURL + Path(lang, "event", a.Slug, e.Slug)
	loc := e.Venue
	if e.Address != "" {
		loc += ", " + e.Address
	}
	if loc == "" {
		loc = e.OnlineURL
	}
	var out []ical.Event
	for i, d := range e.Days {
		ev := ical.Event{UID: fmt.Sprintf("event-%d-day-%d@samrad", e.ID, i+1), Summary: e.Title(lang), Description: e.Description(lang),
			Location: loc, URL: link, Status: "CONFIRMED", Stamp: e.Starts()}
		if len(e.Days) > 1 {
			ev.Summary = fmt.Sprintf("%s (%s)", e.Title(lang), s.cat.T(lang, "event_day_n", i+1))
		}
		if d.Start.IsZero() {
			ev.AllDay = true
			ev.Start = d.Date.Time()
			ev.End = d.Date.AddDays(1).Time()
		} else {
			ev.Start, ev.End = d.Start, d.End
			if ev.End.IsZero() {
				ev.End = ev.Start.Add(2 * time.Hour)
			}
		}
		out = append(out, ev)
	}
	return out
}

func (s *Server) eventICS(lang string, a samrad.Alliance, e samrad.Event) ([]byte, error) {
	cal := ical.Calendar{Method: "PUBLISH", Name: e.Title(lang), Events: s.eventCalendarEvents(lang, a, e)}
	return cal.Bytes()
}

func writeICS(w http.ResponseWriter, filename string, body []byte) error {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": filename}))
	_, err := w.Write(body)
	return err
}

// handleEventICS is one event as an iCalendar file.
func (s *Server) handleEventICS(w http.ResponseWriter, r *http.Request, v *view) error {
	a, e, err := s.loadEvent(r.Context(), r, v)
	if err != nil {
		return err
	}
	body, err := s.eventICS(v.Lang, a, e)
	if err != nil {
		return err
	}
	return writeICS(w, e.Slug+".ics", body)
}

// handleEventsICS is the alliance's published events as a calendar feed.
func (s *Server) handleEventsICS(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	events, err := s.db.Events(ctx, a.ID, false)
	if err != nil {
		return err
	}
	cal := ical.Calendar{Name: s.cat.T(v.Lang, "events_title") + " – " + a.Name(v.Lang)}
	for _, e := range events {
		cal.Events = append(cal.Events, s.eventCalendarEvents(v.Lang, a, e)...)
	}
	body, err := cal.Bytes()
	if err != nil {
		return err
	}
	return writeICS(w, a.Slug+"-events.ics", body)
}

// handleMaterial serves a session's material as a download that cannot
// run in the site's origin.
func (s *Server) handleMaterial(w http.ResponseWriter, r *http.Request, v *view) error {
	_, e, err := s.loadEvent(r.Context(), r, v)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	m, data, err := s.db.MaterialFile(r.Context(), e.ID, id)
	if err != nil {
		return err
	}
	return serveStored(w, m.ContentType, m.Filename, m.SHA256, data)
}

type registerData struct {
	eventData
	Consent string
	CSRF    string
	Form    *form
}

// handleRegisterForm shows the registration form, or why it is closed.
func (s *Server) handleRegisterForm(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.registerPage(w, r, v, http.StatusOK, nil)
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request, v *view, status int, f *form) error {
	ctx := r.Context()
	a, e, err := s.loadEvent(ctx, r, v)
	if err != nil {
		return err
	}
	ed, err := s.eventData(ctx, v, a, e)
	if err != nil {
		return err
	}
	csrf := v.CSRF
	if v.User == nil {
		csrf = s.anonymousCSRF(w, r)
	}
	w.Header().Set("Cache-Control", "no-store")
	title := s.cat.T(v.Lang, "register_title", e.Title(v.Lang))
	v.Title, v.Nav = title, "home"
	v.Data = registerData{eventData: ed, Consent: e.Registration.Consent(v.Lang), CSRF: csrf, Form: f}
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "events_title"), Path(v.Lang, "events", a.Slug),
		e.Title(v.Lang), Path(v.Lang, "event", a.Slug, e.Slug), s.cat.T(v.Lang, "register"), "")
	s.render(w, status, "event_register", v)
	return nil
}

// handleRegister takes a registration from anyone, with the form token of
// their session or of their visitor cookie. The confirmation is queued in
// the registration's transaction; the visitor goes on to their own page.
func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request, v *view) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := checkCSRF(r, v); err != nil {
		return err
	}
	ctx := r.Context()
	_, e, err := s.loadEvent(ctx, r, v)
	if err != nil {
		return err
	}
	f := newForm("register", r)
	reg := samrad.Registration{EventID: e.ID, Lang: v.Lang, Name: r.PostFormValue("name"), Email: strings.TrimSpace(r.PostFormValue("email")),
		Organisation: r.PostFormValue("organisation"), Diet: r.PostFormValue("diet"), Accessibility: r.PostFormValue("accessibility"),
		Comment: r.PostFormValue("comment")}
	for _, x := range r.PostForm["sessions"] {
		id, perr := strconv.ParseInt(x, 10, 64)
		if perr != nil {
			f.Errors["sessions"] = s.cat.T(v.Lang, "register_bad_session")
		}
		reg.SessionIDs = append(reg.SessionIDs, id)
	}
	if r.PostFormValue("consent") == "yes" {
		reg.ConsentText = e.Registration.Consent(v.Lang)
	}
	var token string
	if len(f.Errors) == 0 {
		var mailer store.RegistrationMail
		if mailer, err = s.registrationMailer(ctx); err == nil {
			token, err = s.db.Register(ctx, &reg, time.Now(), mailer)
		}
	}
	if err == nil && len(f.Errors) == 0 {
		http.Redirect(w, r, Path(v.Lang, "registration", token), http.StatusSeeOther)
		return nil
	}
	if samrad.ErrorCode(err) == samrad.EINTERNAL || samrad.ErrorCode(err) == samrad.EUNAVAILABLE {
		return err
	}
	status := http.StatusBadRequest
	if err != nil {
		f.fail(err, "form")
		status = f.status(err)
	}
	return s.registerPage(w, r, v, status, f)
}

type registrationData struct {
	Alliance     samrad.Alliance
	Event        samrad.Event
	Registration samrad.Registration
	Sessions     []samrad.Session
	Token, CSRF  string
}

// handleRegistration is a participant's own page, reached by the link in
// the confirmation: what they registered, and the button to cancel.
func (s *Server) handleRegistration(w http.ResponseWriter, r *http.Request, v *view) error {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	ctx := r.Context()
	reg, e, err := s.db.RegistrationByToken(ctx, r.PathValue("token"))
	if err != nil {
		if samrad.ErrorCode(err) == samrad.ENOTFOUND {
			return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "registration_not_found"))
		}
		return err
	}
	alliances, err := s.db.Alliances(ctx)
	if err != nil {
		return err
	}
	var a samrad.Alliance
	for _, x := range alliances {
		if x.ID == e.AllianceID {
			a = x
		}
	}
	csrf := v.CSRF
	if v.User == nil {
		csrf = s.anonymousCSRF(w, r)
	}
	data := registrationData{Alliance: a, Event: e, Registration: reg, Token: r.PathValue("token"), CSRF: csrf}
	for _, id := range reg.SessionIDs {
		if ss, ok := e.Session(id); ok {
			data.Sessions = append(data.Sessions, ss)
		}
	}
	v.Title, v.Nav, v.Data = s.cat.T(v.Lang, "registration_title", e.Title(v.Lang)), "home", data
	s.render(w, http.StatusOK, "registration", v)
	return nil
}

// handleCancelRegistration deletes the registration the link names; the
// first on the waiting list gets the place and an e-mail.
func (s *Server) handleCancelRegistration(w http.ResponseWriter, r *http.Request, v *view) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	_, e, err := s.db.RegistrationByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		if samrad.ErrorCode(err) == samrad.ENOTFOUND {
			return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "registration_not_found"))
		}
		return err
	}
	if err := checkCSRF(r, v); err != nil {
		return err
	}
	mailer, err := s.registrationMailer(r.Context())
	if err != nil {
		return err
	}
	if err := s.db.CancelRegistration(r.Context(), r.PathValue("token"), mailer); err != nil {
		if samrad.ErrorCode(err) == samrad.ENOTFOUND {
			return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "registration_not_found"))
		}
		return err
	}
	v.Title = s.cat.T(v.Lang, "registration_cancelled_title")
	v.Data = struct{ Message string }{s.cat.T(v.Lang, "registration_cancelled", e.Title(v.Lang))}
	s.render(w, http.StatusOK, "error", v)
	return nil
}

// registrationMailer returns the builder of the e-mails about a
// registration: the confirmation (with the self-service link), the place
// from the waiting list, and the reminder, in the participant's language,
// each with the event as an iCalendar file. The store calls it inside its
// transaction, so it must not use the database: the alliances are read
// before.
func (s *Server) registrationMailer(ctx context.Context) (store.RegistrationMail, error) {
	alliances, err := s.db.Alliances(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]samrad.Alliance, len(alliances))
	for _, a := range alliances {
		byID[a.ID] = a
	}
	return func(kind string, e samrad.Event, r samrad.Registration, token string) (store.OutboxMessage, error) {
		return s.registrationMail(byID[e.AllianceID], kind, e, r, token)
	}, nil
}

func (s *Server) registrationMail(a samrad.Alliance, kind string, e samrad.Event, r samrad.Registration, token string) (store.OutboxMessage, error) {
	lang := r.Lang
	title := e.Title(lang)
	var subject, lead string
	switch {
	case kind == store.MailPromotion:
		subject, lead = s.cat.T(lang, "mail_promotion_subject", title), s.cat.T(lang, "mail_promotion_text", title)
	case kind == store.MailReminder:
		subject, lead = s.cat.T(lang, "mail_reminder_subject", title), s.cat.T(lang, "mail_reminder_text", title)
	case r.Status == samrad.RegistrationWaiting:
		subject, lead = s.cat.T(lang, "mail_waiting_subject", title), s.cat.T(lang, "mail_waiting_text", title)
	default:
		subject, lead = s.cat.T(lang, "mail_confirmed_subject", title), s.cat.T(lang, "mail_confirmed_text", title)
	}
	var text strings.Builder
	fmt.Fprintf(&text, "%s\n\n%s\n\n", s.cat.T(lang, "mail_greeting", r.Name), lead)
	for _, d := range e.Days {
		fmt.Fprintf(&text, "%s\n", strings.TrimSpace(formatDate(lang, d.Date)+" "+d.Hours()))
	}
	if e.Venue != "" {
		fmt.Fprintf(&text, "%s: %s", s.cat.T(lang, "event_venue"), e.Venue)
		if e.Address != "" {
			fmt.Fprintf(&text, ", %s", e.Address)
		}
		text.WriteString("\n")
	}
	if e.OnlineURL != "" {
		fmt.Fprintf(&text, "%s: %s\n", s.cat.T(lang, "event_online"), e.OnlineURL)
	}
	fmt.Fprintf(&text, "\n%s\n", s.baseURL+Path(lang, "event", a.Slug, e.Slug))
	if token != "" {
		fmt.Fprintf(&text, "\n%s\n%s\n", s.cat.T(lang, "mail_self_service"), s.baseURL+Path(lang, "registration", token))
	} else {
		fmt.Fprintf(&text, "\n%s\n", s.cat.T(lang, "mail_self_service_earlier"))
	}
	ics, err := s.eventICS(lang, a, e)
	if err != nil {
		return store.OutboxMessage{}, err
	}
	// Without SMTP configured the message waits in the outbox until it is.
	from := s.mailFromFor(a, lang)
	msg := mail.Message{From: from, To: []mail.Address{{Name: r.Name, Email: r.Email}}, Subject: subject, Text: text.String(),
		Attachments: []mail.Attachment{{Filename: e.Slug + ".ics", ContentType: "text/calendar; method=PUBLISH; charset=utf-8", Data: ics}}}
	data, err := msg.Bytes()
	if err != nil {
		return store.OutboxMessage{}, samrad.Errorf(samrad.EINVALID, "%v", err)
	}
	return store.OutboxMessage{From: from.Email, To: r.Email, Data: data}, nil
}

// SendEventReminders queues a reminder to every confirmed participant of
// the events that start within ReminderWindow of now, each once. Call it
// on a schedule (every quarter of an hour is plenty).
func (s *Server) SendEventReminders(ctx context.Context, now time.Time) (int, error) {
	mailer, err := s.registrationMailer(ctx)
	if err != nil {
		return 0, err
	}
	return s.db.RemindRegistrations(ctx, now, ReminderWindow, mailer)
}
