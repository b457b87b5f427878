package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
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
	return s.alliancePage(w, r, v, http.StatusOK, nil)
}

// alliancePage shows an alliance; fs carries a rejected form back.
func (s *Server) alliancePage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
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
		CanEdit                   bool
		Forms                     forms
		Kinds                     []samrad.BodyKind
		VotingRules               []samrad.VotingRule
		Members                   []samrad.Membership
		Duties                    []string
		ProgrammeYears            []int
		BudgetYears               []int
		ReportYears               []store.ReportYear
		CanRead                   bool
		InputYear                 int
		NextYear                  int
		Contacts                  contactBlock
		AllContacts               []samrad.Contact // with their addresses, for the secretariat's forms
		People                    []samrad.Person
		Cooperation               store.Cooperation
		Home                      allianceHome
	}{Alliance: a, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat), Forms: fs}
	if data.Contacts, err = s.contacts(ctx, a); err != nil {
		return err
	}
	if data.Home, err = s.home(ctx, v, a, all); err != nil {
		return err
	}
	if data.CanEdit {
		data.Kinds, data.Duties = samrad.BodyKinds, []string{"leadership", "chair", "host"}
		data.VotingRules = []samrad.VotingRule{samrad.VoteNone, samrad.VoteOnePerMember, samrad.VoteByPopulation}
		if data.Members, err = s.db.MembersOn(ctx, a.ID, samrad.Today(), false); err != nil {
			return err
		}
		if data.AllContacts, _, err = s.db.Contacts(ctx, a.ID); err != nil {
			return err
		}
		if data.People, err = s.db.People(ctx); err != nil {
			return err
		}
	}
	if data.Bodies, err = s.db.Bodies(ctx, a.ID); err != nil {
		return err
	}
	if data.Cooperation, err = s.db.CooperationOf(ctx, a.ID); err != nil {
		return err
	}
	if data.Rotations, err = s.db.Rotations(ctx, a.ID); err != nil {
		return err
	}
	if data.ProgrammeYears, err = s.db.ProgrammeYears(ctx, a.ID); err != nil {
		return err
	}
	if data.BudgetYears, err = s.db.BudgetYears(ctx, a.ID); err != nil {
		return err
	}
	if data.ReportYears, err = s.db.ReportYears(ctx, a.ID); err != nil {
		return err
	}
	data.CanRead = v.User.Can(a.ID, samrad.RoleReader)
	data.InputYear = samrad.Today().Year() + 1
	if data.CanEdit {
		data.NextYear = samrad.Today().Year() + 1
		for _, y := range data.BudgetYears {
			if y == data.NextYear {
				data.NextYear = 0 // already listed
			}
		}
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
	s.render(w, status, "alliance", v)
	return nil
}

// allianceAction runs a secretariat action on an alliance and goes back to
// its page, or shows the page again with the rejected form.
func (s *Server) allianceAction(name string, w http.ResponseWriter, r *http.Request, v *view, fn func(ctx context.Context, a samrad.Alliance, f *form) (string, error)) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm(name, r)
	next, err := fn(ctx, a, f)
	return settle(w, r, f, err, name, next, func(status int, fs forms) error { return s.alliancePage(w, r, v, status, fs) })
}

// handleAddBody sets up a body of the alliance.
func (s *Server) handleAddBody(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.allianceAction("body", w, r, v, func(ctx context.Context, a samrad.Alliance, f *form) (string, error) {
		b := samrad.Body{AllianceID: a.ID, Slug: f.Get("slug"), NameNB: f.Get("name_nb"), NameEN: f.Get("name_en"),
			Kind: samrad.BodyKind(f.Get("kind")), Voting: samrad.VotingRule(f.Get("voting")), Mandate: f.Get("mandate"),
			CompositionRule: f.Get("composition_rule"), Term: f.Get("term"), Meets: f.Get("meets")}
		if b.Slug == "" {
			b.Slug = slugify(b.NameNB)
		}
		if x := f.Get("parent"); x != "" {
			parent, err := s.db.BodyBySlug(ctx, a.ID, x)
			if err != nil {
				return "", samrad.FieldErrorf("parent", "%s", s.cat.T(v.Lang, "unknown_body", x))
			}
			b.ParentID = parent.ID
		}
		if err := s.db.CreateBody(ctx, &b); err != nil {
			return "", err
		}
		return Path(v.Lang, "body", a.Slug, b.Slug), nil
	})
}

// handleAddRotation records who holds a rotating duty (the chair, the
// hosting) in a period.
func (s *Server) handleAddRotation(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.allianceAction("rotation", w, r, v, func(ctx context.Context, a samrad.Alliance, f *form) (string, error) {
		rot := samrad.Rotation{AllianceID: a.ID, Duty: f.Get("duty")}
		org, err := s.formOrg(ctx, v, f, "org")
		if err != nil {
			return "", err
		}
		rot.Org, rot.From, rot.To = org, s.formDate(v, f, "from"), s.formDate(v, f, "to")
		if len(f.Errors) > 0 {
			return "", nil
		}
		if err := s.db.AddRotation(ctx, &rot); err != nil {
			return "", err
		}
		return Path(v.Lang, "alliance", a.Slug), nil
	})
}

// slugify makes a URL name from a Norwegian name: "Faggruppe for areal og
// transport" → "faggruppe-for-areal-og-transport".
func slugify(name string) string {
	r := strings.NewReplacer("æ", "ae", "ø", "o", "å", "a", "é", "e", "ü", "u", "ö", "o", "ä", "a")
	var b strings.Builder
	dash := false
	for _, c := range r.Replace(strings.ToLower(name)) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
