package statbank

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/samrad/samrad/ssb"
)

// Metadata describes a table: its variables and their codes, without
// values. PxWebApi v2 sends it as a JSON-stat 2.0 dataset without "value".
type Metadata struct {
	Exchange
	TableID, Label, Updated string
	IDs                     []string // variable codes in order
	Dims                    map[string]*MetaDimension
	Roles                   map[string][]string // "geo", "time", "metric" → variable codes
}

// MetaDimension is one variable of a table.
type MetaDimension struct {
	ssb.Dimension // ID, Label, Codes, Labels
	// Elimination is true when the variable may be left out of a query
	// (SSB then sums over it).
	Elimination          bool
	EliminationValueCode string
	Codelists            []Codelist
}

// Codelist is a code list offered for a variable, e.g. agg_KommSummer.
type Codelist struct {
	ID, Label, Type string
}

// Metadata fetches GET {BaseURL}/tables/{table}/metadata. lang is "no",
// "en" or empty ("no"). It returns the *Metadata whenever a request was
// sent, also with an error; its Dims are empty then.
func (c *Client) Metadata(ctx context.Context, table, lang string) (*Metadata, error) {
	if err := checkTable(table, lang); err != nil {
		return nil, err
	}
	if lang == "" {
		lang = "no"
	}
	m := &Metadata{}
	url := c.base() + "/tables/" + table + "/metadata?lang=" + lang + "&outputFormat=json-stat2"
	data, err := c.send(ctx, http.MethodGet, url, nil, &m.Exchange)
	if err != nil {
		return m, err
	}
	if err := m.decode(data, "table "+table+" metadata"); err != nil {
		return m, &DecodeError{Method: m.Method, URL: m.URL, Err: err}
	}
	return m, nil
}

type rawMetadata struct {
	Class     string                     `json:"class"`
	Label     string                     `json:"label"`
	Updated   string                     `json:"updated"`
	ID        []string                   `json:"id"`
	Size      []int                      `json:"size"`
	Role      map[string][]string        `json:"role"`
	Dimension map[string]json.RawMessage `json:"dimension"`
	Extension struct {
		PX struct {
			TableID json.RawMessage `json:"tableid"`
		} `json:"px"`
	} `json:"extension"`
}

type rawMetaDimension struct {
	Label    string `json:"label"`
	Category struct {
		Index json.RawMessage   `json:"index"`
		Label map[string]string `json:"label"`
	} `json:"category"`
	Extension struct {
		Elimination          bool   `json:"elimination"`
		EliminationValueCode string `json:"eliminationValueCode"`
		Codelists            []struct {
			ID    string `json:"id"`
			Label string `json:"label"`
			Type  string `json:"type"`
		} `json:"codelists"`
	} `json:"extension"`
}

func metaError(file, field, format string, args ...any) *ssb.ParseError {
	f := ""
	if field != "" {
		f = fmt.Sprintf("field %q", field)
	}
	return &ssb.ParseError{File: file, Field: f, Msg: fmt.Sprintf(format, args...)}
}

// decode reads the JSON-stat 2.0 metadata of a table. Errors are
// *ssb.ParseError.
func (m *Metadata) decode(data []byte, file string) error {
	var raw rawMetadata
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if err := json.Unmarshal(data, &raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return &ssb.ParseError{File: file, Line: 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte{'\n'}), Msg: "JSON syntax error: " + se.Error()}
		}
		return metaError(file, "", "%v", err)
	}
	if raw.Class != "dataset" {
		return metaError(file, "class", "%q is not \"dataset\"; expected the JSON-stat 2.0 metadata of a table", raw.Class)
	}
	if len(raw.ID) == 0 {
		return metaError(file, "id", "missing or empty")
	}
	if raw.Size != nil && len(raw.Size) != len(raw.ID) {
		return metaError(file, "size", "%d dimensions in \"id\" but %d sizes", len(raw.ID), len(raw.Size))
	}
	m.Label, m.Updated, m.Roles = raw.Label, raw.Updated, raw.Role
	if m.Roles == nil {
		m.Roles = map[string][]string{}
	}
	if t := raw.Extension.PX.TableID; len(t) > 0 {
		var s string
		if json.Unmarshal(t, &s) == nil {
			m.TableID = s
		} else if n := strings.TrimSpace(string(t)); n != "null" {
			m.TableID = n
		}
	}
	dims := make(map[string]*MetaDimension, len(raw.ID))
	for i, id := range raw.ID {
		field := "dimension." + id
		if _, dup := dims[id]; dup {
			return metaError(file, "id", "dimension %q appears twice", id)
		}
		rd, ok := raw.Dimension[id]
		if !ok {
			return metaError(file, "id", "unknown dimension %q: it is not in \"dimension\"", id)
		}
		var d rawMetaDimension
		if err := json.Unmarshal(rd, &d); err != nil {
			return metaError(file, field, "%v", err)
		}
		codes, err := categoryCodes(d.Category.Index, d.Category.Label)
		if err != nil {
			return metaError(file, field+".category.index", "%v", err)
		}
		if raw.Size != nil && raw.Size[i] != len(codes) {
			return metaError(file, field, "%d categories but size %d", len(codes), raw.Size[i])
		}
		md := &MetaDimension{
			Dimension:            ssb.Dimension{ID: id, Label: d.Label, Codes: codes, Labels: make(map[string]string, len(codes))},
			Elimination:          d.Extension.Elimination,
			EliminationValueCode: d.Extension.EliminationValueCode,
		}
		for _, c := range codes {
			if l, ok := d.Category.Label[c]; ok {
				md.Labels[c] = l
			} else {
				md.Labels[c] = c
			}
		}
		for _, cl := range d.Extension.Codelists {
			md.Codelists = append(md.Codelists, Codelist{ID: cl.ID, Label: cl.Label, Type: cl.Type})
		}
		dims[id] = md
	}
	m.IDs, m.Dims = raw.ID, dims
	return nil
}

