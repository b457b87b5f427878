package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/auth"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

var fastHash = auth.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// browser is an HTTP client with cookies that does not follow redirects.
type browser struct {
	t      *testing.T
	c      *http.Client
	base   string
	csrfRe *regexp.Regexp
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, csrfRe: regexp.MustCompile(`name="csrf" value="([^"]+)"`),
		c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (b *browser) csrf(page string) string {
	b.t.Helper()
	m := b.csrfRe.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatalf("no CSRF token in page")
	}
	return m[1]
}

func (b *browser) login(email, password string) *http.Response {
	_, page := b.get("/logg-inn")
	resp, _ := b.post("/logg-inn", url.Values{"csrf": {b.csrf(page)}, "email": {email}, "password": {password}, "next": {"/allianser/ore"}})
	return resp
}

func TestLoginAndDecidePendingMembership(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		ore, _ := db.AllianceBySlug(ctx, "ore")
		if _, err := db.CreateUser(ctx, "sekretariat@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateUser(ctx, "leser@example.no", "L", "et langt passord her", ore.ID, samrad.RoleReader, fastHash); err != nil {
			t.Fatal(err)
		}
		pending, _ := db.MembersOn(ctx, ore.ID, samrad.MustDate("2024-06-01"), true)
		var akershus samrad.Membership
		for _, m := range pending {
			if m.Org.Code == "32" {
				akershus = m
			}
		}
		decide := "/allianser/ore/medlemskap/" + itoa(akershus.ID)

		// Anonymous: no buttons, and the action is refused.
		anon := newBrowser(t, ts.URL)
		if _, page := anon.get("/allianser/ore/medlemmer?dato=2024-06-01&ventende=1"); strings.Contains(page, `value="confirm"`) {
			t.Error("anonymous visitors see the decision buttons")
		}
		if resp, _ := anon.post(decide, url.Values{"decision": {"confirm"}}); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous decision: %d, want 401", resp.StatusCode)
		}
		// Login needs the form's token.
		if resp, _ := anon.post("/logg-inn", url.Values{"email": {"sekretariat@example.no"}, "password": {"et langt passord her"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("login without CSRF token: %d, want 403", resp.StatusCode)
		}
		_, page := anon.get("/logg-inn")
		resp, body := anon.post("/logg-inn", url.Values{"csrf": {anon.csrf(page)}, "email": {"sekretariat@example.no"}, "password": {"feil"}})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Feil e-postadresse eller passord") || !strings.Contains(body, `value="sekretariat@example.no"`) {
			t.Errorf("wrong password: %d; message and e-mail kept? %s", resp.StatusCode, body[:200])
		}

		// A reader may log in but not decide.
		reader := newBrowser(t, ts.URL)
		if resp := reader.login("leser@example.no", "et langt passord her"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reader login: %d", resp.StatusCode)
		}
		_, page = reader.get("/allianser/ore/medlemmer?dato=2024-06-01&ventende=1")
		if strings.Contains(page, `value="confirm"`) {
			t.Error("a reader sees the decision buttons")
		}
		if resp, _ := reader.post(decide, url.Values{"csrf": {reader.csrf(page)}, "decision": {"confirm"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("reader decision: %d, want 403", resp.StatusCode)
		}

		// The secretariat decides.
		sec := newBrowser(t, ts.URL)
		resp = sec.login("sekretariat@example.no", "et langt passord her")
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/allianser/ore" {
			t.Fatalf("login: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		var session *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "samrad_session" {
				session = c
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
			t.Errorf("session cookie = %+v, want HttpOnly and SameSite=Lax", session)
		}
		_, page = sec.get("/allianser/ore/medlemmer?dato=2024-06-01&ventende=1")
		if !strings.Contains(page, `value="confirm"`) || !strings.Contains(page, "sekretariat@example.no") {
			t.Fatal("the secretariat does not see the decision buttons")
		}
		if resp, _ := sec.post(decide, url.Values{"csrf": {"forged"}, "decision": {"confirm"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("forged CSRF token: %d, want 403", resp.StatusCode)
		}
		resp, _ = sec.post(decide, url.Values{"csrf": {sec.csrf(page)}, "decision": {"confirm"}, "date": {"2024-06-01"}})
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/allianser/ore/medlemmer?") {
			t.Fatalf("decision: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		ms, _ := db.MembersOn(ctx, ore.ID, samrad.MustDate("2024-06-01"), false)
		confirmed := false
		for _, m := range ms {
			confirmed = confirmed || m.ID == akershus.ID
		}
		if !confirmed {
			t.Error("Akershus is not a confirmed member after the decision")
		}
		// Deciding again is refused; the audit log names the user.
		if resp, _ := sec.post(decide, url.Values{"csrf": {sec.csrf(page)}, "decision": {"reject"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("second decision: %d, want 404", resp.StatusCode)
		}
		entries, _ := db.AuditLog(ctx, ore.ID, 0, 5)
		if len(entries) == 0 || entries[0].Action != "decide" || entries[0].Actor != "sekretariat@example.no" || entries[0].UserID == 0 {
			t.Errorf("audit: %+v", entries)
		}
		// Logout ends the session.
		resp, _ = sec.post("/logg-ut", url.Values{"csrf": {sec.csrf(page)}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("logout: %d", resp.StatusCode)
		}
		if _, page := sec.get("/allianser/ore/medlemmer?dato=2024-06-01&ventende=1"); strings.Contains(page, "sekretariat@example.no") {
			t.Error("still logged in after logout")
		}
	})
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	ts := httptest.NewServer(demoServer(t, db))
	defer ts.Close()
	ctx := context.Background()
	ore, _ := db.AllianceBySlug(ctx, "ore")
	if _, err := db.CreateUser(ctx, "a@example.no", "A", "et langt passord her", ore.ID, samrad.RoleReader, fastHash); err != nil {
		t.Fatal(err)
	}
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example"} {
		b := newBrowser(t, ts.URL)
		_, page := b.get("/logg-inn")
		resp, _ := b.post("/logg-inn", url.Values{"csrf": {b.csrf(page)}, "email": {"a@example.no"}, "password": {"et langt passord her"}, "next": {next}})
		if loc := resp.Header.Get("Location"); loc != "/" {
			t.Errorf("next=%q redirected to %q, want /", next, loc)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
