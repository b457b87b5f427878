package ssb

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

// formatsExample is the JSON-stat 2.0 answer of SSB table 07459 described
// in the format notes: Oslo and Asker (3203) on 1 January 2023 and 2024;
// Asker 2023 is null with status "..", as code 3203 started in 2024.
func formatsExample(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("testdata/07459_example.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// edit replaces old by new in doc once, failing the test if old is absent,
// so that a case cannot silently test the unchanged document.
func edit(t testing.TB, doc, old, new string) string {
	t.Helper()
	if !strings.Contains(doc, old) {
		t.Fatalf("%q is not in the document", old)
	}
	return strings.Replace(doc, old, new, 1)
}

func TestDecodeJSONStatFormatsExample(t *testing.T) {
	c, err := DecodeJSONStat(strings.NewReader(formatsExample(t)), "07459.json")
	if err != nil {
		t.Fatal(err)
	}
	if c.Label != "07459: Befolkning, etter region, statistikkvariabel og år" || c.Source != "Statistisk sentralbyrå" ||
		c.Updated != "2024-02-21T07:00:00Z" || c.TableID != "07459" {
		t.Errorf("metadata: %q %q %q %q", c.Label, c.Source, c.Updated, c.TableID)
	}
	if !reflect.DeepEqual(c.IDs, []string{"Region", "ContentsCode", "Tid"}) || !reflect.DeepEqual(c.Sizes, []int{2, 1, 2}) {
		t.Errorf("ids %v sizes %v", c.IDs, c.Sizes)
	}
	r := c.Dims["Region"]
	if r == nil || r.ID != "Region" || r.Label != "region" || !reflect.DeepEqual(r.Codes, []string{"0301", "3203"}) || r.Labels["3203"] != "Asker" {
		t.Errorf("Region = %+v", r)
	}
	if u := c.Dims["ContentsCode"].Units["Personer1"]; u != (Unit{Base: "personer", Decimals: 0}) {
		t.Errorf("unit = %+v", u)
	}
	if !reflect.DeepEqual(c.Roles, map[string][]string{"geo": {"Region"}, "metric": {"ContentsCode"}, "time": {"Tid"}}) {
		t.Errorf("roles = %v", c.Roles)
	}
	want := []Cell{{709037, true, ""}, {717710, true, ""}, {0, false, ".."}, {98815, true, ""}}
	if !reflect.DeepEqual(c.Values, want) {
		t.Errorf("values = %v, want %v", c.Values, want)
	}
	for _, tc := range []struct {
		coords map[string]string
		pos    int
		ok     bool
	}{
		{map[string]string{"Region": "0301", "ContentsCode": "Personer1", "Tid": "2024"}, 1, true},
		{map[string]string{"Region": "3203", "ContentsCode": "Personer1", "Tid": "2023"}, 2, true},
		{map[string]string{"Region": "3203", "ContentsCode": "Personer1", "Tid": "2024", "Kjonn": "1"}, 3, true},
		{map[string]string{"Region": "3203", "Tid": "2024"}, 0, false},
		{map[string]string{"Region": "K-3203", "ContentsCode": "Personer1", "Tid": "2024"}, 0, false},
		{nil, 0, false},
	} {
		pos, ok := c.Index(tc.coords)
		if pos != tc.pos || ok != tc.ok {
			t.Errorf("Index(%v) = %d, %v; want %d, %v", tc.coords, pos, ok, tc.pos, tc.ok)
		}
	}
	if i, _ := c.Index(map[string]string{"Region": "0301", "ContentsCode": "Personer1", "Tid": "2024"}); c.Values[i].Value != 717710 {
		t.Errorf("Oslo 2024 = %v", c.Values[i])
	}
}

func TestDecodeJSONStatShapes(t *testing.T) {
	ex := formatsExample(t)
	for _, tc := range []struct {
		name  string
		doc   string
		check func(t *testing.T, c *Cube)
	}{
		{"index as array, no labels", edit(t, ex, `"index": { "0301": 0, "3203": 1 },
                    "label": { "0301": "Oslo", "3203": "Asker" }`, `"index": ["0301", "3203"]`),
			func(t *testing.T, c *Cube) {
				d := c.Dims["Region"]
				if !reflect.DeepEqual(d.Codes, []string{"0301", "3203"}) || d.Labels["0301"] != "0301" || d.Labels["3203"] != "3203" {
					t.Errorf("Region = %+v", d)
				}
				if i, ok := c.Index(map[string]string{"Region": "3203", "ContentsCode": "Personer1", "Tid": "2024"}); !ok || c.Values[i].Value != 98815 {
					t.Errorf("Asker 2024 at %d %v", i, ok)
				}
			}},
		{"index object out of order", edit(t, ex, `{ "2023": 0, "2024": 1 }`, `{ "2024": 1, "2023": 0 }`),
			func(t *testing.T, c *Cube) {
				if got := c.Dims["Tid"].Codes; !reflect.DeepEqual(got, []string{"2023", "2024"}) {
					t.Errorf("codes = %v", got)
				}
			}},
		{"dimension without label", edit(t, ex, `"Tid": { "label": "år",`, `"Tid": {`),
			func(t *testing.T, c *Cube) {
				if c.Dims["Tid"].Label != "Tid" {
					t.Errorf("label = %q", c.Dims["Tid"].Label)
				}
			}},
		{"one category without index", edit(t, ex, `"index": { "Personer1": 0 }, `, ``),
			func(t *testing.T, c *Cube) {
				if got := c.Dims["ContentsCode"].Codes; !reflect.DeepEqual(got, []string{"Personer1"}) {
					t.Errorf("codes = %v", got)
				}
			}},
		{"sparse value", edit(t, ex, `[709037, 717710, null, 98815]`, `{"0": 709037, "3": 98815, "1": 717710}`),
			func(t *testing.T, c *Cube) {
				want := []Cell{{709037, true, ""}, {717710, true, ""}, {0, false, ".."}, {98815, true, ""}}
				if !reflect.DeepEqual(c.Values, want) {
					t.Errorf("values = %v", c.Values)
				}
			}},
		{"status array", edit(t, ex, `{ "2": ".." }`, `[null, null, "..", "-"]`),
			func(t *testing.T, c *Cube) {
				if c.Values[2].Status != ".." || c.Values[3].Status != "-" || c.Values[0].Status != "" {
					t.Errorf("values = %v", c.Values)
				}
			}},
		{"status array of one", edit(t, ex, `{ "2": ".." }`, `[":"]`),
			func(t *testing.T, c *Cube) {
				for _, v := range c.Values {
					if v.Status != ":" {
						t.Errorf("values = %v", c.Values)
					}
				}
			}},
		{"status string", edit(t, ex, `{ "2": ".." }`, `"."`),
			func(t *testing.T, c *Cube) {
				for _, v := range c.Values {
					if v.Status != "." {
						t.Errorf("values = %v", c.Values)
					}
				}
			}},
		{"status null", edit(t, ex, `{ "2": ".." }`, `null`),
			func(t *testing.T, c *Cube) {
				if c.Values[2] != (Cell{}) {
					t.Errorf("values = %v", c.Values)
				}
			}},
		{"BOM and CRLF", "\uFEFF" + strings.ReplaceAll(ex, "\n", "\r\n"),
			func(t *testing.T, c *Cube) {
				if len(c.Values) != 4 {
					t.Errorf("values = %v", c.Values)
				}
			}},
		{"table id as a number, unknown members", edit(t, ex, `"tableid": "07459"`, `"tableid": 7459, "x": [1, {"y": 2}]`),
			func(t *testing.T, c *Cube) {
				if c.TableID != "7459" {
					t.Errorf("table = %q", c.TableID)
				}
			}},
		{"1.x wrapper", v1Example,
			func(t *testing.T, c *Cube) {
				if !reflect.DeepEqual(c.IDs, []string{"Region", "Kjonn", "Tid"}) || !reflect.DeepEqual(c.Sizes, []int{2, 2, 1}) ||
					c.Roles["geo"][0] != "Region" || c.Label != "Befolkning" || len(c.Values) != 4 || c.Values[3].Value != 5 {
					t.Errorf("cube = %+v", c)
				}
				if _, ok := c.Dims["id"]; ok {
					t.Error(`"id" taken for a dimension`)
				}
			}},
		{"empty dimension", `{"class":"dataset","id":["Region","Tid"],"size":[0,1],"dimension":{"Region":{"category":{"index":[]}},"Tid":{"category":{"index":["2024"]}}},"value":[]}`,
			func(t *testing.T, c *Cube) {
				if len(c.Values) != 0 {
					t.Errorf("values = %v", c.Values)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := DecodeJSONStat(strings.NewReader(tc.doc), "x.json")
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c)
		})
	}
}

// v1Example is a JSON-stat 1.x answer (v0 "json-stat"): the dataset is
// wrapped, id, size and role are inside "dimension", the index is an
// array, value is sparse, and the codes carry SSB's K-/F- prefixes.
const v1Example = `{"dataset": {"label": "Befolkning", "source": "SSB", "updated": "2024-02-21",
  "dimension": {
    "id": ["Region", "Kjonn", "Tid"], "size": [2, 2, 1], "role": {"geo": ["Region"], "time": ["Tid"]},
    "Region": {"label": "region", "category": {"index": ["K-3203", "F-32"], "label": {"K-3203": "Asker", "F-32": "Akershus"}}},
    "Kjonn": {"category": {"index": ["1", "2"]}},
    "Tid": {"category": {"index": ["2024"]}}},
  "value": {"0": 49000, "1": 49815, "2": 330000, "3": 5}}}`

func TestDecodeJSONStatErrors(t *testing.T) {
	ex := formatsExample(t)
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"not JSON", "<html><body>Bad request</body></html>", `07459.json: line 1: not valid JSON: invalid character '<'`},
		{"syntax error line", edit(t, ex, `"source": "Statistisk sentralbyrå",`, `"source": "Statistisk sentralbyrå"`), `07459.json: line 6: not valid JSON`},
		{"empty", " \n", `07459.json: the file is empty`},
		{"truncated", ex[:200], `the JSON document ends too early`},
		{"trailing data", ex + "{}", `07459.json: line 24: data after the end of the JSON document`},
		{"array", `[1, 2]`, `07459.json: line 1: not a JSON-stat dataset: the document is an array, not an object`},
		{"empty object", `{}`, `07459.json: not a JSON-stat dataset: no "class", "id" or "dimension"`},
		{"class missing", edit(t, ex, `"class": "dataset",`, ``), `07459.json: field "class": missing`},
		{"class collection", edit(t, ex, `"class": "dataset"`, `"class": "collection"`), `07459.json: field "class": "collection" is not "dataset"`},
		{"class not a string", edit(t, ex, `"class": "dataset"`, `"class": 2`), `07459.json: line 3: field "class": has a number where a string was expected`},
		{"id and size", edit(t, ex, `[2, 1, 2]`, `[2, 1]`), `07459.json: field "size": 3 dimensions in "id" but 2 sizes`},
		{"size not numbers", edit(t, ex, `[2, 1, 2]`, `["2", 1, 2]`), `07459.json: line 8: field "size": has a string where a whole number was expected`},
		{"id missing", edit(t, ex, `"id":   ["Region", "ContentsCode", "Tid"],`, ``), `07459.json: field "id": missing or empty`},
		{"unknown dimension", edit(t, ex, `["Region", "ContentsCode", "Tid"]`, `["Region", "ContentsCode", "Aar"]`), `07459.json: field "id": unknown dimension "Aar"`},
		{"dimension twice", edit(t, ex, `["Region", "ContentsCode", "Tid"]`, `["Region", "Region", "Tid"]`), `field "id": dimension "Region" appears twice`},
		{"categories and size", edit(t, ex, `[2, 1, 2]`, `[2, 1, 3]`), `07459.json: field "dimension.Tid": 2 categories but size 3`},
		{"negative size", edit(t, ex, `[2, 1, 2]`, `[2, -1, 2]`), `field "size": size -1 of "ContentsCode" is negative`},
		{"too many cells", edit(t, ex, `[2, 1, 2]`, `[10000, 1001, 1]`), `07459.json: field "size": [10000 1001 1] is more than the limit of 10000000 cells`},
		{"size overflow", edit(t, ex, `[2, 1, 2]`, `[3037000500, 3037000500, 4]`), `is more than the limit of 10000000 cells`},
		{"no category", edit(t, ex, `"Tid": { "label": "år",
      "category": { "index": { "2023": 0, "2024": 1 }, "label": { "2023": "2023", "2024": "2024" } } }`, `"Tid": {"label": "år"}`), `07459.json: field "dimension.Tid": no "category"`},
		{"index position", edit(t, ex, `{ "0301": 0, "3203": 1 }`, `{ "0301": 0, "3203": 2 }`), `field "dimension.Region.category.index": position 2 of "3203" is out of range or used twice`},
		{"index twice", edit(t, ex, `{ "0301": 0, "3203": 1 }`, `{ "0301": 0, "3203": 0 }`), `out of range or used twice`},
		{"array index twice", edit(t, ex, `{ "0301": 0, "3203": 1 }`, `["0301", "0301"]`), `field "dimension.Region.category.index": category "0301" appears twice`},
		{"index string", edit(t, ex, `{ "0301": 0, "3203": 1 }`, `"0301"`), `field "dimension.Region.category.index": is neither an object nor an array`},
		{"value count", edit(t, ex, `[709037, 717710, null, 98815]`, `[709037, 717710, null]`), `07459.json: field "value": size says 4 cells but value has 3`},
		{"value missing", edit(t, ex, `"value": [709037, 717710, null, 98815],`, ``), `07459.json: field "value": missing`},
		{"value string", edit(t, ex, `[709037, 717710, null, 98815]`, `"x"`), `field "value": is a string, not an array or an object`},
		{"not a number", edit(t, ex, `[709037, 717710, null, 98815]`, `[709037, "717 710", null, 98815]`), `07459.json: line 19: field "value": cell 1: "717 710" is not a number`},
		{"boolean", edit(t, ex, `[709037, 717710, null, 98815]`, `[709037, true, null, 98815]`), `cell 1: true is not a number`},
		{"nested", edit(t, ex, `[709037, 717710, null, 98815]`, `[709037, [1], null, 98815]`), `cell 1: an array is not a number`},
		{"number out of range", edit(t, ex, `[709037, 717710, null, 98815]`, `[709037, 1e999, null, 98815]`), `cell 1: 1e999 is out of range`},
		{"sparse out of range", edit(t, ex, `[709037, 717710, null, 98815]`, `{"0": 1, "4": 2}`), `07459.json: field "value": key "4" is out of range: size says 4 cells`},
		{"sparse key", edit(t, ex, `[709037, 717710, null, 98815]`, `{"0": 1, "-1": 2}`), `field "value": key "-1" is not a cell position`},
		{"sparse not a number", edit(t, ex, `[709037, 717710, null, 98815]`, `{"0": 1, "2": ".."}`), `field "value": cell "2": ".." is not a number`},
		{"status count", edit(t, ex, `{ "2": ".." }`, `[null, ".."]`), `07459.json: field "status": size says 4 cells but status has 2`},
		{"status key", edit(t, ex, `{ "2": ".." }`, `{ "9": ".." }`), `field "status": key "9" is out of range: size says 4 cells`},
		{"status number", edit(t, ex, `{ "2": ".." }`, `{ "2": 1 }`), `field "status": a number is not a status string`},
		{"1.x size", edit(t, v1Example, `"size": [2, 2, 1]`, `"size": [2, 2]`), `x.json: field "dataset.dimension.size": 3 dimensions in "id" but 2 sizes`},
		{"1.x id type", edit(t, v1Example, `"id": ["Region", "Kjonn", "Tid"]`, `"id": "Region"`), `field "dataset.dimension.id": has a string where an array of strings was expected`},
		{"1.x not an object", `{"dataset": [1]}`, `field "dataset": is an array, not an object`},
		{"1.x value count", edit(t, v1Example, `"3": 5`, `"4": 5`), `field "dataset.value": key "4" is out of range`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := "07459.json"
			if strings.HasPrefix(tc.name, "1.x") {
				file = "x.json"
			}
			c, err := DecodeJSONStat(strings.NewReader(tc.doc), file)
			if err == nil {
				t.Fatalf("no error; cube %+v", c)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("%T is not a *ParseError: %v", err, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v\nwant it to contain %s", err, tc.want)
			}
		})
	}
}

