package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The tests read the workbook back with archive/zip and encoding/xml and
// check its structure as a spreadsheet program would: every part present,
// typed and linked, every cell where its row says, every style defined.

const (
	ctWorkbook  = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
	ctWorksheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
	ctStyles    = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
	ctRels      = "application/vnd.openxmlformats-package.relationships+xml"
	relOffice   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	relSheet    = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
	relStyles   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
)

type xTypes struct {
	Defaults []struct {
		Extension   string `xml:"Extension,attr"`
		ContentType string `xml:"ContentType,attr"`
	} `xml:"Default"`
	Overrides []struct {
		PartName    string `xml:"PartName,attr"`
		ContentType string `xml:"ContentType,attr"`
	} `xml:"Override"`
}

type xRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type xWorkbook struct {
	XMLName xml.Name `xml:"http://schemas.openxmlformats.org/spreadsheetml/2006/main workbook"`
	Sheets  []struct {
		Name    string `xml:"name,attr"`
		SheetID string `xml:"sheetId,attr"`
		RID     string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	} `xml:"sheets>sheet"`
	Date1904 *struct{} `xml:"workbookPr"` // absent: the 1900 date system
}

type xStyles struct {
	XMLName  xml.Name `xml:"http://schemas.openxmlformats.org/spreadsheetml/2006/main styleSheet"`
	FontList struct {
		Count int `xml:"count,attr"`
		Fonts []struct {
			Bold *struct{} `xml:"b"`
		} `xml:"font"`
	} `xml:"fonts"`
	Fills []struct {
		Pattern struct {
			Type string `xml:"patternType,attr"`
		} `xml:"patternFill"`
	} `xml:"fills>fill"`
	Borders []struct{} `xml:"borders>border"`
	XfList  struct {
		Count int `xml:"count,attr"`
		Xfs   []struct {
			NumFmtID int `xml:"numFmtId,attr"`
			FontID   int `xml:"fontId,attr"`
			FillID   int `xml:"fillId,attr"`
			BorderID int `xml:"borderId,attr"`
			Apply    int `xml:"applyNumberFormat,attr"`
		} `xml:"xf"`
	} `xml:"cellXfs"`
}

type xWorksheet struct {
	XMLName   xml.Name `xml:"http://schemas.openxmlformats.org/spreadsheetml/2006/main worksheet"`
	Dimension struct {
		Ref string `xml:"ref,attr"`
	} `xml:"dimension"`
	Views []struct {
		TabSelected string `xml:"tabSelected,attr"`
		Pane        *struct {
			YSplit      string `xml:"ySplit,attr"`
			XSplit      string `xml:"xSplit,attr"`
			TopLeftCell string `xml:"topLeftCell,attr"`
			ActivePane  string `xml:"activePane,attr"`
			State       string `xml:"state,attr"`
		} `xml:"pane"`
	} `xml:"sheetViews>sheetView"`
	Cols []struct {
		Min         int     `xml:"min,attr"`
		Max         int     `xml:"max,attr"`
		Width       float64 `xml:"width,attr"`
		CustomWidth string  `xml:"customWidth,attr"`
	} `xml:"cols>col"`
	Rows []struct {
		R     int     `xml:"r,attr"`
		Cells []xCell `xml:"c"`
	} `xml:"sheetData>row"`
}

type xCell struct {
	R string  `xml:"r,attr"`
	T string  `xml:"t,attr"`
	S int     `xml:"s,attr"`
	V *string `xml:"v"`
	F *string `xml:"f"`
	//
	IS *struct {
		T struct {
			Space string `xml:"http://www.w3.org/XML/1998/namespace space,attr"`
			Text  string `xml:",chardata"`
		} `xml:"t"`
		R []struct{} `xml:"r"` // rich text runs: never written
	} `xml:"is"`
}

// book is a workbook read back and checked.
type book struct {
	parts  map[string][]byte
	names  []string // sheet names in order
	sheets map[string]*xWorksheet
	cells  map[string]map[string]xCell // sheet name → reference → cell
	styles xStyles
}

