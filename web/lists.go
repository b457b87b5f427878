package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
)

// The tables of the list pages' downloads (see download.go). Each reads
// what its page reads, with the same checks, so a download shows exactly
// the rows and columns the page shows the same user.

// downloadRoutes registers the CSV and Excel downloads of every list.
func (s *Server) downloadRoutes(handle func(string, handlerFunc)) {
	s.download(handle, "orgs", s.orgsTable)
	s.download(handle, "body", s.seatsTable)
	s.download(handle, "meetings", s.meetingsTable)
	s.download(handle, "cases", s.casesTable)
	s.download(handle, "documents", s.documentsTable)
	s.download(handle, "audit", s.auditTable)
	s.download(handle, "news", s.newsTable)
	s.download(handle, "events", s.eventsTable)
	s.download(handle, "participants", s.participantsTable)
	s.download(handle, "programme", s.measuresTable)
	s.download(handle, "budget", s.budgetTable)
	s.download(handle, "inputs", s.inputsTable)
	s.download(handle, "goals", s.goalsTable)
	s.download(handle, "net_list", s.networksTable)
	s.download(handle, "rec_list", s.recurringTable)
	s.download(handle, "proj_list", s.projectsTable)
	s.download(handle, "agr_list", s.agreementsTable)
	s.download(handle, "svc_list", s.servicesTable)
	s.download(handle, "fund_list", s.fundingTable)
	s.download(handle, "fund_applications", s.applicationsTable)
	s.download(handle, "ind_page", s.figuresTable)
	s.download(handle, "svc_requests", s.requestsTable)
	// The members' and the fee table's CSV files are the formats the
	// secretariat imports and keeps (memberfile, feefile), so they stay
	// as they are; their Excel files have the translated table.
	s.downloadXLSX(handle, "members", s.handleMembersCSV, s.membersTable)
	s.downloadXLSX(handle, "fees", s.handleFeesCSV, s.feesTable)
}

// headers translates column headings.
func (s *Server) headers(lang string, keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = s.cat.T(lang, k)
	}
	return out
}

// listFile is a download's file name: the alliance's slug and the list's
// name in the language.
func (s *Server) listFile(lang string, a samrad.Alliance, key string, more ...string) string {
	return strings.Join(append([]string{a.Slug, s.cat.T(lang, key)}, more...), "-")
}

// orDate is a date cell, nil for the zero date.
func orDate(d samrad.Date) any {
	if d.IsZero() {
		return nil
	}
	return d
}

// orMoney is an amount cell, nil when it is not known.
func orMoney(m *samrad.Money) any {
	if m == nil {
		return nil
	}
	return *m
}

// orInt is a count cell, nil for 0 (not known).
func orInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func (s *Server) membersTable(r *http.Request, v *view) (table, error) {
	d, err := s.members(r, v)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	t := table{File: s.listFile(l, d.Alliance, "dl_members", d.Date.String()), Sheet: s.cat.T(l, "members_title"),
		Header: s.headers(l, "code", "name", "kind", "dl_member_since", "dl_member_until", "status")}
	for _, m := range d.Members {
		t.Rows = append(t.Rows, []any{m.Org.Code, m.Org.Name(l), s.cat.T(l, "kind_"+string(m.Org.Kind)),
			m.Since.FormatAs(m.SincePrecision), orDate(m.Until), s.cat.T(l, "status_"+string(m.Status))})
	}
	return t, nil
}

func (s *Server) feesTable(r *http.Request, v *view) (table, error) {
	d, err := s.fees(r, v)
	if err != nil {
		return table{}, err
	}
	if d.Table == nil {
		return table{}, samrad.Errorf(samrad.EINVALID, "%s", d.Error)
	}
	l := v.Lang
	t := table{File: s.listFile(l, d.Alliance, "dl_fees", strconv.Itoa(d.Year)), Sheet: s.cat.T(l, "fees_title"),
		Header: s.headers(l, "code", "name", "dl_fee_category", "dl_population", "dl_population_date", "dl_fee_rate", "dl_fee_multiplier", "dl_fee")}
	for _, x := range d.Table.Lines {
		var pop, popDate any
		if x.Flat == 0 {
			pop, popDate = x.Population.Persons, orDate(x.Population.Date)
		}
		t.Rows = append(t.Rows, []any{x.Membership.Org.Code, x.Membership.Org.Name(l), x.Category, pop, popDate,
			x.Rate, float64(x.MultiplierPermille) / 1000, x.Fee})
	}
	return t, nil
}

