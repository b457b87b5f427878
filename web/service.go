package web

import (
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
)

// servicePaths are the routes of this area: the service catalogue with the
// secretariat's request log, and the cooperation agreements.
var servicePaths = map[string][2]string{
	"svc_list":        {"/allianser/{slug}/tjenester", "/en/alliances/{slug}/services"},
	"svc_new":         {"/allianser/{slug}/tjenester", "/en/alliances/{slug}/services"},
	"svc_edit":        {"/allianser/{slug}/tjenester/{id}", "/en/alliances/{slug}/services/{id}"},
	"svc_move":        {"/allianser/{slug}/tjenester/flytt/{id}", "/en/alliances/{slug}/services/move/{id}"},
	"svc_requests":    {"/allianser/{slug}/tjenester/henvendelser", "/en/alliances/{slug}/services/requests"},
	"svc_req_new":     {"/allianser/{slug}/tjenester/henvendelser", "/en/alliances/{slug}/services/requests"},
	"svc_request":     {"/allianser/{slug}/tjenester/henvendelser/{id}", "/en/alliances/{slug}/services/requests/{id}"},
	"svc_req_save":    {"/allianser/{slug}/tjenester/henvendelser/{id}", "/en/alliances/{slug}/services/requests/{id}"},
	"svc_req_respond": {"/allianser/{slug}/tjenester/henvendelser/{id}/besvart", "/en/alliances/{slug}/services/requests/{id}/responded"},
	"svc_req_close":   {"/allianser/{slug}/tjenester/henvendelser/{id}/avslutt", "/en/alliances/{slug}/services/requests/{id}/close"},

	"agr_list":         {"/allianser/{slug}/avtaler", "/en/alliances/{slug}/agreements"},
	"agr_new":          {"/allianser/{slug}/avtaler/ny", "/en/alliances/{slug}/agreements/new"},
	"agr_page":         {"/allianser/{slug}/avtaler/{agreement}", "/en/alliances/{slug}/agreements/{agreement}"},
	"agr_edit":         {"/allianser/{slug}/avtaler/{agreement}/endre", "/en/alliances/{slug}/agreements/{agreement}/edit"},
	"agr_party":        {"/allianser/{slug}/avtaler/{agreement}/parter", "/en/alliances/{slug}/agreements/{agreement}/parties"},
	"agr_party_remove": {"/allianser/{slug}/avtaler/{agreement}/parter/{id}/fjern", "/en/alliances/{slug}/agreements/{agreement}/parties/{id}/remove"},
	"agr_signatory":    {"/allianser/{slug}/avtaler/{agreement}/signatarer", "/en/alliances/{slug}/agreements/{agreement}/signatories"},
	"agr_doc_add":      {"/allianser/{slug}/avtaler/{agreement}/dokumenter", "/en/alliances/{slug}/agreements/{agreement}/documents"},
	"agr_doc":          {"/allianser/{slug}/avtaler/{agreement}/dokumenter/{id}", "/en/alliances/{slug}/agreements/{agreement}/documents/{id}"},
}

// serviceRoutes registers the pages and actions of this area.
func (s *Server) serviceRoutes(handle, post func(name string, h handlerFunc)) {
	handle("svc_list", s.handleServices)
	post("svc_new", s.handleServiceCreate)
	post("svc_edit", s.handleServiceUpdate)
	post("svc_move", s.handleServiceMove)
	handle("svc_requests", s.handleRequests)
	post("svc_req_new", s.handleRequestCreate)
	handle("svc_request", s.handleRequest)
	post("svc_req_save", s.handleRequestUpdate)
	post("svc_req_respond", s.handleRequestRespond)
	post("svc_req_close", s.handleRequestClose)
	s.agreementRoutes(handle, post)
}

// svcParams are the request log's filter parameters in each language.
var svcParams = map[string][2]string{
	"kind":    {"type", "kind"},
	"status":  {"status", "status"},
	"service": {"tjeneste", "service"},
	"member":  {"medlem", "member"},
	"from":    {"fra", "from"},
	"to":      {"til", "to"},
}

// svcParam is the name of a filter parameter in lang.
func svcParam(lang, name string) string {
	if lang == "en" {
		return svcParams[name][1]
	}
	return svcParams[name][0]
}

