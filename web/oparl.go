package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/oparl"
	"github.com/samrad/samrad/store"
)

// The OParl 1.1 read API at /oparl/v1: the instance is the System, each
// alliance a Body, its bodies Organizations, seats Memberships, cases
// Papers, a case on a meeting's agenda an AgendaItem and a Consultation,
// documents Files, meeting venues Locations, and the municipal council
// terms LegislativeTerms. It serves what the website shows a visitor,
// in Norwegian. Lists are paged by id with the created/modified filters;
// answers are cached for the data version like pages, with an ETag.

const oparlPrefix = "/oparl/v1"

// oparlPerPage is the page size unless the client asks for another, up to
// oparlMaxPerPage. A meeting comes with its agenda and files, so twenty of
// them make a page of a few hundred kilobytes rather than megabytes.
const (
	oparlPerPage    = 20
	oparlMaxPerPage = 100
)

// oparlHandler answers an OParl request: it returns the object or list to
// write, or an error.
type oparlHandler func(r *http.Request, api *oparlAPI) (any, error)

// oparlAPI is one request's view of the API: its base URL and alliance.
type oparlAPI struct {
	ctx  context.Context
	s    *Server
	base string // scheme and host, e.g. https://samrad.example.no
	a    samrad.Alliance
}

func (s *Server) oparlRoutes() {
	h := func(pattern string, fn oparlHandler) {
		s.mux.Handle("GET "+oparlPrefix+pattern, s.oparl(pattern, fn))
	}
	h("", s.oparlSystem)
	h("/system", s.oparlSystem)
	h("/bodies", s.oparlBodies)
	h("/body/{slug}", s.oparlBody)
	h("/body/{slug}/organizations", oparlList((*oparlAPI).organizations))
	h("/body/{slug}/organization/{id}", oparlOne((*oparlAPI).organizations))
	h("/body/{slug}/persons", oparlList((*oparlAPI).persons))
	h("/body/{slug}/person/{id}", oparlOne((*oparlAPI).persons))
	h("/body/{slug}/memberships", oparlList((*oparlAPI).memberships))
	h("/body/{slug}/membership/{id}", oparlOne((*oparlAPI).memberships))
	h("/body/{slug}/meetings", oparlList((*oparlAPI).meetings))
	h("/body/{slug}/meeting/{id}", oparlOne((*oparlAPI).meetings))
	h("/body/{slug}/agenda-items", oparlList((*oparlAPI).agendaItems))
	h("/body/{slug}/agenda-item/{id}", oparlOne((*oparlAPI).agendaItems))
	h("/body/{slug}/papers", oparlList((*oparlAPI).papers))
	h("/body/{slug}/paper/{id}", oparlOne((*oparlAPI).papers))
	h("/body/{slug}/consultations", oparlList((*oparlAPI).consultations))
	h("/body/{slug}/consultation/{id}", oparlOne((*oparlAPI).consultations))
	h("/body/{slug}/files", oparlList((*oparlAPI).files))
	h("/body/{slug}/file/{id}", oparlOne((*oparlAPI).files))
	s.mux.Handle("GET "+oparlPrefix+"/body/{slug}/file/{id}/access", http.HandlerFunc(s.oparlFileAccess))
	h("/body/{slug}/locations", oparlList((*oparlAPI).locations))
	h("/body/{slug}/location/{id}", oparlOne((*oparlAPI).locations))
	h("/body/{slug}/legislative-terms", oparlList((*oparlAPI).terms))
	h("/body/{slug}/legislative-term/{id}", oparlOne((*oparlAPI).terms))
	s.mux.Handle(oparlPrefix+"/", s.oparl("", func(r *http.Request, api *oparlAPI) (any, error) {
		return nil, samrad.Errorf(samrad.ENOTFOUND, "Ingen OParl-ressurs på %s", r.URL.Path)
	}))
}

