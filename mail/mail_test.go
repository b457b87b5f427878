package mail

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad/ical"
)

const (
	norwegianText = "Hei Åse!\n\nStyret i Osloregionen møtes på Kunnskapssenteret i Sandvika.\nSaker: økonomi, årsmelding og særskilte tilskudd – ÆØÅ æøå.\n"
	norwegianHTML = "<p>Hei Åse!</p><p>Styret møtes på Kunnskapssenteret – <b>økonomi</b>.</p>"
)

func baseMessage() *Message {
	return &Message{
		From:    Address{Name: "Sekretariatet i Osloregionen", Email: "post@osloregionen.no"},
		To:      []Address{{Name: "Åse Ødegård", Email: "ase@baerum.kommune.no"}, {Email: "per@as.kommune.no"}},
		Subject: "Innkalling til styremøte – sak 3/2026: økonomi",
		Text:    norwegianText,
		Date:    time.Date(2026, 3, 2, 9, 30, 0, 0, time.FixedZone("CET", 3600)),
	}
}

func build(t *testing.T, m *Message) ([]byte, *netmail.Message) {
	t.Helper()
	b, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	checkWire(t, b)
	msg, err := netmail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("net/mail cannot read the message: %v\n%s", err, b)
	}
	return b, msg
}

// checkWire checks what every message must be on the wire: CRLF line ends
// only, 7-bit, and lines within 78 octets (998 at most).
func checkWire(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Error("the message does not end with CRLF")
	}
	for i, l := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d holds a bare CR or LF: %q", i+1, l)
		}
		// Longer lines only where there is no space to fold at.
		if len(l) > 998 || (len(l) > 78 && strings.Contains(strings.TrimSpace(l), " ")) {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
		for _, c := range []byte(l) {
			if c >= 0x80 {
				t.Errorf("line %d is not 7-bit: %q", i+1, l)
				break
			}
		}
	}
}

func mediaType(t *testing.T, v string) (string, map[string]string) {
	t.Helper()
	typ, params, err := mime.ParseMediaType(v)
	if err != nil {
		t.Fatalf("Content-Type %q: %v", v, err)
	}
	return typ, params
}

func decodeQP(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(quotedprintable.NewReader(r))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// crlf is s with CRLF line ends, as a text body comes back.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func TestTextOnly(t *testing.T) {
	m := baseMessage()
	_, msg := build(t, m)
	h := msg.Header
	typ, params := mediaType(t, h.Get("Content-Type"))
	if typ != "text/plain" || params["charset"] != "utf-8" || h.Get("Content-Transfer-Encoding") != "quoted-printable" || h.Get("MIME-Version") != "1.0" {
		t.Errorf("header %v", h)
	}
	if got := decodeQP(t, msg.Body); got != crlf(norwegianText) {
		t.Errorf("body %q", got)
	}
	if got := h.Get("Date"); got != "Mon, 02 Mar 2026 09:30:00 +0100" {
		t.Errorf("Date %q", got)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Sekretariatet i Osloregionen" || from[0].Address != "post@osloregionen.no" {
		t.Errorf("From %v, %v", from, err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 2 || to[0].Name != "Åse Ødegård" || to[0].Address != "ase@baerum.kommune.no" || to[1].Address != "per@as.kommune.no" {
		t.Errorf("To %v, %v", to, err)
	}
	if h.Get("Reply-To") != "" {
		t.Error("Reply-To without ReplyTo")
	}
}

func TestTextAndHTML(t *testing.T) {
	m := baseMessage()
	m.HTML = norwegianHTML
	m.ReplyTo = &Address{Name: "Kari Ås", Email: "kari@osloregionen.no"}
	_, msg := build(t, m)
	rt, err := msg.Header.AddressList("Reply-To")
	if err != nil || len(rt) != 1 || rt[0].Name != "Kari Ås" || rt[0].Address != "kari@osloregionen.no" {
		t.Errorf("Reply-To %v, %v", rt, err)
	}
	typ, params := mediaType(t, msg.Header.Get("Content-Type"))
	if typ != "multipart/alternative" {
		t.Fatalf("Content-Type %s", typ)
	}
	parts := readParts(t, msg.Body, params["boundary"])
	if len(parts) != 2 {
		t.Fatalf("%d parts", len(parts))
	}
	for i, want := range []struct{ typ, body string }{{"text/plain", crlf(norwegianText)}, {"text/html", norwegianHTML + "\r\n"}} {
		p := parts[i]
		typ, params := mediaType(t, p.header.Get("Content-Type"))
		if typ != want.typ || params["charset"] != "utf-8" || p.header.Get("Content-Transfer-Encoding") != "quoted-printable" {
			t.Errorf("part %d: %v", i, p.header)
		}
		if got := decodeQP(t, bytes.NewReader(p.body)); got != want.body {
			t.Errorf("part %d: %q, want %q", i, got, want.body)
		}
	}
}

type part struct {
	header textproto.MIMEHeader
	body   []byte
}

// readParts reads the parts of a multipart body as they are, without
// decoding them.
func readParts(t *testing.T, r io.Reader, boundary string) []part {
	t.Helper()
	if boundary == "" {
		t.Fatal("no boundary")
	}
	mr := multipart.NewReader(r, boundary)
	var parts []part
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, part{p.Header, b})
	}
}

