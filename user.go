package samrad

import (
	"context"
	"net/mail"
	"strings"
)

// Role is what a user may do in one alliance.
type Role string

const (
	RoleAdministrator Role = "administrator"  // everything, including users and the audit log
	RoleSecretariat   Role = "secretariat"    // edits the alliance's data
	RoleMemberContact Role = "member_contact" // a member's officer: reads members-only data, gives input
	RoleReader        Role = "reader"         // reads members-only data
)

// Roles lists the roles from most to least powerful.
var Roles = []Role{RoleAdministrator, RoleSecretariat, RoleMemberContact, RoleReader}

func (r Role) rank() int {
	for i, x := range Roles {
		if x == r {
			return len(Roles) - i
		}
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// AtLeast reports whether r includes the rights of min.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && r.rank() > 0 }

// User is an account.
type User struct {
	ID       int64
	Email    string
	Name     string
	Disabled bool
	Grants   map[int64]Role // alliance ID → role
}

// RoleIn returns the user's role in an alliance, "" if none.
func (u *User) RoleIn(allianceID int64) Role {
	if u == nil || u.Disabled {
		return ""
	}
	return u.Grants[allianceID]
}

// Can reports whether the user has at least role min in the alliance.
func (u *User) Can(allianceID int64, min Role) bool {
	return u.RoleIn(allianceID).AtLeast(min)
}

// NormaliseEmail lower-cases and checks an e-mail address.
func NormaliseEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") || strings.ContainsAny(s, "\r\n") {
		return "", FieldErrorf("email", "%q is not an e-mail address", s)
	}
	// Mail goes out 7-bit: an address with letters outside ASCII cannot be
	// used (and RFC 5321 allows at most 254 octets).
	for i := 0; i < len(s); i++ {
		if s[i] > 127 {
			return "", FieldErrorf("email", "%q: an address with letters outside a–z cannot be used", s)
		}
	}
	if len(s) > 254 {
		return "", FieldErrorf("email", "the address is longer than 254 characters")
	}
	return strings.ToLower(s), nil
}

// Actor is who makes a change, for the audit log.
type Actor struct {
	UserID int64  // 0 for the command line and the system
	Name   string // e-mail, "cli:USER" or "system"
}

type actorKey struct{}

// WithActor returns a context that carries the actor of the changes made with it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or the system actor.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Name: "system"}
}

// AuditEntry is one change in the audit log.
type AuditEntry struct {
	ID         int64
	At         string
	Actor      string
	UserID     int64
	AllianceID int64
	Action     string // create, update, delete, import, decide …
	Entity     string // alliance, membership, population, …
	EntityID   string
	Before     string // JSON, "" if none
	After      string // JSON, "" if none
}
