package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// sitePaths are the pages of an alliance's public website besides its home
// page: about (purpose, bodies and their people, secretariat, offices),
// its public documents, and how to reach it.
var sitePaths = map[string][2]string{
	"about":     {"/allianser/{slug}/om", "/en/alliances/{slug}/about"},
	"documents": {"/allianser/{slug}/dokumenter", "/en/alliances/{slug}/documents"},
	"contact":   {"/allianser/{slug}/kontakt", "/en/alliances/{slug}/contact"},
}

// siteRoutes registers the pages of this area.
func (s *Server) siteRoutes(handle, _ func(name string, h handlerFunc)) {
	handle("about", s.handleAbout)
	handle("documents", s.handleDocuments)
	handle("contact", s.handleContact)
}

// How many of each the home page shows, and documents per page.
const (
	homeNews      = 3
	homeMeetings  = 3
	homeEvents    = 3
	documentsPage = 20
)

// allianceHome is what an alliance's home page shows a visitor: the latest
// news, the next public meetings and events, and key figures.
type allianceHome struct {
	News     []articleView
	Meetings []store.AllianceMeeting
	Events   []samrad.Event
	// Inhabitants of the member municipalities on PopulationDate (SSB);
	// Uncounted member municipalities have no figure.
	Inhabitants    int64
	PopulationDate samrad.Date
	Municipalities int
	Uncounted      int
}

// home reads the home page's news, calendar and figures; until is when the
// calendar next changes without any change of data (the next midnight).
func (s *Server) home(ctx context.Context, v *view, a samrad.Alliance, members []samrad.Membership) (allianceHome, error) {
	var h allianceHome
	now := time.Now()
	np, err := s.db.NewsPage(ctx, a.ID, now, 0, homeNews)
	if err != nil {
		return h, err
	}
	for _, x := range np.Articles {
		h.News = append(h.News, s.articleView(v.Lang, a, x))
	}
	today := samrad.Today()
	meetings, err := s.db.AllianceMeetings(ctx, a.ID) // newest first
	if err != nil {
		return h, err
	}
	for i := len(meetings) - 1; i >= 0 && len(h.Meetings) < homeMeetings; i-- {
		m := meetings[i]
		if m.Public() && !meetingLastDay(m.Meeting).Before(today) {
			h.Meetings = append(h.Meetings, m)
		}
	}
	events, err := s.db.Events(ctx, a.ID, false) // newest first
	if err != nil {
		return h, err
	}
	for i := len(events) - 1; i >= 0 && len(h.Events) < homeEvents; i-- {
		if e := events[i]; !e.LastDay().Before(today) {
			h.Events = append(h.Events, e)
		}
	}
	if err := s.inhabitants(ctx, &h, members, today); err != nil {
		return h, err
	}
	v.until = midnightAfter(now)
	if !np.NextPublish.IsZero() && np.NextPublish.Before(v.until) {
		v.until = np.NextPublish
	}
	return h, nil
}

// inhabitants sums the population of the member municipalities on the
// latest population date up to today. Counties are left out: their
// inhabitants live in municipalities, many of them members too.
func (s *Server) inhabitants(ctx context.Context, h *allianceHome, members []samrad.Membership, today samrad.Date) error {
	dates, err := s.db.PopulationDates(ctx)
	if err != nil {
		return err
	}
	for _, d := range dates {
		if !d.After(today) && d.After(h.PopulationDate) {
			h.PopulationDate = d
		}
	}
	if h.PopulationDate.IsZero() {
		return nil
	}
	figures, err := s.db.Figures(ctx, h.PopulationDate)
	if err != nil {
		return err
	}
	reg, err := s.db.Registry(ctx)
	if err != nil {
		return err
	}
	for _, m := range members {
		if m.Org.Kind != samrad.KindMunicipality || m.Status != samrad.StatusConfirmed || !m.ActiveOn(today) {
			continue
		}
		h.Municipalities++
		p, err := reg.Population(m.Org, h.PopulationDate, figures)
		if err != nil {
			h.Uncounted++
			continue
		}
		h.Inhabitants += p.Persons
	}
	return nil
}

