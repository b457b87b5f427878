package web

import (
	"net/http"
	"strconv"

	"github.com/samrad/samrad"
)

type bodyView struct {
	samrad.Body
	Parent *samrad.Body
}

func (s *Server) handleBody(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	b, err := s.db.BodyBySlug(ctx, a.ID, r.PathValue("body"))
	if err != nil {
		return err
	}
	bodies, err := s.db.Bodies(ctx, a.ID)
	if err != nil {
		return err
	}
	data := struct {
		Alliance samrad.Alliance
		Body     bodyView
		Children []samrad.Body
		Seats    []samrad.Seat
		Meetings []samrad.Meeting
	}{Alliance: a, Body: bodyView{Body: b}}
	for i, x := range bodies {
		if x.ID == b.ParentID {
			data.Body.Parent = &bodies[i]
		}
		if x.ParentID == b.ID {
			data.Children = append(data.Children, x)
		}
	}
	if data.Seats, err = s.db.Seats(ctx, b.ID); err != nil {
		return err
	}
	if data.Meetings, err = s.db.Meetings(ctx, b.ID); err != nil {
		return err
	}
	v.Title, v.Nav, v.Data = b.Name(v.Lang)+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), b.Name(v.Lang), "")
	s.render(w, http.StatusOK, "body", v)
	return nil
}

func (s *Server) handleCases(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	cases, err := s.db.Cases(ctx, a.ID)
	if err != nil {
		return err
	}
	v.Title, v.Nav = s.cat.T(v.Lang, "cases_of", a.Name(v.Lang)), "home"
	v.Data = struct {
		Alliance samrad.Alliance
		Cases    []samrad.Case
	}{a, cases}
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "cases_title"), "")
	s.render(w, http.StatusOK, "cases", v)
	return nil
}

func (s *Server) handleCase(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	year, err1 := strconv.Atoi(r.PathValue("year"))
	number, err2 := strconv.Atoi(r.PathValue("number"))
	if err1 != nil || err2 != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	c, err := s.db.CaseByNumber(ctx, a.ID, year, number)
	if err != nil {
		return err
	}
	label := samrad.CaseNumber(a.CaseScheme, c.Number, c.Year)
	v.Title, v.Nav = s.cat.T(v.Lang, "case_title", label, c.Title), "home"
	v.Data = struct {
		Alliance samrad.Alliance
		Case     samrad.Case
		Label    string
	}{a, c, label}
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "cases_title"), Path(v.Lang, "cases", a.Slug), label, "")
	s.render(w, http.StatusOK, "case", v)
	return nil
}
