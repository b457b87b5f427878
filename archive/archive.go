// Package archive reads and writes a portable archive of a whole Samråd
// instance: a zip file that holds a manifest, one JSON-lines file per table
// and the binary values of the rows as files named by their SHA-256. It knows
// nothing of SQL or of either database engine; store fills and reads it.
//
//	manifest.json          format, product and schema version, per table its
//	                       columns, row count and the SHA-256 of its file
//	tables/NAME.jsonl      one JSON object per row, every column
//	files/SHA256           the bytes of a binary value; the row holds the hash
//
// Values are typed by the column's kind: integers and reals are JSON
// numbers, text (dates and times as ISO 8601 text) a JSON string, booleans
// true or false, binary the hex SHA-256 of its file, and NULL null.
package archive

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// FormatVersion is the version of the archive layout this package writes.
// A reader refuses archives of another version.
const FormatVersion = 1

// Kind is the engine-neutral type of a column.
type Kind string

const (
	Integer Kind = "integer"
	Real    Kind = "real"
	Text    Kind = "text"
	Boolean Kind = "boolean"
	Binary  Kind = "binary"
)

func (k Kind) valid() bool {
	switch k {
	case Integer, Real, Text, Boolean, Binary:
		return true
	}
	return false
}

// Column is a column of a table.
type Column struct {
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
}

// Table describes one table file of the archive.
type Table struct {
	Name    string   `json:"name"`
	File    string   `json:"file"`
	Columns []Column `json:"columns"`
	Rows    int64    `json:"rows"`
	SHA256  string   `json:"sha256"`
}

// Manifest describes an archive.
type Manifest struct {
	Format  int       `json:"format"`
	Product string    `json:"product"`
	Schema  int       `json:"schema"`
	Created time.Time `json:"created"`
	Tables  []Table   `json:"tables"`
	// Files is the number of files under files/.
	Files int `json:"files"`
}

// Table returns the table of the name.
func (m *Manifest) Table(name string) (Table, bool) {
	for _, t := range m.Tables {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

const manifestName = "manifest.json"

func tableFile(name string) string { return "tables/" + name + ".jsonl" }
func blobFile(sum string) string   { return "files/" + sum }

// Writer writes an archive, one table after another.
type Writer struct {
	zw     *zip.Writer
	tables []Table
	blobs  map[string]bool
	open   *TableWriter
}

// NewWriter starts an archive on w. Close writes the manifest.
func NewWriter(w io.Writer) *Writer {
	return &Writer{zw: zip.NewWriter(w), blobs: map[string]bool{}}
}

// TableWriter writes the rows of one table. The lines go to a temporary
// file while the table's binary values go into the archive as they come, so
// that memory holds one row at a time; Close copies the lines in.
type TableWriter struct {
	w    *Writer
	t    Table
	tmp  *os.File
	buf  *bufio.Writer
	h    hash.Hash
	line []byte
}

// Table starts the file of a table; the previous table must be closed.
func (w *Writer) Table(name string, cols []Column) (*TableWriter, error) {
	if w.open != nil {
		return nil, fmt.Errorf("archive: table %s is still open", w.open.t.Name)
	}
	for _, c := range cols {
		if !c.Kind.valid() {
			return nil, fmt.Errorf("archive: table %s column %s: unknown kind %q", name, c.Name, c.Kind)
		}
	}
	t := Table{Name: name, File: tableFile(name), Columns: cols}
	tmp, err := os.CreateTemp("", "samrad-archive-*.jsonl")
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	tw := &TableWriter{w: w, t: t, h: h, tmp: tmp, buf: bufio.NewWriterSize(io.MultiWriter(tmp, h), 64<<10)}
	w.open = tw
	return tw, nil
}

// Row writes one row; vals are in the order of the columns and each is nil,
// int64, float64, string, bool or []byte as the column's kind says.
func (tw *TableWriter) Row(vals []any) error {
	cols := tw.t.Columns
	if len(vals) != len(cols) {
		return fmt.Errorf("archive: table %s: %d values for %d columns", tw.t.Name, len(vals), len(cols))
	}
	b := append(tw.line[:0], '{')
	for i, c := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, c.Name) // column names are ASCII identifiers
		b = append(b, ':')
		var err error
		b, err = tw.appendValue(b, c, vals[i])
		if err != nil {
			return fmt.Errorf("archive: table %s row %d column %s: %w", tw.t.Name, tw.t.Rows+1, c.Name, err)
		}
	}
	b = append(b, '}', '\n')
	tw.line = b
	tw.t.Rows++
	_, err := tw.buf.Write(b)
	return err
}

