package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad/internal/smtptest"
)

func senderFor(s *smtptest.Server, cfg SMTPConfig) *Sender {
	cfg.Host, cfg.Port = s.Host(), s.Port()
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	return NewSender(cfg)
}

func TestSend(t *testing.T) {
	srv := smtptest.Start(t)
	m := baseMessage()
	m.HTML = norwegianHTML
	m.Attachments = []Attachment{{Filename: "invitasjon.ics", ContentType: "text/calendar; method=REQUEST; charset=utf-8", Data: invitationICS(t)}}
	if err := senderFor(srv, SMTPConfig{HeloName: "samrad.example.no"}).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	msgs, err := srv.WaitFor(1, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	r := msgs[0]
	if r.From != "post@osloregionen.no" || strings.Join(r.To, " ") != "ase@baerum.kommune.no per@as.kommune.no" || r.Helo != "samrad.example.no" {
		t.Errorf("envelope %+v", r)
	}
	checkWire(t, r.Data)
	msg, err := netmail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); got != m.Subject {
		t.Errorf("subject %q", got)
	}
	if typ, _, _ := mime.ParseMediaType(msg.Header.Get("Content-Type")); typ != "multipart/mixed" {
		t.Errorf("Content-Type %q", typ)
	}
	if !bytes.Contains(bytes.ReplaceAll(r.Data, []byte("\r\n "), []byte(" ")), []byte("\r\nContent-Type: text/calendar; charset=utf-8; method=REQUEST; name=invitasjon.ics\r\n")) {
		t.Errorf("no calendar part in\n%s", r.Data)
	}
}