func invitationICS(t *testing.T) []byte {
	t.Helper()
	start := time.Date(2026, 3, 19, 9, 0, 0, 0, time.UTC)
	cal := ical.Calendar{Method: "REQUEST", Events: []ical.Event{{
		UID: "meeting-42@samrad", Start: start, End: start.Add(3 * time.Hour),
		Summary: "Styremøte i Osloregionen", Location: "Kunnskapssenteret, Sandvika",
		Description: "Saker: økonomi, årsmelding og særskilte tilskudd.",
		Organizer:   &ical.Person{Name: "Sekretariatet", Email: "post@osloregionen.no"},
		Attendees:   []ical.Person{{Name: "Åse Ødegård", Email: "ase@baerum.kommune.no"}},
	}}}
	b, err := cal.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestICSAttachment(t *testing.T) {
	ics := invitationICS(t)
	pdf := bytes.Repeat([]byte{0, 1, 2, 0xff, 'æ'}, 100)
	m := baseMessage()
	m.HTML = norwegianHTML
	m.Attachments = []Attachment{
		{Filename: "invitasjon.ics", ContentType: "text/calendar; method=REQUEST; charset=utf-8", Data: ics},
		{Filename: "Saksliste – økonomi.pdf", ContentType: "application/pdf", Data: pdf},
		{Filename: "data.bin", Data: []byte("x")},
	}
	_, msg := build(t, m)
	typ, params := mediaType(t, msg.Header.Get("Content-Type"))
	if typ != "multipart/mixed" {
		t.Fatalf("Content-Type %s", typ)
	}
	parts := readParts(t, msg.Body, params["boundary"])
	if len(parts) != 4 {
		t.Fatalf("%d parts", len(parts))
	}

	// First the body, text and HTML.
	typ, params = mediaType(t, parts[0].header["Content-Type"][0])
	if typ != "multipart/alternative" {
		t.Fatalf("first part %s", typ)
	}
	alt := readParts(t, bytes.NewReader(parts[0].body), params["boundary"])
	if len(alt) != 2 || decodeQP(t, bytes.NewReader(alt[0].body)) != crlf(norwegianText) {
		t.Errorf("body parts %+v", alt)
	}

	for i, want := range []struct {
		typ, filename string
		params        map[string]string
		data          []byte
	}{
		{"text/calendar", "invitasjon.ics", map[string]string{"method": "REQUEST", "charset": "utf-8"}, ics},
		{"application/pdf", "Saksliste – økonomi.pdf", nil, pdf},
		{"application/octet-stream", "data.bin", nil, []byte("x")},
	} {
		p := parts[i+1]
		h := func(k string) string {
			if v := p.header[k]; len(v) > 0 {
				return v[0]
			}
			return ""
		}
		typ, params := mediaType(t, h("Content-Type"))
		if typ != want.typ || params["name"] != want.filename {
			t.Errorf("attachment %d: Content-Type %q", i, h("Content-Type"))
		}
		for k, v := range want.params {
			if params[k] != v {
				t.Errorf("attachment %d: %s=%q, want %q", i, k, params[k], v)
			}
		}
		disp, dparams := mediaType(t, h("Content-Disposition"))
		if disp != "attachment" || dparams["filename"] != want.filename {
			t.Errorf("attachment %d: Content-Disposition %q", i, h("Content-Disposition"))
		}
		if h("Content-Transfer-Encoding") != "base64" {
			t.Errorf("attachment %d: Content-Transfer-Encoding %q", i, h("Content-Transfer-Encoding"))
		}
		data, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(p.body), "\r\n", ""))
		if err != nil || !bytes.Equal(data, want.data) {
			t.Errorf("attachment %d: decoded %d octets, %v", i, len(data), err)
		}
	}

	// The invitation survives the trip and is still valid iCalendar.
	data, _ := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(parts[1].body), "\r\n", ""))
	cal, err := ical.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if cal.Method != "REQUEST" || len(cal.Events) != 1 || cal.Events[0].Summary != "Styremøte i Osloregionen" ||
		cal.Events[0].Attendees[0].Name != "Åse Ødegård" {
		t.Errorf("calendar %+v", cal)
	}
}

