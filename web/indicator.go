package web

import (
	"context"
	"html"
	"html/template"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/chart"
	"github.com/samrad/samrad/refresh"
	"github.com/samrad/samrad/store"
)

// indicatorPaths are the routes of the steering-data portal. A member's
// profile lies under the members' pages, so that its path cannot be taken
// for an indicator's.
var indicatorPaths = map[string][2]string{
	"ind_list":   {"/allianser/{slug}/styringsdata", "/en/alliances/{slug}/indicators"},
	"ind_new":    {"/allianser/{slug}/styringsdata/ny", "/en/alliances/{slug}/indicators/new"},
	"ind_page":   {"/allianser/{slug}/styringsdata/{indicator}", "/en/alliances/{slug}/indicators/{indicator}"},
	"ind_edit":   {"/allianser/{slug}/styringsdata/{indicator}/endre", "/en/alliances/{slug}/indicators/{indicator}/edit"},
	"ind_upload": {"/allianser/{slug}/styringsdata/{indicator}/last-opp", "/en/alliances/{slug}/indicators/{indicator}/upload"},
	"ind_run":    {"/allianser/{slug}/styringsdata/{indicator}/hent", "/en/alliances/{slug}/indicators/{indicator}/fetch"},
	"ind_runs":   {"/allianser/{slug}/styringsdata/{indicator}/kjoringer", "/en/alliances/{slug}/indicators/{indicator}/runs"},
	"ind_member": {"/allianser/{slug}/medlemmer/{code}/styringsdata", "/en/alliances/{slug}/members/{code}/indicators"},
}

// indicatorRoutes registers the portal's pages and actions.
func (s *Server) indicatorRoutes(handle, post func(name string, h handlerFunc)) {
	handle("ind_list", s.handleIndicators)
	handle("ind_new", s.handleIndicatorNew)
	handle("ind_page", s.handleIndicator)
	handle("ind_edit", s.handleIndicatorEditForm)
	handle("ind_runs", s.handleIndicatorRuns)
	handle("ind_member", s.handleIndicatorMember)
	post("ind_new", s.handleIndicatorCreate)
	post("ind_edit", s.handleIndicatorUpdate)
	post("ind_upload", s.handleIndicatorUpload)
	post("ind_run", s.handleIndicatorRun)
}

// SetIndicatorRunner sets what fetches and uploads indicators' figures.
// Without one, uploads and the population are read with a runner that has
// no statbank client.
func (s *Server) SetIndicatorRunner(r *refresh.Runner) { s.runner = r }

// indParams are the comparison's query parameters, Norwegian and English.
var indParams = map[string][2]string{
	"period": {"periode", "period"},
	"member": {"medlem", "member"},
}

func indParamName(lang, name string) string {
	if lang == "en" {
		return indParams[name][1]
	}
	return indParams[name][0]
}

// indMember is a member in today's structure.
type indMember struct {
	Code, Name string
}

