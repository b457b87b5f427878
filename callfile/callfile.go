// Package callfile reads funding calls from a file a secretariat keeps or
// gets from a funder: CSV (a header row; comma or semicolon separated;
// UTF-8 with or without a byte-order mark) or JSON (an array of objects).
// Both have the same columns:
//
//	programme,code,title,opens,deadline,budget,url,note
//
// programme is the slug of one of the alliance's programmes; programme,
// code, title and deadline are required. Dates are YYYY-MM-DD or
// DD.MM.YYYY; a deadline may carry a time in Norway ("2026-03-31 17:00"),
// and without one means the end of that day. budget is in kroner.
//
// Every error names the line (in JSON, the line where the object starts)
// and the column, with a reason code so that the caller can say it in the
// user's language.
package callfile

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/samrad/samrad"
)

// MaxSize is the largest file read; MaxRows the most calls in one file.
const (
	MaxSize = 4 << 20
	MaxRows = 5000
)

// Columns are the columns of a call file, in the order an export writes them.
var Columns = []string{"programme", "code", "title", "opens", "deadline", "budget", "url", "note"}

// aliases are the Norwegian column names a file may use instead.
var aliases = map[string]string{
	"program": "programme", "kode": "code", "tittel": "title", "apner": "opens", "åpner": "opens",
	"frist": "deadline", "budsjett": "budget", "lenke": "url", "merknad": "note",
}

func column(name string) (string, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	if a, ok := aliases[name]; ok {
		return a, true
	}
	for _, c := range Columns {
		if c == name {
			return c, true
		}
	}
	return name, false
}

// Reasons an Error gives.
const (
	ReasonEmpty           = "empty"            // no data at all
	ReasonNoRows          = "no_rows"          // a header or [] but no calls
	ReasonTooMany         = "too_many"         // more than MaxRows calls
	ReasonEncoding        = "encoding"         // a line that is not UTF-8
	ReasonBOM             = "bom"              // a byte-order mark inside the file
	ReasonSyntax          = "syntax"           // the CSV or JSON is malformed; Value says how
	ReasonUnknownColumn   = "unknown_column"   // a column (or JSON key) not in Columns
	ReasonDuplicateColumn = "duplicate_column" // a column twice in the header
	ReasonMissingColumn   = "missing_column"   // a required column is absent
	ReasonCells           = "cells"            // a line with another number of cells than the header
	ReasonNotText         = "not_text"         // a JSON value that is neither a string nor a number
	ReasonRequired        = "required"         // an empty required cell
	ReasonDate            = "date"             // not a date (opens) or not a date and time (deadline)
	ReasonAmount          = "amount"           // not an amount of kroner, or negative
	ReasonURL             = "url"              // not an http(s) address
	ReasonTooLong         = "too_long"         // longer than the column allows
	ReasonOrder           = "order"            // the call opens after its deadline
	ReasonDuplicate       = "duplicate"        // the same programme and code twice in the file
	ReasonProgramme       = "programme"        // no programme with that slug (found by the importer)
	ReasonInvalid         = "invalid"          // any other rule of the call; Value is the message
)

// Error is a problem in a call file: where, and why.
type Error struct {
	File   string
	Line   int    // 0: the file as a whole
	Column string // "" when no one column is at fault
	Reason string
	Value  string // the cell's text, or for ReasonSyntax and ReasonInvalid a description
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
	b.WriteString(": ")
	b.WriteString(reasonText[e.Reason])
	if e.Value != "" {
		fmt.Fprintf(&b, ": %q", e.Value)
	}
	return b.String()
}

var reasonText = map[string]string{
	ReasonEmpty: "the file is empty", ReasonNoRows: "no calls in the file", ReasonTooMany: fmt.Sprintf("more than %d calls", MaxRows),
	ReasonEncoding: "the line is not UTF-8 (save the file as UTF-8)", ReasonBOM: "a byte-order mark in the middle of the file",
	ReasonSyntax: "the file cannot be read", ReasonUnknownColumn: "unknown column; expected " + strings.Join(Columns, ","),
	ReasonDuplicateColumn: "the column appears twice", ReasonMissingColumn: "a required column is missing",
	ReasonCells: "another number of cells than the header", ReasonNotText: "neither text nor a number",
	ReasonRequired: "empty", ReasonDate: "not a date (YYYY-MM-DD or DD.MM.YYYY, a deadline with an optional time HH:MM)",
	ReasonAmount: "not an amount of kroner of at least 0", ReasonURL: "not a web address (https://…)",
	ReasonTooLong: "too long", ReasonOrder: "the call opens after its deadline", ReasonDuplicate: "the same programme and code appear earlier in the file",
	ReasonProgramme: "the alliance has no programme with this slug", ReasonInvalid: "not a valid call",
}