func TestSubjectEncoding(t *testing.T) {
	dec := new(mime.WordDecoder)
	for _, subject := range []string{
		"Innkalling til styremøte – sak 3/2026: økonomi",
		"ÆØÅ æøå",
		strings.Repeat("Påminnelse om årsmøtet i Østre Toten og Våler samarbeidsråd ", 5),
		"Plain ASCII subject, no encoding",
		"",
		strings.Repeat("x", 2000), // one word too long for a line
		strings.Repeat("ø", 1000),
	} {
		m := baseMessage()
		m.Subject = subject
		b, msg := build(t, m)
		raw := msg.Header.Get("Subject")
		if subject != "" && !isASCII(subject) && !strings.Contains(raw, "=?utf-8?") {
			t.Errorf("%q: not RFC 2047 encoded: %q", subject, raw)
		}
		if isASCII(subject) && len(subject) < 100 && raw != subject {
			t.Errorf("ASCII %q became %q", subject, raw)
		}
		got, err := dec.DecodeHeader(raw)
		if err != nil || got != subject {
			t.Errorf("subject %q came back as %q (%v)\n%s", subject, got, err, b)
		}
	}
}

func TestDisplayNames(t *testing.T) {
	m := baseMessage()
	m.From.Name = `Samarbeidsrådet "Øst", Viken`
	m.To[0].Name = strings.Repeat("Åse Ødegård ", 8)
	_, msg := build(t, m)
	from, err := msg.Header.AddressList("From")
	if err != nil || from[0].Name != m.From.Name {
		t.Errorf("From %v, %v", from, err)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 2 || to[0].Name != m.To[0].Name {
		t.Errorf("To %v, %v", to, err)
	}
}

func TestManyRecipientsFold(t *testing.T) {
	m := baseMessage()
	for i := range 30 {
		m.To = append(m.To, Address{Name: "Medlem " + strings.Repeat("ø", i%5), Email: "medlem" + string(rune('a'+i%26)) + "@example.no"})
	}
	_, msg := build(t, m)
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 32 {
		t.Errorf("%d addresses, %v", len(to), err)
	}
}

func TestExtraHeaders(t *testing.T) {
	m := baseMessage()
	unsub := "<https://samrad.example.no/avmeld/" + strings.Repeat("t", 80) + ">, <mailto:avmeld@osloregionen.no?subject=avmeld>"
	m.Headers = map[string]string{
		"List-Unsubscribe":      unsub,
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"X-Samrad-Kategori":     "Møteinnkalling",
		"Auto-Submitted":        "auto-generated",
	}
	b, msg := build(t, m)
	if got := strings.ReplaceAll(msg.Header.Get("List-Unsubscribe"), "\r\n", ""); got != unsub {
		t.Errorf("List-Unsubscribe %q", got)
	}
	if got := msg.Header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post %q", got)
	}
	if got, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("X-Samrad-Kategori")); got != "Møteinnkalling" {
		t.Errorf("X-Samrad-Kategori %q", got)
	}
	// Extra fields come in a fixed order.
	if !regexp.MustCompile(`(?s)Auto-Submitted:.*List-Unsubscribe:.*List-Unsubscribe-Post:.*X-Samrad-Kategori:`).Match(b) {
		t.Errorf("order of extra fields:\n%s", b)
	}
}

