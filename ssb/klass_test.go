package ssb

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestKlassChangesFile(t *testing.T) {
	list, err := ParseKlassChanges(bytes.NewReader(mustRead(t, "testdata/klass_131_changes.json")), "changes.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 11 {
		t.Fatalf("%d changes, want 11", len(list))
	}
	d2020 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if list[0] != (CodeChange{OldCode: "0220", OldName: "Asker", NewCode: "3025", NewName: "Asker", Occurred: d2020}) {
		t.Errorf("first = %+v", list[0])
	}
	if c := list[6]; c.OldCode != "3025" || c.NewCode != "3203" || !c.Occurred.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) || c.Occurred.Location() != time.UTC {
		t.Errorf("renumbering = %+v", c)
	}
	if c := list[10]; c.OldName != "Snillfjord" || c.NewName != "Orkland" || c.NewCode != "5059" {
		t.Errorf("last = %+v", c)
	}
}

func TestKlassChanges(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []CodeChange
	}{
		{"empty list", `{"codeChanges": []}`, []CodeChange{}},
		{"counties, names left out, unknown members", "\uFEFF" + `{"codeChanges": [{"oldCode": "30", "newCode": "32", "changeOccurred": "2024-01-01", "x": {"y": 1}}], "_links": {}}`,
			[]CodeChange{{OldCode: "30", NewCode: "32", Occurred: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}}},
		{"null names, change of name only", `{"codeChanges": [{"oldCode": "1850", "oldName": null, "newCode": "1850", "newName": "Divtasvuodna", "changeOccurred": "2019-01-01"}]}`,
			[]CodeChange{{OldCode: "1850", NewCode: "1850", NewName: "Divtasvuodna", Occurred: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)}}},
		{"leap day", `{"codeChanges": [{"oldCode": "0101", "newCode": "3001", "changeOccurred": "2024-02-29"}]}`,
			[]CodeChange{{OldCode: "0101", NewCode: "3001", Occurred: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseKlassChanges(strings.NewReader(tc.in), "c.json")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) || got == nil {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("[%d] = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestKlassChangesErrors(t *testing.T) {
	ok := `{"oldCode": "0220", "newCode": "3025", "changeOccurred": "2020-01-01"}`
	list := func(bad string) string { return `{"codeChanges": [` + ok + `, ` + ok + `, ` + ok + `, ` + bad + `]}` }
	for _, tc := range []struct{ name, in, want string }{
		{"no such day", list(`{"oldCode": "0220", "newCode": "3025", "changeOccurred": "2023-02-30"}`),
			`c.json: field "codeChanges[3].changeOccurred": "2023-02-30" is not a date (YYYY-MM-DD)`},
		{"short date", list(`{"oldCode": "0220", "newCode": "3025", "changeOccurred": "2020-1-1"}`), `field "codeChanges[3].changeOccurred": "2020-1-1" is not a date`},
		{"date and time", list(`{"oldCode": "0220", "newCode": "3025", "changeOccurred": "2020-01-01T00:00:00Z"}`), `"2020-01-01T00:00:00Z" is not a date`},
		{"year 1", list(`{"oldCode": "0220", "newCode": "3025", "changeOccurred": "0001-01-01"}`), `field "codeChanges[3].changeOccurred": "0001-01-01" is before 1800`},
		{"date missing", list(`{"oldCode": "0220", "newCode": "3025"}`), `c.json: field "codeChanges[3].changeOccurred": missing`},
		{"date null", list(`{"oldCode": "0220", "newCode": "3025", "changeOccurred": null}`), `field "codeChanges[3].changeOccurred": missing`},
		{"old code missing", list(`{"newCode": "3025", "changeOccurred": "2020-01-01"}`), `c.json: field "codeChanges[3].oldCode": missing`},
		{"new code missing", list(`{"oldCode": "0220", "changeOccurred": "2020-01-01"}`), `field "codeChanges[3].newCode": missing`},
		{"letter in code", list(`{"oldCode": "22O", "newCode": "3025", "changeOccurred": "2020-01-01"}`),
			`field "codeChanges[3].oldCode": "22O" is not a 2-digit county or 4-digit municipality code`},
		{"3 digits", list(`{"oldCode": "0220", "newCode": "325", "changeOccurred": "2020-01-01"}`), `field "codeChanges[3].newCode": "325" is not a 2-digit`},
		{"K- code", list(`{"oldCode": "K-0220", "newCode": "3025", "changeOccurred": "2020-01-01"}`), `"K-0220" is not a 2-digit`},
		{"code as a number", list(`{"oldCode": 220, "newCode": "3025", "changeOccurred": "2020-01-01"}`), `field "codeChanges[3].oldCode": 220 is not a string`},
		{"name as a number", list(`{"oldCode": "0220", "oldName": 1, "newCode": "3025", "changeOccurred": "2020-01-01"}`), `field "codeChanges[3].oldName": 1 is not a string`},
		{"county to municipality", list(`{"oldCode": "02", "newCode": "3025", "changeOccurred": "2020-01-01"}`),
			`field "codeChanges[3].newCode": "3025" and the old code "02" are not the same kind of code`},
		{"element not an object", list(`"0220"`), `c.json: field "codeChanges[3]": is not an object`},
		{"element null", list(`null`), `field "codeChanges[3]": is not an object`},
		{"list missing", `{"codes": []}`, `c.json: field "codeChanges": missing`},
		{"list null", `{"codeChanges": null}`, `field "codeChanges": missing`},
		{"list not an array", `{"codeChanges": {}}`, `c.json: field "codeChanges": is not an array`},
		{"top level array", `[1, 2]`, `c.json: not a KLASS changes document: the top level is an array`},
		{"top level null", `null`, `c.json: not a KLASS changes document`},
		{"not JSON", "code;name\n0301;Oslo\n", `c.json: line 1: not valid JSON`},
		{"empty", "", `c.json: the file is empty`},
		{"truncated", `{"codeChanges": [`, `c.json: line 1: the JSON document ends too early`},
		{"trailing data", "{\"codeChanges\": []}\n{}", `c.json: line 2: data after the end of the JSON document`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseKlassChanges(strings.NewReader(tc.in), "c.json")
			if err == nil {
				t.Fatalf("no error; %+v", got)
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
