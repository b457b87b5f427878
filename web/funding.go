package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/callfile"
	"github.com/samrad/samrad/mail"
	"github.com/samrad/samrad/store"
)

// fundingPaths are the routes of this area: funding programmes and their
// calls (public), applications (for the alliance's own people) and the
// deadlines page with e-mail reminders (secretariat).
//
// A programme's slug fills the placeholder {code}, so that the language
// switch and the route checks find it like any other code in a path.
var fundingPaths = map[string][2]string{
	"fund_list":            {"/allianser/{slug}/finansiering", "/en/alliances/{slug}/funding"},
	"fund_programme":       {"/allianser/{slug}/finansiering/{code}", "/en/alliances/{slug}/funding/{code}"},
	"fund_prog_add":        {"/allianser/{slug}/finansiering/ny", "/en/alliances/{slug}/funding/new"},
	"fund_import":          {"/allianser/{slug}/finansiering/import", "/en/alliances/{slug}/funding/import"},
	"fund_prog_edit":       {"/allianser/{slug}/finansiering/{code}/endre", "/en/alliances/{slug}/funding/{code}/edit"},
	"fund_call_add":        {"/allianser/{slug}/finansiering/{code}/utlysninger", "/en/alliances/{slug}/funding/{code}/calls"},
	"fund_call_edit":       {"/allianser/{slug}/finansiering/{code}/utlysninger/{id}", "/en/alliances/{slug}/funding/{code}/calls/{id}"},
	"fund_applications":    {"/allianser/{slug}/soknader", "/en/alliances/{slug}/applications"},
	"fund_app_add":         {"/allianser/{slug}/soknader/ny", "/en/alliances/{slug}/applications/new"},
	"fund_application":     {"/allianser/{slug}/soknader/{id}", "/en/alliances/{slug}/applications/{id}"},
	"fund_app_edit":        {"/allianser/{slug}/soknader/{id}/endre", "/en/alliances/{slug}/applications/{id}/edit"},
	"fund_partner_add":     {"/allianser/{slug}/soknader/{id}/partnere", "/en/alliances/{slug}/applications/{id}/partners"},
	"fund_partner_remove":  {"/allianser/{slug}/soknader/{id}/partnere/fjern", "/en/alliances/{slug}/applications/{id}/partners/remove"},
	"fund_deadlines":       {"/allianser/{slug}/frister", "/en/alliances/{slug}/deadlines"},
	"fund_reminder_add":    {"/allianser/{slug}/frister/paminnelser", "/en/alliances/{slug}/deadlines/reminders"},
	"fund_reminder_delete": {"/allianser/{slug}/frister/paminnelser/{id}/slett", "/en/alliances/{slug}/deadlines/reminders/{id}/delete"},
}

// fundingRoutes registers the pages and actions of this area.
func (s *Server) fundingRoutes(handle, post func(name string, h handlerFunc)) {
	handle("fund_list", s.handleFundList)
	handle("fund_programme", s.handleFundProgramme)
	handle("fund_applications", s.handleFundApplications)
	handle("fund_application", s.handleFundApplication)
	handle("fund_deadlines", s.handleFundDeadlines)
	post("fund_prog_add", s.handleFundProgrammeAdd)
	post("fund_prog_edit", s.handleFundProgrammeEdit)
	post("fund_import", s.handleFundImport)
	post("fund_call_add", s.handleFundCallSave)
	post("fund_call_edit", s.handleFundCallSave)
	post("fund_app_add", s.handleFundApplicationAdd)
	post("fund_app_edit", s.handleFundApplicationEdit)
	post("fund_partner_add", s.handleFundPartnerAdd)
	post("fund_partner_remove", s.handleFundPartnerRemove)
	post("fund_reminder_add", s.handleFundReminderAdd)
	post("fund_reminder_delete", s.handleFundReminderDelete)
}

// DefaultDeadlineDays is how far ahead the deadlines page looks unless
// told otherwise; MaxDeadlineDays is the furthest it may be told.
const (
	DefaultDeadlineDays = 90
	MaxDeadlineDays     = 730
)

// --------------------------------------------------------------- programmes

type fundProgrammeCalls struct {
	Programme samrad.FundingProgramme
	Calls     []samrad.FundingCall
}

type fundListData struct {
	Alliance   samrad.Alliance
	Programmes []fundProgrammeCalls
	Kinds      []samrad.FundingKind
	CanEdit    bool
	IsMember   bool
	Forms      forms
	Columns    string
	// Imported tells, after an import, how many calls were new and how
	// many changed.
	Imported          bool
	Inserted, Updated int
}

// handleFundList lists the programmes an alliance follows with their open
// calls, the nearest deadline first.
func (s *Server) handleFundList(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.fundListPage(w, r, v, http.StatusOK, nil)
}

