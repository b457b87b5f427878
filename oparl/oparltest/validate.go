// Package oparltest checks objects against the OParl 1.1 JSON schemas, for
// tests. The schemas are JSON Schema draft 4 in style with extra keywords
// (references, backreference, cardinality, and schema naming the schema of
// an embedded object); the checks cover what they use: type, required,
// properties, items, pattern, enum and the formats url, date and date-time.
package oparltest

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/samrad/samrad/oparl"
)

// Validator holds the parsed schemas by name ("Meeting").
type Validator struct {
	schemas map[string]map[string]any
}

// New reads the embedded schemas.
func New() (*Validator, error) {
	v := &Validator{schemas: map[string]map[string]any{}}
	names, err := fs.Glob(oparl.Schemas, "schema/*.json")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		b, err := fs.ReadFile(oparl.Schemas, n)
		if err != nil {
			return nil, err
		}
		var s map[string]any
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		v.schemas[strings.TrimSuffix(strings.TrimPrefix(n, "schema/"), ".json")] = s
	}
	if len(v.schemas) != 12 {
		return nil, fmt.Errorf("want 12 OParl schemas, have %d", len(v.schemas))
	}
	return v, nil
}

// Validate checks a decoded object against the schema its type names and
// returns every problem, each with the path of the value.
func (v *Validator) Validate(obj map[string]any) []string {
	typ, _ := obj["type"].(string)
	name := strings.TrimPrefix(typ, oparl.Version)
	s, ok := v.schemas[name]
	if !ok {
		return []string{fmt.Sprintf("type %q is no OParl 1.1 type", typ)}
	}
	var errs []string
	v.check(s, obj, name, &errs)
	return errs
}

func (v *Validator) check(s map[string]any, val any, path string, errs *[]string) {
	bad := func(format string, args ...any) { *errs = append(*errs, path+": "+fmt.Sprintf(format, args...)) }
	if ref, ok := s["schema"].(string); ok { // an embedded object of another type
		if sub, ok := v.schemas[strings.TrimSuffix(ref, ".json")]; ok {
			s = sub
		}
	}
	if t, ok := s["type"].(string); ok && !hasType(t, val) {
		bad("want %s, have %T", t, val)
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
		case "url":
			u, err := url.Parse(x)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				bad("%q is not an absolute http(s) URL", x)
			}
		case "date":
			if _, err := time.Parse(time.DateOnly, x); err != nil {
				bad("%q is not a date", x)
			}
		case "date-time":
			if _, err := time.Parse(time.RFC3339, x); err != nil {
				bad("%q is not a date-time with offset", x)
			}
		}
	case map[string]any:
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, ok := x[r.(string)]; !ok {
					bad("required %q missing", r)
				}
			}
		}
		props, _ := s["properties"].(map[string]any)
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ps, ok := props[k].(map[string]any)
			if !ok {
				if props != nil {
					bad("property %q is not in the schema", k)
				}
				continue
			}
			v.check(ps, x[k], path+"."+k, errs)
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range x {
				v.check(items, e, fmt.Sprintf("%s[%d]", path, i), errs)
			}
		}
	}
}

func hasType(t string, val any) bool {
	switch t {
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
	}
	return true
}