// indMembers are the alliance's members today, by name, one per code.
func (s *Server) indMembers(ctx context.Context, lang string, a samrad.Alliance) ([]indMember, error) {
	ms, err := s.db.MembersOn(ctx, a.ID, samrad.Today(), false)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []indMember
	for _, m := range ms {
		// Statistics are by municipality and county; other members
		// (institutions, companies) have no figures to compare.
		if m.Org.Kind != samrad.KindMunicipality && m.Org.Kind != samrad.KindCounty {
			continue
		}
		if m.Org.Code == "" || seen[m.Org.Code] {
			continue
		}
		seen[m.Org.Code] = true
		out = append(out, indMember{Code: m.Org.Code, Name: m.Org.Name(lang)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func indCodes(ms []indMember) []string {
	codes := make([]string, len(ms))
	for i, m := range ms {
		codes[i] = m.Code
	}
	return codes
}

// indicatorFor reads the alliance and the indicator the path names; one
// for members only needs a role in the alliance.
func (s *Server) indicatorFor(r *http.Request, v *view) (samrad.Alliance, samrad.Indicator, error) {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return a, samrad.Indicator{}, err
	}
	in, err := s.db.IndicatorBySlug(ctx, a.ID, r.PathValue("indicator"))
	if err != nil {
		return a, in, err
	}
	if in.MembersOnly {
		if err := s.requireRole(v, a, samrad.RoleReader); err != nil {
			return a, in, err
		}
	}
	return a, in, nil
}

// indSourceText names where the figures come from.
func (s *Server) indSourceText(lang string, in samrad.Indicator, p *store.Provenance) string {
	var parts []string
	parts = append(parts, s.cat.T(lang, "ind_source_"+string(in.Source)))
	if p == nil {
		return parts[0]
	}
	if p.Table != "" {
		parts = append(parts, s.cat.T(lang, "ind_table_n", p.Table))
	}
	if p.URL != "" {
		parts = append(parts, p.URL)
	}
	if p.File != "" {
		parts = append(parts, s.cat.T(lang, "ind_file_n", p.File))
	}
	if !p.FetchedAt.IsZero() {
		parts = append(parts, s.cat.T(lang, "ind_fetched_at", p.FetchedAt.In(samrad.Oslo()).Format("2006-01-02 15:04")))
	}
	if !p.FittedOn.IsZero() {
		parts = append(parts, s.cat.T(lang, "ind_fitted_on", p.FittedOn.String()))
	}
	return strings.Join(parts, "; ")
}

// indCellText is a figure as shown, or why there is none.
func (s *Server) indCellText(lang string, in samrad.Indicator, c store.ComparisonCell) (text string, missing bool) {
	switch {
	case c.OK:
		return chart.FormatNumber(c.Value, in.Decimals, lang), false
	case !c.Found:
		return s.cat.T(lang, "ind_no_figure"), true
	case c.Method == samrad.FitSplit:
		return s.cat.T(lang, "ind_split", c.Reason), true
	case c.Status != "":
		return s.cat.T(lang, "ind_status", c.Status), true
	}
	return s.cat.T(lang, "ind_no_ratio"), true
}

// indCell is a cell of the comparison's table.
type indCell struct {
	Text    string
	Missing bool
	Note    string // how it was fitted, e.g. summed from predecessors
}

// indRow is a member's row of the comparison's table.
type indRow struct {
	Code, Name, URL string
	Note            string // how every figure of the row was fitted
	Chosen          bool
	Cells           []indCell
}

// indProvenance is one run the figures come from, as shown.
type indProvenance struct {
	Source, Table, URL, File, Fetched, Fitted string
}

type indicatorData struct {
	Alliance  samrad.Alliance
	Indicator samrad.Indicator
	Members   []indMember
	Periods   []string
	Period    string // the bar chart's period
	Member    string // the chosen member's code
	Rows      []indRow
	Bars      template.HTML
	Lines     template.HTML
	Sources   []indProvenance
	Param     map[string]string
	CSVURL    string
	XLSXURL   string
	CanEdit   bool
	Cmp       store.Comparison
	Names     map[string]string
	TableRows template.HTML // the rows as HTML, written once in Go
	Options   template.HTML // the members as options of the highlight
}

// comparison reads the indicator's figures for the members and checks the
// query's period and member.
func (s *Server) comparison(r *http.Request, v *view) (indicatorData, error) {
	ctx := r.Context()
	var d indicatorData
	a, in, err := s.indicatorFor(r, v)
	if err != nil {
		return d, err
	}
	d = indicatorData{Alliance: a, Indicator: in, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat), Param: map[string]string{}, Names: map[string]string{}}
	for name := range indParams {
		d.Param[name] = indParamName(v.Lang, name)
	}
	if d.Members, err = s.indMembers(ctx, v.Lang, a); err != nil {
		return d, err
	}
	for _, m := range d.Members {
		d.Names[m.Code] = m.Name
	}
	if d.Cmp, err = s.db.Comparison(ctx, in.ID, indCodes(d.Members), "", ""); err != nil {
		return d, err
	}
	d.Periods = d.Cmp.Periods
	q := r.URL.Query()
	if p := strings.TrimSpace(q.Get(indParamName(v.Lang, "period"))); p != "" {
		if !slices.Contains(d.Periods, p) {
			return d, samrad.Errorf(samrad.EINVALID, "%s", s.cat.T(v.Lang, "ind_bad_period", p))
		}
		d.Period = p
	} else if len(d.Periods) > 0 {
		d.Period = d.Periods[len(d.Periods)-1]
	}
	if m := strings.TrimSpace(q.Get(indParamName(v.Lang, "member"))); m != "" {
		if _, ok := d.Names[m]; !ok {
			return d, samrad.Errorf(samrad.EINVALID, "%s", s.cat.T(v.Lang, "ind_bad_member", m))
		}
		d.Member = m
	}
	return d, nil
}

// indQuery writes the comparison's query in lang's parameter names.
func indQuery(lang, period, member string) string {
	vals := url.Values{}
	if period != "" {
		vals.Set(indParamName(lang, "period"), period)
	}
	if member != "" {
		vals.Set(indParamName(lang, "member"), member)
	}
	if len(vals) == 0 {
		return ""
	}
	return "?" + vals.Encode()
}

// indSwitch points the language switch at the same page and query.
func indSwitch(v *view, query func(lang string) string, args ...string) {
	if v.Switch == nil {
		return
	}
	u := Path(v.Switch.Lang, v.route, args...) + query(v.Switch.Lang)
	v.Switch.URL = u
	if len(v.Alternates) == 2 {
		v.Alternates[1].URL = u
	}
}

// handleIndicator compares the members on an indicator: a bar chart of a
// period, the trend as lines and the figures as a table with their sources.
func (s *Server) handleIndicator(w http.ResponseWriter, r *http.Request, v *view) error {
	d, err := s.comparison(r, v)
	if err != nil {
		return err
	}
	a, in := d.Alliance, d.Indicator
	if in.MembersOnly {
		w.Header().Set("Cache-Control", "no-store")
	}
	explicitPeriod := r.URL.Query().Get(indParamName(v.Lang, "period")) != ""
	indSwitch(v, func(lang string) string {
		p := ""
		if explicitPeriod {
			p = d.Period
		}
		return indQuery(lang, p, d.Member)
	}, a.Slug, in.Slug)
	pi := slices.Index(d.Periods, d.Period)
	bars := chart.Bars{ID: "ind-bars", Title: s.cat.T(v.Lang, "ind_bars_title", in.Name(v.Lang), d.Period),
		Desc: s.cat.T(v.Lang, "ind_chart_desc"), Series: []chart.Series{{Name: in.Unit}}}
	scale := math.Pow(10, float64(in.Decimals))
	lines := chart.Lines{ID: "ind-lines", Title: s.cat.T(v.Lang, "ind_lines_title", in.Name(v.Lang)), Description: s.cat.T(v.Lang, "ind_chart_desc"),
		Unit: in.Unit, Decimals: in.Decimals, Periods: d.Periods, Lang: v.Lang, FromZero: in.Measure == samrad.MeasureCount}
	for i, m := range d.Members {
		row := indRow{Code: m.Code, Name: m.Name, URL: Path(v.Lang, "ind_member", a.Slug, m.Code), Chosen: m.Code == d.Member}
		series := chart.LineSeries{Name: m.Name, Highlight: row.Chosen}
		for _, c := range d.Cmp.Cells[i] {
			text, missing := s.indCellText(v.Lang, in, c)
			cell := indCell{Text: text, Missing: missing}
			if c.Found && c.Method == samrad.FitSumPredecessors {
				cell.Note = s.cat.T(v.Lang, "ind_summed", strings.Join(c.Parts, ", "))
			}
			row.Cells = append(row.Cells, cell)
			if c.OK {
				series.Values = append(series.Values, chart.V(c.Value))
			} else {
				series.Values = append(series.Values, nil)
			}
		}
		// A note that holds for every figure of the row is said once, by
		// the member's name.
		note, same := "", true
		for k, c := range row.Cells {
			if k == 0 {
				note = c.Note
			} else if c.Note != note {
				same = false
			}
		}
		if same && note != "" {
			row.Note = note
			for k := range row.Cells {
				row.Cells[k].Note = ""
			}
		}
		d.Rows = append(d.Rows, row)
		lines.Series = append(lines.Series, series)
		if pi >= 0 {
			c := d.Cmp.Cells[i][pi]
			text, _ := s.indCellText(v.Lang, in, c)
			var val int64
			if c.OK {
				val = int64(math.Round(c.Value * scale))
			}
			bars.Rows = append(bars.Rows, chart.Row{Label: m.Name, Values: []int64{val}, Texts: []string{text}})
		}
	}
	if pi >= 0 {
		d.Bars = bars.SVG()
		lines.Periods, lines.Series = yearAxis(lines.Periods, lines.Series)
		d.Lines = lines.SVG()
	}
	for _, p := range d.Cmp.Runs {
		x := indProvenance{Source: s.cat.T(v.Lang, "ind_source_"+string(in.Source)), Table: p.Table, URL: p.URL, File: p.File, Fitted: p.FittedOn.String()}
		if !p.FetchedAt.IsZero() {
			x.Fetched = p.FetchedAt.In(samrad.Oslo()).Format("2006-01-02 15:04")
		}
		d.Sources = append(d.Sources, x)
	}
	d.TableRows = indTableRows(d.Rows, s.cat.T(v.Lang, "ind_chosen"))
	d.Options = indOptions(d.Members, d.Member)
	q := indQuery(v.Lang, "", d.Member)
	d.CSVURL, d.XLSXURL = Path(v.Lang, "ind_csv", a.Slug, in.Slug)+q, Path(v.Lang, "ind_xlsx", a.Slug, in.Slug)+q
	title := in.Name(v.Lang)
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", d
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "ind_title"), Path(v.Lang, "ind_list", a.Slug), title, "")
	s.render(w, http.StatusOK, "indicator", v)
	return nil
}

