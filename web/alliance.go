package web

import (
	"net/http"

	"github.com/samrad/samrad"
)

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request, v *view) error {
	list, err := s.db.Alliances(r.Context())
	if err != nil {
		return err
	}
	v.Title, v.Nav = s.cat.T(v.Lang, "alliances_title"), "home"
	v.Data = struct{ Alliances []samrad.Alliance }{list}
	s.render(w, http.StatusOK, "home", v)
	return nil
}

func (s *Server) handleAlliance(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	all, err := s.db.Memberships(ctx, a.ID)
	if err != nil {
		return err
	}
	today := samrad.Today()
	data := struct {
		Alliance                  samrad.Alliance
		MemberCount, PendingCount int
		Organiser                 *samrad.Organisation
		HasFees                   bool
		Bodies                    []samrad.Body
		Rotations                 []samrad.Rotation
		CaseCount                 int
	}{Alliance: a}
	if data.Bodies, err = s.db.Bodies(ctx, a.ID); err != nil {
		return err
	}
	if data.Rotations, err = s.db.Rotations(ctx, a.ID); err != nil {
		return err
	}
	cases, err := s.db.Cases(ctx, a.ID)
	if err != nil {
		return err
	}
	data.CaseCount = len(cases)
	for _, m := range all {
		if m.ActiveOn(today) {
			switch m.Status {
			case samrad.StatusConfirmed:
				data.MemberCount++
			case samrad.StatusPending:
				data.PendingCount++
			}
		}
	}
	if a.OrganiserID != 0 {
		reg, err := s.db.Registry(ctx)
		if err != nil {
			return err
		}
		if o, ok := reg.Org(a.OrganiserID); ok {
			data.Organiser = &o
		}
	}
	if _, err := s.db.FeeScheduleFor(ctx, a.ID, today.Year()); err == nil {
		data.HasFees = true
	} else if samrad.ErrorCode(err) != samrad.ENOTFOUND {
		return err
	}
	v.Title, v.Nav, v.Data = a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), "")
	s.render(w, http.StatusOK, "alliance", v)
	return nil
}
