package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/samrad/samrad"
)

// networkPaths are the routes of this area: an alliance's networks and its
// recurring programmes (see recurring.go), with the secretariat's forms.
var networkPaths = map[string][2]string{
	"net_list":            {"/allianser/{slug}/nettverk", "/en/alliances/{slug}/networks"},
	"net_new":             {"/allianser/{slug}/nettverk/nytt", "/en/alliances/{slug}/networks/new"},
	"net_page":            {"/allianser/{slug}/nettverk/{network}", "/en/alliances/{slug}/networks/{network}"},
	"net_edit":            {"/allianser/{slug}/nettverk/{network}/endre", "/en/alliances/{slug}/networks/{network}/edit"},
	"net_participant_add": {"/allianser/{slug}/nettverk/{network}/deltakere", "/en/alliances/{slug}/networks/{network}/participants"},
	"net_participant_end": {"/allianser/{slug}/nettverk/{network}/deltakere/{id}/avslutt", "/en/alliances/{slug}/networks/{network}/participants/{id}/end"},
	"net_group_add":       {"/allianser/{slug}/nettverk/{network}/arbeidsgrupper", "/en/alliances/{slug}/networks/{network}/working-groups"},
	"net_activity_add":    {"/allianser/{slug}/nettverk/{network}/aktiviteter", "/en/alliances/{slug}/networks/{network}/activities"},
	"rec_list":            {"/allianser/{slug}/programmer", "/en/alliances/{slug}/programmes"},
	"rec_new":             {"/allianser/{slug}/programmer/nytt", "/en/alliances/{slug}/programmes/new"},
	"rec_page":            {"/allianser/{slug}/programmer/{programme}", "/en/alliances/{slug}/programmes/{programme}"},
	"rec_edit":            {"/allianser/{slug}/programmer/{programme}/endre", "/en/alliances/{slug}/programmes/{programme}/edit"},
	"rec_partner_add":     {"/allianser/{slug}/programmer/{programme}/partnere", "/en/alliances/{slug}/programmes/{programme}/partners"},
	"rec_year_save":       {"/allianser/{slug}/programmer/{programme}/ar", "/en/alliances/{slug}/programmes/{programme}/years"},
	"rec_total_add":       {"/allianser/{slug}/programmer/{programme}/totaler", "/en/alliances/{slug}/programmes/{programme}/totals"},
}

// networkRoutes registers the pages and actions of this area.
func (s *Server) networkRoutes(handle, post func(name string, h handlerFunc)) {
	handle("net_list", s.handleNetworks)
	handle("net_page", s.handleNetwork)
	handle("net_new", s.handleNetworkNew)
	handle("net_edit", s.handleNetworkEditForm)
	post("net_new", s.handleNetworkCreate)
	post("net_edit", s.handleNetworkUpdate)
	post("net_participant_add", s.handleParticipantAdd)
	post("net_participant_end", s.handleParticipantEnd)
	post("net_group_add", s.handleWorkingGroupAdd)
	post("net_activity_add", s.handleActivityAdd)
	s.recurringRoutes(handle, post)
}

// approxDate writes a date as precisely as it is known: "2014",
// "februar 2015", "5. mai 2022", or "" when it is not known.
func approxDate(lang string, d samrad.Date, p samrad.Precision) string {
	switch {
	case d.IsZero() || p == samrad.PrecisionUnknown:
		return ""
	case p == samrad.PrecisionYear:
		return strconv.Itoa(d.Year())
	case p == samrad.PrecisionMonth:
		if lang == "en" {
			return fmt.Sprintf("%s %d", d.Month(), d.Year())
		}
		return fmt.Sprintf("%s %d", monthsNB[d.Month()-1], d.Year())
	}
	return formatDate(lang, d)
}

// isMember reports whether the visitor has a role in the alliance, and so
// sees what is not yet published.
func isMember(v *view, a samrad.Alliance) bool { return v.User.Can(a.ID, samrad.RoleReader) }

type networksData struct {
	Alliance           samrad.Alliance
	Internal, External []samrad.Network
	CanEdit            bool
}

