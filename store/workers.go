package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// DropWorkers removes the known workers last seen before seenBefore, with
// the @usernames that lead to them, and returns how many went. A worker who
// has left the team is seen no more (only an authorised worker is recorded),
// so their id, name and @username go a while after they leave; one who
// comes back is recorded again when next seen. What they did on cases stays
// in the cases' audit trails, with the cases. It runs under WATCH, so that
// a worker seen meanwhile is kept.
func (s *Store) DropWorkers(ctx context.Context, seenBefore time.Time) (int, error) {
	for range watchAttempts {
		n := 0
		err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			all, err := tx.HGetAll(ctx, s.keys.workers()).Result()
			if err != nil {
				return err
			}
			gone := map[string]bool{}
			var ids []string
			for id, v := range all {
				if k, ok := decodeWorker(v); !ok || k.Seen.Before(seenBefore) {
					ids = append(ids, id)
					gone[id] = true
				}
			}
			if len(ids) == 0 {
				return nil
			}
			handles, err := tx.HGetAll(ctx, s.keys.handles()).Result()
			if err != nil {
				return err
			}
			var names []string
			for h, id := range handles {
				if gone[id] {
					names = append(names, h)
				}
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.HDel(ctx, s.keys.workers(), ids...)
				if len(names) > 0 {
					p.HDel(ctx, s.keys.handles(), names...)
				}
				return nil
			})
			n = len(ids)
			return err
		}, s.keys.workers(), s.keys.handles())
		if errors.Is(err, redis.TxFailedErr) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("drop workers: %w", err)
		}
		return n, nil
	}
	return 0, fmt.Errorf("drop workers: %w", errContention)
}

// DropStaleBlocked removes from the set of people who blocked the bot those
// whose profile, which holds the same mark, has expired, and returns how
// many went. Without it the set would keep the Telegram id of everyone who
// ever blocked the bot and never came back, long after everything else of
// them expired.
func (s *Store) DropStaleBlocked(ctx context.Context) (int, error) {
	set := s.keys.blocked()
	var ids []string
	it := s.rdb.SScan(ctx, set, 0, "", scanCount).Iterator()
	for it.Next(ctx) {
		ids = append(ids, it.Val())
	}
	if err := it.Err(); err != nil {
		return 0, fmt.Errorf("drop stale blocked: %w", err)
	}
	var stale []any
	for chunk := range slices.Chunk(ids, scanCount) {
		// One at a time in a pipeline: each profile lives in its own slot.
		p := s.rdb.Pipeline()
		exists := make([]*redis.IntCmd, len(chunk))
		for i, id := range chunk {
			user, err := strconv.ParseInt(id, 10, 64)
			if err != nil {
				stale = append(stale, id)
				continue
			}
			exists[i] = p.Exists(ctx, s.keys.profile(user))
		}
		if _, err := p.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			return 0, fmt.Errorf("drop stale blocked: %w", err)
		}
		for i, e := range exists {
			if e != nil && e.Val() == 0 {
				stale = append(stale, chunk[i])
			}
		}
	}
	if len(stale) == 0 {
		return 0, nil
	}
	if err := s.rdb.SRem(ctx, set, stale...).Err(); err != nil {
		return 0, fmt.Errorf("drop stale blocked: %w", err)
	}
	return len(stale), nil
}
