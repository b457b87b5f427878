package web

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
)

// Limits on what one client may ask of the server. Rate limits are counted
// in the database (store.DB.Allow), so that every instance behind a load
// balancer counts the same requests; the client is the peer address, or the
// address a trusted proxy names in X-Forwarded-For.

// rateLimit is at most limit requests per window in bucket, per key.
type rateLimit struct {
	bucket string
	limit  int
	window time.Duration
}

var (
	// A municipality's staff often share one public address, so the limits
	// per address leave room for a department signing up at once.
	loginLimit     = rateLimit{"login", 20, 15 * time.Minute}       // attempts per client address
	loginMailLimit = rateLimit{"login-email", 10, 15 * time.Minute} // attempts per account address
	registerLimit  = rateLimit{"register", 60, 10 * time.Minute}
	subscribeLimit = rateLimit{"subscribe", 20, 10 * time.Minute}
	revealLimit    = rateLimit{"reveal", 20, 10 * time.Minute} // e-mail addresses shown
	linkLimit      = rateLimit{"link", 120, 10 * time.Minute}  // answers to links in e-mail, logout
)

// publicPosts are the actions open to visitors without a login, with their
// limit per client address for such visitors (someone logged in answers for
// what they do in the audit log). Every other action needs a session, and
// is refused without one before it does any work. (The address reveal is
// limited in its handler, for everyone, and answers with its own page.)
var publicPosts = map[string]rateLimit{
	"login":          loginLimit,
	"logout":         linkLimit,
	"event_register": registerLimit,
	"reg_cancel":     linkLimit,
	"newsletter":     subscribeLimit,
	"nl_confirm":     linkLimit,
	"nl_prefs":       linkLimit,
	"nl_unsub":       linkLimit,
}

// limitedError is a request over a rate limit.
type limitedError struct {
	bucket     string
	retryAfter time.Duration
}

func (e *limitedError) Error() string {
	return fmt.Sprintf("too many requests (%s); try again in %s", e.bucket, e.retryAfter)
}

// allow counts a request of key against l; over the limit it returns a
// *limitedError.
func (s *Server) allow(r *http.Request, l rateLimit, key string) error {
	ok, retry, err := s.db.Allow(r.Context(), l.bucket, key, l.limit, l.window, time.Now())
	if err != nil {
		return err
	}
	if !ok {
		return &limitedError{l.bucket, retry}
	}
	return nil
}

// retryAfter sets the Retry-After header of a limited request and returns
// the wait in whole minutes, at least one, for the page.
func retryAfter(w http.ResponseWriter, e *limitedError) int {
	secs := int(e.retryAfter.Round(time.Second) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	return max(1, (secs+59)/60)
}

// SetTrustedProxies sets the reverse proxies whose X-Forwarded-For and
// X-Forwarded-Proto headers are believed: a comma-separated list of
// addresses and CIDR ranges ("10.0.0.0/8, 192.0.2.7"). By default none is
// trusted, and the client is the address the connection comes from.
func (s *Server) SetTrustedProxies(list string) error {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return fmt.Errorf("trusted proxies: %q is neither an address nor a CIDR range", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	s.proxies = out
	return nil
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// peer is the address the connection comes from.
func peer(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	return a.Unmap(), err == nil
}

// fromProxy reports whether the request came through a trusted proxy.
func (s *Server) fromProxy(r *http.Request) bool {
	a, ok := peer(r)
	return ok && s.trusted(a)
}

// clientIP is the client's address: the peer's, or, when the peer is a
// trusted proxy, the right-most address in X-Forwarded-For that is not a
// trusted proxy itself (the ones left of it are the client's to write).
func (s *Server) clientIP(r *http.Request) string {
	a, ok := peer(r)
	if !ok {
		return r.RemoteAddr
	}
	if !s.trusted(a) {
		return a.String()
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a hop that is no address: the last good one is the client
		}
		a = h.Unmap()
		if !s.trusted(a) {
			break
		}
	}
	return a.String()
}

// overTLS reports whether the client reached the server over HTTPS: here,
// or at a trusted proxy that says so in X-Forwarded-Proto.
func (s *Server) overTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !s.fromProxy(r) {
		return false
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

// Request size limits. Uploads raise the body limit to their own
// (limitBody); the header limit is http.Server.MaxHeaderBytes.
const (
	maxBody      = 1 << 20 // bytes of a request body that is not an upload
	maxURL       = 4096    // bytes of the path and query
	maxFormField = 1000    // values in a form
)

// tooLargeError is a request body, URL or form beyond its limit.
type tooLargeError struct {
	status int // 413, or 414 for the URL
	limit  int64
}

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("the request is larger than %d bytes", e.limit)
}

// boundedBody is a request body limited to maxBody, which an upload
// handler may replace with a larger limit on the original body.
type boundedBody struct {
	io.ReadCloser // the limited reader
	orig          io.ReadCloser
}

// limitRequests refuses URLs longer than maxURL and bounds every request
// body at maxBody.
func (s *Server) limitRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.RequestURI) > maxURL {
			s.refuse(w, r, &tooLargeError{http.StatusRequestURITooLong, maxURL})
			return
		}
		if r.ContentLength > maxBody && !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			s.refuse(w, r, &tooLargeError{http.StatusRequestEntityTooLarge, maxBody})
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = &boundedBody{ReadCloser: http.MaxBytesReader(w, r.Body, maxBody), orig: r.Body}
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody bounds the body of an upload at n bytes instead of maxBody.
func limitBody(w http.ResponseWriter, r *http.Request, n int64) {
	body := r.Body
	if b, ok := body.(*boundedBody); ok {
		body = b.orig
	}
	r.Body = http.MaxBytesReader(w, body, n)
}

// formError turns an error of reading a form into the error to show: a
// body over its limit is a 413.
func formError(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return &tooLargeError{http.StatusRequestEntityTooLarge, mb.Limit}
	}
	return samrad.Errorf(samrad.EINVALID, "the form could not be read")
}

// countFields refuses a form with more than maxFormField values.
func countFields(r *http.Request) error {
	n := 0
	for _, vs := range r.Form {
		n += len(vs)
	}
	if r.MultipartForm != nil {
		for _, fs := range r.MultipartForm.File {
			n += len(fs)
		}
	}
	if n > maxFormField {
		return &tooLargeError{http.StatusRequestEntityTooLarge, maxFormField}
	}
	return nil
}

// refuse answers a request that the middleware stops before any handler,
// in the language of its path.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	lang := "nb"
	if strings.HasPrefix(r.URL.Path, "/en/") {
		lang = "en"
	}
	w.Header().Set("Connection", "close")
	s.renderError(w, r, &view{Lang: lang, r: r, s: s}, err)
}