func (s *Server) fundListPage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	programmes, err := s.db.FundingProgrammes(ctx, a.ID)
	if err != nil {
		return err
	}
	now := time.Now()
	open, err := s.db.OpenCalls(ctx, a.ID, now)
	if err != nil {
		return err
	}
	data := fundListData{Alliance: a, Kinds: samrad.FundingKinds, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat),
		IsMember: v.User.Can(a.ID, samrad.RoleReader), Forms: fs, Columns: strings.Join(callfile.Columns, ",")}
	if x := r.URL.Query().Get(fundParam(v.Lang, "imported")); x != "" && data.CanEdit {
		_, err := fmt.Sscanf(x, "%d-%d", &data.Inserted, &data.Updated)
		data.Imported = err == nil
	}
	at := map[int64]int{}
	for i, p := range programmes {
		at[p.ID] = i
		data.Programmes = append(data.Programmes, fundProgrammeCalls{Programme: p})
	}
	for _, c := range open {
		if i, ok := at[c.ProgrammeID]; ok {
			data.Programmes[i].Calls = append(data.Programmes[i].Calls, c)
		}
	}
	// A cached copy lists a call as open only until its deadline.
	if len(open) > 0 {
		v.until = open[0].Deadline
	}
	title := s.cat.T(v.Lang, "fund_title")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, status, "funding", v)
	return nil
}

type fundProgrammeData struct {
	Alliance     samrad.Alliance
	Programme    samrad.FundingProgramme
	Open, Closed []samrad.FundingCall
	Kinds        []samrad.FundingKind
	CanEdit      bool
	IsMember     bool
	Forms        forms
}

// handleFundProgramme shows a programme with its calls, open and closed.
func (s *Server) handleFundProgramme(w http.ResponseWriter, r *http.Request, v *view) error {
	a, p, err := s.loadFundProgramme(r)
	if err != nil {
		return err
	}
	return s.fundProgrammePage(w, r, v, a, p, http.StatusOK, nil)
}

func (s *Server) loadFundProgramme(r *http.Request) (samrad.Alliance, samrad.FundingProgramme, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return a, samrad.FundingProgramme{}, err
	}
	p, err := s.db.FundingProgrammeBySlug(r.Context(), a.ID, r.PathValue("code"))
	return a, p, err
}

func (s *Server) fundProgrammePage(w http.ResponseWriter, r *http.Request, v *view, a samrad.Alliance, p samrad.FundingProgramme, status int, fs forms) error {
	calls, err := s.db.FundingCalls(r.Context(), p.ID)
	if err != nil {
		return err
	}
	now := time.Now()
	data := fundProgrammeData{Alliance: a, Programme: p, Kinds: samrad.FundingKinds, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat),
		IsMember: v.User.Can(a.ID, samrad.RoleReader), Forms: fs}
	for _, c := range calls { // the latest deadline first
		if c.Deadline.After(now) {
			data.Open = append([]samrad.FundingCall{c}, data.Open...)
			v.until = c.Deadline
		} else {
			data.Closed = append(data.Closed, c)
		}
	}
	v.Title, v.Nav, v.Data = p.Name(v.Lang)+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "fund_title"), Path(v.Lang, "fund_list", a.Slug), p.Name(v.Lang), "")
	s.render(w, status, "funding_programme", v)
	return nil
}

// readProgrammeForm fills p from the posted programme form.
func readProgrammeForm(f *form, p *samrad.FundingProgramme) {
	p.NameNB, p.NameEN, p.Slug, p.Funder = f.Get("name_nb"), f.Get("name_en"), f.Get("slug"), f.Get("funder")
	p.Kind, p.Website, p.Source = samrad.FundingKind(f.Get("kind")), f.Get("website"), f.Get("source")
	p.DescriptionNB, p.DescriptionEN = f.Get("description_nb"), f.Get("description_en")
	if p.Slug == "" {
		p.Slug = slugify(p.NameNB)
	}
}

// handleFundProgrammeAdd creates a programme.
func (s *Server) handleFundProgrammeAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("programme", r)
	p := samrad.FundingProgramme{AllianceID: a.ID}
	readProgrammeForm(f, &p)
	err = s.db.CreateFundingProgramme(ctx, &p)
	return settle(w, r, f, err, "name_nb", Path(v.Lang, "fund_programme", a.Slug, p.Slug),
		func(status int, fs forms) error { return s.fundListPage(w, r, v, status, fs) })
}