// categoryCodes reads category.index, an object {code: position} or an
// array of codes; without an index, the codes are the keys of label (one
// category only, as JSON-stat allows).
func categoryCodes(index json.RawMessage, labels map[string]string) ([]string, error) {
	index = bytes.TrimSpace(index)
	if len(index) == 0 || string(index) == "null" {
		if len(labels) == 1 {
			for c := range labels {
				return []string{c}, nil
			}
		}
		return nil, fmt.Errorf("missing")
	}
	if index[0] == '[' {
		var codes []string
		if err := json.Unmarshal(index, &codes); err != nil {
			return nil, fmt.Errorf("is not an array of codes")
		}
		seen := make(map[string]bool, len(codes))
		for _, c := range codes {
			if seen[c] {
				return nil, fmt.Errorf("code %q appears twice", c)
			}
			seen[c] = true
		}
		return codes, nil
	}
	var pos map[string]int
	if err := json.Unmarshal(index, &pos); err != nil {
		return nil, fmt.Errorf("is neither an object of positions nor an array of codes")
	}
	codes := make([]string, len(pos))
	for c, p := range pos {
		if p < 0 || p >= len(pos) || codes[p] != "" {
			return nil, fmt.Errorf("position %d of code %q is out of range or taken twice", p, c)
		}
		codes[p] = c
	}
	return codes, nil
}

// CheckMetadata tells whether q can be asked of the table m describes:
// every selected variable is in the table, every variable that cannot be
// left out is selected, every code list asked for is offered, and every
// plain value code (also inside from(), to() and range()) of a selection
// without a code list is one of the variable's codes. The error is a
// *DimensionError.
func CheckMetadata(m *Metadata, q Query) error {
	de := &DimensionError{URL: m.URL, Table: q.Table}
	selected := make(map[string]bool, len(q.Selections))
	for _, s := range q.Selections {
		selected[s.Variable] = true
		dim := m.Dims[s.Variable]
		if dim == nil {
			de.Missing = append(de.Missing, s.Variable)
			continue
		}
		if s.Codelist != "" {
			found := false
			for _, cl := range dim.Codelists {
				found = found || cl.ID == s.Codelist
			}
			if !found {
				if de.UnknownCodelists == nil {
					de.UnknownCodelists = map[string]string{}
				}
				de.UnknownCodelists[s.Variable] = s.Codelist
			}
			continue // the codes are those of the code list, not in the metadata
		}
		codes := make(map[string]bool, len(dim.Codes))
		for _, c := range dim.Codes {
			codes[c] = true
		}
		for _, code := range s.Codes {
			for _, c := range referencedCodes(code) {
				if !codes[c] {
					de.addCode(s.Variable, c)
				}
			}
		}
	}
	for _, id := range m.IDs {
		if d := m.Dims[id]; d != nil && !d.Elimination && !selected[id] {
			de.Required = append(de.Required, id)
		}
	}
	if de.empty() {
		return nil
	}
	for _, codes := range de.UnknownCodes {
		sort.Strings(codes)
	}
	return de
}

// referencedCodes returns the value codes a code or expression names:
// itself when plain, the arguments of from, to and range, none for
// wildcards, top and bottom.
func referencedCodes(code string) []string {
	if name, args, ok := expression(code); ok {
		switch name {
		case "from", "to", "range":
			return args
		}
		return nil
	}
	if strings.ContainsAny(code, "*?") {
		return nil
	}
	return []string{code}
}
