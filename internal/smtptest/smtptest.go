// Package smtptest runs a real SMTP server for tests: a subset of RFC 5321
// over TCP on the loopback interface, with ESMTP extensions 8BITMIME, SIZE,
// PIPELINING and ENHANCEDSTATUSCODES, and optionally AUTH PLAIN (RFC 4954)
// and STARTTLS (RFC 3207). It keeps what it accepts in memory, in order.
//
// The server is strict where a lenient one would hide a client's mistakes:
// message data must end its lines with CRLF, the data ends only at a line
// holding a single dot, and commands out of sequence are refused with the
// codes RFC 5321 gives.
package smtptest

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Received is one accepted message.
type Received struct {
	From string   // reverse-path, without angle brackets ("" for the null path)
	To   []string // forward-paths, in order
	Data []byte   // the message as sent, dot-unstuffed, CRLF line ends, without the final "."
	At   time.Time

	Helo     string // the EHLO or HELO argument
	AuthUser string // the user authenticated with AUTH PLAIN, if any
	TLS      bool   // the message came after STARTTLS
}

// Option configures a Server.
type Option func(*config)

type config struct {
	rcptFailures func(rcpt string) (int, string)
	dataFailures func(rcpt string) (int, string)
	delay        time.Duration
	auth         bool
	user, pass   string
	maxSize      int64
	startTLS     bool
}

// WithFailures makes the server answer RCPT TO with the code and text f
// returns for the recipient. A code of 0 accepts the recipient; use 4xx
// for a temporary and 5xx for a permanent failure.
func WithFailures(f func(rcpt string) (code int, msg string)) Option {
	return func(c *config) { c.rcptFailures = f }
}

// WithDataFailures makes the server answer the end of DATA with the first
// non-zero code f returns for the message's recipients, in order, and then
// not keep the message.
func WithDataFailures(f func(rcpt string) (code int, msg string)) Option {
	return func(c *config) { c.dataFailures = f }
}

// WithDelay makes the server wait d before answering the end of each
// message's data.
func WithDelay(d time.Duration) Option { return func(c *config) { c.delay = d } }

// WithAuth advertises AUTH PLAIN and requires it, with this user and
// password, before MAIL FROM.
func WithAuth(user, pass string) Option {
	return func(c *config) { c.auth, c.user, c.pass = true, user, pass }
}

// WithMaxSize sets the largest message the server takes, in octets; the
// default is DefaultMaxSize. It is advertised with SIZE.
func WithMaxSize(n int64) Option { return func(c *config) { c.maxSize = n } }

// WithStartTLS advertises STARTTLS with a certificate made for 127.0.0.1,
// ::1 and localhost; clients trust it through RootCAs.
func WithStartTLS() Option { return func(c *config) { c.startTLS = true } }

// DefaultMaxSize is the message size limit without WithMaxSize.
const DefaultMaxSize = 10 << 20

// Protocol limits.
const (
	maxCommandLine = 4096 // RFC 5321 asks for 512; AUTH lines may be longer
	maxRecipients  = 100
	maxErrors      = 20
	idleTimeout    = time.Minute
	hostname       = "localhost"
)

// Server is a running SMTP server.
type Server struct {
	Addr string // host:port

	cfg       config
	ln        net.Listener
	tlsConfig *tls.Config
	rootCAs   *x509.CertPool

	mu      sync.Mutex
	msgs    []Received
	changed chan struct{} // closed and replaced whenever a message arrives
	conns   map[net.Conn]struct{}

	done      chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup
}

// Start starts a server on 127.0.0.1 with a free port. It stops when the
// test and its subtests have finished.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		cfg:     config{maxSize: DefaultMaxSize},
		changed: make(chan struct{}),
		conns:   map[net.Conn]struct{}{},
		done:    make(chan struct{}),
	}
	for _, o := range opts {
		o(&s.cfg)
	}
	if s.cfg.startTLS {
		cfg, pool, err := selfSigned()
		if err != nil {
			t.Fatalf("smtptest: certificate: %v", err)
		}
		s.tlsConfig, s.rootCAs = cfg, pool
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: %v", err)
	}
	s.ln, s.Addr = ln, ln.Addr().String()
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(s.Close)
	return s
}

