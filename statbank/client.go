package statbank

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad/ssb"
)

// DefaultBaseURL is the address of SSB's PxWebApi v2.
const DefaultBaseURL = "https://data.ssb.no/api/pxwebapi/v2"

// Defaults used by New and for fields left at their zero value.
const (
	DefaultTimeout       = 60 * time.Second
	DefaultMaxAttempts   = 4
	DefaultMaxRetryAfter = 2 * time.Minute
	DefaultMaxBodyBytes  = 64 << 20
	DefaultUserAgent     = "Samrad-statbank/1 (+https://github.com/samrad/samrad)"
)

// Client fetches data and metadata from PxWebApi v2. Fields left at their
// zero value take the defaults above.
type Client struct {
	BaseURL   string       // without a trailing slash, e.g. DefaultBaseURL
	HTTP      *http.Client // its Timeout bounds one attempt
	UserAgent string
	// MaxAttempts is how many times a request is sent in all when the
	// answer is 429, 502, 503, 504 or a network error.
	MaxAttempts int
	// Backoff is the wait before attempt+1 after attempt failed (attempt
	// counts from 1), unless the server sent Retry-After. The default
	// doubles from one second up to 30 seconds.
	Backoff func(attempt int) time.Duration
	// MaxRetryAfter caps every wait, also one asked for by Retry-After.
	MaxRetryAfter time.Duration
	// MaxBodyBytes caps the size of an answer.
	MaxBodyBytes int64
	// Sleep waits d or until ctx is done, returning ctx.Err() then. Tests
	// replace it; the default uses a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now gives the time of a fetch and the base for a Retry-After date.
	Now func() time.Time
}

// New returns a client for baseURL (DefaultBaseURL when empty) with the
// defaults filled in and an http.Client with DefaultTimeout.
func New(baseURL string) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	return &Client{
		BaseURL:       strings.TrimRight(baseURL, "/"),
		HTTP:          &http.Client{Timeout: DefaultTimeout},
		UserAgent:     DefaultUserAgent,
		MaxAttempts:   DefaultMaxAttempts,
		Backoff:       DefaultBackoff,
		MaxRetryAfter: DefaultMaxRetryAfter,
		MaxBodyBytes:  DefaultMaxBodyBytes,
		Sleep:         sleep,
		Now:           time.Now,
	}
}

// DefaultBackoff waits 1 s after the first attempt, then 2 s, 4 s, … up
// to 30 s.
func DefaultBackoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 6 {
		return 30 * time.Second
	}
	return min(time.Second<<(attempt-1), 30*time.Second)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Exchange records one request, with all its attempts, for a run log.
type Exchange struct {
	Method, URL string // as sent
	Status      int    // of the last answer; 0 when none came
	ContentType string // of the last answer
	Bytes       int64  // body bytes read from the last answer
	Attempts    int
	Fetched     time.Time // when the last answer came (or the last attempt failed)
}

// Result is the answer to Data.
type Result struct {
	Exchange
	// QueryURL is the GET form of the query (Query.URL on the client's
	// base), for logs.
	QueryURL string
	// Cube is the decoded dataset; nil when Data returns an error.
	Cube *ssb.Cube
}

// Data sends q and decodes the answer. It returns a *Result whenever a
// request was sent, also with an error (the Cube is nil then). The cube has
// been checked with Check.
func (c *Client) Data(ctx context.Context, q Query) (*Result, error) {
	body, err := q.Body()
	if err != nil {
		return nil, err
	}
	base := c.base()
	res := &Result{QueryURL: base + q.URL()}
	data, err := c.send(ctx, http.MethodPost, base+q.postURL(), body, &res.Exchange)
	if err != nil {
		return res, err
	}
	cube, err := ssb.DecodeJSONStat(bytes.NewReader(data), "table "+q.Table)
	if err != nil {
		return res, &DecodeError{Method: res.Method, URL: res.URL, Err: err}
	}
	if err := Check(cube, q); err != nil {
		var de *DimensionError
		if errors.As(err, &de) {
			de.URL = res.URL
		}
		return res, err
	}
	res.Cube = cube
	return res, nil
}

// Check verifies that cube answers q: it has exactly the variables the
// query selects (a variable left out is summed away by SSB and must not
// come back; one selected must be there), and every plain value code asked
// for is among the cube's codes. The codes of a selection with output
// values Single and those given by wildcards or expressions are not
// checked. The error is a *DimensionError.
func Check(cube *ssb.Cube, q Query) error {
	de := &DimensionError{Table: q.Table}
	inCube := make(map[string]bool, len(cube.IDs))
	for _, id := range cube.IDs {
		inCube[id] = true
	}
	selected := make(map[string]bool, len(q.Selections))
	for _, s := range q.Selections {
		selected[s.Variable] = true
		if !inCube[s.Variable] {
			de.Missing = append(de.Missing, s.Variable)
			continue
		}
		if s.OutputValues == Single {
			continue
		}
		dim := cube.Dims[s.Variable]
		if dim == nil {
			de.Missing = append(de.Missing, s.Variable)
			continue
		}
		var codes map[string]bool
		for _, code := range s.Codes {
			if !isPlain(code) {
				continue
			}
			if codes == nil {
				codes = make(map[string]bool, len(dim.Codes))
				for _, c := range dim.Codes {
					codes[c] = true
				}
			}
			if !codes[code] {
				de.addCode(s.Variable, code)
			}
		}
	}
	for _, id := range cube.IDs {
		if !selected[id] {
			de.Extra = append(de.Extra, id)
		}
	}
	if de.empty() {
		return nil
	}
	return de
}