// handleFundProgrammeEdit changes a programme.
func (s *Server) handleFundProgrammeEdit(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	old, err := s.db.FundingProgrammeBySlug(ctx, a.ID, r.PathValue("code"))
	if err != nil {
		return err
	}
	f := newForm("programme", r)
	p := old
	readProgrammeForm(f, &p)
	err = s.db.UpdateFundingProgramme(ctx, &p)
	return settle(w, r, f, err, "name_nb", Path(v.Lang, "fund_programme", a.Slug, p.Slug),
		func(status int, fs forms) error { return s.fundProgrammePage(w, r, v, a, old, status, fs) })
}

// handleFundCallSave adds a call to a programme, or changes one (the
// route with the call's id).
func (s *Server) handleFundCallSave(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	p, err := s.db.FundingProgrammeBySlug(ctx, a.ID, r.PathValue("code"))
	if err != nil {
		return err
	}
	c := samrad.FundingCall{ProgrammeID: p.ID}
	formName := "call"
	if x := r.PathValue("id"); x != "" {
		id, perr := strconv.ParseInt(x, 10, 64)
		if perr != nil {
			return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
		}
		if c, err = s.db.FundingCall(ctx, a.ID, id); err != nil {
			return err
		}
		if c.ProgrammeID != p.ID {
			return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
		}
		formName = "call-" + x
	}
	f := newForm(formName, r)
	c.Code, c.Title, c.URL, c.Note = f.Get("code"), f.Get("title"), f.Get("url"), f.Get("note")
	c.Opens = samrad.Date{}
	if x := f.Get("opens"); x != "" {
		d, perr := samrad.ParseCallDate(x)
		if perr != nil {
			f.Errors["opens"] = s.cat.T(v.Lang, "fund_bad_date", x)
		}
		c.Opens = d
	}
	c.Deadline = time.Time{}
	if x := f.Get("deadline"); x != "" {
		t, perr := samrad.ParseDeadline(x)
		if perr != nil {
			f.Errors["deadline"] = s.cat.T(v.Lang, "fund_bad_deadline", x)
		}
		c.Deadline = t
	}
	c.Budget = s.formAmount(v, f, "budget")
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.SaveFundingCall(ctx, a.ID, &c)
	}
	return settle(w, r, f, err, "title", Path(v.Lang, "fund_programme", a.Slug, p.Slug)+"#calls",
		func(status int, fs forms) error { return s.fundProgrammePage(w, r, v, a, p, status, fs) })
}

// formAmount reads an optional amount in kroner; a bad one is noted on the field.
func (s *Server) formAmount(v *view, f *form, field string) *samrad.Money {
	x := f.Get(field)
	if x == "" {
		return nil
	}
	m, err := samrad.ParseMoney(x)
	if err != nil {
		f.Errors[field] = s.cat.T(v.Lang, "fund_bad_amount", x)
		return nil
	}
	return &m
}

// handleFundImport reads a CSV or JSON file of calls. Any bad line leaves
// everything as it was, and the form says which line and why.
func (s *Server) handleFundImport(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	if err := s.requireRole(v, a, samrad.RoleSecretariat); err != nil {
		return err
	}
	limitBody(w, r, callfile.MaxSize+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		if errors.Is(err, http.ErrNotMultipart) {
			if err := checkCSRF(r, v); err != nil {
				return err
			}
			return samrad.FieldErrorf("file", "%s", s.cat.T(v.Lang, "choose_file"))
		}
		return samrad.Errorf(samrad.EINVALID, "%s", s.cat.T(v.Lang, "upload_too_large", callfile.MaxSize>>20))
	}
	defer r.MultipartForm.RemoveAll()
	if err := checkCSRF(r, v); err != nil {
		return err
	}
	f := newForm("import", r)
	file, header, err := r.FormFile("file")
	if err != nil {
		f.Errors["file"] = s.cat.T(v.Lang, "choose_file")
		return s.fundListPage(w, r, v, http.StatusBadRequest, forms{"import": f})
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, callfile.MaxSize+1))
	if err != nil {
		return err
	}
	ctx := samrad.WithActor(r.Context(), samrad.Actor{UserID: v.User.ID, Name: v.User.Email})
	res, err := s.db.ImportCalls(ctx, a.ID, header.Filename, data)
	var ce *callfile.Error
	if errors.As(err, &ce) {
		f.Errors["file"] = s.callfileMessage(v.Lang, ce)
		return s.fundListPage(w, r, v, http.StatusBadRequest, forms{"import": f})
	}
	next := Path(v.Lang, "fund_list", a.Slug) + "?" + url.Values{fundParam(v.Lang, "imported"): {fmt.Sprintf("%d-%d", res.Inserted, res.Updated)}}.Encode()
	return settle(w, r, f, err, "file", next, func(status int, fs forms) error { return s.fundListPage(w, r, v, status, fs) })
}

