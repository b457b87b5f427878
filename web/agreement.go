package web

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// agreementRoutes registers the agreement pages and actions; their paths
// are in servicePaths.
func (s *Server) agreementRoutes(handle, post func(name string, h handlerFunc)) {
	// The common language switch does not know the {agreement} placeholder.
	fix := func(h handlerFunc) handlerFunc {
		return func(w http.ResponseWriter, r *http.Request, v *view) error {
			args := []string{r.PathValue("slug")}
			for _, name := range []string{"agreement", "id"} {
				if x := r.PathValue(name); x != "" {
					args = append(args, x)
				}
			}
			switchTo(v, v.route, args, nil)
			return h(w, r, v)
		}
	}
	handle("agr_list", fix(s.handleAgreements))
	handle("agr_new", fix(s.handleAgreementNew))
	post("agr_new", fix(s.handleAgreementCreate))
	handle("agr_page", fix(s.handleAgreement))
	handle("agr_edit", fix(s.handleAgreementEditForm))
	post("agr_edit", fix(s.handleAgreementUpdate))
	post("agr_party", fix(s.handleAddParty))
	post("agr_party_remove", fix(s.handleRemoveParty))
	post("agr_signatory", fix(s.handleAddSignatory))
	post("agr_doc_add", fix(s.handleAddAgreementDocument))
	handle("agr_doc", fix(s.handleAgreementDocument))
}

var monthsEN = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// formatPrecise writes a date only as far as its precision goes:
// "mai 2014", "1992" or the whole day.
func formatPrecise(lang string, d samrad.Date, p samrad.Precision) string {
	switch {
	case d.IsZero() || p == samrad.PrecisionUnknown:
		return ""
	case p == samrad.PrecisionYear:
		return strconv.Itoa(d.Year())
	case p == samrad.PrecisionMonth && lang == "en":
		return fmt.Sprintf("%s %d", monthsEN[d.Month()-1], d.Year())
	case p == samrad.PrecisionMonth:
		return fmt.Sprintf("%s %d", monthsNB[d.Month()-1], d.Year())
	}
	return formatDate(lang, d)
}

// agreementView is an agreement as its pages show it.
type agreementView struct {
	samrad.Agreement
	Signed  string // the signing date as far as the source gives it
	Status  string // i18n key of where the agreement stands today, "" if it has no period
	Network string // the name of its network, "" for none
}

func (s *Server) agreementView(lang string, a samrad.Agreement, nets []store.NetworkRef) agreementView {
	av := agreementView{Agreement: a, Signed: formatPrecise(lang, a.SignedOn, a.SignedPrecision)}
	today := samrad.Today()
	switch {
	case a.Ended(today):
		av.Status = "agr_status_ended"
	case !a.Starts.IsZero() && today.Before(a.Starts):
		av.Status = "agr_status_upcoming"
	case !a.Starts.IsZero() || !a.Ends.IsZero():
		av.Status = "agr_status_running"
	}
	for _, n := range nets {
		if n.ID == a.NetworkID {
			av.Network = n.Name(lang)
		}
	}
	return av
}

type agreementsData struct {
	Alliance   samrad.Alliance
	Agreements []agreementView
	CanEdit    bool
}

// handleAgreements lists the alliance's published agreements; the
// secretariat sees the unpublished ones too.
func (s *Server) handleAgreements(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	canEdit := v.User.Can(a.ID, samrad.RoleSecretariat)
	list, err := s.db.Agreements(ctx, a.ID, canEdit)
	if err != nil {
		return err
	}
	nets, err := s.db.NetworkRefs(ctx, a.ID)
	if err != nil {
		return err
	}
	data := agreementsData{Alliance: a, CanEdit: canEdit}
	for _, x := range list {
		data.Agreements = append(data.Agreements, s.agreementView(v.Lang, x, nets))
	}
	title := s.cat.T(v.Lang, "agr_title")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, http.StatusOK, "agreements", v)
	return nil
}

// loadAgreement reads the alliance and the agreement a path names.
// Unpublished agreements are for the secretariat only.
func (s *Server) loadAgreement(r *http.Request, v *view) (samrad.Alliance, samrad.Agreement, error) {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return a, samrad.Agreement{}, err
	}
	g, err := s.db.Agreement(ctx, a.ID, r.PathValue("agreement"))
	if err != nil {
		return a, g, err
	}
	if !g.Published && !v.User.Can(a.ID, samrad.RoleSecretariat) {
		return a, g, s.notFound(v)
	}
	return a, g, nil
}