// handleNetworks lists the networks an alliance runs and those it belongs
// to; unpublished ones are shown to the alliance's own people only.
func (s *Server) handleNetworks(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	list, err := s.db.Networks(ctx, a.ID, isMember(v, a))
	if err != nil {
		return err
	}
	data := networksData{Alliance: a, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat)}
	for _, n := range list {
		if n.Kind == samrad.NetworkExternal {
			data.External = append(data.External, n)
		} else {
			data.Internal = append(data.Internal, n)
		}
	}
	title := s.cat.T(v.Lang, "net_title")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, http.StatusOK, "network_list", v)
	return nil
}

// activityRow is an activity with its date written as precisely as it is
// known.
type activityRow struct {
	samrad.NetworkActivity
	When string
}

type networkData struct {
	Alliance     samrad.Alliance
	Network      samrad.Network
	Founded      string
	Coordination []samrad.NetworkParticipant
	Groups       []samrad.ParticipantGroup
	Activities   []activityRow
	Description  []textBlock
	JoinInfo     []textBlock
	CanEdit      bool
}

// textBlock is a paragraph of a description, and the list that follows
// it: lines that start with "- " are list items.
type textBlock struct {
	Text  string
	Items []string
}

// textBlocks splits a text into paragraphs at blank lines, each with its
// list.
func textBlocks(text string) []textBlock {
	var out []textBlock
	for _, para := range paragraphs(text) {
		var b textBlock
		var lines []string
		for _, line := range strings.Split(para, "\n") {
			line = strings.TrimSpace(line)
			if item, ok := strings.CutPrefix(line, "- "); ok {
				b.Items = append(b.Items, strings.TrimSpace(item))
			} else if len(b.Items) > 0 {
				// Text after a list is a paragraph of its own.
				b.Text = strings.Join(lines, " ")
				out, b, lines = append(out, b), textBlock{}, []string{line}
			} else {
				lines = append(lines, line)
			}
		}
		b.Text = strings.Join(lines, " ")
		out = append(out, b)
	}
	return out
}

// loadNetwork reads the alliance and the network a path names. An
// unpublished network is shown only to the alliance's own people.
func (s *Server) loadNetwork(ctx context.Context, r *http.Request, v *view) (samrad.Alliance, samrad.Network, error) {
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return a, samrad.Network{}, err
	}
	n, err := s.db.Network(ctx, a.ID, r.PathValue("network"))
	if err != nil {
		return a, n, err
	}
	if !n.Published && !isMember(v, a) {
		return a, n, samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	return a, n, nil
}

func activityRows(lang string, list []samrad.NetworkActivity) []activityRow {
	out := make([]activityRow, 0, len(list))
	for _, a := range list {
		when := approxDate(lang, a.Starts, a.Precision)
		if !a.Ends.IsZero() && !a.Ends.Equal(a.Starts) {
			when += " – " + formatDate(lang, a.Ends)
		}
		out = append(out, activityRow{NetworkActivity: a, When: when})
	}
	return out
}

// handleNetwork is a network's public page: what it is, who runs it, who
// takes part (names, titles and organisations; never e-mail addresses),
// its coordination group, its activities and, for a network the alliance
// belongs to, the fee, the contact person and the renewal date.
//
// The fee is shown to everyone: it is public money that a public body pays
// out, and what an alliance pays for its memberships is open to anyone
// under the Freedom of Information Act, so hiding it would only send
// people to ask for it.
func (s *Server) handleNetwork(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, n, err := s.loadNetwork(ctx, r, v)
	if err != nil {
		return err
	}
	today := samrad.Today()
	data := networkData{Alliance: a, Network: n, Founded: approxDate(v.Lang, n.Founded, n.FoundedPrecision),
		Coordination: n.Coordination(today), Groups: n.ParticipantsByOrg(today), Activities: activityRows(v.Lang, n.Activities),
		Description: textBlocks(n.Description(v.Lang)), JoinInfo: textBlocks(n.JoinInfo(v.Lang)), CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat)}
	v.Title, v.Nav, v.Data = n.Name(v.Lang)+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "net_title"), Path(v.Lang, "net_list", a.Slug), n.Name(v.Lang), "")
	s.render(w, http.StatusOK, "network", v)
	return nil
}

