package web

import (
	"cmp"
	"context"
	"html"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// projectPaths are the routes of this area. A project and a network are
// named by their slug in the {id} place, a partner, milestone or document
// by its number in the {number} place, so that the language switch and
// the route checks fill them like every other route's.
var projectPaths = map[string][2]string{
	"proj_list":           {"/allianser/{slug}/prosjekter", "/en/alliances/{slug}/projects"},
	"proj_network":        {"/allianser/{slug}/nettverk/{id}/prosjekter", "/en/alliances/{slug}/networks/{id}/projects"},
	"proj_new":            {"/allianser/{slug}/prosjekter/ny", "/en/alliances/{slug}/projects/new"},
	"proj_page":           {"/allianser/{slug}/prosjekter/{id}", "/en/alliances/{slug}/projects/{id}"},
	"proj_edit":           {"/allianser/{slug}/prosjekter/{id}/endre", "/en/alliances/{slug}/projects/{id}/edit"},
	"proj_partner_add":    {"/allianser/{slug}/prosjekter/{id}/partnere", "/en/alliances/{slug}/projects/{id}/partners"},
	"proj_partner_remove": {"/allianser/{slug}/prosjekter/{id}/partnere/{number}/fjern", "/en/alliances/{slug}/projects/{id}/partners/{number}/remove"},
	"proj_funding_add":    {"/allianser/{slug}/prosjekter/{id}/finansiering", "/en/alliances/{slug}/projects/{id}/funding"},
	"proj_milestone_add":  {"/allianser/{slug}/prosjekter/{id}/milepaler", "/en/alliances/{slug}/projects/{id}/milestones"},
	"proj_milestone_done": {"/allianser/{slug}/prosjekter/{id}/milepaler/{number}/fullfort", "/en/alliances/{slug}/projects/{id}/milestones/{number}/done"},
	"proj_doc_add":        {"/allianser/{slug}/prosjekter/{id}/dokumenter", "/en/alliances/{slug}/projects/{id}/documents"},
	"proj_doc":            {"/allianser/{slug}/prosjekter/{id}/dokumenter/{number}", "/en/alliances/{slug}/projects/{id}/documents/{number}"},
}

// projectRoutes registers the pages and actions of this area.
func (s *Server) projectRoutes(handle, post func(name string, h handlerFunc)) {
	handle("proj_list", s.handlePortfolio)
	handle("proj_network", s.handlePortfolio)
	handle("proj_new", s.handleProjectNew)
	handle("proj_page", s.handleProject)
	handle("proj_edit", s.handleProjectEditForm)
	handle("proj_doc", s.handleProjectDocument)
	post("proj_new", s.handleProjectCreate)
	post("proj_edit", s.handleProjectUpdate)
	post("proj_partner_add", s.handleProjectPartnerAdd)
	post("proj_partner_remove", s.handleProjectPartnerRemove)
	post("proj_funding_add", s.handleProjectFundingAdd)
	post("proj_milestone_add", s.handleProjectMilestoneAdd)
	post("proj_milestone_done", s.handleProjectMilestoneDone)
	post("proj_doc_add", s.handleProjectDocumentAdd)
}

// portfolioPageSize is how many projects one page of the portfolio lists;
// the totals and the downloads cover all the projects the filter chooses.
const portfolioPageSize = 100

// projParams are the portfolio's query parameters, Norwegian and English.
var projParams = map[string][2]string{
	"status":  {"status", "status"},
	"owner":   {"eier", "owner"},
	"network": {"nettverk", "network"},
	"year":    {"ar", "year"},
	"sort":    {"sorter", "sort"},
	"page":    {"side", "page"},
}

// projParamName is a query parameter's name in lang.
func projParamName(lang, name string) string {
	if lang == "en" {
		return projParams[name][1]
	}
	return projParams[name][0]
}

// projOwnerAlliance is the owner filter's value for the alliance's own projects.
const projOwnerAlliance = "alliance"

// portfolioSorts are the orders the portfolio can be sorted in; a leading
// "-" reverses one.
var portfolioSorts = map[string]func(a, b store.PortfolioRow) int{
	"name": func(a, b store.PortfolioRow) int { return 0 }, // the store's order
	"status": func(a, b store.PortfolioRow) int {
		return cmp.Compare(slices.Index(samrad.ProjectStatuses, a.Status), slices.Index(samrad.ProjectStatuses, b.Status))
	},
	"start": func(a, b store.PortfolioRow) int { return projCompareDates(a.Starts, b.Starts) },
	"end":   func(a, b store.PortfolioRow) int { return projCompareDates(a.Ends, b.Ends) },
	"budget": func(a, b store.PortfolioRow) int {
		return cmp.Compare(projMoneyOr(a.Budget, -1), projMoneyOr(b.Budget, -1))
	},
	"funding": func(a, b store.PortfolioRow) int { return cmp.Compare(a.Funding, b.Funding) },
}

// projCompareDates orders dates with the unknown ones last.
func projCompareDates(a, b samrad.Date) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

func projMoneyOr(m *samrad.Money, none samrad.Money) samrad.Money {
	if m == nil {
		return none
	}
	return *m
}

// portfolioQuery is the portfolio's filter, order and page as asked for.
type portfolioQuery struct {
	Status  string
	Owner   string // an organisation's code, projOwnerAlliance or ""
	Network string // a network's slug or ""
	Year    string
	Sort    string
	Page    int
}

// projOwnerOption is an owner the portfolio can be filtered by.
type projOwnerOption struct {
	Value, Label string
	Selected     bool
}

// portfolioLine is a row of the portfolio's table as it is shown, made
// ready here so that a long page costs little to render.
type portfolioLine struct {
	URL, Name, Status, Owner, Network, Period, Budget, Funding string
	Published                                                  bool
}

// portfolioRows writes the table rows of a page of the portfolio. The
// template's escaping of each of the hundreds of values cost more than
// the rest of the page; every value is escaped here once, for the element
// or the quoted attribute it goes in (the URLs are the server's own
// paths).
func portfolioRows(lines []portfolioLine, withNetwork bool, unpublished string) template.HTML {
	var b strings.Builder
	b.Grow(len(lines) * 320)
	esc := html.EscapeString
	for _, l := range lines {
		b.WriteString(`<tr><th scope="row"><a href="` + esc(l.URL) + `">` + esc(l.Name) + `</a>`)
		if !l.Published {
			b.WriteString(` <span class="badge badge-pending">` + esc(unpublished) + `</span>`)
		}
		b.WriteString(`</th><td>` + esc(l.Status) + `</td><td>` + esc(l.Owner) + `</td>`)
		if withNetwork {
			b.WriteString(`<td>` + esc(l.Network) + `</td>`)
		}
		b.WriteString(`<td>` + esc(l.Period) + `</td><td>` + esc(l.Budget) + `</td><td>` + esc(l.Funding) + "</td></tr>\n")
	}
	return template.HTML(b.String())
}

// ownerOptionsHTML writes the owner filter's options (one per owner: a
// few hundred in a large portfolio), escaped as portfolioRows does.
func ownerOptionsHTML(owners []projOwnerOption) template.HTML {
	var b strings.Builder
	for _, o := range owners {
		b.WriteString(`<option value="` + html.EscapeString(o.Value) + `"`)
		if o.Selected {
			b.WriteString(" selected")
		}
		b.WriteString(">" + html.EscapeString(o.Label) + "</option>")
	}
	return template.HTML(b.String())
}

type portfolioData struct {
	Alliance     samrad.Alliance
	Network      *store.ProjectNetwork // the network whose portfolio this is
	NetURL       string                // its page, "" if there is none
	Portfolio    store.Portfolio
	Rows         []store.PortfolioRow // this page's rows
	Lines        []portfolioLine      // the same, as shown
	TableRows    template.HTML        // the lines as table rows
	OwnerOptions template.HTML        // the owners as options of the filter
	Query        portfolioQuery
	Owners       []projOwnerOption
	Networks     []store.ProjectNetwork
	Statuses     []samrad.ProjectStatus
	Sorts        []string
	Param        map[string]string // query parameter names in the page's language
	Page         int
	Pages        int
	PrevURL      string
	NextURL      string
	CSVURL       string
	XLSXURL      string
	CanEdit      bool
	Filtered     bool
}

// projInvalid is a 400 answer with its reason.
func projInvalid(format string, args ...any) error {
	return samrad.Errorf(samrad.EINVALID, format, args...)
}

// portfolio reads the portfolio the request asks for: the alliance's or,
// on proj_network, one network's, with the filters of the query string.
// A malformed or unknown filter is a 400 with the reason.
func (s *Server) portfolio(r *http.Request, v *view) (portfolioData, error) {
	ctx := r.Context()
	var data portfolioData
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return data, err
	}
	inside := v.User.Can(a.ID, samrad.RoleReader)
	data = portfolioData{Alliance: a, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat), Statuses: samrad.ProjectStatuses,
		Sorts: []string{"name", "status", "start", "end", "budget", "funding"}, Param: map[string]string{}}
	for name := range projParams {
		data.Param[name] = projParamName(v.Lang, name)
	}
	q := r.URL.Query()
	get := func(name string) string { return strings.TrimSpace(q.Get(projParamName(v.Lang, name))) }
	data.Query = portfolioQuery{Status: get("status"), Owner: get("owner"), Network: get("network"), Year: get("year"), Sort: get("sort")}
	f := store.PortfolioFilter{IncludeUnpublished: inside}

	if data.Networks, err = s.db.ProjectNetworks(ctx, a.ID, inside); err != nil {
		return data, err
	}
	if v.route == "proj_network" {
		n, err := s.db.ProjectNetworkBySlug(ctx, a.ID, r.PathValue("id"))
		if err != nil {
			return data, err
		}
		if !n.Published && !inside {
			return data, samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
		}
		data.Network, data.NetURL = &n, projNetworkURL(v.Lang, a.Slug, n.Slug)
		f.NetworkID = n.ID
		data.Query.Network = ""
	} else if x := data.Query.Network; x != "" {
		i := slices.IndexFunc(data.Networks, func(n store.ProjectNetwork) bool { return n.Slug == x })
		if i < 0 {
			return data, projInvalid("%s", s.cat.T(v.Lang, "proj_bad_network", x))
		}
		f.NetworkID = data.Networks[i].ID
	}
	if x := data.Query.Status; x != "" {
		if !samrad.ProjectStatus(x).Valid() {
			return data, projInvalid("%s", s.cat.T(v.Lang, "proj_bad_status", x))
		}
		f.Status = samrad.ProjectStatus(x)
	}
	if x := data.Query.Year; x != "" {
		y, err := strconv.Atoi(x)
		if err != nil || y < 1900 || y > 2200 || len(x) != 4 {
			return data, projInvalid("%s", s.cat.T(v.Lang, "proj_bad_year", x))
		}
		f.Year = y
	}
	sortKey := strings.TrimPrefix(data.Query.Sort, "-")
	if _, ok := portfolioSorts[sortKey]; data.Query.Sort != "" && !ok {
		return data, projInvalid("%s", s.cat.T(v.Lang, "proj_bad_sort", data.Query.Sort))
	}
	data.Page = 1
	if x := strings.TrimSpace(q.Get(projParamName(v.Lang, "page"))); x != "" {
		if data.Page, err = strconv.Atoi(x); err != nil || data.Page < 1 {
			return data, projInvalid("%s", s.cat.T(v.Lang, "proj_bad_page", x))
		}
	}
	switch x := data.Query.Owner; x {
	case "":
	case projOwnerAlliance:
		f.OwnedByAlliance = true
	default:
		reg, err := s.db.Registry(ctx)
		if err != nil {
			return data, err
		}
		orgs := reg.ByCode(x)
		if len(orgs) == 0 {
			return data, projInvalid("%s", s.cat.T(v.Lang, "proj_bad_owner", x))
		}
		f.OwnerOrgID = orgs[0].ID
	}

	// The owners to choose from are those of the whole portfolio (of the
	// network, on its page).
	all, err := s.db.Portfolio(ctx, a.ID, store.PortfolioFilter{NetworkID: f.NetworkID, IncludeUnpublished: inside})
	if err != nil {
		return data, err
	}
	data.Owners = s.ownerOptions(v.Lang, a, all.Rows)
	if f.Status != "" || f.Year != 0 || f.OwnerOrgID != 0 || f.OwnedByAlliance || (f.NetworkID != 0 && data.Network == nil) {
		data.Filtered = true
		if data.Portfolio, err = s.db.Portfolio(ctx, a.ID, f); err != nil {
			return data, err
		}
	} else {
		data.Portfolio = all
	}
	if sortKey != "" && sortKey != "name" {
		by := portfolioSorts[sortKey]
		desc := strings.HasPrefix(data.Query.Sort, "-")
		slices.SortStableFunc(data.Portfolio.Rows, func(a, b store.PortfolioRow) int {
			if desc {
				return by(b, a)
			}
			return by(a, b)
		})
	} else if strings.HasPrefix(data.Query.Sort, "-") {
		slices.Reverse(data.Portfolio.Rows)
	}

	rows := data.Portfolio.Rows
	data.Pages = max(1, (len(rows)+portfolioPageSize-1)/portfolioPageSize)
	if data.Page > data.Pages {
		return data, projInvalid("%s", s.cat.T(v.Lang, "proj_bad_page", strconv.Itoa(data.Page)))
	}
	from := (data.Page - 1) * portfolioPageSize
	data.Rows = rows[from:min(len(rows), from+portfolioPageSize)]
	self := r.URL.Path
	data.CSVURL, data.XLSXURL = s.portfolioURL(v.Lang, "proj_csv", a.Slug, data.Query, 0), s.portfolioURL(v.Lang, "proj_xlsx", a.Slug, data.Query, 0)
	if data.Network != nil {
		q := data.Query
		q.Network = data.Network.Slug
		data.CSVURL, data.XLSXURL = s.portfolioURL(v.Lang, "proj_csv", a.Slug, q, 0), s.portfolioURL(v.Lang, "proj_xlsx", a.Slug, q, 0)
	}
	if data.Page > 1 {
		data.PrevURL = self + projQueryString(v.Lang, data.Query, data.Page-1)
	}
	if data.Page < data.Pages {
		data.NextURL = self + projQueryString(v.Lang, data.Query, data.Page+1)
	}
	return data, nil
}

