package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// SetProfile merges fields into the person's profile and restarts its idle
// expiry (Config.SessionTTL), in one MULTI/EXEC round trip. Callers store only
// what the person consented to share. No fields is a no-op.
func (s *Store) SetProfile(ctx context.Context, user int64, fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	key := s.keys.profile(user)
	if s.ordered() && later(ctx, func(ctx context.Context, p redis.Pipeliner) {
		p.HSet(ctx, key, fields)
		if s.ttl > 0 {
			p.PExpire(ctx, key, s.ttl)
		} else {
			p.Persist(ctx, key)
		}
	}) {
		return nil // with the work's next round trip (see later.go)
	}
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, key, fields)
		if s.ttl > 0 {
			p.PExpire(ctx, key, s.ttl)
		} else {
			p.Persist(ctx, key)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set profile %d: %w", user, err)
	}
	return nil
}

// Profile returns the person's profile; a person with none gets a nil map and
// no error, as Load does for a missing session.
func (s *Store) Profile(ctx context.Context, user int64) (map[string]string, error) {
	// A profile written with the work's next round trip is read as written.
	if err := s.Flush(ctx); err != nil {
		return nil, fmt.Errorf("profile %d: %w", user, err)
	}
	m, err := s.rdb.HGetAll(ctx, s.keys.profile(user)).Result()
	if err != nil {
		return nil, fmt.Errorf("profile %d: %w", user, err)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// LogKey returns the deployment's key for pseudonyms in the logs, making
// it (32 random bytes, hex) if no replica has yet. It never expires.
func (s *Store) LogKey(ctx context.Context) ([]byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	if err := s.rdb.SetNX(ctx, s.keys.logKey(), hex.EncodeToString(b), 0).Err(); err != nil {
		return nil, fmt.Errorf("log key: %w", err)
	}
	key, err := s.rdb.Get(ctx, s.keys.logKey()).Bytes()
	if err != nil {
		return nil, fmt.Errorf("log key: %w", err)
	}
	return key, nil
}
