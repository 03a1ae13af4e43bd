package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/handoff"

	"signpost/internal/roundtrip"
)

// RemoveReferral deletes a referral that closed before closedBefore, with
// its history, posts, audit trail, cards and every index entry, at the end
// of the anonymous retention period. removed is false when the referral is
// gone already, or did not close before closedBefore (it was reopened or
// changed meanwhile), checked under WATCH so that a concurrent change wins.
func (s *Store) RemoveReferral(ctx context.Context, ref string, closedBefore time.Time) (bool, error) {
	if !validRef(ref) {
		return false, nil
	}
	hk := s.keys.referral(ref)
	roundtrip.Of(ctx).Drop(memoReferral(ref))
	for range watchAttempts {
		removed := false
		err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			m, err := tx.HGetAll(ctx, hk).Result()
			if err != nil || len(m) == 0 {
				return err
			}
			r := decodeReferral(m)
			if r.Status != handoff.StatusClosed || r.Closed.IsZero() || !r.Closed.Before(closedBefore) {
				return nil
			}
			posts, err := s.Posts(ctx, ref)
			if err != nil {
				return err
			}
			// The referral's own keys share its tag and go in one
			// transaction; the indexes live elsewhere and follow.
			if _, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Del(ctx, hk, s.keys.referralHistory(ref), s.keys.referralPosts(ref), s.keys.referralAudit(ref))
				return nil
			}); err != nil {
				return err
			}
			removed = true
			p := s.rdb.Pipeline()
			p.ZRem(ctx, s.keys.allReferrals(), ref)
			p.ZRem(ctx, s.keys.followUps(), ref)
			p.ZRem(ctx, s.keys.reminders(), ref)
			p.ZRem(ctx, s.keys.queue(string(r.Team)), ref)
			p.HDel(ctx, s.keys.open(string(r.Team)), ref)
			if r.Card.Message != 0 {
				p.Del(ctx, s.keys.card(r.Card.Chat, r.Card.Message))
			}
			for _, post := range posts {
				p.Del(ctx, s.keys.card(post.Chat, post.Message))
			}
			_, err = p.Exec(ctx)
			return err
		}, hk)
		if errors.Is(err, redis.TxFailedErr) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("remove referral %s: %w", ref, err)
		}
		return removed, nil
	}
	return false, fmt.Errorf("remove referral %s: %w", ref, errContention)
}
