package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/auth"
	"github.com/samrad/samrad/store"
)

const (
	sessionCookie = "samrad_session"
	// csrfCookie holds the token of visitors without a session (the login
	// form): the form must send the same value (double submit). A session
	// has its own token, stored with it in the database.
	csrfCookie  = "samrad_csrf"
	maxFormSize = 64 << 10
)

// loadSession attaches the visitor's session, if any, to the view.
func (s *Server) loadSession(r *http.Request, v *view) error {
	c, err := r.Cookie(s.cookieName(r, sessionCookie))
	if err != nil || c.Value == "" {
		return nil
	}
	sess, err := s.db.SessionByToken(r.Context(), c.Value)
	if samrad.ErrorCode(err) == samrad.ENOTFOUND {
		return nil // expired or logged out: an anonymous visitor
	}
	if err != nil {
		return err
	}
	v.User, v.CSRF = sess.User, sess.CSRF
	return nil
}

// cookieName is a cookie's name as sent: over HTTPS with the __Host- prefix,
// so that the browser takes it only from this host, over HTTPS, for the
// whole site (neither a subdomain nor a plain-HTTP page can plant one).
func (s *Server) cookieName(r *http.Request, name string) string {
	if s.overTLS(r) {
		return "__Host-" + name
	}
	return name
}

// setCookie sets one of the site's cookies: never readable by scripts, sent
// on same-site requests and top-level links (Lax: a link in an e-mail finds
// the session), and only over HTTPS when the site is served so.
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(r, name), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.overTLS(r), SameSite: http.SameSiteLaxMode})
}

// anonymousCSRF returns the visitor's form token, setting the cookie if needed.
//
// A page with the token is the visitor's own: it is marked no-store, which
// also keeps it out of the page cache.
func (s *Server) anonymousCSRF(w http.ResponseWriter, r *http.Request) string {
	w.Header().Set("Cache-Control", "no-store")
	if c, err := r.Cookie(s.cookieName(r, csrfCookie)); err == nil && len(c.Value) == 43 {
		return c.Value
	}
	t := auth.NewToken()
	s.setCookie(w, r, csrfCookie, t, 0)
	return t
}

// checkCSRF compares the form's token with the session's (or, without a
// session, with the visitor's cookie).
func checkCSRF(r *http.Request, v *view) error {
	want := v.CSRF
	if v.User == nil {
		c, err := r.Cookie(v.s.cookieName(r, csrfCookie))
		if err != nil {
			return samrad.Errorf(samrad.EFORBIDDEN, "the form has expired; reload the page and try again")
		}
		want = c.Value
	}
	got := r.PostFormValue("csrf")
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return samrad.Errorf(samrad.EFORBIDDEN, "the form has expired; reload the page and try again")
	}
	return nil
}

func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormSize)
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	return countFields(r)
}

type loginData struct {
	Email, Next, CSRF string
	Error             string
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request, v *view) error {
	v.Title = s.cat.T(v.Lang, "login_title")
	v.Data = loginData{Next: localPath(r.URL.Query().Get("next")), CSRF: s.anonymousCSRF(w, r)}
	s.render(w, http.StatusOK, "login", v)
	return nil
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request, v *view) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := checkCSRF(r, v); err != nil {
		return err
	}
	data := loginData{Email: strings.TrimSpace(r.PostFormValue("email")), Next: localPath(r.PostFormValue("next")), CSRF: s.anonymousCSRF(w, r)}
	// Attempts are limited per client address (publicPosts) and per
	// account; failures, besides, lock both for a while (store.Authenticate).
	var u *samrad.User
	err := s.allow(r, loginMailLimit, "email:"+strings.ToLower(data.Email))
	if err == nil {
		u, err = s.db.Authenticate(r.Context(), data.Email, r.PostFormValue("password"), s.clientIP(r))
	}
	if err != nil {
		status := http.StatusUnauthorized
		data.Error = s.cat.T(v.Lang, "login_failed")
		var limited *limitedError
		if errors.As(err, &limited) {
			retryAfter(w, limited)
			status, data.Error = http.StatusTooManyRequests, s.cat.T(v.Lang, "login_throttled")
		} else if err == store.ErrThrottled {
			w.Header().Set("Retry-After", strconv.Itoa(int(store.LoginWindow.Seconds())))
			status, data.Error = http.StatusTooManyRequests, s.cat.T(v.Lang, "login_throttled")
		} else if samrad.ErrorCode(err) != samrad.EUNAUTHORIZED {
			return err
		}
		v.Title, v.Data = s.cat.T(v.Lang, "login_title"), data
		s.render(w, status, "login", v)
		return nil
	}
	token, _, err := s.db.CreateSession(r.Context(), u.ID)
	if err != nil {
		return err
	}
	s.setCookie(w, r, sessionCookie, token, int(store.SessionTTL.Seconds()))
	next := data.Next
	if next == "" {
		next = Path(v.Lang, "home")
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, v *view) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if v.User != nil {
		if err := checkCSRF(r, v); err != nil {
			return err
		}
		if c, err := r.Cookie(s.cookieName(r, sessionCookie)); err == nil {
			if err := s.db.DeleteSession(r.Context(), c.Value); err != nil {
				return err
			}
		}
	}
	s.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, Path(v.Lang, "home"), http.StatusSeeOther)
	return nil
}

