package ssb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// MaxCells caps the size of a dataset.
const MaxCells = 10_000_000

// Cube is a decoded JSON-stat 2.0 dataset.
type Cube struct {
	Label, Source, Updated string
	TableID                string
	IDs                    []string
	Sizes                  []int
	Dims                   map[string]*Dimension
	Roles                  map[string][]string
	Values                 []Cell // row-major: the last id varies fastest
}

// Dimension is one dimension of a cube with its categories in index order.
type Dimension struct {
	ID, Label string
	Codes     []string
	Labels    map[string]string
	Units     map[string]Unit
	pos       map[string]int
}

// Unit describes a metric category.
type Unit struct {
	Base     string
	Decimals int
}

// Cell is one value. Present is false for null cells; Status holds the SSB
// symbol ("..", ".", ":", "-") when one is given.
type Cell struct {
	Value   float64
	Present bool
	Status  string
}

type rawCategory struct {
	Index json.RawMessage            `json:"index"`
	Label map[string]string          `json:"label"`
	Unit  map[string]json.RawMessage `json:"unit"`
}

type rawDimension struct {
	Label    string      `json:"label"`
	Category rawCategory `json:"category"`
}

type rawDataset struct {
	Version   string                     `json:"version"`
	Class     string                     `json:"class"`
	Label     string                     `json:"label"`
	Source    string                     `json:"source"`
	Updated   string                     `json:"updated"`
	ID        []string                   `json:"id"`
	Size      []int                      `json:"size"`
	Role      map[string][]string        `json:"role"`
	Dimension map[string]json.RawMessage `json:"dimension"`
	Value     json.RawMessage            `json:"value"`
	Status    json.RawMessage            `json:"status"`
	Extension struct {
		PX struct {
			TableID string `json:"tableid"`
		} `json:"px"`
	} `json:"extension"`
	Dataset json.RawMessage `json:"dataset"`
}

// DecodeJSONStat decodes a JSON-stat 2.0 dataset, or a 1.x response that
// wraps one in {"dataset": …} with id, size and role inside "dimension".
func DecodeJSONStat(r io.Reader, file string) (*Cube, error) {
	data, err := io.ReadAll(io.LimitReader(r, 512<<20))
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var raw rawDataset
	if err := strictDecode(data, &raw); err != nil {
		return nil, errorf(file, 0, "", "not JSON-stat: %v", err)
	}
	if len(raw.Dataset) > 0 && raw.ID == nil {
		var inner rawDataset
		if err := strictDecode(raw.Dataset, &inner); err != nil {
			return nil, errorf(file, 0, "dataset", "%v", err)
		}
		raw = inner
		// 1.x keeps id, size and role inside "dimension".
		if v, ok := raw.Dimension["id"]; ok {
			if err := json.Unmarshal(v, &raw.ID); err != nil {
				return nil, errorf(file, 0, "dimension.id", "%v", err)
			}
			delete(raw.Dimension, "id")
		}
		if v, ok := raw.Dimension["size"]; ok {
			if err := json.Unmarshal(v, &raw.Size); err != nil {
				return nil, errorf(file, 0, "dimension.size", "%v", err)
			}
			delete(raw.Dimension, "size")
		}
		if v, ok := raw.Dimension["role"]; ok {
			if err := json.Unmarshal(v, &raw.Role); err != nil {
				return nil, errorf(file, 0, "dimension.role", "%v", err)
			}
			delete(raw.Dimension, "role")
		}
		if raw.Class == "" {
			raw.Class = "dataset"
		}
	}
	if raw.Class != "dataset" {
		return nil, errorf(file, 0, "class", "%q is not \"dataset\"", raw.Class)
	}
	if len(raw.ID) == 0 {
		return nil, errorf(file, 0, "id", "missing")
	}
	if len(raw.ID) != len(raw.Size) {
		return nil, errorf(file, 0, "size", "%d dimensions in \"id\" but %d sizes", len(raw.ID), len(raw.Size))
	}
	c := &Cube{Label: raw.Label, Source: raw.Source, Updated: raw.Updated, TableID: raw.Extension.PX.TableID,
		IDs: raw.ID, Sizes: raw.Size, Dims: map[string]*Dimension{}, Roles: raw.Role}
	total := 1
	for i, id := range raw.ID {
		if raw.Size[i] < 0 {
			return nil, errorf(file, 0, "size", "negative size for %q", id)
		}
		total *= raw.Size[i]
		if total > MaxCells {
			return nil, errorf(file, 0, "size", "more than %d cells", MaxCells)
		}
		rd, ok := raw.Dimension[id]
		if !ok {
			return nil, errorf(file, 0, "dimension", "unknown dimension %q in \"id\"", id)
		}
		dim, err := decodeDimension(id, rd)
		if err != nil {
			return nil, errorf(file, 0, "dimension."+id, "%v", err)
		}
		if len(dim.Codes) != raw.Size[i] {
			return nil, errorf(file, 0, "dimension."+id, "%d categories but size %d", len(dim.Codes), raw.Size[i])
		}
		c.Dims[id] = dim
	}
	c.Values = make([]Cell, total)
	if err := decodeValues(raw.Value, c.Values); err != nil {
		return nil, errorf(file, 0, "value", "%v", err)
	}
	if err := decodeStatus(raw.Status, c.Values); err != nil {
		return nil, errorf(file, 0, "status", "%v", err)
	}
	return c, nil
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the JSON document")
	}
	return nil
}

