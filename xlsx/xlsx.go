// Package xlsx writes spreadsheets in the Office Open XML format (.xlsx), so
// lists such as an event's participants can be downloaded "as Excel" and not
// only as CSV.
//
// A workbook is one or more sheets, each a bold, frozen header row and rows of
// plain values: text, whole numbers, decimals, truth values, dates and
// date-times. Text is always written as text, so a value such as "=SUM(A1)"
// or "+47 22 00 00 00" is shown as typed and never becomes a formula or a
// number. Dates are serial numbers in the 1900 date system with a date
// format that the reading program shows in its own locale.
//
// Write checks every sheet name and value before it writes a byte, then
// streams the rows into the zip archive, so large lists cost little memory.
// The output depends only on the input: the same sheets give the same bytes.
//
//	w.Header().Set("Content-Type", xlsx.ContentType)
//	w.Header().Set("Content-Disposition", `attachment; filename="participants.xlsx"`)
//	err := xlsx.Write(w, xlsx.Sheet{Name: "Participants", Header: header, Rows: rows})
package xlsx

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ContentType is the media type to serve it with.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Sheet is one worksheet: a header row (bold, frozen) and rows of values.
//
// Name is 1–31 characters, none of : \ / ? * [ ], not beginning or ending
// with an apostrophe and not "History" (which the spreadsheet programs
// reserve); names are unique in the workbook, ignoring case.
//
// Each value in Rows is a string, int, int64, float64, bool, time.Time or
// nil. nil and "" leave the cell empty. A time.Time is written with its own
// wall clock (spreadsheets have no time zones): at midnight exactly as a
// date, otherwise as a date-time; it must fall in the years 1900–9999.
// Numbers beyond 15 significant digits lose precision in spreadsheet
// programs; write identifiers such as account numbers as strings. Any other
// type, a NaN or infinite float and text over 32,767 characters is an error
// naming the row and column.
type Sheet struct {
	Name   string   // 1–31 characters, none of : \ / ? * [ ]; unique in the workbook
	Header []string // the first row, bold and frozen; none if empty
	Rows   [][]any  // the values below the header
}

// The limits of a worksheet in the format.
const (
	maxRows     = 1 << 20 // 1,048,576
	maxColumns  = 1 << 14 // 16,384 (A to XFD)
	maxCellText = 32767   // UTF-16 code units
	maxNameLen  = 31      // UTF-16 code units
)

// Cell styles: the indexes of the cellXfs in styles.xml.
const (
	styleDefault  = 0
	styleHeader   = 1 // bold
	styleDate     = 2 // built-in number format 14, the locale's short date
	styleDateTime = 3 // built-in number format 22, the locale's date and time
)

// modified is the time stamp of every file in the archive, so that the same
// workbook always gives the same bytes.
var modified = time.Date(1980, time.January, 1, 0, 0, 0, 0, time.UTC)

