package store

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// scripts lists every Lua script of the store, for Preload.
func scripts() []*redis.Script {
	return []*redis.Script{
		commitScript, claimScript, finishScript, reserveScript,
		indexScript, pendingScript, unindexScript, renewScript, stuckScript,
		createReferralScript, schedClaimScript, schedCompleteScript, checkinPutScript,
		glanceScript, casReferralScript, giveBackScript, enqueueClaimScript, putOnceScript,
	}
}

// Preload loads every script into Redis, so that the first calls after a
// start run at once instead of each being refused (NOSCRIPT) and sent again
// in full. On Redis Cluster it loads them on every master.
func (s *Store) Preload(ctx context.Context) error {
	load := func(ctx context.Context, c redis.Cmdable) error {
		for _, sc := range scripts() {
			if err := sc.Load(ctx, c).Err(); err != nil {
				return fmt.Errorf("load script: %w", err)
			}
		}
		return nil
	}
	if s.cluster {
		return s.rdb.(*redis.ClusterClient).ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return load(ctx, c) })
	}
	return load(ctx, s.rdb)
}