func (s *Server) orgsTable(r *http.Request, v *view) (table, error) {
	d, err := s.orgsList(r, v)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	t := table{File: s.cat.T(l, "dl_orgs") + "-" + d.Date.String(), Sheet: s.cat.T(l, "registry_title"),
		Header: s.headers(l, "code", "name", "kind", "dl_valid_from", "dl_valid_to")}
	for _, o := range d.Orgs {
		code := ""
		if o.Kind.Official() {
			code = o.Code
		}
		t.Rows = append(t.Rows, []any{code, o.Name(l), s.cat.T(l, "kind_"+string(o.Kind)), orDate(o.ValidFrom), orDate(o.ValidTo)})
	}
	return t, nil
}

// seatsTable is a body's seats: the people, their roles and whom they
// represent; never their contact details.
func (s *Server) seatsTable(r *http.Request, v *view) (table, error) {
	a, b, err := s.allianceBody(r)
	if err != nil {
		return table{}, err
	}
	seats, err := s.db.Seats(r.Context(), b.ID)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	t := table{File: s.listFile(l, a, "dl_seats", b.Slug), Sheet: b.Name(l),
		Header: s.headers(l, "name", "dl_person_title", "dl_seat_role", "dl_represents", "dl_from", "dl_to")}
	for _, x := range seats {
		from := orDate(x.From)
		if x.From.IsZero() {
			from = orDate(x.AttestedOn)
		}
		t.Rows = append(t.Rows, []any{x.Person.Name, x.Person.Title, s.cat.T(l, "seat_"+string(x.Role)), x.Represents.Name(l), from, orDate(x.To)})
	}
	return t, nil
}

