package ssb

import (
	"bytes"
	"fmt"
	"io"
	"time"
)

// CodeChange is one row of a KLASS "changes" list: oldCode became newCode
// on Occurred.
type CodeChange struct {
	OldCode, OldName, NewCode, NewName string
	Occurred                           time.Time // UTC midnight
}

// ParseKlassChanges reads the JSON of KLASS
// /classifications/{131|104}/changes. Codes must have 2 or 4 digits and the
// date must be a real date; errors name the element, e.g. codeChanges[3].changeOccurred.
func ParseKlassChanges(r io.Reader, file string) ([]CodeChange, error) {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var doc struct {
		CodeChanges *[]struct {
			OldCode        *string `json:"oldCode"`
			OldName        string  `json:"oldName"`
			NewCode        *string `json:"newCode"`
			NewName        string  `json:"newName"`
			ChangeOccurred *string `json:"changeOccurred"`
		} `json:"codeChanges"`
	}
	if err := strictDecode(data, &doc); err != nil {
		return nil, errorf(file, 0, "", "not a KLASS changes document: %v", err)
	}
	if doc.CodeChanges == nil {
		return nil, errorf(file, 0, "codeChanges", "missing")
	}
	out := make([]CodeChange, 0, len(*doc.CodeChanges))
	for i, c := range *doc.CodeChanges {
		field := func(name string) string { return fmt.Sprintf("codeChanges[%d].%s", i, name) }
		for _, f := range []struct {
			name string
			v    *string
		}{{"oldCode", c.OldCode}, {"newCode", c.NewCode}} {
			if f.v == nil {
				return nil, errorf(file, 0, field(f.name), "missing")
			}
			if !klassCode(*f.v) {
				return nil, errorf(file, 0, field(f.name), "%q is not a 2- or 4-digit code", *f.v)
			}
		}
		if c.ChangeOccurred == nil {
			return nil, errorf(file, 0, field("changeOccurred"), "missing")
		}
		t, err := time.Parse(time.DateOnly, *c.ChangeOccurred)
		if err != nil {
			return nil, errorf(file, 0, field("changeOccurred"), "%q is not a date (YYYY-MM-DD)", *c.ChangeOccurred)
		}
		if len(*c.OldCode) != len(*c.NewCode) {
			return nil, errorf(file, 0, field("newCode"), "%q and %q are not the same kind of code", *c.OldCode, *c.NewCode)
		}
		out = append(out, CodeChange{OldCode: *c.OldCode, OldName: c.OldName, NewCode: *c.NewCode, NewName: c.NewName, Occurred: t})
	}
	return out, nil
}

func klassCode(s string) bool {
	if len(s) != 2 && len(s) != 4 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
