package web

import (
	"context"
	"net/http"

	"github.com/samrad/samrad"
)

// recurringRoutes registers the pages and actions of recurring
// programmes; their paths are in networkPaths.
func (s *Server) recurringRoutes(handle, post func(name string, h handlerFunc)) {
	handle("rec_list", s.handleRecurringList)
	handle("rec_page", s.handleRecurring)
	handle("rec_new", s.handleRecurringNew)
	handle("rec_edit", s.handleRecurringEditForm)
	post("rec_new", s.handleRecurringCreate)
	post("rec_edit", s.handleRecurringUpdate)
	post("rec_partner_add", s.handleRecurringPartnerAdd)
	post("rec_year_save", s.handleRecurringYearSave)
	post("rec_total_add", s.handleRecurringTotalAdd)
}

type recurringListData struct {
	Alliance   samrad.Alliance
	Programmes []samrad.RecurringProgramme
	CanEdit    bool
}

// handleRecurringList lists an alliance's recurring programmes with their
// totals; unpublished ones are shown to the alliance's own people only.
func (s *Server) handleRecurringList(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	list, err := s.db.RecurringProgrammes(ctx, a.ID, isMember(v, a))
	if err != nil {
		return err
	}
	title := s.cat.T(v.Lang, "rec_title")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", recurringListData{Alliance: a, Programmes: list, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat)}
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, http.StatusOK, "recurring_list", v)
	return nil
}

type recurringData struct {
	Alliance  samrad.Alliance
	Programme samrad.RecurringProgramme
	Years     []yearRow
	CanEdit   bool
}

// yearRow is a programme's year with its figures written out; a figure
// that is not known is empty.
type yearRow struct {
	samrad.RecurringYear
	ParticipantsText, VisitsText string
}

// countText writes a count with the language's thousands separator, "" for
// 0 (not known).
func countText(lang string, n int) string {
	if n == 0 {
		return ""
	}
	m := samrad.Money(int64(n) * 100)
	s := m.Norwegian()
	if lang == "en" {
		s = m.English()
	}
	return s[:len(s)-3]
}

// loadRecurring reads the alliance and the programme a path names. An
// unpublished programme is shown only to the alliance's own people.
func (s *Server) loadRecurring(ctx context.Context, r *http.Request, v *view) (samrad.Alliance, samrad.RecurringProgramme, error) {
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return a, samrad.RecurringProgramme{}, err
	}
	p, err := s.db.RecurringProgramme(ctx, a.ID, r.PathValue("programme"))
	if err != nil {
		return a, p, err
	}
	if !p.Published && !isMember(v, a) {
		return a, p, samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	return a, p, nil
}

// handleRecurring is a programme's public page: who it is for, its leader,
// partners, the host and figures of each year, and totals over a period
// where the source gives no yearly figures.
func (s *Server) handleRecurring(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, p, err := s.loadRecurring(ctx, r, v)
	if err != nil {
		return err
	}
	data := recurringData{Alliance: a, Programme: p, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat)}
	for _, y := range p.Years {
		data.Years = append(data.Years, yearRow{RecurringYear: y, ParticipantsText: countText(v.Lang, y.Participants), VisitsText: countText(v.Lang, y.Visits)})
	}
	v.Title, v.Nav, v.Data = p.Name(v.Lang)+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "rec_title"), Path(v.Lang, "rec_list", a.Slug), p.Name(v.Lang), "")
	s.render(w, http.StatusOK, "recurring", v)
	return nil
}

type recurringEditData struct {
	Alliance  samrad.Alliance
	Programme samrad.RecurringProgramme // zero for a new programme
	Kinds     []samrad.RecurringKind
	Roles     []string
	Measures  []string
	People    []samrad.Person
	Forms     forms
}

func (s *Server) recurringEditPage(w http.ResponseWriter, r *http.Request, v *view, a samrad.Alliance, p samrad.RecurringProgramme, status int, fs forms) error {
	data := recurringEditData{Alliance: a, Programme: p, Kinds: samrad.RecurringKinds, Roles: samrad.PartnerRoles, Measures: samrad.TotalMeasures, Forms: fs}
	var err error
	if data.People, err = s.db.People(r.Context()); err != nil {
		return err
	}
	title := s.cat.T(v.Lang, "rec_new")
	if p.ID != 0 {
		title = s.cat.T(v.Lang, "rec_edit", p.Name(v.Lang))
	}
	v.Title, v.Nav, v.Data = title, "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "rec_title"), Path(v.Lang, "rec_list", a.Slug), title, "")
	if p.ID != 0 {
	}
	s.render(w, status, "recurring_edit", v)
	return nil
}

// handleRecurringNew is the form for a new programme.
func (s *Server) handleRecurringNew(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return err
	}
	return s.recurringEditPage(w, r, v, a, samrad.RecurringProgramme{Kind: samrad.RecurringOrchestra}, http.StatusOK, nil)
}

// handleRecurringEditForm is a programme's edit page, with the forms for
// its partners, years and totals.
func (s *Server) handleRecurringEditForm(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return err
	}
	p, err := s.db.RecurringProgramme(r.Context(), a.ID, r.PathValue("programme"))
	if err != nil {
		return err
	}
	return s.recurringEditPage(w, r, v, a, p, http.StatusOK, nil)
}