// meetingLastDay is the day a meeting ends (or starts, without an end), in
// Oslo; a date-only meeting's times are dates already.
func meetingLastDay(m samrad.Meeting) samrad.Date {
	t := m.Start
	if !m.End.IsZero() {
		t = m.End
	}
	if !m.DateOnly {
		t = t.In(samrad.Oslo())
	}
	return samrad.NewDate(t.Year(), t.Month(), t.Day())
}

// midnightAfter is the start of the next day in Oslo.
func midnightAfter(t time.Time) time.Time {
	y, m, d := t.In(samrad.Oslo()).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, samrad.Oslo())
}

// bodySeats is a body with the seats held today.
type bodySeats struct {
	samrad.Body
	Seats []samrad.Seat
}

// handleAbout shows what the alliance is for, its bodies with the people in
// them (the secretariat among them), and its offices and contacts.
func (s *Server) handleAbout(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	bodies, err := s.db.Bodies(ctx, a.ID)
	if err != nil {
		return err
	}
	seats, err := s.db.AllianceSeats(ctx, a.ID)
	if err != nil {
		return err
	}
	today := samrad.Today()
	data := struct {
		Alliance    samrad.Alliance
		Bodies      []bodySeats
		Secretariat []bodySeats
		Contacts    contactBlock
	}{Alliance: a}
	for _, b := range bodies {
		bv := bodySeats{Body: b}
		for _, st := range seats[b.ID] {
			if st.To.IsZero() || !today.After(st.To) {
				bv.Seats = append(bv.Seats, st)
			}
		}
		if b.Kind == samrad.BodySecretariat {
			data.Secretariat = append(data.Secretariat, bv)
		} else {
			data.Bodies = append(data.Bodies, bv)
		}
	}
	if data.Contacts, err = s.contacts(ctx, a); err != nil {
		return err
	}
	title := s.cat.T(v.Lang, "about_title", a.Name(v.Lang))
	v.Title, v.Nav, v.Data = title, "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "about_short"), "")
	s.render(w, http.StatusOK, "about", v)
	return nil
}

// handleDocuments lists the alliance's public documents, newest first, a
// page at a time.
func (s *Server) handleDocuments(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	page := 1
	if x := v.param("page"); x != "" {
		if page, err = strconv.Atoi(x); err != nil || page < 1 || page > samrad.MaxSearchPage {
			return samrad.Errorf(samrad.EINVALID, "%s", s.cat.T(v.Lang, "search_bad_page", x, samrad.MaxSearchPage))
		}
	}
	dp, err := s.db.PublicDocuments(ctx, a.ID, (page-1)*documentsPage, documentsPage)
	if err != nil {
		return err
	}
	if page > 1 && len(dp.Documents) == 0 {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	data := struct {
		Alliance   samrad.Alliance
		Documents  []store.PublicDocument
		Total      int
		First      int
		Last       int
		Prev, Next string
	}{Alliance: a, Documents: dp.Documents, Total: dp.Total, First: (page-1)*documentsPage + 1}
	data.Last = data.First + len(dp.Documents) - 1
	pageURL := func(n int) string {
		return Path(v.Lang, "documents", a.Slug) + "?" + paramNames["page"][langIndex(v.Lang)] + "=" + strconv.Itoa(n)
	}
	if page > 1 {
		data.Prev = pageURL(page - 1)
	}
	if page*documentsPage < dp.Total {
		data.Next = pageURL(page + 1)
	}
	title := s.cat.T(v.Lang, "documents_title")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, http.StatusOK, "documents", v)
	return nil
}

// handleContact shows how to reach the alliance: its contacts and offices.
func (s *Server) handleContact(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	data := struct {
		Alliance samrad.Alliance
		Contacts contactBlock
	}{Alliance: a}
	if data.Contacts, err = s.contacts(ctx, a); err != nil {
		return err
	}
	title := s.cat.T(v.Lang, "contact_page")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, http.StatusOK, "contact", v)
	return nil
}
