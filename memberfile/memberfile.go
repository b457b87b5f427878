// Package memberfile reads and writes a secretariat's member list as CSV.
//
// The export header is exactly
//
//	code,name,kind,member_from,member_to,status
//
// and the same file can be imported again. An import may also carry the
// columns category, note, attested_on and source. member_from is a date
// (YYYY-MM-DD), a year (YYYY) or empty when the source does not say.
package memberfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/samrad/samrad"
)

// Header is the exact header of an exported member list.
var Header = []string{"code", "name", "kind", "member_from", "member_to", "status"}

var known = map[string]bool{
	"code": true, "name": true, "kind": true, "member_from": true, "member_to": true,
	"status": true, "category": true, "note": true, "attested_on": true, "source": true,
}

// Row is one member line of an import.
type Row struct {
	Line          int
	Code, Name    string
	Kind          samrad.OrgKind // empty: derived from the code
	From          samrad.Date
	FromPrecision samrad.Precision
	To            samrad.Date
	AttestedOn    samrad.Date
	Status        samrad.MembershipStatus
	Category      string
	Note, Source  string
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

// Parse reads a member list. A leading UTF-8 BOM and CRLF or CR line ends are
// accepted; bytes that are not UTF-8, a BOM elsewhere, unknown columns or bad
// cells are errors naming the line.
func Parse(r io.Reader, file string) ([]Row, error) {
	data, err := io.ReadAll(io.LimitReader(r, 32<<20))
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	for i, line := range bytes.Split(data, []byte("\n")) {
		if !utf8.Valid(line) {
			return nil, &Error{File: file, Line: i + 1, Msg: "the line is not UTF-8 (the file looks Latin-1 encoded: save it as UTF-8)"}
		}
		if bytes.Contains(line, []byte("\uFEFF")) {
			return nil, &Error{File: file, Line: i + 1, Msg: "a byte-order mark in the middle of the file"}
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.Comma = ','
	if first, _, _ := bytes.Cut(data, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &Error{File: file, Msg: "the file is empty"}
	}
	if err != nil {
		return nil, &Error{File: file, Line: 1, Msg: err.Error()}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !known[h] {
			return nil, &Error{File: file, Line: 1, Column: h, Msg: "unknown column; expected code,name,kind,member_from,member_to,status (and optionally category,note,attested_on,source)"}
		}
		if _, dup := col[h]; dup {
			return nil, &Error{File: file, Line: 1, Column: h, Msg: "column appears twice"}
		}
		col[h] = i
	}
	if _, ok := col["code"]; !ok {
		return nil, &Error{File: file, Line: 1, Msg: "the column \"code\" is required"}
	}
	var out []Row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &Error{File: file, Line: pe.Line, Msg: pe.Err.Error()}
			}
			return nil, &Error{File: file, Msg: err.Error()}
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			return nil, &Error{File: file, Line: line, Msg: fmt.Sprintf("%d cells, but the header has %d", len(rec), len(header))}
		}
		get := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row, perr := parseRow(get, line)
		if perr != nil {
			perr.File = file
			return nil, perr
		}
		out = append(out, row)
	}
	if len(out) == 0 {
		return nil, &Error{File: file, Msg: "no members in the file"}
	}
	return out, nil
}

func parseRow(get func(string) string, line int) (Row, *Error) {
	r := Row{Line: line, Code: get("code"), Name: get("name"), Category: get("category"), Note: get("note"), Source: get("source")}
	bad := func(column, format string, args ...any) *Error {
		return &Error{Line: line, Column: column, Msg: fmt.Sprintf(format, args...)}
	}
	if r.Code == "" {
		return r, bad("code", "empty")
	}
	if k := get("kind"); k != "" {
		r.Kind = samrad.OrgKind(k)
		if !r.Kind.Valid() {
			return r, bad("kind", "unknown kind %q", k)
		}
	} else if k, ok := samrad.KindForCode(r.Code); ok {
		r.Kind = k
	} else {
		return r, bad("kind", "required for %q, which is not an official code", r.Code)
	}
	if err := samrad.ValidateOrgCode(r.Kind, r.Code); err != nil {
		return r, bad("code", "%s", err.(*samrad.Error).Message)
	}
	from := get("member_from")
	switch {
	case from == "" || strings.EqualFold(from, "unknown") || strings.EqualFold(from, "ukjent"):
		r.FromPrecision = samrad.PrecisionUnknown
	case len(from) == 4:
		d, err := samrad.ParseDate(from + "-01-01")
		if err != nil {
			return r, bad("member_from", "%q is not a year or date", from)
		}
		r.From, r.FromPrecision = d, samrad.PrecisionYear
	default:
		d, err := samrad.ParseDate(from)
		if err != nil {
			return r, bad("member_from", "%v", err)
		}
		r.From, r.FromPrecision = d, samrad.PrecisionDay
	}
	for _, c := range []struct {
		name string
		dst  *samrad.Date
	}{{"member_to", &r.To}, {"attested_on", &r.AttestedOn}} {
		if v := get(c.name); v != "" {
			d, err := samrad.ParseDate(v)
			if err != nil {
				return r, bad(c.name, "%v", err)
			}
			*c.dst = d
		}
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return r, bad("member_to", "%s is before member_from %s", r.To, r.From)
	}
	switch s := get("status"); s {
	case "", "confirmed":
		r.Status = samrad.StatusConfirmed
	case "pending":
		r.Status = samrad.StatusPending
	default:
		return r, bad("status", "%q is neither confirmed nor pending", s)
	}
	if r.Category == "" {
		r.Category = samrad.DefaultCategory(r.Kind)
	}
	return r, nil
}

// Write writes memberships with the export header. Unknown starts are empty.
func Write(w io.Writer, ms []samrad.Membership, lang string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return err
	}
	for _, m := range ms {
		if err := cw.Write([]string{
			m.Org.Code, m.Org.Name(lang), string(m.Org.Kind),
			m.Since.FormatAs(m.SincePrecision), m.Until.String(), string(m.Status),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