// callfileMessage says what is wrong in a call file, line and column first.
func (s *Server) callfileMessage(lang string, e *callfile.Error) string {
	var b strings.Builder
	if e.Line > 0 {
		b.WriteString(s.cat.T(lang, "fund_import_line", e.Line))
	} else {
		b.WriteString(s.cat.T(lang, "fund_import_file"))
	}
	if e.Column != "" {
		b.WriteString(", " + s.cat.T(lang, "fund_import_column", e.Column))
	}
	b.WriteString(": " + s.cat.T(lang, "fund_reason_"+e.Reason))
	if e.Value != "" {
		fmt.Fprintf(&b, " (%q)", e.Value)
	}
	return b.String()
}

// fundParam is the name of a query parameter of this area in lang.
func fundParam(lang, name string) string {
	names := map[string][2]string{"days": {"dager", "days"}, "imported": {"importert", "imported"}}[name]
	if lang == "en" {
		return names[1]
	}
	return names[0]
}

// ------------------------------------------------------------- applications

// memberAlliance reads the alliance of the path for a page of its own
// people: anyone with a role in it.
func (s *Server) memberAlliance(r *http.Request, v *view) (samrad.Alliance, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return a, err
	}
	return a, s.requireRole(v, a, samrad.RoleReader)
}

// fundNames are the names an application page shows: organisations,
// programmes, calls and projects by id.
type fundNames struct {
	orgs       map[int64]samrad.Organisation
	programmes map[int64]samrad.FundingProgramme
	calls      map[int64]samrad.FundingCall
	projects   map[int64]store.ProjectChoice
	lang       string
}

func (n fundNames) Org(id int64) string {
	if o, ok := n.orgs[id]; ok {
		return o.Name(n.lang)
	}
	return ""
}

func (n fundNames) Programme(id int64) samrad.FundingProgramme { return n.programmes[id] }
func (n fundNames) Call(id int64) samrad.FundingCall           { return n.calls[id] }
func (n fundNames) Project(id int64) string                    { return n.projects[id].Name(n.lang) }

type fundOrgChoice struct {
	ID   int64
	Name string
}

// fundForm is what the application form chooses from.
type fundForm struct {
	Programmes []samrad.FundingProgramme
	Calls      []samrad.FundingCall
	Orgs       []fundOrgChoice
	Projects   []store.ProjectChoice
	Statuses   []samrad.ApplicationStatus
	Lang       string
}

func (s *Server) fundNamesAndChoices(ctx context.Context, lang string, allianceID int64, extra ...int64) (fundNames, fundForm, error) {
	n := fundNames{orgs: map[int64]samrad.Organisation{}, programmes: map[int64]samrad.FundingProgramme{}, calls: map[int64]samrad.FundingCall{},
		projects: map[int64]store.ProjectChoice{}, lang: lang}
	ff := fundForm{Statuses: samrad.ApplicationStatuses, Lang: lang}
	var err error
	if ff.Programmes, err = s.db.FundingProgrammes(ctx, allianceID); err != nil {
		return n, ff, err
	}
	for _, p := range ff.Programmes {
		n.programmes[p.ID] = p
	}
	if ff.Calls, err = s.db.AllianceCalls(ctx, allianceID); err != nil {
		return n, ff, err
	}
	for _, c := range ff.Calls {
		n.calls[c.ID] = c
	}
	if ff.Projects, err = s.db.ApplicationProjects(ctx, allianceID); err != nil {
		return n, ff, err
	}
	for _, p := range ff.Projects {
		n.projects[p.ID] = p
	}
	reg, err := s.db.Registry(ctx)
	if err != nil {
		return n, ff, err
	}
	members, err := s.db.MembersOn(ctx, allianceID, samrad.Today(), false)
	if err != nil {
		return n, ff, err
	}
	apps, err := s.db.Applications(ctx, allianceID)
	if err != nil {
		return n, ff, err
	}
	// The organisations to choose from: the members, and those named in
	// the alliance's applications already.
	add := func(id int64) {
		if _, seen := n.orgs[id]; seen {
			return
		}
		if o, ok := reg.Org(id); ok {
			n.orgs[id] = o
			ff.Orgs = append(ff.Orgs, fundOrgChoice{ID: id, Name: o.Name(lang)})
		}
	}
	for _, m := range members {
		add(m.Org.ID)
	}
	for _, a := range apps {
		add(a.ApplicantOrgID)
	}
	for _, id := range extra {
		add(id)
	}
	return n, ff, nil
}

type fundApplicationsData struct {
	Alliance    samrad.Alliance
	Pipeline    []store.PipelineColumn
	ByProgramme []store.SuccessRate
	ByApplicant []store.SuccessRate
	Total       store.SuccessRate
	Names       fundNames
	Choices     fundForm
	CanEdit     bool
	Forms       forms
}