type agreementData struct {
	Alliance  samrad.Alliance
	Agreement agreementView
	CanEdit   bool
	Orgs      []samrad.Organisation // the organisations a party or signatory may be
	Roles     []samrad.PartyRole
	Forms     forms
}

// handleAgreement shows an agreement: parties, areas, period, signatories
// and documents; the secretariat gets the forms that add to it.
func (s *Server) handleAgreement(w http.ResponseWriter, r *http.Request, v *view) error {
	a, g, err := s.loadAgreement(r, v)
	if err != nil {
		return err
	}
	return s.agreementPage(w, r, v, a, g, http.StatusOK, nil)
}

func (s *Server) agreementPage(w http.ResponseWriter, r *http.Request, v *view, a samrad.Alliance, g samrad.Agreement, status int, fs forms) error {
	ctx := r.Context()
	nets, err := s.db.NetworkRefs(ctx, a.ID)
	if err != nil {
		return err
	}
	data := agreementData{Alliance: a, Agreement: s.agreementView(v.Lang, g, nets), CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat),
		Roles: samrad.PartyRoles, Forms: fs}
	if data.CanEdit {
		// The organisations that existed when the agreement began (or was
		// signed), so that a party is the organisation of the time.
		on := g.Starts
		if on.IsZero() {
			on = g.SignedOn
		}
		if on.IsZero() {
			on = samrad.Today()
		}
		reg, err := s.db.Registry(ctx)
		if err != nil {
			return err
		}
		data.Orgs = reg.ValidOn(on, "")
		sort.SliceStable(data.Orgs, func(i, j int) bool { return data.Orgs[i].Name(v.Lang) < data.Orgs[j].Name(v.Lang) })
	}
	switchTo(v, "agr_page", []string{a.Slug, g.Slug}, nil)
	v.Title, v.Nav, v.Data = g.Title(v.Lang).Text+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "agr_title"), Path(v.Lang, "agr_list", a.Slug), g.Title(v.Lang).Text, "")
	s.render(w, status, "agreement", v)
	return nil
}

type agreementEditData struct {
	Alliance  samrad.Alliance
	Agreement samrad.Agreement // zero for a new one
	Networks  []store.NetworkRef
	Kinds     []samrad.AgreementKind
	Precs     []samrad.Precision
	AreasText string
	Form      *form
}

// areasText writes the areas as the form takes them, one a line, the
// English name after a "|".
func areasText(list []samrad.AgreementArea) string {
	var b strings.Builder
	for _, ar := range list {
		b.WriteString(ar.NameNB)
		if ar.NameEN != "" {
			b.WriteString(" | " + ar.NameEN)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func parseAreas(text string) []samrad.AgreementArea {
	var out []samrad.AgreementArea
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		nb, en, _ := strings.Cut(line, "|")
		out = append(out, samrad.AgreementArea{NameNB: strings.TrimSpace(nb), NameEN: strings.TrimSpace(en)})
	}
	return out
}

func (s *Server) agreementEditPage(w http.ResponseWriter, r *http.Request, v *view, a samrad.Alliance, g samrad.Agreement, status int, f *form) error {
	nets, err := s.db.NetworkRefs(r.Context(), a.ID)
	if err != nil {
		return err
	}
	data := agreementEditData{Alliance: a, Agreement: g, Networks: nets, Kinds: samrad.AgreementKinds, Form: f, AreasText: areasText(g.Areas),
		Precs: []samrad.Precision{samrad.PrecisionDay, samrad.PrecisionMonth, samrad.PrecisionYear}}
	if f != nil {
		data.AreasText = f.Values.Get("areas")
	}
	title := s.cat.T(v.Lang, "agr_new")
	if g.ID != 0 {
		title = s.cat.T(v.Lang, "agr_edit", g.Title(v.Lang).Text)
		switchTo(v, "agr_edit", []string{a.Slug, g.Slug}, nil)
	} else {
		switchTo(v, "agr_new", []string{a.Slug}, nil)
	}
	v.Title, v.Nav, v.Data = title, "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "agr_title"), Path(v.Lang, "agr_list", a.Slug), title, "")
	s.render(w, status, "agreement_edit", v)
	return nil
}

// handleAgreementNew is the form for a new agreement.
func (s *Server) handleAgreementNew(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return err
	}
	return s.agreementEditPage(w, r, v, a, samrad.Agreement{Kind: samrad.AgreementCooperation, SignedPrecision: samrad.PrecisionDay}, http.StatusOK, nil)
}

// handleAgreementEditForm is the form that changes an agreement.
func (s *Server) handleAgreementEditForm(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return err
	}
	g, err := s.db.Agreement(r.Context(), a.ID, r.PathValue("agreement"))
	if err != nil {
		return err
	}
	return s.agreementEditPage(w, r, v, a, g, http.StatusOK, nil)
}