func decodeDimension(id string, raw json.RawMessage) (*Dimension, error) {
	var rd rawDimension
	if err := json.Unmarshal(raw, &rd); err != nil {
		return nil, err
	}
	d := &Dimension{ID: id, Label: rd.Label, Labels: rd.Category.Label, Units: map[string]Unit{}, pos: map[string]int{}}
	idx := bytes.TrimSpace(rd.Category.Index)
	switch {
	case len(idx) == 0:
		// A single category may omit the index; its code comes from the labels.
		if len(rd.Category.Label) != 1 {
			return nil, fmt.Errorf("category.index is missing")
		}
		for code := range rd.Category.Label {
			d.Codes = []string{code}
		}
	case idx[0] == '[':
		if err := json.Unmarshal(idx, &d.Codes); err != nil {
			return nil, fmt.Errorf("category.index: %v", err)
		}
	case idx[0] == '{':
		var m map[string]int
		if err := json.Unmarshal(idx, &m); err != nil {
			return nil, fmt.Errorf("category.index: %v", err)
		}
		d.Codes = make([]string, len(m))
		for code, p := range m {
			if p < 0 || p >= len(m) || d.Codes[p] != "" {
				return nil, fmt.Errorf("category.index: position %d of %q is out of range or used twice", p, code)
			}
			d.Codes[p] = code
		}
	default:
		return nil, fmt.Errorf("category.index must be an object or an array")
	}
	for i, code := range d.Codes {
		if _, dup := d.pos[code]; dup {
			return nil, fmt.Errorf("category %q appears twice", code)
		}
		d.pos[code] = i
	}
	if d.Labels == nil {
		d.Labels = map[string]string{}
	}
	for _, code := range d.Codes {
		if d.Labels[code] == "" {
			d.Labels[code] = code
		}
	}
	for code, u := range rd.Category.Unit {
		var unit struct {
			Base     string `json:"base"`
			Decimals int    `json:"decimals"`
		}
		if json.Unmarshal(u, &unit) == nil {
			d.Units[code] = Unit{unit.Base, unit.Decimals}
		}
	}
	return d, nil
}

func parseNumber(v any) (float64, bool, error) {
	switch x := v.(type) {
	case nil:
		return 0, false, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		return f, err == nil, err
	}
	return 0, false, fmt.Errorf("%v is not a number", v)
}

func decodeValues(raw json.RawMessage, cells []Cell) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return fmt.Errorf("missing")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if raw[0] == '[' {
		var list []any
		if err := dec.Decode(&list); err != nil {
			return err
		}
		if len(list) != len(cells) {
			return fmt.Errorf("size says %d cells but value has %d", len(cells), len(list))
		}
		for i, v := range list {
			f, ok, err := parseNumber(v)
			if err != nil {
				return fmt.Errorf("cell %d: %v", i, err)
			}
			cells[i] = Cell{Value: f, Present: ok}
		}
		return nil
	}
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return err
	}
	for k, v := range m {
		i, err := strconv.Atoi(k)
		if err != nil || i < 0 || i >= len(cells) {
			return fmt.Errorf("key %q is not a cell position below %d", k, len(cells))
		}
		f, ok, err := parseNumber(v)
		if err != nil {
			return fmt.Errorf("cell %d: %v", i, err)
		}
		cells[i] = Cell{Value: f, Present: ok}
	}
	return nil
}

func decodeStatus(raw json.RawMessage, cells []Cell) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		for i := range cells {
			cells[i].Status = s
		}
	case '[':
		var list []*string
		if err := json.Unmarshal(raw, &list); err != nil {
			return err
		}
		if len(list) != len(cells) {
			return fmt.Errorf("%d statuses for %d cells", len(list), len(cells))
		}
		for i, s := range list {
			if s != nil {
				cells[i].Status = *s
			}
		}
	case '{':
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			return err
		}
		for k, s := range m {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(cells) {
				return fmt.Errorf("key %q is not a cell position below %d", k, len(cells))
			}
			cells[i].Status = s
		}
	default:
		return fmt.Errorf("must be a string, an array or an object")
	}
	return nil
}

// Index returns the position of the cell with one code per dimension.
func (c *Cube) Index(coords map[string]string) (int, bool) {
	pos := 0
	for i, id := range c.IDs {
		p, ok := c.Dims[id].pos[coords[id]]
		if !ok {
			return 0, false
		}
		pos = pos*c.Sizes[i] + p
	}
	return pos, true
}

func (c *Cube) roleDim(role, fallback string) string {
	if ids := c.Roles[role]; len(ids) == 1 {
		if _, ok := c.Dims[ids[0]]; ok {
			return ids[0]
		}
	}
	if _, ok := c.Dims[fallback]; ok {
		return fallback
	}
	return ""
}

// Observation is persons in a region on 1 January of Year.
type Observation struct {
	Region  string
	Year    int
	Persons int64
}

// Missing is a cell without a figure, with the SSB symbol if given.
type Missing struct {
	Region string
	Year   int
	Status string
}

// Population is population data read from a file.
type Population struct {
	File, Table, Label, Source, Updated string
	Observations                        []Observation // sorted by region, then year
	Missing                             []Missing     // never turned into 0
	Skipped                             []string      // region codes that are not the country, a county or a municipality
}

// PopulationFromCube turns a cube of table 07459 (or any cube with a region
// and a time dimension counting persons) into observations. Dimensions other
// than region, time and a single metric are summed over; a missing cell in
// such a sum makes the whole (region, year) missing.
func PopulationFromCube(c *Cube, file string) (*Population, error) {
	region := c.roleDim("geo", "Region")
	tid := c.roleDim("time", "Tid")
	if region == "" {
		return nil, errorf(file, 0, "dimension", "no region dimension (role geo or \"Region\")")
	}
	if tid == "" {
		return nil, errorf(file, 0, "dimension", "no time dimension (role time or \"Tid\")")
	}
	metric := c.roleDim("metric", "ContentsCode")
	metricCode := ""
	if metric != "" {
		codes := c.Dims[metric].Codes
		switch {
		case len(codes) == 1:
			metricCode = codes[0]
		default:
			for _, code := range codes {
				if code == "Personer1" {
					metricCode = code
				}
			}
			if metricCode == "" {
				return nil, errorf(file, 0, "dimension."+metric, "%d statistics and none is Personer1", len(codes))
			}
		}
	}
	years := make([]int, len(c.Dims[tid].Codes))
	for i, code := range c.Dims[tid].Codes {
		y, err := strconv.Atoi(code)
		if err != nil || len(code) != 4 {
			return nil, errorf(file, 0, "dimension."+tid, "%q is not a year", code)
		}
		years[i] = y
	}
	p := &Population{File: file, Table: c.TableID, Label: c.Label, Source: c.Source, Updated: c.Updated}
	type key struct {
		region string
		year   int
	}
	sums := map[key]float64{}
	missing := map[key]string{}
	strides := make([]int, len(c.IDs))
	s := 1
	for i := len(c.IDs) - 1; i >= 0; i-- {
		strides[i] = s
		s *= c.Sizes[i]
	}
	skipped := map[string]bool{}
	for pos, cell := range c.Values {
		var rcode string
		var year int
		skip := false
		for i, id := range c.IDs {
			at := (pos / strides[i]) % c.Sizes[i]
			code := c.Dims[id].Codes[at]
			switch id {
			case region:
				rcode = code
			case tid:
				year = years[at]
			case metric:
				skip = code != metricCode
			}
		}
		if skip {
			continue
		}
		norm, ok := normaliseRegion(rcode)
		if !ok {
			skipped[rcode] = true
			continue
		}
		k := key{norm, year}
		if !cell.Present {
			if _, already := missing[k]; !already {
				missing[k] = cell.Status
			}
			continue
		}
		if cell.Value < 0 || cell.Value != float64(int64(cell.Value)) {
			return nil, errorf(file, 0, "value", "region %s year %d: %v is not a whole, non-negative number of persons", norm, year, cell.Value)
		}
		sums[k] += cell.Value
	}
	for k, v := range sums {
		if _, gone := missing[k]; gone {
			continue
		}
		p.Observations = append(p.Observations, Observation{k.region, k.year, int64(v)})
	}
	for k, st := range missing {
		p.Missing = append(p.Missing, Missing{k.region, k.year, st})
	}
	for code := range skipped {
		p.Skipped = append(p.Skipped, code)
	}
	sortPopulation(p)
	return p, nil
}

func sortPopulation(p *Population) {
	sort.Slice(p.Observations, func(i, j int) bool {
		a, b := p.Observations[i], p.Observations[j]
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Year < b.Year
	})
	sort.Slice(p.Missing, func(i, j int) bool {
		a, b := p.Missing[i], p.Missing[j]
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Year < b.Year
	})
	sort.Strings(p.Skipped)
}

// normaliseRegion strips SSB's K-/F- prefixes and accepts "0" (the whole
// country), 2-digit county and 4-digit municipality codes.
func normaliseRegion(code string) (string, bool) {
	code = strings.TrimPrefix(strings.TrimPrefix(code, "K-"), "F-")
	if code == "0" {
		return code, true
	}
	if len(code) != 2 && len(code) != 4 {
		return "", false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return code, true
}

// ParseJSONStatPopulation decodes a JSON-stat population dataset.
func ParseJSONStatPopulation(r io.Reader, file string) (*Population, error) {
	c, err := DecodeJSONStat(r, file)
	if err != nil {
		return nil, err
	}
	return PopulationFromCube(c, file)
}