// oparl wraps an OParl handler: the alliance of the URL, the page cache
// and ETag, JSON output, and errors as OParl error objects.
func (s *Server) oparl(pattern string, fn oparlHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api := &oparlAPI{ctx: r.Context(), s: s, base: s.publicBase(r)}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			s.oparlError(w, r, samrad.Errorf(samrad.EINVALID, "Bare GET"), http.StatusMethodNotAllowed)
			return
		}
		if err := readable(r, "Ingen OParl-ressurs på denne adressen", func(n string) string {
			return "Parameteren " + strconv.Quote(n) + " er ikke gyldig tekst (UTF-8 uten nulltegn)"
		}); err != nil {
			s.oparlError(w, r, err, 0)
			return
		}
		key := "oparl " + api.base + " " + r.URL.RequestURI()
		version, err := s.db.Version(r.Context())
		if err != nil {
			s.oparlError(w, r, err, 0)
			return
		}
		stale, ok := s.cache.get(key, version)
		if ok {
			stale.serve(w, r)
			return
		}
		if slug := r.PathValue("slug"); slug != "" {
			if api.a, err = s.db.AllianceBySlug(r.Context(), slug); err != nil {
				s.oparlError(w, r, err, 0)
				return
			}
		}
		v, err := fn(r, api)
		if err != nil {
			s.oparlError(w, r, err, 0)
			return
		}
		body, err := json.Marshal(v)
		if err != nil {
			s.oparlError(w, r, err, 0)
			return
		}
		h := http.Header{}
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Access-Control-Allow-Origin", "*")
		rec := &recorder{header: h, status: http.StatusOK}
		rec.body.Write(body)
		p := newPage(key, version, time.Time{}, rec, stale, s.started)
		s.cache.put(key, p)
		p.serve(w, r)
	})
}

// oparlError writes an OParl error object with the status of err's code
// (or status when not 0).
func (s *Server) oparlError(w http.ResponseWriter, r *http.Request, err error, status int) {
	if status == 0 {
		switch samrad.ErrorCode(err) {
		case samrad.ENOTFOUND:
			status = http.StatusNotFound
		case samrad.EINVALID:
			status = http.StatusBadRequest
		default:
			status = http.StatusInternalServerError
		}
	}
	msg := samrad.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		s.log.Error("oparl request failed", "path", r.URL.Path, "err", err)
		msg = "Intern feil"
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(oparl.Error{Type: oparl.TypeError, Message: msg})
}

// listFunc reads one page of a list (id 0) or one object (id not 0),
// returning the objects and how many the filters let through.
type listFunc func(api *oparlAPI, id string, w store.Window) ([]any, int, error)

// oparlList serves a list with paging and filters.
func oparlList(read listFunc) oparlHandler {
	return func(r *http.Request, api *oparlAPI) (any, error) {
		q := r.URL.Query()
		w, page, per, err := parseWindow(q)
		if err != nil {
			return nil, err
		}
		data, total, err := read(api, "", w)
		if err != nil {
			return nil, err
		}
		if data == nil {
			data = []any{}
		}
		pages := max(1, (total+per-1)/per)
		if page > pages {
			return nil, samrad.Errorf(samrad.ENOTFOUND, "Listen har %d sider", pages)
		}
		self := api.base + r.URL.Path
		at := func(n int) string {
			v := url.Values{}
			for k, vals := range q {
				v[k] = vals
			}
			v.Del("page")
			if n > 1 {
				v.Set("page", strconv.Itoa(n))
			}
			if len(v) == 0 {
				return self
			}
			return self + "?" + v.Encode()
		}
		l := oparl.List{Data: data,
			Pagination: oparl.Pagination{TotalElements: total, ElementsPerPage: per, CurrentPage: page, TotalPages: pages},
			Links:      oparl.Links{First: at(1), Self: at(page), Last: at(pages)}}
		if page > 1 {
			l.Links.Prev = at(page - 1)
		}
		if page < pages {
			l.Links.Next = at(page + 1)
		}
		return l, nil
	}
}