func (e *DimensionError) addCode(variable, code string) {
	if e.UnknownCodes == nil {
		e.UnknownCodes = map[string][]string{}
	}
	e.UnknownCodes[variable] = append(e.UnknownCodes[variable], code)
}

func (c *Client) base() string {
	if c.BaseURL == "" {
		return DefaultBaseURL
	}
	return strings.TrimRight(c.BaseURL, "/")
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) maxBody() int64 {
	if c.MaxBodyBytes > 0 {
		return c.MaxBodyBytes
	}
	return DefaultMaxBodyBytes
}

// send makes the request, trying again as the Client says, and returns the
// body of a 200 answer that looks like JSON.
func (c *Client) send(ctx context.Context, method, url string, body []byte, ex *Exchange) ([]byte, error) {
	ex.Method, ex.URL = method, url
	attempts := c.MaxAttempts
	if attempts < 1 {
		attempts = DefaultMaxAttempts
	}
	backoff := c.Backoff
	if backoff == nil {
		backoff = DefaultBackoff
	}
	maxWait := c.MaxRetryAfter
	if maxWait <= 0 {
		maxWait = DefaultMaxRetryAfter
	}
	wait := c.Sleep
	if wait == nil {
		wait = sleep
	}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, &NetworkError{Method: method, URL: url, Attempts: ex.Attempts, Err: err}
		}
		ex.Attempts = attempt
		data, retryAfter, err := c.once(ctx, method, url, body, ex)
		ex.Fetched = c.now()
		if err == nil {
			return data, nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, &NetworkError{Method: method, URL: url, Attempts: attempt, Err: ctxErr}
		}
		var netErr *NetworkError
		var httpErr *HTTPError
		switch {
		case errors.As(err, &netErr):
			netErr.Attempts = attempt
		case errors.As(err, &httpErr):
			httpErr.Attempts = attempt
			if !retryable(httpErr.Status) {
				return nil, err
			}
		default:
			return nil, err
		}
		if attempt >= attempts {
			return nil, err
		}
		d := backoff(attempt)
		if retryAfter >= 0 {
			d = retryAfter
		}
		d = min(d, maxWait)
		if werr := wait(ctx, d); werr != nil {
			return nil, &NetworkError{Method: method, URL: url, Attempts: attempt, Err: werr}
		}
	}
}

func retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// once sends one request. retryAfter is -1 unless the answer asked for a
// wait.
func (c *Client) once(ctx context.Context, method, url string, body []byte, ex *Exchange) (data []byte, retryAfter time.Duration, err error) {
	retryAfter = -1
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, retryAfter, fmt.Errorf("statbank: %s %s: %w", method, url, err) // a wrong BaseURL; not tried again
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	ua := c.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	req.Header.Set("User-Agent", ua)
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	ex.Status, ex.ContentType, ex.Bytes = 0, "", 0
	resp, err := hc.Do(req)
	if err != nil {
		return nil, retryAfter, &NetworkError{Method: method, URL: url, Err: err}
	}
	defer resp.Body.Close()
	ex.Status = resp.StatusCode
	ex.ContentType = resp.Header.Get("Content-Type")

	if resp.StatusCode != http.StatusOK {
		head, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		ex.Bytes = int64(len(head))
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
		}
		return nil, retryAfter, &HTTPError{Method: method, URL: url, Status: resp.StatusCode, Body: snippet(head)}
	}
	limit := c.maxBody()
	if resp.ContentLength > limit {
		return nil, retryAfter, &TooLargeError{Method: method, URL: url, Limit: limit}
	}
	data, err = io.ReadAll(io.LimitReader(resp.Body, limit+1))
	ex.Bytes = int64(len(data))
	if err != nil {
		return nil, retryAfter, &NetworkError{Method: method, URL: url, Err: err}
	}
	if int64(len(data)) > limit {
		return nil, retryAfter, &TooLargeError{Method: method, URL: url, Limit: limit}
	}
	if notJSON(ex.ContentType, data) {
		return nil, retryAfter, &NotJSONError{Method: method, URL: url, ContentType: ex.ContentType, Body: snippet(data)}
	}
	return data, retryAfter, nil
}

// notJSON reports an answer that is HTML, by its Content-Type or by its
// first character, or that does not start like a JSON object.
func notJSON(contentType string, data []byte) bool {
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "html") || strings.Contains(ct, "xml") {
		return true
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && data[0] != '{'
}

// parseRetryAfter reads a Retry-After header: seconds, or an HTTP date. It
// returns -1 when there is none or it cannot be read.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return -1
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return -1
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return -1
	}
	return max(t.Sub(now), 0)
}