// indTableRows writes the comparison's table rows. With hundreds of
// members and ten periods, the template's escaping of each value cost more
// than the rest of the page; every value is escaped here once.
func indTableRows(rows []indRow, chosen string) template.HTML {
	var b strings.Builder
	esc := html.EscapeString
	for _, r := range rows {
		if r.Chosen {
			b.WriteString(`<tr class="highlight">`)
		} else {
			b.WriteString(`<tr>`)
		}
		b.WriteString(`<th scope="row"><a href="` + esc(r.URL) + `">` + esc(r.Name) + `</a> (` + esc(r.Code) + `)`)
		if r.Note != "" {
			b.WriteString(` <span class="muted">(` + esc(r.Note) + `)</span>`)
		}
		if r.Chosen {
			b.WriteString(` <span class="badge">` + esc(chosen) + `</span>`)
		}
		b.WriteString(`</th>`)
		for _, c := range r.Cells {
			b.WriteString(`<td>`)
			if c.Missing {
				b.WriteString(`<span class="muted">` + esc(c.Text) + `</span>`)
			} else {
				b.WriteString(esc(c.Text))
			}
			if c.Note != "" {
				b.WriteString(` <span class="muted">(` + esc(c.Note) + `)</span>`)
			}
			b.WriteString(`</td>`)
		}
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String())
}

