package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/chart"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/refresh"
	"github.com/samrad/samrad/statbank"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// indFixture is a JSON-stat 2.0 dataset of persons in Bærum and Asker
// under the codes they had: 3024 and 3025 until 2023, 3201 and 3203 from
// 2024 (the cells of a code in a year it did not exist are empty, as in
// the statbank).
const indFixture = `{
  "version": "2.0", "class": "dataset", "label": "07459: Befolkning",
  "id": ["Region", "ContentsCode", "Tid"], "size": [4, 1, 3],
  "dimension": {
    "Region": {"label": "region", "category": {"index": {"3024": 0, "3025": 1, "3201": 2, "3203": 3},
      "label": {"3024": "Bærum (2020-2023)", "3025": "Asker (2020-2023)", "3201": "Bærum", "3203": "Asker"}}},
    "ContentsCode": {"label": "statistikkvariabel", "category": {"index": {"Personer1": 0}, "label": {"Personer1": "Personer"}}},
    "Tid": {"label": "år", "category": {"index": {"2022": 0, "2023": 1, "2024": 2}, "label": {"2022": "2022", "2023": "2023", "2024": "2024"}}}
  },
  "value": [127731, 128233, null, 95000, 96000, null, null, null, 129000, null, null, 97000],
  "status": {"2": "..", "5": "..", "6": "..", "7": "..", "9": "..", "10": ".."},
  "role": {"geo": ["Region"], "metric": ["ContentsCode"], "time": ["Tid"]}
}`

// indWrongDimensions is a dataset with no region dimension.
const indWrongDimensions = `{
  "version": "2.0", "class": "dataset", "label": "endret",
  "id": ["Fylke", "Tid"], "size": [1, 1],
  "dimension": {
    "Fylke": {"label": "fylke", "category": {"index": {"32": 0}}},
    "Tid": {"label": "år", "category": {"index": {"2024": 0}}}
  },
  "value": [1]
}`

// indServer is the demo server with a runner whose statbank client asks
// a local server that answers with indFixture.
func indServer(t *testing.T, db *store.DB) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	if err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	var asked atomic.Int32
	ssb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, indFixture)
	}))
	t.Cleanup(ssb.Close)
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv.SetIndicatorRunner(&refresh.Runner{DB: db, Client: statbank.New(ssb.URL)})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, &asked
}

func countIndicatorRows(t *testing.T, db *store.DB) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"indicators", "indicator_values"} {
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		b.WriteString(table + "=" + itoa(int64(n)) + " ")
	}
	return b.String()
}

func indForm(csrf string, fields ...string) url.Values {
	f := url.Values{"csrf": {csrf}, "decimals": {"0"}, "retries": {"0"}, "schedule": {"none"}, "measure": {"count"}, "unit": {"personer"},
		"higher_is_better": {"yes"}}
	for i := 0; i+1 < len(fields); i += 2 {
		f.Set(fields[i], fields[i+1])
	}
	return f
}

