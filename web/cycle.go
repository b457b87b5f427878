package web

import (
	"net/http"
	"strconv"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

type cycleData struct {
	Alliance samrad.Alliance
	Steps    []samrad.CycleStep
	Upcoming []samrad.CycleDue
	Bodies   map[int64]samrad.Body
	BodyList []samrad.Body
	Meetings map[int64]store.AllianceMeeting
	Recent   []store.AllianceMeeting // for the record form: the latest first
	Kinds    []samrad.CycleKind
	Months   []int
	Today    samrad.Date
	CanEdit  bool
	Forms    forms
}

func (s *Server) handleCycle(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.cyclePage(w, r, v, http.StatusOK, nil)
}

// cyclePage shows the alliance's yearly cycle: what is due next, the steps
// by month with the body that does each, and which meeting and case did
// it in each year.
func (s *Server) cyclePage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	data := cycleData{Alliance: a, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat), Forms: fs, Today: samrad.Today(), Kinds: samrad.CycleKinds,
		Bodies: map[int64]samrad.Body{}, Meetings: map[int64]store.AllianceMeeting{},
		Months: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}
	if data.Steps, err = s.db.CycleSteps(ctx, a.ID); err != nil {
		return err
	}
	data.Upcoming = samrad.Upcoming(data.Steps, data.Today)
	if data.BodyList, err = s.db.Bodies(ctx, a.ID); err != nil {
		return err
	}
	for _, b := range data.BodyList {
		data.Bodies[b.ID] = b
	}
	meetings, err := s.db.AllianceMeetings(ctx, a.ID)
	if err != nil {
		return err
	}
	for _, m := range meetings {
		data.Meetings[m.ID] = m
	}
	data.Recent = meetings[:min(len(meetings), 40)]
	title := s.cat.T(v.Lang, "cycle_title")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, status, "cycle", v)
	return nil
}

// handleAddCycleStep adds a step to the yearly cycle.
func (s *Server) handleAddCycleStep(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("step", r)
	st := samrad.CycleStep{AllianceID: a.ID, Kind: samrad.CycleKind(f.Get("kind")), TitleNB: f.Get("title_nb"), TitleEN: f.Get("title_en")}
	st.Month, _ = strconv.Atoi(f.Get("month"))
	st.LastMonth, _ = strconv.Atoi(f.Get("last_month"))
	if x := f.Get("body"); x != "" {
		st.BodyID, _ = strconv.ParseInt(x, 10, 64)
	}
	err = s.db.AddCycleStep(ctx, &st)
	return settle(w, r, f, err, "title_nb", Path(v.Lang, "cycle", a.Slug), func(status int, fs forms) error { return s.cyclePage(w, r, v, status, fs) })
}

// handleRecordCycleStep records which meeting and case did a step in a year.
func (s *Server) handleRecordCycleStep(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	f := newForm("record", r)
	f.Values.Set("step", r.PathValue("id"))
	rec := samrad.CycleRecord{StepID: id, Year: s.formYear(v, f, "year"), DoneOn: s.formDate(v, f, "done_on")}
	if x := f.Get("meeting"); x != "" {
		rec.MeetingID, _ = strconv.ParseInt(x, 10, 64)
	}
	if f.Get("case") != "" {
		c, err := s.formCase(ctx, v, f, a, "case")
		if err != nil {
			return err
		}
		rec.CaseID = c.ID
	}
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.RecordCycleStep(ctx, a.ID, rec)
	}
	if samrad.ErrorCode(err) == samrad.ENOTFOUND {
		return err
	}
	return settle(w, r, f, err, "meeting", Path(v.Lang, "cycle", a.Slug)+"#steg-"+r.PathValue("id"),
		func(status int, fs forms) error { return s.cyclePage(w, r, v, status, fs) })
}
