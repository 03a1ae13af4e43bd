package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/redis/go-redis/v9"

	"signpost/internal/roundtrip"
)

// Writes that need not be made before the work goes on: a worker seen, an
// audit entry, an effect remembered, a card's index and post, a person's
// profile, a reminder cancelled, and a delivery's acknowledgement of what
// it sent. Within a work that defers writes (roundtrip.Work.DeferWrites:
// an update, a delivery with the effects and cards it renders) they are
// held and sent with the work's next round trip that has room for them (the
// compare-and-set of a referral, the write of an outbox, a commit, the
// acknowledgement of a delivery), placed before what that round trip does,
// so that their order against it is as if each had gone at once; whatever
// is still held at the end goes in one round trip (Flush). A crash in
// between loses them as it would have lost a write about to be made. A
// held write that Redis refused while it took the rest of the round trip is
// written again at once, on its own; a held acknowledgement (laterCall)
// reads its own answer. Outside such a work they are written at once, as
// before.

// laterWrite adds one held write to a pipeline.
type laterWrite func(ctx context.Context, p redis.Pipeliner)

// laterCall adds one held command whose answer matters to a pipeline, and
// returns what reads that answer once the pipeline has run.
type laterCall func(ctx context.Context, p redis.Pipeliner) func()

// ordered reports whether one round trip's commands reach Redis in the
// order they were put in it, whatever becomes of the process meanwhile: on
// one server (or a Sentinel set's master) a pipeline is one write on one
// connection, so a command in it never arrives without those before it.
// On a Cluster a pipeline's commands for two masters go on two
// connections at once, so an effect's own write (a profile, a reminder
// cancelled, the outboxes its notices go to) is not held to ride with an
// acknowledgement there, which could then reach Redis without it should the
// process die in between: it goes at once, as before.
func (s *Store) ordered() bool {
	return !s.cluster
}

// later holds fn for the work of ctx, or reports false when the work does
// not defer writes, and the caller writes at once.
func later(ctx context.Context, fn laterWrite) bool {
	return roundtrip.Of(ctx).Later(fn)
}

// laterRead holds fn, as later does.
func laterRead(ctx context.Context, fn laterCall) bool {
	return roundtrip.Of(ctx).Later(fn)
}

// withLater adds to p the writes the work of ctx holds, and holds none. The
// caller calls what it returns once p has run: it reads the answers of the
// held calls, and writes again, each on its own, any held write Redis
// refused, and returns the error of one that failed again.
func (s *Store) withLater(ctx context.Context, p redis.Pipeliner) func() error {
	held := roundtrip.Of(ctx).TakeLater()
	if len(held) == 0 {
		return func() error { return nil }
	}
	type plain struct {
		fn   laterWrite
		cmds []redis.Cmder
	}
	var writes []plain
	var reads []func()
	for _, v := range held {
		switch fn := v.(type) {
		case laterWrite:
			start := p.Len()
			fn(ctx, p)
			writes = append(writes, plain{fn, slices.Clone(p.Cmds()[start:])})
		case laterCall:
			reads = append(reads, fn(ctx, p))
		}
	}
	return func() error {
		var err error
		for _, w := range writes {
			failed := false
			for _, c := range w.cmds {
				if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
					failed = true
				}
			}
			if failed {
				again := s.rdb.Pipeline()
				w.fn(ctx, again)
				if _, aerr := again.Exec(ctx); aerr != nil && !errors.Is(aerr, redis.Nil) && err == nil {
					err = aerr
				}
			}
		}
		for _, r := range reads {
			r()
		}
		return err
	}
}

// Flush writes, in one round trip, what the work of ctx still holds.
func (s *Store) Flush(ctx context.Context) error {
	if roundtrip.Of(ctx).Deferred() == 0 {
		return nil
	}
	p := s.rdb.Pipeline()
	after := s.withLater(ctx, p)
	p.Exec(ctx)
	// Each held write answers for itself: a call to its caller, a write
	// here once written again.
	if err := after(); err != nil {
		return fmt.Errorf("held writes: %w", err)
	}
	return nil
}

// firstErr is the first error among cmds, redis.Nil aside.
func firstErr(cmds []redis.Cmder) error {
	for _, c := range cmds {
		if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
	}
	return nil
}