// handleFundApplications is the pipeline of an alliance's applications by
// status, with success rates per programme and per applicant.
func (s *Server) handleFundApplications(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.memberAlliance(r, v)
	if err != nil {
		return err
	}
	return s.fundApplicationsPage(w, r, v, a, http.StatusOK, nil)
}

func (s *Server) fundApplicationsPage(w http.ResponseWriter, r *http.Request, v *view, a samrad.Alliance, status int, fs forms) error {
	ctx := r.Context()
	data := fundApplicationsData{Alliance: a, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat), Forms: fs}
	var err error
	if data.Pipeline, err = s.db.Pipeline(ctx, a.ID); err != nil {
		return err
	}
	if data.ByProgramme, data.ByApplicant, data.Total, err = s.db.SuccessRates(ctx, a.ID); err != nil {
		return err
	}
	if data.Names, data.Choices, err = s.fundNamesAndChoices(ctx, v.Lang, a.ID); err != nil {
		return err
	}
	title := s.cat.T(v.Lang, "fund_applications_title")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "fund_title"), Path(v.Lang, "fund_list", a.Slug), title, "")
	s.render(w, status, "funding_applications", v)
	return nil
}

type fundApplicationData struct {
	Alliance    samrad.Alliance
	Application samrad.Application
	Names       fundNames
	Choices     fundForm
	CanEdit     bool
	Forms       forms
}

// handleFundApplication shows one application with its partners.
func (s *Server) handleFundApplication(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.memberAlliance(r, v)
	if err != nil {
		return err
	}
	app, err := s.loadFundApplication(r, v, a)
	if err != nil {
		return err
	}
	return s.fundApplicationPage(w, r, v, a, app, http.StatusOK, nil)
}

func (s *Server) loadFundApplication(r *http.Request, v *view, a samrad.Alliance) (samrad.Application, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return samrad.Application{}, samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	return s.db.Application(r.Context(), a.ID, id)
}

func (s *Server) fundApplicationPage(w http.ResponseWriter, r *http.Request, v *view, a samrad.Alliance, app samrad.Application, status int, fs forms) error {
	extra := []int64{app.ApplicantOrgID}
	for _, p := range app.Partners {
		extra = append(extra, p.OrgID)
	}
	names, choices, err := s.fundNamesAndChoices(r.Context(), v.Lang, a.ID, extra...)
	if err != nil {
		return err
	}
	data := fundApplicationData{Alliance: a, Application: app, Names: names, Choices: choices, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat), Forms: fs}
	v.Title, v.Nav, v.Data = app.Title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "fund_applications_title"), Path(v.Lang, "fund_applications", a.Slug), app.Title, "")
	s.render(w, status, "funding_application", v)
	return nil
}

// readApplicationForm fills app from the posted application form.
func (s *Server) readApplicationForm(v *view, f *form, app *samrad.Application) {
	id := func(field string) int64 {
		x := f.Get(field)
		if x == "" {
			return 0
		}
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil || n <= 0 {
			f.Errors[field] = s.cat.T(v.Lang, "fund_bad_choice")
		}
		return n
	}
	app.Title, app.Status = f.Get("title"), samrad.ApplicationStatus(f.Get("status"))
	app.ProgrammeID, app.CallID, app.ApplicantOrgID, app.ProjectID = id("programme"), id("call"), id("applicant"), id("project")
	app.GrantNote, app.Outcome, app.Source = f.Get("grant_note"), f.Get("outcome"), f.Get("source")
	app.AmountSought, app.AmountGranted = s.formAmount(v, f, "amount_sought"), s.formAmount(v, f, "amount_granted")
	app.SubmittedOn, app.DecidedOn = s.formDate(v, f, "submitted_on"), s.formDate(v, f, "decided_on")
	app.Deadline = time.Time{}
	if x := f.Get("deadline"); x != "" {
		t, err := samrad.ParseDeadline(x)
		if err != nil {
			f.Errors["deadline"] = s.cat.T(v.Lang, "fund_bad_deadline", x)
		}
		app.Deadline = t
	}
}

// handleFundApplicationAdd records a new application.
func (s *Server) handleFundApplicationAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("application", r)
	app := samrad.Application{AllianceID: a.ID}
	s.readApplicationForm(v, f, &app)
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.CreateApplication(ctx, &app)
	}
	return settle(w, r, f, err, "title", Path(v.Lang, "fund_application", a.Slug, strconv.FormatInt(app.ID, 10)),
		func(status int, fs forms) error { return s.fundApplicationsPage(w, r, v, a, status, fs) })
}

