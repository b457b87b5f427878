package mail

import (
	"bytes"
	"mime"
	netmail "net/mail"
	"sort"
	"strings"
	"testing"
)

// FuzzBytes feeds hostile text to every field that reaches a header. What
// Validate accepts must build into a message that net/mail reads with
// exactly the fields the message set, the subject and names intact.
func FuzzBytes(f *testing.F) {
	f.Add("Innkalling til styremøte", "Åse Ødegård", "Sekretariatet", "<https://samrad.example.no/avmeld>", "invitasjon.ics")
	f.Add("hi\r\nBcc: x@y.no", "a\nb", `"Øst" <x@y.no>`, "v\r\n\r\nbody", "a\".ics")
	f.Add(strings.Repeat("ø ", 100), strings.Repeat("x", 200), "=?utf-8?q?x?=", strings.Repeat("t", 300), "f;name=x")
	f.Fuzz(func(t *testing.T, subject, toName, fromName, headerValue, filename string) {
		m := &Message{
			From:        Address{Name: fromName, Email: "post@osloregionen.no"},
			To:          []Address{{Name: toName, Email: "ase@baerum.kommune.no"}},
			Subject:     subject,
			Text:        "Hei",
			Headers:     map[string]string{"List-Unsubscribe": headerValue},
			Attachments: []Attachment{{Filename: filename, ContentType: "text/calendar; method=REQUEST", Data: []byte("x")}},
		}
		b, err := m.Bytes()
		if err != nil {
			return
		}
		msg, err := netmail.ReadMessage(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("built message does not parse: %v\n%s", err, b)
		}
		var names []string
		for k := range msg.Header {
			names = append(names, k)
		}
		sort.Strings(names)
		want := "Content-Type Date From List-Unsubscribe Message-Id Mime-Version Subject To"
		if got := strings.Join(names, " "); got != want {
			t.Fatalf("header fields %s, want %s\n%s", got, want, b)
		}
		dec := new(mime.WordDecoder)
		if got, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || got != strings.TrimSpace(subject) && got != subject {
			t.Fatalf("subject %q came back as %q (%v)", subject, got, err)
		}
		to, err := msg.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != "ase@baerum.kommune.no" {
			t.Fatalf("To %v, %v\n%s", to, err, b)
		}
	})
}
