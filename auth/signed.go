package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Signed-token errors.
var (
	ErrForged  = errors.New("auth: the link is not valid")
	ErrExpired = errors.New("auth: the link has expired")
)

// Sign returns a token that names id for one purpose (e.g. "newsletter-
// confirm") until expires (the zero time: for good). It is the id, the
// expiry and an HMAC-SHA-256 of both and the purpose under secret; nothing
// needs to be stored, and a token for one purpose does not work for
// another. Links in e-mail that must keep working, such as unsubscribe,
// are made this way.
func Sign(secret []byte, purpose string, id int64, expires time.Time) string {
	var exp int64
	if !expires.IsZero() {
		exp = expires.Unix()
	}
	body := strconv.FormatInt(id, 36) + "." + strconv.FormatInt(exp, 36)
	return body + "." + mac(secret, purpose, body)
}

// Verify returns the id a token made by Sign for purpose names, or
// ErrForged if it was not made with secret for purpose, or ErrExpired if
// its time has passed at now.
func Verify(secret []byte, purpose, token string, now time.Time) (int64, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || len(token) > 100 {
		return 0, ErrForged
	}
	body := parts[0] + "." + parts[1]
	if !hmac.Equal([]byte(parts[2]), []byte(mac(secret, purpose, body))) {
		return 0, ErrForged
	}
	id, err1 := strconv.ParseInt(parts[0], 36, 64)
	exp, err2 := strconv.ParseInt(parts[1], 36, 64)
	if err1 != nil || err2 != nil {
		return 0, ErrForged
	}
	if exp != 0 && now.Unix() > exp {
		return 0, ErrExpired
	}
	return id, nil
}

func mac(secret []byte, purpose, body string) string {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(purpose))
	h.Write([]byte{0})
	h.Write([]byte(body))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18])
}