// projQueryString writes a portfolio query in lang's parameter names.
func projQueryString(lang string, q portfolioQuery, page int) string {
	vals := url.Values{}
	for name, x := range map[string]string{"status": q.Status, "owner": q.Owner, "network": q.Network, "year": q.Year, "sort": q.Sort} {
		if x != "" {
			vals.Set(projParamName(lang, name), x)
		}
	}
	if page > 1 {
		vals.Set(projParamName(lang, "page"), strconv.Itoa(page))
	}
	if len(vals) == 0 {
		return ""
	}
	return "?" + vals.Encode()
}

func (s *Server) portfolioURL(lang, route, slug string, q portfolioQuery, page int) string {
	return Path(lang, route, slug) + projQueryString(lang, q, page)
}

// projNetworkURL is the page of a network, "" while no page for networks is
// registered.
func projNetworkURL(lang, slug, network string) string {
	if _, ok := routeTable["net_page"]; !ok {
		return ""
	}
	return Path(lang, "net_page", slug, network)
}

// ownerOptions are the owners of the projects given, the alliance first.
func (s *Server) ownerOptions(lang string, a samrad.Alliance, rows []store.PortfolioRow) []projOwnerOption {
	out := []projOwnerOption{{Value: projOwnerAlliance, Label: a.Name(lang)}}
	seen := map[int64]bool{}
	var orgs []projOwnerOption
	for _, r := range rows {
		if r.Owner.ID != 0 && !seen[r.Owner.ID] {
			seen[r.Owner.ID] = true
			orgs = append(orgs, projOwnerOption{Value: r.Owner.Code, Label: r.Owner.Name(lang)})
		}
	}
	slices.SortFunc(orgs, func(a, b projOwnerOption) int { return strings.Compare(a.Label, b.Label) })
	return append(out, orgs...)
}

