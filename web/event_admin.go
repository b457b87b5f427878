package web

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

type eventEditData struct {
	Alliance samrad.Alliance
	Event    samrad.Event // zero for a new event
	Bodies   []samrad.Body
	Members  []samrad.Membership
	People   []samrad.Person
	Fields   []string
	Forms    forms
	DaysText string
	Deadline string
}

// daysText writes an event's days as the form takes them, one a line:
// "2020-01-23" or "2020-01-23 09:00-16:00".
func daysText(e samrad.Event) string {
	var b strings.Builder
	for _, d := range e.Days {
		b.WriteString(d.Date.String())
		if h := d.Hours(); h != "" {
			b.WriteString(" " + strings.ReplaceAll(h, "–", "-"))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// osloClock is a day and a clock time ("09:00") in Oslo.
func osloClock(d samrad.Date, clock string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02 15:04", d.String()+" "+clock, samrad.Oslo())
	return t, err
}

// parseDays reads the days field.
func parseDays(text string) ([]samrad.EventDay, bool) {
	var out []samrad.EventDay
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.ReplaceAll(line, "–", "-"))
		if line == "" {
			continue
		}
		date, span, _ := strings.Cut(line, " ")
		d, err := samrad.ParseDate(date)
		if err != nil {
			return nil, false
		}
		day := samrad.EventDay{Date: d}
		if span = strings.TrimSpace(span); span != "" {
			from, to, _ := strings.Cut(span, "-")
			if day.Start, err = osloClock(d, strings.TrimSpace(from)); err != nil {
				return nil, false
			}
			if to = strings.TrimSpace(to); to != "" {
				if day.End, err = osloClock(d, to); err != nil {
					return nil, false
				}
			}
		}
		out = append(out, day)
	}
	return out, true
}

func formInt(s string) (int, bool) {
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// secretariatEvent reads the alliance and, if the path names one, the
// event, for the secretariat's pages.
func (s *Server) secretariatAlliance(r *http.Request, v *view) (samrad.Alliance, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return a, err
	}
	return a, s.requireRole(v, a, samrad.RoleSecretariat)
}

func (s *Server) eventEditPage(w http.ResponseWriter, r *http.Request, v *view, a samrad.Alliance, e samrad.Event, status int, fs forms) error {
	ctx := r.Context()
	data := eventEditData{Alliance: a, Event: e, Fields: samrad.AskableFields, Forms: fs, DaysText: daysText(e)}
	if !e.Registration.Deadline.IsZero() {
		data.Deadline = e.Registration.Deadline.In(samrad.Oslo()).Format("2006-01-02 15:04")
	}
	var err error
	if data.Bodies, err = s.db.Bodies(ctx, a.ID); err != nil {
		return err
	}
	if data.Members, err = s.db.MembersOn(ctx, a.ID, samrad.Today(), false); err != nil {
		return err
	}
	if e.ID != 0 {
		if data.People, err = s.db.People(ctx); err != nil {
			return err
		}
	}
	title := s.cat.T(v.Lang, "event_new")
	if e.ID != 0 {
		title = s.cat.T(v.Lang, "event_edit", e.Title(v.Lang))
	}
	v.Title, v.Nav, v.Data = title, "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "events_title"), Path(v.Lang, "events", a.Slug), title, "")
	s.render(w, status, "event_edit", v)
	return nil
}

// handleEventNew is the form for a new event.
func (s *Server) handleEventNew(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return err
	}
	e := samrad.Event{Registration: samrad.RegistrationSettings{RetentionDays: samrad.DefaultRetentionDays, WaitingList: true,
		Fields:    []string{samrad.AskOrganisation, samrad.AskDiet, samrad.AskAccessibility},
		ConsentNB: s.cat.T("nb", "consent_default"), ConsentEN: s.cat.T("en", "consent_default")}}
	return s.eventEditPage(w, r, v, a, e, http.StatusOK, nil)
}

