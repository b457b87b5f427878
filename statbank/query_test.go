package statbank

import (
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestQueryValidate(t *testing.T) {
	ok := func() Query {
		return Query{Table: "07459", Selections: []Selection{
			{Variable: "Region", Codes: []string{"0301", "32*", "03??"}},
			{Variable: "Alder", Codelist: "agg_TiAarigGruppering", OutputValues: Single, Codes: []string{"F00-09", "105+"}},
			{Variable: "ContentsCode", Codes: []string{"Personer1"}},
			{Variable: "Tid", Codes: []string{"from(2016)", "to(2024)", "range(2016,2024)", "top(5)", "bottom(2,1)", "*"}},
		}}
	}
	if err := ok().Validate(); err != nil {
		t.Fatalf("valid query: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*Query)
		field string
		msg   string
	}{
		{"table letters", func(q *Query) { q.Table = "TAB07" }, "table", "five digits"},
		{"table short", func(q *Query) { q.Table = "7459" }, "table", "five digits"},
		{"lang", func(q *Query) { q.Lang = "nb" }, "lang", "no or en"},
		{"no selection", func(q *Query) { q.Selections = nil }, "selection", "no variable selected"},
		{"variable empty", func(q *Query) { q.Selections[0].Variable = "" }, "selection[0].variableCode", "not a variable code"},
		{"variable bracket", func(q *Query) { q.Selections[0].Variable = "Reg]ion" }, "selection[0].variableCode", "not a variable code"},
		{"variable twice", func(q *Query) { q.Selections[3].Variable = "region" }, "selection[3].variableCode", "selected twice"},
		{"no codes", func(q *Query) { q.Selections[2].Codes = nil }, "selection[2].valueCodes", `use "*" for all`},
		{"empty code", func(q *Query) { q.Selections[0].Codes[1] = "" }, "selection[0].valueCodes[1]", "is empty"},
		{"code twice", func(q *Query) { q.Selections[0].Codes[1] = "0301" }, "selection[0].valueCodes[1]", "given twice"},
		{"comma in code", func(q *Query) { q.Selections[0].Codes[0] = "0301,3203" }, "selection[0].valueCodes[0]", "not allowed"},
		{"ampersand", func(q *Query) { q.Selections[0].Codes[0] = "0301&x=1" }, "selection[0].valueCodes[0]", "not allowed"},
		{"unknown expression", func(q *Query) { q.Selections[3].Codes[0] = "since(2016)" }, "selection[3].valueCodes[0]", "not allowed"},
		{"top zero", func(q *Query) { q.Selections[3].Codes[3] = "top(0)" }, "selection[3].valueCodes[3]", "whole numbers"},
		{"top word", func(q *Query) { q.Selections[3].Codes[3] = "top(five)" }, "selection[3].valueCodes[3]", "whole numbers"},
		{"from two", func(q *Query) { q.Selections[3].Codes[0] = "from(2016,2017)" }, "selection[3].valueCodes[0]", "one value code"},
		{"range one", func(q *Query) { q.Selections[3].Codes[2] = "range(2016)" }, "selection[3].valueCodes[2]", "two value codes"},
		{"range wildcard", func(q *Query) { q.Selections[3].Codes[2] = "range(2016,20*)" }, "selection[3].valueCodes[2]", "two value codes"},
		{"long code", func(q *Query) { q.Selections[0].Codes[0] = strings.Repeat("1", 101) }, "selection[0].valueCodes[0]", "longer than"},
		{"codelist", func(q *Query) { q.Selections[0].Codelist = "agg KommSummer" }, "selection[0].codelist", "not a code list"},
		{"output values", func(q *Query) { q.Selections[1].OutputValues = "summed" }, "selection[1].outputValues", "neither"},
		{"output values without list", func(q *Query) { q.Selections[0].OutputValues = Aggregated }, "selection[0].outputValues", "needs a code list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := ok()
			tc.edit(&q)
			err := q.Validate()
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("error %v, want *QueryError", err)
			}
			if qe.Field != tc.field || !strings.Contains(qe.Msg, tc.msg) {
				t.Errorf("error %q, want field %s and %q", err, tc.field, tc.msg)
			}
			if b, err := q.Body(); b != nil || err == nil {
				t.Errorf("Body of an invalid query: %s, %v", b, err)
			}
		})
	}
}