type networkEditData struct {
	Alliance      samrad.Alliance
	Network       samrad.Network // zero for a new network
	Kinds         []samrad.NetworkKind
	Opennesses    []samrad.Openness
	Roles         []samrad.ParticipantRole
	ActivityKinds []samrad.ActivityKind
	People        []samrad.Person
	Events        []samrad.Event
	Activities    []activityRow
	Today         samrad.Date
	Forms         forms
	// The network's own fields as the form shows them.
	Organiser, Founded, Fee string
}

func (s *Server) networkEditPage(w http.ResponseWriter, r *http.Request, v *view, a samrad.Alliance, n samrad.Network, status int, fs forms) error {
	ctx := r.Context()
	data := networkEditData{Alliance: a, Network: n, Kinds: samrad.NetworkKinds, Opennesses: samrad.Opennesses, Roles: samrad.ParticipantRoles,
		ActivityKinds: samrad.ActivityKinds, Today: samrad.Today(), Forms: fs, Organiser: n.Organiser.Code,
		Founded: n.Founded.FormatAs(n.FoundedPrecision), Activities: activityRows(v.Lang, n.Activities)}
	if n.Fee != nil {
		data.Fee = n.Fee.String()
	}
	var err error
	if data.People, err = s.db.People(ctx); err != nil {
		return err
	}
	if n.ID != 0 {
		if data.Events, err = s.db.Events(ctx, a.ID, true); err != nil {
			return err
		}
	}
	title := s.cat.T(v.Lang, "net_new")
	if n.ID != 0 {
		title = s.cat.T(v.Lang, "net_edit", n.Name(v.Lang))
	}
	v.Title, v.Nav, v.Data = title, "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "net_title"), Path(v.Lang, "net_list", a.Slug), title, "")
	if n.ID != 0 {
	}
	s.render(w, status, "network_edit", v)
	return nil
}

// handleNetworkNew is the form for a new network.
func (s *Server) handleNetworkNew(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return err
	}
	return s.networkEditPage(w, r, v, a, samrad.Network{Kind: samrad.NetworkInternal, Openness: samrad.OpenToAll}, http.StatusOK, nil)
}

// handleNetworkEditForm is a network's edit page, with the forms for its
// participants, working groups and activities.
func (s *Server) handleNetworkEditForm(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return err
	}
	n, err := s.db.Network(r.Context(), a.ID, r.PathValue("network"))
	if err != nil {
		return err
	}
	return s.networkEditPage(w, r, v, a, n, http.StatusOK, nil)
}

// formOrgCode reads an optional organisation code ("3024", "vestregionen");
// an unknown one is noted on the field. Of a code's periods the one valid
// today is taken, else the latest.
func (s *Server) formOrgCode(ctx context.Context, v *view, f *form, field string) (samrad.Organisation, error) {
	code := f.Get(field)
	if code == "" {
		return samrad.Organisation{}, nil
	}
	reg, err := s.db.Registry(ctx)
	if err != nil {
		return samrad.Organisation{}, err
	}
	if o, ok := reg.AtDate(code, samrad.Today()); ok {
		return o, nil
	}
	list := reg.ByCode(code)
	if len(list) == 0 {
		f.Errors[field] = s.cat.T(v.Lang, "net_unknown_org", code)
		return samrad.Organisation{}, nil
	}
	return list[len(list)-1], nil
}

// formID reads an optional id from a select; a bad one is noted on the
// field.
func (s *Server) formID(v *view, f *form, field string) int64 {
	x := f.Get(field)
	if x == "" {
		return 0
	}
	id, err := strconv.ParseInt(x, 10, 64)
	if err != nil || id <= 0 {
		f.Errors[field] = s.cat.T(v.Lang, "net_bad_choice")
		return 0
	}
	return id
}