// fundApplicationAction authorises a change of an application and reads it.
func (s *Server) fundApplicationAction(w http.ResponseWriter, r *http.Request, v *view) (samrad.Alliance, samrad.Application, context.Context, error) {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return a, samrad.Application{}, nil, err
	}
	app, err := s.loadFundApplication(r, v, a)
	return a, app, ctx, err
}

// handleFundApplicationEdit changes an application; its partners stay.
func (s *Server) handleFundApplicationEdit(w http.ResponseWriter, r *http.Request, v *view) error {
	a, old, ctx, err := s.fundApplicationAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("application", r)
	app := old
	s.readApplicationForm(v, f, &app)
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.UpdateApplication(ctx, &app)
	}
	return settle(w, r, f, err, "title", Path(v.Lang, "fund_application", a.Slug, strconv.FormatInt(app.ID, 10)),
		func(status int, fs forms) error { return s.fundApplicationPage(w, r, v, a, old, status, fs) })
}

// handleFundPartnerAdd adds a partner to an application.
func (s *Server) handleFundPartnerAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, app, ctx, err := s.fundApplicationAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("partner", r)
	org, perr := strconv.ParseInt(f.Get("org"), 10, 64)
	if perr != nil || org <= 0 {
		f.Errors["partners"] = s.cat.T(v.Lang, "fund_choose_org")
	}
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.AddApplicationPartner(ctx, a.ID, app.ID, samrad.ApplicationPartner{OrgID: org, Role: f.Get("role")})
	}
	return settle(w, r, f, err, "partners", Path(v.Lang, "fund_application", a.Slug, strconv.FormatInt(app.ID, 10))+"#partners",
		func(status int, fs forms) error { return s.fundApplicationPage(w, r, v, a, app, status, fs) })
}

// handleFundPartnerRemove takes a partner off an application.
func (s *Server) handleFundPartnerRemove(w http.ResponseWriter, r *http.Request, v *view) error {
	a, app, ctx, err := s.fundApplicationAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("partner", r)
	org, perr := strconv.ParseInt(f.Get("org"), 10, 64)
	if perr != nil {
		f.Errors["partners"] = s.cat.T(v.Lang, "fund_choose_org")
	}
	err = nil
	if len(f.Errors) == 0 {
		if err = s.db.RemoveApplicationPartner(ctx, a.ID, app.ID, org); samrad.ErrorCode(err) == samrad.EINVALID {
			err = samrad.FieldErrorf("partners", "%s", s.cat.T(v.Lang, "fund_not_partner"))
		}
	}
	return settle(w, r, f, err, "partners", Path(v.Lang, "fund_application", a.Slug, strconv.FormatInt(app.ID, 10))+"#partners",
		func(status int, fs forms) error { return s.fundApplicationPage(w, r, v, a, app, status, fs) })
}

// ---------------------------------------------------------------- deadlines

// fundDeadline is a deadline as the deadlines page lists it.
type fundDeadline struct {
	samrad.Deadline
	Key  string // kind:ref, as the reminder form names it
	Link string // its page, "" if there is none
}

type fundDeadlinesData struct {
	Alliance  samrad.Alliance
	Days      int
	DaysError string
	To        samrad.Date
	Deadlines []fundDeadline
	Forms     forms
	Langs     []string
}

// deadlineLink is the page a deadline belongs to in lang: the programme
// of a call, the application, the agreement, the network or the project.
// Pages of areas not on this server are not linked.
func deadlineLink(lang, allianceSlug string, d samrad.Deadline) string {
	var name string
	args := []string{allianceSlug, d.Slug}
	switch d.Kind {
	case samrad.DeadlineCall:
		name = "fund_programme"
	case samrad.DeadlineApplication:
		name, args = "fund_application", []string{allianceSlug, strconv.FormatInt(d.RefID, 10)}
	case samrad.DeadlineAgreementEnd, samrad.DeadlineAgreementRenewal:
		name = "agr_page"
	case samrad.DeadlineNetworkRenewal:
		name = "net_page"
	case samrad.DeadlineMilestone:
		name = "proj_page"
	}
	if _, ok := routeTable[name]; !ok || d.Slug == "" {
		return ""
	}
	return Path(lang, name, args...)
}

// handleFundDeadlines lists every deadline of the alliance in the coming
// days (90 unless the visitor chooses), with a form to be reminded by
// e-mail.
func (s *Server) handleFundDeadlines(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return err
	}
	return s.fundDeadlinesPage(w, r, v, a, http.StatusOK, nil)
}

