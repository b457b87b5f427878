package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/ical"
	"github.com/samrad/samrad/pdf"
	"github.com/samrad/samrad/pdftext"
	"github.com/samrad/samrad/store"
)

type bodyView struct {
	samrad.Body
	Parent *samrad.Body
}

func (s *Server) handleBody(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.bodyPage(w, r, v, http.StatusOK, nil)
}

type bodyData struct {
	Alliance samrad.Alliance
	Body     bodyView
	Children []samrad.Body
	Seats    []samrad.Seat
	Meetings []samrad.Meeting
	CanEdit  bool
	Forms    forms
	People   []samrad.Person
	Members  []samrad.Membership
	Roles    []samrad.SeatRole
}

// bodyPage renders a body's page; forms carries a rejected form back.
func (s *Server) bodyPage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, b, err := s.allianceBody(r)
	if err != nil {
		return err
	}
	bodies, err := s.db.Bodies(ctx, a.ID)
	if err != nil {
		return err
	}
	data := bodyData{Alliance: a, Body: bodyView{Body: b}, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat), Forms: fs}
	for i, x := range bodies {
		if x.ID == b.ParentID {
			data.Body.Parent = &bodies[i]
		}
		if x.ParentID == b.ID {
			data.Children = append(data.Children, x)
		}
	}
	if data.Seats, err = s.db.Seats(ctx, b.ID); err != nil {
		return err
	}
	meetings, err := s.db.Meetings(ctx, b.ID)
	if err != nil {
		return err
	}
	data.Meetings = visibleMeetings(meetings, v.User, a.ID)
	if data.CanEdit {
		if data.People, err = s.db.People(ctx); err != nil {
			return err
		}
		if data.Members, err = s.db.MembersOn(ctx, a.ID, samrad.Today(), false); err != nil {
			return err
		}
		data.Roles = samrad.SeatRoles
	}
	v.Title, v.Nav, v.Data = b.Name(v.Lang)+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), b.Name(v.Lang), "")
	s.render(w, status, "body", v)
	return nil
}

func (s *Server) allianceBody(r *http.Request) (samrad.Alliance, samrad.Body, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return a, samrad.Body{}, err
	}
	b, err := s.db.BodyBySlug(r.Context(), a.ID, r.PathValue("body"))
	return a, b, err
}

// handleAddSeat gives a person (existing, or new by name) a seat in the body.
func (s *Server) handleAddSeat(w http.ResponseWriter, r *http.Request, v *view) error {
	a, b, err := s.allianceBody(r)
	if err != nil {
		return err
	}
	ctx, err := s.authorize(w, r, v, a)
	if err != nil {
		return err
	}
	f := newForm("seat", r)
	seat := samrad.Seat{BodyID: b.ID, Role: samrad.SeatRole(f.Get("role")), Source: f.Get("source")}
	if id, err := strconv.ParseInt(f.Get("person"), 10, 64); err == nil && id > 0 {
		seat.Person.ID = id
	} else if f.Get("new_person") == "" {
		f.Errors["person"] = s.cat.T(v.Lang, "choose_or_name_person")
	}
	if f.Get("represents") != "" {
		if seat.Represents, err = s.formOrg(ctx, v, f, "represents"); err != nil {
			return err
		}
	}
	seat.From, seat.To = s.formDate(v, f, "from"), s.formDate(v, f, "to")
	if len(f.Errors) == 0 && seat.Person.ID == 0 {
		p := samrad.Person{Name: f.Get("new_person"), Title: f.Get("new_title"), Email: f.Get("new_email")}
		if err := s.db.CreatePerson(ctx, &p); err != nil {
			f.fail(err, "new_person")
		}
		seat.Person = p
	}
	if len(f.Errors) == 0 {
		if err := s.db.AddSeat(ctx, &seat); err != nil {
			f.fail(err, "role")
			return s.bodyPage(w, r, v, f.status(err), forms{"seat": f})
		}
		http.Redirect(w, r, Path(v.Lang, "body", a.Slug, b.Slug), http.StatusSeeOther)
		return nil
	}
	return s.bodyPage(w, r, v, http.StatusBadRequest, forms{"seat": f})
}