// Write writes a workbook with the sheets to w.
//
// The sheets and their values are checked first; on a validation error
// nothing has been written to w.
func Write(w io.Writer, sheets ...Sheet) error {
	if len(sheets) == 0 {
		return errors.New("xlsx: a workbook needs at least one sheet")
	}
	layouts := make([]layout, len(sheets))
	seen := make(map[string]int, len(sheets))
	for i := range sheets {
		s := &sheets[i]
		if err := checkName(s.Name); err != nil {
			return fmt.Errorf("xlsx: sheet %d: %w", i+1, err)
		}
		key := strings.ToLower(s.Name)
		if j, ok := seen[key]; ok {
			return fmt.Errorf("xlsx: sheets %d and %d are both named %q", j+1, i+1, s.Name)
		}
		seen[key] = i
		l, err := measure(s)
		if err != nil {
			return fmt.Errorf("xlsx: sheet %q: %w", s.Name, err)
		}
		layouts[i] = l
	}

	z := zip.NewWriter(w)
	parts := []struct {
		name  string
		write func(*bufio.Writer)
	}{
		{"[Content_Types].xml", func(b *bufio.Writer) { writeContentTypes(b, len(sheets)) }},
		{"_rels/.rels", func(b *bufio.Writer) { b.WriteString(rootRels) }},
		{"xl/workbook.xml", func(b *bufio.Writer) { writeWorkbook(b, sheets) }},
		{"xl/_rels/workbook.xml.rels", func(b *bufio.Writer) { writeWorkbookRels(b, len(sheets)) }},
		{"xl/styles.xml", func(b *bufio.Writer) { b.WriteString(styles) }},
	}
	for _, p := range parts {
		if err := writePart(z, p.name, p.write); err != nil {
			return err
		}
	}
	for i := range sheets {
		name := "xl/worksheets/sheet" + strconv.Itoa(i+1) + ".xml"
		err := writePart(z, name, func(b *bufio.Writer) {
			writeSheet(b, &sheets[i], &layouts[i], i == 0)
		})
		if err != nil {
			return err
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// writePart adds one file to the archive; write streams its content through
// a buffer whose first error is reported when it is flushed.
func writePart(z *zip.Writer, name string, write func(*bufio.Writer)) error {
	f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
	if err != nil {
		return fmt.Errorf("xlsx: %s: %w", name, err)
	}
	b := bufio.NewWriterSize(f, 32<<10)
	write(b)
	if err := b.Flush(); err != nil {
		return fmt.Errorf("xlsx: %s: %w", name, err)
	}
	return nil
}

// checkName reports why name cannot name a worksheet.
func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("the sheet name is empty")
	case !utf8.ValidString(name):
		return fmt.Errorf("sheet name %q is not valid UTF-8", name)
	case utf16Len(name) > maxNameLen:
		return fmt.Errorf("sheet name %q is longer than %d characters", name, maxNameLen)
	case strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'"):
		return fmt.Errorf("sheet name %q begins or ends with an apostrophe", name)
	case strings.EqualFold(name, "History"):
		return fmt.Errorf("sheet name %q is reserved", name)
	}
	if i := strings.IndexAny(name, `:\/?*[]`); i >= 0 {
		return fmt.Errorf("sheet name %q contains %q; none of : \\ / ? * [ ] may be used", name, name[i])
	}
	for _, r := range name {
		if r < 0x20 || r == 0xFFFE || r == 0xFFFF {
			return fmt.Errorf("sheet name %q contains the control character %U", name, r)
		}
	}
	return nil
}

// layout is what a sheet's XML needs to know before its rows are written.
type layout struct {
	lastRow, lastCol int       // 1-based extent of the non-empty cells; 0 if none
	widths           []float64 // column widths in characters
}

// measure checks every value of the sheet and finds its extent and column
// widths.
func measure(s *Sheet) (layout, error) {
	var l layout
	top := 0 // rows above the first data row
	if len(s.Header) > 0 {
		top = 1
	}
	if n := top + len(s.Rows); n > maxRows {
		return l, fmt.Errorf("%d rows; a sheet holds at most %d", n, maxRows)
	}
	cols := len(s.Header)
	for i, row := range s.Rows {
		if len(row) > maxColumns {
			return l, fmt.Errorf("row %d has %d columns; a sheet holds at most %d", top+i+1, len(row), maxColumns)
		}
		cols = max(cols, len(row))
	}
	if cols > maxColumns {
		return l, fmt.Errorf("the header has %d columns; a sheet holds at most %d", cols, maxColumns)
	}
	chars := make([]int, cols)
	for j, h := range s.Header {
		if h == "" {
			continue
		}
		n, err := textWidth(h)
		if err != nil {
			return l, fmt.Errorf("header column %s: %w", columnName(j), err)
		}
		chars[j] = (n*11 + 9) / 10 // bold is about a tenth wider
		l.lastRow, l.lastCol = 1, max(l.lastCol, j+1)
	}
	for i, row := range s.Rows {
		r := top + i + 1
		for j, v := range row {
			n, err := valueWidth(v)
			if err != nil {
				return l, fmt.Errorf("row %d column %s (cell %s%d, Rows[%d][%d]): %w",
					r, columnName(j), columnName(j), r, i, j, err)
			}
			if n > 0 {
				chars[j] = max(chars[j], n)
				l.lastRow, l.lastCol = r, max(l.lastCol, j+1)
			}
		}
	}
	l.widths = make([]float64, cols)
	for j, n := range chars {
		l.widths[j] = min(max(float64(n)+2, 8), 60)
	}
	return l, nil
}

// valueWidth checks a value and returns roughly how many characters it takes
// when shown; 0 for an empty cell.
func valueWidth(v any) (int, error) {
	var digits [32]byte
	switch v := v.(type) {
	case nil:
		return 0, nil
	case string:
		return textWidth(v)
	case int:
		return len(strconv.AppendInt(digits[:0], int64(v), 10)), nil
	case int64:
		return len(strconv.AppendInt(digits[:0], v, 10)), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%v is not a number a spreadsheet can hold", v)
		}
		return min(len(appendFloat(digits[:0], v)), 12), nil
	case bool:
		return 5, nil
	case time.Time:
		_, date, err := serial(v)
		if err != nil {
			return 0, err
		}
		if date {
			return 10, nil
		}
		return 16, nil
	default:
		return 0, fmt.Errorf("unsupported value of type %T; use string, int, int64, float64, bool, time.Time or nil", v)
	}
}

