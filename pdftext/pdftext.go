// Package pdftext reads the text of a PDF file for the full-text search: the
// strings that content streams show (Tj, TJ, ' and "), in the order they are
// drawn, through each font's ToUnicode map, or through the font's simple
// encoding (WinAnsi, with Differences) when it has none. It finds objects by
// scanning the file for them (and in object streams), so a damaged
// cross-reference table does not stop it; it decodes FlateDecode,
// ASCIIHexDecode and ASCII85Decode streams.
//
// Every input is bounded: the file's size, the bytes inflated, the tokens
// read (an operation budget, which bounds the time taken) and the text
// returned. A file it cannot read gives an error, never a panic.
package pdftext

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits of one extraction.
const (
	MaxInput    = 32 << 20  // bytes of a file read at all
	MaxInflated = 64 << 20  // bytes all of a file's streams may inflate to
	MaxTokens   = 8_000_000 // tokens lexed (objects, content streams, CMaps)
	maxDepth    = 32        // nesting of arrays and dictionaries, page trees, forms
)

// Errors of Extract.
var (
	ErrNotPDF    = errors.New("pdftext: not a PDF file")
	ErrTooLarge  = errors.New("pdftext: the file is too large")
	ErrEncrypted = errors.New("pdftext: the file is encrypted")
	ErrBudget    = errors.New("pdftext: the file takes too much work to read")
	ErrNoPages   = errors.New("pdftext: no pages found")
)

// Extract returns the text of a PDF file, its words separated by single
// spaces, at most limit bytes of it (cut at a character boundary).
func Extract(data []byte, limit int) (string, error) {
	if len(data) > MaxInput {
		return "", ErrTooLarge
	}
	head := data[:min(len(data), 1024)]
	i := bytes.Index(head, []byte("%PDF-"))
	if i < 0 {
		return "", ErrNotPDF
	}
	if limit <= 0 {
		return "", nil
	}
	r := &reader{data: data, budget: MaxTokens, inflate: MaxInflated, limit: limit,
		cache: map[int]any{}, decoded: map[*stream][]byte{}, inStream: map[int]stmRef{}, busy: map[int]bool{}}
	if err := r.run(); err != nil && !errors.Is(err, errFull) {
		return "", err
	}
	return r.text(), nil
}

// errFull stops reading when the text has reached its limit.
var errFull = errors.New("pdftext: text limit reached")

type (
	name    string
	keyword string
	pstring []byte
	dict    map[string]any
	ref     struct{ num int }
	stream  struct {
		dict dict
		raw  []byte
	}
	stmRef struct{ stm, index int }
)

type reader struct {
	data     []byte
	offsets  map[int]int // object number → offset of "N G obj", the last one in the file
	inStream map[int]stmRef
	cache    map[int]any
	busy     map[int]bool // objects being resolved, against reference loops
	decoded  map[*stream][]byte
	budget   int
	inflate  int
	limit    int
	out      strings.Builder
	space    bool // a space is due before the next text
	err      error
}

// spend takes n from the operation budget.
func (r *reader) spend(n int) bool {
	r.budget -= n
	if r.budget < 0 {
		r.err = ErrBudget
		return false
	}
	return true
}

func (r *reader) text() string {
	return strings.TrimSpace(r.out.String())
}

// emit adds text, a space first if one is due, and stops at the limit.
func (r *reader) emit(s string) {
	for _, c := range s {
		if c == utf8.RuneError || c < ' ' || c == '\u00a0' || c == ' ' {
			r.space = true
			continue
		}
		if r.space && r.out.Len() > 0 {
			if r.out.Len()+1 > r.limit {
				r.err = errFull
				return
			}
			r.out.WriteByte(' ')
		}
		r.space = false
		if r.out.Len()+utf8.RuneLen(c) > r.limit {
			r.err = errFull
			return
		}
		r.out.WriteRune(c)
	}
}

func (r *reader) run() error {
	r.scan()
	if r.err != nil {
		return r.err
	}
	if r.encrypted() {
		return ErrEncrypted
	}
	pages := r.pages()
	if r.err != nil {
		return r.err
	}
	if len(pages) == 0 {
		return ErrNoPages
	}
	for _, p := range pages {
		res, _ := r.resolve(p["Resources"]).(dict)
		r.content(r.contents(p["Contents"]), res, 0)
		r.space = true
		if r.err != nil {
			return r.err
		}
	}
	return nil
}

