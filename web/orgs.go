package web

import (
	"context"
	"html"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// orgsData is the registry page: the organisations valid on a date,
// of one kind or all.
type orgsData struct {
	Date  samrad.Date
	Kind  string
	Kinds []samrad.OrgKind
	Orgs  []samrad.Organisation
}

func (s *Server) orgsList(r *http.Request, v *view) (orgsData, error) {
	reg, err := s.db.Registry(r.Context())
	if err != nil {
		return orgsData{}, err
	}
	d := samrad.Today()
	if q := v.param("date"); q != "" {
		if d, err = samrad.ParseDate(q); err != nil {
			return orgsData{}, samrad.FieldErrorf("date", "%s", s.cat.T(v.Lang, "bad_date", q))
		}
	}
	kind := v.param("kind")
	if kind != "" && !samrad.OrgKind(kind).Valid() {
		return orgsData{}, samrad.FieldErrorf("kind", "%s", s.cat.T(v.Lang, "bad_kind", kind))
	}
	return orgsData{d, kind, samrad.OrgKinds, reg.ValidOn(d, samrad.OrgKind(kind))}, nil
}

func (s *Server) handleOrgs(w http.ResponseWriter, r *http.Request, v *view) error {
	data, err := s.orgsList(r, v)
	if err != nil {
		return err
	}
	v.Title, v.Nav, v.Data = s.cat.T(v.Lang, "registry_title"), "orgs", data
	v.Crumbs = []link{{Label: s.cat.T(v.Lang, "registry_title")}}
	s.render(w, http.StatusOK, "orgs", v)
	return nil
}

type orgMembership struct {
	samrad.Membership
	Alliance samrad.Alliance
}

func (s *Server) handleOrg(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	periods, err := s.db.FindOrganisations(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	reg, err := s.db.Registry(ctx)
	if err != nil {
		return err
	}
	chains := map[int64]string{}
	seen := map[int64]bool{}
	var changes []samrad.Change
	ids := map[int64]bool{}
	for _, o := range periods {
		chains[o.ID] = reg.Chain(o.ID)
		succ, _ := reg.Succession(o.ID)
		for _, c := range succ.Changes {
			if !seen[c.ID] {
				seen[c.ID] = true
				changes = append(changes, c)
			}
			ids[c.From.ID], ids[c.To.ID] = true, true
		}
		ids[o.ID] = true
	}
	alliances, err := s.db.Alliances(ctx)
	if err != nil {
		return err
	}
	bySlug := map[string]samrad.Alliance{}
	for _, a := range alliances {
		bySlug[a.Slug] = a
	}
	idList := make([]int64, 0, len(ids))
	for id := range ids {
		idList = append(idList, id)
	}
	found, err := s.db.MembershipsOf(ctx, idList)
	if err != nil {
		return err
	}
	ms := make([]orgMembership, len(found))
	for i, m := range found {
		ms[i] = orgMembership{m.Membership, bySlug[m.AllianceSlug]}
	}
	involved, err := s.involvements(ctx, v, reg, idList, periods, alliances)
	if err != nil {
		return err
	}
	last := periods[len(periods)-1]
	v.Title, v.Nav = last.Label(v.Lang), "orgs"
	v.Data = struct {
		Periods     []samrad.Organisation
		Chains      map[int64]string
		Changes     []samrad.Change
		Memberships []orgMembership
		Involved    []involvementGroup
	}{periods, chains, changes, ms, involved}
	v.Crumbs = []link{{Label: s.cat.T(v.Lang, "registry_title"), URL: Path(v.Lang, "orgs")}, {Label: last.Label(v.Lang)}}
	s.render(w, http.StatusOK, "org", v)
	return nil
}

// involvementGroup is one kind of thing a member takes part in (networks,
// projects …) across alliances, for its page.
type involvementGroup struct {
	Kind  string
	Items []involvementItem
}

// HasStatus tells whether the group's items have a status column.
func (g involvementGroup) HasStatus() bool { return g.Kind == "project" || g.Kind == "application" }

// Rows writes the group's table rows. A member may take part in hundreds
// of items, and the template's escaping per value cost more than the rest
// of the page: every value is escaped here once, for the element or the
// quoted attribute it goes in (the URLs are the server's own paths).
func (g involvementGroup) Rows() template.HTML {
	var b strings.Builder
	b.Grow(len(g.Items) * 256)
	esc := html.EscapeString
	for _, it := range g.Items {
		b.WriteString(`<tr><td><a href="` + esc(it.URL) + `">` + esc(it.Name) + `</a></td>`)
		b.WriteString(`<td><a href="` + esc(it.AllianceURL) + `">` + esc(it.AllianceName) + `</a></td>`)
		b.WriteString(`<td>` + esc(it.Role) + `</td>`)
		if g.HasStatus() {
			b.WriteString(`<td>` + esc(it.Status) + `</td>`)
		}
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String())
}

// involvementItem is one row, its text ready to print: a member's page
// may have hundreds, and the template does no work per row.
type involvementItem struct {
	Name, URL                 string
	AllianceName, AllianceURL string
	Role                      string // translated where the catalogue knows it, with the year hosted
	Status                    string // translated status, if any
}

// involvementRoutes names the page of each kind of involvement.
var involvementRoutes = map[string]string{
	"network": "net_page", "project": "proj_page", "application": "fund_application",
	"agreement": "agr_page", "recurring": "rec_page",
}

// involvements reads what the member's periods take part in and groups it
// by kind; funding applications are shown only to people with a role in
// the alliance concerned.
//
// orgIDs are the member's whole succession, as for its memberships: what
// an organisation it came from or became takes part in is shown too, with
// the name and code it had then.
func (s *Server) involvements(ctx context.Context, v *view, reg *samrad.Registry, orgIDs []int64, periods []samrad.Organisation, alliances []samrad.Alliance) ([]involvementGroup, error) {
	slices.Sort(orgIDs)
	list, err := s.db.Involvements(ctx, orgIDs)
	if err != nil {
		return nil, err
	}
	byID := map[int64]samrad.Alliance{}
	for _, a := range alliances {
		byID[a.ID] = a
	}
	groups := map[string][]involvementItem{}
	for _, x := range list {
		if x.MembersOnly && !v.User.Can(x.AllianceID, samrad.RoleReader) {
			continue
		}
		a := byID[x.AllianceID]
		name := x.NameNB
		if v.Lang == "en" && x.NameEN != "" {
			name = x.NameEN
		}
		ref := x.Slug
		if ref == "" {
			ref = strconv.FormatInt(x.ID, 10)
		}
		it := involvementItem{Name: name, URL: Path(v.Lang, involvementRoutes[x.Kind], a.Slug, ref), Role: x.Role,
			AllianceName: a.Name(v.Lang), AllianceURL: Path(v.Lang, "alliance", a.Slug)}
		if key := "inv_role_" + x.Role; s.cat.Has(key) {
			it.Role = s.cat.T(v.Lang, key)
		}
		if x.Year != 0 {
			it.Role += " " + strconv.Itoa(x.Year)
		}
		if !slices.ContainsFunc(periods, func(o samrad.Organisation) bool { return o.ID == x.OrgID }) {
			if o, ok := reg.Org(x.OrgID); ok {
				it.Role += " " + s.cat.T(v.Lang, "inv_as", o.Label(v.Lang))
			}
		}
		if x.Status != "" {
			it.Status = s.cat.T(v.Lang, "inv_status_"+x.Status)
		}
		groups[x.Kind] = append(groups[x.Kind], it)
	}
	var out []involvementGroup
	for _, k := range store.InvolvementKinds {
		if len(groups[k]) > 0 {
			out = append(out, involvementGroup{k, groups[k]})
		}
	}
	return out, nil
}