// readRecurringForm fills p from the posted programme form.
func (s *Server) readRecurringForm(v *view, f *form, p *samrad.RecurringProgramme) {
	p.NameNB, p.NameEN, p.Slug = f.Get("name_nb"), f.Get("name_en"), f.Get("slug")
	if p.Slug == "" {
		p.Slug = slugify(p.NameNB)
	}
	if p.NameNB == "" {
		f.Errors["name_nb"] = s.cat.T(v.Lang, "net_name_needed")
	}
	p.Kind = samrad.RecurringKind(f.Get("kind"))
	p.DescriptionNB, p.DescriptionEN = f.Values.Get("description_nb"), f.Values.Get("description_en")
	p.AgeMin, p.AgeMax = s.formCount(v, f, "age_min"), s.formCount(v, f, "age_max")
	p.GatheringsPerYear, p.GatheringsNote = s.formCount(v, f, "gatherings"), f.Get("gatherings_note")
	p.FirstYear = s.formCount(v, f, "first_year")
	p.LeaderRole, p.Source = f.Get("leader_role"), f.Get("source")
	p.Published = f.Get("published") == "yes"
	p.Leader = samrad.Person{ID: s.formID(v, f, "leader")}
	if p.Leader.ID == 0 {
		p.Leader.Name = f.Get("leader_name")
	}
}

// handleRecurringCreate stores a new programme.
func (s *Server) handleRecurringCreate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("programme", r)
	p := samrad.RecurringProgramme{AllianceID: a.ID}
	s.readRecurringForm(v, f, &p)
	if len(f.Errors) == 0 {
		err = s.db.CreateRecurring(ctx, &p)
	}
	return settle(w, r, f, err, "name_nb", Path(v.Lang, "rec_edit", a.Slug, p.Slug),
		func(status int, fs forms) error { return s.recurringEditPage(w, r, v, a, p, status, fs) })
}

// recurringAction authorises a secretariat action on a programme and
// reads it.
func (s *Server) recurringAction(w http.ResponseWriter, r *http.Request, v *view) (samrad.Alliance, samrad.RecurringProgramme, *http.Request, error) {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return a, samrad.RecurringProgramme{}, r, err
	}
	p, err := s.db.RecurringProgramme(ctx, a.ID, r.PathValue("programme"))
	return a, p, r.WithContext(ctx), err
}

// handleRecurringUpdate changes a programme's own fields.
func (s *Server) handleRecurringUpdate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, p, r, err := s.recurringAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("programme", r)
	s.readRecurringForm(v, f, &p)
	if len(f.Errors) == 0 {
		err = s.db.UpdateRecurring(r.Context(), &p)
	}
	return settle(w, r, f, err, "name_nb", Path(v.Lang, "rec_edit", a.Slug, p.Slug),
		func(status int, fs forms) error { return s.recurringEditPage(w, r, v, a, p, status, fs) })
}

// handleRecurringPartnerAdd adds an organisation as a partner.
func (s *Server) handleRecurringPartnerAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, p, r, err := s.recurringAction(w, r, v)
	if err != nil {
		return err
	}
	ctx := r.Context()
	f := newForm("partner", r)
	rp := samrad.RecurringPartner{ProgrammeID: p.ID, Role: f.Get("partner_role")}
	if rp.Org, err = s.formOrgCode(ctx, v, f, "partner_org"); err != nil {
		return err
	}
	if len(f.Errors) == 0 {
		err = s.db.AddRecurringPartner(ctx, a.ID, &rp)
	}
	return settle(w, r, f, err, "partner_org", Path(v.Lang, "rec_edit", a.Slug, p.Slug)+"#partners",
		func(status int, fs forms) error { return s.recurringEditPage(w, r, v, a, p, status, fs) })
}

// handleRecurringYearSave stores a year's host and figures, or replaces
// what was stored for that year.
func (s *Server) handleRecurringYearSave(w http.ResponseWriter, r *http.Request, v *view) error {
	a, p, r, err := s.recurringAction(w, r, v)
	if err != nil {
		return err
	}
	ctx := r.Context()
	f := newForm("year", r)
	y := samrad.RecurringYear{ProgrammeID: p.ID, Note: f.Get("year_note")}
	if y.Year = s.formCount(v, f, "year"); f.Get("year") == "" {
		f.Errors["year"] = s.cat.T(v.Lang, "rec_year_needed")
	}
	y.Participants, y.Visits = s.formCount(v, f, "year_participants"), s.formCount(v, f, "visits")
	if y.Host, err = s.formOrgCode(ctx, v, f, "host"); err != nil {
		return err
	}
	if len(f.Errors) == 0 {
		err = s.db.SaveRecurringYear(ctx, a.ID, &y)
	}
	return settle(w, r, f, err, "year", Path(v.Lang, "rec_edit", a.Slug, p.Slug)+"#years",
		func(status int, fs forms) error { return s.recurringEditPage(w, r, v, a, p, status, fs) })
}

// handleRecurringTotalAdd records a figure over a span of years.
func (s *Server) handleRecurringTotalAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, p, r, err := s.recurringAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("total", r)
	t := samrad.RecurringTotal{ProgrammeID: p.ID, Measure: f.Get("measure"), Source: f.Get("total_source")}
	t.FirstYear, t.LastYear = s.formCount(v, f, "total_first_year"), s.formCount(v, f, "total_last_year")
	if f.Get("total_last_year") == "" {
		t.LastYear = t.FirstYear
	}
	if t.Value = int64(s.formCount(v, f, "value")); f.Get("value") == "" {
		f.Errors["value"] = s.cat.T(v.Lang, "rec_value_needed")
	}
	if len(f.Errors) == 0 {
		err = s.db.AddRecurringTotal(r.Context(), a.ID, &t)
	}
	return settle(w, r, f, err, "total_first_year", Path(v.Lang, "rec_edit", a.Slug, p.Slug)+"#totals",
		func(status int, fs forms) error { return s.recurringEditPage(w, r, v, a, p, status, fs) })
}
