package web

import (
	"net/http"

	"github.com/samrad/samrad"
)

func (s *Server) handleOrgs(w http.ResponseWriter, r *http.Request, v *view) error {
	reg, err := s.db.Registry(r.Context())
	if err != nil {
		return err
	}
	d := samrad.Today()
	if q := v.param("date"); q != "" {
		if d, err = samrad.ParseDate(q); err != nil {
			return samrad.FieldErrorf("date", "%s", s.cat.T(v.Lang, "bad_date", q))
		}
	}
	kind := v.param("kind")
	if kind != "" && !samrad.OrgKind(kind).Valid() {
		return samrad.FieldErrorf("kind", "%s", s.cat.T(v.Lang, "bad_kind", kind))
	}
	v.Title, v.Nav = s.cat.T(v.Lang, "registry_title"), "orgs"
	v.Data = struct {
		Date  samrad.Date
		Kind  string
		Kinds []samrad.OrgKind
		Orgs  []samrad.Organisation
	}{d, kind, samrad.OrgKinds, reg.ValidOn(d, samrad.OrgKind(kind))}
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
	last := periods[len(periods)-1]
	v.Title, v.Nav = last.Label(v.Lang), "orgs"
	v.Data = struct {
		Periods     []samrad.Organisation
		Chains      map[int64]string
		Changes     []samrad.Change
		Memberships []orgMembership
	}{periods, chains, changes, ms}
	v.Crumbs = []link{{Label: s.cat.T(v.Lang, "registry_title"), URL: Path(v.Lang, "orgs")}, {Label: last.Label(v.Lang)}}
	s.render(w, http.StatusOK, "org", v)
	return nil
}
