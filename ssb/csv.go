package ssb

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxCSVBytes caps the size of a CSV file.
const maxCSVBytes = 256 << 20

// ParseStatbankCSV reads population figures from a CSV export of SSB's
// statbank. The shape is told by the header:
//
//   - wide, years as columns: "name;2018;2019;increase 2018-2019". The first
//     header cell may be any label; further cells that are not 4-digit
//     years are ignored. Rows are "0101 Halden;31037;31177;0,5": the first
//     cell is the code and the name; "Heile landet" or "Hele landet" is the
//     whole country ("0"), "01 Østfold" a county. Blank rows (";;;;") are
//     skipped.
//   - long: "Region;Alder;Tid;value", names in any case. The figure is in
//     the column named value, verdi or personer, else in the last column.
//     Columns other than Region, Tid and the figure (Alder, Kjonn, …) are
//     summed over. Region cells may be "0101", "0101 Halden" or "K-0101".
//
// The separator is ';', or tab or ',' when the header uses that. A leading
// UTF-8 BOM and LF, CRLF or CR line ends are accepted. Cells "..", ".", ":"
// and "" are missing figures, never 0; "-" is 0; spaces (also no-break
// spaces) may separate thousands ("31 037"). Text that is not UTF-8, a BOM
// after the start, an unknown header, a row with the wrong number of cells,
// a figure that is not a whole non-negative number and a (region, year)
// given twice are errors naming the line and the column.
func ParseStatbankCSV(r io.Reader, file string) (*Population, error) {
	data, err := readAllLimit(r, maxCSVBytes, file)
	if err != nil {
		return nil, err
	}
	data, err = prepareText(data, file)
	if err != nil {
		return nil, err
	}
	h, err := readHeader(data, file)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = h.sep
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	if _, err := cr.Read(); err != nil { // the header, read before
		return nil, csvError(file, err)
	}
	p := &Population{File: file}
	skipped := map[string]bool{}
	if h.long {
		err = readLong(cr, h, file, p, skipped)
	} else {
		err = readWide(cr, h, file, p, skipped)
	}
	if err != nil {
		return nil, err
	}
	for code := range skipped {
		p.Skipped = append(p.Skipped, code)
	}
	if len(p.Observations) == 0 && len(p.Missing) == 0 && len(p.Skipped) == 0 {
		return nil, errorf(file, 0, "", "no rows with figures after the header")
	}
	sortPopulation(p)
	return p, nil
}

// prepareText checks the encoding, removes a leading BOM and turns CRLF and
// CR line ends into LF.
func prepareText(data []byte, file string) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return nil, errorf(file, 1, "", "the file is UTF-16 encoded (\"Unicode text\"); save it as CSV in UTF-8")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return nil, errorf(file, 1, "", "this is a spreadsheet (xlsx) or another zip file, not CSV; save it as CSV in UTF-8")
	}
	data = bytes.TrimPrefix(data, []byte(utf8BOM))
	if bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	}
	if utf8.Valid(data) && !bytes.Contains(data, []byte(utf8BOM)) && bytes.IndexByte(data, 0) < 0 {
		return data, nil
	}
	for i, line := range bytes.Split(data, []byte("\n")) {
		n := i + 1
		if bytes.IndexByte(line, 0) >= 0 {
			return nil, errorf(file, n, "", "a NUL byte: this is not a text file (UTF-16 without a BOM?); save it as CSV in UTF-8")
		}
		if !utf8.Valid(line) {
			col, b := 1, line
			for len(b) > 0 {
				r, size := utf8.DecodeRune(b)
				if r == utf8.RuneError && size <= 1 {
					break
				}
				b = b[size:]
				col++
			}
			return nil, errorf(file, n, "", "byte 0x%02X at character %d is not UTF-8: the file looks Latin-1 (ISO-8859-1 or Windows-1252) encoded; save it as UTF-8", b[0], col)
		}
		if bytes.Contains(line, []byte(utf8BOM)) {
			return nil, errorf(file, n, "", "a byte-order mark (BOM) in the middle of the file; it may only come first (were two files joined?)")
		}
	}
	return data, nil
}