// read checks the package structure of an .xlsx file and returns it parsed.
func read(t *testing.T, data []byte) *book {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip archive: %v", err)
	}
	b := &book{parts: map[string][]byte{}, sheets: map[string]*xWorksheet{}, cells: map[string]map[string]xCell{}}
	for _, f := range zr.File {
		if _, dup := b.parts[f.Name]; dup {
			t.Fatalf("part %s twice in the archive", f.Name)
		}
		if !f.Modified.Equal(modified) {
			t.Errorf("%s: modified %v, want the fixed %v", f.Name, f.Modified, modified)
		}
		if f.Method != zip.Deflate {
			t.Errorf("%s: method %d, want deflate", f.Name, f.Method)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		b.parts[f.Name] = content
		wellFormed(t, f.Name, content)
	}
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first part is %s, want [Content_Types].xml", zr.File[0].Name)
	}

	var types xTypes
	b.decode(t, "[Content_Types].xml", &types)
	contentType := func(part string) string {
		for _, o := range types.Overrides {
			if o.PartName == "/"+part {
				return o.ContentType
			}
		}
		for _, d := range types.Defaults {
			if strings.EqualFold(d.Extension, strings.TrimPrefix(path.Ext(part), ".")) {
				return d.ContentType
			}
		}
		return ""
	}
	for _, o := range types.Overrides {
		if _, ok := b.parts[strings.TrimPrefix(o.PartName, "/")]; !ok {
			t.Errorf("content type for %s, which is not in the archive", o.PartName)
		}
	}
	for name := range b.parts {
		if name != "[Content_Types].xml" && contentType(name) == "" {
			t.Errorf("part %s has no content type", name)
		}
	}

	var root xRels
	b.decode(t, "_rels/.rels", &root)
	if contentType("_rels/.rels") != ctRels {
		t.Errorf("_rels/.rels: content type %q", contentType("_rels/.rels"))
	}
	wbPart := ""
	for _, r := range root.Rels {
		if r.Type == relOffice {
			wbPart = strings.TrimPrefix(r.Target, "/")
		}
	}
	if wbPart != "xl/workbook.xml" || contentType(wbPart) != ctWorkbook {
		t.Fatalf("office document is %q of type %q", wbPart, contentType(wbPart))
	}
	var wb xWorkbook
	b.decode(t, wbPart, &wb)
	if wb.Date1904 != nil {
		t.Error("workbookPr present; the 1900 date system is meant")
	}
	var rels xRels
	b.decode(t, "xl/_rels/workbook.xml.rels", &rels)
	targets := map[string]string{}
	stylesPart := ""
	for _, r := range rels.Rels {
		if _, dup := targets[r.ID]; dup {
			t.Errorf("relationship %s twice", r.ID)
		}
		target := path.Join("xl", r.Target)
		if _, ok := b.parts[target]; !ok {
			t.Errorf("relationship %s points to missing %s", r.ID, target)
		}
		targets[r.ID] = r.Type + " " + target
		if r.Type == relStyles {
			stylesPart = target
		}
	}
	if stylesPart == "" || contentType(stylesPart) != ctStyles {
		t.Fatalf("styles part %q of type %q", stylesPart, contentType(stylesPart))
	}
	b.decode(t, stylesPart, &b.styles)
	checkStyles(t, b.styles)

	ids := map[string]bool{}
	for _, s := range wb.Sheets {
		if ids[s.SheetID] {
			t.Errorf("sheetId %s twice", s.SheetID)
		}
		ids[s.SheetID] = true
		typ, part, _ := strings.Cut(targets[s.RID], " ")
		if typ != relSheet || contentType(part) != ctWorksheet {
			t.Fatalf("sheet %q: relationship %q is %q, part type %q", s.Name, s.RID, typ, contentType(part))
		}
		ws := new(xWorksheet)
		b.decode(t, part, ws)
		b.names = append(b.names, s.Name)
		b.sheets[s.Name] = ws
		b.cells[s.Name] = checkSheet(t, s.Name, b.parts[part], ws, len(b.styles.XfList.Xfs))
	}
	return b
}

func (b *book) decode(t *testing.T, part string, v any) {
	t.Helper()
	content, ok := b.parts[part]
	if !ok {
		t.Fatalf("part %s is missing", part)
	}
	if err := xml.Unmarshal(content, v); err != nil {
		t.Fatalf("%s: %v", part, err)
	}
}

