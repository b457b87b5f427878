package samrad_test

import (
	"errors"
	"net/http"
	"path"
	"strings"
	"testing"

	"github.com/samrad/samrad"
)

// An uploaded file's type is decided by its bytes: whatever the name and
// content, the answer is one of the accepted types and agrees with what the
// bytes are, or a field error on "file".
func FuzzDetectDocumentType(f *testing.F) {
	f.Add("innkalling.pdf", []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"))
	f.Add("kart.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	f.Add("bilde.jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"))
	f.Add("notat.txt", []byte("Sakliste for møtet\n"))
	f.Add("referat.docx", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00[Content_Types].xml"))
	f.Add("regneark.ods", []byte("PK\x03\x04\x14\x00\x00\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet"))
	f.Add("fake.pdf", []byte("<html><script>alert(1)</script></html>"))
	f.Add("program.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00"))
	f.Add("", []byte{})
	accepted := map[string]bool{"application/pdf": true, "image/png": true, "image/jpeg": true, "text/plain; charset=utf-8": true,
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
		"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
		"application/vnd.oasis.opendocument.text":                                   true,
		"application/vnd.oasis.opendocument.spreadsheet":                            true}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		ct, err := samrad.DetectDocumentType(name, data)
		if err != nil {
			var fe *samrad.Error
			if ct != "" || !errors.As(err, &fe) || fe.Code != samrad.EINVALID || fe.Field != "file" {
				t.Fatalf("%q: type %q, error %v (want a field error on file)", name, ct, err)
			}
			return
		}
		if !accepted[ct] {
			t.Fatalf("%q: accepted as %q", name, ct)
		}
		if len(data) == 0 || len(data) > samrad.MaxDocumentSize {
			t.Fatalf("%q: %d bytes accepted", name, len(data))
		}
		sniffed := http.DetectContentType(data)
		ext := strings.ToLower(path.Ext(name))
		switch {
		case strings.HasPrefix(ct, "application/vnd."):
			if sniffed != "application/zip" {
				t.Fatalf("%q: office type %q for content sniffed as %q", name, ct, sniffed)
			}
		case ct != sniffed:
			t.Fatalf("%q: type %q, content sniffed as %q", name, ct, sniffed)
		case ct == "application/pdf" && ext != ".pdf", ct == "image/png" && ext != ".png":
			t.Fatalf("%q: %s accepted under another name", name, ct)
		}
	})
}