// handleEndSeat ends a seat on the day given (the last day held).
func (s *Server) handleEndSeat(w http.ResponseWriter, r *http.Request, v *view) error {
	a, b, err := s.allianceBody(r)
	if err != nil {
		return err
	}
	ctx, err := s.authorize(w, r, v, a)
	if err != nil {
		return err
	}
	f := newForm("seat_end", r)
	f.Values.Set("seat", r.PathValue("id"))
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	seats, err := s.db.Seats(ctx, b.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(seats, func(st samrad.Seat) bool { return st.ID == id }) {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	if to := s.formDate(v, f, "to"); len(f.Errors) == 0 {
		err = s.db.EndSeat(ctx, id, to)
	}
	return settle(w, r, f, err, "to", Path(v.Lang, "body", a.Slug, b.Slug),
		func(status int, fs forms) error { return s.bodyPage(w, r, v, status, fs) })
}

// handleCreateMeeting calls a meeting of the body.
func (s *Server) handleCreateMeeting(w http.ResponseWriter, r *http.Request, v *view) error {
	a, b, err := s.allianceBody(r)
	if err != nil {
		return err
	}
	ctx, err := s.authorize(w, r, v, a)
	if err != nil {
		return err
	}
	f := newForm("meeting", r)
	m := samrad.Meeting{BodyID: b.ID, Place: f.Get("place"), Address: f.Get("address"), OnlineURL: f.Get("online_url")}
	if x := f.Get("number"); x != "" {
		if m.Number, err = strconv.Atoi(x); err != nil || m.Number <= 0 {
			f.Errors["number"] = s.cat.T(v.Lang, "bad_number", x)
		}
	}
	day, err := samrad.ParseDate(f.Get("date"))
	if err != nil {
		f.Errors["date"] = s.cat.T(v.Lang, "bad_date", f.Get("date"))
	}
	clock := func(field string) (time.Time, bool) {
		x := f.Get(field)
		if x == "" || err != nil {
			return time.Time{}, false
		}
		t, perr := time.ParseInLocation("2006-01-02 15:04", day.String()+" "+x, samrad.Oslo())
		if perr != nil {
			f.Errors[field] = s.cat.T(v.Lang, "bad_time", x)
			return time.Time{}, false
		}
		return t, true
	}
	if err == nil {
		start, ok := clock("start")
		if ok {
			m.Start = start
			m.End, _ = clock("end")
		} else if f.Error("start") == "" {
			m.Start, m.DateOnly = day.Time(), true
		}
		m.Year = day.Year()
	}
	if m.OnlineURL != "" && !strings.HasPrefix(m.OnlineURL, "https://") {
		f.Errors["online_url"] = s.cat.T(v.Lang, "bad_url")
	}
	if len(f.Errors) == 0 {
		if err := s.db.CreateMeeting(ctx, &m); err != nil {
			f.fail(err, "number")
			return s.bodyPage(w, r, v, f.status(err), forms{"meeting": f})
		}
		http.Redirect(w, r, Path(v.Lang, "meeting", a.Slug, strconv.FormatInt(m.ID, 10)), http.StatusSeeOther)
		return nil
	}
	return s.bodyPage(w, r, v, http.StatusBadRequest, forms{"meeting": f})
}

func (s *Server) handleCases(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	all, err := s.db.Cases(ctx, a.ID)
	if err != nil {
		return err
	}
	// One year at a time, the latest by default: an alliance's cases over
	// ten years would make one page of megabytes.
	var years []int
	for _, c := range all {
		if len(years) == 0 || years[len(years)-1] != c.Year {
			years = append(years, c.Year)
		}
	}
	slices.Sort(years)
	years = slices.Compact(years)
	slices.Reverse(years)
	year := 0
	if len(years) > 0 {
		year = years[0]
	}
	if q := v.param("year"); q != "" {
		y, err := strconv.Atoi(q)
		if err != nil || y < 1900 || y > 2200 {
			return samrad.FieldErrorf("year", "%s", s.cat.T(v.Lang, "bad_year", q))
		}
		if !slices.Contains(years, y) {
			return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "cases_none_year", a.Name(v.Lang), y))
		}
		year = y
	}
	var cases []samrad.Case
	for _, c := range all {
		if c.Year == year {
			cases = append(cases, c)
		}
	}
	v.Title, v.Nav = s.cat.T(v.Lang, "cases_of", a.Name(v.Lang)), "home"
	v.Data = struct {
		Alliance samrad.Alliance
		Cases    []samrad.Case
		Year     int
		Years    []int
	}{a, cases, year, years}
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "cases_title"), "")
	s.render(w, http.StatusOK, "cases", v)
	return nil
}

func (s *Server) handleCase(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.casePage(w, r, v, http.StatusOK, nil)
}

// loadCase finds the case of the URL, within the alliance of the URL.
func (s *Server) loadCase(r *http.Request, v *view) (samrad.Alliance, samrad.Case, error) {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return a, samrad.Case{}, err
	}
	year, err1 := strconv.Atoi(r.PathValue("year"))
	number, err2 := strconv.Atoi(r.PathValue("number"))
	if err1 != nil || err2 != nil {
		return a, samrad.Case{}, samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	c, err := s.db.CaseByNumber(ctx, a.ID, year, number)
	return a, c, err
}

type caseStep struct {
	store.CaseStep
	Result *samrad.VoteResult
}

