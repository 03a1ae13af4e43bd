package webchat

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"strings"
	"time"

	"signpost/flows"
)

// Cookies of the web chat. Both are HttpOnly, SameSite=Lax and limited to
// the chat's own path; neither holds anything a visitor typed.
const (
	// visitorCookie is the visitor: 128 random bits, from which their id is
	// worked out, so a visitor who never consents costs no key in Redis.
	visitorCookie = "sp_v"
	// carryCookie holds the conversation of a visitor who has not consented
	// yet (where they are, the deep link they came from), signed so that it
	// comes back as it was given. Nothing of it is stored on the server.
	carryCookie = "sp_c"
)

// tokenEncoding writes tokens and codes without characters that need escaping.
var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newToken returns 128 random bits as 26 characters.
func newToken() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return strings.ToLower(tokenEncoding.EncodeToString(b[:]))
}

// validToken reports whether s looks like a token newToken made.
func validToken(s string) bool {
	if len(s) != 26 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}

// visitorID is the person id of the visitor holding token: a hash of it in
// the web's range of ids (flows.WebUserMin up), so the id cannot be turned
// back into the cookie that proves it.
func visitorID(token string) int64 {
	sum := sha256.Sum256([]byte("signpost web visitor\x00" + token))
	return flows.WebUserMin | int64(binary.BigEndian.Uint64(sum[:8])&(1<<62-1))
}

// codeAlphabet leaves out 0, 1, I and O, which are easy to misread.
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// newCode returns a resume code: eight characters (40 bits), written in two
// groups of four, K7M2-QP4X.
func newCode() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	out := make([]byte, 0, 9)
	for i, c := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[c%32])
	}
	return string(out)
}

// normalCode reads a code as a person may type it, in any case, with
// spaces or dashes anywhere. It returns "" for something that cannot be a
// code (the alphabet has no 0, 1, I or O, so none can be mistaken).
func normalCode(s string) string {
	var b []byte
	for _, r := range strings.ToUpper(s) {
		if r == ' ' || r == '-' {
			continue
		}
		if !strings.ContainsRune(codeAlphabet, r) || len(b) == 8 {
			return ""
		}
		b = append(b, byte(r))
	}
	if len(b) != 8 {
		return ""
	}
	return string(b[:4]) + "-" + string(b[4:])
}

// signer signs what the chat hands a browser to keep.
type signer struct{ key []byte }

func (s signer) mac(parts ...string) []byte {
	m := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return m.Sum(nil)[:18]
}

// carry signs a carried session for the visitor holding token.
func (s signer) carry(token string, session []byte) string {
	enc := base64.RawURLEncoding.EncodeToString(session)
	return enc + "." + base64.RawURLEncoding.EncodeToString(s.mac("carry", token, enc))
}

// carried reads back a carried session, or nil when it is missing, was
// made for another visitor, or was changed.
func (s signer) carried(token, value string) []byte {
	enc, sig, ok := strings.Cut(value, ".")
	if !ok {
		return nil
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac("carry", token, enc)) {
		return nil
	}
	session, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return nil
	}
	return session
}

// cookie builds one of the chat's cookies.
func (s *Server) cookie(name, value string, maxAge time.Duration) *http.Cookie {
	c := &http.Cookie{
		Name: name, Value: value, Path: "/chat", HttpOnly: true, Secure: s.cfg.secure,
		// Lax rather than Strict: a person who follows the council's link
		// to the chat from another site must find their conversation. A
		// cross-site POST still carries no cookie, and every form has a
		// CSRF token besides.
		SameSite: http.SameSiteLaxMode,
	}
	switch {
	case maxAge > 0:
		c.MaxAge = int(maxAge / time.Second)
	case maxAge < 0:
		c.MaxAge = -1
	}
	return c
}
