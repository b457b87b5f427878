package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/auth"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/web"
)

// TestPagesAccessible opens the demo's pages in headless Chromium and runs
// axe-core (WCAG 2.1 A and AA rules): every page must have zero violations.
func TestPagesAccessible(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	db := testdb.Open(t, "sqlite")
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	b, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ore, _ := db.AllianceBySlug(ctx, "ore")
	cg, _ := db.BodyBySlug(ctx, ore.ID, "kontaktgruppen")
	meetings, _ := db.Meetings(ctx, cg.ID)
	if len(meetings) == 0 {
		t.Fatal("the demo has no meeting of the contact group")
	}
	for _, path := range []string{
		fmt.Sprintf("/allianser/ore/moter/%d", meetings[0].ID),
		fmt.Sprintf("/allianser/ore/moter/%d/innkalling", meetings[0].ID),
		"/allianser/ore/organer/kontaktgruppen",
		"/allianser/ore/moter",
		"/allianser/ore/medlemmer?dato=2021-01-01",
		"/en/alliances/ore/members?date=2024-06-01&pending=1",
		"/",
		"/en/",
		"/allianser/osloregionen",
		"/allianser/osloregionen/kontingent?ar=2019",
		"/allianser/osloregionen/kontingent?ar=2021",
		"/organisasjoner/3025",
		"/organisasjoner?dato=2024-01-01&type=county",
		"/finnes/ikke",
		"/logg-inn",
		"/allianser/vestregionen",
		"/allianser/ore/organer/styret",
		"/en/alliances/osloregionen/bodies/politisk-ad-hoc-gruppe",
		"/allianser/vestregionen/saker",
		"/allianser/vestregionen/saker/2017/24",
		"/en/login",
	} {
		v, err := b.Axe(ctx, ts.URL+path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(v) > 0 {
			t.Errorf("%s: %d accessibility violations:\n%s", path, len(v), FormatViolations(v))
		}
	}
}

// TestEditingPagesAccessible checks the secretariat's forms: the test
// server adds a live session cookie to every request the browser makes.
func TestEditingPagesAccessible(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db := testdb.Open(t, "sqlite")
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	ore, _ := db.AllianceBySlug(ctx, "ore")
	u, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, auth.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := db.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.AddCookie(&http.Cookie{Name: "samrad_session", Value: token})
		h.ServeHTTP(w, r)
	}))
	defer ts.Close()
	b, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	cg, _ := db.BodyBySlug(ctx, ore.ID, "kontaktgruppen")
	meetings, _ := db.Meetings(ctx, cg.ID)
	for _, path := range []string{"/allianser/ore/organer/styret", "/en/alliances/ore/members?date=2024-06-01&pending=1",
		fmt.Sprintf("/allianser/ore/moter/%d", meetings[0].ID)} {
		v, err := b.Axe(ctx, ts.URL+path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(v) > 0 {
			t.Errorf("%s (logged in): %d violations:\n%s", path, len(v), FormatViolations(v))
		}
	}
}