// casePage shows a case and the meetings that treated it; a decision shows
// once the minutes that record it are public, or to the alliance's people.
func (s *Server) casePage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, c, err := s.loadCase(r, v)
	if err != nil {
		return err
	}
	label := samrad.CaseNumber(a.CaseScheme, c.Number, c.Year)
	steps, err := s.db.CasePath(ctx, c.ID)
	if err != nil {
		return err
	}
	votes, err := s.db.CaseVotes(ctx, c.ID)
	if err != nil {
		return err
	}
	byMeeting := map[int64][]samrad.Vote{}
	for _, vt := range votes {
		byMeeting[vt.MeetingID] = append(byMeeting[vt.MeetingID], vt)
	}
	insider := v.User.Can(a.ID, samrad.RoleReader)
	showDecision := insider
	var path []caseStep
	for _, st := range steps {
		if !st.Public() && !insider {
			continue
		}
		x := caseStep{CaseStep: st}
		if st.MinutesPublic() || insider {
			showDecision = showDecision || st.Decision == c.Decision
		} else {
			x.Decision = ""
		}
		if vs := byMeeting[st.ID]; len(vs) > 0 {
			res := samrad.Tally(vs)
			x.Result = &res
		}
		path = append(path, x)
	}
	// A decision stored without any meeting was recorded from a published
	// source (the demo's fee case); decisions made here come through a
	// meeting and wait for its minutes.
	if len(steps) == 0 {
		showDecision = true
	}
	if !showDecision {
		c.Decision = ""
	}
	docs, err := s.db.Documents(ctx, 0, c.ID)
	if err != nil {
		return err
	}
	v.Title, v.Nav = s.cat.T(v.Lang, "case_title", label, c.Title), "home"
	edit := fs.Of("case_edit")
	if edit == nil {
		edit = &form{Name: "case_edit", Values: url.Values{"title": {c.Title}, "type": {string(c.Type)},
			"presentation": {c.Presentation}, "proposed_decision": {c.ProposedDecision}}, Errors: map[string]string{}}
	}
	v.Data = struct {
		Alliance  samrad.Alliance
		Case      samrad.Case
		Label     string
		Path      []caseStep
		CanEdit   bool
		Edit      *form
		Forms     forms
		CaseTypes []samrad.CaseType
		Documents []samrad.Document
	}{a, c, label, path, v.User.Can(a.ID, samrad.RoleSecretariat), edit, fs, caseTypes, docs}
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "cases_title"), Path(v.Lang, "cases", a.Slug), label, "")
	s.render(w, status, "case", v)
	return nil
}

var caseTypes = []samrad.CaseType{samrad.CaseDecision, samrad.CaseOrientation, samrad.CaseDiscussion, samrad.CaseReport}

// caseAction runs a secretariat action on a case and goes back to it.
func (s *Server) caseAction(name string, w http.ResponseWriter, r *http.Request, v *view, fn func(ctx context.Context, c samrad.Case, f *form) error) error {
	a, c, err := s.loadCase(r, v)
	if err != nil {
		return err
	}
	ctx, err := s.authorize(w, r, v, a)
	if err != nil {
		return err
	}
	f := newForm(name, r)
	return settle(w, r, f, fn(ctx, c, f), name, Path(v.Lang, "case", a.Slug, strconv.Itoa(c.Year), strconv.Itoa(c.Number)),
		func(status int, fs forms) error { return s.casePage(w, r, v, status, fs) })
}

// handleEditCase changes a case's title, type, presentation and proposal.
func (s *Server) handleEditCase(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.caseAction("case_edit", w, r, v, func(ctx context.Context, c samrad.Case, f *form) error {
		c.Title, c.Type, c.Presentation, c.ProposedDecision = f.Get("title"), samrad.CaseType(f.Get("type")), f.Get("presentation"), f.Get("proposed_decision")
		return s.db.UpdateCase(ctx, &c)
	})
}

// handleWithdrawCase withdraws a case; it keeps its number.
func (s *Server) handleWithdrawCase(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.caseAction("case_withdraw", w, r, v, func(ctx context.Context, c samrad.Case, f *form) error {
		return s.db.WithdrawCase(ctx, c.ID)
	})
}

// visibleMeetings keeps the meetings a visitor may see: those whose notice
// has gone out, and all of them for the alliance's own people.
func visibleMeetings(ms []samrad.Meeting, u *samrad.User, allianceID int64) []samrad.Meeting {
	if u.Can(allianceID, samrad.RoleReader) {
		return ms
	}
	var out []samrad.Meeting
	for _, m := range ms {
		if m.Public() {
			out = append(out, m)
		}
	}
	return out
}

type agendaView struct {
	samrad.AgendaItem
	Label  string
	Votes  []samrad.Vote
	Result *samrad.VoteResult
}

func (s *Server) handleMeeting(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.meetingPage(w, r, v, http.StatusOK, nil)
}

