// Package roundtrip attributes Redis round trips to the work that made
// them: a context carries a Counter, and the store's client hook adds to
// the counter of the context each command or pipeline was sent with.
package roundtrip

import (
	"context"
	"sync/atomic"
)

// Counter counts the round trips made with a context.
type Counter struct{ n atomic.Int64 }

// N is the round trips counted so far.
func (c *Counter) N() int64 { return c.n.Load() }

type key struct{}

// With returns a context whose round trips are counted in a new Counter,
// and that Counter. Contexts derived from it count there too.
func With(ctx context.Context) (context.Context, *Counter) {
	c := &Counter{}
	return context.WithValue(ctx, key{}, c), c
}

// Add counts n round trips made with ctx, if ctx carries a Counter.
func Add(ctx context.Context, n int64) {
	if c, ok := ctx.Value(key{}).(*Counter); ok {
		c.n.Add(n)
	}
}