// readAgreementForm fills an agreement from the posted form; its parties,
// signatories and documents are not on it.
func (s *Server) readAgreementForm(v *view, f *form, g *samrad.Agreement) {
	g.TitleNB, g.TitleEN, g.Slug = f.Get("title_nb"), f.Get("title_en"), f.Get("slug")
	g.Kind = samrad.AgreementKind(f.Get("kind"))
	g.DescriptionNB, g.DescriptionEN = f.Get("description_nb"), f.Get("description_en")
	g.PartiesNoteNB, g.PartiesNoteEN = f.Get("parties_note_nb"), f.Get("parties_note_en")
	g.Source = f.Get("source")
	g.Published = f.Get("published") == "yes"
	g.SignedOn = s.formDate(v, f, "signed_on")
	g.SignedPrecision = samrad.Precision(f.Get("signed_precision"))
	g.Starts = s.formDate(v, f, "starts")
	g.Ends = s.formDate(v, f, "ends")
	g.RenewalDate = s.formDate(v, f, "renewal_date")
	g.NetworkID = 0
	if x := f.Get("network"); x != "" {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			f.Errors["network"] = s.cat.T(v.Lang, "svc_bad_choice")
		}
		g.NetworkID = id
	}
	g.Areas = parseAreas(f.Values.Get("areas"))
}

// handleAgreementCreate stores a new agreement.
func (s *Server) handleAgreementCreate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("agreement", r)
	g := samrad.Agreement{AllianceID: a.ID}
	s.readAgreementForm(v, f, &g)
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.CreateAgreement(ctx, &g)
	}
	return settle(w, r, f, err, "title_nb", Path(v.Lang, "agr_page", a.Slug, g.Slug),
		func(status int, fs forms) error {
			return s.agreementEditPage(w, r, v, a, samrad.Agreement{}, status, fs[f.Name])
		})
}

// handleAgreementUpdate changes an agreement and its areas.
func (s *Server) handleAgreementUpdate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	g, err := s.db.Agreement(ctx, a.ID, r.PathValue("agreement"))
	if err != nil {
		return err
	}
	before := g
	f := newForm("agreement", r)
	s.readAgreementForm(v, f, &g)
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.UpdateAgreement(ctx, &g)
	}
	return settle(w, r, f, err, "title_nb", Path(v.Lang, "agr_page", a.Slug, g.Slug),
		func(status int, fs forms) error { return s.agreementEditPage(w, r, v, a, before, status, fs[f.Name]) })
}

// agreementAction authorises a secretariat action on an agreement and
// reads it.
func (s *Server) agreementAction(w http.ResponseWriter, r *http.Request, v *view) (samrad.Alliance, samrad.Agreement, *http.Request, error) {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return a, samrad.Agreement{}, r, err
	}
	g, err := s.db.Agreement(ctx, a.ID, r.PathValue("agreement"))
	return a, g, r.WithContext(ctx), err
}

// formOrgID reads an optional organisation field of the agreement forms.
func (s *Server) formOrgID(v *view, f *form, field string, required bool) int64 {
	x := f.Get(field)
	if x == "" {
		if required {
			f.Errors[field] = s.cat.T(v.Lang, "agr_choose_org")
		}
		return 0
	}
	id, err := strconv.ParseInt(x, 10, 64)
	if err != nil || id <= 0 {
		f.Errors[field] = s.cat.T(v.Lang, "agr_choose_org")
	}
	return id
}

