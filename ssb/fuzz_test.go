package ssb

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"testing"
	"time"
)

func readFixture(f *testing.F, name string) []byte {
	f.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// checkError makes sure a failure is a *ParseError for the right file.
func checkError(t *testing.T, err error, file string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("%T is not a *ParseError: %v", err, err)
	}
	if pe.File != file || pe.Msg == "" || pe.Line < 0 {
		t.Fatalf("bad ParseError %#v", pe)
	}
}

// checkPopulation makes sure a result keeps the promises of Population.
func checkPopulation(t *testing.T, p *Population) {
	t.Helper()
	seen := map[Observation]bool{}
	for i, o := range p.Observations {
		if n, ok := normaliseRegion(o.Region); !ok || n != o.Region {
			t.Fatalf("observation with region %q", o.Region)
		}
		if o.Persons < 0 || o.Persons > maxPersons || o.Year < 0 || o.Year > 9999 {
			t.Fatalf("bad observation %+v", o)
		}
		if i > 0 {
			a := p.Observations[i-1]
			if a.Region > o.Region || (a.Region == o.Region && a.Year >= o.Year) {
				t.Fatalf("observations not sorted or repeated: %+v then %+v", a, o)
			}
		}
		seen[Observation{Region: o.Region, Year: o.Year}] = true
	}
	for i, m := range p.Missing {
		if n, ok := normaliseRegion(m.Region); !ok || n != m.Region {
			t.Fatalf("missing with region %q", m.Region)
		}
		if seen[Observation{Region: m.Region, Year: m.Year}] {
			t.Fatalf("%+v is both missing and observed", m)
		}
		if i > 0 {
			a := p.Missing[i-1]
			if a.Region > m.Region || (a.Region == m.Region && a.Year >= m.Year) {
				t.Fatalf("missing not sorted or repeated: %+v then %+v", a, m)
			}
		}
	}
	if !slices.IsSorted(p.Skipped) || len(slices.Compact(slices.Clone(p.Skipped))) != len(p.Skipped) {
		t.Fatalf("skipped not sorted or repeated: %q", p.Skipped)
	}
	for _, s := range p.Skipped {
		if _, ok := normaliseRegion(s); ok {
			t.Fatalf("skipped a good region %q", s)
		}
	}
}

// checkCube makes sure a decoded cube keeps the promises of Cube: a
// dimension per id with as many codes as its size, a label per code, as
// many values as the sizes multiply to (at most MaxCells), and Index
// finding each cell at its own position.
func checkCube(t *testing.T, c *Cube) {
	t.Helper()
	if len(c.IDs) != len(c.Sizes) || len(c.Dims) != len(c.IDs) {
		t.Fatalf("%d ids, %d sizes, %d dimensions", len(c.IDs), len(c.Sizes), len(c.Dims))
	}
	n := 1
	for i, id := range c.IDs {
		d := c.Dims[id]
		if d == nil || d.ID != id || len(d.Codes) != c.Sizes[i] {
			t.Fatalf("dimension %q = %+v, size %d", id, d, c.Sizes[i])
		}
		for _, code := range d.Codes {
			if _, ok := d.Labels[code]; !ok {
				t.Fatalf("no label for %q", code)
			}
		}
		n *= c.Sizes[i]
	}
	if len(c.Values) != n || n > MaxCells {
		t.Fatalf("%d values for sizes %v", len(c.Values), c.Sizes)
	}
	// Index must find every cell at its own position.
	for pos := range min(len(c.Values), 50) {
		coords := map[string]string{}
		rest := pos
		for i := len(c.IDs) - 1; i >= 0; i-- {
			coords[c.IDs[i]] = c.Dims[c.IDs[i]].Codes[rest%c.Sizes[i]]
			rest /= c.Sizes[i]
		}
		if got, ok := c.Index(coords); !ok || got != pos {
			t.Fatalf("Index(%v) = %d, %v; want %d", coords, got, ok, pos)
		}
	}
}

