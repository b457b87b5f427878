package web

import (
	"net/http"
	"testing"
)

func TestNegotiate(t *testing.T) {
	for _, c := range []struct{ accept, want string }{
		{"", ""},
		{"gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"GZIP", "gzip"},
		{"br", "br"},
		{"gzip, br", "br"},
		{"br;q=0.9, gzip", "gzip"},
		{"br;q=1.0, gzip;q=1", "br"},
		{"br ; q=0.001", "br"},
		{"br;q=0", ""},
		{"br;q=0.000, gzip;q=0", ""},
		{"*", "br"},
		{"*;q=0", ""},
		{"*;q=0, gzip", "gzip"},
		{"br;q=0, *", "gzip"},
		{"identity", ""},
		{"deflate, zstd", ""},
		{"gzip;q=1.5", ""},
		{"gzip;q=-1", ""},
		{"gzip;q=0.1234", ""},
		{"gzip;q=abc", ""},
		{"gzip;q=", ""},
		{",,;;=", ""},
		{"br, br;q=0", "br"}, // the first mention counts
	} {
		if got := negotiate(c.accept); got != c.want {
			t.Errorf("negotiate(%q) = %q, want %q", c.accept, got, c.want)
		}
	}
}

func TestCompressible(t *testing.T) {
	for _, c := range []struct {
		ctype string
		size  int
		want  bool
	}{
		{"text/html; charset=utf-8", 1024, true},
		{"text/html; charset=utf-8", 1023, false},
		{"text/csv; charset=utf-8", 5000, true},
		{"text/calendar; charset=utf-8", 5000, true},
		{"application/json; charset=utf-8", 5000, true},
		{"application/atom+xml; charset=utf-8", 5000, true},
		{"application/ld+json", 5000, true},
		{"text/javascript; charset=utf-8", 5000, true},
		{"image/svg+xml", 5000, true},
		{"image/jpeg", 50000, false},
		{"image/png", 50000, false},
		{"application/pdf", 50000, false},
		{"application/zip", 50000, false},
		{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 50000, false},
		{"font/woff2", 50000, false},
		{"", 50000, false},
		{"not a type;;", 50000, false},
	} {
		h := http.Header{}
		if c.ctype != "" {
			h.Set("Content-Type", c.ctype)
		}
		if got := compressible(h, c.size); got != c.want {
			t.Errorf("compressible(%q, %d) = %v, want %v", c.ctype, c.size, got, c.want)
		}
	}
	h := http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"gzip"}}
	if compressible(h, 5000) {
		t.Error("an answer already encoded is compressed again")
	}
}

// TestVariantsNotLarger checks that a body compression would not shrink is
// sent as it is.
func TestVariantsNotLarger(t *testing.T) {
	random := make([]byte, 2048)
	x := uint32(2463534242)
	for i := range random {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		random[i] = byte(x)
	}
	var vs variants
	for _, coding := range []string{codingGzip, codingBrotli} {
		if body, got := vs.of(random, coding); got != "" || len(body) != len(random) {
			t.Errorf("%s of random bytes: coding %q, %d bytes", coding, got, len(body))
		}
	}
}