func (s *Server) meetingsTable(r *http.Request, v *view) (table, error) {
	d, err := s.meetingsList(r, v)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	header := []string{"dl_body", "meeting", "dl_starts", "dl_ends", "place", "dl_address"}
	if d.CanSee {
		header = append(header, "status")
	}
	t := table{File: s.listFile(l, d.Alliance, "dl_meetings", strconv.Itoa(d.Year)), Sheet: s.cat.T(l, "meetings_title"), Header: s.headers(l, header...)}
	for _, m := range append(d.Upcoming[:len(d.Upcoming):len(d.Upcoming)], d.Past...) {
		var start, end any = m.Start, nil
		if !m.End.IsZero() {
			end = m.End
		}
		if m.DateOnly {
			start, end = samrad.DateIn(m.Start), nil
			if !m.End.IsZero() {
				end = samrad.DateIn(m.End)
			}
		}
		row := []any{m.Body.Name(l), m.Label(), start, end, m.Place, m.Address}
		if d.CanSee {
			row = append(row, s.cat.T(l, "meeting_"+string(m.Status)))
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

func (s *Server) casesTable(r *http.Request, v *view) (table, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return table{}, err
	}
	cases, err := s.db.Cases(r.Context(), a.ID)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	t := table{File: s.listFile(l, a, "dl_cases"), Sheet: s.cat.T(l, "cases_title"),
		Header: s.headers(l, "case_number", "title", "case_type", "withdrawn", "dl_link")}
	for _, c := range cases {
		t.Rows = append(t.Rows, []any{samrad.CaseNumber(a.CaseScheme, c.Number, c.Year), c.Title, s.cat.T(l, "case_"+string(c.Type)), c.Withdrawn,
			s.publicBase(r) + Path(l, "case", a.Slug, strconv.Itoa(c.Year), strconv.Itoa(c.Number))})
	}
	return t, nil
}

// documentsTable is the alliance's public documents, all of them (the page
// shows twenty at a time); exempt ones by title and legal ground only.
func (s *Server) documentsTable(r *http.Request, v *view) (table, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return table{}, err
	}
	page, err := s.db.PublicDocuments(r.Context(), a.ID, 0, 100000)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	t := table{File: s.listFile(l, a, "dl_documents"), Sheet: s.cat.T(l, "documents_title"),
		Header: s.headers(l, "title", "dl_belongs_to", "date", "file", "dl_exempt_ground", "dl_link")}
	for _, d := range page.Documents {
		var of, when, link string
		if d.Meeting.ID != 0 {
			of, when = s.cat.T(l, "meeting_title", d.Body(l), d.Meeting.Label()), d.Meeting.When()
		} else {
			of = s.cat.T(l, "case_title", samrad.CaseNumber(a.CaseScheme, d.Case.Number, d.Case.Year), d.Case.Title)
		}
		file := d.Filename
		if d.Exempt {
			file = ""
		} else {
			link = s.publicBase(r) + Path(l, "document", a.Slug, strconv.FormatInt(d.ID, 10))
		}
		t.Rows = append(t.Rows, []any{d.Title, of, when, file, d.LegalGround, link})
	}
	return t, nil
}

// auditTable is the audit log for the alliance's administrators, the
// same entries as the page.
func (s *Server) auditTable(r *http.Request, v *view) (table, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return table{}, err
	}
	if err := s.requireRole(v, a, samrad.RoleAdministrator); err != nil {
		return table{}, err
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	entries, err := s.db.AuditLog(r.Context(), a.ID, before, 100)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	t := table{File: s.listFile(l, a, "dl_audit"), Sheet: s.cat.T(l, "audit_short"), NoStore: true,
		Header: s.headers(l, "time", "actor", "action", "dl_entity", "dl_entity_id", "before", "after")}
	for _, e := range entries {
		t.Rows = append(t.Rows, []any{e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After})
	}
	return t, nil
}

// newsTable is the published news, newest first; the secretariat's also
// has the drafts and scheduled articles, as its page does.
func (s *Server) newsTable(r *http.Request, v *view) (table, error) {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return table{}, err
	}
	now := time.Now()
	canEdit := v.User.Can(a.ID, samrad.RoleSecretariat)
	var articles []samrad.Article
	if canEdit {
		if articles, err = s.db.AllArticles(ctx, a.ID); err != nil {
			return table{}, err
		}
	} else {
		for offset := 0; ; offset += 200 {
			np, err := s.db.NewsPage(ctx, a.ID, now, offset, 200)
			if err != nil {
				return table{}, err
			}
			v.until = np.NextPublish
			articles = append(articles, np.Articles...)
			if len(np.Articles) < 200 || offset+200 >= np.Total {
				break
			}
		}
	}
	l := v.Lang
	header := []string{"title", "dl_summary", "dl_author", "dl_published", "dl_link"}
	if canEdit {
		header = append(header, "status")
	}
	t := table{File: s.listFile(l, a, "dl_news"), Sheet: s.cat.T(l, "news_title"), Header: s.headers(l, header...)}
	for _, x := range articles {
		var published any
		if !x.PublishAt.IsZero() {
			published = x.PublishAt
		}
		row := []any{x.Title(l).Text, x.Summary(l).Text, x.Author, published, s.publicBase(r) + s.articlePath(l, a, x)}
		if canEdit {
			status := "dl_article_published"
			switch {
			case x.PublishAt.IsZero():
				status = "dl_article_draft"
			case x.Scheduled(now):
				status = "dl_article_scheduled"
			}
			row = append(row, s.cat.T(l, status))
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// eventsTable is the alliance's events, the published ones for visitors.
func (s *Server) eventsTable(r *http.Request, v *view) (table, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return table{}, err
	}
	canEdit := v.User.Can(a.ID, samrad.RoleSecretariat)
	events, err := s.db.Events(r.Context(), a.ID, canEdit)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	header := []string{"title", "dl_first_day", "dl_last_day", "dl_venue", "dl_address", "dl_link"}
	if canEdit {
		header = append(header, "dl_published")
	}
	t := table{File: s.listFile(l, a, "dl_events"), Sheet: s.cat.T(l, "events_title"), Header: s.headers(l, header...)}
	for _, e := range events {
		row := []any{e.Title(l), orDate(e.FirstDay()), orDate(e.LastDay()), e.Venue, e.Address, s.publicBase(r) + Path(l, "event", a.Slug, e.Slug)}
		if canEdit {
			row = append(row, e.Published)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// participantsTable is an event's participant list, for the secretariat.
func (s *Server) participantsTable(r *http.Request, v *view) (table, error) {
	data, err := s.participants(r, v)
	if err != nil {
		return table{}, err
	}
	header, rows := s.participantRows(v.Lang, data)
	return table{File: data.Event.Slug + "-participants", Sheet: s.cat.T(v.Lang, "participants"), Header: header, Rows: rows, NoStore: true}, nil
}

// measuresTable is an action programme's measures with their status and
// latest progress.
func (s *Server) measuresTable(r *http.Request, v *view) (table, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return table{}, err
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return table{}, s.notFound(v)
	}
	p, err := s.db.Programme(r.Context(), a.ID, year)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	t := table{File: s.listFile(l, a, "dl_measures", strconv.Itoa(year)), Sheet: s.cat.T(l, "programme_title", year),
		Header: s.headers(l, "dl_measure", "title", "dl_section", "timeframe", "responsibility", "partners", "status", "dl_last_progress_date", "dl_last_progress", "dl_measure_cases")}
	for _, sec := range p.Sections {
		for _, m := range sec.Measures {
			var noteOn, note any
			if n := m.LastNote(); n != nil {
				noteOn, note = orDate(n.On), n.Text
			}
			var cases []string
			for _, c := range m.Cases {
				cases = append(cases, samrad.CaseNumber(a.CaseScheme, c.Number, c.Year))
			}
			t.Rows = append(t.Rows, []any{m.Label(), m.Title, strconv.Itoa(sec.Number) + ". " + sec.Title, m.Timeframe.Text, m.Responsible,
				strings.Join(m.Partners, ", "), s.cat.T(l, "measure_"+string(m.Status)), noteOn, note, strings.Join(cases, ", ")})
		}
	}
	return t, nil
}

// budgetTable is a year's budget lines against the accounts, income first.
func (s *Server) budgetTable(r *http.Request, v *view) (table, error) {
	a, year, err := s.budgetYear(r, v)
	if err != nil {
		return table{}, err
	}
	st, err := s.db.BudgetStatement(r.Context(), a.ID, year)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	t := table{File: s.listFile(l, a, "dl_budget", strconv.Itoa(year)), Sheet: s.cat.T(l, "budget_title", year),
		Header: s.headers(l, "dl_group", "account", "budget_item", "budget_amount", "actual_amount", "deviation")}
	for _, g := range []struct {
		key  string
		rows []samrad.BudgetRow
	}{{"budget_income", st.Income}, {"budget_costs", st.Costs}} {
		for _, x := range g.rows {
			var actual, diff any
			if st.HasActuals {
				actual, diff = x.Actual, x.Diff
			}
			t.Rows = append(t.Rows, []any{s.cat.T(l, g.key), x.Line.Account, x.Line.Title, x.Budget, actual, diff})
		}
	}
	return t, nil
}

// inputsTable is the members' input to a year's programme, for the
// alliance's people.
func (s *Server) inputsTable(r *http.Request, v *view) (table, error) {
	a, year, err := s.budgetYear(r, v)
	if err != nil {
		return table{}, err
	}
	if !v.User.Can(a.ID, samrad.RoleReader) {
		return table{}, s.notFound(v)
	}
	inputs, err := s.db.Inputs(r.Context(), a.ID, year)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	t := table{File: s.listFile(l, a, "dl_inputs", strconv.Itoa(year)), Sheet: s.cat.T(l, "input_title", year), NoStore: true,
		Header: s.headers(l, "member", "title", "dl_text", "dl_submitted_by", "dl_submitted_at", "input_tags", "dl_response")}
	for _, in := range inputs {
		t.Rows = append(t.Rows, []any{in.Org.Name(l), in.Title, in.Text, in.SubmittedBy, in.SubmittedAt, strings.Join(in.Tags, ", "), in.Response})
	}
	return t, nil
}

// goalsTable is the members' goals with what came of them each year.
func (s *Server) goalsTable(r *http.Request, v *view) (table, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return table{}, err
	}
	goals, err := s.db.MemberGoals(r.Context(), a.ID)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	t := table{File: s.listFile(l, a, "dl_goals"), Sheet: s.cat.T(l, "goals_title"),
		Header: s.headers(l, "member", "dl_number", "dl_goal", "goal_from_year", "goal_to_year", "source", "dl_reports")}
	for _, g := range goals {
		var reports []string
		for y := g.FromYear; y <= max(g.ToYear, samrad.Today().Year()); y++ {
			if text, ok := g.Reports[y]; ok {
				reports = append(reports, strconv.Itoa(y)+": "+text)
			}
		}
		t.Rows = append(t.Rows, []any{g.Org.Name(l), g.Position, g.Text, g.FromYear, orInt(g.ToYear), g.Source, strings.Join(reports, "\n")})
	}
	return t, nil
}

// networksTable is the networks the alliance runs and belongs to; the
// unpublished ones only for its people.
func (s *Server) networksTable(r *http.Request, v *view) (table, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return table{}, err
	}
	member := isMember(v, a)
	list, err := s.db.Networks(r.Context(), a.ID, member)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	header := []string{"name", "kind", "net_organiser", "net_rhythm", "dl_link"}
	if member {
		header = append(header, "dl_published")
	}
	t := table{File: s.listFile(l, a, "dl_networks"), Sheet: s.cat.T(l, "net_title"), Header: s.headers(l, header...)}
	for _, n := range list {
		row := []any{n.Name(l), s.cat.T(l, "net_kind_"+string(n.Kind)), n.Organiser.Name(l), n.Rhythm(l), s.publicBase(r) + Path(l, "net_page", a.Slug, n.Slug)}
		if member {
			row = append(row, n.Published)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// recurringTable is the recurring programmes with their totals.
func (s *Server) recurringTable(r *http.Request, v *view) (table, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return table{}, err
	}
	member := isMember(v, a)
	list, err := s.db.RecurringProgrammes(r.Context(), a.ID, member)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	header := []string{"name", "kind", "dl_first_year", "dl_totals", "dl_link"}
	if member {
		header = append(header, "dl_published")
	}
	t := table{File: s.listFile(l, a, "dl_recurring"), Sheet: s.cat.T(l, "rec_title"), Header: s.headers(l, header...)}
	for _, p := range list {
		var totals []string
		for _, x := range p.Totals {
			span := strconv.Itoa(x.FirstYear)
			if x.LastYear != x.FirstYear {
				span += "–" + strconv.Itoa(x.LastYear)
			}
			totals = append(totals, span+": "+strconv.FormatInt(int64(x.Value), 10)+" "+s.cat.T(l, "rec_measure_"+string(x.Measure)))
		}
		row := []any{p.Name(l), s.cat.T(l, "rec_kind_"+string(p.Kind)), orInt(p.FirstYear), strings.Join(totals, "; "), s.publicBase(r) + Path(l, "rec_page", a.Slug, p.Slug)}
		if member {
			row = append(row, p.Published)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// projectsTable is the project portfolio with the page's filters.
func (s *Server) projectsTable(r *http.Request, v *view) (table, error) {
	data, err := s.portfolio(r, v)
	if err != nil {
		return table{}, err
	}
	header, rows := s.portfolioTable(v.Lang, data)
	name := data.Alliance.Slug + "-projects"
	if data.Query.Network != "" {
		name += "-" + data.Query.Network
	}
	return table{File: name, Sheet: s.cat.T(v.Lang, "proj_title"), Header: header, Rows: rows}, nil
}

// agreementsTable is the agreements, the unpublished ones only for the
// secretariat.
func (s *Server) agreementsTable(r *http.Request, v *view) (table, error) {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return table{}, err
	}
	canEdit := v.User.Can(a.ID, samrad.RoleSecretariat)
	list, err := s.db.Agreements(ctx, a.ID, canEdit)
	if err != nil {
		return table{}, err
	}
	nets, err := s.db.NetworkRefs(ctx, a.ID)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	header := []string{"title", "kind", "status", "dl_signed", "dl_starts", "dl_ends", "agr_parties", "dl_network", "dl_link"}
	if canEdit {
		header = append(header, "dl_published")
	}
	t := table{File: s.listFile(l, a, "dl_agreements"), Sheet: s.cat.T(l, "agr_title"), Header: s.headers(l, header...)}
	for _, x := range list {
		av := s.agreementView(l, x, nets)
		var parties []string
		for _, p := range x.Parties {
			parties = append(parties, p.Org.Name(l))
		}
		status := ""
		if av.Status != "" {
			status = s.cat.T(l, av.Status)
		}
		row := []any{x.Title(l).Text, s.cat.T(l, "agr_kind_"+string(x.Kind)), status, av.Signed, orDate(x.Starts), orDate(x.Ends),
			strings.Join(parties, ", "), av.Network, s.publicBase(r) + Path(l, "agr_page", a.Slug, x.Slug)}
		if canEdit {
			row = append(row, x.Published)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// servicesTable is the service catalogue; the inactive services only for
// the secretariat.
func (s *Server) servicesTable(r *http.Request, v *view) (table, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return table{}, err
	}
	canEdit := v.User.Can(a.ID, samrad.RoleSecretariat)
	list, err := s.db.Services(r.Context(), a.ID, canEdit)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	header := []string{"dl_number", "name", "dl_description"}
	if canEdit {
		header = append(header, "dl_active")
	}
	t := table{File: s.listFile(l, a, "dl_services"), Sheet: s.cat.T(l, "svc_title"), Header: s.headers(l, header...)}
	for _, x := range list {
		row := []any{x.Position, x.Name(l).Text, x.Description(l).Text}
		if canEdit {
			row = append(row, x.Active)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// fundingTable is the funding programmes the alliance follows, one row
// for each open call (or the programme alone when none is open).
func (s *Server) fundingTable(r *http.Request, v *view) (table, error) {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return table{}, err
	}
	programmes, err := s.db.FundingProgrammes(ctx, a.ID)
	if err != nil {
		return table{}, err
	}
	open, err := s.db.OpenCalls(ctx, a.ID, time.Now())
	if err != nil {
		return table{}, err
	}
	if len(open) > 0 {
		v.until = open[0].Deadline
	}
	calls := map[int64][]samrad.FundingCall{}
	for _, c := range open {
		calls[c.ProgrammeID] = append(calls[c.ProgrammeID], c)
	}
	l := v.Lang
	t := table{File: s.listFile(l, a, "dl_funding"), Sheet: s.cat.T(l, "fund_title"),
		Header: s.headers(l, "dl_programme", "dl_funder", "kind", "dl_call", "dl_opens", "dl_deadline", "dl_call_budget", "dl_link")}
	for _, p := range programmes {
		kind := s.cat.T(l, "fund_kind_"+string(p.Kind))
		if len(calls[p.ID]) == 0 {
			t.Rows = append(t.Rows, []any{p.Name(l), p.Funder, kind, nil, nil, nil, nil, p.Website})
		}
		for _, c := range calls[p.ID] {
			var deadline any
			if !c.Deadline.IsZero() {
				deadline = c.Deadline
			}
			t.Rows = append(t.Rows, []any{p.Name(l), p.Funder, kind, c.Title, orDate(c.Opens), deadline, orMoney(c.Budget), c.URL})
		}
	}
	return t, nil
}

// applicationsTable is the alliance's funding applications, for its
// people.
func (s *Server) applicationsTable(r *http.Request, v *view) (table, error) {
	a, err := s.memberAlliance(r, v)
	if err != nil {
		return table{}, err
	}
	ctx := r.Context()
	pipeline, err := s.db.Pipeline(ctx, a.ID)
	if err != nil {
		return table{}, err
	}
	names, _, err := s.fundNamesAndChoices(ctx, v.Lang, a.ID)
	if err != nil {
		return table{}, err
	}
	l := v.Lang
	t := table{File: s.listFile(l, a, "dl_applications"), Sheet: s.cat.T(l, "fund_applications_title"), NoStore: true,
		Header: s.headers(l, "title", "status", "dl_programme", "dl_call", "dl_applicant", "dl_project", "dl_deadline", "dl_sought", "dl_granted", "dl_submitted_on", "dl_decided_on")}
	for _, col := range pipeline {
		for _, x := range col.Applications {
			var deadline any
			if d := x.DeadlineDay(); !d.IsZero() {
				deadline = d
			}
			call := ""
			if x.CallID != 0 {
				call = names.Call(x.CallID).Title
			}
			project := ""
			if x.ProjectID != 0 {
				project = names.Project(x.ProjectID)
			}
			t.Rows = append(t.Rows, []any{x.Title, s.cat.T(l, "fund_status_"+string(x.Status)), names.Programme(x.ProgrammeID).Name(l), call,
				names.Org(x.ApplicantOrgID), project, deadline, orMoney(x.AmountSought), orMoney(x.AmountGranted), orDate(x.SubmittedOn), orDate(x.DecidedOn)})
		}
	}
	return t, nil
}

// figuresTable is an indicator's figures as the comparison shows them.
func (s *Server) figuresTable(r *http.Request, v *view) (table, error) {
	d, err := s.comparison(r, v)
	if err != nil {
		return table{}, err
	}
	header, rows := s.indicatorTable(v.Lang, d)
	places := d.Indicator.Decimals
	return table{File: d.Alliance.Slug + "-" + d.Indicator.Slug, Sheet: d.Indicator.Slug, Header: header, Rows: rows, NoStore: d.Indicator.MembersOnly,
		Decimals: func(f float64) string { return strconv.FormatFloat(f, 'f', places, 64) }}, nil
}
