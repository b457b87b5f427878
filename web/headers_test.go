package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// observatory grades responses the way Mozilla's HTTP Observatory does
// (developer.mozilla.org/en-US/observatory/docs/tests_and_scoring): each
// test gives a result with a modifier; the score starts at 100, penalties
// are subtracted, and bonuses are added only if the score is then 90 or
// more. https tells whether the site is reached over HTTPS (the proxy in
// front redirects plain HTTP there).
type observatory struct {
	results map[string]string
	mods    map[string]int
}

func (o *observatory) set(test, result string, mod int) {
	o.results[test], o.mods[test] = result, mod
}

func (o *observatory) score() int {
	score, bonus := 100, 0
	for _, m := range o.mods {
		if m < 0 {
			score += m
		} else {
			bonus += m
		}
	}
	if score >= 90 {
		score += bonus
	}
	return max(score, 0)
}

func grade(resp *http.Response, body string, cookies []*http.Cookie, https bool, crossOrigin *http.Response) *observatory {
	o := &observatory{results: map[string]string{}, mods: map[string]int{}}
	h := resp.Header

	// Content Security Policy.
	dirs := map[string][]string{}
	for _, d := range strings.Split(h.Get("Content-Security-Policy"), ";") {
		f := strings.Fields(strings.ToLower(d))
		if len(f) > 0 {
			dirs[f[0]] = f[1:]
		}
	}
	src := func(name string) []string {
		if v, ok := dirs[name]; ok {
			return v
		}
		return dirs["default-src"]
	}
	has := func(list []string, bad ...string) bool {
		for _, v := range list {
			for _, b := range bad {
				if v == b {
					return true
				}
			}
		}
		return false
	}
	switch {
	case len(dirs) == 0:
		o.set("csp", "csp-not-implemented", -25)
	case src("script-src") == nil || src("object-src") == nil ||
		has(src("script-src"), "'unsafe-inline'", "data:", "http:", "https:", "*") || has(src("object-src"), "data:", "http:", "https:", "*"):
		o.set("csp", "csp-implemented-with-unsafe-inline", -20)
	case has(src("script-src"), "'unsafe-eval'"):
		o.set("csp", "csp-implemented-with-unsafe-eval", -10)
	case has(src("style-src"), "'unsafe-inline'", "data:", "https:", "*"):
		o.set("csp", "csp-implemented-with-unsafe-inline-in-style-src-only", 0)
	case len(dirs["default-src"]) == 1 && dirs["default-src"][0] == "'none'":
		o.set("csp", "csp-implemented-with-no-unsafe-default-src-none", 10)
	default:
		o.set("csp", "csp-implemented-with-no-unsafe", 5)
	}

	// Strict Transport Security.
	hsts := h.Get("Strict-Transport-Security")
	maxAge := -1
	for _, p := range strings.Split(hsts, ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(strings.ToLower(p)), "max-age="); ok {
			maxAge, _ = strconv.Atoi(v)
		}
	}
	switch {
	case !https:
		o.set("hsts", "hsts-not-implemented-no-https", -20)
	case hsts == "":
		o.set("hsts", "hsts-not-implemented", -20)
	case maxAge < 0:
		o.set("hsts", "hsts-header-invalid", -20)
	case maxAge < 15768000:
		o.set("hsts", "hsts-implemented-max-age-less-than-six-months", -10)
	default:
		o.set("hsts", "hsts-implemented-max-age-at-least-six-months", 0)
	}

	// Cookies: session cookies by name, anti-CSRF cookies by name.
	o.set("cookies", "cookies-not-found", 0)
	if len(cookies) > 0 {
		worst, result := 5, "cookies-secure-with-httponly-sessions-and-samesite"
		note := func(m int, r string) {
			if m < worst {
				worst, result = m, r
			}
		}
		for _, c := range cookies {
			name := strings.ToLower(c.Name)
			session := strings.Contains(name, "sess") || strings.Contains(name, "login")
			anticsrf := strings.Contains(name, "csrf") || strings.Contains(name, "xsrf")
			switch {
			case session && !c.HttpOnly:
				note(-30, "cookies-session-without-httponly-flag")
			case session && !c.Secure && https && hsts != "":
				note(-10, "cookies-session-without-secure-flag-but-protected-by-hsts")
			case session && !c.Secure:
				note(-40, "cookies-session-without-secure-flag")
			case !c.Secure && https && hsts != "":
				note(-5, "cookies-without-secure-flag-but-protected-by-hsts")
			case !c.Secure:
				note(-20, "cookies-without-secure-flag")
			case anticsrf && c.SameSite == http.SameSiteDefaultMode:
				note(-20, "cookies-anticsrf-without-samesite-flag")
			case c.SameSite == http.SameSiteNoneMode:
				note(-20, "cookies-samesite-flag-invalid")
			case c.SameSite == http.SameSiteDefaultMode:
				note(0, "cookies-secure-with-httponly-sessions")
			}
		}
		o.set("cookies", result, worst)
	}

	// Cross-origin resource sharing, asked with a foreign Origin.
	switch acao := crossOrigin.Header.Get("Access-Control-Allow-Origin"); {
	case acao == "*" || acao == "https://evil.example":
		o.set("cors", "cross-origin-resource-sharing-implemented-with-universal-access", -50)
	case acao != "":
		o.set("cors", "cross-origin-resource-sharing-implemented-with-restricted-access", 0)
	default:
		o.set("cors", "cross-origin-resource-sharing-not-implemented", 0)
	}

	// Redirection from http:// to https://: the TLS proxy's, when there is one.
	if https {
		o.set("redirection", "redirection-to-https", 0)
	} else {
		o.set("redirection", "redirection-missing", -20)
	}

	// Referrer Policy.
	switch rp := strings.ToLower(h.Get("Referrer-Policy")); rp {
	case "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin":
		o.set("referrer-policy", "referrer-policy-private", 5)
	case "":
		o.set("referrer-policy", "referrer-policy-not-implemented", 0)
	case "no-referrer-when-downgrade":
		o.set("referrer-policy", "referrer-policy-no-referrer-when-downgrade", 0)
	case "origin", "origin-when-cross-origin", "unsafe-url":
		o.set("referrer-policy", "referrer-policy-unsafe", -5)
	default:
		o.set("referrer-policy", "referrer-policy-header-invalid", -5)
	}

	// Subresource Integrity: scripts from elsewhere need it.
	scripts := regexp.MustCompile(`<script[^>]*\ssrc="([^"]*)"`).FindAllStringSubmatch(body, -1)
	external := false
	for _, s := range scripts {
		if u, err := url.Parse(s[1]); err != nil || u.Host != "" {
			external = true
		}
	}
	switch {
	case !strings.HasPrefix(h.Get("Content-Type"), "text/html"):
		o.set("sri", "sri-not-implemented-response-not-html", 0)
	case len(scripts) == 0:
		o.set("sri", "sri-not-implemented-but-no-scripts-loaded", 0)
	case external:
		o.set("sri", "sri-not-implemented-and-external-scripts-not-loaded-securely", -50)
	default:
		o.set("sri", "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0)
	}

	// X-Content-Type-Options.
	switch xcto := strings.ToLower(h.Get("X-Content-Type-Options")); xcto {
	case "nosniff":
		o.set("x-content-type-options", "x-content-type-options-nosniff", 0)
	case "":
		o.set("x-content-type-options", "x-content-type-options-not-implemented", -5)
	default:
		o.set("x-content-type-options", "x-content-type-options-header-invalid", -5)
	}

	// X-Frame-Options, or CSP frame-ancestors.
	switch xfo := strings.ToUpper(h.Get("X-Frame-Options")); {
	case dirs["frame-ancestors"] != nil:
		o.set("x-frame-options", "x-frame-options-implemented-via-csp", 5)
	case xfo == "DENY" || xfo == "SAMEORIGIN":
		o.set("x-frame-options", "x-frame-options-sameorigin-or-deny", 0)
	case xfo == "":
		o.set("x-frame-options", "x-frame-options-not-implemented", -20)
	default:
		o.set("x-frame-options", "x-frame-options-header-invalid", -20)
	}

	// Cross-Origin-Resource-Policy.
	switch corp := strings.ToLower(h.Get("Cross-Origin-Resource-Policy")); corp {
	case "same-origin":
		o.set("corp", "corp-implemented-with-same-origin", 0)
	case "same-site":
		o.set("corp", "corp-implemented-with-same-site", 0)
	case "cross-origin":
		o.set("corp", "corp-implemented-with-cross-origin", -20)
	case "":
		o.set("corp", "corp-not-implemented", 5)
	default:
		o.set("corp", "corp-header-invalid", -20)
	}
	return o
}

