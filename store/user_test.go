package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/auth"
	"github.com/samrad/samrad/store"
)

var fastHash = auth.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

func TestUsersSessionsAndThrottling(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := samrad.WithActor(context.Background(), samrad.Actor{Name: "cli:test"})
		a := newAlliance(t, db, "ore")
		u, err := db.CreateUser(ctx, "Leder@Example.no", "Leder", "et langt passord her", a.ID, samrad.RoleAdministrator, fastHash)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateUser(ctx, "leder@example.no", "X", "et langt passord her", a.ID, samrad.RoleReader, fastHash); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("duplicate e-mail: %v, want ECONFLICT", err)
		}
		if _, err := db.CreateUser(ctx, "kort@example.no", "X", "kort", a.ID, samrad.RoleReader, fastHash); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("short password: %v, want EINVALID", err)
		}
		got, err := db.Authenticate(ctx, "leder@example.no", "et langt passord her", "127.0.0.1")
		if err != nil || got.ID != u.ID || !got.Can(a.ID, samrad.RoleSecretariat) {
			t.Fatalf("authenticate: %+v, %v", got, err)
		}
		token, csrf, err := db.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.SessionByToken(ctx, token)
		if err != nil || s.User.ID != u.ID || s.CSRF != csrf {
			t.Fatalf("session: %+v, %v", s, err)
		}
		var stored int
		db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE token_digest = $1`, token).Scan(&stored)
		if stored != 0 {
			t.Error("the session token is stored in clear")
		}
		if err := db.DeleteSession(ctx, token); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionByToken(ctx, token); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("after logout: %v", err)
		}
		// Five failures lock the address, even for the right password.
		for i := 0; i < store.LoginFailures; i++ {
			if _, err := db.Authenticate(ctx, "leder@example.no", "feil passord", "10.0.0.1"); samrad.ErrorCode(err) != samrad.EUNAUTHORIZED {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		if _, err := db.Authenticate(ctx, "leder@example.no", "et langt passord her", "127.0.0.2"); err != store.ErrThrottled {
			t.Errorf("after %d failures: %v, want ErrThrottled", store.LoginFailures, err)
		}
		// The audit log holds the user's creation, with the actor.
		entries, err := db.AuditLog(ctx, a.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range entries {
			if e.Entity == "user" && e.Action == "create" && e.Actor == "cli:test" && strings.Contains(e.After, "leder@example.no") {
				found = true
			}
		}
		if !found {
			t.Errorf("audit log lacks the user's creation: %+v", entries)
		}
	})
}

func TestAuditOfMembershipDecision(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := samrad.WithActor(context.Background(), samrad.Actor{Name: "sekretariat@example.no", UserID: 0})
		a := newAlliance(t, db, "v")
		if _, err := db.ImportMemberships(ctx, a.ID, "m.csv", []store.ImportRow{row(1, "30", "2020-01-01", "")}, false); err != nil {
			t.Fatal(err)
		}
		ms, _ := db.MembersOn(ctx, a.ID, d("2024-01-01"), true)
		if err := db.DecideMembership(ctx, ms[0].ID, true, "s"); err != nil {
			t.Fatal(err)
		}
		entries, err := db.AuditLog(ctx, a.ID, 0, 10)
		if err != nil || len(entries) < 3 {
			t.Fatalf("entries %d, %v", len(entries), err)
		}
		e := entries[0]
		if e.Action != "decide" || e.Before != `{"status":"pending"}` || e.After != `{"status":"confirmed"}` || e.Actor != "sekretariat@example.no" {
			t.Errorf("newest entry = %+v", e)
		}
	})
}