func (tw *TableWriter) appendValue(b []byte, c Column, v any) ([]byte, error) {
	if v == nil {
		return append(b, "null"...), nil
	}
	switch c.Kind {
	case Integer:
		if n, ok := v.(int64); ok {
			return strconv.AppendInt(b, n, 10), nil
		}
	case Real:
		if f, ok := v.(float64); ok {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("%v cannot be written", f)
			}
			return strconv.AppendFloat(b, f, 'g', -1, 64), nil
		}
	case Text:
		if s, ok := v.(string); ok {
			j, err := json.Marshal(s)
			return append(b, j...), err
		}
	case Boolean:
		if t, ok := v.(bool); ok {
			return strconv.AppendBool(b, t), nil
		}
	case Binary:
		if data, ok := v.([]byte); ok {
			sum := sha256.Sum256(data)
			name := hex.EncodeToString(sum[:])
			if err := tw.w.blob(name, data); err != nil {
				return nil, err
			}
			return strconv.AppendQuote(b, name), nil
		}
	}
	return nil, fmt.Errorf("a %T is not a %s value", v, c.Kind)
}

// blob writes a binary value once.
func (w *Writer) blob(name string, data []byte) error {
	if w.blobs[name] {
		return nil
	}
	f, err := w.zw.CreateHeader(&zip.FileHeader{Name: blobFile(name), Method: zip.Deflate, Modified: time.Unix(0, 0).UTC()})
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	w.blobs[name] = true
	return nil
}

// Close copies the table's lines into the archive.
func (tw *TableWriter) Close() error {
	w := tw.w
	defer func() {
		tw.tmp.Close()
		os.Remove(tw.tmp.Name())
		w.open = nil
	}()
	if err := tw.buf.Flush(); err != nil {
		return err
	}
	tw.t.SHA256 = hex.EncodeToString(tw.h.Sum(nil))
	if _, err := tw.tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	f, err := w.zw.CreateHeader(&zip.FileHeader{Name: tw.t.File, Method: zip.Deflate, Modified: time.Unix(0, 0).UTC()})
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, tw.tmp); err != nil {
		return fmt.Errorf("archive: table %s: %w", tw.t.Name, err)
	}
	w.tables = append(w.tables, tw.t)
	return nil
}

// Close writes the manifest, completed with the tables written, and ends
// the zip file. It returns the manifest.
func (w *Writer) Close(m Manifest) (Manifest, error) {
	if w.open != nil {
		return m, fmt.Errorf("archive: table %s is still open", w.open.t.Name)
	}
	m.Format = FormatVersion
	m.Tables = w.tables
	m.Files = len(w.blobs)
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	f, err := w.zw.Create(manifestName)
	if err != nil {
		return m, err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		return m, err
	}
	return m, w.zw.Close()
}

// Reader reads an archive.
type Reader struct {
	zr       *zip.Reader
	files    map[string]*zip.File
	manifest Manifest
}

// Error is a fault in an archive: the file, and the line when there is one.
type Error struct {
	File string
	Line int
	Err  error
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("archive %s line %d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("archive %s: %v", e.File, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// NewReader opens the archive in r and reads its manifest.
func NewReader(r io.ReaderAt, size int64) (*Reader, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("archive: not a zip file: %w", err)
	}
	ar := &Reader{zr: zr, files: map[string]*zip.File{}}
	for _, f := range zr.File {
		ar.files[f.Name] = f
	}
	mf, ok := ar.files[manifestName]
	if !ok {
		return nil, &Error{File: manifestName, Err: fmt.Errorf("missing")}
	}
	rc, err := mf.Open()
	if err != nil {
		return nil, &Error{File: manifestName, Err: err}
	}
	defer rc.Close()
	dec := json.NewDecoder(rc)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ar.manifest); err != nil {
		return nil, &Error{File: manifestName, Err: err}
	}
	m := &ar.manifest
	if m.Format != FormatVersion {
		return nil, &Error{File: manifestName, Err: fmt.Errorf("format version %d; this version of Samråd reads version %d", m.Format, FormatVersion)}
	}
	seen := map[string]bool{}
	for _, t := range m.Tables {
		if t.File != tableFile(t.Name) || seen[t.Name] {
			return nil, &Error{File: manifestName, Err: fmt.Errorf("table %q: bad or repeated entry", t.Name)}
		}
		seen[t.Name] = true
		for _, c := range t.Columns {
			if !c.Kind.valid() {
				return nil, &Error{File: manifestName, Err: fmt.Errorf("table %s column %s: unknown kind %q", t.Name, c.Name, c.Kind)}
			}
		}
		if _, ok := ar.files[t.File]; !ok {
			return nil, &Error{File: t.File, Err: fmt.Errorf("missing")}
		}
	}
	return ar, nil
}

// Manifest returns the archive's manifest.
func (ar *Reader) Manifest() Manifest { return ar.manifest }