// oparlOne serves one object of a list by its id.
func oparlOne(read listFunc) oparlHandler {
	return func(r *http.Request, api *oparlAPI) (any, error) {
		data, _, err := read(api, r.PathValue("id"), store.Window{Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(data) == 0 {
			return nil, samrad.Errorf(samrad.ENOTFOUND, "Fant ikke %s", r.URL.Path)
		}
		return data[0], nil
	}
}

// parseWindow reads the filters and page of a list request.
func parseWindow(q url.Values) (store.Window, int, int, error) {
	var w store.Window
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"created_since", &w.CreatedSince}, {"created_until", &w.CreatedUntil}, {"modified_since", &w.ModifiedSince}, {"modified_until", &w.ModifiedUntil}} {
		v := q.Get(f.name)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return w, 0, 0, samrad.Errorf(samrad.EINVALID, "%s: %q er ikke et fullstendig tidspunkt (RFC 3339, f.eks. 2017-01-01T00:00:00+01:00)", f.name, v)
		}
		*f.dst = t
	}
	page, per := 1, oparlPerPage
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return w, 0, 0, samrad.Errorf(samrad.EINVALID, "page: %q er ikke et sidetall", v)
		}
		page = n
	}
	// OParl names the page size limit; elementsPerPage, as the list's
	// pagination calls it, is read too.
	for _, name := range []string{"limit", "elementsPerPage"} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return w, 0, 0, samrad.Errorf(samrad.EINVALID, "%s: %q er ikke et positivt tall", name, v)
			}
			per = min(n, oparlMaxPerPage)
		}
	}
	w.Offset, w.Limit = (page-1)*per, per
	return w, page, per, nil
}

// url joins the API base with a path under /oparl/v1.
func (api *oparlAPI) url(format string, args ...any) string {
	return api.base + oparlPrefix + fmt.Sprintf(format, args...)
}

func (api *oparlAPI) in(format string, args ...any) string {
	return api.url("/body/%s"+format, append([]any{api.a.Slug}, args...)...)
}

func (api *oparlAPI) web(name string, args ...string) string {
	return api.base + Path("nb", name, args...)
}

func (api *oparlAPI) common(typ, id string, t store.Times) oparl.Common {
	return oparl.Common{ID: id, Type: typ, Created: oparl.At(t.Created), Modified: oparl.At(t.Modified)}
}

// idOf parses a numeric id of a URL ("" is 0); a malformed one finds nothing.
func idOf(id string) (int64, bool) {
	if id == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && n > 0
}

// pairOf parses an agenda item's id, "meeting-case".
func pairOf(id string) (int64, int64, bool) {
	if id == "" {
		return 0, 0, true
	}
	m, c, ok := strings.Cut(id, "-")
	mi, ok1 := idOf(m)
	ci, ok2 := idOf(c)
	return mi, ci, ok && ok1 && ok2 && mi != 0 && ci != 0
}

func (s *Server) oparlSystem(r *http.Request, api *oparlAPI) (any, error) {
	return oparl.System{Common: oparl.Common{ID: api.url("/system"), Type: oparl.TypeSystem, Web: api.base + "/"},
		OparlVersion: oparl.Version, Body: api.url("/bodies"), Name: "Samråd", Website: api.base + "/",
		Product: "https://github.com/samrad/samrad"}, nil
}

func (s *Server) oparlBodies(r *http.Request, api *oparlAPI) (any, error) {
	return oparlList(func(api *oparlAPI, _ string, w store.Window) ([]any, int, error) {
		all, err := s.db.Alliances(r.Context())
		if err != nil {
			return nil, 0, err
		}
		var out []any
		for i, a := range all {
			if i >= w.Offset && i < w.Offset+w.Limit {
				b := *api
				b.a = a
				out = append(out, b.body())
			}
		}
		return out, len(all), nil
	})(r, api)
}

func (s *Server) oparlBody(r *http.Request, api *oparlAPI) (any, error) { return api.body(), nil }

func (api *oparlAPI) body() oparl.Body {
	a := api.a
	b := oparl.Body{Common: oparl.Common{ID: api.in(""), Type: oparl.TypeBody, Web: api.web("alliance", a.Slug)},
		System: api.url("/system"), Name: a.NameNB, ShortName: a.Slug, Website: a.Website,
		Classification: string(a.Kind),
		Organization:   api.in("/organizations"), Person: api.in("/persons"), Meeting: api.in("/meetings"),
		Paper: api.in("/papers"), AgendaItem: api.in("/agenda-items"), Consultation: api.in("/consultations"),
		File: api.in("/files"), LocationList: api.in("/locations"), LegislativeTermList: api.in("/legislative-terms"),
		Membership: api.in("/memberships"), LegislativeTerm: []oparl.LegislativeTerm{}}
	for _, t := range oparl.Terms(2000, samrad.Today().Year()) {
		b.LegislativeTerm = append(b.LegislativeTerm, api.term(t))
	}
	return b
}