func (s *Server) fundDeadlinesPage(w http.ResponseWriter, r *http.Request, v *view, a samrad.Alliance, status int, fs forms) error {
	data := fundDeadlinesData{Alliance: a, Days: DefaultDeadlineDays, Forms: fs, Langs: []string{"nb", "en"}}
	param := fundParam(v.Lang, "days")
	if x := strings.TrimSpace(r.URL.Query().Get(param)); x != "" && r.Method == http.MethodGet {
		n, err := strconv.Atoi(x)
		if err != nil || n < 1 || n > MaxDeadlineDays {
			data.DaysError = s.cat.T(v.Lang, "fund_bad_days", x, MaxDeadlineDays)
			status = http.StatusBadRequest
		} else {
			data.Days = n
		}
	}
	now := time.Now()
	data.To = samrad.DateIn(now).AddDays(data.Days)
	list, err := s.db.Deadlines(r.Context(), a.ID, now, samrad.DeadlineOn(data.To))
	if err != nil {
		return err
	}
	for _, d := range list {
		data.Deadlines = append(data.Deadlines, fundDeadline{Deadline: d, Key: fmt.Sprintf("%s:%d", d.Kind, d.RefID), Link: deadlineLink(v.Lang, a.Slug, d)})
	}
	// The language switch keeps the window.
	if v.Switch != nil && data.Days != DefaultDeadlineDays {
		other := v.Switch.Lang
		v.Switch.URL = Path(other, "fund_deadlines", a.Slug) + "?" + fundParam(other, "days") + "=" + strconv.Itoa(data.Days)
		v.Alternates = []altLink{{Lang: v.Lang, URL: r.URL.RequestURI()}, {Lang: other, URL: v.Switch.URL}}
	}
	title := s.cat.T(v.Lang, "fund_deadlines_title")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, status, "deadlines", v)
	return nil
}

// handleFundReminderAdd adds an e-mail reminder some days before a deadline.
func (s *Server) handleFundReminderAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("reminder", r)
	rem := samrad.Reminder{AllianceID: a.ID, Email: f.Get("email"), Lang: f.Get("lang")}
	kind, ref, ok := strings.Cut(f.Get("deadline"), ":")
	rem.Kind = samrad.DeadlineKind(kind)
	if rem.RefID, err = strconv.ParseInt(ref, 10, 64); err != nil || !ok {
		f.Errors["ref"] = s.cat.T(v.Lang, "fund_choose_deadline")
	}
	if rem.DaysBefore, err = strconv.Atoi(f.Get("days_before")); err != nil {
		f.Errors["days_before"] = s.cat.T(v.Lang, "fund_bad_days_before", samrad.MaxReminderDays)
	}
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.AddReminder(ctx, &rem, time.Now())
		if samrad.ErrorCode(err) == samrad.EINVALID {
			// The deadline's field is the select named "deadline".
			var e *samrad.Error
			if asError(err, &e) && (e.Field == "ref" || e.Field == "kind") {
				err = samrad.FieldErrorf("ref", "%s", e.Message)
			}
		}
	}
	return settle(w, r, f, err, "ref", Path(v.Lang, "fund_deadlines", a.Slug)+"#reminders",
		func(status int, fs forms) error { return s.fundDeadlinesPage(w, r, v, a, status, fs) })
}

// handleFundReminderDelete deletes a reminder.
func (s *Server) handleFundReminderDelete(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	if err := s.db.DeleteReminder(ctx, a.ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, Path(v.Lang, "fund_deadlines", a.Slug)+"#reminders", http.StatusSeeOther)
	return nil
}

// SendDeadlineReminders queues the e-mail of every deadline reminder due
// at now, each once, in the reminder's language with a link to the
// deadline's page. Call it on a schedule (every hour is plenty).
func (s *Server) SendDeadlineReminders(ctx context.Context, now time.Time) (int, error) {
	alliances, err := s.db.Alliances(ctx)
	if err != nil {
		return 0, err
	}
	byID := make(map[int64]samrad.Alliance, len(alliances))
	for _, a := range alliances {
		byID[a.ID] = a
	}
	return s.db.SendReminders(ctx, now, func(r samrad.Reminder, d samrad.Deadline) (store.OutboxMessage, error) {
		return s.deadlineReminderMail(byID[r.AllianceID], r, d, now)
	})
}

