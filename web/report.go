package web

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/chart"
	"github.com/samrad/samrad/store"
)

type bodyMeetings struct {
	Body      samrad.Body
	Held, All int
}

type decisionView struct {
	Case, Title, Decision string
	CaseURL, MeetingURL   string
	Meeting               string
}

type statusCount struct {
	Status samrad.MeasureStatus
	Count  int
}

type reportData struct {
	Alliance    samrad.Alliance
	Year        int
	Report      samrad.AnnualReport
	Texts       map[string][]string // chapter → paragraphs
	Chapters    []string
	CanEdit     bool
	Forms       forms
	Changes     samrad.MemberChanges
	Fees        *samrad.FeeTable
	FeeError    string
	Meetings    []store.AllianceMeeting
	ByBody      []bodyMeetings
	Held        int
	Decisions   []decisionView
	Programme   *samrad.Programme
	Statuses    []statusCount
	Budget      *samrad.BudgetStatement
	Goals       []goalView
	FeeChart    template.HTML
	BudgetChart template.HTML
	StatusChart template.HTML
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.reportPage(w, r, v, http.StatusOK, nil)
}

// reportPage shows the annual report, generated from the year's data with
// the secretariat's own text per chapter. An approved report is public; a
// draft is shown to the alliance's own people only.
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, year, err := s.budgetYear(r, v)
	if err != nil {
		return err
	}
	data := reportData{Alliance: a, Year: year, Forms: fs, Chapters: samrad.ReportChapters, Texts: map[string][]string{}}
	if data.Report, err = s.db.AnnualReport(ctx, a.ID, year); err != nil {
		return err
	}
	if !data.Report.Approved() && !v.User.Can(a.ID, samrad.RoleReader) {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	data.CanEdit = !data.Report.Approved() && v.User.Can(a.ID, samrad.RoleSecretariat)
	for k, text := range data.Report.Chapters {
		data.Texts[k] = paragraphs(text)
	}
	ms, err := s.db.Memberships(ctx, a.ID)
	if err != nil {
		return err
	}
	data.Changes = samrad.ChangesIn(ms, year)
	fees, err := s.db.FeeTable(ctx, a.ID, year)
	var missing *samrad.MissingPopulationError
	switch {
	case err == nil:
		data.Fees = fees
	case errors.As(err, &missing):
		data.FeeError = missing.Error()
	case samrad.ErrorCode(err) != samrad.ENOTFOUND:
		return err
	}
	if data.Meetings, err = s.db.YearMeetings(ctx, a.ID, year); err != nil {
		return err
	}
	index := map[int64]int{}
	for _, m := range data.Meetings {
		i, ok := index[m.Body.ID]
		if !ok {
			i = len(data.ByBody)
			index[m.Body.ID] = i
			data.ByBody = append(data.ByBody, bodyMeetings{Body: m.Body})
		}
		data.ByBody[i].All++
		if m.Status != samrad.MeetingPlanned && m.Status != samrad.MeetingNoticeSent {
			data.ByBody[i].Held++
			data.Held++
		}
	}
	decisions, err := s.db.YearDecisions(ctx, a.ID, year)
	if err != nil {
		return err
	}
	// A year may hold hundreds of decisions: their labels and links are
	// made here once rather than by template calls per row.
	data.Decisions = make([]decisionView, len(decisions))
	for i, d := range decisions {
		data.Decisions[i] = decisionView{Case: samrad.CaseNumber(a.CaseScheme, d.CaseNumber, d.CaseYear), Title: d.CaseTitle, Decision: d.Decision,
			CaseURL:    Path(v.Lang, "case", a.Slug, strconv.Itoa(d.CaseYear), strconv.Itoa(d.CaseNumber)),
			MeetingURL: Path(v.Lang, "meeting", a.Slug, strconv.FormatInt(d.MeetingID, 10)),
			Meeting:    d.Body.Name(v.Lang) + " " + d.MeetingStart.In(samrad.Oslo()).Format("02.01.2006")}
	}
	if p, err := s.db.Programme(ctx, a.ID, year); err == nil {
		data.Programme = &p
		counts := map[samrad.MeasureStatus]int{}
		for _, sec := range p.Sections {
			for _, m := range sec.Measures {
				counts[m.Status]++
			}
		}
		for _, st := range samrad.MeasureStatuses {
			data.Statuses = append(data.Statuses, statusCount{st, counts[st]})
		}
	} else if samrad.ErrorCode(err) != samrad.ENOTFOUND {
		return err
	}
	if st, err := s.db.BudgetStatement(ctx, a.ID, year); err == nil {
		data.Budget = &st
	} else if samrad.ErrorCode(err) != samrad.ENOTFOUND {
		return err
	}
	if data.Goals, err = s.yearGoals(r, a.ID, year); err != nil {
		return err
	}
	s.reportCharts(v.Lang, &data)
	title := s.cat.T(v.Lang, "report_title", year)
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, status, "report", v)
	return nil
}