// TestObservatoryGrade grades the login page and its answer (the session
// cookie) on plain HTTP and over HTTPS at a trusted proxy. Over HTTPS every
// test passes; on plain HTTP only the three that need TLS fail.
func TestObservatoryGrade(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := samrad.Alliance{Slug: "grense", NameNB: "Grense", Kind: samrad.AllianceAssociation, FoundedPrecision: samrad.PrecisionUnknown}
		if err := db.CreateAlliance(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateUser(ctx, "leder@example.no", "L", "et langt passord her", a.ID, samrad.RoleReader, fastHash); err != nil {
			t.Fatal(err)
		}
		srv := bareServer(t, db)
		if err := srv.SetTrustedProxies("192.0.2.0/24"); err != nil {
			t.Fatal(err)
		}
		h := srv.Handler()
		do := func(https bool, req *http.Request) *httptest.ResponseRecorder {
			req.RemoteAddr = "192.0.2.1:40000"
			if https {
				req.Header.Set("X-Forwarded-Proto", "https")
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec
		}
		for _, c := range []struct {
			name  string
			https bool
			score int
			fail  []string
		}{
			{"http", false, 20, []string{"cookies", "hsts", "redirection"}},
			{"https", true, 125, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				form := do(c.https, httptest.NewRequest("GET", "/logg-inn", nil))
				page := form.Result()
				body := form.Body.String()
				cookies := page.Cookies()
				if len(cookies) != 1 {
					t.Fatalf("the login form set %d cookies", len(cookies))
				}
				token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
				if token == nil {
					t.Fatal("no form token")
				}
				req := httptest.NewRequest("POST", "/logg-inn", strings.NewReader(url.Values{"csrf": {token[1]}, "email": {"leder@example.no"}, "password": {"et langt passord her"}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.AddCookie(cookies[0])
				login := do(c.https, req).Result()
				if login.StatusCode != http.StatusSeeOther || len(login.Cookies()) == 0 {
					t.Fatalf("login: %d, cookies %v", login.StatusCode, login.Cookies())
				}
				cookies = append(cookies, login.Cookies()...)
				origin := httptest.NewRequest("GET", "/logg-inn", nil)
				origin.Header.Set("Origin", "https://evil.example")
				o := grade(page, body, cookies, c.https, do(c.https, origin).Result())
				var failed []string
				for test, m := range o.mods {
					if m < 0 {
						failed = append(failed, test)
					}
				}
				slices.Sort(failed)
				if !slices.Equal(failed, c.fail) || o.score() != c.score {
					t.Errorf("score %d, failed %v; want %d, failed %v\n%v", o.score(), failed, c.score, c.fail, o.results)
				}
				t.Logf("Observatory score over %s: %d (%v)", c.name, o.score(), o.results)
				if c.https {
					for _, ck := range cookies {
						if !strings.HasPrefix(ck.Name, "__Host-") || !ck.Secure || !ck.HttpOnly || ck.Path != "/" || ck.Domain != "" || ck.SameSite != http.SameSiteLaxMode {
							t.Errorf("cookie over HTTPS: %+v", ck)
						}
					}
					for name, want := range map[string]string{
						"Strict-Transport-Security":    "max-age=63072000; includeSubDomains",
						"Cross-Origin-Opener-Policy":   "same-origin",
						"Cross-Origin-Resource-Policy": "same-origin",
						"Permissions-Policy":           "camera=(), microphone=(), geolocation=(), interest-cohort=()",
					} {
						if got := page.Header.Get(name); got != want {
							t.Errorf("%s: %q, want %q", name, got, want)
						}
					}
					if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "upgrade-insecure-requests") || !strings.Contains(csp, "object-src 'none'") {
						t.Errorf("CSP over HTTPS: %q", csp)
					}
				} else if hsts := page.Header.Get("Strict-Transport-Security"); hsts != "" {
					t.Errorf("HSTS on plain HTTP: %q", hsts)
				}
			})
		}
		// An X-Forwarded-Proto from a peer that is not a trusted proxy is
		// not believed.
		req := httptest.NewRequest("GET", "/logg-inn", nil)
		req.RemoteAddr = "203.0.113.9:40000"
		req.Header.Set("X-Forwarded-Proto", "https")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Header().Get("Strict-Transport-Security") != "" || strings.HasPrefix(rec.Result().Cookies()[0].Name, "__Host-") {
			t.Error("X-Forwarded-Proto believed from an untrusted peer")
		}
	})
}

// TestNoInlineScriptOrStyle reads every template: the CSP allows no inline
// script, style, style attribute, event handler attribute or javascript:
// URL, so none may be written.
func TestNoInlineScriptOrStyle(t *testing.T) {
	files, err := filepath.Glob("templates/*.html")
	if err != nil || len(files) < 20 {
		t.Fatalf("templates: %d files, %v", len(files), err)
	}
	inlineScript := regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script>`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, m := range inlineScript.FindAllStringSubmatch(text, -1) {
			if !strings.Contains(m[1], "src=") || strings.TrimSpace(m[2]) != "" {
				t.Errorf("%s: inline script %q", f, m[0])
			}
		}
		for _, re := range []*regexp.Regexp{regexp.MustCompile(`(?i)<style\b`), regexp.MustCompile(`(?i)\sstyle\s*=`),
			regexp.MustCompile(`(?i)\son[a-z]+\s*=\s*["']`), regexp.MustCompile(`(?i)javascript:`)} {
			if loc := re.FindStringIndex(text); loc != nil {
				t.Errorf("%s: %q is not allowed by the CSP", f, text[loc[0]:min(len(text), loc[1]+40)])
			}
		}
	}
}
