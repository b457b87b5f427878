package memberfile

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/samrad/samrad"
)

func TestParse(t *testing.T) {
	in := "code,name,kind,member_from,member_to,status,note\n" +
		"0301,Oslo,municipality,2005-01-01,,confirmed,\n" +
		"0219,Bærum,,1992,2019-12-31,,grunnlegger\n" +
		"oslomet,OsloMet,institution,,,,\n" +
		"30,Viken,county,ukjent,,pending,\n"
	for name, data := range map[string]string{"LF": in, "BOM": "\uFEFF" + in, "CRLF": strings.ReplaceAll(in, "\n", "\r\n"), "CR": strings.ReplaceAll(in, "\n", "\r"),
		"semicolons": strings.ReplaceAll(in, ",", ";")} {
		rows, err := Parse(strings.NewReader(data), "m.csv")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(rows) != 4 {
			t.Fatalf("%s: %d rows", name, len(rows))
		}
		b := rows[1]
		if b.Kind != samrad.KindMunicipality || b.FromPrecision != samrad.PrecisionYear || b.From.String() != "1992-01-01" || b.To.String() != "2019-12-31" || b.Note != "grunnlegger" || b.Line != 3 {
			t.Errorf("%s: Bærum row = %+v", name, b)
		}
		if rows[2].Kind != samrad.KindInstitution || rows[2].Category != "institution" || rows[2].FromPrecision != samrad.PrecisionUnknown {
			t.Errorf("%s: OsloMet row = %+v", name, rows[2])
		}
		if rows[3].Status != samrad.StatusPending || !rows[3].From.IsZero() {
			t.Errorf("%s: Viken row = %+v", name, rows[3])
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"wrong columns", "kode,navn\n0301,Oslo\n", `m.csv: line 1: column "kode": unknown column`},
		{"no code column", "name\nOslo\n", `the column "code" is required`},
		{"latin-1", "code,name\n0301,Oslo\n0219,B\xe6rum\n", "m.csv: line 3: the line is not UTF-8"},
		{"stray BOM", "code,name\n0301,\uFEFFOslo\n", "m.csv: line 2: a byte-order mark"},
		{"bad date", "code,member_from\n0301,2021-02-30\n", `m.csv: line 2: column "member_from"`},
		{"to before from", "code,member_from,member_to\n0301,2021-01-01,2020-01-01\n", `column "member_to": 2020-01-01 is before member_from`},
		{"bad status", "code,status\n0301,maybe\n", `column "status": "maybe" is neither`},
		{"non-official without kind", "code\noslomet\n", `column "kind": required`},
		{"bad code", "code,kind\n123,municipality\n", `column "code": a municipality code has 4 digits`},
		{"short row", "code,name\n0301\n", "line 2: 1 cells, but the header has 2"},
		{"empty", "", "the file is empty"},
		{"header only", "code,name\n", "no members"},
	} {
		_, err := Parse(strings.NewReader(tc.in), "m.csv")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestWriteAndReadBack(t *testing.T) {
	ms := []samrad.Membership{
		{Org: samrad.Organisation{Kind: samrad.KindMunicipality, Code: "3201", NameNB: "Bærum"}, Since: samrad.MustDate("2018-01-01"), SincePrecision: samrad.PrecisionDay, Status: samrad.StatusConfirmed},
		{Org: samrad.Organisation{Kind: samrad.KindCounty, Code: "32", NameNB: "Akershus"}, SincePrecision: samrad.PrecisionUnknown, Status: samrad.StatusPending},
	}
	var buf bytes.Buffer
	if err := Write(&buf, ms, "nb"); err != nil {
		t.Fatal(err)
	}
	want := "code,name,kind,member_from,member_to,status\n3201,Bærum,municipality,2018-01-01,,confirmed\n32,Akershus,county,,,pending\n"
	if buf.String() != want {
		t.Errorf("Write =\n%s\nwant\n%s", buf.String(), want)
	}
	rows, err := Parse(&buf, "back.csv")
	if err != nil || len(rows) != 2 || rows[0].From.String() != "2018-01-01" || rows[1].Status != samrad.StatusPending {
		t.Errorf("read back: %+v, %v", rows, err)
	}
}

// FuzzParse reads any bytes as a member list: a failure is an *Error
// naming the file, a success holds only valid rows, and writing the rows
// as an export and reading that again gives the same rows.
func FuzzParse(f *testing.F) {
	f.Add([]byte("code,name,kind,member_from,member_to,status\n0301,Oslo,municipality,2005,,confirmed\n"))
	f.Add([]byte("code;kind\noslomet;institution\r"))
	f.Add([]byte("\uFEFFcode,name,kind,member_from,member_to,status,category,note,attested_on,source\r\n" +
		"3201,Bærum,municipality,2018-01-01,2023-12-31,pending,kommune,\"Merknad, med komma\",2019-05-01,styrevedtak\r\n32,,,,,\r\n"))
	f.Add([]byte("code,member_from\n0301,ukjent\n03,0999\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := Parse(bytes.NewReader(data), "f.csv")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "f.csv" || e.Line < 0 || e.Msg == "" {
				t.Fatalf("error %#v (%v), want an *Error naming f.csv", e, err)
			}
			return
		}
		var ms []samrad.Membership
		for _, r := range rows {
			if r.Code == "" || r.Code != strings.TrimSpace(r.Code) || !r.Kind.Valid() || !r.FromPrecision.Valid() || r.Line < 2 ||
				(r.FromPrecision == samrad.PrecisionUnknown) != r.From.IsZero() ||
				(r.Status != samrad.StatusConfirmed && r.Status != samrad.StatusPending) ||
				(!r.To.IsZero() && r.To.Before(r.From)) {
				t.Fatalf("accepted a bad row %+v", r)
			}
			ms = append(ms, samrad.Membership{Org: samrad.Organisation{Code: r.Code, Kind: r.Kind, NameNB: r.Name},
				Since: r.From, SincePrecision: r.FromPrecision, Until: r.To, Status: r.Status})
		}
		var buf bytes.Buffer
		if err := Write(&buf, ms, "nb"); err != nil {
			t.Fatal(err)
		}
		back, err := Parse(bytes.NewReader(buf.Bytes()), "back.csv")
		if err != nil || len(back) != len(rows) {
			t.Fatalf("the export of what was read does not read back: %v\n%s", err, buf.Bytes())
		}
		for i, b := range back {
			r := rows[i]
			if b.Code != r.Code || b.Name != r.Name || b.Kind != r.Kind || !b.From.Equal(r.From) || b.FromPrecision != r.FromPrecision ||
				!b.To.Equal(r.To) || b.Status != r.Status {
				t.Fatalf("row %d read back as %+v, was %+v\n%s", i, b, r, buf.Bytes())
			}
		}
	})
}