// projectSwitch points the language switch at the same page with its
// query in the other language's parameter names.
func projectSwitch(v *view, q *portfolioQuery, page int, args ...string) {
	if v.Switch == nil {
		return
	}
	u := Path(v.Switch.Lang, v.route, args...)
	if q != nil {
		u += projQueryString(v.Switch.Lang, *q, page)
	}
	v.Switch.URL = u
	if len(v.Alternates) == 2 {
		v.Alternates[1].URL = u
	}
}

// handlePortfolio is an alliance's portfolio of projects, or one
// network's, with filters, totals and order.
func (s *Server) handlePortfolio(w http.ResponseWriter, r *http.Request, v *view) error {
	data, err := s.portfolio(r, v)
	if err != nil {
		return err
	}
	a := data.Alliance
	title := s.cat.T(v.Lang, "proj_title")
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	args := []string{a.Slug}
	if n := data.Network; n != nil {
		title = s.cat.T(v.Lang, "proj_network_title", n.Name(v.Lang))
		v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "proj_title"), Path(v.Lang, "proj_list", a.Slug), title, "")
		args = append(args, n.Slug)
	}
	projectSwitch(v, &data.Query, data.Page, args...)
	for i := range data.Owners {
		data.Owners[i].Selected = data.Owners[i].Value == data.Query.Owner
	}
	money := func(m samrad.Money) string {
		if v.Lang == "en" {
			return m.English()
		}
		return m.Norwegian()
	}
	unknown := s.cat.T(v.Lang, "unknown")
	data.Lines = make([]portfolioLine, 0, len(data.Rows))
	for _, p := range data.Rows {
		l := portfolioLine{URL: Path(v.Lang, "proj_page", a.Slug, p.Slug), Name: p.Name(v.Lang), Status: s.cat.T(v.Lang, "proj_status_"+string(p.Status)),
			Owner: a.Name(v.Lang), Network: p.Network.Name(v.Lang), Period: unknown, Budget: unknown, Funding: money(p.Funding), Published: p.Published}
		if p.Owner.ID != 0 {
			l.Owner = p.Owner.Name(v.Lang)
		}
		if !p.Starts.IsZero() || !p.Ends.IsZero() {
			l.Period = strings.TrimSpace(formatDate(v.Lang, p.Starts) + " – " + formatDate(v.Lang, p.Ends))
		}
		if p.Budget != nil {
			l.Budget = money(*p.Budget)
		}
		data.Lines = append(data.Lines, l)
	}
	data.OwnerOptions = ownerOptionsHTML(data.Owners)
	data.TableRows = portfolioRows(data.Lines, data.Network == nil, s.cat.T(v.Lang, "proj_unpublished"))
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	s.render(w, http.StatusOK, "projects", v)
	return nil
}

