package ssb

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	wideFile = "testdata/folkemengde_2018-2019_kommune_fylke.csv"
	longFile = "testdata/befolkning_2013-2015_aldersgrupper_kommune.csv"
)

func TestStatbankCSVWideRealFile(t *testing.T) {
	raw := mustRead(t, wideFile)
	// The file as SSB wrote it had a BOM and old-Mac CR line ends.
	asExported := append([]byte(utf8BOM), bytes.ReplaceAll(raw, []byte("\n"), []byte("\r"))...)
	for name, data := range map[string][]byte{"LF": raw, "BOM and CR": asExported, "CRLF": bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n"))} {
		t.Run(name, func(t *testing.T) {
			p, err := ParseStatbankCSV(bytes.NewReader(data), "folkemengde.csv")
			if err != nil {
				t.Fatal(err)
			}
			got := figures(p)
			for k, want := range map[string]int64{
				"0301/2018": 673469, "0301/2019": 681071, "0/2018": 5295619, "0/2019": 5328212,
				"01/2018": 295420, "01/2019": 297520, "50/2019": 464060, "0101/2018": 31037, "0101/2019": 31177, "2030/2019": 10156,
			} {
				if got[k] != want {
					t.Errorf("%s = %d, want %d", k, got[k], want)
				}
			}
			var munis, counties [2]int64
			var nm, nc int
			for _, o := range p.Observations {
				switch len(o.Region) {
				case 4:
					munis[o.Year-2018] += o.Persons
					nm++
				case 2:
					counties[o.Year-2018] += o.Persons
					nc++
				}
			}
			if nm != 2*422 || nc != 2*18 || munis != [2]int64{5295619, 5328212} || counties != munis {
				t.Errorf("%d municipality figures sum to %v, %d county figures to %v; want 844, 36 and 5295619/5328212", nm, munis, nc, counties)
			}
			if len(p.Observations) != 2*(1+18+422) || len(p.Missing) != 0 || len(p.Skipped) != 0 || p.File != "folkemengde.csv" {
				t.Errorf("%d observations, missing %v, skipped %v", len(p.Observations), p.Missing, p.Skipped)
			}
		})
	}
}

func TestStatbankCSVLongRealFile(t *testing.T) {
	p, err := ParseStatbankCSV(bytes.NewReader(mustRead(t, longFile)), "befolkning.csv")
	if err != nil {
		t.Fatal(err)
	}
	got := figures(p)
	for k, want := range map[string]int64{
		"0301/2013": 623966, "0301/2014": 634463, "0301/2015": 647676,
		"0101/2013": 7170 + 17287 + 5423, // the three age groups of Halden
	} {
		if got[k] != want {
			t.Errorf("%s = %d, want %d", k, got[k], want)
		}
	}
	if len(p.Observations) != 3*423 || len(p.Missing) != 0 || len(p.Skipped) != 0 {
		t.Errorf("%d observations, missing %v, skipped %v; want 1269", len(p.Observations), p.Missing, p.Skipped)
	}
}

