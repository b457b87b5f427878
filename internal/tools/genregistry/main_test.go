package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// The fixtures in testdata are excerpts of the source files (a few
// KommSummer groups with the matching rows of the wide table) plus the
// complete county files.
func generateFixtures(t *testing.T) *Result {
	t.Helper()
	res, err := Generate(os.DirFS("testdata"))
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return res
}

func readRows(t *testing.T, data []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	return recs
}

func hasRow(rows [][]string, want string) bool {
	for _, r := range rows {
		if strings.Join(r, ",") == want {
			return true
		}
	}
	return false
}

func TestDeterministic(t *testing.T) {
	a := generateFixtures(t)
	for i := 0; i < 5; i++ {
		b := generateFixtures(t)
		if !bytes.Equal(a.Organisations, b.Organisations) || !bytes.Equal(a.Changes, b.Changes) {
			t.Fatal("two runs on the same input give different output")
		}
		if strings.Join(a.Notes, "\n") != strings.Join(b.Notes, "\n") {
			t.Fatal("two runs on the same input give different notes")
		}
	}
	for name, data := range map[string][]byte{"organisations": a.Organisations, "changes": a.Changes} {
		if bytes.Contains(data, []byte("\r")) || !bytes.HasSuffix(data, []byte("\n")) {
			t.Errorf("%s: want LF line ends and a final newline", name)
		}
	}
	if !bytes.HasPrefix(a.Organisations, []byte("kind,code,name,valid_from,valid_to\n")) {
		t.Errorf("organisations header: %q", bytes.SplitN(a.Organisations, []byte("\n"), 2)[0])
	}
	if !bytes.HasPrefix(a.Changes, []byte("kind,date,change,old_code,old_name,new_code,new_name\n")) {
		t.Errorf("changes header: %q", bytes.SplitN(a.Changes, []byte("\n"), 2)[0])
	}
}

func TestFixtureOrganisations(t *testing.T) {
	rows := readRows(t, generateFixtures(t).Organisations)
	for _, want := range []string{
		"municipality,0301,Oslo,,",
		"municipality,0220,Asker,,2019-12-31",
		"municipality,3025,Asker,2020-01-01,2023-12-31", // tag (2020-2023)
		"municipality,3203,Asker,2024-01-01,",           // county 32 exists from 2024
		"municipality,0716,Våle,,2001-12-31",            // "0716u": earlier period of a reused code
		"municipality,0716,Re,2002-01-01,2019-12-31",
		"municipality,1505,Kristiansund,2008-01-01,",        // same-name predecessor 1503 ended 2007
		"municipality,1804,Bodø,,",                          // absorbed Skjerstad, kept its code
		"municipality,1103,Stavanger,,",                     // wide table lacks its row; 2019 list has it
		"municipality,5001,Trondheim - Tråante,2018-01-01,", // idem, county 50 from 2018
		"municipality,5061,Rindal,2019-01-01,",              // wide table row with a constant code ignored
		"municipality,1580,Haram,2024-01-01,",               // re-established after 2020
		"municipality,1940,Gáivuotna - Kåfjord - Kaivuono,1931-01-01,2019-12-31",
		"municipality,5426,Gáivuotna - Kåfjord - Kaivuono,2020-01-01,2023-12-31",
		"county,50,Trøndelag,2018-01-01,",
		"county,16,Sør-Trøndelag,,2017-12-31",
		"county,38,Vestfold og Telemark,2020-01-01,2023-12-31",
		"county,15,Møre og Romsdal,,",
		"county,31,Østfold,2024-01-01,",
	} {
		if !hasRow(rows, want) {
			t.Errorf("missing organisation row %q", want)
		}
	}
	for _, r := range rows {
		if r[0] == "municipality" && (r[1] == "9999" || strings.HasPrefix(r[1], "21") || strings.HasPrefix(r[1], "23")) {
			t.Errorf("non-municipality code kept: %v", r)
		}
	}
}