// portfolioTable is the portfolio as rows for a download: every project
// the filter chooses, with its funding per kind of source.
func (s *Server) portfolioTable(lang string, data portfolioData) ([]string, [][]any) {
	header := []string{s.cat.T(lang, "proj_name"), s.cat.T(lang, "proj_status"), s.cat.T(lang, "proj_owner"), s.cat.T(lang, "proj_network"),
		s.cat.T(lang, "proj_starts"), s.cat.T(lang, "proj_ends"), s.cat.T(lang, "proj_budget"), s.cat.T(lang, "proj_own_contribution"),
		s.cat.T(lang, "proj_funding_total")}
	for _, k := range samrad.ProjectFundingKinds {
		header = append(header, s.cat.T(lang, "proj_kind_"+string(k)))
	}
	header = append(header, s.cat.T(lang, "proj_link"))
	if data.CanEdit {
		header = append(header, s.cat.T(lang, "proj_published"))
	}
	kroner := func(m samrad.Money) any { return float64(m) / 100 }
	var rows [][]any
	for _, p := range data.Portfolio.Rows {
		owner := data.Alliance.Name(lang)
		if p.Owner.ID != 0 {
			owner = p.Owner.Name(lang)
		}
		row := []any{p.Name(lang), s.cat.T(lang, "proj_status_"+string(p.Status)), owner, p.Network.Name(lang)}
		for _, d := range []samrad.Date{p.Starts, p.Ends} {
			if d.IsZero() {
				row = append(row, nil)
			} else {
				row = append(row, d)
			}
		}
		for _, m := range []*samrad.Money{p.Budget, p.OwnContribution} {
			if m == nil {
				row = append(row, nil)
			} else {
				row = append(row, kroner(*m))
			}
		}
		row = append(row, kroner(p.Funding))
		for _, k := range samrad.ProjectFundingKinds {
			row = append(row, kroner(p.FundingByKind[k]))
		}
		row = append(row, s.baseURL+Path(lang, "proj_page", data.Alliance.Slug, p.Slug))
		if data.CanEdit {
			row = append(row, p.Published)
		}
		rows = append(rows, row)
	}
	return header, rows
}