type meetingData struct {
	Documents  []samrad.Document
	Alliance   samrad.Alliance
	Body       samrad.Body
	Meeting    samrad.Meeting
	Agenda     []agendaView
	Minutes    string
	CanEdit    bool
	Next       samrad.MeetingStatus // the next status, "" at the end
	VoteSeats  []samrad.Seat        // seats that may vote, for the vote form
	CaseTypes  []samrad.CaseType
	Forms      forms
	MinutesRaw string
	// ShowDecisions is true once the minutes are public, and for the
	// alliance's own people before.
	ShowDecisions bool
	Deliveries    []store.Delivery // the notice's e-mails, for the secretariat
}

// loadMeeting finds the meeting of the URL, within the alliance of the URL.
func (s *Server) loadMeeting(r *http.Request, v *view) (samrad.Alliance, store.MeetingRow, samrad.Body, error) {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return a, store.MeetingRow{}, samrad.Body{}, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return a, store.MeetingRow{}, samrad.Body{}, samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	m, b, err := s.db.Meeting(ctx, id)
	if err != nil {
		return a, m, b, err
	}
	if b.AllianceID != a.ID || len(visibleMeetings([]samrad.Meeting{m.Meeting}, v.User, a.ID)) == 0 {
		return a, m, b, samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	return a, m, b, nil
}

func (s *Server) meetingPage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, m, b, err := s.loadMeeting(r, v)
	if err != nil {
		return err
	}
	items, err := s.db.Agenda(ctx, m.ID)
	if err != nil {
		return err
	}
	agenda, err := s.agendaWithVotes(ctx, a, m.ID, items)
	if err != nil {
		return err
	}
	docs, err := s.db.Documents(ctx, m.ID, 0)
	if err != nil {
		return err
	}
	data := meetingData{Documents: docs, Alliance: a, Body: b, Meeting: m.Meeting, Agenda: agenda, Forms: fs,
		CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat), CaseTypes: caseTypes}
	if m.MinutesPublic() || v.User.Can(a.ID, samrad.RoleReader) {
		data.Minutes, data.ShowDecisions = m.Minutes, true
	}
	if data.CanEdit {
		for i, st := range samrad.MeetingStatuses {
			if st == m.Status && i+1 < len(samrad.MeetingStatuses) {
				data.Next = samrad.MeetingStatuses[i+1]
			}
		}
		seats, err := s.db.Seats(ctx, b.ID)
		if err != nil {
			return err
		}
		day := samrad.NewDate(m.Start.Year(), m.Start.Month(), m.Start.Day())
		for _, st := range seats {
			if st.Represents.ID != 0 && st.ActiveOn(day) && st.Role != samrad.RoleSecretary && st.Role != samrad.RoleObserver {
				data.VoteSeats = append(data.VoteSeats, st)
			}
		}
		if data.Deliveries, err = s.db.Deliveries(ctx, m.ID); err != nil {
			return err
		}
		data.MinutesRaw = m.Minutes
		if f := fs.Of("minutes"); f != nil {
			data.MinutesRaw = f.Get("minutes")
		}
	}
	v.Title, v.Nav, v.Data = s.cat.T(v.Lang, "meeting_title", b.Name(v.Lang), m.Label()), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), b.Name(v.Lang), Path(v.Lang, "body", a.Slug, b.Slug), m.Label(), "")
	s.render(w, status, "meeting", v)
	return nil
}

// meetingAction runs a secretariat action on a meeting: it checks the
// role and CSRF token, runs fn, and redirects back to the meeting, or
// shows the meeting page again with the rejected form.
func (s *Server) meetingAction(name string, fn func(ctx context.Context, v *view, m store.MeetingRow, b samrad.Body, f *form) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, v *view) error {
		a, m, b, err := s.loadMeeting(r, v)
		if err != nil {
			return err
		}
		ctx, err := s.authorize(w, r, v, a)
		if err != nil {
			return err
		}
		f := newForm(name, r)
		f.Values.Set("alliance", a.Slug)
		return settle(w, r, f, fn(ctx, v, m, b, f), name, Path(v.Lang, "meeting", a.Slug, strconv.FormatInt(m.ID, 10)),
			func(status int, fs forms) error { return s.meetingPage(w, r, v, status, fs) })
	}
}

func (s *Server) meetingStatus(ctx context.Context, v *view, m store.MeetingRow, b samrad.Body, f *form) error {
	return s.db.SetMeetingStatus(ctx, m.ID, samrad.MeetingStatus(f.Get("status")))
}

func (s *Server) meetingMinutes(ctx context.Context, v *view, m store.MeetingRow, b samrad.Body, f *form) error {
	return s.db.SetMinutes(ctx, m.ID, f.Get("minutes"))
}