// Row is one call of a file.
type Row struct {
	Line      int
	Programme string // the programme's slug
	Call      samrad.FundingCall
}

// Parse reads a call file, JSON if it starts with '[', else CSV.
func Parse(r io.Reader, file string) ([]Row, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSize {
		return nil, &Error{File: file, Reason: ReasonSyntax, Value: fmt.Sprintf("the file is larger than %d MB", MaxSize>>20)}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		return parseJSON(data, file)
	}
	return parseCSV(data, file)
}

// checkText checks that every line is UTF-8 without a stray byte-order mark.
func checkText(data []byte, file string) error {
	for i, line := range bytes.Split(data, []byte("\n")) {
		if !utf8.Valid(line) {
			return &Error{File: file, Line: i + 1, Reason: ReasonEncoding}
		}
		if bytes.Contains(line, []byte("\uFEFF")) {
			return &Error{File: file, Line: i + 1, Reason: ReasonBOM}
		}
	}
	return nil
}

func parseCSV(data []byte, file string) ([]Row, error) {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	if err := checkText(data, file); err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	if first, _, _ := bytes.Cut(data, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &Error{File: file, Reason: ReasonEmpty}
	}
	if err != nil {
		return nil, csvError(err, file)
	}
	col := map[string]int{}
	for i, h := range header {
		name, ok := column(h)
		if !ok {
			return nil, &Error{File: file, Line: 1, Column: strings.TrimSpace(h), Reason: ReasonUnknownColumn}
		}
		if _, dup := col[name]; dup {
			return nil, &Error{File: file, Line: 1, Column: name, Reason: ReasonDuplicateColumn}
		}
		col[name] = i
	}
	for _, req := range []string{"programme", "code", "title", "deadline"} {
		if _, ok := col[req]; !ok {
			return nil, &Error{File: file, Line: 1, Column: req, Reason: ReasonMissingColumn}
		}
	}
	var rows []Row
	seen := map[[2]string]bool{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err, file)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			return nil, &Error{File: file, Line: line, Reason: ReasonCells, Value: fmt.Sprintf("%d/%d", len(rec), len(header))}
		}
		row, perr := parseRow(func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}, line, seen)
		if perr != nil {
			perr.File = file
			return nil, perr
		}
		if rows = append(rows, row); len(rows) > MaxRows {
			return nil, &Error{File: file, Line: line, Reason: ReasonTooMany}
		}
	}
	if len(rows) == 0 {
		return nil, &Error{File: file, Reason: ReasonNoRows}
	}
	return rows, nil
}

func csvError(err error, file string) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: file, Line: pe.Line, Reason: ReasonSyntax, Value: pe.Err.Error()}
	}
	return &Error{File: file, Reason: ReasonSyntax, Value: err.Error()}
}

