package ssb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"strings"
)

// MaxCells caps the number of cells in a JSON-stat dataset (the product of
// "size"). A bigger document is refused with a ParseError before its values
// are stored.
const MaxCells = 10_000_000

// maxJSONBytes caps the size of a JSON document.
const maxJSONBytes = 512 << 20

// Cube is a decoded JSON-stat 2.0 dataset. It is generic: any SSB table
// decodes into one.
type Cube struct {
	Label, Source, Updated string
	TableID                string   // extension.px.tableid when present
	IDs                    []string // dimension ids in order
	Sizes                  []int    // number of categories per dimension, same order as IDs
	Dims                   map[string]*Dimension
	Roles                  map[string][]string // "geo", "time", "metric" → dimension ids
	Values                 []Cell              // len == product of Sizes, row-major: the last id varies fastest
}

// Dimension is one dimension of a cube with its categories in index order.
type Dimension struct {
	ID, Label string
	Codes     []string          // category codes in index order
	Labels    map[string]string // code → label; the code itself when the input has no label
	Units     map[string]Unit   // code → unit, for metric categories that declare one
	pos       map[string]int
}

// Unit describes the unit of a metric category.
type Unit struct {
	Base     string
	Decimals int
}

// Cell is one value of a cube. Present is false for null or absent cells.
// Status is the SSB symbol given for the cell, if any: ".." missing data,
// "." cannot occur, ":" confidential, "-" zero.
type Cell struct {
	Value   float64
	Present bool
	Status  string
}

// DecodeJSONStat decodes a JSON-stat 2.0 dataset (the json-stat2 output of
// SSB's PxWebApi v2 and v0), or a JSON-stat 1.x response that wraps the
// dataset in {"dataset": {…}} and keeps id, size and role inside
// "dimension". file names the input in errors, which are *ParseError.
//
// category.index may be an object or an array; value may be an array or a
// sparse object keyed by position; status may be an object keyed by
// position, an array, or one string for every cell.
func DecodeJSONStat(r io.Reader, file string) (*Cube, error) {
	data, err := readAllLimit(r, maxJSONBytes, file)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte(utf8BOM))
	d := &jsonStatReader{data: data, file: file, dec: json.NewDecoder(bytes.NewReader(data))}
	d.dec.UseNumber()
	raw, err := d.document()
	if err != nil {
		return nil, err
	}
	return raw.cube(file)
}

// readAllLimit reads r to the end, refusing more than limit bytes.
func readAllLimit(r io.Reader, limit int64, file string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if int64(len(data)) > limit {
		return nil, errorf(file, 0, "", "the file is larger than %d MiB", limit>>20)
	}
	return data, nil
}

type jsonStatReader struct {
	data []byte
	file string
	dec  *json.Decoder
}

// rawDataset collects the members of a dataset object as they come; the
// order of members in a JSON object is not fixed.
type rawDataset struct {
	class, label, source, updated string
	hasClass                      bool
	id                            []string
	size                          []int
	role                          map[string][]string
	dims                          map[string]json.RawMessage
	extension                     json.RawMessage

	hasValue  bool
	values    []Cell      // array form
	sparse    []sparseVal // object form
	isSparse  bool
	statusAll *string     // one status for every cell
	statusArr []string    // array form ("" for null)
	statusMap []sparseVal // object form; only Status is set
	wrapped   *rawDataset // "dataset" of a 1.x response
}

type sparseVal struct {
	pos  int
	key  string
	cell Cell
}

// syntaxError turns an error of the JSON decoder into a ParseError with the
// line where the input went wrong.
func (d *jsonStatReader) syntaxError(err error, field string) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return errorf(d.file, lineAt(d.data, se.Offset), jsonField(field), "not valid JSON: %v", se)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		if len(bytes.TrimSpace(d.data)) == 0 {
			return errorf(d.file, 0, "", "the file is empty")
		}
		return errorf(d.file, lineAt(d.data, int64(len(d.data))), jsonField(field), "the JSON document ends too early")
	}
	return errorf(d.file, 0, jsonField(field), "%v", err)
}

