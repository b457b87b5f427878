package pdftext

import (
	"bytes"
	"strconv"
)

// lexer reads PDF objects and content-stream operators from data. Every
// token is paid for from the reader's budget; at its end, or at the end of
// the data, value returns nil.
type lexer struct {
	data []byte
	pos  int
	r    *reader
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '%'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

// skip passes white space and comments.
func (l *lexer) skip() {
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		if isSpace(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(l.data) && l.data[l.pos] != '\n' && l.data[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		return
	}
}

// closer marks the end of an array or dictionary.
type closer byte

// value reads one object: a number, name, string, array, dictionary,
// reference ("N G R"), boolean, null, or a keyword (an operator).
func (l *lexer) value(depth int) any {
	l.skip()
	if l.pos >= len(l.data) || !l.r.spend(1) {
		return nil
	}
	if depth > maxDepth {
		l.pos = len(l.data)
		return nil
	}
	c := l.data[l.pos]
	switch {
	case c == '/':
		l.pos++
		return name(l.nameText())
	case c == '(':
		l.pos++
		return l.literal()
	case c == '<' && l.pos+1 < len(l.data) && l.data[l.pos+1] == '<':
		l.pos += 2
		d := dict{}
		for {
			k := l.value(depth + 1)
			if k == nil {
				return d
			}
			if k == closer('>') {
				return d
			}
			key, ok := k.(name)
			if !ok {
				continue
			}
			v := l.value(depth + 1)
			if v == closer('>') || v == nil {
				return d
			}
			if _, isCloser := v.(closer); !isCloser {
				d[string(key)] = v
			}
		}
	case c == '<':
		l.pos++
		return l.hex()
	case c == '>':
		l.pos++
		if l.pos < len(l.data) && l.data[l.pos] == '>' {
			l.pos++
		}
		return closer('>')
	case c == '[':
		l.pos++
		var a []any
		for {
			v := l.value(depth + 1)
			if v == nil || v == closer(']') {
				if a == nil {
					a = []any{}
				}
				return a
			}
			if _, isCloser := v.(closer); !isCloser {
				a = append(a, v)
			}
		}
	case c == ']':
		l.pos++
		return closer(']')
	case c == '{' || c == '}' || c == ')':
		l.pos++
		return closer(c)
	case isDigit(c) || c == '-' || c == '+' || c == '.':
		return l.number()
	}
	start := l.pos
	for l.pos < len(l.data) && !isSpace(l.data[l.pos]) && !isDelim(l.data[l.pos]) {
		l.pos++
	}
	if l.pos == start {
		l.pos++
		return closer(c)
	}
	switch w := string(l.data[start:l.pos]); w {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return closer(0) // kept out of arrays and dictionaries
	default:
		return keyword(w)
	}
}

// number reads a number, or a reference when "G R" follows an integer.
func (l *lexer) number() any {
	start := l.pos
	l.pos++
	for l.pos < len(l.data) && (isDigit(l.data[l.pos]) || l.data[l.pos] == '.') {
		l.pos++
	}
	f, err := strconv.ParseFloat(string(l.data[start:l.pos]), 64)
	if err != nil {
		f = 0
	}
	if bytes.ContainsAny(l.data[start:l.pos], ".-+") {
		return f
	}
	// Look ahead for "G R".
	save := l.pos
	l.skip()
	gs := l.pos
	for l.pos < len(l.data) && isDigit(l.data[l.pos]) {
		l.pos++
	}
	if l.pos > gs && l.pos-gs < 6 {
		l.skip()
		if l.pos < len(l.data) && l.data[l.pos] == 'R' && (l.pos+1 == len(l.data) || isSpace(l.data[l.pos+1]) || isDelim(l.data[l.pos+1])) {
			l.pos++
			if f >= 0 && f < 1e9 {
				return ref{int(f)}
			}
			return closer(0)
		}
	}
	l.pos = save
	return f
}

func (l *lexer) nameText() string {
	var b []byte
	for l.pos < len(l.data) && !isSpace(l.data[l.pos]) && !isDelim(l.data[l.pos]) {
		c := l.data[l.pos]
		if c == '#' && l.pos+2 < len(l.data) {
			if v, err := strconv.ParseUint(string(l.data[l.pos+1:l.pos+3]), 16, 8); err == nil {
				b = append(b, byte(v))
				l.pos += 3
				continue
			}
		}
		b = append(b, c)
		l.pos++
	}
	return string(b)
}

// literal reads a (string) after its opening parenthesis.
func (l *lexer) literal() pstring {
	var b []byte
	depth := 1
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return b
			}
		case '\\':
			if l.pos >= len(l.data) {
				return b
			}
			e := l.data[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(l.data) && l.data[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for i := 0; i < 2 && l.pos < len(l.data) && l.data[l.pos] >= '0' && l.data[l.pos] <= '7'; i++ {
						v = v*8 + int(l.data[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		b = append(b, c)
	}
	return b
}

// hex reads a <hex string> after its opening bracket.
func (l *lexer) hex() pstring {
	var b []byte
	var hi byte
	half := false
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		l.pos++
		if c == '>' {
			break
		}
		v, ok := hexDigit(c)
		if !ok {
			continue
		}
		if half {
			b = append(b, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		b = append(b, hi<<4)
	}
	return b
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func asciiHex(data []byte) []byte {
	l := &lexer{data: append(bytes.TrimSpace(data), '>')}
	return l.hex()
}

// ascii85 decodes ASCII base-85 up to its "~>" end.
func ascii85(data []byte) []byte {
	var out []byte
	var group [5]byte
	n := 0
	flush := func(count int) {
		var v uint64
		for i := 0; i < 5; i++ {
			d := uint64('u' - '!')
			if i < count {
				d = uint64(group[i])
			}
			v = v*85 + d
		}
		if v > 0xffffffff {
			v = 0xffffffff
		}
		b := []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
		out = append(out, b[:count-1]...)
	}
	for _, c := range data {
		switch {
		case c == '~':
			if n > 1 {
				flush(n)
			}
			return out
		case c == 'z' && n == 0:
			out = append(out, 0, 0, 0, 0)
		case c >= '!' && c <= 'u':
			group[n] = c - '!'
			n++
			if n == 5 {
				flush(5)
				n = 0
			}
		}
	}
	if n > 1 {
		flush(n)
	}
	return out
}