// indOptions writes the members as options, the chosen one selected.
func indOptions(ms []indMember, chosen string) template.HTML {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(`<option value="` + html.EscapeString(m.Code) + `"`)
		if m.Code == chosen {
			b.WriteString(` selected`)
		}
		b.WriteString(`>` + html.EscapeString(m.Name) + `</option>`)
	}
	return template.HTML(b.String())
}

// indicatorTable is the comparison as rows for a download: one row per
// member and period, with where the figure came from.
func (s *Server) indicatorTable(lang string, d indicatorData) ([]string, [][]any) {
	header := []string{s.cat.T(lang, "ind_code"), s.cat.T(lang, "ind_member"), s.cat.T(lang, "ind_period"), s.cat.T(lang, "ind_value"),
		s.cat.T(lang, "ind_unit"), s.cat.T(lang, "ind_note"), s.cat.T(lang, "ind_provenance")}
	in := d.Indicator
	var rows [][]any
	for i, code := range d.Cmp.Codes {
		for j, period := range d.Cmp.Periods {
			c := d.Cmp.Cells[i][j]
			var val any
			note := ""
			if c.OK {
				val = math.Round(c.Value*math.Pow(10, float64(in.Decimals))) / math.Pow(10, float64(in.Decimals))
				if c.Method == samrad.FitSumPredecessors {
					note = s.cat.T(lang, "ind_summed", strings.Join(c.Parts, ", "))
				}
			} else {
				note, _ = s.indCellText(lang, in, c)
			}
			prov := ""
			if c.Found {
				prov = s.indSourceText(lang, in, c.Provenance)
			}
			rows = append(rows, []any{code, d.Names[code], period, val, in.Unit, note, prov})
		}
	}
	return header, rows
}

// indListItem is an indicator on the portal's front page.
type indListItem struct {
	Indicator samrad.Indicator
	URL       string
	Latest    string // the latest period with figures, "" if none
	Fetched   string
}

type indicatorsData struct {
	Alliance samrad.Alliance
	Items    []indListItem
	Members  []indMember
	CanEdit  bool
}

