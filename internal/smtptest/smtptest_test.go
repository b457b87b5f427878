package smtptest

import (
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const message = "From: a@example.no\r\nTo: b@example.no\r\nSubject: Hei\r\n\r\nHei på deg, Åse!\r\n"

func TestSendMail(t *testing.T) {
	s := Start(t)
	if s.Host() != "127.0.0.1" || s.Port() == 0 || s.Addr != net.JoinHostPort(s.Host(), strconv.Itoa(s.Port())) {
		t.Fatalf("address %q, host %q, port %d", s.Addr, s.Host(), s.Port())
	}
	if err := smtp.SendMail(s.Addr, nil, "a@example.no", []string{"b@example.no", "c@example.no"}, []byte(message)); err != nil {
		t.Fatal(err)
	}
	msgs, err := s.WaitFor(1, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	m := msgs[0]
	if m.From != "a@example.no" || strings.Join(m.To, ",") != "b@example.no,c@example.no" ||
		string(m.Data) != message || m.Helo != "localhost" || m.TLS || m.AuthUser != "" || m.At.IsZero() {
		t.Errorf("received %+v", m)
	}
	// Messages returns a copy.
	msgs[0].Data[0] = 'X'
	msgs[0].To[0] = "x"
	if got := s.Messages()[0]; got.Data[0] != 'F' || got.To[0] != "b@example.no" {
		t.Error("Messages shares memory with the server")
	}
}

// Lines starting with a dot arrive unstuffed; only "." alone ends the data.
func TestDotStuffing(t *testing.T) {
	s := Start(t)
	body := "Subject: prikker\r\n\r\n.\r\n..\r\n.skjult\r\nslutt .\r\n. \r\n"
	if err := smtp.SendMail(s.Addr, nil, "a@example.no", []string{"b@example.no"}, []byte(body)); err != nil {
		t.Fatal(err)
	}
	if got := string(s.Messages()[0].Data); got != body {
		t.Errorf("data %q, want %q", got, body)
	}
	// By hand: the client stuffs, the server unstuffs.
	c := dial(t, s)
	c.cmd(t, "EHLO test", 250)
	c.cmd(t, "MAIL FROM:<>", 250)
	c.cmd(t, "RCPT TO:<b@example.no>", 250)
	c.cmd(t, "DATA", 354)
	c.cmd(t, "..ein\r\n...to\r\n.", 250)
	if got := string(s.Messages()[1].Data); got != ".ein\r\n..to\r\n" {
		t.Errorf("data %q", got)
	}
	if s.Messages()[1].From != "" {
		t.Errorf("null reverse-path came as %q", s.Messages()[1].From)
	}
}

// conn is a raw SMTP connection for exercising the protocol by hand.
type conn struct {
	*textproto.Conn
	nc net.Conn
}

func dial(t *testing.T, s *Server) *conn {
	t.Helper()
	nc, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	c := &conn{textproto.NewConn(nc), nc}
	t.Cleanup(func() { c.Close() })
	if _, _, err := c.ReadResponse(220); err != nil {
		t.Fatal(err)
	}
	return c
}

// cmd sends a line and checks the reply code.
func (c *conn) cmd(t *testing.T, line string, want int) string {
	t.Helper()
	if err := c.PrintfLine("%s", line); err != nil {
		t.Fatal(err)
	}
	code, msg, err := c.ReadResponse(want)
	if err != nil {
		t.Fatalf("%q: %d %s (want %d): %v", line, code, msg, want, err)
	}
	return msg
}

func TestSequence(t *testing.T) {
	s := Start(t)
	c := dial(t, s)
	c.cmd(t, "MAIL FROM:<a@example.no>", 503) // before EHLO
	c.cmd(t, "EHLO", 501)
	c.cmd(t, "RCPT TO:<b@example.no>", 503) // before MAIL
	c.cmd(t, "DATA", 503)
	c.cmd(t, "FROB", 500)
	c.cmd(t, "", 500)
	c.cmd(t, "VRFY a@example.no", 502)
	c.cmd(t, "AUTH PLAIN", 502) // not configured
	c.cmd(t, "STARTTLS", 502)   // not configured
	ext := c.cmd(t, "EHLO klient.example.no", 250)
	for _, want := range []string{"PIPELINING", "8BITMIME", "SIZE 10485760", "ENHANCEDSTATUSCODES"} {
		if !strings.Contains(ext, want) {
			t.Errorf("EHLO reply %q lacks %s", ext, want)
		}
	}
	if strings.Contains(ext, "AUTH") || strings.Contains(ext, "STARTTLS") {
		t.Errorf("EHLO advertises what is not configured: %q", ext)
	}
	c.cmd(t, "MAIL TO:<a@example.no>", 501)
	c.cmd(t, "MAIL FROM:a@example.no", 501)
	c.cmd(t, "MAIL FROM:<a@example.no> FOO=BAR", 555)
	c.cmd(t, "mail from:<a@example.no> BODY=8BITMIME SIZE=100", 250)
	c.cmd(t, "MAIL FROM:<a@example.no>", 503) // nested
	c.cmd(t, "DATA", 503)                     // no recipient
	c.cmd(t, "RCPT TO:<>", 501)
	c.cmd(t, "RCPT TO:<ingen-domene>", 501)
	c.cmd(t, "RCPT TO:<b@example.no>", 250)
	c.cmd(t, "NOOP", 250)
	c.cmd(t, "RSET", 250)
	c.cmd(t, "DATA", 503) // RSET ended the transaction
	c.cmd(t, "MAIL FROM:<a@example.no>", 250)
	c.cmd(t, "RCPT TO:<@relay.example.no:b@example.no>", 250) // source route
	c.cmd(t, "DATA x", 501)
	c.cmd(t, "DATA", 354)
	c.cmd(t, "Hei\r\n.", 250)
	c.cmd(t, "QUIT", 221)
	if _, err := c.ReadLine(); err == nil {
		t.Error("the connection is open after QUIT")
	}
	m := s.Messages()
	if len(m) != 1 || m[0].To[0] != "b@example.no" || m[0].Helo != "klient.example.no" {
		t.Errorf("messages %+v", m)
	}
}

func TestHelo(t *testing.T) {
	s := Start(t)
	c := dial(t, s)
	if msg := c.cmd(t, "HELO klient", 250); msg != "localhost" {
		t.Errorf("HELO reply %q", msg)
	}
	c.cmd(t, "MAIL FROM:<a@example.no>", 250)
	c.cmd(t, "HELO klient", 250) // resets the transaction
	c.cmd(t, "RCPT TO:<b@example.no>", 503)
}

func TestLongCommandLine(t *testing.T) {
	s := Start(t)
	c := dial(t, s)
	c.cmd(t, "NOOP "+strings.Repeat("x", 5000), 500)
	c.cmd(t, "NOOP", 250)
}

func TestTooManyErrors(t *testing.T) {
	s := Start(t)
	c := dial(t, s)
	for range maxErrors - 1 {
		c.cmd(t, "FROB", 500)
	}
	c.cmd(t, "FROB", 421)
	if _, err := c.ReadLine(); err == nil {
		t.Error("the connection is open after 421")
	}
}

func TestPipelining(t *testing.T) {
	s := Start(t)
	c := dial(t, s)
	c.cmd(t, "EHLO test", 250)
	// The whole transaction in one write, as RFC 2920 allows.
	batch := "MAIL FROM:<a@example.no>\r\nRCPT TO:<b@example.no>\r\nRCPT TO:<c@example.no>\r\nDATA\r\n"
	if _, err := c.W.WriteString(batch); err != nil {
		t.Fatal(err)
	}
	c.W.Flush()
	for _, want := range []int{250, 250, 250, 354} {
		if _, _, err := c.ReadResponse(want); err != nil {
			t.Fatal(err)
		}
	}
	c.W.WriteString("Subject: samlet\r\n\r\nhei\r\n.\r\nNOOP\r\nQUIT\r\n")
	c.W.Flush()
	for _, want := range []int{250, 250, 221} {
		if _, _, err := c.ReadResponse(want); err != nil {
			t.Fatal(err)
		}
	}
	m := s.Messages()
	if len(m) != 1 || len(m[0].To) != 2 || string(m[0].Data) != "Subject: samlet\r\n\r\nhei\r\n" {
		t.Errorf("messages %+v", m)
	}
}

func TestSizeLimit(t *testing.T) {
	s := Start(t, WithMaxSize(100))
	c := dial(t, s)
	if ext := c.cmd(t, "EHLO test", 250); !strings.Contains(ext, "SIZE 100") {
		t.Errorf("EHLO reply %q", ext)
	}
	c.cmd(t, "MAIL FROM:<a@example.no> SIZE=101", 552)
	c.cmd(t, "MAIL FROM:<a@example.no> SIZE=x", 501)
	c.cmd(t, "MAIL FROM:<a@example.no> SIZE=100", 250)
	c.cmd(t, "RCPT TO:<b@example.no>", 250)
	c.cmd(t, "DATA", 354)
	c.cmd(t, strings.Repeat("0123456789\r\n", 9)+strings.Repeat("x", 200)+"\r\n.", 552)
	// The session goes on; a message at the limit passes.
	c.cmd(t, "MAIL FROM:<a@example.no>", 250)
	c.cmd(t, "RCPT TO:<b@example.no>", 250)
	c.cmd(t, "DATA", 354)
	c.cmd(t, strings.Repeat("x", 98)+"\r\n.", 250)
	if m := s.Messages(); len(m) != 1 || len(m[0].Data) != 100 {
		t.Errorf("messages %+v", m)
	}
}

func TestBareLineEnds(t *testing.T) {
	s := Start(t)
	c := dial(t, s)
	c.cmd(t, "EHLO test", 250)
	for _, data := range []string{"bare LF\n.\r\n", "bare\rCR\r\n.\r\n", "a\r\n.\n.\r\n"} {
		c.cmd(t, "MAIL FROM:<a@example.no>", 250)
		c.cmd(t, "RCPT TO:<b@example.no>", 250)
		c.cmd(t, "DATA", 354)
		c.W.WriteString(data)
		c.W.Flush()
		if code, msg, err := c.ReadResponse(550); err != nil {
			t.Errorf("%q: %d %s", data, code, msg)
		}
	}
	if m := s.Messages(); len(m) != 0 {
		t.Errorf("messages with bare line ends were kept: %+v", m)
	}
}

func TestFailures(t *testing.T) {
	s := Start(t,
		WithFailures(func(rcpt string) (int, string) {
			switch {
			case strings.HasPrefix(rcpt, "opptatt@"):
				return 450, "4.2.1 Mailbox busy"
			case strings.HasPrefix(rcpt, "ukjent@"):
				return 550, ""
			}
			return 0, ""
		}),
		WithDataFailures(func(rcpt string) (int, string) {
			if strings.HasPrefix(rcpt, "sent@") {
				return 451, "4.3.0 Local error"
			}
			return 0, ""
		}))
	c, err := smtp.Dial(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("a@example.no"); err != nil {
		t.Fatal(err)
	}
	for rcpt, want := range map[string]int{"opptatt@example.no": 450, "ukjent@example.no": 550} {
		var te *textproto.Error
		if err := c.Rcpt(rcpt); !errors.As(err, &te) || te.Code != want {
			t.Errorf("RCPT %s: %v, want %d", rcpt, err, want)
		}
	}
	if err := c.Rcpt("sent@example.no"); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(w, message)
	var te *textproto.Error
	if err := w.Close(); !errors.As(err, &te) || te.Code != 451 {
		t.Errorf("end of DATA: %v, want 451", err)
	}
	if err := c.Quit(); err != nil {
		t.Error(err)
	}
	if m := s.Messages(); len(m) != 0 {
		t.Errorf("refused message kept: %+v", m)
	}
}

func TestAuth(t *testing.T) {
	s := Start(t, WithAuth("samrad", "hemmelig"))
	c, err := smtp.Dial(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("test"); err != nil {
		t.Fatal(err)
	}
	if ok, params := c.Extension("AUTH"); !ok || params != "PLAIN" {
		t.Errorf("AUTH extension %v %q", ok, params)
	}
	var te *textproto.Error
	if err := c.Mail("a@example.no"); !errors.As(err, &te) || te.Code != 530 {
		t.Errorf("MAIL without AUTH: %v", err)
	}
	if err := c.Auth(smtp.PlainAuth("", "samrad", "hemmelig", "127.0.0.1")); err != nil {
		t.Fatal(err)
	}
	send(t, c, "a@example.no", "b@example.no")
	if m := s.Messages(); len(m) != 1 || m[0].AuthUser != "samrad" {
		t.Errorf("messages %+v", m)
	}

	// net/smtp gives up the connection after a failed AUTH.
	c2, err := smtp.Dial(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if err := c2.Auth(smtp.PlainAuth("", "samrad", "feil", "127.0.0.1")); !errors.As(err, &te) || te.Code != 535 {
		t.Errorf("wrong password: %v", err)
	}
}

// AUTH PLAIN without an initial response gets an empty challenge.
func TestAuthChallenge(t *testing.T) {
	s := Start(t, WithAuth("samrad", "hemmelig"))
	c := dial(t, s)
	c.cmd(t, "AUTH PLAIN", 503) // before EHLO
	c.cmd(t, "EHLO test", 250)
	c.cmd(t, "AUTH LOGIN", 504)
	c.cmd(t, "AUTH PLAIN", 334)
	c.cmd(t, "*", 501)
	c.cmd(t, "AUTH PLAIN", 334)
	c.cmd(t, "ikke base64!", 501)
	c.cmd(t, "AUTH PLAIN "+base64.StdEncoding.EncodeToString([]byte("andre\x00samrad\x00hemmelig")), 535)
	c.cmd(t, "AUTH PLAIN", 334)
	c.cmd(t, base64.StdEncoding.EncodeToString([]byte("\x00samrad\x00hemmelig")), 235)
	c.cmd(t, "MAIL FROM:<a@example.no>", 250)
	c.cmd(t, "AUTH PLAIN", 503) // during a transaction
	c.cmd(t, "RSET", 250)
	c.cmd(t, "AUTH PLAIN", 503) // again
}

func TestStartTLS(t *testing.T) {
	s := Start(t, WithStartTLS(), WithAuth("samrad", "hemmelig"))
	c, err := smtp.Dial(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("test"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		t.Fatal("STARTTLS not advertised")
	}
	if err := c.StartTLS(&tls.Config{ServerName: s.Host(), RootCAs: s.RootCAs()}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		t.Error("STARTTLS advertised inside TLS")
	}
	if err := c.Auth(smtp.PlainAuth("", "samrad", "hemmelig", s.Host())); err != nil {
		t.Fatal(err)
	}
	send(t, c, "a@example.no", "b@example.no")
	if m := s.Messages(); len(m) != 1 || !m[0].TLS || m[0].AuthUser != "samrad" {
		t.Errorf("messages %+v", m)
	}

	// A client that does not trust the certificate fails the handshake.
	c2, err := smtp.Dial(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if err := c2.StartTLS(&tls.Config{ServerName: s.Host()}); err == nil {
		t.Error("an unknown certificate was accepted")
	}
}

// STARTTLS forgets the greeting: the client must send EHLO again.
func TestStartTLSResets(t *testing.T) {
	s := Start(t, WithStartTLS())
	c := dial(t, s)
	c.cmd(t, "STARTTLS", 503) // before EHLO
	c.cmd(t, "EHLO test", 250)
	c.cmd(t, "STARTTLS x", 501)
	c.cmd(t, "STARTTLS", 220)
	if c.R.Buffered() > 0 {
		t.Fatal("buffered input before the TLS handshake")
	}
	tc := tls.Client(c.nc, &tls.Config{ServerName: s.Host(), RootCAs: s.RootCAs()})
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	tp := &conn{textproto.NewConn(tc), tc}
	tp.cmd(t, "MAIL FROM:<a@example.no>", 503)
	tp.cmd(t, "EHLO test", 250)
	tp.cmd(t, "STARTTLS", 503)
	tp.cmd(t, "QUIT", 221)
}

// Commands pipelined behind STARTTLS are not carried into TLS.
func TestStartTLSInjection(t *testing.T) {
	s := Start(t, WithStartTLS())
	c := dial(t, s)
	c.cmd(t, "EHLO test", 250)
	c.W.WriteString("STARTTLS\r\nMAIL FROM:<inject@example.no>\r\n")
	c.W.Flush()
	if code, msg, err := c.ReadResponse(554); err != nil {
		t.Errorf("%d %s: %v", code, msg, err)
	}
	if _, err := c.ReadLine(); err == nil {
		t.Error("the connection is open")
	}
}

func send(t *testing.T, c *smtp.Client, from string, to ...string) {
	t.Helper()
	if err := c.Mail(from); err != nil {
		t.Fatal(err)
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			t.Fatal(err)
		}
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(w, message)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrent(t *testing.T) {
	s := Start(t, WithDelay(20*time.Millisecond))
	const n = 25
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			to := fmt.Sprintf("mottaker%d@example.no", i)
			errs <- smtp.SendMail(s.Addr, nil, "a@example.no", []string{to}, []byte(message))
		})
	}
	start := time.Now()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if d := time.Since(start); d > n*20*time.Millisecond {
		t.Errorf("%d sessions took %v: not served concurrently", n, d)
	}
	msgs, err := s.WaitFor(n, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		seen[m.To[0]] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct recipients of %d", len(seen), n)
	}
}

func TestDelayAndWaitFor(t *testing.T) {
	s := Start(t, WithDelay(300*time.Millisecond))
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		done <- smtp.SendMail(s.Addr, nil, "a@example.no", []string{"b@example.no"}, []byte(message))
	}()
	if msgs, err := s.WaitFor(1, 50*time.Millisecond); err == nil || len(msgs) != 0 {
		t.Errorf("WaitFor before the delay: %d messages, %v", len(msgs), err)
	}
	msgs, err := s.WaitFor(1, 5*time.Second)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("WaitFor: %d messages, %v", len(msgs), err)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("the message arrived after %v, before the delay", d)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestClose(t *testing.T) {
	s := Start(t, WithDelay(time.Hour))
	c := dial(t, s)
	c.cmd(t, "EHLO test", 250)
	c.cmd(t, "MAIL FROM:<a@example.no>", 250)
	c.cmd(t, "RCPT TO:<b@example.no>", 250)
	c.cmd(t, "DATA", 354)
	c.W.WriteString("hei\r\n.\r\n")
	c.W.Flush()
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waits for the delay")
	}
	s.Close() // twice is fine
	if _, err := net.DialTimeout("tcp", s.Addr, time.Second); err == nil {
		t.Error("the server still accepts connections")
	}
	if len(s.Messages()) != 0 {
		t.Error("a message was kept")
	}
}
