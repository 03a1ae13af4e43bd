package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync"
)

// eventSecret names the secret (see Secret) under which Pseudonym keys a
// person's id. It is its own, not the key of the log pseudonyms: that one
// may be set in the environment and is handed to operators to find a
// person's log lines ("signpost logid"), while this one never leaves Redis,
// so that a record meant to be anonymous cannot be joined to the logs or to
// a person by anyone who holds only the log key.
const eventSecret = "events"

// pseudonymLen is how many half-bytes of the HMAC a pseudonym keeps: 64
// bits, so that two people's events never share a mark in practice.
const pseudonymLen = 16

// secretCache holds a secret once read; a secret never changes.
type secretCache struct {
	mu  sync.Mutex
	key []byte
}

// Pseudonym returns the name under which ids of events that outlive the
// person's erasure refer to them: a check-in's flag and count marks, and
// the effect keys kept with a referral's anonymous record. It is the HMAC
// of the decimal id under the deployment's own events key, kept in Redis
// and made by the first replica to ask, so that the same person gets the
// same name on every replica and a repeat of an event is still known, but
// the name cannot be read back as a Telegram id. It is written in the
// letters a to p, one a half-byte, so that it holds no run of digits the
// log pseudonyms would take for an id.
func (s *Store) Pseudonym(ctx context.Context, user int64) (string, error) {
	key, err := s.eventKey(ctx)
	if err != nil {
		return "", fmt.Errorf("pseudonym: %w", err)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strconv.FormatInt(user, 10)))
	sum := m.Sum(nil)
	out := make([]byte, pseudonymLen)
	for i := range out {
		b := sum[i/2]
		if i%2 == 0 {
			b >>= 4
		}
		out[i] = 'a' + b&0x0f
	}
	return string(out), nil
}

// markName is the name of the mark that the event id was counted: the hex
// HMAC of id under the events key. An event id names a person only by their
// Pseudonym, and this hides even that.
func (s *Store) markName(ctx context.Context, id string) (string, error) {
	key, err := s.eventKey(ctx)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("counted:" + id))
	return hex.EncodeToString(m.Sum(nil)), nil
}

// eventKey reads the events key once and keeps it.
func (s *Store) eventKey(ctx context.Context) ([]byte, error) {
	s.events.mu.Lock()
	defer s.events.mu.Unlock()
	if s.events.key != nil {
		return s.events.key, nil
	}
	key, err := s.Secret(ctx, eventSecret)
	if err != nil {
		return nil, err
	}
	s.events.key = key
	return key, nil
}
