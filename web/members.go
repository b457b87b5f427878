package web

import (
	"fmt"
	"net/http"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/memberfile"
)

type membersData struct {
	Alliance       samrad.Alliance
	Date           samrad.Date
	IncludePending bool
	Members        []samrad.Membership
	CanDecide      bool // the user may confirm or reject pending memberships
}

// members reads the alliance, date and pending filter of a members request.
func (s *Server) members(r *http.Request, v *view) (membersData, error) {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return membersData{}, err
	}
	d := samrad.Today()
	if q := v.param("date"); q != "" {
		if d, err = samrad.ParseDate(q); err != nil {
			return membersData{}, samrad.FieldErrorf("date", "%s", s.cat.T(v.Lang, "bad_date", q))
		}
	}
	pending := false
	switch q := v.param("pending"); q {
	case "", "0":
	case "1":
		pending = true
	default:
		return membersData{}, samrad.FieldErrorf("pending", "%s", s.cat.T(v.Lang, "bad_flag", q))
	}
	ms, err := s.db.MembersOn(ctx, a.ID, d, pending)
	if err != nil {
		return membersData{}, err
	}
	return membersData{Alliance: a, Date: d, IncludePending: pending, Members: ms,
		CanDecide: v.User.Can(a.ID, samrad.RoleSecretariat)}, nil
}

func (s *Server) handleMembers(w http.ResponseWriter, r *http.Request, v *view) error {
	data, err := s.members(r, v)
	if err != nil {
		return err
	}
	name := data.Alliance.Name(v.Lang)
	v.Title, v.Nav, v.Data = s.cat.T(v.Lang, "members_of", name), "home", data
	v.crumbs(name, Path(v.Lang, "alliance", data.Alliance.Slug), s.cat.T(v.Lang, "members_title"), "")
	s.render(w, http.StatusOK, "members", v)
	return nil
}

func (s *Server) handleMembersCSV(w http.ResponseWriter, r *http.Request, v *view) error {
	data, err := s.members(r, v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-members-%s.csv"`, data.Alliance.Slug, data.Date))
	return memberfile.Write(w, data.Members, v.Lang)
}
