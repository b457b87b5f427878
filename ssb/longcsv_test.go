package ssb

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestLongCSVKeepsItsDimensions reads SSB's population by age group
// 2013–2015 as a cube and takes Halden's share aged 65 and over from it.
func TestLongCSVKeepsItsDimensions(t *testing.T) {
	f, err := os.Open("testdata/befolkning_2013-2015_aldersgrupper_kommune.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := CubeFromLongCSV(f, "alder.csv")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.IDs, ",") != "Region,Alder,Tid" || c.Sizes[1] != 3 || c.Sizes[2] != 3 {
		t.Fatalf("dimensions %v sizes %v", c.IDs, c.Sizes)
	}
	old, err := SeriesFromCube(c, "alder.csv", Selection{Keep: map[string][]string{"Alder": {"F65+"}}})
	if err != nil {
		t.Fatal(err)
	}
	all, err := SeriesFromCube(c, "alder.csv", Selection{})
	if err != nil {
		t.Fatal(err)
	}
	if f := old.Figures[0]; f.Region != "0101" || f.Period != "2013" || f.Value != 5423 {
		t.Errorf("Halden 65+ 2013: %+v, want 5423", f)
	}
	if f := all.Figures[0]; f.Value != 7170+17287+5423 {
		t.Errorf("Halden 2013: %+v, want %d", f, 7170+17287+5423)
	}
}

func TestLongCSVErrorsNameTheLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Region;Tid;value\n0301;2024;1\n0301;2024;2\n", "line 3: the same figure as on line 2"},
		{"Region;Tid;value\n0301;2024;12a\n", `line 2: column "value": "12a" is not a number`},
		{"Region;Tid;value\n0301;2024\n", "line 2: 2 columns, the header has 3"},
		{"Kommune;Tid;value\n0301;2024;1\n", `needs a "Region" and a "Tid" column`},
		{"Region;Tid;value\n;2024;1\n", `line 2: column "Region": no code`},
		{"Region;Tid;value\n", "no figures after the header"},
		{"", "the file is empty"},
	} {
		_, err := CubeFromLongCSV(strings.NewReader(tc.in), "f.csv")
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want a ParseError with %q", tc.in, err, tc.want)
		}
	}
	// Decimal commas, a missing figure, a zero and a combination never given.
	c, err := CubeFromLongCSV(strings.NewReader("Region;ContentsCode;Tid;value\r\n0301;Rate;2024;12,5\r\n3024;Rate;2024;..\r\n3024;Rate;2023;-\r\n"), "f.csv")
	if err != nil {
		t.Fatal(err)
	}
	s, err := SeriesFromCube(c, "f.csv", Selection{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Figure{{Region: "0301", Period: "2023", Missing: true}, {Region: "0301", Period: "2024", Value: 12.5},
		{Region: "3024", Period: "2023"}, {Region: "3024", Period: "2024", Missing: true, Status: ".."}}
	if len(s.Figures) != len(want) {
		t.Fatalf("got %+v, want %+v", s.Figures, want)
	}
	for i := range want {
		if s.Figures[i] != want[i] {
			t.Errorf("figure %d: got %+v, want %+v (a combination never given is missing)", i, s.Figures[i], want[i])
		}
	}
}

// TestCSVInEitherForm reads SSB's wide file of 2018–2019 as a cube of
// regions and years, and the long file by age group with its ages.
func TestCSVInEitherForm(t *testing.T) {
	wide, err := os.ReadFile("testdata/folkemengde_2018-2019_kommune_fylke.csv")
	if err != nil {
		t.Fatal(err)
	}
	c, err := CubeFromCSV(strings.NewReader(string(wide)), "folkemengde.csv")
	if err != nil {
		t.Fatal(err)
	}
	s, err := SeriesFromCube(c, "folkemengde.csv", Selection{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range s.Figures {
		if f.Region == "0219" && f.Period == "2019" {
			found = f.Value == 126841
		}
	}
	if !found || strings.Join(c.Dims["Tid"].Codes, ",") != "2018,2019" {
		t.Errorf("Bærum 2019 not 126841, or years %v", c.Dims["Tid"].Codes)
	}
	long, err := CubeFromCSV(strings.NewReader("Region;Alder;Tid;value\n0219;F65+;2015;18863\n"), "alder.csv")
	if err != nil || strings.Join(long.IDs, ",") != "Region,Alder,Tid" {
		t.Errorf("long form: %v, %v", long, err)
	}
	if _, err := CubeFromCSV(strings.NewReader("hei;og;hå\n1;2;3\n"), "tull.csv"); err == nil {
		t.Error("a CSV that is neither form was read")
	}
}
