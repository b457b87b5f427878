package callfile

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
)

const sample = "programme,code,title,opens,deadline,budget,url,note\n" +
	"erasmus,KA1-2026,Mobilitet for skoleelever,2026-01-10,2026-02-19 12:00,\"1 500 000\",https://erasmus-plus.ec.europa.eu,\n" +
	"forprosjekt,V-2026,\"Forprosjektmidler, våren\",,31.03.2026,250000.50,,Søknad sendes fylket\n"

func TestParseCSV(t *testing.T) {
	for name, data := range map[string]string{
		"LF": sample, "BOM": "\uFEFF" + sample, "CRLF": strings.ReplaceAll(sample, "\n", "\r\n"),
		"semicolons": "programme;code;title;opens;deadline;budget;url;note\n" +
			"erasmus;KA1-2026;Mobilitet for skoleelever;2026-01-10;2026-02-19 12:00;1 500 000;https://erasmus-plus.ec.europa.eu;\n" +
			"forprosjekt;V-2026;Forprosjektmidler, våren;;31.03.2026;250000,50;;Søknad sendes fylket\n",
		"Norwegian header": strings.Replace(sample, "programme,code,title,opens,deadline,budget,url,note", "Program,Kode,Tittel,Åpner,Frist,Budsjett,Lenke,Merknad", 1),
	} {
		rows, err := Parse(strings.NewReader(data), "utlysninger.csv")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(rows) != 2 {
			t.Fatalf("%s: %d rows", name, len(rows))
		}
		e := rows[0]
		want := time.Date(2026, 2, 19, 12, 0, 0, 0, samrad.Oslo())
		if e.Line != 2 || e.Programme != "erasmus" || e.Call.Code != "KA1-2026" || e.Call.Opens.String() != "2026-01-10" ||
			!e.Call.Deadline.Equal(want) || e.Call.Budget == nil || *e.Call.Budget != samrad.NOK(1500000) || samrad.AllDay(e.Call.Deadline) {
			t.Errorf("%s: first row %+v (deadline %v)", name, e, e.Call.Deadline)
		}
		f := rows[1]
		// A date alone is the end of that day in Norway: 23:59:59 CEST is 21:59:59 UTC.
		if f.Line != 3 || f.Call.Title != "Forprosjektmidler, våren" || !f.Call.Opens.IsZero() || !samrad.AllDay(f.Call.Deadline) ||
			f.Call.Deadline.Format(time.RFC3339) != "2026-03-31T21:59:59Z" || *f.Call.Budget != 25000050 || f.Call.Note != "Søknad sendes fylket" {
			t.Errorf("%s: second row %+v (deadline %v)", name, f, f.Call.Deadline)
		}
	}
}

func TestParseJSON(t *testing.T) {
	data := `[
  {"programme": "erasmus", "code": "KA1-2026", "title": "Mobilitet for skoleelever",
   "opens": "2026-01-10", "deadline": "2026-02-19 12:00", "budget": 1500000, "url": "https://erasmus-plus.ec.europa.eu"},
  {"programme": "forprosjekt", "code": "V-2026", "title": "Forprosjektmidler, våren", "deadline": "31.03.2026",
   "budget": "250000.50", "note": "Søknad sendes fylket", "opens": null}
]`
	rows, err := Parse(strings.NewReader(data), "utlysninger.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Line != 2 || rows[1].Line != 4 {
		t.Fatalf("rows %+v", rows)
	}
	if *rows[0].Call.Budget != samrad.NOK(1500000) || *rows[1].Call.Budget != 25000050 || !samrad.AllDay(rows[1].Call.Deadline) {
		t.Errorf("rows %+v", rows)
	}
}

// TestExampleFiles reads the example import files of the documentation:
// the CSV and the JSON hold the same three calls.
func TestExampleFiles(t *testing.T) {
	var got [2][]Row
	for i, name := range []string{"../docs/examples/calls.csv", "../docs/examples/calls.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if got[i], err = Parse(bytes.NewReader(b), name); err != nil {
			t.Fatal(err)
		}
		if len(got[i]) != 3 {
			t.Fatalf("%s: %d calls", name, len(got[i]))
		}
		for _, r := range got[i] {
			if r.Programme != "eksempelprogram" || !strings.HasPrefix(r.Call.Title, "Eksempel") {
				t.Errorf("%s line %d is not marked as an example: %+v", name, r.Line, r)
			}
		}
	}
	for j := range got[0] {
		a, b := got[0][j].Call, got[1][j].Call
		if a.Code != b.Code || a.Title != b.Title || !a.Opens.Equal(b.Opens) || !a.Deadline.Equal(b.Deadline) || a.URL != b.URL || a.Note != b.Note ||
			(a.Budget == nil) != (b.Budget == nil) || a.Budget != nil && *a.Budget != *b.Budget {
			t.Errorf("call %d differs:\ncsv  %+v\njson %+v", j+1, a, b)
		}
	}
}

