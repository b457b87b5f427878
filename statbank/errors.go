package statbank

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// QueryError says what is wrong with a Query. Nothing was sent.
type QueryError struct {
	Field string // e.g. "table", `selection[1].valueCodes[0]`
	Msg   string
}

func (e *QueryError) Error() string {
	if e.Field == "" {
		return "statbank: query: " + e.Msg
	}
	return "statbank: query: " + e.Field + ": " + e.Msg
}

func queryErrorf(field, format string, args ...any) *QueryError {
	return &QueryError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// HTTPError is an answer with a status other than 200 OK. Body is the start
// of the answer, on one line.
type HTTPError struct {
	Method, URL string
	Status      int
	Body        string
	Attempts    int
}

func (e *HTTPError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "statbank: %s %s: HTTP %d %s", e.Method, e.URL, e.Status, http.StatusText(e.Status))
	if hint := statusHint(e.Status); hint != "" {
		b.WriteString(" (" + hint + ")")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	if e.Body != "" {
		fmt.Fprintf(&b, ": %q", e.Body)
	}
	return b.String()
}

func statusHint(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "a variable that cannot be left out is missing, or a code or code list is not in the table"
	case http.StatusNotFound:
		return "no such table"
	case http.StatusForbidden, http.StatusRequestEntityTooLarge:
		return "probably too many cells; ask for fewer regions, years or groups"
	case http.StatusTooManyRequests:
		return "too many requests; SSB limits calls per time window"
	}
	return ""
}

// ErrNotJSON is what a *NotJSONError is (errors.Is): the answer was HTML or
// something else that is not JSON-stat, such as a maintenance page.
var ErrNotJSON = errors.New("SSB answered with HTML, not JSON-stat")

// NotJSONError is an answer whose Content-Type is HTML or whose body does
// not start like JSON.
type NotJSONError struct {
	Method, URL string
	ContentType string
	Body        string // the start of the body, on one line
}

func (e *NotJSONError) Error() string {
	msg := ErrNotJSON.Error()
	if !strings.Contains(strings.ToLower(e.ContentType), "html") && !strings.HasPrefix(e.Body, "<") {
		msg = "SSB answered with something that is not JSON-stat"
	}
	s := fmt.Sprintf("statbank: %s %s: %s", e.Method, e.URL, msg)
	if e.ContentType != "" {
		s += fmt.Sprintf(" (Content-Type %q)", e.ContentType)
	}
	if e.Body != "" {
		s += fmt.Sprintf(": %q", e.Body)
	}
	return s
}

// Is reports whether target is ErrNotJSON.
func (e *NotJSONError) Is(target error) bool { return target == ErrNotJSON }

// TooLargeError is an answer longer than the client's MaxBodyBytes.
type TooLargeError struct {
	Method, URL string
	Limit       int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("statbank: %s %s: the answer is larger than the limit of %d bytes; ask for fewer cells", e.Method, e.URL, e.Limit)
}

// DecodeError is a body that is not a valid JSON-stat 2.0 dataset. Err is
// the *ssb.ParseError saying where.
type DecodeError struct {
	Method, URL string
	Err         error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("statbank: %s %s: not valid JSON-stat: %v", e.Method, e.URL, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// NetworkError is a failure to send the request or read the answer, after
// all attempts. It wraps the last error, which may be a context error.
type NetworkError struct {
	Method, URL string
	Attempts    int
	Err         error
}

func (e *NetworkError) Error() string {
	s := fmt.Sprintf("statbank: %s %s: ", e.Method, e.URL)
	if e.Attempts > 1 {
		s += fmt.Sprintf("after %d attempts: ", e.Attempts)
	}
	return s + e.Err.Error()
}

func (e *NetworkError) Unwrap() error { return e.Err }

// DimensionError says that a table or dataset does not match its query: a
// dataset whose dimensions changed, a variable that cannot be left out and
// was not selected, or a code or code list that is no longer in the table.
type DimensionError struct {
	URL   string // may be empty when the check was made without a request
	Table string
	// Missing are variables the query selects that the table or dataset does
	// not have.
	Missing []string
	// Extra are variables of the dataset that the query did not select.
	Extra []string
	// Required are variables that cannot be left out (metadata
	// elimination false) and that the query does not select.
	Required []string
	// UnknownCodes are value codes, per variable, that are not in the table.
	UnknownCodes map[string][]string
	// UnknownCodelists are code lists, per variable, that the table does not
	// offer.
	UnknownCodelists map[string]string
}

func (e *DimensionError) Error() string {
	var parts []string
	for _, v := range e.Missing {
		parts = append(parts, fmt.Sprintf("variable %q is not in the table", v))
	}
	for _, v := range e.Extra {
		parts = append(parts, fmt.Sprintf("variable %q was not asked for", v))
	}
	for _, v := range e.Required {
		parts = append(parts, fmt.Sprintf("variable %q cannot be left out", v))
	}
	for _, v := range sortedKeys(e.UnknownCodelists) {
		parts = append(parts, fmt.Sprintf("code list %q of %q is not in the table", e.UnknownCodelists[v], v))
	}
	for _, v := range sortedKeys(e.UnknownCodes) {
		codes := e.UnknownCodes[v]
		word := "code"
		if len(codes) > 1 {
			word = "codes"
		}
		parts = append(parts, fmt.Sprintf("%s %s of %q not in the table", word, quoteList(codes), v))
	}
	where := "table " + e.Table
	if e.URL != "" {
		where = e.URL
	}
	return fmt.Sprintf("statbank: %s: the table's dimensions differ from the query: %s", where, strings.Join(parts, "; "))
}

func (e *DimensionError) empty() bool {
	return len(e.Missing) == 0 && len(e.Extra) == 0 && len(e.Required) == 0 &&
		len(e.UnknownCodes) == 0 && len(e.UnknownCodelists) == 0
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func quoteList(codes []string) string {
	q := make([]string, len(codes))
	for i, c := range codes {
		q[i] = fmt.Sprintf("%q", c)
	}
	return strings.Join(q, ", ")
}

// snippetLen is how much of a body an error quotes.
const snippetLen = 200

// snippet returns the start of a body on one line, whitespace collapsed.
func snippet(b []byte) string {
	if len(b) > 4*snippetLen {
		b = b[:4*snippetLen]
	}
	var out strings.Builder
	space := false
	n := 0
	for len(b) > 0 && n < snippetLen {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r == utf8.RuneError && size == 1 {
			r = '?'
		}
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			space = out.Len() > 0
			continue
		}
		if space {
			out.WriteByte(' ')
			n++
			space = false
		}
		out.WriteRune(r)
		n++
	}
	if len(b) > 0 {
		out.WriteString("…")
	}
	return out.String()
}