// meetingCase puts a new case on the agenda: it is numbered from the
// alliance's counter for the meeting's year.
func (s *Server) meetingCase(ctx context.Context, v *view, m store.MeetingRow, b samrad.Body, f *form) error {
	items, err := s.db.Agenda(ctx, m.ID)
	if err != nil {
		return err
	}
	if label := f.Get("existing"); label != "" {
		// A case already numbered, on its way to another body (board →
		// council), keeps its number.
		n, y, err := samrad.ParseCaseNumber(label)
		if err != nil {
			return samrad.FieldErrorf("existing", "%s", s.cat.T(v.Lang, "bad_case_number", label))
		}
		c, err := s.db.CaseByNumber(ctx, b.AllianceID, y, n)
		if err != nil {
			return samrad.FieldErrorf("existing", "%s", s.cat.T(v.Lang, "no_such_case", label))
		}
		return s.db.AddAgendaItem(ctx, m.ID, c.ID, len(items)+1)
	}
	c := samrad.Case{AllianceID: b.AllianceID, Year: m.Year, Title: f.Get("title"), Type: samrad.CaseType(f.Get("type")),
		Presentation: f.Get("presentation"), ProposedDecision: f.Get("proposed_decision")}
	if err := c.Validate(); err != nil {
		return err
	}
	if err := s.db.CreateCase(ctx, &c); err != nil {
		return err
	}
	return s.db.AddAgendaItem(ctx, m.ID, c.ID, len(items)+1)
}

// meetingDecision records what the body decided on a case of the agenda.
func (s *Server) meetingDecision(ctx context.Context, v *view, m store.MeetingRow, b samrad.Body, f *form) error {
	caseID, err := strconv.ParseInt(f.Get("case"), 10, 64)
	if err != nil {
		return samrad.FieldErrorf("decision", "%s", s.cat.T(v.Lang, "no_such_case", f.Get("case")))
	}
	return s.db.SetDecision(ctx, m.ID, caseID, f.Get("decision"))
}

// meetingVote records one seat holder's vote on a case of the agenda.
func (s *Server) meetingVote(ctx context.Context, v *view, m store.MeetingRow, b samrad.Body, f *form) error {
	seatID, err1 := strconv.ParseInt(f.Get("seat"), 10, 64)
	caseID, err2 := strconv.ParseInt(f.Get("case"), 10, 64)
	if err1 != nil || err2 != nil {
		return samrad.FieldErrorf("seat", "%s", s.cat.T(v.Lang, "choose_seat"))
	}
	seats, err := s.db.Seats(ctx, b.ID)
	if err != nil {
		return err
	}
	for _, st := range seats {
		if st.ID == seatID {
			vote := samrad.Vote{MeetingID: m.ID, CaseID: caseID, Member: st.Represents, Person: st.Person}
			switch c := f.Get("choice"); c {
			case "conflict":
				vote.Conflict = true
			default:
				vote.Choice = samrad.Choice(c)
			}
			return s.db.RecordVote(ctx, &vote)
		}
	}
	return samrad.FieldErrorf("seat", "%s", s.cat.T(v.Lang, "choose_seat"))
}

// handleBodyICS serves the body's public meetings as an iCalendar feed.
func (s *Server) handleBodyICS(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	b, err := s.db.BodyBySlug(ctx, a.ID, r.PathValue("body"))
	if err != nil {
		return err
	}
	ms, err := s.db.Meetings(ctx, b.ID)
	if err != nil {
		return err
	}
	cal := ical.Calendar{Name: b.Name(v.Lang) + " – " + a.Name(v.Lang)}
	base := s.publicBase(r)
	for _, m := range visibleMeetings(ms, nil, a.ID) {
		e := ical.Event{UID: fmt.Sprintf("meeting-%d@%s", m.ID, r.Host), Start: m.Start, End: m.End,
			Summary:  s.cat.T(v.Lang, "meeting_title", b.Name(v.Lang), m.Label()),
			Location: strings.Trim(strings.Join([]string{m.Place, m.Address}, ", "), ", "),
			URL:      base + Path(v.Lang, "meeting", a.Slug, fmt.Sprint(m.ID)), Stamp: m.Start, Status: "CONFIRMED"}
		switch {
		case m.DateOnly:
			e.AllDay, e.End = true, m.End.AddDate(0, 0, 1) // DTEND of a date is exclusive
			if m.End.IsZero() {
				e.End = m.Start.AddDate(0, 0, 1)
			}
		case e.End.IsZero():
			e.End = e.Start.Add(2 * time.Hour)
		}
		cal.Events = append(cal.Events, e)
	}
	body, err := cal.Bytes()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s-%s.ics"`, a.Slug, b.Slug))
	_, err = w.Write(body)
	return err
}

// meetingsData is the meetings page: the upcoming meetings and one year's
// past ones, those not yet public only for the alliance's people.
type meetingsData struct {
	Alliance       samrad.Alliance
	Upcoming, Past []store.AllianceMeeting
	Years          []int
	Year           int
	CanSee         bool // the user sees meetings that are not public yet
}