// scan finds every "N G obj" in the file, then the objects of object
// streams that the file does not hold directly.
func (r *reader) scan() {
	r.offsets = map[int]int{}
	d := r.data
	for i := 0; ; {
		j := bytes.Index(d[i:], []byte("obj"))
		if j < 0 {
			break
		}
		at := i + j
		i = at + 3
		if !r.spend(1) {
			return
		}
		// Back over " G " and "N".
		k := at - 1
		for k >= 0 && isSpace(d[k]) {
			k--
		}
		ge := k + 1
		for k >= 0 && isDigit(d[k]) {
			k--
		}
		if k+1 == ge || k < 0 || !isSpace(d[k]) {
			continue
		}
		for k >= 0 && isSpace(d[k]) {
			k--
		}
		ne := k + 1
		for k >= 0 && isDigit(d[k]) {
			k--
		}
		ns := k + 1
		if ns == ne || ne-ns > 9 || (k >= 0 && !isDelim(d[k]) && !isSpace(d[k])) {
			continue
		}
		n := atoi(d[ns:ne])
		r.offsets[n] = at + 3
	}
	for n := range r.offsets {
		s, ok := r.object(n).(*stream)
		if !ok || s.dict["Type"] != name("ObjStm") {
			continue
		}
		body := r.decode(s)
		count, _ := s.dict["N"].(float64)
		l := &lexer{data: body, r: r}
		for i := 0; i < int(min(count, 100000)); i++ {
			num, ok1 := l.value(0).(float64)
			_, ok2 := l.value(0).(float64)
			if !ok1 || !ok2 || r.err != nil {
				break
			}
			if _, direct := r.offsets[int(num)]; !direct && num >= 0 && num < 1e9 {
				r.inStream[int(num)] = stmRef{n, i}
			}
		}
	}
}

// encrypted reports whether a trailer names an encryption dictionary.
func (r *reader) encrypted() bool {
	for i := 0; ; {
		j := bytes.Index(r.data[i:], []byte("trailer"))
		if j < 0 {
			break
		}
		i += j + len("trailer")
		l := &lexer{data: r.data, pos: i, r: r}
		if t, ok := l.value(0).(dict); ok && t["Encrypt"] != nil {
			return true
		}
	}
	for n := range r.offsets {
		if s, ok := r.object(n).(*stream); ok && s.dict["Type"] == name("XRef") && s.dict["Encrypt"] != nil {
			return true
		}
	}
	return false
}

// object returns object n, parsed once.
func (r *reader) object(n int) any {
	if v, ok := r.cache[n]; ok {
		return v
	}
	if r.busy[n] || r.err != nil {
		return nil
	}
	r.busy[n] = true
	defer delete(r.busy, n)
	var v any
	if off, ok := r.offsets[n]; ok {
		l := &lexer{data: r.data, pos: off, r: r}
		v = l.value(0)
		if d, ok := v.(dict); ok {
			v = r.streamAfter(l, d)
		}
	} else if at, ok := r.inStream[n]; ok {
		v = r.fromStream(at)
	}
	r.cache[n] = v
	return v
}

// streamAfter reads the stream that follows a dictionary, if there is one.
func (r *reader) streamAfter(l *lexer, d dict) any {
	p := l.pos
	for p < len(r.data) && isSpace(r.data[p]) {
		p++
	}
	if !bytes.HasPrefix(r.data[p:], []byte("stream")) {
		return d
	}
	p += len("stream")
	if p < len(r.data) && r.data[p] == '\r' {
		p++
	}
	if p < len(r.data) && r.data[p] == '\n' {
		p++
	}
	if n, ok := r.resolve(d["Length"]).(float64); ok && n >= 0 && int(n) <= len(r.data)-p {
		end := p + int(n)
		rest := bytes.TrimLeft(r.data[end:min(len(r.data), end+16)], " \r\n\t\f\x00")
		if bytes.HasPrefix(rest, []byte("endstream")) {
			return &stream{dict: d, raw: r.data[p:end]}
		}
	}
	end := bytes.Index(r.data[p:], []byte("endstream"))
	if end < 0 {
		return &stream{dict: d, raw: r.data[p:]}
	}
	return &stream{dict: d, raw: bytes.TrimRight(r.data[p:p+end], "\r\n")}
}

// fromStream reads the index'th object of an object stream.
func (r *reader) fromStream(at stmRef) any {
	s, ok := r.object(at.stm).(*stream)
	if !ok {
		return nil
	}
	body := r.decode(s)
	first, _ := s.dict["First"].(float64)
	l := &lexer{data: body, r: r}
	var off float64
	for i := 0; i <= at.index; i++ {
		l.value(0)
		o, ok := l.value(0).(float64)
		if !ok || r.err != nil {
			return nil
		}
		off = o
	}
	start := int(first + off)
	if first < 0 || off < 0 || first+off > float64(len(body)) {
		return nil
	}
	l = &lexer{data: body, pos: start, r: r}
	return l.value(0)
}