// wellFormed checks that a part is a whole XML document in UTF-8.
func wellFormed(t *testing.T, name string, content []byte) {
	t.Helper()
	if !bytes.HasPrefix(content, []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`)) {
		t.Errorf("%s: no XML declaration", name)
	}
	d := xml.NewDecoder(bytes.NewReader(content))
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed: %v", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(tok)) > 0 {
				t.Errorf("%s: text outside the root element", name)
			}
		}
	}
	if roots != 1 || depth != 0 {
		t.Errorf("%s: %d root elements, depth %d at the end", name, roots, depth)
	}
}

func checkStyles(t *testing.T, s xStyles) {
	t.Helper()
	if s.FontList.Count != len(s.FontList.Fonts) || s.XfList.Count != len(s.XfList.Xfs) {
		t.Errorf("styles: counts %d/%d for %d fonts and %d cell formats", s.FontList.Count, s.XfList.Count, len(s.FontList.Fonts), len(s.XfList.Xfs))
	}
	if len(s.Fills) < 2 || s.Fills[0].Pattern.Type != "none" || s.Fills[1].Pattern.Type != "gray125" {
		t.Errorf("styles: the two required fills are missing: %+v", s.Fills)
	}
	for i, x := range s.XfList.Xfs {
		if x.FontID >= len(s.FontList.Fonts) || x.FillID >= len(s.Fills) || x.BorderID >= len(s.Borders) {
			t.Errorf("cell format %d refers to a missing font, fill or border: %+v", i, x)
		}
	}
	if len(s.XfList.Xfs) == 0 || s.XfList.Xfs[0].NumFmtID != 0 || s.FontList.Fonts[s.XfList.Xfs[0].FontID].Bold != nil {
		t.Error("cell format 0 is not plain")
	}
}

var refRE = regexp.MustCompile(`^([A-Z]{1,3})([1-9][0-9]*)$`)

// parseRef splits a reference such as B7 into a 0-based column and a row.
func parseRef(t *testing.T, ref string) (int, int) {
	t.Helper()
	m := refRE.FindStringSubmatch(ref)
	if m == nil {
		t.Fatalf("bad cell reference %q", ref)
	}
	col := 0
	for _, c := range m[1] {
		col = col*26 + int(c-'A') + 1
	}
	row, _ := strconv.Atoi(m[2])
	return col - 1, row
}

// checkSheet checks a worksheet's element order, rows, cells and extent, and
// returns its cells by reference.
func checkSheet(t *testing.T, name string, raw []byte, ws *xWorksheet, styles int) map[string]xCell {
	t.Helper()
	// The schema's sequence for the elements written here.
	order := []string{"dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData"}
	d := xml.NewDecoder(bytes.NewReader(raw))
	depth, pos := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 1 {
				for pos < len(order) && order[pos] != tok.Name.Local {
					pos++
				}
				if pos == len(order) {
					t.Errorf("sheet %q: element <%s> out of order or unknown", name, tok.Name.Local)
				}
			}
			if tok.Name.Local == "f" {
				t.Errorf("sheet %q: a formula was written", name)
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}

	cells := map[string]xCell{}
	lastRow, maxRow, maxCol := 0, 0, -1
	for _, r := range ws.Rows {
		if r.R <= lastRow || r.R > maxRows {
			t.Errorf("sheet %q: row %d after row %d", name, r.R, lastRow)
		}
		lastRow = r.R
		lastCol := -1
		for _, c := range r.Cells {
			col, row := parseRef(t, c.R)
			if row != r.R || col <= lastCol || col >= maxColumns {
				t.Errorf("sheet %q: cell %s in row %d after column %d", name, c.R, r.R, lastCol)
			}
			lastCol = col
			if c.S < 0 || c.S >= styles {
				t.Errorf("sheet %q: cell %s has undefined style %d", name, c.R, c.S)
			}
			switch c.T {
			case "inlineStr":
				if c.IS == nil || c.V != nil || len(c.IS.R) > 0 {
					t.Errorf("sheet %q: inline string %s without exactly one <is><t>", name, c.R)
				}
			case "", "n", "b":
				if c.V == nil || c.IS != nil {
					t.Errorf("sheet %q: cell %s of type %q without <v>", name, c.R, c.T)
				} else if _, err := strconv.ParseFloat(*c.V, 64); err != nil {
					t.Errorf("sheet %q: cell %s: %v", name, c.R, err)
				}
			default:
				t.Errorf("sheet %q: cell %s has type %q", name, c.R, c.T)
			}
			cells[c.R] = c
			maxRow, maxCol = max(maxRow, row), max(maxCol, col)
		}
	}
	want := "A1"
	if maxRow > 1 || maxCol > 0 {
		want = "A1:" + columnName(maxCol) + strconv.Itoa(maxRow)
	}
	if ws.Dimension.Ref != want {
		t.Errorf("sheet %q: dimension %q, want %q", name, ws.Dimension.Ref, want)
	}
	for i, c := range ws.Cols {
		if c.Min != i+1 || c.Max != i+1 || c.CustomWidth != "1" || c.Width <= 0 || c.Width > 255 {
			t.Errorf("sheet %q: column %d: %+v", name, i+1, c)
		}
	}
	if len(ws.Views) != 1 {
		t.Errorf("sheet %q: %d sheet views", name, len(ws.Views))
	}
	return cells
}

// text returns the text of an inline-string cell as a spreadsheet program
// shows it, with its _xHHHH_ escapes decoded.
func text(t *testing.T, c xCell) string {
	t.Helper()
	if c.T != "inlineStr" || c.IS == nil {
		t.Fatalf("cell %s is of type %q, not text", c.R, c.T)
	}
	if c.IS.T.Space != "preserve" {
		t.Errorf("cell %s: text without xml:space=preserve", c.R)
	}
	return escapeCode.ReplaceAllStringFunc(c.IS.T.Text, func(s string) string {
		n, _ := strconv.ParseUint(s[2:6], 16, 16)
		return string(rune(n))
	})
}

var escapeCode = regexp.MustCompile(`_x[0-9A-Fa-f]{4}_`)

func write(t *testing.T, sheets ...Sheet) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, sheets...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (b *book) cell(t *testing.T, sheet, ref string) xCell {
	t.Helper()
	c, ok := b.cells[sheet][ref]
	if !ok {
		t.Fatalf("sheet %q has no cell %s", sheet, ref)
	}
	return c
}

func (b *book) number(t *testing.T, sheet, ref string) float64 {
	t.Helper()
	c := b.cell(t, sheet, ref)
	if c.T != "" && c.T != "n" || c.V == nil {
		t.Fatalf("cell %s is of type %q, not a number", ref, c.T)
	}
	f, _ := strconv.ParseFloat(*c.V, 64)
	return f
}

func TestValuesKeepTheirTypes(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	data := write(t, Sheet{
		Name:   "Deltakere",
		Header: []string{"Navn", "Alder", "Beløp", "Påmeldt", "Dato", "Tidspunkt", "Merknad"},
		Rows: [][]any{
			{"Kari Nordmann", 42, 1234.5, true, time.Date(2020, 1, 23, 0, 0, 0, 0, time.UTC), time.Date(2020, 1, 23, 18, 0, 0, 0, time.UTC), nil},
			{"Ola", int64(9007199254740993), 0.1, false, time.Date(2020, 1, 23, 0, 0, 0, 0, oslo), time.Date(2020, 1, 23, 6, 30, 15, 0, oslo), ""},
			{nil, -7, -2.5e-9, nil, time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1900, 2, 28, 12, 0, 0, 0, time.UTC), "x"},
			{"", 0, 1e300, nil, time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 1, time.UTC)},
			{nil, nil, math.Copysign(0, -1)},
		},
	})
	b := read(t, data)
	const s = "Deltakere"

	if got := text(t, b.cell(t, s, "A2")); got != "Kari Nordmann" {
		t.Errorf("A2 = %q", got)
	}
	for ref, want := range map[string]float64{
		"B2": 42, "B3": 9007199254740993, "B4": -7, "B5": 0,
		"C2": 1234.5, "C3": 0.1, "C4": -2.5e-9, "C5": 1e300,
	} {
		if got := b.number(t, s, ref); got != want {
			t.Errorf("%s = %v, want %v", ref, got, want)
		}
	}
	if v := *b.cell(t, s, "C6").V; v != "0" {
		t.Errorf("negative zero written as %q", v)
	}
	if v := *b.cell(t, s, "B3").V; v != "9007199254740993" {
		t.Errorf("int64 written as %q, want every digit", v)
	}
	for ref, want := range map[string]string{"D2": "1", "D3": "0"} {
		c := b.cell(t, s, ref)
		if c.T != "b" || *c.V != want {
			t.Errorf("%s: type %q value %q, want a boolean %s", ref, c.T, *c.V, want)
		}
	}

	// Dates: serial numbers in the 1900 system with a date format; the
	// Oslo midnight is a date by its own wall clock.
	dates := map[string]float64{
		"E2": 43853, "E3": 43853, "E4": 1, "E5": 61,
		"F2": 43853.75, "F3": 43853 + (6*3600+30*60+15)/86400.0, "F4": 59.5, "F5": 2958465 + 1e-9/86400,
	}
	for ref, want := range dates {
		if got := b.number(t, s, ref); math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", ref, got, want)
		}
		x := b.styles.XfList.Xfs[b.cell(t, s, ref).S]
		wantFmt := 14 // date
		if ref[0] == 'F' {
			wantFmt = 22 // date and time
		}
		if x.NumFmtID != wantFmt || x.Apply != 1 {
			t.Errorf("%s: number format %d (applied %d), want %d", ref, x.NumFmtID, x.Apply, wantFmt)
		}
	}
	for _, ref := range []string{"A2", "B2", "C2", "D2"} {
		if st := b.cell(t, s, ref).S; st != 0 {
			t.Errorf("%s has style %d, want the plain one", ref, st)
		}
	}

	// nil and "" are empty cells.
	for _, ref := range []string{"G2", "G3", "A4", "D4", "A5", "D5", "G5"} {
		if c, ok := b.cells[s][ref]; ok {
			t.Errorf("%s should be empty, is %+v", ref, c)
		}
	}
	if got := text(t, b.cell(t, s, "G4")); got != "x" {
		t.Errorf("G4 = %q", got)
	}
}

func TestHeaderIsBoldAndFrozen(t *testing.T) {
	b := read(t, write(t,
		Sheet{Name: "Først", Header: []string{"Navn", "", "E-post"}, Rows: [][]any{{"a", "b", "c"}}},
		Sheet{Name: "Uten overskrift", Rows: [][]any{{"a"}}},
	))
	for _, ref := range []string{"A1", "C1"} {
		c := b.cell(t, "Først", ref)
		if b.styles.FontList.Fonts[b.styles.XfList.Xfs[c.S].FontID].Bold == nil {
			t.Errorf("header cell %s is not bold", ref)
		}
	}
	if got := text(t, b.cell(t, "Først", "C1")); got != "E-post" {
		t.Errorf("C1 = %q", got)
	}
	if _, ok := b.cells["Først"]["B1"]; ok {
		t.Error("an empty header written as a cell")
	}
	if b.styles.FontList.Fonts[b.styles.XfList.Xfs[b.cell(t, "Først", "A2").S].FontID].Bold != nil {
		t.Error("a data cell is bold")
	}
	v := b.sheets["Først"].Views[0]
	if v.Pane == nil || v.Pane.YSplit != "1" || v.Pane.XSplit != "" || v.Pane.TopLeftCell != "A2" ||
		v.Pane.State != "frozen" || v.Pane.ActivePane != "bottomLeft" {
		t.Errorf("header row not frozen: %+v", v.Pane)
	}
	if v.TabSelected != "1" {
		t.Error("the first sheet is not the selected one")
	}

	other := b.sheets["Uten overskrift"]
	if other.Views[0].Pane != nil || other.Views[0].TabSelected != "" {
		t.Errorf("sheet without header: %+v", other.Views[0])
	}
	if got := text(t, b.cell(t, "Uten overskrift", "A1")); got != "a" {
		t.Errorf("without a header the rows start in row 1; A1 = %q", got)
	}
}

func TestTextIsEscapedAndNeverAFormula(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Bærum & Asker <test>", "Bærum & Asker <test>"},
		{`=HYPERLINK("http://example.com","klikk")`, `=HYPERLINK("http://example.com","klikk")`},
		{"=1+1", "=1+1"},
		{"+47 22 33 44 55", "+47 22 33 44 55"},
		{"-5", "-5"},
		{"@SUM(A1:A2)", "@SUM(A1:A2)"},
		{"0042", "0042"},
		{`"quoted" and 'single'`, `"quoted" and 'single'`},
		{"  spaces kept  ", "  spaces kept  "},
		{"line 1\r\nline 2\nline 3\ttab", "line 1\r\nline 2\nline 3\ttab"},
		{"bell\x07null\x00vt\x0bff\x0cesc\x1b", "bellnullvtffesc"},
		{"non\uFFFEchar\uFFFF", "nonchar"},
		{"bad \xff utf-8", "bad \uFFFD utf-8"},
		{"_x0041_ stays", "_x0041_ stays"},
		{"_x00e6_x_x12_", "_x00e6_x_x12_"},
		{"æøå ÆØÅ 😀 ]]> &amp;", "æøå ÆØÅ 😀 ]]> &amp;"},
	}
	var header []string
	var row []any
	for i, c := range cases {
		header = append(header, fmt.Sprintf("H%d & <b>", i))
		row = append(row, c.in)
	}
	data := write(t, Sheet{Name: "Bærum & Asker", Header: header, Rows: [][]any{row}})
	b := read(t, data)
	if b.names[0] != "Bærum & Asker" {
		t.Errorf("sheet name read back as %q", b.names[0])
	}
	if !bytes.Contains(b.parts["xl/worksheets/sheet1.xml"], []byte("Bærum &amp; Asker &lt;test&gt;")) {
		t.Error("markup characters are not escaped as entities")
	}
	for i, c := range cases {
		ref := columnName(i) + "2"
		cell := b.cell(t, "Bærum & Asker", ref)
		if got := text(t, cell); got != c.want {
			t.Errorf("%s: %q read back as %q, want %q", ref, c.in, got, c.want)
		}
		if got := text(t, b.cell(t, "Bærum & Asker", columnName(i)+"1")); got != header[i] {
			t.Errorf("header %d read back as %q", i, got)
		}
	}
}

func TestSheetsKeepTheirOrderAndContent(t *testing.T) {
	names := []string{"Deltakere", "Venteliste", "Ærlige svar (2024)"}
	var sheets []Sheet
	for i, n := range names {
		sheets = append(sheets, Sheet{Name: n, Header: []string{"Ark"}, Rows: [][]any{{n}, {i}}})
	}
	b := read(t, write(t, sheets...))
	if strings.Join(b.names, "|") != strings.Join(names, "|") {
		t.Fatalf("sheets %q, want %q", b.names, names)
	}
	for i, n := range names {
		if got := text(t, b.cell(t, n, "A2")); got != n {
			t.Errorf("sheet %q: A2 = %q", n, got)
		}
		if got := b.number(t, n, "A3"); got != float64(i) {
			t.Errorf("sheet %q: A3 = %v", n, got)
		}
		if sel := b.sheets[n].Views[0].TabSelected == "1"; sel != (i == 0) {
			t.Errorf("sheet %q selected: %v", n, sel)
		}
	}
}

func TestSheetNames(t *testing.T) {
	valid := []string{"A", strings.Repeat("æ", 31), "Påmeldte (2024)", "R&D <intern>", "It's", "Historikk", "#1 – ok!"}
	for _, name := range valid {
		if err := Write(io.Discard, Sheet{Name: name}); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
	invalid := []string{
		"", strings.Repeat("a", 32), strings.Repeat("😀", 16),
		"a:b", `a\b`, "a/b", "a?", "a*", "[a", "a]",
		"'quoted", "quoted'", "History", "history",
		"tab\there", "nul\x00", "bad \xff",
	}
	for _, name := range invalid {
		var buf bytes.Buffer
		err := Write(&buf, Sheet{Name: "Først"}, Sheet{Name: name})
		if err == nil {
			t.Errorf("%q: accepted", name)
			continue
		}
		if !strings.Contains(err.Error(), "sheet 2") {
			t.Errorf("%q: %v does not name the sheet", name, err)
		}
		if buf.Len() > 0 {
			t.Errorf("%q: %d bytes written before the error", name, buf.Len())
		}
	}
	for _, pair := range [][2]string{{"Liste", "Liste"}, {"Liste", "LISTE"}, {"Ærlig", "ærlig"}} {
		err := Write(io.Discard, Sheet{Name: pair[0]}, Sheet{Name: pair[1]})
		if err == nil || !strings.Contains(err.Error(), "sheets 1 and 2") {
			t.Errorf("%q and %q: %v", pair[0], pair[1], err)
		}
	}
	if err := Write(io.Discard); err == nil {
		t.Error("a workbook without sheets was written")
	}
}

func TestUnsupportedValues(t *testing.T) {
	cases := []struct {
		value any
		want  string
	}{
		{uint8(1), "uint8"},
		{int32(1), "int32"},
		{float32(1.5), "float32"},
		{[]byte("x"), "[]uint8"},
		{new(string), "*string"},
		{struct{}{}, "struct {}"},
		{time.Duration(5), "time.Duration"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "+Inf"},
		{math.Inf(-1), "-Inf"},
		{time.Time{}, "0001-01-01"},
		{time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC), "1899-12-31"},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "10000-01-01"},
		{strings.Repeat("a", maxCellText+1), "32768 characters"},
		{strings.Repeat("😀", maxCellText/2+1), "32768 characters"},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		err := Write(&buf, Sheet{
			Name:   "Liste",
			Header: []string{"A", "B"},
			Rows:   [][]any{{"ok", 1}, {"ok", c.value}},
		})
		if err == nil {
			t.Errorf("%T %.20v: accepted", c.value, c.value)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, `sheet "Liste"`) || !strings.Contains(msg, "row 3 column B") ||
			!strings.Contains(msg, "Rows[1][1]") || !strings.Contains(msg, c.want) {
			t.Errorf("%T: error %q does not name sheet, row, column and %q", c.value, msg, c.want)
		}
		if buf.Len() > 0 {
			t.Errorf("%T: %d bytes written before the error", c.value, buf.Len())
		}
	}
	if err := Write(io.Discard, Sheet{Name: "L", Header: []string{strings.Repeat("a", maxCellText+1)}}); err == nil ||
		!strings.Contains(err.Error(), "header column A") {
		t.Errorf("long header: %v", err)
	}
	// The longest texts allowed are written whole.
	long := strings.Repeat("ø", maxCellText)
	b := read(t, write(t, Sheet{Name: "L", Rows: [][]any{{long, strings.Repeat("😀", maxCellText/2)}}}))
	if got := text(t, b.cell(t, "L", "A1")); got != long {
		t.Errorf("a text of %d characters came back as %d", maxCellText, len([]rune(got)))
	}
}

func TestLimits(t *testing.T) {
	wide := make([]string, maxColumns)
	for i := range wide {
		wide[i] = "h"
	}
	b := read(t, write(t, Sheet{Name: "Bred", Header: wide, Rows: [][]any{make([]any, maxColumns-1), {maxColumns - 1: "last"}}}))
	if got := text(t, b.cell(t, "Bred", "XFD3")); got != "last" {
		t.Errorf("XFD3 = %q", got)
	}
	if n := len(b.sheets["Bred"].Cols); n != maxColumns {
		t.Errorf("%d column widths, want %d", n, maxColumns)
	}

	if err := Write(io.Discard, Sheet{Name: "For bred", Header: append(wide, "one more")}); err == nil ||
		!strings.Contains(err.Error(), "16385 columns") {
		t.Errorf("16,385 header columns: %v", err)
	}
	if err := Write(io.Discard, Sheet{Name: "For bred", Rows: [][]any{{1}, make([]any, maxColumns+1)}}); err == nil ||
		!strings.Contains(err.Error(), "row 2 has 16385 columns") {
		t.Errorf("16,385 columns in a row: %v", err)
	}

	rows := make([][]any, maxRows)
	rows[maxRows-1] = []any{"last"}
	b = read(t, write(t, Sheet{Name: "Lang", Rows: rows}))
	if got := text(t, b.cell(t, "Lang", "A1048576")); got != "last" {
		t.Errorf("A1048576 = %q", got)
	}
	if err := Write(io.Discard, Sheet{Name: "For lang", Header: []string{"h"}, Rows: rows}); err == nil ||
		!strings.Contains(err.Error(), "1048577 rows") {
		t.Errorf("1,048,577 rows: %v", err)
	}
}

func TestColumnWidthsFitTheContent(t *testing.T) {
	b := read(t, write(t, Sheet{
		Name:   "Bredder",
		Header: []string{"Nr", "Navn", "Kommentar", "En lang overskrift på kolonnen", "Dato"},
		Rows: [][]any{
			{1, "Kari", strings.Repeat("lang tekst ", 30), nil, time.Date(2020, 1, 23, 0, 0, 0, 0, time.UTC)},
			{2, "Bjørnstjerne Bjørnson", "kort\n" + strings.Repeat("x", 20), "kort", nil},
		},
	}))
	cols := b.sheets["Bredder"].Cols
	if len(cols) != 5 {
		t.Fatalf("%d columns", len(cols))
	}
	w := func(i int) float64 { return cols[i].Width }
	if w(0) < 8 || w(0) > 10 {
		t.Errorf("a narrow column is %v wide", w(0))
	}
	if n := float64(len([]rune("Bjørnstjerne Bjørnson"))); w(1) < n || w(1) > n+4 {
		t.Errorf("the name column is %v wide for %v characters", w(1), n)
	}
	if w(2) != 60 {
		t.Errorf("a long text column is %v wide, want the cap of 60", w(2))
	}
	if n := float64(len([]rune("En lang overskrift på kolonnen"))); w(3) < n {
		t.Errorf("the header does not fit: %v wide for %v characters", w(3), n)
	}
	if w(4) < 10 {
		t.Errorf("a date column is %v wide", w(4))
	}
}

func TestEmptySheet(t *testing.T) {
	b := read(t, write(t, Sheet{Name: "Tom"}, Sheet{Name: "Tomme rader", Rows: [][]any{nil, {nil, ""}}}))
	for _, n := range b.names {
		ws := b.sheets[n]
		if len(ws.Rows) != 0 || ws.Dimension.Ref != "A1" {
			t.Errorf("sheet %q: %d rows, dimension %q", n, len(ws.Rows), ws.Dimension.Ref)
		}
	}
	if len(b.sheets["Tom"].Cols) != 0 {
		t.Error("column widths for a sheet without columns")
	}
}

func TestOutputIsDeterministic(t *testing.T) {
	sheets := func() []Sheet {
		return []Sheet{
			{Name: "En", Header: []string{"a", "b"}, Rows: [][]any{{"x", 1.5}, {time.Date(2020, 1, 23, 0, 0, 0, 0, time.UTC), true}}},
			{Name: "To", Rows: [][]any{{"y"}}},
		}
	}
	first := write(t, sheets()...)
	second := write(t, sheets()...)
	if !bytes.Equal(first, second) {
		t.Fatal("the same sheets gave different bytes")
	}
	read(t, first) // includes the fixed time stamps
}

// The workbook is made in process; no spreadsheet program or other command
// is needed, so it works where none is installed.
func TestNeedsNoExternalProgram(t *testing.T) {
	t.Setenv("PATH", "")
	b := read(t, write(t, Sheet{Name: "Liste", Header: []string{"Navn"}, Rows: [][]any{{"Kari"}}}))
	if got := text(t, b.cell(t, "Liste", "A2")); got != "Kari" {
		t.Errorf("A2 = %q", got)
	}
}

// failingWriter accepts n bytes and then fails.
type failingWriter struct{ n int }

var errDisk = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		n := w.n
		w.n = 0
		return n, errDisk
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriteErrorsAreReturned(t *testing.T) {
	rows := benchmarkRows(2000)
	var buf bytes.Buffer
	if err := Write(&buf, Sheet{Name: "Liste", Rows: rows}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 100, buf.Len() / 2, buf.Len() - 1} {
		if err := Write(&failingWriter{n: n}, Sheet{Name: "Liste", Rows: rows}); !errors.Is(err, errDisk) {
			t.Errorf("failing after %d of %d bytes: %v", n, buf.Len(), err)
		}
	}
}

func TestColumnNames(t *testing.T) {
	for col, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := columnName(col); got != want {
			t.Errorf("column %d = %q, want %q", col, got, want)
		}
	}
}

func benchmarkRows(n int) [][]any {
	rows := make([][]any, n)
	day := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		rows[i] = []any{
			i + 1,
			fmt.Sprintf("Deltaker %d Nordmann", i),
			fmt.Sprintf("deltaker%d@kommune.no", i),
			"Bærum & Asker",
			i%3 == 0,
			day.AddDate(0, 0, i%365),
			day.Add(time.Duration(i) * time.Minute),
			float64(i) * 12.5,
			nil,
		}
	}
	return rows
}

func BenchmarkWrite10000Rows(b *testing.B) {
	sheet := Sheet{
		Name:   "Deltakere",
		Header: []string{"Nr", "Navn", "E-post", "Kommune", "Møter", "Dato", "Registrert", "Beløp", "Merknad"},
		Rows:   benchmarkRows(10000),
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, sheet); err != nil {
			b.Fatal(err)
		}
	}
}
