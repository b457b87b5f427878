package statbank

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/samrad/samrad/ssb"
)

func fetchMetadata(t *testing.T) (*Metadata, *fakeSSB) {
	t.Helper()
	c, srv, _ := serve(t, reply{body: fixture(t, "07459_metadata.json")})
	m, err := c.Metadata(context.Background(), "07459", "en")
	if err != nil {
		t.Fatal(err)
	}
	return m, srv
}

func TestMetadata(t *testing.T) {
	m, srv := fetchMetadata(t)
	reqs := srv.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	q, _ := url.ParseQuery(r.RawQuery)
	if r.Method != http.MethodGet || r.Path != apiPath+"/tables/07459/metadata" || len(r.Body) != 0 ||
		!reflect.DeepEqual(q, url.Values{"lang": {"en"}, "outputFormat": {"json-stat2"}}) {
		t.Errorf("request %s %s?%s body %q", r.Method, r.Path, r.RawQuery, r.Body)
	}
	if m.TableID != "07459" || m.Status != 200 || m.Attempts != 1 || m.Fetched != fetchTime || !strings.HasPrefix(m.Label, "07459:") {
		t.Errorf("metadata %+v", m)
	}
	if want := []string{"Region", "Kjonn", "Alder", "ContentsCode", "Tid"}; !reflect.DeepEqual(m.IDs, want) {
		t.Errorf("IDs %v, want %v", m.IDs, want)
	}
	region := m.Dims["Region"]
	if want := []string{"0", "03", "0301", "0220", "3025", "3203"}; !reflect.DeepEqual(region.Codes, want) {
		t.Errorf("Region codes %v, want %v", region.Codes, want)
	}
	if region.Labels["3025"] != "Asker (2020-2023)" || !region.Elimination || region.EliminationValueCode != "0" {
		t.Errorf("Region %+v", region)
	}
	var lists []string
	for _, cl := range region.Codelists {
		lists = append(lists, cl.ID)
	}
	if want := []string{"agg_KommSummer", "agg_KommFylker", "vs_Landet", "vs_Kommun"}; !reflect.DeepEqual(lists, want) {
		t.Errorf("code lists %v, want %v", lists, want)
	}
	if k := m.Dims["Kjonn"]; !reflect.DeepEqual(k.Codes, []string{"1", "2"}) || k.Labels["2"] != "Kvinner" {
		t.Errorf("Kjonn (index as an array) %+v", k)
	}
	if m.Dims["ContentsCode"].Elimination || m.Dims["Tid"].Elimination {
		t.Error("ContentsCode and Tid cannot be left out")
	}
	if !reflect.DeepEqual(m.Roles["time"], []string{"Tid"}) {
		t.Errorf("roles %v", m.Roles)
	}
}

func TestCheckMetadata(t *testing.T) {
	m, _ := fetchMetadata(t)
	sel := func(v string, codes ...string) Selection { return Selection{Variable: v, Codes: codes} }
	for _, tc := range []struct {
		name string
		sels []Selection
		want *DimensionError // nil: no error
	}{
		{"K- codes of a code list", kommSummerQuery().Selections, nil},
		{"plain codes and expressions", []Selection{sel("Region", "0301", "3*"), sel("Kjonn", "*"), sel("ContentsCode", "Personer1"), sel("Tid", "from(2023)", "top(2)")}, nil},
		{"required variable left out", []Selection{sel("Region", "0301"), sel("Tid", "2024")},
			&DimensionError{Required: []string{"ContentsCode"}}},
		{"variable gone", []Selection{sel("Kommune", "0301"), sel("ContentsCode", "Personer1"), sel("Tid", "2024")},
			&DimensionError{Missing: []string{"Kommune"}}},
		{"codes not in the table", []Selection{sel("Region", "0301", "9999", "0220"), sel("ContentsCode", "Personer1"), sel("Tid", "range(2016,2024)")},
			&DimensionError{UnknownCodes: map[string][]string{"Region": {"9999"}, "Tid": {"2016"}}}},
		{"code list not offered", []Selection{{Variable: "Region", Codelist: "agg_Foo", Codes: []string{"*"}}, sel("ContentsCode", "Personer1"), sel("Tid", "2024")},
			&DimensionError{UnknownCodelists: map[string]string{"Region": "agg_Foo"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckMetadata(m, Query{Table: "07459", Selections: tc.sels})
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var de *DimensionError
			if !errors.As(err, &de) {
				t.Fatalf("error %v, want *DimensionError", err)
			}
			tc.want.URL, tc.want.Table = m.URL, "07459"
			if !reflect.DeepEqual(de, tc.want) {
				t.Errorf("got  %+v\nwant %+v", de, tc.want)
			}
			if !strings.Contains(err.Error(), m.URL) {
				t.Errorf("error %q does not name the URL", err)
			}
		})
	}
}

func TestMetadataMalformed(t *testing.T) {
	for name, body := range map[string]string{
		"syntax":         `{"class": "dataset", "id": [`,
		"not a dataset":  `{"class": "collection"}`,
		"size":           `{"class":"dataset","id":["Tid"],"size":[1,2],"dimension":{"Tid":{"category":{"index":["2024"]}}}}`,
		"unknown dim":    `{"class":"dataset","id":["Tid"],"dimension":{}}`,
		"bad position":   `{"class":"dataset","id":["Tid"],"dimension":{"Tid":{"category":{"index":{"2023":0,"2024":0}}}}}`,
		"count vs size":  `{"class":"dataset","id":["Tid"],"size":[3],"dimension":{"Tid":{"category":{"index":["2024"]}}}}`,
		"index is wrong": `{"class":"dataset","id":["Tid"],"dimension":{"Tid":{"category":{"index":7}}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, _, _ := serve(t, reply{body: []byte(body)})
			m, err := c.Metadata(context.Background(), "07459", "")
			var de *DecodeError
			var pe *ssb.ParseError
			if !errors.As(err, &de) || !errors.As(err, &pe) || !strings.Contains(err.Error(), m.URL) {
				t.Fatalf("error %v, want a DecodeError with a ParseError naming the URL", err)
			}
			if !strings.Contains(m.URL, "/tables/07459/metadata?lang=no&") {
				t.Errorf("URL %s: want Norwegian when no language is given", m.URL)
			}
			if m.Dims != nil {
				t.Errorf("dimensions returned with an error: %v", m.Dims)
			}
		})
	}
}

func TestMetadataRefusesBadTable(t *testing.T) {
	c, srv, _ := serve(t, reply{body: fixture(t, "07459_metadata.json")})
	for _, tc := range []struct{ table, lang, field string }{
		{"7459", "no", "table"}, {"07459/../x", "no", "table"}, {"07459", "sv", "lang"},
	} {
		_, err := c.Metadata(context.Background(), tc.table, tc.lang)
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Field != tc.field {
			t.Errorf("Metadata(%q, %q) error %v, want a QueryError on %s", tc.table, tc.lang, err, tc.field)
		}
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
}
