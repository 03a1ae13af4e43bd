package store

import (
	"context"
	"fmt"
)

// MarkSynthetic records that the data in this Redis is made up for a
// demonstration, so that every report made from it says so.
func (s *Store) MarkSynthetic(ctx context.Context) error {
	if err := s.rdb.Set(ctx, s.keys.synthetic(), "1", 0).Err(); err != nil {
		return fmt.Errorf("mark synthetic: %w", err)
	}
	return nil
}

// Synthetic reports whether MarkSynthetic was called on this Redis.
func (s *Store) Synthetic(ctx context.Context) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.keys.synthetic()).Result()
	if err != nil {
		return false, fmt.Errorf("synthetic: %w", err)
	}
	return n == 1, nil
}

// ReferralCount is how many referrals this Redis holds.
func (s *Store) ReferralCount(ctx context.Context) (int64, error) {
	n, err := s.rdb.ZCard(ctx, s.keys.allReferrals()).Result()
	if err != nil {
		return 0, fmt.Errorf("referral count: %w", err)
	}
	return n, nil
}