func (api *oparlAPI) term(t oparl.Term) oparl.LegislativeTerm {
	return oparl.LegislativeTerm{Common: oparl.Common{ID: api.in("/legislative-term/%d", t.Year), Type: oparl.TypeLegislativeTerm},
		Body: api.in(""), Name: fmt.Sprintf("Kommunestyreperioden %d–%d", t.Year, t.Year+4), StartDate: t.Start(), EndDate: t.End()}
}

func (api *oparlAPI) terms(id string, w store.Window) ([]any, int, error) {
	all := oparl.Terms(2000, samrad.Today().Year())
	var out []any
	n := 0
	for _, t := range all {
		if id != "" && strconv.Itoa(t.Year) != id {
			continue
		}
		if n >= w.Offset && n < w.Offset+w.Limit {
			out = append(out, api.term(t))
		}
		n++
	}
	return out, n, nil
}

func (api *oparlAPI) organizations(id string, w store.Window) ([]any, int, error) {
	n, ok := idOf(id)
	if !ok {
		return nil, 0, nil
	}
	bodies, total, err := api.s.db.OpenBodies(api.ctx, api.a.ID, n, w)
	var out []any
	for _, b := range bodies {
		o := oparl.Organization{Common: api.common(oparl.TypeOrganization, api.in("/organization/%d", b.ID), b.Times),
			Body: api.in(""), Name: b.NameNB, OrganizationType: "Gremium", Classification: api.s.cat.T("nb", "body_"+string(b.Kind)),
			Meeting: api.in("/meetings")}
		o.Web = api.web("body", api.a.Slug, b.Slug)
		if b.ParentID != 0 {
			o.SubOrganizationOf = api.in("/organization/%d", b.ParentID)
		}
		out = append(out, o)
	}
	return out, total, err
}

func (api *oparlAPI) membership(s store.OpenSeat) oparl.Membership {
	m := oparl.Membership{Common: api.common(oparl.TypeMembership, api.in("/membership/%d", s.ID), s.Times),
		Person: api.in("/person/%d", s.Person.ID), Organization: api.in("/organization/%d", s.BodyID),
		Role: api.s.cat.T("nb", "seat_"+string(s.Role))}
	if !s.From.IsZero() {
		m.StartDate = s.From.String()
	}
	if !s.To.IsZero() {
		m.EndDate = s.To.String()
	}
	if s.Represents.ID != 0 {
		m.OnBehalfOf = api.base + Path("nb", "org", s.Represents.Code)
	}
	return m
}

func (api *oparlAPI) memberships(id string, w store.Window) ([]any, int, error) {
	n, ok := idOf(id)
	if !ok {
		return nil, 0, nil
	}
	seats, total, err := api.s.db.OpenSeats(api.ctx, api.a.ID, n, w)
	var out []any
	for _, s := range seats {
		out = append(out, api.membership(s))
	}
	return out, total, err
}

func (api *oparlAPI) persons(id string, w store.Window) ([]any, int, error) {
	n, ok := idOf(id)
	if !ok {
		return nil, 0, nil
	}
	people, total, err := api.s.db.OpenPeople(api.ctx, api.a.ID, n, w)
	var out []any
	for _, p := range people {
		o := oparl.Person{Common: api.common(oparl.TypePerson, api.in("/person/%d", p.ID), p.Times), Body: api.in(""), Name: p.Name}
		if p.Title != "" {
			o.Status = []string{p.Title}
		}
		for _, s := range p.Seats {
			o.Membership = append(o.Membership, api.membership(s))
		}
		out = append(out, o)
	}
	return out, total, err
}

