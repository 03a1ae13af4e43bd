// Package roundtrip attributes Redis round trips to the work that made
// them, and saves some: a context carries a Work, the store's client hook
// adds to the Work of the context each command or pipeline was sent with,
// and the store keeps in it what it read, so that one update reading the
// same thing twice (the person's session, their referrals) asks Redis once.
package roundtrip

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
)

// Work is one piece of work, such as handling one update: the round trips
// it made and what was read during it. The store reads and writes its
// memo, and a write drops what it changed; another package may keep there
// what it made of something the store read (a decoded session), under a
// key of its own, provided it checks that the store still holds what it
// was made from before it uses it.
type Work struct {
	n atomic.Int64

	mu     sync.Mutex
	memo   map[string]any
	update int64
	// defers says the work takes writes to make later (Later); later
	// holds them until a round trip takes them (TakeLater).
	defers bool
	later  []any
	// err is the first failure of a held write whose failure is the
	// work's (Fail).
	err error
}

// N is the round trips counted so far.
func (w *Work) N() int64 { return w.n.Load() }

type key struct{}

// With returns a context whose round trips are counted in a new Work, and
// that Work. Contexts derived from it share it.
func With(ctx context.Context) (context.Context, *Work) {
	w := &Work{memo: map[string]any{}}
	return context.WithValue(ctx, key{}, w), w
}

// Of is the Work ctx carries, or nil.
func Of(ctx context.Context) *Work {
	w, _ := ctx.Value(key{}).(*Work)
	return w
}

// Add counts n round trips made with ctx, if ctx carries a Work.
func Add(ctx context.Context, n int64) {
	if w := Of(ctx); w != nil {
		w.n.Add(n)
	}
}

// SetUpdate names the Telegram update the work handles (0: none).
func (w *Work) SetUpdate(id int64) {
	w.mu.Lock()
	w.update = id
	w.mu.Unlock()
}

// Update is the update the work handles, or 0.
func (w *Work) Update() int64 {
	if w == nil {
		return 0
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.update
}

// Recall returns what was kept under k.
func (w *Work) Recall(k string) (any, bool) {
	if w == nil {
		return nil, false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	v, ok := w.memo[k]
	return v, ok
}

// Keep keeps v under k for the rest of the work.
func (w *Work) Keep(k string, v any) {
	if w == nil {
		return
	}
	w.mu.Lock()
	w.memo[k] = v
	w.mu.Unlock()
}

// Drop forgets what was kept under each key, or under every key starting
// with a prefix ending in "*".
func (w *Work) Drop(keys ...string) {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, k := range keys {
		if p, ok := strings.CutSuffix(k, "*"); ok {
			for m := range w.memo {
				if strings.HasPrefix(m, p) {
					delete(w.memo, m)
				}
			}
			continue
		}
		delete(w.memo, k)
	}
}

// DeferWrites lets the work hold writes that need not be made at once
// (Later), so that they ride with its next round trip instead of making
// one of their own. Whoever calls it must, at the end of the work, write
// what is still held (TakeLater).
func (w *Work) DeferWrites() {
	if w == nil {
		return
	}
	w.mu.Lock()
	w.defers = true
	w.mu.Unlock()
}

// Later holds v, a write the store describes in its own terms, for the
// work's next round trip, and reports whether it did: without DeferWrites
// (or without a Work) it holds nothing, and the caller writes at once.
func (w *Work) Later(v any) bool {
	if w == nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.defers {
		return false
	}
	w.later = append(w.later, v)
	return true
}

// TakeLater returns the writes held, oldest first, and holds none.
func (w *Work) TakeLater() []any {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.later
	w.later = nil
	return out
}

// Deferred is how many writes the work holds.
func (w *Work) Deferred() int {
	if w == nil {
		return 0
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.later)
}

// Fork is a new Work that knows what w has read so far, for work that
// follows on from w elsewhere (a delivery of what w wrote) and may use what
// w read or wrote as of then. It counts its own round trips and holds no
// writes of w's.
func (w *Work) Fork() *Work {
	f := &Work{memo: map[string]any{}}
	if w == nil {
		return f
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for k, v := range w.memo {
		f.memo[k] = v
	}
	return f
}

// WithWork returns a context that carries w.
func WithWork(ctx context.Context, w *Work) context.Context {
	return context.WithValue(ctx, key{}, w)
}

// Fail records that a write the work held for a later round trip failed
// where the work itself must be told (it reports its failure, Err).
func (w *Work) Fail(err error) {
	if w == nil || err == nil {
		return
	}
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
}

// Err is the first failure Fail recorded, nil while none.
func (w *Work) Err() error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}