// reportCharts draws the report's charts: fees per member, income and
// costs against the accounts, and measures by status.
func (s *Server) reportCharts(lang string, d *reportData) {
	money := func(m samrad.Money) string {
		if lang == "en" {
			return m.English()
		}
		return m.Norwegian()
	}
	if d.Fees != nil && len(d.Fees.Lines) > 0 {
		c := chart.Bars{ID: "chart-fees", Title: s.cat.T(lang, "chart_fees", d.Year), Desc: s.cat.T(lang, "chart_fees_desc", len(d.Fees.Lines), money(d.Fees.Total))}
		for _, l := range d.Fees.Lines {
			c.Rows = append(c.Rows, chart.Row{Label: l.Membership.Org.Name(lang), Values: []int64{int64(l.Fee)}, Texts: []string{money(l.Fee)}})
		}
		d.FeeChart = c.SVG()
	}
	if b := d.Budget; b != nil {
		c := chart.Bars{ID: "chart-budget", Title: s.cat.T(lang, "chart_budget", d.Year), Desc: s.cat.T(lang, "chart_budget_desc", money(b.IncomeBudget), money(b.CostBudget)),
			Series: []chart.Series{{Name: s.cat.T(lang, "budget_amount")}}}
		if b.HasActuals {
			c.Series = append(c.Series, chart.Series{Name: s.cat.T(lang, "actual_amount")})
			c.Desc = s.cat.T(lang, "chart_budget_desc_actual", money(b.IncomeBudget), money(b.IncomeActual), money(b.CostBudget), money(b.CostActual))
		}
		row := func(label string, budget, actual samrad.Money) chart.Row {
			r := chart.Row{Label: label, Values: []int64{int64(budget)}, Texts: []string{money(budget)}}
			if b.HasActuals {
				r.Values, r.Texts = append(r.Values, int64(actual)), append(r.Texts, money(actual))
			}
			return r
		}
		c.Rows = []chart.Row{row(s.cat.T(lang, "budget_income"), b.IncomeBudget, b.IncomeActual), row(s.cat.T(lang, "budget_costs"), b.CostBudget, b.CostActual)}
		d.BudgetChart = c.SVG()
	}
	if len(d.Statuses) > 0 {
		total := 0
		c := chart.Bars{ID: "chart-status", Title: s.cat.T(lang, "chart_status", d.Year)}
		for _, st := range d.Statuses {
			total += st.Count
			c.Rows = append(c.Rows, chart.Row{Label: s.cat.T(lang, "measure_"+string(st.Status)), Values: []int64{int64(st.Count)}})
		}
		c.Desc = s.cat.T(lang, "chart_status_desc", total)
		d.StatusChart = c.SVG()
	}
}

// paragraphs splits a text on blank lines.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// handleReportPDF prints the annual report from the same page.
func (s *Server) handleReportPDF(w http.ResponseWriter, r *http.Request, v *view) error {
	page := &recorder{header: http.Header{}}
	if err := s.reportPage(page, r, v, http.StatusOK, nil); err != nil {
		return err
	}
	if !s.pdf.Available() {
		return samrad.Errorf(samrad.EUNAVAILABLE, "%s", s.cat.T(v.Lang, "pdf_unavailable"))
	}
	d := v.Data.(reportData)
	return s.writePDF(w, r, v, page, d.Alliance.Slug+"-"+s.cat.T(v.Lang, "report_file", d.Year))
}

// handleSaveReport stores the secretariat's chapter texts, or approves the
// report when the approval fields are filled in.
func (s *Server) handleSaveReport(w http.ResponseWriter, r *http.Request, v *view) error {
	a, year, err := s.budgetYear(r, v)
	if err != nil {
		return err
	}
	ctx, err := s.authorize(w, r, v, a)
	if err != nil {
		return err
	}
	rep, err := s.db.AnnualReport(ctx, a.ID, year)
	if err != nil {
		return err
	}
	name := "report"
	if r.PostForm.Has("approved_on") {
		name = "approve"
	}
	f := newForm(name, r)
	if name == "report" {
		rep.Chapters = map[string]string{}
		for _, c := range samrad.ReportChapters {
			if t := f.Get("chapter_" + c); t != "" {
				rep.Chapters[c] = t
			}
		}
	} else {
		rep.ApprovedBy = f.Get("approved_by")
		if rep.ApprovedOn = s.formDate(v, f, "approved_on"); rep.ApprovedOn.IsZero() && f.Error("approved_on") == "" {
			f.Errors["approved_on"] = s.cat.T(v.Lang, "date_required")
		}
	}
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.SaveAnnualReport(ctx, &rep)
	}
	return settle(w, r, f, err, "approved_by", Path(v.Lang, "annual_report", a.Slug, strconv.Itoa(year)),
		func(status int, fs forms) error { return s.reportPage(w, r, v, status, fs) })
}
