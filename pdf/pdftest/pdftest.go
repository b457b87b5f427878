// Package pdftest reads back the PDF files that package pdf prints, so that
// tests can check what is on the pages: the text (through each font's
// ToUnicode map), the glyphs the fonts can show, the page count and the
// title. It reads what Chromium writes (uncompressed cross-reference,
// Flate-compressed streams, Identity-H fonts); it is no general PDF reader.
package pdftest

import (
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Info is what a PDF holds.
type Info struct {
	Pages  int
	Title  string
	Text   string        // the text of every page, in content order
	Glyphs map[rune]bool // every character some font of the file can show
}

var (
	objRe     = regexp.MustCompile(`(?s)(\d+) 0 obj\s*(.*?)endobj`)
	pageRe    = regexp.MustCompile(`/Type\s*/Page\b`)
	fontsRe   = regexp.MustCompile(`(?s)/Font\s*<<(.*?)>>`)
	fontRefRe = regexp.MustCompile(`/(\w+)\s+(\d+) 0 R`)
	uniRe     = regexp.MustCompile(`/ToUnicode\s+(\d+) 0 R`)
	contRe    = regexp.MustCompile(`/Contents\s+(\d+) 0 R`)
	titleRe   = regexp.MustCompile(`/Title\s*(<[0-9A-Fa-f]*>|\((?:\\.|[^\\)])*\))`)
	tokenRe   = regexp.MustCompile(`/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\((?:\\.|[^\\)])*\)|\b(T\*|Tm|ET)\b`)
	hexPairRe = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>(?:\s*<([0-9A-Fa-f]+)>)?`)
)

// Inspect reads a PDF file.
func Inspect(file []byte) (*Info, error) {
	if !bytes.HasPrefix(file, []byte("%PDF-")) {
		return nil, errors.New("pdftest: not a PDF file")
	}
	objs := map[string][]byte{}
	for _, m := range objRe.FindAllSubmatch(file, -1) {
		objs[string(m[1])] = m[2]
	}
	info := &Info{Glyphs: map[rune]bool{}}
	if m := titleRe.FindSubmatch(file); m != nil {
		info.Title = decodeString(m[1])
	}
	cmaps := map[string]map[string]string{} // object number → code → text
	cmap := func(num string) map[string]string {
		if c, ok := cmaps[num]; ok {
			return c
		}
		c := parseCMap(stream(objs[num]))
		for _, s := range c {
			for _, r := range s {
				info.Glyphs[r] = true
			}
		}
		cmaps[num] = c
		return c
	}
	for _, body := range objs {
		if m := uniRe.FindSubmatch(body); m != nil {
			cmap(string(m[1]))
		}
	}
	var text strings.Builder
	for _, num := range pageOrder(file, objs) {
		body := objs[num]
		info.Pages++
		fonts := map[string]map[string]string{}
		if m := fontsRe.FindSubmatch(body); m != nil {
			for _, f := range fontRefRe.FindAllSubmatch(m[1], -1) {
				if u := uniRe.FindSubmatch(objs[string(f[2])]); u != nil {
					fonts[string(f[1])] = cmap(string(u[1]))
				}
			}
		}
		c := contRe.FindSubmatch(body)
		if c == nil {
			continue
		}
		var cur map[string]string
		for _, t := range tokenRe.FindAllSubmatch(stream(objs[string(c[1])]), -1) {
			switch {
			case t[1] != nil:
				cur = fonts[string(t[1])]
			case t[2] != nil && cur != nil:
				code := strings.ToUpper(string(t[2]))
				for i := 0; i+4 <= len(code); i += 4 {
					text.WriteString(cur[code[i:i+4]])
				}
			case t[3] != nil:
				text.WriteString(" ")
			}
		}
		text.WriteString("\n")
	}
	info.Text = strings.Join(strings.Fields(text.String()), " ")
	return info, nil
}

// pageOrder returns the page objects in the order of the page tree's Kids.
func pageOrder(file []byte, objs map[string][]byte) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?s)/Type\s*/Pages\b.*?/Kids\s*\[([^\]]*)\]`).FindAllSubmatch(file, -1) {
		for _, k := range regexp.MustCompile(`(\d+) 0 R`).FindAllSubmatch(m[1], -1) {
			if pageRe.Match(objs[string(k[1])]) {
				out = append(out, string(k[1]))
			}
		}
	}
	return out
}

// stream returns the decoded stream of an object, or nil.
func stream(obj []byte) []byte {
	i := bytes.Index(obj, []byte("stream"))
	j := bytes.LastIndex(obj, []byte("endstream"))
	if i < 0 || j < i {
		return nil
	}
	data := bytes.TrimLeft(obj[i+len("stream"):j], "\r\n")
	if !bytes.Contains(obj[:i], []byte("/FlateDecode")) {
		return data
	}
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	out, _ := io.ReadAll(zr)
	return out
}

// parseCMap reads the bfchar and bfrange entries of a ToUnicode CMap.
func parseCMap(cm []byte) map[string]string {
	out := map[string]string{}
	for _, sec := range regexp.MustCompile(`(?s)begin(bfchar|bfrange)(.*?)end(?:bfchar|bfrange)`).FindAllSubmatch(cm, -1) {
		for _, line := range bytes.Split(sec[2], []byte("\n")) {
			m := hexPairRe.FindSubmatch(line)
			if m == nil {
				continue
			}
			if string(sec[1]) == "bfchar" {
				out[pad(m[1])] = utf16hex(m[2])
				continue
			}
			lo, _ := strconv.ParseUint(string(m[1]), 16, 32)
			hi, _ := strconv.ParseUint(string(m[2]), 16, 32)
			if m[3] == nil || hi < lo || hi-lo > 0xffff {
				continue
			}
			base := []rune(utf16hex(m[3]))
			if len(base) != 1 {
				continue
			}
			for c := lo; c <= hi; c++ {
				out[strings.ToUpper(strconv.FormatUint(c|0x10000, 16)[1:])] = string(base[0] + rune(c-lo))
			}
		}
	}
	return out
}

func pad(h []byte) string {
	s := strings.ToUpper(string(h))
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

func utf16hex(h []byte) string {
	b, err := hex.DecodeString(string(h))
	if err != nil || len(b)%2 != 0 {
		return ""
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}

// decodeString reads a PDF text string: <FEFF…> hex, or a literal.
func decodeString(s []byte) string {
	if s[0] == '<' {
		h := s[1 : len(s)-1]
		if bytes.HasPrefix(bytes.ToUpper(h), []byte("FEFF")) {
			return utf16hex(h[4:])
		}
		b, _ := hex.DecodeString(string(h))
		return string(b)
	}
	r := strings.NewReplacer(`\(`, "(", `\)`, ")", `\\`, `\`)
	return r.Replace(string(s[1 : len(s)-1]))
}