// header is the layout a CSV header describes.
type header struct {
	sep      rune
	cells    []string // trimmed
	width    int      // number of cells in the header as written
	trimmed  int      // without one trailing empty cell
	long     bool
	years    []yearColumn // wide
	region   int          // long
	tid      int          // long
	value    int          // long
	metric   int          // long: ContentsCode column, or -1
	dimsCols []int        // long: columns summed over
}

type yearColumn struct {
	col  int
	year int
}

const expectedHeader = `expected "name;2018;2019;…" (a label, then years as columns) or "Region;…;Tid;value" (long form)`

// readHeader finds the separator and the shape from the first line.
func readHeader(data []byte, file string) (*header, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errorf(file, 1, "header", "the file is empty; %s", expectedHeader)
	}
	var firstErr error
	for _, sep := range []rune{';', '\t', ','} {
		cr := csv.NewReader(bytes.NewReader(data))
		cr.Comma = sep
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		rec, err := cr.Read()
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if line, _ := cr.FieldPos(0); line != 1 {
			return nil, errorf(file, 1, "header", "the first line is empty; %s", expectedHeader)
		}
		if h, ok := classifyHeader(rec, sep); ok {
			return h, h.checkYears(file)
		}
	}
	if firstErr != nil {
		return nil, csvError(file, firstErr)
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	shown := string(first)
	if utf8.RuneCountInString(shown) > 80 {
		shown = string([]rune(shown)[:77]) + "..."
	}
	return nil, errorf(file, 1, "header", "%s; found %q", expectedHeader, shown)
}

func classifyHeader(rec []string, sep rune) (*header, bool) {
	h := &header{sep: sep, width: len(rec), metric: -1, region: -1, tid: -1, value: -1}
	for _, c := range rec {
		h.cells = append(h.cells, strings.TrimSpace(c))
	}
	h.trimmed = len(h.cells)
	if h.trimmed > 1 && h.cells[h.trimmed-1] == "" {
		h.trimmed--
	}
	cells := h.cells[:h.trimmed]
	for i, c := range cells {
		switch strings.ToLower(c) {
		case "region":
			if h.region < 0 {
				h.region = i
			}
		case "tid", "år", "aar", "year":
			if h.tid < 0 {
				h.tid = i
			}
		case "contentscode", "statistikkvariabel":
			if h.metric < 0 {
				h.metric = i
			}
		}
	}
	if h.region >= 0 && h.tid >= 0 {
		for _, name := range []string{"value", "verdi", "personer", "persons"} {
			if i := slices.IndexFunc(cells, func(c string) bool { return strings.EqualFold(c, name) }); i >= 0 {
				h.value = i
				break
			}
		}
		if last := len(cells) - 1; h.value < 0 && last != h.region && last != h.tid && last != h.metric {
			h.value = last
		}
		if h.value < 0 {
			return nil, false
		}
		h.long = true
		for i := range cells {
			if i != h.region && i != h.tid && i != h.value && i != h.metric {
				h.dimsCols = append(h.dimsCols, i)
			}
		}
		return h, true
	}
	for i, c := range cells {
		if i == 0 {
			continue // the label of the region column
		}
		if y, ok := parseYear(c); ok {
			h.years = append(h.years, yearColumn{col: i, year: y})
		}
	}
	return h, len(h.years) > 0
}

func (h *header) checkYears(file string) error {
	for i, y := range h.years {
		for _, x := range h.years[:i] {
			if x.year == y.year {
				return errorf(file, 1, csvColumn(h.cells[y.col]), "the year %d is in two columns", y.year)
			}
		}
	}
	return nil
}