// textWidth checks the length of a text and returns the length of its
// longest line.
func textWidth(s string) (int, error) {
	if n := utf16Len(s); n > maxCellText {
		return 0, fmt.Errorf("text of %d characters; a cell holds at most %d", n, maxCellText)
	}
	longest, line := 0, 0
	for _, r := range s {
		if r == '\n' {
			line = 0
			continue
		}
		line++
		longest = max(longest, line)
	}
	return longest, nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

// excelEpoch is day 0 of the 1900 date system as counted from 1 March 1900.
// The system counts a 29 February 1900 that never was (the leap-year bug it
// inherited), so dates before March are one day later than this implies.
var excelEpoch = time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC).Unix()

// serial returns the 1900-system serial number of t's wall clock, and
// whether t is a date without a time of day.
func serial(t time.Time) (float64, bool, error) {
	y, m, d := t.Date()
	if y < 1900 || y > 9999 {
		return 0, false, fmt.Errorf("the time %s is outside the years 1900–9999 a spreadsheet can hold", t.Format(time.RFC3339))
	}
	days := (time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() - excelEpoch) / 86400
	if days < 61 { // before 1 March 1900
		days--
	}
	h, mi, s := t.Clock()
	ns := t.Nanosecond()
	if h == 0 && mi == 0 && s == 0 && ns == 0 {
		return float64(days), true, nil
	}
	secs := float64(h*3600+mi*60+s) + float64(ns)/1e9
	return float64(days) + secs/86400, false, nil
}

const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain    = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkgRel  = "http://schemas.openxmlformats.org/package/2006/relationships"
)

