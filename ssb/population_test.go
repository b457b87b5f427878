package ssb

import (
	"errors"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// figures maps "region/year" to persons.
func figures(p *Population) map[string]int64 {
	m := map[string]int64{}
	for _, o := range p.Observations {
		m[o.Region+"/"+strconv.Itoa(o.Year)] = o.Persons
	}
	return m
}

func TestPopulationFormatsExample(t *testing.T) {
	p, err := ParseJSONStatPopulation(strings.NewReader(formatsExample(t)), "07459.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []Observation{{"0301", 2023, 709037}, {"0301", 2024, 717710}, {"3203", 2024, 98815}}
	if !reflect.DeepEqual(p.Observations, want) {
		t.Errorf("observations = %v, want %v", p.Observations, want)
	}
	if !reflect.DeepEqual(p.Missing, []Missing{{"3203", 2023, ".."}}) {
		t.Errorf("missing = %v, want Asker 3203 2023 with status ..", p.Missing)
	}
	if p.File != "07459.json" || p.Table != "07459" || p.Source != "Statistisk sentralbyrå" || p.Updated != "2024-02-21T07:00:00Z" ||
		!strings.HasPrefix(p.Label, "07459: Befolkning") || len(p.Skipped) != 0 {
		t.Errorf("population = %+v", p)
	}
}

// cube builds a JSON-stat 2.0 document from dimensions given as
// "id:code,code,…" and the values written as JSON.
func cube(t *testing.T, roles string, dims []string, values, status string) string {
	t.Helper()
	var ids, sizes, dimension []string
	for _, d := range dims {
		id, codes, _ := strings.Cut(d, ":")
		list := strings.Split(codes, ",")
		if codes == "" {
			list = nil
		}
		ids = append(ids, strconv.Quote(id))
		sizes = append(sizes, strconv.Itoa(len(list)))
		var q []string
		for _, c := range list {
			q = append(q, strconv.Quote(c))
		}
		dimension = append(dimension, strconv.Quote(id)+`: {"category": {"index": [`+strings.Join(q, ",")+`]}}`)
	}
	doc := `{"version": "2.0", "class": "dataset", "label": "07459: test", "id": [` + strings.Join(ids, ",") + `], "size": [` + strings.Join(sizes, ",") +
		`], "dimension": {` + strings.Join(dimension, ",") + `}, "value": ` + values
	if status != "" {
		doc += `, "status": ` + status
	}
	if roles != "" {
		doc += `, "role": ` + roles
	}
	return doc + "}"
}

const stdRoles = `{"geo": ["Region"], "time": ["Tid"], "metric": ["ContentsCode"]}`

func TestPopulationFromCube(t *testing.T) {
	for _, tc := range []struct {
		name    string
		doc     string
		want    map[string]int64
		missing []Missing
		skipped []string
	}{
		{"1.x wrapper, K-/F- prefixes, sum over Kjonn", v1Example,
			map[string]int64{"3203/2024": 98815, "32/2024": 330005}, nil, nil},
		{"sum over Kjonn and Alder",
			cube(t, stdRoles, []string{"Region:0301,3203", "Kjonn:1,2", "Alder:F0-19,F20-64,F65+", "ContentsCode:Personer1", "Tid:2023,2024"},
				// Region 0301: Kjonn 1: ages × years, Kjonn 2: ages × years; then 3203.
				`[1,2, 10,20, 100,200, 1000,2000, 10000,20000, 100000,200000,
				  3,4, 5,6, 7,8, 9,null, 11,12, 13,14]`, `{"21": ":"}`),
			map[string]int64{"0301/2023": 111111, "0301/2024": 222222, "3203/2023": 48},
			[]Missing{{"3203", 2024, ":"}}, nil},
		{"null in a sum, first status wins over none",
			cube(t, stdRoles, []string{"Region:0301", "Kjonn:1,2,3", "Tid:2024"}, `[1, null, null]`, `{"2": ".."}`),
			map[string]int64{}, []Missing{{"0301", 2024, ".."}}, nil},
		{"sparse value: absent cells are missing without status",
			cube(t, stdRoles, []string{"Region:0301,0219", "Tid:2023,2024"}, `{"0": 5, "3": 7}`, ""),
			map[string]int64{"0301/2023": 5, "0219/2024": 7}, []Missing{{"0219", 2023, ""}, {"0301", 2024, ""}}, nil},
		{"no roles: ids Region and Tid; no metric",
			cube(t, "", []string{"Tid:2019", "Region:K-0301,F-03,0"}, `[1, 2, 3]`, ""),
			map[string]int64{"0301/2019": 1, "03/2019": 2, "0/2019": 3}, nil, nil},
		{"roles name other dimensions",
			cube(t, `{"geo": ["Kommune"], "time": ["Aar"]}`, []string{"Kommune:0301", "Aar:2020,2021"}, `[1, 2]`, ""),
			map[string]int64{"0301/2020": 1, "0301/2021": 2}, nil, nil},
		{"codes that are not regions are skipped",
			cube(t, stdRoles, []string{"Region:K-0301,K-Rest,K-21-22,K-23,9999,23,2111,0399,F-99,0000,0301x", "Tid:2024"},
				`[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -11]`, ""),
			map[string]int64{"0301/2024": 1}, nil,
			[]string{"0000", "0301x", "0399", "2111", "23", "9999", "F-99", "K-21-22", "K-23", "K-Rest"}},
		{"several statistics, Personer1 is read",
			cube(t, stdRoles, []string{"Region:0301", "ContentsCode:Folketilvekst10,Personer1", "Tid:2024"}, `[1.5, 700000]`, ""),
			map[string]int64{"0301/2024": 700000}, nil, nil},
		{"one statistic of another name is read",
			cube(t, stdRoles, []string{"Region:0301", "ContentsCode:Personer", "Tid:2024"}, `[5]`, ""),
			map[string]int64{"0301/2024": 5}, nil, nil},
		{"0 with a status is missing; null with - is 0; other symbols are kept",
			cube(t, stdRoles, []string{"Region:0301,3203,3205,3207", "Tid:2024"}, `[0, null, 0, 5]`, `[".", "-", "-", "p"]`),
			map[string]int64{"3203/2024": 0, "3205/2024": 0, "3207/2024": 5}, []Missing{{"0301", 2024, "."}}, nil},
		{"status for every cell",
			cube(t, stdRoles, []string{"Region:0301", "Tid:2023,2024"}, `[0, 0]`, `".."`),
			map[string]int64{}, []Missing{{"0301", 2023, ".."}, {"0301", 2024, ".."}}, nil},
		{"regions and years out of order are sorted",
			cube(t, stdRoles, []string{"Region:3203,0301", "Tid:2024,2023"}, `[1, 2, 3, 4]`, ""),
			map[string]int64{"3203/2024": 1, "3203/2023": 2, "0301/2024": 3, "0301/2023": 4}, nil, nil},
		{"no cells", cube(t, stdRoles, []string{"Region:0301", "Kjonn:", "Tid:2024"}, `[]`, ""), map[string]int64{}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseJSONStatPopulation(strings.NewReader(tc.doc), "x.json")
			if err != nil {
				t.Fatal(err)
			}
			if got := figures(p); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("figures = %v, want %v", got, tc.want)
			}
			if !reflect.DeepEqual(p.Missing, tc.missing) {
				t.Errorf("missing = %v, want %v", p.Missing, tc.missing)
			}
			if !reflect.DeepEqual(p.Skipped, tc.skipped) {
				t.Errorf("skipped = %q, want %q", p.Skipped, tc.skipped)
			}
			for i := 1; i < len(p.Observations); i++ {
				a, b := p.Observations[i-1], p.Observations[i]
				if a.Region > b.Region || (a.Region == b.Region && a.Year >= b.Year) {
					t.Errorf("not sorted: %v", p.Observations)
				}
			}
		})
	}
}

func TestPopulationFromCubeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"no region", cube(t, "", []string{"Kommune:0301", "Tid:2024"}, `[1]`, ""),
			`x.json: field "dimension": no region dimension (role "geo" or id "Region"); dimensions are Kommune, Tid`},
		{"no time", cube(t, "", []string{"Region:0301", "Aar:2024"}, `[1]`, ""),
			`x.json: field "dimension": no time dimension (role "time" or id "Tid")`},
		{"two geo roles", cube(t, `{"geo": ["Region", "Fylke"]}`, []string{"Region:0301", "Fylke:03", "Tid:2024"}, `[1]`, ""),
			`x.json: field "role.geo": names 2 dimensions (Region, Fylke); expected one`},
		{"region is time", cube(t, `{"geo": ["Tid"], "time": ["Tid"]}`, []string{"Region:0301", "Tid:2024"}, `[1]`, ""),
			`dimension "Tid" is both the region and the time`},
		{"statistics without Personer1", cube(t, stdRoles, []string{"Region:0301", "ContentsCode:Folketilvekst10,Dode", "Tid:2024"}, `[1, 2]`, ""),
			`x.json: field "dimension.ContentsCode": 2 statistics (Folketilvekst10, Dode) and none is "Personer1"`},
		{"year with quarter", cube(t, stdRoles, []string{"Region:0301", "Tid:2024K1"}, `[1]`, ""),
			`x.json: field "dimension.Tid": "2024K1" is not a year (4 digits)`},
		{"year with sign", cube(t, stdRoles, []string{"Region:0301", "Tid:+202"}, `[1]`, ""),
			`"+202" is not a year`},
		{"negative", cube(t, stdRoles, []string{"Region:0301,K-3203", "Tid:2023,2024"}, `[1, 2, 3, -4]`, ""),
			`x.json: field "value": region K-3203, year 2024 (cell 3): -4 is negative`},
		{"fraction", cube(t, stdRoles, []string{"Region:0301", "Tid:2023,2024"}, `[1, 2.5]`, ""),
			`x.json: field "value": region 0301, year 2024 (cell 1): 2.5 is not a whole number`},
		{"too large", cube(t, stdRoles, []string{"Region:0301", "Tid:2024"}, `[1e300]`, ""),
			`region 0301, year 2024 (cell 0): 1e+300 is too large`},
		{"sum too large", cube(t, stdRoles, []string{"Region:0301", "Kjonn:1,2", "Tid:2024"}, `[1e15, 1e15]`, ""),
			`region 0301, year 2024: the sum is too large`},
		{"same region twice after the prefix", cube(t, stdRoles, []string{"Region:0301,K-0301", "Tid:2024"}, `[1, 2]`, ""),
			`x.json: field "dimension.Region": "0301" and "K-0301" are the same region 0301`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseJSONStatPopulation(strings.NewReader(tc.doc), "x.json")
			if err == nil {
				t.Fatalf("no error; %+v", p)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v\nwant it to contain %s", err, tc.want)
			}
		})
	}
}