// Verify checks every table file against the manifest's SHA-256 and row
// count, and every file under files/ against its name, before anything is
// read from them.
func (ar *Reader) Verify() error {
	for _, t := range ar.manifest.Tables {
		rc, err := ar.files[t.File].Open()
		if err != nil {
			return &Error{File: t.File, Err: err}
		}
		h := sha256.New()
		lines, err := countLines(io.TeeReader(rc, h))
		rc.Close()
		if err != nil {
			return &Error{File: t.File, Err: err}
		}
		if sum := hex.EncodeToString(h.Sum(nil)); sum != t.SHA256 {
			return &Error{File: t.File, Err: fmt.Errorf("SHA-256 is %s, the manifest says %s", sum, t.SHA256)}
		}
		if lines != t.Rows {
			return &Error{File: t.File, Err: fmt.Errorf("%d rows, the manifest says %d", lines, t.Rows)}
		}
	}
	n := 0
	for name := range ar.files {
		sum, ok := strings.CutPrefix(name, "files/")
		if !ok {
			continue
		}
		n++
		if _, err := ar.blob(sum); err != nil {
			return err
		}
	}
	if n != ar.manifest.Files {
		return &Error{File: "files/", Err: fmt.Errorf("%d files, the manifest says %d", n, ar.manifest.Files)}
	}
	return nil
}

func countLines(r io.Reader) (int64, error) {
	var n int64
	buf := make([]byte, 64<<10)
	for {
		k, err := r.Read(buf)
		n += int64(bytes.Count(buf[:k], []byte{'\n'}))
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// blob reads a file of files/ and checks that its SHA-256 is its name.
func (ar *Reader) blob(sum string) ([]byte, error) {
	name := blobFile(sum)
	f, ok := ar.files[name]
	if !ok {
		return nil, &Error{File: name, Err: fmt.Errorf("missing")}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	h := sha256.Sum256(data)
	if got := hex.EncodeToString(h[:]); got != sum {
		return nil, &Error{File: name, Err: fmt.Errorf("content has SHA-256 %s", got)}
	}
	return data, nil
}

// Rows calls fn with every row of the table, in the order of the file.
// Values are in the order of cols (the target's columns, which must be the
// archive's, in any order) and each is nil, int64, float64, string, bool or
// []byte, the bytes of a binary value read from its file and checked.
func (ar *Reader) Rows(table string, cols []string, fn func(line int, vals []any) error) error {
	t, ok := ar.manifest.Table(table)
	if !ok {
		return &Error{File: tableFile(table), Err: fmt.Errorf("not in the archive")}
	}
	kinds := map[string]Kind{}
	for _, c := range t.Columns {
		kinds[c.Name] = c.Kind
	}
	if len(cols) != len(t.Columns) {
		return &Error{File: t.File, Err: fmt.Errorf("the archive has columns %s, the database %s", columnNames(t.Columns), strings.Join(cols, ", "))}
	}
	for _, c := range cols {
		if _, ok := kinds[c]; !ok {
			return &Error{File: t.File, Err: fmt.Errorf("the archive has columns %s, the database %s", columnNames(t.Columns), strings.Join(cols, ", "))}
		}
	}
	rc, err := ar.files[t.File].Open()
	if err != nil {
		return &Error{File: t.File, Err: err}
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 64<<10), 256<<20)
	line := 0
	vals := make([]any, len(cols))
	for sc.Scan() {
		line++
		var raw map[string]json.RawMessage
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		if err := dec.Decode(&raw); err != nil {
			return &Error{File: t.File, Line: line, Err: err}
		}
		if len(raw) != len(cols) {
			return &Error{File: t.File, Line: line, Err: fmt.Errorf("%d values for %d columns", len(raw), len(cols))}
		}
		for i, c := range cols {
			r, ok := raw[c]
			if !ok {
				return &Error{File: t.File, Line: line, Err: fmt.Errorf("column %s is missing", c)}
			}
			v, err := ar.value(kinds[c], r)
			if err != nil {
				return &Error{File: t.File, Line: line, Err: fmt.Errorf("column %s: %w", c, err)}
			}
			vals[i] = v
		}
		if err := fn(line, vals); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return &Error{File: t.File, Line: line + 1, Err: err}
	}
	return nil
}

func columnNames(cols []Column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

func (ar *Reader) value(k Kind, raw json.RawMessage) (any, error) {
	s := string(raw)
	if s == "null" {
		return nil, nil
	}
	switch k {
	case Integer:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s is not an integer", s)
		}
		return n, nil
	case Real:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || strings.HasPrefix(s, "\"") {
			return nil, fmt.Errorf("%s is not a number", s)
		}
		return f, nil
	case Boolean:
		switch s {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("%s is not true or false", s)
	case Text:
		var str string
		if err := json.Unmarshal(raw, &str); err != nil {
			return nil, fmt.Errorf("%s is not a string", s)
		}
		return str, nil
	case Binary:
		var sum string
		if err := json.Unmarshal(raw, &sum); err != nil || len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
			return nil, fmt.Errorf("%s is not the SHA-256 of a file", s)
		}
		return ar.blob(sum)
	}
	return nil, fmt.Errorf("unknown kind %q", k)
}
