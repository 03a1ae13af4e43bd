package store

import (
	"context"
	"errors"
	"fmt"
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
