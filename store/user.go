package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/auth"
)

// SessionTTL is how long a login lasts without activity.
const SessionTTL = 12 * time.Hour

// Login throttling: at most LoginFailures failed attempts per key (the
// e-mail address, and separately the client address) in LoginWindow.
const (
	LoginFailures = 5
	LoginWindow   = 15 * time.Minute
)

// ErrThrottled is returned when too many logins failed recently.
var ErrThrottled = samrad.Errorf(samrad.EFORBIDDEN, "too many failed logins; wait a few minutes")

// CreateUser stores a user with an argon2id hash of the password and a role
// in an alliance.
func (db *DB) CreateUser(ctx context.Context, email, name, password string, allianceID int64, role samrad.Role, params auth.Params) (*samrad.User, error) {
	email, err := samrad.NormaliseEmail(email)
	if err != nil {
		return nil, err
	}
	if err := auth.CheckStrength(password); err != nil {
		return nil, samrad.FieldErrorf("password", "%v", err)
	}
	if !role.Valid() {
		return nil, samrad.FieldErrorf("role", "unknown role %q", role)
	}
	hash, err := auth.HashPassword(password, params)
	if err != nil {
		return nil, err
	}
	u := &samrad.User{Email: email, Name: name, Grants: map[int64]samrad.Role{allianceID: role}}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE email = $1`, email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return samrad.Errorf(samrad.ECONFLICT, "a user %s already exists", email)
		}
		id, err := insertID(ctx, tx, `INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4)`, email, name, hash, now())
		if err != nil {
			return err
		}
		u.ID = id
		if _, err := tx.ExecContext(ctx, `INSERT INTO grants (user_id, alliance_id, role) VALUES ($1, $2, $3)`, id, allianceID, role); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "user", id, nil, map[string]string{"email": email, "name": name, "role": string(role)})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Grant sets a user's role in an alliance ("" removes it).
func (db *DB) Grant(ctx context.Context, userID, allianceID int64, role samrad.Role) error {
	if role != "" && !role.Valid() {
		return samrad.FieldErrorf("role", "unknown role %q", role)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var before string
		err := tx.QueryRowContext(ctx, `SELECT role FROM grants WHERE user_id = $1 AND alliance_id = $2`, userID, allianceID).Scan(&before)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM grants WHERE user_id = $1 AND alliance_id = $2`, userID, allianceID); err != nil {
			return err
		}
		if role != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO grants (user_id, alliance_id, role) VALUES ($1, $2, $3)`, userID, allianceID, role); err != nil {
				return err
			}
		}
		return audit(ctx, tx, allianceID, "update", "grant", userID, map[string]string{"role": before}, map[string]string{"role": string(role)})
	})
}

func (db *DB) loadUser(ctx context.Context, q queryer, where string, arg any) (*samrad.User, string, error) {
	u := &samrad.User{Grants: map[int64]samrad.Role{}}
	var hash string
	err := q.QueryRowContext(ctx, `SELECT id, email, name, password_hash, disabled FROM users WHERE `+where, arg).
		Scan(&u.ID, &u.Email, &u.Name, &hash, &u.Disabled)
	if err != nil {
		return nil, "", notFound(err, "no such user")
	}
	rows, err := q.QueryContext(ctx, `SELECT alliance_id, role FROM grants WHERE user_id = $1`, u.ID)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			return nil, "", err
		}
		u.Grants[id] = samrad.Role(role)
	}
	return u, hash, rows.Err()
}

// Authenticate checks an e-mail and password, throttling failures per
// e-mail address and per client address. The same error is given for an
// unknown address and a wrong password.
func (db *DB) Authenticate(ctx context.Context, email, password, client string) (*samrad.User, error) {
	email, _ = samrad.NormaliseEmail(email)
	keys := []string{"email:" + email, "client:" + client}
	for _, k := range keys {
		if n, err := db.failures(ctx, k); err != nil {
			return nil, err
		} else if n >= LoginFailures {
			return nil, ErrThrottled
		}
	}
	bad := samrad.Errorf(samrad.EUNAUTHORIZED, "wrong e-mail address or password")
	u, hash, err := db.loadUser(ctx, db.db, "email = $1", email)
	if err != nil && samrad.ErrorCode(err) != samrad.ENOTFOUND {
		return nil, err
	}
	if u == nil {
		// Spend the same time as a real check, so timing does not tell which addresses exist.
		_ = auth.VerifyPassword(password, dummyHash())
	} else if auth.VerifyPassword(password, hash) == nil && !u.Disabled {
		return u, nil
	}
	for _, k := range keys {
		if err := db.fail(ctx, k); err != nil {
			return nil, err
		}
	}
	return nil, bad
}

// dummyHash is a hash to check unknown addresses against, made on first use.
var dummyHash = sync.OnceValue(func() string {
	h, _ := auth.HashPassword("not a real password at all", auth.DefaultParams)
	return h
})

func (db *DB) failures(ctx context.Context, key string) (int, error) {
	var n int
	var start string
	err := db.db.QueryRowContext(ctx, `SELECT failures, window_start FROM login_attempts WHERE key = $1`, key).Scan(&n, &start)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	t, err := time.Parse(time.RFC3339Nano, start)
	if err != nil || time.Since(t) > LoginWindow {
		return 0, nil
	}
	return n, nil
}

func (db *DB) fail(ctx context.Context, key string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		var start string
		err := tx.QueryRowContext(ctx, `SELECT failures, window_start FROM login_attempts WHERE key = $1`, key).Scan(&n, &start)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO login_attempts (key, window_start, failures) VALUES ($1, $2, 1)`, key, now())
			return err
		case err != nil:
			return err
		}
		if t, perr := time.Parse(time.RFC3339Nano, start); perr != nil || time.Since(t) > LoginWindow {
			_, err = tx.ExecContext(ctx, `UPDATE login_attempts SET failures = 1, window_start = $1 WHERE key = $2`, now(), key)
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE login_attempts SET failures = failures + 1 WHERE key = $1`, key)
		return err
	})
}

// Session is a login: the user and the CSRF token of the session.
type Session struct {
	User *samrad.User
	CSRF string
}

// CreateSession starts a session for a user and returns its token (for the
// cookie; only its digest is stored) and CSRF token.
func (db *DB) CreateSession(ctx context.Context, userID int64) (token, csrf string, err error) {
	token, csrf = auth.NewToken(), auth.NewToken()
	expires := time.Now().UTC().Add(SessionTTL).Format(time.RFC3339)
	_, err = db.db.ExecContext(ctx, `INSERT INTO sessions (token_digest, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		auth.Digest(token), userID, csrf, now(), expires)
	return token, csrf, err
}

// SessionByToken returns the live session of a cookie token.
func (db *DB) SessionByToken(ctx context.Context, token string) (*Session, error) {
	var userID int64
	var csrf string
	err := db.db.QueryRowContext(ctx, `SELECT user_id, csrf_token FROM sessions WHERE token_digest = $1 AND expires_at > $2`,
		auth.Digest(token), now()).Scan(&userID, &csrf)
	if err != nil {
		return nil, notFound(err, "no such session")
	}
	u, _, err := db.loadUser(ctx, db.db, "id = $1", userID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, samrad.Errorf(samrad.ENOTFOUND, "no such session")
	}
	return &Session{User: u, CSRF: csrf}, nil
}

// DeleteSession ends a session (logout).
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	_, err := db.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_digest = $1`, auth.Digest(token))
	return err
}