func (s *Server) meetingsList(r *http.Request, v *view) (meetingsData, error) {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return meetingsData{}, err
	}
	all, err := s.db.AllianceMeetings(ctx, a.ID)
	if err != nil {
		return meetingsData{}, err
	}
	now := time.Now()
	canSee := v.User.Can(a.ID, samrad.RoleReader)
	var upcoming []store.AllianceMeeting
	past := map[int][]store.AllianceMeeting{}
	var years []int
	for i := len(all) - 1; i >= 0; i-- { // oldest first
		m := all[i]
		if !m.Public() && !canSee {
			continue
		}
		if m.Start.After(now) {
			upcoming = append(upcoming, m)
			continue
		}
		if _, ok := past[m.Year]; !ok {
			years = append([]int{m.Year}, years...)
		}
		past[m.Year] = append([]store.AllianceMeeting{m}, past[m.Year]...) // newest first
	}
	// Past meetings are shown one year at a time, the latest by default.
	year := 0
	if len(years) > 0 {
		year = years[0]
	}
	if q := v.param("year"); q != "" {
		y, err := strconv.Atoi(q)
		if err != nil || y < 1900 || y > 2200 {
			return meetingsData{}, samrad.FieldErrorf("year", "%s", s.cat.T(v.Lang, "bad_year", q))
		}
		year = y
	}
	return meetingsData{Alliance: a, Upcoming: upcoming, Past: past[year], Years: years, Year: year, CanSee: canSee}, nil
}

func (s *Server) handleMeetings(w http.ResponseWriter, r *http.Request, v *view) error {
	data, err := s.meetingsList(r, v)
	if err != nil {
		return err
	}
	a := data.Alliance
	v.Title, v.Nav, v.Data = s.cat.T(v.Lang, "meetings_of", a.Name(v.Lang)), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "meetings_title"), "")
	s.render(w, http.StatusOK, "meetings", v)
	return nil
}

// handleMinutesAtom serves an Atom feed (RFC 4287) of an alliance's
// published minutes.
func (s *Server) handleMinutesAtom(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	all, err := s.db.AllianceMeetings(ctx, a.ID)
	if err != nil {
		return err
	}
	base := s.publicBase(r)
	feed := newAtomFeed(v.Lang, s.cat.T(v.Lang, "minutes_feed_title", a.Name(v.Lang)), a.Name(v.Lang),
		base+Path(v.Lang, "minutes_atom", a.Slug), base+Path(v.Lang, "meetings", a.Slug))
	for _, m := range all {
		if !m.MinutesPublic() {
			continue
		}
		url := base + Path(v.Lang, "meeting", a.Slug, strconv.FormatInt(m.ID, 10))
		feed.add(atomEntry{Title: s.cat.T(v.Lang, "meeting_title", m.Body.Name(v.Lang), m.Label()), ID: url,
			Link: atomLink{Href: url}, Summary: m.Minutes}, m.Start)
	}
	return feed.write(w)
}

// handleDecisionsAtom is an alliance's decisions as an Atom feed: each
// decision of a meeting whose minutes are published, newest first.
func (s *Server) handleDecisionsAtom(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	// The agenda items of public meetings carry their decision only once
	// the minutes are published: one query for the whole feed.
	items, _, err := s.db.OpenAgendaItems(ctx, a.ID, 0, 0, store.Everything)
	if err != nil {
		return err
	}
	bodies, err := s.db.Bodies(ctx, a.ID)
	if err != nil {
		return err
	}
	bodyName := map[int64]string{}
	for _, b := range bodies {
		bodyName[b.ID] = b.Name(v.Lang)
	}
	slices.SortStableFunc(items, func(x, y store.OpenAgendaItem) int { return y.Start.Compare(x.Start) }) // newest first
	base := s.publicBase(r)
	feed := newAtomFeed(v.Lang, s.cat.T(v.Lang, "decisions_feed_title", a.Name(v.Lang)), a.Name(v.Lang),
		base+Path(v.Lang, "decisions_atom", a.Slug), base+Path(v.Lang, "cases", a.Slug))
	for _, it := range items {
		if it.Decision == "" {
			continue
		}
		c := it.Case
		label := samrad.CaseNumber(a.CaseScheme, c.Number, c.Year)
		url := base + Path(v.Lang, "case", a.Slug, strconv.Itoa(c.Year), strconv.Itoa(c.Number))
		feed.add(atomEntry{Title: s.cat.T(v.Lang, "decision_entry_title", label, c.Title, bodyName[it.BodyID]),
			ID: url + "#m" + strconv.FormatInt(it.MeetingID, 10), Link: atomLink{Href: url}, Summary: it.Decision}, it.Start)
	}
	return feed.write(w)
}