// resolve follows references.
func (r *reader) resolve(v any) any {
	for i := 0; i < maxDepth; i++ {
		x, ok := v.(ref)
		if !ok {
			return v
		}
		v = r.object(x.num)
	}
	return nil
}

// decode returns a stream's data through its filters, or nil for a filter
// it does not know (images) or data that cannot be decoded.
func (r *reader) decode(s *stream) []byte {
	if d, ok := r.decoded[s]; ok {
		return d
	}
	d := r.decodeOnce(s)
	r.decoded[s] = d
	return d
}

func (r *reader) decodeOnce(s *stream) []byte {
	var filters []any
	switch f := r.resolve(s.dict["Filter"]).(type) {
	case name:
		filters = []any{f}
	case []any:
		filters = f
	}
	data := s.raw
	for _, f := range filters {
		switch r.resolve(f) {
		case name("FlateDecode"), name("Fl"):
			data = r.inflateData(data)
		case name("ASCIIHexDecode"), name("AHx"):
			data = asciiHex(data)
		case name("ASCII85Decode"), name("A85"):
			data = ascii85(data)
		default:
			return nil
		}
		if data == nil {
			return nil
		}
	}
	return data
}

func (r *reader) inflateData(data []byte) []byte {
	if r.inflate <= 0 {
		r.err = ErrBudget
		return nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(r.inflate)+1))
	r.inflate -= len(out)
	if r.inflate < 0 {
		r.err = ErrBudget
		return nil
	}
	if err != nil && len(out) == 0 {
		return nil
	}
	return out // what inflated before a damaged end is kept
}

// pages returns the page dictionaries in the order of the page tree, each
// with the resources it inherits; without a catalog, every page object in
// the order of its number.
func (r *reader) pages() []dict {
	var out []dict
	seen := map[int]bool{}
	var walk func(v any, inherited any, depth int)
	walk = func(v any, inherited any, depth int) {
		if depth > maxDepth || r.err != nil || !r.spend(1) {
			return
		}
		if x, ok := v.(ref); ok {
			if seen[x.num] {
				return
			}
			seen[x.num] = true
		}
		d, ok := r.resolve(v).(dict)
		if !ok {
			return
		}
		res := d["Resources"]
		if res == nil {
			res = inherited
		}
		kids, isTree := r.resolve(d["Kids"]).([]any)
		if d["Type"] == name("Pages") || (isTree && d["Type"] != name("Page")) {
			for _, k := range kids {
				walk(k, res, depth+1)
			}
			return
		}
		page := dict{"Contents": d["Contents"], "Resources": res}
		out = append(out, page)
	}
	for _, n := range sortedKeys(r.offsets, r.inStream) {
		if d, ok := r.object(n).(dict); ok && d["Type"] == name("Catalog") {
			walk(d["Pages"], nil, 0)
			if len(out) > 0 {
				return out
			}
		}
	}
	for _, n := range sortedKeys(r.offsets, r.inStream) {
		if d, ok := r.object(n).(dict); ok && d["Type"] == name("Page") {
			walk(ref{n}, nil, 0)
		}
	}
	return out
}

func sortedKeys(a map[int]int, b map[int]stmRef) []int {
	max := 0
	for n := range a {
		max = maxInt(max, n)
	}
	for n := range b {
		max = maxInt(max, n)
	}
	var out []int
	if max > 4*(len(a)+len(b))+1024 {
		// Sparse numbers: sort what there is.
		for n := range a {
			out = append(out, n)
		}
		for n := range b {
			out = append(out, n)
		}
		slices.Sort(out)
		return out
	}
	for n := 0; n <= max; n++ {
		_, ok1 := a[n]
		_, ok2 := b[n]
		if ok1 || ok2 {
			out = append(out, n)
		}
	}
	return out
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// contents joins a page's content streams.
func (r *reader) contents(v any) []byte {
	var parts []any
	switch c := r.resolve(v).(type) {
	case *stream:
		parts = []any{c}
	case []any:
		parts = c
	}
	var out []byte
	for _, p := range parts {
		if s, ok := r.resolve(p).(*stream); ok {
			out = append(out, r.decode(s)...)
			out = append(out, '\n')
		}
	}
	return out
}

// FromFile returns the text of a stored file for the search, at most limit
// bytes: a PDF's text, a text file's words (white space made single
// spaces), and nothing for other types (images, office files).
func FromFile(contentType string, data []byte, limit int) (string, error) {
	switch {
	case contentType == "application/pdf":
		return Extract(data, limit)
	case strings.HasPrefix(contentType, "text/plain"):
		var b strings.Builder
		for _, w := range strings.Fields(strings.ToValidUTF8(string(data[:min(len(data), MaxInput)]), " ")) {
			if b.Len()+1+len(w) > limit {
				break
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
		return b.String(), nil
	}
	return "", nil
}