// withArticle puts "a" or "an" before the name of a JSON type.
func withArticle(name string) string {
	if name != "" && strings.ContainsRune("aeiou", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}

func goTypeName(t string) string {
	switch {
	case t == "string":
		return "a string"
	case t == "int":
		return "a whole number"
	case strings.HasPrefix(t, "[]"):
		return "an array of " + strings.TrimPrefix(goTypeName(t[2:]), "a ") + "s"
	case strings.HasPrefix(t, "map["):
		return "an object"
	}
	return "another type (" + t + ")"
}

func (d *jsonStatReader) token(field string) (json.Token, error) {
	t, err := d.dec.Token()
	if err != nil {
		return nil, d.syntaxError(err, field)
	}
	return t, nil
}

func (d *jsonStatReader) decode(field string, v any) error {
	start := d.dec.InputOffset()
	if err := d.dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			// The offset of a type error is not the place in the input.
			return errorf(d.file, lineAt(d.data, start), jsonField(field), "has %s where %s was expected", withArticle(te.Value), goTypeName(te.Type.String()))
		}
		return d.syntaxError(err, field)
	}
	return nil
}

// document reads the whole input: one JSON object and nothing after it.
func (d *jsonStatReader) document() (*rawDataset, error) {
	t, err := d.token("")
	if err != nil {
		return nil, err
	}
	if t != json.Delim('{') {
		return nil, errorf(d.file, lineAt(d.data, d.dec.InputOffset()), "", "not a JSON-stat dataset: the document is %s, not an object", describeToken(t))
	}
	raw, err := d.datasetBody("", true)
	if err != nil {
		return nil, err
	}
	if _, err := d.dec.Token(); err != io.EOF {
		return nil, errorf(d.file, lineAt(d.data, d.dec.InputOffset()), "", "data after the end of the JSON document")
	}
	return raw, nil
}

func describeToken(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return "an object"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "a value"
}

// datasetBody reads the members of a dataset object whose '{' has been
// read. prefix is "dataset." inside a 1.x wrapper.
func (d *jsonStatReader) datasetBody(prefix string, top bool) (*rawDataset, error) {
	raw := &rawDataset{}
	for d.dec.More() {
		t, err := d.token(prefix)
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		field := prefix + key
		switch key {
		case "class":
			raw.hasClass = true
			err = d.decode(field, &raw.class)
		case "label":
			err = d.decode(field, &raw.label)
		case "source":
			err = d.decode(field, &raw.source)
		case "updated":
			err = d.decode(field, &raw.updated)
		case "id":
			err = d.decode(field, &raw.id)
		case "size":
			err = d.decode(field, &raw.size)
		case "role":
			err = d.decode(field, &raw.role)
		case "dimension":
			err = d.decode(field, &raw.dims)
		case "extension":
			err = d.decode(field, &raw.extension)
		case "value":
			err = d.values(raw, field)
		case "status":
			err = d.status(raw, field)
		case "dataset":
			if !top {
				err = d.skip(field)
				break
			}
			t, err = d.token(field)
			if err != nil {
				break
			}
			if t != json.Delim('{') {
				return nil, fieldError(d.file, field, "is %s, not an object", describeToken(t))
			}
			raw.wrapped, err = d.datasetBody(field+".", false)
		default:
			err = d.skip(field)
		}
		if err != nil {
			return nil, err
		}
	}
	if _, err := d.token(prefix); err != nil { // the closing '}'
		return nil, err
	}
	return raw, nil
}

func (d *jsonStatReader) skip(field string) error {
	var v json.RawMessage
	return d.decode(field, &v)
}

