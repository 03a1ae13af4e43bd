package store

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"

	"signpost/internal/roundtrip"
)

// Writes that need not be made before the work goes on: a worker seen, an
// audit entry, an effect remembered, a card's index and post. Within a
// work that defers writes (roundtrip.Work.DeferWrites: an update, an
// effect, the rendering of a card) they are held and sent with the work's
// next round trip that has room for them (the compare-and-set of a
// referral, the write of an outbox, a commit), placed before what that
// round trip does, so that their order against it is as if each had gone
// at once; whatever is still held at the end goes in one round trip
// (Flush). A crash in between loses them as it would have lost a write
// about to be made; a failure of one is the failure of the round trip that
// carried it. Outside such a work they are written at once, as before.

// laterWrite adds one held write to a pipeline.
type laterWrite func(ctx context.Context, p redis.Pipeliner)

// later holds fn for the work of ctx, or reports false when the work does
// not defer writes, and the caller writes at once.
func later(ctx context.Context, fn laterWrite) bool {
	return roundtrip.Of(ctx).Later(fn)
}

// withLater adds to p the writes the work of ctx holds, and holds none.
func withLater(ctx context.Context, p redis.Pipeliner) {
	for _, v := range roundtrip.Of(ctx).TakeLater() {
		if fn, ok := v.(laterWrite); ok {
			fn(ctx, p)
		}
	}
}

// Flush writes, in one round trip, what the work of ctx still holds.
func (s *Store) Flush(ctx context.Context) error {
	held := roundtrip.Of(ctx).TakeLater()
	if len(held) == 0 {
		return nil
	}
	p := s.rdb.Pipeline()
	for _, v := range held {
		if fn, ok := v.(laterWrite); ok {
			fn(ctx, p)
		}
	}
	if _, err := p.Exec(ctx); err != nil {
		return fmt.Errorf("held writes: %w", err)
	}
	return nil
}