// lineAt is the line of a byte offset.
func lineAt(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

func parseJSON(data []byte, file string) ([]Row, error) {
	if err := checkText(data, file); err != nil {
		return nil, err
	}
	syntax := func(err error, at int64) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			at = se.Offset
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return &Error{File: file, Line: lineAt(data, int64(len(data))), Reason: ReasonSyntax, Value: "the file ends too early"}
		}
		return &Error{File: file, Line: lineAt(data, at), Reason: ReasonSyntax, Value: err.Error()}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil {
		return nil, syntax(err, dec.InputOffset())
	} else if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, &Error{File: file, Line: 1, Reason: ReasonSyntax, Value: "expected an array of calls"}
	}
	var rows []Row
	seen := map[[2]string]bool{}
	for dec.More() {
		// The object starts at the first '{' after the previous value.
		start := dec.InputOffset()
		for start < int64(len(data)) && bytes.IndexByte([]byte(" \t\r\n,"), data[start]) >= 0 {
			start++
		}
		line := lineAt(data, start)
		var obj map[string]json.RawMessage
		if err := dec.Decode(&obj); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return nil, &Error{File: file, Line: line, Reason: ReasonSyntax, Value: "expected an object with the call's columns"}
			}
			return nil, syntax(err, start)
		}
		cells := map[string]string{}
		for k, raw := range obj {
			name, ok := column(k)
			if !ok {
				return nil, &Error{File: file, Line: line, Column: k, Reason: ReasonUnknownColumn}
			}
			if _, dup := cells[name]; dup {
				return nil, &Error{File: file, Line: line, Column: name, Reason: ReasonDuplicateColumn}
			}
			v, ok := jsonText(raw)
			if !ok {
				return nil, &Error{File: file, Line: line, Column: name, Reason: ReasonNotText}
			}
			cells[name] = strings.TrimSpace(v)
		}
		row, perr := parseRow(func(name string) string { return cells[name] }, line, seen)
		if perr != nil {
			perr.File = file
			return nil, perr
		}
		if rows = append(rows, row); len(rows) > MaxRows {
			return nil, &Error{File: file, Line: line, Reason: ReasonTooMany}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntax(err, dec.InputOffset())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &Error{File: file, Line: lineAt(data, dec.InputOffset()), Reason: ReasonSyntax, Value: "more after the array of calls"}
	}
	if len(rows) == 0 {
		return nil, &Error{File: file, Reason: ReasonNoRows}
	}
	return rows, nil
}

// jsonText reads a JSON string or number as text; null is empty.
func jsonText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	switch {
	case bytes.Equal(raw, []byte("null")):
		return "", true
	case len(raw) > 0 && raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err == nil
	case len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9'):
		return string(raw), true
	}
	return "", false
}

// limits are the longest texts a column takes, in characters.
var limits = map[string]int{"programme": 80, "code": 100, "title": 300, "url": 500, "note": 2000}

func parseRow(get func(string) string, line int, seen map[[2]string]bool) (Row, *Error) {
	bad := func(column, reason, value string) *Error {
		return &Error{Line: line, Column: column, Reason: reason, Value: value}
	}
	for _, c := range []string{"programme", "code", "title", "deadline"} {
		if get(c) == "" {
			return Row{}, bad(c, ReasonRequired, "")
		}
	}
	for _, c := range Columns {
		if n, ok := limits[c]; ok && utf8.RuneCountInString(get(c)) > n {
			return Row{}, bad(c, ReasonTooLong, "")
		}
	}
	r := Row{Line: line, Programme: strings.ToLower(get("programme"))}
	c := &r.Call
	c.Code, c.Title, c.URL, c.Note = get("code"), get("title"), get("url"), get("note")
	if strings.ContainsAny(c.Code, "\r\n\t") {
		return r, bad("code", ReasonInvalid, "the code must be on one line")
	}
	if x := get("opens"); x != "" {
		d, err := samrad.ParseCallDate(x)
		if err != nil {
			return r, bad("opens", ReasonDate, x)
		}
		c.Opens = d
	}
	t, err := samrad.ParseDeadline(get("deadline"))
	if err != nil {
		return r, bad("deadline", ReasonDate, get("deadline"))
	}
	c.Deadline = t
	if !c.Opens.IsZero() && c.Opens.After(samrad.DateIn(c.Deadline)) {
		return r, bad("opens", ReasonOrder, get("opens"))
	}
	if x := get("budget"); x != "" {
		m, err := samrad.ParseMoney(x)
		if err != nil || m < 0 {
			return r, bad("budget", ReasonAmount, x)
		}
		c.Budget = &m
	}
	if c.URL != "" && !strings.HasPrefix(c.URL, "https://") && !strings.HasPrefix(c.URL, "http://") || strings.ContainsAny(c.URL, " \t") {
		return r, bad("url", ReasonURL, c.URL)
	}
	if err := c.Validate(); err != nil {
		var e *samrad.Error
		if errors.As(err, &e) {
			return r, bad(e.Field, ReasonInvalid, e.Message)
		}
		return r, bad("", ReasonInvalid, err.Error())
	}
	key := [2]string{r.Programme, c.Code}
	if seen[key] {
		return r, bad("code", ReasonDuplicate, c.Code)
	}
	seen[key] = true
	return r, nil
}
