package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/samrad/samrad"
)

// readable checks that a request's path and query are text: valid UTF-8
// without NUL characters, which no slug, id or filter holds and which
// PostgreSQL refuses in any string. A path that is not is found nowhere
// (ENOTFOUND); a query that is not is malformed (EINVALID), named by
// badQuery.
func readable(r *http.Request, notFound string, badQuery func(name string) string) error {
	if !isText(r.URL.Path) {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", notFound)
	}
	for name, vals := range r.URL.Query() {
		ok := isText(name)
		for _, v := range vals {
			ok = ok && isText(v)
		}
		if !ok {
			if !isText(name) {
				name = strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", ""), "\uFFFD")
			}
			return samrad.Errorf(samrad.EINVALID, "%s", badQuery(name))
		}
	}
	return nil
}

func isText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }
