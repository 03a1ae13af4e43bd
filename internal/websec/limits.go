package websec

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// LimitBody caps what a request may send at max bytes: reading more fails
// with *http.MaxBytesError, which ParseForm turns into ErrTooLarge.
func LimitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			http.Error(w, "Sorry, that was too much to send at once.", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

// ErrTooLarge means a form was longer than its limit.
var ErrTooLarge = errors.New("websec: request too large")

// ParseForm reads a urlencoded form of at most max bytes. A longer body
// returns ErrTooLarge; the caller should answer 413 with a kind word.
func ParseForm(w http.ResponseWriter, r *http.Request, max int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, max)
	err := r.ParseForm()
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return ErrTooLarge
	}
	return err
}

// ClientIP is the address of the person making r: the connection's peer,
// or, when the peer is one of the trusted proxies, the last address in
// X-Forwarded-For that is not itself a trusted proxy. Addresses a client
// wrote into the header before the first trusted hop are never believed.
func ClientIP(r *http.Request, trusted []netip.Prefix) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	peer = peer.Unmap()
	if !within(peer, trusted) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return peer
		}
		a = a.Unmap()
		if !within(a, trusted) {
			return a
		}
		peer = a
	}
	return peer
}

func within(a netip.Addr, nets []netip.Prefix) bool {
	for _, n := range nets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// Limiter keeps rate limits shared by every replica; store.Store is one.
type Limiter interface {
	// Allow takes one request under the limit named key, of at most limit
	// requests a per (bursts of up to limit). It reports whether the request
	// may go on, and if not, how long until one may.
	Allow(ctx context.Context, key string, limit int, per time.Duration) (bool, time.Duration, error)
}

// Pseudonym turns an identifier that is personal data (an IP address, a
// visitor's cookie) into a key for a rate limit: an HMAC under the
// service's secret, so Redis never holds the address itself.
func Pseudonym(key []byte, kind, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(id))
	return kind + ":" + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:12])
}

// Network is the part of an address one household or device holds, for a
// per-address limit: the address itself for IPv4, its /64 for IPv6, since a
// device may take any address of its /64 at will.
func Network(a netip.Addr) string {
	if a.Is6() && !a.Is4In6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.Unmap().String()
}
