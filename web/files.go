package web

import (
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// storedTypes are the types of the files kept in the database (documents,
// materials, attachments; see samrad.DetectDocumentType) that are sent as
// what they are. Any other type a row may hold is sent as
// application/octet-stream, so that no stored file is ever sent as HTML,
// SVG or script.
var storedTypes = map[string]bool{
	"application/pdf":           true,
	"image/png":                 true,
	"image/jpeg":                true,
	"text/plain; charset=utf-8": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
	"application/vnd.oasis.opendocument.text":                                   true,
	"application/vnd.oasis.opendocument.spreadsheet":                            true,
}

// sandboxCSP keeps a served file from running anything in the site's
// origin, even if a browser were to render it as a page.
const sandboxCSP = "sandbox; default-src 'none'"

// serveStored sends a stored file: its type from storedTypes, never
// sniffed, in a sandbox, and as a download unless it is an image. (A PDF is
// a download too: browsers will not show a PDF in a sandbox.)
func serveStored(w http.ResponseWriter, contentType, filename, sha256 string, data []byte) error {
	if !storedTypes[contentType] {
		contentType = "application/octet-stream"
	}
	disposition := "attachment"
	if strings.HasPrefix(contentType, "image/") {
		disposition = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	if d := mime.FormatMediaType(disposition, map[string]string{"filename": filename}); d != "" {
		h.Set("Content-Disposition", d)
	} else {
		h.Set("Content-Disposition", disposition)
	}
	h.Set("Content-Security-Policy", sandboxCSP)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("ETag", `"`+sha256+`"`)
	_, err := w.Write(data)
	return err
}