func TestParseErrors(t *testing.T) {
	head := "programme,code,title,opens,deadline,budget,url,note\n"
	ok := "erasmus,A,Tittel,,2026-03-01,,,\n"
	for _, tc := range []struct {
		name, in       string
		line           int
		column, reason string
	}{
		{"empty", "", 0, "", ReasonEmpty},
		{"header only", head, 0, "", ReasonNoRows},
		{"unknown column", "programme,code,title,deadline,colour\n", 1, "colour", ReasonUnknownColumn},
		{"column twice", "programme,code,title,deadline,frist\n", 1, "deadline", ReasonDuplicateColumn},
		{"no deadline column", "programme,code,title\nerasmus,A,T\n", 1, "deadline", ReasonMissingColumn},
		{"latin-1", head + ok + "erasmus,B,S\xf8knad,,2026-03-01,,,\n", 3, "", ReasonEncoding},
		{"stray BOM", head + ok + "erasmus,B,\uFEFFT,,2026-03-01,,,\n", 3, "", ReasonBOM},
		{"short line", head + ok + "erasmus,B\n", 3, "", ReasonCells},
		{"quote", head + ok + "erasmus,B,T,,2026-03-01,,,\nerasmus,\"C,T,,2026-03-01,,,\n", 4, "", ReasonSyntax},
		{"no title", head + ok + "erasmus,B,,,2026-03-01,,,\n", 3, "title", ReasonRequired},
		{"impossible deadline", head + ok + ok[:0] + "erasmus,B,T,,2026-03-01,,,\nerasmus,C,T,,31.02.2026,,,\n", 4, "deadline", ReasonDate},
		{"bad opens", head + "erasmus,B,T,1. mars,2026-03-01,,,\n", 2, "opens", ReasonDate},
		{"opens after deadline", head + "erasmus,B,T,2026-04-01,2026-03-01,,,\n", 2, "opens", ReasonOrder},
		{"negative budget", head + "erasmus,B,T,,2026-03-01,-5,,\n", 2, "budget", ReasonAmount},
		{"budget in euro", head + "erasmus,B,T,,2026-03-01,€ 5,,\n", 2, "budget", ReasonAmount},
		{"bad url", head + "erasmus,B,T,,2026-03-01,,www.example.org,\n", 2, "url", ReasonURL},
		{"code twice", head + ok + "erasmus,A,Igjen,,2026-04-01,,,\n", 3, "code", ReasonDuplicate},
		{"long title", head + "erasmus,B," + strings.Repeat("x", 301) + ",,2026-03-01,,,\n", 2, "title", ReasonTooLong},
		{"not an array", `{"programme": "erasmus"}`, 1, "", ReasonSyntax},
		{"JSON unknown key", "[\n {\"programme\": \"erasmus\", \"code\": \"A\", \"title\": \"T\", \"deadline\": \"2026-03-01\"},\n {\"programme\": \"erasmus\", \"colour\": \"red\"}\n]", 3, "colour", ReasonUnknownColumn},
		{"JSON bad deadline", "[\n {\"programme\": \"erasmus\", \"code\": \"A\", \"title\": \"T\", \"deadline\": \"2026-03-01\"},\n\n {\"programme\": \"erasmus\", \"code\": \"B\",\n  \"title\": \"T\", \"deadline\": \"31.02.2026\"}\n]", 4, "deadline", ReasonDate},
		{"JSON object in a cell", "[{\"programme\": \"erasmus\", \"code\": {\"a\": 1}}]", 1, "code", ReasonNotText},
		{"JSON syntax", "[\n {\"programme\": \"erasmus\",\n  \"code\" \"A\"}\n]", 3, "", ReasonSyntax},
		{"JSON cut short", "[\n {\"programme\": \"erasmus\"", 2, "", ReasonSyntax},
		{"JSON empty", "[]", 0, "", ReasonNoRows},
	} {
		_, err := Parse(strings.NewReader(tc.in), "f")
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s: err = %v, want a *callfile.Error", tc.name, err)
			continue
		}
		if e.Line != tc.line || e.Column != tc.column || e.Reason != tc.reason {
			t.Errorf("%s: line %d column %q reason %q, want line %d column %q reason %q (%v)", tc.name, e.Line, e.Column, e.Reason, tc.line, tc.column, tc.reason, e)
		}
	}
	// The message names the file, the line, the column and the value.
	_, err := Parse(strings.NewReader(head+ok+ok[:0]+"erasmus,B,T,,2026-03-01,,,\nerasmus,C,T,,31.02.2026,,,\n"), "utlysninger.csv")
	if want := `utlysninger.csv: line 4: column "deadline": not a date`; err == nil || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), `"31.02.2026"`) {
		t.Errorf("message %v, want %s … \"31.02.2026\"", err, want)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(`[{"programme": "a", "code": "b", "title": "c", "deadline": "2026-01-01"}]`))
	for _, name := range []string{"../docs/examples/calls.csv", "../docs/examples/calls.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := Parse(bytes.NewReader(data), "f")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "f" || e.Reason == "" || e.Line < 0 {
				t.Fatalf("error of type %T: %#v (%v)", err, e, err)
			}
			return
		}
		seen := map[[2]string]bool{}
		for i, r := range rows {
			if r.Programme == "" || r.Call.Code == "" || r.Call.Title == "" || r.Call.Deadline.IsZero() || r.Line < 1 ||
				(i > 0 && r.Line <= rows[i-1].Line) || seen[[2]string{r.Programme, r.Call.Code}] ||
				(!r.Call.Opens.IsZero() && r.Call.Opens.After(samrad.DateIn(r.Call.Deadline))) ||
				(r.Call.Budget != nil && *r.Call.Budget < 0) {
				t.Fatalf("accepted a bad row %+v", r)
			}
			seen[[2]string{r.Programme, r.Call.Code}] = true
		}
	})
}
