package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/samrad/samrad"
)

// staleWeeks is how long an open measure may go without a progress note
// before the follow-up overview flags it.
const staleWeeks = 6

type programmeData struct {
	Alliance  samrad.Alliance
	Programme samrad.Programme
	Period    *samrad.StrategyPeriod
	Years     []int
	CanEdit   bool
	Forms     forms
	Statuses  []samrad.MeasureStatus
	Today     samrad.Date
	// Follow-up, for the secretariat: measures late or without news.
	Late, Stale []samrad.Measure
	StaleWeeks  int
}

func (s *Server) handleProgramme(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.programmePage(w, r, v, http.StatusOK, nil)
}

// programmePage shows an action programme as the document reads: the
// strategy's vision, roles and focus areas, then every measure with its
// timeframe, responsibility and content, and its status and progress.
func (s *Server) programmePage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	p, err := s.db.Programme(ctx, a.ID, year)
	if err != nil {
		return err
	}
	data := programmeData{Alliance: a, Programme: p, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat), Forms: fs,
		Statuses: samrad.MeasureStatuses, Today: samrad.Today(), StaleWeeks: staleWeeks}
	if data.Years, err = s.db.ProgrammeYears(ctx, a.ID); err != nil {
		return err
	}
	if p.PeriodID != 0 {
		periods, err := s.db.StrategyPeriods(ctx, a.ID)
		if err != nil {
			return err
		}
		for i := range periods {
			if periods[i].ID == p.PeriodID {
				data.Period = &periods[i]
			}
		}
	}
	if data.CanEdit {
		start := samrad.Jan1(p.Year)
		for _, sec := range p.Sections {
			for _, m := range sec.Measures {
				if m.Late(data.Today) {
					data.Late = append(data.Late, m)
				}
				if m.Stale(data.Today, staleWeeks, start) {
					data.Stale = append(data.Stale, m)
				}
			}
		}
	}
	title := p.Title
	if title == "" {
		title = s.cat.T(v.Lang, "programme_title", p.Year)
	}
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, status, "programme", v)
	return nil
}

// handleProgrammePDF prints the programme as PDF from the same page.
func (s *Server) handleProgrammePDF(w http.ResponseWriter, r *http.Request, v *view) error {
	page := &recorder{header: http.Header{}}
	if err := s.programmePage(page, r, v, http.StatusOK, nil); err != nil {
		return err
	}
	if !s.pdf.Available() {
		return samrad.Errorf(samrad.EUNAVAILABLE, "%s", s.cat.T(v.Lang, "pdf_unavailable"))
	}
	d := v.Data.(programmeData)
	return s.writePDF(w, r, v, page, d.Alliance.Slug+"-"+s.cat.T(v.Lang, "programme_file", d.Programme.Year))
}

// handleAddProgress records a progress note on a measure of the programme.
func (s *Server) handleAddProgress(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	ctx, err := s.authorize(w, r, v, a)
	if err != nil {
		return err
	}
	year, err1 := strconv.Atoi(r.PathValue("year"))
	id, err2 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err1 != nil || err2 != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	f := newForm("progress", r)
	f.Values.Set("measure", r.PathValue("id"))
	err = s.addProgress(ctx, v, a, id, f)
	if samrad.ErrorCode(err) == samrad.ENOTFOUND {
		return err // no such measure in the alliance: the page, not the form, is wrong
	}
	return settle(w, r, f, err, "text", Path(v.Lang, "programme", a.Slug, strconv.Itoa(year))+"#tiltak-"+r.PathValue("id"),
		func(status int, fs forms) error { return s.programmePage(w, r, v, status, fs) })
}

func (s *Server) addProgress(ctx context.Context, v *view, a samrad.Alliance, id int64, f *form) error {
	n := samrad.ProgressNote{MeasureID: id, Text: f.Get("text"), Status: samrad.MeasureStatus(f.Get("status")), On: samrad.Today()}
	if f.Get("on") != "" {
		if n.On = s.formDate(v, f, "on"); n.On.IsZero() {
			return nil
		}
	}
	return s.db.AddProgressNote(ctx, a.ID, &n)
}