func TestPopulationFromHandBuiltCube(t *testing.T) {
	c := &Cube{
		IDs: []string{"Region", "Tid"}, Sizes: []int{1, 2},
		Dims: map[string]*Dimension{
			"Region": {ID: "Region", Codes: []string{"K-3203"}},
			"Tid":    {ID: "Tid", Codes: []string{"2023", "2024"}},
		},
		Values: []Cell{{Value: 1, Present: true}, {Value: 2, Present: true}},
	}
	p, err := PopulationFromCube(c, "hand")
	if err != nil {
		t.Fatal(err)
	}
	if got := figures(p); !reflect.DeepEqual(got, map[string]int64{"3203/2023": 1, "3203/2024": 2}) {
		t.Errorf("figures = %v", got)
	}
	for name, broken := range map[string]func(c *Cube){
		"values":      func(c *Cube) { c.Values = c.Values[:1] },
		"sizes":       func(c *Cube) { c.Sizes = []int{1} },
		"dimension":   func(c *Cube) { delete(c.Dims, "Tid") },
		"codes":       func(c *Cube) { c.Dims["Tid"].Codes = []string{"2023"} },
		"same year":   func(c *Cube) { c.Dims["Tid"].Codes = []string{"2024", "2024"} },
		"id twice":    func(c *Cube) { c.IDs = []string{"Region", "Region"}; c.Sizes = []int{1, 1}; c.Values = c.Values[:1] },
		"nil cube":    nil,
		"negative sz": func(c *Cube) { c.Sizes = []int{-1, -2} },
	} {
		c := &Cube{
			IDs: []string{"Region", "Tid"}, Sizes: []int{1, 2},
			Dims: map[string]*Dimension{
				"Region": {ID: "Region", Codes: []string{"0301"}},
				"Tid":    {ID: "Tid", Codes: []string{"2023", "2024"}},
			},
			Values: make([]Cell, 2),
		}
		if broken == nil {
			c = nil
		} else {
			broken(c)
		}
		if _, err := PopulationFromCube(c, "hand"); err == nil || !strings.HasPrefix(err.Error(), "hand: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestNormaliseRegion(t *testing.T) {
	for code, want := range map[string]string{
		"0": "0", "K-0": "0", "03": "03", "F-03": "03", "32": "32", "0301": "0301", "K-0301": "0301", "K-3203": "3203", "5501": "5501",
		"K-Rest": "", "21-22": "", "K-21-22": "", "21": "", "22": "", "23": "", "99": "", "00": "",
		"9999": "", "2111": "", "2211": "", "2311": "", "0399": "", "0300": "", "0000": "",
		"": "", "K-": "", "301": "", "03011": "", "K-F-03": "", "k-0301": "", " 0301": "", "0301 ": "", "03a1": "", "٠٣": "",
	} {
		got, ok := normaliseRegion(code)
		if got != want || ok != (want != "") {
			t.Errorf("normaliseRegion(%q) = %q, %v; want %q", code, got, ok, want)
		}
	}
}

// A cube without cells must not cost memory for every (region, year):
// 5000 regions × 5000 years would be a gigabyte.
func TestPopulationNoCellsIsCheap(t *testing.T) {
	doc := cube(t, stdRoles, []string{"Region:" + strings.Join(municipalityCodes(5000), ","), "Kjonn:", "Tid:" + manyYears(5000)}, `[]`, "")
	c, err := DecodeJSONStat(strings.NewReader(doc), "x.json")
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	p, err := PopulationFromCube(c, "x.json")
	runtime.ReadMemStats(&after)
	if err != nil || len(p.Observations)+len(p.Missing)+len(p.Skipped) != 0 {
		t.Fatalf("%v %+v", err, p)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 10<<20 {
		t.Errorf("allocated %d MiB for a cube without cells", n>>20)
	}
}

func manyYears(n int) string {
	years := make([]string, n)
	for i := range years {
		years[i] = strconv.Itoa(1000 + i)
	}
	return strings.Join(years, ",")
}