type projectData struct {
	Alliance   samrad.Alliance
	Project    store.ProjectDetail
	NetURL     string
	Today      samrad.Date
	CanEdit    bool
	FundingSum samrad.Money
}

// loadProject reads the alliance and the project the path names.
// Unpublished projects are for the alliance's own people only.
func (s *Server) loadProject(ctx context.Context, r *http.Request, v *view) (samrad.Alliance, store.ProjectDetail, error) {
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return a, store.ProjectDetail{}, err
	}
	p, err := s.db.Project(ctx, a.ID, r.PathValue("id"))
	if err != nil {
		return a, p, err
	}
	if !p.Published && !v.User.Can(a.ID, samrad.RoleReader) {
		return a, p, samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	return a, p, nil
}

// handleProject is a project's public page.
func (s *Server) handleProject(w http.ResponseWriter, r *http.Request, v *view) error {
	a, p, err := s.loadProject(r.Context(), r, v)
	if err != nil {
		return err
	}
	data := projectData{Alliance: a, Project: p, Today: samrad.Today(), CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat),
		FundingSum: p.FundingTotal()}
	if p.Network.ID != 0 && (p.Network.Published || v.User.Can(a.ID, samrad.RoleReader)) {
		data.NetURL = projNetworkURL(v.Lang, a.Slug, p.Network.Slug)
	}
	projectSwitch(v, nil, 0, a.Slug, p.Slug)
	v.Title, v.Nav, v.Data = p.Name(v.Lang)+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "proj_title"), Path(v.Lang, "proj_list", a.Slug), p.Name(v.Lang), "")
	s.render(w, http.StatusOK, "project", v)
	return nil
}