// switchTo points the language switch at a route of this area, whose
// placeholders the common switch does not know, keeping the given query
// parameters (logical name → value) under their names in the other
// language.
func switchTo(v *view, name string, args []string, query map[string]string) {
	other, label := "en", "English"
	if v.Lang == "en" {
		other, label = "nb", "Norsk"
	}
	u := Path(other, name, args...)
	q := url.Values{}
	for k, x := range query {
		if x != "" {
			q.Set(svcParam(other, k), x)
		}
	}
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	v.Switch = &altLink{Lang: other, URL: u, Label: label}
	self := v.r.URL.Path
	if v.r.URL.RawQuery != "" {
		self += "?" + v.r.URL.RawQuery
	}
	v.Alternates = []altLink{{Lang: v.Lang, URL: self}, {Lang: other, URL: u}}
}

// notFound is the plain "no such page" error.
func (s *Server) notFound(v *view) error {
	return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
}

// pathID reads a numeric path value; anything else is a page not found.
func (s *Server) pathID(r *http.Request, v *view, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, s.notFound(v)
	}
	return id, nil
}

type servicesData struct {
	Alliance samrad.Alliance
	Services []samrad.Service
	CanEdit  bool
	Forms    forms
}

// handleServices is the alliance's public service catalogue; the
// secretariat sees the inactive services too, with the forms that edit
// and order them.
func (s *Server) handleServices(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	return s.servicesPage(w, r, v, a, http.StatusOK, nil)
}

func (s *Server) servicesPage(w http.ResponseWriter, r *http.Request, v *view, a samrad.Alliance, status int, fs forms) error {
	canEdit := v.User.Can(a.ID, samrad.RoleSecretariat)
	list, err := s.db.Services(r.Context(), a.ID, canEdit)
	if err != nil {
		return err
	}
	title := s.cat.T(v.Lang, "svc_title")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", servicesData{Alliance: a, Services: list, CanEdit: canEdit, Forms: fs}
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, status, "services", v)
	return nil
}

// readServiceForm fills a service from the posted catalogue form.
func readServiceForm(f *form, sv *samrad.Service) {
	sv.NameNB, sv.NameEN = f.Get("name_nb"), f.Get("name_en")
	sv.DescriptionNB, sv.DescriptionEN = f.Get("description_nb"), f.Get("description_en")
	sv.Slug = f.Get("slug")
	sv.Active = f.Get("active") == "yes"
}

// handleServiceCreate adds a service to the end of the catalogue.
func (s *Server) handleServiceCreate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("service", r)
	sv := samrad.Service{AllianceID: a.ID}
	readServiceForm(f, &sv)
	err = s.db.CreateService(ctx, &sv)
	return settle(w, r, f, err, "name_nb", Path(v.Lang, "svc_list", a.Slug)+"#tjeneste-"+strconv.FormatInt(sv.ID, 10),
		func(status int, fs forms) error { return s.servicesPage(w, r, v, a, status, fs) })
}

// handleServiceUpdate changes a service's texts and whether it is offered.
func (s *Server) handleServiceUpdate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	id, err := s.pathID(r, v, "id")
	if err != nil {
		return err
	}
	sv, err := s.db.Service(ctx, a.ID, id)
	if err != nil {
		return err
	}
	f := newForm("service-"+r.PathValue("id"), r)
	readServiceForm(f, &sv)
	err = s.db.UpdateService(ctx, &sv)
	return settle(w, r, f, err, "name_nb", Path(v.Lang, "svc_list", a.Slug)+"#tjeneste-"+r.PathValue("id"),
		func(status int, fs forms) error { return s.servicesPage(w, r, v, a, status, fs) })
}

// handleServiceMove moves a service one place up or down.
func (s *Server) handleServiceMove(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	id, err := s.pathID(r, v, "id")
	if err != nil {
		return err
	}
	dir := r.PostFormValue("dir")
	if dir != "up" && dir != "down" {
		return samrad.FieldErrorf("dir", "%s", s.cat.T(v.Lang, "svc_bad_direction"))
	}
	if err := s.db.MoveService(ctx, a.ID, id, dir == "up"); err != nil {
		return err
	}
	http.Redirect(w, r, Path(v.Lang, "svc_list", a.Slug)+"#tjeneste-"+r.PathValue("id"), http.StatusSeeOther)
	return nil
}

