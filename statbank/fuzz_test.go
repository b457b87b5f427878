package statbank

import (
	"errors"
	"os"
	"testing"

	"github.com/samrad/samrad/ssb"
)

// FuzzMetadataDecode reads any bytes as a table's metadata, as the
// statbank might answer: a failure is an *ssb.ParseError naming the
// table, and a success has one dimension per id, each code once with a
// label.
func FuzzMetadataDecode(f *testing.F) {
	b, err := os.ReadFile("testdata/07459_metadata.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"class":"dataset","id":["Region","Tid"],"size":[1,2],"dimension":{"Region":{"category":{"label":{"0301":"Oslo"}}},` +
		`"Tid":{"category":{"index":{"2023":1,"2024":0}},"extension":{"elimination":true,"codelists":[{"id":"agg_x","type":"Aggregation"}]}}},"extension":{"px":{"tableid":7459}}}`))
	f.Add([]byte("\uFEFF{\"class\":\"dataset\",\"id\":[\"A\",\"A\"],\"dimension\":{\"A\":{\"category\":{\"index\":[\"x\",\"x\"]}}}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Metadata
		if err := m.decode(data, "table 07459 metadata"); err != nil {
			var pe *ssb.ParseError
			if !errors.As(err, &pe) || pe.File != "table 07459 metadata" || pe.Msg == "" {
				t.Fatalf("error %#v (%v), want an *ssb.ParseError naming the table", pe, err)
			}
			return
		}
		if len(m.IDs) == 0 || len(m.Dims) != len(m.IDs) || m.Roles == nil {
			t.Fatalf("%d ids, %d dimensions", len(m.IDs), len(m.Dims))
		}
		for _, id := range m.IDs {
			d := m.Dims[id]
			if d == nil || d.ID != id {
				t.Fatalf("dimension %q = %+v", id, d)
			}
			seen := map[string]bool{}
			for _, c := range d.Codes {
				if _, ok := d.Labels[c]; !ok || seen[c] {
					t.Fatalf("dimension %q: code %q without a label or twice in %q", id, c, d.Codes)
				}
				seen[c] = true
			}
		}
	})
}
