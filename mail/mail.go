// Package mail builds e-mail messages (RFC 5322 with MIME) and sends them
// over SMTP: the meeting notices, confirmations and reminders Samråd sends,
// often with an iCalendar invitation attached.
//
// Messages are 7-bit clean whatever they hold: header text and display
// names are RFC 2047 encoded when they are not ASCII, text bodies are
// quoted-printable and attachments base64, and every line ends with CRLF.
// Validate refuses what could inject headers or recipients.
package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Address is a display name and an e-mail address.
type Address struct{ Name, Email string }

// Attachment is a file attached to a message.
type Attachment struct {
	Filename    string // e.g. "invitasjon.ics"
	ContentType string // e.g. "text/calendar; method=REQUEST; charset=utf-8"; default application/octet-stream
	Data        []byte
}

// Message is an e-mail message.
type Message struct {
	From    Address
	To      []Address
	ReplyTo *Address
	Subject string
	Text    string // the plain-text body; required
	HTML    string // an optional HTML body; the two become multipart/alternative

	// Attachments follow the body in a multipart/mixed message.
	Attachments []Attachment

	// Headers are extra header fields, e.g. List-Unsubscribe and
	// List-Unsubscribe-Post. They cannot replace the fields the message
	// sets itself (From, To, Subject, Date, Message-ID, MIME and content
	// fields), nor add Cc or Bcc, whose recipients Send would not reach.
	Headers map[string]string

	MessageID string    // "<unique@domain>"; Bytes generates one at the From domain if empty
	Date      time.Time // the time of building if zero
}

// maxFilename keeps an encoded file name well within a header line.
const maxFilename = 255

// reservedHeaders are set by Bytes or not supported; Headers cannot hold them.
var reservedHeaders = map[string]bool{
	"From": true, "To": true, "Cc": true, "Bcc": true, "Reply-To": true,
	"Subject": true, "Date": true, "Message-Id": true, "Mime-Version": true,
	"Content-Type": true, "Content-Transfer-Encoding": true, "Content-Disposition": true,
}

// Validate checks the message. It refuses line breaks in every field that
// ends up in a header (display names, addresses, Subject, extra header
// names and values, attachment file names and types, Message-ID),
// addresses net/mail cannot parse or whose domain has no dot, internationalised
// addresses, an empty To and an empty Text. Errors name the field.
func (m *Message) Validate() error {
	if err := checkAddress("From", m.From); err != nil {
		return err
	}
	if len(m.To) == 0 {
		return fmt.Errorf("mail: To is empty")
	}
	for i, a := range m.To {
		if err := checkAddress(fmt.Sprintf("To[%d]", i), a); err != nil {
			return err
		}
	}
	if m.ReplyTo != nil {
		if err := checkAddress("ReplyTo", *m.ReplyTo); err != nil {
			return err
		}
	}
	if err := checkLine("Subject", m.Subject); err != nil {
		return err
	}
	if strings.TrimSpace(m.Text) == "" {
		return fmt.Errorf("mail: Text is empty")
	}
	for _, name := range sortedKeys(m.Headers) {
		field := fmt.Sprintf("Headers[%q]", name)
		if err := checkLine(field, name); err != nil {
			return err
		}
		if !validFieldName(name) {
			return fmt.Errorf("mail: %s: not a valid header field name", field)
		}
		if reservedHeaders[textproto.CanonicalMIMEHeaderKey(name)] {
			return fmt.Errorf("mail: %s: the field cannot be set as an extra header", field)
		}
		if err := checkLine(field+" value", m.Headers[name]); err != nil {
			return err
		}
	}
	for i, a := range m.Attachments {
		field := fmt.Sprintf("Attachments[%d]", i)
		if err := checkLine(field+".Filename", a.Filename); err != nil {
			return err
		}
		if strings.TrimSpace(a.Filename) == "" {
			return fmt.Errorf("mail: %s.Filename is empty", field)
		}
		if err := checkLine(field+".ContentType", a.ContentType); err != nil {
			return err
		}
		if len(a.Filename) > maxFilename {
			return fmt.Errorf("mail: %s.Filename is longer than %d octets", field, maxFilename)
		}
		if a.ContentType != "" {
			typ, params, err := mime.ParseMediaType(a.ContentType)
			if err != nil {
				return fmt.Errorf("mail: %s.ContentType %q: %v", field, a.ContentType, err)
			}
			if mime.FormatMediaType(typ, params) == "" {
				return fmt.Errorf("mail: %s.ContentType %q cannot be written back", field, a.ContentType)
			}
		}
	}
	if m.MessageID != "" {
		id := m.MessageID
		if strings.ContainsAny(id, "\r\n") || !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, ">") ||
			strings.Count(id, "@") != 1 || strings.ContainsAny(id[1:len(id)-1], "<> \t\"\\") || !isASCII(id) {
			return fmt.Errorf("mail: MessageID %q is not of the form <unique@domain>", id)
		}
	}
	return nil
}