// handleEventEditForm is the event's edit page with its programme.
func (s *Server) handleEventEditForm(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return err
	}
	e, err := s.db.Event(r.Context(), a.ID, r.PathValue("event"))
	if err != nil {
		return err
	}
	return s.eventEditPage(w, r, v, a, e, http.StatusOK, nil)
}

// readEventForm fills e from the posted event form.
func (s *Server) readEventForm(v *view, f *form, e *samrad.Event) {
	e.TitleNB, e.TitleEN, e.Slug = f.Get("title_nb"), f.Get("title_en"), f.Get("slug")
	if e.Slug == "" {
		e.Slug = slugify(e.TitleNB)
	}
	e.DescriptionNB, e.DescriptionEN = f.Get("description_nb"), f.Get("description_en")
	e.Venue, e.Address, e.OnlineURL = f.Get("venue"), f.Get("address"), f.Get("online_url")
	e.Published = f.Get("published") == "yes"
	e.BodyID, e.HostOrgID = 0, 0
	if x := f.Get("body"); x != "" {
		e.BodyID, _ = strconv.ParseInt(x, 10, 64)
	}
	if x := f.Get("host"); x != "" {
		e.HostOrgID, _ = strconv.ParseInt(x, 10, 64)
	}
	days, ok := parseDays(f.Values.Get("days"))
	if !ok {
		f.Errors["days"] = s.cat.T(v.Lang, "event_bad_days")
	}
	e.Days = days
	rs := &e.Registration
	rs.Open, rs.WaitingList = f.Get("reg_open") == "yes", f.Get("waiting_list") == "yes"
	rs.Fields = append([]string(nil), f.Values["fields"]...)
	rs.ConsentNB, rs.ConsentEN = f.Get("consent_nb"), f.Get("consent_en")
	if rs.Capacity, ok = formInt(f.Get("capacity")); !ok {
		f.Errors["capacity"] = s.cat.T(v.Lang, "event_not_a_number")
	}
	if rs.RetentionDays, ok = formInt(f.Get("retention_days")); !ok || f.Get("retention_days") == "" {
		f.Errors["retention_days"] = s.cat.T(v.Lang, "event_not_a_number")
	}
	rs.Deadline = time.Time{}
	if x := f.Get("deadline"); x != "" {
		t, err := time.ParseInLocation("2006-01-02 15:04", x, samrad.Oslo())
		if err != nil {
			f.Errors["deadline"] = s.cat.T(v.Lang, "event_bad_deadline")
		}
		rs.Deadline = t
	}
}

// handleEventCreate stores a new event.
func (s *Server) handleEventCreate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("event", r)
	e := samrad.Event{AllianceID: a.ID}
	s.readEventForm(v, f, &e)
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.CreateEvent(ctx, &e)
	}
	return settle(w, r, f, err, "title_nb", Path(v.Lang, "event_edit", a.Slug, e.Slug),
		func(status int, fs forms) error { return s.eventEditPage(w, r, v, a, e, status, fs) })
}

// handleEventUpdate changes an event.
func (s *Server) handleEventUpdate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	e, err := s.db.Event(ctx, a.ID, r.PathValue("event"))
	if err != nil {
		return err
	}
	f := newForm("event", r)
	s.readEventForm(v, f, &e)
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.UpdateEvent(ctx, &e)
	}
	return settle(w, r, f, err, "title_nb", Path(v.Lang, "event_edit", a.Slug, e.Slug),
		func(status int, fs forms) error { return s.eventEditPage(w, r, v, a, e, status, fs) })
}

// eventAction authorises a secretariat action on an event's programme.
func (s *Server) eventAction(w http.ResponseWriter, r *http.Request, v *view) (samrad.Alliance, samrad.Event, *http.Request, error) {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return a, samrad.Event{}, r, err
	}
	e, err := s.db.Event(ctx, a.ID, r.PathValue("event"))
	return a, e, r.WithContext(ctx), err
}

