package store

import (
	"context"
	"fmt"
	"sync"

	"github.com/redis/go-redis/v9"
)

// scanCount is the SCAN COUNT hint: large, because a person's keys are a
// handful among all keys and every step of the cursor is a round trip.
const scanCount = 1000

// personKeys finds every key of the person with SCAN MATCH on their tag, so
// that keys added by features written after this one are erased too.
//
// SCAN walks the whole keyspace and so costs time in proportion to it; that
// is acceptable for an erasure, which is rare, and nowhere else is it used.
func (s *Store) personKeys(ctx context.Context, user int64) ([]string, error) {
	return scanMasters(ctx, s.rdb, s.keys.personPattern(user))
}

// scanMasters finds the keys matching pattern on every master.
func scanMasters(ctx context.Context, rdb redis.UniversalClient, pattern string) ([]string, error) {
	var (
		mu    sync.Mutex
		found []string
	)
	err := eachMaster(ctx, rdb, func(ctx context.Context, c *redis.Client) error {
		keys, err := scanAll(ctx, c, pattern)
		mu.Lock()
		found = append(found, keys...)
		mu.Unlock()
		return err
	})
	return found, err
}

// eachMaster calls fn with a client on every master: each node of a
// Cluster or Ring (a plain command reaches one node only), or the one
// server (or a Sentinel set's master).
func eachMaster(ctx context.Context, rdb redis.UniversalClient, fn func(context.Context, *redis.Client) error) error {
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		return c.ForEachMaster(ctx, fn)
	case *redis.Ring:
		return c.ForEachShard(ctx, fn)
	case *redis.Client:
		return fn(ctx, c)
	}
	return fmt.Errorf("store: unknown Redis client %T", rdb)
}

func scanAll(ctx context.Context, c redis.Cmdable, pattern string) ([]string, error) {
	var keys []string
	iter := c.Scan(ctx, 0, pattern, scanCount).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	return keys, iter.Err()
}
