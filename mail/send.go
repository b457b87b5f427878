package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"
)

// SMTPConfig is how to reach the SMTP server that relays Samråd's mail.
type SMTPConfig struct {
	Host string
	Port int // default 587 with StartTLS, else 25

	// Username and Password, if Username is set, authenticate with AUTH
	// PLAIN. Send refuses to send them unencrypted unless Host is a
	// loopback address.
	Username, Password string

	// StartTLS requires STARTTLS: Send fails if the server does not offer
	// it or the certificate does not verify for Host.
	StartTLS bool

	Timeout  time.Duration // for the whole conversation; default 30 s
	HeloName string        // the EHLO name; default the host name if it has a dot, else "localhost"
}

const (
	defaultTimeout    = 30 * time.Second
	defaultPort       = 25
	defaultSubmission = 587
)

// Sender sends messages through one SMTP server. It is safe for concurrent
// use; each Send is a conversation of its own.
type Sender struct {
	cfg SMTPConfig

	// For tests: the TLS configuration STARTTLS starts from, and how to
	// reach the server.
	tlsConfig *tls.Config
	dial      func(ctx context.Context, network, addr string) (net.Conn, error)
}

// NewSender returns a Sender for cfg.
func NewSender(cfg SMTPConfig) *Sender {
	return &Sender{cfg: cfg}
}

// Send validates m and delivers it in one SMTP conversation: connect, EHLO,
// STARTTLS if configured, AUTH PLAIN if a user is configured, MAIL FROM,
// RCPT TO for each recipient, DATA and QUIT. The conversation ends when ctx
// ends or after the configured timeout, whichever is first.
//
// A recipient the server refuses aborts the whole message: either every
// recipient gets it or none. Errors say which step failed and wrap the
// server's reply as a *textproto.Error (its Code is the reply code); use
// IsTemporary to tell a failure worth retrying from a permanent one.
func (s *Sender) Send(ctx context.Context, m *Message) error {
	data, err := m.Bytes()
	if err != nil {
		return err
	}
	to := make([]string, len(m.To))
	for i, a := range m.To {
		to[i] = a.Email
	}
	return s.SendRaw(ctx, m.From.Email, to, data)
}

// SendRaw delivers a message already built (by Message.Bytes) from the
// envelope sender to the envelope recipients, in one conversation as Send
// does. The outbox stores messages built and sends them with it.
func (s *Sender) SendRaw(ctx context.Context, from string, to []string, data []byte) error {
	if len(to) == 0 || len(data) == 0 {
		return errors.New("mail: nothing to send")
	}
	for _, a := range append([]string{from}, to...) {
		if strings.ContainsAny(a, "\r\n<>") {
			return fmt.Errorf("mail: bad envelope address %q", a)
		}
	}
	host := s.cfg.Host
	if host == "" {
		return errors.New("mail: no SMTP host configured")
	}
	port := s.cfg.Port
	if port == 0 {
		port = defaultPort
		if s.cfg.StartTLS {
			port = defaultSubmission
		}
	}
	timeout := s.cfg.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	addr := net.JoinHostPort(host, strconv.Itoa(port))
	dial := s.dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	conn, err := dial(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("mail: connect to %s: %w", addr, err)
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetDeadline(deadline)
	}
	// Cancelling ctx interrupts whatever read or write is under way.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	err = s.converse(conn, host, from, to, data)
	if err != nil {
		// The connection's deadline may fire a moment before ctx reports
		// it; either way, say that time ran out.
		if cerr := ctx.Err(); cerr != nil {
			err = fmt.Errorf("%w (%w)", err, cerr)
		} else if deadline, ok := ctx.Deadline(); ok && !time.Now().Before(deadline) {
			err = fmt.Errorf("%w (%w)", err, context.DeadlineExceeded)
		}
	}
	return err
}

func (s *Sender) converse(conn net.Conn, host, from string, to []string, data []byte) (err error) {
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fmt.Errorf("mail: greeting from %s: %w", host, err)
	}
	defer func() {
		// Say goodbye after a refusal; a broken connection just closes.
		var te *textproto.Error
		if err != nil && errors.As(err, &te) {
			c.Quit()
		}
		c.Close()
	}()
	if err := c.Hello(s.heloName()); err != nil {
		return fmt.Errorf("mail: EHLO: %w", err)
	}
	secure := false
	if s.cfg.StartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fmt.Errorf("mail: %s does not offer STARTTLS, which the configuration requires", host)
		}
		cfg := &tls.Config{}
		if s.tlsConfig != nil {
			cfg = s.tlsConfig.Clone()
		}
		if cfg.ServerName == "" {
			cfg.ServerName = host
		}
		if cfg.MinVersion == 0 {
			cfg.MinVersion = tls.VersionTLS12
		}
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("mail: STARTTLS: %w", err)
		}
		secure = true
	}
	if s.cfg.Username != "" {
		if !secure && !isLoopback(host) {
			return fmt.Errorf("mail: refusing to send the password for %s to %s without TLS; enable StartTLS", s.cfg.Username, host)
		}
		ok, mechs := c.Extension("AUTH")
		if !ok || !hasMechanism(mechs, "PLAIN") {
			return fmt.Errorf("mail: %s does not offer AUTH PLAIN", host)
		}
		if err := c.Auth(plainAuth{user: s.cfg.Username, pass: s.cfg.Password, host: host}); err != nil {
			return fmt.Errorf("mail: AUTH PLAIN as %s: %w", s.cfg.Username, err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("mail: MAIL FROM:<%s>: %w", from, err)
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt); err != nil {
			return fmt.Errorf("mail: RCPT TO:<%s>: %w", rcpt, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: end of DATA: %w", err)
	}
	// The server has taken the message; a failed QUIT changes nothing.
	c.Quit()
	return nil
}

func (s *Sender) heloName() string {
	if s.cfg.HeloName != "" {
		return s.cfg.HeloName
	}
	if h, err := os.Hostname(); err == nil && strings.Contains(h, ".") {
		return h
	}
	return "localhost"
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func hasMechanism(list, mech string) bool {
	for _, m := range strings.Fields(list) {
		if strings.EqualFold(m, mech) {
			return true
		}
	}
	return false
}

// plainAuth is AUTH PLAIN (RFC 4616). Unlike smtp.PlainAuth it leaves the
// decision when plain text is acceptable to Send, which makes it before
// calling; it checks once more that the connection is encrypted or local.
type plainAuth struct{ user, pass, host string }

func (a plainAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !isLoopback(a.host) {
		return "", nil, errors.New("unencrypted connection")
	}
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected challenge")
	}
	return nil, nil
}

// IsTemporary reports whether err is a failure worth retrying later: a 4xx
// reply from the server, a timeout, or a network failure such as a refused
// or dropped connection. A 5xx reply, an invalid message, a cancelled
// context, a missing STARTTLS and a certificate that does not verify are
// permanent.
func IsTemporary(err error) bool {
	if err == nil {
		return false
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code >= 400 && te.Code < 500
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return !dnsErr.IsNotFound
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
