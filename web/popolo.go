package web

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/popolo"
)

// handlePopolo serves an alliance's people, bodies, seats, the members they
// represent, and the votes of meetings whose minutes are published, as one
// Popolo JSON document. Names are public record; e-mail addresses are not
// published.
func (s *Server) handlePopolo(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	lang := v.Lang
	other := map[string]string{"nb": "en", "en": "nb"}[lang]
	base := s.publicBase(r)
	allianceID := "alliance/" + a.Slug
	x := popolo.Export{Persons: []popolo.Person{}, Organizations: []popolo.Organization{}, Memberships: []popolo.Membership{},
		Posts: []popolo.Post{}, Motions: []popolo.Motion{}, VoteEvents: []popolo.VoteEvent{}}
	org := popolo.Organization{ID: allianceID, Name: a.Name(lang), Classification: string(a.Kind),
		Links: []popolo.Link{{URL: base + Path(lang, "alliance", a.Slug)}}}
	if a.Name(other) != org.Name {
		org.OtherNames = []popolo.OtherName{{Name: a.Name(other), Note: other}}
	}
	if !a.Founded.IsZero() && a.FoundedPrecision != samrad.PrecisionUnknown {
		org.FoundingDate = a.Founded.String() // Popolo's partial dates: 1992, 2014-05, 2016-01-01
		switch a.FoundedPrecision {
		case samrad.PrecisionYear:
			org.FoundingDate = org.FoundingDate[:4]
		case samrad.PrecisionMonth:
			org.FoundingDate = org.FoundingDate[:7]
		}
	}
	x.Organizations = append(x.Organizations, org)

	people := map[int64]bool{}
	members := map[int64]samrad.Organisation{}
	addPerson := func(p samrad.Person) string {
		id := "person/" + strconv.FormatInt(p.ID, 10)
		if !people[p.ID] {
			people[p.ID] = true
			x.Persons = append(x.Persons, popolo.Person{ID: id, Name: p.Name})
		}
		return id
	}
	memberID := func(o samrad.Organisation) string {
		members[o.ID] = o
		return "organisation/" + strconv.FormatInt(o.ID, 10)
	}
	bodies, err := s.db.Bodies(ctx, a.ID)
	if err != nil {
		return err
	}
	bodyName := map[int64]string{}
	for _, b := range bodies {
		bid := "body/" + strconv.FormatInt(b.ID, 10)
		bodyName[b.ID] = b.Name(lang)
		o := popolo.Organization{ID: bid, Name: b.Name(lang), Classification: s.cat.T(lang, "body_"+string(b.Kind)), ParentID: allianceID,
			Links: []popolo.Link{{URL: base + Path(lang, "body", a.Slug, b.Slug)}}}
		if b.ParentID != 0 {
			o.ParentID = "body/" + strconv.FormatInt(b.ParentID, 10)
		}
		if b.Name(other) != o.Name {
			o.OtherNames = []popolo.OtherName{{Name: b.Name(other), Note: other}}
		}
		x.Organizations = append(x.Organizations, o)
		seats, err := s.db.Seats(ctx, b.ID)
		if err != nil {
			return err
		}
		posts := map[samrad.SeatRole]string{}
		for _, st := range seats {
			m := popolo.Membership{ID: "seat/" + strconv.FormatInt(st.ID, 10), Role: s.cat.T(lang, "seat_"+string(st.Role)),
				PersonID: addPerson(st.Person), OrganizationID: bid}
			if st.Role == samrad.RoleChair || st.Role == samrad.RoleDeputyChair {
				pid, ok := posts[st.Role]
				if !ok {
					pid = bid + "/" + string(st.Role)
					posts[st.Role] = pid
					x.Posts = append(x.Posts, popolo.Post{ID: pid, Label: s.cat.T(lang, "seat_"+string(st.Role)) + ", " + b.Name(lang),
						Role: s.cat.T(lang, "seat_"+string(st.Role)), OrganizationID: bid})
				}
				m.PostID = pid
			}
			if st.Represents.ID != 0 {
				m.OnBehalfOfID = memberID(st.Represents)
			}
			if !st.From.IsZero() {
				m.StartDate = st.From.String()
			}
			if !st.To.IsZero() {
				m.EndDate = st.To.String()
			}
			x.Memberships = append(x.Memberships, m)
		}
	}

	cases, err := s.db.Cases(ctx, a.ID)
	if err != nil {
		return err
	}
	caseByID := map[int64]samrad.Case{}
	for _, c := range cases {
		caseByID[c.ID] = c
	}
	meetings, err := s.db.AllianceMeetings(ctx, a.ID)
	if err != nil {
		return err
	}
	published, err := s.db.PublishedVotes(ctx, a.ID)
	if err != nil {
		return err
	}
	byMeeting := map[int64][]samrad.Vote{}
	for _, vt := range published {
		byMeeting[vt.MeetingID] = append(byMeeting[vt.MeetingID], vt)
	}
	motions := map[int64]int{}                // case → index in x.Motions
	for i := len(meetings) - 1; i >= 0; i-- { // oldest first
		m := meetings[i]
		votes := byMeeting[m.ID]
		if len(votes) == 0 {
			continue
		}
		byCase := map[int64][]samrad.Vote{}
		var order []int64
		for _, vt := range votes {
			if _, ok := byCase[vt.CaseID]; !ok {
				order = append(order, vt.CaseID)
			}
			byCase[vt.CaseID] = append(byCase[vt.CaseID], vt)
		}
		for _, cid := range order {
			c := caseByID[cid]
			vs := byCase[cid]
			res := samrad.Tally(vs)
			result := "fail"
			if res.Adopted {
				result = "pass"
			}
			mi, ok := motions[cid]
			if !ok {
				label := samrad.CaseNumber(a.CaseScheme, c.Number, c.Year)
				text := c.ProposedDecision
				if text == "" {
					text = c.Title
				}
				mi = len(x.Motions)
				motions[cid] = mi
				x.Motions = append(x.Motions, popolo.Motion{ID: "case/" + strconv.FormatInt(c.ID, 10), OrganizationID: "body/" + strconv.FormatInt(m.BodyID, 10),
					Identifier: label, Text: text, Classification: s.cat.T(lang, "case_"+string(c.Type)),
					Date: m.Start.In(samrad.Oslo()).Format(time.RFC3339)})
			}
			x.Motions[mi].Result = result
			eid := "meeting/" + strconv.FormatInt(m.ID, 10) + "/case/" + strconv.FormatInt(cid, 10)
			ev := popolo.VoteEvent{ID: eid, OrganizationID: "body/" + strconv.FormatInt(m.BodyID, 10), MotionID: x.Motions[mi].ID,
				StartDate: m.Start.In(samrad.Oslo()).Format(time.RFC3339), Result: result,
				Counts: []popolo.Count{{Option: popolo.OptionYes, Value: res.Yes}, {Option: popolo.OptionNo, Value: res.No}, {Option: popolo.OptionAbstain, Value: res.Abstain}}}
			for _, vt := range vs {
				option := string(vt.Choice)
				if vt.Conflict {
					option = popolo.OptionNotVoting
				}
				ev.Votes = append(ev.Votes, popolo.Vote{ID: "vote/" + strconv.FormatInt(vt.ID, 10), VoteEventID: eid, VoterID: addPerson(vt.Person),
					Option: option, GroupID: memberID(vt.Member), Weight: vt.Weight})
			}
			x.VoteEvents = append(x.VoteEvents, ev)
		}
	}
	for _, o := range sortedOrgs(members) {
		po := popolo.Organization{ID: "organisation/" + strconv.FormatInt(o.ID, 10), Name: o.Name(lang), Classification: string(o.Kind),
			Links: []popolo.Link{{URL: base + Path(lang, "org", o.Code)}}}
		switch o.Kind {
		case samrad.KindMunicipality:
			po.Identifiers = append(po.Identifiers, popolo.Identifier{Identifier: o.Code, Scheme: "kommunenummer"})
		case samrad.KindCounty:
			po.Identifiers = append(po.Identifiers, popolo.Identifier{Identifier: o.Code, Scheme: "fylkesnummer"})
		}
		if o.OrgNumber != "" {
			po.Identifiers = append(po.Identifiers, popolo.Identifier{Identifier: o.OrgNumber, Scheme: "organisasjonsnummer"})
		}
		if !o.ValidFrom.IsZero() {
			po.FoundingDate = o.ValidFrom.String()
		}
		if !o.ValidTo.IsZero() {
			po.DissolutionDate = o.ValidTo.String()
		}
		x.Organizations = append(x.Organizations, po)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(x)
}

// sortedOrgs lists organisations by id, so that the export is the same for
// the same data.
func sortedOrgs(m map[int64]samrad.Organisation) []samrad.Organisation {
	out := make([]samrad.Organisation, 0, len(m))
	for _, o := range m {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b samrad.Organisation) int { return cmp.Compare(a.ID, b.ID) })
	return out
}