// handleSessionAdd adds a session to the programme.
func (s *Server) handleSessionAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, e, r, err := s.eventAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("session", r)
	ss := samrad.Session{EventID: e.ID, TitleNB: f.Get("session_title_nb"), TitleEN: f.Get("session_title_en"), Topic: f.Get("topic")}
	if ss.Day, err = samrad.ParseDate(f.Get("session_day")); err != nil {
		f.Errors["session_day"] = s.cat.T(v.Lang, "bad_date", f.Get("session_day"))
	}
	for _, c := range []struct {
		field string
		t     *time.Time
	}{{"session_start", &ss.Start}, {"session_end", &ss.End}} {
		if x := f.Get(c.field); x != "" && !ss.Day.IsZero() {
			if *c.t, err = osloClock(ss.Day, x); err != nil {
				f.Errors[c.field] = s.cat.T(v.Lang, "event_bad_clock")
			}
		}
	}
	var ok bool
	if ss.Capacity, ok = formInt(f.Get("session_capacity")); !ok {
		f.Errors["session_capacity"] = s.cat.T(v.Lang, "event_not_a_number")
	}
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.AddSession(r.Context(), a.ID, &ss)
	}
	return settle(w, r, f, err, "session_title", Path(v.Lang, "event_edit", a.Slug, e.Slug)+"#programme",
		func(status int, fs forms) error { return s.eventEditPage(w, r, v, a, e, status, fs) })
}

// handleSpeakerAdd adds a speaker, an existing person or a new one, to a session.
func (s *Server) handleSpeakerAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, e, r, err := s.eventAction(w, r, v)
	if err != nil {
		return err
	}
	sid, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if _, ok := e.Session(sid); perr != nil || !ok {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	f := newForm("speaker", r)
	f.Values.Set("session", r.PathValue("id"))
	sp := samrad.Speaker{Person: samrad.Person{Name: f.Get("speaker_name")}, Role: f.Get("speaker_role"), Organisation: f.Get("speaker_org")}
	if x := f.Get("person"); x != "" {
		sp.Person.ID, _ = strconv.ParseInt(x, 10, 64)
		sp.Person.Name = ""
	}
	err = s.db.AddSpeaker(r.Context(), a.ID, sid, &sp)
	return settle(w, r, f, err, "speaker_name", Path(v.Lang, "event_edit", a.Slug, e.Slug)+"#session-"+r.PathValue("id"),
		func(status int, fs forms) error { return s.eventEditPage(w, r, v, a, e, status, fs) })
}

// handleMaterialAdd uploads a file for a session.
func (s *Server) handleMaterialAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.uploadAction(w, r, v, samrad.MaxDocumentSize)
	if err != nil {
		return err
	}
	e, err := s.db.Event(ctx, a.ID, r.PathValue("event"))
	if err != nil {
		return err
	}
	sid, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if _, ok := e.Session(sid); perr != nil || !ok {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	f := &form{Name: "material", Values: r.PostForm, Errors: map[string]string{}}
	f.Values.Set("session", r.PathValue("id"))
	m := samrad.Material{SessionID: sid, Title: f.Get("material_title")}
	file, hdr, ferr := r.FormFile("file")
	if ferr != nil {
		f.Errors["file"] = s.cat.T(v.Lang, "choose_file")
	} else {
		defer file.Close()
		data, rerr := io.ReadAll(io.LimitReader(file, samrad.MaxDocumentSize+1))
		if rerr != nil {
			return rerr
		}
		m.Filename = hdr.Filename
		err = s.db.AddMaterial(ctx, a.ID, &m, data)
	}
	return settle(w, r, f, err, "file", Path(v.Lang, "event_edit", a.Slug, e.Slug)+"#session-"+r.PathValue("id"),
		func(status int, fs forms) error { return s.eventEditPage(w, r, v, a, e, status, fs) })
}

type participantsData struct {
	Alliance samrad.Alliance
	Event    samrad.Event
	List     []samrad.Registration
	Places   store.Places
	Query    string
	Shown    []samrad.Registration
}