// values reads "value": an array with one entry per cell, or an object
// keyed by cell position.
func (d *jsonStatReader) values(raw *rawDataset, field string) error {
	raw.hasValue = true
	raw.values, raw.sparse, raw.isSparse = nil, nil, false
	// The usual form, an array of numbers and nulls, is read in one piece:
	// the decoder checks the syntax, and a plain scan of the checked bytes
	// is much faster than one token at a time.
	start := d.dec.InputOffset()
	for start < int64(len(d.data)) && (isJSONSpace(d.data[start]) || d.data[start] == ':') {
		start++
	}
	if start < int64(len(d.data)) && d.data[start] == '[' {
		var arr json.RawMessage
		if err := d.decode(field, &arr); err != nil {
			return err
		}
		vals, bad, err := scanValueArray(arr)
		if err != nil {
			return errorf(d.file, lineAt(d.data, start+int64(bad)), jsonField(field), "%v", err)
		}
		raw.values = vals
		return nil
	}
	t, err := d.token(field)
	if err != nil {
		return err
	}
	switch t {
	case json.Delim('{'):
		raw.isSparse = true
		for d.dec.More() {
			if len(raw.sparse) >= MaxCells {
				return fieldError(d.file, field, "more than %d cells", MaxCells)
			}
			t, err := d.token(field)
			if err != nil {
				return err
			}
			key, _ := t.(string)
			pos, ok := positionKey(key)
			t, err = d.token(field)
			if err != nil {
				return err
			}
			if !ok {
				return errorf(d.file, lineAt(d.data, d.dec.InputOffset()), jsonField(field), "key %q is not a cell position", key)
			}
			c, err := cellOf(t)
			if err != nil {
				return errorf(d.file, lineAt(d.data, d.dec.InputOffset()), jsonField(field), "cell %q: %v", key, err)
			}
			raw.sparse = append(raw.sparse, sparseVal{pos: pos, key: key, cell: c})
		}
	case nil:
		raw.hasValue = false
		return nil
	default:
		return fieldError(d.file, field, "is %s, not an array or an object", describeToken(t))
	}
	_, err = d.token(field) // ']' or '}'
	return err
}

func isJSONSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// scanValueArray reads a JSON array of numbers and nulls that the decoder
// has already found to be valid JSON. On error it returns the offset of
// the bad element.
func scanValueArray(b []byte) ([]Cell, int, error) {
	n := 0 // a first guess of the number of cells, to allocate once
	for _, c := range b {
		if c == ',' {
			n++
		}
	}
	if n >= MaxCells {
		return nil, 0, fmt.Errorf("more than %d cells", MaxCells)
	}
	cells := make([]Cell, 0, n+1)
	i := 1 // after '['
	for {
		for i < len(b) && (isJSONSpace(b[i]) || b[i] == ',') {
			i++
		}
		if i >= len(b) || b[i] == ']' {
			return cells, 0, nil
		}
		if len(cells) >= MaxCells {
			return nil, i, fmt.Errorf("more than %d cells", MaxCells)
		}
		start := i
		switch c := b[i]; {
		case c == 'n': // null
			cells = append(cells, Cell{})
			i += len("null")
		case c == '-' || (c >= '0' && c <= '9'):
			i++
			for i < len(b) && (b[i] >= '0' && b[i] <= '9' || b[i] == '.' || b[i] == 'e' || b[i] == 'E' || b[i] == '+' || b[i] == '-') {
				i++
			}
			v, ok := wholeNumber(b[start:i])
			if !ok {
				f, err := strconv.ParseFloat(string(b[start:i]), 64)
				if err != nil {
					return nil, start, fmt.Errorf("cell %d: %s is out of range", len(cells), b[start:i])
				}
				v = f
			}
			cells = append(cells, Cell{Value: v, Present: true})
		default:
			// A string, a boolean, an array or an object: let the decoder
			// read it for the message.
			dec := json.NewDecoder(bytes.NewReader(b[start:]))
			dec.UseNumber()
			t, err := dec.Token()
			if err != nil {
				return nil, start, fmt.Errorf("cell %d: %v", len(cells), err)
			}
			_, err = cellOf(t)
			return nil, start, fmt.Errorf("cell %d: %v", len(cells), err)
		}
	}
}

// wholeNumber reads plain digits quickly; anything else is left to
// strconv.ParseFloat.
func wholeNumber(b []byte) (float64, bool) {
	if len(b) == 0 || len(b) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return float64(n), true
}

