package ssb

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Selection chooses one series from a cube: the statistic to read and,
// for any other dimension, the categories to sum. A dimension that
// Keep does not name is summed over entirely (as SSB sums a variable left
// out of a query).
type Selection struct {
	Metric string              // a code of the metric dimension; "" if the cube has one statistic
	Keep   map[string][]string // dimension id → the category codes to sum, e.g. "Alder": {"F65+"}
}

// Figure is one value of a series: a region in a period.
type Figure struct {
	Region  string // "0", a county or a municipality code, without a K- or F- prefix
	Period  string // the time category as SSB gives it: "2019", "2024M05", "2023K4"
	Value   float64
	Missing bool   // a cell in the sum was null or marked missing
	Status  string // the SSB symbol of a missing figure, if any
}

// Series is what a cube holds for one selection, sorted by region and
// period. Skipped lists region codes that are not the whole country, a
// county or a municipality ("K-Rest", "21-22").
type Series struct {
	File, Table, Label, Source, Updated string
	Figures                             []Figure
	Skipped                             []string
}

// SeriesFromCube reads the figures of one selection from a cube with a
// region dimension (role "geo", else "Region") and a time dimension (role
// "time", else "Tid"). Unlike PopulationFromCube, the values need not be
// whole persons: rates and shares are read as they are. A selection that
// names a dimension or a category the cube lacks is an error that names
// what the cube has, which is how a changed table shows.
func SeriesFromCube(c *Cube, file string, sel Selection) (*Series, error) {
	region, tid, metric, err := c.axes(file)
	if err != nil {
		return nil, err
	}

	// keep[i] marks, per dimension, the categories that count; nil: all.
	keep := make([][]bool, len(c.IDs))
	mark := func(i int, id string, codes []string) error {
		d := c.Dims[id]
		keep[i] = make([]bool, len(d.Codes))
		for _, code := range codes {
			j := slices.Index(d.Codes, code)
			if j < 0 {
				return fieldError(file, "dimension."+id, "has no category %q; it has %s", code, list(d.Codes))
			}
			keep[i][j] = true
		}
		return nil
	}
	if metric != "" {
		i := slices.Index(c.IDs, metric)
		codes := c.Dims[metric].Codes
		switch {
		case sel.Metric != "":
			if err := mark(i, metric, []string{sel.Metric}); err != nil {
				return nil, err
			}
		case len(codes) > 1:
			return nil, fieldError(file, "dimension."+metric, "%d statistics (%s): choose one", len(codes), list(codes))
		}
	} else if sel.Metric != "" {
		return nil, fieldError(file, "dimension", "no statistic dimension to find %q in; dimensions are %s", sel.Metric, strings.Join(c.IDs, ", "))
	}
	for _, id := range slices.Sorted(maps.Keys(sel.Keep)) {
		i := slices.Index(c.IDs, id)
		switch {
		case i < 0:
			return nil, fieldError(file, "dimension", "no dimension %q; dimensions are %s", id, strings.Join(c.IDs, ", "))
		case id == region || id == tid || id == metric:
			return nil, fieldError(file, "dimension."+id, "is the region, time or statistic and cannot be summed over")
		case len(sel.Keep[id]) == 0:
			return nil, fieldError(file, "dimension."+id, "no categories chosen")
		}
		if err := mark(i, id, sel.Keep[id]); err != nil {
			return nil, err
		}
	}

	periods := c.Dims[tid].Codes
	for _, p := range periods {
		if strings.TrimSpace(p) == "" {
			return nil, fieldError(file, "dimension."+tid, "an empty period")
		}
	}
	rcodes := c.Dims[region].Codes
	norm, skipped, err := c.regions(file, region)
	if err != nil {
		return nil, err
	}

	strides := make([]int, len(c.IDs))
	s := 1
	for i := len(c.IDs) - 1; i >= 0; i-- {
		strides[i] = s
		s *= c.Sizes[i]
	}
	ri, ti := slices.Index(c.IDs, region), slices.Index(c.IDs, tid)
	type acc struct {
		sum     float64
		cells   int
		missing bool
		status  string
	}
	tSize := c.Sizes[ti]
	accs := make([]acc, c.Sizes[ri]*tSize)
cells:
	for pos, cell := range c.Values {
		for i, k := range keep {
			if k != nil && !k[(pos/strides[i])%c.Sizes[i]] {
				continue cells
			}
		}
		r, t := (pos/strides[ri])%c.Sizes[ri], (pos/strides[ti])%tSize
		if norm[r] == "" {
			continue
		}
		a := &accs[r*tSize+t]
		a.cells++
		if missingStatus(cell.Status) || (!cell.Present && cell.Status != "-") {
			if !a.missing || a.status == "" {
				a.status = cell.Status
			}
			a.missing = true
			continue
		}
		if !cell.Present {
			continue // "-": zero
		}
		if math.IsNaN(cell.Value) || math.IsInf(cell.Value, 0) {
			return nil, fieldError(file, "value", "region %s, period %s (cell %d): %s is not a number",
				rcodes[r], periods[t], pos, strconv.FormatFloat(cell.Value, 'g', -1, 64))
		}
		a.sum += cell.Value
	}

	out := &Series{File: file, Table: c.TableID, Label: c.Label, Source: c.Source, Updated: c.Updated}
	if out.Table == "" {
		out.Table = tableFromLabel(c.Label)
	}
	for r, code := range norm {
		if code == "" {
			continue
		}
		for t, p := range periods {
			a := accs[r*tSize+t]
			switch {
			case a.cells == 0:
			case a.missing:
				out.Figures = append(out.Figures, Figure{Region: code, Period: p, Missing: true, Status: a.status})
			default:
				out.Figures = append(out.Figures, Figure{Region: code, Period: p, Value: a.sum})
			}
		}
	}
	slices.SortFunc(out.Figures, func(a, b Figure) int {
		return cmp.Or(strings.Compare(a.Region, b.Region), strings.Compare(a.Period, b.Period))
	})
	for code := range skipped {
		out.Skipped = append(out.Skipped, code)
	}
	slices.Sort(out.Skipped)
	return out, nil
}

// list names up to ten codes for an error message.
func list(codes []string) string {
	if len(codes) > 10 {
		return strings.Join(codes[:10], ", ") + " … (" + strconv.Itoa(len(codes)) + " in all)"
	}
	return strings.Join(codes, ", ")
}