func TestFixtureChanges(t *testing.T) {
	rows := readRows(t, generateFixtures(t).Changes)
	for _, want := range []string{
		"municipality,2020-01-01,merge,0220,Asker,3025,Asker",
		"municipality,2020-01-01,merge,0627,Røyken,3025,Asker",
		"municipality,2024-01-01,renumbering,3025,Asker,3203,Asker",
		"municipality,2002-01-01,merge,0716,Våle,0716,Re",
		"municipality,2002-01-01,merge,0718,Ramnes,0716,Re",
		"municipality,2005-01-01,merge,1842,Skjerstad,1804,Bodø",
		"municipality,2018-01-01,renumbering,1601,Trondheim,5001,Trondheim - Tråante",
		"municipality,2020-01-01,merge,5030,Klæbu,5001,Trondheim - Tråante",
		"municipality,2019-01-01,renumbering,1567,Rindal,5061,Rindal",
		"municipality,2020-01-01,merge,1141,Finnøy,1103,Stavanger",
		"municipality,2020-01-01,renumbering,1940,Gáivuotna - Kåfjord - Kaivuono,5426,Gáivuotna - Kåfjord - Kaivuono",
		// Part of Sørum went to Nes; SSB groups Sørum with Lillestrøm.
		"municipality,2020-01-01,merge,0226,Sørum,3030,Lillestrøm",
		"municipality,2020-01-01,transfer,0226,Sørum,3034,Nes",
		// Split municipalities (K.Rest).
		"municipality,2020-01-01,split,1850,Divtasvuodna - Tysfjord,1806,Narvik",
		"municipality,2020-01-01,split,1850,Divtasvuodna - Tysfjord,1875,Hamarøy",
		"municipality,2020-01-01,split,5012,Snillfjord,5055,Heim",
		"municipality,2020-01-01,split,5012,Snillfjord,5056,Hitra",
		"municipality,2020-01-01,split,5012,Snillfjord,5059,Orkland",
		"municipality,2020-01-01,split,1571,Halsa,5055,Heim",
		"municipality,2020-01-01,split,1571,Halsa,1566,Surnadal",
		// Haram re-established from Ålesund.
		"municipality,2020-01-01,merge,1534,Haram,1507,Ålesund",
		"municipality,2024-01-01,split,1507,Ålesund,1508,Ålesund",
		"municipality,2024-01-01,split,1507,Ålesund,1580,Haram",
		// Rindal moved county in 2019.
		"county,2019-01-01,transfer,15,Møre og Romsdal,50,Trøndelag",
	} {
		if !hasRow(rows, want) {
			t.Errorf("missing change row %q", want)
		}
	}
	for _, r := range rows {
		if r[3] == "0301" || r[5] == "0301" {
			t.Errorf("unexpected change for Oslo: %v", r)
		}
	}
}

func TestSplitTag(t *testing.T) {
	for _, tc := range []struct {
		in       string
		name     string
		from, to int
	}{
		{"Asker (2020-2023)", "Asker", 2020, 2023},
		{"Røyken (-2019)", "Røyken", 0, 2019},
		{"Oslo", "Oslo", 0, 0},
		{"Våler (Østfold)", "Våler (Østfold)", 0, 0},
		{"Våler (Østfold) (-2019)", "Våler (Østfold)", 0, 2019},
		{"Kristiansund  (-2007)", "Kristiansund", 0, 2007},
		{"Porsanger - Porsángu - Porsanki ", "Porsanger - Porsángu - Porsanki", 0, 0},
	} {
		name, from, to := splitTag(tc.in)
		if name != tc.name || from != tc.from || to != tc.to {
			t.Errorf("splitTag(%q) = %q, %d, %d; want %q, %d, %d", tc.in, name, from, to, tc.name, tc.from, tc.to)
		}
	}
}

func TestPadCode(t *testing.T) {
	for in, want := range map[string]string{"301": "0301", "0716u": "0716", "3203": "3203", "3": "03"} {
		n := 4
		if in == "3" {
			n = 2
		}
		if got, err := padCode(in, n); err != nil || got != want {
			t.Errorf("padCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "12345", "x1"} {
		if _, err := padCode(bad, 4); err == nil {
			t.Errorf("padCode(%q): want an error", bad)
		}
	}
}

func TestSameName(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Trondheim", "Trondheim - Tråante", true},
		{"Våler (Viken)", "Våler (Østfold)", true},
		{"Hamarøy - Hábmer", "Hamarøy", true},
		{"Finnøy", "Stavanger", false},
		{"Sande (Vestfold)", "Holmestrand", false},
	} {
		if got := sameName(tc.a, tc.b); got != tc.want {
			t.Errorf("sameName(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
	if got := properName("Vestfold Og Telemark"); got != "Vestfold og Telemark" {
		t.Errorf("properName: %q", got)
	}
}

// TestMissingFile checks that a missing source file is an error, not a
// silently smaller registry.
func TestMissingFile(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, name := range []string{fileKommSummer, fileWide, fileCounties, fileCounties2024, filePopulation} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	if _, err := Generate(fsys); err != nil {
		t.Fatalf("complete fixtures: %v", err)
	}
	for name := range fsys {
		partial := fstest.MapFS{}
		for n, f := range fsys {
			if n != name {
				partial[n] = f
			}
		}
		if _, err := Generate(partial); err == nil {
			t.Errorf("no error without %s", name)
		}
	}
}

// TestOverlapRejected checks that two periods of one code that overlap stop
// the generation.
func TestOverlapRejected(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, name := range []string{fileKommSummer, fileWide, fileCounties, fileCounties2024, filePopulation} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	ks := string(fsys[fileKommSummer].Data) + "K.3203,Asker,3025,Asker II (2022-2024)\n"
	fsys[fileKommSummer] = &fstest.MapFile{Data: []byte(ks)}
	if _, err := Generate(fsys); err == nil || !strings.Contains(err.Error(), "overlapping") {
		t.Errorf("want an overlap error, got %v", err)
	}
}