// Host is the server's IP address.
func (s *Server) Host() string {
	host, _, _ := net.SplitHostPort(s.Addr)
	return host
}

// Port is the server's TCP port.
func (s *Server) Port() int {
	return s.ln.Addr().(*net.TCPAddr).Port
}

// RootCAs holds the certificate STARTTLS presents, or is nil without
// WithStartTLS.
func (s *Server) RootCAs() *x509.CertPool { return s.rootCAs }

// Messages returns a copy of the messages accepted so far, in order.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.copyLocked()
}

func (s *Server) copyLocked() []Received {
	out := make([]Received, len(s.msgs))
	for i, m := range s.msgs {
		m.To = append([]string(nil), m.To...)
		m.Data = bytes.Clone(m.Data)
		out[i] = m
	}
	return out
}

// WaitFor waits until at least n messages have arrived and returns them
// all. After timeout it returns those there are and an error.
func (s *Server) WaitFor(n int, timeout time.Duration) ([]Received, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		if len(s.msgs) >= n {
			defer s.mu.Unlock()
			return s.copyLocked(), nil
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-timer.C:
			msgs := s.Messages()
			return msgs, fmt.Errorf("smtptest: %d of %d messages after %v", len(msgs), n, timeout)
		}
	}
}

// Close stops the server: it stops listening, drops open connections and
// waits for their goroutines. Start arranges for it; tests may call it
// early to make the server unreachable.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			select {
			case <-s.done:
				return
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		s.mu.Lock()
		select {
		case <-s.done:
			s.mu.Unlock()
			c.Close()
			return
		default:
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				c.Close()
			}()
			(&session{srv: s, conn: c, r: bufio.NewReader(c), w: bufio.NewWriter(c)}).serve()
		}()
	}
}

func (s *Server) store(m Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	close(s.changed)
	s.changed = make(chan struct{})
}

// session is one SMTP connection.
type session struct {
	srv  *Server
	conn net.Conn
	r    *bufio.Reader
	w    *bufio.Writer

	helo     string
	ehlo     bool // the client greeted with EHLO, not HELO
	tls      bool
	authUser string
	errors   int

	inMail bool // MAIL FROM accepted
	from   string
	rcpts  []string
}

var errLineTooLong = errors.New("line too long")

// reply sends one reply; several lines make a multiline reply.
func (s *session) reply(code int, lines ...string) error {
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		fmt.Fprintf(s.w, "%d%s%s\r\n", code, sep, l)
	}
	return s.w.Flush()
}

