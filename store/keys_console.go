package store

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Keys of the link workers' console. They share the tag {console}. A
// session id, a sign-in link's token and an OpenID subject are secrets or
// identifiers; the keys hold their SHA-256 only, so that reading Redis gives
// no way in.

// hashed is the hex SHA-256 of s.
func hashed(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// consoleSession is a STRING: the JSON of a signed-in session. It expires
// after the idle time, renewed by every request.
func (k keyspace) consoleSession(id string) string {
	return k.prefix + ":{console}:session:" + hashed(id)
}

// consoleSessions is a SET of the hashed session ids of one worker, so that
// signing out everywhere finds them all. It expires with the worker's
// latest session.
func (k keyspace) consoleSessions(worker int64) string {
	return k.prefix + ":{console}:sessions:" + strconv.FormatInt(worker, 10)
}

// consoleLink is a STRING: the JSON of a one-time sign-in link, taken once
// (GETDEL) and expiring on its own.
func (k keyspace) consoleLink(token string) string {
	return k.prefix + ":{console}:link:" + hashed(token)
}

// consoleOIDC is a STRING: the worker id an OpenID Connect subject
// (issuer and subject) signs in as. It expires oidcTTL after the last
// sign-in with it.
func (k keyspace) consoleOIDC(subject string) string {
	return k.prefix + ":{console}:oidc:" + hashed(subject)
}