func TestStatbankCSVShapes(t *testing.T) {
	const wide = "name;2018;2019;increase 2018-2019;\n;;;;\nHeile landet;5295619;5328212;0,6;\n01 Østfold;295 420;297\u00a0520;0,7;\n0101 Halden;31037;31\u202f177;0,5;\n0104 Moss;..;-;;\n0105 X;.;:;;\n0106 Y;;5;;\n"
	wideWant := map[string]int64{"0/2018": 5295619, "0/2019": 5328212, "01/2018": 295420, "01/2019": 297520, "0101/2018": 31037, "0101/2019": 31177, "0104/2019": 0, "0106/2019": 5}
	wideMissing := []Missing{{"0104", 2018, ".."}, {"0105", 2018, "."}, {"0105", 2019, ":"}, {"0106", 2018, ""}}
	for _, tc := range []struct {
		name    string
		in      string
		want    map[string]int64
		missing []Missing
		skipped []string
	}{
		{"wide", wide, wideWant, wideMissing, nil},
		{"wide, BOM", utf8BOM + wide, wideWant, wideMissing, nil},
		{"wide, CRLF", strings.ReplaceAll(wide, "\n", "\r\n"), wideWant, wideMissing, nil},
		{"wide, CR", strings.ReplaceAll(wide, "\n", "\r"), wideWant, wideMissing, nil},
		{"wide, no trailing separator", strings.ReplaceAll(wide, ";\n", "\n"), wideWant, wideMissing, nil},
		{"wide, tabs", strings.ReplaceAll(strings.ReplaceAll(wide, ";", "\t"), "0,", "0."), wideWant, wideMissing, nil},
		{"wide, commas and quotes", "\"name\",\"2018\",\"2019\",\"increase\"\n\"Hele landet\",\"5295619\",\"5328212\",\"0,6\"\n", map[string]int64{"0/2018": 5295619, "0/2019": 5328212}, nil, nil},
		{"wide, rows with and without a trailing separator", "name;2018\n0101 Halden;1;\n0104 Moss;2\n", map[string]int64{"0101/2018": 1, "0104/2018": 2}, nil, nil},
		{"wide, empty first header cell, other columns ignored", ";2024;endring;2025\n0301 Oslo;1;x;2\n", map[string]int64{"0301/2024": 1, "0301/2025": 2}, nil, nil},
		{"wide, K- codes and codes that are not regions", "region;2024\nK-0301 Oslo;1\nF-03 Oslo;1\nK-Rest Delte kommuner og uoppgitt;7\n21-22 Svalbard og Jan Mayen;2\n23 Kontinentalsokkelen;3\n9999 Uoppgitt;4\n",
			map[string]int64{"0301/2024": 1, "03/2024": 1}, nil, []string{"21-22", "23", "9999", "K-Rest"}},
		{"long", "Region;Alder;Tid;value\n0101;F0-19;2013;7170\n0101;F20-64;2013;17287\n0101;F65+;2013;4651\n0101;F0-19;2014;1\n0101;F20-64;2014;..\n0101;F65+;2014;2\n",
			map[string]int64{"0101/2013": 29108}, []Missing{{"0101", 2014, ".."}}, nil},
		{"long, several dimensions, names in any case", "REGION;kjonn;alder;TID;Verdi\n0301 Oslo;1;000;2024;1\n0301 Oslo;1;001;2024;2\n0301 Oslo;2;000;2024;-\n0301 Oslo;2;001;2024;4\n",
			map[string]int64{"0301/2024": 7}, nil, nil},
		{"long, figure in the last column", "Region,Tid,antall\nK-0301,2024,\"717 710\"\nK-3203,2024,98815\nK-Rest,2024,5\n",
			map[string]int64{"0301/2024": 717710, "3203/2024": 98815}, nil, []string{"K-Rest"}},
		{"long, figure column not last", "Region\tTid\tpersoner\tnote\n0301\t2024\t5\tx\n", map[string]int64{"0301/2024": 5}, nil, nil},
		{"long, statistics with Personer1", "Region;ContentsCode;Tid;value\n0301;Personer1;2024;717710\n0301;Folketilvekst10;2024;1,5\n",
			map[string]int64{"0301/2024": 717710}, nil, nil},
		{"long, one statistic", "Region;statistikkvariabel;Tid;value\n0301;Personer;2024;5\n", map[string]int64{"0301/2024": 5}, nil, nil},
		{"only codes that are not regions", "Region;Tid;value\nK-Rest;2024;1\n", map[string]int64{}, nil, []string{"K-Rest"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseStatbankCSV(strings.NewReader(tc.in), "x.csv")
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
		})
	}
}