func TestIndicatorPortal(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts, asked := indServer(t, db)
		vr, _ := db.AllianceBySlug(ctx, "vestregionen")
		ore, _ := db.AllianceBySlug(ctx, "ore")
		if _, err := db.CreateUser(ctx, "vr@example.no", "VR", "et langt passord her", vr.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateUser(ctx, "ore@example.no", "ORE", "et langt passord her", ore.ID, samrad.RoleAdministrator, fastHash); err != nil {
			t.Fatal(err)
		}
		staff := newBrowser(t, ts.URL)
		if resp := staff.login("vr@example.no", "et langt passord her"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %d", resp.StatusCode)
		}
		members, err := db.MembersOn(ctx, vr.ID, samrad.Today(), false)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, m := range members {
			codes = append(codes, m.Org.Code)
		}
		if !strings.Contains(strings.Join(codes, " "), "3201") || !strings.Contains(strings.Join(codes, " "), "3203") {
			t.Fatalf("Vestregionen's members today are %v; the test needs Bærum 3201 and Asker 3203", codes)
		}

		// A form with errors comes back with them next to the fields and
		// writes nothing.
		before := countIndicatorRows(t, db)
		code, page := staff.get("/allianser/vestregionen/styringsdata/ny")
		if code != http.StatusOK || !strings.Contains(page, `id="in-query-hint"`) {
			t.Fatalf("new form: %d", code)
		}
		csrf := staff.csrf(page)
		resp, page := staff.post("/allianser/vestregionen/styringsdata/ny", indForm(csrf, "name_nb", "", "source", "upload"))
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="in-name-nb-error"`) {
			t.Errorf("no name: %d", resp.StatusCode)
		}
		resp, page = staff.post("/allianser/vestregionen/styringsdata/ny", indForm(csrf, "name_nb", "Folketall", "source", "ssb", "table", "07459",
			"query", `{"velg": 1}`))
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="in-query-error"`) || !strings.Contains(page, "velg") {
			t.Errorf("bad query: %d %s", resp.StatusCode, projText(page))
		}
		resp, page = staff.post("/allianser/vestregionen/styringsdata/ny", indForm(csrf, "name_nb", "Folketall", "source", "upload", "decimals", "to"))
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="in-decimals-error"`) {
			t.Errorf("bad decimals: %d", resp.StatusCode)
		}
		if after := countIndicatorRows(t, db); after != before {
			t.Errorf("rejected forms wrote: %s → %s", before, after)
		}

		// An uploaded indicator for members only.
		resp, _ = staff.post("/allianser/vestregionen/styringsdata/ny", indForm(csrf, "name_nb", "Folketall fra fil", "name_en", "Population from a file",
			"slug", "folketall-fil", "description_nb", "Personer per 1. januar.", "source", "upload", "query", `{"metric": "Personer1"}`, "members_only", "yes"))
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/allianser/vestregionen/styringsdata/folketall-fil/endre" {
			t.Fatalf("create: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		code, page = staff.get("/allianser/vestregionen/styringsdata/folketall-fil/endre")
		if code != http.StatusOK || !strings.Contains(page, `enctype="multipart/form-data"`) {
			t.Fatalf("edit page: %d", code)
		}
		code, _ = staff.upload("/allianser/vestregionen/styringsdata/folketall-fil/last-opp", csrf, "folketall.json", []byte(indFixture))
		if code != http.StatusSeeOther {
			t.Fatalf("upload: %d", code)
		}

		// The comparison: chart, lines, table with figures fitted to today's
		// codes, and where they came from.
		code, page = staff.get("/allianser/vestregionen/styringsdata/folketall-fil?medlem=3201")
		text := projText(page)
		if code != http.StatusOK {
			t.Fatalf("comparison: %d %s", code, text)
		}
		for _, want := range []string{"129 000", "127 731", "97 000", "summert fra 3024", "folketall.json", "Tilpasset strukturen per", "ingen tall",
			"Medlemmene i 2024"} {
			if !strings.Contains(text, want) {
				t.Errorf("the comparison does not show %q", want)
			}
		}
		if !strings.Contains(page, "<p>Personer per 1. januar.</p>") {
			t.Errorf("the description is not shown as a paragraph")
		}
		if strings.Count(page, `role="img"`) != 2 || !strings.Contains(page, `<title id="ind-bars-title">`) || !strings.Contains(page, `role="region"`) {
			t.Errorf("charts or table missing")
		}
		if !strings.Contains(page, `<tr class="highlight"><th scope="row"><a href="/allianser/vestregionen/medlemmer/3201/styringsdata">Bærum</a> (3201)`) ||
			!strings.Contains(page, `<option value="3201" selected>Bærum</option>`) {
			t.Errorf("the chosen member is not marked in the table and the form")
		}
		if !strings.Contains(page, `href="/en/alliances/vestregionen/indicators/folketall-fil?member=3201"`) {
			t.Errorf("the language switch loses the member")
		}
		_, page = staff.get("/allianser/vestregionen/styringsdata/folketall-fil?periode=2022")
		if !strings.Contains(projText(page), "Medlemmene i 2022") {
			t.Errorf("the period is not chosen")
		}
		code, page = staff.get("/en/alliances/vestregionen/indicators/folketall-fil")
		if code != http.StatusOK || !strings.Contains(projText(page), "129,000") || !strings.Contains(projText(page), "Population from a file") {
			t.Errorf("English comparison: %d", code)
		}
		for _, bad := range []struct{ path, reason string }{
			{"/allianser/vestregionen/styringsdata/folketall-fil?periode=1999", "«1999» er ikke en periode"},
			{"/allianser/vestregionen/styringsdata/folketall-fil?medlem=0301", "«0301» er ikke et medlem"},
			{"/en/alliances/vestregionen/indicators/folketall-fil/figures.csv?member=x", "“x” is not a member"},
		} {
			code, page := staff.get(bad.path)
			if code != http.StatusBadRequest || !strings.Contains(projText(page), bad.reason) {
				t.Errorf("%s: %d, want 400 saying %q", bad.path, code, bad.reason)
			}
		}

		// The downloads have the same figures with their source.
		code, body := staff.get("/allianser/vestregionen/styringsdata/folketall-fil/tall.csv")
		if code != http.StatusOK {
			t.Fatalf("csv: %d", code)
		}
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range recs[1:] {
			if r[0] == "3201" && r[2] == "2024" {
				found = r[3] == "129000" && strings.Contains(r[6], "folketall.json") && strings.Contains(r[6], "hentet")
			}
		}
		if !found || recs[0][6] != "Kilde og henting" || len(recs) != 1+len(codesUnique(codes))*3 {
			t.Errorf("csv: %v", recs)
		}
		resp, err = staff.c.Get(ts.URL + "/en/alliances/vestregionen/indicators/folketall-fil/figures.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		xb, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(xb, []byte("PK")) || !strings.Contains(resp.Header.Get("Content-Disposition"), "folketall-fil.xlsx") {
			t.Errorf("xlsx: %d", resp.StatusCode)
		}

		// Bad uploads: the reason is shown and the figures from before stay.
		before = countIndicatorRows(t, db)
		for _, bad := range []struct{ file, body, reason string }{
			{"side.json", "<html><body>Feil</body></html>", "side.json"},
			{"endret.json", indWrongDimensions, "region"},
		} {
			code, page := staff.upload("/allianser/vestregionen/styringsdata/folketall-fil/last-opp", csrf, bad.file, []byte(bad.body))
			if code != http.StatusBadRequest || !strings.Contains(projText(page), "de gamle er beholdt") || !strings.Contains(projText(page), bad.reason) ||
				!strings.Contains(page, `id="in-file-error"`) {
				t.Errorf("bad upload %s: %d %s", bad.file, code, projText(page))
			}
		}
		code, _ = staff.upload("/allianser/vestregionen/styringsdata/folketall-fil/last-opp", csrf, "", nil)
		if code != http.StatusBadRequest {
			t.Errorf("upload without a file: %d", code)
		}
		if after := countIndicatorRows(t, db); after != before {
			t.Errorf("bad uploads changed the figures: %s → %s", before, after)
		}
		if _, page := staff.get("/allianser/vestregionen/styringsdata/folketall-fil"); !strings.Contains(projText(page), "129 000") {
			t.Errorf("the old figures are gone")
		}

		// The run log has every run.
		code, page = staff.get("/allianser/vestregionen/styringsdata/folketall-fil/kjoringer")
		text = projText(page)
		if code != http.StatusOK || strings.Count(page, "<tr><th scope=\"row\">") != 3 || !strings.Contains(text, "OK") || !strings.Contains(text, "Feil:") ||
			!strings.Contains(text, "fil endret.json") {
			t.Errorf("run log: %d %s", code, text)
		}

		// Members only: the list hides it from visitors, the page refuses
		// them and another alliance's administrator.
		anon := newBrowser(t, ts.URL)
		if code, page := anon.get("/allianser/vestregionen/styringsdata"); code != http.StatusOK || strings.Contains(page, "folketall-fil") {
			t.Errorf("public list: %d shows the members-only indicator", code)
		}
		if code, page := staff.get("/allianser/vestregionen/styringsdata"); code != http.StatusOK || !strings.Contains(page, "folketall-fil") ||
			!strings.Contains(projText(page), "2024") {
			t.Errorf("the list for the alliance's people: %d", code)
		}
		for _, p := range []string{"/allianser/vestregionen/styringsdata/folketall-fil", "/allianser/vestregionen/styringsdata/folketall-fil/tall.csv"} {
			if code, _ := anon.get(p); code != http.StatusUnauthorized {
				t.Errorf("%s anonymously: %d", p, code)
			}
		}
		other := newBrowser(t, ts.URL)
		other.login("ore@example.no", "et langt passord her")
		if code, _ := other.get("/allianser/vestregionen/styringsdata/folketall-fil/tall.xlsx"); code != http.StatusForbidden {
			t.Errorf("another alliance's administrator: %d", code)
		}
		if code, page := anon.get("/allianser/vestregionen/medlemmer/3201/styringsdata"); code != http.StatusOK || strings.Contains(page, "folketall-fil") {
			t.Errorf("a visitor sees the members-only figure on the profile: %d", code)
		}

		// A statbank indicator fetched now from the local fixture server.
		resp, _ = staff.post("/allianser/vestregionen/styringsdata/ny", indForm(csrf, "name_nb", "Folketall", "slug", "folketall", "source", "ssb",
			"table", "07459", "query", `{"select": {"Region": ["3024", "3025", "3201", "3203"], "ContentsCode": ["Personer1"], "Tid": ["2022", "2023", "2024"]}}`))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create statbank indicator: %d", resp.StatusCode)
		}
		resp, _ = staff.post("/allianser/vestregionen/styringsdata/folketall/hent", url.Values{"csrf": {csrf}})
		if resp.StatusCode != http.StatusSeeOther || asked.Load() == 0 {
			t.Fatalf("run: %d, asked %d", resp.StatusCode, asked.Load())
		}
		_, page = staff.get("/allianser/vestregionen/styringsdata/folketall/kjoringer")
		if !strings.Contains(page, "/tables/07459/data") || !strings.Contains(projText(page), "OK") {
			t.Errorf("run log of the fetch: %s", projText(page))
		}
		code, page = anon.get("/allianser/vestregionen/styringsdata/folketall")
		if code != http.StatusOK || !strings.Contains(projText(page), "129 000") || !strings.Contains(projText(page), "SSB-tabell") ||
			!strings.Contains(page, "/tables/07459/data") {
			t.Errorf("public comparison of the fetch: %d %s", code, projText(page))
		}
		// The member's profile has the public figure, its rank-free count
		// and a link to the comparison.
		code, page = anon.get("/allianser/vestregionen/medlemmer/3201/styringsdata")
		if code != http.StatusOK || !strings.Contains(projText(page), "129 000") ||
			!strings.Contains(page, `href="/allianser/vestregionen/styringsdata/folketall?medlem=3201"`) {
			t.Errorf("profile: %d %s", code, projText(page))
		}
		if code, _ := anon.get("/allianser/vestregionen/medlemmer/0301/styringsdata"); code != http.StatusNotFound {
			t.Errorf("profile of a non-member: %d", code)
		}
		// Running an uploaded indicator is refused with the reason.
		resp, page = staff.post("/allianser/vestregionen/styringsdata/folketall-fil/hent", url.Values{"csrf": {csrf}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="in-file-error"`) ||
			!strings.Contains(projText(page), "uploaded file") {
			t.Errorf("run of an uploaded indicator: %d %s", resp.StatusCode, projText(page))
		}
	})
}

func codesUnique(codes []string) map[string]bool {
	m := map[string]bool{}
	for _, c := range codes {
		m[c] = true
	}
	return m
}

// TestYearAxisDrawsMissingYearsAsGaps puts 2014, 2015 and 2019 on an axis
// of every year with gaps for 2016–2018, and leaves months alone.
func TestYearAxisDrawsMissingYearsAsGaps(t *testing.T) {
	one, two, three := 1.0, 2.0, 3.0
	periods, series := web.YearAxis([]string{"2014", "2015", "2019"}, []chart.LineSeries{{Name: "Asker", Values: []*float64{&one, &two, &three}}})
	if strings.Join(periods, ",") != "2014,2015,2016,2017,2018,2019" {
		t.Fatalf("axis %v", periods)
	}
	v := series[0].Values
	if len(v) != 6 || *v[0] != 1 || *v[1] != 2 || v[2] != nil || v[3] != nil || v[4] != nil || *v[5] != 3 {
		t.Errorf("values %v", v)
	}
	months, _ := web.YearAxis([]string{"2024M01", "2024M05"}, nil)
	if strings.Join(months, ",") != "2024M01,2024M05" {
		t.Errorf("months changed: %v", months)
	}
}