// handleProjectDocument serves a project's document as a download that
// cannot run in the site's origin.
func (s *Server) handleProjectDocument(w http.ResponseWriter, r *http.Request, v *view) error {
	_, p, err := s.loadProject(r.Context(), r, v)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("number"), 10, 64)
	if err != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	d, body, err := s.db.ProjectDocument(r.Context(), p.ID, id)
	if err != nil {
		return err
	}
	return serveStored(w, d.ContentType, d.Filename, d.SHA256, body)
}

type projectEditData struct {
	Alliance  samrad.Alliance
	Project   store.ProjectDetail // zero ID for a new project
	Orgs      []samrad.Organisation
	Networks  []store.ProjectNetwork
	Measures  []store.MeasureRef
	Statuses  []samrad.ProjectStatus
	Kinds     []samrad.ProjectFundingKind
	MKinds    []samrad.ProjectMilestoneKind
	DKinds    []samrad.ProjectDocumentKind
	Forms     forms
	Today     samrad.Date
	Budget    string
	OwnAmount string
}

// projectOrgs are the organisations a project's owner, partners and
// funders are chosen from: those valid today, kind by kind, and any the
// project already names.
func (s *Server) projectOrgs(ctx context.Context, lang string, p store.ProjectDetail) ([]samrad.Organisation, error) {
	reg, err := s.db.Registry(ctx)
	if err != nil {
		return nil, err
	}
	today := samrad.Today()
	seen := map[int64]bool{}
	var out []samrad.Organisation
	add := func(o samrad.Organisation) {
		if o.ID != 0 && !seen[o.ID] {
			seen[o.ID] = true
			out = append(out, o)
		}
	}
	for _, k := range []samrad.OrgKind{samrad.KindMunicipality, samrad.KindCounty, samrad.KindRegionalCouncil, samrad.KindInstitution,
		samrad.KindStateAgency, samrad.KindCompany, samrad.KindOther} {
		for _, o := range reg.ValidOn(today, k) {
			add(o)
		}
	}
	for _, id := range []int64{p.OwnerOrgID} {
		if o, ok := reg.Org(id); ok {
			add(o)
		}
	}
	for _, x := range p.Partners {
		add(x.Org)
	}
	slices.SortStableFunc(out, func(a, b samrad.Organisation) int { return strings.Compare(a.Name(lang), b.Name(lang)) })
	return out, nil
}

func projMoneyField(m *samrad.Money) string {
	if m == nil {
		return ""
	}
	return m.String()
}

func (s *Server) projectEditPage(w http.ResponseWriter, r *http.Request, v *view, a samrad.Alliance, p store.ProjectDetail, status int, fs forms) error {
	ctx := r.Context()
	data := projectEditData{Alliance: a, Project: p, Forms: fs, Statuses: samrad.ProjectStatuses, Kinds: samrad.ProjectFundingKinds,
		MKinds: samrad.ProjectMilestoneKinds, DKinds: samrad.ProjectDocumentKinds, Today: samrad.Today(),
		Budget: projMoneyField(p.Budget), OwnAmount: projMoneyField(p.OwnContribution)}
	var err error
	if data.Orgs, err = s.projectOrgs(ctx, v.Lang, p); err != nil {
		return err
	}
	if data.Networks, err = s.db.ProjectNetworks(ctx, a.ID, true); err != nil {
		return err
	}
	if data.Measures, err = s.db.AllianceMeasures(ctx, a.ID); err != nil {
		return err
	}
	title := s.cat.T(v.Lang, "proj_new")
	if p.ID != 0 {
		title = s.cat.T(v.Lang, "proj_edit", p.Name(v.Lang))
		projectSwitch(v, nil, 0, a.Slug, p.Slug)
	}
	v.Title, v.Nav, v.Data = title, "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "proj_title"), Path(v.Lang, "proj_list", a.Slug), title, "")
	s.render(w, status, "project_edit", v)
	return nil
}

// handleProjectNew is the form for a new project.
func (s *Server) handleProjectNew(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return err
	}
	p := store.ProjectDetail{Project: samrad.Project{Status: samrad.ProjectIdea}}
	return s.projectEditPage(w, r, v, a, p, http.StatusOK, nil)
}

// handleProjectEditForm is a project's edit page with its partners,
// funding, milestones and documents.
func (s *Server) handleProjectEditForm(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return err
	}
	p, err := s.db.Project(r.Context(), a.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.projectEditPage(w, r, v, a, p, http.StatusOK, nil)
}