// formCount reads an optional whole number; a bad one is noted on the field.
func (s *Server) formCount(v *view, f *form, field string) int {
	n, ok := formInt(strings.NewReplacer(" ", "", "\u00a0", "").Replace(f.Get(field)))
	if !ok {
		f.Errors[field] = s.cat.T(v.Lang, "net_not_a_number")
	}
	return n
}

// readNetworkForm fills n from the posted network form.
func (s *Server) readNetworkForm(ctx context.Context, v *view, f *form, n *samrad.Network) error {
	n.NameNB, n.NameEN, n.Slug = f.Get("name_nb"), f.Get("name_en"), f.Get("slug")
	if n.Slug == "" {
		n.Slug = slugify(n.NameNB)
	}
	if n.NameNB == "" {
		f.Errors["name_nb"] = s.cat.T(v.Lang, "net_name_needed")
	}
	n.Kind, n.Openness = samrad.NetworkKind(f.Get("kind")), samrad.Openness(f.Get("openness"))
	n.DescriptionNB, n.DescriptionEN = f.Values.Get("description_nb"), f.Values.Get("description_en")
	n.RhythmNB, n.RhythmEN, n.Website = f.Get("rhythm_nb"), f.Get("rhythm_en"), f.Get("website")
	n.JoinInfoNB, n.JoinInfoEN = f.Values.Get("join_info_nb"), f.Values.Get("join_info_en")
	n.FeeNote, n.Source = f.Get("fee_note"), f.Get("source")
	n.Published = f.Get("published") == "yes"
	org, err := s.formOrgCode(ctx, v, f, "organiser")
	if err != nil {
		return err
	}
	n.OrganiserID, n.Organiser = org.ID, org
	d, p, perr := samrad.ParseApproxDate(f.Get("founded"))
	if perr != nil {
		f.Errors["founded"] = s.cat.T(v.Lang, "net_bad_approx_date", f.Get("founded"))
	}
	n.Founded, n.FoundedPrecision = d, p
	n.Ended = s.formDate(v, f, "ended")
	n.RenewalDate = s.formDate(v, f, "renewal_date")
	n.Fee = nil
	if x := f.Get("fee"); x != "" {
		m, err := samrad.ParseMoney(x)
		if err != nil {
			f.Errors["fee"] = s.cat.T(v.Lang, "net_bad_amount", x)
		}
		n.Fee = &m
	}
	n.ContactPersonID = s.formID(v, f, "contact")
	return nil
}

// handleNetworkCreate stores a new network.
func (s *Server) handleNetworkCreate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("network", r)
	n := samrad.Network{AllianceID: a.ID}
	if err := s.readNetworkForm(ctx, v, f, &n); err != nil {
		return err
	}
	if len(f.Errors) == 0 {
		err = s.db.CreateNetwork(ctx, &n)
	}
	return settle(w, r, f, err, "name_nb", Path(v.Lang, "net_edit", a.Slug, n.Slug),
		func(status int, fs forms) error { return s.networkEditPage(w, r, v, a, n, status, fs) })
}

// networkAction authorises a secretariat action on a network and reads it.
func (s *Server) networkAction(w http.ResponseWriter, r *http.Request, v *view) (samrad.Alliance, samrad.Network, *http.Request, error) {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return a, samrad.Network{}, r, err
	}
	n, err := s.db.Network(ctx, a.ID, r.PathValue("network"))
	return a, n, r.WithContext(ctx), err
}

// handleNetworkUpdate changes a network's own fields.
func (s *Server) handleNetworkUpdate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, n, r, err := s.networkAction(w, r, v)
	if err != nil {
		return err
	}
	ctx := r.Context()
	f := newForm("network", r)
	if err := s.readNetworkForm(ctx, v, f, &n); err != nil {
		return err
	}
	if len(f.Errors) == 0 {
		err = s.db.UpdateNetwork(ctx, &n)
	}
	return settle(w, r, f, err, "name_nb", Path(v.Lang, "net_edit", a.Slug, n.Slug),
		func(status int, fs forms) error { return s.networkEditPage(w, r, v, a, n, status, fs) })
}

