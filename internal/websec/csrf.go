package websec

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
)

// CSRFField is the name of the form field that carries the token.
const CSRFField = "csrf"

// CSRF makes and checks tokens that bind a form to the visitor or session
// it was shown to: an HMAC of the session's id under a secret key shared by
// every replica (the signed double-submit pattern). A page from another
// site cannot read the token, so it cannot make a form that passes.
type CSRF struct {
	key []byte
}

// NewCSRF returns tokens made with key, which should be at least 32 random
// bytes kept by the service (store.Store.Secret keeps one in Redis).
func NewCSRF(key []byte) *CSRF {
	return &CSRF{key: append([]byte(nil), key...)}
}

// Token is the token of session, the value of a cookie the browser holds.
func (c *CSRF) Token(session string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte("csrf\x00"))
	m.Write([]byte(session))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Valid reports whether token was made for session. An empty session is
// never valid.
func (c *CSRF) Valid(session, token string) bool {
	if session == "" || token == "" {
		return false
	}
	return hmac.Equal([]byte(c.Token(session)), []byte(token))
}

// CrossSite reports whether r was sent by a page of another site, as the
// browser tells through Sec-Fetch-Site or, failing that, Origin. It is a
// second lock beside the token, not a replacement: older browsers send
// neither header, and then only the token decides.
func CrossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "same-site", "cross-site":
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" || origin == "null" {
		return origin == "null"
	}
	u, err := url.Parse(origin)
	return err != nil || u.Host != r.Host
}
