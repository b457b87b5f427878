package auth

import (
	"errors"
	"strings"
	"testing"
)

var fast = Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

func TestHashAndVerify(t *testing.T) {
	h, err := HashPassword("korrekt hest batteri stift", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash format: %s", h)
	}
	if err := VerifyPassword("korrekt hest batteri stift", h); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := VerifyPassword("korrekt hest batteri stifT", h); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong password: %v, want ErrMismatch", err)
	}
	h2, _ := HashPassword("korrekt hest batteri stift", fast)
	if h == h2 {
		t.Error("two hashes of one password must differ (salt)")
	}
	for _, bad := range []string{"", "$2a$10$abc", "$argon2id$v=19$m=1024,t=1,p=1$!!$abc", "$argon2id$v=18$m=1024,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$aGFzaA"} {
		if err := VerifyPassword("x", bad); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("VerifyPassword(%q) = %v, want a format error", bad, err)
		}
	}
}

func TestDefaultParamsAreArgon2id(t *testing.T) {
	h, err := HashPassword("et langt passord", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("default hash: %s", h)
	}
}

func TestStrengthAndTokens(t *testing.T) {
	if CheckStrength("kort") == nil || CheckStrength("tolv tegn ok") != nil {
		t.Error("CheckStrength")
	}
	a, b := NewToken(), NewToken()
	if len(a) != 43 || a == b {
		t.Errorf("tokens %q %q", a, b)
	}
	// The digest is the same each time it is taken, or no stored token matches.
	first := Digest(a)
	if first == a || Digest(a) != first || !Equal(a, a) || Equal(a, b) {
		t.Error("Digest/Equal")
	}
}