// requestLog is what the request log's page and download show.
type requestLog struct {
	Alliance samrad.Alliance
	Services []samrad.Service
	Members  []samrad.Organisation // the alliance's members today and those the log names
	Filter   *form                 // the filter as given, with its errors
	List     []samrad.ServiceRequest
	Stats    samrad.RequestStats
	Forms    forms
	Request  samrad.ServiceRequest // the one request shown, on its page
	Now      string                // now in Oslo, for the time fields
	Dur      func(time.Duration) string
	P        map[string]string // the filter's parameter names in the page's language
	Kinds    []samrad.RequestKind
	Statuses []samrad.RequestStatus
	Askers   []samrad.RequesterKind
}

// ResponseTime is a request's time to its first response as the page
// writes it, "" before the first response.
func (d requestLog) ResponseTime(q samrad.ServiceRequest) string {
	if rt, ok := q.ResponseTime(); ok {
		return d.Dur(rt)
	}
	return ""
}

// Clock writes a time for a time field, "" for none.
func (d requestLog) Clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(samrad.Oslo()).Format("2006-01-02T15:04")
}

// ServiceName returns the name of a service of the log, "" for none.
func (d requestLog) ServiceName(lang string, id int64) string {
	for _, sv := range d.Services {
		if sv.ID == id {
			return sv.Name(lang).Text
		}
	}
	return ""
}

// MemberName returns the name of an organisation of the log.
func (d requestLog) MemberName(lang string, id int64) string {
	for _, o := range d.Members {
		if o.ID == id {
			return o.Name(lang)
		}
	}
	return ""
}

// requestLogBase reads what every request log page needs: the alliance
// (with the secretariat's role checked), its services and its members.
func (s *Server) requestLogBase(r *http.Request, v *view) (requestLog, error) {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return requestLog{}, err
	}
	ctx := r.Context()
	d := requestLog{Alliance: a, Now: time.Now().In(samrad.Oslo()).Format("2006-01-02T15:04"),
		Dur: func(x time.Duration) string { return s.formatDuration(v.Lang, x) }, P: map[string]string{},
		Kinds: samrad.RequestKinds, Statuses: samrad.RequestStatuses, Askers: samrad.RequesterKinds}
	for name := range svcParams {
		d.P[name] = svcParam(v.Lang, name)
	}
	if d.Services, err = s.db.Services(ctx, a.ID, true); err != nil {
		return d, err
	}
	members, err := s.db.MembersOn(ctx, a.ID, samrad.Today(), false)
	if err != nil {
		return d, err
	}
	for _, m := range members {
		d.Members = append(d.Members, m.Org)
	}
	return d, nil
}

// addMembers adds the organisations a list of requests names that are not
// among the members (a former member, say), so that names and filters
// find them.
func (s *Server) addMembers(r *http.Request, d *requestLog, list []samrad.ServiceRequest) error {
	known := map[int64]bool{}
	for _, o := range d.Members {
		known[o.ID] = true
	}
	var reg *samrad.Registry
	for _, q := range list {
		if q.MemberOrgID == 0 || known[q.MemberOrgID] {
			continue
		}
		if reg == nil {
			var err error
			if reg, err = s.db.Registry(r.Context()); err != nil {
				return err
			}
		}
		if o, ok := reg.Org(q.MemberOrgID); ok {
			d.Members = append(d.Members, o)
			known[o.ID] = true
		}
	}
	sort.SliceStable(d.Members, func(i, j int) bool { return d.Members[i].NameNB < d.Members[j].NameNB })
	return nil
}