// handleIndicators lists the alliance's indicators with their latest period.
func (s *Server) handleIndicators(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	inside := v.User.Can(a.ID, samrad.RoleReader)
	list, err := s.db.Indicators(ctx, a.ID, inside)
	if err != nil {
		return err
	}
	d := indicatorsData{Alliance: a, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat)}
	if d.Members, err = s.indMembers(ctx, v.Lang, a); err != nil {
		return err
	}
	codes := indCodes(d.Members)
	for _, in := range list {
		item := indListItem{Indicator: in, URL: Path(v.Lang, "ind_page", a.Slug, in.Slug)}
		c, err := s.db.Comparison(ctx, in.ID, codes, "", "")
		if err != nil {
			return err
		}
		if len(c.Periods) > 0 {
			item.Latest = c.Periods[len(c.Periods)-1]
		}
		run, ok, err := s.db.LastSuccess(ctx, in.ID)
		if err != nil {
			return err
		}
		if ok && !run.FinishedAt.IsZero() {
			item.Fetched = run.FinishedAt.In(samrad.Oslo()).Format("2006-01-02 15:04")
		}
		d.Items = append(d.Items, item)
	}
	title := s.cat.T(v.Lang, "ind_title")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", d
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, http.StatusOK, "indicators", v)
	return nil
}

// indProfileItem is one indicator on a member's profile.
type indProfileItem struct {
	Indicator samrad.Indicator
	URL       string
	Latest    string // period
	Value     string
	Missing   bool
	Rank      string // "2 of 7", "" where a rank makes no sense
	Trend     []indCell
	Periods   []string
	Chart     template.HTML
	Source    string
}

type indProfileData struct {
	Alliance samrad.Alliance
	Member   indMember
	Items    []indProfileItem
}

// handleIndicatorMember is a member's profile: every indicator's latest
// figure, its rank among the members and its trend.
func (s *Server) handleIndicatorMember(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	members, err := s.indMembers(ctx, v.Lang, a)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	i := slices.IndexFunc(members, func(m indMember) bool { return m.Code == code })
	if i < 0 {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "ind_not_member", code))
	}
	d := indProfileData{Alliance: a, Member: members[i]}
	inside := v.User.Can(a.ID, samrad.RoleReader)
	if inside {
		w.Header().Set("Cache-Control", "no-store")
	}
	series, err := s.db.IndicatorValuesOf(ctx, a.ID, code, inside)
	if err != nil {
		return err
	}
	codes := indCodes(members)
	for k, sr := range series {
		in := sr.Indicator
		item := indProfileItem{Indicator: in, URL: Path(v.Lang, "ind_page", a.Slug, in.Slug) + indQuery(v.Lang, "", code),
			Source: s.indSourceText(v.Lang, in, sr.Provenance)}
		line := chart.LineSeries{Name: d.Member.Name, Highlight: true}
		for _, x := range sr.Values {
			c := store.ComparisonCell{IndicatorValue: x, Found: true}
			c.Value, c.OK = x.Value(in.Measure)
			text, missing := s.indCellText(v.Lang, in, c)
			item.Trend = append(item.Trend, indCell{Text: text, Missing: missing})
			item.Periods = append(item.Periods, x.Period)
			if c.OK {
				line.Values = append(line.Values, chart.V(c.Value))
			} else {
				line.Values = append(line.Values, nil)
			}
		}
		if n := len(sr.Values); n > 0 {
			item.Latest, item.Value, item.Missing = sr.Values[n-1].Period, item.Trend[n-1].Text, item.Trend[n-1].Missing
			if n > 1 {
				periods, lines := yearAxis(item.Periods, []chart.LineSeries{line})
				item.Chart = chart.Lines{ID: "ind-trend-" + strconv.Itoa(k), Title: s.cat.T(v.Lang, "ind_trend_of", in.Name(v.Lang), d.Member.Name),
					Description: s.cat.T(v.Lang, "ind_chart_desc"), Unit: in.Unit, Decimals: in.Decimals, Periods: periods,
					Series: lines, Lang: v.Lang, FromZero: in.Measure == samrad.MeasureCount, Height: 220}.SVG()
			}
			// A rank among the members, for figures that compare across
			// members of different size (not counts).
			if in.Measure != samrad.MeasureCount && !item.Missing {
				c, err := s.db.Comparison(ctx, in.ID, codes, item.Latest, item.Latest)
				if err != nil {
					return err
				}
				item.Rank = s.indRank(v.Lang, in, c, code)
			}
		}
		d.Items = append(d.Items, item)
	}
	title := s.cat.T(v.Lang, "ind_profile_title", d.Member.Name)
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", d
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "ind_title"), Path(v.Lang, "ind_list", a.Slug), d.Member.Name, "")
	s.render(w, http.StatusOK, "indicator_member", v)
	return nil
}