// fits reports whether a row has as many cells as the header. One trailing
// empty cell, from a separator at the end of the line, may be there or not.
func (h *header) fits(rec []string) bool {
	n := len(rec)
	t := n
	if n > 1 && strings.TrimSpace(rec[n-1]) == "" {
		t--
	}
	return n == h.width || t == h.trimmed
}

func (h *header) widthError(file string, line int, rec []string) error {
	return errorf(file, line, "", "%d cells, but the header has %d (%s)", len(rec), h.trimmed,
		strings.Join(h.cells[:h.trimmed], string(h.sep)))
}

func readWide(cr *csv.Reader, h *header, file string, p *Population, skipped map[string]bool) error {
	type key struct {
		region string
		year   int
	}
	seen := map[key]int{}
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
		if !h.fits(rec) {
			return h.widthError(file, line, rec)
		}
		region, skip, err := regionCell(rec[0])
		if err != nil {
			return errorf(file, line, csvColumn(h.cells[0]), "%v", err)
		}
		if skip {
			skipped[region] = true
			continue
		}
		for _, y := range h.years {
			k := key{region, y.year}
			if prev, dup := seen[k]; dup {
				return errorf(file, line, csvColumn(h.cells[y.col]), "region %s, year %d is also on line %d", region, y.year, prev)
			}
			seen[k] = line
			n, status, missing, err := parseCount(rec[y.col])
			if err != nil {
				return errorf(file, line, csvColumn(h.cells[y.col]), "%v", err)
			}
			if missing {
				p.Missing = append(p.Missing, Missing{Region: region, Year: y.year, Status: status})
			} else {
				p.Observations = append(p.Observations, Observation{Region: region, Year: y.year, Persons: n})
			}
		}
	}
}

