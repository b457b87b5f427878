package ssb

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// formatsExample is the JSON-stat 2.0 example of FORMATS.md: Oslo and Asker
// (3203) in 2023 and 2024, with Asker's 2023 cell missing.
const formatsExample = `{
  "version": "2.0", "class": "dataset",
  "label": "07459: Befolkning, etter region, statistikkvariabel og år",
  "source": "Statistisk sentralbyrå", "updated": "2024-02-21T07:00:00Z",
  "id": ["Region", "ContentsCode", "Tid"], "size": [2, 1, 2],
  "dimension": {
    "Region": {"label": "region", "category": {"index": {"0301": 0, "3203": 1}, "label": {"0301": "Oslo", "3203": "Asker"}}},
    "ContentsCode": {"label": "statistikkvariabel", "category": {"index": {"Personer1": 0}, "label": {"Personer1": "Personer"},
      "unit": {"Personer1": {"base": "personer", "decimals": 0}}}},
    "Tid": {"label": "år", "category": {"index": {"2023": 0, "2024": 1}, "label": {"2023": "2023", "2024": "2024"}}}
  },
  "value": [709037, 717710, null, 98815],
  "status": {"2": ".."},
  "role": {"geo": ["Region"], "metric": ["ContentsCode"], "time": ["Tid"]},
  "extension": {"px": {"tableid": "07459", "decimals": 0}}
}`

func obs(p *Population) map[string]int64 {
	m := map[string]int64{}
	for _, o := range p.Observations {
		m[o.Region+"/"+strconv.Itoa(o.Year)] = o.Persons
	}
	return m
}

func TestJSONStatFormatsExample(t *testing.T) {
	p, err := ParseJSONStatPopulation(strings.NewReader(formatsExample), "07459.json")
	if err != nil {
		t.Fatal(err)
	}
	got := obs(p)
	if got["0301/2023"] != 709037 || got["0301/2024"] != 717710 || got["3203/2024"] != 98815 || len(got) != 3 {
		t.Errorf("observations = %v", got)
	}
	if len(p.Missing) != 1 || p.Missing[0] != (Missing{"3203", 2023, ".."}) {
		t.Errorf("missing = %v, want 3203 2023 with status ..", p.Missing)
	}
	if p.Table != "07459" || p.Source != "Statistisk sentralbyrå" {
		t.Errorf("metadata = %q %q", p.Table, p.Source)
	}
}

func TestJSONStatShapes(t *testing.T) {
	// 1.x wrapper, array index, sparse values, K- prefix, summing over Kjonn.
	v1 := `{"dataset": {"label": "x", "dimension": {
	  "id": ["Region", "Kjonn", "Tid"], "size": [2, 2, 1], "role": {"geo": ["Region"], "time": ["Tid"]},
	  "Region": {"category": {"index": ["K-3203", "F-32"]}},
	  "Kjonn": {"category": {"index": ["1", "2"]}},
	  "Tid": {"category": {"index": ["2024"]}}},
	  "value": {"0": 49000, "1": 49815, "2": 330000, "3": 5}}}`
	p, err := ParseJSONStatPopulation(strings.NewReader(v1), "v1.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := obs(p); got["3203/2024"] != 98815 || got["32/2024"] != 330005 {
		t.Errorf("observations = %v", got)
	}
	// A null in a summed cell makes the whole figure missing.
	withNull := strings.Replace(v1, `"3": 5`, `"3": null`, 1)
	p, err = ParseJSONStatPopulation(strings.NewReader(withNull), "v1.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := obs(p)["32/2024"]; ok || len(p.Missing) != 1 {
		t.Errorf("a partly missing sum must be missing: %v / %v", obs(p), p.Missing)
	}
	// Codes that are not regions of ours are reported, not imported.
	rest := strings.Replace(formatsExample, `"3203": 1}, "label": {"0301": "Oslo", "3203": "Asker"}`, `"K-Rest": 1}`, 1)
	p, err = ParseJSONStatPopulation(strings.NewReader(rest), "rest.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Skipped) != 1 || p.Skipped[0] != "K-Rest" {
		t.Errorf("skipped = %v", p.Skipped)
	}
}