// indRank is the member's place among those with a figure in the
// comparison's one period, the best first.
func (s *Server) indRank(lang string, in samrad.Indicator, c store.Comparison, code string) string {
	if len(c.Periods) != 1 {
		return ""
	}
	var mine float64
	found := false
	var vals []float64
	for i, cc := range c.Codes {
		cell := c.Cells[i][0]
		if !cell.OK {
			continue
		}
		vals = append(vals, cell.Value)
		if cc == code {
			mine, found = cell.Value, true
		}
	}
	if !found {
		return ""
	}
	rank := 1
	for _, x := range vals {
		if (in.HigherIsBetter && x > mine) || (!in.HigherIsBetter && x < mine) {
			rank++
		}
	}
	key := "ind_rank_low"
	if in.HigherIsBetter {
		key = "ind_rank_high"
	}
	return s.cat.T(lang, key, rank, len(vals))
}

// indicatorEditData is the form for an indicator, its upload and its fetch.
type indicatorEditData struct {
	Alliance  samrad.Alliance
	Indicator samrad.Indicator // zero ID for a new one
	Slug      string           // the stored slug the page's forms post to
	Sources   []samrad.IndicatorSource
	Measures  []samrad.IndicatorMeasure
	Schedules []samrad.IndicatorSchedule
	Forms     forms
	Example   string
}

// indQueryExample is the example shown next to the query field.
const indQueryExample = `{"select": {"Region": ["*"], "ContentsCode": ["Personer1"], "Tid": ["from(2015)"]}, "codelists": {"Region": "agg_KommSummer"}}`

func (s *Server) indicatorEditPage(w http.ResponseWriter, v *view, a samrad.Alliance, in samrad.Indicator, slug string, status int, fs forms) error {
	d := indicatorEditData{Alliance: a, Indicator: in, Slug: slug, Sources: samrad.IndicatorSources, Measures: samrad.IndicatorMeasures,
		Schedules: samrad.IndicatorSchedules, Forms: fs, Example: indQueryExample}
	title := s.cat.T(v.Lang, "ind_new")
	if in.ID != 0 {
		title = s.cat.T(v.Lang, "ind_edit", in.Name(v.Lang))
	}
	v.Title, v.Nav, v.Data = title, "home", d
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "ind_title"), Path(v.Lang, "ind_list", a.Slug), title, "")
	s.render(w, status, "indicator_edit", v)
	return nil
}

// handleIndicatorNew is the form for a new indicator.
func (s *Server) handleIndicatorNew(w http.ResponseWriter, r *http.Request, v *view) error {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return err
	}
	in := samrad.Indicator{Source: samrad.SourceSSB, Measure: samrad.MeasureCount, Schedule: samrad.ScheduleNone, HigherIsBetter: true}
	return s.indicatorEditPage(w, v, a, in, "", http.StatusOK, nil)
}

// staffIndicator reads the alliance and the indicator for a secretariat page.
func (s *Server) staffIndicator(r *http.Request, v *view) (samrad.Alliance, samrad.Indicator, error) {
	a, err := s.secretariatAlliance(r, v)
	if err != nil {
		return a, samrad.Indicator{}, err
	}
	in, err := s.db.IndicatorBySlug(r.Context(), a.ID, r.PathValue("indicator"))
	return a, in, err
}

// handleIndicatorEditForm is an indicator's edit page with its upload and
// fetch.
func (s *Server) handleIndicatorEditForm(w http.ResponseWriter, r *http.Request, v *view) error {
	a, in, err := s.staffIndicator(r, v)
	if err != nil {
		return err
	}
	return s.indicatorEditPage(w, v, a, in, in.Slug, http.StatusOK, nil)
}

