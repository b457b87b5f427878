package statbank

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// bigDataset builds a JSON-stat 2.0 answer of regions × contents × years
// cells as PxWebApi v2 sends it, with labels, roles, a few missing cells
// and the px extension.
func bigDataset(regions, contents, years int) ([]byte, []string) {
	var b bytes.Buffer
	b.WriteString(`{"version":"2.0","class":"dataset","label":"07459: Befolkning","source":"Statistisk sentralbyrå","updated":"2025-02-21T07:00:00Z",`)
	b.WriteString(`"id":["Region","ContentsCode","Tid"],`)
	fmt.Fprintf(&b, `"size":[%d,%d,%d],"dimension":{`, regions, contents, years)
	var contentCodes []string
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
	category("Region", "region", regions, func(i int) string { return fmt.Sprintf("K-%04d", 101+i) })
	b.WriteByte(',')
	category("ContentsCode", "statistikkvariabel", contents, func(i int) string {
		c := fmt.Sprintf("Personer%d", i+1)
		if len(contentCodes) < contents {
			contentCodes = append(contentCodes, c)
		}
		return c
	})
	b.WriteByte(',')
	category("Tid", "år", years, func(i int) string { return fmt.Sprint(2000 + i) })
	b.WriteString(`},"value":[`)
	n := regions * contents * years
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
	return b.Bytes(), contentCodes
}

// BenchmarkData100k fetches and decodes a 100,000-cell answer (400 regions
// × 10 statistics × 25 years) from a local server. The target is under 1 s
// per fetch.
func BenchmarkData100k(b *testing.B) {
	body, contents := bigDataset(400, 10, 25)
	c, _, _ := serve(b, reply{body: body})
	q := Query{Table: "07459", Selections: []Selection{
		{Variable: "Region", Codelist: "agg_KommSummer", OutputValues: Aggregated, Codes: []string{"*"}},
		{Variable: "ContentsCode", Codes: contents},
		{Variable: "Tid", Codes: []string{"from(2000)"}},
	}}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := c.Data(context.Background(), q)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Cube.Values) != 100_000 {
			b.Fatalf("%d cells", len(res.Cube.Values))
		}
	}
}

// TestData100k makes sure the benchmark's answer decodes and checks.
func TestData100k(t *testing.T) {
	body, contents := bigDataset(400, 10, 25)
	c, _, _ := serve(t, reply{body: body})
	q := Query{Table: "07459", Selections: []Selection{
		{Variable: "Region", Codes: []string{"*"}},
		{Variable: "ContentsCode", Codes: contents},
		{Variable: "Tid", Codes: []string{"2024"}},
	}}
	res, err := c.Data(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	i, ok := res.Cube.Index(map[string]string{"Region": "K-0500", "ContentsCode": "Personer10", "Tid": "2024"})
	want := 399*250 + 9*25 + 24
	if !ok || i != want || res.Cube.Values[i].Value != float64(1000+want%50000) || res.Cube.Values[0].Present {
		t.Errorf("cell %d (ok %v) = %+v; first %+v", i, ok, res.Cube.Values[i], res.Cube.Values[0])
	}
}