// handleAudit shows an alliance's audit log to its administrators.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if v.User == nil {
		return samrad.Errorf(samrad.EUNAUTHORIZED, "%s", s.cat.T(v.Lang, "login_required"))
	}
	if !v.User.Can(a.ID, samrad.RoleAdministrator) {
		return samrad.Errorf(samrad.EFORBIDDEN, "%s", s.cat.T(v.Lang, "forbidden_text"))
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	entries, err := s.db.AuditLog(ctx, a.ID, before, 100)
	if err != nil {
		return err
	}
	next := ""
	if len(entries) == 100 {
		next = fmt.Sprintf("%s?before=%d", Path(v.Lang, "audit", a.Slug), entries[len(entries)-1].ID)
	}
	v.Title, v.Nav = s.cat.T(v.Lang, "audit_title", a.Name(v.Lang)), "home"
	v.Data = struct {
		Alliance samrad.Alliance
		Entries  []samrad.AuditEntry
		Next     string
	}{a, entries, next}
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "audit_short"), "")
	s.render(w, http.StatusOK, "audit", v)
	return nil
}

// handleUpload attaches a file to a meeting (and optionally to one of its
// cases). The upload is limited in size and its type is decided from its
// content.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request, v *view) error {
	a, m, _, err := s.loadMeeting(r, v)
	if err != nil {
		return err
	}
	if err := s.requireRole(v, a, samrad.RoleSecretariat); err != nil {
		return err
	}
	limitBody(w, r, samrad.MaxDocumentSize+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		if errors.Is(err, http.ErrNotMultipart) {
			if err := checkCSRF(r, v); err != nil {
				return err // a forged form is refused as such
			}
			return samrad.FieldErrorf("file", "%s", s.cat.T(v.Lang, "choose_file"))
		}
		return samrad.Errorf(samrad.EINVALID, "%s", s.cat.T(v.Lang, "upload_too_large", samrad.MaxDocumentSize>>20))
	}
	defer r.MultipartForm.RemoveAll()
	if err := checkCSRF(r, v); err != nil {
		return err
	}
	f := newForm("document", r)
	d := samrad.Document{AllianceID: a.ID, MeetingID: m.ID, Title: f.Get("title"), Exempt: f.Get("exempt") == "1", LegalGround: f.Get("legal_ground")}
	if x := f.Get("case"); x != "" {
		d.CaseID, _ = strconv.ParseInt(x, 10, 64)
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		f.Errors["file"] = s.cat.T(v.Lang, "choose_file")
		return s.meetingPage(w, r, v, http.StatusBadRequest, forms{"document": f})
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, samrad.MaxDocumentSize+1))
	if err != nil {
		return err
	}
	d.Filename = header.Filename
	s.readText(&d, data)
	ctx := samrad.WithActor(r.Context(), samrad.Actor{UserID: v.User.ID, Name: v.User.Email})
	if err := s.db.AddDocument(ctx, &d, data); err != nil {
		if samrad.ErrorCode(err) == samrad.EINTERNAL {
			return err
		}
		f.fail(err, "file")
		return s.meetingPage(w, r, v, f.status(err), forms{"document": f})
	}
	http.Redirect(w, r, Path(v.Lang, "meeting", a.Slug, strconv.FormatInt(m.ID, 10)), http.StatusSeeOther)
	return nil
}

// readText reads the text of a document's file for the search, before the
// transaction that stores it (the reading is bounded, see package pdftext).
// A file whose text cannot be read is stored without it, and the reason
// logged; a file of a type the store refuses is left to AddDocument.
func (s *Server) readText(d *samrad.Document, data []byte) {
	ct, err := samrad.DetectDocumentType(d.Filename, data)
	if err != nil {
		return
	}
	text, err := pdftext.FromFile(ct, data, samrad.MaxDocumentText)
	if err != nil {
		s.log.Warn("document text not read", "file", d.Filename, "type", ct, "size", len(data), "err", err)
		return
	}
	d.Text = text
}