// localPath keeps only same-site paths for redirects after login.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return ""
	}
	if u, err := url.Parse(p); err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return p
}

// require checks that the visitor is logged in with at least role min in
// the alliance, and that the form carries the right CSRF token.
func (s *Server) require(r *http.Request, v *view, a samrad.Alliance, min samrad.Role) error {
	if err := s.requireRole(v, a, min); err != nil {
		return err
	}
	return checkCSRF(r, v)
}

// authorize reads a posted form, checks that the visitor may act for the
// alliance as secretariat, and returns a context that records the user as
// the actor of the changes.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, v *view, a samrad.Alliance) (context.Context, error) {
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	if err := s.require(r, v, a, samrad.RoleSecretariat); err != nil {
		return nil, err
	}
	return samrad.WithActor(r.Context(), samrad.Actor{UserID: v.User.ID, Name: v.User.Email}), nil
}

// staffAction starts a secretariat action on the alliance in the path:
// the alliance, then authorize.
func (s *Server) staffAction(w http.ResponseWriter, r *http.Request, v *view) (samrad.Alliance, context.Context, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return a, nil, err
	}
	ctx, err := s.authorize(w, r, v, a)
	return a, ctx, err
}

// uploadAction starts a secretariat action that takes a file of at most
// limit bytes: the role is checked before the body is read, the body is
// bounded, the form is read (one sent without a file too, so that its
// fields can be checked), then the CSRF token.
func (s *Server) uploadAction(w http.ResponseWriter, r *http.Request, v *view, limit int64) (samrad.Alliance, context.Context, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return a, nil, err
	}
	if err := s.requireRole(v, a, samrad.RoleSecretariat); err != nil {
		return a, nil, err
	}
	limitBody(w, r, limit+1<<20)
	if err := r.ParseMultipartForm(1 << 20); errors.Is(err, http.ErrNotMultipart) {
		if err := r.ParseForm(); err != nil {
			return a, nil, formError(err)
		}
	} else if err != nil {
		return a, nil, samrad.FieldErrorf("file", "%s", s.cat.T(v.Lang, "upload_too_large", limit>>20))
	}
	if err := countFields(r); err != nil {
		return a, nil, err
	}
	if err := checkCSRF(r, v); err != nil {
		return a, nil, err
	}
	return a, samrad.WithActor(r.Context(), samrad.Actor{UserID: v.User.ID, Name: v.User.Email}), nil
}

// authorizeAs is authorize for an action open to a lesser role, such as a
// member's officer giving input.
func (s *Server) authorizeAs(w http.ResponseWriter, r *http.Request, v *view, a samrad.Alliance, min samrad.Role) (context.Context, error) {
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	if err := s.require(r, v, a, min); err != nil {
		return nil, err
	}
	return samrad.WithActor(r.Context(), samrad.Actor{UserID: v.User.ID, Name: v.User.Email}), nil
}

// requireRole checks the session and role only, before a large body is read.
func (s *Server) requireRole(v *view, a samrad.Alliance, min samrad.Role) error {
	if v.User == nil {
		return samrad.Errorf(samrad.EUNAUTHORIZED, "%s", s.cat.T(v.Lang, "login_required"))
	}
	if !v.User.Can(a.ID, min) {
		return samrad.Errorf(samrad.EFORBIDDEN, "%s", s.cat.T(v.Lang, "forbidden_text"))
	}
	return nil
}

// handleDecide confirms or rejects a pending membership.
func (s *Server) handleDecide(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	actx, err := s.authorize(w, r, v, a)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "no such membership")
	}
	all, err := s.db.Memberships(ctx, a.ID)
	if err != nil {
		return err
	}
	found := false
	for _, m := range all {
		found = found || (m.ID == id && m.Status == samrad.StatusPending)
	}
	if !found {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "no_pending", id))
	}
	var confirm bool
	switch r.PostFormValue("decision") {
	case "confirm":
		confirm = true
	case "reject":
	default:
		return samrad.FieldErrorf("decision", "must be confirm or reject")
	}
	if err := s.db.DecideMembership(actx, id, confirm, v.User.Email); err != nil {
		return err
	}
	q := url.Values{}
	q.Set(s.cat.T(v.Lang, "param_pending"), "1")
	if d := r.PostFormValue("date"); d != "" {
		q.Set(s.cat.T(v.Lang, "param_date"), d)
	}
	http.Redirect(w, r, fmt.Sprintf("%s?%s", Path(v.Lang, "members", a.Slug), q.Encode()), http.StatusSeeOther)
	return nil
}