// checkLine refuses line breaks, the way to inject header fields, and other
// control characters but tab.
func checkLine(field, v string) error {
	if strings.ContainsAny(v, "\r\n") {
		return fmt.Errorf("mail: %s contains a line break", field)
	}
	for _, r := range v {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return fmt.Errorf("mail: %s contains a control character", field)
		}
	}
	if !utf8.ValidString(v) {
		return fmt.Errorf("mail: %s is not valid UTF-8", field)
	}
	return nil
}

func checkAddress(field string, a Address) error {
	if err := checkLine(field+" name", a.Name); err != nil {
		return err
	}
	if err := checkLine(field+" address", a.Email); err != nil {
		return err
	}
	if a.Email == "" {
		return fmt.Errorf("mail: %s address is empty", field)
	}
	if !isASCII(a.Email) {
		return fmt.Errorf("mail: %s address %q is not ASCII; internationalised addresses are not supported", field, a.Email)
	}
	p, err := netmail.ParseAddress(a.Email)
	if err != nil {
		return fmt.Errorf("mail: %s address %q: %v", field, a.Email, err)
	}
	if p.Name != "" || p.Address != a.Email {
		return fmt.Errorf("mail: %s address %q is not a bare address like name@example.no", field, a.Email)
	}
	domain := a.Email[strings.LastIndexByte(a.Email, '@')+1:]
	if !strings.Contains(strings.Trim(domain, "."), ".") || strings.HasSuffix(domain, ".") || strings.HasPrefix(domain, "[") {
		return fmt.Errorf("mail: %s address %q has no domain with a dot", field, a.Email)
	}
	return nil
}

func validFieldName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Bytes validates the message and returns it in wire form: RFC 5322 header
// fields, MIME-Version 1.0 and the body — text/plain alone, with HTML as
// multipart/alternative, and with attachments inside multipart/mixed. It
// does not change m; a generated Message-ID or Date is in the bytes only.
func (m *Message) Bytes() ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	id := m.MessageID
	if id == "" {
		id = newMessageID(m.From.Email)
	}
	var b bytes.Buffer
	header(&b, "Date", date.Format(time.RFC1123Z))
	header(&b, "From", formatAddress(m.From))
	to := make([]string, len(m.To))
	for i, a := range m.To {
		to[i] = formatAddress(a)
	}
	header(&b, "To", strings.Join(to, ", "))
	if m.ReplyTo != nil {
		header(&b, "Reply-To", formatAddress(*m.ReplyTo))
	}
	header(&b, "Subject", encodeText(m.Subject))
	header(&b, "Message-ID", id)
	for _, name := range sortedKeys(m.Headers) {
		header(&b, name, mime.QEncoding.Encode("utf-8", m.Headers[name]))
	}
	header(&b, "MIME-Version", "1.0")

	bodyHeader, body := bodyPart(m.Text, m.HTML)
	if len(m.Attachments) == 0 {
		writeFields(&b, bodyHeader)
		b.WriteString("\r\n")
		b.Write(body)
		return b.Bytes(), nil
	}
	mixed := newMultipart()
	header(&b, "Content-Type", mixed.contentType("mixed"))
	b.WriteString("\r\n")
	mixed.part(&b, bodyHeader, body)
	for _, a := range m.Attachments {
		h, data := attachmentPart(a)
		mixed.part(&b, h, data)
	}
	mixed.close(&b)
	return b.Bytes(), nil
}

// field is one header field of a MIME part.
type field struct{ name, value string }

func writeFields(b *bytes.Buffer, fields []field) {
	for _, f := range fields {
		header(b, f.name, f.value)
	}
}

// bodyPart returns the header fields and content of the message body:
// text/plain, or multipart/alternative of text/plain and text/html.
func bodyPart(text, html string) ([]field, []byte) {
	var b bytes.Buffer
	if html == "" {
		writeQP(&b, text)
		return qpFields("text/plain"), b.Bytes()
	}
	alt := newMultipart()
	for _, p := range []struct{ typ, content string }{{"text/plain", text}, {"text/html", html}} {
		var body bytes.Buffer
		writeQP(&body, p.content)
		alt.part(&b, qpFields(p.typ), body.Bytes())
	}
	alt.close(&b)
	return []field{{"Content-Type", alt.contentType("alternative")}}, b.Bytes()
}

