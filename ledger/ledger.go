// Package ledger reads an accounting system's export of booked entries
// (the "actuals" a budget is followed up against) as CSV.
//
// The file has a header row naming at least the columns account (konto),
// date (dato) and amount (beløp); text (tekst) and currency (valuta) are
// read when present and any other column is ignored, as accounting systems
// add their own (voucher number, department, project). The separator is a
// semicolon or a comma, as the header shows. Amounts are kroner with at
// most two decimals ("1 234,50" or "-1234.50") and are signed as booked:
// costs positive (debit), income negative (credit), as in the Norwegian
// standard chart of accounts (NS 4102). Dates are YYYY-MM-DD or DD.MM.YYYY.
package ledger

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samrad/samrad"
)

// MaxSize is the largest file read.
const MaxSize = 32 << 20

// Entry is one booked amount.
type Entry struct {
	Line    int
	Account string
	On      samrad.Date
	Amount  samrad.Money
	Text    string
}

// Error names the file, line and column of a bad cell.
type Error struct {
	File   string
	Line   int
	Column string
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": column %q", e.Column)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

var columns = map[string]string{
	"account": "account", "konto": "account", "kontonr": "account", "kontonummer": "account",
	"date": "date", "dato": "date", "bilagsdato": "date",
	"amount": "amount", "beløp": "amount", "belop": "amount",
	"text": "text", "tekst": "text", "beskrivelse": "text",
	"currency": "currency", "valuta": "currency",
}

// Parse reads the entries of a year's accounts. Every entry must be dated
// in year and booked on one of accounts (the budget's); the first bad cell
// is an error naming its line and column, and then no entry is returned.
func Parse(r io.Reader, file string, year int, accounts map[string]bool) ([]Entry, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSize {
		return nil, &Error{File: file, Msg: fmt.Sprintf("the file is larger than %d MB", MaxSize>>20)}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	for i, line := range bytes.Split(data, []byte("\n")) {
		if !utf8.Valid(line) {
			return nil, &Error{File: file, Line: i + 1, Msg: "the line is not UTF-8 (the file looks Latin-1 encoded: save it as UTF-8)"}
		}
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = ','
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &Error{File: file, Msg: "the file is empty"}
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	col := map[string]int{}
	names := map[string]string{}
	for i, h := range header {
		key := strings.ToLower(strings.TrimSpace(h))
		if c, ok := columns[key]; ok {
			if _, dup := col[c]; dup {
				return nil, &Error{File: file, Line: 1, Column: h, Msg: "the column " + c + " appears twice"}
			}
			col[c], names[c] = i, strings.TrimSpace(h)
		}
	}
	for _, c := range []string{"account", "date", "amount"} {
		if _, ok := col[c]; !ok {
			return nil, &Error{File: file, Line: 1, Msg: "the header has no " + c + " column (konto, dato, beløp)"}
		}
	}
	var out []Entry
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		cell := func(c string) string {
			i, ok := col[c]
			if !ok || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		bad := func(c, format string, args ...any) error {
			return &Error{File: file, Line: line, Column: names[c], Msg: fmt.Sprintf(format, args...)}
		}
		e := Entry{Line: line, Account: cell("account"), Text: cell("text")}
		if !samrad.ValidAccount(e.Account) {
			return nil, bad("account", "%q is not an account number", e.Account)
		}
		if !accounts[e.Account] {
			return nil, bad("account", "account %s is not in the budget for %d; add a budget line for it first", e.Account, year)
		}
		if e.On, err = parseDate(cell("date")); err != nil {
			return nil, bad("date", "%v", err)
		}
		if e.On.Year() != year {
			return nil, bad("date", "%s is not in %d", e.On, year)
		}
		if e.Amount, err = samrad.ParseMoney(cell("amount")); err != nil {
			return nil, bad("amount", "%v", err)
		}
		if c := strings.ToUpper(cell("currency")); c != "" && c != samrad.Currency {
			return nil, bad("currency", "the amount is in %s; the accounts are kept in NOK", c)
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, &Error{File: file, Msg: "the file has no entries"}
	}
	return out, nil
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: file, Line: pe.StartLine, Msg: pe.Err.Error()}
	}
	return &Error{File: file, Msg: err.Error()}
}

func parseDate(s string) (samrad.Date, error) {
	for _, layout := range []string{"2006-01-02", "02.01.2006", "2.1.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return samrad.NewDate(t.Year(), t.Month(), t.Day()), nil
		}
	}
	return samrad.Date{}, fmt.Errorf("%q is not a date (YYYY-MM-DD or DD.MM.YYYY)", s)
}
