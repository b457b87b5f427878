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
		data.Late, data.Stale = followUp(p, data.Today)
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

// followUp lists the programme's measures that are late, and those open
// measures without a progress note in staleWeeks.
func followUp(p samrad.Programme, today samrad.Date) (late, stale []samrad.Measure) {
	start := samrad.Jan1(p.Year)
	for _, sec := range p.Sections {
		for _, m := range sec.Measures {
			if m.Late(today) {
				late = append(late, m)
			}
			if m.Stale(today, staleWeeks, start) {
				stale = append(stale, m)
			}
		}
	}
	return late, stale
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
	a, ctx, err := s.staffAction(w, r, v)
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

// formCase reads a case number field ("24/2017") and finds the case in
// the alliance; a bad or unknown number is noted on the field.
func (s *Server) formCase(ctx context.Context, v *view, f *form, a samrad.Alliance, field string) (samrad.Case, error) {
	label := f.Get(field)
	n, y, err := samrad.ParseCaseNumber(label)
	if err != nil {
		f.Errors[field] = s.cat.T(v.Lang, "bad_case_number", label)
		return samrad.Case{}, nil
	}
	c, err := s.db.CaseByNumber(ctx, a.ID, y, n)
	if samrad.ErrorCode(err) == samrad.ENOTFOUND {
		f.Errors[field] = s.cat.T(v.Lang, "no_such_case", label)
		return c, nil
	}
	return c, err
}

// handleMeasureCase links a case that carries out a measure.
func (s *Server) handleMeasureCase(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	f := newForm("measure_case", r)
	f.Values.Set("measure", r.PathValue("id"))
	c, err := s.formCase(ctx, v, f, a, "case")
	if err == nil && len(f.Errors) == 0 {
		err = s.db.LinkMeasureCase(ctx, a.ID, id, c.ID)
	}
	if samrad.ErrorCode(err) == samrad.ENOTFOUND {
		return err
	}
	return settle(w, r, f, err, "case", Path(v.Lang, "programme", a.Slug, r.PathValue("year"))+"#tiltak-"+r.PathValue("id"),
		func(status int, fs forms) error { return s.programmePage(w, r, v, status, fs) })
}

func (s *Server) handleProgressReport(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.progressReportPage(w, r, v)
}

// progressReportPage is the secretariat's report to the board on how each
// measure of the year's programme is going: status, the latest note, and
// which measures are late or have had no news.
func (s *Server) progressReportPage(w http.ResponseWriter, r *http.Request, v *view) error {
	page := &recorder{header: http.Header{}}
	if err := s.programmePage(page, r, v, http.StatusOK, nil); err != nil {
		return err
	}
	d := v.Data.(programmeData)
	d.Late, d.Stale = followUp(d.Programme, d.Today)
	title := s.cat.T(v.Lang, "progress_report_title", d.Programme.Year)
	v.Title, v.Data = title+" – "+d.Alliance.Name(v.Lang), d
	v.crumbs(d.Alliance.Name(v.Lang), Path(v.Lang, "alliance", d.Alliance.Slug), s.cat.T(v.Lang, "programme_title", d.Programme.Year),
		Path(v.Lang, "programme", d.Alliance.Slug, strconv.Itoa(d.Programme.Year)), title, "")
	s.render(w, http.StatusOK, "progress_report", v)
	return nil
}

// handleProgressReportCase prints the progress report as PDF and files it
// as a document of a case, e.g. the board's orientation case.
func (s *Server) handleProgressReportCase(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("progress_report", r)
	c, err := s.formCase(ctx, v, f, a, "case")
	if err != nil {
		return err
	}
	if len(f.Errors) == 0 && !s.pdf.Available() {
		return samrad.Errorf(samrad.EUNAVAILABLE, "%s", s.cat.T(v.Lang, "pdf_unavailable"))
	}
	if len(f.Errors) == 0 {
		err = s.fileProgressReport(ctx, r, v, c)
	}
	return settle(w, r, f, err, "case", Path(v.Lang, "case", a.Slug, strconv.Itoa(c.Year), strconv.Itoa(c.Number)),
		func(status int, fs forms) error { return s.programmePage(w, r, v, status, fs) })
}

// fileProgressReport prints the status report and stores it as a document
// of case c.
func (s *Server) fileProgressReport(ctx context.Context, r *http.Request, v *view, c samrad.Case) error {
	page := &recorder{header: http.Header{}}
	if err := s.progressReportPage(page, r, v); err != nil {
		return err
	}
	d := v.Data.(programmeData)
	out, err := s.renderPDF(r, v, page)
	if err != nil {
		return err
	}
	doc := samrad.Document{AllianceID: c.AllianceID, CaseID: c.ID,
		Title:    s.cat.T(v.Lang, "progress_report_doc", d.Programme.Year, formatDate(v.Lang, d.Today)),
		Filename: s.cat.T(v.Lang, "progress_report_file", d.Programme.Year, d.Today.String()) + ".pdf"}
	s.readText(&doc, out)
	return s.db.AddDocument(ctx, &doc, out)
}
