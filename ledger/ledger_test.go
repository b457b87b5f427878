package ledger_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/samrad/samrad/ledger"
)

var accounts = map[string]bool{"3100": true, "5000": true}

func TestParseSemicolonAndComma(t *testing.T) {
	for name, file := range map[string]string{
		"semicolon, BOM, CRLF, extra columns": "\uFEFFBilagsnr;Konto;Dato;Beløp;Tekst;Avdeling\r\n17;3100;15.02.2017;-2 866 969,50;Kontingent;1\r\n18;5000;2017-12-31;1750000;Lønn;1\r\n",
		"comma, quoted decimal comma":         "account,date,amount,text,currency\n3100,2017-02-15,\"-2866969,50\",Kontingent,NOK\n5000,31.12.2017,1750000.00,\"Lønn, desember\",\n",
	} {
		t.Run(name, func(t *testing.T) {
			es, err := ledger.Parse(strings.NewReader(file), "r.csv", 2017, accounts)
			if err != nil {
				t.Fatal(err)
			}
			if len(es) != 2 || es[0].Account != "3100" || es[0].Amount.String() != "-2866969.50" || es[0].On.String() != "2017-02-15" ||
				es[1].Amount.String() != "1750000.00" || es[1].Line != 3 {
				t.Errorf("entries = %+v", es)
			}
		})
	}
}

func TestParseNamesTheBadLine(t *testing.T) {
	for name, c := range map[string]struct{ file, want string }{
		"latin-1":          {"konto;dato;beløp\n5000;2017-01-01;1\n5000;2017-01-02;\xf8\n", "r.csv: line 3: the line is not UTF-8"},
		"bad amount":       {"konto;dato;beløp\n5000;2017-01-01;1\n5000;2017-01-02;12,345\n", `r.csv: line 3: column "beløp"`},
		"unknown account":  {"konto;dato;beløp\n5000;2017-01-01;1\n4000;2017-01-02;1\n", `line 3: column "konto": account 4000 is not in the budget for 2017`},
		"not an account":   {"konto;dato;beløp\n50x0;2017-01-01;1\n", `line 2: column "konto"`},
		"bad date":         {"konto;dato;beløp\n5000;31/12/2017;1\n", `line 2: column "dato"`},
		"other currency":   {"konto;dato;beløp;valuta\n5000;2017-01-01;1;EUR\n", `line 2: column "valuta": the amount is in EUR`},
		"no entries":       {"konto;dato;beløp\n", "no entries"},
		"missing column":   {"konto;beløp\n5000;1\n", "no date column"},
		"duplicate column": {"konto;dato;beløp;amount\n", `column "amount"`},
		"empty":            {"", "empty"},
	} {
		_, err := ledger.Parse(strings.NewReader(c.file), "r.csv", 2017, accounts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

// FuzzParse reads any bytes as an export: a failure is an *Error naming
// the file, and every entry accepted lies in the year, on one of the
// budget's accounts, on a line after the header and after the entry before.
func FuzzParse(f *testing.F) {
	f.Add([]byte("\uFEFFBilagsnr;Konto;Dato;Beløp;Tekst;Avdeling\r\n17;3100;15.02.2017;-2 866 969,50;Kontingent;1\r\n18;5000;2017-12-31;1750000;Lønn;1\r\n"))
	f.Add([]byte("account,date,amount,text,currency\n3100,2017-02-15,\"-2866969,50\",Kontingent,NOK\n5000,31.12.2017,1750000.00,\"Lønn, desember\",\n"))
	f.Add([]byte("konto;dato;beløp;valuta\n5000;1.1.2017;1;eur\n\n5000;2017-01-02;\"1\n2\"\n"))
	f.Add([]byte("konto;dato;beløp\n5000;2017-01-01;92233720368547758.07\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := ledger.Parse(bytes.NewReader(data), "r.csv", 2017, accounts)
		if err != nil {
			var e *ledger.Error
			if !errors.As(err, &e) || e.File != "r.csv" || e.Line < 0 || e.Msg == "" {
				t.Fatalf("error %#v (%v), want a *ledger.Error naming r.csv", e, err)
			}
			return
		}
		if len(es) == 0 {
			t.Fatal("no entries and no error")
		}
		for i, e := range es {
			if !accounts[e.Account] || e.On.Year() != 2017 || e.Line < 2 || (i > 0 && e.Line <= es[i-1].Line) || e.Text != strings.TrimSpace(e.Text) {
				t.Fatalf("accepted entry %+v", e)
			}
		}
	})
}