func TestQueryBodyAndURL(t *testing.T) {
	q := Query{Table: "07459", Lang: "en", Selections: []Selection{
		{Variable: "Region", Codes: []string{"0301", "3025", "3203", "32"}},
		{Variable: "Alder", Codes: []string{"105+", "067"}},
		{Variable: "ContentsCode", Codes: []string{"Personer1"}},
		{Variable: "Tid", Codes: []string{"range(2016,2024)"}},
	}}
	body, err := q.Body()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"selection":[{"variableCode":"Region","valueCodes":["0301","3025","3203","32"]},{"variableCode":"Alder","valueCodes":["105+","067"]},{"variableCode":"ContentsCode","valueCodes":["Personer1"]},{"variableCode":"Tid","valueCodes":["range(2016,2024)"]}]}`
	if string(body) != want {
		t.Errorf("body\n%s, want\n%s", body, want)
	}
	wantURL := "/tables/07459/data?lang=en&valueCodes[Region]=0301,3025,3203,32&valueCodes[Alder]=105%2B,067&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=range(2016%2C2024)&outputFormat=json-stat2"
	if got := q.URL(); got != wantURL {
		t.Errorf("URL\n%s, want\n%s", got, wantURL)
	}
	u, err := url.Parse(q.URL())
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Query().Get("valueCodes[Alder]"); got != "105+,067" {
		t.Errorf("a server reads valueCodes[Alder] as %q", got)
	}
}

// parseGetURL reads the output of Query.URL back.
func parseGetURL(t *testing.T, s string) Query {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatalf("Query.URL %q: %v", s, err)
	}
	var q Query
	table, ok := strings.CutPrefix(u.Path, "/tables/")
	if !ok || !strings.HasSuffix(table, "/data") {
		t.Fatalf("path %q", u.Path)
	}
	q.Table = strings.TrimSuffix(table, "/data")
	index := map[string]int{}
	sel := func(key, prefix string) *Selection {
		v := strings.TrimSuffix(strings.TrimPrefix(key, prefix+"["), "]")
		v, err := url.QueryUnescape(v)
		if err != nil {
			t.Fatalf("key %q: %v", key, err)
		}
		i, ok := index[v]
		if !ok {
			i = len(q.Selections)
			index[v] = i
			q.Selections = append(q.Selections, Selection{Variable: v})
		}
		return &q.Selections[i]
	}
	unescape := func(s string) string {
		v, err := url.QueryUnescape(s)
		if err != nil {
			t.Fatalf("value %q: %v", s, err)
		}
		return v
	}
	for _, kv := range strings.Split(u.RawQuery, "&") {
		key, val, _ := strings.Cut(kv, "=")
		switch {
		case key == "lang":
			q.Lang = unescape(val)
		case key == "outputFormat":
		case strings.HasPrefix(key, "valueCodes["):
			s := sel(key, "valueCodes")
			for _, c := range strings.Split(val, ",") {
				s.Codes = append(s.Codes, unescape(c))
			}
		case strings.HasPrefix(key, "codelist["):
			sel(key, "codelist").Codelist = unescape(val)
		case strings.HasPrefix(key, "outputValues["):
			sel(key, "outputValues").OutputValues = unescape(val)
		default:
			t.Fatalf("unexpected parameter %q in %s", key, s)
		}
	}
	return q
}

// FuzzQuery checks that a query that validates renders as a GET address a
// server reads back as the same query, and as a JSON body with the same
// selection; and that a query that does not validate gets a QueryError.
func FuzzQuery(f *testing.F) {
	f.Add("07459", "Region", "K-0301\nK-3203", "agg_KommSummer", "aggregated", "no")
	f.Add("07459", "Tid", "from(2016)\ntop(1)\n*", "", "", "en")
	f.Add("07459", "Alder", "105+\nF00-09\nrange(000,010)", "", "", "")
	f.Add("07459", "Region", "32*\n03??\nØst", "vs_Kommun", "single", "no")
	f.Add("0745", "Reg[ion]", "a&b=c\n", "agg KommSummer", "all", "nb")
	f.Add("07459", "Region", "%41\n+\n%", "", "", "no")
	f.Fuzz(func(t *testing.T, table, variable, codes, codelist, output, lang string) {
		q := Query{Table: table, Lang: lang, Selections: []Selection{
			{Variable: variable, Codes: strings.Split(codes, "\n"), Codelist: codelist, OutputValues: output},
			{Variable: "ContentsCode", Codes: []string{"Personer1"}},
		}}
		if err := q.Validate(); err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("error %v is not a *QueryError", err)
			}
			return
		}
		back := parseGetURL(t, q.URL())
		want := q
		want.Lang = q.lang()
		if !reflect.DeepEqual(back, want) {
			t.Fatalf("URL %s reads back as\n%+v, want\n%+v", q.URL(), back, want)
		}
		body, err := q.Body()
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Selection []struct {
				VariableCode string   `json:"variableCode"`
				Codelist     string   `json:"codelist"`
				ValueCodes   []string `json:"valueCodes"`
			} `json:"selection"`
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("body %s: %v", body, err)
		}
		if len(got.Selection) != 2 || got.Selection[0].VariableCode != variable ||
			got.Selection[0].Codelist != codelist || !reflect.DeepEqual(got.Selection[0].ValueCodes, q.Selections[0].Codes) {
			t.Fatalf("body %s does not hold the query %+v", body, q)
		}
		if _, err := url.Parse("https://data.ssb.no/api/pxwebapi/v2" + q.postURL()); err != nil {
			t.Fatalf("POST address: %v", err)
		}
	})
}