func FuzzDecodeJSONStat(f *testing.F) {
	f.Add(readFixture(f, "07459_example.json"))
	f.Add([]byte(v1Example))
	f.Add([]byte(`{"class":"dataset","id":["Region","Tid"],"size":[1,1],"dimension":{"Region":{"category":{"index":{"K-0301":0}}},"Tid":{"category":{"index":["2024"]}}},"value":{"0":1},"status":"."}`))
	f.Add([]byte(`{"class":"dataset","id":["Region","Alder","Tid"],"size":[1,2,1],"dimension":{"Region":{"category":{"index":["0301"]}},"Alder":{"category":{"index":["000","001"]}},"Tid":{"category":{"index":["2024"]}}},"value":[1,null],"status":[null,".."]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DecodeJSONStat(bytes.NewReader(data), "f.json")
		if err != nil {
			checkError(t, err, "f.json")
			return
		}
		checkCube(t, c)
		p, err := PopulationFromCube(c, "f.json")
		if err != nil {
			checkError(t, err, "f.json")
			return
		}
		checkPopulation(t, p)
	})
}

func FuzzParseStatbankCSV(f *testing.F) {
	f.Add([]byte("name;2018;2019;increase 2018-2019;\n;;;;\nHeile landet;5295619;5328212;0,6;\n0101 Halden;31037;31177;0,5;\n"))
	f.Add([]byte("Region;Alder;Tid;value\n0101;F0-19;2013;7170\n0101;F20-64;2013;17287\nK-0101;F65+;2013;..\n"))
	f.Add([]byte("\uFEFFname;2018\r0301 Oslo;..\r01 Østfold;31 037\r"))
	f.Add([]byte("Region\tKjonn\tTid\tPersoner\n0301 Oslo\t1\t2024\t1\n0301 Oslo\t2\t2024\t-\nK-Rest\t1\t2024\t3\n"))
	f.Add([]byte("name;2018\n0219 B\xe6rum;3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseStatbankCSV(bytes.NewReader(data), "f.csv")
		if err != nil {
			checkError(t, err, "f.csv")
			return
		}
		if p.File != "f.csv" {
			t.Fatalf("file = %q", p.File)
		}
		checkPopulation(t, p)
	})
}

func FuzzParseKlassChanges(f *testing.F) {
	f.Add(readFixture(f, "klass_131_changes.json"))
	f.Add([]byte(`{"codeChanges":[]}`))
	f.Add([]byte(`{"codeChanges":[{"oldCode":"30","newCode":"32","changeOccurred":"2024-01-01","oldName":null}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := ParseKlassChanges(bytes.NewReader(data), "f.json")
		if err != nil {
			checkError(t, err, "f.json")
			return
		}
		for _, c := range list {
			if (len(c.OldCode) != 2 && len(c.OldCode) != 4) || len(c.NewCode) != len(c.OldCode) || !allDigits(c.OldCode) || !allDigits(c.NewCode) {
				t.Fatalf("accepted codes %q → %q", c.OldCode, c.NewCode)
			}
			o := c.Occurred
			if o.IsZero() || o.Location() != time.UTC || o.Hour() != 0 || o.Minute() != 0 || o.Second() != 0 || o.Nanosecond() != 0 || o.Year() < 1800 {
				t.Fatalf("accepted date %v", o)
			}
		}
	})
}

// FuzzCubeFromCSV reads a statbank CSV in either form as a cube.
func FuzzCubeFromCSV(f *testing.F) {
	f.Add(readFixture(f, "befolkning_2013-2015_aldersgrupper_kommune.csv"))
	f.Add(readFixture(f, "folkemengde_2018-2019_kommune_fylke.csv"))
	f.Add([]byte("Region;Alder;Tid;value\n0101;F0-19;2013;7170\n0101;F20-64;2013;17287\nK-0101;F65+;2013;..\n"))
	f.Add([]byte("Region\tTid\tPersoner\n0301\t2024\t1,5\n0301\t2024\t2\n"))
	f.Add([]byte("Region,Kjønn,Alder,Tid,Personer\n0301,1,000,2024,-\n0301,2,001,2024,:\n3201,1,000,2025,3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := CubeFromCSV(bytes.NewReader(data), "f.csv")
		if err != nil {
			checkError(t, err, "f.csv")
			return
		}
		checkCube(t, c)
	})
}