func qpFields(typ string) []field {
	return []field{
		{"Content-Type", typ + "; charset=utf-8"},
		{"Content-Transfer-Encoding", "quoted-printable"},
	}
}

// multipartWriter writes a multipart body (RFC 2046). mime/multipart
// cannot fold the header fields of its parts; this one folds them.
type multipartWriter struct {
	boundary string
	parts    int
}

// newMultipart makes a writer with a random boundary that starts with
// "=_": that cannot occur in quoted-printable or base64 content.
func newMultipart() *multipartWriter {
	var r [12]byte
	rand.Read(r[:])
	return &multipartWriter{boundary: "=_" + hex.EncodeToString(r[:])}
}

func (w *multipartWriter) contentType(subtype string) string {
	return mime.FormatMediaType("multipart/"+subtype, map[string]string{"boundary": w.boundary})
}

// part writes one part; content ends with CRLF, or the CRLF before the
// next delimiter would join its last line.
func (w *multipartWriter) part(b *bytes.Buffer, fields []field, content []byte) {
	if w.parts > 0 {
		b.WriteString("\r\n")
	}
	w.parts++
	b.WriteString("--" + w.boundary + "\r\n")
	writeFields(b, fields)
	b.WriteString("\r\n")
	b.Write(content)
}

func (w *multipartWriter) close(b *bytes.Buffer) {
	b.WriteString("\r\n--" + w.boundary + "--\r\n")
}

// writeQP writes s quoted-printable with CRLF line ends, ending with one.
func writeQP(w io.Writer, s string) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	qp := quotedprintable.NewWriter(w)
	io.WriteString(qp, s)
	qp.Close()
}

// attachmentPart returns the header fields and base64 content of an
// attachment. Validate has checked its content type.
func attachmentPart(a Attachment) ([]field, []byte) {
	typ, params := "application/octet-stream", map[string]string{}
	if a.ContentType != "" {
		typ, params, _ = mime.ParseMediaType(a.ContentType)
	}
	if _, ok := params["name"]; !ok {
		params["name"] = a.Filename
	}
	var b bytes.Buffer
	enc := base64.StdEncoding.EncodeToString(a.Data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return []field{
		{"Content-Type", mime.FormatMediaType(typ, params)},
		{"Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename})},
		{"Content-Transfer-Encoding", "base64"},
	}, b.Bytes()
}

func formatAddress(a Address) string {
	return (&netmail.Address{Name: a.Name, Address: a.Email}).String()
}

func newMessageID(from string) string {
	var r [16]byte
	rand.Read(r[:])
	return "<" + hex.EncodeToString(r[:]) + "@" + from[strings.LastIndexByte(from, '@')+1:] + ">"
}

// encodeText encodes unstructured header text with RFC 2047 when it is not
// printable ASCII, or holds a word too long for the 998-octet line limit.
func encodeText(s string) string {
	enc := mime.QEncoding.Encode("utf-8", s)
	if enc != s {
		return enc
	}
	for _, w := range strings.Fields(s) {
		if len(w) > maxWord {
			return encodeWords(s)
		}
	}
	return s
}

// maxWord is the longest unencoded word a header line can hold.
const maxWord = 900

// encodeWords encodes s as base64 encoded-words that each hold whole
// UTF-8 sequences and stay within 75 octets.
func encodeWords(s string) string {
	const prefix, suffix = "=?utf-8?b?", "?="
	const maxRaw = (75 - len(prefix) - len(suffix)) / 4 * 3
	var words []string
	for len(s) > 0 {
		n := min(len(s), maxRaw)
		for n < len(s) && n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		words = append(words, prefix+base64.StdEncoding.EncodeToString([]byte(s[:n]))+suffix)
		s = s[n:]
	}
	return strings.Join(words, " ")
}

// maxFoldedLine is the line length RFC 5322 asks header fields to keep to.
const maxFoldedLine = 78

// header writes a header field, folded before spaces to keep lines within
// 78 octets where the value allows.
func header(b *bytes.Buffer, name, value string) {
	line := name + ": " + value
	minCut := len(name) + 1 // a fold may follow the colon
	for len(line) > maxFoldedLine {
		cut := strings.LastIndexByte(line[:maxFoldedLine+1], ' ')
		if cut < minCut { // no space to fold at before the limit: take the next
			from := max(minCut, maxFoldedLine+1)
			next := strings.IndexByte(line[from:], ' ')
			if next < 0 {
				break
			}
			cut = from + next
		}
		if strings.TrimSpace(line[cut:]) == "" {
			break // no line of only white space
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n")
		line = line[cut:] // the continuation starts with the space
		minCut = len(line) - len(strings.TrimLeft(line, " ")) + 1
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}
