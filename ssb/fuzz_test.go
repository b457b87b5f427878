package ssb

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func FuzzDecodeJSONStat(f *testing.F) {
	f.Add([]byte(formatsExample))
	f.Add([]byte(`{"dataset":{"dimension":{"id":["Region","Tid"],"size":[1,1],"Region":{"category":{"index":["0301"]}},"Tid":{"category":{"index":["2024"]}}},"value":[1]}}`))
	f.Add([]byte(`{"class":"dataset","id":["a"],"size":[1],"dimension":{"a":{"category":{"index":{"x":0}}}},"value":{"0":1},"status":"."}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DecodeJSONStat(bytes.NewReader(data), "f.json")
		if err != nil {
			return
		}
		n := 1
		for _, s := range c.Sizes {
			n *= s
		}
		if len(c.Values) != n || len(c.IDs) != len(c.Sizes) {
			t.Fatalf("inconsistent cube: %d values for sizes %v", len(c.Values), c.Sizes)
		}
		p, err := PopulationFromCube(c, "f.json")
		if err != nil {
			return
		}
		for _, o := range p.Observations {
			if o.Persons < 0 {
				t.Fatalf("negative persons %+v", o)
			}
		}
	})
}

func FuzzParseStatbankCSV(f *testing.F) {
	f.Add([]byte("name;2018;2019;increase\n;;;\n0101 Halden;31037;31177;0,5\n"))
	f.Add([]byte("Region;Alder;Tid;value\n0101;F0-19;2013;7170\n0101;F20-64;2013;17287\n"))
	f.Add([]byte("\uFEFFname;2018\r0301 Oslo;..\r"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseStatbankCSV(bytes.NewReader(data), "f.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, o := range p.Observations {
			k := fmt.Sprint(o.Region, o.Year)
			if o.Persons < 0 || seen[k] {
				t.Fatalf("bad observation %+v", o)
			}
			seen[k] = true
		}
	})
}

func FuzzParseKlassChanges(f *testing.F) {
	f.Add([]byte(`{"codeChanges":[{"oldCode":"0220","newCode":"3025","changeOccurred":"2020-01-01"}]}`))
	f.Add([]byte(`{"codeChanges":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := ParseKlassChanges(bytes.NewReader(data), "f.json")
		if err != nil {
			return
		}
		for _, c := range list {
			if !klassCode(c.OldCode) || !klassCode(c.NewCode) || c.Occurred.IsZero() {
				t.Fatalf("accepted a bad change %+v", c)
			}
		}
	})
}

// jsonStatDocument builds a JSON-stat 2.0 document as SSB sends it.
func jsonStatDocument(regions, ages, years int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"version":"2.0","class":"dataset","label":"07459","id":["Region","Alder","ContentsCode","Tid"],`)
	fmt.Fprintf(&b, `"size":[%d,%d,1,%d],"dimension":{"Region":{"category":{"index":{`, regions, ages, years)
	for i := 0; i < regions; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%04d":%d`, 101+i, i)
	}
	b.WriteString(`}}},"Alder":{"category":{"index":{`)
	for i := 0; i < ages; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%03d":%d`, i, i)
	}
	b.WriteString(`}}},"ContentsCode":{"category":{"index":{"Personer1":0}}},"Tid":{"category":{"index":{`)
	for i := 0; i < years; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%d":%d`, 2015+i, i)
	}
	b.WriteString(`}}}},"role":{"geo":["Region"],"time":["Tid"],"metric":["ContentsCode"]},"value":[`)
	for i := 0; i < regions*ages*years; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%d", 1000+i%5000)
	}
	b.WriteString("]}")
	return b.Bytes()
}

// BenchmarkJSONStatTenYearsAllRegions parses ten years of 07459 for ~900
// region codes (every code 1994–2024), as one request would return them.
func BenchmarkJSONStatTenYearsAllRegions(b *testing.B) {
	doc := jsonStatDocument(900, 1, 10)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		p, err := ParseJSONStatPopulation(bytes.NewReader(doc), "b.json")
		if err != nil || len(p.Observations) != 9000 {
			b.Fatal(err, len(p.Observations))
		}
	}
}

// BenchmarkJSONStat100kCells parses a 100,000-cell response (regions × ages × years).
func BenchmarkJSONStat100kCells(b *testing.B) {
	doc := jsonStatDocument(100, 100, 10)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		p, err := ParseJSONStatPopulation(bytes.NewReader(doc), "b.json")
		if err != nil || len(p.Observations) != 1000 {
			b.Fatal(err, len(p.Observations))
		}
	}
}

func BenchmarkStatbankCSVWide(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("name;2018;2019\n")
	for i := 0; i < 900; i++ {
		fmt.Fprintf(&buf, "%04d Kommune %d;%d;%d\n", 101+i, i, 1000+i, 1100+i)
	}
	doc := buf.Bytes()
	for b.Loop() {
		if _, err := ParseStatbankCSV(bytes.NewReader(doc), "b.csv"); err != nil {
			b.Fatal(err)
		}
	}
}