func readLong(cr *csv.Reader, h *header, file string, p *Population, skipped map[string]bool) error {
	type row struct {
		line   int
		region string
		year   int
		metric string
		cell   string
	}
	var rows []row
	seen := map[string]int{} // region, year and the other columns → line
	metrics := map[string]int{}
	var metricOrder []string
	valueCol := csvColumn(h.cells[h.value])
	var kb strings.Builder
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
		if !h.fits(rec) {
			return h.widthError(file, line, rec)
		}
		region, skip, err := regionCell(rec[h.region])
		if err != nil {
			return errorf(file, line, csvColumn(h.cells[h.region]), "%v", err)
		}
		if skip {
			skipped[region] = true
			continue
		}
		ycell := strings.TrimSpace(rec[h.tid])
		year, ok := parseYear(ycell)
		if !ok {
			return errorf(file, line, csvColumn(h.cells[h.tid]), "%q is not a year (4 digits)", ycell)
		}
		r := row{line: line, region: region, year: year}
		if h.metric >= 0 {
			r.metric = strings.TrimSpace(rec[h.metric])
			if _, ok := metrics[r.metric]; !ok {
				metrics[r.metric] = line
				metricOrder = append(metricOrder, r.metric)
			}
		}
		kb.Reset()
		fmt.Fprintf(&kb, "%s\x00%d\x00%s", region, year, r.metric)
		for _, c := range h.dimsCols {
			kb.WriteByte(0)
			kb.WriteString(strings.TrimSpace(rec[c]))
		}
		if prev, dup := seen[kb.String()]; dup {
			return errorf(file, line, valueCol, "the same region, year and group as line %d", prev)
		}
		seen[kb.String()] = line
		r.cell = rec[h.value]
		rows = append(rows, r)
	}
	if len(metricOrder) > 1 {
		if _, ok := metrics["Personer1"]; !ok {
			second := metricOrder[1]
			return errorf(file, metrics[second], csvColumn(h.cells[h.metric]), "%d statistics (%s) and none is \"Personer1\": export Personer1 only",
				len(metricOrder), strings.Join(metricOrder, ", "))
		}
	}
	type key struct {
		region string
		year   int
	}
	type acc struct {
		sum     int64
		missing bool
		status  string
	}
	sums := map[key]*acc{}
	var order []key
	for _, r := range rows {
		if len(metricOrder) > 1 && r.metric != "Personer1" {
			continue
		}
		persons, status, missing, err := parseCount(r.cell)
		if err != nil {
			return errorf(file, r.line, valueCol, "%v", err)
		}
		k := key{r.region, r.year}
		a := sums[k]
		if a == nil {
			a = &acc{}
			sums[k] = a
			order = append(order, k)
		}
		if missing {
			if !a.missing || a.status == "" {
				a.status = status
			}
			a.missing = true
			continue
		}
		if a.sum += persons; a.sum > maxPersons {
			return errorf(file, r.line, valueCol, "the sum for region %s, year %d is too large", r.region, r.year)
		}
	}
	for _, k := range order {
		a := sums[k]
		if a.missing {
			p.Missing = append(p.Missing, Missing{Region: k.region, Year: k.year, Status: a.status})
		} else {
			p.Observations = append(p.Observations, Observation{Region: k.region, Year: k.year, Persons: a.sum})
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

// regionCell reads a region cell: "0101", "0101 Halden", "K-0101",
// "01 Østfold", or the whole country ("Hele landet", "Heile landet", "0").
// A code that is not the country, a county or a municipality ("K-Rest",
// "21-22 Svalbard og Jan Mayen", "9999") is returned with skip set.
func regionCell(s string) (code string, skip bool, err error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "hele landet", "heile landet", "landet", "norge", "whole country", "the whole country", "norway":
		return "0", false, nil
	}
	first := s
	if i := strings.IndexFunc(s, isSpace); i >= 0 {
		first = s[:i]
	}
	if n, ok := normaliseRegion(first); ok {
		return n, false, nil
	}
	if strings.HasPrefix(first, "K-") || strings.HasPrefix(first, "F-") || (first != "" && first[0] >= '0' && first[0] <= '9') {
		return first, true, nil
	}
	return "", false, fmt.Errorf("%q does not start with a region code (0, 2 or 4 digits, as in \"0301 Oslo\")", s)
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\u00a0', '\u202f', '\u2009':
		return true
	}
	return false
}

// parseCount reads a whole, non-negative number of persons. Spaces (also
// no-break and thin spaces) may separate groups of three digits. The SSB
// symbols "..", ".", ":" and an empty cell give a missing figure; "-" is 0.
func parseCount(cell string) (n int64, status string, missing bool, err error) {
	s := strings.TrimSpace(cell)
	switch s {
	case "", "..", ".", ":", "…":
		return 0, s, true, nil
	case "-":
		return 0, "", false, nil
	}
	digits := s
	if strings.ContainsFunc(s, isSpace) {
		groups := strings.FieldsFunc(s, isSpace)
		for i, g := range groups {
			if !allDigits(g) || (i == 0 && len(g) > 3) || (i > 0 && len(g) != 3) {
				return 0, "", false, fmt.Errorf("%q is not a whole number", s)
			}
		}
		digits = strings.Join(groups, "")
	}
	if !allDigits(digits) {
		rest, neg := strings.CutPrefix(s, "-")
		if !neg {
			rest, neg = strings.CutPrefix(s, "\u2212")
		}
		if neg && allDigits(strings.TrimSpace(rest)) {
			return 0, "", false, fmt.Errorf("%q is negative", s)
		}
		return 0, "", false, fmt.Errorf("%q is not a whole number", s)
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || v > maxPersons {
		return 0, "", false, fmt.Errorf("%q is too large", s)
	}
	return v, "", false, nil
}

// csvError turns an error of the CSV reader into a ParseError with its line.
func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return errorf(file, pe.Line, "", "%v", pe.Err)
	}
	return errorf(file, 0, "", "%v", err)
}