// handleDocument serves a document's file. Exempt documents are served
// only to the alliance's own people. Files are always downloads, with a
// sandboxing policy, so an uploaded file can never run as part of the site.
func (s *Server) handleDocument(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	d, data, err := s.db.DocumentFile(ctx, id)
	if err != nil {
		return err
	}
	if d.AllianceID != a.ID {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	if d.MeetingID != 0 {
		m, _, err := s.db.Meeting(ctx, d.MeetingID)
		if err != nil {
			return err
		}
		if len(visibleMeetings([]samrad.Meeting{m.Meeting}, v.User, a.ID)) == 0 {
			return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
		}
	}
	if d.Exempt && !v.User.Can(a.ID, samrad.RoleReader) {
		return samrad.Errorf(samrad.EFORBIDDEN, "%s", s.cat.T(v.Lang, "document_exempt", d.LegalGround))
	}
	w.Header().Set("Cache-Control", "private, max-age=0")
	return serveStored(w, d.ContentType, d.Filename, d.SHA256, data)
}

// handleNotice is the meeting's notice (innkalling) as a printable page:
// time, place and every case with its presentation and proposed decision.
func (s *Server) handleNotice(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.meetingDocument(w, r, v, "notice")
}

// handleRecord is the meeting's minutes (protokoll) as a printable page:
// who was there, each case with its decision and vote, and the minutes'
// text. Shown to the public once published.
func (s *Server) handleRecord(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.meetingDocument(w, r, v, "record")
}

// handleNoticePDF and handleRecordPDF are the printable pages as PDF,
// printed by the browser from the same HTML and print stylesheet.
func (s *Server) handleNoticePDF(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.meetingPDF(w, r, v, "notice")
}

func (s *Server) handleRecordPDF(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.meetingPDF(w, r, v, "record")
}

func (s *Server) meetingPDF(w http.ResponseWriter, r *http.Request, v *view, kind string) error {
	page := &recorder{header: http.Header{}}
	if err := s.meetingDocument(page, r, v, kind); err != nil {
		return err
	}
	if !s.pdf.Available() {
		return samrad.Errorf(samrad.EUNAVAILABLE, "%s", s.cat.T(v.Lang, "pdf_unavailable"))
	}
	d := v.Data.(meetingDoc)
	name := strings.NewReplacer("/", "-", " ", "-").Replace(strings.ToLower(s.cat.T(v.Lang, kind+"_file", d.Body.Slug, d.Meeting.Label())))
	return s.writePDF(w, r, v, page, name)
}

// writePDF prints a page rendered into rec and sends it as filename.pdf.
func (s *Server) writePDF(w http.ResponseWriter, r *http.Request, v *view, page *recorder, filename string) error {
	out, err := s.renderPDF(r, v, page)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": filename + ".pdf"}))
	// Chrome shows a PDF in a plugin (an <embed>, governed by object-src)
	// on a page of its own with inline styles: the page's policy would
	// leave it blank. A PDF runs no script of ours, so it gets only what the
	// viewer needs.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	w.Write(out)
	return nil
}

// renderPDF prints a recorded page with its own title in the footer.
func (s *Server) renderPDF(r *http.Request, v *view, page *recorder) ([]byte, error) {
	if page.status != http.StatusOK {
		return nil, fmt.Errorf("web: the page to print answered %d", page.status)
	}
	return s.pdf.Render(r.Context(), page.body.Bytes(), http.StripPrefix("/static/", s.staticHandler()),
		pdf.Options{Footer: v.Title, PageLabel: s.cat.T(v.Lang, "page"), Origin: s.baseURL})
}

// meetingDoc is the data of a notice or minutes page.
type meetingDoc struct {
	Kind     string
	Heading  string
	Alliance samrad.Alliance
	Body     samrad.Body
	Meeting  store.MeetingRow
	Agenda   []agendaView
	Members  []samrad.Seat
}

func (s *Server) meetingDocument(w http.ResponseWriter, r *http.Request, v *view, kind string) error {
	ctx := r.Context()
	a, m, b, err := s.loadMeeting(r, v)
	if err != nil {
		return err
	}
	if kind == "record" && !m.MinutesPublic() && !v.User.Can(a.ID, samrad.RoleReader) {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	items, err := s.db.Agenda(ctx, m.ID)
	if err != nil {
		return err
	}
	agenda, err := s.agendaWithVotes(ctx, a, m.ID, items)
	if err != nil {
		return err
	}
	seats, err := s.db.Seats(ctx, b.ID)
	if err != nil {
		return err
	}
	day := samrad.NewDate(m.Start.Year(), m.Start.Month(), m.Start.Day())
	var members []samrad.Seat
	for _, st := range seats {
		if st.ActiveOn(day) {
			members = append(members, st)
		}
	}
	title := s.cat.T(v.Lang, kind+"_title", b.Name(v.Lang), m.Label())
	v.Title, v.Nav = title, "home"
	v.Data = meetingDoc{kind, title, a, b, m, agenda, members}
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), m.Label(), Path(v.Lang, "meeting", a.Slug, strconv.FormatInt(m.ID, 10)), title, "")
	s.render(w, http.StatusOK, "meeting_document", v)
	return nil
}

// agendaWithVotes pairs each agenda item with its case number and the
// votes and result on it, reading the meeting's votes in one query.
func (s *Server) agendaWithVotes(ctx context.Context, a samrad.Alliance, meetingID int64, items []samrad.AgendaItem) ([]agendaView, error) {
	votes, err := s.db.MeetingVotes(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	byCase := map[int64][]samrad.Vote{}
	for _, vt := range votes {
		byCase[vt.CaseID] = append(byCase[vt.CaseID], vt)
	}
	agenda := make([]agendaView, len(items))
	for i, it := range items {
		agenda[i] = agendaView{AgendaItem: it, Label: samrad.CaseNumber(a.CaseScheme, it.Case.Number, it.Case.Year), Votes: byCase[it.Case.ID]}
		if len(agenda[i].Votes) > 0 {
			res := samrad.Tally(agenda[i].Votes)
			agenda[i].Result = &res
		}
	}
	return agenda, nil
}
