package samrad_test

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/samrad/samrad"
)

func TestDetectDocumentType(t *testing.T) {
	pdf := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	var docx bytes.Buffer
	zw := zip.NewWriter(&docx)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte("<Types/>"))
	zw.Close()
	for _, tc := range []struct {
		name string
		data []byte
		ok   bool
	}{
		{"innkalling.pdf", pdf, true},
		{"kart.png", png, true},
		{"notat.txt", []byte("Sakliste for møtet\n"), true},
		{"referat.docx", docx.Bytes(), true},
		{"fake.pdf", []byte("<html><script>alert(1)</script></html>"), false}, // disguised HTML
		{"fake.pdf", png, false},                                              // a PNG named .pdf
		{"program.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00"), false},          // an executable
		{"notat.pdf", []byte("plain text"), false},
		{"arkiv.docx", func() []byte {
			var b bytes.Buffer
			z := zip.NewWriter(&b)
			f, _ := z.Create("evil.exe")
			f.Write([]byte("x"))
			z.Close()
			return b.Bytes()
		}(), false},
		{"tom.pdf", nil, false},
		{"stor.pdf", append(pdf, make([]byte, samrad.MaxDocumentSize)...), false},
	} {
		_, err := samrad.DetectDocumentType(tc.name, tc.data)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}
