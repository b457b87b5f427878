package ssb

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// CubeFromLongCSV reads a statbank table saved as CSV in the long form with
// codes, one figure per line, as a cube:
//
//	Region;Alder;Tid;value
//	0101;F0-19;2013;7170
//
// Every column but the last is a dimension, named by its header; the last
// holds the figures (a decimal comma or point; "..", ".", ":" mark a
// missing figure, "-" is zero). The column "Region" is the region and
// "Tid" the time. The separator is ";", a tab or ",". A combination that
// comes twice is an error; one that never comes is a missing cell. Errors
// are *ParseError with the line.
func CubeFromLongCSV(r io.Reader, file string) (*Cube, error) {
	data, err := readAllLimit(r, maxJSONBytes, file)
	if err != nil {
		return nil, err
	}
	if data, err = prepareText(data, file); err != nil {
		return nil, err
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	sep := ';'
	switch {
	case bytes.IndexByte(first, ';') >= 0:
	case bytes.IndexByte(first, '\t') >= 0:
		sep = '\t'
	case bytes.IndexByte(first, ',') >= 0:
		sep = ','
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma, cr.FieldsPerRecord, cr.ReuseRecord = sep, -1, true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errorf(file, 1, "", "the file is empty")
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	head = slices.Clone(head) // the reader reuses its record
	if len(head) < 3 {
		return nil, errorf(file, 1, "header", "%d columns: the long form has a column per dimension (at least region and time) and one for the figures", len(head))
	}
	ndim := len(head) - 1
	c := &Cube{Dims: map[string]*Dimension{}, Roles: map[string][]string{}}
	for _, h := range head[:ndim] {
		id := strings.TrimSpace(h)
		if id == "" || c.Dims[id] != nil {
			return nil, errorf(file, 1, "header", "column %q is empty or comes twice", h)
		}
		c.IDs = append(c.IDs, id)
		c.Dims[id] = &Dimension{ID: id, Label: id, Labels: map[string]string{}, pos: map[string]int{}}
		switch {
		case strings.EqualFold(id, "Region"):
			c.Roles["geo"] = []string{id}
		case strings.EqualFold(id, "Tid"):
			c.Roles["time"] = []string{id}
		case strings.EqualFold(id, "ContentsCode"):
			c.Roles["metric"] = []string{id}
		}
	}
	if c.Roles["geo"] == nil || c.Roles["time"] == nil {
		return nil, errorf(file, 1, "header", "columns %s: the long form needs a \"Region\" and a \"Tid\" column", strings.Join(head, ", "))
	}
	type row struct {
		line int
		pos  []int
		cell Cell
	}
	var rows []row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(file, err)
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		if len(rec) != len(head) {
			return nil, errorf(file, line, "", "%d columns, the header has %d", len(rec), len(head))
		}
		pos := make([]int, ndim)
		for i, id := range c.IDs {
			code := strings.TrimSpace(rec[i])
			if code == "" {
				return nil, errorf(file, line, csvColumn(id), "no code")
			}
			d := c.Dims[id]
			p, ok := d.pos[code]
			if !ok {
				p = len(d.Codes)
				d.pos[code] = p
				d.Codes = append(d.Codes, code)
				d.Labels[code] = code
			}
			pos[i] = p
		}
		cell, err := parseFigure(rec[ndim])
		if err != nil {
			return nil, errorf(file, line, csvColumn(head[ndim]), "%v", err)
		}
		rows = append(rows, row{line, pos, cell})
	}
	if len(rows) == 0 {
		return nil, errorf(file, 2, "", "no figures after the header")
	}
	total := 1
	for _, id := range c.IDs {
		n := len(c.Dims[id].Codes)
		c.Sizes = append(c.Sizes, n)
		if total > MaxCells/n {
			return nil, errorf(file, 0, "", "more than the limit of %d cells", MaxCells)
		}
		total *= n
	}
	c.Values = make([]Cell, total)
	seen := make([]int, total) // the line of each cell's figure
	for _, r := range rows {
		i := 0
		for k, p := range r.pos {
			i = i*c.Sizes[k] + p
		}
		if seen[i] != 0 {
			return nil, errorf(file, r.line, "", "the same figure as on line %d", seen[i])
		}
		seen[i], c.Values[i] = r.line, r.cell
	}
	return c, nil
}

// parseFigure reads a figure of the long form.
func parseFigure(s string) (Cell, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "", "..", ".", ":", "…":
		return Cell{Status: s}, nil
	case "-":
		return Cell{Status: "-"}, nil
	}
	t := strings.Map(func(r rune) rune {
		if isSpace(r) {
			return -1
		}
		return r
	}, s)
	t = strings.Replace(t, ",", ".", 1)
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return Cell{}, errors.New(strconv.Quote(s) + " is not a number")
	}
	return Cell{Value: v, Present: true}, nil
}

