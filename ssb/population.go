package ssb

import (
	"cmp"
	"io"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// Observation is the number of persons living in a region on 1 January of
// Year.
type Observation struct {
	Region  string // "0" whole country, 2-digit county or 4-digit municipality code
	Year    int
	Persons int64
}

// Missing is a (region, year) without a figure: a null cell or a cell with
// one of SSB's symbols for a missing figure. It is never turned into 0.
type Missing struct {
	Region string
	Year   int
	Status string // the SSB symbol ("..", ".", ":"), or "" when none was given
}

// Population is population data read from one file.
type Population struct {
	File, Table, Label, Source, Updated string
	Observations                        []Observation // sorted by Region, then Year; one per (Region, Year)
	Missing                             []Missing     // sorted like Observations; never in Observations as well
	// Skipped lists, sorted and once each, the region codes of the input
	// that are not the whole country, a county or a municipality, such as
	// "K-Rest", "21-22", "23" or "9999". Their figures are not read.
	Skipped []string
}

// maxPersons bounds one figure and one sum: far above any population, and
// exact in a float64.
const maxPersons = 1 << 50

// missingStatus reports whether an SSB symbol means that there is no
// figure. "-" means zero and is not one of them.
func missingStatus(s string) bool {
	switch s {
	case "..", ".", ":", "…":
		return true
	}
	return false
}

// normaliseRegion strips SSB's K- or F- prefix (agg_KommSummer,
// agg_KommFylker) and accepts "0" (the whole country), a 2-digit county code
// and a 4-digit municipality code. It refuses the codes that are neither:
// K-Rest, Svalbard and Jan Mayen (21, 22, 21-22, 21xx, 22xx), the
// continental shelf (23, 23xx), "unknown" (99, 9999, xx99) and xx00.
func normaliseRegion(code string) (string, bool) {
	if len(code) > 2 && (code[:2] == "K-" || code[:2] == "F-") {
		code = code[2:]
	}
	if code == "0" {
		return code, true
	}
	if (len(code) != 2 && len(code) != 4) || !allDigits(code) {
		return "", false
	}
	switch code[:2] {
	case "00", "21", "22", "23", "99":
		return "", false
	}
	if len(code) == 4 && (code[2:] == "00" || code[2:] == "99") {
		return "", false
	}
	return code, true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseYear reads a year of exactly four digits.
func parseYear(s string) (int, bool) {
	if len(s) != 4 || !allDigits(s) {
		return 0, false
	}
	y, _ := strconv.Atoi(s)
	return y, true
}

// tableFromLabel finds the table number SSB puts first in a label, as in
// "07459: Befolkning, …".
func tableFromLabel(label string) string {
	id, _, ok := strings.Cut(label, ":")
	if ok && len(id) >= 5 && len(id) <= 6 && allDigits(id) {
		return id
	}
	return ""
}

// check makes sure a cube, perhaps built by hand, is consistent.
func (c *Cube) check(file string) error {
	if len(c.IDs) != len(c.Sizes) {
		return fieldError(file, "size", "%d dimensions in \"id\" but %d sizes", len(c.IDs), len(c.Sizes))
	}
	total := 1
	seen := make(map[string]bool, len(c.IDs))
	for i, id := range c.IDs {
		d := c.Dims[id]
		switch {
		case seen[id]:
			return fieldError(file, "id", "dimension %q appears twice", id)
		case d == nil:
			return fieldError(file, "id", "unknown dimension %q: it is not in \"dimension\"", id)
		case c.Sizes[i] < 0 || len(d.Codes) != c.Sizes[i]:
			return fieldError(file, "dimension."+id, "%d categories but size %d", len(d.Codes), c.Sizes[i])
		}
		seen[id] = true
		hi, lo := bits.Mul64(uint64(total), uint64(c.Sizes[i]))
		if hi != 0 || lo > MaxCells {
			return fieldError(file, "size", "more than the limit of %d cells", MaxCells)
		}
		total *= c.Sizes[i]
	}
	if len(c.Values) != total {
		return fieldError(file, "value", "size says %d cells but value has %d", total, len(c.Values))
	}
	return nil
}

// roleDim finds the dimension with a role, or else the dimension named
// fallback (in any case). It returns "" when there is none.
func (c *Cube) roleDim(file, role, fallback string) (string, error) {
	var ids []string
	for _, id := range c.Roles[role] {
		if c.Dims[id] != nil && slices.Contains(c.IDs, id) && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		for _, id := range c.IDs {
			if strings.EqualFold(id, fallback) {
				return id, nil
			}
		}
		return "", nil
	}
	return "", fieldError(file, "role."+role, "names %d dimensions (%s); expected one", len(ids), strings.Join(ids, ", "))
}

// axes checks a cube and finds its region dimension (role "geo", else
// "Region"), its time dimension (role "time", else "Tid") and its
// statistic dimension (role "metric", else "ContentsCode"; "" if none).
func (c *Cube) axes(file string) (region, tid, metric string, err error) {
	if c == nil {
		return "", "", "", errorf(file, 0, "", "no dataset")
	}
	if err := c.check(file); err != nil {
		return "", "", "", err
	}
	if region, err = c.roleDim(file, "geo", "Region"); err != nil {
		return "", "", "", err
	}
	if tid, err = c.roleDim(file, "time", "Tid"); err != nil {
		return "", "", "", err
	}
	if metric, err = c.roleDim(file, "metric", "ContentsCode"); err != nil {
		return "", "", "", err
	}
	switch {
	case region == "":
		return "", "", "", fieldError(file, "dimension", "no region dimension (role \"geo\" or id \"Region\"); dimensions are %s", strings.Join(c.IDs, ", "))
	case tid == "":
		return "", "", "", fieldError(file, "dimension", "no time dimension (role \"time\" or id \"Tid\"); dimensions are %s", strings.Join(c.IDs, ", "))
	case region == tid:
		return "", "", "", fieldError(file, "role", "dimension %q is both the region and the time", region)
	}
	if metric == region || metric == tid {
		metric = ""
	}
	return region, tid, metric, nil
}

// regions normalises the codes of the region dimension (a K- or F- prefix
// dropped): norm[i] is "" for a code that is not the whole country, a
// county or a municipality, which is in skipped.
func (c *Cube) regions(file, region string) (norm []string, skipped map[string]bool, err error) {
	rcodes := c.Dims[region].Codes
	norm = make([]string, len(rcodes))
	byNorm := make(map[string]string, len(rcodes))
	skipped = map[string]bool{}
	for i, code := range rcodes {
		n, ok := normaliseRegion(code)
		if !ok {
			skipped[code] = true
			continue
		}
		if prev, dup := byNorm[n]; dup {
			return nil, nil, fieldError(file, "dimension."+region, "%q and %q are the same region %s", prev, code, n)
		}
		byNorm[n] = code
		norm[i] = n
	}
	return norm, skipped, nil
}

// PopulationFromCube turns a cube of SSB table 07459, or of any table with
// a region and a year dimension that counts persons, into one figure per
// (region, year).
//
// The region dimension has role "geo" (else id "Region"), the year dimension
// role "time" (else id "Tid"). Region codes lose a K- or F- prefix; codes
// that are not the whole country, a county or a municipality are listed in
// Skipped. A metric dimension (role "metric", else "ContentsCode") with
// several statistics must include "Personer1", and only that one is read.
// Every other dimension (Kjonn, Alder, …) is summed over; one missing cell
// makes the whole (region, year) missing. Cells that are null or carry the
// symbol "..", "." or ":" go to Missing, never to Observations; a null with
// the symbol "-" counts as 0. Figures must be whole and not negative.
func PopulationFromCube(c *Cube, file string) (*Population, error) {
	region, tid, metric, err := c.axes(file)
	if err != nil {
		return nil, err
	}
	metricPos := -1
	if metric != "" {
		codes := c.Dims[metric].Codes
		if len(codes) == 1 {
			metricPos = 0
		} else if metricPos = slices.Index(codes, "Personer1"); metricPos < 0 && len(codes) > 0 {
			return nil, fieldError(file, "dimension."+metric, "%d statistics (%s) and none is \"Personer1\": ask for %s=Personer1 only",
				len(codes), strings.Join(codes, ", "), metric)
		}
	}

	tcodes := c.Dims[tid].Codes
	years := make([]int, len(tcodes))
	seenYear := make(map[int]bool, len(tcodes))
	for i, code := range tcodes {
		y, ok := parseYear(code)
		if !ok {
			return nil, fieldError(file, "dimension."+tid, "%q is not a year (4 digits)", code)
		}
		if seenYear[y] {
			return nil, fieldError(file, "dimension."+tid, "year %d appears twice", y)
		}
		seenYear[y] = true
		years[i] = y
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
	dimOf := func(id string) (stride, size int) {
		i := slices.Index(c.IDs, id)
		return strides[i], c.Sizes[i]
	}
	rStride, rSize := dimOf(region)
	tStride, tSize := dimOf(tid)
	mStride, mSize := 1, 1
	if metric != "" {
		mStride, mSize = dimOf(metric)
	}

	type acc struct {
		sum     int64
		cells   int
		missing bool
		status  string
	}
	var accs []acc
	if len(c.Values) > 0 {
		// Every size is at least 1 here, so this is at most len(c.Values).
		accs = make([]acc, rSize*tSize)
	}
	for pos, cell := range c.Values {
		if metricPos >= 0 && (pos/mStride)%mSize != metricPos {
			continue
		}
		ri, ti := (pos/rStride)%rSize, (pos/tStride)%tSize
		if norm[ri] == "" {
			continue
		}
		a := &accs[ri*tSize+ti]
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
		v := cell.Value
		var problem string
		switch {
		case v < 0:
			problem = "is negative"
		case v != math.Trunc(v):
			problem = "is not a whole number"
		case v > maxPersons:
			problem = "is too large"
		}
		if problem != "" {
			return nil, fieldError(file, "value", "region %s, year %d (cell %d): %s %s",
				rcodes[ri], years[ti], pos, strconv.FormatFloat(v, 'g', -1, 64), problem)
		}
		if a.sum += int64(v); a.sum > maxPersons {
			return nil, fieldError(file, "value", "region %s, year %d: the sum is too large", rcodes[ri], years[ti])
		}
	}

	p := &Population{File: file, Table: c.TableID, Label: c.Label, Source: c.Source, Updated: c.Updated}
	if p.Table == "" {
		p.Table = tableFromLabel(c.Label)
	}
	var nObs, nMissing int
	for _, a := range accs {
		switch {
		case a.cells == 0:
		case a.missing:
			nMissing++
		default:
			nObs++
		}
	}
	p.Observations = make([]Observation, 0, nObs)
	if nMissing > 0 {
		p.Missing = make([]Missing, 0, nMissing)
	}
	for ri, r := range norm {
		if r == "" || accs == nil {
			continue
		}
		for ti, y := range years {
			a := accs[ri*tSize+ti]
			switch {
			case a.cells == 0:
			case a.missing:
				p.Missing = append(p.Missing, Missing{Region: r, Year: y, Status: a.status})
			default:
				p.Observations = append(p.Observations, Observation{Region: r, Year: y, Persons: a.sum})
			}
		}
	}
	for code := range skipped {
		p.Skipped = append(p.Skipped, code)
	}
	sortPopulation(p)
	return p, nil
}

func sortPopulation(p *Population) {
	slices.SortFunc(p.Observations, func(a, b Observation) int {
		return cmp.Or(strings.Compare(a.Region, b.Region), cmp.Compare(a.Year, b.Year))
	})
	slices.SortFunc(p.Missing, func(a, b Missing) int {
		return cmp.Or(strings.Compare(a.Region, b.Region), cmp.Compare(a.Year, b.Year))
	})
	slices.Sort(p.Skipped)
}

// ParseJSONStatPopulation decodes a JSON-stat dataset of population figures
// (SSB table 07459): DecodeJSONStat followed by PopulationFromCube.
func ParseJSONStatPopulation(r io.Reader, file string) (*Population, error) {
	c, err := DecodeJSONStat(r, file)
	if err != nil {
		return nil, err
	}
	return PopulationFromCube(c, file)
}