// Lines of the body that start with a dot survive SMTP's dot-stuffing.
func TestSendDots(t *testing.T) {
	srv := smtptest.Start(t)
	m := baseMessage()
	m.Text = ".\n..\n.skjult linje\nslutt\n"
	if err := senderFor(srv, SMTPConfig{}).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(srv.Messages()[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeQP(t, msg.Body); got != crlf(m.Text) {
		t.Errorf("body %q", got)
	}
}

func TestSendFailures(t *testing.T) {
	srv := smtptest.Start(t,
		smtptest.WithFailures(func(rcpt string) (int, string) {
			switch rcpt {
			case "full@example.no":
				return 452, "4.2.2 Mailbox full"
			case "gone@example.no":
				return 550, "5.1.1 No such user"
			}
			return 0, ""
		}),
		smtptest.WithDataFailures(func(rcpt string) (int, string) {
			switch rcpt {
			case "greylist@example.no":
				return 451, "4.7.1 Greylisted, try again"
			case "spam@example.no":
				return 554, "5.7.1 Rejected as spam"
			}
			return 0, ""
		}))
	snd := senderFor(srv, SMTPConfig{})
	for _, tc := range []struct {
		rcpt      string
		code      int
		temporary bool
		step      string
	}{
		{"full@example.no", 452, true, "RCPT TO:<full@example.no>"},
		{"gone@example.no", 550, false, "RCPT TO:<gone@example.no>"},
		{"greylist@example.no", 451, true, "end of DATA"},
		{"spam@example.no", 554, false, "end of DATA"},
	} {
		m := baseMessage()
		m.To = append(m.To, Address{Email: tc.rcpt})
		err := snd.Send(context.Background(), m)
		var te *textproto.Error
		if !errors.As(err, &te) || te.Code != tc.code {
			t.Errorf("%s: %v, want code %d", tc.rcpt, err, tc.code)
			continue
		}
		if IsTemporary(err) != tc.temporary {
			t.Errorf("%s: IsTemporary = %v", tc.rcpt, !tc.temporary)
		}
		if !strings.Contains(err.Error(), tc.step) {
			t.Errorf("%s: error %q does not name %s", tc.rcpt, err, tc.step)
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages kept; a refused recipient aborts the message", n)
	}
}

func TestSendAuth(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithAuth("samrad", "hemmelig"))
	if err := senderFor(srv, SMTPConfig{Username: "samrad", Password: "hemmelig"}).Send(context.Background(), baseMessage()); err != nil {
		t.Fatal(err)
	}
	if m := srv.Messages(); len(m) != 1 || m[0].AuthUser != "samrad" {
		t.Errorf("messages %+v", m)
	}
	err := senderFor(srv, SMTPConfig{Username: "samrad", Password: "feil"}).Send(context.Background(), baseMessage())
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != 535 || IsTemporary(err) {
		t.Errorf("wrong password: %v", err)
	}
	err = senderFor(srv, SMTPConfig{}).Send(context.Background(), baseMessage())
	if !errors.As(err, &te) || te.Code != 530 || !strings.Contains(err.Error(), "MAIL FROM") {
		t.Errorf("no credentials: %v", err)
	}
	// The server does not offer AUTH: a configured user is an error.
	plain := smtptest.Start(t)
	if err := senderFor(plain, SMTPConfig{Username: "samrad", Password: "hemmelig"}).Send(context.Background(), baseMessage()); err == nil ||
		!strings.Contains(err.Error(), "does not offer AUTH PLAIN") {
		t.Errorf("AUTH not offered: %v", err)
	}
}

// via makes a Sender that believes it talks to host, but reaches srv.
func via(srv *smtptest.Server, host string, cfg SMTPConfig) *Sender {
	cfg.Host, cfg.Port, cfg.Timeout = host, 587, 5*time.Second
	s := NewSender(cfg)
	s.dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr != net.JoinHostPort(host, "587") {
			return nil, fmt.Errorf("dial %s", addr)
		}
		return (&net.Dialer{}).DialContext(ctx, network, srv.Addr)
	}
	return s
}

// A password goes over plain text only to a loopback host.
func TestSendRefusesPlainTextAuth(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithAuth("samrad", "hemmelig"))
	err := via(srv, "smtp.example.no", SMTPConfig{Username: "samrad", Password: "hemmelig"}).Send(context.Background(), baseMessage())
	if err == nil || !strings.Contains(err.Error(), "without TLS") || IsTemporary(err) {
		t.Errorf("error %v", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages sent", n)
	}
	for host, want := range map[string]bool{"localhost": true, "127.0.0.1": true, "127.0.0.2": true, "::1": true, "10.0.0.1": false, "smtp.example.no": false} {
		if isLoopback(host) != want {
			t.Errorf("isLoopback(%q) = %v", host, !want)
		}
	}
}

func TestSendStartTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithStartTLS(), smtptest.WithAuth("samrad", "hemmelig"))
	s := via(srv, "smtp.example.no", SMTPConfig{StartTLS: true, Username: "samrad", Password: "hemmelig"})
	s.tlsConfig = &tls.Config{RootCAs: srv.RootCAs(), ServerName: "localhost"}
	if err := s.Send(context.Background(), baseMessage()); err != nil {
		t.Fatal(err)
	}
	if m := srv.Messages(); len(m) != 1 || !m[0].TLS || m[0].AuthUser != "samrad" {
		t.Errorf("messages %+v", m)
	}

	// A certificate that does not verify for the host stops the message.
	s.tlsConfig = &tls.Config{RootCAs: srv.RootCAs()} // ServerName becomes smtp.example.no
	err := s.Send(context.Background(), baseMessage())
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") || IsTemporary(err) {
		t.Errorf("wrong certificate: %v (temporary %v)", err, IsTemporary(err))
	}

	// A server without STARTTLS cannot be used when it is required.
	plain := smtptest.Start(t)
	err = senderFor(plain, SMTPConfig{StartTLS: true}).Send(context.Background(), baseMessage())
	if err == nil || !strings.Contains(err.Error(), "does not offer STARTTLS") || IsTemporary(err) {
		t.Errorf("no STARTTLS: %v", err)
	}
	if n := len(plain.Messages()); n != 0 {
		t.Errorf("%d messages sent in plain text", n)
	}
}