// projFormID reads an optional id field ("" is 0); a malformed one is noted
// on the field.
func (s *Server) projFormID(v *view, f *form, field string) int64 {
	x := f.Get(field)
	if x == "" {
		return 0
	}
	id, err := strconv.ParseInt(x, 10, 64)
	if err != nil || id <= 0 {
		f.Errors[field] = s.cat.T(v.Lang, "proj_bad_choice")
	}
	return id
}

// projFormMoney reads an optional amount field; a bad one is noted on it.
func (s *Server) projFormMoney(v *view, f *form, field string) *samrad.Money {
	x := f.Get(field)
	if x == "" {
		return nil
	}
	m, err := samrad.ParseMoney(x)
	if err != nil {
		f.Errors[field] = s.cat.T(v.Lang, "proj_bad_amount", x)
		return nil
	}
	return &m
}

// readProjectForm fills p from the posted project form.
func (s *Server) readProjectForm(v *view, f *form, p *samrad.Project) {
	p.NameNB, p.NameEN, p.Slug = f.Get("name_nb"), f.Get("name_en"), f.Get("slug")
	p.DescriptionNB, p.DescriptionEN = f.Get("description_nb"), f.Get("description_en")
	p.Status = samrad.ProjectStatus(f.Get("status"))
	p.Starts, p.Ends = s.formDate(v, f, "starts"), s.formDate(v, f, "ends")
	p.Budget, p.OwnContribution = s.projFormMoney(v, f, "budget"), s.projFormMoney(v, f, "own_contribution")
	p.OwnerOrgID, p.NetworkID, p.MeasureID = s.projFormID(v, f, "owner"), s.projFormID(v, f, "network"), s.projFormID(v, f, "measure")
	p.Website, p.Source = f.Get("website"), f.Get("source")
	p.Published = f.Get("published") == "yes"
}

// handleProjectCreate stores a new project.
func (s *Server) handleProjectCreate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("project", r)
	p := store.ProjectDetail{Project: samrad.Project{AllianceID: a.ID}}
	s.readProjectForm(v, f, &p.Project)
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.CreateProject(ctx, &p.Project)
	}
	if err != nil || len(f.Errors) > 0 {
		p.ID = 0
	}
	return settle(w, r, f, err, "name_nb", Path(v.Lang, "proj_edit", a.Slug, p.Slug),
		func(status int, fs forms) error { return s.projectEditPage(w, r, v, a, p, status, fs) })
}

// projectAction authorises a secretariat action on a project.
func (s *Server) projectAction(w http.ResponseWriter, r *http.Request, v *view) (samrad.Alliance, store.ProjectDetail, *http.Request, error) {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return a, store.ProjectDetail{}, r, err
	}
	p, err := s.db.Project(ctx, a.ID, r.PathValue("id"))
	return a, p, r.WithContext(ctx), err
}

// handleProjectUpdate changes a project's own fields.
func (s *Server) handleProjectUpdate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, p, r, err := s.projectAction(w, r, v)
	if err != nil {
		return err
	}
	slug := p.Slug
	f := newForm("project", r)
	s.readProjectForm(v, f, &p.Project)
	if len(f.Errors) == 0 {
		err = s.db.UpdateProject(r.Context(), &p.Project)
	}
	next := Path(v.Lang, "proj_edit", a.Slug, p.Slug)
	if err != nil || len(f.Errors) > 0 {
		next = Path(v.Lang, "proj_edit", a.Slug, slug)
	}
	return settle(w, r, f, err, "name_nb", next, func(status int, fs forms) error {
		// The page's other forms post to the project as it is stored.
		p.Slug = slug
		return s.projectEditPage(w, r, v, a, p, status, fs)
	})
}

// projectAgain shows a project's edit page after a rejected form.
func (s *Server) projectAgain(w http.ResponseWriter, r *http.Request, v *view, a samrad.Alliance, p store.ProjectDetail) func(int, forms) error {
	return func(status int, fs forms) error { return s.projectEditPage(w, r, v, a, p, status, fs) }
}

// handleProjectPartnerAdd adds an organisation to a project in a role.
func (s *Server) handleProjectPartnerAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, p, r, err := s.projectAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("partner", r)
	x := samrad.ProjectPartner{ProjectID: p.ID, OrgID: s.projFormID(v, f, "partner"), Role: f.Get("role")}
	if len(f.Errors) == 0 {
		err = s.db.AddPartner(r.Context(), a.ID, &x)
	}
	return settle(w, r, f, err, "partner", Path(v.Lang, "proj_edit", a.Slug, p.Slug)+"#partners", s.projectAgain(w, r, v, a, p))
}