// participants reads the event and its participants for the secretariat.
func (s *Server) participants(r *http.Request, v *view) (participantsData, error) {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return participantsData{}, err
	}
	ctx := r.Context()
	e, err := s.db.Event(ctx, a.ID, r.PathValue("event"))
	if err != nil {
		return participantsData{}, err
	}
	data := participantsData{Alliance: a, Event: e}
	if data.List, err = s.db.Participants(ctx, e.ID); err != nil {
		return data, err
	}
	data.Places, err = s.db.EventPlaces(ctx, e.ID)
	return data, err
}

// handleParticipants lists the registrations for the organiser.
func (s *Server) handleParticipants(w http.ResponseWriter, r *http.Request, v *view) error {
	data, err := s.participants(r, v)
	if err != nil {
		return err
	}
	title := s.cat.T(v.Lang, "participants_title", data.Event.Title(v.Lang))
	v.Title, v.Nav, v.Data = title, "home", data
	v.crumbs(data.Alliance.Name(v.Lang), Path(v.Lang, "alliance", data.Alliance.Slug), data.Event.Title(v.Lang),
		Path(v.Lang, "event", data.Alliance.Slug, data.Event.Slug), title, "")
	s.render(w, http.StatusOK, "participants", v)
	return nil
}

// participantRows are the participant list as table rows.
func (s *Server) participantRows(lang string, data participantsData) ([]string, [][]any) {
	header := []string{s.cat.T(lang, "name"), s.cat.T(lang, "email"), s.cat.T(lang, "register_organisation"), s.cat.T(lang, "status"),
		s.cat.T(lang, "register_diet"), s.cat.T(lang, "register_accessibility"), s.cat.T(lang, "register_sessions"),
		s.cat.T(lang, "register_comment"), s.cat.T(lang, "registered_at"), s.cat.T(lang, "checked_in")}
	var rows [][]any
	for _, p := range data.List {
		var sessions []string
		for _, id := range p.SessionIDs {
			if ss, ok := data.Event.Session(id); ok {
				sessions = append(sessions, ss.Title(lang))
			}
		}
		rows = append(rows, []any{p.Name, p.Email, p.Organisation, s.cat.T(lang, "reg_status_"+p.Status), p.Diet, p.Accessibility,
			strings.Join(sessions, "; "), p.Comment, p.CreatedAt.In(samrad.Oslo()).Format("2006-01-02 15:04"), p.CheckedIn})
	}
	return header, rows
}

// handleCheckin is the list for the door: the confirmed participants,
// searchable by name, each with a button that marks them arrived.
func (s *Server) handleCheckin(w http.ResponseWriter, r *http.Request, v *view) error {
	data, err := s.participants(r, v)
	if err != nil {
		return err
	}
	data.Query = strings.TrimSpace(r.URL.Query().Get("q"))
	q := strings.ToLower(data.Query)
	for _, p := range data.List {
		if p.Status == samrad.RegistrationConfirmed && strings.Contains(strings.ToLower(p.Name), q) {
			data.Shown = append(data.Shown, p)
		}
	}
	title := s.cat.T(v.Lang, "checkin_title", data.Event.Title(v.Lang))
	v.Title, v.Nav, v.Data = title, "home", data
	v.crumbs(data.Alliance.Name(v.Lang), Path(v.Lang, "alliance", data.Alliance.Slug), data.Event.Title(v.Lang),
		Path(v.Lang, "event", data.Alliance.Slug, data.Event.Slug), title, "")
	s.render(w, http.StatusOK, "checkin", v)
	return nil
}

// handleCheckinToggle marks a participant as arrived, or not.
func (s *Server) handleCheckinToggle(w http.ResponseWriter, r *http.Request, v *view) error {
	a, e, r, err := s.eventAction(w, r, v)
	if err != nil {
		return err
	}
	id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if perr != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	if err := s.db.SetCheckedIn(r.Context(), a.ID, e.ID, id, r.PostFormValue("in") == "yes"); err != nil {
		return err
	}
	next := Path(v.Lang, "checkin", a.Slug, e.Slug)
	if q := strings.TrimSpace(r.PostFormValue("q")); q != "" {
		next += "?q=" + url.QueryEscape(q)
	}
	http.Redirect(w, r, next+"#p-"+r.PathValue("id"), http.StatusSeeOther)
	return nil
}