func (api *oparlAPI) file(d store.OpenDocument) oparl.File {
	f := oparl.File{Common: oparl.Common{ID: api.in("/file/%d", d.ID), Type: oparl.TypeFile, Created: oparl.At(d.Created), Modified: oparl.At(d.Created)},
		Name: d.Title, FileName: d.Filename, MimeType: d.ContentType, Size: d.Size,
		AccessURL: api.in("/file/%d/access", d.ID), DownloadURL: api.web("document", api.a.Slug, strconv.FormatInt(d.ID, 10))}
	if !d.Created.IsZero() {
		f.Date = d.Created.In(samrad.Oslo()).Format(time.DateOnly)
	}
	if d.MeetingID != 0 {
		f.Meeting = []string{api.in("/meeting/%d", d.MeetingID)}
	}
	if d.CaseID != 0 {
		f.Paper = []string{api.in("/paper/%d", d.CaseID)}
	}
	return f
}

func (api *oparlAPI) files(id string, w store.Window) ([]any, int, error) {
	n, ok := idOf(id)
	if !ok {
		return nil, 0, nil
	}
	docs, total, err := api.s.db.OpenFiles(api.ctx, api.a.ID, n, w)
	var out []any
	for _, d := range docs {
		out = append(out, api.file(d))
	}
	return out, total, err
}

func (api *oparlAPI) agendaItem(it store.OpenAgendaItem) oparl.AgendaItem {
	public := true
	o := oparl.AgendaItem{Common: api.common(oparl.TypeAgendaItem, api.in("/agenda-item/%d-%d", it.MeetingID, it.Case.ID), it.Times),
		Meeting: api.in("/meeting/%d", it.MeetingID), Number: strconv.Itoa(it.Position), Order: it.Position,
		Name: samrad.CaseNumber(api.a.CaseScheme, it.Case.Number, it.Case.Year) + " " + it.Case.Title, Public: &public,
		Consultation: api.in("/consultation/%d-%d", it.MeetingID, it.Case.ID), ResolutionText: it.Decision}
	if it.Decision != "" {
		o.Result = "Vedtatt"
	}
	return o
}

func (api *oparlAPI) agendaItems(id string, w store.Window) ([]any, int, error) {
	m, c, ok := pairOf(id)
	if !ok {
		return nil, 0, nil
	}
	items, total, err := api.s.db.OpenAgendaItems(api.ctx, api.a.ID, m, c, w)
	var out []any
	for _, it := range items {
		out = append(out, api.agendaItem(it))
	}
	return out, total, err
}

func (api *oparlAPI) consultation(it store.OpenAgendaItem) oparl.Consultation {
	authoritative := it.Decision != ""
	return oparl.Consultation{Common: api.common(oparl.TypeConsultation, api.in("/consultation/%d-%d", it.MeetingID, it.Case.ID), it.Times),
		Paper: api.in("/paper/%d", it.Case.ID), AgendaItem: api.in("/agenda-item/%d-%d", it.MeetingID, it.Case.ID),
		Meeting: api.in("/meeting/%d", it.MeetingID), Organization: []string{api.in("/organization/%d", it.BodyID)},
		Authoritative: &authoritative, Role: api.s.cat.T("nb", "case_"+string(it.Case.Type))}
}

func (api *oparlAPI) consultations(id string, w store.Window) ([]any, int, error) {
	m, c, ok := pairOf(id)
	if !ok {
		return nil, 0, nil
	}
	items, total, err := api.s.db.OpenAgendaItems(api.ctx, api.a.ID, m, c, w)
	var out []any
	for _, it := range items {
		out = append(out, api.consultation(it))
	}
	return out, total, err
}

func (api *oparlAPI) location(m store.OpenMeeting) *oparl.Location {
	if m.Place == "" && m.Address == "" {
		return nil
	}
	return &oparl.Location{Common: api.common(oparl.TypeLocation, api.in("/location/%d", m.ID), m.Times),
		Description: strings.Trim(m.Place+", "+m.Address, ", "), StreetAddress: m.Address, Room: m.Place,
		Meetings: []string{api.in("/meeting/%d", m.ID)}}
}