// deadlineReminderMail is the e-mail of a reminder.
func (s *Server) deadlineReminderMail(a samrad.Alliance, r samrad.Reminder, d samrad.Deadline, now time.Time) (store.OutboxMessage, error) {
	lang := r.Lang
	when := formatDate(lang, d.Date())
	if !d.AllDay() {
		when += " " + d.At.In(samrad.Oslo()).Format("15:04")
	}
	days := int(d.Date().Time().Sub(samrad.DateIn(now).Time()).Hours() / 24)
	var text strings.Builder
	fmt.Fprintf(&text, "%s\n\n", s.cat.T(lang, "fund_mail_lead", s.cat.T(lang, "fund_kind_"+string(d.Kind)), d.Title(lang), a.Name(lang)))
	if c := d.Context(lang); c != "" {
		fmt.Fprintf(&text, "%s\n", c)
	}
	fmt.Fprintf(&text, "%s: %s\n", s.cat.T(lang, "fund_deadline"), when)
	fmt.Fprintf(&text, "%s\n", s.cat.T(lang, "fund_mail_days_left", days))
	if link := deadlineLink(lang, a.Slug, d); link != "" {
		fmt.Fprintf(&text, "\n%s\n", s.baseURL+link)
	}
	fmt.Fprintf(&text, "\n%s\n%s\n", s.cat.T(lang, "fund_mail_why", r.DaysBefore), s.baseURL+Path(lang, "fund_deadlines", a.Slug))
	from := s.mailFromFor(a, lang)
	m := mail.Message{From: from, To: []mail.Address{{Email: r.Email}}, Subject: s.cat.T(lang, "fund_mail_subject", d.Title(lang), when), Text: text.String()}
	return outboxMessage(store.MailDeadlineReminder, &m)
}

// ------------------------------------------------------------- form fields

// fundFields are the values of a form's fields as the page shows them:
// those posted, when the form comes back with errors, else those stored.
type fundFields struct {
	ID     string // prefix of the elements' ids
	F      *form
	values map[string]string
}

// Value is a field's value.
func (x fundFields) Value(name string) string {
	if x.F != nil {
		return x.F.Get(name)
	}
	return x.values[name]
}

// Error is a field's error, "" if none.
func (x fundFields) Error(name string) string { return x.F.Error(name) }

func moneyText(m *samrad.Money) string {
	if m == nil {
		return ""
	}
	return m.String()
}

func programmeFields(id string, f *form, p samrad.FundingProgramme) fundFields {
	kind := string(p.Kind)
	if kind == "" {
		kind = string(samrad.FundingEU)
	}
	return fundFields{ID: id, F: f, values: map[string]string{"name_nb": p.NameNB, "name_en": p.NameEN, "slug": p.Slug, "funder": p.Funder,
		"kind": kind, "website": p.Website, "description_nb": p.DescriptionNB, "description_en": p.DescriptionEN, "source": p.Source}}
}

func callFields(id string, f *form, c samrad.FundingCall) fundFields {
	return fundFields{ID: id, F: f, values: map[string]string{"code": c.Code, "title": c.Title, "opens": c.Opens.String(),
		"deadline": c.DeadlineText(), "budget": moneyText(c.Budget), "url": c.URL, "note": c.Note}}
}

func applicationFields(id string, f *form, a samrad.Application) fundFields {
	ref := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	status := string(a.Status)
	if status == "" {
		status = string(samrad.ApplicationPlanned)
	}
	return fundFields{ID: id, F: f, values: map[string]string{"title": a.Title, "status": status, "programme": ref(a.ProgrammeID),
		"call": ref(a.CallID), "applicant": ref(a.ApplicantOrgID), "project": ref(a.ProjectID), "deadline": a.DeadlineText(),
		"amount_sought": moneyText(a.AmountSought), "amount_granted": moneyText(a.AmountGranted), "grant_note": a.GrantNote,
		"outcome": a.Outcome, "submitted_on": a.SubmittedOn.String(), "decided_on": a.DecidedOn.String(), "source": a.Source}}
}

// ProgrammeForm is the new programme form.
func (d fundListData) ProgrammeForm() fundFields {
	return programmeFields("np", d.Forms.Of("programme"), samrad.FundingProgramme{})
}

// ProgrammeForm is the programme's edit form.
func (d fundProgrammeData) ProgrammeForm() fundFields {
	return programmeFields("ep", d.Forms.Of("programme"), d.Programme)
}

// NewCallForm is the form for a new call.
func (d fundProgrammeData) NewCallForm() fundFields {
	return callFields("nc", d.Forms.Of("call"), samrad.FundingCall{})
}

// CallForm is a call's edit form.
func (d fundProgrammeData) CallForm(c samrad.FundingCall) fundFields {
	id := strconv.FormatInt(c.ID, 10)
	return callFields("c"+id, d.Forms.Of("call-"+id), c)
}

// ApplicationForm is the new application form.
func (d fundApplicationsData) ApplicationForm() fundFields {
	return applicationFields("na", d.Forms.Of("application"), samrad.Application{})
}

// ApplicationForm is the application's edit form.
func (d fundApplicationData) ApplicationForm() fundFields {
	return applicationFields("ea", d.Forms.Of("application"), d.Application)
}