// handleProjectPartnerRemove takes an organisation off a project.
func (s *Server) handleProjectPartnerRemove(w http.ResponseWriter, r *http.Request, v *view) error {
	a, p, r, err := s.projectAction(w, r, v)
	if err != nil {
		return err
	}
	org, perr := strconv.ParseInt(r.PathValue("number"), 10, 64)
	if perr != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	if err := s.db.RemovePartner(r.Context(), a.ID, p.ID, org); err != nil {
		return err
	}
	http.Redirect(w, r, Path(v.Lang, "proj_edit", a.Slug, p.Slug)+"#partners", http.StatusSeeOther)
	return nil
}

// handleProjectFundingAdd adds a source of funding to a project.
func (s *Server) handleProjectFundingAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, p, r, err := s.projectAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("funding", r)
	x := samrad.ProjectFunding{ProjectID: p.ID, Kind: samrad.ProjectFundingKind(f.Get("funding_kind")), Funder: f.Get("funder"),
		FunderOrgID: s.projFormID(v, f, "funder_org"), Note: f.Get("funding_note")}
	if m := s.projFormMoney(v, f, "amount"); m != nil {
		x.Amount = *m
	} else if f.Error("amount") == "" {
		f.Errors["amount"] = s.cat.T(v.Lang, "proj_amount_required")
	}
	if len(f.Errors) == 0 {
		err = s.db.AddFunding(r.Context(), a.ID, &x)
	}
	return settle(w, r, f, err, "funder", Path(v.Lang, "proj_edit", a.Slug, p.Slug)+"#funding", s.projectAgain(w, r, v, a, p))
}

// handleProjectMilestoneAdd adds a milestone, deliverable or report.
func (s *Server) handleProjectMilestoneAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, p, r, err := s.projectAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("milestone", r)
	m := samrad.ProjectMilestone{ProjectID: p.ID, Kind: samrad.ProjectMilestoneKind(f.Get("milestone_kind")), Title: f.Get("milestone_title"),
		Due: s.formDate(v, f, "due"), Done: s.formDate(v, f, "done"), Note: f.Get("milestone_note")}
	if len(f.Errors) == 0 {
		err = s.db.AddMilestone(r.Context(), a.ID, &m)
	}
	return settle(w, r, f, err, "milestone_title", Path(v.Lang, "proj_edit", a.Slug, p.Slug)+"#milestones", s.projectAgain(w, r, v, a, p))
}

// handleProjectMilestoneDone marks a milestone of the project done on a date.
func (s *Server) handleProjectMilestoneDone(w http.ResponseWriter, r *http.Request, v *view) error {
	a, p, r, err := s.projectAction(w, r, v)
	if err != nil {
		return err
	}
	id, perr := strconv.ParseInt(r.PathValue("number"), 10, 64)
	if perr != nil || !slices.ContainsFunc(p.Milestones, func(m samrad.ProjectMilestone) bool { return m.ID == id }) {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	f := newForm("done", r)
	f.Values.Set("milestone", r.PathValue("number"))
	on := s.formDate(v, f, "done_on")
	if len(f.Errors) == 0 {
		err = s.db.CompleteMilestone(r.Context(), a.ID, id, on)
	}
	return settle(w, r, f, err, "done_on", Path(v.Lang, "proj_edit", a.Slug, p.Slug)+"#milestone-"+r.PathValue("number"), s.projectAgain(w, r, v, a, p))
}

// handleProjectDocumentAdd uploads a document of a project.
func (s *Server) handleProjectDocumentAdd(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.uploadAction(w, r, v, samrad.MaxDocumentSize)
	if err != nil {
		return err
	}
	p, err := s.db.Project(ctx, a.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	f := &form{Name: "document", Values: r.PostForm, Errors: map[string]string{}}
	d := samrad.ProjectDocument{ProjectID: p.ID, Kind: samrad.ProjectDocumentKind(f.Get("document_kind")), Title: f.Get("document_title")}
	file, hdr, ferr := r.FormFile("file")
	if ferr != nil {
		// The title and kind are judged too, so that every error shows at once.
		probe := d
		probe.Filename = "file"
		if verr := probe.Validate(); verr != nil {
			f.fail(verr, "document_title")
		}
		f.Errors["file"] = s.cat.T(v.Lang, "choose_file")
	} else {
		defer file.Close()
		body, rerr := io.ReadAll(io.LimitReader(file, samrad.MaxDocumentSize+1))
		if rerr != nil {
			return rerr
		}
		d.Filename = hdr.Filename
		err = s.db.AddProjectDocument(ctx, a.ID, &d, body)
	}
	return settle(w, r.WithContext(ctx), f, err, "file", Path(v.Lang, "proj_edit", a.Slug, p.Slug)+"#documents", s.projectAgain(w, r, v, a, p))
}