// readFilter reads and checks the request log's filter from the query.
func (s *Server) readFilter(r *http.Request, v *view, d *requestLog) (samrad.RequestFilter, *form) {
	q := r.URL.Query()
	f := &form{Name: "filter", Values: url.Values{}, Errors: map[string]string{}}
	for name := range svcParams {
		if x := strings.TrimSpace(q.Get(svcParam(v.Lang, name))); x != "" {
			f.Values.Set(name, x)
		}
	}
	var flt samrad.RequestFilter
	if x := f.Get("kind"); x != "" {
		if flt.Kind = samrad.RequestKind(x); !flt.Kind.Valid() {
			f.Errors["kind"] = s.cat.T(v.Lang, "svc_bad_choice")
		}
	}
	if x := f.Get("status"); x != "" {
		if flt.Status = samrad.RequestStatus(x); !flt.Status.Valid() {
			f.Errors["status"] = s.cat.T(v.Lang, "svc_bad_choice")
		}
	}
	if x := f.Get("service"); x != "" {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil || d.ServiceName(v.Lang, id) == "" {
			f.Errors["service"] = s.cat.T(v.Lang, "svc_bad_choice")
		}
		flt.ServiceID = id
	}
	if x := f.Get("member"); x != "" {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil || id <= 0 {
			f.Errors["member"] = s.cat.T(v.Lang, "svc_bad_choice")
		}
		flt.MemberOrgID = id
	}
	flt.From = s.formDate(v, f, "from")
	flt.To = s.formDate(v, f, "to")
	if !flt.From.IsZero() && !flt.To.IsZero() && flt.To.Before(flt.From) {
		f.Errors["to"] = s.cat.T(v.Lang, "svc_bad_period")
	}
	return flt, f
}

// requestLogData reads the log the filter selects, with its statistics.
// A filter with errors selects nothing: the page shows the errors.
func (s *Server) requestLogData(r *http.Request, v *view) (requestLog, error) {
	d, err := s.requestLogBase(r, v)
	if err != nil {
		return d, err
	}
	flt, f := s.readFilter(r, v, &d)
	d.Filter = f
	if len(f.Errors) > 0 {
		return d, nil
	}
	ctx := r.Context()
	if d.List, err = s.db.Requests(ctx, d.Alliance.ID, flt); err != nil {
		return d, err
	}
	d.Stats = samrad.ComputeRequestStats(d.List)
	if err := s.addMembers(r, &d, d.List); err != nil {
		return d, err
	}
	if flt.MemberOrgID != 0 && d.MemberName(v.Lang, flt.MemberOrgID) == "" {
		f.Errors["member"] = s.cat.T(v.Lang, "svc_bad_choice")
		d.List, d.Stats = nil, samrad.RequestStats{}
	}
	return d, nil
}

// handleRequests is the secretariat's request log: the requests and
// enquiries the filter selects, with their response times.
func (s *Server) handleRequests(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.requestsPage(w, r, v, http.StatusOK, nil)
}

func (s *Server) requestsPage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	d, err := s.requestLogData(r, v)
	if err != nil {
		return err
	}
	d.Forms = fs
	if len(d.Filter.Errors) > 0 && status == http.StatusOK {
		status = http.StatusBadRequest
	}
	a := d.Alliance
	query := map[string]string{}
	for name := range svcParams {
		query[name] = d.Filter.Get(name)
	}
	switchTo(v, "svc_requests", []string{a.Slug}, query)
	title := s.cat.T(v.Lang, "svc_requests_title")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", d
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "svc_title"), Path(v.Lang, "svc_list", a.Slug), title, "")
	s.render(w, status, "service_requests", v)
	return nil
}

// formatDuration writes a response time as days, hours and minutes.
func (s *Server) formatDuration(lang string, d time.Duration) string {
	m := int64(d.Round(time.Minute) / time.Minute)
	days, hours, mins := m/(24*60), m/60%24, m%60
	switch {
	case days > 0:
		return s.cat.T(lang, "svc_dur_dh", days, hours)
	case hours > 0:
		return s.cat.T(lang, "svc_dur_hm", hours, mins)
	default:
		return s.cat.T(lang, "svc_dur_m", mins)
	}
}

