package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// bareServer is a server on a database without the demo data: enough for
// what is refused before a handler looks anything up.
func bareServer(t *testing.T, db *store.DB) *web.Server {
	t.Helper()
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// postFrom posts form to path as if from the address peer, with extra
// headers in pairs.
func postFrom(h http.Handler, peer, path string, form url.Values, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = peer + ":40000"
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestRateLimitAcrossInstances posts sign-ups to two servers on one
// database, as two instances behind a load balancer: the limit of 20 per
// client holds across both, the 21st gets a 429 page with Retry-After, and
// another client is not affected.
func TestRateLimitAcrossInstances(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			dsn := testdb.DSN(t, engine)
			var hs []http.Handler
			for range 2 {
				db, err := store.Open(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				hs = append(hs, bareServer(t, db).Handler())
			}
			const path = "/allianser/ore/nyhetsbrev"
			for i := range 20 {
				if rec := postFrom(hs[i%2], "192.0.2.10", path, url.Values{"email": {"a@example.no"}}); rec.Code == http.StatusTooManyRequests {
					t.Fatalf("sign-up %d refused as too many", i+1)
				}
			}
			rec := postFrom(hs[0], "192.0.2.10", "/en/alliances/ore/newsletter", url.Values{"email": {"a@example.no"}})
			if rec.Code != http.StatusTooManyRequests {
				t.Fatalf("21st sign-up: %d, want 429", rec.Code)
			}
			retry, err := strconv.Atoi(rec.Header().Get("Retry-After"))
			if err != nil || retry < 1 || retry > 20*60 {
				t.Errorf("Retry-After %q", rec.Header().Get("Retry-After"))
			}
			if body := rec.Body.String(); !strings.Contains(body, "Too many") || !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Try again in") {
				t.Errorf("429 page:\n%s", body)
			}
			if rec := postFrom(hs[1], "192.0.2.11", path, url.Values{}); rec.Code == http.StatusTooManyRequests {
				t.Error("another client was refused")
			}
		})
	}
}

// TestLoginLimits: attempts are limited per client address, and per
// account whatever the address; a trusted proxy's X-Forwarded-For names the
// client, an untrusted one's does not. (Failed logins lock the account and
// the address sooner, store.LoginFailures; that is tested in store.)
func TestLoginLimits(t *testing.T) {
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
		if err := srv.SetTrustedProxies("10.0.0.0/8, 192.0.2.99"); err != nil {
			t.Fatal(err)
		}
		h := srv.Handler()
		token := strings.Repeat("T", 43)
		login := func(peer, email string, headers ...string) int {
			return postFrom(h, peer, "/logg-inn", url.Values{"csrf": {token}, "email": {email}, "password": {"et langt passord her"}},
				append(headers, "Cookie", "samrad_csrf="+token)...).Code
		}
		// Per account: ten logins from ten addresses, then the eleventh
		// from yet another is refused.
		for i := range 10 {
			if code := login("198.51.100."+strconv.Itoa(i+1), "leder@example.no"); code != http.StatusSeeOther {
				t.Fatalf("login %d: %d", i+1, code)
			}
		}
		if code := login("198.51.100.50", "LEDER@example.no"); code != http.StatusTooManyRequests {
			t.Errorf("11th login to one account: %d, want 429", code)
		}
		// Per address, through a trusted proxy: twenty from one client
		// (refused here for want of a form token), then it is refused as
		// too many, while the proxy's other clients are not.
		anon := func(peer string, headers ...string) int {
			return postFrom(h, peer, "/logg-inn", url.Values{"email": {"x@example.no"}}, headers...).Code
		}
		for i := range 20 {
			if code := anon("10.1.1.1", "X-Forwarded-For", "203.0.113.5"); code != http.StatusForbidden {
				t.Fatalf("attempt %d through the proxy: %d, want 403", i+1, code)
			}
		}
		if code := anon("192.0.2.99", "X-Forwarded-For", "6.6.6.6, 203.0.113.5, 10.2.2.2"); code != http.StatusTooManyRequests {
			t.Errorf("21st attempt of one client through two proxies: %d, want 429", code)
		}
		if code := anon("10.1.1.1", "X-Forwarded-For", "203.0.113.6"); code != http.StatusForbidden {
			t.Errorf("another client behind the proxy: %d, want 403", code)
		}
		// An untrusted peer cannot pass as others by writing the header.
		for i := range 20 {
			anon("203.0.113.77", "X-Forwarded-For", "198.18.0."+strconv.Itoa(i))
		}
		if code := anon("203.0.113.77", "X-Forwarded-For", "198.18.1.1"); code != http.StatusTooManyRequests {
			t.Errorf("untrusted X-Forwarded-For believed: %d, want 429", code)
		}
		if err := srv.SetTrustedProxies("10.0.0.0/33"); err == nil {
			t.Error("a bad range was accepted")
		}
	})
}

// TestRequestLimits: a body beyond 1 MiB, a form beyond 64 KiB or 1000
// values, and a URL beyond 4096 bytes are refused with a page, before any
// handler work.
func TestRequestLimits(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	h := bareServer(t, db).Handler()
	big := strings.Repeat("a", 1<<20+1)
	many := strings.Repeat("x=1&", 1001)
	cases := []struct {
		name, method, path, body string
		status                   int
		text                     string
	}{
		{"body over 1 MiB", "POST", "/logg-inn", "email=" + big, http.StatusRequestEntityTooLarge, "For stor forespørsel"},
		{"form over 64 KiB", "POST", "/en/login", "email=" + big[:100<<10], http.StatusRequestEntityTooLarge, "Request too large"},
		{"more than 1000 values", "POST", "/logg-inn", many, http.StatusRequestEntityTooLarge, "For stor forespørsel"},
		{"long URL", "GET", "/organisasjoner?q=" + big[:5000], "", http.StatusRequestURITooLong, "For lang adresse"},
		{"long URL en", "GET", "/en/organisations?q=" + big[:5000], "", http.StatusRequestURITooLong, "Address too long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.text) {
				t.Errorf("%d, want %d with %q:\n%.300s", rec.Code, c.status, c.text, rec.Body.String())
			}
		})
	}
	// A body without a declared length is cut off at the limit as well.
	req := httptest.NewRequest("POST", "/logg-inn", io.MultiReader(strings.NewReader("email="), strings.NewReader(big)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("unbounded body: %d, want 413", rec.Code)
	}
}
