package store

import (
	"context"
	"fmt"
	"strconv"
)

// MoveChat records that the group old is now the supergroup to.
func (s *Store) MoveChat(ctx context.Context, old, to int64) error {
	if err := s.rdb.HSet(ctx, s.keys.movedChats(), strconv.FormatInt(old, 10), strconv.FormatInt(to, 10)).Err(); err != nil {
		return fmt.Errorf("record group %d moved to %d: %w", old, to, err)
	}
	return nil
}

// MovedChats returns every group recorded as moved, old id to new.
func (s *Store) MovedChats(ctx context.Context) (map[int64]int64, error) {
	all, err := s.rdb.HGetAll(ctx, s.keys.movedChats()).Result()
	if err != nil {
		return nil, fmt.Errorf("read moved groups: %w", err)
	}
	out := make(map[int64]int64, len(all))
	for k, v := range all {
		old, err1 := strconv.ParseInt(k, 10, 64)
		to, err2 := strconv.ParseInt(v, 10, 64)
		if err1 != nil || err2 != nil {
			continue // not written by MoveChat
		}
		out[old] = to
	}
	return out, nil
}