// requestsTable is the request log the filter selects, with response
// times in hours, for the secretariat.
func (s *Server) requestsTable(r *http.Request, v *view) (table, error) {
	d, err := s.requestLogData(r, v)
	if err != nil {
		return table{}, err
	}
	for _, field := range []string{"kind", "status", "service", "member", "from", "to"} {
		if msg := d.Filter.Error(field); msg != "" {
			return table{}, samrad.FieldErrorf(field, "%s", msg)
		}
	}
	lang := v.Lang
	t := func(k string) string { return s.cat.T(lang, k) }
	stamp := func(x time.Time) any {
		if x.IsZero() {
			return nil
		}
		return x
	}
	out := table{File: d.Alliance.Slug + "-" + t("svc_csv_name"), Sheet: t("svc_requests_title"), NoStore: true,
		Header: s.headers(lang, "svc_col_id", "svc_received", "svc_kind", "svc_service", "svc_member", "svc_requester_kind",
			"svc_requester", "svc_subject", "svc_status", "svc_first_response", "svc_response_hours", "svc_closed", "svc_outcome", "svc_handled_by"),
		Decimals: func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }}
	for _, q := range d.List {
		var hours any
		if rt, ok := q.ResponseTime(); ok {
			hours = math.Round(rt.Hours()*10) / 10
		}
		out.Rows = append(out.Rows, []any{q.ID, stamp(q.ReceivedAt), t("svc_kind_" + string(q.Kind)), d.ServiceName(lang, q.ServiceID),
			d.MemberName(lang, q.MemberOrgID), t("svc_requester_" + string(q.RequesterKind)), q.Requester, q.Subject,
			t("svc_status_" + string(q.Status)), stamp(q.FirstResponseAt), hours, stamp(q.ClosedAt), q.Outcome, q.HandledByName})
	}
	return out, nil
}

// parseClock reads a time in Oslo as the form gives it: "2024-03-01T09:30"
// or "2024-03-01 09:30". Empty is the zero time.
func parseClock(x string) (time.Time, bool) {
	x = strings.TrimSpace(x)
	if x == "" {
		return time.Time{}, true
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, x, samrad.Oslo()); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// readRequestForm fills a request from the posted form. Times it cannot
// read and choices it does not know are noted on their fields.
func (s *Server) readRequestForm(v *view, d requestLog, f *form, q *samrad.ServiceRequest, full bool) {
	q.Kind = samrad.RequestKind(f.Get("kind"))
	q.RequesterKind = samrad.RequesterKind(f.Get("requester_kind"))
	q.Requester, q.Subject, q.Description = f.Get("requester"), f.Get("subject"), f.Get("description")
	q.ServiceID, q.MemberOrgID = 0, 0
	if x := f.Get("service"); x != "" {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil || d.ServiceName(v.Lang, id) == "" {
			f.Errors["service"] = s.cat.T(v.Lang, "svc_bad_choice")
		}
		q.ServiceID = id
	}
	if x := f.Get("member"); x != "" {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil || d.MemberName(v.Lang, id) == "" {
			f.Errors["member"] = s.cat.T(v.Lang, "svc_bad_choice")
		}
		q.MemberOrgID = id
	}
	fields := []struct {
		name string
		t    *time.Time
	}{{"received_at", &q.ReceivedAt}}
	if full {
		fields = append(fields, struct {
			name string
			t    *time.Time
		}{"first_response_at", &q.FirstResponseAt}, struct {
			name string
			t    *time.Time
		}{"closed_at", &q.ClosedAt})
		q.Status, q.Outcome = samrad.RequestStatus(f.Get("status")), f.Get("outcome")
	}
	for _, c := range fields {
		t, ok := parseClock(f.Get(c.name))
		if !ok {
			f.Errors[c.name] = s.cat.T(v.Lang, "svc_bad_time")
		}
		*c.t = t
	}
}

// handleRequestCreate logs a new request or enquiry.
func (s *Server) handleRequestCreate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	d, err := s.requestLogBase(r, v)
	if err != nil {
		return err
	}
	f := newForm("request", r)
	q := samrad.ServiceRequest{AllianceID: a.ID, Status: samrad.RequestOpen}
	s.readRequestForm(v, d, f, &q, false)
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.LogRequest(ctx, &q)
	}
	return settle(w, r, f, err, "subject", Path(v.Lang, "svc_request", a.Slug, strconv.FormatInt(q.ID, 10)),
		func(status int, fs forms) error { return s.requestsPage(w, r, v, status, fs) })
}

// handleRequest is one request's page with the forms that change it.
func (s *Server) handleRequest(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.requestPage(w, r, v, http.StatusOK, nil)
}