func TestDefaults(t *testing.T) {
	m := baseMessage()
	m.Date = time.Time{}
	before := time.Now().Add(-time.Second)
	_, first := build(t, m)
	_, second := build(t, m)
	id1, id2 := first.Header.Get("Message-ID"), second.Header.Get("Message-ID")
	if !regexp.MustCompile(`^<[0-9a-f]{32}@osloregionen\.no>$`).MatchString(id1) || id1 == id2 {
		t.Errorf("Message-IDs %q and %q", id1, id2)
	}
	date, err := first.Header.Date()
	if err != nil || date.Before(before) || date.After(time.Now()) {
		t.Errorf("Date %v, %v", date, err)
	}
	if m.MessageID != "" || !m.Date.IsZero() {
		t.Error("Bytes changed the message")
	}
	m.MessageID = "<møte-42.1@samrad.example.no>"
	if _, err := m.Bytes(); err == nil {
		t.Error("a non-ASCII Message-ID was accepted")
	}
	m.MessageID = "<meeting-42.1@samrad.example.no>"
	if _, msg := build(t, m); msg.Header.Get("Message-ID") != m.MessageID {
		t.Errorf("Message-ID %q", msg.Header.Get("Message-ID"))
	}
}

// Text with CR, CRLF and LF line ends, trailing spaces and long lines
// comes back with CRLF line ends and its content intact.
func TestTextLines(t *testing.T) {
	m := baseMessage()
	long := strings.Repeat("særskilt ", 40)
	m.Text = "a\r\nb\rc\nslutt med mellomrom   \n" + long + "\n.\n..punktum\nFrom the start"
	_, msg := build(t, m)
	want := "a\r\nb\r\nc\r\nslutt med mellomrom   \r\n" + long + "\r\n.\r\n..punktum\r\nFrom the start\r\n"
	if got := decodeQP(t, msg.Body); got != want {
		t.Errorf("body %q, want %q", got, want)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(m *Message)
		want   string
	}{
		{"subject injection", func(m *Message) { m.Subject = "hi\r\nBcc: x@y.no" }, "Subject contains a line break"},
		{"subject LF", func(m *Message) { m.Subject = "hi\nBcc: x@y.no" }, "Subject contains a line break"},
		{"subject control", func(m *Message) { m.Subject = "hi\x00" }, "Subject contains a control character"},
		{"From name", func(m *Message) { m.From.Name = "Sekretariatet\nBcc: x@y.no" }, "From name contains a line break"},
		{"To name", func(m *Message) { m.To[1].Name = "Per\r\n" }, "To[1] name contains a line break"},
		{"To address", func(m *Message) { m.To[0].Email = "ase@baerum.kommune.no\r\nBcc: x@y.no" }, "To[0] address contains a line break"},
		{"ReplyTo name", func(m *Message) { m.ReplyTo = &Address{Name: "a\nb", Email: "a@b.no"} }, "ReplyTo name contains a line break"},
		{"ReplyTo address", func(m *Message) { m.ReplyTo = &Address{Email: "ikke en adresse"} }, "ReplyTo address"},
		{"header name", func(m *Message) { m.Headers = map[string]string{"X-A\r\nBcc": "x"} }, "contains a line break"},
		{"header name with colon", func(m *Message) { m.Headers = map[string]string{"X-A: b": "x"} }, "not a valid header field name"},
		{"header value", func(m *Message) { m.Headers = map[string]string{"List-Unsubscribe": "<x>\r\nBcc: x@y.no"} }, `Headers["List-Unsubscribe"] value contains a line break`},
		{"reserved header", func(m *Message) { m.Headers = map[string]string{"bcc": "x@y.no"} }, "cannot be set as an extra header"},
		{"reserved Content-Type", func(m *Message) { m.Headers = map[string]string{"Content-Type": "text/html"} }, "cannot be set"},
		{"attachment filename", func(m *Message) { m.Attachments = []Attachment{{Filename: "a.ics\r\nBcc: x@y.no"}} }, "Attachments[0].Filename contains a line break"},
		{"attachment without name", func(m *Message) { m.Attachments = []Attachment{{}} }, "Attachments[0].Filename is empty"},
		{"attachment type", func(m *Message) { m.Attachments = []Attachment{{Filename: "a", ContentType: "text/calendar; ; x"}} }, "Attachments[0].ContentType"},
		{"no To", func(m *Message) { m.To = nil }, "To is empty"},
		{"no Text", func(m *Message) { m.Text = " \n" }, "Text is empty"},
		{"no From", func(m *Message) { m.From = Address{} }, "From address is empty"},
		{"unparsable", func(m *Message) { m.To[0].Email = "åse at bærum" }, "To[0] address"},
		{"no dot", func(m *Message) { m.To[0].Email = "ase@localhost" }, "has no domain with a dot"},
		{"trailing dot", func(m *Message) { m.To[0].Email = "ase@baerum.no." }, "To[0] address"},
		{"name in address", func(m *Message) { m.To[0].Email = "Åse <ase@baerum.no>" }, "To[0] address"},
		{"ASCII name in address", func(m *Message) { m.To[0].Email = "Ase <ase@baerum.no>" }, "not a bare address"},
		{"two addresses", func(m *Message) { m.To[0].Email = "a@b.no, c@d.no" }, "To[0] address"},
		{"non-ASCII address", func(m *Message) { m.To[0].Email = "åse@bærum.no" }, "not ASCII"},
		{"message ID", func(m *Message) { m.MessageID = "<a@b>\r\nBcc: x@y.no" }, "MessageID"},
		{"message ID form", func(m *Message) { m.MessageID = "no-brackets@example.no" }, "MessageID"},
	} {
		m := baseMessage()
		tc.change(m)
		err := m.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
			continue
		}
		if b, err := m.Bytes(); err == nil || b != nil {
			t.Errorf("%s: Bytes built the message", tc.name)
		}
	}
	if err := baseMessage().Validate(); err != nil {
		t.Errorf("valid message: %v", err)
	}
}

