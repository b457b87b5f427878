package web

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestServeStored checks the headers of a stored file: a type from the
// allow-list or none, never sniffed, a sandbox, and a download unless it is
// an image.
func TestServeStored(t *testing.T) {
	for _, c := range []struct {
		stored, ctype, disposition string
	}{
		{"application/pdf", "application/pdf", `attachment; filename=referat.pdf`},
		{"image/png", "image/png", `inline; filename=referat.pdf`},
		{"application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text", `attachment; filename=referat.pdf`},
		{"text/html; charset=utf-8", "application/octet-stream", `attachment; filename=referat.pdf`},
		{"image/svg+xml", "application/octet-stream", `attachment; filename=referat.pdf`},
		{"", "application/octet-stream", `attachment; filename=referat.pdf`},
	} {
		rec := httptest.NewRecorder()
		if err := serveStored(rec, c.stored, "referat.pdf", "abc", []byte("%PDF-1.4")); err != nil {
			t.Fatal(err)
		}
		h := rec.Header()
		if h.Get("Content-Type") != c.ctype || h.Get("Content-Disposition") != c.disposition || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Content-Security-Policy") != sandboxCSP || h.Get("Content-Length") != "8" {
			t.Errorf("stored as %q: served with %v", c.stored, h)
		}
	}
	// A name with quotes and non-ASCII letters is encoded, not broken.
	rec := httptest.NewRecorder()
	serveStored(rec, "application/pdf", `"Årsmøte" 2024.pdf`, "abc", nil)
	if d := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(d, "attachment; filename*=utf-8''") {
		t.Errorf("disposition %q", d)
	}
}

// TestUploadLimit: every body is bounded at maxBody, and an upload handler
// raises the bound to its own limit (limitBody) on the original body.
func TestUploadLimit(t *testing.T) {
	s := &Server{}
	read := func(raise int64) error {
		h := s.limitRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if raise > 0 {
				limitBody(w, r, raise)
			}
			_, err := io.Copy(io.Discard, r.Body)
			if err != nil {
				w.WriteHeader(http.StatusRequestEntityTooLarge)
			}
		}))
		req := httptest.NewRequest("POST", "/opplasting", strings.NewReader(strings.Repeat("x", 3<<20)))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return errors.New(http.StatusText(rec.Code))
		}
		return nil
	}
	if err := read(0); err == nil {
		t.Error("3 MiB read past the 1 MiB limit")
	}
	if err := read(4 << 20); err != nil {
		t.Errorf("3 MiB upload within its 4 MiB limit: %v", err)
	}
	if err := read(2 << 20); err == nil {
		t.Error("3 MiB upload read past its 2 MiB limit")
	}
}
