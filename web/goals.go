package web

import (
	"net/http"
	"strconv"

	"github.com/samrad/samrad"
)

// goalView is one member's goals in a year with what came of each.
type goalView struct {
	Org   samrad.Organisation
	Goals []goalYear
}

type goalYear struct {
	Goal   samrad.MemberGoal
	Report string
}

// yearGoals groups the goals that apply in year by member.
func (s *Server) yearGoals(r *http.Request, allianceID int64, year int) ([]goalView, error) {
	goals, err := s.db.MemberGoals(r.Context(), allianceID)
	if err != nil {
		return nil, err
	}
	var out []goalView
	for _, g := range goals {
		if !g.ActiveIn(year) {
			continue
		}
		if len(out) == 0 || out[len(out)-1].Org.ID != g.Org.ID {
			out = append(out, goalView{Org: g.Org})
		}
		last := &out[len(out)-1]
		last.Goals = append(last.Goals, goalYear{Goal: g, Report: g.Reports[year]})
	}
	return out, nil
}

type goalsData struct {
	Alliance samrad.Alliance
	Goals    []samrad.MemberGoal
	Members  []samrad.Membership
	CanEdit  bool
	Forms    forms
	Year     int
}

func (s *Server) handleGoals(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.goalsPage(w, r, v, http.StatusOK, nil)
}

// goalsPage lists the members' own goals for their membership, public like
// the members who publish them; the secretariat records goals and reports.
func (s *Server) goalsPage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	data := goalsData{Alliance: a, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat), Forms: fs, Year: samrad.Today().Year()}
	if data.Goals, err = s.db.MemberGoals(ctx, a.ID); err != nil {
		return err
	}
	if data.CanEdit {
		if data.Members, err = s.db.MembersOn(ctx, a.ID, samrad.Today(), false); err != nil {
			return err
		}
	}
	title := s.cat.T(v.Lang, "goals_title")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, status, "goals", v)
	return nil
}

// handleAddGoal records a member's goal.
func (s *Server) handleAddGoal(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("goal", r)
	g := samrad.MemberGoal{AllianceID: a.ID, Text: f.Get("text"), Source: f.Get("source")}
	if g.Org, err = s.formOrg(ctx, v, f, "org"); err != nil {
		return err
	}
	g.FromYear = s.formYear(v, f, "from_year")
	if f.Get("to_year") != "" {
		g.ToYear = s.formYear(v, f, "to_year")
	}
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.AddMemberGoal(ctx, &g)
	}
	return settle(w, r, f, err, "text", Path(v.Lang, "goals", a.Slug), func(status int, fs forms) error { return s.goalsPage(w, r, v, status, fs) })
}

// handleGoalReport records what came of a goal in a year.
func (s *Server) handleGoalReport(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	f := newForm("goal_report", r)
	f.Values.Set("goal", r.PathValue("id"))
	year := s.formYear(v, f, "year")
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.ReportOnGoal(ctx, a.ID, id, year, f.Get("report"))
	}
	if samrad.ErrorCode(err) == samrad.ENOTFOUND {
		return err
	}
	return settle(w, r, f, err, "report", Path(v.Lang, "goals", a.Slug)+"#mal-"+r.PathValue("id"),
		func(status int, fs forms) error { return s.goalsPage(w, r, v, status, fs) })
}

// formYear reads a year field; a bad one is noted on the field.
func (s *Server) formYear(v *view, f *form, field string) int {
	y, err := strconv.Atoi(f.Get(field))
	if err != nil || y < 1900 || y > 2200 {
		f.Errors[field] = s.cat.T(v.Lang, "bad_year", f.Get(field))
		return 0
	}
	return y
}
