package samrad

import (
	"bytes"
	"net/http"
	"path"
	"strings"
)

// MaxDocumentSize is the largest file a document may have.
const MaxDocumentSize = 20 << 20

// Document is a file attached to a meeting or a case.
type Document struct {
	ID          int64
	AllianceID  int64
	MeetingID   int64 // 0 if none
	CaseID      int64 // 0 if none
	Title       string
	Filename    string
	SHA256      string
	Size        int64
	ContentType string
	// Exempt documents are shown by title only, with the legal ground for
	// exempting them (e.g. "offentleglova § 14"); the file is not served.
	Exempt      bool
	LegalGround string
	// Text is the text read from the file for the search (see package
	// pdftext), at most MaxDocumentText bytes; an exempt document's text
	// is never searched.
	Text string
}

// MaxDocumentText is the most text of one document kept for the search.
const MaxDocumentText = 1 << 20

// allowedTypes are the document types accepted, decided from the content.
var allowedTypes = map[string]string{
	"application/pdf":           ".pdf",
	"image/png":                 ".png",
	"image/jpeg":                ".jpg",
	"text/plain; charset=utf-8": ".txt",
}

// officeTypes are Office Open XML and OpenDocument files: ZIP archives that
// carry their own type description.
var officeTypes = map[string]string{
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
}

// DetectDocumentType decides a file's type by its content, not its name:
// PDF, PNG, JPEG, UTF-8 text, and Office/OpenDocument files (ZIP archives
// whose inner description matches the name's extension). Anything else,
// including an executable or HTML with a .pdf name, is refused.
func DetectDocumentType(filename string, data []byte) (string, error) {
	if len(data) == 0 {
		return "", FieldErrorf("file", "the file is empty")
	}
	if len(data) > MaxDocumentSize {
		return "", FieldErrorf("file", "the file is larger than %d MB", MaxDocumentSize>>20)
	}
	ext := strings.ToLower(path.Ext(filename))
	detected := http.DetectContentType(data)
	if want, ok := allowedTypes[detected]; ok {
		if detected == "text/plain; charset=utf-8" && ext != ".txt" {
			return "", FieldErrorf("file", "the file's content is text, not %s", ext)
		}
		if ext != want && !(want == ".jpg" && ext == ".jpeg") && want != ".txt" {
			return "", FieldErrorf("file", "the file's content is %s, but its name ends in %q", want[1:], ext)
		}
		return detected, nil
	}
	if detected == "application/zip" {
		if t, ok := officeTypes[ext]; ok {
			marker := []byte("[Content_Types].xml")
			if strings.HasPrefix(ext, ".od") {
				marker = []byte("mimetypeapplication/vnd.oasis.opendocument")
			}
			if bytes.Contains(data[:min(len(data), 4096)], marker) || bytes.Contains(data, marker) {
				return t, nil
			}
		}
	}
	return "", FieldErrorf("file", "files of this kind (%s) are not accepted; use PDF, PNG, JPEG, text or Office documents", detected)
}

// Validate checks a document's description.
func (d Document) Validate() error {
	if strings.TrimSpace(d.Title) == "" {
		return FieldErrorf("title", "a title is required")
	}
	if d.MeetingID == 0 && d.CaseID == 0 {
		return FieldErrorf("meeting", "a document belongs to a meeting or a case")
	}
	if d.Exempt && strings.TrimSpace(d.LegalGround) == "" {
		return FieldErrorf("legal_ground", "an exempt document needs its legal ground (e.g. offentleglova § 14)")
	}
	if strings.ContainsAny(d.Filename, "/\\\x00\r\n") || d.Filename == "" || len(d.Filename) > 200 {
		return FieldErrorf("file", "the file name %q is not allowed", d.Filename)
	}
	if len(d.Text) > MaxDocumentText {
		return Errorf(EINVALID, "the document's text is longer than %d bytes", MaxDocumentText)
	}
	return nil
}