func TestSendTimeout(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithDelay(10*time.Second))
	start := time.Now()
	err := senderFor(srv, SMTPConfig{Timeout: 300 * time.Millisecond}).Send(context.Background(), baseMessage())
	if err == nil || !IsTemporary(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v (temporary %v)", err, IsTemporary(err))
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the timeout took %v", d)
	}

	// Cancelling the context stops the conversation and is permanent.
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start = time.Now()
	err = senderFor(srv, SMTPConfig{}).Send(ctx, baseMessage())
	if err == nil || !errors.Is(err, context.Canceled) || IsTemporary(err) {
		t.Errorf("cancelled: %v (temporary %v)", err, IsTemporary(err))
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("cancelling took %v", d)
	}
}

func TestSendUnreachable(t *testing.T) {
	srv := smtptest.Start(t)
	snd := senderFor(srv, SMTPConfig{})
	srv.Close()
	err := snd.Send(context.Background(), baseMessage())
	if err == nil || !IsTemporary(err) || !strings.Contains(err.Error(), "connect to") {
		t.Errorf("error %v (temporary %v)", err, IsTemporary(err))
	}
}

// An invalid message is refused before any connection.
func TestSendInvalid(t *testing.T) {
	dialled := false
	s := NewSender(SMTPConfig{Host: "smtp.example.no"})
	s.dial = func(context.Context, string, string) (net.Conn, error) {
		dialled = true
		return nil, errors.New("no")
	}
	m := baseMessage()
	m.Subject = "hi\r\nBcc: x@y.no"
	err := s.Send(context.Background(), m)
	if err == nil || dialled || IsTemporary(err) {
		t.Errorf("error %v, dialled %v", err, dialled)
	}
	if err := NewSender(SMTPConfig{}).Send(context.Background(), baseMessage()); err == nil || !strings.Contains(err.Error(), "no SMTP host") {
		t.Errorf("no host: %v", err)
	}
}

func TestIsTemporary(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("mail: Subject contains a line break"), false},
		{fmt.Errorf("x: %w", &textproto.Error{Code: 421, Msg: "closing"}), true},
		{fmt.Errorf("x: %w", &textproto.Error{Code: 450, Msg: "busy"}), true},
		{fmt.Errorf("x: %w", &textproto.Error{Code: 500, Msg: "what"}), false},
		{fmt.Errorf("x: %w", &textproto.Error{Code: 554, Msg: "no"}), false},
		{fmt.Errorf("x: %w", io.EOF), true},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), true},
		{fmt.Errorf("x: %w", context.Canceled), false},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, true},
		{&net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}, false},
		{&net.DNSError{Err: "server misbehaving", Name: "x", IsTemporary: true}, true},
	} {
		if got := IsTemporary(tc.err); got != tc.want {
			t.Errorf("IsTemporary(%v) = %v", tc.err, got)
		}
	}
}

// Default port and EHLO name.
func TestDefaults587(t *testing.T) {
	var got string
	for _, tc := range []struct {
		cfg  SMTPConfig
		want string
	}{
		{SMTPConfig{Host: "smtp.example.no"}, "smtp.example.no:25"},
		{SMTPConfig{Host: "smtp.example.no", StartTLS: true}, "smtp.example.no:587"},
		{SMTPConfig{Host: "smtp.example.no", Port: 2525}, "smtp.example.no:2525"},
	} {
		s := NewSender(tc.cfg)
		s.dial = func(_ context.Context, _, addr string) (net.Conn, error) {
			got = addr
			return nil, errors.New("no")
		}
		s.Send(context.Background(), baseMessage())
		if got != tc.want {
			t.Errorf("%+v dialled %s, want %s", tc.cfg, got, tc.want)
		}
	}
	if n := NewSender(SMTPConfig{}).heloName(); n == "" || strings.ContainsAny(n, " \r\n") {
		t.Errorf("EHLO name %q", n)
	}
}