func TestJSONStatErrors(t *testing.T) {
	for _, tc := range []struct {
		name, edit, want string
	}{
		{"size mismatch", `"size": [2, 1, 3]`, `07459.json: dimension.Tid: 2 categories but size 3`},
		{"value count", `"value": [709037, 717710, null]`, `size says 4 cells but value has 3`},
		{"unknown dimension", `"id": ["Region", "ContentsCode", "Aar"]`, `unknown dimension "Aar"`},
		{"id/size length", `"size": [2, 1]`, `3 dimensions in "id" but 2 sizes`},
		{"negative", `"value": [709037, -1, null, 98815]`, `region 0301 year 2024: -1 is not a whole, non-negative number`},
		{"fraction", `"value": [709037, 1.5, null, 98815]`, `1.5 is not a whole`},
		{"not a number", `"value": [709037, "x", null, 98815]`, `cell 1`},
		{"class", `"class": "collection"`, `class: "collection" is not "dataset"`},
	} {
		var doc string
		switch {
		case strings.HasPrefix(tc.edit, `"size"`):
			doc = strings.Replace(formatsExample, `"size": [2, 1, 2]`, tc.edit, 1)
		case strings.HasPrefix(tc.edit, `"value"`):
			doc = strings.Replace(formatsExample, `"value": [709037, 717710, null, 98815]`, tc.edit, 1)
		case strings.HasPrefix(tc.edit, `"id"`):
			doc = strings.Replace(formatsExample, `"id": ["Region", "ContentsCode", "Tid"]`, tc.edit, 1)
		case strings.HasPrefix(tc.edit, `"class"`):
			doc = strings.Replace(formatsExample, `"class": "dataset"`, tc.edit, 1)
		}
		_, err := ParseJSONStatPopulation(strings.NewReader(doc), "07459.json")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := ParseJSONStatPopulation(strings.NewReader("<html>"), "x.json"); err == nil || !strings.Contains(err.Error(), "x.json: not JSON-stat") {
		t.Errorf("html: %v", err)
	}
}

func TestStatbankCSVRealFiles(t *testing.T) {
	f, err := os.Open("testdata/folkemengde_2018-2019_kommune_fylke.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := ParseStatbankCSV(f, "folkemengde.csv")
	if err != nil {
		t.Fatal(err)
	}
	got := obs(p)
	if got["0301/2018"] != 673469 || got["0301/2019"] != 681071 || got["0/2018"] != 5295619 || got["0/2019"] != 5328212 || got["01/2018"] != 295420 {
		t.Errorf("wide file: Oslo %d/%d, country %d/%d", got["0301/2018"], got["0301/2019"], got["0/2018"], got["0/2019"])
	}
	var sum2018 int64
	munis := 0
	for _, o := range p.Observations {
		if len(o.Region) == 4 && o.Year == 2018 {
			sum2018 += o.Persons
			munis++
		}
	}
	if munis != 422 || sum2018 != 5295619 {
		t.Errorf("wide file: %d municipalities summing to %d; want 422 and 5295619", munis, sum2018)
	}
	g, err := os.Open("testdata/befolkning_2013-2015_aldersgrupper_kommune.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	p, err = ParseStatbankCSV(g, "befolkning.csv")
	if err != nil {
		t.Fatal(err)
	}
	got = obs(p)
	if got["0301/2013"] != 623966 || got["0301/2014"] != 634463 || got["0301/2015"] != 647676 {
		t.Errorf("long file: Oslo = %d %d %d", got["0301/2013"], got["0301/2014"], got["0301/2015"])
	}
}

func TestStatbankCSVInput(t *testing.T) {
	good := "name;2018;2019;increase\n;;;\n0101 Halden;31 037;31177;0,5\n0104 Moss;..;-;\n"
	for name, in := range map[string]string{"LF": good, "BOM": "\uFEFF" + good, "CRLF": strings.ReplaceAll(good, "\n", "\r\n"), "CR": strings.ReplaceAll(good, "\n", "\r")} {
		p, err := ParseStatbankCSV(strings.NewReader(in), "x.csv")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got := obs(p)
		if got["0101/2018"] != 31037 || got["0104/2019"] != 0 || len(p.Missing) != 1 || p.Missing[0].Region != "0104" {
			t.Errorf("%s: %v missing %v", name, got, p.Missing)
		}
	}
	for _, tc := range []struct{ name, in, want string }{
		{"latin-1", "name;2018\n0101 Halden;1\n0301 Oslo;2\n0219 B\xe6rum;3\n", "x.csv: line 4: the line is not UTF-8"},
		{"stray BOM", "name;2018\n0101 Halden;1\n\uFEFF0301 Oslo;2\n", "x.csv: line 3: a byte-order mark"},
		{"no years", "a;b;c\n1;2;3\n", "x.csv: line 1: header: no year columns"},
		{"not a number", "name;2018\n0101 Halden;12 3a\n", `x.csv: line 2: column "2018": "12 3a" is not a whole number`},
		{"negative", "name;2018\n0101 Halden;-5\n", `line 2: column "2018": "-5" is negative`},
		{"bad region", "name;2018\nHalden;5\n", `line 2: column "name": "Halden" does not start with a region code`},
		{"duplicate", "name;2018\n0101 Halden;5\n0101 Halden;6\n", "line 3: column \"2018\": region 0101 year 2018 already given on line 2"},
		{"short row", "name;2018;2019\n0101 Halden;5\n", "line 2: 2 cells, but the header has 3"},
		{"long bad year", "Region;Alder;Tid;value\n0101;F0-19;13;5\n", `line 2: column "Tid": "13" is not a year`},
		{"long duplicate", "Region;Alder;Tid;value\n0101;F0-19;2013;5\n0101;F0-19;2013;6\n", "line 3: column \"value\": the same row as line 2"},
		{"empty", "name;2018\n", "no figures"},
	} {
		_, err := ParseStatbankCSV(strings.NewReader(tc.in), "x.csv")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestKlassChanges(t *testing.T) {
	in := `{"codeChanges": [
	  {"oldCode": "0220", "oldName": "Asker", "oldShortName": "", "newCode": "3025", "newName": "Asker", "newShortName": "", "changeOccurred": "2020-01-01"},
	  {"oldCode": "30", "oldName": "Viken", "newCode": "32", "newName": "Akershus", "changeOccurred": "2024-01-01", "extra": 1}]}`
	list, err := ParseKlassChanges(strings.NewReader(in), "changes.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].OldCode != "0220" || list[0].NewCode != "3025" || list[0].Occurred.Format("2006-01-02") != "2020-01-01" {
		t.Errorf("list = %+v", list)
	}
	if l, err := ParseKlassChanges(strings.NewReader(`{"codeChanges": []}`), "e.json"); err != nil || len(l) != 0 {
		t.Errorf("empty list: %v %v", l, err)
	}
	for _, tc := range []struct{ in, want string }{
		{`{"codeChanges": [{"oldCode": "0220", "newCode": "3025", "changeOccurred": "2023-02-30"}]}`, `codeChanges[0].changeOccurred: "2023-02-30" is not a date`},
		{`{"codeChanges": [{"oldCode": "0220", "newCode": "3025", "changeOccurred": "2020-01-01"}, {"oldCode": "22O", "newCode": "3025", "changeOccurred": "2020-01-01"}]}`, `codeChanges[1].oldCode: "22O" is not a 2- or 4-digit code`},
		{`{"codeChanges": [{"newCode": "3025", "changeOccurred": "2020-01-01"}]}`, `codeChanges[0].oldCode: missing`},
		{`{"codeChanges": [{"oldCode": "02", "newCode": "3025", "changeOccurred": "2020-01-01"}]}`, `not the same kind of code`},
		{`{"changes": []}`, `codeChanges: missing`},
		{`[1,2]`, `not a KLASS changes document`},
	} {
		_, err := ParseKlassChanges(strings.NewReader(tc.in), "c.json")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err = %v, want %q", err, tc.want)
		}
	}
}
