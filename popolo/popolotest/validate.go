// Package popolotest checks objects against the Popolo JSON schemas
// (draft-03), offline, for tests: type (one or a list, "null" included),
// required properties, $ref by the schemas' absolute ids, items, pattern,
// enum and the formats date-time, uri and email.
package popolotest

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/mail"
	"net/url"
	"regexp"
	"sort"
	"time"

	"github.com/samrad/samrad/popolo"
)

// Validator holds the schemas by their ids
// (http://www.popoloproject.com/schemas/person.json#).
type Validator struct {
	byID map[string]map[string]any
}

// Base is where the schema ids live.
const Base = "http://www.popoloproject.com/schemas/"

// New reads the embedded schemas.
func New() (*Validator, error) {
	v := &Validator{byID: map[string]map[string]any{}}
	names, err := fs.Glob(popolo.Schemas, "schema/*.json")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		b, err := fs.ReadFile(popolo.Schemas, n)
		if err != nil {
			return nil, err
		}
		var s map[string]any
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		id, _ := s["id"].(string)
		if id == "" {
			return nil, fmt.Errorf("%s has no id", n)
		}
		v.byID[id] = s
	}
	if len(v.byID) != 16 {
		return nil, fmt.Errorf("want 16 Popolo schemas, have %d", len(v.byID))
	}
	return v, nil
}

// Validate checks a decoded value against a schema named by file
// ("person.json") and returns every problem with the path of the value.
func (v *Validator) Validate(schema string, val any) []string {
	s, ok := v.byID[Base+schema+"#"]
	if !ok {
		return []string{"no schema " + schema}
	}
	var errs []string
	v.check(s, val, schema, &errs, 0)
	return errs
}

func (v *Validator) check(s map[string]any, val any, path string, errs *[]string, depth int) {
	bad := func(format string, args ...any) { *errs = append(*errs, path+": "+fmt.Sprintf(format, args...)) }
	if depth > 32 {
		bad("schemas nest too deep")
		return
	}
	if ref, ok := s["$ref"].(string); ok {
		sub, ok := v.byID[ref]
		if !ok {
			bad("unknown $ref %s", ref)
			return
		}
		s = sub
	}
	if t, ok := s["type"]; ok && !typeMatches(t, val) {
		bad("want type %v, have %T", t, val)
		return
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || e == val
		}
		if !found {
			bad("%v is not one of %v", val, enum)
		}
	}
	switch x := val.(type) {
	case string:
		if p, ok := s["pattern"].(string); ok {
			re, err := regexp.Compile(p)
			if err != nil {
				bad("schema pattern %q: %v", p, err)
			} else if !re.MatchString(x) {
				bad("%q does not match %s", x, p)
			}
		}
		switch s["format"] {
		case "date-time":
			if _, err := time.Parse(time.RFC3339, x); err != nil {
				bad("%q is not a date-time", x)
			}
		case "uri":
			if u, err := url.Parse(x); err != nil || u.Scheme == "" {
				bad("%q is not an absolute URI", x)
			}
		case "email":
			if _, err := mail.ParseAddress(x); err != nil {
				bad("%q is not an e-mail address", x)
			}
		}
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		names := make([]string, 0, len(props))
		for k := range props {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			ps, _ := props[k].(map[string]any)
			e, present := x[k]
			if !present {
				if req, _ := ps["required"].(bool); req {
					bad("required %q missing", k)
				}
				continue
			}
			v.check(ps, e, path+"."+k, errs, depth+1)
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range x {
				v.check(items, e, fmt.Sprintf("%s[%d]", path, i), errs, depth+1)
			}
		}
	}
}

// typeMatches reads draft-03's type: a name or a list of names.
func typeMatches(t any, val any) bool {
	switch t := t.(type) {
	case string:
		return hasType(t, val)
	case []any:
		for _, e := range t {
			if name, ok := e.(string); ok && hasType(name, val) {
				return true
			}
		}
		return false
	}
	return true
}

func hasType(t string, val any) bool {
	switch t {
	case "null":
		return val == nil
	case "object":
		_, ok := val.(map[string]any)
		return ok
	case "array":
		_, ok := val.([]any)
		return ok
	case "string":
		_, ok := val.(string)
		return ok
	case "boolean":
		_, ok := val.(bool)
		return ok
	case "integer":
		f, ok := val.(float64)
		return ok && f == float64(int64(f))
	case "number":
		_, ok := val.(float64)
		return ok
	case "any":
		return true
	}
	return false
}