// A hostile value cannot end the header block or add a field, whatever
// way it tries.
func TestNoInjectedFields(t *testing.T) {
	m := baseMessage()
	m.Subject = "hi Bcc: x@y.no"
	m.To[0].Name = `Åse" <evil@y.no>, "x`
	m.From.Name = "Sekretariatet <evil@y.no>"
	_, msg := build(t, m)
	if msg.Header.Get("Bcc") != "" {
		t.Error("a Bcc field appeared")
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 2 || to[0].Address != "ase@baerum.kommune.no" || to[0].Name != m.To[0].Name {
		t.Errorf("To %v, %v", to, err)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Address != "post@osloregionen.no" {
		t.Errorf("From %v, %v", from, err)
	}
}

func TestHeaderFolding(t *testing.T) {
	var b bytes.Buffer
	header(&b, "Subject", "kort")
	header(&b, "X-Long", strings.Repeat("ord ", 40))
	header(&b, "X-Word", strings.Repeat("y", 100)+" slutt")
	header(&b, "X-Spaces", strings.Repeat("a", 70)+strings.Repeat(" ", 20)+"b")
	header(&b, "X-Trailing", strings.Repeat("z", 80)+"    ")
	for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n") {
		if strings.TrimSpace(l) == "" {
			t.Errorf("a line of only white space in\n%s", b.String())
		}
		if len(l) > 78 && strings.Contains(strings.TrimSpace(l[1:]), " ") {
			t.Errorf("line of %d octets with a space to fold at: %q", len(l), l)
		}
	}
	// Unfolding, removing each CRLF, restores every field.
	want := "Subject: kort\r\nX-Long: " + strings.Repeat("ord ", 40) + "\r\nX-Word: " + strings.Repeat("y", 100) + " slutt\r\n" +
		"X-Spaces: " + strings.Repeat("a", 70) + strings.Repeat(" ", 20) + "b\r\nX-Trailing: " + strings.Repeat("z", 80) + "    \r\n"
	if got := strings.ReplaceAll(b.String(), "\r\n ", " "); got != want {
		t.Errorf("unfolded\n%q, want\n%q", got, want)
	}
	if _, err := netmail.ReadMessage(strings.NewReader(b.String() + "\r\n")); err != nil {
		t.Fatal(err)
	}
}
