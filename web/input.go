package web

import (
	"net/http"
	"strconv"

	"github.com/samrad/samrad"
)

type inputData struct {
	Alliance  samrad.Alliance
	Year      int
	Inputs    []samrad.MemberInput
	Measures  map[int64]samrad.Measure
	Programme *samrad.Programme
	Members   []samrad.Membership
	CanGive   bool // a member's officer or the secretariat
	CanEdit   bool // the secretariat
	Forms     forms
}

func (s *Server) handleInputs(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.inputPage(w, r, v, http.StatusOK, nil)
}

// inputPage shows the members' input to a year's programme with what
// became of each: tags, the measures it led to and the secretariat's
// answer. It is for the alliance's own people.
func (s *Server) inputPage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, year, err := s.budgetYear(r, v)
	if err != nil {
		return err
	}
	if !v.User.Can(a.ID, samrad.RoleReader) {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	data := inputData{Alliance: a, Year: year, Forms: fs, Measures: map[int64]samrad.Measure{},
		CanGive: v.User.Can(a.ID, samrad.RoleMemberContact), CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat)}
	if data.Inputs, err = s.db.Inputs(ctx, a.ID, year); err != nil {
		return err
	}
	if p, err := s.db.Programme(ctx, a.ID, year); err == nil {
		data.Programme = &p
		for _, sec := range p.Sections {
			for _, m := range sec.Measures {
				data.Measures[m.ID] = m
			}
		}
	} else if samrad.ErrorCode(err) != samrad.ENOTFOUND {
		return err
	}
	if data.CanGive {
		if data.Members, err = s.db.MembersOn(ctx, a.ID, samrad.Today(), false); err != nil {
			return err
		}
	}
	title := s.cat.T(v.Lang, "input_title", year)
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, status, "input", v)
	return nil
}

// handleGiveInput stores a member's input; members' officers may give it.
func (s *Server) handleGiveInput(w http.ResponseWriter, r *http.Request, v *view) error {
	a, year, err := s.budgetYear(r, v)
	if err != nil {
		return err
	}
	ctx, err := s.authorizeAs(w, r, v, a, samrad.RoleMemberContact)
	if err != nil {
		return err
	}
	f := newForm("input", r)
	in := samrad.MemberInput{AllianceID: a.ID, Year: year, Title: f.Get("title"), Text: f.Get("text"), SubmittedBy: v.User.Name}
	if in.Org, err = s.formOrg(ctx, v, f, "org"); err != nil {
		return err
	}
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.SubmitInput(ctx, &in)
	}
	return settle(w, r, f, err, "title", Path(v.Lang, "inputs", a.Slug, strconv.Itoa(year))+"#innspill-"+strconv.FormatInt(in.ID, 10),
		func(status int, fs forms) error { return s.inputPage(w, r, v, status, fs) })
}

// handleAnswerInput records the secretariat's tags, measures and answer.
func (s *Server) handleAnswerInput(w http.ResponseWriter, r *http.Request, v *view) error {
	a, year, err := s.budgetYear(r, v)
	if err != nil {
		return err
	}
	ctx, err := s.authorize(w, r, v, a)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	f := newForm("answer", r)
	f.Values.Set("input", r.PathValue("id"))
	tags, err := samrad.ParseTags(f.Get("tags"))
	var measures []int64
	for _, x := range r.PostForm["measures"] {
		m, perr := strconv.ParseInt(x, 10, 64)
		if perr != nil {
			f.Errors["measures"] = s.cat.T(v.Lang, "unknown_measure")
		}
		measures = append(measures, m)
	}
	if err == nil && len(f.Errors) == 0 {
		err = s.db.AnswerInput(ctx, a.ID, id, tags, measures, f.Get("response"))
	}
	if samrad.ErrorCode(err) == samrad.ENOTFOUND {
		return err
	}
	return settle(w, r, f, err, "response", Path(v.Lang, "inputs", a.Slug, strconv.Itoa(year))+"#innspill-"+r.PathValue("id"),
		func(status int, fs forms) error { return s.inputPage(w, r, v, status, fs) })
}