// readIndicatorForm fills in from the posted form and checks it; the
// errors are on the fields.
func (s *Server) readIndicatorForm(v *view, f *form, in *samrad.Indicator) {
	in.NameNB, in.NameEN, in.Slug = f.Get("name_nb"), f.Get("name_en"), f.Get("slug")
	in.DescriptionNB, in.DescriptionEN = f.Get("description_nb"), f.Get("description_en")
	in.Source, in.Table, in.Query = samrad.IndicatorSource(f.Get("source")), f.Get("table"), f.Get("query")
	in.Measure, in.Unit = samrad.IndicatorMeasure(f.Get("measure")), f.Get("unit")
	in.Schedule = samrad.IndicatorSchedule(f.Get("schedule"))
	in.HigherIsBetter, in.MembersOnly = f.Get("higher_is_better") == "yes", f.Get("members_only") == "yes"
	for field, dst := range map[string]*int{"decimals": &in.Decimals, "retries": &in.Retries} {
		x := f.Get(field)
		if x == "" {
			*dst = 0
			continue
		}
		n, err := strconv.Atoi(x)
		if err != nil {
			f.Errors[field] = s.cat.T(v.Lang, "ind_bad_number", x)
		}
		*dst = n
	}
	if len(f.Errors) > 0 {
		return
	}
	if err := in.Validate(); err != nil {
		f.fail(err, "name_nb")
		return
	}
	if _, err := refresh.ParseSpec(*in); err != nil {
		f.fail(err, "query")
	}
}

// handleIndicatorCreate stores a new indicator.
func (s *Server) handleIndicatorCreate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("indicator", r)
	in := samrad.Indicator{AllianceID: a.ID}
	s.readIndicatorForm(v, f, &in)
	if len(f.Errors) == 0 {
		err = s.db.CreateIndicator(ctx, &in)
	}
	if err != nil || len(f.Errors) > 0 {
		in.ID = 0
	}
	return settle(w, r, f, err, "name_nb", Path(v.Lang, "ind_edit", a.Slug, in.Slug),
		func(status int, fs forms) error { return s.indicatorEditPage(w, v, a, in, "", status, fs) })
}

// indicatorAction authorises a secretariat action on an indicator.
func (s *Server) indicatorAction(w http.ResponseWriter, r *http.Request, v *view) (samrad.Alliance, samrad.Indicator, *http.Request, error) {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return a, samrad.Indicator{}, r, err
	}
	in, err := s.db.IndicatorBySlug(ctx, a.ID, r.PathValue("indicator"))
	return a, in, r.WithContext(ctx), err
}

// handleIndicatorUpdate changes an indicator's definition.
func (s *Server) handleIndicatorUpdate(w http.ResponseWriter, r *http.Request, v *view) error {
	a, in, r, err := s.indicatorAction(w, r, v)
	if err != nil {
		return err
	}
	slug := in.Slug
	f := newForm("indicator", r)
	s.readIndicatorForm(v, f, &in)
	if len(f.Errors) == 0 {
		err = s.db.UpdateIndicator(r.Context(), &in)
	}
	return settle(w, r, f, err, "name_nb", Path(v.Lang, "ind_edit", a.Slug, in.Slug),
		func(status int, fs forms) error { return s.indicatorEditPage(w, v, a, in, slug, status, fs) })
}

// indRunFailed shows the edit page with a run's error on the form.
func (s *Server) indRunFailed(w http.ResponseWriter, v *view, a samrad.Alliance, in samrad.Indicator, name, field string, run samrad.IndicatorRun, err error) error {
	if run.ID == 0 && samrad.ErrorCode(err) == samrad.EINTERNAL {
		return err // nothing was started: the server's own failure
	}
	msg := run.Error
	if msg == "" {
		msg = samrad.ErrorMessage(err)
		var e *samrad.Error
		if asError(err, &e) {
			msg = e.Message
		}
	}
	f := &form{Name: name, Values: url.Values{}, Errors: map[string]string{field: s.cat.T(v.Lang, "ind_run_failed", msg)}}
	return s.indicatorEditPage(w, v, a, in, in.Slug, http.StatusBadRequest, forms{name: f})
}

// handleIndicatorUpload reads an uploaded file of figures for an
// indicator; on error the figures from before stay and the reason is shown.
func (s *Server) handleIndicatorUpload(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.uploadAction(w, r, v, indMaxUpload)
	if err != nil {
		return err
	}
	in, err := s.db.IndicatorBySlug(ctx, a.ID, r.PathValue("indicator"))
	if err != nil {
		return err
	}
	file, hdr, ferr := r.FormFile("file")
	if ferr != nil {
		f := &form{Name: "upload", Values: url.Values{}, Errors: map[string]string{"file": s.cat.T(v.Lang, "choose_file")}}
		return s.indicatorEditPage(w, v, a, in, in.Slug, http.StatusBadRequest, forms{"upload": f})
	}
	defer file.Close()
	body, err := io.ReadAll(io.LimitReader(file, indMaxUpload+1))
	if err != nil {
		return err
	}
	run, err := s.runner.Upload(ctx, in, hdr.Filename, body)
	if err != nil {
		return s.indRunFailed(w, v, a, in, "upload", "file", run, err)
	}
	http.Redirect(w, r, Path(v.Lang, "ind_runs", a.Slug, in.Slug), http.StatusSeeOther)
	return nil
}

