package ssb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// maxKlassBytes caps the size of a KLASS document.
const maxKlassBytes = 64 << 20

// CodeChange is one row of a KLASS "changes" list: on Occurred, OldCode
// (named OldName) became NewCode (named NewName). A merge is several rows
// with the same NewCode, a split several rows with the same OldCode; a row
// with OldCode == NewCode is a change of name only.
type CodeChange struct {
	OldCode, OldName, NewCode, NewName string
	Occurred                           time.Time // UTC midnight
}

// ParseKlassChanges reads the JSON answer of KLASS
// /classifications/131/changes (municipalities) or
// /classifications/104/changes (counties):
//
//	{"codeChanges": [{"oldCode": "0220", "oldName": "Asker", "oldShortName": "",
//	  "newCode": "3025", "newName": "Asker", "newShortName": "", "changeOccurred": "2020-01-01"}, …]}
//
// oldCode, newCode and changeOccurred are required; the codes must have 2
// digits (counties) or 4 digits (municipalities), both the same, and the
// date must be a real date written YYYY-MM-DD. Names may be absent. Other
// members are ignored. An empty list is not an error. Errors name the
// element, as in field "codeChanges[3].changeOccurred". The changes are
// returned in the order of the input.
func ParseKlassChanges(r io.Reader, file string) ([]CodeChange, error) {
	data, err := readAllLimit(r, maxKlassBytes, file)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte(utf8BOM))
	var doc map[string]json.RawMessage
	if err := decodeStrict(data, &doc); err != nil {
		return nil, klassSyntaxError(data, file, err)
	}
	if doc == nil {
		return nil, errorf(file, 0, "", `not a KLASS changes document: expected {"codeChanges": […]}`)
	}
	list, ok := doc["codeChanges"]
	if !ok || string(bytes.TrimSpace(list)) == "null" {
		return nil, fieldError(file, "codeChanges", `missing; expected {"codeChanges": […]} from KLASS /classifications/{id}/changes`)
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(list, &elems); err != nil {
		return nil, fieldError(file, "codeChanges", "is not an array")
	}
	out := make([]CodeChange, 0, len(elems))
	for i, e := range elems {
		name := func(member string) string { return fmt.Sprintf("codeChanges[%d].%s", i, member) }
		var m map[string]json.RawMessage
		if err := json.Unmarshal(e, &m); err != nil || m == nil {
			return nil, fieldError(file, fmt.Sprintf("codeChanges[%d]", i), "is not an object")
		}
		get := func(member string, required bool) (string, error) {
			v, ok := m[member]
			if !ok || string(v) == "null" {
				if required {
					return "", fieldError(file, name(member), "missing")
				}
				return "", nil
			}
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return "", fieldError(file, name(member), "%s is not a string", v)
			}
			return s, nil
		}
		var c CodeChange
		var date string
		for _, f := range []struct {
			member   string
			dst      *string
			required bool
		}{
			{"oldCode", &c.OldCode, true},
			{"oldName", &c.OldName, false},
			{"newCode", &c.NewCode, true},
			{"newName", &c.NewName, false},
			{"changeOccurred", &date, true},
		} {
			if *f.dst, err = get(f.member, f.required); err != nil {
				return nil, err
			}
		}
		for _, f := range []struct{ member, code string }{{"oldCode", c.OldCode}, {"newCode", c.NewCode}} {
			if (len(f.code) != 2 && len(f.code) != 4) || !allDigits(f.code) {
				return nil, fieldError(file, name(f.member), "%q is not a 2-digit county or 4-digit municipality code", f.code)
			}
		}
		if len(c.OldCode) != len(c.NewCode) {
			return nil, fieldError(file, name("newCode"), "%q and the old code %q are not the same kind of code", c.NewCode, c.OldCode)
		}
		t, err := time.Parse(time.DateOnly, date)
		if err != nil || len(date) != len(time.DateOnly) {
			return nil, fieldError(file, name("changeOccurred"), "%q is not a date (YYYY-MM-DD)", date)
		}
		if t.Year() < 1800 {
			return nil, fieldError(file, name("changeOccurred"), "%q is before 1800", date)
		}
		c.Occurred = t
		out = append(out, c)
	}
	return out, nil
}

// decodeStrict decodes one JSON value and refuses anything after it.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return trailingDataError{dec.InputOffset()}
	}
	return nil
}

// trailingDataError is more input after a complete JSON document.
type trailingDataError struct{ offset int64 }

func (e trailingDataError) Error() string { return "data after the end of the JSON document" }

func klassSyntaxError(data []byte, file string, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var trailing trailingDataError
	switch {
	case errors.As(err, &te):
		return errorf(file, 0, "", `not a KLASS changes document: the top level is %s; expected {"codeChanges": […]}`, withArticle(te.Value))
	case errors.As(err, &trailing):
		return errorf(file, lineAt(data, trailing.offset), "", "%v", trailing)
	case errors.As(err, &se):
		return errorf(file, lineAt(data, se.Offset), "", "not valid JSON: %v", se)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		if len(bytes.TrimSpace(data)) == 0 {
			return errorf(file, 0, "", "the file is empty")
		}
		return errorf(file, lineAt(data, int64(len(data))), "", "the JSON document ends too early")
	}
	return errorf(file, 0, "", "%v", err)
}
