package pdftext

import (
	"bytes"
	"math"
)

// font turns the bytes of a shown string into text.
type font struct {
	toUnicode map[string]string // code bytes → text
	spaces    []codespace       // code lengths, from the CMap
	width     int               // code length without a matching codespace: 2 for Type0, else 1
	simple    *[256]string      // a simple font's encoding, when it has no ToUnicode entry
}

type codespace struct{ lo, hi []byte }

// decode returns the text of a string shown in the font.
func (f *font) decode(s []byte) string {
	var b []byte
	for i := 0; i < len(s); {
		n := f.codeLength(s[i:])
		if n > len(s)-i {
			n = len(s) - i
		}
		code := s[i : i+n]
		i += n
		if t, ok := f.toUnicode[string(code)]; ok {
			b = append(b, t...)
		} else if f.simple != nil && n == 1 {
			b = append(b, f.simple[code[0]]...)
		}
	}
	return string(b)
}

func (f *font) codeLength(s []byte) int {
	for _, cs := range f.spaces {
		n := len(cs.lo)
		if n > len(s) {
			continue
		}
		ok := true
		for j := 0; j < n; j++ {
			if s[j] < cs.lo[j] || s[j] > cs.hi[j] {
				ok = false
				break
			}
		}
		if ok {
			return n
		}
	}
	return f.width
}

// font reads a font dictionary, once per object.
func (r *reader) font(v any, fonts map[any]*font) *font {
	key := v
	if _, ok := v.(ref); !ok {
		key = nil // a direct font dictionary is read each time it is chosen
	}
	if f, ok := fonts[key]; ok && key != nil {
		return f
	}
	f := &font{width: 1}
	d, _ := r.resolve(v).(dict)
	if d == nil {
		return f
	}
	if d["Subtype"] == name("Type0") {
		f.width = 2
	} else {
		enc := &winAnsi
		var diffs []any
		switch e := r.resolve(d["Encoding"]).(type) {
		case name:
			if e == "MacRomanEncoding" {
				enc = &macRoman
			}
		case dict:
			if r.resolve(e["BaseEncoding"]) == name("MacRomanEncoding") {
				enc = &macRoman
			}
			diffs, _ = r.resolve(e["Differences"]).([]any)
		}
		table := *enc
		code := 0
		for _, x := range diffs {
			switch x := r.resolve(x).(type) {
			case float64:
				code = int(x)
			case name:
				if code >= 0 && code < 256 {
					table[code] = glyphText(string(x))
				}
				code++
			}
		}
		f.simple = &table
	}
	if s, ok := r.resolve(d["ToUnicode"]).(*stream); ok {
		f.toUnicode, f.spaces = r.cmap(r.decode(s))
	}
	if key != nil {
		fonts[key] = f
	}
	return f
}