// positionKey reads a key of a sparse value or status object.
func positionKey(key string) (int, bool) {
	if key == "" || len(key) > 10 {
		return 0, false
	}
	for i := 0; i < len(key); i++ {
		if key[i] < '0' || key[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(key)
	return n, err == nil
}

func cellOf(t json.Token) (Cell, error) {
	switch v := t.(type) {
	case nil:
		return Cell{}, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return Cell{}, fmt.Errorf("%s is out of range", v)
		}
		return Cell{Value: f, Present: true}, nil
	case string:
		return Cell{}, fmt.Errorf("%q is not a number", v)
	case bool:
		return Cell{}, fmt.Errorf("%v is not a number", v)
	}
	return Cell{}, fmt.Errorf("%s is not a number", describeToken(t))
}

// status reads "status": one string for all cells, an array, or an object
// keyed by cell position.
func (d *jsonStatReader) status(raw *rawDataset, field string) error {
	raw.statusAll, raw.statusArr, raw.statusMap = nil, nil, nil
	t, err := d.token(field)
	if err != nil {
		return err
	}
	statusOf := func(t json.Token) (string, error) {
		switch v := t.(type) {
		case nil:
			return "", nil
		case string:
			return v, nil
		}
		return "", errorf(d.file, lineAt(d.data, d.dec.InputOffset()), jsonField(field), "%s is not a status string", describeToken(t))
	}
	switch t {
	case nil:
		return nil
	case json.Delim('['):
		for d.dec.More() {
			if len(raw.statusArr) >= MaxCells {
				return fieldError(d.file, field, "more than %d cells", MaxCells)
			}
			t, err := d.token(field)
			if err != nil {
				return err
			}
			s, err := statusOf(t)
			if err != nil {
				return err
			}
			raw.statusArr = append(raw.statusArr, s)
		}
	case json.Delim('{'):
		raw.statusMap = []sparseVal{}
		for d.dec.More() {
			if len(raw.statusMap) >= MaxCells {
				return fieldError(d.file, field, "more than %d cells", MaxCells)
			}
			t, err := d.token(field)
			if err != nil {
				return err
			}
			key, _ := t.(string)
			pos, ok := positionKey(key)
			if t, err = d.token(field); err != nil {
				return err
			}
			if !ok {
				return errorf(d.file, lineAt(d.data, d.dec.InputOffset()), jsonField(field), "key %q is not a cell position", key)
			}
			s, err := statusOf(t)
			if err != nil {
				return err
			}
			raw.statusMap = append(raw.statusMap, sparseVal{pos: pos, key: key, cell: Cell{Status: s}})
		}
	default:
		if s, ok := t.(string); ok {
			raw.statusAll = &s
			return nil
		}
		return fieldError(d.file, field, "is %s, not a string, an array or an object", describeToken(t))
	}
	_, err = d.token(field)
	return err
}

// cube checks the collected members and builds the Cube.
func (raw *rawDataset) cube(file string) (*Cube, error) {
	prefix := ""
	if raw.wrapped != nil && !raw.hasClass {
		// JSON-stat 1.x: {"dataset": {…}}, with id, size and role inside "dimension".
		prefix = "dataset."
		raw = raw.wrapped
		if err := raw.unwrapV1(file, prefix); err != nil {
			return nil, err
		}
		if !raw.hasClass {
			raw.class = "dataset"
		}
	} else if !raw.hasClass {
		if raw.id == nil && raw.dims == nil {
			return nil, errorf(file, 0, "", `not a JSON-stat dataset: no "class", "id" or "dimension" (expected JSON-stat 2.0, or 1.x wrapped in "dataset")`)
		}
		return nil, fieldError(file, "class", `missing; a JSON-stat 2.0 dataset has "class": "dataset"`)
	}
	if raw.class != "dataset" {
		return nil, fieldError(file, prefix+"class", "%q is not \"dataset\" (ask SSB for the data of one table)", raw.class)
	}
	idField, sizeField := prefix+"id", prefix+"size"
	if prefix != "" {
		idField, sizeField = prefix+"dimension.id", prefix+"dimension.size"
	}
	if len(raw.id) == 0 {
		return nil, fieldError(file, idField, "missing or empty")
	}
	if len(raw.id) != len(raw.size) {
		return nil, fieldError(file, sizeField, "%d dimensions in \"id\" but %d sizes", len(raw.id), len(raw.size))
	}
	total := 1
	for i, n := range raw.size {
		if n < 0 {
			return nil, fieldError(file, sizeField, "size %d of %q is negative", n, raw.id[i])
		}
		if hi, lo := bits.Mul64(uint64(total), uint64(n)); hi != 0 || lo > MaxCells {
			return nil, fieldError(file, sizeField, "%v is more than the limit of %d cells; ask for fewer regions, years or groups", raw.size, MaxCells)
		}
		total *= n
	}
	c := &Cube{
		Label: raw.label, Source: raw.source, Updated: raw.updated,
		IDs: raw.id, Sizes: raw.size, Dims: make(map[string]*Dimension, len(raw.id)),
		Roles: raw.role,
	}
	if c.Roles == nil {
		c.Roles = map[string][]string{}
	}
	if len(raw.extension) > 0 {
		var ext struct {
			PX struct {
				TableID json.RawMessage `json:"tableid"`
			} `json:"px"`
		}
		if json.Unmarshal(raw.extension, &ext) == nil {
			var s string
			if json.Unmarshal(ext.PX.TableID, &s) == nil {
				c.TableID = s
			} else if n := strings.TrimSpace(string(ext.PX.TableID)); n != "" && n != "null" {
				c.TableID = n // a number
			}
		}
	}
	for i, id := range raw.id {
		if _, dup := c.Dims[id]; dup {
			return nil, fieldError(file, idField, "dimension %q appears twice", id)
		}
		rd, ok := raw.dims[id]
		if !ok {
			return nil, fieldError(file, idField, "unknown dimension %q: it is not in \"dimension\"", id)
		}
		field := prefix + "dimension." + id
		dim, err := decodeDimension(id, rd, file, field)
		if err != nil {
			return nil, err
		}
		if len(dim.Codes) != raw.size[i] {
			return nil, fieldError(file, field, "%d categories but size %d", len(dim.Codes), raw.size[i])
		}
		c.Dims[id] = dim
	}
	valueField, statusField := prefix+"value", prefix+"status"
	switch {
	case !raw.hasValue:
		return nil, fieldError(file, valueField, "missing")
	case raw.isSparse:
		c.Values = make([]Cell, total)
		for _, v := range raw.sparse {
			if v.pos >= total {
				return nil, fieldError(file, valueField, "key %q is out of range: size says %d cells", v.key, total)
			}
			c.Values[v.pos] = v.cell
		}
	default:
		if len(raw.values) != total {
			return nil, fieldError(file, valueField, "size says %d cells but value has %d", total, len(raw.values))
		}
		c.Values = raw.values
		if c.Values == nil {
			c.Values = []Cell{}
		}
	}
	switch {
	case raw.statusAll != nil:
		for i := range c.Values {
			c.Values[i].Status = *raw.statusAll
		}
	case raw.statusArr != nil:
		switch len(raw.statusArr) {
		case total:
			for i, s := range raw.statusArr {
				c.Values[i].Status = s
			}
		case 1: // one status for every cell
			for i := range c.Values {
				c.Values[i].Status = raw.statusArr[0]
			}
		default:
			return nil, fieldError(file, statusField, "size says %d cells but status has %d", total, len(raw.statusArr))
		}
	case raw.statusMap != nil:
		for _, v := range raw.statusMap {
			if v.pos >= total {
				return nil, fieldError(file, statusField, "key %q is out of range: size says %d cells", v.key, total)
			}
			c.Values[v.pos].Status = v.cell.Status
		}
	}
	return c, nil
}

// unwrapV1 moves id, size and role of a 1.x dataset out of "dimension".
func (raw *rawDataset) unwrapV1(file, prefix string) error {
	for _, m := range []struct {
		key string
		v   any
		set bool
	}{
		{"id", &raw.id, raw.id != nil},
		{"size", &raw.size, raw.size != nil},
		{"role", &raw.role, raw.role != nil},
	} {
		v, ok := raw.dims[m.key]
		if !ok {
			continue
		}
		delete(raw.dims, m.key)
		if m.set {
			continue // given beside "dimension" as well; that one wins
		}
		if err := json.Unmarshal(v, m.v); err != nil {
			return fieldError(file, prefix+"dimension."+m.key, "%v", jsonTypeMessage(err))
		}
	}
	return nil
}

func jsonTypeMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("has %s where %s was expected", withArticle(te.Value), goTypeName(te.Type.String()))
	}
	return err.Error()
}