func (s *Server) requestPage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	d, err := s.requestLogBase(r, v)
	if err != nil {
		return err
	}
	id, err := s.pathID(r, v, "id")
	if err != nil {
		return err
	}
	if d.Request, err = s.db.Request(r.Context(), d.Alliance.ID, id); err != nil {
		return err
	}
	if err := s.addMembers(r, &d, []samrad.ServiceRequest{d.Request}); err != nil {
		return err
	}
	d.Forms = fs
	a := d.Alliance
	title := s.cat.T(v.Lang, "svc_request_title", d.Request.ID)
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", d
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "svc_requests_title"), Path(v.Lang, "svc_requests", a.Slug), title, "")
	s.render(w, status, "service_request", v)
	return nil
}

// requestAction authorises a secretariat action on one request and reads it.
func (s *Server) requestAction(w http.ResponseWriter, r *http.Request, v *view) (requestLog, *http.Request, error) {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return requestLog{}, r, err
	}
	r = r.WithContext(ctx)
	d, err := s.requestLogBase(r, v)
	if err != nil {
		return d, r, err
	}
	id, err := s.pathID(r, v, "id")
	if err != nil {
		return d, r, err
	}
	if d.Request, err = s.db.Request(ctx, a.ID, id); err != nil {
		return d, r, err
	}
	return d, r, s.addMembers(r, &d, []samrad.ServiceRequest{d.Request})
}

// handleRequestUpdate changes a request: what it is about, who asked, its
// status, outcome and times.
func (s *Server) handleRequestUpdate(w http.ResponseWriter, r *http.Request, v *view) error {
	d, r, err := s.requestAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("request", r)
	q := d.Request
	s.readRequestForm(v, d, f, &q, true)
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.UpdateRequest(r.Context(), &q)
	}
	return settle(w, r, f, err, "subject", Path(v.Lang, "svc_request", d.Alliance.Slug, r.PathValue("id")),
		func(status int, fs forms) error { return s.requestPage(w, r, v, status, fs) })
}

// handleRequestRespond records the first response, at the time given or now.
func (s *Server) handleRequestRespond(w http.ResponseWriter, r *http.Request, v *view) error {
	d, r, err := s.requestAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("respond", r)
	at, ok := parseClock(f.Get("at"))
	if !ok {
		f.Errors["at"] = s.cat.T(v.Lang, "svc_bad_time")
	}
	if at.IsZero() {
		at = time.Now()
	}
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.RespondRequest(r.Context(), d.Alliance.ID, d.Request.ID, at)
	}
	if samrad.ErrorCode(err) == samrad.ECONFLICT {
		err = &samrad.Error{Code: samrad.ECONFLICT, Field: "at", Message: s.cat.T(v.Lang, "svc_already_responded")}
	}
	return settle(w, r, f, err, "at", Path(v.Lang, "svc_request", d.Alliance.Slug, r.PathValue("id")),
		func(status int, fs forms) error { return s.requestPage(w, r, v, status, fs) })
}

// handleRequestClose closes a request as done or declined, with its outcome.
func (s *Server) handleRequestClose(w http.ResponseWriter, r *http.Request, v *view) error {
	d, r, err := s.requestAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("close", r)
	at, ok := parseClock(f.Get("at"))
	if !ok {
		f.Errors["at"] = s.cat.T(v.Lang, "svc_bad_time")
	}
	if at.IsZero() {
		at = time.Now()
	}
	status := samrad.RequestStatus(f.Get("status"))
	if !status.Closed() {
		f.Errors["status"] = s.cat.T(v.Lang, "svc_close_status")
	}
	if f.Get("outcome") == "" {
		f.Errors["outcome"] = s.cat.T(v.Lang, "svc_outcome_required")
	}
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.CloseRequest(r.Context(), d.Alliance.ID, d.Request.ID, status, f.Get("outcome"), at)
	}
	if samrad.ErrorCode(err) == samrad.ECONFLICT {
		err = &samrad.Error{Code: samrad.ECONFLICT, Field: "status", Message: s.cat.T(v.Lang, "svc_already_closed")}
	}
	return settle(w, r, f, err, "outcome", Path(v.Lang, "svc_request", d.Alliance.Slug, r.PathValue("id")),
		func(status int, fs forms) error { return s.requestPage(w, r, v, status, fs) })
}