// cmap reads the codespace ranges and the bfchar and bfrange entries of a
// ToUnicode CMap.
func (r *reader) cmap(data []byte) (map[string]string, []codespace) {
	m := map[string]string{}
	var spaces []codespace
	l := &lexer{data: data, r: r}
	var ops []any
	for r.err == nil {
		v := l.value(0)
		if v == nil {
			break
		}
		k, ok := v.(keyword)
		if !ok {
			if len(ops) < 1024 {
				ops = append(ops, v)
			}
			continue
		}
		switch k {
		case "endcodespacerange":
			for i := 0; i+1 < len(ops); i += 2 {
				lo, ok1 := ops[i].(pstring)
				hi, ok2 := ops[i+1].(pstring)
				if ok1 && ok2 && len(lo) == len(hi) && len(lo) > 0 && len(lo) <= 4 {
					spaces = append(spaces, codespace{lo, hi})
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(ops); i += 2 {
				src, ok1 := ops[i].(pstring)
				dst, ok2 := ops[i+1].(pstring)
				if ok1 && ok2 {
					m[string(src)] = utf16be(dst)
				}
			}
		case "endbfrange":
			for i := 0; i+2 < len(ops); i += 3 {
				lo, ok1 := ops[i].(pstring)
				hi, ok2 := ops[i+1].(pstring)
				if !ok1 || !ok2 || len(lo) != len(hi) || len(lo) == 0 || len(lo) > 4 {
					continue
				}
				a, b := beUint(lo), beUint(hi)
				if b < a || b-a > 0xffff || !r.spend(int(b-a)/16+1) {
					continue
				}
				switch dst := ops[i+2].(type) {
				case pstring:
					base := []rune(utf16be(dst))
					if len(base) == 0 {
						continue
					}
					last := base[len(base)-1]
					for c := a; c <= b; c++ {
						base[len(base)-1] = last + rune(c-a)
						m[string(beBytes(c, len(lo)))] = string(base)
					}
				case []any:
					for j, x := range dst {
						if s, ok := x.(pstring); ok && a+uint32(j) <= b {
							m[string(beBytes(a+uint32(j), len(lo)))] = utf16be(s)
						}
					}
				}
			}
		}
		ops = ops[:0]
	}
	return m, spaces
}

func beUint(b []byte) uint32 {
	var v uint32
	for _, c := range b {
		v = v<<8 | uint32(c)
	}
	return v
}

func beBytes(v uint32, n int) []byte {
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = byte(v)
		v >>= 8
	}
	return b
}

// utf16be decodes UTF-16BE, surrogate pairs included; a lone surrogate is
// dropped.
func utf16be(b []byte) string {
	var out []rune
	for i := 0; i+1 < len(b); i += 2 {
		c := rune(b[i])<<8 | rune(b[i+1])
		if c >= 0xd800 && c < 0xdc00 && i+3 < len(b) {
			d := rune(b[i+2])<<8 | rune(b[i+3])
			if d >= 0xdc00 && d < 0xe000 {
				out = append(out, 0x10000+(c-0xd800)<<10+(d-0xdc00))
				i += 2
				continue
			}
		}
		if c >= 0xd800 && c < 0xe000 {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

// content runs a content stream's text operators, and those of the form
// XObjects it draws.
func (r *reader) content(data []byte, res dict, depth int) {
	if depth > 8 || len(data) == 0 {
		return
	}
	fontRes, _ := r.resolve(res["Font"]).(dict)
	xobjects, _ := r.resolve(res["XObject"]).(dict)
	fonts := map[any]*font{}
	var cur *font
	lastY := math.NaN()
	newObject := false // a text object begun, not yet placed
	moveTo := func(y float64) {
		if newObject || (!math.IsNaN(lastY) && math.Abs(y-lastY) > 0.01) {
			r.space = true
		}
		lastY, newObject = y, false
	}
	show := func(s pstring) {
		if cur != nil {
			r.emit(cur.decode(s))
		}
	}
	l := &lexer{data: data, r: r}
	var ops []any
	num := func(i int) float64 {
		if i < 0 || i >= len(ops) {
			return 0
		}
		f, _ := ops[i].(float64)
		return f
	}
	for r.err == nil {
		v := l.value(0)
		if v == nil {
			return
		}
		k, ok := v.(keyword)
		if !ok {
			if len(ops) >= 64 {
				ops = ops[1:]
			}
			ops = append(ops, v)
			continue
		}
		n := len(ops)
		switch k {
		case "Tf":
			if n >= 2 {
				if fn, ok := ops[n-2].(name); ok && fontRes != nil {
					cur = r.font(fontRes[string(fn)], fonts)
				}
			}
		case "Tj":
			if n >= 1 {
				if s, ok := ops[n-1].(pstring); ok {
					show(s)
				}
			}
		case "'", "\"":
			r.space = true
			if n >= 1 {
				if s, ok := ops[n-1].(pstring); ok {
					show(s)
				}
			}
		case "TJ":
			if n >= 1 {
				if a, ok := ops[n-1].([]any); ok {
					for _, x := range a {
						switch x := x.(type) {
						case pstring:
							show(x)
						case float64:
							if x < -250 {
								r.space = true
							}
						}
					}
				}
			}
		case "Td", "TD":
			if num(n-1) != 0 || newObject {
				r.space = true
			}
			newObject = false
			if !math.IsNaN(lastY) {
				lastY += num(n - 1)
			}
		case "Tm":
			moveTo(num(n - 1))
		case "T*":
			r.space = true
		case "BT":
			// Text objects placed apart (columns, a footer's left and
			// right) are words apart, even on one line.
			newObject = true
		case "BI":
			// An inline image: its data runs from ID to EI.
			i := bytes.Index(data[l.pos:], []byte("ID"))
			if i < 0 {
				return
			}
			l.pos += i + 2
			j := bytes.Index(data[l.pos:], []byte("EI"))
			for j >= 0 && l.pos+j+2 < len(data) && !isSpace(data[l.pos+j+2]) {
				l.pos += j + 2
				j = bytes.Index(data[l.pos:], []byte("EI"))
			}
			if j < 0 {
				return
			}
			l.pos += j + 2
		case "Do":
			if n >= 1 && xobjects != nil {
				if xn, ok := ops[n-1].(name); ok {
					if s, ok := r.resolve(xobjects[string(xn)]).(*stream); ok && s.dict["Subtype"] == name("Form") {
						sub, _ := r.resolve(s.dict["Resources"]).(dict)
						if sub == nil {
							sub = res
						}
						r.content(r.decode(s), sub, depth+1)
					}
				}
			}
		}
		ops = ops[:0]
	}
}
