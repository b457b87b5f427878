package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/samrad/samrad"
)

// form is a submitted form with its values and the errors to show next to
// each field, so that a rejected form comes back with nothing lost.
type form struct {
	Name   string // which form on the page
	Values url.Values
	Errors map[string]string
}

func newForm(name string, r *http.Request) *form {
	return &form{Name: name, Values: r.PostForm, Errors: map[string]string{}}
}

// Get returns a submitted value.
func (f *form) Get(field string) string {
	if f == nil {
		return ""
	}
	return strings.TrimSpace(f.Values.Get(field))
}

// Error returns the message for a field, "" if none.
func (f *form) Error(field string) string {
	if f == nil {
		return ""
	}
	return f.Errors[field]
}

// fail records an error from the store or the domain on the field it names,
// or on the form as a whole.
func (f *form) fail(err error, fallbackField string) {
	var e *samrad.Error
	field := fallbackField
	msg := samrad.ErrorMessage(err)
	if ok := asError(err, &e); ok {
		msg = e.Message
		if e.Field != "" {
			field = e.Field
		}
	}
	f.Errors[field] = msg
}

func asError(err error, target **samrad.Error) bool {
	for err != nil {
		if e, ok := err.(*samrad.Error); ok {
			*target = e
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}

// status is the HTTP status of a rejected form.
func (f *form) status(err error) int {
	if samrad.ErrorCode(err) == samrad.ECONFLICT {
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

// forms holds the forms of a page by name; a nil map means all are empty.
type forms map[string]*form

func (fs forms) Of(name string) *form { return fs[name] }

// formDate reads an optional date field (YYYY-MM-DD); a bad one is noted
// on the field and gives the zero date.
func (s *Server) formDate(v *view, f *form, field string) samrad.Date {
	x := f.Get(field)
	if x == "" {
		return samrad.Date{}
	}
	d, err := samrad.ParseDate(x)
	if err != nil {
		f.Errors[field] = s.cat.T(v.Lang, "bad_date", x)
	}
	return d
}

// formOrg reads an organisation id field; an unknown one is noted on the
// field. The error is the store's, if it could not be asked.
func (s *Server) formOrg(ctx context.Context, v *view, f *form, field string) (samrad.Organisation, error) {
	reg, err := s.db.Registry(ctx)
	if err != nil {
		return samrad.Organisation{}, err
	}
	id, perr := strconv.ParseInt(f.Get(field), 10, 64)
	org, ok := reg.Org(id)
	if perr != nil || !ok {
		f.Errors[field] = s.cat.T(v.Lang, "unknown_member")
	}
	return org, nil
}

// settle ends a form action. With no error and no field errors it sends
// the browser on to next; otherwise it shows the page again through again,
// with the form, its errors (err on the field it names, or on fallback)
// and the status that fits. An internal error is returned as it is.
func settle(w http.ResponseWriter, r *http.Request, f *form, err error, fallback, next string, again func(status int, fs forms) error) error {
	if err == nil && len(f.Errors) == 0 {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	code := http.StatusBadRequest
	if err != nil {
		if samrad.ErrorCode(err) == samrad.EINTERNAL {
			return err
		}
		f.fail(err, fallback)
		code = f.status(err)
	}
	return again(code, forms{f.Name: f})
}