// CubeFromCSV reads a statbank CSV as a cube: the long form with codes
// (CubeFromLongCSV) when its header has a "Region" and a "Tid" column,
// else the wide form of a saved table ("name;2018;2019", read by
// ParseStatbankCSV, other dimensions summed) as a cube of regions and
// years.
func CubeFromCSV(r io.Reader, file string) (*Cube, error) {
	data, err := readAllLimit(r, maxJSONBytes, file)
	if err != nil {
		return nil, err
	}
	text, err := prepareText(data, file)
	if err != nil {
		return nil, err
	}
	first, _, _ := bytes.Cut(text, []byte("\n"))
	cols := strings.FieldsFunc(string(first), func(r rune) bool { return r == ';' || r == '\t' || r == ',' })
	hasRegion := slices.ContainsFunc(cols, func(c string) bool { return strings.EqualFold(strings.Trim(c, `" `), "Region") })
	hasTid := slices.ContainsFunc(cols, func(c string) bool { return strings.EqualFold(strings.Trim(c, `" `), "Tid") })
	if hasRegion && hasTid {
		return CubeFromLongCSV(bytes.NewReader(data), file)
	}
	p, err := ParseStatbankCSV(bytes.NewReader(data), file)
	if err != nil {
		return nil, err
	}
	return p.cube(), nil
}

// cube turns population figures into a cube of regions and years.
func (p *Population) cube() *Cube {
	c := &Cube{Label: p.Label, Source: p.Source, Updated: p.Updated, TableID: p.Table, IDs: []string{"Region", "Tid"},
		Dims: map[string]*Dimension{}, Roles: map[string][]string{"geo": {"Region"}, "time": {"Tid"}}}
	regions := &Dimension{ID: "Region", Label: "region", Labels: map[string]string{}, pos: map[string]int{}}
	years := &Dimension{ID: "Tid", Label: "år", Labels: map[string]string{}, pos: map[string]int{}}
	add := func(d *Dimension, code string) {
		if _, ok := d.pos[code]; !ok {
			d.pos[code] = len(d.Codes)
			d.Codes = append(d.Codes, code)
			d.Labels[code] = code
		}
	}
	for _, o := range p.Observations {
		add(regions, o.Region)
		add(years, strconv.Itoa(o.Year))
	}
	for _, m := range p.Missing {
		add(regions, m.Region)
		add(years, strconv.Itoa(m.Year))
	}
	slices.Sort(years.Codes)
	for i, y := range years.Codes {
		years.pos[y] = i
	}
	c.Dims["Region"], c.Dims["Tid"] = regions, years
	c.Sizes = []int{len(regions.Codes), len(years.Codes)}
	c.Values = make([]Cell, len(regions.Codes)*len(years.Codes))
	at := func(region string, year int) int {
		return regions.pos[region]*len(years.Codes) + years.pos[strconv.Itoa(year)]
	}
	for _, o := range p.Observations {
		c.Values[at(o.Region, o.Year)] = Cell{Value: float64(o.Persons), Present: true}
	}
	for _, m := range p.Missing {
		c.Values[at(m.Region, m.Year)] = Cell{Status: m.Status}
	}
	return c
}