func (api *oparlAPI) meetings(id string, w store.Window) ([]any, int, error) {
	n, ok := idOf(id)
	if !ok {
		return nil, 0, nil
	}
	ms, total, err := api.s.db.OpenMeetings(api.ctx, api.a.ID, n, false, w)
	var out []any
	for _, m := range ms {
		o := oparl.Meeting{Common: api.common(oparl.TypeMeeting, api.in("/meeting/%d", m.ID), m.Times),
			MeetingState: api.s.cat.T("nb", "meeting_"+string(m.Status)), Start: oparl.At(inOslo(m.Start)), End: oparl.At(inOslo(m.End)),
			Location: api.location(m), Organization: []string{api.in("/organization/%d", m.BodyID)}}
		o.Web = api.web("meeting", api.a.Slug, strconv.FormatInt(m.ID, 10))
		o.Name = m.Start.In(samrad.Oslo()).Format(time.DateOnly)
		if m.Number != 0 {
			o.Name = fmt.Sprintf("Møte %d/%d", m.Number, m.Year)
		}
		for _, it := range m.Agenda {
			o.AgendaItem = append(o.AgendaItem, api.agendaItem(it))
		}
		for _, d := range m.Documents {
			o.AuxiliaryFile = append(o.AuxiliaryFile, api.file(d))
		}
		out = append(out, o)
	}
	return out, total, err
}

func (api *oparlAPI) locations(id string, w store.Window) ([]any, int, error) {
	n, ok := idOf(id)
	if !ok {
		return nil, 0, nil
	}
	ms, total, err := api.s.db.OpenMeetings(api.ctx, api.a.ID, n, true, w)
	var out []any
	for _, m := range ms {
		out = append(out, api.location(m))
	}
	return out, total, err
}

func (api *oparlAPI) papers(id string, w store.Window) ([]any, int, error) {
	n, ok := idOf(id)
	if !ok {
		return nil, 0, nil
	}
	cases, total, err := api.s.db.OpenCases(api.ctx, api.a.ID, n, w)
	var out []any
	for _, c := range cases {
		year, number := strconv.Itoa(c.Year), strconv.Itoa(c.Number)
		o := oparl.Paper{Common: api.common(oparl.TypePaper, api.in("/paper/%d", c.ID), c.Times), Body: api.in(""),
			Name: c.Title, Reference: samrad.CaseNumber(api.a.CaseScheme, c.Number, c.Year),
			PaperType: api.s.cat.T("nb", "case_"+string(c.Type))}
		o.Web = api.web("case", api.a.Slug, year, number)
		if len(c.Steps) > 0 {
			o.Date = c.Steps[0].Start.In(samrad.Oslo()).Format(time.DateOnly)
		}
		for _, st := range c.Steps {
			o.Consultation = append(o.Consultation, api.consultation(st))
		}
		for _, d := range c.Documents {
			o.AuxiliaryFile = append(o.AuxiliaryFile, api.file(d))
		}
		out = append(out, o)
	}
	return out, total, err
}

// oparlFileAccess serves a public file for viewing (the File's accessUrl,
// which must not be sent as an attachment; downloadUrl is the website's
// document link, which is). The bytes are sandboxed and never sniffed.
func (s *Server) oparlFileAccess(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		s.oparlError(w, r, err, 0)
		return
	}
	id, ok := idOf(r.PathValue("id"))
	if !ok || id == 0 {
		s.oparlError(w, r, samrad.Errorf(samrad.ENOTFOUND, "Fant ikke %s", r.URL.Path), 0)
		return
	}
	public, _, err := s.db.OpenFiles(ctx, a.ID, id, store.Window{Limit: 1})
	if err == nil && len(public) == 0 {
		err = samrad.Errorf(samrad.ENOTFOUND, "Fant ikke %s", r.URL.Path)
	}
	if err != nil {
		s.oparlError(w, r, err, 0)
		return
	}
	d, data, err := s.db.DocumentFile(ctx, id)
	if err != nil {
		s.oparlError(w, r, err, 0)
		return
	}
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": d.Filename}))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("ETag", `"`+d.SHA256+`"`)
	http.ServeContent(w, r, "", public[0].Created, bytes.NewReader(data))
}

// inOslo gives a time with Oslo's offset, as people there read it.
func inOslo(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(samrad.Oslo())
}