type rawDimension struct {
	Label    string `json:"label"`
	Category *struct {
		Index json.RawMessage            `json:"index"`
		Label map[string]string          `json:"label"`
		Unit  map[string]json.RawMessage `json:"unit"`
	} `json:"category"`
}

func decodeDimension(id string, raw json.RawMessage, file, field string) (*Dimension, error) {
	var rd rawDimension
	if err := json.Unmarshal(raw, &rd); err != nil {
		return nil, fieldError(file, field, "%s", jsonTypeMessage(err))
	}
	if rd.Category == nil {
		return nil, fieldError(file, field, "no \"category\"")
	}
	cat := rd.Category
	d := &Dimension{ID: id, Label: rd.Label, Labels: map[string]string{}, Units: map[string]Unit{}}
	if d.Label == "" {
		d.Label = id
	}
	idx := bytes.TrimSpace(cat.Index)
	indexField := field + ".category.index"
	switch {
	case len(idx) == 0 || string(idx) == "null":
		// A dimension with one category may leave out the index; the code
		// is then the only key of the labels.
		if len(cat.Label) != 1 {
			return nil, fieldError(file, indexField, "missing")
		}
		for code := range cat.Label {
			d.Codes = []string{code}
		}
	case idx[0] == '[':
		if err := json.Unmarshal(idx, &d.Codes); err != nil {
			return nil, fieldError(file, indexField, "%s", jsonTypeMessage(err))
		}
	case idx[0] == '{':
		var m map[string]int
		if err := json.Unmarshal(idx, &m); err != nil {
			return nil, fieldError(file, indexField, "%s", jsonTypeMessage(err))
		}
		d.Codes = make([]string, len(m))
		used := make([]bool, len(m))
		for code, p := range m {
			if p < 0 || p >= len(m) || used[p] {
				return nil, fieldError(file, indexField, "position %d of %q is out of range or used twice", p, code)
			}
			d.Codes[p], used[p] = code, true
		}
	default:
		return nil, fieldError(file, indexField, "is neither an object nor an array")
	}
	d.pos = make(map[string]int, len(d.Codes))
	for i, code := range d.Codes {
		if _, dup := d.pos[code]; dup {
			return nil, fieldError(file, indexField, "category %q appears twice", code)
		}
		d.pos[code] = i
		if l := cat.Label[code]; l != "" {
			d.Labels[code] = l
		} else {
			d.Labels[code] = code
		}
	}
	for code, u := range cat.Unit {
		var unit struct {
			Base     string `json:"base"`
			Decimals int    `json:"decimals"`
		}
		if json.Unmarshal(u, &unit) == nil {
			d.Units[code] = Unit{Base: unit.Base, Decimals: unit.Decimals}
		}
	}
	return d, nil
}

// Index returns the position in Values of the cell that has the given code
// in every dimension. It reports false when a dimension has no code in
// coords or the code is not one of its categories. Keys of coords that are
// not dimensions of the cube are ignored.
func (c *Cube) Index(coords map[string]string) (int, bool) {
	if len(c.IDs) != len(c.Sizes) {
		return 0, false
	}
	pos := 0
	for i, id := range c.IDs {
		d := c.Dims[id]
		code, ok := coords[id]
		if d == nil || !ok {
			return 0, false
		}
		p, ok := d.position(code)
		if !ok || p >= c.Sizes[i] {
			return 0, false
		}
		pos = pos*c.Sizes[i] + p
	}
	if pos >= len(c.Values) {
		return 0, false
	}
	return pos, true
}

// position finds a code; it also works for a Dimension built by hand.
func (d *Dimension) position(code string) (int, bool) {
	if d.pos != nil {
		p, ok := d.pos[code]
		return p, ok
	}
	for i, c := range d.Codes {
		if c == code {
			return i, true
		}
	}
	return 0, false
}