// indMaxUpload bounds an uploaded file of figures.
const indMaxUpload = 64 << 20

// handleIndicatorRun fetches an indicator's figures now.
func (s *Server) handleIndicatorRun(w http.ResponseWriter, r *http.Request, v *view) error {
	a, in, r, err := s.indicatorAction(w, r, v)
	if err != nil {
		return err
	}
	run, err := s.runner.Run(r.Context(), in)
	if err != nil {
		if in.Source == samrad.SourceUpload {
			// The page of an uploaded indicator has the upload form only.
			return s.indRunFailed(w, v, a, in, "upload", "file", run, err)
		}
		return s.indRunFailed(w, v, a, in, "run", "run", run, err)
	}
	http.Redirect(w, r, Path(v.Lang, "ind_runs", a.Slug, in.Slug), http.StatusSeeOther)
	return nil
}

// indRunLine is a run of the log as shown.
type indRunLine struct {
	Started, Finished, Where, Error, Fitted string
	OK, Done                                bool
	Cells, Rows                             int
}

type indRunsData struct {
	Alliance  samrad.Alliance
	Indicator samrad.Indicator
	Runs      []indRunLine
}

// handleIndicatorRuns is an indicator's run log.
func (s *Server) handleIndicatorRuns(w http.ResponseWriter, r *http.Request, v *view) error {
	a, in, err := s.staffIndicator(r, v)
	if err != nil {
		return err
	}
	runs, err := s.db.Runs(r.Context(), in.ID, 200)
	if err != nil {
		return err
	}
	d := indRunsData{Alliance: a, Indicator: in}
	at := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(samrad.Oslo()).Format("2006-01-02 15:04:05")
	}
	for _, x := range runs {
		where := x.URL
		if x.File != "" {
			where = s.cat.T(v.Lang, "ind_file_n", x.File)
		}
		if where == "" && x.Table != "" {
			where = s.cat.T(v.Lang, "ind_table_n", x.Table)
		}
		d.Runs = append(d.Runs, indRunLine{Started: at(x.StartedAt), Finished: at(x.FinishedAt), Where: where, Error: x.Error,
			Fitted: x.FittedOn.String(), OK: x.OK, Done: x.Finished(), Cells: x.Cells, Rows: x.Rows})
	}
	title := s.cat.T(v.Lang, "ind_runs_title", in.Name(v.Lang))
	v.Title, v.Nav, v.Data = title, "home", d
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "ind_title"), Path(v.Lang, "ind_list", a.Slug),
		in.Name(v.Lang), Path(v.Lang, "ind_page", a.Slug, in.Slug), title, "")
	s.render(w, http.StatusOK, "indicator_runs", v)
	return nil
}

// yearAxis spreads yearly figures over every year from the first to the
// last, so that a trend with years missing (2015, then 2019) is drawn to
// scale with a gap, not as if the years followed each other. Other
// periods (months, quarters) are left as they are.
func yearAxis(periods []string, series []chart.LineSeries) ([]string, []chart.LineSeries) {
	years := make([]int, len(periods))
	for i, p := range periods {
		y, err := strconv.Atoi(p)
		if err != nil || len(p) != 4 || (i > 0 && y <= years[i-1]) {
			return periods, series
		}
		years[i] = y
	}
	if len(years) < 2 || years[len(years)-1]-years[0]+1 == len(years) || years[len(years)-1]-years[0] > 200 {
		return periods, series
	}
	first := years[0]
	axis := make([]string, years[len(years)-1]-first+1)
	for i := range axis {
		axis[i] = strconv.Itoa(first + i)
	}
	out := make([]chart.LineSeries, len(series))
	for k, sr := range series {
		vals := make([]*float64, len(axis))
		for i, v := range sr.Values {
			if i < len(years) {
				vals[years[i]-first] = v
			}
		}
		sr.Values = vals
		out[k] = sr
	}
	return axis, out
}
