package ssb

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseStatbankCSV reads a statbank CSV export of population figures in one
// of two shapes, told apart by the header:
//
//   - wide, "name;2018;2019;…" with rows "0101 Halden;31037;31177;…"
//     (region cell "code name"; "Heile landet"/"Hele landet" is "0"; columns
//     that are not years are ignored);
//   - long, "Region;Alder;Tid;value" with rows "0101;F0-19;2013;7170"
//     (columns between region and time are summed over).
//
// A leading BOM and LF, CRLF or CR line ends are accepted. Bytes that are not
// UTF-8, a BOM elsewhere, a bad header, a row of the wrong width, a number
// that is not a whole non-negative number and a repeated (region, year) are
// errors naming the line and column. Cells "..", ".", ":" and "" are missing
// figures, never 0; "-" is 0.
func ParseStatbankCSV(r io.Reader, file string) (*Population, error) {
	data, err := io.ReadAll(io.LimitReader(r, 256<<20))
	if err != nil {
		return nil, err
	}
	data, err = normaliseText(data, file)
	if err != nil {
		return nil, err
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	sep := ';'
	switch {
	case bytes.Count(first, []byte(";")) > 0:
	case bytes.Count(first, []byte("\t")) > 0:
		sep = '\t'
	case bytes.Count(first, []byte(",")) > 0:
		sep = ','
	default:
		return nil, errorf(file, 1, "header", "expected columns separated by ';' (name;2018;2019 or Region;Alder;Tid;value)")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		return nil, errorf(file, 1, "header", "%v", err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	p := &Population{File: file}
	seen := map[string]int{}
	add := func(line int, col, region string, year int, cell string) error {
		k := fmt.Sprint(region, "/", year)
		if prev, dup := seen[k]; dup {
			return errorf(file, line, fmt.Sprintf("column %q", col), "region %s year %d already given on line %d", region, year, prev)
		}
		seen[k] = line
		n, status, err := parseCount(cell)
		if err != nil {
			return errorf(file, line, fmt.Sprintf("column %q", col), "%v", err)
		}
		if status != "" {
			p.Missing = append(p.Missing, Missing{region, year, status})
			return nil
		}
		p.Observations = append(p.Observations, Observation{region, year, n})
		return nil
	}
	if isLongHeader(header) {
		err = readLong(cr, header, file, p, add)
	} else {
		err = readWide(cr, header, file, add)
	}
	if err != nil {
		return nil, err
	}
	if len(p.Observations) == 0 && len(p.Missing) == 0 {
		return nil, errorf(file, 0, "", "no figures in the file")
	}
	sortPopulation(p)
	return p, nil
}

// normaliseText checks the encoding and turns CRLF and CR into LF.
func normaliseText(data []byte, file string) ([]byte, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	for i, line := range bytes.Split(data, []byte("\n")) {
		if !utf8.Valid(line) {
			return nil, errorf(file, i+1, "", "the line is not UTF-8 (the file looks Latin-1 encoded: save it as UTF-8)")
		}
		if bytes.Contains(line, []byte("\uFEFF")) {
			return nil, errorf(file, i+1, "", "a byte-order mark (BOM) in the middle of the file")
		}
	}
	return data, nil
}

func isLongHeader(h []string) bool {
	return len(h) >= 3 && strings.EqualFold(h[0], "region") && indexFold(h, "tid") > 0
}

func indexFold(h []string, name string) int {
	for i, x := range h {
		if strings.EqualFold(x, name) {
			return i
		}
	}
	return -1
}

type addFunc func(line int, col, region string, year int, cell string) error

func readWide(cr *csv.Reader, header []string, file string, add addFunc) error {
	type yearCol struct {
		col  int
		year int
	}
	var years []yearCol
	for i, h := range header[1:] {
		if y, err := strconv.Atoi(h); err == nil && len(h) == 4 {
			years = append(years, yearCol{i + 1, y})
		}
	}
	if len(years) == 0 {
		return errorf(file, 1, "header", "no year columns: expected name;2018;2019;… or Region;Alder;Tid;value")
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvError(file, err)
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		if len(rec) < years[len(years)-1].col+1 {
			return errorf(file, line, "", "%d cells, but the header has %d", len(rec), len(header))
		}
		region, err := regionCell(rec[0])
		if err != nil {
			return errorf(file, line, fmt.Sprintf("column %q", header[0]), "%v", err)
		}
		for _, y := range years {
			if err := add(line, header[y.col], region, y.year, rec[y.col]); err != nil {
				return err
			}
		}
	}
}

func readLong(cr *csv.Reader, header []string, file string, p *Population, add addFunc) error {
	tidCol := indexFold(header, "tid")
	valCol := len(header) - 1
	for _, name := range []string{"value", "verdi", "personer"} {
		if i := indexFold(header, name); i >= 0 {
			valCol = i
		}
	}
	if valCol <= tidCol {
		return errorf(file, 1, "header", "expected Region;…;Tid;value")
	}
	type key struct {
		region string
		year   int
	}
	type acc struct {
		sum     int64
		line    int
		status  string
		missing bool
	}
	sums := map[key]*acc{}
	var order []key
	groups := map[string]int{} // region/year/other dims → line, for duplicates
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return csvError(file, err)
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		if len(rec) != len(header) {
			return errorf(file, line, "", "%d cells, but the header has %d", len(rec), len(header))
		}
		region, err := regionCell(rec[0])
		if err != nil {
			return errorf(file, line, fmt.Sprintf("column %q", header[0]), "%v", err)
		}
		ycell := strings.TrimSpace(rec[tidCol])
		year, err := strconv.Atoi(ycell)
		if err != nil || len(ycell) != 4 {
			return errorf(file, line, fmt.Sprintf("column %q", header[tidCol]), "%q is not a year", ycell)
		}
		gk := strings.Join(rec[:valCol], "\x00")
		if prev, dup := groups[gk]; dup {
			return errorf(file, line, fmt.Sprintf("column %q", header[valCol]), "the same row as line %d", prev)
		}
		groups[gk] = line
		n, status, err := parseCount(rec[valCol])
		if err != nil {
			return errorf(file, line, fmt.Sprintf("column %q", header[valCol]), "%v", err)
		}
		k := key{region, year}
		a, ok := sums[k]
		if !ok {
			a = &acc{line: line}
			sums[k] = a
			order = append(order, k)
		}
		if status != "" {
			a.missing, a.status = true, status
		}
		a.sum += n
	}
	for _, k := range order {
		a := sums[k]
		if a.missing {
			p.Missing = append(p.Missing, Missing{k.region, k.year, a.status})
			continue
		}
		if err := add(a.line, header[valCol], k.region, k.year, strconv.FormatInt(a.sum, 10)); err != nil {
			return err
		}
	}
	return nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// regionCell reads "0101", "0101 Halden", "K-0101", "01 Østfold" or the
// whole country ("Heile landet", "Hele landet", "0").
func regionCell(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "heile landet", "hele landet", "0 hele landet", "0 heile landet":
		return "0", nil
	}
	code, _, _ := strings.Cut(s, " ")
	norm, ok := normaliseRegion(code)
	if !ok {
		return "", fmt.Errorf("%q does not start with a region code (0, 2 or 4 digits)", s)
	}
	return norm, nil
}

// parseCount reads a whole non-negative number of persons. Spaces (also
// no-break spaces) as thousands separators are accepted. SSB's symbols for a
// missing figure give a status instead.
func parseCount(cell string) (int64, string, error) {
	s := strings.TrimSpace(cell)
	switch s {
	case "", "..", ".", ":", "…":
		if s == "" {
			s = ".."
		}
		return 0, s, nil
	case "-":
		return 0, "", nil
	}
	clean := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	n, err := strconv.ParseInt(clean, 10, 64)
	if err != nil {
		return 0, "", fmt.Errorf("%q is not a whole number", s)
	}
	if n < 0 {
		return 0, "", fmt.Errorf("%q is negative", s)
	}
	return n, "", nil
}

// csvError turns a reading error into a ParseError with its line.
func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return errorf(file, pe.Line, "", "%v", pe.Err)
	}
	return errorf(file, 0, "", "%v", err)
}
