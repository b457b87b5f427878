package web

import (
	"bytes"
	"compress/gzip"
	"mime"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Answers are compressed with gzip or Brotli when the client asks for it
// (Accept-Encoding). A cached page keeps each compressed variant once it
// has been made, so a page is compressed at most once per encoding and data
// version; static files are compressed once, at start-up, with the best
// (slowest) settings. Only answers to visitors without a session are
// compressed: they hold no secret (form token) that a reflected query could
// be guessed against by their compressed length (BREACH).

// minCompress is the smallest body worth compressing: below it the framing
// costs more than it saves.
const minCompress = 1024

// The codings, as Accept-Encoding and Content-Encoding name them, with the
// suffix each gives a representation's ETag.
const (
	codingBrotli = "br"
	codingGzip   = "gzip"
)

var etagSuffix = map[string]string{codingBrotli: "-br", codingGzip: "-gz"}

// negotiate picks the coding for an Accept-Encoding header: Brotli or gzip,
// whichever has the higher q-value (Brotli on a tie), or "" for the
// identity. A q-value of 0 refuses a coding, "*" stands for codings not
// named, and a malformed q-value counts as 0.
func negotiate(accept string) string {
	if accept == "" {
		return ""
	}
	q := map[string]float64{}
	for _, part := range strings.Split(accept, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "x-gzip" {
			name = codingGzip
		}
		if name == "" {
			continue
		}
		weight := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(p, "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
				continue
			}
			weight = qvalue(strings.TrimSpace(v))
		}
		if _, seen := q[name]; !seen {
			q[name] = weight
		}
	}
	of := func(coding string) float64 {
		if w, ok := q[coding]; ok {
			return w
		}
		return q["*"] // 0 when absent: a coding not named is not acceptable
	}
	br, gz := of(codingBrotli), of(codingGzip)
	switch {
	case br > 0 && br >= gz:
		return codingBrotli
	case gz > 0:
		return codingGzip
	}
	return ""
}

// qvalue parses a weight, 0 to 1 with at most three decimals (RFC 9110
// 12.4.2); anything else is 0.
func qvalue(s string) float64 {
	if len(s) == 0 || len(s) > 5 || (s[0] != '0' && s[0] != '1') || (len(s) > 1 && s[1] != '.') {
		return 0
	}
	w, err := strconv.ParseFloat(s, 64)
	if err != nil || w < 0 || w > 1 {
		return 0
	}
	return w
}

// compressible reports whether a body of this type and size is worth
// compressing: text, JSON, XML, JavaScript and SVG of at least minCompress
// bytes. Images, PDFs, zip files and spreadsheets are compressed already.
func compressible(header map[string][]string, size int) bool {
	if size < minCompress || len(header["Content-Encoding"]) > 0 {
		return false
	}
	ct := ""
	if v := header["Content-Type"]; len(v) > 0 {
		ct = v[0]
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	switch mt {
	case "application/json", "application/xml", "application/javascript", "image/svg+xml":
		return true
	}
	return false
}

// variants holds a body's compressed forms, each made on first use.
type variants struct {
	gzipOnce, brOnce sync.Once
	gzip, br         []byte
	best             bool // compress as small as possible (static files)
}

// of returns the body in coding, and the coding it is in: the identity if
// coding is "" or compressing would not make it smaller.
func (vs *variants) of(body []byte, coding string) ([]byte, string) {
	var out []byte
	switch coding {
	case codingGzip:
		vs.gzipOnce.Do(func() { vs.gzip = smaller(body, gzipBytes(body, vs.best)) })
		out = vs.gzip
	case codingBrotli:
		vs.brOnce.Do(func() { vs.br = smaller(body, brotliBytes(body, vs.best)) })
		out = vs.br
	}
	if out == nil {
		return body, ""
	}
	return out, coding
}

// smaller returns c if it is shorter than body, else nil.
func smaller(body, c []byte) []byte {
	if c == nil || len(c) >= len(body) {
		return nil
	}
	return c
}

func gzipBytes(body []byte, best bool) []byte {
	level := gzip.DefaultCompression
	if best {
		level = gzip.BestCompression
	}
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, level)
	if err != nil {
		return nil
	}
	if _, err := zw.Write(body); err != nil {
		return nil
	}
	if err := zw.Close(); err != nil {
		return nil
	}
	return b.Bytes()
}

// brotliBytes compresses at level 5 for pages (about gzip's speed, smaller)
// and 11 for static files, compressed once.
func brotliBytes(body []byte, best bool) []byte {
	level := 5
	if best {
		level = brotli.BestCompression
	}
	var b bytes.Buffer
	zw := brotli.NewWriterLevel(&b, level)
	if _, err := zw.Write(body); err != nil {
		return nil
	}
	if err := zw.Close(); err != nil {
		return nil
	}
	return b.Bytes()
}