func writeContentTypes(b *bufio.Writer, sheets int) {
	b.WriteString(xmlHeader +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`)
	for i := 1; i <= sheets; i++ {
		fmt.Fprintf(b, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i)
	}
	b.WriteString(`</Types>`)
}

const rootRels = xmlHeader +
	`<Relationships xmlns="` + nsPkgRel + `">` +
	`<Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.xml"/>` +
	`</Relationships>`

func writeWorkbook(b *bufio.Writer, sheets []Sheet) {
	b.WriteString(xmlHeader + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">` +
		`<bookViews><workbookView activeTab="0"/></bookViews><sheets>`)
	var buf []byte
	for i, s := range sheets {
		buf = append(buf[:0], `<sheet name="`...)
		buf = appendEscaped(buf, s.Name, true)
		buf = append(buf, `" sheetId="`...)
		buf = strconv.AppendInt(buf, int64(i+1), 10)
		buf = append(buf, `" r:id="rId`...)
		buf = strconv.AppendInt(buf, int64(i+1), 10)
		buf = append(buf, `"/>`...)
		b.Write(buf)
	}
	b.WriteString(`</sheets></workbook>`)
}

// writeWorkbookRels links the sheets as rId1…rIdN and the styles as rIdN+1.
func writeWorkbookRels(b *bufio.Writer, sheets int) {
	b.WriteString(xmlHeader + `<Relationships xmlns="` + nsPkgRel + `">`)
	for i := 1; i <= sheets; i++ {
		fmt.Fprintf(b, `<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>`, i, nsRel, i)
	}
	fmt.Fprintf(b, `<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/>`, sheets+1, nsRel)
	b.WriteString(`</Relationships>`)
}

// styles holds the cell styles in the order of the style constants. The two
// fills are the ones the format requires to be present.
const styles = xmlHeader + `<styleSheet xmlns="` + nsMain + `">` +
	`<fonts count="2">` +
	`<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
	`</fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="4">` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`</cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`</styleSheet>`

// writeSheet streams one worksheet. The sheet has been measured, so every
// value is known to be supported.
func writeSheet(b *bufio.Writer, s *Sheet, l *layout, first bool) {
	buf := make([]byte, 0, 1024)
	buf = append(buf, xmlHeader+`<worksheet xmlns="`+nsMain+`" xmlns:r="`+nsRel+`"><dimension ref="A1`...)
	if l.lastRow > 1 || l.lastCol > 1 {
		buf = append(buf, ':')
		buf = appendRef(buf, l.lastCol-1, max(l.lastRow, 1))
	}
	buf = append(buf, `"/><sheetViews><sheetView workbookViewId="0"`...)
	if first {
		buf = append(buf, ` tabSelected="1"`...)
	}
	top := 0
	if len(s.Header) > 0 {
		top = 1
		buf = append(buf, `><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>`+
			`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>`...)
	} else {
		buf = append(buf, `/>`...)
	}
	buf = append(buf, `</sheetViews><sheetFormatPr defaultRowHeight="15"/>`...)
	if len(l.widths) > 0 {
		buf = append(buf, `<cols>`...)
		for j, w := range l.widths {
			buf = append(buf, `<col min="`...)
			buf = strconv.AppendInt(buf, int64(j+1), 10)
			buf = append(buf, `" max="`...)
			buf = strconv.AppendInt(buf, int64(j+1), 10)
			buf = append(buf, `" width="`...)
			buf = strconv.AppendFloat(buf, w, 'f', -1, 64)
			buf = append(buf, `" customWidth="1"/>`...)
		}
		buf = append(buf, `</cols>`...)
	}
	buf = append(buf, `<sheetData>`...)
	b.Write(buf)

	if top == 1 {
		buf = append(buf[:0], `<row r="1">`...)
		for j, h := range s.Header {
			if h != "" {
				buf = appendText(buf, j, 1, styleHeader, h)
			}
		}
		b.Write(append(buf, `</row>`...))
	}
	for i, row := range s.Rows {
		r := top + i + 1
		buf = append(buf[:0], `<row r="`...)
		buf = strconv.AppendInt(buf, int64(r), 10)
		buf = append(buf, `">`...)
		start := len(buf)
		for j, v := range row {
			buf = appendCell(buf, j, r, v)
		}
		if len(buf) > start { // a row without cells is left out
			b.Write(append(buf, `</row>`...))
		}
	}
	b.WriteString(`</sheetData></worksheet>`)
}

// appendCell appends the <c> element of a value in column col (0-based) of
// row (1-based); nothing for an empty value.
func appendCell(buf []byte, col, row int, v any) []byte {
	switch v := v.(type) {
	case string:
		if v != "" {
			buf = appendText(buf, col, row, styleDefault, v)
		}
	case int:
		buf = appendStart(buf, col, row, styleDefault, "")
		buf = strconv.AppendInt(buf, int64(v), 10)
		buf = append(buf, `</v></c>`...)
	case int64:
		buf = appendStart(buf, col, row, styleDefault, "")
		buf = strconv.AppendInt(buf, v, 10)
		buf = append(buf, `</v></c>`...)
	case float64:
		buf = appendStart(buf, col, row, styleDefault, "")
		buf = appendFloat(buf, v)
		buf = append(buf, `</v></c>`...)
	case bool:
		buf = appendStart(buf, col, row, styleDefault, "b")
		if v {
			buf = append(buf, '1')
		} else {
			buf = append(buf, '0')
		}
		buf = append(buf, `</v></c>`...)
	case time.Time:
		f, date, _ := serial(v) // checked by measure
		style := styleDateTime
		if date {
			style = styleDate
		}
		buf = appendStart(buf, col, row, style, "")
		buf = appendFloat(buf, f)
		buf = append(buf, `</v></c>`...)
	}
	return buf
}

// appendStart appends the start of a cell with a value, up to and including <v>.
func appendStart(buf []byte, col, row, style int, typ string) []byte {
	buf = append(buf, `<c r="`...)
	buf = appendRef(buf, col, row)
	if style != styleDefault {
		buf = append(buf, `" s="`...)
		buf = strconv.AppendInt(buf, int64(style), 10)
	}
	if typ != "" {
		buf = append(buf, `" t="`...)
		buf = append(buf, typ...)
	}
	return append(buf, `"><v>`...)
}

// appendText appends an inline-string cell. It is never a formula: formulas
// live in <f> elements, which this package does not write.
func appendText(buf []byte, col, row, style int, s string) []byte {
	buf = append(buf, `<c r="`...)
	buf = appendRef(buf, col, row)
	if style != styleDefault {
		buf = append(buf, `" s="`...)
		buf = strconv.AppendInt(buf, int64(style), 10)
	}
	buf = append(buf, `" t="inlineStr"><is><t xml:space="preserve">`...)
	buf = appendEscaped(buf, s, false)
	return append(buf, `</t></is></c>`...)
}

// appendFloat appends v as an xsd:double, in plain decimals where that is
// short.
func appendFloat(buf []byte, v float64) []byte {
	if v == 0 {
		v = 0 // no negative zero
	}
	if a := math.Abs(v); a == 0 || (a >= 1e-5 && a < 1e15) {
		return strconv.AppendFloat(buf, v, 'f', -1, 64)
	}
	return strconv.AppendFloat(buf, v, 'E', -1, 64)
}

// appendRef appends a cell reference such as B7 for col 1 (0-based), row 7.
func appendRef(buf []byte, col, row int) []byte {
	buf = appendColumn(buf, col)
	return strconv.AppendInt(buf, int64(row), 10)
}

func appendColumn(buf []byte, col int) []byte {
	var letters [3]byte // XFD is the last column
	i := len(letters)
	for col++; col > 0; col = (col - 1) / 26 {
		i--
		letters[i] = byte('A' + (col-1)%26)
	}
	return append(buf, letters[i:]...)
}

// columnName is the letters of a column, 0-based: A, B, …, Z, AA, …
func columnName(col int) string { return string(appendColumn(nil, col)) }

// appendEscaped appends s as XML character data (or an attribute value):
// markup characters escaped, characters XML 1.0 forbids dropped, invalid
// UTF-8 replaced by U+FFFD, carriage returns kept as references, and a
// literal "_xHHHH_" protected so that spreadsheet programs do not read it as
// their own escape for a character.
func appendEscaped(buf []byte, s string, attr bool) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '&':
			buf = append(buf, "&amp;"...)
		case r == '<':
			buf = append(buf, "&lt;"...)
		case r == '>':
			buf = append(buf, "&gt;"...)
		case r == '"' && attr:
			buf = append(buf, "&quot;"...)
		case r == '\r':
			buf = append(buf, "&#xD;"...)
		case (r == '\n' || r == '\t') && attr:
			buf = append(buf, "&#x"...)
			buf = strconv.AppendInt(buf, int64(r), 16)
			buf = append(buf, ';')
		case r == '\n' || r == '\t':
			buf = append(buf, byte(r))
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
			// forbidden in XML 1.0: dropped
		case r == utf8.RuneError && size == 1:
			buf = utf8.AppendRune(buf, utf8.RuneError)
		case r == '_' && isEscapeCode(s[i:]):
			buf = append(buf, "_x005F_"...)
		default:
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return buf
}

// isEscapeCode reports whether s begins with _xHHHH_, the form spreadsheet
// programs read as an escaped character.
func isEscapeCode(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