// handleAddParty adds an organisation to an agreement; one that is a party
// already is refused next to the field, and nothing is stored.
func (s *Server) handleAddParty(w http.ResponseWriter, r *http.Request, v *view) error {
	a, g, r, err := s.agreementAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("party", r)
	p := samrad.AgreementParty{Role: samrad.PartyRole(f.Get("role")), JoinedOn: s.formDate(v, f, "joined_on")}
	p.Org.ID = s.formOrgID(v, f, "org", true)
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.AddParty(r.Context(), a.ID, g.ID, &p)
	}
	if samrad.ErrorCode(err) == samrad.ECONFLICT {
		err = &samrad.Error{Code: samrad.ECONFLICT, Field: "org", Message: s.cat.T(v.Lang, "agr_party_duplicate", p.Org.Name(v.Lang))}
	}
	return settle(w, r, f, err, "org", Path(v.Lang, "agr_page", a.Slug, g.Slug)+"#parter",
		func(status int, fs forms) error { return s.agreementPage(w, r, v, a, g, status, fs) })
}

// handleRemoveParty takes an organisation out of an agreement.
func (s *Server) handleRemoveParty(w http.ResponseWriter, r *http.Request, v *view) error {
	a, g, r, err := s.agreementAction(w, r, v)
	if err != nil {
		return err
	}
	id, err := s.pathID(r, v, "id")
	if err != nil {
		return err
	}
	if err := s.db.RemoveParty(r.Context(), a.ID, g.ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, Path(v.Lang, "agr_page", a.Slug, g.Slug)+"#parter", http.StatusSeeOther)
	return nil
}

// handleAddSignatory adds a signatory: a named person (new), or only a
// title, for an organisation.
func (s *Server) handleAddSignatory(w http.ResponseWriter, r *http.Request, v *view) error {
	a, g, r, err := s.agreementAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("signatory", r)
	sg := samrad.Signatory{AgreementID: g.ID, Person: samrad.Person{Name: f.Get("signatory_name")}, Title: f.Get("signatory_title"),
		SignedOn: s.formDate(v, f, "signatory_signed_on")}
	sg.Org.ID = s.formOrgID(v, f, "signatory_org", false)
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.AddSignatory(r.Context(), a.ID, &sg)
	}
	return settle(w, r, f, err, "signatory_name", Path(v.Lang, "agr_page", a.Slug, g.Slug)+"#signatarer",
		func(status int, fs forms) error { return s.agreementPage(w, r, v, a, g, status, fs) })
}

// handleAddAgreementDocument uploads a file of an agreement.
func (s *Server) handleAddAgreementDocument(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.uploadAction(w, r, v, samrad.MaxDocumentSize)
	if err != nil {
		return err
	}
	g, err := s.db.Agreement(ctx, a.ID, r.PathValue("agreement"))
	if err != nil {
		return err
	}
	f := &form{Name: "document", Values: r.PostForm, Errors: map[string]string{}}
	d := samrad.AgreementDocument{AgreementID: g.ID, Title: f.Get("document_title")}
	file, hdr, ferr := r.FormFile("file")
	if ferr != nil {
		f.Errors["file"] = s.cat.T(v.Lang, "choose_file")
	} else {
		defer file.Close()
		data, rerr := io.ReadAll(io.LimitReader(file, samrad.MaxDocumentSize+1))
		if rerr != nil {
			return rerr
		}
		d.Filename = hdr.Filename
		err = s.db.AddAgreementDocument(ctx, a.ID, &d, data)
	}
	return settle(w, r, f, err, "file", Path(v.Lang, "agr_page", a.Slug, g.Slug)+"#dokumenter",
		func(status int, fs forms) error { return s.agreementPage(w, r.WithContext(ctx), v, a, g, status, fs) })
}

// handleAgreementDocument serves a document of an agreement the visitor may
// see, as a download that cannot run in the site's origin.
func (s *Server) handleAgreementDocument(w http.ResponseWriter, r *http.Request, v *view) error {
	_, g, err := s.loadAgreement(r, v)
	if err != nil {
		return err
	}
	id, err := s.pathID(r, v, "id")
	if err != nil {
		return err
	}
	d, data, err := s.db.AgreementDocument(r.Context(), g.ID, id)
	if err != nil {
		return err
	}
	return serveStored(w, d.ContentType, d.Filename, d.SHA256, data)
}