// handleParticipantAdd adds an organisation, a person (an existing one or
// a new one by name) or a person for an organisation to a network.
func (s *Server) handleParticipantAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, n, r, err := s.networkAction(w, r, v)
	if err != nil {
		return err
	}
	ctx := r.Context()
	f := newForm("participant", r)
	p := samrad.NetworkParticipant{NetworkID: n.ID, Role: samrad.ParticipantRole(f.Get("role")), Title: f.Get("title"), Note: f.Get("note")}
	if p.Org, err = s.formOrgCode(ctx, v, f, "org"); err != nil {
		return err
	}
	if p.Person.ID = s.formID(v, f, "person"); p.Person.ID == 0 {
		p.Person.Name = f.Get("person_name")
	}
	p.Joined = s.formDate(v, f, "joined")
	if len(f.Errors) == 0 {
		err = s.db.AddParticipant(ctx, a.ID, &p)
	}
	return settle(w, r, f, err, "org", Path(v.Lang, "net_edit", a.Slug, n.Slug)+"#participants",
		func(status int, fs forms) error { return s.networkEditPage(w, r, v, a, n, status, fs) })
}

// handleParticipantEnd ends a participation on a day, today if none is
// given.
func (s *Server) handleParticipantEnd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, n, r, err := s.networkAction(w, r, v)
	if err != nil {
		return err
	}
	id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	found := false
	for _, p := range n.Participants {
		found = found || p.ID == id
	}
	if perr != nil || !found {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	f := newForm("end", r)
	f.Values.Set("participant", r.PathValue("id"))
	on := s.formDate(v, f, "left")
	if len(f.Errors) == 0 {
		err = s.db.EndParticipant(r.Context(), a.ID, id, on)
	}
	return settle(w, r, f, err, "left", Path(v.Lang, "net_edit", a.Slug, n.Slug)+"#participants",
		func(status int, fs forms) error { return s.networkEditPage(w, r, v, a, n, status, fs) })
}

// handleWorkingGroupAdd records a working group the alliance follows in a
// network it belongs to.
func (s *Server) handleWorkingGroupAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, n, r, err := s.networkAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("group", r)
	g := samrad.WorkingGroup{NetworkID: n.ID, Name: f.Get("group_name"), Note: f.Get("group_note")}
	if g.Person.ID = s.formID(v, f, "group_person"); g.Person.ID == 0 {
		g.Person.Name = f.Get("group_person_name")
	}
	if len(f.Errors) == 0 {
		err = s.db.AddWorkingGroup(r.Context(), a.ID, &g)
	}
	return settle(w, r, f, err, "group_name", Path(v.Lang, "net_edit", a.Slug, n.Slug)+"#working-groups",
		func(status int, fs forms) error { return s.networkEditPage(w, r, v, a, n, status, fs) })
}

// handleActivityAdd records a meeting, conference, study trip or other
// activity of a network, dated as precisely as it is known, and linked to
// one of the alliance's events if it has one.
func (s *Server) handleActivityAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, n, r, err := s.networkAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("activity", r)
	act := samrad.NetworkActivity{NetworkID: n.ID, Kind: samrad.ActivityKind(f.Get("activity_kind")), TitleNB: f.Get("activity_title_nb"),
		TitleEN: f.Get("activity_title_en"), Place: f.Get("place"), Note: f.Get("activity_note")}
	act.Event.Slug = f.Get("event")
	d, p, perr := samrad.ParseApproxDate(f.Get("starts"))
	if perr != nil {
		f.Errors["starts"] = s.cat.T(v.Lang, "net_bad_approx_date", f.Get("starts"))
	}
	act.Starts, act.Precision = d, p
	act.Ends = s.formDate(v, f, "ends")
	act.Participants = s.formCount(v, f, "participants")
	if len(f.Errors) == 0 {
		err = s.db.AddActivity(r.Context(), a.ID, &act)
	}
	return settle(w, r, f, err, "activity_title_nb", Path(v.Lang, "net_edit", a.Slug, n.Slug)+"#activities",
		func(status int, fs forms) error { return s.networkEditPage(w, r, v, a, n, status, fs) })
}
