package auth

import (
	"errors"
	"testing"
	"time"
)

func TestSignedTokens(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tok := Sign(secret, "newsletter-confirm", 4711, now.Add(7*24*time.Hour))
	if id, err := Verify(secret, "newsletter-confirm", tok, now); id != 4711 || err != nil {
		t.Fatalf("Verify = %d, %v", id, err)
	}
	if _, err := Verify(secret, "newsletter-confirm", tok, now.Add(8*24*time.Hour)); !errors.Is(err, ErrExpired) {
		t.Errorf("after expiry: %v", err)
	}
	if _, err := Verify(secret, "newsletter-unsubscribe", tok, now); !errors.Is(err, ErrForged) {
		t.Errorf("other purpose: %v", err)
	}
	if _, err := Verify([]byte("another secret"), "newsletter-confirm", tok, now); !errors.Is(err, ErrForged) {
		t.Errorf("other secret: %v", err)
	}
	// Changing the id or the expiry breaks the signature.
	other := Sign(secret, "newsletter-confirm", 4712, now.Add(time.Hour))
	forged := other[:len(other)-24] + tok[len(tok)-24:]
	for _, bad := range []string{forged, "", "a.b", "a.b.c.d", tok + "x", "zz.0." + tok[len(tok)-24:]} {
		if _, err := Verify(secret, "newsletter-confirm", bad, now); !errors.Is(err, ErrForged) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	forever := Sign(secret, "newsletter-unsubscribe", 9, time.Time{})
	if id, err := Verify(secret, "newsletter-unsubscribe", forever, now.AddDate(50, 0, 0)); id != 9 || err != nil {
		t.Errorf("token for good: %d, %v", id, err)
	}
}
