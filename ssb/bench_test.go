package ssb

import (
	"bytes"
	"fmt"
	"testing"
)

// jsonStatDocument builds a JSON-stat 2.0 answer of table 07459 as SSB's
// API sends it: regions × ages × one statistic × years, with labels, roles,
// a few null cells with status "..", and the px extension.
func jsonStatDocument(regions, ages, years int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"version":"2.0","class":"dataset","label":"07459: Befolkning, etter region, alder, statistikkvariabel og år",`)
	b.WriteString(`"source":"Statistisk sentralbyrå","updated":"2025-02-21T07:00:00Z",`)
	b.WriteString(`"id":["Region","Alder","ContentsCode","Tid"],`)
	fmt.Fprintf(&b, `"size":[%d,%d,1,%d],"dimension":{`, regions, ages, years)
	category := func(id, label string, n int, code func(int) string) {
		fmt.Fprintf(&b, `%q:{"label":%q,"category":{"index":{`, id, label)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `%q:%d`, code(i), i)
		}
		b.WriteString(`},"label":{`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `%q:"%s %d"`, code(i), label, i)
		}
		b.WriteString(`}}}`)
	}
	codes := municipalityCodes(regions)
	category("Region", "region", regions, func(i int) string { return codes[i] })
	b.WriteByte(',')
	category("Alder", "alder", ages, func(i int) string { return fmt.Sprintf("%03d", i) })
	b.WriteString(`,"ContentsCode":{"label":"statistikkvariabel","category":{"index":{"Personer1":0},"label":{"Personer1":"Personer"},"unit":{"Personer1":{"base":"personer","decimals":0}}}},`)
	category("Tid", "år", years, func(i int) string { return fmt.Sprint(2015 + i) })
	b.WriteString(`},"value":[`)
	n := regions * ages * years
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if i%997 == 0 {
			b.WriteString("null")
		} else {
			fmt.Fprintf(&b, "%d", 1000+i%50000)
		}
	}
	b.WriteString(`],"status":{`)
	for i := 0; i < n; i += 997 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%d":".."`, i)
	}
	b.WriteString(`},"role":{"geo":["Region"],"metric":["ContentsCode"],"time":["Tid"]},"extension":{"px":{"tableid":"07459","decimals":0}}}`)
	return b.Bytes()
}

// municipalityCodes makes n distinct 4-digit municipality codes, 60 per
// county, avoiding the codes that are not municipalities.
func municipalityCodes(n int) []string {
	var codes []string
	for county := 1; len(codes) < n; county++ {
		if county >= 21 && county <= 23 {
			continue
		}
		for k := 1; k <= 60 && len(codes) < n; k++ {
			codes = append(codes, fmt.Sprintf("%02d%02d", county, k))
		}
	}
	return codes
}

func benchmarkJSONStat(b *testing.B, regions, ages, years int) {
	doc := jsonStatDocument(regions, ages, years)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := ParseJSONStatPopulation(bytes.NewReader(doc), "07459.json")
		if err != nil {
			b.Fatal(err)
		}
		if got := len(p.Observations) + len(p.Missing); got != regions*years {
			b.Fatalf("%d figures, want %d", got, regions*years)
		}
	}
}

// BenchmarkJSONStatTenYearsAllRegions parses ten years of 07459 for 900
// region codes (about every code used 1994–2024), as one request returns.
func BenchmarkJSONStatTenYearsAllRegions(b *testing.B) { benchmarkJSONStat(b, 900, 1, 10) }

// BenchmarkJSONStat100kCells parses 100 regions × 100 ages × 10 years.
func BenchmarkJSONStat100kCells(b *testing.B) { benchmarkJSONStat(b, 100, 100, 10) }

// BenchmarkStatbankCSVWide parses a wide export: 900 regions × 10 years.
func BenchmarkStatbankCSVWide(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("name;2015;2016;2017;2018;2019;2020;2021;2022;2023;2024;\n")
	for i, code := range municipalityCodes(900) {
		fmt.Fprintf(&buf, "%s Kommune %d", code, i)
		for y := range 10 {
			fmt.Fprintf(&buf, ";%d", 1000+i*10+y)
		}
		buf.WriteString(";\n")
	}
	doc := buf.Bytes()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := ParseStatbankCSV(bytes.NewReader(doc), "wide.csv")
		if err != nil || len(p.Observations) != 9000 {
			b.Fatal(err, len(p.Observations))
		}
	}
}

// BenchmarkStatbankCSVLong parses the real long file (1269 figures from
// 3807 rows).
func BenchmarkStatbankCSVLong(b *testing.B) {
	doc := mustRead(b, "testdata/befolkning_2013-2015_aldersgrupper_kommune.csv")
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseStatbankCSV(bytes.NewReader(doc), "long.csv"); err != nil {
			b.Fatal(err)
		}
	}
}