func TestStatbankCSVErrors(t *testing.T) {
	// The example of a message: line 14 of a file, column "2019".
	var long strings.Builder
	long.WriteString("name;2018;2019\n")
	for i := range 12 {
		fmt.Fprintf(&long, "%04d Kommune;%d;%d\n", 101+i, i, i)
	}
	long.WriteString("0301 Oslo;1;12 3a\n")
	for _, tc := range []struct{ name, in, want string }{
		{"example", long.String(), `population.csv: line 14: column "2019": "12 3a" is not a whole number`},
		{"latin-1", "name;2018\n0101 Halden;1\n0301 Oslo;2\n0219 B\xe6rum;3\n",
			`population.csv: line 4: byte 0xE6 at character 7 is not UTF-8: the file looks Latin-1 (ISO-8859-1 or Windows-1252) encoded; save it as UTF-8`},
		{"latin-1 with CR", "name;2018\r0101 Halden;1\r0219 B\xe6rum;3\r", `population.csv: line 3: byte 0xE6`},
		{"stray BOM", "name;2018\n0101 Halden;1\n" + utf8BOM + "0301 Oslo;2\n", `population.csv: line 3: a byte-order mark (BOM) in the middle of the file`},
		{"two BOMs", utf8BOM + utf8BOM + "name;2018\n", `population.csv: line 1: a byte-order mark (BOM) in the middle`},
		{"UTF-16", "\xff\xfen\x00a\x00", `population.csv: line 1: the file is UTF-16 encoded`},
		{"NUL", "name;2018\n0\x001\n", `population.csv: line 2: a NUL byte`},
		{"xlsx", "PK\x03\x04\x14\x00", `population.csv: line 1: this is a spreadsheet (xlsx)`},
		{"empty", "", `population.csv: line 1: header: the file is empty; expected "name;2018;2019;…" (a label, then years as columns) or "Region;…;Tid;value" (long form)`},
		{"unknown header", "kommune;antall\n0301;5\n", `population.csv: line 1: header: expected "name;2018;2019;…" (a label, then years as columns) or "Region;…;Tid;value" (long form); found "kommune;antall"`},
		{"year in the first column only", "2018;x\n", `line 1: header: expected`},
		{"long without figure column", "Region;Tid\n0301;2024\n", `line 1: header: expected`},
		{"empty first line", "\nname;2018\n0301 Oslo;1\n", `population.csv: line 1: header: the first line is empty`},
		{"year twice", "name;2018;2018\n", `population.csv: line 1: column "2018": the year 2018 is in two columns`},
		{"short row", "name;2018;2019\n0101 Halden;5\n", `population.csv: line 2: 2 cells, but the header has 3 (name;2018;2019)`},
		{"long row", "name;2018\n0101 Halden;5;6;7\n", `population.csv: line 2: 4 cells, but the header has 2`},
		{"negative", "name;2018\n0101 Halden;-5\n", `population.csv: line 2: column "2018": "-5" is negative`},
		{"decimal", "name;2018\n0101 Halden;5,5\n", `line 2: column "2018": "5,5" is not a whole number`},
		{"plus", "name;2018\n0101 Halden;+5\n", `"+5" is not a whole number`},
		{"bad grouping", "name;2018\n0101 Halden;31 03\n", `"31 03" is not a whole number`},
		{"too large", "name;2018\n0101 Halden;99999999999999999999\n", `"99999999999999999999" is too large`},
		{"no region code", "name;2018\nHalden;5\n", `population.csv: line 2: column "name": "Halden" does not start with a region code`},
		{"duplicate", "name;2018\n0101 Halden;5\n0101 Halden;6\n", `population.csv: line 3: column "2018": region 0101, year 2018 is also on line 2`},
		{"duplicate after the prefix", "Region;Tid;value\n0301;2024;5\nK-0301;2024;6\n", `population.csv: line 3: column "value": the same region, year and group as line 2`},
		{"long bad year", "Region;Alder;Tid;value\n0101;F0-19;13;5\n", `population.csv: line 2: column "Tid": "13" is not a year (4 digits)`},
		{"long duplicate", "Region;Alder;Tid;value\n0101;F0-19;2013;5\n0101;F0-19;2013;6\n", `population.csv: line 3: column "value": the same region, year and group as line 2`},
		{"long not a number", "Region;Alder;Tid;value\n0101;F0-19;2013;5\n\n0101;F20-64;2013;x\n", `population.csv: line 4: column "value": "x" is not a whole number`},
		{"long short row", "Region;Alder;Tid;value\n0101;2013;5\n", `population.csv: line 2: 3 cells, but the header has 4`},
		{"long bad region", "Region;Tid;value\nOslo;2013;5\n", `line 2: column "Region": "Oslo" does not start with a region code`},
		{"long statistics without Personer1", "Region;ContentsCode;Tid;value\n0301;A;2024;1\n0301;B;2024;2\n",
			`population.csv: line 3: column "ContentsCode": 2 statistics (A, B) and none is "Personer1"`},
		{"header only", "name;2018;2019\n;;\n", `population.csv: no rows with figures after the header`},
		{"unclosed quote", "name;2018\n\"0101 Halden;5\n", `population.csv: line 2: 1 cells, but the header has 2`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseStatbankCSV(strings.NewReader(tc.in), "population.csv")
			if err == nil {
				t.Fatalf("no error; %+v", p)
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

func TestParseCount(t *testing.T) {
	for _, tc := range []struct {
		in      string
		n       int64
		status  string
		missing bool
		bad     bool
	}{
		{"0", 0, "", false, false},
		{" 31037 ", 31037, "", false, false},
		{"31 037", 31037, "", false, false},
		{"5 295 619", 5295619, "", false, false},
		{"5\u00a0295\u00a0619", 5295619, "", false, false},
		{"-", 0, "", false, false},
		{"..", 0, "..", true, false},
		{".", 0, ".", true, false},
		{":", 0, ":", true, false},
		{"", 0, "", true, false},
		{"1234 567", 0, "", false, true},
		{"12 3a", 0, "", false, true},
		{"1.000", 0, "", false, true},
		{"−5", 0, "", false, true},
		{"0x10", 0, "", false, true},
	} {
		n, status, missing, err := parseCount(tc.in)
		if n != tc.n || status != tc.status || missing != tc.missing || (err != nil) != tc.bad {
			t.Errorf("parseCount(%q) = %d, %q, %v, %v", tc.in, n, status, missing, err)
		}
	}
}
