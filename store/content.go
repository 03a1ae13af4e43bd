package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"signpost/flows"
)

// PutContent stores a content bundle under its version, once: a version is
// immutable, so storing it again keeps the first blob and is not an error.
// Bundles never expire; a session pinned to one must be able to finish on it.
func (s *Store) PutContent(ctx context.Context, version string, blob []byte) error {
	if err := s.rdb.SetNX(ctx, s.keys.content(version), blob, 0).Err(); err != nil {
		return fmt.Errorf("put content %q: %w", version, err)
	}
	return nil
}

// GetContent returns the bundle stored under version, or an error wrapping
// flows.ErrUnknownContent if there is none.
func (s *Store) GetContent(ctx context.Context, version string) ([]byte, error) {
	blob, err := s.rdb.Get(ctx, s.keys.content(version)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("get content %q: %w", version, flows.ErrUnknownContent)
	}
	if err != nil {
		return nil, fmt.Errorf("get content %q: %w", version, err)
	}
	return blob, nil
}