// The example message of the package documentation must come out exactly.
func TestJSONStatErrorText(t *testing.T) {
	doc := edit(t, formatsExample(t), `[2, 1, 2]`, `[2, 1]`)
	_, err := DecodeJSONStat(strings.NewReader(doc), "07459.json")
	if err == nil || err.Error() != `07459.json: field "size": 3 dimensions in "id" but 2 sizes` {
		t.Errorf("err = %v", err)
	}
}

func TestParseErrorFormat(t *testing.T) {
	for _, tc := range []struct {
		e    ParseError
		want string
	}{
		{ParseError{"population.csv", 14, `column "2019"`, `"12 3a" is not a whole number`}, `population.csv: line 14: column "2019": "12 3a" is not a whole number`},
		{ParseError{"07459.json", 0, `field "size"`, `3 dimensions in "id" but 2 sizes`}, `07459.json: field "size": 3 dimensions in "id" but 2 sizes`},
		{ParseError{"", 3, "", "bad"}, `line 3: bad`},
		{ParseError{"f", 0, "", "bad"}, `f: bad`},
		{ParseError{Msg: "bad"}, `bad`},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.e, got, tc.want)
		}
	}
}

func TestIndexHandBuiltCube(t *testing.T) {
	c := &Cube{
		IDs: []string{"Region", "Tid"}, Sizes: []int{2, 3},
		Dims: map[string]*Dimension{
			"Region": {ID: "Region", Codes: []string{"0301", "3203"}},
			"Tid":    {ID: "Tid", Codes: []string{"2022", "2023", "2024"}},
		},
		Values: make([]Cell, 6),
	}
	if pos, ok := c.Index(map[string]string{"Region": "3203", "Tid": "2023"}); !ok || pos != 4 {
		t.Errorf("Index = %d %v, want 4", pos, ok)
	}
	c.Values = c.Values[:3] // inconsistent: must not point past the values
	if pos, ok := c.Index(map[string]string{"Region": "3203", "Tid": "2023"}); ok {
		t.Errorf("Index = %d on a cube with 3 values", pos)
	}
	delete(c.Dims, "Tid")
	if _, ok := c.Index(map[string]string{"Region": "3203", "Tid": "2023"}); ok {
		t.Error("Index without the dimension")
	}
}