// readLine reads one line with its line end. A line longer than max is
// read to its end and reported as errLineTooLong.
func (s *session) readLine(max int) ([]byte, error) {
	var line []byte
	tooLong := false
	for {
		chunk, err := s.r.ReadSlice('\n')
		if len(line)+len(chunk) > max {
			tooLong = true
		} else {
			line = append(line, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return nil, err
		}
		break
	}
	if tooLong {
		return nil, errLineTooLong
	}
	return line, nil
}

func (s *session) resetMail() {
	s.inMail, s.from, s.rcpts = false, "", nil
}

func (s *session) serve() {
	if s.reply(220, hostname+" ESMTP smtptest ready") != nil {
		return
	}
	for {
		s.conn.SetDeadline(time.Now().Add(idleTimeout))
		raw, err := s.readLine(maxCommandLine)
		if err == errLineTooLong {
			if s.fail(500, "5.5.6 Line too long") != nil {
				return
			}
			continue
		}
		if err != nil {
			return
		}
		line := strings.TrimRight(string(raw), "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		var quit bool
		switch verb {
		case "EHLO", "HELO":
			err = s.hello(verb, arg)
		case "MAIL":
			err = s.mail(arg)
		case "RCPT":
			err = s.rcpt(arg)
		case "DATA":
			err = s.data(arg)
		case "RSET":
			s.resetMail()
			err = s.reply(250, "2.0.0 Ok")
		case "NOOP":
			err = s.reply(250, "2.0.0 Ok")
		case "QUIT":
			s.reply(221, "2.0.0 Bye")
			quit = true
		case "AUTH":
			err = s.auth(arg)
		case "STARTTLS":
			err = s.startTLS(arg)
		case "VRFY", "EXPN", "HELP", "TURN", "ETRN", "BDAT", "SEND", "SOML", "SAML":
			err = s.fail(502, "5.5.1 Command not implemented")
		default:
			err = s.fail(500, "5.5.2 Command not recognized")
		}
		if quit || err != nil {
			return
		}
	}
}

// errTooManyErrors ends a session that keeps sending bad commands.
var errTooManyErrors = errors.New("too many errors")

// fail sends an error reply and counts it against the session.
func (s *session) fail(code int, msg string) error {
	s.errors++
	if s.errors >= maxErrors {
		s.reply(421, "4.7.0 Too many errors, closing connection")
		return errTooManyErrors
	}
	return s.reply(code, msg)
}

func (s *session) hello(verb, arg string) error {
	arg = strings.TrimSpace(arg)
	if arg == "" || strings.ContainsAny(arg, " \t") {
		return s.fail(501, "5.5.4 Syntax: "+verb+" domain")
	}
	s.resetMail()
	s.helo, s.ehlo = arg, verb == "EHLO"
	if verb == "HELO" {
		return s.reply(250, hostname)
	}
	lines := []string{hostname + " greets " + arg, "PIPELINING", "8BITMIME", "SIZE " + strconv.FormatInt(s.srv.cfg.maxSize, 10)}
	if s.srv.cfg.startTLS && !s.tls {
		lines = append(lines, "STARTTLS")
	}
	if s.srv.cfg.auth {
		lines = append(lines, "AUTH PLAIN")
	}
	lines = append(lines, "ENHANCEDSTATUSCODES")
	return s.reply(250, lines...)
}

// path parses "<address>" followed by ESMTP parameters.
func path(arg string) (addr string, params []string, ok bool) {
	arg = strings.TrimSpace(arg)
	if !strings.HasPrefix(arg, "<") {
		return "", nil, false
	}
	end := strings.IndexByte(arg, '>')
	if end < 0 {
		return "", nil, false
	}
	addr = arg[1:end]
	if i := strings.IndexByte(addr, ':'); i >= 0 && strings.HasPrefix(addr, "@") {
		addr = addr[i+1:] // an obsolete source route
	}
	if strings.ContainsAny(addr, " \t<>") {
		return "", nil, false
	}
	if addr != "" {
		at := strings.LastIndexByte(addr, '@')
		if at <= 0 || at == len(addr)-1 {
			return "", nil, false
		}
	}
	return addr, strings.Fields(arg[end+1:]), true
}

func (s *session) mail(arg string) error {
	switch {
	case s.helo == "":
		return s.fail(503, "5.5.1 Send EHLO or HELO first")
	case s.srv.cfg.auth && s.authUser == "":
		return s.fail(530, "5.7.0 Authentication required")
	case s.inMail:
		return s.fail(503, "5.5.1 Nested MAIL command")
	}
	if len(arg) < 5 || !strings.EqualFold(arg[:5], "FROM:") {
		return s.fail(501, "5.5.4 Syntax: MAIL FROM:<address>")
	}
	from, params, ok := path(arg[5:])
	if !ok {
		return s.fail(501, "5.1.7 Bad sender address syntax")
	}
	for _, p := range params {
		key, value, _ := strings.Cut(p, "=")
		switch strings.ToUpper(key) {
		case "SIZE":
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil || n < 0 {
				return s.fail(501, "5.5.4 Bad SIZE parameter")
			}
			if n > s.srv.cfg.maxSize {
				return s.fail(552, "5.3.4 Message size exceeds fixed limit")
			}
		case "BODY":
			if v := strings.ToUpper(value); v != "7BIT" && v != "8BITMIME" {
				return s.fail(501, "5.5.4 Bad BODY parameter")
			}
		case "AUTH":
		default:
			return s.fail(555, "5.5.4 Unsupported parameter "+key)
		}
	}
	s.inMail, s.from, s.rcpts = true, from, nil
	return s.reply(250, "2.1.0 Ok")
}

func (s *session) rcpt(arg string) error {
	if !s.inMail {
		return s.fail(503, "5.5.1 Need MAIL before RCPT")
	}
	if len(arg) < 3 || !strings.EqualFold(arg[:3], "TO:") {
		return s.fail(501, "5.5.4 Syntax: RCPT TO:<address>")
	}
	to, params, ok := path(arg[3:])
	if !ok || to == "" {
		return s.fail(501, "5.1.3 Bad recipient address syntax")
	}
	if len(params) > 0 {
		return s.fail(555, "5.5.4 Unsupported parameter "+params[0])
	}
	if len(s.rcpts) >= maxRecipients {
		return s.reply(452, "4.5.3 Too many recipients")
	}
	if f := s.srv.cfg.rcptFailures; f != nil {
		if code, msg := f(to); code != 0 {
			return s.reply(code, failText(code, msg))
		}
	}
	s.rcpts = append(s.rcpts, to)
	return s.reply(250, "2.1.5 Ok")
}

func failText(code int, msg string) string {
	if msg != "" {
		return msg
	}
	if code < 500 {
		return "4.0.0 Try again later"
	}
	return "5.0.0 Requested action not taken"
}

func (s *session) data(arg string) error {
	switch {
	case arg != "":
		return s.fail(501, "5.5.4 Syntax: DATA")
	case !s.inMail:
		return s.fail(503, "5.5.1 Need MAIL before DATA")
	case len(s.rcpts) == 0:
		return s.fail(503, "5.5.1 Need RCPT before DATA")
	}
	if err := s.reply(354, "End data with <CR><LF>.<CR><LF>"); err != nil {
		return err
	}
	max := s.srv.cfg.maxSize
	var buf bytes.Buffer
	tooBig, badEnds := false, false
	for {
		s.conn.SetDeadline(time.Now().Add(idleTimeout))
		line, err := s.readLine(int(min(max, 1<<30)) + 3)
		if err == errLineTooLong {
			tooBig = true
			continue
		}
		if err != nil {
			return err
		}
		if !bytes.HasSuffix(line, []byte("\r\n")) {
			badEnds = true // a bare LF
		} else {
			if bytes.Equal(line, []byte(".\r\n")) {
				break
			}
			if bytes.IndexByte(line[:len(line)-2], '\r') >= 0 {
				badEnds = true // a bare CR
			}
		}
		if line[0] == '.' {
			line = line[1:]
		}
		if int64(buf.Len()+len(line)) > max {
			tooBig = true
			continue
		}
		buf.Write(line)
	}
	from, rcpts := s.from, s.rcpts
	s.resetMail()
	switch {
	case tooBig:
		return s.reply(552, "5.3.4 Message size exceeds fixed limit")
	case badEnds:
		return s.reply(550, "5.6.0 Bare CR or LF in message data; lines must end with CRLF")
	}
	if f := s.srv.cfg.dataFailures; f != nil {
		for _, r := range rcpts {
			if code, msg := f(r); code != 0 {
				return s.reply(code, failText(code, msg))
			}
		}
	}
	if d := s.srv.cfg.delay; d > 0 {
		select {
		case <-time.After(d):
		case <-s.srv.done:
			return net.ErrClosed
		}
	}
	s.srv.store(Received{From: from, To: rcpts, Data: buf.Bytes(), At: time.Now(),
		Helo: s.helo, AuthUser: s.authUser, TLS: s.tls})
	return s.reply(250, "2.0.0 Ok: queued")
}

func (s *session) auth(arg string) error {
	mech, initial, hasInitial := strings.Cut(strings.TrimSpace(arg), " ")
	switch {
	case !s.srv.cfg.auth:
		return s.fail(502, "5.5.1 AUTH not available")
	case !s.ehlo:
		return s.fail(503, "5.5.1 Send EHLO first")
	case s.authUser != "":
		return s.fail(503, "5.5.1 Already authenticated")
	case s.inMail:
		return s.fail(503, "5.5.1 AUTH not permitted during a mail transaction")
	case !strings.EqualFold(mech, "PLAIN"):
		return s.fail(504, "5.5.4 Unrecognized authentication type")
	}
	if !hasInitial {
		if err := s.reply(334, ""); err != nil {
			return err
		}
		raw, err := s.readLine(maxCommandLine)
		if err == errLineTooLong {
			return s.fail(500, "5.5.6 Line too long")
		}
		if err != nil {
			return err
		}
		initial = strings.TrimRight(string(raw), "\r\n")
		if initial == "*" {
			return s.fail(501, "5.0.0 Authentication cancelled")
		}
	}
	if initial == "=" {
		initial = ""
	}
	dec, err := base64.StdEncoding.DecodeString(initial)
	if err != nil {
		return s.fail(501, "5.5.2 Cannot decode response")
	}
	parts := strings.Split(string(dec), "\x00")
	if len(parts) != 3 {
		return s.fail(501, "5.5.2 Malformed PLAIN response")
	}
	user, pass := parts[1], parts[2]
	okUser := subtle.ConstantTimeCompare([]byte(user), []byte(s.srv.cfg.user)) == 1
	okPass := subtle.ConstantTimeCompare([]byte(pass), []byte(s.srv.cfg.pass)) == 1
	if !okUser || !okPass || user == "" || (parts[0] != "" && parts[0] != user) {
		return s.fail(535, "5.7.8 Authentication credentials invalid")
	}
	s.authUser = user
	return s.reply(235, "2.7.0 Authentication successful")
}

func (s *session) startTLS(arg string) error {
	switch {
	case !s.srv.cfg.startTLS:
		return s.fail(502, "5.5.1 STARTTLS not available")
	case s.tls:
		return s.fail(503, "5.5.1 TLS already active")
	case arg != "":
		return s.fail(501, "5.5.4 Syntax: STARTTLS")
	case s.helo == "":
		return s.fail(503, "5.5.1 Send EHLO first")
	}
	if s.r.Buffered() > 0 {
		// Commands pipelined after STARTTLS would cross into the TLS
		// session (the injection RFC 3207 warns of): drop the connection.
		s.reply(554, "5.5.1 Commands after STARTTLS before the handshake")
		return errors.New("pipelined STARTTLS")
	}
	if err := s.reply(220, "2.0.0 Ready to start TLS"); err != nil {
		return err
	}
	tc := tls.Server(s.conn, s.srv.tlsConfig)
	tc.SetDeadline(time.Now().Add(idleTimeout))
	if err := tc.Handshake(); err != nil {
		return err
	}
	s.conn, s.r, s.w = tc, bufio.NewReader(tc), bufio.NewWriter(tc)
	s.tls = true
	s.helo, s.ehlo, s.authUser = "", false, ""
	s.resetMail()
	return nil
}

// selfSigned makes a certificate for the loopback addresses and a pool
// that trusts it.
func selfSigned() (*tls.Config, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "smtptest"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	cfg := &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}},
		MinVersion:   tls.VersionTLS12,
	}
	return cfg, pool, nil
}
